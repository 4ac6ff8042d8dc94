//! The pinned toolchain, installed on demand.
//!
//! Each tool is probed first and reused when the pinned version is already on PATH, so a
//! second run costs nothing; a fresh machine installs everything (most of CI's first run).
//! Pins live in one place each: wasm-bindgen in the workspace Cargo.toml, npm packages in
//! package.json (with its committed lock), the rest here. `Trunk.toml` repeats the
//! wasm-bindgen and wasm-opt pins because Trunk reads them there; a test checks they agree.

use crate::progress::{self, note, step};
use crate::repo;
use std::path::Path;
use std::process::Command;

pub const TRUNK_VERSION: &str = "0.21.14";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// What a command needs installed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Toolset {
    /// Building the site: the wasm target, Trunk, wasm-bindgen-cli, binaryen's wasm-opt.
    Site,
    /// Everything `Site` needs, plus Chromium, ChromeDriver and Playwright for the tests.
    Test,
}

pub fn ensure(toolset: Toolset) -> Result<(), String> {
    set_path();
    ensure_wasm_target()?;
    ensure_node()?;
    ensure_npm_packages()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    if toolset == Toolset::Test {
        ensure_chromium()?;
        ensure_image_readers()?;
    }
    Ok(())
}

/// Puts `node_modules/.bin` (binaryen's wasm-opt) and cargo's bin directory first on PATH
/// for this process and everything it starts.
fn set_path() {
    let mut dirs = vec![repo::node_bin()];
    if let Some(home) = std::env::var_os("CARGO_HOME").or_else(cargo_home_default) {
        dirs.push(Path::new(&home).join("bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    if let Ok(joined) = std::env::join_paths(dirs) {
        std::env::set_var("PATH", joined);
    }
}

fn cargo_home_default() -> Option<std::ffi::OsString> {
    std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo").into_os_string())
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = progress::output("rustup", &["target", "list", "--installed"])
        .ok_or("rustup is needed to add the wasm32 target; install Rust with rustup")?;
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    step(&format!("Adding the Rust target {WASM_TARGET} (about 1 minute)"));
    progress::run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

fn ensure_node() -> Result<(), String> {
    if progress::output("node", &["--version"]).is_some()
        && progress::output("npm", &["--version"]).is_some()
    {
        return Ok(());
    }
    step("Installing Node.js and npm from Debian (about 1 minute)");
    apt_install(&["nodejs", "npm"])
}

/// Installs package.json's devDependencies from the committed lock when any pinned package
/// is missing or at another version.
fn ensure_npm_packages() -> Result<(), String> {
    let root = repo::root();
    let missing = pinned_npm_packages()?
        .into_iter()
        .filter(|(name, version)| installed_npm_version(&root, name).as_deref() != Some(version))
        .map(|(name, version)| format!("{name}@{version}"))
        .collect::<Vec<_>>();
    if missing.is_empty() {
        return Ok(());
    }
    step(&format!(
        "Installing npm packages {} from package-lock.json (about 1 minute)",
        missing.join(", ")
    ));
    progress::run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&root)
            // playwright-core drives Debian's Chromium; it must never fetch a browser.
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
}

pub fn pinned_npm_packages() -> Result<Vec<(String, String)>, String> {
    let text = std::fs::read_to_string(repo::root().join("package.json"))
        .map_err(|e| format!("reading package.json: {e}"))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("package.json: {e}"))?;
    let deps = json["devDependencies"]
        .as_object()
        .ok_or("package.json has no devDependencies")?;
    Ok(deps
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
        .collect())
}

fn installed_npm_version(root: &Path, name: &str) -> Option<String> {
    let manifest = root.join("node_modules").join(name).join("package.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(manifest).ok()?).ok()?;
    json["version"].as_str().map(str::to_string)
}

fn ensure_trunk() -> Result<(), String> {
    let wanted = format!("trunk {TRUNK_VERSION}");
    if progress::output("trunk", &["--version"]).as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    step(&format!("Installing trunk {TRUNK_VERSION} (about 13 minutes on 2 cores)"));
    progress::run(Command::new("cargo").args([
        "install",
        "--locked",
        "trunk",
        "--version",
        TRUNK_VERSION,
    ]))
}

fn ensure_wasm_bindgen() -> Result<(), String> {
    let version = wasm_bindgen_version()?;
    let wanted = format!("wasm-bindgen {version}");
    if progress::output("wasm-bindgen", &["--version"]).as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    step(&format!(
        "Installing wasm-bindgen-cli {version} (about 4 minutes on 2 cores)"
    ));
    // Not --locked: the registry mirror lacks one of the crate's locked dependencies.
    progress::run(Command::new("cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &version,
    ]))
}

/// The exact wasm-bindgen version pinned (`=x.y.z`) in the workspace Cargo.toml.
pub fn wasm_bindgen_version() -> Result<String, String> {
    let manifest = std::fs::read_to_string(repo::root().join("Cargo.toml"))
        .map_err(|e| format!("reading Cargo.toml: {e}"))?;
    manifest
        .lines()
        .find_map(|line| {
            let rest = line.trim().strip_prefix("wasm-bindgen")?.trim_start();
            let pin = rest.strip_prefix('=')?.trim().trim_matches('"');
            pin.strip_prefix('=').map(str::to_string)
        })
        .ok_or_else(|| "Cargo.toml must pin wasm-bindgen as \"=x.y.z\"".to_string())
}

fn ensure_chromium() -> Result<(), String> {
    let have = |p: &str| Path::new(p).exists();
    if have("/usr/bin/chromium") && have("/usr/bin/chromedriver") {
        return Ok(());
    }
    step("Installing Debian's chromium and chromium-driver (about 2 minutes)");
    apt_install(&["chromium", "chromium-driver"])
}

/// skopeo and umoci: independent readers of the image archives `layerlab save` writes.
fn ensure_image_readers() -> Result<(), String> {
    if Path::new("/usr/bin/skopeo").exists() && Path::new("/usr/bin/umoci").exists() {
        return Ok(());
    }
    step("Installing Debian's skopeo and umoci (under a minute)");
    apt_install(&["skopeo", "umoci"])
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    if progress::output("id", &["-u"]).as_deref() != Some("0") {
        return Err(format!(
            "missing Debian packages {}; install them with: sudo apt-get install {}",
            packages.join(", "),
            packages.join(" ")
        ));
    }
    note("apt-get update, then install");
    progress::run(Command::new("apt-get").args(["update", "-q"]))?;
    progress::run(
        Command::new("apt-get")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Trunk reads its own copy of the pins; a mismatch would make it look for a tool
    /// version that xtask never installed (and, offline, fail).
    #[test]
    fn trunk_toml_pins_match_installed_versions() {
        let trunk = std::fs::read_to_string(repo::root().join("Trunk.toml")).unwrap();
        let bindgen = wasm_bindgen_version().unwrap();
        assert!(trunk.contains(&format!("wasm_bindgen = \"{bindgen}\"")), "{trunk}");
        let binaryen = pinned_npm_packages()
            .unwrap()
            .into_iter()
            .find(|(n, _)| n == "binaryen")
            .map(|(_, v)| v)
            .unwrap();
        let major = binaryen.split('.').next().unwrap();
        assert!(trunk.contains(&format!("wasm_opt = \"version_{major}\"")), "{trunk}");
        assert!(trunk.contains("offline = true"), "Trunk must never download tools");
    }

    #[test]
    fn wasm_bindgen_is_pinned_exactly() {
        let v = wasm_bindgen_version().unwrap();
        assert_eq!(v.split('.').count(), 3, "{v}");
    }
}
