//! `cargo xtask gen-data`: regenerates the base-image and package data under `static/data/`
//! from the real artifacts (Debian's mirror, Ubuntu's archive, the Alpine minirootfs, PyPI,
//! npm).
//!
//! Run by hand as root: it debootstraps, chroots and downloads. CI never runs it; it tests the
//! committed files. `--check` regenerates into a scratch folder and compares with the
//! committed files, ignoring the generation date.

mod apk;
mod apt;
mod alpine;
mod deb822;
mod derived;
mod debian;
pub mod fidelity;
mod host;
mod images;
mod nginx;
mod node;
mod npm;
mod pip;
mod python;
mod python_alpine;
mod rootfs;
mod rust;
mod snapshot;
mod ubuntu;
mod venv;
mod yarn;

use std::path::{Path, PathBuf};

use crate::progress::step;
use crate::repo;

/// Everything the generator can make, in dependency order.
const PARTS: &[&str] = &["debian", "alpine", "apk", "apt", "apt-absent", "ubuntu", "apt-noble", "apt-jammy", "pip", "npm", "yarn", "node", "nginx", "python", "python-alpine", "rust", "venv", "images"];

/// Parts that redo a piece of another one; a full run has them already.
const ONLY_WHEN_NAMED: &[&str] = &["apt-absent"];

pub fn run(args: &[String]) -> Result<(), String> {
    let check = args.iter().any(|a| a == "--check");
    let wanted: Vec<&str> = args.iter().map(String::as_str).filter(|a| !a.starts_with("--")).collect();
    for part in &wanted {
        if !PARTS.contains(part) {
            return Err(format!("unknown part {part:?}; parts are {}", PARTS.join(", ")));
        }
    }
    let out = if check { work_dir().join("check") } else { data_dir() };
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    for part in PARTS.iter().filter(|p| wanted.contains(p) || (wanted.is_empty() && !ONLY_WHEN_NAMED.contains(p))) {
        step(&format!("gen-data {part}"));
        generate(part, &out)?;
    }
    if check {
        return compare(&out, &data_dir());
    }
    Ok(())
}

fn generate(part: &str, out: &Path) -> Result<(), String> {
    match part {
        "debian" => debian::generate(out),
        "alpine" => alpine::generate(out),
        "apk" => apk::generate(out),
        "apt" => apt::generate(&apt::BOOKWORM, out),
        // The full apt part asks these too; alone, it updates the committed index.
        "apt-absent" => apt::generate_absent(&apt::BOOKWORM, out),
        "ubuntu" => ubuntu::generate(out),
        "apt-noble" => apt::generate(&apt::NOBLE, out),
        "apt-jammy" => apt::generate(&apt::JAMMY, out),
        "pip" => pip::generate(out),
        "npm" => npm::generate(out),
        "yarn" => yarn::generate(out),
        "node" => node::generate(out),
        "nginx" => nginx::generate(out),
        "python" => python::generate(out),
        "python-alpine" => python_alpine::generate(out),
        "rust" => rust::generate(out),
        "venv" => venv::generate(out),
        "images" => images::generate(out),
        _ => unreachable!("checked against PARTS"),
    }
}

/// The words of a package-list file (`apt-packages.txt`...), skipping `#` comment lines.
fn names(list: &str) -> Vec<String> {
    list.lines().filter(|l| !l.starts_with('#')).flat_map(str::split_whitespace).map(str::to_string).collect()
}

/// The committed data.
pub fn data_dir() -> PathBuf {
    repo::root().join("static").join("data")
}

/// Scratch space for chroots and downloads, outside the repository.
pub fn work_dir() -> PathBuf {
    PathBuf::from(std::env::var("LAYERLAB_GEN_DIR").unwrap_or_else(|_| "/var/tmp/layerlab-gen".into()))
}

/// `--check`: every committed file must come out the same, apart from `"date"` fields.
fn compare(fresh: &Path, committed: &Path) -> Result<(), String> {
    let mut differing = Vec::new();
    for name in host::list_files(fresh)? {
        let a = host::read(&fresh.join(&name))?;
        let b = host::read(&committed.join(&name)).unwrap_or_default();
        if host::without_dates(&a) != host::without_dates(&b) {
            differing.push(name);
        }
    }
    if differing.is_empty() {
        println!("all regenerated files match the committed ones");
        Ok(())
    } else {
        Err(format!("regenerated files differ from the committed ones: {}", differing.join(", ")))
    }
}
