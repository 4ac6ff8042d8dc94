//! Running the instructions of the planned stages, one step at a time, through the cache.
//!
//! Each instruction module turns its instruction into the step's cache [`Components`] and,
//! on a miss, into the work itself; [`Build::layer_step`] does what every step shares:
//! look the key up, explain a miss, run, diff the snapshot into a layer, record it.

mod config;
mod copy;
mod from;
mod mounts;
mod run;
mod user;

use std::collections::BTreeMap;
use std::sync::Arc;

use layerlab_catalog::store::DataStore;
use layerlab_dockerfile::expand::{EnvList, Lexer};
use layerlab_dockerfile::instructions::{Command, Dockerfile, Instruction, Stage};
use layerlab_image::fs::Snapshot;

use crate::cache::{Cache, CacheKey, Components, MissReason};
use crate::memo::{self, Memo, MemoKey, Replay};
use crate::plan::Plan;
use crate::report::{BuildError, Step, StepKind};
use crate::request::{BuildRequest, Builder};
use crate::session::Bases;
use crate::state::{Layer, StageState, StepResult};
use crate::store::ImageStore;

/// Why a build stopped early.
pub enum Stop {
    Failed(BuildError),
    /// Load this data file and build again.
    Missing(String),
}

/// What a step's work produced, before it is diffed into a layer.
pub struct Executed {
    pub fs: Snapshot,
    pub output: Vec<String>,
    pub exit_code: Option<i32>,
    pub ms: u64,
}

/// A step's work failed: Docker's words for each builder, and what it printed.
pub enum StepError {
    Fail { message: String, classic: String, output: Vec<String>, exit_code: Option<i32>, ms: u64 },
    Missing(String),
}

impl StepError {
    pub fn both(message: String) -> StepError {
        StepError::Fail { classic: message.clone(), message, output: Vec::new(), exit_code: None, ms: 0 }
    }
}

pub struct Build<'a> {
    pub req: &'a BuildRequest,
    pub data: &'a DataStore,
    pub cache: &'a mut Cache,
    pub store: &'a ImageStore,
    pub bases: &'a mut Bases,
    pub file: &'a Dockerfile,
    pub lexer: Lexer,
    pub plan: Plan,
    pub context: Snapshot,
    pub context_used: bool,
    /// Context files COPY and ADD selected, with their sizes (BuildKit transfers those).
    pub transferred: BTreeMap<String, u64>,
    pub stages: BTreeMap<usize, StageState>,
    /// Shared: a replayed step is the earlier build's own, not a copy.
    pub steps: Vec<Arc<Step>>,
    /// Seconds since the epoch when the build started.
    pub now: i64,
    pub elapsed_ms: u64,
    pub uncached_ms: u64,
    number: usize,
    classic_number: usize,
    /// Set while the base image's ONBUILD triggers run.
    in_trigger: bool,
    pub images: Vec<String>,
    pub notes: Vec<String>,
    /// Replays kept by earlier builds, and this build's added for the next ones.
    pub memo: Memo,
    /// Steps replayed from the previous build.
    pub replayed: usize,
    /// The build's inputs every step's outcome depends on (the start of each lineage).
    fingerprint: u64,
}

