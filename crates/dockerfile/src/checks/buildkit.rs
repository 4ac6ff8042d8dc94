//! BuildKit's build checks, with the messages of `linter/ruleset.go` and the
//! conditions of `dockerfile2llb/convert.go` and `instructions/parse.go`.

use super::rules::*;
use super::scope::{self, Base, ScopeEnv, StageNames};
use super::{CheckOptions, Sink};
use crate::case::{changes_when_lowercased, changes_when_uppercased};
use crate::expand::{Env, Lexer};
use crate::instructions::{suggest, ArgDecl, Command, Dockerfile, Instruction, Stage};
use crate::reference::ImageRef;
use crate::syntax::quote::go_quote;
use crate::syntax::{Span, Word};
use std::borrow::Cow;
use std::rc::Rc;

pub(super) fn run(file: &Dockerfile, options: &CheckOptions, stages: &StageNames, sink: &mut Sink) {
    for w in &file.warnings {
        sink.add(&NO_EMPTY_CONTINUATION, "Empty continuation line".into(), (w.start_line, w.end_line), w.span);
    }
    let build = Build {
        file,
        options,
        globals: scope::global_args(file, Some(&options.build_args), &options.target_platform),
        stages,
        lexer: Lexer::new(file.directives.escape),
    };
    instruction_casing(file, sink);
    stage_names(&build, sink);
    secrets(file.meta_args.iter(), sink);
    descriptions(file.meta_args.iter(), sink);
    // Each FROM name expanded once, for InvalidDefaultArgInFrom and for the stage.
    let images: Vec<Expanded> = file.stages.iter().map(|s| expand_image(&build, &s.base().image.value)).collect();
    base_images_with_defaults(file, options, &images, sink);
    let mut finished: Vec<StageState> = Vec::with_capacity(file.stages.len());
    for stage in &file.stages {
        let state = dispatch_stage(&build, stage, &images[stage.index], &finished, sink);
        finished.push(state);
    }
}

/// What stays the same for every stage of one check run.
struct Build<'a> {
    file: &'a Dockerfile,
    options: &'a CheckOptions<'a>,
    /// The global ARGs with the build's `--build-arg` values.
    globals: ScopeEnv<'a>,
    stages: &'a StageNames<'a>,
    lexer: Lexer,
}

fn lines(i: &Instruction) -> (usize, usize) {
    (i.start_line, i.end_line)
}

/// ConsistentInstructionCasing over every top-level instruction.
fn instruction_casing(file: &Dockerfile, sink: &mut Sink) {
    // Keywords that parsed are ASCII: their case is read without allocating.
    let is_lower = |s: &str| !s.bytes().any(|b| b.is_ascii_uppercase());
    let is_upper = |s: &str| !s.bytes().any(|b| b.is_ascii_lowercase());
    let (mut lower, mut upper, mut total) = (0, 0, 0);
    top_level_instructions(file, |node| {
        let v = &node.keyword.value;
        total += 1;
        if is_lower(v) {
            lower += 1;
        } else if is_upper(v) {
            upper += 1;
        }
    });
    if lower == total || upper == total {
        return; // every keyword already has the majority's case
    }
    let majority_lower = lower > upper;
    top_level_instructions(file, |node| {
        let v = &node.keyword.value;
        let correct = if majority_lower && !is_lower(v) {
            "lowercase"
        } else if !majority_lower && !is_upper(v) {
            "uppercase"
        } else {
            return;
        };
        let message = format!("Command '{v}' should match the case of the command majority ({correct})");
        sink.add(&CONSISTENT_INSTRUCTION_CASING, message, (node.start_line, node.end_line), node.span);
    });
}

/// Every top-level instruction, in order. Nested loops rather than
/// `Dockerfile::instructions`: a chain of iterators costs more than the casing test
/// on every instruction.
fn top_level_instructions<'f>(file: &'f Dockerfile, mut visit: impl FnMut(&'f Instruction)) {
    file.meta_args.iter().for_each(&mut visit);
    for stage in &file.stages {
        visit(&stage.from);
        stage.instructions.iter().for_each(&mut visit);
    }
}

