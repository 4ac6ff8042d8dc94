//! What the editor's gutter shows beside each Dockerfile line, read off the build report:
//! the step's cache state, its layer size, and the diagnostics that point at the line.

use layerlab_engine::report::{Report, StepKind};
use layerlab_image::units::human_size_with_precision;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Cached,
    Rebuilt,
    Failed,
    /// A metadata instruction (ENV, CMD, ...): it changes the config, makes no layer.
    Config,
    /// FROM: the base image.
    Base,
}

impl StepState {
    pub fn class(self) -> &'static str {
        match self {
            StepState::Cached => "mark-cached",
            StepState::Rebuilt => "mark-rebuilt",
            StepState::Failed => "mark-failed",
            StepState::Config => "mark-config",
            StepState::Base => "mark-base",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            StepState::Cached => "cached",
            StepState::Rebuilt => "rebuilt",
            StepState::Failed => "failed",
            StepState::Config => "metadata only",
            StepState::Base => "base image",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineMark {
    /// Set on an instruction's first line.
    pub state: Option<StepState>,
    /// The layer's size (`12.3MB`) for steps that made a layer.
    pub badge: Option<String>,
    /// Every line of a rejected instruction or of a check finding.
    pub error: bool,
    pub warning: bool,
    /// Hover text: the step's state and reason, the diagnostics' messages.
    pub title: String,
}

/// One mark per line of `text`.
pub fn line_marks(report: &Report, text: &str) -> Vec<LineMark> {
    let lines = text.split('\n').count();
    let mut marks = vec![LineMark::default(); lines];
    for (index, step) in report.steps.iter().enumerate() {
        let Some(mark) = marks.get_mut(step.line.saturating_sub(1)) else { continue };
        let failed = report.error.as_ref().is_some_and(|e| e.step == Some(index));
        let state = match step.kind {
            _ if failed => StepState::Failed,
            StepKind::From => StepState::Base,
            StepKind::Config => StepState::Config,
            StepKind::Layer if step.cached => StepState::Cached,
            StepKind::Layer => StepState::Rebuilt,
        };
        mark.state = Some(state);
        if step.kind == StepKind::Layer && !failed {
            mark.badge = Some(human_size_with_precision(step.size_bytes as f64, 3));
        }
        let why = step.miss_reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default();
        push_title(&mut mark.title, &format!("{}{why}", state.word()));
    }
    if let Some(error) = &report.error {
        for line in error.lines.map_or(0..=0, |(s, e)| s..=e.max(s)).filter(|l| *l > 0) {
            if let Some(mark) = marks.get_mut(line - 1) {
                mark.error = true;
                push_title(&mut mark.title, &error.message);
            }
        }
    }
    for check in &report.checks {
        for line in check.line..=check.end_line.max(check.line) {
            if let Some(mark) = marks.get_mut(line.wrapping_sub(1)) {
                mark.warning = true;
                push_title(&mut mark.title, &format!("{}: {}", check.rule, check.message));
            }
        }
    }
    marks
}

fn push_title(title: &mut String, line: &str) {
    if !title.is_empty() {
        title.push('\n');
    }
    title.push_str(line);
}
