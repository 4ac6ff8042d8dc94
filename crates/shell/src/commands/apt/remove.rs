//! `apt-get remove`, `purge`, `autoremove` and `clean`: which installed packages go (those
//! asked for, those that depend on them, and with `--auto-remove` the dependencies nothing
//! needs any more), apt's lists and prompt, and dpkg deleting the files the packages own.

use std::collections::{BTreeMap, BTreeSet};

use layerlab_catalog::apt::AptIndex;
use layerlab_catalog::closure::{apt_size, related_names, unmet, Installed};
use layerlab_image::fs::Node;

use super::config::AptConfig;
use super::database::{self, Stanza};
use super::output::{self, say, show_list};
use super::{fail, not_root};
use crate::interp::{Flow, Shell, Status};

pub fn remove(sh: &mut Shell, config: &AptConfig, names: &[String], purge: bool) -> Status {
    if sh.user.uid != 0 {
        return not_root(sh, false);
    }
    let index = sh.catalog(|s| s.apt(config.release))?;
    output::reading(sh, config)?;
    let stanzas = database::status(sh);
    let mut gone = BTreeSet::new();
    let mut errors = Vec::new();
    for name in names {
        let name = name.strip_suffix(":amd64").unwrap_or(name);
        if stanzas.iter().any(|s| s.name() == name && s.installed()) {
            gone.insert(name.to_string());
        } else if index.packages.contains_key(name) || stanzas.iter().any(|s| s.name() == name) {
            say(sh, config, &format!("Package '{name}' is not installed, so not removed\n"))?;
        } else {
            errors.push(format!("Unable to locate package {name}"));
        }
    }
    if !errors.is_empty() {
        return fail(sh, &errors);
    }
    add_broken(&stanzas, &mut gone);
    let unneeded = unneeded(sh, config, &stanzas, &gone);
    if config.auto_remove {
        gone.extend(unneeded);
    } else if !unneeded.is_empty() {
        let list: Vec<String> = unneeded.into_iter().collect();
        say(sh, config, &show_list("The following packages were automatically installed and are no longer required:", &list))?;
        say(sh, config, "Use 'apt autoremove' to remove them.\n")?;
    }
    apply(sh, config, index, &stanzas, &gone, purge)
}

pub fn autoremove(sh: &mut Shell, config: &AptConfig, purge: bool) -> Status {
    if sh.user.uid != 0 {
        return not_root(sh, false);
    }
    let index = sh.catalog(|s| s.apt(config.release))?;
    output::reading(sh, config)?;
    let stanzas = database::status(sh);
    let gone = unneeded(sh, config, &stanzas, &BTreeSet::new());
    apply(sh, config, index, &stanzas, &gone, purge)
}

/// Installed packages whose dependencies the removal breaks go too, until none is broken.
fn add_broken(stanzas: &[Stanza], gone: &mut BTreeSet<String>) {
    loop {
        let remaining = installed_except(stanzas, gone);
        let broken: Vec<String> = stanzas
            .iter()
            .filter(|s| s.installed() && !gone.contains(s.name()))
            .filter(|s| unmet(&format!("{}, {}", s.field("Pre-Depends").unwrap_or(""), s.field("Depends").unwrap_or("")), &remaining))
            .map(|s| s.name().to_string())
            .collect();
        if broken.is_empty() {
            return;
        }
        gone.extend(broken);
    }
}

fn installed_except(stanzas: &[Stanza], gone: &BTreeSet<String>) -> Installed {
    let kept: Vec<Stanza> = stanzas.iter().filter(|s| !gone.contains(s.name())).cloned().collect();
    database::installed(&kept)
}

