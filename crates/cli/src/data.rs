//! The generated data, read from `static/data/` (or `$LAYERLAB_DATA`).

use std::path::PathBuf;

use layerlab_catalog::store::{DataStore, IMAGE_INDEX};

fn data_dir() -> PathBuf {
    std::env::var_os("LAYERLAB_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../static/data")))
}

/// Adds one data file (path under the data directory); false when it cannot be read.
pub fn load(store: &mut DataStore, path: &str) -> bool {
    match std::fs::read_to_string(data_dir().join(path)) {
        Ok(text) => store.insert(path, &text).is_ok(),
        Err(_) => false,
    }
}

/// The image index and every image file. Data that cannot be read leaves the store without
/// it: the checks then say the image's environment is not modelled rather than guess.
pub fn image_store() -> DataStore {
    let dir = data_dir();
    let mut store = DataStore::new();
    load(&mut store, IMAGE_INDEX);
    if let Ok(entries) = std::fs::read_dir(dir.join("images")) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".json") && name != "index.json" {
                load(&mut store, &format!("images/{name}"));
            }
        }
    }
    store
}
