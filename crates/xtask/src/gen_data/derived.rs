//! Images built on a modelled base by running their official Dockerfile's steps in a chroot
//! of the base's root filesystem: each `RUN` becomes the layer it really makes; ENV, CMD and
//! the like are empty history rows. Downloads the machine cannot reach are replaced by the
//! same artifacts from a reachable registry, placed in `/layerlab-inputs` (never in a layer).

use std::path::{Path, PathBuf};

use layerlab_catalog::image::{Config, History, ImageFile, LayerData, FORMAT};
use layerlab_catalog::manifest::{self, Entry, Kind};
use layerlab_catalog::source::Source;

use super::host::{self, sh};
use super::{debian, snapshot, work_dir};

pub enum Step {
    /// A `RUN` as the history shows it, and the script that does its work here.
    Run { created_by: String, script: String },
    /// A `COPY` of one file from the build context: destination path, mode and size (a
    /// sized entry: the bytes of the upstream file are not copied into this repository).
    CopyFile { created_by: String, path: String, mode: u32, size: u64 },
    /// ENV, CMD, ENTRYPOINT, EXPOSE...: a history row without a layer.
    Meta(String),
}

pub struct Recipe {
    pub name: &'static str,
    pub base: &'static str,
    /// When the official image was built (RFC 3339), for every history row.
    pub created: &'static str,
    pub fidelity: String,
    pub origin: String,
    pub tools: Vec<String>,
    pub rewrites: Vec<String>,
    /// Files to place in `/layerlab-inputs`: (name in that folder, local path).
    pub inputs: Vec<(String, PathBuf)>,
    pub steps: Vec<Step>,
    pub config: Config,
}

pub fn build(recipe: Recipe) -> Result<ImageFile, String> {
    let root = fresh_slim_root(&recipe.name.replace([':', '/'], "_"), &recipe.inputs)?;
    let mut history = Vec::new();
    let mut layers = Vec::new();
    let buildkit = "buildkit.dockerfile.v0".to_string();
    for step in &recipe.steps {
        let (created_by, layer) = match step {
            Step::Run { created_by, script } => (created_by.clone(), Some(snapshot::run_step(&root, script)?)),
            Step::CopyFile { created_by, path, mode, size } => (created_by.clone(), Some(copy_layer(path, *mode, *size))),
            Step::Meta(created_by) => (created_by.clone(), None),
        };
        history.push(History { created: recipe.created.into(), created_by, empty_layer: layer.is_none(), comment: buildkit.clone() });
        layers.extend(layer);
    }
    sh(&format!("rm -rf {}/layerlab-inputs", root.display()))?;
    let pinned = sh(&format!("dpkg-query --admindir={}/var/lib/dpkg -W -f '${{Package}}=${{Version}}\\n' | sort", root.display()))?;
    Ok(ImageFile {
        format: FORMAT,
        name: recipe.name.into(),
        source: Source {
            fidelity: recipe.fidelity,
            generator: "cargo xtask gen-data images".into(),
            date: host::today()?,
            tools: recipe.tools,
            origin: recipe.origin,
            pinned: pinned.lines().map(str::to_string).collect(),
            rewrites: recipe.rewrites,
        },
        platform: "linux/amd64".into(),
        config: recipe.config,
        base: Some(recipe.base.into()),
        history,
        layers,
    })
}

/// A chroot of debian:bookworm-slim as published (the tar, not the work folder, which still
/// holds apt lists) under `derived/NAME`, with `inputs` placed in `/layerlab-inputs`.
pub fn fresh_slim_root(name: &str, inputs: &[(String, PathBuf)]) -> Result<PathBuf, String> {
    let root = work_dir().join("derived").join(name);
    sh(&format!(
        "rm -rf {r} && mkdir -p {r}/layerlab-inputs && tar -xf {tar} -C {r} && cp {slim}/debuerreotype-epoch {r}/",
        r = root.display(),
        tar = debian::slim_tar().display(),
        slim = debian::slim_rootfs().display()
    ))?;
    for (name, path) in inputs {
        sh(&format!("cp {} {}/layerlab-inputs/{name}", path.display(), root.display()))?;
    }
    Ok(root)
}

