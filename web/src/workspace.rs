//! The user's workspace: the Dockerfile, the build context's files and the build settings.
//! It is everything the page saves, shares and exports; nothing in it is derived.

use std::collections::BTreeMap;

use layerlab_engine::{BuildContext, BuildRequest, Builder};
use serde::{Deserialize, Serialize};

pub const DOCKERFILE: &str = "Dockerfile";

/// One file of the build context (the Dockerfile is one too: `COPY . .` copies it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceFile {
    pub text: String,
    /// Seconds since the epoch of the last edit: the mtime COPY gives the file in a layer.
    #[serde(default)]
    pub mtime: i64,
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
        let files = files.iter().map(|(p, t)| (p.to_string(), WorkspaceFile { text: t.to_string(), mtime: 0 })).collect();
        Workspace { name: name.into(), files, builder: Builder::BuildKit, tag: "myapp".into() }
    }

    pub fn dockerfile(&self) -> &str {
        self.files.get(DOCKERFILE).map_or("", |f| f.text.as_str())
    }

    pub fn context(&self) -> BuildContext {
        let mut context = BuildContext::new();
        for (path, file) in &self.files {
            context.insert(path, file.text.as_bytes(), 0o644, file.mtime);
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
        let file = self.files.entry(path.to_string()).or_insert(WorkspaceFile { text: String::new(), mtime: now });
        if file.text != text {
            file.text = text;
            file.mtime = now;
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
