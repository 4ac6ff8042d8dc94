//! coreutils' file commands over the snapshot, with their messages in the C locale
//! (`mkdir: cannot create directory 'x': No such file or directory`).

use std::sync::Arc;

use layerlab_image::fs::{Content, FsError, Meta, Node};

use super::calendar::ls_time;
use super::flags::{self, Parsed};
use crate::accounts;
use crate::interp::access::may_change_parent;
use crate::interp::{Flow, Shell, Status};

/// Prints `tool: message` on stderr.
pub fn complain(sh: &mut Shell, tool: &str, message: &str) -> Result<(), Flow> {
    let message = if sh.command_is_busybox() { busybox_wording(tool, message) } else { message.to_string() };
    sh.err(&format!("{tool}: {message}\n"))
}

/// coreutils' failure messages as BusyBox words them (checked in an alpine:3.20 container):
/// `cannot remove 'x': E` is `can't remove 'x': E`, ls's `cannot access 'x': E` is `x: E`...
fn busybox_wording(tool: &str, message: &str) -> String {
    let quoted = |prefix: &str| {
        let rest = message.strip_prefix(prefix)?.strip_prefix('\'')?;
        let (path, reason) = rest.split_once("': ")?;
        Some((path.to_string(), reason.to_string()))
    };
    let rewritten = match tool {
        "ls" | "chmod" | "chown" | "chgrp" | "touch" => quoted("cannot access ").map(|(p, r)| format!("{p}: {r}")),
        "cat" => message.split_once(": ").filter(|(p, _)| !p.contains(' ')).map(|(p, r)| format!("can't open '{p}': {r}")),
        "mkdir" => quoted("cannot create directory ").map(|(p, r)| format!("can't create directory '{p}': {r}")),
        "rm" => quoted("cannot remove ").map(|(p, r)| format!("can't remove '{p}': {r}")),
        "rmdir" => quoted("failed to remove ").map(|(p, r)| format!("'{p}': {r}")),
        "cp" => quoted("cannot stat ").map(|(p, r)| format!("can't stat '{p}': {r}")),
        "mv" => quoted("cannot stat ").map(|(p, r)| format!("can't rename '{p}': {r}")),
        "ln" => quoted("failed to create symbolic link ").or_else(|| quoted("failed to create hard link ")).map(|(p, r)| format!("{p}: {r}")),
        _ => None,
    };
    rewritten.unwrap_or_else(|| message.to_string())
}

/// Parses flags, or prints the tool's `invalid option` message.
pub fn options(sh: &mut Shell, args: &[String], with_value: &[&str]) -> Result<Option<Parsed>, Flow> {
    match flags::parse(&args[1..], with_value) {
        Ok(parsed) => Ok(Some(parsed)),
        Err(option) => {
            let tool = args[0].rsplit('/').next().unwrap_or(&args[0]).to_string();
            complain(sh, &tool, &format!("option requires an argument -- '{option}'"))?;
            Ok(None)
        }
    }
}

fn new_meta(sh: &Shell, mode: u32) -> Meta {
    Meta { mode, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now }
}

fn denied(sh: &Shell, path: &str) -> bool {
    !may_change_parent(sh.fs, path, &sh.user)
}

pub fn mkdir(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &["m", "mode"])? else { return Ok(1) };
    let mode = match opts.value(&["m", "mode"]) {
        Some(m) => match parse_mode(m, 0o777 & !0o022, true) {
            Some(mode) => mode,
            None => {
                complain(sh, "mkdir", &format!("invalid mode '{m}'"))?;
                return Ok(1);
            }
        },
        None => 0o755,
    };
    let parents = opts.has(&["p", "parents"]);
    let mut status = 0;
    for dir in &opts.operands {
        let path = sh.absolute(dir);
        // With -p the folder that must be writable is the parent of the first missing one,
        // and that missing one is what mkdir names (as given: `x` of `x/y`).
        let (checked, shown) = if parents { first_missing(sh, dir) } else { (path.clone(), dir.clone()) };
        if denied(sh, &checked) && sh.fs.get(&checked, true).is_err() {
            complain(sh, "mkdir", &format!("cannot create directory '{shown}': Permission denied"))?;
            status = 1;
            continue;
        }
        let result = if parents { sh.fs.mkdir_all(&path, new_meta(sh, mode)) } else { sh.fs.mkdir(&path, new_meta(sh, mode)) };
        if let Err(e) = result {
            complain(sh, "mkdir", &format!("cannot create directory '{dir}': {}", OpError::from(e)))?;
            status = 1;
        }
    }
    Ok(status)
}

