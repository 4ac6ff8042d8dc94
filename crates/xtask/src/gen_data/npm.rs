//! The npm catalog: npm's own lockfile for each top-level package (`npm install
//! --package-lock-only`), then every package version's registry tarball read for its files.
//! The registry this machine reaches omits `dist.unpackedSize`, so sizes come from the tarballs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use layerlab_catalog::image::FORMAT;
use layerlab_catalog::manifest::{self, Kind};
use layerlab_catalog::npm::{NpmIndex, NpmPackage};
use layerlab_catalog::source::Source;
use serde_json::Value;

use super::host::{self, sh};
use super::{rootfs, work_dir};

const REQUESTED: &str = include_str!("npm-packages.txt");
const REGISTRY: &str = "https://registry.npmjs.org";

fn dir() -> PathBuf {
    work_dir().join("npm")
}

fn requested() -> Vec<String> {
    super::names(REQUESTED)
}

pub fn generate(out: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir().join("tarballs")).map_err(|e| e.to_string())?;
    let mut requests = BTreeMap::new();
    let mut packages = BTreeMap::new();
    for name in requested() {
        let (lock, text) = lockfile(&name)?;
        let raw = raw_entries(&text);
        let mut tree = Vec::new();
        for (path, entry) in lock["packages"].as_object().ok_or("lockfile without packages")? {
            let Some(version) = entry["version"].as_str() else { continue };
            // An alias (`"x": "npm:react-is@18"`) sits at one path but is another package.
            let folder = path.rsplit("node_modules/").next().unwrap_or(path);
            let package = entry["name"].as_str().unwrap_or(folder).to_string();
            let key = format!("{package}@{version}");
            if !packages.contains_key(&key) {
                packages.insert(key.clone(), read_package(&package, version, entry, raw.get(path.as_str()).cloned().unwrap_or_default())?);
            }
            tree.push((path.clone(), key));
        }
        requests.insert(name, tree);
    }
    let packuments = packument_sizes(&dir().join("cache").join("_cacache"))?;
    let index = NpmIndex {
        format: FORMAT,
        source: Source {
            fidelity: "exact".into(),
            generator: "cargo xtask gen-data npm".into(),
            date: host::today()?,
            tools: vec![format!("npm {}", sh("npm --version 2>/dev/null")?.trim()), format!("node {}", sh("node --version")?.trim())],
            origin: format!("{REGISTRY} (lockfiles from npm install --package-lock-only --ignore-scripts; files from each version's tarball)"),
            pinned: packages.keys().cloned().collect(),
            rewrites: vec!["install scripts are not run (--ignore-scripts): packages that build or download native code at install time (none of the listed top-level ones require it) would add more".into()],
        },
        packages,
        requests,
        packuments,
    };
    host::write_json(&out.join("npm").join("registry.json"), &index)
}

/// The size of every registry document in npm's cache (cacache's index lines are
/// `hash<TAB>json`, the JSON naming the URL and its size).
fn packument_sizes(cache: &Path) -> Result<BTreeMap<String, u64>, String> {
    let prefix = format!("make-fetch-happen:request-cache:{REGISTRY}/");
    let text = sh(&format!("find {} -type f -exec cat {{}} +", cache.join("index-v5").display()))?;
    let mut sizes = BTreeMap::new();
    for line in text.lines() {
        let Some((_, json)) = line.split_once('\t') else { continue };
        let Ok(entry) = serde_json::from_str::<Value>(json) else { continue };
        let (Some(key), Some(size)) = (entry["key"].as_str(), entry["size"].as_u64()) else { continue };
        if let Some(name) = key.strip_prefix(&prefix).filter(|n| !n.contains("/-/")) {
            sizes.insert(name.replace("%2f", "/").replace("%2F", "/"), size);
        }
    }
    Ok(sizes)
}

/// Each `packages` entry's lines as npm wrote them (fields at six spaces), without the flags
/// that depend on where the package sits in a tree.
fn raw_entries(text: &str) -> BTreeMap<&str, String> {
    let mut entries = BTreeMap::new();
    let mut current: Option<(&str, String)> = None;
    for line in text.lines() {
        if let Some((path, body)) = current.as_mut() {
            if line == "    }" || line == "    }," {
                entries.insert(*path, std::mem::take(body));
                current = None;
            } else if !["dev", "optional", "peer", "devOptional"].iter().any(|f| line.trim_end_matches(',') == format!("      \"{f}\": true")) {
                body.push_str(line);
                body.push('\n');
            }
            continue;
        }
        if let Some(path) = line.strip_prefix("    \"").and_then(|l| l.strip_suffix("\": {")) {
            current = Some((path, String::new()));
        }
    }
    entries
}

fn lockfile(name: &str) -> Result<(Value, String), String> {
    let work = dir().join("lock").join(name.replace('/', "__"));
    sh(&format!(
        "rm -rf {w} && mkdir -p {w} && cd {w} && echo '{{}}' > package.json && npm install {name} --package-lock-only --ignore-scripts --no-audit --no-fund --omit-lockfile-registry-resolved=false --cache {c} >/dev/null 2>&1",
        w = work.display(),
        c = dir().join("cache").display()
    ))?;
    let text = host::read(&work.join("package-lock.json"))?;
    let value = serde_json::from_str(&text).map_err(|e| format!("{name}: lockfile: {e}"))?;
    Ok((value, text))
}

fn read_package(name: &str, version: &str, lock: &Value, lock_text: String) -> Result<NpmPackage, String> {
    let base = name.rsplit('/').next().unwrap_or(name);
    let tgz = dir().join("tarballs").join(format!("{}-{version}.tgz", name.replace('/', "__")));
    sh(&format!("test -s {t} || curl -sfL -o {t} {REGISTRY}/{name}/-/{base}-{version}.tgz", t = tgz.display()))?;
    let bytes = std::fs::read(&tgz).map_err(|e| format!("{}: {e}", tgz.display()))?;
    let mut entries = rootfs::entries(flate2::read::GzDecoder::new(&bytes[..]))?;
    entries.retain(|e| e.kind == Kind::File);
    for e in &mut entries {
        // Tarballs put everything under one top folder, usually `package/`.
        if let Some((_, rest)) = e.path.split_once('/') {
            e.path = rest.to_string();
        }
        e.mode = if e.mode & 0o111 != 0 { 0o755 } else { 0o644 };
    }
    let strings = |key: &str| -> BTreeMap<String, String> {
        lock[key].as_object().map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect()).unwrap_or_default()
    };
    Ok(NpmPackage { dependencies: strings("dependencies"), bin: strings("bin"), tarball_size: bytes.len() as u64, files: manifest::encode(&entries), lock: lock_text })
}
