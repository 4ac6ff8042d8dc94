//! The committed data files, loaded as the CLI loads them, and helpers to build.

#![allow(dead_code)]

use std::path::PathBuf;

use layerlab_catalog::store::DataStore;
use layerlab_engine::{BuildContext, BuildRequest, Builder, Report, Session};

pub const NOW: i64 = 1_795_000_000;

fn data_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../static/data"))
}

/// A store with the image index; other files load when a build asks for them.
pub fn store() -> DataStore {
    let mut store = DataStore::new();
    load(&mut store, "images/index.json");
    store
}

pub fn load(store: &mut DataStore, path: &str) {
    let text = std::fs::read_to_string(data_dir().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    store.insert(path, &text).unwrap();
}

/// Builds, loading each data file the build asks for, as the page and the CLI do.
pub fn build(session: &mut Session, store: &mut DataStore, req: &BuildRequest, now: i64) -> Report {
    for _ in 0..64 {
        let report = session.build(req, store, now);
        match &report.missing_data {
            Some(path) => load(store, path),
            None => return report,
        }
    }
    panic!("the build kept asking for data");
}

pub fn request(dockerfile: &str, context: BuildContext, builder: Builder) -> BuildRequest {
    let mut req = BuildRequest::new(dockerfile, context);
    req.builder = builder;
    req.tags = vec!["myapp".into()];
    req
}
