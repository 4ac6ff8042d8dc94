//! `cargo xtask <command>`: the project's automation, in Rust so it runs wherever cargo does.
//!
//! Every command first installs what it needs at pinned versions (see `tools.rs`), reusing
//! tools that are already present at the right version, and prints each step so a user can
//! tell a ten-minute install from a hang.

mod bench;
mod gen_data;
mod progress;
mod repo;
mod serve;
mod site;
mod test;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve      install what is missing, build the site (release), serve it on http://127.0.0.1:8080
  test       install what is missing, run every test: native, wasm in Chromium, end to end
  build      build the release site into dist/ and print the size of every shipped file
  bench      print speed figures: criterion benchmarks of the core, and the parser in wasm
             against dockerfile-ast (VS Code's Dockerfile parser) in Node
  gen-data   regenerate the base-image and package data under static/data (needs root and the
             package registries; --check compares a fresh generation with the committed files)
  measure-fidelity [NAME.Dockerfile...]
             run tests/fidelity/*.Dockerfile in chroots of the real debian:bookworm-slim and
             record the real layer sizes in tests/fidelity/measured.json (needs root, network)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("build") => site::build_and_report(),
        Some("bench") => bench::run(&args[1..]),
        Some("gen-data") => gen_data::run(&args[1..]),
        Some("measure-fidelity") => gen_data::fidelity::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing command\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