/// Auto-installed packages that no root reaches through Pre-Depends and Depends, and
/// Recommends and Suggests unless configured off (Docker images turn Suggests off in
/// `docker-autoremove-suggests`). apt's roots (`pkgDepCache::MarkRequired`): packages
/// installed by hand, essential or protected ones, those of priority `required`, and holds.
fn unneeded(sh: &Shell, config: &AptConfig, stanzas: &[Stanza], gone: &BTreeSet<String>) -> BTreeSet<String> {
    let auto = database::auto_installed(sh);
    let by_name: BTreeMap<&str, &Stanza> = stanzas.iter().filter(|s| s.installed() && !gone.contains(s.name())).map(|s| (s.name(), s)).collect();
    let mut providers: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (name, stanza) in &by_name {
        for virtual_name in related_names(stanza.field("Provides").unwrap_or("")) {
            providers.entry(virtual_name).or_default().push(name);
        }
    }
    let mut needed: BTreeSet<&str> = BTreeSet::new();
    let root = |name: &str, stanza: &Stanza| {
        !auto.contains(name)
            || stanza.field("Essential") == Some("yes")
            || stanza.field("Protected") == Some("yes")
            || stanza.field("Priority") == Some("required")
            || stanza.held()
    };
    let mut queue: Vec<&str> = by_name.iter().filter(|(n, s)| root(n, s)).map(|(n, _)| *n).collect();
    let mut followed = vec!["Pre-Depends", "Depends"];
    if config.recommends_important {
        followed.push("Recommends");
    }
    if config.suggests_important {
        followed.push("Suggests");
    }
    while let Some(name) = queue.pop() {
        if !needed.insert(name) {
            continue;
        }
        let stanza = by_name[name];
        let fields: Vec<&str> = followed.iter().map(|f| stanza.field(f).unwrap_or("")).collect();
        for target in fields.iter().flat_map(|f| related_names(f)) {
            if let Some((found, _)) = by_name.get_key_value(target.as_str()) {
                queue.push(found);
            }
            queue.extend(providers.get(&target).into_iter().flatten().copied());
        }
    }
    by_name.keys().filter(|n| !needed.contains(*n)).map(|n| n.to_string()).collect()
}

fn apply(sh: &mut Shell, config: &AptConfig, index: &AptIndex, stanzas: &[Stanza], gone: &BTreeSet<String>, purge: bool) -> Status {
    let marked: Vec<String> = gone.iter().map(|n| if purge { format!("{n}*") } else { n.clone() }).collect();
    let mut plan = show_list("The following packages will be REMOVED:", &marked);
    plan += &format!("0 upgraded, 0 newly installed, {} to remove and 0 not upgraded.\n", gone.len());
    let freed: u64 = stanzas.iter().filter(|s| gone.contains(s.name())).map(|s| s.field("Installed-Size").and_then(|v| v.parse::<u64>().ok()).unwrap_or(0) * 1024).sum();
    if !gone.is_empty() {
        plan += &format!("After this operation, {} disk space will be freed.\n", apt_size(freed as f64));
    }
    say(sh, config, &plan)?;
    if gone.is_empty() {
        return Ok(0);
    }
    if !config.yes && config.quiet < 2 && !super::install::confirm(sh)? {
        return Ok(1);
    }
    let leaving = removal_order(stanzas, gone);
    let mut infos = Vec::new();
    for stanza in &leaving {
        let files = sh.catalog(|s| s.apt_files(config.release, stanza.name()))?.filter(|_| index.packages.contains_key(stanza.name()));
        let files = files.ok_or_else(|| Flow::Abort(format!("layerlab: {} came with the base image, whose per-package file lists Layerlab does not hold; removing it cannot be simulated", stanza.name())))?;
        infos.push(files.info.keys().cloned().collect::<Vec<String>>());
    }
    super::install::reading_database(sh, config.release)?;
    for stanza in &leaving {
        sh.out(&format!("Removing {} ({}) ...\n", stanza.display_name(), stanza.field("Version").unwrap_or("")))?;
        delete_files(sh, &stanza.display_name())?;
    }
    if infos.iter().flatten().any(|member| member == "triggers") {
        let libc = stanzas.iter().find(|s| s.name() == "libc-bin").and_then(|s| s.field("Version")).unwrap_or("");
        sh.out(&format!("Processing triggers for libc-bin ({libc}) ...\n"))?;
    }
    // dpkg purges what has configuration (conffiles, or a postrm that cleans up) in a
    // second run, last removed first.
    let configured: Vec<&&Stanza> = leaving.iter().zip(&infos).filter(|(_, info)| info.iter().any(|m| m == "conffiles" || m == "postrm")).map(|(s, _)| s).collect();
    if purge && !configured.is_empty() {
        super::install::reading_database(sh, config.release)?;
        for stanza in configured.iter().rev() {
            sh.out(&format!("Purging configuration files for {} ({}) ...\n", stanza.display_name(), stanza.field("Version").unwrap_or("")))?;
        }
    }
    let kept: Vec<Stanza> = stanzas.iter().filter(|s| !gone.contains(s.name())).cloned().collect();
    database::write_status(sh, &kept);
    let mut auto = database::auto_installed(sh);
    auto.retain(|n| !gone.contains(n));
    database::write_auto_installed(sh, &auto);
    Ok(0)
}

