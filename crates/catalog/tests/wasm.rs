#![cfg(target_arch = "wasm32")]
//! The catalog in Chromium: the default example's image data (which the page embeds) loads,
//! resolves `FROM ubuntu`, and has its size, in wasm as natively.
use layerlab_catalog::manifest;
use layerlab_catalog::store::{DataStore, IMAGE_INDEX};
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

const INDEX: &str = include_str!("../../../static/data/images/index.json");
const UBUNTU: &str = include_str!("../../../static/data/images/ubuntu_24.04.json");

#[wasm_bindgen_test]
fn the_default_image_loads_in_the_browser() {
    let mut store = DataStore::new();
    store.insert(IMAGE_INDEX, INDEX).unwrap();
    store.insert("images/ubuntu_24.04.json", UBUNTU).unwrap();
    let chain = store.image_chain("ubuntu").unwrap();
    assert_eq!(chain[0].name, "ubuntu:24.04");
    let size = manifest::docker_size(&chain[0].layers[0].entries().unwrap());
    assert_eq!(size, store.resolve("ubuntu:latest").unwrap().entry.size);
}