/// The first component of `dir` that does not exist (absolute, and as written), or `dir`
/// itself when everything exists.
fn first_missing(sh: &Shell, dir: &str) -> (String, String) {
    let mut written = String::new();
    for part in dir.split('/') {
        if !written.is_empty() || dir.starts_with('/') {
            written.push('/');
        }
        written.push_str(part);
        let absolute = sh.absolute(&written);
        if !part.is_empty() && sh.fs.get(&absolute, true).is_err() {
            return (absolute, written);
        }
    }
    (sh.absolute(dir), dir.to_string())
}

/// What a file operation failed with: a filesystem error or EACCES.
pub enum OpError {
    Fs(FsError),
    Denied,
}

impl From<FsError> for OpError {
    fn from(e: FsError) -> OpError {
        OpError::Fs(e)
    }
}

impl std::fmt::Display for OpError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            OpError::Fs(e) => f.write_str(e.message()),
            OpError::Denied => f.write_str("Permission denied"),
        }
    }
}

pub fn rmdir(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &[])? else { return Ok(1) };
    let mut status = 0;
    for dir in &opts.operands {
        let path = sh.absolute(dir);
        let result: Result<(), OpError> = match sh.fs.get(&path, false) {
            Ok(Node::Dir(_)) if denied(sh, &path) => Err(OpError::Denied),
            Ok(Node::Dir(_)) => sh.fs.remove(&path, false).map_err(Into::into),
            Ok(_) => Err(FsError::NotADirectory.into()),
            Err(e) => Err(e.into()),
        };
        if let Err(e) = result {
            complain(sh, "rmdir", &format!("failed to remove '{dir}': {e}"))?;
            status = 1;
        }
    }
    Ok(status)
}

pub fn touch(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &["d", "t", "r"])? else { return Ok(1) };
    let mut status = 0;
    for file in &opts.operands {
        let path = sh.absolute(file);
        let now = sh.now;
        let result: Result<(), OpError> = if sh.fs.get(&path, true).is_ok() {
            sh.fs.set_meta(&path, |m| m.mtime = now).map_err(Into::into)
        } else if opts.has(&["c", "no-create"]) {
            Ok(())
        } else if denied(sh, &path) && sh.fs.canonical(&path, true).is_ok() {
            Err(OpError::Denied)
        } else {
            let meta = new_meta(sh, 0o644);
            sh.fs.write_file(&path, Content::Bytes(Arc::from(&[][..])), meta).map_err(Into::into)
        };
        if let Err(e) = result {
            complain(sh, "touch", &format!("cannot touch '{file}': {e}"))?;
            status = 1;
        }
    }
    Ok(status)
}

pub fn rm(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &[])? else { return Ok(1) };
    let recursive = opts.has(&["r", "R", "recursive"]);
    let force = opts.has(&["f", "force"]);
    let mut status = 0;
    for target in &opts.operands {
        let path = sh.absolute(target);
        if recursive && crate::commands::builtins::normalize(&path) == "/" && !opts.has(&["no-preserve-root"]) {
            complain(sh, "rm", "it is dangerous to operate recursively on '/'")?;
            complain(sh, "rm", "use --no-preserve-root to override this failsafe")?;
            status = 1;
            continue;
        }
        let result: Result<(), OpError> = match sh.fs.get(&path, false) {
            Err(_) if force => Ok(()),
            Err(e) => Err(e.into()),
            Ok(Node::Dir(_)) if !recursive => Err(FsError::IsADirectory.into()),
            Ok(_) if denied(sh, &path) => Err(OpError::Denied),
            Ok(_) => {
                let report = if opts.has(&["v", "verbose"]) { removal_report(sh, target, &path) } else { String::new() };
                let done = sh.fs.remove(&path, true).map_err(Into::into);
                sh.out(&report)?;
                done
            }
        };
        if let Err(e) = result {
            complain(sh, "rm", &format!("cannot remove '{target}': {e}"))?;
            status = 1;
        }
    }
    Ok(status)
}

/// Copies `node` to `to` (recursively for directories); `keep`: `-p`/`-a` keep owner,
/// mode and time, otherwise the copy belongs to the user with the umask applied.
fn copy_node(sh: &mut Shell, node: &Node, to: &str, keep: bool) -> Result<(), FsError> {
    sh.step().map_err(|_| FsError::Loop)?;
    let meta = |m: &Meta| if keep { *m } else { Meta { mode: m.mode & !0o022, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now } };
    match node {
        Node::File(f) => sh.fs.write_file(to, f.content.clone(), meta(&f.meta)),
        Node::Symlink { meta: m, target } => sh.fs.symlink(target, to, *m, true),
        Node::Dir(d) => {
            if !matches!(sh.fs.get(to, true), Ok(Node::Dir(_))) {
                sh.fs.mkdir(to, meta(&d.meta))?;
            }
            for (name, child) in d.children.iter() {
                copy_node(sh, child, &format!("{}/{name}", to.trim_end_matches('/')), keep)?;
            }
            Ok(())
        }
    }
}

