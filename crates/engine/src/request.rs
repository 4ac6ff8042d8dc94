//! What `docker build` is asked to do.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::context::BuildContext;

/// Which builder runs the build: their cache rules and console output differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Builder {
    /// BuildKit, the default since Docker 23.
    #[default]
    BuildKit,
    /// The legacy builder (`DOCKER_BUILDKIT=0`).
    Classic,
}

#[derive(Debug, Clone, Default)]
pub struct BuildRequest {
    pub dockerfile: String,
    /// The Dockerfile's file name (`Dockerfile`), as the output names it.
    pub dockerfile_name: String,
    pub context: BuildContext,
    pub build_args: BTreeMap<String, String>,
    pub target: Option<String>,
    pub no_cache: bool,
    pub builder: Builder,
    /// `-t` values as typed (`myapp`, `user/myapp:1.0`).
    pub tags: Vec<String>,
    /// `--allow` entitlements (`network.host`).
    pub allow: Vec<String>,
    /// `docker build --network`: every RUN's network unless it names its own.
    pub network: Option<String>,
}

impl BuildRequest {
    pub fn new(dockerfile: &str, context: BuildContext) -> BuildRequest {
        BuildRequest { dockerfile: dockerfile.to_string(), dockerfile_name: "Dockerfile".into(), context, ..BuildRequest::default() }
    }
}
