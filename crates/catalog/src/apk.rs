//! The apk catalog of Alpine 3.20: what `apk add` installs beyond the minirootfs, and what
//! `apk update` prints. Approximate, and labelled so: no Alpine package index is reachable from
//! the generator's machine, so names, versions, dependencies and install order come from
//! recorded builds, sizes from published `apk info` listings, and file lists are each
//! package's main files (see `crates/xtask/src/gen_data/apk-packages.txt`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::image::DataError;
use crate::source::Source;

/// The catalog's path under `static/data/`.
pub const INDEX_FILE: &str = "apk/v3.20.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApkIndex {
    pub format: u32,
    pub source: Source,
    /// The repositories of the image's `/etc/apk/repositories`, in order.
    pub repositories: Vec<String>,
    /// What `apk update` prints after its `fetch` lines (each repository's description and
    /// `OK: 24163 distinct packages available`), as recorded on alpine 3.20.3.
    pub update: Vec<String>,
    /// The index files a fetch leaves in /var/cache/apk, in manifest form. Their names are
    /// apk's (the SHA-1 of each repository line); their sizes are modelled (see `source`).
    pub index_cache: String,
    pub packages: BTreeMap<String, Package>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    pub version: String,
    pub description: String,
    pub url: String,
    pub license: String,
    /// The installed size apk 2.14 records (`I:`, whole 4 KiB blocks per entry); `None` when
    /// no public listing gives the package's size, so an install that needs it cannot be
    /// simulated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed_size: Option<u64>,
    /// Where the size comes from (a listing of this release or a later one).
    pub size_source: String,
    /// Package names, in the order that gives apk's install order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends: Vec<String>,
    /// The package comes along once all of these are installed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub install_if: Vec<String>,
    /// Other names it answers to (`libc-dev` for musl-dev).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provides: Vec<String>,
    /// Its files, in manifest form.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub files: String,
    /// The record's position in the generator's input, which orders the packages that come
    /// along by install_if the way the recorded builds show them.
    #[serde(default)]
    pub rank: u32,
    /// Lines its post-install script prints (`Executing icu-data-en-74.2-r0.post-install`...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<String>,
}

impl ApkIndex {
    pub fn from_json(text: &str) -> Result<ApkIndex, DataError> {
        serde_json::from_str(text).map_err(|e| DataError(format!("apk index: {e}")))
    }

    /// The package a request names: by its own name, else the one package providing it.
    pub fn find(&self, name: &str) -> Option<(&str, &Package)> {
        if let Some((key, package)) = self.packages.get_key_value(name) {
            return Some((key.as_str(), package));
        }
        let mut providers = self.packages.iter().filter(|(_, p)| p.provides.iter().any(|n| n == name));
        match (providers.next(), providers.next()) {
            (Some((key, package)), None) => Some((key.as_str(), package)),
            _ => None,
        }
    }
}