/// Where `src` lands for `cp`/`mv` to `dest`: inside it if it is a directory.
fn destination(sh: &Shell, src: &str, dest: &str, many: bool) -> String {
    let dest_path = sh.absolute(dest);
    if many || matches!(sh.fs.get(&dest_path, true), Ok(Node::Dir(_))) {
        let base = src.trim_end_matches('/').rsplit('/').next().unwrap_or(src);
        format!("{}/{base}", dest_path.trim_end_matches('/'))
    } else {
        dest_path
    }
}

pub fn cp(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &["t"])? else { return Ok(1) };
    let recursive = opts.has(&["r", "R", "a", "recursive", "archive"]);
    let keep = opts.has(&["a", "p", "archive", "preserve"]);
    let Some((dest, sources)) = opts.operands.split_last() else {
        complain(sh, "cp", "missing file operand")?;
        return Ok(1);
    };
    let mut status = 0;
    for src in sources {
        let from = sh.absolute(src);
        let follow = !opts.has(&["a", "P", "d"]);
        let node = match sh.fs.get(&from, follow) {
            Ok(node) => node.clone(),
            Err(e) => {
                complain(sh, "cp", &format!("cannot stat '{src}': {}", e.message()))?;
                status = 1;
                continue;
            }
        };
        if matches!(node, Node::Dir(_)) && !recursive {
            complain(sh, "cp", &format!("-r not specified; omitting directory '{src}'"))?;
            status = 1;
            continue;
        }
        let to = destination(sh, src, dest, sources.len() > 1);
        if let Err(e) = copy_node(sh, &node, &to, keep) {
            complain(sh, "cp", &format!("cannot create regular file '{dest}': {}", e.message()))?;
            status = 1;
        }
    }
    Ok(status)
}

pub fn mv(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &["t"])? else { return Ok(1) };
    let Some((dest, sources)) = opts.operands.split_last() else {
        complain(sh, "mv", "missing file operand")?;
        return Ok(1);
    };
    let mut status = 0;
    for src in sources {
        let from = sh.absolute(src);
        let node = match sh.fs.get(&from, false) {
            Ok(node) => node.clone(),
            Err(e) => {
                complain(sh, "mv", &format!("cannot stat '{src}': {}", e.message()))?;
                status = 1;
                continue;
            }
        };
        let to = destination(sh, src, dest, sources.len() > 1);
        if let Err(e) = copy_node(sh, &node, &to, true).and_then(|()| sh.fs.remove(&from, true)) {
            complain(sh, "mv", &format!("cannot move '{src}' to '{dest}': {}", e.message()))?;
            status = 1;
        }
    }
    Ok(status)
}

pub fn ln(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &["t"])? else { return Ok(1) };
    let symbolic = opts.has(&["s", "symbolic"]);
    let force = opts.has(&["f", "force"]);
    let (target, link) = match opts.operands.as_slice() {
        [target] => (target.clone(), target.rsplit('/').next().unwrap_or(target).to_string()),
        [target, link] => (target.clone(), link.clone()),
        _ => {
            complain(sh, "ln", "missing file operand")?;
            return Ok(1);
        }
    };
    let mut path = sh.absolute(&link);
    if matches!(sh.fs.get(&path, !opts.has(&["n", "no-dereference"])), Ok(Node::Dir(_))) {
        let base = target.trim_end_matches('/').rsplit('/').next().unwrap_or(&target);
        path = format!("{}/{base}", path.trim_end_matches('/'));
    }
    if force && sh.fs.get(&path, false).is_ok_and(|n| !matches!(n, Node::Dir(_))) {
        let _ = sh.fs.remove(&path, false);
    }
    let result = if symbolic {
        let meta = new_meta(sh, 0o777);
        sh.fs.symlink(&target, &path, meta, false)
    } else {
        let existing = sh.absolute(&target);
        sh.fs.hardlink(&existing, &path)
    };
    if let Err(e) = result {
        let kind = if symbolic { "symbolic" } else { "hard" };
        complain(sh, "ln", &format!("failed to create {kind} link '{link}': {}", e.message()))?;
        return Ok(1);
    }
    Ok(0)
}

