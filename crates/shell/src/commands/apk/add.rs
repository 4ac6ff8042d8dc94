//! `apk add`: the packages a request needs that the image lacks, in apk's install order
//! (dependencies first, install_if packages right after what triggers them), unpacked into
//! the snapshot and recorded in apk's database and world.

use std::collections::{BTreeMap, BTreeSet};

use layerlab_catalog::apk::{ApkIndex, Package};
use layerlab_catalog::manifest::{self, Entry, Kind};
use layerlab_image::fs::Meta;

use super::database::{self, Database, Record};
use super::{fetch_indexes, say, triggers, ApkConfig};
use crate::commands::calendar;
use crate::interp::{Flow, Shell, Status};
use crate::rootfs;

pub fn add(sh: &mut Shell, config: &ApkConfig, index: &ApkIndex) -> Status {
    fetch_indexes(sh, config, index)?;
    let mut db = Database::read(sh);
    let names = requested_names(config, index)?;
    let new = plan(index, &db.names(), &names)?;
    unsized_check(index, &new, &names)?;
    let total = new.len() + usize::from(config.virtual_name.is_some());
    let mut files = Vec::new();
    for (i, name) in new.iter().enumerate() {
        let package = &index.packages[name];
        let mut text = format!("({}/{total}) Installing {name} ({})\n", i + 1, package.version);
        text.extend(package.messages.iter().map(|m| format!("{m}\n")));
        say(sh, config, &text)?;
        let entries = manifest::decode(&package.files).map_err(|e| Flow::Abort(format!("layerlab: apk data of {name}: {e}")))?;
        unpack(sh, name, &entries)?;
        files.extend(entries.iter().map(|e| format!("/{}", e.path)));
        db.records.push(record(name, package, &entries));
    }
    sh.spend_ms(crate::commands::apt_download_ms(new.iter().filter_map(|n| index.packages[n].installed_size).sum()));
    let mut world = database::world(sh);
    match &config.virtual_name {
        Some(virtual_name) => {
            let version = virtual_version(sh.now);
            say(sh, config, &format!("({total}/{total}) Installing {virtual_name} ({version})\n"))?;
            db.records.push(virtual_record(virtual_name, &version, &config.operands));
            world.push(virtual_name.clone());
        }
        None => world.extend(config.operands.iter().cloned()),
    }
    database::write_world(sh, &world);
    triggers(sh, config, &db, &new, &files)?;
    db.write(sh);
    let summary = db.summary();
    say(sh, config, &summary)?;
    Ok(0)
}

/// The requested names without version constraints; a constraint the catalog's one version
/// does not meet, or a repository tag (`name@edge`), cannot be simulated.
fn requested_names(config: &ApkConfig, index: &ApkIndex) -> Result<Vec<String>, Flow> {
    if let Some(v) = &config.virtual_name {
        if config.operands.is_empty() {
            return Err(Flow::Abort(format!("layerlab: apk add --virtual {v} without packages is not modelled")));
        }
    }
    let mut names = Vec::new();
    for request in &config.operands {
        let name = database::bare(request).unwrap_or(request);
        if name.contains('@') {
            return Err(Flow::Abort(format!("layerlab: tagged repositories ({request}) are not modelled by Layerlab's apk")));
        }
        if let (Some(version), Some((_, package))) = (request.strip_prefix(name).and_then(|c| c.strip_prefix('=')), index.find(name)) {
            if version != package.version {
                return Err(Flow::Abort(format!("layerlab: the catalog holds {name} {} only; {request} cannot be simulated", package.version)));
            }
        }
        names.push(name.to_string());
    }
    Ok(names)
}

/// The new packages, in install order.
fn plan(index: &ApkIndex, installed: &BTreeMap<String, String>, names: &[String]) -> Result<Vec<String>, Flow> {
    let mut planner = Planner { index, installed, order: Vec::new(), seen: BTreeSet::new() };
    for name in names {
        planner.visit(name)?;
    }
    Ok(planner.order)
}

struct Planner<'a> {
    index: &'a ApkIndex,
    installed: &'a BTreeMap<String, String>,
    order: Vec<String>,
    seen: BTreeSet<String>,
}

