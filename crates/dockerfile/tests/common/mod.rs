//! Shared by the integration tests: the real-world corpus files.

use std::path::{Path, PathBuf};

/// The 43 files of ../shared/corpus/real-dockerfiles, sorted.
pub fn real_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/real-dockerfiles");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "MANIFEST.txt")
        .collect();
    v.sort();
    v
}
