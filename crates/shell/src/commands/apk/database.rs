//! apk's state in the snapshot: `/lib/apk/db/installed` (one block of `X:value` lines per
//! package, files as `F:` directories and `R:` names) and `/etc/apk/world` (what was asked
//! for). Every apk command reads them from the image, so later steps see earlier installs.

use std::collections::{BTreeMap, BTreeSet};

use crate::accounts::read_text;
use crate::interp::Shell;

pub const INSTALLED: &str = "/lib/apk/db/installed";
pub const WORLD: &str = "/etc/apk/world";

/// One package of the installed database.
#[derive(Debug, Clone)]
pub struct Record {
    /// The block as written, without its closing blank line.
    pub text: String,
    pub name: String,
    pub version: String,
    pub installed_size: u64,
    /// `D:` entries, constraints and `so:`/`cmd:` names as written.
    pub depends: Vec<String>,
    pub provides: Vec<String>,
    pub install_if: Vec<String>,
    /// Owned paths, absolute.
    pub files: Vec<String>,
    pub dirs: Vec<String>,
}

impl Record {
    pub fn parse(text: &str) -> Option<Record> {
        let mut record = Record { text: text.to_string(), name: String::new(), version: String::new(), installed_size: 0, depends: Vec::new(), provides: Vec::new(), install_if: Vec::new(), files: Vec::new(), dirs: Vec::new() };
        let mut dir = String::new();
        for line in text.lines() {
            let Some((key, value)) = line.split_once(':') else { continue };
            let words = || value.split_whitespace().map(str::to_string).collect::<Vec<_>>();
            match key {
                "P" => record.name = value.to_string(),
                "V" => record.version = value.to_string(),
                "I" => record.installed_size = value.parse().unwrap_or(0),
                "D" => record.depends = words(),
                "p" => record.provides = words(),
                "i" => record.install_if = words(),
                "F" => {
                    dir = format!("/{value}");
                    record.dirs.push(dir.clone());
                }
                "R" => record.files.push(format!("{dir}/{value}")),
                _ => {}
            }
        }
        (!record.name.is_empty()).then_some(record)
    }
}

/// A dependency or provided name without its version constraint (`musl>=1.2` → `musl`,
/// `so:libz.so.1=1.3.1` → `so:libz.so.1`); `None` for a conflict (`!name`).
pub fn bare(token: &str) -> Option<&str> {
    if token.starts_with('!') {
        return None;
    }
    Some(token.split(['<', '>', '=', '~']).next().unwrap_or(token))
}

pub struct Database {
    pub records: Vec<Record>,
}

impl Database {
    pub fn read(sh: &Shell) -> Database {
        let text = read_text(sh.fs, INSTALLED).unwrap_or_default();
        Database { records: text.split("\n\n").filter_map(|block| Record::parse(block.trim_matches('\n'))).collect() }
    }

    pub fn write(&self, sh: &mut Shell) {
        let text: String = self.records.iter().map(|r| format!("{}\n\n", r.text)).collect();
        super::write_text(sh, INSTALLED, &text);
    }

    pub fn get(&self, name: &str) -> Option<&Record> {
        self.records.iter().find(|r| r.name == name)
    }

    /// Every name an installed package answers to (its own and what it provides), and which
    /// package that is.
    pub fn names(&self) -> BTreeMap<String, String> {
        let mut names = BTreeMap::new();
        for r in &self.records {
            names.insert(r.name.clone(), r.name.clone());
            for p in r.provides.iter().filter_map(|p| bare(p)) {
                names.entry(p.to_string()).or_insert_with(|| r.name.clone());
            }
        }
        names
    }

    /// The installed packages the world needs: its names, their dependencies, and the
    /// install_if packages whose conditions those meet.
    pub fn needed(&self, world: &[String]) -> BTreeSet<String> {
        let names = self.names();
        let resolve = |token: &str| bare(token).and_then(|n| names.get(n)).cloned();
        let mut needed = BTreeSet::new();
        let mut queue: Vec<String> = world.iter().filter_map(|w| resolve(w)).collect();
        loop {
            while let Some(name) = queue.pop() {
                if needed.insert(name.clone()) {
                    queue.extend(self.get(&name).into_iter().flat_map(|r| r.depends.iter().filter_map(|d| resolve(d))));
                }
            }
            let triggered = self.records.iter().find(|r| !needed.contains(&r.name) && !r.install_if.is_empty() && r.install_if.iter().all(|c| resolve(c).is_some_and(|n| needed.contains(&n))));
            match triggered {
                Some(r) => queue.push(r.name.clone()),
                None => return needed,
            }
        }
    }

    /// apk's closing line: `OK: 13 MiB in 24 packages` (whole MiB, rounded down).
    pub fn summary(&self) -> String {
        let bytes: u64 = self.records.iter().map(|r| r.installed_size).sum();
        format!("OK: {} MiB in {} packages\n", bytes / (1024 * 1024), self.records.len())
    }
}

/// The world's entries, one per line as apk keeps them.
pub fn world(sh: &Shell) -> Vec<String> {
    read_text(sh.fs, WORLD).unwrap_or_default().split_whitespace().map(str::to_string).collect()
}

/// Writes the world back sorted and without repeats, as apk does.
pub fn write_world(sh: &mut Shell, world: &[String]) {
    let set: BTreeSet<&String> = world.iter().collect();
    let text: String = set.into_iter().map(|w| format!("{w}\n")).collect();
    super::write_text(sh, WORLD, &text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_and_conflicts() {
        assert_eq!(bare("musl>=1.2.3_git20230424"), Some("musl"));
        assert_eq!(bare("so:libz.so.1=1.3.1"), Some("so:libz.so.1"));
        assert_eq!(bare("/bin/sh"), Some("/bin/sh"));
        assert_eq!(bare("!libssl1.1"), None);
    }

    #[test]
    fn a_record_knows_its_files() {
        let r = Record::parse("P:zlib\nV:1.3.1-r1\nI:110592\nD:so:libc.musl-x86_64.so.1\np:so:libz.so.1=1.3.1\nF:lib\nR:libz.so.1.3.1\nR:libz.so.1").unwrap();
        assert_eq!((r.name.as_str(), r.installed_size), ("zlib", 110_592));
        assert_eq!(r.files, ["/lib/libz.so.1.3.1", "/lib/libz.so.1"]);
        assert_eq!(r.provides, ["so:libz.so.1=1.3.1"]);
    }
}
