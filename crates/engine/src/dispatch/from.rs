//! FROM: an earlier stage, `scratch`, an image built in this session, or a modelled image
//! from the catalog; then the base's ONBUILD triggers.

use layerlab_catalog::store::Lookup;
use layerlab_dockerfile::instructions::{Command, Instruction, Stage};
use layerlab_dockerfile::reference::ImageRef;
use layerlab_image::config::RunConfig;
use layerlab_image::fs::{Meta, Snapshot};

use super::{Build, Stop};
use crate::cache::CacheKey;
use crate::report::{BuildError, StepKind};
use crate::request::Builder;
use crate::state::StageState;

pub const DEFAULT_PATH: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// A base image resolved for a stage: its state, the name BuildKit prints, and a note when
/// another tag stands in for the one asked for.
pub struct Base {
    pub state: StageState,
    pub reference: String,
    pub note: Option<String>,
}

impl Build<'_> {
    pub(super) fn from(&mut self, stage: &Stage) -> Result<StageState, Stop> {
        let ins = &stage.from;
        let raw = &stage.base().image.value;
        let meta = self.plan.meta.clone();
        let name = self.expand(raw, &meta, ins)?;
        if name.is_empty() {
            return Err(self.fail_at(ins, format!("base name ({raw}) should not be blank")));
        }
        let mut st = match crate::plan::stage_named(self.file, &name, stage.index, true) {
            Some(index) => {
                let mut st = self.stages.get(&index).cloned().ok_or_else(|| self.fail_at(ins, format!("stage {name} is not built")))?;
                st.args.clear();
                self.count_triggers(stage, &st);
                let mut step = self.step(stage, ins, StepKind::From, format!("FROM {name}"));
                // The legacy builder's ` ---> ID` after FROM names the stage's last image.
                step.image_id = (self.builder() == Builder::Classic).then(|| st.key.0.clone());
                self.push_step(step);
                st
            }
            None if name == "scratch" => {
                let step = self.step(stage, ins, StepKind::From, "FROM scratch".into());
                self.push_step(step);
                scratch()
            }
            None => {
                let base = self.image_state(&name, ins)?;
                self.count_triggers(stage, &base.state);
                let shown = base.reference.clone();
                if !self.images.contains(&shown) {
                    self.images.push(shown.clone());
                }
                let mut step = self.step(stage, ins, StepKind::From, format!("FROM {shown}"));
                step.number = Some(self.next_number());
                step.note = base.note.clone();
                step.vertex = Some(shown.clone());
                step.image_id = (self.builder() == Builder::Classic).then(|| base.state.key.0.clone());
                step.size_bytes = 0;
                if let Some(note) = base.note {
                    self.notes.push(note);
                }
                self.push_step(step);
                base.state
            }
        };
        st.cmd_set_here = false;
        self.triggers(&mut st, stage, ins)?;
        Ok(st)
    }

    /// An image by name: built in this session (local images come first, as with a
    /// daemon), else modelled in the catalog, else `docker pull`'s failure.
    pub(super) fn image_state(&mut self, name: &str, ins: &Instruction) -> Result<Base, Stop> {
        if let Some(image) = self.store.lookup(name) {
            let mut state = image.state.clone();
            state.key = CacheKey(image.id.clone());
            state.rebuilt = None;
            let reference = ImageRef::parse(name).map(|r| r.full()).unwrap_or_else(|_| name.to_string());
            return Ok(Base { state, reference, note: None });
        }
        let resolved = match self.data.resolve(name) {
            Ok(resolved) => resolved,
            Err(Lookup::Missing(path)) => return Err(Stop::Missing(path)),
            Err(Lookup::Pull(e)) => {
                let message = match &e {
                    layerlab_catalog::index::PullError::InvalidReference(m) => format!("failed to parse stage name \"{name}\": {m}"),
                    _ => e.buildkit_message(),
                };
                let lines = Some((ins.start_line, ins.end_line));
                return Err(Stop::Failed(BuildError { message, classic_message: e.pull_message(), lines, step: None }));
            }
        };
        let (note, reference, entry) = (resolved.note.clone(), resolved.reference.clone(), resolved.entry.clone());
        let base = self.bases.load(self.data, &entry).map_err(|e| match e {
            Lookup::Missing(path) => Stop::Missing(path),
            Lookup::Pull(e) => self.fail_at(ins, e.buildkit_message()),
        })?;
        let mut state = base.state.clone();
        state.rebuilt = None;
        Ok(Base { state, reference: format!("{reference}@{}", base.digest), note })
    }

    /// BuildKit counts every trigger in the stage's step total, whatever its instruction.
    fn count_triggers(&mut self, stage: &Stage, base: &StageState) {
        if self.builder() == Builder::BuildKit {
            *self.plan.totals.entry(stage.index).or_default() += base.config.on_build.len();
        }
    }

    /// The base's ONBUILD triggers run right after FROM, in order, and are not passed on.
    fn triggers(&mut self, st: &mut StageState, stage: &Stage, from: &Instruction) -> Result<(), Stop> {
        let triggers = std::mem::take(&mut st.config.on_build);
        self.in_trigger = true;
        let result = self.run_triggers(st, stage, from, triggers);
        self.in_trigger = false;
        result
    }

    fn run_triggers(&mut self, st: &mut StageState, stage: &Stage, from: &Instruction, triggers: Vec<String>) -> Result<(), Stop> {
        for trigger in triggers {
            let text = format!("FROM scratch\n{trigger}\n");
            let parsed = layerlab_dockerfile::instructions::parse_text(&text).map_err(|e| self.fail_at(from, e.detail))?;
            let Some(mut ins) = parsed.stages.into_iter().next().and_then(|s| s.instructions.into_iter().next()) else { continue };
            ins.start_line = from.start_line;
            ins.end_line = from.end_line;
            if matches!(ins.command, Command::From(_)) {
                continue;
            }
            self.instruction(st, stage, &ins)?;
        }
        Ok(())
    }
}

fn scratch() -> StageState {
    StageState {
        fs: Snapshot::empty(Meta { mode: 0o755, uid: 0, gid: 0, mtime: 0 }),
        config: RunConfig { env: vec![DEFAULT_PATH.into()], ..RunConfig::default() },
        author: String::new(),
        args: Vec::new(),
        history: Vec::new(),
        diff_ids: Vec::new(),
        layers: Vec::new(),
        key: CacheKey::of("scratch"),
        rebuilt: None,
        cmd_set_here: false,
        lineage: 0,
    }
}
