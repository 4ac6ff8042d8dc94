//! What a Docker daemon keeps between builds: the build cache, the images, and the base
//! images already pulled (unpacked once per session).

use std::collections::HashMap;
use std::sync::Arc;

use layerlab_catalog::index::IndexEntry;
use layerlab_catalog::store::{DataStore, Lookup};
use layerlab_dockerfile::checks::{self, CheckOptions};
use layerlab_dockerfile::instructions::{self, Command, Dockerfile};
use layerlab_image::config::{HistoryEntry, RunConfig};
use layerlab_image::fs::{Meta, Snapshot};

use crate::memo::Memo;
use crate::cache::{Cache, CacheKey};
use crate::dispatch::{Build, Stop};
use crate::history::rfc3339;
use crate::report::{BuildError, CheckFinding, ContextReport, Report};
use crate::request::BuildRequest;
use crate::state::{Layer, StageState};
use crate::store::{normalise, Image, ImageStore};

/// A pulled base image.
pub struct BaseImage {
    pub state: StageState,
    /// The manifest digest BuildKit prints after `@` (modelled: the digest of its config).
    pub digest: String,
}

#[derive(Default)]
pub struct Bases {
    by_file: HashMap<String, Arc<BaseImage>>,
}

impl Bases {
    pub fn load(&mut self, data: &DataStore, entry: &IndexEntry) -> Result<Arc<BaseImage>, Lookup> {
        if let Some(base) = self.by_file.get(&entry.file) {
            return Ok(base.clone());
        }
        let chain = data.image_chain(&entry.name)?;
        let base = Arc::new(unpack(&chain));
        self.by_file.insert(entry.file.clone(), base.clone());
        Ok(base)
    }
}

/// The image's layers applied in order, each measured as a layer, with its history.
fn unpack(chain: &[&layerlab_catalog::image::ImageFile]) -> BaseImage {
    let mut fs = Snapshot::empty(Meta { mode: 0o755, uid: 0, gid: 0, mtime: 0 });
    let mut state = StageState {
        fs: fs.clone(),
        config: RunConfig::default(),
        author: String::new(),
        args: Vec::new(),
        history: Vec::new(),
        diff_ids: Vec::new(),
        layers: Vec::new(),
        key: CacheKey::of(""),
        rebuilt: None,
        cmd_set_here: false,
        lineage: 0,
    };
    for row in layerlab_shell::rootfs::chain_rows(chain) {
        let h = row.history;
        let entry = HistoryEntry { created: h.created.clone(), created_by: h.created_by.clone(), comment: h.comment.clone(), empty_layer: h.empty_layer };
        let layer = row.layer.map(|data| {
            let before = fs.clone();
            // A layer entry that cannot be placed is skipped, as an unprivileged unpacker does.
            let _ = layerlab_shell::rootfs::unpack_layer(&mut fs, data, &row.image.name, row.mtime);
            Layer::between(&before, &fs)
        });
        state.add_history(entry, layer.as_ref());
    }
    // The config is the last image's (each image's config already includes its base's).
    if let Some(image) = chain.last() {
        let c = &image.config;
        state.config = RunConfig {
            user: c.user.clone(),
            exposed_ports: c.exposed_ports.iter().map(|p| (p.clone(), Default::default())).collect(),
            env: c.env.clone(),
            entrypoint: c.entrypoint.clone(),
            cmd: c.cmd.clone(),
            working_dir: c.working_dir.clone(),
            labels: c.labels.clone(),
            stop_signal: c.stop_signal.clone().unwrap_or_default(),
            ..RunConfig::default()
        };
    }
    state.fs = fs;
    let created = state.history.last().map(|r| r.entry.created.clone()).unwrap_or_default();
    let id = state.image_config(&created).id();
    state.key = CacheKey(id.clone());
    let digest = CacheKey::of(&format!("manifest {id}")).0;
    BaseImage { state, digest }
}

#[derive(Default)]
pub struct Session {
    pub cache: Cache,
    pub store: ImageStore,
    bases: Bases,
    /// The last build's cache hits, replayed by the next build where nothing changed.
    memo: Memo,
    replayed: usize,
    /// Work every step out, replaying none: what the tests compare replays against.
    pub no_replay: bool,
    /// What `docker run` started, newest last.
    pub containers: Vec<crate::terminal::Container>,
}

