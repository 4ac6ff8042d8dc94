//! The apk catalog of Alpine 3.20 (`static/data/apk/v3.20.json`), from the public records
//! gathered in `apk-packages.txt` (no Alpine package index is reachable from here) and the
//! minirootfs's repository list.

use std::collections::BTreeMap;
use std::path::Path;

use layerlab_catalog::apk::{ApkIndex, Package, INDEX_FILE};
use layerlab_catalog::image::FORMAT;
use layerlab_catalog::manifest::{self, Entry, Kind};
use layerlab_catalog::source::Source;

use super::host::{self, sh};

const FACTS: &str = include_str!("apk-packages.txt");

/// What `apk update` printed on alpine 3.20.3 after its fetches (a public build log).
const UPDATE: &[&str] = &[
    "v3.20.3-119-gbca3ad8e9ed [https://dl-cdn.alpinelinux.org/alpine/v3.20/main]",
    "v3.20.3-119-gbca3ad8e9ed [https://dl-cdn.alpinelinux.org/alpine/v3.20/community]",
    "OK: 24163 distinct packages available",
];

/// The index cache's size: `du -h /var/cache/apk` gave 2.5M for an Alpine of late 2023
/// (fluent/fluentd-docker-image#365), split between the repositories by their package counts
/// in Alpine 3.21 (5,536 main, 19,847 community; repology/repology-updater#1452).
const INDEX_CACHE_BYTES: [u64; 2] = [571_700, 2_049_740];

/// A size listing: whether it counts whole 4 KiB blocks per entry (apk-tools 2.14.4, Alpine
/// 3.20) or file bytes (later apk-tools).
fn counts_blocks(source: &str) -> Result<bool, String> {
    match source {
        "wp320" | "mw320" => Ok(true),
        "rust321" | "comp324" | "py324" => Ok(false),
        other => Err(format!("apk-packages.txt: unknown size source {other}")),
    }
}

pub fn generate(out: &Path) -> Result<(), String> {
    let repositories = repositories()?;
    let packages = parse(FACTS)?;
    let pinned = packages.iter().map(|(name, p)| format!("{name}={}", p.version)).collect();
    let index = ApkIndex {
        format: FORMAT,
        source: Source {
            fidelity: "approximate: package names, versions, dependencies and install order from public build logs of alpine:3.20; installed sizes from published `apk info` listings (docker-library/repo-info), some of them of later Alpine releases; file lists reduced to each package's main files".into(),
            generator: "cargo xtask gen-data apk".into(),
            date: host::today()?,
            tools: vec!["records read by hand from the stored GitHub index (crates/xtask/src/gen_data/apk-packages.txt)".into()],
            origin: "dl-cdn.alpinelinux.org/alpine/v3.20 as public records describe it (the index itself is not reachable)".into(),
            pinned,
            rewrites: vec![
                "a package's installed size is spread evenly over its listed files, less what apk's block counting adds (half a block a file, a block a symlink)".into(),
                "the index cache's sizes are modelled: 2.5 MiB (du of an Alpine of late 2023) split by the repositories' package counts".into(),
            ],
        },
        repositories: repositories.clone(),
        update: UPDATE.iter().map(|s| s.to_string()).collect(),
        index_cache: index_cache(&repositories)?,
        packages,
    };
    host::write_json(&out.join(INDEX_FILE), &index)
}

/// The minirootfs's /etc/apk/repositories.
fn repositories() -> Result<Vec<String>, String> {
    let tar = crate::repo::root().join("../shared/data/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz");
    let text = sh(&format!("tar -xzOf {} ./etc/apk/repositories", tar.display()))?;
    Ok(text.lines().filter(|l| !l.trim().is_empty()).map(str::to_string).collect())
}

/// `var/cache/apk/APKINDEX.<first 8 hex digits of the repository line's SHA-1>.tar.gz`, as
/// apk-tools 2 names them.
fn index_cache(repositories: &[String]) -> Result<String, String> {
    let mut entries = Vec::new();
    for (repository, size) in repositories.iter().zip(INDEX_CACHE_BYTES) {
        let hash = sh(&format!("printf %s '{repository}' | sha1sum | cut -c1-8"))?;
        entries.push(Entry { path: format!("var/cache/apk/APKINDEX.{}.tar.gz", hash.trim()), kind: Kind::File, mode: 0o644, uid: 0, gid: 0, size, link: String::new() });
    }
    Ok(manifest::encode(&entries))
}

/// The records of apk-packages.txt.
fn parse(text: &str) -> Result<BTreeMap<String, Package>, String> {
    let mut packages = BTreeMap::new();
    for (rank, block) in text.split("\n\n").filter(|b| b.lines().any(|l| l.starts_with("P:"))).enumerate() {
        let (name, mut package) = record(block)?;
        package.rank = rank as u32;
        packages.insert(name, package);
    }
    Ok(packages)
}

