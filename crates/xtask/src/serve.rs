//! `cargo xtask serve`: the playground on http://127.0.0.1:8080.

use crate::progress::{self, step};
use crate::repo;
use crate::tools::{self, Toolset};
use std::process::Command;

pub const ADDRESS: &str = "127.0.0.1";
pub const PORT: &str = "8080";

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(extra) = args.first() {
        return Err(format!("serve takes no arguments (got {extra})"));
    }
    tools::ensure(Toolset::Site)?;
    step(&format!(
        "Building (release) and serving on http://{ADDRESS}:{PORT} (Ctrl-C stops; edits rebuild)"
    ));
    progress::run(
        Command::new("trunk")
            .args(["serve", "--release", "--address", ADDRESS, "--port", PORT])
            .current_dir(repo::root()),
    )
}
