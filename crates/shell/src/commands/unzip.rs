//! `unzip`, as Info-ZIP's UnZip 6.00 (Debian's and Ubuntu's package) extracts and lists a
//! zip archive the build holds the bytes of (a file of the context, or one the step wrote):
//! `-d DIR`, `-o` (overwrite), `-n` (never), `-q`/`-qq`, `-l`. Stored and deflated members;
//! Unix modes and the extended timestamp when the archive has them. Without `-o`, an
//! existing file makes unzip ask, and with a RUN step's empty standard input it keeps every
//! existing file and exits 1, as the real one does. BusyBox's applet (Alpine) prints
//! `  inflating:` for every file; its listing and prompt stop the step with a message.

use std::io::Read;
use std::sync::Arc;

use layerlab_image::fs::{Content, Meta, Node};

use crate::interp::{Flow, Shell, Status};

/// One member of the central directory.
struct Member {
    name: String,
    method: u16,
    compressed: usize,
    size: usize,
    mode: Option<u32>,
    mtime: i64,
    data_start: usize,
}

pub fn unzip(sh: &mut Shell, args: &[String]) -> Status {
    let mut options = Options::default();
    let mut operands = Vec::new();
    let mut i = 1;
    while let Some(arg) = args.get(i) {
        i += 1;
        match arg.as_str() {
            "-d" => {
                options.dir = args.get(i).cloned();
                i += 1;
            }
            _ if arg.starts_with('-') && arg.len() > 1 => {
                for (j, c) in arg[1..].char_indices() {
                    match c {
                        // `-qd DIR`: the directory follows in the same word or the next.
                        'd' => {
                            let rest = &arg[2 + j..];
                            options.dir = if rest.is_empty() { args.get(i).cloned().inspect(|_| i += 1) } else { Some(rest.to_string()) };
                            break;
                        }
                        'o' => options.overwrite = Some(true),
                        'n' => options.overwrite = Some(false),
                        'q' => options.quiet += 1,
                        'l' => options.list = true,
                        'j' | 'u' | 'f' | 'X' | 'K' | 'a' | 'b' | 'C' | 'L' | 'v' => {}
                        other => return Err(Flow::Abort(format!("layerlab: unzip's -{other} is not simulated"))),
                    }
                }
            }
            _ => operands.push(arg.clone()),
        }
    }
    let Some(archive) = operands.first().cloned() else {
        return Err(Flow::Abort("layerlab: unzip without an archive prints its usage, which Layerlab does not reproduce".into()));
    };
    if operands.len() > 1 {
        return Err(Flow::Abort("layerlab: unzip with member names to select is not simulated".into()));
    }
    let Some(bytes) = archive_bytes(sh, &archive)? else {
        sh.err(&format!("unzip:  cannot find or open {archive}, {archive}.zip or {archive}.ZIP.\n"))?;
        return Ok(9);
    };
    let members = members(&bytes).map_err(|e| Flow::Abort(format!("layerlab: {archive} is not a zip archive Layerlab can read ({e})")))?;
    let busybox = sh.command_is_busybox();
    if options.list {
        if busybox {
            return Err(Flow::Abort("layerlab: BusyBox's `unzip -l` listing is not simulated (Info-ZIP's is)".into()));
        }
        return list(sh, &archive, &members);
    }
    options.busybox = busybox;
    extract(sh, &archive, &bytes, &members, &options)
}

#[derive(Default)]
struct Options {
    dir: Option<String>,
    /// `-o` (Some(true)), `-n` (Some(false)), or ask.
    overwrite: Option<bool>,
    quiet: u32,
    list: bool,
    /// BusyBox's applet (Alpine): `  inflating:` for every file, names unpadded.
    busybox: bool,
}

/// The archive's bytes: the file as named, else with `.zip` added as unzip tries.
fn archive_bytes(sh: &Shell, name: &str) -> Result<Option<Arc<[u8]>>, Flow> {
    for candidate in [name.to_string(), format!("{name}.zip"), format!("{name}.ZIP")] {
        let path = sh.absolute(&candidate);
        if let Ok(Node::File(f)) = sh.fs.get(&path, true) {
            return match &f.content {
                Content::Bytes(b) => Ok(Some(b.clone())),
                Content::Sized { size, .. } => Err(Flow::Abort(format!(
                    "layerlab: only the size of {candidate} ({size} bytes) is part of the simulation, not its bytes, so unzip cannot read its members"
                ))),
            };
        }
    }
    Ok(None)
}

