//! Identifiers by the OCI spec's formulas, checked against independently computed digests.

use layerlab_image::identity::{chain_ids, sha256_digest, short_id};

#[test]
fn digests_are_sha256_of_the_bytes() {
    assert_eq!(sha256_digest(b""), "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_eq!(sha256_digest(b"abc"), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

#[test]
fn chain_ids_fold_the_diff_ids() {
    let a = sha256_digest(b"layer a");
    let b = sha256_digest(b"layer b");
    let c = sha256_digest(b"layer c");
    let chain = chain_ids(&[a.clone(), b.clone(), c.clone()]);
    assert_eq!(chain[0], a, "the bottom layer's ChainID is its DiffID");
    assert_eq!(chain[1], sha256_digest(format!("{a} {b}").as_bytes()));
    assert_eq!(chain[2], sha256_digest(format!("{} {c}", chain[1]).as_bytes()));
    assert!(chain_ids(&[]).is_empty());
}

#[test]
fn short_ids_are_twelve_hex_characters() {
    assert_eq!(short_id("sha256:160466e67bb85a4099d9d9c2356b4a6a64747b281a22c142efbd4539db1b8525"), "160466e67bb8");
}
