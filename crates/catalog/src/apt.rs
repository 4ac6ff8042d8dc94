//! The apt catalogs, one per release (Debian bookworm, Ubuntu noble and jammy): packages with their
//! control fields, and what apt itself answered for each top-level install request (the
//! ground truth the simulator is tested on).
//!
//! File lists live in shards (`bookworm-files-NN.json`) so the page fetches only the shards
//! of the packages a build installs; `shard_of` says which.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::image::DataError;
use crate::source::Source;

/// How many file-list shards the catalog is split into.
pub const SHARDS: u32 = 16;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AptIndex {
    pub format: u32,
    pub source: Source,
    pub packages: BTreeMap<String, Package>,
    /// What `apt-get install` printed for each top-level package, on the slim image.
    pub requests: BTreeMap<String, Request>,
    /// `/var/lib/apt/lists` after `apt-get update` on the slim image, in manifest form
    /// (what `apt-get update` adds and `rm -rf /var/lib/apt/lists/*` takes away).
    #[serde(default)]
    pub lists: String,
    /// What that `apt-get update` printed (`Get:1 http://deb.debian.org/debian bookworm
    /// InRelease [151 kB]`...), its timing line included as measured.
    #[serde(default)]
    pub update_log: Vec<String>,
    /// What apt answers for names it has no candidate for (`python`, `netcat`...), which old
    /// tutorials still install: its notes and its `E:` errors, as measured on the slim image.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub absent: BTreeMap<String, Absent>,
}

/// apt's answer for a name without an installation candidate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Absent {
    /// What apt printed on standard output about the name (`Package python is not
    /// available, but is referred to by another package.`...), lines as printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Its errors, without the `E: ` prefix (`Package 'python' has no installation candidate`).
    pub errors: Vec<String>,
}

/// A package's control fields, as `apt-cache show` gives the candidate version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    pub version: String,
    pub architecture: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub priority: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub essential: bool,
    /// `Installed-Size`, in KiB.
    pub installed_size: u64,
    /// Size of the .deb in bytes (`Need to get ...`).
    pub download_size: u64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pre_depends: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub depends: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub recommends: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub provides: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub suggests: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub conflicts: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub breaks: String,
    /// The archive suite apt fetches the candidate from (`bookworm`, `bookworm-updates`,
    /// `bookworm-security`), for the `Get:` lines.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub suite: String,
    /// The archive component (`main`, `universe`...); empty means `main`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub component: String,
    /// The archive URL of that suite (`http://archive.ubuntu.com/ubuntu`); empty means
    /// Debian's (deb.debian.org, `debian-security` for the security suite).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub archive: String,
}

fn is_false(b: &bool) -> bool {
    !b
}

/// One top-level request, with and without Recommends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub with_recommends: AptAnswer,
    pub without_recommends: AptAnswer,
    /// What a real `apt-get install -y` (with Recommends) added to the slim filesystem,
    /// for the requests the generator installed for real.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured: Option<Measured>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AptAnswer {
    /// The NEW packages, in the order apt would unpack them (`Inst` lines of `-s`).
    pub packages: Vec<String>,
    /// apt's own lines: `Need to get 11.1 MB of archives.`, `After this operation, ...`.
    pub summary: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measured {
    /// Entries added (files, dirs, symlinks).
    pub entries_added: u64,
    /// Change in `docker images` size (file bytes + symlink target lengths).
    pub bytes_added: i64,
}

/// A shard of per-package file data.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FileShard {
    pub format: u32,
    pub packages: BTreeMap<String, PackageFiles>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageFiles {
    /// The .deb's `control` file, which dpkg copies into its status database.
    pub control: String,
    /// The .deb's data: every entry, in manifest form (all of them; an image's dpkg
    /// `path-exclude` rules decide what lands).
    pub files: String,
    /// Sizes of the control members dpkg keeps under /var/lib/dpkg/info (`md5sums`, `postinst`...).
    pub info: BTreeMap<String, u64>,
    /// Entries the maintainer scripts create (`.pyc`, alternatives links), measured by
    /// install-and-diff in a chroot, in manifest form.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub generated: String,
}

/// Which shard holds a package's files: FNV-1a of the name, so the loader and the generator
/// agree without a table.
pub fn shard_of(package: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in package.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % SHARDS
}

/// The releases apt catalogs exist for, by `VERSION_CODENAME`; the first is the fallback
/// for images of any other release.
pub const RELEASES: &[&str] = &["bookworm", "noble", "jammy"];

/// The catalog of a release: `bookworm.json` (paths under `static/data/apt/`).
pub fn index_file_name(release: &str) -> String {
    format!("{release}.json")
}

pub fn shard_file_name(release: &str, shard: u32) -> String {
    format!("{release}-files-{shard:02}.json")
}

impl AptIndex {
    pub fn from_json(text: &str) -> Result<AptIndex, DataError> {
        serde_json::from_str(text).map_err(|e| DataError(format!("apt index: {e}")))
    }
}

impl FileShard {
    pub fn from_json(text: &str) -> Result<FileShard, DataError> {
        serde_json::from_str(text).map_err(|e| DataError(format!("apt file shard: {e}")))
    }
}

/// Texts of files maintainer scripts write that Dockerfiles edit in place (`sed -i` on
/// /etc/locale.gen), copied from the chroot where the install was measured; see
/// `crates/catalog/texts/README.md`.
const GENERATED_TEXTS: &[(&str, &str)] = &[("etc/locale.gen", include_str!("../texts/locale.gen"))];

/// The text of a generated file, when it is known and its size is the measured one.
pub fn generated_text(path: &str, size: u64) -> Option<&'static str> {
    GENERATED_TEXTS.iter().find(|(p, text)| *p == path && text.len() as u64 == size).map(|(_, text)| *text)
}
