//! Sizes as Docker counts them (a file's bytes, a symlink's target length, hard-linked files
//! once, directories nothing), and the merged view of an image's layers: which layer each
//! path comes from, and the bytes a layer carries that a later one hid or deleted.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use super::diff::{Change, ChangeKind};
use super::node::Node;
use super::path::Snapshot;

/// Size of one entry, counting each hard-link group once via `seen`.
fn entry_size(node: &Node, seen: &mut BTreeSet<u64>) -> u64 {
    match node {
        Node::File(f) if f.link_group != 0 && !seen.insert(f.link_group) => 0,
        Node::File(f) => f.content.size(),
        Node::Symlink { target, .. } => target.len() as u64,
        Node::Dir(_) => 0,
    }
}

/// What `docker history` shows for a layer with these changes.
pub fn layer_size(changes: &[Change]) -> u64 {
    let mut seen = BTreeSet::new();
    changes
        .iter()
        .map(|c| match &c.kind {
            ChangeKind::Put(node) | ChangeKind::Opaque(node) => entry_size(node, &mut seen),
            ChangeKind::Deleted => 0,
        })
        .sum()
}

/// What `docker images` would count for a filesystem holding exactly this snapshot.
pub fn snapshot_size(snapshot: &Snapshot) -> u64 {
    let mut seen = BTreeSet::new();
    snapshot.walk().into_iter().map(|(_, node)| entry_size(node, &mut seen)).sum()
}

/// Bytes a layer ships that the final image cannot see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wasted {
    /// Index of the layer holding the bytes.
    pub layer: usize,
    pub path: String,
    pub bytes: u64,
    /// Index of the layer that hid them.
    pub hidden_by: usize,
    /// `true` when deleted (a whiteout or opaque directory), `false` when overwritten.
    pub deleted: bool,
}

/// The merged view of layers applied in order: for every visible path the layer it comes
/// from, and every hidden byte with the layer that hid it.
pub fn merge<L: Borrow<Vec<Change>>>(layers: &[L]) -> (BTreeMap<String, usize>, Vec<Wasted>) {
    let mut visible: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    let mut wasted = Vec::new();
    for (index, changes) in layers.iter().map(Borrow::borrow).enumerate() {
        let mut seen = BTreeSet::new();
        for change in changes {
            if matches!(change.kind, ChangeKind::Deleted | ChangeKind::Opaque(_)) {
                for (path, (layer, bytes)) in take_subtree(&mut visible, &change.path, matches!(change.kind, ChangeKind::Deleted)) {
                    if bytes > 0 {
                        wasted.push(Wasted { layer, path, bytes, hidden_by: index, deleted: true });
                    }
                }
            }
            if let ChangeKind::Put(node) | ChangeKind::Opaque(node) = &change.kind {
                let bytes = entry_size(node, &mut seen);
                if let Some((layer, old)) = visible.insert(change.path.clone(), (index, bytes)) {
                    if old > 0 && layer != index {
                        wasted.push(Wasted { layer, path: change.path.clone(), bytes: old, hidden_by: index, deleted: false });
                    }
                }
            }
        }
    }
    (visible.into_iter().map(|(p, (l, _))| (p, l)).collect(), wasted)
}

/// Removes `path`'s descendants from the view (and `path` itself when `with_root`).
fn take_subtree(visible: &mut BTreeMap<String, (usize, u64)>, path: &str, with_root: bool) -> Vec<(String, (usize, u64))> {
    let prefix = if path.is_empty() { String::new() } else { format!("{path}/") };
    let mut keys: Vec<String> = visible.range(prefix.clone()..).take_while(|(k, _)| k.starts_with(&prefix)).map(|(k, _)| k.clone()).collect();
    if with_root && visible.contains_key(path) {
        keys.push(path.to_string());
    }
    keys.into_iter().filter_map(|k| visible.remove(&k).map(|v| (k, v))).collect()
}