impl Session {
    pub fn new() -> Session {
        Session::default()
    }

    /// How many steps the last build replayed from the one before ([`crate::memo`]).
    pub fn replays(&self) -> usize {
        self.replayed
    }

    /// Runs one `docker build` at time `now` (seconds since the epoch). When the report's
    /// `missing_data` is set, load that file into `data` and call again.
    pub fn build(&mut self, req: &BuildRequest, data: &DataStore, now: i64) -> Report {
        let mut report = empty_report(req);
        let file = match instructions::parse_text(&req.dockerfile) {
            Ok(parsed) => parsed,
            Err(e) => {
                report.error = Some(BuildError { classic_message: e.message.clone(), message: e.message, lines: Some((e.start_line, e.end_line)), step: None });
                return report;
            }
        };
        report.checks = run_checks(&file, req, data);
        let plan = match crate::plan::plan(&file, req) {
            Ok(plan) => plan,
            Err(message) => {
                report.error = Some(BuildError { classic_message: message.clone(), message, lines: None, step: None });
                return report;
            }
        };
        if let Some(error) = entitlement_error(&file, &plan, req) {
            report.error = Some(error);
            return report;
        }
        report.classic_total = plan.classic_total;
        report.stages = file.stages.len();
        let target = plan.target;
        let ignore = req.context.ignore_rules(&req.dockerfile_name);
        report.context.classic_bytes = req.context.legacy_tar_size(&ignore, &req.dockerfile_name);
        let context = req.context.snapshot(&ignore);
        self.cache.begin();
        let memo = if self.no_replay { Memo::default() } else { std::mem::take(&mut self.memo) };
        let mut build = Build::new(req, data, &mut self.cache, &self.store, &mut self.bases, &file, plan, context, now, memo);
        let result = build.run();
        // Only a build that finished hands its replays on: a stopped one may have left the
        // cache without its steps (a retry for missing data rolls them back).
        let next_memo = if result.is_ok() { std::mem::take(&mut build.memo) } else { Memo::default() };
        self.replayed = build.replayed;
        report.context.used = build.context_used;
        report.context.transferred_bytes = build.transferred.values().sum();
        report.seconds = build.elapsed_ms as f64 / 1000.0;
        report.seconds_without_cache = build.uncached_ms as f64 / 1000.0;
        report.images = std::mem::take(&mut build.images);
        report.notes = std::mem::take(&mut build.notes);
        report.steps = std::mem::take(&mut build.steps);
        let target_state = build.stages.remove(&target);
        drop(build);
        if !self.no_replay {
            self.memo = next_memo;
        }
        match result {
            Ok(()) => self.cache.commit(),
            Err(Stop::Missing(path)) => {
                // The retry with the file loaded is this same build: it must not find
                // its own steps in the cache.
                self.cache.rollback();
                report.missing_data = Some(path);
                return report;
            }
            Err(Stop::Failed(error)) => {
                self.cache.commit();
                report.error = Some(error);
                return report;
            }
        }
        if let Some(state) = target_state {
            self.export(state, req, &mut report, now);
        }
        report.warnings.extend(unused_args(&file, req));
        report
    }

    /// `docker tag SOURCE TARGET`.
    pub fn tag(&mut self, source: &str, target: &str) -> Result<(), String> {
        let image = self.store.get(source)?;
        let full = normalise(target).map_err(|e| format!("Error parsing reference: \"{target}\" is not a valid repository/tag: {e}"))?;
        self.store.tag(&full, &image.id);
        Ok(())
    }

