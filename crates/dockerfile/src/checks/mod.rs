//! Layer 3 of the front end: build checks. BuildKit's 22 rules with its
//! exact messages ([`buildkit`]), Layerlab's teaching rules ([`teaching`]),
//! the `# check=skip=...;error=true` directive ([`config`]) and the text
//! `docker build --check` prints ([`console`]).

mod buildkit;
pub mod config;
pub mod console;
mod cmdline;
pub mod rules;
mod scope;
mod teaching;

pub use config::CheckConfig;
pub use rules::{Origin, Rule};

use crate::instructions::Dockerfile;
use crate::reference::ImageRef;
use crate::syntax::Span;
use std::collections::BTreeMap;

/// What the checks may know about base images (from the image catalog).
/// `None` means "not modelled": rules that need the answer stay silent
/// for that stage rather than guess.
pub trait ImageInfo {
    /// The image config's `Env`.
    fn env(&self, image: &ImageRef) -> Option<Vec<(String, String)>>;
    /// The platforms the image is published for (`linux/amd64`).
    fn platforms(&self, image: &ImageRef) -> Option<Vec<String>>;
}

/// No image data at all.
pub struct NoImageInfo;

impl ImageInfo for NoImageInfo {
    fn env(&self, _: &ImageRef) -> Option<Vec<(String, String)>> {
        None
    }
    fn platforms(&self, _: &ImageRef) -> Option<Vec<String>> {
        None
    }
}

/// Inputs besides the Dockerfile.
pub struct CheckOptions<'a> {
    pub build_args: BTreeMap<String, String>,
    pub images: &'a dyn ImageInfo,
    /// `.dockerignore` lines of the build context, if it has one.
    pub dockerignore: Option<Vec<String>>,
    pub target_platform: String,
}

impl Default for CheckOptions<'_> {
    fn default() -> Self {
        CheckOptions {
            build_args: BTreeMap::new(),
            images: &NoImageInfo,
            dockerignore: None,
            target_platform: "linux/amd64".into(),
        }
    }
}

/// One finding: which rule, Docker's (or our) message, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static Rule,
    pub message: String,
    pub start_line: usize,
    pub end_line: usize,
    pub span: Span,
}

/// Everything the checks found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Findings that survive `# check=skip=...`, in line order.
    pub findings: Vec<Finding>,
    /// `lint violation found for rules: ...` when `# check=error=true`.
    pub error: Option<String>,
    /// A bad `# check=` directive (Docker fails the build with it).
    pub config_error: Option<String>,
    /// What could not be checked and why (shown, never silently dropped).
    pub notes: Vec<String>,
}

/// Where rules put what they find.
pub(crate) struct Sink {
    found: Vec<Finding>,
    notes: Vec<String>,
}

impl Sink {
    pub fn add(&mut self, rule: &'static Rule, message: String, lines: (usize, usize), span: Span) {
        self.found.push(Finding { rule, message, start_line: lines.0, end_line: lines.1, span });
    }

    pub fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    fn has(&self, rule: &Rule, span: Span) -> bool {
        // Rules are statics: one address each.
        self.found.iter().any(|f| std::ptr::eq(f.rule, rule) && f.span == span)
    }
}

/// Runs every rule.
pub fn check(file: &Dockerfile, options: &CheckOptions) -> CheckReport {
    let mut sink = Sink { found: Vec::new(), notes: Vec::new() };
    let stages = scope::StageNames::new(file);
    buildkit::run(file, options, &stages, &mut sink);
    teaching::run(file, options, &stages, &mut sink);
    let (config, config_error) = match file.directives.check.as_ref().map(|w| CheckConfig::parse(&w.value)) {
        Some(Err(e)) => (CheckConfig::default(), Some(e)),
        Some(Ok(c)) => (c, None),
        None => (CheckConfig::default(), None),
    };
    let mut findings: Vec<Finding> = sink.found.into_iter().filter(|f| config.enabled(f.rule)).collect();
    findings.sort_by_cached_key(|f| (f.start_line, rule_order(f.rule)));
    let error = config.error_for(&findings);
    CheckReport { findings, error, config_error, notes: sink.notes }
}

fn rule_order(rule: &Rule) -> usize {
    rules::ALL.iter().position(|r| std::ptr::eq(*r, rule)).unwrap_or(usize::MAX)
}