/// StageNameCasing, FromAsCasing, ReservedStageName, DuplicateStageName.
fn stage_names(build: &Build, sink: &mut Sink) {
    for stage in &build.file.stages {
        let from = stage.base();
        let at = lines(&stage.from);
        if let (Some(typed), Some(name)) = (&from.stage_name_typed, &from.stage_name) {
            // The stored name is the typed one lowercased: they differ just when lowercasing
            // changes it.
            if typed != &name.value {
                sink.add(&STAGE_NAME_CASING, format!("Stage name '{typed}' should be lowercase"), at, name.span);
            }
        }
        if let Some(as_word) = &from.as_keyword {
            let keyword = &stage.from.keyword.value;
            let matches = if !changes_when_lowercased(keyword) {
                !changes_when_lowercased(&as_word.value)
            } else {
                changes_when_uppercased(keyword) || !changes_when_uppercased(&as_word.value)
            };
            if !matches {
                let message = format!("'{}' and '{keyword}' keywords' casing do not match", as_word.value);
                sink.add(&FROM_AS_CASING, message, at, as_word.span);
            }
        }
        let Some(name) = stage.name() else { continue };
        if name == "scratch" || name == "context" {
            let message = format!("Stage name should not use the same name as reserved stage {}", go_quote(name));
            sink.add(&RESERVED_STAGE_NAME, message, at, stage.from.span);
        }
        if build.stages.is_duplicate(stage.index) {
            let message = format!("Duplicate stage name {}, stage names should be unique", go_quote(name));
            sink.add(&DUPLICATE_STAGE_NAME, message, at, stage.from.span);
        }
    }
}

/// `(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)`
/// unless `public` appears the same way.
fn looks_secret(name: &str) -> bool {
    // Names are nearly always ASCII: compared without lowercasing a copy.
    let lower: Cow<str> = if name.is_ascii() { Cow::Borrowed(name) } else { Cow::Owned(name.to_lowercase()) };
    let parts = || lower.as_bytes().split(|&b| b == b'_');
    parts().any(is_secret_token) && !parts().any(|part| part.eq_ignore_ascii_case(b"public"))
}

/// One `_`-separated part of a name that makes it look secret (told apart by length
/// first: every ARG and ENV name is asked on every keystroke).
fn is_secret_token(part: &[u8]) -> bool {
    let candidates: &[&[u8]] = match part.len() {
        3 => &[b"key"],
        4 => &[b"auth"],
        5 => &[b"pword", b"token"],
        6 => &[b"apikey", b"passwd", b"secret"],
        8 => &[b"password"],
        10 => &[b"credential"],
        11 => &[b"credentials"],
        _ => return false,
    };
    candidates.iter().any(|t| t.eq_ignore_ascii_case(part))
}

fn secrets<'a>(instructions: impl Iterator<Item = &'a Instruction>, sink: &mut Sink) {
    for i in instructions {
        let (decls, pairs) = match &i.command {
            Command::Arg(decls) => (decls.as_slice(), &[][..]),
            Command::Env(pairs) => (&[][..], pairs.as_slice()),
            _ => continue,
        };
        let names = decls.iter().map(|d| &d.name).chain(pairs.iter().map(|p| &p.key));
        for name in names.filter(|n| looks_secret(&n.value)) {
            let message = format!(
                "Do not use ARG or ENV instructions for sensitive data ({} {})",
                i.keyword.value,
                go_quote(&name.value)
            );
            sink.add(&SECRETS_USED_IN_ARG_OR_ENV, message, lines(i), name.span);
        }
    }
}

/// InvalidDefinitionDescription: a comment right above a named stage or an
/// ARG should start with the name.
fn descriptions<'a>(instructions: impl Iterator<Item = &'a Instruction>, sink: &mut Sink) {
    // An experimental rule: off unless the file's `# check=` directive asks for it.
    if !sink.enabled(&INVALID_DEFINITION_DESCRIPTION) {
        return;
    }
    for i in instructions {
        // Most instructions have no comment above them: nothing to compare then.
        let Some(last) = i.comment_lines().next_back() else { continue };
        let (decls, stage): (&[ArgDecl], Option<&Word>) = match &i.command {
            Command::Arg(decls) => (decls, None),
            Command::From(from) => (&[], from.stage_name.as_ref()),
            _ => continue,
        };
        let mut keys = decls.iter().map(|d| d.name.value.as_str()).chain(stage.map(|w| w.value.as_str()));
        let Some(first_key) = keys.clone().next() else { continue };
        let described = last.split(' ').next().unwrap_or("");
        if keys.any(|k| k == described) {
            continue;
        }
        let example = if decls.len() > 1 { "<arg_key>" } else { first_key };
        let message = format!("Comment for {} should follow the format: `# {example} <description>`", i.name());
        sink.add(&INVALID_DEFINITION_DESCRIPTION, message, lines(i), i.span);
    }
}

