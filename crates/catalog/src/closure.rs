//! apt's dependency closure over the catalog: which NEW packages `apt-get install` brings in,
//! with or without Recommends, given what the image already has installed.
//!
//! The catalog holds one version per package (the candidate apt chose when the data was
//! generated), so version constraints are always met; an or-group takes its first
//! alternative the catalog knows, a virtual name its first provider, as apt does when
//! nothing already installed satisfies them. Tests compare the result with apt's own answer
//! for every top-level package in the catalog.

use std::collections::BTreeSet;

use crate::apt::AptIndex;

/// What the image's dpkg status says is installed, and the virtual names those provide.
#[derive(Debug, Clone, Default)]
pub struct Installed {
    names: BTreeSet<String>,
    provided: BTreeSet<String>,
}

impl Installed {
    /// Reads `/var/lib/dpkg/status`: packages whose `Status` ends in `installed`.
    pub fn from_status(status: &str) -> Installed {
        let mut installed = Installed::default();
        for stanza in status.split("\n\n") {
            let field = |key: &str| {
                stanza.lines().find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(": ")))
            };
            let (Some(name), Some(state)) = (field("Package"), field("Status")) else { continue };
            if state.ends_with(" installed") {
                installed.add(name, field("Provides").unwrap_or(""));
            }
        }
        installed
    }

    pub fn add(&mut self, name: &str, provides: &str) {
        self.names.insert(name.to_string());
        self.provided.extend(relations(provides).into_iter().flatten());
    }

    pub fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    fn satisfies(&self, name: &str) -> bool {
        self.names.contains(name) || self.provided.contains(name)
    }
}

/// `E: Unable to locate package NAME`: not in the catalog at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPackage(pub String);

/// The NEW packages for `apt-get install REQUEST...`, dependencies first.
pub fn closure(
    index: &AptIndex,
    installed: &Installed,
    request: &[&str],
    recommends: bool,
) -> Result<Vec<String>, UnknownPackage> {
    let mut walk = Walk { index, installed, recommends, selected: BTreeSet::new(), order: Vec::new() };
    for name in request {
        if !index.packages.contains_key(*name) && !installed.contains(name) {
            return Err(UnknownPackage(name.to_string()));
        }
    }
    for name in request {
        if !installed.contains(name) {
            walk.add(name);
        }
    }
    Ok(walk.order)
}

struct Walk<'a> {
    index: &'a AptIndex,
    installed: &'a Installed,
    recommends: bool,
    selected: BTreeSet<String>,
    order: Vec<String>,
}

impl Walk<'_> {
    fn add(&mut self, name: &str) {
        if !self.selected.insert(name.to_string()) {
            return;
        }
        let Some(package) = self.index.packages.get(name) else { return };
        let mut clauses = relations(&package.pre_depends);
        clauses.extend(relations(&package.depends));
        if self.recommends {
            clauses.extend(relations(&package.recommends));
        }
        for clause in clauses {
            if clause.iter().any(|alt| self.satisfied(alt)) {
                continue;
            }
            if let Some(choice) = self.choose(&clause) {
                self.add(&choice);
            }
        }
        self.order.push(name.to_string());
    }

    fn satisfied(&self, name: &str) -> bool {
        self.installed.satisfies(name)
            || self.selected.contains(name)
            || self.selected.iter().any(|s| self.provides(s, name))
    }

    fn provides(&self, package: &str, virtual_name: &str) -> bool {
        self.index
            .packages
            .get(package)
            .is_some_and(|p| relations(&p.provides).iter().flatten().any(|v| v == virtual_name))
    }

    /// The first alternative the catalog has as a real package, else the first provider of
    /// a virtual alternative.
    fn choose(&self, clause: &[String]) -> Option<String> {
        if let Some(real) = clause.iter().find(|alt| self.index.packages.contains_key(*alt)) {
            return Some(real.clone());
        }
        clause.iter().find_map(|alt| {
            self.index.packages.keys().find(|p| self.provides(p, alt)).cloned()
        })
    }
}

/// `a (>= 1), b | c:any (<< 2)` → `[[a], [b, c]]`: names only, version and arch qualifiers
/// dropped.
fn relations(field: &str) -> Vec<Vec<String>> {
    field
        .split(',')
        .map(|clause| {
            clause
                .split('|')
                .filter_map(|alt| {
                    let name = alt.split(['(', '[']).next()?.trim();
                    let name = name.split(':').next()?.trim();
                    (!name.is_empty()).then(|| name.to_string())
                })
                .collect::<Vec<_>>()
        })
        .filter(|c| !c.is_empty())
        .collect()
}

/// apt's `SizeToStr` followed by `B`, as in `Need to get 6132 kB of archives.` and
/// `After this operation, 36.6 MB of additional disk space will be used.`: powers of 1000,
/// one decimal under 100 of a unit, none under 10,000, else the next unit.
pub fn apt_size(bytes: f64) -> String {
    let prefixes = ["", "k", "M", "G", "T", "P"];
    let mut value = bytes.abs();
    for (i, prefix) in prefixes.iter().enumerate() {
        if value < 100.0 && i != 0 {
            return format!("{value:.1} {prefix}B");
        }
        if value < 10_000.0 || i + 1 == prefixes.len() {
            return format!("{value:.0} {prefix}B");
        }
        value /= 1000.0;
    }
    unreachable!("the last prefix always returns")
}
