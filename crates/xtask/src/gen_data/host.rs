//! The generator's contact with the host: shell commands, files, tool versions, the date.

use std::path::Path;
use std::process::Command;

/// Runs a bash script (`set -euo pipefail`) and returns its stdout; stderr passes through so
/// a long step shows its progress.
pub fn sh(script: &str) -> Result<String, String> {
    let out = Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("could not start bash: {e}"))?;
    if !out.status.success() {
        return Err(format!("script failed ({}):\n{script}", out.status));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("script printed non-UTF-8:\n{script}"))
}

/// `name version` of an installed Debian package, for the provenance record.
pub fn deb_tool(package: &str) -> Result<String, String> {
    let version = sh(&format!("dpkg-query -W -f='${{Version}}' {package}"))?;
    Ok(format!("{package} {version}"))
}

/// Today (UTC) as `YYYY-MM-DD`.
pub fn today() -> Result<String, String> {
    Ok(sh("date -u +%F")?.trim().to_string())
}

/// An epoch as RFC 3339 UTC, the form image configs use.
pub fn rfc3339(epoch: i64) -> Result<String, String> {
    Ok(sh(&format!("date -u -d @{epoch} +%Y-%m-%dT%H:%M:%SZ"))?.trim().to_string())
}

pub fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("    wrote {} ({} bytes)", path.display(), text.len());
    Ok(())
}

/// Writes a value as pretty JSON with a trailing newline (diff-friendly in git).
pub fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<(), String> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    text.push('\n');
    write(path, &text)
}

/// Files under `dir`, relative, sorted.
pub fn list_files(dir: &Path) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    walk(dir, dir, &mut names)?;
    names.sort();
    Ok(names)
}

fn walk(root: &Path, dir: &Path, names: &mut Vec<String>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            walk(root, &path, names)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            names.push(rel.to_string_lossy().into_owned());
        }
    }
    Ok(())
}

/// A data file without its `"date": "..."` lines, for `--check`.
pub fn without_dates(text: &str) -> String {
    text.lines().filter(|l| !l.trim_start().starts_with("\"date\":")).collect::<Vec<_>>().join("\n")
}
