//! yarn 1's view of the npm catalog, measured by real yarn (the node image's 1.22.22 on this
//! host's node): every package version the catalog holds is installed, pinned, in a few
//! rounds (each name once per round), into an empty cache; each cache entry then gives the
//! tarball's SHA-1 yarn names things after and the size of the `.yarn-metadata.json` it
//! writes there (the package.json with the README and LICENSE texts folded in).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use layerlab_catalog::image::FORMAT;
use layerlab_catalog::npm::{yarn_slug, NpmIndex, YarnIndex, YarnPackage};
use layerlab_catalog::source::Source;
use serde_json::Value;

use super::host::{self, sh};
use super::{derived, work_dir};

const YARN: &str = "1.22.22";

pub fn generate(out: &Path) -> Result<(), String> {
    let npm = NpmIndex::from_json(&host::read(&out.join("npm").join("registry.json"))?).map_err(|e| e.0)?;
    let dir = work_dir().join("yarn");
    let cache = dir.join("cache");
    let tarball = derived::fetch(&format!("https://registry.npmjs.org/yarn/-/yarn-{YARN}.tgz"), &format!("yarn-{YARN}.tgz"))?;
    sh(&format!(
        "rm -rf {d} && mkdir -p {d}/yarn {c} && tar -xzf {t} -C {d}/yarn --strip-components=1",
        d = dir.display(),
        c = cache.display(),
        t = tarball.display()
    ))?;
    // Each version as itself (an alias would rename its cache folder): a package.json per
    // round, each name once in a round, pinned to the version.
    for (round, versions) in rounds(&npm).iter().enumerate() {
        let deps: serde_json::Map<String, Value> = versions.iter().map(|(n, v)| (n.to_string(), Value::String(v.to_string()))).collect();
        let manifest = serde_json::json!({ "name": format!("catalog-{round}"), "version": "1.0.0", "license": "MIT", "dependencies": deps });
        let project = dir.join(format!("project-{round}"));
        std::fs::create_dir_all(&project).map_err(|e| e.to_string())?;
        host::write_json(&project.join("package.json"), &manifest)?;
        sh(&format!(
            "cd {p} && node {d}/yarn/bin/yarn.js install --ignore-scripts --ignore-engines --ignore-platform --non-interactive --no-progress --cache-folder {c} >/dev/null",
            p = project.display(),
            d = dir.display(),
            c = cache.display()
        ))?;
    }
    let root = cache.display().to_string();
    let packages = measure(&npm, &cache.join("v6"), root.len() as u64)?;
    let index = YarnIndex {
        format: FORMAT,
        source: Source {
            fidelity: "exact".into(),
            generator: "cargo xtask gen-data yarn".into(),
            date: host::today()?,
            tools: vec![format!("yarn {YARN}"), format!("node {}", sh("node --version")?.trim())],
            origin: "https://registry.npmjs.org (every version of npm/registry.json installed, pinned, by yarn into an empty cache)".into(),
            pinned: vec![format!("yarn={YARN}")],
            rewrites: vec!["a package whose package.json names a `file:` dependency (generator-function names itself) has it recorded as a path from the installing project to the cache: measured from the generator's project, so such metadata may differ by a few bytes from a build's".into()],
        },
        packages,
    };
    host::write_json(&out.join("npm").join("yarn.json"), &index)
}

/// The catalog's versions in rounds in which each name appears once.
fn rounds(npm: &NpmIndex) -> Vec<Vec<(&str, &str)>> {
    let mut rounds: Vec<Vec<(&str, &str)>> = Vec::new();
    for key in npm.packages.keys() {
        let (name, version) = split_key(key);
        match rounds.iter_mut().find(|r| !r.iter().any(|(n, _)| *n == name)) {
            Some(round) => round.push((name, version)),
            None => rounds.push(vec![(name, version)]),
        }
    }
    rounds
}

/// `@babel/core@7.29.17` → (`@babel/core`, `7.29.17`).
fn split_key(key: &str) -> (&str, &str) {
    let at = key[1..].find('@').map_or(key.len(), |i| i + 1);
    (&key[..at], key.get(at + 1..).unwrap_or(""))
}

/// Every catalog version's cache entry; a version yarn did not cache is an error.
fn measure(npm: &NpmIndex, v6: &Path, root_len: u64) -> Result<BTreeMap<String, YarnPackage>, String> {
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(v6).map_err(|e| format!("{}: {e}", v6.display()))? {
        let folder = entry.map_err(|e| e.to_string())?.path();
        let Some(name) = folder.file_name().and_then(|n| n.to_str()).filter(|n| n.starts_with("npm-")).map(str::to_string) else { continue };
        let Some(metadata) = metadata_file(&folder) else { continue };
        let size = std::fs::metadata(&metadata).map_err(|e| e.to_string())?.len();
        let json: Value = serde_json::from_str(&host::read(&metadata)?).map_err(|e| format!("{}: {e}", metadata.display()))?;
        let key = format!("{}@{}", json["manifest"]["name"].as_str().unwrap_or(""), json["manifest"]["version"].as_str().unwrap_or(""));
        let sha1 = json["remote"]["hash"].as_str().unwrap_or("").to_string();
        // A version a package took under an alias (`"react-is-18": "npm:react-is@18"`) may
        // sit in a folder named after the alias too; a plain install uses its own name's.
        let own = format!("npm-{}-", yarn_slug(json["manifest"]["name"].as_str().unwrap_or("")));
        if found.get(&key).is_some_and(|kept: &YarnPackage| kept.folder.starts_with(&own)) {
            continue;
        }
        found.insert(key, YarnPackage { sha1, folder: name, metadata_without_root: size - root_len });
    }
    let missing: Vec<&String> = npm.packages.keys().filter(|k| !found.contains_key(*k)).collect();
    if !missing.is_empty() {
        return Err(format!("yarn did not cache {} catalog versions: {:?}", missing.len(), missing));
    }
    found.retain(|k, _| npm.packages.contains_key(k));
    Ok(found)
}

/// `<folder>/node_modules/<name>/.yarn-metadata.json` (a scoped name is two folders deep).
fn metadata_file(folder: &Path) -> Option<PathBuf> {
    let modules = folder.join("node_modules");
    for first in std::fs::read_dir(&modules).ok()?.flatten() {
        let direct = first.path().join(".yarn-metadata.json");
        if direct.exists() {
            return Some(direct);
        }
        for second in std::fs::read_dir(first.path()).ok()?.flatten() {
            let scoped = second.path().join(".yarn-metadata.json");
            if scoped.exists() {
                return Some(scoped);
            }
        }
    }
    None
}