impl Planner<'_> {
    fn visit(&mut self, name: &str) -> Result<(), Flow> {
        if self.installed.contains_key(name) || self.seen.contains(name) {
            return Ok(());
        }
        let Some((key, package)) = self.index.find(name) else {
            return Err(Flow::Abort(format!(
                "layerlab: '{name}' is not among the {} Alpine 3.20 packages Layerlab's apk catalog holds, so this install cannot be simulated",
                self.index.packages.len()
            )));
        };
        if self.installed.contains_key(key) || !self.seen.insert(key.to_string()) {
            return Ok(());
        }
        for dependency in &package.depends {
            self.visit(dependency)?;
        }
        self.order.push(key.to_string());
        self.follow_install_if()
    }

    /// Installed already, or placed in the order (a package still waiting for its
    /// dependencies does not count yet).
    fn present(&self, name: &str) -> bool {
        self.installed.contains_key(name) || self.order.iter().any(|n| n == name)
    }

    /// Packages whose install_if conditions are now all met come next, in record order.
    fn follow_install_if(&mut self) -> Result<(), Flow> {
        let mut ready: Vec<(&String, &Package)> =
            self.index.packages.iter().filter(|(n, p)| !p.install_if.is_empty() && !self.seen.contains(*n) && !self.installed.contains_key(*n) && p.install_if.iter().all(|c| self.present(c))).collect();
        ready.sort_by_key(|(_, p)| p.rank);
        match ready.first() {
            Some((name, _)) => {
                let name = name.to_string();
                self.visit(&name)
            }
            None => Ok(()),
        }
    }
}

/// No published listing gives these packages' sizes: the install stops rather than guess.
fn unsized_check(index: &ApkIndex, new: &[String], requested: &[String]) -> Result<(), Flow> {
    let missing: Vec<String> = new.iter().filter(|n| index.packages[*n].installed_size.is_none()).map(|n| format!("{n} ({})", index.packages[n].version)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Flow::Abort(format!(
        "layerlab: apk add {} would install {}, whose sizes no published package listing records, so this install cannot be simulated",
        requested.join(" "),
        missing.join(", ")
    )))
}

/// Writes a package's files (sized) and the directories above them.
fn unpack(sh: &mut Shell, name: &str, entries: &[Entry]) -> Result<(), Flow> {
    for e in entries {
        sh.step()?;
        let path = format!("/{}", e.path);
        if e.kind == Kind::File {
            sh.add_disk(e.size)?;
        }
        let dir = path.rsplit_once('/').map_or("/", |(d, _)| if d.is_empty() { "/" } else { d }).to_string();
        let meta = Meta { mode: e.mode, uid: e.uid, gid: e.gid, mtime: sh.now };
        let _ = sh.fs.mkdir_all(&dir, Meta { mode: 0o755, uid: 0, gid: 0, mtime: sh.now });
        let _ = rootfs::place(sh.fs, e, meta, || rootfs::sized(&format!("apk:{name}"), e));
    }
    Ok(())
}

/// The package's block of the installed database, fields in apk's order.
fn record(name: &str, package: &Package, entries: &[Entry]) -> Record {
    let mut text = format!("P:{name}\nV:{}\nA:x86_64\nI:{}\nT:{}\nU:{}\nL:{}\n", package.version, package.installed_size.unwrap_or(0), package.description, package.url, package.license);
    for (key, list) in [("D", &package.depends), ("p", &package.provides), ("i", &package.install_if)] {
        if !list.is_empty() {
            text += &format!("{key}:{}\n", list.join(" "));
        }
    }
    // apk lists every directory of the package, parents first, each before its files.
    let mut listed: Vec<&str> = Vec::new();
    let mut dir = None;
    for e in entries {
        let (parent, file) = e.path.rsplit_once('/').unwrap_or(("", &e.path));
        for (at, _) in parent.match_indices('/').chain(std::iter::once((parent.len(), ""))) {
            let ancestor = &parent[..at];
            if !listed.contains(&ancestor) {
                listed.push(ancestor);
                text += &format!("F:{ancestor}\n");
                dir = Some(ancestor);
            }
        }
        if dir != Some(parent) {
            text += &format!("F:{parent}\n");
            dir = Some(parent);
        }
        text += &format!("R:{file}\n");
        if e.kind == Kind::File && e.mode != 0o644 {
            text += &format!("a:0:0:{:o}\n", e.mode);
        }
    }
    Record::parse(text.trim_end()).expect("a record with a name parses")
}

/// A `--virtual` package's version: the time it was made (`20241206.203000`, UTC).
fn virtual_version(now: i64) -> String {
    let t = calendar::at(now);
    format!("{:04}{:02}{:02}.{:02}{:02}{:02}", t.year, t.month, t.day, t.hour, t.minute, t.second)
}

fn virtual_record(name: &str, version: &str, depends: &[String]) -> Record {
    let text = format!("P:{name}\nV:{version}\nA:noarch\nS:0\nI:0\nT:virtual meta package\nU:\nL:\nD:{}", depends.join(" "));
    Record::parse(&text).expect("a record with a name parses")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_virtual_package_is_versioned_by_the_time_it_was_made() {
        assert_eq!(virtual_version(1_733_517_000), "20241206.203000");
    }
}