fn u16_at(b: &[u8], at: usize) -> Result<u16, String> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]])).ok_or_else(|| "truncated".to_string())
}

fn u32_at(b: &[u8], at: usize) -> Result<u32, String> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]])).ok_or_else(|| "truncated".to_string())
}

/// The central directory, found from the end-of-central-directory record.
fn members(b: &[u8]) -> Result<Vec<Member>, String> {
    let eocd = (0..b.len().saturating_sub(21)).rev().find(|&i| b[i..].starts_with(&[0x50, 0x4b, 0x05, 0x06])).ok_or("no end of central directory")?;
    let count = u16_at(b, eocd + 10)? as usize;
    let mut at = u32_at(b, eocd + 16)? as usize;
    let mut members = Vec::new();
    for _ in 0..count {
        if u32_at(b, at)? != 0x0201_4b50 {
            return Err("bad central directory entry".into());
        }
        let made_by_unix = u16_at(b, at + 4)? >> 8 == 3;
        let method = u16_at(b, at + 10)?;
        let (time, date) = (u16_at(b, at + 12)?, u16_at(b, at + 14)?);
        let compressed = u32_at(b, at + 20)? as usize;
        let size = u32_at(b, at + 24)? as usize;
        let (name_len, extra_len, comment_len) = (u16_at(b, at + 28)? as usize, u16_at(b, at + 30)? as usize, u16_at(b, at + 32)? as usize);
        let external = u32_at(b, at + 38)?;
        let local = u32_at(b, at + 42)? as usize;
        let name = String::from_utf8_lossy(b.get(at + 46..at + 46 + name_len).ok_or("truncated name")?).into_owned();
        let extra = b.get(at + 46 + name_len..at + 46 + name_len + extra_len).unwrap_or(&[]);
        let mtime = unix_time(extra).unwrap_or_else(|| dos_time(date, time));
        let local_name_len = u16_at(b, local + 26)? as usize;
        let local_extra_len = u16_at(b, local + 28)? as usize;
        let mode = made_by_unix.then_some(external >> 16).filter(|m| *m != 0);
        members.push(Member { name, method, compressed, size, mode, mtime, data_start: local + 30 + local_name_len + local_extra_len });
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok(members)
}

/// The extended timestamp extra field (`UT`, 0x5455): the exact Unix mtime.
fn unix_time(mut extra: &[u8]) -> Option<i64> {
    while extra.len() >= 4 {
        let (id, len) = (u16::from_le_bytes([extra[0], extra[1]]), u16::from_le_bytes([extra[2], extra[3]]) as usize);
        let body = extra.get(4..4 + len)?;
        if id == 0x5455 && body.len() >= 5 && body[0] & 1 == 1 {
            return Some(i64::from(u32::from_le_bytes([body[1], body[2], body[3], body[4]])));
        }
        extra = &extra[4 + len.min(extra.len() - 4)..];
    }
    None
}

/// MS-DOS date and time (local time, which is UTC in a build container), 2 s resolution.
fn dos_time(date: u16, time: u16) -> i64 {
    let (year, month, day) = (1980 + i64::from(date >> 9), u32::from((date >> 5) & 15), u32::from(date & 31));
    let (hour, minute, second) = (i64::from(time >> 11), i64::from((time >> 5) & 63), i64::from(time & 31) * 2);
    crate::commands::calendar::days_from_civil(year, month.max(1), day.max(1)) * 86_400 + hour * 3600 + minute * 60 + second
}

fn data(bytes: &[u8], m: &Member) -> Result<Vec<u8>, String> {
    let raw = bytes.get(m.data_start..m.data_start + m.compressed).ok_or("truncated member")?;
    match m.method {
        0 => Ok(raw.to_vec()),
        8 => {
            let mut out = Vec::with_capacity(m.size);
            flate2::read::DeflateDecoder::new(raw).take(m.size as u64 + 1).read_to_end(&mut out).map_err(|e| e.to_string())?;
            Ok(out)
        }
        other => Err(format!("compression method {other}")),
    }
}

fn list(sh: &mut Shell, archive: &str, members: &[Member]) -> Status {
    let mut text = format!("Archive:  {archive}\n  Length      Date    Time    Name\n---------  ---------- -----   ----\n");
    for m in members {
        let t = crate::commands::calendar::at(m.mtime);
        let stamp = format!("{}-{:02}-{:02} {:02}:{:02}", t.year, t.month, t.day, t.hour, t.minute);
        text += &format!("{:>9}  {stamp}   {}\n", m.size, m.name);
    }
    let total: usize = members.iter().map(|m| m.size).sum();
    let files = if members.len() == 1 { "file" } else { "files" };
    text += &format!("---------                     -------\n{total:>9}                     {} {files}\n", members.len());
    sh.out(&text)?;
    Ok(0)
}

fn extract(sh: &mut Shell, archive: &str, bytes: &[u8], members: &[Member], options: &Options) -> Status {
    let base = sh.absolute_clean(options.dir.as_deref().unwrap_or("."));
    let shown = |name: &str| match &options.dir {
        Some(dir) => format!("{}/{name}", dir.trim_end_matches('/')),
        None => name.to_string(),
    };
    if options.quiet == 0 {
        sh.out(&format!("Archive:  {archive}\n"))?;
    }
    let mut status = 0;
    let mut declined_all = false;
    for m in members {
        let path = format!("{}/{}", base.trim_end_matches('/'), m.name.trim_end_matches('/'));
        let meta = Meta { mode: m.mode.unwrap_or(if m.name.ends_with('/') { 0o40755 } else { 0o100644 }) & 0o7777, uid: sh.user.uid, gid: sh.user.gid, mtime: m.mtime };
        if m.name.ends_with('/') {
            if sh.fs.get(&path, true).is_err() {
                make_parents(sh, &path)?;
                sh.fs.mkdir(&path, meta).map_err(|e| Flow::Abort(format!("layerlab: unzip: {}", e.message())))?;
                if options.quiet == 0 {
                    sh.out(&format!("   creating: {}\n", shown(&m.name)))?;
                }
            }
            continue;
        }
        if sh.fs.get(&path, false).is_ok() {
            match options.overwrite {
                Some(true) => {}
                Some(false) => continue,
                None if options.busybox => {
                    return Err(Flow::Abort("layerlab: BusyBox unzip's overwrite prompt is not simulated; use -o or -n".into()));
                }
                None => {
                    // The prompt reads the step's empty standard input: `[N]one` for all.
                    if !declined_all {
                        sh.err(&format!("replace {}? [y]es, [n]o, [A]ll, [N]one, [r]ename:  NULL\n(EOF or read error, treating as \"[N]one\" ...)\n", shown(&m.name)))?;
                        declined_all = true;
                        status = 1;
                    }
                    continue;
                }
            }
        }
        let content = data(bytes, m).map_err(|e| Flow::Abort(format!("layerlab: {archive}: {}: {e}", m.name)))?;
        sh.add_disk(content.len() as u64)?;
        make_parents(sh, &path)?;
        sh.fs.write_file(&path, Content::Bytes(content.into()), meta).map_err(|e| Flow::Abort(format!("layerlab: unzip: {}", e.message())))?;
        if options.quiet == 0 && options.busybox {
            sh.out(&format!("  inflating: {}\n", shown(&m.name)))?;
        } else if options.quiet == 0 {
            let verb = if m.method == 0 { "extracting" } else { "inflating" };
            sh.out(&format!("{verb:>11}: {:<22}  \n", shown(&m.name)))?;
        }
    }
    Ok(status)
}

/// Members may come before their directories' own entries, or without them.
fn make_parents(sh: &mut Shell, path: &str) -> Result<(), Flow> {
    let Some((parent, _)) = path.rsplit_once('/').filter(|(p, _)| !p.is_empty()) else { return Ok(()) };
    let meta = Meta { mode: 0o755, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now };
    sh.fs.mkdir_all(parent, meta).map_err(|e| Flow::Abort(format!("layerlab: unzip: {}", e.message())))
}
