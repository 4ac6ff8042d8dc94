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
use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

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

/// Where rules put what they find. Findings and notes are also indexed: a rule asks
/// whether another already reported a span, and a pasted file with thousands of
/// stages makes thousands of findings and notes (scanning them each time took minutes).
#[derive(Default)]
pub(crate) struct Sink {
    found: Vec<Finding>,
    /// Each finding's rule (by address: rules are statics) and span.
    reported: HashSet<(usize, Span), BuildHasherDefault<QuickHasher>>,
    notes: Vec<String>,
    /// The hashes of `notes` (a repeated hash is confirmed against the notes themselves).
    noted: HashSet<u64, BuildHasherDefault<QuickHasher>>,
    /// The `# check=` directive, for rules whose findings no other rule asks about: they
    /// are not looked for when the directive leaves them out (experimental rules are out
    /// unless asked for).
    config: CheckConfig,
}

impl Sink {
    pub fn add(&mut self, rule: &'static Rule, message: String, lines: (usize, usize), span: Span) {
        self.reported.insert((rule_address(rule), span));
        self.found.push(Finding { rule, message, start_line: lines.0, end_line: lines.1, span });
    }

    pub fn note(&mut self, note: String) {
        let hash = BuildHasherDefault::<QuickHasher>::default().hash_one(&note);
        if self.noted.insert(hash) || !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    fn has(&self, rule: &Rule, span: Span) -> bool {
        self.reported.contains(&(rule_address(rule), span))
    }

    /// Whether `rule` will be reported at all.
    fn enabled(&self, rule: &Rule) -> bool {
        self.config.enabled(rule)
    }
}

/// A multiply-rotate hash for the checks' small maps (stage names, reported spans,
/// notes). They are rebuilt on every keystroke and hold what the user's own file made,
/// so the denial-of-service resistance of the default SipHash buys nothing here, and
/// SipHash cost as much as the lookups it served.
#[derive(Default)]
pub(super) struct QuickHasher(u64);

impl Hasher for QuickHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl QuickHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

fn rule_address(rule: &Rule) -> usize {
    std::ptr::from_ref(rule) as usize
}

/// Runs every rule.
pub fn check(file: &Dockerfile, options: &CheckOptions) -> CheckReport {
    let (config, config_error) = match file.directives.check.as_ref().map(|w| CheckConfig::parse(&w.value)) {
        Some(Err(e)) => (CheckConfig::default(), Some(e)),
        Some(Ok(c)) => (c, None),
        None => (CheckConfig::default(), None),
    };
    let mut sink = Sink { config, ..Sink::default() };
    let stages = scope::StageNames::new(file);
    buildkit::run(file, options, &stages, &mut sink);
    teaching::run(file, options, &stages, &mut sink);
    let config = &sink.config;
    let mut findings: Vec<Finding> = sink.found.into_iter().filter(|f| config.enabled(f.rule)).collect();
    findings.sort_by_cached_key(|f| (f.start_line, rule_order(f.rule)));
    let error = config.error_for(&findings);
    CheckReport { findings, error, config_error, notes: sink.notes }
}

fn rule_order(rule: &Rule) -> usize {
    rules::ALL.iter().position(|r| std::ptr::eq(*r, rule)).unwrap_or(usize::MAX)
}
