//! The PyPI catalog: wheels for CPython 3.12 manylinux x86_64, with their dependency
//! metadata, sizes and installed files, and pip's own resolution of each top-level request.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::image::DataError;
use crate::source::Source;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PipIndex {
    pub format: u32,
    pub source: Source,
    /// Keyed by normalised project name (PEP 503: lowercase, runs of `-_.` as `-`): every
    /// version some request resolved to, newest first.
    pub distributions: BTreeMap<String, Vec<Distribution>>,
    /// pip's resolution of `pip install NAME`: `Name==version` in pip's install order.
    pub requests: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distribution {
    /// The project's own spelling (`Flask`, `Jinja2`).
    pub name: String,
    pub version: String,
    pub wheel: String,
    pub wheel_size: u64,
    /// `Requires-Dist` lines as the wheel's METADATA has them, markers included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_dist: Vec<String>,
    /// `name = module:function` from `entry_points.txt` `[console_scripts]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub console_scripts: Vec<String>,
    /// The unpacked wheel relative to site-packages, manifest form (`.data/scripts` as `bin/`).
    pub files: String,
    /// The `.pyc` files compiling the wheel writes, manifest form.
    pub bytecode: String,
}

/// PEP 503 normalisation.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.push(c.to_ascii_lowercase());
            in_run = false;
        }
    }
    out
}

impl PipIndex {
    pub fn from_json(text: &str) -> Result<PipIndex, DataError> {
        serde_json::from_str(text).map_err(|e| DataError(format!("pip index: {e}")))
    }
}
