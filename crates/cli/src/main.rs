//! `layerlab`: the native command line over the same core the page uses.

use std::process::ExitCode;

const USAGE: &str = "\
usage: layerlab <command> [args]

commands:
  parse --dump FILE   print the parsed Dockerfile in BuildKit's Node.Dump() format
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("-h" | "--help" | "help") | None => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("ERROR: unknown command \"{other}\"\n\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}
