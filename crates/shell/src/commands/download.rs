//! curl and wget. The simulator has no network: a URL the catalogs hold (an npm tarball,
//! a PyPI wheel, a Debian .deb) downloads as a file of its real size; any other host fails
//! the way an unreachable one fails, with the tool's own words and exit status, and a
//! note that says why.

use std::sync::Arc;

use layerlab_catalog::downloads::{self, Download};
use layerlab_image::fs::{Content, Meta};

use super::flags;
use crate::interp::{Flow, Shell, Status};

/// Modelled bandwidth, bytes per second.
const BANDWIDTH: u64 = 12_500_000;

const NO_NETWORK: &str = "layerlab: the simulator has no network; only files its catalogs hold (npm tarballs, PyPI wheels, Debian .debs) download\n";

enum Fetched {
    Found(Download),
    Unreachable(String),
}

/// Says why a host did not resolve, unless the step asked for no network itself.
fn no_network_note(sh: &mut Shell) -> Result<(), Flow> {
    if sh.network {
        sh.err(NO_NETWORK)?;
    }
    Ok(())
}

fn fetch(sh: &mut Shell, url: &str) -> Result<Fetched, Flow> {
    let host = downloads::host(url).unwrap_or(url).to_string();
    if !sh.network {
        return Ok(Fetched::Unreachable(host));
    }
    let found = sh.catalog(|store| downloads::find(store, url))?;
    Ok(match found {
        Some(download) => Fetched::Found(download),
        None if downloads::CATALOG_HOSTS.contains(&host.as_str()) => {
            return Err(Flow::Abort(format!("layerlab: {url} is not in the catalogs (the host is real, but the simulator knows only the files its catalogs hold)")))
        }
        None => Fetched::Unreachable(host),
    })
}

/// Writes a download as a sized file: the catalog knows its length, not its bytes.
fn save(sh: &mut Shell, path: &str, url: &str, download: &Download) -> Result<(), Flow> {
    sh.add_disk(download.size)?;
    sh.spend_ms(download.size * 1000 / BANDWIDTH + 100);
    let path = sh.absolute(path);
    let meta = Meta { mode: 0o644, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now };
    let content = Content::Sized { size: download.size, id: Arc::from(format!("download:{}:{url}", download.catalog)) };
    sh.fs.write_file(&path, content, meta).map_err(|e| Flow::Abort(format!("layerlab: could not write {path}: {}", e.message())))
}

fn to_stdout(url: &str) -> Flow {
    Flow::Abort(format!("layerlab: the catalogs know the size of {url}, not its bytes, so writing it to standard output (or piping it on) cannot be simulated; save it with -o/-O"))
}

pub fn curl(sh: &mut Shell, args: &[String]) -> Status {
    let with_value = ["o", "output", "retry", "retry-delay", "retry-max-time", "connect-timeout", "m", "max-time", "H", "header", "A", "user-agent", "proto", "proto-redir", "w", "write-out", "u", "user", "e", "referer", "x", "proxy", "cacert", "X", "request", "d", "data", "F", "form", "T", "upload-file"];
    let parsed = match flags::parse(&args[1..], &with_value) {
        Ok(p) => p,
        Err(option) => {
            sh.err(&format!("curl: option -{option}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n"))?;
            return Ok(2);
        }
    };
    if let Some((flag, _)) = parsed.flags.iter().find(|(f, _)| ["X", "request", "d", "data", "F", "form", "T", "upload-file", "I", "head"].contains(&f.as_str())) {
        return Err(Flow::Abort(format!("layerlab: curl's -{flag} (a request that sends or asks for something other than a file) is not simulated")));
    }
    let silent = parsed.has(&["s", "silent"]);
    let show_error = parsed.has(&["S", "show-error"]);
    let remote = parsed.has(&["O", "remote-name"]);
    let output = parsed.value(&["o", "output"]).map(str::to_string);
    if parsed.operands.is_empty() {
        sh.err("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n")?;
        return Ok(2);
    }
    for url in &parsed.operands {
        let found = fetch(sh, url)?;
        if !silent {
            sh.err("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n")?;
            sh.err(&format!("\r{}", meter_line(0, 0, 0)))?;
        }
        let download = match found {
            Fetched::Found(download) => download,
            Fetched::Unreachable(host) => {
                if !silent || show_error {
                    sh.err(&format!("curl: (6) Could not resolve host: {host}\n"))?;
                }
                no_network_note(sh)?;
                return Ok(6);
            }
        };
        let path = match (&output, remote) {
            (Some(path), _) => path.clone(),
            (None, true) => downloads::file_name(url).to_string(),
            (None, false) => return Err(to_stdout(url)),
        };
        save(sh, &path, url, &download)?;
        if !silent {
            let seconds = download.size / BANDWIDTH;
            sh.err(&format!("\r{}\n", meter_line(download.size, BANDWIDTH, seconds)))?;
        }
    }
    Ok(0)
}

