#![cfg(target_arch = "wasm32")]
//! Placeholder until the crate lands: proves the crate builds and loads in Chromium.
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn crate_loads_in_the_browser() {
    assert_eq!(core::mem::size_of::<u64>(), 8);
}
