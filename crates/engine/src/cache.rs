//! The build cache, kept across the builds of a session as a daemon keeps it.
//!
//! A step's [`Components`] are what the builder's cache key covers (reference B1, B2): the
//! parent's key, the operation, and for BuildKit's ExecOp the env, cwd and user, for a
//! file copy the checksums of the selected files. The key is their digest. Because every
//! entry keeps its components, a miss can be explained: the newest entry built on the same
//! parent is compared with the new components, field by field.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::state::StepResult;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct CacheKey(pub String);

// Lets the cache be asked by a key's text (a step's vertex) without building a key.
impl std::borrow::Borrow<str> for CacheKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl CacheKey {
    /// A key from text (a base image's identity).
    pub fn of(text: &str) -> CacheKey {
        CacheKey(format!("sha256:{:x}", Sha256::digest(text.as_bytes())))
    }
}

/// What a step's cache key is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Components {
    pub parent: CacheKey,
    /// The operation as the learner reads it: the instruction with its values expanded.
    pub op: String,
    pub env: Vec<(String, String)>,
    pub workdir: String,
    pub user: String,
    /// COPY/ADD sources: path → checksum of its header fields and content (no mtime).
    pub files: BTreeMap<String, String>,
    /// Everything else the key covers (the shell, mounts, network; the classic builder's
    /// other config fields), one `name=value` per line.
    pub other: Vec<(String, String)>,
}

impl Components {
    pub fn key(&self) -> CacheKey {
        // Each field is `name NUL len value`, the value given in parts. Written into one
        // buffer and hashed once: every step of every build does this.
        let mut bytes = Vec::with_capacity(256);
        let mut field = |name: &str, parts: &[&str]| {
            bytes.extend_from_slice(name.as_bytes());
            bytes.push(0);
            let len: usize = parts.iter().map(|p| p.len()).sum();
            bytes.extend_from_slice(&len.to_le_bytes());
            parts.iter().for_each(|p| bytes.extend_from_slice(p.as_bytes()));
        };
        field("parent", &[&self.parent.0]);
        field("op", &[&self.op]);
        for (k, v) in &self.env {
            field("env", &[k, "=", v]);
        }
        field("workdir", &[&self.workdir]);
        field("user", &[&self.user]);
        for (path, sum) in &self.files {
            field("file", &[path, "\0", sum]);
        }
        for (k, v) in &self.other {
            field(k, &[v]);
        }
        CacheKey(layerlab_image::identity::sha256_digest(&bytes))
    }
}

