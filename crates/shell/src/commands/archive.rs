//! tar, gzip and gunzip over files with real bytes (what COPY brought, what a step wrote):
//! GNU tar's and gzip's behaviour and messages. Catalog content is known only by its size:
//! `tar -c` still sizes an uncompressed archive of it exactly, but compressing it or
//! unpacking an archive whose members are unknown stops the step with a message.

use std::io::Write;
use std::sync::Arc;

use layerlab_image::fs::archive;
use layerlab_image::fs::{Content, Meta, Node, Snapshot};

use crate::interp::{Flow, Shell, Status};

struct TarArgs {
    mode: char,
    gzip: bool,
    verbose: bool,
    file: Option<String>,
    dir: Option<String>,
    strip: usize,
    no_same_owner: bool,
    members: Vec<String>,
}

fn parse_tar(args: &[String]) -> Result<TarArgs, String> {
    let mut t = TarArgs { mode: ' ', gzip: false, verbose: false, file: None, dir: None, strip: 0, no_same_owner: false, members: Vec::new() };
    let mut words: Vec<String> = args[1..].to_vec();
    // Old style: `tar xzf file` bundles the letters without a dash.
    if let Some(first) = words.first().filter(|w| !w.starts_with('-')) {
        words[0] = format!("-{first}");
    }
    let mut i = 0;
    while i < words.len() {
        let word = words[i].clone();
        i += 1;
        let value = |i: &mut usize| -> Result<String, String> {
            *i += 1;
            words.get(*i - 1).cloned().ok_or_else(|| format!("option requires an argument -- '{}'", word.trim_start_matches('-')))
        };
        if let Some(long) = word.strip_prefix("--") {
            let (name, inline) = long.split_once('=').map_or((long, None), |(n, v)| (n, Some(v.to_string())));
            match name {
                "extract" | "get" => t.mode = 'x',
                "create" => t.mode = 'c',
                "list" => t.mode = 't',
                "gzip" | "gunzip" | "ungzip" => t.gzip = true,
                "verbose" => t.verbose = true,
                "file" => t.file = Some(inline.map_or_else(|| value(&mut i), Ok)?),
                "directory" => t.dir = Some(inline.map_or_else(|| value(&mut i), Ok)?),
                "strip-components" => t.strip = inline.map_or_else(|| value(&mut i), Ok)?.parse().map_err(|_| "invalid strip count".to_string())?,
                "no-same-owner" => t.no_same_owner = true,
                "same-owner" | "no-same-permissions" | "same-permissions" | "preserve-permissions" | "overwrite" | "keep-old-files" | "numeric-owner" | "auto-compress" | "warning=no-unknown-keyword" => {}
                _ => return Err(format!("unrecognized option '--{name}'")),
            }
            continue;
        }
        if let Some(letters) = word.strip_prefix('-').filter(|l| !l.is_empty()) {
            let letters: Vec<char> = letters.chars().collect();
            for (j, c) in letters.iter().enumerate() {
                match c {
                    'x' | 'c' | 't' => t.mode = *c,
                    'z' => t.gzip = true,
                    'v' => t.verbose = true,
                    'o' => t.no_same_owner = true,
                    'p' | 'a' | 'k' => {}
                    'f' | 'C' => {
                        let rest: String = letters[j + 1..].iter().collect();
                        let v = if rest.is_empty() { value(&mut i)? } else { rest };
                        if *c == 'f' { t.file = Some(v) } else { t.dir = Some(v) }
                        break;
                    }
                    'j' | 'J' => return Err(format!("-{c}: bzip2 and xz are not simulated")),
                    _ => return Err(format!("invalid option -- '{c}'")),
                }
            }
            continue;
        }
        t.members.push(word);
    }
    Ok(t)
}