    fn export(&mut self, state: StageState, req: &BuildRequest, report: &mut Report, now: i64) {
        let created_text = state.history.last().map(|r| r.entry.created.clone()).unwrap_or_else(|| rfc3339(now));
        let created = layerlab_shell::commands::calendar::parse_rfc3339(&created_text).unwrap_or(now);
        let config = state.image_config(&created_text);
        let config_json: Arc<str> = Arc::from(config.to_json());
        let id = layerlab_image::identity::sha256_digest(config_json.as_bytes());
        report.image = Some(id.clone());
        report.size_bytes = state.size();
        report.config_json = Some(config_json.clone());
        let image = Image { id: id.clone(), config, config_json, state, created };
        crate::costs::attach(report, &image);
        self.store.add(image);
        for tag in &req.tags {
            match normalise(tag) {
                Ok(full) => {
                    self.store.tag(&full, &id);
                    report.tags.push(full);
                }
                Err(e) => report.warnings.push(format!("invalid tag \"{tag}\": {e}")),
            }
        }
    }
}

/// BuildKit refuses to load a build whose RUN asks for the host's network unless the
/// client allowed it (`docker build --allow network.host`); nothing runs.
fn entitlement_error(file: &Dockerfile, plan: &crate::plan::Plan, req: &BuildRequest) -> Option<BuildError> {
    // `docker build --network=host` asks for the entitlement itself.
    let allowed = req.allow.iter().any(|a| a == "network.host") || req.network.as_deref() == Some("host");
    if req.builder != crate::request::Builder::BuildKit || allowed {
        return None;
    }
    let host = |i: &layerlab_dockerfile::instructions::Instruction| matches!(&i.command, Command::Run(r) if r.network.as_ref().is_some_and(|n| n.value == "host"));
    let used = plan.order.iter().flat_map(|&s| file.stages[s].instructions.iter()).any(host);
    let message = "network.host is not allowed".to_string();
    used.then(|| BuildError { classic_message: message.clone(), message, lines: None, step: None })
}

fn empty_report(req: &BuildRequest) -> Report {
    let ignore = req.context.ignore_file(&req.dockerfile_name);
    Report {
        builder: req.builder,
        image: None,
        size_bytes: 0,
        steps: Vec::new(),
        error: None,
        tags: Vec::new(),
        seconds: 0.0,
        seconds_without_cache: 0.0,
        classic_total: 0,
        stages: 0,
        context: ContextReport {
            dockerfile_bytes: req.dockerfile.len() as u64,
            dockerignore_bytes: ignore.map(|(_, f)| f.bytes.len() as u64),
            ..ContextReport::default()
        },
        images: Vec::new(),
        checks: Vec::new(),
        notes: Vec::new(),
        warnings: Vec::new(),
        config_json: None,
        missing_data: None,
    }
}

fn run_checks(file: &Dockerfile, req: &BuildRequest, data: &DataStore) -> Vec<CheckFinding> {
    let dockerignore = req
        .context
        .ignore_file(&req.dockerfile_name)
        .map(|(_, f)| String::from_utf8_lossy(&f.bytes).lines().map(str::to_string).collect());
    let options = CheckOptions { build_args: req.build_args.clone().into_iter().collect(), images: data, dockerignore, ..CheckOptions::default() };
    checks::check(file, &options)
        .findings
        .into_iter()
        .map(|f| CheckFinding {
            rule: f.rule.name.to_string(),
            message: f.message,
            line: f.start_line,
            end_line: f.end_line,
            url: f.rule.url.map(str::to_string),
            buildkit: f.rule.origin == checks::Origin::BuildKit,
            explanation: f.rule.explanation.to_string(),
            cost: None,
            cost_bytes: None,
        })
        .collect()
}

/// The classic builder's `[Warning] One or more build-args [X] were not consumed`.
fn unused_args(file: &Dockerfile, req: &BuildRequest) -> Vec<String> {
    if req.builder != crate::request::Builder::Classic {
        return Vec::new();
    }
    let declared: Vec<String> = file
        .meta_args
        .iter()
        .chain(file.stages.iter().flat_map(|s| s.instructions.iter()))
        .filter_map(|i| match &i.command {
            layerlab_dockerfile::instructions::Command::Arg(decls) => Some(decls.iter().map(|d| d.name.value.to_string()).collect::<Vec<_>>()),
            _ => None,
        })
        .flatten()
        .collect();
    let unused: Vec<&str> = req.build_args.keys().filter(|k| !declared.contains(k)).map(String::as_str).collect();
    if unused.is_empty() {
        return Vec::new();
    }
    vec![format!("[Warning] One or more build-args [{}] were not consumed", unused.join(" "))]
}