/// One line of curl's progress meter for a finished transfer of `bytes` at `speed`.
fn meter_line(bytes: u64, speed: u64, seconds: u64) -> String {
    let percent = if bytes > 0 { 100 } else { 0 };
    let size = max5(bytes);
    let speed_text = max5(speed * u64::from(bytes > 0));
    let time = if seconds == 0 { "--:--:--".to_string() } else { format!("{:2}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60) };
    let left = "--:--:--";
    format!("{percent:3} {size:>5}  {percent:3} {size:>5}    0     0  {speed_text:>5}      0 {time} {time} {left} {speed_text:>5}")
}

/// curl's five-column size: `53080`, `1234k`, `12.3M`, `1234M`.
fn max5(bytes: u64) -> String {
    const K: u64 = 1024;
    const M: u64 = 1024 * 1024;
    if bytes < 100_000 {
        format!("{bytes:5}")
    } else if bytes < 10_000 * K {
        format!("{:4}k", bytes / K)
    } else if bytes < 100 * M {
        format!("{:2}.{}M", bytes / M, (bytes % M) / (M / 10))
    } else {
        format!("{:4}M", bytes / M)
    }
}

pub fn wget(sh: &mut Shell, args: &[String]) -> Status {
    let with_value = ["O", "output-document", "P", "directory-prefix", "t", "tries", "T", "timeout", "U", "user-agent", "header", "progress", "o", "output-file", "a", "append-output"];
    let parsed = match flags::parse(&args[1..], &with_value) {
        Ok(p) => p,
        Err(option) => {
            sh.err(&format!("wget: option requires an argument -- '{option}'\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n"))?;
            return Ok(2);
        }
    };
    let quiet = parsed.has(&["q", "quiet"]);
    let terse = parsed.has(&["nv", "no-verbose"]) || parsed.flags.iter().any(|(f, _)| f == "n");
    let output = parsed.value(&["O", "output-document"]).map(str::to_string);
    let prefix = parsed.value(&["P", "directory-prefix"]).map(str::to_string);
    if parsed.operands.is_empty() {
        sh.err("wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n")?;
        return Ok(1);
    }
    for url in &parsed.operands {
        let host = downloads::host(url).unwrap_or(url).to_string();
        let stamp = stamp(sh.now);
        if !quiet && !terse {
            sh.err(&format!("--{stamp}--  {url}\n"))?;
        }
        let download = match fetch(sh, url)? {
            Fetched::Found(download) => download,
            Fetched::Unreachable(_) => {
                if !quiet {
                    if !terse {
                        // No network at all: the resolver itself is unreachable (EAI_AGAIN).
                        let why = if sh.network { "Name or service not known" } else { "Temporary failure in name resolution" };
                        sh.err(&format!("Resolving {host} ({host})... failed: {why}.\n"))?;
                    }
                    sh.err(&format!("wget: unable to resolve host address '{host}'\n"))?;
                }
                no_network_note(sh)?;
                return Ok(4);
            }
        };
        let name = match (&output, &prefix) {
            (Some(path), _) if path == "-" => return Err(to_stdout(url)),
            (Some(path), _) => path.clone(),
            (None, Some(dir)) => format!("{}/{}", dir.trim_end_matches('/'), downloads::file_name(url)),
            (None, None) => downloads::file_name(url).to_string(),
        };
        save(sh, &name, url, &download)?;
        if !quiet {
            let log = if terse { format!("{stamp} URL:{url} [{size}/{size}] -> \"{name}\" [1]\n", size = download.size) } else { verbose_log(url, &host, &name, &stamp, &download) };
            sh.err(&log)?;
            sh.err(&format!("layerlab: download modelled: the size is the {} catalog's; the address and speed are placeholders\n", download.catalog))?;
        }
    }
    Ok(0)
}

/// `2026-12-06 08:52:35`, as wget stamps its lines.
fn stamp(now: i64) -> String {
    let t = super::calendar::at(now);
    format!("{}-{:02}-{:02} {:02}:{:02}:{:02}", t.year, t.month, t.day, t.hour, t.minute, t.second)
}

/// wget's default log without a terminal: the connection, the length, and dot progress
/// (1K a dot, 50K a line).
fn verbose_log(url: &str, host: &str, name: &str, stamp: &str, download: &Download) -> String {
    let kind = if download.catalog == "apt" { "application/vnd.debian.binary-package" } else { "application/octet-stream" };
    let port = if url.starts_with("https:") { 443 } else { 80 };
    let mut log = format!(
        "Resolving {host} ({host})... 192.0.2.1\nConnecting to {host} ({host})|192.0.2.1|:{port}... connected.\nHTTP request sent, awaiting response... 200 OK\nLength: {} ({}) [{kind}]\nSaving to: '{name}'\n\n",
        download.size,
        wget_size(download.size)
    );
    let lines = download.size.div_ceil(50 * 1024).max(1);
    for line in 0..lines {
        let start = line * 50 * 1024;
        let in_line = (download.size - start).min(50 * 1024);
        let dots = (in_line / 1024) as usize;
        let mut groups = String::new();
        for g in 0..5 {
            let n = dots.saturating_sub(g * 10).min(10);
            groups.push(' ');
            groups.push_str(&".".repeat(n));
            groups.push_str(&" ".repeat(10 - n));
        }
        let done = ((start + in_line) * 100 / download.size.max(1)).min(100);
        let speed = format!("{:.1}M", BANDWIDTH as f64 / 1_048_576.0);
        log.push_str(&format!("{:>6}K{groups}{done:>3}% {speed:>5}{}\n", start / 1024, if line + 1 == lines { "=0s" } else { " 0s" }));
    }
    log.push_str(&format!("\n{stamp} ({:.1} MB/s) - '{name}' saved [{size}/{size}]\n\n", BANDWIDTH as f64 / 1_048_576.0, size = download.size));
    log
}

/// `52K`, `1.2M`: wget's short size.
fn wget_size(bytes: u64) -> String {
    if bytes < 1024 {
        return bytes.to_string();
    }
    if bytes < 1024 * 1024 {
        return format!("{}K", (bytes + 512) / 1024);
    }
    let mb = bytes as f64 / 1_048_576.0;
    if mb < 10.0 { format!("{mb:.1}M") } else { format!("{}M", mb.round() as u64) }
}