pub fn tar(sh: &mut Shell, args: &[String]) -> Status {
    let t = match parse_tar(args) {
        Ok(t) if t.mode != ' ' => t,
        Ok(_) => return fail(sh, "tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\nTry 'tar --help' or 'tar --usage' for more information.\n"),
        Err(e) if e.contains("not simulated") => return Err(Flow::Abort(format!("layerlab: tar {e}"))),
        Err(e) => return fail(sh, &format!("tar: {e}\nTry 'tar --help' or 'tar --usage' for more information.\n")),
    };
    let Some(file) = t.file.clone() else { return Err(Flow::Abort("layerlab: tar reading or writing standard input/output is not simulated; give the archive with -f".into())) };
    let path = sh.absolute(&file);
    match t.mode {
        'c' => create(sh, &t, &path),
        _ => extract_or_list(sh, &t, &file, &path),
    }
}

fn fail(sh: &mut Shell, message: &str) -> Status {
    sh.err(message)?;
    Ok(2)
}

fn extract_or_list(sh: &mut Shell, t: &TarArgs, file: &str, path: &str) -> Status {
    let bytes = match sh.fs.get(path, true) {
        Ok(Node::File(f)) => match &f.content {
            Content::Bytes(b) => b.clone(),
            Content::Sized { .. } => {
                return Err(Flow::Abort(format!("layerlab: {file} is catalog content known only by its size; its members are not known, so `tar` cannot unpack it here")))
            }
        },
        _ => return fail(sh, &format!("tar: {file}: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n")),
    };
    if let archive::Compression::Unsupported(kind) = archive::compression(&bytes) {
        return Err(Flow::Abort(format!("layerlab: {file} is {kind}-compressed, which the simulator cannot decompress")));
    }
    if t.mode == 't' {
        let mut scratch = Snapshot::empty(Meta { mode: 0o755, uid: 0, gid: 0, mtime: 0 });
        let names = archive::unpack(&mut scratch, "/", &bytes, 0, None).map_err(|e| Flow::Abort(format!("layerlab: tar: {e}")))?;
        let listing: String = names.iter().map(|n| if t.verbose { long_listing(n) } else { format!("{}\n", n.name) }).collect();
        sh.out(&listing)?;
        return Ok(0);
    }
    sh.add_disk(bytes.len() as u64)?;
    let dest = sh.absolute_clean(t.dir.as_deref().unwrap_or("."));
    if !matches!(sh.fs.get(&dest, true), Ok(Node::Dir(_))) {
        return fail(sh, &format!("tar: {}: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n", t.dir.as_deref().unwrap_or(".")));
    }
    // Root keeps the archive's owners (GNU tar's --same-owner default for root).
    let owner = (sh.user.uid != 0 || t.no_same_owner).then_some((sh.user.uid, sh.user.gid));
    let names = archive::unpack(sh.fs, &dest, &bytes, t.strip, owner).map_err(|e| Flow::Abort(format!("layerlab: tar: {e}")))?;
    if t.verbose {
        for n in names {
            sh.out(&format!("{}\n", n.name))?;
        }
    }
    Ok(0)
}

/// GNU tar's `-tv` line: type and mode, `user/group` (or ids) with the size right-aligned
/// so the two fill 19 columns, the time as `YYYY-MM-DD HH:MM`, the name (`-> target` for a
/// symlink, `link to target` for a hard link).
fn long_listing(n: &archive::Unpacked) -> String {
    let owner = if n.uname.is_empty() { n.uid.to_string() } else { n.uname.clone() };
    let group = if n.gname.is_empty() { n.gid.to_string() } else { n.gname.clone() };
    let who = format!("{owner}/{group}");
    let width = 19usize.saturating_sub(who.len() + 1).max(1);
    let t = super::calendar::at(n.mtime);
    let (y, mo, d, h, mi) = (t.year, t.month, t.day, t.hour, t.minute);
    // A hard link shows as a plain file of size 0.
    let (kind, size) = if n.kind == 'h' { ('-', 0) } else { (n.kind, n.size) };
    let suffix = match n.kind {
        'l' => format!(" -> {}", n.link),
        'h' => format!(" link to {}", n.link),
        _ => String::new(),
    };
    format!("{kind}{} {who} {size:>width$} {y:04}-{mo:02}-{d:02} {h:02}:{mi:02} {}{suffix}\n", super::files::mode_string(n.mode), n.name)
}

