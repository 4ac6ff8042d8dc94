//! The layer between two snapshots, the way the OCI image spec defines it: entries added or
//! changed (metadata-only changes re-add the whole entry), whiteouts for deletions, and an
//! opaque marker for a directory that was deleted and made again. Subtrees the two snapshots
//! share by pointer are skipped, so a diff costs what the step changed.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::node::{Dir, Node};
use super::path::{walk_dir, FsError, Snapshot};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// New or changed: the whole entry (a directory without its children).
    Put(Node),
    /// Deleted: the layer holds `dir/.wh.name`.
    Deleted,
    /// A directory made anew: the layer holds it and `dir/.wh..wh..opq`, hiding all that
    /// was below it.
    Opaque(Node),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Path without a leading `/`.
    pub path: String,
    pub kind: ChangeKind,
}

/// The changes that turn `lower` into `upper`, parents before children, names in order.
pub fn diff(lower: &Snapshot, upper: &Snapshot) -> Vec<Change> {
    let mut changes = Vec::new();
    if lower.root().meta != upper.root().meta {
        changes.push(Change { path: String::new(), kind: ChangeKind::Put(Node::Dir(bare(upper.root()))) });
    }
    diff_children("", &lower.root().children, &upper.root().children, &mut changes);
    changes
}

/// A directory entry without its children, as a layer records it.
fn bare(dir: &Dir) -> Dir {
    Dir { meta: dir.meta, id: dir.id, children: Arc::default() }
}

fn entry(node: &Node) -> Node {
    match node {
        Node::Dir(d) => Node::Dir(bare(d)),
        other => other.clone(),
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() { name.to_string() } else { format!("{prefix}/{name}") }
}

fn diff_children(prefix: &str, lower: &Arc<BTreeMap<String, Node>>, upper: &Arc<BTreeMap<String, Node>>, out: &mut Vec<Change>) {
    if Arc::ptr_eq(lower, upper) {
        return;
    }
    let names: std::collections::BTreeSet<&String> = lower.keys().chain(upper.keys()).collect();
    for name in names {
        let path = join(prefix, name);
        match (lower.get(name), upper.get(name)) {
            (Some(_), None) => out.push(Change { path, kind: ChangeKind::Deleted }),
            (None, Some(node)) => add_all(path, node, out),
            (Some(Node::Dir(a)), Some(Node::Dir(b))) if a.id != b.id => {
                out.push(Change { path: path.clone(), kind: ChangeKind::Opaque(Node::Dir(bare(b))) });
                add_descendants(&path, b, out);
            }
            (Some(Node::Dir(a)), Some(Node::Dir(b))) => {
                if a.meta != b.meta {
                    out.push(Change { path: path.clone(), kind: ChangeKind::Put(Node::Dir(bare(b))) });
                }
                diff_children(&path, &a.children, &b.children, out);
            }
            (Some(a), Some(b)) if a != b => add_all(path, b, out),
            _ => {}
        }
    }
}

/// A new entry and, for a directory, everything in it.
fn add_all(path: String, node: &Node, out: &mut Vec<Change>) {
    out.push(Change { path: path.clone(), kind: ChangeKind::Put(entry(node)) });
    if let Node::Dir(d) = node {
        add_descendants(&path, d, out);
    }
}

fn add_descendants(path: &str, dir: &Dir, out: &mut Vec<Change>) {
    let mut below = Vec::new();
    walk_dir(path, &dir.children, &mut below);
    out.extend(below.into_iter().map(|(p, n)| Change { path: p, kind: ChangeKind::Put(entry(n)) }));
}

impl Snapshot {
    /// Applies a layer's changes (as `diff` makes them) on top of this snapshot.
    pub fn apply(&mut self, changes: &[Change]) -> Result<(), FsError> {
        for change in changes {
            match &change.kind {
                ChangeKind::Deleted => self.remove(&change.path, true)?,
                ChangeKind::Opaque(node) => {
                    let _ = self.remove(&change.path, true);
                    self.place(&change.path, node)?;
                }
                ChangeKind::Put(node) => self.place(&change.path, node)?,
            }
        }
        Ok(())
    }
}
