//! The build context: the files `COPY` and `ADD` see, minus what `.dockerignore` leaves out.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Arc;

use layerlab_dockerfile::ignore::IgnoreFile;
use layerlab_image::fs::{Content, Meta, Snapshot};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextFile {
    pub bytes: Arc<[u8]>,
    pub mode: u32,
    /// Kept in the layer (as BuildKit keeps it), never in the cache key.
    pub mtime: i64,
}

/// Files by their path relative to the context root (`src/app.py`); directories are implied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildContext {
    pub files: BTreeMap<String, ContextFile>,
}

impl BuildContext {
    pub fn new() -> BuildContext {
        BuildContext::default()
    }

    pub fn insert(&mut self, path: &str, bytes: &[u8], mode: u32, mtime: i64) {
        let path = layerlab_dockerfile::path::clean(path);
        self.files.insert(path, ContextFile { bytes: Arc::from(bytes), mode, mtime });
    }

    /// A text file with mode 0644 and mtime 0 (tests, examples).
    pub fn with_text(mut self, path: &str, text: &str) -> BuildContext {
        self.insert(path, text.as_bytes(), 0o644, 0);
        self
    }

    /// `<Dockerfile>.dockerignore` next to the Dockerfile wins over `.dockerignore`.
    pub fn ignore_file(&self, dockerfile_name: &str) -> Option<(String, &ContextFile)> {
        let specific = format!("{dockerfile_name}.dockerignore");
        let found = [specific.as_str(), ".dockerignore"].into_iter().find_map(|name| self.files.get(name).map(|f| (name.to_string(), f)));
        found
    }

    pub fn ignore_rules(&self, dockerfile_name: &str) -> IgnoreFile {
        self.ignore_file(dockerfile_name)
            .map(|(_, f)| IgnoreFile::parse(&String::from_utf8_lossy(&f.bytes)))
            .unwrap_or_default()
    }

    /// What the builder receives: every file `.dockerignore` keeps, as a snapshot that COPY
    /// reads like any other source. Owners are root, as the builder records them.
    pub fn snapshot(&self, ignore: &IgnoreFile) -> Snapshot {
        let dir = Meta { mode: 0o755, uid: 0, gid: 0, mtime: 0 };
        let mut fs = Snapshot::empty(dir);
        for (path, file) in self.files.iter().filter(|(p, _)| !ignore.excludes(p)) {
            let path = format!("/{path}");
            if let Some((parent, _)) = path.rsplit_once('/') {
                let _ = fs.mkdir_all(if parent.is_empty() { "/" } else { parent }, dir);
            }
            let meta = Meta { mode: file.mode & 0o7777, uid: 0, gid: 0, mtime: file.mtime };
            let _ = fs.write_file(&path, Content::Bytes(file.bytes.clone()), meta);
        }
        fs
    }

    /// The size of the tar the classic builder sends ("Sending build context to Docker
    /// daemon"): per file a 512-byte header and its data in 512-byte blocks, per directory a
    /// header, and the two zero blocks that end a tar. `write_tar` writes exactly this tar.
    pub fn legacy_tar_size(&self, ignore: &IgnoreFile, dockerfile_name: &str) -> u64 {
        let entries = self.sent(ignore, dockerfile_name);
        let size = |e: &Sent| e.file.map_or(512, |f| 512 + (f.bytes.len() as u64).div_ceil(512) * 512);
        entries.iter().map(size).sum::<u64>() + 1024
    }

    /// The build context as the docker CLI sends it, a tar that `docker build - < context.tar`
    /// accepts: what `.dockerignore` keeps, plus the Dockerfile and `.dockerignore` themselves.
    pub fn write_tar<W: Write>(&self, ignore: &IgnoreFile, dockerfile_name: &str, out: W) -> io::Result<W> {
        let mut tar = tar::Builder::new(out);
        for entry in self.sent(ignore, dockerfile_name) {
            let mut h = tar::Header::new_ustar();
            h.set_uid(0);
            h.set_gid(0);
            h.set_size(0);
            h.set_mtime(0);
            match entry.file {
                None => {
                    h.set_entry_type(tar::EntryType::Directory);
                    h.set_mode(0o755);
                    tar.append_data(&mut h, format!("{}/", entry.path), io::empty())?;
                }
                Some(file) => {
                    // Go's tar writer (the docker CLI's) marks regular files '0'.
                    h.set_entry_type(tar::EntryType::Regular);
                    h.set_mode(file.mode & 0o7777);
                    h.set_mtime(file.mtime.max(0) as u64);
                    h.set_size(file.bytes.len() as u64);
                    tar.append_data(&mut h, &entry.path, &file.bytes[..])?;
                }
            }
        }
        tar.into_inner()
    }

    /// What the CLI puts in the context tar, in the order its directory walk gives: names
    /// sorted within each directory, a directory before what it holds. The Dockerfile and
    /// `.dockerignore` are sent even when excluded.
    fn sent(&self, ignore: &IgnoreFile, dockerfile_name: &str) -> Vec<Sent<'_>> {
        let always = |p: &str| p == dockerfile_name || p == ".dockerignore";
        let mut entries: BTreeMap<Vec<&str>, Option<&ContextFile>> = BTreeMap::new();
        for (path, file) in self.files.iter().filter(|(p, _)| always(p) || !ignore.excludes(p)) {
            let parts: Vec<&str> = path.split('/').collect();
            for depth in 1..parts.len() {
                entries.entry(parts[..depth].to_vec()).or_insert(None);
            }
            entries.insert(parts, Some(file));
        }
        entries.into_iter().map(|(parts, file)| Sent { path: parts.join("/"), file }).collect()
    }
}

/// One entry of the context tar: a directory (no file) or a file.
struct Sent<'a> {
    path: String,
    file: Option<&'a ContextFile>,
}
