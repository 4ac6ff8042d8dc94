//! What `python3 -m venv` writes, recorded in a chroot of debian:bookworm-slim: Debian's
//! Python 3.11 with python3-venv (exact), and the official python image's 3.12 rebuilt from
//! it (approximate: the python image's own interpreter is itself a reconstruction).

use std::path::Path;

use layerlab_catalog::image::{LayerData, FORMAT};
use layerlab_catalog::manifest::{self, Entry, Kind};
use layerlab_catalog::source::Source;
use layerlab_catalog::venv::{VenvIndex, VenvTemplate, RECORDED_AT};

use super::debian::MIRROR;
use super::host::{self, sh};
use super::{derived, python, snapshot};

const SETUP: &str = "apt-get update -qq && apt-get install -y -qq python3-venv";

pub fn generate(out: &Path) -> Result<(), String> {
    let wheel = python::pip_wheel()?;
    let name = wheel.file_name().and_then(|n| n.to_str()).ok_or("pip wheel name")?.to_string();
    let root = derived::fresh_slim_root("venv", &[(name.clone(), wheel.clone())])?;
    snapshot::run_step(&root, SETUP)?;
    // Docker runs RUN with umask 022; the chroot helper does not set one.
    let debian = snapshot::run_step(&root, &format!("umask 022 && cd / && python3 -m venv {RECORDED_AT}"))?;
    snapshot::run_step(&root, &format!("rm -rf {RECORDED_AT}"))?;
    let official = snapshot::run_step(
        &root,
        &format!(
            "umask 022 && cd / && python3 -m venv --without-pip {RECORDED_AT} && {RECORDED_AT}/bin/python3 /layerlab-inputs/{name}/pip install -q --no-cache-dir --no-index --disable-pip-version-check /layerlab-inputs/{name}"
        ),
    )?;
    let version = sh(&format!("debuerreotype-chroot {} python3 -c 'import platform; print(platform.python_version())'", root.display()))?.trim().to_string();
    let pinned = sh(&format!("dpkg-query --admindir={}/var/lib/dpkg -W -f '${{Package}}=${{Version}}\\n' python3.11-venv python3-pip-whl python3-setuptools-whl", root.display()))?;
    let mut venvs = std::collections::BTreeMap::new();
    venvs.insert(
        "/usr/bin/python3".to_string(),
        VenvTemplate { fidelity: "exact".into(), version, home: "/usr/bin".into(), executable: "/usr/bin/python3.11".into(), tree: relative(&root, &debian, |p| p.to_string())? },
    );
    let mut tree = relative(&root, &official, |p| p.replace("python3.11", "python3.12").replace("cpython-311", "cpython-312").replace("pip3.11", "pip3.12"))?;
    tree.manifest = tree.manifest.replace("\t/usr/bin/python3\n", "\t/usr/local/bin/python3\n");
    venvs.insert(
        "/usr/local/bin/python3".to_string(),
        VenvTemplate {
            fidelity: format!("approximate: made by Debian's Python 3.11 with --without-pip, then pip {} installed from its PyPI wheel as ensurepip installs it; 3.11 names renamed for 3.12", python::PIP),
            version: python::PYTHON.into(),
            home: "/usr/local/bin".into(),
            executable: "/usr/local/bin/python3.12".into(),
            tree,
        },
    );
    let index = VenvIndex {
        format: FORMAT,
        source: Source {
            fidelity: "exact for /usr/bin/python3 (Debian bookworm); approximate for /usr/local/bin/python3 (the python image)".into(),
            generator: "cargo xtask gen-data venv".into(),
            date: host::today()?,
            tools: vec![host::deb_tool("debuerreotype")?],
            origin: format!("{MIRROR} bookworm (python3-venv); https://files.pythonhosted.org (pip {})", python::PIP),
            pinned: pinned.lines().map(str::to_string).collect(),
            rewrites: vec![
                format!("made in {RECORDED_AT}; the simulator writes the real folder into the text files that name it and adjusts each .pyc by the path's length (each records its source path once)"),
                "pyvenv.cfg's bytes are left out: the simulator writes it from home, version, executable and the command line, as venv does".into(),
            ],
        },
        venvs,
    };
    host::write_json(&out.join("pip/venvs.json"), &index)
}

/// The entries under the recorded folder, relative to it and renamed by `rename`; the bytes
/// of the scripts in `bin/` (they name the folder), read from the chroot.
fn relative(root: &Path, layer: &LayerData, rename: impl Fn(&str) -> String) -> Result<LayerData, String> {
    let prefix = format!("{}/", RECORDED_AT.trim_start_matches('/'));
    let mut entries: Vec<Entry> = Vec::new();
    let mut files = std::collections::BTreeMap::new();
    for e in layer.entries().map_err(|e| e.to_string())? {
        let Some(path) = e.path.strip_prefix(&prefix) else { continue };
        if path == "pyvenv.cfg" {
            entries.push(Entry { path: path.into(), ..e });
            continue;
        }
        if e.kind == Kind::File && path.starts_with("bin/") {
            let text = host::read(&root.join(&e.path))?;
            files.insert(rename(path), text);
        }
        entries.push(Entry { path: rename(path), link: e.link.clone(), ..e });
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(LayerData { manifest: manifest::encode(&entries), files })
}
