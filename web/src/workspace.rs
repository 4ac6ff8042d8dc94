//! The user's workspace: the Dockerfile, the build context's files and the build settings.
//! It is everything the page saves, shares and exports; nothing in it is derived.

use std::collections::BTreeMap;

use layerlab_engine::{BuildContext, BuildRequest, Builder};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use layerlab_dockerfile::ignore::IgnoreFile;
use serde::{Deserialize, Serialize};

pub const DOCKERFILE: &str = "Dockerfile";

/// Files larger than this are not taken in: the workspace lives in the browser's storage
/// (about 5 MB for the whole page) and in share links.
pub const MAX_FILE_BYTES: usize = 1_000_000;

/// One file of the build context (the Dockerfile is one too: `COPY . .` copies it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceFile {
    pub text: String,
    /// Seconds since the epoch of the last edit: the mtime COPY gives the file in a layer.
    #[serde(default)]
    pub mtime: i64,
    /// Bytes that are not UTF-8 text (an uploaded image, a tarball for ADD): `text` holds
    /// them base64-encoded, and the editor shows them without opening them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub binary: bool,
}

impl WorkspaceFile {
    pub fn text(text: &str, mtime: i64) -> WorkspaceFile {
        WorkspaceFile { text: text.into(), mtime, binary: false }
    }

    /// Text when the bytes are UTF-8, base64 otherwise.
    pub fn from_bytes(bytes: Vec<u8>, mtime: i64) -> WorkspaceFile {
        match String::from_utf8(bytes) {
            Ok(text) => WorkspaceFile { text, mtime, binary: false },
            Err(e) => WorkspaceFile { text: BASE64.encode(e.as_bytes()), mtime, binary: true },
        }
    }

    pub fn bytes(&self) -> Vec<u8> {
        if self.binary {
            BASE64.decode(&self.text).unwrap_or_default()
        } else {
            self.text.as_bytes().to_vec()
        }
    }

    pub fn size(&self) -> usize {
        if self.binary { self.text.len() / 4 * 3 - self.text.bytes().rev().take_while(|b| *b == b'=').count() } else { self.text.len() }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    /// Which example it started from (shown in the editor's header).
    pub name: String,
    pub files: BTreeMap<String, WorkspaceFile>,
    pub builder: Builder,
    /// The tag the live build gives its image (`docker build -t myapp .`).
    pub tag: String,
}

impl Workspace {
    pub fn new(name: &str, files: &[(&str, &str)]) -> Workspace {
        let files = files.iter().map(|(p, t)| (p.to_string(), WorkspaceFile::text(t, 0))).collect();
        Workspace { name: name.into(), files, builder: Builder::BuildKit, tag: "myapp".into() }
    }

    pub fn dockerfile(&self) -> &str {
        self.files.get(DOCKERFILE).map_or("", |f| f.text.as_str())
    }

    pub fn context(&self) -> BuildContext {
        let mut context = BuildContext::new();
        for (path, file) in &self.files {
            context.insert(path, &file.bytes(), 0o644, file.mtime);
        }
        context
    }

    /// The request the live build runs: `docker build -t <tag> .` in the workspace.
    pub fn request(&self, tags: Vec<String>) -> BuildRequest {
        let mut req = BuildRequest::new(self.dockerfile(), self.context());
        req.builder = self.builder;
        req.tags = tags;
        req
    }

    pub fn edit(&mut self, path: &str, text: String, now: i64) {
        let file = self.files.entry(path.to_string()).or_insert(WorkspaceFile::text("", now));
        if file.text != text || file.binary {
            *file = WorkspaceFile::text(&text, now);
        }
    }

    /// Renames a file or, when `from` is a folder prefix, every file under it.
    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), String> {
        let to = clean_path(to)?;
        if self.files.contains_key(&to) {
            return Err(format!("{to} already exists"));
        }
        let moved: Vec<String> = self.files.keys().filter(|p| *p == from || p.starts_with(&format!("{from}/"))).cloned().collect();
        if moved.is_empty() {
            return Err(format!("{from} does not exist"));
        }
        for old in moved {
            let file = self.files.remove(&old).expect("listed above");
            self.files.insert(format!("{to}{}", &old[from.len()..]), file);
        }
        Ok(())
    }

