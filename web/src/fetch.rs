//! Loading a data file (base image, package catalog) from `data/` next to the page, on
//! demand: the engine names the file it needs and the build runs again once it is here.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

/// The text of `data/<path>`, or why it could not be loaded.
pub async fn data_file(path: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let url = format!("data/{path}");
    let response = JsFuture::from(window.fetch_with_str(&url)).await.map_err(|e| describe(&url, e))?;
    let response: Response = response.dyn_into().map_err(|e| describe(&url, e))?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {} {}", response.status(), response.status_text()));
    }
    let text = response.text().map_err(|e| describe(&url, e))?;
    let text = JsFuture::from(text).await.map_err(|e| describe(&url, e))?;
    text.as_string().ok_or_else(|| format!("{url}: not text"))
}

fn describe(url: &str, error: wasm_bindgen::JsValue) -> String {
    format!("{url}: {}", error.as_string().unwrap_or_else(|| format!("{error:?}")))
}