/// Why a step did not come from the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MissReason {
    /// `--no-cache`.
    NoCache,
    /// The step before it (at this line) was rebuilt, so its parent is new.
    ParentRebuilt { line: usize },
    /// Nothing was ever built on this parent with these inputs (a first build).
    NotBuiltBefore,
    /// Built before on the same parent, with these differences.
    Changed { differences: Vec<Difference> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Difference {
    Instruction { old: String, new: String },
    Env { name: String, old: Option<String>, new: Option<String> },
    Workdir { old: String, new: String },
    User { old: String, new: String },
    File { path: String, change: FileChange },
    Setting { name: String, old: String, new: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileChange {
    Added,
    Removed,
    Modified,
}

impl fmt::Display for MissReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MissReason::NoCache => f.write_str("--no-cache: the cache is not used"),
            MissReason::ParentRebuilt { line } => write!(f, "the step before it (line {line}) was rebuilt"),
            MissReason::NotBuiltBefore => f.write_str("not in the cache: first build of this step"),
            MissReason::Changed { differences } => {
                let parts: Vec<String> = differences.iter().map(Difference::to_string).collect();
                f.write_str(&parts.join("; "))
            }
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |v: &Option<String>| v.as_ref().map_or("unset".to_string(), |v| format!("\"{v}\""));
        match self {
            Difference::Instruction { old, new } => write!(f, "the instruction changed: `{old}` → `{new}`"),
            Difference::Env { name, old, new } => write!(f, "{name} changed from {} to {}", shown(old), shown(new)),
            Difference::Workdir { old, new } => write!(f, "the working directory changed from {old} to {new}"),
            Difference::User { old, new } => write!(f, "the user changed from \"{old}\" to \"{new}\""),
            Difference::File { path, change } => {
                let how = match change {
                    FileChange::Added => "was added",
                    FileChange::Removed => "was removed",
                    FileChange::Modified => "changed",
                };
                write!(f, "file {path} {how}")
            }
            Difference::Setting { name, old, new } => write!(f, "{name} changed from `{old}` to `{new}`"),
        }
    }
}

struct Entry {
    components: Components,
    result: Arc<StepResult>,
}

#[derive(Default)]
pub struct Cache {
    entries: HashMap<CacheKey, Entry>,
    /// Parent key → the step on it used last, which explains the next miss on that parent
    /// in constant time however large the session's cache grows.
    last_child: HashMap<CacheKey, CacheKey>,
    /// What the running build changed, so a build that stops for a data file leaves the
    /// cache as it found it (its retry is the same build, not a second one).
    journal: Option<Journal>,
    /// `RUN --mount=type=cache` contents by cache id, kept across the session's builds as
    /// BuildKit keeps them, never in a layer.
    pub mounts: HashMap<String, layerlab_image::fs::Node>,
}

#[derive(Debug, Default)]
struct Journal {
    added: Vec<CacheKey>,
    last_child: Vec<(CacheKey, Option<CacheKey>)>,
}

impl Cache {
    /// A hit also counts as the entry's newest use, so a later miss is explained against
    /// what the previous build actually used.
    /// What a hit does to the cache, without handing the result back (a replayed step
    /// already has it); `false` if the key is not cached.
    pub fn touch(&mut self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn get(&mut self, key: &str) -> Option<Arc<StepResult>> {
        let (key, entry) = self.entries.get_key_value(key)?;
        let result = entry.result.clone();
        // A rebuild uses the same step on the same parent again: nothing to record.
        if self.last_child.get(&entry.components.parent) != Some(key) {
            let (parent, key) = (entry.components.parent.clone(), key.clone());
            self.set_last_child(parent, key);
        }
        Some(result)
    }

    pub fn put(&mut self, components: Components, result: Arc<StepResult>) {
        let key = components.key();
        self.set_last_child(components.parent.clone(), key.clone());
        if let (Some(journal), false) = (&mut self.journal, self.entries.contains_key(&key)) {
            journal.added.push(key.clone());
        }
        self.entries.insert(key, Entry { components, result });
    }

    fn set_last_child(&mut self, parent: CacheKey, key: CacheKey) {
        let old = self.last_child.insert(parent.clone(), key);
        if let Some(journal) = &mut self.journal {
            journal.last_child.push((parent, old));
        }
    }

    /// Starts recording what a build changes.
    pub fn begin(&mut self) {
        self.journal = Some(Journal::default());
    }

    /// Keeps what the build changed.
    pub fn commit(&mut self) {
        self.journal = None;
    }

    /// Undoes what the build changed since `begin`.
    pub fn rollback(&mut self) {
        let Some(journal) = self.journal.take() else { return };
        for key in journal.added {
            self.entries.remove(&key);
        }
        for (parent, old) in journal.last_child.into_iter().rev() {
            match old {
                Some(key) => self.last_child.insert(parent, key),
                None => self.last_child.remove(&parent),
            };
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Why `new` (whose parent was not rebuilt) misses: compared with the newest step
    /// built on the same parent.
    pub fn explain(&self, new: &Components) -> MissReason {
        let sibling = self.last_child.get(&new.parent).and_then(|k| self.entries.get(k));
        match sibling {
            Some(old) => MissReason::Changed { differences: differences(&old.components, new) },
            None => MissReason::NotBuiltBefore,
        }
    }
}

fn differences(old: &Components, new: &Components) -> Vec<Difference> {
    let mut out = Vec::new();
    if old.op != new.op {
        out.push(Difference::Instruction { old: old.op.clone(), new: new.op.clone() });
    }
    env_differences(&old.env, &new.env, &mut out);
    if old.workdir != new.workdir {
        out.push(Difference::Workdir { old: old.workdir.clone(), new: new.workdir.clone() });
    }
    if old.user != new.user {
        out.push(Difference::User { old: old.user.clone(), new: new.user.clone() });
    }
    file_differences(&old.files, &new.files, &mut out);
    for (name, value) in &new.other {
        let before = old.other.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str());
        if before != value {
            out.push(Difference::Setting { name: name.clone(), old: before.into(), new: value.clone() });
        }
    }
    out
}

fn env_differences(old: &[(String, String)], new: &[(String, String)], out: &mut Vec<Difference>) {
    let old: BTreeMap<&str, &str> = old.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let new: BTreeMap<&str, &str> = new.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let names: std::collections::BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    for name in names {
        let (a, b) = (old.get(name), new.get(name));
        if a != b {
            out.push(Difference::Env { name: name.into(), old: a.map(|s| s.to_string()), new: b.map(|s| s.to_string()) });
        }
    }
}

fn file_differences(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>, out: &mut Vec<Difference>) {
    for (path, sum) in new {
        match old.get(path) {
            None => out.push(Difference::File { path: path.clone(), change: FileChange::Added }),
            Some(before) if before != sum => out.push(Difference::File { path: path.clone(), change: FileChange::Modified }),
            Some(_) => {}
        }
    }
    for path in old.keys().filter(|p| !new.contains_key(*p)) {
        out.push(Difference::File { path: path.clone(), change: FileChange::Removed });
    }
}
