//! A layer as the tar `docker save` and OCI layouts carry: entries in change order, names
//! without a leading `/` (directories with a trailing one), whiteouts as empty files named
//! `.wh.<name>`, opaque directories marked by `.wh..wh..opq`, a hard link written once and
//! then as a link entry. Real bytes are written as they are; sized catalog content becomes a
//! deterministic placeholder of the same size. Streaming: nothing is held beyond one header.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};

use sha2::{Digest, Sha256};

use super::diff::{Change, ChangeKind};
use super::node::{Content, Meta, Node};

/// Writes the layer tar of `changes` to `out`.
pub fn write_layer<W: Write>(changes: &[Change], out: W) -> io::Result<W> {
    let mut builder = tar::Builder::new(out);
    let mut first_of_group: BTreeMap<u64, String> = BTreeMap::new();
    for change in changes {
        match &change.kind {
            ChangeKind::Deleted => {
                let (dir, name) = split(&change.path);
                append_empty(&mut builder, &join(dir, &format!(".wh.{name}")), &WHITEOUT_META)?;
            }
            ChangeKind::Opaque(node) => {
                append_node(&mut builder, &change.path, node, &mut first_of_group)?;
                append_empty(&mut builder, &join(&change.path, ".wh..wh..opq"), &WHITEOUT_META)?;
            }
            ChangeKind::Put(node) => append_node(&mut builder, &change.path, node, &mut first_of_group)?,
        }
    }
    builder.into_inner()
}

/// `sha256:` + the digest of the layer tar: its DiffID.
pub fn diff_id(changes: &[Change]) -> String {
    let hasher = write_layer(changes, HashWriter(Sha256::new())).map(|w| w.0);
    // Writing into a hasher cannot fail; an error here would be a tar header the crate refuses.
    match hasher {
        Ok(h) => format!("sha256:{:x}", h.finalize()),
        Err(e) => format!("invalid layer: {e}"),
    }
}

/// The layer's identity, cheap enough for every rebuild: a layer of real bytes only is
/// digested as its tar (so it equals `diff_id`, what an export writes); a layer holding
/// catalog content is digested over its entries and the content ids instead, so a 300 MB
/// package layer is not hashed byte by byte on each keystroke. Either way the same changes
/// give the same digest, and any change to a path, metadata or content changes it.
pub fn layer_digest(changes: &[Change]) -> String {
    if !changes.iter().any(|c| sized(&c.kind)) {
        return diff_id(changes);
    }
    let mut h = Sha256::new();
    h.update(b"layerlab structural layer v1\n");
    for change in changes {
        h.update(change.path.as_bytes());
        match &change.kind {
            ChangeKind::Deleted => h.update(b"\0deleted\n"),
            ChangeKind::Opaque(node) => {
                h.update(b"\0opaque");
                hash_node(&mut h, node);
            }
            ChangeKind::Put(node) => hash_node(&mut h, node),
        }
    }
    format!("sha256:{:x}", h.finalize())
}

fn sized(kind: &ChangeKind) -> bool {
    matches!(kind, ChangeKind::Put(Node::File(f)) if matches!(f.content, Content::Sized { .. }))
}

fn hash_node(h: &mut Sha256, node: &Node) {
    let m = node.meta();
    h.update(format!("\0{:o} {} {} {}", m.mode, m.uid, m.gid, m.mtime).as_bytes());
    match node {
        Node::Dir(_) => h.update(b" dir\n"),
        Node::Symlink { target, .. } => h.update(format!(" -> {target}\n").as_bytes()),
        Node::File(f) => {
            h.update(format!(" link{} ", f.link_group).as_bytes());
            match &f.content {
                Content::Bytes(bytes) => h.update(Sha256::digest(bytes)),
                Content::Sized { size, id } => h.update(format!("{size} {id}").as_bytes()),
            }
            h.update(b"\n");
        }
    }
}

struct HashWriter(Sha256);

impl Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Whiteouts are empty regular files; their metadata is fixed so the digest depends only
/// on what was deleted.
const WHITEOUT_META: Meta = Meta { mode: 0o644, uid: 0, gid: 0, mtime: 0 };

fn split(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() { name.to_string() } else { format!("{dir}/{name}") }
}

fn header(meta: &Meta, kind: tar::EntryType, size: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(meta.mode);
    h.set_uid(u64::from(meta.uid));
    h.set_gid(u64::from(meta.gid));
    h.set_mtime(meta.mtime.max(0) as u64);
    h.set_size(size);
    h
}

fn append_empty<W: Write>(b: &mut tar::Builder<W>, path: &str, meta: &Meta) -> io::Result<()> {
    let mut h = header(meta, tar::EntryType::Regular, 0);
    b.append_data(&mut h, path, io::empty())
}

fn append_node<W: Write>(b: &mut tar::Builder<W>, path: &str, node: &Node, groups: &mut BTreeMap<u64, String>) -> io::Result<()> {
    match node {
        Node::Dir(d) => {
            let mut h = header(&d.meta, tar::EntryType::Directory, 0);
            b.append_data(&mut h, format!("{path}/"), io::empty())
        }
        Node::Symlink { meta, target } => {
            let mut h = header(meta, tar::EntryType::Symlink, 0);
            b.append_link(&mut h, path, target)
        }
        Node::File(f) if f.link_group != 0 && groups.contains_key(&f.link_group) => {
            let mut h = header(&f.meta, tar::EntryType::Link, 0);
            b.append_link(&mut h, path, &groups[&f.link_group])
        }
        Node::File(f) => {
            if f.link_group != 0 {
                groups.insert(f.link_group, path.to_string());
            }
            let mut h = header(&f.meta, tar::EntryType::Regular, f.content.size());
            match &f.content {
                Content::Bytes(bytes) => b.append_data(&mut h, path, &bytes[..]),
                Content::Sized { size, id } => b.append_data(&mut h, path, Placeholder::new(id, *size)),
            }
        }
    }
}

/// Size-faithful stand-in bytes for catalog content: the line
/// `layerlab placeholder <id>\n` repeated and cut to size, so the same content always
/// exports the same bytes.
pub struct Placeholder {
    line: Vec<u8>,
    remaining: u64,
    offset: usize,
}

impl Placeholder {
    pub fn new(id: &str, size: u64) -> Placeholder {
        Placeholder { line: format!("layerlab placeholder {id}\n").into_bytes(), remaining: size, offset: 0 }
    }
}

impl Read for Placeholder {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut written = 0;
        while written < buf.len() && self.remaining > 0 {
            let take = (self.line.len() - self.offset).min(buf.len() - written).min(self.remaining as usize);
            buf[written..written + take].copy_from_slice(&self.line[self.offset..self.offset + take]);
            written += take;
            self.remaining -= take as u64;
            self.offset = (self.offset + take) % self.line.len();
        }
        Ok(written)
    }
}