/// InvalidDefaultArgInFrom: FROM names with only the ARG defaults.
/// `images` are the FROM names expanded with the build's global ARGs: without
/// --build-arg values those are the defaults, so they are not expanded twice.
fn base_images_with_defaults(file: &Dockerfile, options: &CheckOptions, images: &[Expanded], sink: &mut Sink) {
    let defaults = (!options.build_args.is_empty()).then(|| scope::global_args(file, None, &options.target_platform));
    let lexer = Lexer::new(file.directives.escape);
    for (stage, given) in file.stages.iter().zip(images) {
        let image = &stage.base().image;
        let expanded: Option<Cow<str>> = match &defaults {
            None => given.as_ref().ok().map(|e| Cow::Borrowed(expanded_name(e, &image.value))),
            Some(defaults) => lexer.process_word(&image.value, defaults).ok().map(|e| Cow::Owned(e.value)),
        };
        let Some(expanded) = expanded else { return };
        if !ImageRef::is_valid(&expanded) {
            let message = format!("Default value for ARG {} results in empty or invalid base image name", image.value);
            sink.add(&INVALID_DEFAULT_ARG_IN_FROM, message, lines(&stage.from), image.span);
        }
    }
}

/// A FROM name expanded with the global ARGs; `None` when it had nothing to expand (most
/// FROM lines name a stage or an image as written: they are not copied).
type Expanded = Result<Option<crate::expand::Expansion>, crate::expand::ExpandError>;

fn expand_image(build: &Build, name: &str) -> Expanded {
    if build.lexer.is_literal(name) {
        return Ok(None);
    }
    build.lexer.process_word(name, &build.globals).map(Some)
}

/// The name an [`Expanded`] stands for: `written` when there was nothing to expand.
fn expanded_name<'e>(expansion: &'e Option<crate::expand::Expansion>, written: &'e str) -> &'e str {
    expansion.as_ref().map_or(written, |e| e.value.as_str())
}

/// What a finished stage hands to stages built FROM it.
struct StageState<'a> {
    env: Rc<ScopeEnv<'a>>,
    /// False when the base image's environment is not modelled: `env` then
    /// holds only what this Dockerfile set, so UndefinedVar stays quiet.
    env_known: bool,
    shell_set: bool,
    absolute_workdir: bool,
}

struct Dispatch<'a> {
    lexer: Lexer,
    env: Rc<ScopeEnv<'a>>,
    env_known: bool,
    /// ARG names declared in this stage (with or without a value).
    declared: Vec<&'a str>,
    globals: &'a ScopeEnv<'a>,
    shell_set: bool,
    absolute_workdir: bool,
    once: [Option<(usize, usize, Span)>; 3],
    dockerignore: Option<&'a [String]>,
}

fn dispatch_stage<'a>(
    build: &'a Build<'a>,
    stage: &'a Stage,
    image: &Expanded,
    finished: &[StageState<'a>],
    sink: &mut Sink,
) -> StageState<'a> {
    let options = build.options;
    let ((env_known, env), shell_set, absolute_workdir) = match from_line(build, stage, image, sink) {
        Some(Base::Stage(i)) => {
            let parent = &finished[i];
            // Shared until this stage sets a variable (many stages set none).
            ((parent.env_known, Rc::clone(&parent.env)), parent.shell_set, parent.absolute_workdir)
        }
        Some(Base::Scratch) => {
            let mut env = ScopeEnv::default();
            env.set(Cow::Borrowed("PATH"), Cow::Borrowed(scope::DEFAULT_PATH));
            ((true, Rc::new(env)), false, false)
        }
        Some(Base::Image(image)) => {
            let env = options.images.env(&image).map(ScopeEnv::from_vars);
            if env.is_none() {
                // Every stage on an image without modelled data says this on every
                // keystroke: put together by hand, not by `format!`.
                let mut note = String::with_capacity(128);
                note.push_str("UndefinedVar was not checked in stage ");
                match stage.name() {
                    Some(name) => note.push_str(name),
                    None => note.push_str(&stage.display_name()),
                }
                note.push_str(": the environment of ");
                image.push_full(&mut note);
                note.push_str(" is not modelled");
                sink.note(note);
            }
            ((env.is_some(), Rc::new(env.unwrap_or_default())), false, false)
        }
        Some(Base::Invalid(e)) => {
            sink.note(format!("line {}: {e}", stage.from.start_line));
            ((false, Rc::default()), false, false)
        }
        None => ((false, Rc::default()), false, false),
    };
    let mut d = Dispatch {
        lexer: build.lexer,
        env,
        env_known,
        declared: Vec::new(),
        globals: &build.globals,
        shell_set,
        absolute_workdir,
        once: [None, None, None],
        // CopyIgnoredFile is experimental: the .dockerignore is read only when it is asked for.
        dockerignore: options.dockerignore.as_deref().filter(|_| sink.enabled(&COPY_IGNORED_FILE)),
    };
    secrets(stage.instructions.iter(), sink);
    descriptions(std::iter::once(&stage.from).chain(&stage.instructions), sink);
    for i in &stage.instructions {
        d.instruction(i, sink);
    }
    StageState { env: d.env, env_known: d.env_known, shell_set: d.shell_set, absolute_workdir: d.absolute_workdir }
}

