//! The image index (`images/index.json`): every modelled image with its aliases, fidelity and
//! `docker images` size, plus `scratch`, the empty image. Written from the image files the
//! other parts generated, so it always matches them.

use std::path::Path;

use layerlab_catalog::image::{ImageFile, FORMAT};
use layerlab_catalog::index::{ImageIndex, IndexEntry};

use super::host;

/// Tags that name the same image as a modelled one.
/// The repo-info page each image's published platforms are read from.
const PLATFORMS_FROM: &[(&str, &str)] = &[
    ("alpine:3.20", "alpine_3.21.8.txt"),
    ("debian:bookworm", "debian_bookworm.txt"),
    ("debian:bookworm-slim", "debian_bookworm-slim.txt"),
    ("nginx:1.27", "nginx_stable.txt"),
    ("node:20-slim", "node_22-slim.txt"),
    ("python:3.12-alpine", "python_3.12-alpine.txt"),
    ("python:3.12-slim", "python_3.12-slim.txt"),
    ("ubuntu:22.04", "ubuntu_22.04.txt"),
    ("ubuntu:24.04", "ubuntu_24.04.txt"),
];

/// Platforms read from repo-info pages that are not in the shared folder: rust's from
/// repos/rust/remote/1.97.1-slim-bookworm.md @0afc2e650567832081c4e35a2945c6c66b4561d7.
const PLATFORMS_LISTED: &[(&str, &[&str])] = &[("rust:1-slim", &["linux/amd64", "linux/arm/v7", "linux/arm64", "linux/386", "linux/ppc64le"])];

const ALIASES: &[(&str, &[&str])] = &[
    ("alpine:3.20", &["alpine:3.20.3", "alpine:3", "alpine:latest"]),
    ("debian:bookworm", &["debian:12"]),
    ("debian:bookworm-slim", &["debian:12-slim"]),
    ("nginx:1.27", &["nginx:1.27.4", "nginx:1.27-bookworm", "nginx:1.27.4-bookworm"]),
    ("node:20-slim", &["node:20-bookworm-slim", "node:20.20.2-slim"]),
    ("python:3.12-slim", &["python:3.12-slim-bookworm", "python:3.12.14-slim", "python:3.12.14-slim-bookworm"]),
    ("rust:1-slim", &["rust:1-slim-bookworm", "rust:slim", "rust:slim-bookworm", "rust:1.97-slim", "rust:1.97.1-slim", "rust:1.97.1-slim-bookworm"]),
    ("ubuntu:22.04", &["ubuntu:jammy"]),
    ("ubuntu:24.04", &["ubuntu:noble", "ubuntu:latest"]),
];

pub fn generate(out: &Path) -> Result<(), String> {
    let mut images = vec![IndexEntry {
        name: "scratch".into(),
        aliases: Vec::new(),
        file: String::new(),
        fidelity: "exact".into(),
        size: 0,
        platforms: Vec::new(),
    }];
    for name in host::list_files(&out.join("images"))? {
        if name == "index.json" {
            continue;
        }
        let file = format!("images/{name}");
        let image = ImageFile::from_json(&host::read(&out.join(&file))?).map_err(|e| e.to_string())?;
        let size = super::derived::own_size(&image)? + base_size(&image, &images)?;
        let aliases = ALIASES.iter().find(|(n, _)| *n == image.name).map(|(_, a)| a.iter().map(|s| s.to_string()).collect()).unwrap_or_default();
        let platforms = platforms(&image.name)?;
        images.push(IndexEntry { name: image.name, aliases, file, fidelity: image.source.fidelity, size, platforms });
    }
    host::write_json(&out.join("images").join("index.json"), &ImageIndex { format: FORMAT, images })
}

fn base_size(image: &ImageFile, known: &[IndexEntry]) -> Result<u64, String> {
    match &image.base {
        None => Ok(0),
        Some(base) => known
            .iter()
            .find(|e| &e.name == base)
            .map(|e| e.size)
            .ok_or_else(|| format!("{}: base {base} must be generated first", image.name)),
    }
}

/// `Platforms: linux/amd64, linux/arm/v7, linux/arm64/v8 (+ ...)` → normalised names
/// (`linux/arm64/v8` is `linux/arm64`, as containerd's platform matching treats it).
fn platforms(image: &str) -> Result<Vec<String>, String> {
    if let Some((_, listed)) = PLATFORMS_LISTED.iter().find(|(n, _)| *n == image) {
        return Ok(listed.iter().map(|p| p.to_string()).collect());
    }
    let Some((_, file)) = PLATFORMS_FROM.iter().find(|(n, _)| *n == image) else { return Ok(vec!["linux/amd64".into()]) };
    let text = host::read(&crate::repo::root().join("../shared/data/repo-info").join(file))?;
    let line = text.lines().find_map(|l| l.strip_prefix("Platforms: ")).ok_or_else(|| format!("{file}: no Platforms line"))?;
    Ok(line
        .split(',')
        .filter_map(|p| p.split_whitespace().next())
        .filter(|p| p.starts_with("linux/"))
        .map(|p| p.trim_end_matches("/v8").to_string())
        .collect())
}
