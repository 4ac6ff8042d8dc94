//! apt's dependency closure over the catalog: which NEW packages `apt-get install` brings in,
//! with or without Recommends, given what the image already has installed.
//!
//! The catalog holds one version per package (the candidate apt chose when the data was
//! generated), so version constraints on real packages are always met; a versioned
//! dependency on a name some package only *provides* needs a versioned Provides that meets
//! it (`node-tap-parser` provides `node-yaml (= 1.10.2)` but needs `node-yaml (>= 2.0.1~)`,
//! so apt installs the real node-yaml). An or-group takes its first alternative the catalog
//! knows, a virtual name its first provider, as apt does when nothing already installed
//! satisfies them. Tests compare the result with apt's own answer
//! for every top-level package in the catalog.

use std::collections::BTreeSet;

use crate::apt::AptIndex;
use crate::debversion;

/// One alternative of a relation: a name and an optional `(op version)`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Alt {
    name: String,
    constraint: Option<(String, String)>,
}

impl Alt {
    /// Whether a Provides entry (`name` or `name (= version)`) satisfies this alternative.
    fn provided_by(&self, provided: &Alt) -> bool {
        provided.name == self.name
            && match (&self.constraint, &provided.constraint) {
                (None, _) => true,
                (Some((op, wanted)), Some((_, version))) => debversion::satisfies(version, op, wanted),
                (Some(_), None) => false,
            }
    }
}

/// What the image's dpkg status says is installed, and the virtual names those provide.
#[derive(Debug, Clone, Default)]
pub struct Installed {
    names: BTreeSet<String>,
    provided: BTreeSet<Alt>,
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

    fn satisfies(&self, alt: &Alt) -> bool {
        self.names.contains(&alt.name) || self.provided.iter().any(|p| alt.provided_by(p))
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

    fn satisfied(&self, alt: &Alt) -> bool {
        self.installed.satisfies(alt) || self.selected.contains(&alt.name) || self.selected.iter().any(|s| self.provides(s, alt))
    }

    fn provides(&self, package: &str, alt: &Alt) -> bool {
        self.index.packages.get(package).is_some_and(|p| relations(&p.provides).iter().flatten().any(|v| alt.provided_by(v)))
    }

    /// The first alternative the catalog has as a real package, else the first provider of
    /// a virtual alternative.
    fn choose(&self, clause: &[Alt]) -> Option<String> {
        if let Some(real) = clause.iter().find(|alt| self.index.packages.contains_key(&alt.name)) {
            return Some(real.name.clone());
        }
        clause.iter().find_map(|alt| self.index.packages.keys().find(|p| self.provides(p, alt)).cloned())
    }
}

/// apt's `Suggested packages:` (or, with `recommends`, `Recommended packages:`) list for
/// installing `new`: packages sorted by name, each or-group of the field once, skipped when
/// an installed or newly installed package satisfies it, else printed as apt prints it
/// (`a`, `| b`).
pub fn suggestions(index: &AptIndex, installed: &Installed, new: &[String], recommends: bool) -> Vec<String> {
    let mut sorted: Vec<&String> = new.iter().collect();
    sorted.sort();
    let provided_by_new = |alt: &Alt| {
        new.iter().any(|n| {
            n == &alt.name
                || index.packages.get(n).is_some_and(|p| relations(&p.provides).iter().flatten().any(|v| alt.provided_by(v)))
        })
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for name in sorted {
        let Some(package) = index.packages.get(name) else { continue };
        let field = if recommends { &package.recommends } else { &package.suggests };
        for clause in relations(field) {
            let names: Vec<&str> = clause.iter().map(|a| a.name.as_str()).collect();
            if !seen.insert(names.join(" | ")) || clause.iter().any(|a| installed.satisfies(a) || provided_by_new(a)) {
                continue;
            }
            for (i, alt) in clause.iter().enumerate() {
                out.push(if i == 0 { alt.name.clone() } else { format!("| {}", alt.name) });
            }
        }
    }
    out
}

/// The order apt unpacks `new` in. apt's own ordering is not reproduced; what the catalog
/// recorded is: for each requested package (by name), the order apt gave for it alone
/// (or, unrecorded, its own closure), keeping the packages of `new`; then whatever is left.
pub fn unpack_order(index: &AptIndex, installed: &Installed, new: &[String], requested: &[String], recommends: bool) -> Vec<String> {
    let mut requested: Vec<&String> = requested.iter().collect();
    requested.sort();
    let mut order: Vec<String> = Vec::new();
    for name in requested {
        let alone = match index.requests.get(name.as_str()) {
            Some(answer) => if recommends { answer.with_recommends.packages.clone() } else { answer.without_recommends.packages.clone() },
            None => closure(index, installed, &[name.as_str()], recommends).unwrap_or_default(),
        };
        for package in alone {
            if new.contains(&package) && !order.contains(&package) {
                order.push(package);
            }
        }
    }
    for package in new {
        if !order.contains(package) {
            order.push(package.clone());
        }
    }
    order
}

/// Whether a `Depends`-style field has a clause nothing in `installed` satisfies (what a
/// removal breaks).
pub fn unmet(field: &str, installed: &Installed) -> bool {
    relations(field).iter().any(|clause| !clause.iter().any(|alt| installed.satisfies(alt)))
}

/// The names a field relates to, or-groups flattened (what keeps a package needed).
pub fn related_names(field: &str) -> Vec<String> {
    relations(field).into_iter().flatten().map(|alt| alt.name).collect()
}

/// `a (>= 1), b | c:any (<< 2)` → `[[a >= 1], [b, c << 2]]`: architecture qualifiers and
/// `[arch]` lists dropped.
fn relations(field: &str) -> Vec<Vec<Alt>> {
    field
        .split(',')
        .map(|clause| {
            clause
                .split('|')
                .filter_map(|alt| {
                    let name = alt.split(['(', '[']).next()?.trim();
                    let name = name.split(':').next()?.trim();
                    let constraint = alt.split_once('(').and_then(|(_, rest)| {
                        let inner = rest.split(')').next()?.trim();
                        let split = inner.find(|c: char| !"<>=".contains(c))?;
                        Some((inner[..split].trim().to_string(), inner[split..].trim().to_string()))
                    });
                    (!name.is_empty()).then(|| Alt { name: name.to_string(), constraint })
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