/// apt removes dependents before what they depend on; otherwise by name.
fn removal_order<'a>(stanzas: &'a [Stanza], gone: &BTreeSet<String>) -> Vec<&'a Stanza> {
    let mut left: Vec<&Stanza> = stanzas.iter().filter(|s| gone.contains(s.name())).collect();
    left.sort_by(|a, b| a.name().cmp(b.name()));
    let mut order = Vec::new();
    while !left.is_empty() {
        let depended_on = |name: &str, others: &[&Stanza]| {
            others.iter().any(|o| o.name() != name && related_names(&format!("{}, {}", o.field("Pre-Depends").unwrap_or(""), o.field("Depends").unwrap_or(""))).iter().any(|n| n == name))
        };
        let next = left.iter().position(|s| !depended_on(s.name(), &left)).unwrap_or(0);
        order.push(left.remove(next));
    }
    order
}

/// dpkg deleting a package: its files and symlinks, then its directories left empty, then
/// its info files.
fn delete_files(sh: &mut Shell, display: &str) -> Result<(), Flow> {
    let paths = database::owned_paths(sh, display);
    // What the list holds paths under was installed as a directory, whatever it is on disk
    // now: merged /usr's `/lib` is a symlink to usr/lib, and dpkg never deletes it.
    let folders: std::collections::BTreeSet<&str> = paths.iter().filter_map(|p| p.rsplit_once('/').map(|(dir, _)| dir)).collect();
    for path in paths.iter().filter(|p| *p != "/." && !folders.contains(p.as_str())) {
        sh.step()?;
        if matches!(sh.fs.get(path, false), Ok(Node::File(_) | Node::Symlink { .. })) {
            let _ = sh.fs.remove(path, false);
        }
    }
    for path in paths.iter().rev().filter(|p| *p != "/.") {
        if matches!(sh.fs.get(path, false), Ok(Node::Dir(d)) if d.children.is_empty()) {
            let _ = sh.fs.remove(path, false);
        }
    }
    let info = match sh.fs.get(database::INFO, true) {
        Ok(Node::Dir(d)) => d.children.keys().filter(|n| n.starts_with(&format!("{display}."))).cloned().collect(),
        _ => Vec::new(),
    };
    for name in info {
        let _ = sh.fs.remove(&format!("{}/{name}", database::INFO), false);
    }
    Ok(())
}

/// `apt-get clean`: the downloaded archives and apt's binary caches.
pub fn clean(sh: &mut Shell) -> Status {
    if sh.user.uid != 0 {
        return fail(sh, &["Could not open lock file /var/cache/apt/archives/lock - open (13: Permission denied)".into(), "Unable to lock directory /var/cache/apt/archives/".into()]);
    }
    for dir in ["/var/cache/apt/archives", "/var/cache/apt/archives/partial", "/var/cache/apt"] {
        let names: Vec<String> = match sh.fs.get(dir, true) {
            Ok(Node::Dir(d)) => d.children.iter().filter(|(n, node)| matches!(node, Node::File(_)) && n.as_str() != "lock").map(|(n, _)| n.clone()).collect(),
            _ => Vec::new(),
        };
        for name in names.iter().filter(|n| dir != "/var/cache/apt" || n.ends_with(".bin")) {
            let _ = sh.fs.remove(&format!("{dir}/{name}"), false);
        }
    }
    Ok(0)
}
