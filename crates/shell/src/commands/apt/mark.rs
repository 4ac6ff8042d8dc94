//! `apt-mark`: which installed packages apt counts as installed by hand (the roots
//! `autoremove` keeps) and which only as dependencies (`/var/lib/apt/extended_states`), and
//! holds (dpkg's selection, `hold ok installed`). Wording as apt 2.6 prints it.
//!
//! The docker-library images use it to keep the runtime libraries of a compiled program
//! while purging its build dependencies: `savedAptMark="$(apt-mark showmanual)"`, then
//! `apt-mark auto '.*'`, `apt-mark manual $savedAptMark`, `apt-get purge --auto-remove`.

use std::collections::BTreeSet;

use super::database::{self, Stanza};
use super::fail;
use crate::commands::regex;
use crate::interp::{Flow, Shell, Status};

pub fn apt_mark(sh: &mut Shell, args: &[String]) -> Status {
    let operands: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with('-')).collect();
    let Some((command, patterns)) = operands.split_first() else {
        return fail(sh, &["No command given; apt-mark auto|manual|hold|unhold|showauto|showmanual|showhold".into()]);
    };
    let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
    match command.as_str() {
        "auto" | "markauto" => mark(sh, &patterns, true),
        "manual" | "unmarkauto" => mark(sh, &patterns, false),
        "showauto" => show(sh, &patterns, |auto, _, name| auto.contains(name)),
        "showmanual" => show(sh, &patterns, |auto, _, name| !auto.contains(name)),
        "showhold" | "showholds" => show(sh, &patterns, |_, held, name| held.contains(name)),
        "hold" => hold(sh, &patterns, true),
        "unhold" => hold(sh, &patterns, false),
        other => fail(sh, &[format!("Invalid operation {other}")]),
    }
}

/// What a pattern names among the installed packages: the package of that name, or with
/// regex characters in it, every name the (unanchored, extended) regex matches.
fn matching(pattern: &str, names: &[String]) -> Result<Vec<String>, String> {
    if !is_regex(pattern) {
        return Ok(names.iter().filter(|n| *n == pattern).cloned().collect());
    }
    let regex = regex::compile(pattern, true, false)?;
    Ok(names.iter().filter(|n| regex.is_match(n)).cloned().collect())
}

/// The packages dpkg holds (`Status: hold ok installed`).
fn held(stanzas: &[Stanza]) -> BTreeSet<String> {
    stanzas.iter().filter(|s| s.held()).map(|s| s.name().to_string()).collect()
}

fn installed_names(stanzas: &[Stanza]) -> Vec<String> {
    let mut names: Vec<String> = stanzas.iter().filter(|s| s.installed()).map(|s| s.name().to_string()).collect();
    names.sort();
    names
}

/// What one pattern names.
enum Named {
    Installed(String),
    /// Known to apt's cache but not installed: `NAME can not be marked ...`.
    NotInstalled(String),
}

/// What the patterns name, in argument order, and apt's errors. A plain name apt's cache
/// does not know (the archive's packages once `apt-get update` ran, and dpkg's) gets
/// `E: Unable to locate package` and makes the exit status 100, but the others are still
/// marked, as apt does; its errors come after its other output, as apt prints them.
fn select(sh: &mut Shell, patterns: &[String], stanzas: &[Stanza]) -> Result<(Vec<Named>, String), Flow> {
    let names = installed_names(stanzas);
    let (mut named, mut errors) = (Vec::new(), String::new());
    for pattern in patterns {
        let pattern = pattern.strip_suffix(":amd64").unwrap_or(pattern);
        match matching(pattern, &names) {
            Ok(found) if found.is_empty() && !is_regex(pattern) => {
                if known(sh, pattern, stanzas)? {
                    named.push(Named::NotInstalled(pattern.to_string()));
                } else {
                    errors += &format!("E: Unable to locate package {pattern}\n");
                }
            }
            Ok(found) => named.extend(found.into_iter().map(Named::Installed)),
            Err(message) => {
                errors += &format!("E: Regex compilation error - {message}\n");
            }
        }
    }
    if named.is_empty() {
        errors += "E: No packages found\n";
    }
    Ok((named, errors))
}

