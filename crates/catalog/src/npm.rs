//! The npm catalog: for each top-level package, the tree `npm install` lays out (from npm's
//! own lockfile), and for each package version its files from the registry tarball.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::image::DataError;
use crate::source::Source;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NpmIndex {
    pub format: u32,
    pub source: Source,
    /// Keyed by `name@version`.
    pub packages: BTreeMap<String, NpmPackage>,
    /// What `npm install NAME` lays out: lockfile paths (`node_modules/a/node_modules/b`)
    /// to `name@version`, in lockfile order.
    pub requests: BTreeMap<String, Vec<(String, String)>>,
    /// Bytes of each package's registry document as npm fetches it (the abbreviated
    /// "corgi" form), which npm keeps in its cache beside the tarballs.
    #[serde(default)]
    pub packuments: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NpmPackage {
    /// `dependencies` of its package.json (name → range).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dependencies: BTreeMap<String, String>,
    /// `bin` of its package.json (command → path inside the package).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub bin: BTreeMap<String, String>,
    /// Bytes of the .tgz (`npm install` downloads this much).
    pub tarball_size: u64,
    /// The unpacked tarball relative to the package folder, manifest form.
    pub files: String,
    /// Its entry in npm's lockfile (compact JSON: version, resolved, integrity, license,
    /// dependencies, engines, bin, funding...), without the flags that depend on where it
    /// sits in a tree (`dev`, `optional`, `peer`). `package-lock.json` and
    /// `node_modules/.package-lock.json` are made of these.
    #[serde(default)]
    pub lock: String,
}

/// yarn 1's view of the npm catalog's package versions, measured by real yarn: what it
/// names each one after and what it writes beside the unpacked files in its cache.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct YarnIndex {
    pub format: u32,
    pub source: Source,
    /// Keyed by `name@version`, as [`NpmIndex::packages`].
    pub packages: BTreeMap<String, YarnPackage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YarnPackage {
    /// The tarball's SHA-1 (the registry's `dist.shasum`): in yarn.lock's `resolved` URL and
    /// in the cache folder's name.
    pub sha1: String,
    /// The cache folder under `v6/` (`npm-ms-2.1.3-<sha1>-integrity`).
    pub folder: String,
    /// Bytes of `.yarn-metadata.json` less the cache root's length: the file records its own
    /// path (`_loc`), which starts with the cache root.
    pub metadata_without_root: u64,
}

/// yarn's slug of a package name in its cache folders: each run of characters other than
/// `@`, letters and digits becomes one `-` (`@types/babel__core` → `@types-babel-core`).
pub fn yarn_slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c == '@' || c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug
}

impl YarnIndex {
    pub fn from_json(text: &str) -> Result<YarnIndex, DataError> {
        serde_json::from_str(text).map_err(|e| DataError(format!("yarn index: {e}")))
    }
}

impl NpmIndex {
    pub fn from_json(text: &str) -> Result<NpmIndex, DataError> {
        serde_json::from_str(text).map_err(|e| DataError(format!("npm index: {e}")))
    }
}
