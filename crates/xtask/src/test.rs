//! `cargo xtask test`: every test there is, in the order that fails fastest.
//!
//! 1. native unit and integration tests of every crate (the core, the CLI, xtask);
//! 2. the core crates compiled to wasm32 and tested in headless Chromium (wasm-bindgen-test);
//! 3. the release site built by Trunk, served on loopback and driven by Playwright.
//!
//! `cargo xtask test native|wasm|e2e` runs one stage (tools are still installed first).

use crate::progress::{self, step};
use crate::repo;
use crate::site;
use crate::tools::{self, Toolset, WASM_TARGET};
use std::process::Command;

/// Crates that are not core: they may do IO and need not build for wasm32 (`alloc` is the
/// native binaries' allocator).
const NOT_CORE: &[&str] = &["alloc", "cli", "xtask"];

pub fn run(args: &[String]) -> Result<(), String> {
    let only = args.first().map(String::as_str);
    if let Some(stage) = only.filter(|s| !["native", "wasm", "e2e"].contains(s)) {
        return Err(format!("unknown test stage {stage}; use native, wasm or e2e"));
    }
    tools::ensure(Toolset::Test)?;
    let wants = |stage: &str| only.is_none_or(|o| o == stage);
    if wants("native") {
        native()?;
    }
    if wants("wasm") {
        wasm()?;
    }
    if wants("e2e") {
        end_to_end()?;
    }
    step("All tests passed");
    Ok(())
}

fn native() -> Result<(), String> {
    step("Native tests of every crate");
    progress::run(
        Command::new("cargo")
            .args(["test", "--workspace", "--exclude", "layerlab-web"])
            .current_dir(repo::root()),
    )
}

/// Every core crate must build for wasm32 and carry `tests/wasm.rs`, which runs in Chromium.
fn wasm() -> Result<(), String> {
    let crates = core_crates()?;
    step(&format!(
        "Core crates in headless Chromium (wasm-bindgen-test): {}",
        crates.join(", ")
    ));
    let mut command = Command::new("cargo");
    command.args(["test", "--target", WASM_TARGET, "--test", "wasm"]);
    for name in &crates {
        command.args(["-p", name]);
    }
    progress::run(
        command
            .current_dir(repo::root())
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("CHROMEDRIVER", "/usr/bin/chromedriver"),
    )
}

/// Package names of the core crates, each checked to have its browser test file.
pub fn core_crates() -> Result<Vec<String>, String> {
    let crates_dir = repo::root().join("crates");
    let mut names = Vec::new();
    let entries = std::fs::read_dir(&crates_dir).map_err(|e| format!("reading crates/: {e}"))?;
    for entry in entries.flatten() {
        let dir = entry.path();
        let short = entry.file_name().to_string_lossy().into_owned();
        if NOT_CORE.contains(&short.as_str()) || !dir.join("Cargo.toml").exists() {
            continue;
        }
        if !dir.join("tests").join("wasm.rs").exists() {
            return Err(format!(
                "core crate crates/{short} has no tests/wasm.rs: every core crate is tested in the browser"
            ));
        }
        names.push(format!("layerlab-{short}"));
    }
    names.sort();
    Ok(names)
}

fn end_to_end() -> Result<(), String> {
    site::build()?;
    site::report_sizes()?;
    step("End-to-end tests: the built site on loopback, driven by Playwright in headless Chromium");
    let artifacts = repo::e2e_artifacts();
    std::fs::create_dir_all(&artifacts).map_err(|e| format!("creating {}: {e}", artifacts.display()))?;
    progress::run(
        Command::new("node")
            .args(["--test", "--test-concurrency=1", "e2e/"])
            .current_dir(repo::root())
            .env("LAYERLAB_DIST", repo::dist())
            .env("LAYERLAB_ARTIFACTS", &artifacts),
    )
}
