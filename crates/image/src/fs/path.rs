//! Snapshots and what a shell does to them, with the errors a Linux filesystem gives.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::node::{Content, Dir, File, Meta, Node};

/// Linux gives up after 40 symbolic links in one lookup (ELOOP).
const MAX_SYMLINK_HOPS: usize = 40;

/// Why an operation failed, with the words coreutils prints (`No such file or directory`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    NotADirectory,
    IsADirectory,
    Loop,
    Exists,
    NotEmpty,
}

impl FsError {
    pub fn message(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::NotADirectory => "Not a directory",
            FsError::IsADirectory => "Is a directory",
            FsError::Loop => "Too many levels of symbolic links",
            FsError::Exists => "File exists",
            FsError::NotEmpty => "Directory not empty",
        }
    }
}

/// One state of the filesystem. Cloning is O(1): the clone shares every directory until
/// one of the two changes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Always a `Node::Dir`; kept as a node so `get("/")` can answer with it.
    root: Node,
    /// The next directory id / hard-link group; advanced by every creation.
    next_id: u64,
}

fn components(path: &str) -> impl DoubleEndedIterator<Item = &str> {
    path.split('/').filter(|c| !c.is_empty() && *c != ".")
}

impl Snapshot {
    /// An empty root directory (`FROM scratch`).
    pub fn empty(meta: Meta) -> Snapshot {
        Snapshot { root: Node::Dir(Dir { meta, id: 1, children: Arc::default() }), next_id: 2 }
    }

    pub fn root(&self) -> &Dir {
        match &self.root {
            Node::Dir(d) => d,
            _ => unreachable!("the root is created as a directory and only ever replaced by one"),
        }
    }

    fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id - 1
    }

    /// The real location of `path`: symlinks in it followed (the last one only if
    /// `follow_last`), `..` applied. Every directory on the way must exist; the last
    /// component need not (so callers can create it).
    pub fn canonical(&self, path: &str, follow_last: bool) -> Result<Vec<String>, FsError> {
        // Names still to resolve, the next one last; symlink targets are spliced in.
        let mut pending: Vec<&str> = components(path).rev().collect();
        let mut done: Vec<String> = Vec::new();
        // The directory `done` names, kept as we descend (re-found only after `..` or an
        // absolute symlink), so a lookup costs one step per component.
        let mut dir = self.root();
        let mut hops = 0;
        while let Some(name) = pending.pop() {
            if name == ".." {
                done.pop();
                dir = self.dir_at(&done)?;
                continue;
            }
            let last = pending.is_empty();
            match dir.children.get(name) {
                Some(Node::Symlink { target, .. }) if !last || follow_last => {
                    hops += 1;
                    if hops > MAX_SYMLINK_HOPS {
                        return Err(FsError::Loop);
                    }
                    if target.starts_with('/') {
                        done.clear();
                        dir = self.root();
                    }
                    pending.extend(components(target).rev());
                }
                Some(Node::Dir(d)) => {
                    done.push(name.to_string());
                    dir = d;
                }
                Some(_) if !last => return Err(FsError::NotADirectory),
                Some(_) => done.push(name.to_string()),
                None if last => done.push(name.to_string()),
                None => return Err(FsError::NotFound),
            }
        }
        Ok(done)
    }

    fn dir_at(&self, canonical: &[String]) -> Result<&Dir, FsError> {
        let mut dir = self.root();
        for name in canonical {
            dir = match dir.children.get(name) {
                Some(Node::Dir(d)) => d,
                Some(_) => return Err(FsError::NotADirectory),
                None => return Err(FsError::NotFound),
            };
        }
        Ok(dir)
    }

    /// The directory at a canonical path, for changing; copies the shared ones on the way.
    fn dir_mut(&mut self, canonical: &[String]) -> Result<&mut Dir, FsError> {
        let Node::Dir(root) = &mut self.root else { return Err(FsError::NotADirectory) };
        let mut dir = root;
        for name in canonical {
            dir = match Arc::make_mut(&mut dir.children).get_mut(name) {
                Some(Node::Dir(d)) => d,
                Some(_) => return Err(FsError::NotADirectory),
                None => return Err(FsError::NotFound),
            };
        }
        Ok(dir)
    }

    /// What is at `path`, following symlinks (`stat`) or not (`lstat`).
    pub fn get(&self, path: &str, follow: bool) -> Result<&Node, FsError> {
        let canonical = self.canonical(path, follow)?;
        let Some((name, parent)) = canonical.split_last() else {
            return Ok(&self.root);
        };
        self.dir_at(parent)?.children.get(name).ok_or(FsError::NotFound)
    }

    /// Puts `node` at `path` (its parent must exist), replacing a non-directory there.
    fn put(&mut self, path: &str, node: Node, follow_last: bool) -> Result<(), FsError> {
        let canonical = self.canonical(path, follow_last)?;
        let (name, parent) = canonical.split_last().ok_or(FsError::Exists)?;
        let dir = self.dir_mut(parent)?;
        let children = Arc::make_mut(&mut dir.children);
        if let (Some(Node::Dir(_)), false) = (children.get(name), matches!(node, Node::Dir(_))) {
            return Err(FsError::IsADirectory);
        }
        children.insert(name.clone(), node);
        Ok(())
    }

    /// Sets the entry at a layer path (no symlinks followed): a directory keeps what is
    /// below it and takes the new metadata and id; anything else replaces what was there.
    pub(super) fn place(&mut self, path: &str, node: &Node) -> Result<(), FsError> {
        let names: Vec<String> = components(path).map(str::to_string).collect();
        let Some((name, parent)) = names.split_last() else {
            if let (Node::Dir(root), Node::Dir(new)) = (&mut self.root, node) {
                root.meta = new.meta;
            }
            return Ok(());
        };
        let dir = self.dir_mut(parent)?;
        let children = Arc::make_mut(&mut dir.children);
        let placed = match (children.remove(name), node) {
            (Some(Node::Dir(old)), Node::Dir(new)) => Node::Dir(Dir { meta: new.meta, id: new.id, children: old.children }),
            (_, other) => other.clone(),
        };
        children.insert(name.clone(), placed);
        if let Node::Dir(d) = node {
            self.next_id = self.next_id.max(d.id + 1);
        }
        if let Node::File(f) = node {
            self.next_id = self.next_id.max(f.link_group + 1);
        }
        Ok(())
    }

    /// `mkdir -p`: every missing directory on the way is created with `meta`. The common
    /// case, a parent that exists, costs one resolution; each missing level one more.
    pub fn mkdir_all(&mut self, path: &str, meta: Meta) -> Result<(), FsError> {
        match self.get(path, true) {
            Ok(Node::Dir(_)) => return Ok(()),
            Ok(_) => return Err(FsError::NotADirectory),
            Err(FsError::NotFound) => {}
            Err(e) => return Err(e),
        }
        let trimmed = path.trim_end_matches('/');
        match trimmed.rsplit_once('/') {
            // The parent is missing (the last component may be missing, not its parents).
            Some((parent, _)) if !parent.is_empty() && self.canonical(trimmed, true).is_err() => self.mkdir_all(parent, meta)?,
            _ => {}
        }
        let id = self.fresh_id();
        self.put(trimmed, Node::Dir(Dir { meta, id, children: Arc::default() }), true)
    }

    /// `mkdir`: the parent must exist and the path must not.
    pub fn mkdir(&mut self, path: &str, meta: Meta) -> Result<(), FsError> {
        if self.get(path, false).is_ok() {
            return Err(FsError::Exists);
        }
        let id = self.fresh_id();
        self.put(path, Node::Dir(Dir { meta, id, children: Arc::default() }), false)
    }

    /// Writes a regular file (following a symlink at `path`, as `>` does).
    pub fn write_file(&mut self, path: &str, content: Content, meta: Meta) -> Result<(), FsError> {
        self.put(path, Node::File(File { meta, content, link_group: 0 }), true)
    }

    /// Puts `node` at `path` in place of whatever is there, sharing its subtree: what a
    /// `RUN --mount` lays over the root filesystem for the step, and takes away after.
    pub fn replace(&mut self, path: &str, node: Node) -> Result<(), FsError> {
        let _ = self.remove(path, true);
        self.put(path, node, false)
    }

    /// `ln -s target path` (`-f` replaces what is there).
    pub fn symlink(&mut self, target: &str, path: &str, meta: Meta, force: bool) -> Result<(), FsError> {
        if !force && self.get(path, false).is_ok() {
            return Err(FsError::Exists);
        }
        self.put(path, Node::Symlink { meta, target: target.to_string() }, false)
    }

    /// `ln existing new`: both names are then one file (they share a link group).
    pub fn hardlink(&mut self, existing: &str, new: &str) -> Result<(), FsError> {
        if self.get(new, false).is_ok() {
            return Err(FsError::Exists);
        }
        let mut file = match self.get(existing, false)? {
            Node::File(f) => f.clone(),
            Node::Dir(_) => return Err(FsError::IsADirectory),
            Node::Symlink { .. } => return Err(FsError::NotFound),
        };
        if file.link_group == 0 {
            file.link_group = self.fresh_id();
            self.put(existing, Node::File(file.clone()), false)?;
        }
        self.put(new, Node::File(file), false)
    }

    /// `rm` (`-r` with `recursive`); removing a symlink removes the link, not its target.
    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        let canonical = self.canonical(path, false)?;
        let (name, parent) = canonical.split_last().ok_or(FsError::IsADirectory)?;
        let dir = self.dir_mut(parent)?;
        match dir.children.get(name) {
            None => return Err(FsError::NotFound),
            Some(Node::Dir(d)) if !recursive && !d.children.is_empty() => return Err(FsError::NotEmpty),
            _ => {}
        }
        Arc::make_mut(&mut dir.children).remove(name);
        Ok(())
    }

    /// `chmod`, `chown`, `touch`: changes the metadata of what `path` resolves to.
    pub fn set_meta(&mut self, path: &str, change: impl FnOnce(&mut Meta)) -> Result<(), FsError> {
        let canonical = self.canonical(path, true)?;
        let Some((name, parent)) = canonical.split_last() else {
            let Node::Dir(root) = &mut self.root else { return Err(FsError::NotADirectory) };
            change(&mut root.meta);
            return Ok(());
        };
        let dir = self.dir_mut(parent)?;
        let node = Arc::make_mut(&mut dir.children).get_mut(name).ok_or(FsError::NotFound)?;
        match node {
            Node::Dir(d) => change(&mut d.meta),
            Node::File(f) => change(&mut f.meta),
            Node::Symlink { meta, .. } => change(meta),
        }
        Ok(())
    }

    /// Every entry below the root, depth first in name order, with its path (no leading `/`).
    pub fn walk(&self) -> Vec<(String, &Node)> {
        let mut out = Vec::new();
        walk_dir("", &self.root().children, &mut out);
        out
    }
}

pub(super) fn walk_dir<'a>(prefix: &str, children: &'a BTreeMap<String, Node>, out: &mut Vec<(String, &'a Node)>) {
    for (name, node) in children.iter() {
        let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
        out.push((path.clone(), node));
        if let Node::Dir(d) = node {
            walk_dir(&path, &d.children, out);
        }
    }
}
