//! The loading layer: data files go in by their path under `static/data/` (read from disk by
//! the CLI, fetched by the page), typed data comes out. A lookup whose file is not loaded yet
//! answers `Missing(path)`, so the page fetches exactly that file and asks again; only the
//! default example's image ships with the app.

use std::collections::BTreeMap;

use crate::apk::{self, ApkIndex};
use crate::apt::{self, AptIndex, FileShard, PackageFiles};
use crate::image::{DataError, ImageFile};
use crate::index::{ImageIndex, PullError, Resolved};
use crate::npm::{NpmIndex, YarnIndex};
use crate::pip::PipIndex;
use crate::venv::VenvIndex;

pub const IMAGE_INDEX: &str = "images/index.json";
pub const PIP_INDEX: &str = "pip/cp312-manylinux-x86_64.json";
pub const NPM_INDEX: &str = "npm/registry.json";
pub const YARN_INDEX: &str = "npm/yarn.json";
pub const VENV_INDEX: &str = "pip/venvs.json";

/// Why a lookup has no answer yet, or none at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Load this file (path under `static/data/`) and ask again.
    Missing(String),
    /// `docker pull` would fail.
    Pull(PullError),
}

#[derive(Default)]
pub struct DataStore {
    index: Option<ImageIndex>,
    images: BTreeMap<String, ImageFile>,
    /// By release (`bookworm`, `noble`).
    apt: BTreeMap<String, AptIndex>,
    apt_files: BTreeMap<(String, u32), FileShard>,
    pip: Option<PipIndex>,
    npm: Option<NpmIndex>,
    yarn: Option<YarnIndex>,
    venv: Option<VenvIndex>,
    apk: Option<ApkIndex>,
}

impl DataStore {
    pub fn new() -> DataStore {
        DataStore::default()
    }

    /// Adds a data file by its path under `static/data/`.
    pub fn insert(&mut self, path: &str, text: &str) -> Result<(), DataError> {
        match path {
            IMAGE_INDEX => self.index = Some(ImageIndex::from_json(text)?),
            PIP_INDEX => self.pip = Some(PipIndex::from_json(text)?),
            NPM_INDEX => self.npm = Some(NpmIndex::from_json(text)?),
            YARN_INDEX => self.yarn = Some(YarnIndex::from_json(text)?),
            VENV_INDEX => self.venv = Some(VenvIndex::from_json(text)?),
            apk::INDEX_FILE => self.apk = Some(ApkIndex::from_json(text)?),
            _ if path.starts_with("images/") => {
                self.images.insert(path.to_string(), ImageFile::from_json(text)?);
            }
            _ if path.starts_with("apt/") => match apt_file(path) {
                Some((release, None)) => {
                    self.apt.insert(release, AptIndex::from_json(text)?);
                }
                Some((release, Some(shard))) => {
                    self.apt_files.insert((release, shard), FileShard::from_json(text)?);
                }
                None => return Err(DataError(format!("{path}: not an apt catalog file"))),
            },
            _ => return Err(DataError(format!("{path}: not a Layerlab data file"))),
        }
        Ok(())
    }

    /// Whether the data file at `path` has been inserted (the page skips fetching it again).
    pub fn has(&self, path: &str) -> bool {
        match path {
            IMAGE_INDEX => self.index.is_some(),
            PIP_INDEX => self.pip.is_some(),
            NPM_INDEX => self.npm.is_some(),
            YARN_INDEX => self.yarn.is_some(),
            VENV_INDEX => self.venv.is_some(),
            apk::INDEX_FILE => self.apk.is_some(),
            _ => {
                self.images.contains_key(path)
                    || match apt_file(path) {
                        Some((release, None)) => self.apt.contains_key(&release),
                        Some((release, Some(shard))) => self.apt_files.contains_key(&(release, shard)),
                        None => false,
                    }
            }
        }
    }

    pub fn resolve(&self, name: &str) -> Result<Resolved<'_>, Lookup> {
        let index = self.index.as_ref().ok_or_else(|| Lookup::Missing(IMAGE_INDEX.into()))?;
        index.resolve(name).map_err(Lookup::Pull)
    }

    /// An image's data with its base images, base first. `scratch` has none.
    pub fn image_chain(&self, name: &str) -> Result<Vec<&ImageFile>, Lookup> {
        let mut chain = Vec::new();
        let mut next = Some(name.to_string());
        while let Some(name) = next {
            let resolved = self.resolve(&name)?;
            if resolved.entry.file.is_empty() {
                break;
            }
            let image = self.images.get(&resolved.entry.file).ok_or_else(|| Lookup::Missing(resolved.entry.file.clone()))?;
            next = image.base.clone();
            chain.push(image);
        }
        chain.reverse();
        Ok(chain)
    }

    /// The apt catalog of a release (one of `apt::RELEASES`).
    pub fn apt(&self, release: &str) -> Result<&AptIndex, Lookup> {
        self.apt.get(release).ok_or_else(|| Lookup::Missing(format!("apt/{}", apt::index_file_name(release))))
    }

    pub fn apt_files(&self, release: &str, package: &str) -> Result<Option<&PackageFiles>, Lookup> {
        let shard = apt::shard_of(package);
        let files = self
            .apt_files
            .get(&(release.to_string(), shard))
            .ok_or_else(|| Lookup::Missing(format!("apt/{}", apt::shard_file_name(release, shard))))?;
        Ok(files.packages.get(package))
    }

    pub fn pip(&self) -> Result<&PipIndex, Lookup> {
        self.pip.as_ref().ok_or_else(|| Lookup::Missing(PIP_INDEX.into()))
    }

    pub fn npm(&self) -> Result<&NpmIndex, Lookup> {
        self.npm.as_ref().ok_or_else(|| Lookup::Missing(NPM_INDEX.into()))
    }

    pub fn yarn(&self) -> Result<&YarnIndex, Lookup> {
        self.yarn.as_ref().ok_or_else(|| Lookup::Missing(YARN_INDEX.into()))
    }

    pub fn venv(&self) -> Result<&VenvIndex, Lookup> {
        self.venv.as_ref().ok_or_else(|| Lookup::Missing(VENV_INDEX.into()))
    }

    /// The apk catalog (Alpine 3.20, the one Alpine release modelled).
    pub fn apk(&self) -> Result<&ApkIndex, Lookup> {
        self.apk.as_ref().ok_or_else(|| Lookup::Missing(apk::INDEX_FILE.into()))
    }
}

/// Which release an apt data path belongs to, and its shard if it is a file-list shard:
/// `apt/noble.json` → (`noble`, None), `apt/noble-files-03.json` → (`noble`, Some(3)).
fn apt_file(path: &str) -> Option<(String, Option<u32>)> {
    let name = path.strip_prefix("apt/")?;
    let release = apt::RELEASES.iter().find(|r| name.starts_with(*r))?;
    if name == apt::index_file_name(release) {
        return Some((release.to_string(), None));
    }
    let shard = (0..apt::SHARDS).find(|n| name == apt::shard_file_name(release, *n))?;
    Some((release.to_string(), Some(shard)))
}
