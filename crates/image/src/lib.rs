//! Layered filesystem and image model (see ARCHITECTURE.md).

pub mod archive;
pub mod config;
pub mod fs;
pub mod history;
pub mod identity;
pub mod units;
