//! What a build did, for the views to render (the CLI's console text, `--report json`, the
//! page's panels). Stable: `--report json` is this structure (see the README).

use serde::Serialize;

use crate::cache::MissReason;
use crate::request::Builder;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub builder: Builder,
    /// The image ID (`sha256:...`), when the build succeeded.
    pub image: Option<String>,
    /// `docker images` size: every layer of the image, the base image's included.
    pub size_bytes: u64,
    /// Shared with the session's memo of earlier builds (see `memo`).
    pub steps: Vec<std::sync::Arc<Step>>,
    pub error: Option<BuildError>,
    /// Tags as Docker normalises them (`docker.io/library/myapp:latest`).
    pub tags: Vec<String>,
    /// Modelled build time of this build, and of the same build with an empty cache.
    pub seconds: f64,
    pub seconds_without_cache: f64,
    /// The classic builder's step count (`Step n/M`).
    pub classic_total: usize,
    /// Stages in the Dockerfile (BuildKit names stages in step names when there are several).
    pub stages: usize,
    pub context: ContextReport,
    /// Images whose metadata BuildKit loads (`[internal] load metadata for ...`).
    pub images: Vec<String>,
    pub checks: Vec<CheckFinding>,
    /// What the simulation approximated or could not know, for the page to show.
    pub notes: Vec<String>,
    /// Builder warnings (`[Warning] One or more build-args [X] were not consumed`).
    pub warnings: Vec<String>,
    /// The image config JSON, byte for byte.
    pub config_json: Option<std::sync::Arc<str>>,
    /// A data file (path under `static/data/`) the build needs: load it and build again.
    pub missing_data: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// FROM: the base image or an earlier stage.
    From,
    /// RUN, COPY, ADD, WORKDIR: BuildKit vertices that make layers.
    Layer,
    /// ENV, LABEL, CMD and the other instructions that only change the config.
    Config,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// The stage's name or `stage-N`.
    pub stage: String,
    pub stage_index: usize,
    /// 1-based first and last line of the instruction.
    pub line: usize,
    pub end_line: usize,
    /// The instruction as written (continuations joined).
    pub instruction: String,
    /// BuildKit's vertex name after `[n/M] `: the first word upper-cased, set variables
    /// expanded (`RUN echo 1.0`); FROM shows the resolved reference.
    pub name: String,
    pub kind: StepKind,
    /// BuildKit's `n` of `[n/M]` within the stage; `None` for steps BuildKit does not number.
    pub number: Option<usize>,
    /// BuildKit's `M`: the numbered steps of the stage.
    pub total: usize,
    /// The classic builder's `n` of `Step n/M`.
    pub classic_number: usize,
    pub cached: bool,
    pub miss_reason: Option<String>,
    pub miss: Option<MissReason>,
    /// Bytes of the layer it made; 0 for metadata-only steps.
    pub size_bytes: u64,
    pub added: usize,
    pub modified: usize,
    pub deleted: usize,
    pub exit_code: Option<i32>,
    /// Modelled seconds this build spent on it (0 when cached).
    pub seconds: f64,
    /// Modelled seconds it takes when it runs.
    pub seconds_uncached: f64,
    pub output: Vec<String>,
    /// The layer's digest.
    pub digest: Option<String>,
    /// The classic builder's image after this step, and the container it ran in.
    pub image_id: Option<String>,
    pub container_id: Option<String>,
    /// A note shown beside the step (an unmodelled tag mapped to a modelled one).
    pub note: Option<String>,
    /// A trigger of the base image's ONBUILD, run right after FROM.
    pub onbuild: bool,
    /// What BuildKit's solver knows the step by (its cache key, or the image of a FROM):
    /// steps of different stages with the same one are one vertex, shown once.
    pub vertex: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildError {
    /// Docker's message without `ERROR: failed to solve: ` (`process "/bin/sh -c false" did
    /// not complete successfully: exit code: 1`).
    pub message: String,
    /// The classic builder's wording where it differs.
    pub classic_message: String,
    /// The lines the error points at.
    pub lines: Option<(usize, usize)>,
    /// The failed step's index in `steps`.
    pub step: Option<usize>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ContextReport {
    pub dockerfile_bytes: u64,
    /// `.dockerignore`'s size; BuildKit shows 2B when there is none.
    pub dockerignore_bytes: Option<u64>,
    /// Whether a COPY or ADD reads the context (BuildKit then loads it).
    pub used: bool,
    /// Bytes of the context files COPY and ADD select (modelled transfer size).
    pub transferred_bytes: u64,
    /// The classic builder's `Sending build context` size: the tar of every kept file.
    pub classic_bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckFinding {
    pub rule: String,
    pub message: String,
    pub line: usize,
    pub end_line: usize,
    pub url: Option<String>,
    /// BuildKit's own rule (a build warning) or a Layerlab teaching tip.
    pub buildkit: bool,
    /// The rule's explanation, a paragraph a learner understands.
    pub explanation: String,
    /// What the mistake costs in the built image, in words and bytes, where it has a cost.
    pub cost: Option<String>,
    pub cost_bytes: Option<u64>,
}
