//! A base image layer's file manifest: one line per entry, tab-separated
//! (`path type mode uid gid size link`), the form the generator writes and the engine reads.
//!
//! Text rather than JSON objects because a slim Debian has ~4,200 entries: as lines they gzip
//! to ~34 KB, and parsing them is a split per line.

use std::fmt::Write as _;

/// What an entry is, as a tar header says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Symlink,
    /// A hard link to the earlier entry named by `link`.
    Hardlink,
    CharDevice,
    BlockDevice,
    Fifo,
    /// An OCI whiteout: the entry is deleted by this layer.
    Whiteout,
}

impl Kind {
    fn code(self) -> char {
        match self {
            Kind::File => 'f',
            Kind::Dir => 'd',
            Kind::Symlink => 'l',
            Kind::Hardlink => 'h',
            Kind::CharDevice => 'c',
            Kind::BlockDevice => 'b',
            Kind::Fifo => 'p',
            Kind::Whiteout => 'w',
        }
    }

    fn from_code(code: &str) -> Option<Kind> {
        Some(match code {
            "f" => Kind::File,
            "d" => Kind::Dir,
            "l" => Kind::Symlink,
            "h" => Kind::Hardlink,
            "c" => Kind::CharDevice,
            "b" => Kind::BlockDevice,
            "p" => Kind::Fifo,
            "w" => Kind::Whiteout,
            _ => return None,
        })
    }
}

/// One path of a layer. `path` is relative to `/`, without a leading `./` or trailing `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub kind: Kind,
    /// Permission bits including setuid/setgid/sticky (`0o4755`).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Bytes of a regular file; 0 for everything else.
    pub size: u64,
    /// Symlink target, or the path a hardlink points to; empty otherwise.
    pub link: String,
}

impl Entry {
    /// What the entry adds to `docker images`' size: a file's bytes, a symlink's target
    /// length; hardlinks and directories add nothing.
    pub fn docker_size(&self) -> u64 {
        match self.kind {
            Kind::File => self.size,
            Kind::Symlink => self.link.len() as u64,
            _ => 0,
        }
    }
}

/// Writes entries as manifest text.
pub fn encode(entries: &[Entry]) -> String {
    let mut out = String::with_capacity(entries.len() * 48);
    for e in entries {
        let _ = writeln!(
            out,
            "{}\t{}\t{:o}\t{}\t{}\t{}\t{}",
            e.path,
            e.kind.code(),
            e.mode,
            e.uid,
            e.gid,
            e.size,
            e.link
        );
    }
    out
}

/// A manifest line that does not have the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    pub line: usize,
    pub text: String,
}

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "manifest line {}: malformed entry {:?}", self.line, self.text)
    }
}

/// Reads manifest text back into entries.
pub fn decode(text: &str) -> Result<Vec<Entry>, ManifestError> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.is_empty())
        .map(|(i, line)| {
            decode_line(line).ok_or_else(|| ManifestError { line: i + 1, text: line.to_string() })
        })
        .collect()
}

fn decode_line(line: &str) -> Option<Entry> {
    let mut fields = line.splitn(7, '\t');
    let path = fields.next()?.to_string();
    let kind = Kind::from_code(fields.next()?)?;
    let mode = u32::from_str_radix(fields.next()?, 8).ok()?;
    let uid = fields.next()?.parse().ok()?;
    let gid = fields.next()?.parse().ok()?;
    let size = fields.next()?.parse().ok()?;
    let link = fields.next()?.to_string();
    Some(Entry { path, kind, mode, uid, gid, size, link })
}

/// The `docker images` size of a set of entries.
pub fn docker_size(entries: &[Entry]) -> u64 {
    entries.iter().map(Entry::docker_size).sum()
}