/// The FROM line's own checks; returns what the stage is built on.
fn from_line(build: &Build, stage: &Stage, image: &Expanded, sink: &mut Sink) -> Option<Base> {
    let (file, options) = (build.file, build.options);
    let from = stage.base();
    let at = lines(&stage.from);
    let undeclared = |names: &std::collections::BTreeSet<crate::syntax::Text>, span: Span, sink: &mut Sink| {
        if names.is_empty() {
            return;
        }
        let declared = scope::declared_global_names(file);
        for name in names.iter().filter(|n| !declared.contains(&n.as_str())) {
            let mut message = format!("FROM argument '{name}' is not declared");
            if let Some(s) = suggest::closest(name, &declared, true) {
                message.push_str(&format!(" (did you mean {s}?)"));
            }
            sink.add(&UNDEFINED_ARG_IN_FROM, message, at, span);
        }
    };
    let name = match image {
        Ok(e) => {
            if let Some(e) = e {
                undeclared(&e.unmatched, from.image.span, sink);
            }
            Some(expanded_name(e, &from.image.value))
        }
        Err(e) => {
            sink.note(format!("line {}: {}", at.0, e.message));
            None
        }
    };
    if let Some(platform) = &from.platform {
        if let Ok(p) = build.lexer.process_word(&platform.value, &build.globals) {
            undeclared(&p.unmatched, platform.span, sink);
            platform_rules(stage, platform, &p, options, sink);
        }
    }
    let base = name.map(|n| scope::resolve_base(build.stages, stage.index, n));
    if let (Some(Base::Image(image)), Some(n)) = (&base, name) {
        base_platform(stage, n, image, options, sink);
    }
    base
}

fn platform_rules(stage: &Stage, platform: &Word, p: &crate::expand::Expansion, options: &CheckOptions, sink: &mut Sink) {
    let at = lines(&stage.from);
    if p.matched.len() == 1 && p.matched.contains("TARGETPLATFORM") && p.value == options.target_platform {
        let message = format!(
            "Setting platform to predefined {} in FROM is redundant as this is the default behavior",
            platform.value
        );
        sink.add(&REDUNDANT_TARGET_PLATFORM, message, at, platform.span);
    }
    if p.matched.is_empty() && p.unmatched.is_empty() {
        // A stage named after its platform (`AS build-arm64`) is fine.
        let name = stage.name().unwrap_or("");
        let mentions = p.value.split('/').filter(|s| !s.is_empty()).any(|part| name.contains(&part.to_lowercase()));
        if !mentions {
            let message = format!("FROM --platform flag should not use constant value {}", go_quote(&p.value));
            sink.add(&FROM_PLATFORM_FLAG_CONST_DISALLOWED, message, at, platform.span);
        }
    }
}

fn base_platform(stage: &Stage, name: &str, image: &ImageRef, options: &CheckOptions, sink: &mut Sink) {
    let Some(available) = options.images.platforms(image) else { return };
    let expected = stage.base().platform.as_ref().map_or(options.target_platform.clone(), |w| w.value.to_string());
    if available.is_empty() || available.contains(&expected) {
        return;
    }
    let message = format!(
        "Base image {name} was pulled with platform {}, expected {} for current build",
        go_quote(&available[0]),
        go_quote(&expected)
    );
    sink.add(&INVALID_BASE_IMAGE_PLATFORM, message, lines(&stage.from), stage.base().image.span);
}