impl<'a> Build<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(req: &'a BuildRequest, data: &'a DataStore, cache: &'a mut Cache, store: &'a ImageStore, bases: &'a mut Bases, file: &'a Dockerfile, plan: Plan, context: Snapshot, now: i64, memo: Memo) -> Build<'a> {
        let steps = file.stages.iter().map(|s| s.instructions.len() + 1).sum::<usize>();
        let fingerprint = memo::lineage((req.builder, req.no_cache, &req.build_args, &req.target, &req.network, &req.allow, &req.dockerfile_name, &plan.totals, &plan.order, plan.classic_total));
        Build {
            req,
            data,
            cache,
            store,
            bases,
            file,
            lexer: Lexer::new(file.directives.escape),
            plan,
            context,
            context_used: false,
            transferred: BTreeMap::new(),
            stages: BTreeMap::new(),
            steps: Vec::with_capacity(steps),
            now,
            elapsed_ms: 0,
            uncached_ms: 0,
            number: 0,
            classic_number: 0,
            in_trigger: false,
            images: Vec::new(),
            notes: Vec::new(),
            memo,
            replayed: 0,
            fingerprint,
        }
    }

    pub fn builder(&self) -> Builder {
        self.req.builder
    }

    /// Builds every planned stage; the target's state is in `stages` afterwards.
    pub fn run(&mut self) -> Result<(), Stop> {
        self.classic_number = self.file.meta_args.len();
        for index in self.plan.order.clone() {
            let stage = &self.file.stages[index];
            let state = self.stage(stage)?;
            self.stages.insert(index, state);
        }
        Ok(())
    }

    fn stage(&mut self, stage: &'a Stage) -> Result<StageState, Stop> {
        self.number = 0;
        let mut st = self.from(stage).map_err(|e| self.with_failed_step(stage, &stage.from, e))?;
        // Every step may add a history row and a layer: grow once, not step by step.
        st.history.reserve(stage.instructions.len());
        st.diff_ids.reserve(stage.instructions.len());
        st.layers.reserve(stage.instructions.len());
        st.lineage = memo::lineage((self.fingerprint, memo::instruction_id(stage, &stage.from), &st.key.0));
        for instruction in &stage.instructions {
            let at = self.memo_key(&st, stage, instruction);
            if self.replay(&mut st, at, instruction) {
                continue;
            }
            let marks = Marks::of(self, &st);
            self.instruction(&mut st, stage, instruction).map_err(|e| self.with_failed_step(stage, instruction, e))?;
            self.remember(&mut st, at, instruction, marks);
        }
        Ok(st)
    }

    fn memo_key(&self, st: &StageState, stage: &Stage, ins: &Instruction) -> MemoKey {
        MemoKey { lineage: st.lineage, instruction: memo::instruction_id(stage, ins), number: self.number, classic_number: self.classic_number, rebuilt: st.rebuilt }
    }

    /// Replays the step an earlier build kept at `at`, if the cache still holds it.
    fn replay(&mut self, st: &mut StageState, at: MemoKey, ins: &Instruction) -> bool {
        if at.lineage == 0 || self.in_trigger || !matches!(ins.command, Command::Run(_)) {
            return false;
        }
        let Some(replay) = self.memo.get(&at).cloned() else { return false };
        // The hit's own effect on the cache (which step was used last on its parent, which
        // later misses are explained against) happens as it would.
        if !replay.step.vertex.as_ref().is_some_and(|v| self.cache.touch(v)) {
            return false;
        }
        self.steps.push(Arc::clone(&replay.step));
        st.history.push(replay.row.clone());
        if let Some((diff_id, changes)) = &replay.layer {
            st.diff_ids.push(diff_id.clone());
            st.layers.push(changes.clone());
        }
        st.fs = replay.fs.clone();
        st.key = replay.key.clone();
        st.rebuilt = None;
        st.lineage = replay.lineage;
        self.number = replay.number;
        self.classic_number = replay.classic_number;
        self.uncached_ms += replay.uncached_ms;
        self.replayed += 1;
        true
    }

    /// Extends the state's lineage past the instruction just run, and keeps a cached RUN
    /// that touched nothing but its stage and its step for the next build to replay.
    fn remember(&mut self, st: &mut StageState, at: MemoKey, ins: &Instruction, marks: Marks) {
        let mounts = matches!(&ins.command, Command::Run(r) if !r.mounts.is_empty());
        st.lineage = if at.lineage == 0 || mounts { 0 } else { memo::lineage((at.lineage, at.instruction, &st.key.0)) };
        let one_cached_step = self.steps.len() == marks.steps + 1 && self.steps.last().is_some_and(|s| s.cached);
        let only_stage_changed = marks.unchanged_outside(self) && st.history.len() == marks.history + 1;
        if st.lineage == 0 || !matches!(ins.command, Command::Run(_)) || !one_cached_step || !only_stage_changed {
            return;
        }
        let layer = (st.diff_ids.len() == marks.diff_ids + 1).then(|| (st.diff_ids[marks.diff_ids].clone(), st.layers[st.layers.len() - 1].clone()));
        let replay = Replay {
            step: self.steps[marks.steps].clone(),
            row: st.history[marks.history].clone(),
            layer,
            fs: st.fs.clone(),
            key: st.key.clone(),
            lineage: st.lineage,
            number: self.number,
            classic_number: self.classic_number,
            uncached_ms: self.uncached_ms - marks.uncached_ms,
        };
        self.memo.insert(at, Arc::new(replay));
    }

    pub fn push_step(&mut self, step: Step) {
        self.steps.push(Arc::new(step));
    }

    /// The classic builder prints `Step N/M : ...` before it dispatches an instruction, so
    /// an error the instruction itself raises (no container ran) still follows its Step line.
    fn with_failed_step(&mut self, stage: &Stage, ins: &Instruction, stop: Stop) -> Stop {
        let Stop::Failed(mut error) = stop else { return stop };
        let shown = self.steps.last().is_some_and(|s| s.line == ins.start_line && s.stage_index == stage.index);
        if self.builder() == Builder::Classic && error.step.is_none() && !shown {
            let mut step = self.step(stage, ins, StepKind::Config, ins.original.trim().to_string());
            step.cached = false;
            self.push_step(step);
            error.step = Some(self.steps.len() - 1);
        }
        Stop::Failed(error)
    }

    fn instruction(&mut self, st: &mut StageState, stage: &Stage, ins: &Instruction) -> Result<(), Stop> {
        match &ins.command {
            Command::Run(r) => self.run_step(st, stage, ins, r),
            Command::Copy(c) => self.copy_step(st, stage, ins, c, false),
            Command::Add(c) => self.copy_step(st, stage, ins, c, true),
            Command::Workdir(w) => self.workdir_step(st, stage, ins, w),
            Command::From(_) => Ok(()),
            _ => self.config_step(st, stage, ins),
        }
    }

    /// A step skeleton for `ins`, numbered as each builder numbers it.
    pub fn step(&mut self, stage: &Stage, ins: &Instruction, kind: StepKind, name: String) -> Step {
        // The classic builder runs triggers inside the FROM step; BuildKit numbers them
        // and marks them after the bracket (`[2/3] ONBUILD RUN ...`).
        let name = if self.in_trigger { format!("ONBUILD {name}") } else { name };
        if !self.in_trigger {
            self.classic_number += 1;
        }
        let number = match kind {
            StepKind::Layer => Some(self.next_number()),
            _ => None,
        };
        Step {
            stage: stage.display_name(),
            stage_index: stage.index,
            line: ins.start_line,
            end_line: ins.end_line,
            instruction: ins.original.clone(),
            name,
            kind,
            number,
            total: self.plan.totals.get(&stage.index).copied().unwrap_or(0),
            classic_number: self.classic_number,
            cached: true,
            miss_reason: None,
            miss: None,
            size_bytes: 0,
            added: 0,
            modified: 0,
            deleted: 0,
            exit_code: None,
            seconds: 0.0,
            seconds_uncached: 0.0,
            output: Vec::new(),
            digest: None,
            image_id: None,
            container_id: None,
            note: None,
            onbuild: self.in_trigger,
            vertex: None,
        }
    }

    pub fn next_number(&mut self) -> usize {
        self.number += 1;
        self.number
    }

    /// BuildKit's vertex name: the first word upper-cased, variables that are set expanded,
    /// quotes and unset references left as written.
    pub fn display_name(&self, ins: &Instruction, st: &StageState) -> String {
        let rest = Self::arguments(ins);
        // With quotes and escapes kept raw, only `$` changes the text: most lines have
        // none, and every step of every rebuild asks for its name.
        if !rest.contains('$') {
            return format!("{} {rest}", ins.name());
        }
        let lexer = Lexer { skip_process_quotes: true, skip_unset_env: true, raw_quotes: true, raw_escapes: true, ..self.lexer };
        let expanded = lexer.process_word(rest, &st.expansion_env()).map(|e| e.value).unwrap_or_else(|_| rest.to_string());
        format!("{} {expanded}", ins.name())
    }

    /// Expands one word with `env`, or fails the build with BuildKit's message.
    pub fn expand(&self, word: &str, env: &EnvList, ins: &Instruction) -> Result<String, Stop> {
        self.lexer.process_word(word, env).map(|e| e.value).map_err(|e| self.fail_at(ins, e.message))
    }

    /// The legacy builder's refusal of a flag only BuildKit implements.
    pub fn requires_buildkit(&self, ins: &Instruction, flag: &str) -> Stop {
        self.fail_at(ins, format!("the --{flag} option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled"))
    }

    pub fn fail_at(&self, ins: &Instruction, message: String) -> Stop {
        Stop::Failed(BuildError { classic_message: message.clone(), message, lines: Some((ins.start_line, ins.end_line)), step: None })
    }

    /// The seconds since the epoch at this point of the build.
    pub fn clock(&self) -> i64 {
        self.now + (self.elapsed_ms / 1000) as i64
    }

    /// Runs a step through the cache: a hit restores its result, a miss is explained, runs
    /// `work` on the current snapshot, and the difference becomes the step's layer.
    /// `layer` says whether the step makes one (classic metadata steps do not).
    pub fn cached_step(
        &mut self,
        st: &mut StageState,
        mut step: Step,
        components: Components,
        layer: bool,
        work: impl FnOnce(&mut Self, &StageState, i64) -> Result<Executed, StepError>,
    ) -> Result<Arc<StepResult>, Stop> {
        let key = components.key();
        let hit = if self.req.no_cache { None } else { self.cache.get(&key.0) };
        let result = match hit {
            Some(result) => result,
            None => {
                let reason = self.miss_reason(st, &components);
                step.cached = false;
                step.miss_reason = Some(reason.to_string());
                step.miss = Some(reason);
                let created = self.clock();
                let executed = match work(self, st, created) {
                    Ok(executed) => executed,
                    Err(error) => {
                        // The classic builder names the container a failing step ran in.
                        step.container_id = Some(container_id(&key));
                        return Err(self.failed(step, error));
                    }
                };
                let layer = layer.then(|| Layer::between(&st.fs, &executed.fs));
                let result = Arc::new(StepResult {
                    fs: executed.fs,
                    layer,
                    output: executed.output,
                    exit_code: executed.exit_code,
                    ms: executed.ms,
                    created,
                    container_id: Some(container_id(&key)),
                });
                self.cache.put(components, result.clone());
                self.elapsed_ms += result.ms;
                st.rebuilt = Some(step.line);
                result
            }
        };
        if step.cached {
            st.rebuilt = None;
        }
        self.uncached_ms += result.ms;
        fill(&mut step, &result);
        step.vertex = Some(key.0.clone());
        st.fs = result.fs.clone();
        st.key = key;
        self.push_step(step);
        Ok(result)
    }

    fn miss_reason(&self, st: &StageState, components: &Components) -> MissReason {
        match (self.req.no_cache, st.rebuilt) {
            (true, _) => MissReason::NoCache,
            (false, Some(line)) => MissReason::ParentRebuilt { line },
            (false, None) => self.cache.explain(components),
        }
    }

    fn failed(&mut self, mut step: Step, error: StepError) -> Stop {
        match error {
            StepError::Missing(path) => Stop::Missing(path),
            StepError::Fail { message, classic, output, exit_code, ms } => {
                step.output = output;
                step.seconds_uncached = ms as f64 / 1000.0;
                step.seconds = step.seconds_uncached;
                step.cached = false;
                self.elapsed_ms += ms;
                step.exit_code = exit_code;
                let lines = Some((step.line, step.end_line));
                self.push_step(step);
                Stop::Failed(BuildError { message, classic_message: classic, lines, step: Some(self.steps.len() - 1) })
            }
        }
    }

    /// Records a layer step's history row: BuildKit keeps every such step's layer, the
    /// classic builder only one with changes; then the classic builder commits.
    pub fn record_layer_step(&mut self, st: &mut StageState, result: &StepResult, entry: layerlab_image::config::HistoryEntry) {
        let keep = self.builder() == Builder::BuildKit || !result.is_empty();
        st.add_history(entry, result.layer.as_ref().filter(|_| keep));
        self.commit_classic(st, result.created);
    }

    /// The instruction's text after its keyword, as written.
    pub fn arguments(ins: &Instruction) -> &str {
        let text = ins.original.trim_start();
        text.get(ins.keyword.value.len()..).unwrap_or("").trim_start()
    }

    /// The classic builder's ID for the image after a step (its config, as committed).
    pub fn commit_classic(&mut self, st: &mut StageState, created: i64) {
        if self.builder() != Builder::Classic {
            return;
        }
        let id = st.image_config(&crate::history::rfc3339(created)).id();
        if let Some(row) = st.history.last_mut() {
            row.image_id = Some(id.clone());
        }
        if let Some(step) = self.steps.last_mut() {
            Arc::make_mut(step).image_id = Some(id.clone());
        }
        st.key = CacheKey(id);
    }
}

