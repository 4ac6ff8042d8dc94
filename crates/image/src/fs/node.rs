//! What a path holds: a directory, a regular file, a symlink, with Docker's metadata.

use std::collections::BTreeMap;
use std::sync::Arc;

/// Mode bits (including setuid/setgid/sticky), owner, group, modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Seconds since the epoch. A parameter, never read from a clock.
    pub mtime: i64,
}

/// A file's bytes: real ones (what users write and COPY), or a sized reference to catalog
/// content identified by `id` (a package file, say), which exports turn into placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Arc<[u8]>),
    Sized { size: u64, id: Arc<str> },
}

impl Content {
    pub fn size(&self) -> u64 {
        match self {
            Content::Bytes(b) => b.len() as u64,
            Content::Sized { size, .. } => *size,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub meta: Meta,
    pub content: Content,
    /// Files created as hard links of each other share this number; 0 for none.
    pub link_group: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dir {
    pub meta: Meta,
    /// Which creation this directory came from: a directory deleted and made again gets a
    /// new one, and the layer then marks it opaque (`.wh..wh..opq`).
    pub id: u64,
    pub children: Arc<BTreeMap<String, Node>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Dir(Dir),
    File(File),
    Symlink { meta: Meta, target: String },
}

impl Node {
    pub fn meta(&self) -> &Meta {
        match self {
            Node::Dir(d) => &d.meta,
            Node::File(f) => &f.meta,
            Node::Symlink { meta, .. } => meta,
        }
    }

    /// Same node, without comparing directory contents (for diffs: a directory whose
    /// metadata is unchanged is not itself a change).
    pub fn same_entry(&self, other: &Node) -> bool {
        match (self, other) {
            (Node::Dir(a), Node::Dir(b)) => a.meta == b.meta && a.id == b.id,
            _ => self == other,
        }
    }
}
