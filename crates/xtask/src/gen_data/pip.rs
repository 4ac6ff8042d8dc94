//! The PyPI catalog: pip's own resolution of each top-level project for CPython 3.12 on
//! manylinux x86_64 (`pip install --dry-run --report`), then every wheel downloaded and read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use layerlab_catalog::image::FORMAT;
use layerlab_catalog::manifest::{self, Entry, Kind};
use layerlab_catalog::pep440::Version;
use layerlab_catalog::pip::{normalize, Distribution, PipIndex};
use layerlab_catalog::source::Source;
use serde::Deserialize;

use super::host::{self, sh};
use super::work_dir;

const REQUESTED: &str = include_str!("pip-packages.txt");
const WHEEL_FILES: &str = include_str!("wheel_files.py");
const TARGET: &str = "--only-binary=:all: --platform manylinux2014_x86_64 --python-version 3.12 --implementation cp --abi cp312";

fn dir() -> PathBuf {
    work_dir().join("pip")
}

fn requested() -> Vec<String> {
    super::names(REQUESTED)
}

/// What pip's `--report` says about one distribution to install.
#[derive(Deserialize)]
struct Report {
    install: Vec<Install>,
}

#[derive(Deserialize)]
struct Install {
    download_info: DownloadInfo,
    metadata: Metadata,
}

#[derive(Deserialize)]
struct DownloadInfo {
    url: String,
}

#[derive(Deserialize)]
struct Metadata {
    name: String,
    version: String,
    #[serde(default)]
    requires_dist: Vec<String>,
}

#[derive(Deserialize)]
struct WheelFiles {
    files: Vec<(String, u64, u32)>,
    bytecode: Vec<(String, u64)>,
    console_scripts: Vec<String>,
}

pub fn generate(out: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir()).map_err(|e| e.to_string())?;
    let mut requests = BTreeMap::new();
    let mut distributions = BTreeMap::new();
    for name in requested() {
        let report = resolve(&name)?;
        let mut resolution = Vec::new();
        for install in report.install {
            let m = &install.metadata;
            resolution.push(format!("{}=={}", m.name, m.version));
            let versions: &mut Vec<Distribution> = distributions.entry(normalize(&m.name)).or_default();
            if !versions.iter().any(|d| d.version == m.version) {
                versions.push(read_wheel(&install)?);
                versions.sort_by(|a, b| newest_first(&a.version, &b.version));
            }
        }
        requests.insert(normalize(&name), resolution);
    }
    let pinned = distributions.values().flatten().map(|d: &Distribution| format!("{}=={}", d.name, d.version)).collect();
    let index = PipIndex {
        format: FORMAT,
        source: Source {
            fidelity: "exact".into(),
            generator: "cargo xtask gen-data pip".into(),
            date: host::today()?,
            tools: vec![sh("pip --version")?.split(" from").next().unwrap_or("pip").to_string(), sh("python3 --version")?.trim().to_string()],
            origin: format!("PyPI via pip's configured index; pip install --dry-run --report {TARGET}"),
            pinned,
            rewrites: vec![
                "bytecode: .pyc sizes measured by compiling each wheel with the generator's CPython (see tools), named cpython-312 as 3.12 would name them; 3.12's bytecode differs slightly, so these sizes are approximate".into(),
            ],
        },
        distributions,
        requests,
    };
    host::write_json(&out.join("pip").join("cp312-manylinux-x86_64.json"), &index)
}

fn newest_first(a: &str, b: &str) -> std::cmp::Ordering {
    match (Version::parse(a), Version::parse(b)) {
        (Some(a), Some(b)) => b.cmp(&a),
        _ => b.cmp(a),
    }
}

fn resolve(name: &str) -> Result<Report, String> {
    let report = dir().join(format!("{name}.report.json"));
    sh(&format!(
        "unset PIP_FIND_LINKS; pip install --dry-run --ignore-installed --quiet --report {} {TARGET} --target {}/target {name}",
        report.display(),
        dir().display()
    ))?;
    serde_json::from_str(&host::read(&report)?).map_err(|e| format!("{name}: pip report: {e}"))
}

fn read_wheel(install: &Install) -> Result<Distribution, String> {
    let url = &install.download_info.url;
    let file_name = url.rsplit('/').next().unwrap_or(url).split('#').next().unwrap_or(url).to_string();
    let wheel = dir().join(&file_name);
    sh(&format!("cd {} && wget -q -nc '{url}'", dir().display()))?;
    let script = dir().join("wheel_files.py");
    host::write(&script, WHEEL_FILES)?;
    let listing: WheelFiles = serde_json::from_str(&sh(&format!("python3 {} {}", script.display(), wheel.display()))?)
        .map_err(|e| format!("{file_name}: {e}"))?;
    let file = |path: String, size: u64, mode: u32| Entry { path, kind: Kind::File, mode, uid: 0, gid: 0, size, link: String::new() };
    let files: Vec<Entry> = listing.files.into_iter().map(|(p, s, m)| file(p, s, m)).collect();
    let bytecode: Vec<Entry> = listing
        .bytecode
        .into_iter()
        .map(|(p, s)| file(p.replace(".cpython-311", ".cpython-312"), s, 0o644))
        .collect();
    let m = &install.metadata;
    Ok(Distribution {
        name: m.name.clone(),
        version: m.version.clone(),
        wheel: file_name,
        wheel_size: std::fs::metadata(&wheel).map_err(|e| e.to_string())?.len(),
        requires_dist: m.requires_dist.clone(),
        console_scripts: listing.console_scripts,
        files: manifest::encode(&files),
        bytecode: manifest::encode(&bytecode),
    })
}