    /// Uploaded or dropped files, added or replacing files of the same path. Returns what
    /// was added, and what was left out and why.
    pub fn add_files(&mut self, files: Vec<(String, Vec<u8>)>, now: i64) -> (Vec<String>, Vec<String>) {
        let (mut added, mut skipped) = (Vec::new(), Vec::new());
        for (path, bytes) in files {
            match clean_path(&path) {
                Err(e) => skipped.push(e),
                Ok(path) if bytes.len() > MAX_FILE_BYTES => skipped.push(format!("{path} ({} bytes): files over 1 MB are not kept", bytes.len())),
                Ok(path) if self.files.keys().any(|p| p.starts_with(&format!("{path}/"))) => skipped.push(format!("{path}: a folder of that name exists")),
                Ok(path) => {
                    self.files.insert(path.clone(), WorkspaceFile::from_bytes(bytes, now));
                    added.push(path);
                }
            }
        }
        (added, skipped)
    }

    /// The workspace as a tar: every file, as `tar -xf` gives it back (and `docker build -`
    /// builds it: `.dockerignore` applies on the way in).
    pub fn to_tar(&self) -> Vec<u8> {
        // Writing into a Vec cannot fail.
        self.context().write_tar(&IgnoreFile::default(), DOCKERFILE, Vec::new()).unwrap_or_default()
    }

    /// The build context as the docker CLI sends it: what `.dockerignore` keeps.
    pub fn context_tar(&self) -> Vec<u8> {
        let context = self.context();
        context.write_tar(&context.ignore_rules(DOCKERFILE), DOCKERFILE, Vec::new()).unwrap_or_default()
    }

    /// A workspace from a tar (one exported here, a `docker build -` context, or `tar -cf
    /// x.tar project/`: a single top folder holding the Dockerfile is stripped).
    pub fn from_tar(name: &str, tar_bytes: &[u8], now: i64) -> Result<(Workspace, Vec<String>), String> {
        let mut files = Vec::new();
        let mut archive = tar::Archive::new(tar_bytes);
        let entries = archive.entries().map_err(|e| format!("{name} is not a tar archive: {e}"))?;
        for entry in entries {
            let mut entry = entry.map_err(|e| format!("{name} is not a tar archive: {e}"))?;
            if entry.header().entry_type() != tar::EntryType::Regular {
                continue;
            }
            let path = entry.path().map_err(|e| e.to_string())?.to_string_lossy().into_owned();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).map_err(|e| format!("{name}: {path}: {e}"))?;
            files.push((path.trim_start_matches("./").to_string(), bytes));
        }
        strip_top_folder(&mut files);
        if files.is_empty() {
            return Err(format!("{name} holds no files"));
        }
        let mut workspace = Workspace::new(name, &[]);
        let (_, skipped) = workspace.add_files(files, now);
        Ok((workspace, skipped))
    }

    /// Deletes a file or a folder with everything under it.
    pub fn delete(&mut self, path: &str) {
        self.files.retain(|p, _| p != path && !p.starts_with(&format!("{path}/")));
    }
}

/// A context path as the user typed it, checked: relative, no `..`, no empty segments.
pub fn clean_path(path: &str) -> Result<String, String> {
    let path = path.trim().trim_start_matches("./").trim_matches('/');
    if path.is_empty() {
        return Err("a file needs a name".into());
    }
    if path.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
        return Err(format!("{path}: use a plain relative path (no empty, . or .. parts)"));
    }
    Ok(path.to_string())
}

/// `project/Dockerfile`, `project/app.py` → `Dockerfile`, `app.py`.
fn strip_top_folder(files: &mut [(String, Vec<u8>)]) {
    let Some(top) = files.first().and_then(|(p, _)| p.split_once('/')).map(|(t, _)| format!("{t}/")) else { return };
    let all_below = files.iter().all(|(p, _)| p.starts_with(&top));
    if all_below && files.iter().any(|(p, _)| *p == format!("{top}{DOCKERFILE}")) {
        for (path, _) in files.iter_mut() {
            *path = path[top.len()..].to_string();
        }
    }
}
