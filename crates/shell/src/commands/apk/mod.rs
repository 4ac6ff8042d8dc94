//! `apk` (apk-tools 2.14, Alpine 3.20) over Layerlab's approximate Alpine 3.20 catalog:
//! `add` (with `--no-cache`, `--update-cache`, `--virtual`), `del`, `update`, `info` and
//! `--print-arch`, with apk's wording and its effects on the snapshot: package files, the
//! installed database, the world file and the index cache in /var/cache/apk.

mod add;
mod database;
mod del;

use std::sync::Arc;

use layerlab_catalog::apk::ApkIndex;
use layerlab_catalog::manifest;
use layerlab_image::fs::{Content, Meta};

use crate::interp::{Flow, Shell, Status};
use database::Database;

/// What the command line asks for.
#[derive(Debug, Default)]
pub struct ApkConfig {
    pub command: String,
    pub operands: Vec<String>,
    pub no_cache: bool,
    pub update_cache: bool,
    pub virtual_name: Option<String>,
    pub quiet: bool,
    /// `--no-network`: only what is installed or cached is used; nothing is fetched.
    pub no_network: bool,
}

pub fn apk(sh: &mut Shell, args: &[String]) -> Status {
    let config = parse(&args[1..])?;
    match config.command.as_str() {
        "--print-arch" => {
            sh.out("x86_64\n")?;
            return Ok(0);
        }
        "info" => return info(sh, &config),
        "add" | "del" | "update" | "upgrade" => {}
        "" => return Err(unmodelled("apk without a command prints its usage, which")),
        other => return Err(unmodelled(&format!("`apk {other}`"))),
    }
    if sh.user.uid != 0 {
        sh.err("ERROR: Unable to lock database: Permission denied\nERROR: Failed to open apk database: Permission denied\n")?;
        return Ok(99);
    }
    if !sh.network && config.command != "del" {
        return Err(Flow::Abort("layerlab: apk without a network (RUN --network=none) is not modelled".into()));
    }
    // Removal reads only the image's own database.
    if config.command == "del" {
        return del::del(sh, &config);
    }
    let index = sh.catalog(|s| s.apk())?;
    approximate_note(sh)?;
    match config.command.as_str() {
        "add" => add::add(sh, &config, index),
        "update" => update(sh, &config, index),
        _ => upgrade(sh, &config, index),
    }
}

fn unmodelled(what: &str) -> Flow {
    Flow::Abort(format!("layerlab: {what} is not modelled by Layerlab's apk"))
}

fn parse(args: &[String]) -> Result<ApkConfig, Flow> {
    let mut config = ApkConfig::default();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let mut value = |flag: &str| words.next().cloned().ok_or_else(|| unmodelled(&format!("{flag} without a value")));
        match word.as_str() {
            "--no-cache" => config.no_cache = true,
            "-U" | "--update-cache" | "--update" => config.update_cache = true,
            "-t" | "--virtual" => config.virtual_name = Some(value(word)?),
            "-q" | "--quiet" => config.quiet = true,
            "--no-network" => config.no_network = true,
            "-v" | "--verbose" | "--no-progress" | "--progress" | "--allow-untrusted" | "--purge" | "--clean-protected" | "-u" | "--upgrade" | "-l" | "--latest" | "-f" | "--force" | "--force-broken-world" | "--available" | "-a" => {}
            "--print-arch" if config.command.is_empty() => config.command = word.clone(),
            "-e" | "--installed" if config.command == "info" => config.operands.push(word.clone()),
            w if w.starts_with("--virtual=") => config.virtual_name = Some(w["--virtual=".len()..].to_string()),
            w if w.starts_with('-') && w.len() > 1 => return Err(unmodelled(&format!("the option {w}"))),
            _ if config.command.is_empty() => config.command = word.clone(),
            _ => config.operands.push(word.clone()),
        }
    }
    Ok(config)
}

/// Said once per apk run, because the catalog is not Alpine's own index.
fn approximate_note(sh: &mut Shell) -> Result<(), Flow> {
    sh.err("layerlab: apk answers from Layerlab's approximate Alpine 3.20 catalog (versions and install order from recorded builds, sizes from published package listings)\n")
}

