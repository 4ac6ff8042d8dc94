//! Share links: the whole workspace, deflated by the browser's CompressionStream and
//! base64url-encoded, in the URL fragment (`#w=...`). The fragment never reaches a server.
//! A page opened from a link loads it once, then drops the fragment so a reload shows the
//! autosave (later edits) rather than the link's older state.

use wasm_bindgen::prelude::*;

use crate::workspace::Workspace;

const PREFIX: &str = "#w=";

#[wasm_bindgen(inline_js = r#"
export async function pack(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
export async function unpack(code) {
  const binary = atob(code.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return await new Response(stream).text();
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn pack(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn unpack(code: &str) -> Result<JsValue, JsValue>;
}

/// The link that opens this workspace.
pub async fn link(workspace: &Workspace) -> Result<String, String> {
    let json = serde_json::to_string(workspace).map_err(|e| e.to_string())?;
    let code = pack(&json).await.map_err(|e| format!("{e:?}"))?.as_string().unwrap_or_default();
    let location = web_sys::window().ok_or("no window")?.location();
    let base = location.href().map_err(|e| format!("{e:?}"))?;
    let base = base.split('#').next().unwrap_or_default().to_string();
    Ok(format!("{base}{PREFIX}{code}"))
}

/// The workspace in this page's fragment, if it has one; the fragment is removed.
pub async fn take_from_url() -> Option<Result<Workspace, String>> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let code = hash.strip_prefix(PREFIX)?.to_string();
    if let Ok(history) = window.history() {
        let path = window.location().pathname().unwrap_or_default();
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
    }
    let json = match unpack(&code).await {
        Ok(text) => text.as_string().unwrap_or_default(),
        Err(_) => return Some(Err("the share link is damaged (it does not decompress)".into())),
    };
    Some(serde_json::from_str(&json).map_err(|e| format!("the share link does not hold a workspace: {e}")))
}
