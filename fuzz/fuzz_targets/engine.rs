//! Any text as a Dockerfile, built by BuildKit and the classic builder against the committed
//! image and catalog data (loaded from static/data as a build asks for it): the engine
//! returns a report, an error at worst, without panicking or hanging.
#![no_main]
use std::path::Path;
use std::sync::Mutex;

use layerlab_catalog::store::DataStore;
use libfuzzer_sys::fuzz_target;

/// Data files stay loaded across inputs, as they do in a page's session.
static DATA: Mutex<Option<DataStore>> = Mutex::new(None);

fn read(path: &str) -> Option<String> {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/data").join(path)).ok()
}

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let mut guard = DATA.lock().unwrap_or_else(|e| e.into_inner());
    let data = guard.get_or_insert_with(|| {
        let mut data = DataStore::new();
        let index = read("images/index.json").expect("static/data/images/index.json");
        data.insert("images/index.json", &index).expect("the index parses");
        data
    });
    layerlab_engine::fuzz_entry::build_everything(&text, data, &read);
});
