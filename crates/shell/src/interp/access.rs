//! Unix permission checks for a step that runs as a non-root USER: root may do anything,
//! others need the owner, group or other bits.

use layerlab_image::fs::{Meta, Node, Snapshot};

use super::Identity;

const READ: u32 = 4;
const WRITE: u32 = 2;
const EXECUTE: u32 = 1;

fn allowed(meta: &Meta, who: &Identity, bit: u32) -> bool {
    if who.uid == 0 {
        return bit != EXECUTE || meta.mode & 0o111 != 0;
    }
    let shift = if meta.uid == who.uid {
        6
    } else if meta.gid == who.gid {
        3
    } else {
        0
    };
    (meta.mode >> shift) & bit != 0
}

fn parent(path: &str) -> &str {
    match path.trim_end_matches('/').rsplit_once('/') {
        Some(("", _)) | None => "/",
        Some((dir, _)) => dir,
    }
}

/// May `who` create or remove entries in the directory holding `path`?
pub fn may_change_parent(fs: &Snapshot, path: &str, who: &Identity) -> bool {
    match fs.get(parent(path), true) {
        Ok(node) => allowed(node.meta(), who, WRITE) && allowed(node.meta(), who, EXECUTE),
        Err(_) => true,
    }
}

/// May `who` write to `path` (an existing file), or create it?
pub fn may_write(fs: &Snapshot, path: &str, who: &Identity) -> bool {
    match fs.get(path, true) {
        Ok(node) => allowed(node.meta(), who, WRITE),
        Err(_) => may_change_parent(fs, path, who),
    }
}

pub fn may_read(fs: &Snapshot, path: &str, who: &Identity) -> bool {
    fs.get(path, true).map_or(true, |n| allowed(n.meta(), who, READ))
}

/// Is `node` a file `who` may execute?
pub fn may_execute(node: &Node, who: &Identity) -> bool {
    matches!(node, Node::File(_)) && allowed(node.meta(), who, EXECUTE)
}