/// What a build and its stage looked like before a step, to tell what the step changed.
struct Marks {
    steps: usize,
    history: usize,
    diff_ids: usize,
    notes: usize,
    images: usize,
    transferred: usize,
    context_used: bool,
    elapsed_ms: u64,
    uncached_ms: u64,
}

impl Marks {
    fn of(build: &Build, st: &StageState) -> Marks {
        Marks {
            steps: build.steps.len(),
            history: st.history.len(),
            diff_ids: st.diff_ids.len(),
            notes: build.notes.len(),
            images: build.images.len(),
            transferred: build.transferred.len(),
            context_used: build.context_used,
            elapsed_ms: build.elapsed_ms,
            uncached_ms: build.uncached_ms,
        }
    }

    /// Nothing of the build's own outside `steps` and its times changed.
    fn unchanged_outside(&self, build: &Build) -> bool {
        build.notes.len() == self.notes
            && build.images.len() == self.images
            && build.transferred.len() == self.transferred
            && build.context_used == self.context_used
            && build.elapsed_ms == self.elapsed_ms
    }
}

fn fill(step: &mut Step, result: &StepResult) {
    if let Some(layer) = &result.layer {
        step.size_bytes = layer.size;
        step.added = layer.added;
        step.modified = layer.modified;
        step.deleted = layer.deleted;
        step.digest = Some(layer.digest.clone());
    }
    step.exit_code = result.exit_code;
    step.output = result.output.clone();
    step.seconds_uncached = result.ms as f64 / 1000.0;
    step.seconds = if step.cached { 0.0 } else { step.seconds_uncached };
    step.container_id = result.container_id.clone();
}

/// A container ID for the classic builder's `Running in` lines, derived from the step.
pub(super) fn container_id(key: &CacheKey) -> String {
    let hex = key.0.trim_start_matches("sha256:");
    let mut id: String = hex.chars().rev().take(64).collect();
    id.truncate(64);
    id
}