/// An octal mode, or a symbolic one (`u+x`, `go-w`, `a=rX`, `+x`) applied to `current`.
pub fn parse_mode(text: &str, current: u32, is_dir: bool) -> Option<u32> {
    if !text.is_empty() && text.chars().all(|c| c.is_digit(8)) {
        return u32::from_str_radix(text, 8).ok().filter(|m| *m <= 0o7777);
    }
    let mut mode = current;
    for clause in text.split(',') {
        let who_end = clause.find(|c: char| !"ugoa".contains(c)).unwrap_or(clause.len());
        let who = &clause[..who_end];
        let mask = if who.is_empty() || who.contains('a') {
            0o7777
        } else {
            who.chars().fold(0, |m, c| {
                m | match c {
                    'u' => 0o4700,
                    'g' => 0o2070,
                    _ => 0o1007,
                }
            })
        };
        let mut rest = &clause[who_end..];
        if rest.is_empty() {
            return None;
        }
        while let Some(op) = rest.chars().next().filter(|c| "+-=".contains(*c)) {
            let perm_end = rest[1..].find(|c: char| "+-=".contains(c)).map_or(rest.len(), |i| i + 1);
            let perms = &rest[1..perm_end];
            let mut bits = 0;
            for p in perms.chars() {
                bits |= match p {
                    'r' => 0o444,
                    'w' => 0o222,
                    'x' => 0o111,
                    'X' if is_dir || current & 0o111 != 0 => 0o111,
                    'X' => 0,
                    's' => 0o6000,
                    't' => 0o1000,
                    _ => return None,
                };
            }
            // Without a "who", the umask limits what `+`/`=` grant.
            let umasked = if who.is_empty() { bits & !0o022 } else { bits };
            match op {
                '+' => mode |= umasked & mask,
                '-' => mode &= !(bits & mask),
                _ => mode = (mode & !(mask & 0o777)) | (umasked & mask),
            }
            rest = &rest[perm_end..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(mode)
}

/// Paths below (and including) `path`, for `-R`.
fn tree(sh: &Shell, path: &str) -> Vec<String> {
    let mut out = vec![path.to_string()];
    if let Ok(Node::Dir(d)) = sh.fs.get(path, false) {
        for name in d.children.keys() {
            out.extend(tree(sh, &format!("{}/{name}", path.trim_end_matches('/'))));
        }
    }
    out
}

fn for_each_target(sh: &mut Shell, tool: &str, operands: &[String], recursive: bool, mut change: impl FnMut(&mut Shell, &str) -> Result<(), OpError>) -> Status {
    let mut status = 0;
    for operand in operands {
        let path = sh.absolute(operand);
        if let Err(e) = sh.fs.get(&path, true) {
            complain(sh, tool, &format!("cannot access '{operand}': {}", e.message()))?;
            status = 1;
            continue;
        }
        let targets = if recursive { tree(sh, &path) } else { vec![path] };
        for target in targets {
            sh.step()?;
            if let Err(e) = change(sh, &target) {
                let verb = if tool == "chmod" { "changing permissions of" } else { "changing ownership of" };
                complain(sh, tool, &format!("{verb} '{operand}': {e}"))?;
                status = 1;
            }
        }
    }
    Ok(status)
}

fn owns_or_root(sh: &Shell, path: &str) -> Result<(), OpError> {
    match sh.fs.get(path, true) {
        Ok(n) if sh.user.uid == 0 || n.meta().uid == sh.user.uid => Ok(()),
        Ok(_) => Err(OpError::Denied),
        Err(e) => Err(e.into()),
    }
}

pub fn chmod(sh: &mut Shell, args: &[String]) -> Status {
    // Modes like `-x` look like options: take the first non-flag-looking operand as the mode.
    let recursive = args[1..].iter().any(|a| a == "-R" || a == "--recursive");
    let rest: Vec<String> = args[1..].iter().filter(|a| *a != "-R" && *a != "--recursive" && *a != "-v" && *a != "-f").cloned().collect();
    let Some((mode, files)) = rest.split_first() else {
        complain(sh, "chmod", "missing operand")?;
        return Ok(1);
    };
    if parse_mode(mode, 0, false).is_none() && parse_mode(mode, 0, true).is_none() {
        complain(sh, "chmod", &format!("invalid mode: '{mode}'"))?;
        sh.err("Try 'chmod --help' for more information.\n")?;
        return Ok(1);
    }
    let mode = mode.clone();
    for_each_target(sh, "chmod", files, recursive, |sh, path| {
        owns_or_root(sh, path)?;
        let is_dir = matches!(sh.fs.get(path, true), Ok(Node::Dir(_)));
        let mode = mode.clone();
        sh.fs.set_meta(path, |m| m.mode = parse_mode(&mode, m.mode, is_dir).unwrap_or(m.mode)).map_err(Into::into)
    })
}

/// `user[:group]` → ids, or the tool's `invalid user` message.
pub(super) fn owner_spec(sh: &Shell, spec: &str) -> Result<(Option<u32>, Option<u32>), String> {
    let (user, group) = match spec.split_once([':', '.']) {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let uid = match user {
        "" => None,
        u => Some(u.parse().ok().or_else(|| accounts::by_name(sh.fs, u).map(|a| a.uid)).ok_or_else(|| format!("invalid user: '{spec}'"))?),
    };
    let gid = match group {
        None | Some("") => {
            // `user:` means the user's login group.
            if group == Some("") {
                accounts::by_name(sh.fs, user).map(|a| a.gid)
            } else {
                None
            }
        }
        Some(g) => Some(g.parse().ok().or_else(|| accounts::group_by_name(sh.fs, g).map(|g| g.gid)).ok_or_else(|| format!("invalid group: '{spec}'"))?),
    };
    Ok((uid, gid))
}

pub fn chown(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &[])? else { return Ok(1) };
    let Some((spec, files)) = opts.operands.split_first() else {
        complain(sh, "chown", "missing operand")?;
        return Ok(1);
    };
    let (uid, gid) = match owner_spec(sh, spec) {
        Ok(ids) => ids,
        Err(message) => {
            complain(sh, "chown", &message)?;
            return Ok(1);
        }
    };
    change_owner(sh, "chown", files, opts.has(&["R", "recursive"]), uid, gid)
}

pub fn chgrp(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &[])? else { return Ok(1) };
    let Some((group, files)) = opts.operands.split_first() else {
        complain(sh, "chgrp", "missing operand")?;
        return Ok(1);
    };
    let gid = group.parse().ok().or_else(|| accounts::group_by_name(sh.fs, group).map(|g| g.gid));
    let Some(gid) = gid else {
        complain(sh, "chgrp", &format!("invalid group: '{group}'"))?;
        return Ok(1);
    };
    change_owner(sh, "chgrp", files, opts.has(&["R", "recursive"]), None, Some(gid))
}

fn change_owner(sh: &mut Shell, tool: &str, files: &[String], recursive: bool, uid: Option<u32>, gid: Option<u32>) -> Status {
    for_each_target(sh, tool, files, recursive, |sh, path| {
        if sh.user.uid != 0 {
            return Err(OpError::Denied);
        }
        sh.fs
            .set_meta(path, |m| {
                m.uid = uid.unwrap_or(m.uid);
                m.gid = gid.unwrap_or(m.gid);
            })
            .map_err(Into::into)
    })
}

/// `10M`, `1G`, `512K`, `100` (coreutils' suffixes: K=1024, KB=1000, ...).
pub fn parse_size(text: &str) -> Option<u64> {
    let digits_end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let n: u64 = text[..digits_end].parse().ok()?;
    let unit: u64 = match &text[digits_end..] {
        "" | "c" => 1,
        "w" => 2,
        "b" => 512,
        "K" | "k" | "KiB" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        "T" | "TiB" => 1 << 40,
        "KB" | "kB" => 1000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        "TB" => 1_000_000_000_000,
        _ => return None,
    };
    n.checked_mul(unit)
}

/// Content of `size` zero bytes: real bytes when small, a sized reference otherwise (so
/// `dd` of gigabytes costs no memory).
fn zeros(size: u64, source: &str) -> Content {
    if size <= 64 << 10 {
        Content::Bytes(vec![0u8; size as usize].into())
    } else {
        Content::Sized { size, id: Arc::from(format!("layerlab:{source}:{size}")) }
    }
}

pub fn truncate(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &["s", "size"])? else { return Ok(1) };
    let Some(size) = opts.value(&["s", "size"]).and_then(parse_size) else {
        complain(sh, "truncate", "you must specify either '--size' or '--reference'")?;
        return Ok(1);
    };
    for file in &opts.operands {
        let path = sh.absolute(file);
        sh.add_disk(size)?;
        let meta = match sh.fs.get(&path, true) {
            Ok(n) => *n.meta(),
            Err(_) => new_meta(sh, 0o644),
        };
        if let Err(e) = sh.fs.write_file(&path, zeros(size, "zeros"), meta) {
            complain(sh, "truncate", &format!("cannot open '{file}' for writing: {}", e.message()))?;
            return Ok(1);
        }
    }
    Ok(0)
}

/// `dd if=/dev/zero of=FILE bs=1M count=100`: the file, and dd's three-line report with a
/// modelled rate of 1 GB/s.
pub fn dd(sh: &mut Shell, args: &[String]) -> Status {
    let mut input = String::from("-");
    let mut output = None;
    let (mut bs, mut count) = (512u64, None);
    for arg in &args[1..] {
        let Some((key, value)) = arg.split_once('=') else {
            complain(sh, "dd", &format!("unrecognized operand '{arg}'"))?;
            return Ok(1);
        };
        let size = || parse_size(value);
        match key {
            "if" => input = value.to_string(),
            "of" => output = Some(value.to_string()),
            "bs" | "obs" | "ibs" => bs = size().unwrap_or(512),
            "count" => count = size(),
            _ => {}
        }
    }
    let source = match input.as_str() {
        "/dev/zero" => "zeros",
        "/dev/urandom" | "/dev/random" => "random",
        _ => return Err(Flow::Abort(format!("layerlab: dd if={input} is not simulated (only /dev/zero and /dev/urandom are)"))),
    };
    let Some(count) = count else {
        return Err(Flow::Abort(format!("layerlab: dd from {input} without count= never ends; the simulator's disk budget stops it")));
    };
    let total = bs.saturating_mul(count);
    sh.add_disk(total)?;
    if let Some(out) = &output {
        let path = sh.absolute(out);
        let meta = new_meta(sh, 0o644);
        if let Err(e) = sh.fs.write_file(&path, zeros(total, source), meta) {
            complain(sh, "dd", &format!("failed to open '{out}': {}", e.message()))?;
            return Ok(1);
        }
    }
    let seconds = total as f64 / 1e9;
    sh.spend_ms((seconds * 1000.0) as u64);
    let report = format!(
        "{count}+0 records in\n{count}+0 records out\n{total} byte{} {}copied, {} s, {}/s\n",
        if total == 1 { "" } else { "s" },
        dd_human(total),
        format_seconds(seconds.max(0.0001)),
        dd_rate(1e9)
    );
    sh.err(&report)?;
    Ok(0)
}

/// dd's `(105 MB, 100 MiB) ` part (absent under 1000 bytes).
fn dd_human(bytes: u64) -> String {
    match bytes {
        0..1000 => String::new(),
        1000..1024 => format!("({}) ", human(bytes as f64, 1000.0, &["B", "kB", "MB", "GB", "TB", "PB"])),
        _ => format!("({}, {}) ", human(bytes as f64, 1000.0, &["B", "kB", "MB", "GB", "TB", "PB"]), human(bytes as f64, 1024.0, &["B", "KiB", "MiB", "GiB", "TiB", "PiB"])),
    }
}

/// coreutils' human_readable as dd uses it: rounded to nearest, one decimal under 10.
fn human(mut value: f64, base: f64, units: &[&str]) -> String {
    let mut unit = 0;
    while value >= base && unit + 1 < units.len() {
        value /= base;
        unit += 1;
    }
    if value < 10.0 && unit > 0 {
        format!("{:.1} {}", value, units[unit])
    } else {
        format!("{} {}", value.round(), units[unit])
    }
}

fn dd_rate(bytes_per_second: f64) -> String {
    human(bytes_per_second, 1000.0, &["B", "kB", "MB", "GB", "TB", "PB"])
}

fn format_seconds(s: f64) -> String {
    layerlab_image::units::format_g(s, 6)
}

pub fn ls(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &[])? else { return Ok(2) };
    let all = opts.has(&["a", "all"]);
    let almost = opts.has(&["A", "almost-all"]);
    let long = opts.has(&["l"]) || opts.has(&["n"]);
    let directory = opts.has(&["d", "directory"]);
    let operands = if opts.operands.is_empty() { vec![".".to_string()] } else { opts.operands.clone() };
    let mut status = 0;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for operand in &operands {
        let path = sh.absolute(operand);
        match sh.fs.get(&path, true) {
            Ok(Node::Dir(_)) if !directory => dirs.push((operand.clone(), path)),
            Ok(_) => files.push((operand.clone(), path)),
            Err(e) => {
                complain(sh, "ls", &format!("cannot access '{operand}': {}", e.message()))?;
                status = 2;
            }
        }
    }
    // Both coreutils and BusyBox list the named files, then the named folders, by name.
    files.sort();
    dirs.sort();
    // The account files are read once per listing, not once per entry.
    // `-n` shows the numbers even where an account names them.
    let owners = match opts.has(&["n", "numeric-uid-gid"]) {
        true => Owners { users: Vec::new(), groups: Vec::new() },
        false => Owners { users: accounts::accounts(sh.fs), groups: accounts::groups(sh.fs) },
    };
    // coreutils sizes the columns of the named files over every operand, directories too.
    let operands_listed: Vec<(String, String)> = files.iter().chain(&dirs).cloned().collect();
    let mut out = listing(sh, &owners, &files, &operands_listed, long);
    let many = operands.len() > 1;
    for (i, (name, path)) in dirs.iter().enumerate() {
        if many {
            if i > 0 || !files.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("{name}:\n"));
        }
        let Ok(Node::Dir(d)) = sh.fs.get(path, true) else { continue };
        let mut names: Vec<String> = d.children.keys().filter(|n| all || almost || !n.starts_with('.')).cloned().collect();
        if all {
            names.splice(0..0, [".".to_string(), "..".to_string()]);
        }
        if long {
            let blocks: u64 = names.iter().map(|n| blocks_of(sh, &format!("{}/{n}", path.trim_end_matches('/')))).sum();
            out.push_str(&format!("total {blocks}\n"));
        }
        let entries: Vec<(String, String)> = names.iter().map(|n| (n.clone(), format!("{}/{n}", path.trim_end_matches('/')))).collect();
        out.push_str(&listing(sh, &owners, &entries, &entries, long));
    }
    sh.out(&out)?;
    Ok(status)
}

