#![cfg(target_arch = "wasm32")]
//! The image model in Chromium: size strings and identifiers come out as natively.
use layerlab_image::identity::{chain_ids, sha256_digest};
use layerlab_image::units::human_size_with_precision;
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn sizes_and_ids_in_the_browser() {
    assert_eq!(human_size_with_precision(999_500.0, 3), "1e+03kB");
    assert_eq!(human_size_with_precision(8_460_000.0, 3), "8.46MB");
    let a = sha256_digest(b"abc");
    assert_eq!(a, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_eq!(chain_ids(&[a.clone()]), vec![a]);
}

#[wasm_bindgen_test]
fn snapshots_diff_and_export_in_the_browser() {
    use layerlab_image::fs::{diff, diff_id, Content, Meta, Snapshot};
    use std::sync::Arc;
    let meta = Meta { mode: 0o755, uid: 0, gid: 0, mtime: 0 };
    let lower = Snapshot::empty(meta);
    let mut upper = lower.clone();
    upper.mkdir_all("/app", meta).unwrap();
    upper.write_file("/app/a.txt", Content::Bytes(Arc::from(&b"hi\n"[..])), meta).unwrap();
    let changes = diff(&lower, &upper);
    assert_eq!(changes.len(), 2);
    assert!(diff_id(&changes).starts_with("sha256:"));
}
