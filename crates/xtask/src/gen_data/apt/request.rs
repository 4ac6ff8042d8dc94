//! What apt answers for one top-level request on the slim image.

use std::path::Path;

use layerlab_catalog::apt::{AptAnswer, Request};

use super::super::host::sh;

/// `ask_apt`, remembered under `cache` so an interrupted generation resumes quickly.
pub fn ask_apt_cached(base: &Path, cache: &Path, name: &str) -> Result<Request, String> {
    let file = cache.join(format!("{name}.json"));
    if let Ok(text) = std::fs::read_to_string(&file) {
        if let Ok(request) = serde_json::from_str(&text) {
            return Ok(request);
        }
    }
    let request = ask_apt(base, name)?;
    std::fs::create_dir_all(cache).map_err(|e| e.to_string())?;
    std::fs::write(&file, serde_json::to_string(&request).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    Ok(request)
}

fn ask_apt(base: &Path, name: &str) -> Result<Request, String> {
    Ok(Request {
        with_recommends: answer(base, name, "")?,
        without_recommends: answer(base, name, "--no-install-recommends")?,
        measured: None,
    })
}

fn answer(base: &Path, name: &str, flag: &str) -> Result<AptAnswer, String> {
    let root = base.display();
    // Two askers run at once; --assume-no takes apt's lock unless told not to.
    let simulated = sh(&format!("chroot {root} apt-get -o Debug::NoLocking=1 install -s {flag} {name}"))?;
    let packages = simulated
        .lines()
        .filter_map(|l| l.strip_prefix("Inst "))
        .filter_map(|l| l.split_whitespace().next())
        .map(|n| n.trim_end_matches(":amd64").to_string())
        .collect();
    // --print-uris prints the summary and the URIs and installs nothing. (--assume-no and
    // --trivial-only are not enough: with nothing extra to confirm, apt installs at once.)
    let aborted = sh(&format!("chroot {root} apt-get -o Debug::NoLocking=1 install --print-uris -y {flag} {name} 2>&1"))?;
    if !aborted.contains(" upgraded, ") {
        return Err(format!("apt gave no answer for {name}:\n{aborted}"));
    }
    let summary = aborted
        .lines()
        .filter(|l| l.starts_with("Need to get") || l.starts_with("After this operation"))
        .map(str::to_string)
        .collect();
    Ok(AptAnswer { packages, summary })
}
