//! What `python3 -m venv DIR` writes, per interpreter: the tree a real run left, recorded
//! with its folder renamed to a placeholder so the simulator can lay it out at any path.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::image::{DataError, LayerData};
use crate::source::Source;

/// The folder the recorded venvs were made in. Text files keep their bytes with this path
/// in them; the simulator puts the real folder in its place.
pub const RECORDED_AT: &str = "/opt/LAYERLABVENV";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VenvIndex {
    pub format: u32,
    pub source: Source,
    /// Keyed by the interpreter's `sys.executable` (`/usr/bin/python3`).
    pub venvs: BTreeMap<String, VenvTemplate>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VenvTemplate {
    /// `exact`, or `approximate: ...` saying what was rebuilt.
    pub fidelity: String,
    /// `version` in pyvenv.cfg (`3.11.2`).
    pub version: String,
    /// `home` in pyvenv.cfg: the interpreter's folder.
    pub home: String,
    /// `executable` in pyvenv.cfg: the interpreter's real file.
    pub executable: String,
    /// The tree, paths relative to the venv's folder. Files under `site-packages` and the
    /// `pip` scripts are what ensurepip adds; `--without-pip` leaves them out.
    pub tree: LayerData,
}

impl VenvIndex {
    pub fn from_json(text: &str) -> Result<VenvIndex, DataError> {
        serde_json::from_str(text).map_err(|e| DataError(format!("venv index: {e}")))
    }
}