impl<'a> Dispatch<'a> {
    fn instruction(&mut self, i: &'a Instruction, sink: &mut Sink) {
        let at = lines(i);
        match &i.command {
            Command::Env(pairs) | Command::Label(pairs) => {
                let mut updates = Vec::new();
                for pair in pairs {
                    if pair.legacy {
                        let name = &i.keyword.value;
                        let message = format!("\"{name} key=value\" should be used instead of legacy \"{name} key value\" format");
                        sink.add(&LEGACY_KEY_VALUE_FORMAT, message, at, i.span);
                    }
                    let key = self.expand(i, &pair.key, sink);
                    let value = self.expand(i, &pair.value, sink);
                    updates.push((key, value));
                }
                if matches!(i.command, Command::Env(_)) {
                    for (k, v) in updates {
                        if let (Some(k), Some(v)) = (k, v) {
                            self.env_mut().set(k, v);
                        }
                    }
                }
            }
            Command::Arg(decls) => {
                for decl in decls {
                    let default = decl.default.as_ref().and_then(|d| self.expand(i, d, sink));
                    self.declared.push(&decl.name.value);
                    let global = self.globals.get(&decl.name.value).filter(|_| decl.default.is_none());
                    if let Some(v) = global.map(Cow::Borrowed).or(default) {
                        self.env_mut().set(Cow::Borrowed(&decl.name.value), v);
                    }
                }
            }
            Command::Workdir(path) => self.workdir(i, path, sink),
            Command::Cmd(line) | Command::Entrypoint(line) => {
                let slot = if matches!(i.command, Command::Cmd(_)) { 0 } else { 1 };
                self.used_once(i, slot, sink);
                if !line.exec_form && !self.shell_set {
                    let message = format!(
                        "JSON arguments recommended for {} to prevent unintended behavior related to OS signals",
                        i.keyword.value
                    );
                    sink.add(&JSON_ARGS_RECOMMENDED, message, at, i.span);
                }
            }
            Command::Healthcheck(_) => self.used_once(i, 2, sink),
            Command::Shell(_) => self.shell_set = true,
            Command::Maintainer(_) => {
                let message = "Maintainer instruction is deprecated in favor of using label".to_string();
                sink.add(&MAINTAINER_DEPRECATED, message, at, i.span);
            }
            Command::Expose(ports) => self.expose(i, ports, sink),
            Command::Copy(c) | Command::Add(c) => {
                for source in &c.sources {
                    // Only a source from the context can be excluded by its .dockerignore.
                    let Some(ignore) = self.dockerignore.filter(|_| c.from.is_none()) else {
                        self.look_up(i, source, sink);
                        continue;
                    };
                    if let Some(path) = self.expand(i, source, sink) {
                        if crate::ignore::IgnoreFile::from_lines(ignore).excludes(&path) {
                            let verb = if matches!(i.command, Command::Add(_)) { "Add" } else { "Copy" };
                            let message = format!("Attempting to {verb} file {} that is excluded by .dockerignore", go_quote(&path));
                            sink.add(&COPY_IGNORED_FILE, message, at, source.span);
                        }
                    }
                }
                for w in [&c.dest].into_iter().chain(c.chown.iter()).chain(c.chmod.iter()) {
                    self.look_up(i, w, sink);
                }
            }
            Command::User(w) | Command::StopSignal(w) => self.look_up(i, w, sink),
            Command::Volume(ws) => {
                for w in ws {
                    self.look_up(i, w, sink);
                }
            }
            Command::Run(run) => {
                for m in &run.mounts {
                    self.look_up(i, m, sink);
                }
            }
            Command::From(_) | Command::Onbuild(_) => {}
        }
    }

