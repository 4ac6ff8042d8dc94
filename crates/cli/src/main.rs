//! `layerlab`: the native command line over the same core the page uses.
//! All IO lives here; the core crates only see strings.

mod check;
mod data;
mod parse;

use std::process::ExitCode;

const USAGE: &str = "\
usage: layerlab <command> [args]

commands:
  parse --dump FILE   print the parsed Dockerfile in BuildKit's Node.Dump() format
  check FILE          run the build checks and print them like `docker build --check`
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("-h" | "--help" | "help") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some("parse") => parse::run(&args[1..]),
        Some("check") => check::run(&args[1..]),
        Some(other) => Err(format!("unknown command \"{other}\"\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ERROR: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Reads a Dockerfile the way BuildKit does: bytes, invalid UTF-8 replaced.
fn read_dockerfile(path: &str) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("failed to read {path}: {e}"))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
