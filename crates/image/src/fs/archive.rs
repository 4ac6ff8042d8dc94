//! Tar archives with real bytes (from the build context, or written by a step) unpacked
//! into a snapshot, as `ADD archive.tar.gz /dir/` and `tar -xf` unpack them: plain and
//! gzip-compressed tars; entries keep their mode, owner and mtime; `..` cannot climb out
//! of the destination.

use std::io::Read;
use std::sync::Arc;

use super::{Content, FsError, Meta, Snapshot};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    /// bzip2 or xz: Docker unpacks them, the simulator has no decoder for them.
    Unsupported(&'static str),
}

/// What the first bytes say the archive is compressed with (Docker's detection).
pub fn compression(bytes: &[u8]) -> Compression {
    match bytes {
        [0x1f, 0x8b, ..] => Compression::Gzip,
        [b'B', b'Z', b'h', ..] => Compression::Unsupported("bzip2"),
        [0xfd, b'7', b'z', b'X', b'Z', 0x00, ..] => Compression::Unsupported("xz"),
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression::Unsupported("zstd"),
        _ => Compression::None,
    }
}

/// Whether `bytes` hold a tar archive, maybe compressed: what makes `ADD` unpack a local
/// file instead of copying it.
pub fn is_archive(bytes: &[u8]) -> bool {
    let Ok(plain) = decompress(bytes) else { return matches!(compression(bytes), Compression::Unsupported(_)) };
    // A tar header's checksum field and the `ustar` magic (GNU and POSIX both have it).
    plain.len() >= 512 && (&plain[257..262] == b"ustar" || tar::Archive::new(&plain[..]).entries().is_ok_and(|mut e| e.next().is_some_and(|x| x.is_ok())))
}

pub fn decompress(bytes: &[u8]) -> Result<Vec<u8>, String> {
    match compression(bytes) {
        Compression::None => Ok(bytes.to_vec()),
        Compression::Gzip => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out).map_err(|e| format!("gzip: {e}"))?;
            Ok(out)
        }
        Compression::Unsupported(kind) => Err(format!("{kind}-compressed archives are not simulated")),
    }
}

/// One unpacked entry, for the tool's listing: its header as the archive holds it.
pub struct Unpacked {
    /// As the archive names it (`dir/file`).
    pub name: String,
    /// `-`, `d`, `l` or `h` (a hard link), as `tar -tv` shows the type.
    pub kind: char,
    /// Permission bits (with setuid, setgid and sticky).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// User and group names the header carries (empty when it has none).
    pub uname: String,
    pub gname: String,
    pub size: u64,
    pub mtime: i64,
    /// A link's target.
    pub link: String,
}

/// Unpacks `bytes` under `dest`, dropping `strip` leading path components as
/// `--strip-components` does. `owner` replaces the archive's uid/gid when set (tar run by a
/// non-root user, or `--no-same-owner`).
pub fn unpack(fs: &mut Snapshot, dest: &str, bytes: &[u8], strip: usize, owner: Option<(u32, u32)>) -> Result<Vec<Unpacked>, String> {
    let plain = decompress(bytes)?;
    let mut archive = tar::Archive::new(&plain[..]);
    let mut unpacked = Vec::new();
    for entry in archive.entries().map_err(|e| format!("tar: {e}"))? {
        let mut entry = entry.map_err(|e| format!("tar: {e}"))?;
        let name = entry.path().map_err(|e| format!("tar: {e}"))?.to_string_lossy().into_owned();
        let parts: Vec<&str> = name.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
        if parts.len() <= strip || parts.contains(&"..") {
            continue;
        }
        let path = format!("{}/{}", dest.trim_end_matches('/'), parts[strip..].join("/"));
        let header = entry.header();
        let (uid, gid) = owner.unwrap_or((header.uid().unwrap_or(0) as u32, header.gid().unwrap_or(0) as u32));
        let meta = Meta { mode: header.mode().unwrap_or(0o644) & 0o7777, uid, gid, mtime: header.mtime().unwrap_or(0) as i64 };
        let parent = path.rsplit_once('/').map_or("/", |(d, _)| if d.is_empty() { "/" } else { d }).to_string();
        let parent_meta = Meta { mode: 0o755, ..meta };
        let kind = header.entry_type();
        let placed: Result<(), FsError> = if kind.is_dir() {
            fs.mkdir_all(&path, meta).and_then(|()| fs.set_meta(&path, |m| *m = meta))
        } else if kind.is_symlink() {
            let target = entry.link_name().ok().flatten().map(|t| t.to_string_lossy().into_owned()).unwrap_or_default();
            fs.mkdir_all(&parent, parent_meta).and_then(|()| fs.symlink(&target, &path, meta, true))
        } else if kind.is_hard_link() {
            let target = entry.link_name().ok().flatten().map(|t| t.to_string_lossy().into_owned()).unwrap_or_default();
            let target_parts: Vec<&str> = target.split('/').filter(|p| !p.is_empty()).collect();
            let source = format!("{}/{}", dest.trim_end_matches('/'), target_parts.get(strip..).map(|p| p.join("/")).unwrap_or_default());
            fs.mkdir_all(&parent, parent_meta).and_then(|()| fs.hardlink(&source, &path))
        } else if kind.is_file() || kind == tar::EntryType::Continuous {
            let mut data = Vec::new();
            entry.read_to_end(&mut data).map_err(|e| format!("tar: {name}: {e}"))?;
            fs.mkdir_all(&parent, parent_meta).and_then(|()| fs.write_file(&path, Content::Bytes(Arc::from(data)), meta))
        } else {
            // Devices and fifos: an unprivileged unpacker skips them, and so does this one.
            continue;
        };
        placed.map_err(|e| format!("{path}: {}", e.message()))?;
        let header = entry.header();
        let kind = match kind {
            k if k.is_dir() => 'd',
            k if k.is_symlink() => 'l',
            k if k.is_hard_link() => 'h',
            _ => '-',
        };
        let text = |field: Result<Option<&str>, std::str::Utf8Error>| field.ok().flatten().unwrap_or_default().to_string();
        let link = entry.link_name().ok().flatten().map(|t| t.to_string_lossy().into_owned()).unwrap_or_default();
        unpacked.push(Unpacked {
            name,
            kind,
            mode: header.mode().unwrap_or(0) & 0o7777,
            uid: header.uid().unwrap_or(0) as u32,
            gid: header.gid().unwrap_or(0) as u32,
            uname: text(header.username()),
            gname: text(header.groupname()),
            size: header.size().unwrap_or(0),
            mtime: header.mtime().unwrap_or(0) as i64,
            link,
        });
    }
    Ok(unpacked)
}