fn record(block: &str) -> Result<(String, Package), String> {
    let mut name = String::new();
    let mut package = Package::default();
    let mut size = None;
    let mut paths = Vec::new();
    for line in block.lines().filter(|l| !l.starts_with('#')) {
        let Some((key, value)) = line.split_once(':') else { return Err(format!("apk-packages.txt: {line:?}")) };
        let words = || value.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        match key {
            "P" => name = value.to_string(),
            "V" => package.version = value.to_string(),
            "T" => package.description = value.to_string(),
            "U" => package.url = value.to_string(),
            "L" => package.license = value.to_string(),
            "I" => size = Some(published_size(value)?),
            "D" => package.depends = words(),
            "i" => package.install_if = words(),
            "p" => package.provides = words(),
            "F" => paths.push(value.to_string()),
            "m" => package.messages.push(value.to_string()),
            _ => return Err(format!("apk-packages.txt: unknown field {key} in {name}")),
        }
    }
    let entries = match size {
        Some((bytes, source)) => {
            let (entries, installed) = sized_entries(&paths, bytes, counts_blocks(&source)?);
            package.installed_size = Some(installed);
            package.size_source = source;
            entries
        }
        None => sized_entries(&paths, 0, false).0,
    };
    package.files = manifest::encode(&entries);
    Ok((name, package))
}

/// `24 MiB wp320` → (25165824, "wp320").
fn published_size(value: &str) -> Result<(u64, String), String> {
    let mut words = value.split_whitespace();
    let (Some(number), Some(unit), Some(source)) = (words.next(), words.next(), words.next()) else { return Err(format!("apk-packages.txt: size {value:?}")) };
    let number: u64 = number.parse().map_err(|_| format!("apk-packages.txt: size {value:?}"))?;
    let scale = match unit {
        "B" => 1,
        "KiB" => 1024,
        "MiB" => 1024 * 1024,
        _ => return Err(format!("apk-packages.txt: unit in {value:?}")),
    };
    Ok((number * scale, source.to_string()))
}

/// The package's entries with its size spread over its files, and the installed size apk
/// 2.14 would record for them.
fn sized_entries(paths: &[String], published: u64, blocks: bool) -> (Vec<Entry>, u64) {
    let links = paths.iter().filter(|p| p.contains(" -> ")).count() as u64;
    let files = paths.len() as u64 - links;
    let bytes = if blocks { published.saturating_sub(4096 * links + 2048 * files) } else { published };
    let each = bytes.checked_div(files).unwrap_or(0);
    let mut first = true;
    let entries: Vec<Entry> = paths
        .iter()
        .map(|p| match p.split_once(" -> ") {
            Some((path, target)) => Entry { path: path.into(), kind: Kind::Symlink, mode: 0o777, uid: 0, gid: 0, size: 0, link: target.into() },
            None => {
                let size = if std::mem::take(&mut first) { bytes - each * (files - 1) } else { each };
                Entry { path: p.clone(), kind: Kind::File, mode: file_mode(p), uid: 0, gid: 0, size, link: String::new() }
            }
        })
        .collect();
    let installed = if blocks || files == 0 {
        published
    } else {
        entries.iter().map(|e| if e.kind == Kind::File { e.size.div_ceil(4096) * 4096 } else { 4096 }).sum()
    };
    (entries, installed)
}

fn file_mode(path: &str) -> u32 {
    let program = ["bin/", "sbin/", "usr/bin/", "usr/sbin/", "usr/libexec/"].iter().any(|d| path.starts_with(d));
    if program || path.contains(".so") { 0o755 } else { 0o644 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_counted_sizes_leave_the_blocks_out_of_the_file_bytes() {
        let paths = vec!["usr/lib/libcares.so.2.18.0".to_string(), "usr/lib/libcares.so.2 -> libcares.so.2.18.0".to_string()];
        let (entries, installed) = sized_entries(&paths, 168 * 1024, true);
        assert_eq!(installed, 172_032);
        assert_eq!(entries[0].size, 172_032 - 4096 - 2048);
        assert_eq!((entries[1].kind, entries[1].link.as_str()), (Kind::Symlink, "libcares.so.2.18.0"));
    }

    #[test]
    fn byte_counted_sizes_are_the_file_bytes_and_apk_rounds_them_to_blocks() {
        let paths = vec!["usr/bin/make".to_string()];
        let (entries, installed) = sized_entries(&paths, 222 * 1024, false);
        assert_eq!(entries[0].size, 227_328);
        assert_eq!(installed, 229_376);
    }

    #[test]
    fn every_record_parses_and_every_dependency_is_a_record_or_a_base_package() {
        let packages = parse(FACTS).unwrap();
        let base = ["musl", "zlib", "libcrypto3", "libssl3", "busybox"];
        for (name, p) in &packages {
            for d in p.depends.iter().chain(&p.install_if) {
                assert!(packages.contains_key(d) || base.contains(&d.as_str()), "{name} needs {d}");
            }
        }
        assert_eq!(packages["python3"].installed_size, Some(24 * 1024 * 1024));
        assert_eq!(packages["nodejs"].installed_size, None);
    }
}