/// 1 KiB blocks a file occupies (4 KiB allocation units, as ext4 and overlayfs give).
fn blocks_of(sh: &Shell, path: &str) -> u64 {
    match sh.fs.get(path, false) {
        Ok(Node::File(f)) => f.content.size().div_ceil(4096) * 4,
        Ok(Node::Dir(_)) => 4,
        _ => 0,
    }
}

/// User and group names for `ls -l`'s owner columns.
struct Owners {
    users: Vec<accounts::Account>,
    groups: Vec<accounts::Group>,
}

/// One group of entries (the files named, or one directory's contents): names, or for
/// `-l` lines whose number, owner and size columns share widths (taken over `measured`,
/// which holds `entries`), as coreutils aligns them.
fn listing(sh: &Shell, owners: &Owners, entries: &[(String, String)], measured: &[(String, String)], long: bool) -> String {
    if !long {
        return entries.iter().map(|(name, _)| format!("{name}\n")).collect();
    }
    let fields = |list: &[(String, String)]| -> Vec<[String; 7]> { list.iter().filter_map(|(name, path)| long_fields(sh, owners, name, path)).collect() };
    let rows = fields(entries);
    if sh.command_is_busybox() {
        // BusyBox pads fixed widths (`%4u %-8.8s %-8.8s %9u`) instead of measuring columns.
        let cut = |text: &str| text.chars().take(8).collect::<String>();
        return rows.iter().map(|r| format!("{} {:>4} {:<8} {:<8} {:>9} {} {}\n", r[0], r[1], cut(&r[2]), cut(&r[3]), r[4], r[5], r[6])).collect();
    }
    let all = fields(measured);
    let width = |i: usize| all.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (links, user, group, size) = (width(1), width(2), width(3), width(4));
    // Names are left-justified, bare numbers (no account, or `-n`) right-justified.
    let pad = |text: &str, width: usize| if text.bytes().all(|b| b.is_ascii_digit()) { format!("{text:>width$}") } else { format!("{text:<width$}") };
    rows.iter().map(|r| format!("{} {:>links$} {} {} {:>size$} {} {}\n", r[0], r[1], pad(&r[2], user), pad(&r[3], group), r[4], r[5], r[6])).collect()
}