/// `tar -c`: a real archive when every member has real bytes (gzip-compressed with -z);
/// with catalog content, an uncompressed archive of the exact size GNU tar writes.
fn create(sh: &mut Shell, t: &TarArgs, path: &str) -> Status {
    if t.members.is_empty() {
        return fail(sh, "tar: Cowardly refusing to create an empty archive\nTry 'tar --help' or 'tar --usage' for more information.\n");
    }
    let base = sh.absolute_clean(t.dir.as_deref().unwrap_or("."));
    let mut entries = Vec::new();
    let mut failed = false;
    if t.members.iter().any(|m| m.starts_with('/')) {
        sh.err("tar: Removing leading `/' from member names\n")?;
    }
    for member in &t.members {
        let root = if member.starts_with('/') { sh.absolute_clean(member) } else { sh.absolute_clean(&format!("{base}/{member}")) };
        let member = member.trim_start_matches('/');
        if sh.fs.get(&root, false).is_err() {
            sh.err(&format!("tar: {member}: Cannot stat: No such file or directory\n"))?;
            failed = true;
            continue;
        }
        let prefix = format!("{}/", root.trim_start_matches('/'));
        let walked = sh.fs.walk();
        let below = walked.iter().filter(|(p, _)| format!("{p}/") == prefix || p.starts_with(&prefix));
        for (p, node) in below {
            let relative = format!("{}{}", member.trim_end_matches('/'), &p[root.trim_start_matches('/').len()..]);
            entries.push((relative, (*node).clone()));
        }
    }
    let sized: u64 = entries.iter().filter_map(|(_, n)| match n { Node::File(f) if matches!(f.content, Content::Sized { .. }) => Some(f.content.size()), _ => None }).sum();
    let content = if sized > 0 || entries.iter().any(|(_, n)| matches!(n, Node::File(f) if matches!(f.content, Content::Sized { .. }))) {
        if t.gzip {
            return Err(Flow::Abort("layerlab: these files are catalog content known only by their size; how well gzip compresses them is unknown, so `tar -z` cannot be simulated".into()));
        }
        Content::Sized { size: tar_size(&entries), id: Arc::from(format!("tar:{path}")) }
    } else {
        let bytes = write_tar(&entries, &Names { users: crate::accounts::accounts(sh.fs), groups: crate::accounts::groups(sh.fs) }).map_err(|e| Flow::Abort(format!("layerlab: tar: {e}")))?;
        let bytes = if t.gzip { gzip_bytes(&bytes) } else { bytes };
        Content::Bytes(Arc::from(bytes))
    };
    sh.add_disk(content.size())?;
    if t.verbose {
        for (name, node) in &entries {
            sh.out(&format!("{name}{}\n", if matches!(node, Node::Dir(_)) { "/" } else { "" }))?;
        }
    }
    let meta = Meta { mode: 0o644, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now };
    sh.fs.write_file(path, content, meta).map_err(|e| Flow::Abort(format!("layerlab: tar could not write {path}: {}", e.message())))?;
    if failed {
        return fail(sh, "tar: Exiting with failure status due to previous errors\n");
    }
    Ok(0)
}

/// GNU tar's archive size: a 512-byte header per member (long names add a header and their
/// name's blocks), contents padded to 512, two zero blocks, rounded up to 10 KiB records.
fn tar_size(entries: &[(String, Node)]) -> u64 {
    let blocks = |n: u64| n.div_ceil(512) * 512;
    let mut total = 0;
    for (name, node) in entries {
        let name_len = name.len() as u64 + u64::from(matches!(node, Node::Dir(_)));
        if name_len > 100 {
            total += 512 + blocks(name_len + 1);
        }
        total += 512;
        if let Node::File(f) = node {
            total += blocks(f.content.size());
        }
    }
    (total + 1024).div_ceil(10_240) * 10_240
}

/// The image's user and group names by id, which GNU tar writes into each header.
struct Names {
    users: Vec<crate::accounts::Account>,
    groups: Vec<crate::accounts::Group>,
}

