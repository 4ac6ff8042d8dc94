//! Variable scope as the builder sees it: global ARGs (before the first
//! FROM, plus BuildKit's platform ARGs) and what each stage starts from.

use crate::expand::{Env, Lexer};
use crate::instructions::{Command, Dockerfile};
use super::QuickHasher;
use crate::reference::ImageRef;
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::rc::Rc;

/// BuildKit's predefined global ARGs for a build on linux/amd64 for `target`.
fn platform_args(target: &str) -> [(&'static str, &str); 8] {
    let mut parts = target.split('/');
    let os = parts.next().unwrap_or("linux");
    let arch = parts.next().unwrap_or("amd64");
    let variant = parts.next().unwrap_or("");
    let values = ["linux/amd64", "linux", "amd64", "", target, os, arch, variant];
    std::array::from_fn(|i| (PLATFORM_ARG_NAMES[i], values[i]))
}

/// The names of [`platform_args`], in its order.
const PLATFORM_ARG_NAMES: [&str; 8] =
    ["BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT", "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT"];

/// Global ARG values: declared defaults expanded in order, `--build-arg`
/// values winning when `build_args` is given.
pub(super) fn global_args<'a>(
    file: &'a Dockerfile,
    build_args: Option<&'a std::collections::BTreeMap<String, String>>,
    target: &'a str,
) -> ScopeEnv<'a> {
    let lexer = Lexer::new(file.directives.escape);
    let mut env = ScopeEnv::default();
    for (name, value) in platform_args(target) {
        env.set(Cow::Borrowed(name), Cow::Borrowed(value));
    }
    for arg in &file.meta_args {
        let Command::Arg(decls) = &arg.command else { continue };
        for decl in decls {
            let given = build_args.and_then(|b| b.get(decl.name.value.as_str())).map(|v| Cow::Borrowed(v.as_str()));
            let value = given.or_else(|| {
                let default = decl.default.as_ref()?;
                if lexer.is_literal(&default.value) {
                    return Some(Cow::Borrowed(default.value.as_str()));
                }
                lexer.process_word(&default.value, &env).ok().map(|e| Cow::Owned(e.value))
            });
            if let Some(value) = value {
                env.set(Cow::Borrowed(&decl.name.value), value);
            }
        }
    }
    env
}

/// Variables as the checks track them: what one stage set, over the variables of
/// what it was built on. A stage built FROM another shares that stage's variables
/// rather than copying them, and names and values are borrowed from the Dockerfile
/// where they can be (the checks run on every keystroke).
#[derive(Debug, Default)]
pub(super) struct ScopeEnv<'a> {
    base: Option<Rc<ScopeEnv<'a>>>,
    /// How many layers are below this one.
    depth: usize,
    /// In the order they were set; a later entry wins.
    vars: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

/// How many layers may stack before a new one starts from a copy of what they show.
/// Lookups and drops walk the layers recursively, and a pasted file can chain thousands
/// of stages, each built FROM the one before.
const MAX_LAYERS: usize = 16;

impl<'a> ScopeEnv<'a> {
    /// The variables of an image config (`KEY=value` already split).
    pub fn from_vars(vars: Vec<(String, String)>) -> Self {
        ScopeEnv { base: None, depth: 0, vars: vars.into_iter().map(|(k, v)| (Cow::Owned(k), Cow::Owned(v))).collect() }
    }

    pub fn set(&mut self, name: Cow<'a, str>, value: Cow<'a, str>) {
        self.vars.push((name, value));
    }

    /// A scope for a stage built on `base`: sets go to the new layer.
    pub fn over(base: Rc<ScopeEnv<'a>>) -> Self {
        if base.depth + 1 < MAX_LAYERS {
            return ScopeEnv { depth: base.depth + 1, base: Some(base), vars: Vec::new() };
        }
        ScopeEnv { base: None, depth: 0, vars: base.visible() }
    }

    /// Every variable in sight, each where it was last set (the order BuildKit's env
    /// list has, which "did you mean" suggestions follow).
    fn latest(&self) -> Vec<&(Cow<'a, str>, Cow<'a, str>)> {
        let mut vars = self.base.as_ref().map_or_else(Vec::new, |b| b.latest());
        for var in &self.vars {
            vars.retain(|(n, _)| *n != var.0);
            vars.push(var);
        }
        vars
    }

