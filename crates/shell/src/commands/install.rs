//! coreutils' `install`: directories (`-d`) and file copies with a mode (0755 unless `-m`),
//! owner and group set in one go, `-D` for leading folders, `-v`'s report, as the
//! docker-library Dockerfiles use it.

use layerlab_image::fs::{Meta, Node};

use super::files::{complain, options, owner_spec, parse_mode};
use crate::interp::{Shell, Status};

pub fn install(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &["m", "mode", "o", "owner", "g", "group", "t", "target-directory"])? else { return Ok(1) };
    let mode = match opts.value(&["m", "mode"]).map(|m| parse_mode(m, 0o755, false)) {
        Some(Some(mode)) => mode,
        Some(None) => {
            complain(sh, "install", &format!("invalid mode '{}'", opts.value(&["m", "mode"]).unwrap_or_default()))?;
            return Ok(1);
        }
        None => 0o755,
    };
    let owner = |spec: Option<&str>, prefix: &str| spec.map(|s| owner_spec(sh, &format!("{prefix}{s}")));
    let (uid, gid) = match (owner(opts.value(&["o", "owner"]), ""), owner(opts.value(&["g", "group"]), ":")) {
        (Some(Err(e)), _) | (_, Some(Err(e))) => {
            complain(sh, "install", &e)?;
            return Ok(1);
        }
        (u, g) => (u.and_then(|r| r.ok()).and_then(|(u, _)| u), g.and_then(|r| r.ok()).and_then(|(_, g)| g)),
    };
    let meta = Meta { mode, uid: uid.unwrap_or(sh.user.uid), gid: gid.unwrap_or(sh.user.gid), mtime: sh.now };
    let verbose = opts.has(&["v", "verbose"]);
    if opts.has(&["d", "directory"]) {
        let mut status = 0;
        for dir in &opts.operands {
            status |= directory(sh, dir, meta, verbose)?;
        }
        return Ok(status);
    }
    let target = opts.value(&["t", "target-directory"]).map(str::to_string);
    let (dest, sources) = match (&target, opts.operands.split_last()) {
        (Some(t), _) => (t.clone(), opts.operands.as_slice()),
        (None, Some((dest, sources))) if !sources.is_empty() => (dest.clone(), sources),
        _ => {
            complain(sh, "install", "missing destination file operand after '")?;
            return Ok(1);
        }
    };
    if opts.has(&["D"]) {
        let parent = if target.is_some() { dest.clone() } else { dest.rsplit_once('/').map_or(String::new(), |(p, _)| p.to_string()) };
        if !parent.is_empty() {
            directory(sh, &parent, Meta { mode: 0o755, ..meta }, verbose)?;
        }
    }
    let into_dir = target.is_some() || sources.len() > 1 || matches!(sh.fs.get(&sh.absolute(&dest), true), Ok(Node::Dir(_)));
    let mut status = 0;
    for src in sources {
        let name = src.rsplit('/').next().unwrap_or(src);
        let to = if into_dir { format!("{}/{name}", dest.trim_end_matches('/')) } else { dest.clone() };
        status |= copy(sh, src, &to, meta, verbose)?;
    }
    Ok(status)
}

/// `install -d`: the folder and its missing parents, each reported with `-v`.
fn directory(sh: &mut Shell, dir: &str, meta: Meta, verbose: bool) -> Status {
    let path = sh.absolute(dir);
    let mut missing = Vec::new();
    let mut at = path.clone();
    while at.len() > 1 && sh.fs.get(&at, true).is_err() {
        missing.push(at.clone());
        at = at.rsplit_once('/').map_or("/".into(), |(p, _)| if p.is_empty() { "/".into() } else { p.to_string() });
    }
    for made in missing.iter().rev() {
        // Parents get the default mode; the named folder gets -m, -o and -g.
        let this = if *made == path { meta } else { Meta { mode: 0o755, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now } };
        if let Err(e) = sh.fs.mkdir(made, this) {
            complain(sh, "install", &format!("cannot create directory '{made}': {}", e.message()))?;
            return Ok(1);
        }
        if verbose {
            sh.out(&format!("install: creating directory '{made}'\n"))?;
        }
    }
    if missing.is_empty() {
        let _ = sh.fs.set_meta(&path, |m| *m = Meta { mtime: m.mtime, ..meta });
    }
    Ok(0)
}

fn copy(sh: &mut Shell, src: &str, to: &str, meta: Meta, verbose: bool) -> Status {
    let content = match sh.fs.get(&sh.absolute(src), true) {
        Ok(Node::File(f)) => f.content.clone(),
        Ok(_) => {
            complain(sh, "install", &format!("omitting directory '{src}'"))?;
            return Ok(1);
        }
        Err(_) => {
            complain(sh, "install", &format!("cannot stat '{src}': No such file or directory"))?;
            return Ok(1);
        }
    };
    sh.add_disk(content.size())?;
    let path = sh.absolute(to);
    if let Err(e) = sh.fs.write_file(&path, content, meta) {
        complain(sh, "install", &format!("cannot create regular file '{to}': {}", e.message()))?;
        return Ok(1);
    }
    if verbose {
        sh.out(&format!("'{src}' -> '{to}'\n"))?;
    }
    Ok(0)
}
