//! A base image as a data file: its layers (manifest + real bytes of small text files), its
//! config and its `docker history`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::manifest::{self, Entry, ManifestError};
use crate::source::Source;

/// The version of the data format; bumped on any incompatible change.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImageFile {
    pub format: u32,
    /// Canonical `repository:tag` (`debian:bookworm-slim`).
    pub name: String,
    pub source: Source,
    /// `os/arch` the data describes; only linux/amd64 is generated.
    pub platform: String,
    pub config: Config,
    /// The image whose layers come first (python:3.12-slim starts from debian:bookworm-slim).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// This image's own history rows, after the base's, oldest first.
    pub history: Vec<History>,
    /// This image's own layers, one per history row that is not an empty layer.
    pub layers: Vec<LayerData>,
}

/// The parts of an image config the simulator uses; key names as in `docker inspect`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Config {
    #[serde(default)]
    pub env: Vec<String>,
    #[serde(default)]
    pub cmd: Option<Vec<String>>,
    #[serde(default)]
    pub entrypoint: Option<Vec<String>>,
    #[serde(default)]
    pub working_dir: String,
    #[serde(default)]
    pub user: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exposed_ports: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_signal: Option<String>,
}

/// One `docker history` row as the image config stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// RFC 3339, UTC.
    pub created: String,
    pub created_by: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub empty_layer: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

fn is_false(b: &bool) -> bool {
    !b
}

/// A layer: every entry's metadata, and the bytes of the small text files a learner opens
/// (`/etc/os-release`, `passwd`, the dpkg status...). Other files are sized references.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LayerData {
    pub manifest: String,
    #[serde(default)]
    pub files: BTreeMap<String, String>,
}

impl LayerData {
    pub fn entries(&self) -> Result<Vec<Entry>, ManifestError> {
        manifest::decode(&self.manifest)
    }
}

/// A data file that cannot be read.
#[derive(Debug)]
pub struct DataError(pub String);

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl ImageFile {
    pub fn from_json(text: &str) -> Result<ImageFile, DataError> {
        let image: ImageFile =
            serde_json::from_str(text).map_err(|e| DataError(format!("image data: {e}")))?;
        if image.format != FORMAT {
            return Err(DataError(format!(
                "image data {} has format {}, this build reads format {FORMAT}",
                image.name, image.format
            )));
        }
        Ok(image)
    }
}
