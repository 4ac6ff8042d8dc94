//! Which package goes where: from the project's lockfile when it has one (as `npm ci` and
//! `npm install` read it), else the union of the catalog's resolutions of each dependency
//! (npm's own lockfile for that package alone).

use std::collections::BTreeMap;

use layerlab_catalog::npm::NpmIndex;
use serde_json::Value;

use super::{Project, Request};

/// One package in the tree.
pub struct Placed {
    /// `node_modules/a` or `node_modules/a/node_modules/b`.
    pub path: String,
    /// The catalog's `name@version` whose files go there.
    pub key: String,
    pub name: String,
    /// Only devDependencies need it (npm's lockfiles mark it).
    pub dev: bool,
}

pub struct Plan {
    /// In lockfile order (by path).
    pub placed: Vec<Placed>,
    /// What the simulator changed from what npm would do, said beside the output.
    pub notes: Vec<String>,
    /// Names `npm install NAME` adds to package.json, with the range npm writes.
    pub saved: Vec<(String, String)>,
    /// Optional packages for another platform: in the tree, not installed (yarn.lock
    /// lists them all the same).
    pub skipped: Vec<Placed>,
}

/// The tree, or the names the catalog does not hold.
pub fn plan(index: &NpmIndex, request: &Request, project: Option<&Project>) -> Result<Plan, Vec<String>> {
    if let Some(lock) = project.and_then(|p| p.lock.as_ref()).filter(|_| request.names.is_empty()) {
        return from_lock(index, request, lock);
    }
    let mut wanted: Vec<(String, String, bool)> = Vec::new();
    if let Some(project) = project {
        wanted.extend(project.wanted("dependencies").into_iter().map(|(n, r)| (n, r, false)));
        if !request.omit_dev {
            wanted.extend(project.wanted("devDependencies").into_iter().map(|(n, r)| (n, r, true)));
        }
    }
    let mut saved = Vec::new();
    for spec in &request.names {
        let (name, range) = split_spec(spec);
        wanted.retain(|(n, _, _)| *n != name);
        let version = request_tree(index, &name).and_then(|tree| tree.into_iter().find(|(p, _)| *p == format!("node_modules/{name}"))).map(|(_, key)| version_of(&key).to_string());
        saved.push((name.clone(), range.clone().unwrap_or_else(|| format!("^{}", version.unwrap_or_default()))));
        wanted.push((name, range.unwrap_or_else(|| "*".into()), request.save_dev));
    }
    let mut plan = from_requests(index, &wanted)?;
    plan.saved = saved;
    Ok(plan)
}

/// `name`, `name@range`, `@scope/name@range`.
fn split_spec(spec: &str) -> (String, Option<String>) {
    match spec[1..].rfind('@') {
        Some(at) => (spec[..at + 1].to_string(), Some(spec[at + 2..].to_string())),
        None => (spec.to_string(), None),
    }
}

fn version_of(key: &str) -> &str {
    key.rsplit_once('@').map_or("", |(_, v)| v)
}

/// What `npm install NAME` lays out: the catalog's resolution of NAME, or, for a package
/// the catalog holds only as a dependency, its part of a tree that has it on top (it and
/// what it requires, found as Node finds modules: nearest node_modules first).
fn request_tree(index: &NpmIndex, name: &str) -> Option<Vec<(String, String)>> {
    if let Some(tree) = index.requests.get(name) {
        return Some(tree.clone());
    }
    let top = format!("node_modules/{name}");
    let host = index.requests.values().find(|tree| tree.iter().any(|(p, _)| *p == top))?;
    let at: BTreeMap<&str, &str> = host.iter().map(|(p, k)| (p.as_str(), k.as_str())).collect();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut queue = vec![top];
    while let Some(path) = queue.pop() {
        let Some(key) = at.get(path.as_str()) else { continue };
        if taken.insert(path.clone(), key.to_string()).is_some() {
            continue;
        }
        for dep in index.packages.get(*key).map(|p| p.dependencies.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
            queue.push(find_dependency(|p| at.contains_key(p), &path, &dep));
        }
    }
    Some(taken.into_iter().collect())
}

/// Where Node finds `dep` from the package at `path`: `path/node_modules/dep`, then each
/// enclosing node_modules; the top-level place when none has it.
pub fn find_dependency(exists: impl Fn(&str) -> bool, path: &str, dep: &str) -> String {
    let mut base = path;
    loop {
        let candidate = format!("{base}/node_modules/{dep}");
        if exists(&candidate) {
            return candidate;
        }
        match base.rfind("/node_modules/") {
            Some(i) => base = &base[..i],
            None => return format!("node_modules/{dep}"),
        }
    }
}

fn from_requests(index: &NpmIndex, wanted: &[(String, String, bool)]) -> Result<Plan, Vec<String>> {
    let trees: Vec<Option<Vec<(String, String)>>> = wanted.iter().map(|(n, _, _)| request_tree(index, n)).collect();
    let missing: Vec<String> = wanted.iter().zip(&trees).filter(|(_, t)| t.is_none()).map(|((n, _, _), _)| n.clone()).collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut tree: BTreeMap<String, (String, bool)> = BTreeMap::new();
    let mut notes = Vec::new();
    for ((name, range, dev), request) in wanted.iter().zip(trees.iter().flatten()) {
        for (path, key) in request {
            match tree.get_mut(path) {
                Some((kept, _)) if kept != key => notes.push(format!("{name} wants {key} at {path}, where {kept} already is; Layerlab keeps {kept} (npm would nest one of them)")),
                Some((_, only_dev)) => *only_dev &= *dev,
                None => {
                    tree.insert(path.clone(), (key.clone(), *dev));
                }
            }
            if path == &format!("node_modules/{name}") && satisfies(version_of(key), range) == Some(false) {
                notes.push(format!("package.json asks for {name}@{range}; the catalog has {key}, which Layerlab installs instead"));
            }
        }
    }
    let (placed, skipped): (Vec<Placed>, Vec<Placed>) = tree
        .into_iter()
        .map(|(path, (key, dev))| Placed { name: key.rsplit_once('@').map_or(key.as_str(), |(n, _)| n).to_string(), path, key, dev })
        .partition(|p| index.packages.get(&p.key).is_some_and(|package| fits_platform(&package.lock)));
    Ok(Plan { placed, notes, saved: Vec::new(), skipped })
}

