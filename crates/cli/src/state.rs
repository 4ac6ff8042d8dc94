//! `--state DIR`: what a daemon would remember between commands. The engine is
//! deterministic, so the state is the log of commands that changed the daemon (builds with
//! their inputs and times, tags, removals); each invocation replays it to rebuild the cache
//! and the image store exactly, then appends its own command.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use layerlab_catalog::store::DataStore;
use layerlab_engine::context::BuildContext;
use layerlab_engine::{BuildRequest, Builder, Report, Session};
use serde::{Deserialize, Serialize};

const FILE: &str = "session.json";

#[derive(Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Build(RecordedBuild),
    Tag { source: String, target: String },
    Rmi { name: String },
}

#[derive(Serialize, Deserialize)]
pub struct RecordedBuild {
    pub dockerfile: String,
    pub dockerfile_name: String,
    pub files: Vec<RecordedFile>,
    pub build_args: BTreeMap<String, String>,
    pub target: Option<String>,
    pub no_cache: bool,
    pub builder: Builder,
    pub tags: Vec<String>,
    #[serde(default)]
    pub allow: Vec<String>,
    #[serde(default)]
    pub network: Option<String>,
    pub now: i64,
}

#[derive(Serialize, Deserialize)]
pub struct RecordedFile {
    pub path: String,
    pub mode: u32,
    pub mtime: i64,
    /// UTF-8 text as is; other bytes as hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hex: Option<String>,
}

impl RecordedBuild {
    pub fn from_request(req: &BuildRequest, now: i64) -> RecordedBuild {
        let files = req
            .context
            .files
            .iter()
            .map(|(path, f)| {
                let (text, hex) = match std::str::from_utf8(&f.bytes) {
                    Ok(t) => (Some(t.to_string()), None),
                    Err(_) => (None, Some(f.bytes.iter().map(|b| format!("{b:02x}")).collect())),
                };
                RecordedFile { path: path.clone(), mode: f.mode, mtime: f.mtime, text, hex }
            })
            .collect();
        RecordedBuild {
            dockerfile: req.dockerfile.clone(),
            dockerfile_name: req.dockerfile_name.clone(),
            files,
            build_args: req.build_args.clone(),
            target: req.target.clone(),
            no_cache: req.no_cache,
            builder: req.builder,
            tags: req.tags.clone(),
            allow: req.allow.clone(),
            network: req.network.clone(),
            now,
        }
    }

    pub fn request(&self) -> BuildRequest {
        let mut context = BuildContext::new();
        for f in &self.files {
            let bytes = match (&f.text, &f.hex) {
                (Some(t), _) => t.as_bytes().to_vec(),
                (None, Some(h)) => (0..h.len() / 2).filter_map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).ok()).collect(),
                (None, None) => Vec::new(),
            };
            context.insert(&f.path, &bytes, f.mode, f.mtime);
        }
        BuildRequest {
            dockerfile: self.dockerfile.clone(),
            dockerfile_name: self.dockerfile_name.clone(),
            context,
            build_args: self.build_args.clone(),
            target: self.target.clone(),
            no_cache: self.no_cache,
            builder: self.builder,
            tags: self.tags.clone(),
            allow: self.allow.clone(),
            network: self.network.clone(),
        }
    }
}

/// The session restored from `dir`, and the log to append to.
pub struct State {
    dir: PathBuf,
    pub events: Vec<Event>,
    pub session: Session,
    pub data: DataStore,
}

impl State {
    pub fn open(dir: &Path) -> Result<State, String> {
        let path = dir.join(FILE);
        let events: Vec<Event> = match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?,
            Err(_) => Vec::new(),
        };
        let mut state = State { dir: dir.to_path_buf(), events: Vec::new(), session: Session::new(), data: crate::data::image_store() };
        for event in events {
            state.apply(&event);
            state.events.push(event);
        }
        Ok(state)
    }

    /// Replays one event on the session (output discarded).
    fn apply(&mut self, event: &Event) {
        match event {
            Event::Build(b) => {
                self.build(&b.request(), b.now);
            }
            Event::Tag { source, target } => {
                let _ = self.session.tag(source, target);
            }
            Event::Rmi { name } => {
                let _ = self.session.store.remove(name);
            }
        }
    }

    /// Builds, loading the data files the build asks for.
    pub fn build(&mut self, req: &BuildRequest, now: i64) -> Report {
        loop {
            let report = self.session.build(req, &self.data, now);
            match &report.missing_data {
                Some(path) if crate::data::load(&mut self.data, path) => continue,
                _ => return report,
            }
        }
    }

    pub fn record(&mut self, event: Event) -> Result<(), String> {
        self.events.push(event);
        std::fs::create_dir_all(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
        let text = serde_json::to_string(&self.events).map_err(|e| e.to_string())?;
        let path = self.dir.join(FILE);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    }
}
