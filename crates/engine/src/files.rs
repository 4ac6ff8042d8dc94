//! The image's file tree at one layer, the way dive shows it: every path visible after that
//! layer with its size (folders: everything below), what that layer added, modified or
//! removed, and which files a later layer deletes or replaces (their bytes are wasted).

use std::collections::BTreeMap;

use layerlab_image::fs::{layer_size, Change, ChangeKind, Node};

use crate::store::Image;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Unchanged,
    Added,
    Modified,
    /// Deleted by this layer: shown so the deletion is visible, its size what it hid.
    Removed,
}

/// One entry of the tree, in display order (parents before children).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    /// Without a leading `/` (`usr/bin/python3`).
    pub path: String,
    pub depth: usize,
    pub is_dir: bool,
    /// Bytes of the file, or of everything below the folder.
    pub size: u64,
    pub mark: Mark,
    /// A folder with an added, modified or removed entry somewhere below it.
    pub changed_below: bool,
    /// The later layer that deletes or replaces this file.
    pub hidden_by: Option<usize>,
}

impl FileRow {
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

#[derive(Default)]
struct Entry {
    is_dir: bool,
    size: u64,
    mark: Option<Mark>,
    hidden_by: Option<usize>,
    children: BTreeMap<String, Entry>,
}

/// How the rows of a folder are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Name,
    /// Largest first, as dive sorts.
    Size,
}

/// The tree after layer `layer` (0-based, the image's own layer numbering), flattened.
pub fn tree_at(image: &Image, layer: usize, order: Order) -> Vec<FileRow> {
    let layers = &image.state.layers;
    let mut root = Entry { is_dir: true, ..Entry::default() };
    for (index, changes) in layers.iter().enumerate().take(layer + 1) {
        for change in changes.iter() {
            apply(&mut root, change, index == layer);
        }
    }
    // Files visible at this layer whose bytes a later layer hides.
    for w in image.wasted().into_iter().filter(|w| w.layer <= layer && layer < w.hidden_by) {
        if let Some(entry) = find(&mut root, &w.path) {
            entry.hidden_by = Some(w.hidden_by);
        }
    }
    total(&mut root);
    let mut rows = Vec::new();
    flatten(&root, "", 0, order, &mut rows);
    rows
}

fn apply(root: &mut Entry, change: &Change, this_layer: bool) {
    let parts: Vec<&str> = change.path.split('/').filter(|p| !p.is_empty()).collect();
    let Some((name, parents)) = parts.split_last() else { return };
    let mut dir = root;
    for part in parents {
        dir = dir.children.entry(part.to_string()).or_insert_with(|| Entry { is_dir: true, ..Entry::default() });
    }
    match &change.kind {
        ChangeKind::Deleted => {
            let removed = dir.children.remove(*name);
            if this_layer {
                let (is_dir, size) = removed.map_or((false, 0), |mut e| (e.is_dir, total(&mut e)));
                dir.children.insert(name.to_string(), Entry { is_dir, size, mark: Some(Mark::Removed), ..Entry::default() });
            }
        }
        ChangeKind::Put(node) | ChangeKind::Opaque(node) => {
            let existed = dir.children.contains_key(*name);
            let entry = dir.children.entry(name.to_string()).or_default();
            if matches!(change.kind, ChangeKind::Opaque(_)) {
                entry.children.clear();
            }
            entry.is_dir = matches!(node, Node::Dir(_));
            entry.size = if entry.is_dir { 0 } else { layer_size(std::slice::from_ref(change)) };
            entry.hidden_by = None;
            entry.mark = match (this_layer, existed && entry.mark != Some(Mark::Removed)) {
                (false, _) => None,
                (true, true) => Some(Mark::Modified),
                (true, false) => Some(Mark::Added),
            };
        }
    }
}

fn find<'a>(root: &'a mut Entry, path: &str) -> Option<&'a mut Entry> {
    path.split('/').filter(|p| !p.is_empty()).try_fold(root, |dir, part| dir.children.get_mut(part))
}

/// Sets each folder's size to the sum below it; returns the entry's size.
fn total(entry: &mut Entry) -> u64 {
    if entry.is_dir && entry.mark != Some(Mark::Removed) {
        // A removed entry is shown, but no longer counts.
        entry.size = entry.children.values_mut().map(|c| (total(c), c.mark)).filter(|(_, m)| *m != Some(Mark::Removed)).map(|(s, _)| s).sum();
    }
    entry.size
}

fn changed(entry: &Entry) -> bool {
    entry.children.values().any(|c| c.mark.is_some() || changed(c))
}

fn flatten(dir: &Entry, prefix: &str, depth: usize, order: Order, rows: &mut Vec<FileRow>) {
    let mut children: Vec<(&String, &Entry)> = dir.children.iter().collect();
    if order == Order::Size {
        children.sort_by(|a, b| b.1.size.cmp(&a.1.size).then_with(|| a.0.cmp(b.0)));
    }
    for (name, entry) in children {
        let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
        rows.push(FileRow {
            path: path.clone(),
            depth,
            is_dir: entry.is_dir,
            size: entry.size,
            mark: entry.mark.unwrap_or(Mark::Unchanged),
            changed_below: changed(entry),
            hidden_by: entry.hidden_by,
        });
        flatten(entry, &path, depth + 1, order, rows);
    }
}
