//! Step-by-step progress and command running.
//!
//! Installs can take minutes; each step says what it does and roughly how long it takes,
//! and each command is echoed before it runs.

use std::ffi::OsStr;
use std::process::Command;
use std::time::Instant;

/// Prints a step heading such as `==> Installing trunk 0.21.14 (about 13 minutes on 2 cores)`.
pub fn step(what: &str) {
    println!("\n==> {what}");
}

pub fn note(what: &str) {
    println!("    {what}");
}

/// Runs a command to completion with inherited stdio; fails with the command line on a
/// non-zero exit so the error says what was being done.
pub fn run(command: &mut Command) -> Result<(), String> {
    let line = render(command);
    println!("    $ {line}");
    let started = Instant::now();
    let status = command
        .status()
        .map_err(|e| format!("could not start `{line}`: {e}"))?;
    if status.success() {
        note(&format!("done in {:.1}s", started.elapsed().as_secs_f64()));
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status})"))
    }
}

/// Runs a command and returns its trimmed stdout, or None if it cannot run or fails.
/// Used to probe tool versions, so errors are expected and silent.
pub fn output(program: impl AsRef<OsStr>, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn render(command: &Command) -> String {
    let mut parts = vec![command.get_program().to_string_lossy().into_owned()];
    parts.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}
