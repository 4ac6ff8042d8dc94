//! The front end as Node sees it once compiled to wasm: one call per file,
//! the text crossing the JS/wasm boundary each time, as it does in the page.

use wasm_bindgen::prelude::*;

/// Parse only; returns the instruction count (0 on a parse error).
#[wasm_bindgen]
pub fn parse(text: &str) -> usize {
    layerlab_dockerfile::syntax::parse(text).map_or(0, |ast| ast.nodes.len())
}

/// Everything the page runs per keystroke before simulating: parse and check.
#[wasm_bindgen]
pub fn front_end(text: &str) -> usize {
    layerlab_dockerfile::fuzz_entry::front_end(text)
}