fn from_lock(index: &NpmIndex, request: &Request, lock: &Value) -> Result<Plan, Vec<String>> {
    let mut placed = Vec::new();
    let mut missing = Vec::new();
    let mut substituted = Vec::new();
    let Some(packages) = lock["packages"].as_object() else { return Ok(Plan { placed, notes: Vec::new(), saved: Vec::new(), skipped: Vec::new() }) };
    for (path, entry) in packages {
        if path.is_empty() || entry["link"] == Value::Bool(true) || !path.contains("node_modules/") {
            continue;
        }
        let dev = entry["dev"] == Value::Bool(true);
        if dev && request.omit_dev {
            continue;
        }
        let name = entry["name"].as_str().unwrap_or_else(|| path.rsplit("node_modules/").next().unwrap_or(path)).to_string();
        let version = entry["version"].as_str().unwrap_or_default();
        let key = format!("{name}@{version}");
        let key = if index.packages.contains_key(&key) {
            key
        } else if let Some(other) = index.packages.keys().find(|k| k.rsplit_once('@').is_some_and(|(n, _)| n == name)) {
            substituted.push(format!("{key} as {}", version_of(other)));
            other.clone()
        } else {
            missing.push(key);
            continue;
        };
        if index.packages.get(&key).is_some_and(|p| fits_platform(&p.lock)) {
            placed.push(Placed { path: path.clone(), key, name, dev });
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut notes = Vec::new();
    if !substituted.is_empty() {
        notes.push(format!(
            "{} of the {} packages in the lockfile are not in the catalog at their locked version; they are sized as the catalog's version: {}",
            substituted.len(),
            placed.len(),
            substituted.join(", ")
        ));
    }
    Ok(Plan { placed, notes, saved: Vec::new(), skipped: Vec::new() })
}

/// Whether a package's lockfile entry lets it install on linux/x64: npm skips optional
/// packages built for other systems (chokidar's `fsevents` is macOS only).
fn fits_platform(lock: &str) -> bool {
    let allows = |field: &str, wanted: &str| match lock.split_once(&format!("\"{field}\": [")) {
        Some((_, rest)) => {
            let list = rest.split(']').next().unwrap_or("");
            list.contains(&format!("\"{wanted}\"")) || (list.contains("\"!") && !list.contains(&format!("\"!{wanted}\"")))
        }
        None => true,
    };
    allows("os", "linux") && allows("cpu", "x64")
}

/// Whether `version` matches a package.json range, for the forms people write (`^1.2.3`,
/// `~1.2`, `1.2.3`, `>=1`, `1.x`, `*`, `latest`); `None` for anything else.
fn satisfies(version: &str, range: &str) -> Option<bool> {
    let have: Vec<u64> = version.split(['.', '-']).take(3).map(|p| p.parse().unwrap_or(0)).collect();
    let range = range.trim();
    if range.is_empty() || range == "*" || range == "latest" || range == "x" {
        return Some(true);
    }
    let (op, rest) = match range.as_bytes()[0] {
        b'^' => ('^', &range[1..]),
        b'~' => ('~', &range[1..]),
        _ if range.starts_with(">=") => ('>', &range[2..]),
        b'0'..=b'9' => ('=', range),
        _ => return None,
    };
    let want: Vec<Option<u64>> = rest.split('.').take(3).map(|p| p.parse().ok()).collect();
    if rest.contains(' ') || rest.contains('|') || want.is_empty() || want[0].is_none() {
        return None;
    }
    let part = |i: usize| want.get(i).copied().flatten();
    let at_least = (0..3).map(|i| part(i).unwrap_or(0)).collect::<Vec<_>>() <= have;
    Some(match op {
        '>' => at_least,
        '^' => {
            // The first non-zero part stays.
            let fixed = (0..3).find(|i| part(*i).unwrap_or(0) != 0).unwrap_or(2).min(want.len() - 1);
            at_least && (0..=fixed).all(|i| part(i).is_none_or(|v| v == have[i]))
        }
        '~' => at_least && have[0] == part(0).unwrap_or(0) && part(1).is_none_or(|m| have[1] == m),
        _ => (0..3).all(|i| part(i).is_none_or(|v| v == have[i])),
    })
}

#[cfg(test)]
mod tests {
    use super::satisfies;

    #[test]
    fn ranges_as_npm_reads_them() {
        assert_eq!(satisfies("5.1.0", "^5.0.0"), Some(true));
        assert_eq!(satisfies("5.1.0", "^4.18.2"), Some(false));
        assert_eq!(satisfies("0.3.2", "^0.3.0"), Some(true));
        assert_eq!(satisfies("0.4.0", "^0.3.0"), Some(false));
        assert_eq!(satisfies("1.2.9", "~1.2.3"), Some(true));
        assert_eq!(satisfies("1.3.0", "~1.2.3"), Some(false));
        assert_eq!(satisfies("4.17.21", "4.17.21"), Some(true));
        assert_eq!(satisfies("4.17.21", "4.x"), Some(true));
        assert_eq!(satisfies("3.0.0", ">=2"), Some(true));
        assert_eq!(satisfies("3.0.0", "1 || 2"), None);
    }
}
