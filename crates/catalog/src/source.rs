//! Where a data file came from. Every generated file carries one, so a size shown in the page
//! can always be traced to the tool, registry and date that produced it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// `exact` (generated from the real artifact) or `approximate: reconstructed from ...`.
    pub fidelity: String,
    /// The command that wrote the file (`cargo xtask gen-data debian`).
    pub generator: String,
    /// Day of generation, `YYYY-MM-DD` (UTC).
    pub date: String,
    /// Tools and their versions (`debootstrap 1.0.128+nmu2+deb12u2`).
    pub tools: Vec<String>,
    /// Mirror, registry or repository the bytes came from.
    pub origin: String,
    /// Pinned versions of what went in (`bash=5.2.15-2+b1`), when there is such a list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinned: Vec<String>,
    /// Every change made to the real artifact, in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rewrites: Vec<String>,
}

impl Source {
    pub fn is_exact(&self) -> bool {
        self.fidelity == "exact"
    }
}
