//! apt's wording: the reading lines, package lists wrapped as `ShowList` wraps them for an
//! 80-column non-terminal, `Get:` lines, `Fetched ...`, and download time (modelled).

use layerlab_catalog::apt::Package;
use layerlab_catalog::closure::apt_size;

use super::config::AptConfig;
use crate::interp::{Flow, Shell};

/// Nominal download bandwidth for modelled times: 100 Mbit/s.
pub const BYTES_PER_SECOND: u64 = 12_500_000;

/// apt's standard output (`c1out`), silent from `-qq` on.
pub fn say(sh: &mut Shell, config: &AptConfig, text: &str) -> Result<(), Flow> {
    if config.quiet < 2 {
        sh.out(text)?;
    }
    Ok(())
}

pub fn reading(sh: &mut Shell, config: &AptConfig) -> Result<(), Flow> {
    say(sh, config, "Reading package lists...\nBuilding dependency tree...\nReading state information...\n")
}

/// A titled list: items separated by spaces on lines that start with two spaces, a new line
/// when the next item would reach column 77 (apt's `ShowList` with `ScreenWidth` 80).
pub fn show_list(title: &str, items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut out = title.to_string();
    let mut used = 0;
    for item in items {
        if used == 0 || used + item.len() >= 77 {
            out.push_str("\n  ");
            used = 0;
        } else {
            out.push(' ');
            used += 1;
        }
        out.push_str(item);
        used += item.len();
    }
    out.push('\n');
    out
}

/// `Get:1 http://deb.debian.org/debian bookworm/main amd64 curl amd64 7.88.1-10+deb12u15 [316 kB]`.
pub fn get_line(number: usize, name: &str, package: &Package) -> String {
    format!("Get:{number} {} [{}]\n", item(name, package), apt_size(package.download_size as f64))
}

/// What apt's fetch lines (`Get:`, `Ign:`, `Err:`) name: `http://deb.debian.org/debian
/// bookworm/main amd64 curl amd64 7.88.1-10+deb12u15`.
pub fn item(name: &str, package: &Package) -> String {
    let suite = if package.suite.is_empty() { "bookworm" } else { &package.suite };
    let component = if package.component.is_empty() { "main" } else { &package.component };
    format!("{} {suite}/{component} amd64 {name} {} {}", archive(package), package.architecture, package.version)
}

/// The archive apt fetches a package from; the catalog records it for releases other than
/// bookworm, whose packages come from deb.debian.org's `debian` or `debian-security`.
pub fn archive(package: &Package) -> &str {
    match package.archive.as_str() {
        "" if package.suite.ends_with("-security") => "http://deb.debian.org/debian-security",
        "" => "http://deb.debian.org/debian",
        archive => archive,
    }
}

/// The host of an archive URL (`http://deb.debian.org/debian` → `deb.debian.org`).
pub fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

/// Where the archive keeps a package's .deb: `pool/main/<prefix>/<source>/<name>_<version
/// without epoch>_<arch>.deb`, the prefix `libX` for `lib*` sources; `+` and `~` URL-escaped.
pub fn pool_url(name: &str, package: &Package, control: &str) -> String {
    let source = control.lines().find_map(|l| l.strip_prefix("Source: ")).and_then(|s| s.split_whitespace().next()).unwrap_or(name);
    let prefix = if source.starts_with("lib") && source.len() > 3 { &source[..4] } else { &source[..1.min(source.len())] };
    let version = package.version.split_once(':').map_or(package.version.as_str(), |(_, v)| v).replace('+', "%2b").replace('~', "%7e");
    let component = if package.component.is_empty() { "main" } else { &package.component };
    // Debian's security archive keeps its pool under `pool/updates`.
    let pool = match archive(package) {
        "http://deb.debian.org/debian-security" => "http://deb.debian.org/debian-security/pool/updates".to_string(),
        archive => format!("{archive}/pool"),
    };
    format!("{pool}/{component}/{prefix}/{source}/{name}_{version}_{}.deb", package.architecture)
}

/// `Fetched 6132 kB in 0s (12.5 MB/s)`, timed at the nominal bandwidth.
pub fn fetched(bytes: u64) -> String {
    let seconds = bytes as f64 / BYTES_PER_SECOND as f64;
    let rate = if seconds > 0.0 { bytes as f64 / seconds } else { 0.0 };
    format!("Fetched {} in {} ({}/s)\n", apt_size(bytes as f64), time_to_str(seconds as u64), apt_size(rate))
}

/// apt's `TimeToStr`: `7s`, `1min 5s`, `2h 0min 3s`.
fn time_to_str(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}min {s}s"),
        _ => format!("{h}h {m}min {s}s"),
    }
}

/// Modelled download time in milliseconds.
pub fn download_ms(bytes: u64) -> u64 {
    bytes.saturating_mul(1000) / BYTES_PER_SECOND
}
