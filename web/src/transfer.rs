//! Files in and out of the page: downloads (workspace and context tars, `docker save`),
//! uploads from a file picker, and folders or files dropped from the desktop. Browser glue
//! only; what the files mean is the workspace's business.

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
export function download(name, bytes, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
async function read(file, path) {
  return [path, new Uint8Array(await file.arrayBuffer())];
}
export async function read_input(input) {
  const files = [...input.files];
  input.value = '';
  return Promise.all(files.map((f) => read(f, f.webkitRelativePath || f.name)));
}
function entry_file(entry) {
  return new Promise((ok, fail) => entry.file(ok, fail));
}
function directory_batch(reader) {
  return new Promise((ok, fail) => reader.readEntries(ok, fail));
}
async function walk(entry, out) {
  if (entry.isFile) {
    out.push(await read(await entry_file(entry), entry.fullPath.replace(/^\//, '')));
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    for (let batch = await directory_batch(reader); batch.length; batch = await directory_batch(reader)) {
      for (const child of batch) await walk(child, out);
    }
  }
}
export function read_drop(event) {
  // The entries must be taken while the event is being dispatched; reading them can wait.
  const items = [...(event.dataTransfer ? event.dataTransfer.items : [])];
  const entries = items.map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
  // Without entries (a browser that has none, a synthetic drop) the plain files still count.
  const files = entries.length ? [] : [...(event.dataTransfer ? event.dataTransfer.files : [])];
  return (async () => {
    const out = await Promise.all(files.map((f) => read(f, f.name)));
    for (const entry of entries) await walk(entry, out);
    return out;
  })();
}
"#)]
extern "C" {
    fn download(name: &str, bytes: &Uint8Array, kind: &str);
    fn read_input(input: &web_sys::HtmlInputElement) -> Promise;
    fn read_drop(event: &web_sys::DragEvent) -> Promise;
}

/// Hands `bytes` to the browser as a download called `name`.
pub fn offer(name: &str, bytes: &[u8]) {
    download(name, &Uint8Array::from(bytes), "application/x-tar");
}

/// The files chosen in a file input (`folder/file` paths for a chosen folder). Called in
/// the input's change handler; the reading finishes later.
pub fn chosen(input: &web_sys::HtmlInputElement) -> impl std::future::Future<Output = Result<Vec<(String, Vec<u8>)>, String>> {
    let reading = JsFuture::from(read_input(input));
    async move { reading.await.map(pairs).map_err(|e| format!("the files could not be read: {e:?}")) }
}

/// The files and folders dropped on the page, folders walked. Must be called while the
/// drop event is dispatched (the browser hides its items afterwards).
pub fn dropped(event: &web_sys::DragEvent) -> impl std::future::Future<Output = Result<Vec<(String, Vec<u8>)>, String>> {
    let reading = JsFuture::from(read_drop(event));
    async move { reading.await.map(pairs).map_err(|e| format!("the dropped files could not be read: {e:?}")) }
}

fn pairs(value: JsValue) -> Vec<(String, Vec<u8>)> {
    Array::from(&value)
        .iter()
        .map(|pair| {
            let pair = Array::from(&pair);
            (pair.get(0).as_string().unwrap_or_default(), Uint8Array::new(&pair.get(1)).to_vec())
        })
        .collect()
}
