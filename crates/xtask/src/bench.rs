//! `cargo xtask bench`: speed figures, printed and never asserted.
//!
//! 1. criterion benchmarks of the core, natively;
//! 2. the parser compiled to wasm (release profile, as the page ships it) against
//!    dockerfile-ast in the same Node process, on the real-world corpus.

use crate::progress::{self, step};
use crate::repo;
use crate::tools::{self, Toolset, WASM_TARGET};
use std::process::Command;

pub fn run(_args: &[String]) -> Result<(), String> {
    tools::ensure(Toolset::Test)?;
    step("Criterion benchmarks of the core (native)");
    progress::run(Command::new("cargo").args(["bench", "-p", "layerlab-dockerfile", "-p", "layerlab-image", "-p", "layerlab-engine"]).current_dir(repo::root()))?;
    step("The parser in Node: layerlab (wasm) against dockerfile-ast (JS)");
    node_comparison()
}

fn node_comparison() -> Result<(), String> {
    let root = repo::root();
    progress::run(
        Command::new("cargo")
            .args(["build", "--release", "--target", WASM_TARGET, "-p", "layerlab-bench-wasm"])
            .current_dir(&root),
    )?;
    let out = root.join("target/bench-wasm");
    let wasm = root.join(format!("target/{WASM_TARGET}/release/layerlab_bench_wasm.wasm"));
    progress::run(Command::new("wasm-bindgen").arg("--target").arg("nodejs").arg("--out-dir").arg(&out).arg(&wasm))?;
    progress::run(
        Command::new("node")
            .arg(root.join("bench/wasm-parser/compare.mjs"))
            .arg(out.join("layerlab_bench_wasm.js"))
            .arg(root.join("../shared/corpus/real-dockerfiles"))
            .current_dir(&root),
    )
}