/// `ls -l`'s columns for one entry: mode, links, user, group, size, time, name (with
/// `-> target` for a symlink).
fn long_fields(sh: &Shell, owners: &Owners, name: &str, path: &str) -> Option<[String; 7]> {
    let node = sh.fs.get(path, false).ok()?;
    let meta = node.meta();
    let (kind, size, links, suffix) = match node {
        Node::Dir(d) => ('d', 4096, 2 + d.children.values().filter(|c| matches!(c, Node::Dir(_))).count() as u64, String::new()),
        Node::File(f) => ('-', f.content.size(), 1, String::new()),
        Node::Symlink { target, .. } => ('l', target.len() as u64, 1, format!(" -> {target}")),
    };
    let user = owners.users.iter().find(|a| a.uid == meta.uid).map_or(meta.uid.to_string(), |a| a.name.clone());
    let group = owners.groups.iter().find(|g| g.gid == meta.gid).map_or(meta.gid.to_string(), |g| g.name.clone());
    Some([format!("{kind}{}", mode_string(meta.mode)), links.to_string(), user, group, size.to_string(), ls_time(meta.mtime, sh.now), format!("{name}{suffix}")])
}

/// `rwxr-xr-x` with setuid/setgid/sticky letters.
pub fn mode_string(mode: u32) -> String {
    let mut s = String::with_capacity(9);
    for (shift, special, letter) in [(6, 0o4000, 's'), (3, 0o2000, 's'), (0, 0o1000, 't')] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        let exec = bits & 1 != 0;
        s.push(match (mode & special != 0, exec) {
            (true, true) => letter,
            (true, false) => letter.to_ascii_uppercase(),
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    s
}

/// `stat -c FORMAT` / `--format` / `--printf`: the fields builds print. The default
/// report shows device and inode numbers a simulation does not have, so it is refused.
pub fn stat(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &["c", "format", "printf"])? else { return Ok(1) };
    let (format, newline) = match (opts.value(&["c", "format"]), opts.value(&["printf"])) {
        (Some(f), _) => (f.to_string(), true),
        (None, Some(f)) => (super::printf::backslash_escapes(f).0, false),
        (None, None) => return Err(Flow::Abort("layerlab: stat's default report (device, inode, times) is not simulated; use stat -c FORMAT".into())),
    };
    let follow = opts.has(&["L", "dereference"]);
    let mut status = 0;
    for file in &opts.operands {
        let path = sh.absolute(file);
        let node = match sh.fs.get(&path, follow) {
            Ok(node) => node.clone(),
            Err(e) => {
                complain(sh, "stat", &format!("cannot statx '{file}': {}", e.message()))?;
                status = 1;
                continue;
            }
        };
        let mut out = stat_format(sh, &format, file, &node);
        if newline {
            out.push('\n');
        }
        sh.out(&out)?;
    }
    Ok(status)
}

fn stat_format(sh: &Shell, format: &str, name: &str, node: &Node) -> String {
    let meta = node.meta();
    let (kind, size, letter) = match node {
        Node::Dir(_) => ("directory", 4096, 'd'),
        Node::File(f) if f.content.size() == 0 => ("regular empty file", 0, '-'),
        Node::File(f) => ("regular file", f.content.size(), '-'),
        Node::Symlink { target, .. } => ("symbolic link", target.len() as u64, 'l'),
    };
    super::printf::percent_directives(format, |d| {
        Some(match d {
            'a' => format!("{:o}", meta.mode & 0o7777),
            'A' => format!("{letter}{}", mode_string(meta.mode)),
            'n' => name.to_string(),
            's' => size.to_string(),
            'u' => meta.uid.to_string(),
            'g' => meta.gid.to_string(),
            'U' => accounts::by_uid(sh.fs, meta.uid).map_or("UNKNOWN".into(), |a| a.name),
            'G' => accounts::group_by_gid(sh.fs, meta.gid).map_or("UNKNOWN".into(), |g| g.name),
            'F' => kind.to_string(),
            'Y' => meta.mtime.to_string(),
            _ => return None,
        })
    })
}

/// `readlink [-f|-e|-m] PATH` and `realpath PATH`.
pub fn readlink(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &[])? else { return Ok(1) };
    let canonical = args[0].ends_with("realpath") || opts.has(&["f", "e", "m", "canonicalize"]);
    let mut status = 0;
    for operand in &opts.operands {
        let path = sh.absolute(operand);
        let answer = if canonical {
            sh.fs.canonical(&path, true).ok().filter(|_| !opts.has(&["e"]) || sh.fs.get(&path, true).is_ok()).map(|parts| format!("/{}", parts.join("/")))
        } else {
            match sh.fs.get(&path, false) {
                Ok(Node::Symlink { target, .. }) => Some(target.clone()),
                _ => None,
            }
        };
        match answer {
            Some(text) => sh.out(&format!("{text}\n"))?,
            None => {
                if args[0].ends_with("realpath") {
                    complain(sh, "realpath", &format!("{operand}: No such file or directory"))?;
                }
                status = 1;
            }
        }
    }
    Ok(status)
}

/// `rm -v`'s lines: contents before their directory, as rm removes them.
fn removal_report(sh: &Shell, shown: &str, path: &str) -> String {
    match sh.fs.get(path, false) {
        Ok(Node::Dir(d)) => {
            let mut out: String = d.children.keys().map(|name| removal_report(sh, &format!("{}/{name}", shown.trim_end_matches('/')), &format!("{}/{name}", path.trim_end_matches('/')))).collect();
            out.push_str(&format!("removed directory '{shown}'\n"));
            out
        }
        _ => format!("removed '{shown}'\n"),
    }
}