    fn visible(&self) -> Vec<(Cow<'a, str>, Cow<'a, str>)> {
        self.latest().into_iter().cloned().collect()
    }

    /// Every name set, each where it was last set.
    pub fn names(&self) -> Vec<&str> {
        self.latest().into_iter().map(|(name, _)| name.as_ref()).collect()
    }
}

impl Env for ScopeEnv<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        match self.vars.iter().rev().find(|(k, _)| k == name) {
            Some((_, value)) => Some(value),
            None => self.base.as_ref()?.get(name),
        }
    }
}

/// Names declared by global ARGs (with or without a value).
pub(super) fn declared_global_names(file: &Dockerfile) -> Vec<&str> {
    let mut names = PLATFORM_ARG_NAMES.to_vec();
    for arg in &file.meta_args {
        if let Command::Arg(decls) = &arg.command {
            names.extend(decls.iter().map(|d| d.name.value.as_str()));
        }
    }
    names
}

/// What a stage is built on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Base {
    Scratch,
    Stage(usize),
    Image(ImageRef),
    /// The name did not parse as an image reference (the build fails).
    Invalid(String),
}

/// Resolves an expanded FROM name: an earlier stage by exact name, the
/// empty image, or an image reference.
pub(super) fn resolve_base(stages: &StageNames, stage: usize, name: &str) -> Base {
    if let Some(earlier) = stages.earlier_base(name, stage) {
        return Base::Stage(earlier);
    }
    if name == "scratch" {
        return Base::Scratch;
    }
    match ImageRef::parse(name) {
        Ok(image) => Base::Image(image),
        Err(e) => Base::Invalid(format!("failed to parse stage name {}: {e}", crate::syntax::quote::go_quote(name))),
    }
}

/// Which stage each name first belongs to: several rules ask, for every stage, whether
/// a name is an earlier stage's (a scan of the earlier stages each time grew with the
/// square of their number). What every run asks of each stage (is its FROM name an
/// earlier stage's, is its own name taken) is answered once, while the map is built.
pub(super) struct StageNames<'a> {
    first: HashMap<&'a str, usize, BuildHasherDefault<QuickHasher>>,
    /// Per stage: its FROM name as written, and the earlier stage of that name.
    bases: Vec<(&'a str, Option<usize>)>,
    /// Per stage: whether an earlier stage has its name.
    duplicate: Vec<bool>,
}

impl<'a> StageNames<'a> {
    pub fn new(file: &'a Dockerfile) -> Self {
        let count = file.stages.len();
        let mut first = HashMap::with_capacity_and_hasher(count, BuildHasherDefault::default());
        let (mut bases, mut duplicate) = (Vec::with_capacity(count), Vec::with_capacity(count));
        for stage in &file.stages {
            // The map holds only earlier stages here, and a stage's own name goes in after.
            let written = stage.base().image.value.as_str();
            bases.push((written, first.get(written).copied()));
            let taken = stage.name().is_some_and(|name| match first.entry(name) {
                Entry::Occupied(_) => true,
                Entry::Vacant(slot) => {
                    slot.insert(stage.index);
                    false
                }
            });
            duplicate.push(taken);
        }
        StageNames { first, bases, duplicate }
    }

    /// The first stage called `name`, when it comes before stage `before`.
    pub fn earlier(&self, name: &str, before: usize) -> Option<usize> {
        self.first.get(name).copied().filter(|&i| i < before)
    }

    /// [`StageNames::earlier`] for the name stage `stage` is built FROM (as written,
    /// or as expanded).
    pub fn earlier_base(&self, name: &str, stage: usize) -> Option<usize> {
        match self.bases.get(stage) {
            Some(&(written, found)) if written == name => found,
            _ => self.earlier(name, stage),
        }
    }

    /// Whether an earlier stage has the name of stage `stage`.
    pub fn is_duplicate(&self, stage: usize) -> bool {
        self.duplicate.get(stage).copied().unwrap_or(false)
    }
}

/// The `PATH` BuildKit gives `scratch` stages.
pub(super) const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
