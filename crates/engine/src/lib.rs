//! The build engine (see ARCHITECTURE.md): a Dockerfile and a build context in, a
//! [`report::Report`] out. It drives the front end (`layerlab-dockerfile`), the layered
//! filesystem (`layerlab-image`), the simulated shell and the catalogs, and keeps what a
//! Docker daemon keeps between builds: the build cache and the tagged images
//! ([`session::Session`]).
//!
//! Pure like the rest of the core: no IO, no clock (`now` is a parameter), no panics.

pub mod build_flags;
pub mod cache;
pub mod commands;
pub mod console;
pub mod context;
mod costs;
pub mod files;
mod dispatch;
pub mod fuzz_entry;
pub mod export;
mod history;
pub mod memo;
mod plan;
pub mod report;
pub mod request;
pub mod session;
pub mod state;
pub mod store;
pub mod terminal;

pub use context::BuildContext;
pub use report::Report;
pub use request::{BuildRequest, Builder};
pub use session::Session;