fn known(sh: &mut Shell, name: &str, stanzas: &[Stanza]) -> Result<bool, Flow> {
    if stanzas.iter().any(|s| s.name() == name) {
        return Ok(true);
    }
    if !database::has_lists(sh) {
        return Ok(false);
    }
    let release = super::release(sh);
    Ok(sh.catalog(|s| s.apt(release))?.packages.contains_key(name))
}

fn is_regex(pattern: &str) -> bool {
    pattern.contains(['.', '?', '+', '*', '|', '[', ']', '^', '$'])
}

fn not_installed(name: &str) -> String {
    format!("{name} can not be marked as it is not installed.\n")
}

fn mark(sh: &mut Shell, patterns: &[String], auto: bool) -> Status {
    let stanzas = database::status(sh);
    let (named, errors) = select(sh, patterns, &stanzas)?;
    let mut marked = database::auto_installed(sh);
    let how = if auto { "automatically" } else { "manually" };
    let mut text = String::new();
    for item in &named {
        text += &match item {
            Named::NotInstalled(name) => not_installed(name),
            Named::Installed(name) if (auto && marked.insert(name.clone())) || (!auto && marked.remove(name)) => format!("{name} set to {how} installed.\n"),
            Named::Installed(name) => format!("{name} was already set to {how} installed.\n"),
        };
    }
    sh.out(&text)?;
    if patterns.iter().any(|p| is_regex(p)) && !sh.stdout_discarded() {
        // apt also names every package of the archive the regex matches that is not
        // installed (tens of thousands); Layerlab's catalog does not hold the archive's list.
        sh.err("layerlab: apt-mark also prints `NAME can not be marked as it is not installed.` for every package of the archive the pattern matches; those lines are left out\n")?;
    }
    database::write_auto_installed(sh, &marked);
    finish(sh, &errors)
}

fn show(sh: &mut Shell, patterns: &[String], keep: fn(&BTreeSet<String>, &BTreeSet<String>, &str) -> bool) -> Status {
    let stanzas = database::status(sh);
    let auto = database::auto_installed(sh);
    let held = held(&stanzas);
    let names = installed_names(&stanzas);
    let mut shown = BTreeSet::new();
    if patterns.is_empty() {
        shown.extend(names.iter().cloned());
    } else {
        for pattern in patterns {
            shown.extend(matching(pattern, &names).unwrap_or_default());
        }
    }
    let text: String = shown.iter().filter(|n| keep(&auto, &held, n)).map(|n| format!("{n}\n")).collect();
    sh.out(&text)?;
    Ok(0)
}

/// Holds are dpkg selections (`Status: hold ok installed`). apt-mark compares with the
/// state before the command and writes all selections at the end, so a name given twice
/// is reported twice the same way.
fn hold(sh: &mut Shell, patterns: &[String], on: bool) -> Status {
    let mut stanzas = database::status(sh);
    let held = held(&stanzas);
    let (named, errors) = select(sh, patterns, &stanzas)?;
    let mut text = String::new();
    for item in &named {
        let name = match item {
            Named::NotInstalled(name) => {
                text += &not_installed(name);
                continue;
            }
            Named::Installed(name) => name,
        };
        text += &match (on, held.contains(name)) {
            (true, false) => format!("{name} set on hold.\n"),
            (true, true) => format!("{name} was already set on hold.\n"),
            (false, true) => format!("Canceled hold on {name}.\n"),
            (false, false) => format!("{name} was already not on hold.\n"),
        };
        let (from, to) = if on { ("Status: install ", "Status: hold ") } else { ("Status: hold ", "Status: install ") };
        if let Some(stanza) = stanzas.iter_mut().find(|s| s.name() == name) {
            stanza.text = stanza.text.replace(from, to);
        }
    }
    sh.out(&text)?;
    database::write_status(sh, &stanzas);
    finish(sh, &errors)
}

/// apt's errors, printed last, and its exit status.
fn finish(sh: &mut Shell, errors: &str) -> Status {
    if errors.is_empty() {
        return Ok(0);
    }
    sh.err(errors)?;
    Ok(100)
}
