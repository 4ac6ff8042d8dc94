//! Where things are: the repository root, the shared corpus beside it, build outputs.

use std::path::{Path, PathBuf};

/// The workspace root (xtask lives in `crates/xtask`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/xtask sits two levels below the workspace root")
        .to_path_buf()
}

pub fn dist() -> PathBuf {
    root().join("dist")
}

/// Screenshots, console logs and reports of the browser tests.
pub fn e2e_artifacts() -> PathBuf {
    root().join("target").join("e2e")
}

/// `node_modules/.bin`, which must come first on PATH so Trunk finds binaryen's wasm-opt
/// rather than an older system one.
pub fn node_bin() -> PathBuf {
    root().join("node_modules").join(".bin")
}
