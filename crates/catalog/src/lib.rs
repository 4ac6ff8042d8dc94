//! Real base-image and package data: the typed form of the files `cargo xtask gen-data` writes
//! under `static/data/`. No IO: callers hand in the text (the CLI reads files, the page
//! fetches them).

pub mod apk;
pub mod apt;
pub mod closure;
pub mod debversion;
pub mod downloads;
pub mod dpkgfilter;
pub mod image;
pub mod index;
pub mod info;
pub mod manifest;
pub mod marker;
pub mod pep440;
pub mod npm;
pub mod pip;
pub mod pipsolve;
pub mod source;
pub mod store;
pub mod venv;