fn write_tar(entries: &[(String, Node)], names: &Names) -> std::io::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, node) in entries {
        let mut header = tar::Header::new_gnu();
        let meta = node.meta();
        header.set_mode(meta.mode);
        header.set_uid(u64::from(meta.uid));
        header.set_gid(u64::from(meta.gid));
        if let Some(user) = names.users.iter().find(|a| a.uid == meta.uid) {
            header.set_username(&user.name)?;
        }
        if let Some(group) = names.groups.iter().find(|g| g.gid == meta.gid) {
            header.set_groupname(&group.name)?;
        }
        header.set_mtime(meta.mtime.max(0) as u64);
        match node {
            Node::Dir(_) => {
                header.set_entry_type(tar::EntryType::Directory);
                header.set_size(0);
                builder.append_data(&mut header, format!("{name}/"), &[][..])?;
            }
            Node::Symlink { target, .. } => {
                header.set_entry_type(tar::EntryType::Symlink);
                header.set_size(0);
                builder.append_link(&mut header, name, target)?;
            }
            Node::File(f) => {
                let Content::Bytes(bytes) = &f.content else { continue };
                header.set_size(bytes.len() as u64);
                builder.append_data(&mut header, name, &bytes[..])?;
            }
        }
    }
    let mut bytes = builder.into_inner()?;
    let record = bytes.len().div_ceil(10_240) * 10_240;
    bytes.resize(record, 0);
    Ok(bytes)
}

fn gzip_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// `gzip FILE...` (`-d` is gunzip; `-k` keeps the input): real compression of real bytes.
pub fn gzip(sh: &mut Shell, args: &[String]) -> Status {
    let name = args[0].rsplit('/').next().unwrap_or(&args[0]).to_string();
    let flags: String = args[1..].iter().filter(|a| a.starts_with('-') && !a.starts_with("--")).map(|a| &a[1..]).collect();
    let decompress = name == "gunzip" || flags.contains('d') || args.iter().any(|a| a == "--decompress");
    let keep = flags.contains('k') || args.iter().any(|a| a == "--keep");
    if flags.contains('c') || args.iter().any(|a| a == "--stdout") {
        return Err(Flow::Abort(format!("layerlab: {name} -c (compressed bytes to standard output) is not simulated")));
    }
    let files: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with('-')).collect();
    let mut status = 0;
    for file in files {
        let path = sh.absolute(file);
        let (meta, bytes) = match sh.fs.get(&path, true) {
            Ok(Node::File(f)) => match &f.content {
                Content::Bytes(b) => (f.meta, b.clone()),
                Content::Sized { .. } => return Err(Flow::Abort(format!("layerlab: {file} is catalog content known only by its size, so {name} cannot be simulated on it"))),
            },
            _ => {
                sh.err(&format!("gzip: {file}: No such file or directory\n"))?;
                status = 1;
                continue;
            }
        };
        let (out, data) = if decompress {
            let stem = file.strip_suffix(".gz").map(str::to_string).or_else(|| file.strip_suffix(".tgz").map(|s| format!("{s}.tar")));
            let Some(stem) = stem else {
                sh.err(&format!("gzip: {file}: unknown suffix -- ignored\n"))?;
                status = 2;
                continue;
            };
            match archive::decompress(&bytes) {
                Ok(plain) if archive::compression(&bytes) == archive::Compression::Gzip => (stem, plain),
                _ => {
                    sh.err(&format!("gzip: {file}: not in gzip format\n"))?;
                    status = 1;
                    continue;
                }
            }
        } else {
            (format!("{file}.gz"), gzip_bytes(&bytes))
        };
        sh.add_disk(data.len() as u64)?;
        let out = sh.absolute(&out);
        sh.fs.write_file(&out, Content::Bytes(Arc::from(data)), meta).map_err(|e| Flow::Abort(format!("layerlab: {name} could not write {out}: {}", e.message())))?;
        if !keep {
            let _ = sh.fs.remove(&path, false);
        }
    }
    Ok(status)
}
