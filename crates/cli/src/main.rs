//! `layerlab`: the native command line over the same core the page uses.
//! All IO lives here; the core crates only see strings.

mod build;
mod check;
mod data;
mod images;
mod parse;
mod state;

use std::process::ExitCode;

// Parsing and checking allocate many small, short-lived objects on every run: mimalloc
// (entered as crates/alloc explains) serves them in about a third less time than glibc's
// malloc (measured on moby's Dockerfile: 287 → 185 µs a parse + check).
#[global_allocator]
static ALLOCATOR: layerlab_alloc::Allocator = layerlab_alloc::Allocator;

const USAGE: &str = "\
usage: layerlab <command> [args]

commands:
  parse --dump FILE   print the parsed Dockerfile in BuildKit's Node.Dump() format
  check FILE          run the build checks and print them like `docker build --check`
  build [flags] DIR   simulate `docker build` (BuildKit, or --classic); see `build --help`
  images              list the images built in the session (`docker images`)
  history IMAGE       `docker history` [--no-trunc] [--human=false] [--format TEMPLATE]
  inspect IMAGE       `docker image inspect` JSON
  tag SOURCE TARGET   `docker tag`
  rmi IMAGE           `docker rmi`
  run [-d] [-p H:C] [--entrypoint E] IMAGE [ARG...]
                      `docker run`: Docker's checks and the effective command (containers are not simulated)
  push NAME           `docker push`: the layers, then Docker Hub's answer to a client not logged in
  save [-o FILE] IMAGE...
                      `docker save`: an archive `docker load` reads (catalog files as placeholders)
  context [-f FILE] [-o FILE] DIR
                      the build context tar the docker CLI sends (`docker build - < context.tar`)

Commands that use the session take --state DIR (default ./.layerlab): the build cache and
images live there between invocations, as in a Docker daemon.
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
        Some("build") => build::run(&args[1..]),
        Some("context") => build::context_tar(&args[1..]),
        Some(command @ ("run" | "push")) => images::container(command, &args[1..]),
        Some(command @ ("images" | "history" | "inspect" | "tag" | "rmi" | "save")) => images::run(command, &args[1..]),
        Some(other) => Err(format!("unknown command \"{other}\"\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // An empty message: the command already printed its error (a failed build).
        Err(message) if message.is_empty() => ExitCode::FAILURE,
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

/// Where an archive goes: `-o FILE`, or stdout unless stdout is a terminal (Docker will not
/// write a tar to one: `refusal` says so). `failed` starts the message for a file that
/// cannot be created.
fn archive_output(path: Option<&std::path::Path>, failed: &str, refusal: &str) -> Result<std::io::BufWriter<Box<dyn std::io::Write>>, String> {
    use std::io::IsTerminal;
    let out: Box<dyn std::io::Write> = match path {
        Some(path) => Box::new(std::fs::File::create(path).map_err(|e| format!("{failed}{}: {e}", path.display()))?),
        None if std::io::stdout().is_terminal() => return Err(refusal.into()),
        None => Box::new(std::io::stdout().lock()),
    };
    Ok(std::io::BufWriter::new(out))
}

/// Flushes a written archive to its file or stdout.
fn finish_archive(out: std::io::BufWriter<Box<dyn std::io::Write>>) -> Result<(), String> {
    use std::io::Write;
    out.into_inner().map_err(|e| e.to_string())?.flush().map_err(|e| e.to_string())
}
