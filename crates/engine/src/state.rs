//! A stage under construction, and what a step leaves behind for the cache.

use std::sync::Arc;

use layerlab_image::config::{HistoryEntry, ImageConfig, RootFs, RunConfig};
use serde_json::value::RawValue;
use layerlab_image::fs::{layer_digest, layer_size, Change, ChangeKind, Snapshot};

use crate::cache::CacheKey;

/// A layer a step made.
#[derive(Debug, Clone)]
pub struct Layer {
    pub digest: String,
    pub size: u64,
    pub added: usize,
    pub modified: usize,
    pub deleted: usize,
    /// The changes themselves, for the file tree and the wasted-bytes view.
    pub changes: Arc<Vec<Change>>,
}

impl Layer {
    pub fn between(lower: &Snapshot, upper: &Snapshot) -> Layer {
        let changes = layerlab_image::fs::diff(lower, upper);
        let (mut added, mut modified, mut deleted) = (0, 0, 0);
        for change in &changes {
            match change.kind {
                ChangeKind::Deleted => deleted += 1,
                _ if lower.get(&format!("/{}", change.path), false).is_ok() => modified += 1,
                _ => added += 1,
            }
        }
        Layer { digest: layer_digest(&changes), size: layer_size(&changes), added, modified, deleted, changes: Arc::new(changes) }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

impl StepResult {
    pub fn created_text(&self) -> String {
        crate::history::rfc3339(self.created)
    }

    /// No layer, or one without changes (the classic builder then records none).
    pub fn is_empty(&self) -> bool {
        self.layer.as_ref().is_none_or(Layer::is_empty)
    }
}

/// What a step produced; cached steps hand the same value back.
#[derive(Debug, Clone)]
pub struct StepResult {
    pub fs: Snapshot,
    /// `None` for a step that made no layer (the classic builder's metadata steps).
    pub layer: Option<Layer>,
    pub output: Vec<String>,
    pub exit_code: Option<i32>,
    /// Modelled time the step takes when it runs.
    pub ms: u64,
    /// When it ran (seconds since the epoch): history `created`, file mtimes.
    pub created: i64,
    /// The container the classic builder ran it in.
    pub container_id: Option<String>,
}

/// One history entry with the size `docker history` shows for it.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    /// Shared: every later state of the stage, and every replay, carries the row.
    pub entry: Arc<HistoryEntry>,
    /// The entry's JSON, written once: every later image config of the stage repeats it.
    pub json: Arc<RawValue>,
    pub size: u64,
    /// The classic builder's intermediate image ID for this row, if it has one.
    pub image_id: Option<String>,
}

/// Rows are equal when what they say is: the JSON is written from the entry.
impl PartialEq for HistoryRow {
    fn eq(&self, other: &Self) -> bool {
        self.entry == other.entry && self.size == other.size && self.image_id == other.image_id
    }
}

impl Eq for HistoryRow {}

/// The running state of a stage: its filesystem, config and history so far.
#[derive(Debug, Clone)]
pub struct StageState {
    pub fs: Snapshot,
    pub config: RunConfig,
    pub author: String,
    /// ARGs declared in the stage, in order, with their values.
    pub args: Vec<(String, Option<String>)>,
    pub history: Vec<HistoryRow>,
    pub diff_ids: Vec<String>,
    /// Every layer's changes, base first (for merged views).
    pub layers: Vec<Arc<Vec<Change>>>,
    /// BuildKit: the cache key of the last vertex; classic: the current image's ID.
    pub key: CacheKey,
    /// The line of the last step of this chain that was rebuilt in this build.
    pub rebuilt: Option<usize>,
    /// Set by ENTRYPOINT: a CMD in the same stage is kept, an inherited one was reset.
    pub cmd_set_here: bool,
    /// How this state was reached, for replaying the previous build's steps
    /// ([`crate::memo`]); 0 when it cannot be told.
    pub lineage: u64,
}

impl StageState {
    /// The variables instructions expand with: declared ARGs, then ENV (ENV wins).
    pub fn expansion_env(&self) -> layerlab_dockerfile::expand::EnvList {
        let mut env = layerlab_dockerfile::expand::EnvList::default();
        for (k, v) in &self.args {
            if let Some(v) = v {
                env.set(k, v);
            }
        }
        for (k, v) in self.config_env() {
            env.set(&k, &v);
        }
        env
    }

    /// The config's `Env` as pairs.
    pub fn config_env(&self) -> Vec<(String, String)> {
        self.config.env.iter().map(|e| e.split_once('=').map_or((e.clone(), String::new()), |(k, v)| (k.into(), v.into()))).collect()
    }

    /// The env a RUN gets: ENV, then ARGs with values that ENV does not set.
    pub fn run_env(&self) -> Vec<(String, String)> {
        let mut env = self.config_env();
        for (k, v) in &self.args {
            if let (Some(v), false) = (v, env.iter().any(|(n, _)| n == k)) {
                env.push((k.clone(), v.clone()));
            }
        }
        env
    }

    /// The stage's SHELL as one string (`/bin/sh -c` by default), as the legacy builder
    /// puts it before `#(nop)` in history.
    pub fn shell_words(&self) -> String {
        self.config.shell.as_ref().map_or_else(|| "/bin/sh -c".to_string(), |s| s.join(" "))
    }

    pub fn size(&self) -> u64 {
        self.history.iter().map(|r| r.size).sum()
    }

    pub fn image_config(&self, created: &str) -> ImageConfig<Arc<RawValue>> {
        ImageConfig {
            architecture: "amd64".into(),
            author: self.author.clone(),
            config: self.config.clone(),
            created: created.into(),
            history: self.history.iter().map(|r| r.json.clone()).collect(),
            os: "linux".into(),
            rootfs: RootFs { kind: "layers", diff_ids: self.diff_ids.clone() },
        }
    }

    /// Adds a history row and its layer; the classic builder's commit sets the row's
    /// image ID afterwards.
    pub fn add_history(&mut self, entry: HistoryEntry, layer: Option<&Layer>) {
        let size = layer.map_or(0, |l| l.size);
        if let Some(layer) = layer {
            self.diff_ids.push(layer.digest.clone());
            self.layers.push(layer.changes.clone());
        }
        let json = entry.to_raw_json();
        self.history.push(HistoryRow { entry: Arc::new(entry), json, size, image_id: None });
    }
}
