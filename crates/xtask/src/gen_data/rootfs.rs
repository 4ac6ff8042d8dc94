//! A root filesystem tar (as `debuerreotype-tar` or the Alpine minirootfs ship it) turned into
//! a layer: the manifest of every entry, and the bytes of the small text files a learner opens.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use layerlab_catalog::image::LayerData;
use layerlab_catalog::manifest::{self, Entry, Kind};

/// Text files kept as bytes whatever their size: the package databases the simulated
/// package managers read and extend.
const ALWAYS_KEPT: &[&str] = &[
    "var/lib/dpkg/status",
    "var/lib/apt/extended_states",
    "lib/apk/db/installed",
    "usr/lib/os-release",
    "root/.bashrc",
    "root/.profile",
    // Where `npm --version` reads npm's version in the node images.
    "usr/local/lib/node_modules/npm/package.json",
];

/// Other text files are kept when they sit under these folders and are at most this big.
const KEPT_FOLDERS: &[&str] = &["etc/"];
const KEPT_MAX_BYTES: u64 = 8 * 1024;

pub fn read_tar(path: &Path) -> Result<LayerData, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut archive = tar::Archive::new(reader);
    let mut entries = Vec::new();
    let mut files = BTreeMap::new();
    for item in archive.entries().map_err(|e| e.to_string())? {
        let mut item = item.map_err(|e| e.to_string())?;
        let Some(entry) = to_entry(&item)? else { continue };
        if keep_bytes(&entry) {
            let mut bytes = Vec::new();
            item.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
            if let Ok(text) = String::from_utf8(bytes) {
                files.insert(entry.path.clone(), text);
            }
        }
        entries.push(entry);
    }
    Ok(LayerData { manifest: manifest::encode(&entries), files })
}

fn to_entry<R: Read>(item: &tar::Entry<R>) -> Result<Option<Entry>, String> {
    let header = item.header();
    let raw = item.path().map_err(|e| e.to_string())?;
    let path = raw.to_string_lossy().trim_start_matches("./").trim_end_matches('/').to_string();
    if path.is_empty() || path == "." {
        return Ok(None);
    }
    let kind = match header.entry_type() {
        tar::EntryType::Regular | tar::EntryType::Continuous => Kind::File,
        tar::EntryType::Directory => Kind::Dir,
        tar::EntryType::Symlink => Kind::Symlink,
        tar::EntryType::Link => Kind::Hardlink,
        tar::EntryType::Char => Kind::CharDevice,
        tar::EntryType::Block => Kind::BlockDevice,
        tar::EntryType::Fifo => Kind::Fifo,
        // pax headers carry metadata for the entries after them, not entries.
        tar::EntryType::XGlobalHeader | tar::EntryType::XHeader => return Ok(None),
        other => return Err(format!("{path}: unexpected tar entry type {other:?}")),
    };
    let link = match item.link_name().map_err(|e| e.to_string())? {
        Some(target) => target.to_string_lossy().trim_start_matches("./").to_string(),
        None => String::new(),
    };
    let num = |r: std::io::Result<u64>| r.map_err(|e| format!("{path}: {e}"));
    Ok(Some(Entry {
        kind,
        mode: header.mode().map_err(|e| e.to_string())? & 0o7777,
        // npm tarballs leave the owner fields blank; blank means root.
        uid: header.uid().unwrap_or(0) as u32,
        gid: header.gid().unwrap_or(0) as u32,
        size: if kind == Kind::File { num(header.size())? } else { 0 },
        link,
        path,
    }))
}

pub fn keep_bytes(entry: &Entry) -> bool {
    entry.kind == Kind::File
        && (ALWAYS_KEPT.contains(&entry.path.as_str())
            || (entry.size <= KEPT_MAX_BYTES
                && KEPT_FOLDERS.iter().any(|dir| entry.path.starts_with(dir))))
}

/// Every entry of an uncompressed tar stream (a .deb's data or control member).
pub fn entries<R: Read>(reader: R) -> Result<Vec<Entry>, String> {
    let mut archive = tar::Archive::new(reader);
    let mut entries = Vec::new();
    for item in archive.entries().map_err(|e| e.to_string())? {
        if let Some(entry) = to_entry(&item.map_err(|e| e.to_string())?)? {
            entries.push(entry);
        }
    }
    Ok(entries)
}

/// The newest modification time in a tar: when the artifact was made.
pub fn newest_mtime(path: &Path) -> Result<i64, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut newest = 0;
    for item in archive.entries().map_err(|e| e.to_string())? {
        let item = item.map_err(|e| e.to_string())?;
        newest = newest.max(item.header().mtime().map_err(|e| e.to_string())? as i64);
    }
    Ok(newest)
}