    /// This stage's own scope: a stage whose variables are still shared with the stage
    /// it was built on gets a layer of its own over them.
    fn env_mut(&mut self) -> &mut ScopeEnv<'a> {
        if Rc::get_mut(&mut self.env).is_none() {
            let base = Rc::clone(&self.env);
            self.env = Rc::new(ScopeEnv::over(base));
        }
        Rc::get_mut(&mut self.env).expect("a scope of its own")
    }

    /// A word whose value no rule reads: only what expanding it reports counts. With the
    /// environment unknown, UndefinedVar is not reported, so a word that cannot fail to
    /// expand (the usual `id=build-$TARGETPLATFORM` of a mount) reports nothing at all.
    fn look_up(&self, i: &Instruction, word: &Word, sink: &mut Sink) {
        // Most words have nothing to expand, and so nothing to report.
        if self.lexer.is_literal(&word.value) {
            return;
        }
        if !self.env_known && self.lexer.cannot_fail(&word.value) {
            return;
        }
        self.expand_full(i, word, sink);
    }

    /// Expands a word as the builder would and reports names that are
    /// neither ENV nor ARG (UndefinedVar). `None` on an expansion error.
    /// Most words have nothing to expand: they are answered without a copy.
    fn expand<'w>(&self, i: &Instruction, word: &'w Word, sink: &mut Sink) -> Option<Cow<'w, str>> {
        if self.lexer.is_literal(&word.value) {
            return Some(Cow::Borrowed(&word.value));
        }
        self.expand_full(i, word, sink).map(|e| Cow::Owned(e.value))
    }

    fn expand_full(&self, i: &Instruction, word: &Word, sink: &mut Sink) -> Option<crate::expand::Expansion> {
        let result = match self.lexer.process_word(&word.value, &*self.env) {
            Ok(r) => r,
            Err(e) => {
                sink.note(format!("line {}: {}", i.start_line, e.message));
                return None;
            }
        };
        if self.env_known {
            for name in result.unmatched.iter().filter(|n| !self.declared.contains(&n.as_str())) {
                let options = self.env.names();
                let mut message = format!("Usage of undefined variable '${name}'");
                if let Some(s) = suggest::closest(name, &options, true) {
                    message.push_str(&format!(" (did you mean ${s}?)"));
                }
                sink.add(&UNDEFINED_VAR, message, lines(i), word.span);
            }
        }
        Some(result)
    }

    fn workdir(&mut self, i: &Instruction, path: &Word, sink: &mut Sink) {
        let literal = self.lexer.is_literal(&path.value);
        let expansion = if literal { None } else { Some(self.expand_full(i, path, sink)) };
        let (expanded, unmatched) = match expansion {
            None => (Cow::Borrowed(path.value.as_str()), false),
            Some(None) => return,
            Some(Some(e)) => (Cow::Owned(e.value), !e.unmatched.is_empty()),
        };
        if !self.env_known && unmatched {
            // It may come from the base image's unmodelled environment.
            return;
        }
        let drive = expanded.as_bytes();
        let windows_absolute = drive.len() >= 3 && drive[0].is_ascii_alphabetic() && drive[1] == b':' && matches!(drive[2], b'\\' | b'/');
        if expanded.starts_with('/') || windows_absolute {
            self.absolute_workdir = true;
        } else if !self.absolute_workdir {
            let message = format!(
                "Relative workdir {} can have unexpected results if the base image changes",
                go_quote(&expanded)
            );
            sink.add(&WORKDIR_RELATIVE_PATH, message, lines(i), path.span);
        }
    }

    /// MultipleInstructionsDisallowed is reported at the earlier instruction.
    fn used_once(&mut self, i: &Instruction, slot: usize, sink: &mut Sink) {
        if let Some((start, end, span)) = self.once[slot] {
            let message = format!(
                "Multiple {} instructions should not be used in the same stage because only the last one will be used",
                i.keyword.value
            );
            sink.add(&MULTIPLE_INSTRUCTIONS_DISALLOWED, message, (start, end), span);
        }
        self.once[slot] = Some((i.start_line, i.end_line, i.span));
    }

    fn expose(&self, i: &Instruction, ports: &[Word], sink: &mut Sink) {
        for port in ports {
            let Some(expanded) = self.expand(i, port, sink) else { continue };
            for value in expanded.split_whitespace() {
                if value.contains(':') {
                    let message =
                        format!("EXPOSE instruction should not define an IP address or host-port mapping, found '{value}'");
                    sink.add(&EXPOSE_INVALID_FORMAT, message, lines(i), port.span);
                }
                if let Some((_, proto)) = value.rsplit_once('/') {
                    if changes_when_lowercased(proto) {
                        let message = format!("Defined protocol '{value}' in EXPOSE instruction should be lowercase");
                        sink.add(&EXPOSE_PROTO_CASING, message, lines(i), port.span);
                    }
                }
            }
        }
    }
}