/// `fetch <repository>/x86_64/APKINDEX.tar.gz` for each repository, and the index cache
/// apk keeps unless told not to.
fn fetch_indexes(sh: &mut Shell, config: &ApkConfig, index: &ApkIndex) -> Result<(), Flow> {
    let entries = manifest::decode(&index.index_cache).map_err(|e| Flow::Abort(format!("layerlab: apk index cache data: {e}")))?;
    let cached = entries.iter().all(|e| sh.fs.get(&format!("/{}", e.path), true).is_ok());
    if config.no_network || (cached && !config.update_cache && !config.no_cache) {
        return Ok(());
    }
    let lines: String = index.repositories.iter().map(|r| format!("fetch {r}/x86_64/APKINDEX.tar.gz\n")).collect();
    say(sh, config, &lines)?;
    sh.spend_ms(crate::commands::apt_download_ms(entries.iter().map(|e| e.size).sum()));
    if config.no_cache {
        return Ok(());
    }
    for e in &entries {
        sh.add_disk(e.size)?;
        let meta = Meta { mode: e.mode, uid: 0, gid: 0, mtime: sh.now };
        let id = Arc::from(format!("modelled:apk-index:{}", e.path));
        let _ = sh.fs.write_file(&format!("/{}", e.path), Content::Sized { size: e.size, id }, meta);
    }
    Ok(())
}

/// `apk update`: the fetches, each repository's description, the package count.
fn update(sh: &mut Shell, config: &ApkConfig, index: &ApkIndex) -> Status {
    let forced = ApkConfig { update_cache: true, no_cache: config.no_cache, quiet: config.quiet, ..ApkConfig::default() };
    fetch_indexes(sh, &forced, index)?;
    let text: String = index.update.iter().map(|l| format!("{l}\n")).collect();
    say(sh, config, &text)?;
    Ok(0)
}

/// `apk upgrade`: the catalog holds one version of each package, the one the image's
/// release had when it was recorded, so there is nothing newer to move to.
fn upgrade(sh: &mut Shell, config: &ApkConfig, index: &ApkIndex) -> Status {
    fetch_indexes(sh, config, index)?;
    sh.err("layerlab: the catalog records one version of each package, so apk upgrade finds nothing newer\n")?;
    let summary = Database::read(sh).summary();
    say(sh, config, &summary)?;
    Ok(0)
}

/// `apk info`: the installed packages' names; `-e NAME...` only tests they are installed.
fn info(sh: &mut Shell, config: &ApkConfig) -> Status {
    let db = Database::read(sh);
    let names = db.names();
    match config.operands.split_first() {
        None => {
            let text: String = db.records.iter().map(|r| format!("{}\n", r.name)).collect();
            sh.out(&text)?;
            Ok(0)
        }
        Some((flag, packages)) if flag == "-e" || flag == "--installed" => {
            let found: Vec<&String> = packages.iter().filter(|p| names.contains_key(p.as_str())).collect();
            let text: String = found.iter().map(|p| format!("{p}\n")).collect();
            sh.out(&text)?;
            Ok(if found.len() == packages.len() { 0 } else { 1 })
        }
        Some(_) => Err(unmodelled("`apk info` with options or package names")),
    }
}

/// Prints unless `--quiet`.
fn say(sh: &mut Shell, config: &ApkConfig, text: &str) -> Result<(), Flow> {
    if config.quiet {
        return Ok(());
    }
    sh.out(text)
}

fn write_text(sh: &mut Shell, path: &str, text: &str) {
    crate::commands::apt::write_text(sh, path, text, 0o644);
}

/// `Executing busybox-1.36.1-r29.trigger` when packages change the directories BusyBox's
/// trigger watches (where its applet links live), then ca-certificates' when it came.
fn triggers(sh: &mut Shell, config: &ApkConfig, db: &Database, changed: &[String], files: &[String]) -> Result<(), Flow> {
    let watched = ["/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/"];
    let mut text = String::new();
    if files.iter().any(|f| watched.iter().any(|w| f.strip_prefix(w).is_some_and(|rest| !rest.contains('/')))) {
        if let Some(busybox) = db.get("busybox") {
            text += &format!("Executing busybox-{}.trigger\n", busybox.version);
        }
    }
    if let Some(ca) = changed.iter().find(|n| *n == "ca-certificates").and_then(|n| db.get(n)) {
        text += &format!("Executing ca-certificates-{}.trigger\n", ca.version);
    }
    say(sh, config, &text)
}