/// The layer of a `COPY` of one file: its parent folders, and the file.
fn copy_layer(path: &str, mode: u32, size: u64) -> LayerData {
    let mut entries = Vec::new();
    let mut parent = String::new();
    for part in path.split('/').filter(|p| !p.is_empty()).collect::<Vec<_>>().split_last().map(|(_, dirs)| dirs.to_vec()).unwrap_or_default() {
        parent = if parent.is_empty() { part.to_string() } else { format!("{parent}/{part}") };
        entries.push(Entry { path: parent.clone(), kind: Kind::Dir, mode: 0o755, uid: 0, gid: 0, size: 0, link: String::new() });
    }
    let file = path.trim_start_matches('/').to_string();
    entries.push(Entry { path: file, kind: Kind::File, mode, uid: 0, gid: 0, size, link: String::new() });
    LayerData { manifest: manifest::encode(&entries), files: Default::default() }
}

/// Fetches a registry tarball into the generator's download folder once.
pub fn fetch(url: &str, name: &str) -> Result<PathBuf, String> {
    let dir = work_dir().join("downloads");
    let path = dir.join(name);
    sh(&format!("mkdir -p {d} && (test -s {p} || curl -sfL -o {p} {url})", d = dir.display(), p = path.display()))?;
    Ok(path)
}

pub fn write(out: &Path, image: &ImageFile, file: &str) -> Result<(), String> {
    host::write_json(&out.join("images").join(file), image)
}

/// The history rows after the base image's in a docker-library/repo-info page (from its
/// `History (amd64, in order; verbatim...):` line to `Layers`), the date comments left out.
pub fn repo_info_history(text: &str) -> Result<Vec<String>, String> {
    Ok(repo_info_rows(text)?.into_iter().map(|(_, line)| line).collect())
}

/// The same rows with their dates (`# Tue, 01 Sep 2026 00:05:24 GMT` above each), RFC 3339.
pub fn repo_info_rows(text: &str) -> Result<Vec<(String, String)>, String> {
    let (_, section) = text.split_once("History (amd64, in order; verbatim").ok_or("no history in the repo-info page")?;
    let section = section.split_once('\n').map_or("", |(_, rest)| rest);
    let section = section.split("\nLayers").next().unwrap_or(section);
    let mut rows = Vec::new();
    let mut date = String::new();
    for line in section.lines() {
        match line.strip_prefix('#') {
            // Comments are the dates; one that is not leaves the last date standing.
            Some(stamp) => date = http_date_to_rfc3339(stamp.trim()).unwrap_or(date),
            None if !line.trim().is_empty() && !line.contains("debian.sh") => rows.push((date.clone(), line.to_string())),
            None => {}
        }
    }
    Ok(rows)
}

/// `Tue, 01 Sep 2026 00:05:24 GMT` → `2026-09-01T00:05:24Z`.
fn http_date_to_rfc3339(stamp: &str) -> Result<String, String> {
    let words: Vec<&str> = stamp.split_whitespace().collect();
    let [_, day, month, year, time, _] = words[..] else { return Err(format!("date {stamp:?}")) };
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let number = months.iter().position(|m| *m == month).ok_or(format!("month in {stamp:?}"))? + 1;
    Ok(format!("{year}-{number:02}-{day}T{time}Z"))
}

/// `docker images` size of an image file's own layers.
pub fn own_size(image: &ImageFile) -> Result<u64, String> {
    let mut total = 0;
    for layer in &image.layers {
        total += manifest::docker_size(&layer.entries().map_err(|e| e.to_string())?);
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_info_rows_carry_the_date_above_them() {
        let text = std::fs::read_to_string(crate::repo::root().join("../shared/data/repo-info/python_3.12-alpine.txt")).unwrap();
        let rows = repo_info_rows(&text).unwrap();
        assert_eq!(rows[0], ("2026-06-16T00:01:29Z".to_string(), "ADD alpine-minirootfs-3.24.1-x86_64.tar.gz / # buildkit".to_string()));
        assert_eq!(rows.last().unwrap(), &("2026-09-01T00:10:30Z".to_string(), "CMD [\"python3\"]".to_string()));
        assert_eq!(repo_info_history(&text).unwrap().len(), rows.len());
    }
}
