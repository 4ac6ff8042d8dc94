//! One parse function per instruction, each checking what BuildKit's
//! `parse<Instruction>` checks, in the same order (so the first error is the
//! same one Docker reports).

use super::flags::{self, Flags, Kind, Spec};
use super::{
    duration, suggest, ArgDecl, Command, CommandLine, Copy, From, Healthcheck, Instruction, KeyValue, Onbuild, Run,
};
use crate::case::changes_when_lowercased;
use std::ops::Range;
use crate::syntax::quote::go_quote;
use crate::syntax::{chomp, parse_heredoc, Keyword, Node, Span, Text, Word, INSTRUCTION_NAMES};

/// An error message and, when it is about one piece, that piece's span.
pub(super) type Failure = (String, Option<Span>);

type Parsed<T> = Result<T, Failure>;

fn fail<T>(message: impl Into<String>) -> Parsed<T> {
    Err((message.into(), None))
}

const NO_FLAGS: Spec = &[];
const FROM_FLAGS: Spec = &[("platform", Kind::String)];
const RUN_FLAGS: Spec = &[("mount", Kind::Strings), ("network", Kind::String), ("security", Kind::String)];
const COPY_FLAGS: Spec = &[
    ("from", Kind::String),
    ("chown", Kind::String),
    ("chmod", Kind::String),
    ("link", Kind::Bool),
    ("parents", Kind::Bool),
    ("exclude", Kind::Strings),
];
const ADD_FLAGS: Spec = &[
    ("chown", Kind::String),
    ("chmod", Kind::String),
    ("link", Kind::Bool),
    ("keep-git-dir", Kind::Bool),
    ("checksum", Kind::String),
    ("unpack", Kind::Bool),
    ("exclude", Kind::Strings),
];
const HEALTHCHECK_FLAGS: Spec = &[
    ("interval", Kind::String),
    ("timeout", Kind::String),
    ("start-period", Kind::String),
    ("start-interval", Kind::String),
    ("retries", Kind::String),
];

/// The instruction of `node` once [`command`] has checked it: the node gives up its text.
pub(super) fn instruction(command: Command, node: &mut Node) -> Instruction {
    Instruction {
        command,
        keyword: std::mem::take(&mut node.keyword),
        original: std::mem::take(&mut node.original),
        start_line: node.start_line,
        end_line: node.end_line,
        span: node.span,
        comments: std::mem::take(&mut node.comments),
    }
}

/// Checks the flag words against `spec` into `flags` (one set reused for a whole file).
fn check_flags<'f>(words: &mut [Word], spec: Spec, flags: &'f mut Flags) -> Parsed<&'f mut Flags> {
    match flags::parse(words, spec, flags) {
        Ok(()) => Ok(flags),
        Err((m, span)) => Err((m, Some(span))),
    }
}

/// Checks in the order BuildKit checks; the words an instruction keeps are moved out of
/// `node`, not copied (every keystroke parses the whole file).
pub(super) fn command(node: &mut Node, flags: &mut Flags) -> Parsed<Command> {
    use Keyword as K;
    let Some(name) = node.known else {
        return Err((unknown_instruction(&node.keyword.value), Some(node.keyword.span)));
    };
    let none = |node: &mut Node, flags: &mut Flags| check_flags(&mut node.flags, NO_FLAGS, flags).map(drop);
    Ok(match name {
        K::Run | K::Cmd | K::Entrypoint => command_with_line(node, name, flags)?,
        K::Env | K::Label => {
            none(node, flags)?;
            let pairs = key_values(&mut node.args, if name == K::Env { "ENV" } else { "LABEL" })?;
            if name == K::Env { Command::Env(pairs) } else { Command::Label(pairs) }
        }
        K::Maintainer => {
            let word = exactly_one(&mut node.args, "MAINTAINER")?;
            none(node, flags)?;
            Command::Maintainer(word)
        }
        K::Add | K::Copy => {
            let label = if name == K::Add { "ADD" } else { "COPY" };
            if node.args.len() < 2 {
                return fail(format!(
                    "{label} requires at least two arguments, but only one was provided. Destination could not be determined"
                ));
            }
            let flags = check_flags(&mut node.flags, if name == K::Add { ADD_FLAGS } else { COPY_FLAGS }, flags)?;
            let copy = copy(node, flags, label)?;
            if name == K::Add { Command::Add(copy) } else { Command::Copy(copy) }
        }
        K::From => {
            let mut from = from(&mut node.args)?;
            let flags = check_flags(&mut node.flags, FROM_FLAGS, flags)?;
            from.platform = flags.take("platform");
            Command::From(from)
        }
        K::Onbuild => {
            let onbuild = onbuild(node)?;
            none(node, flags)?;
            Command::Onbuild(onbuild)
        }
        K::Workdir => {
            let word = exactly_one(&mut node.args, "WORKDIR")?;
            none(node, flags)?;
            Command::Workdir(word)
        }
        K::Healthcheck => healthcheck(node, flags)?,
        K::Expose => {
            at_least_one(&node.args, "EXPOSE")?;
            none(node, flags)?;
            Command::Expose(std::mem::take(&mut node.args))
        }
        K::User => {
            let word = exactly_one(&mut node.args, "USER")?;
            none(node, flags)?;
            Command::User(word)
        }
        K::Volume => {
            at_least_one(&node.args, "VOLUME")?;
            none(node, flags)?;
            volumes(&node.args)?
        }
        K::Stopsignal => {
            let word = exactly_one(&mut node.args, "STOPSIGNAL")?;
            none(node, flags)?;
            Command::StopSignal(word)
        }
        K::Arg => {
            at_least_one(&node.args, "ARG")?;
            none(node, flags)?;
            Command::Arg(arg_decls(&mut node.args)?)
        }
        K::Shell => {
            none(node, flags)?;
            shell(node)?
        }
    })
}

fn unknown_instruction(typed: &str) -> String {
    suggest::wrap(format!("unknown instruction: {typed}"), typed, &INSTRUCTION_NAMES, false)
}

fn exactly_one(args: &mut [Word], label: &str) -> Parsed<Word> {
    match args {
        [one] => Ok(std::mem::take(one)),
        _ => fail(format!("{label} requires exactly one argument")),
    }
}

fn at_least_one(args: &[Word], label: &str) -> Parsed<()> {
    if args.is_empty() {
        return fail(format!("{label} requires at least one argument"));
    }
    Ok(())
}

/// ENV and LABEL arrive as (key, value, separator) triples; an empty
/// separator marks the legacy `ENV key value` form.
fn key_values(args: &mut [Word], label: &str) -> Parsed<Vec<KeyValue>> {
    at_least_one(args, label)?;
    if !args.len().is_multiple_of(3) {
        return fail(format!("Bad input to {label}, too many arguments"));
    }
    args.chunks_mut(3)
        .map(|kv| {
            if kv[0].value.is_empty() {
                return Err((format!("{label} names can not be blank"), Some(kv[0].span)));
            }
            let legacy = kv[2].value.is_empty();
            Ok(KeyValue { key: std::mem::take(&mut kv[0]), value: std::mem::take(&mut kv[1]), legacy })
        })
        .collect()
}

/// Boxed where it is built: a `From` returned by value was copied twice more on its way
/// into the box.
fn from(args: &mut [Word]) -> Parsed<Box<From>> {
    let mut from =
        Box::new(From { image: Word::default(), platform: None, stage_name: None, stage_name_typed: None, as_keyword: None });
    match args {
        [image] => from.image = std::mem::take(image),
        [image, as_word, name] if as_word.value.eq_ignore_ascii_case("as") => {
            // Stage names are nearly always lowercase already: no copy then.
            let lowered: Text = if changes_when_lowercased(&name.value) { name.value.to_lowercase() } else { name.value.clone() };
            if !valid_stage_name(&lowered) {
                return Err((
                    format!(
                        "invalid name for build stage: {}, name can't start with a number or contain symbols",
                        go_quote(&name.value)
                    ),
                    Some(name.span),
                ));
            }
            from.image = std::mem::take(image);
            from.as_keyword = Some(std::mem::take(as_word));
            from.stage_name = Some(Word { value: lowered, span: name.span });
            from.stage_name_typed = Some(std::mem::take(&mut name.value));
        }
        _ => return fail("FROM requires either one or three arguments"),
    }
    Ok(from)
}

/// `^[a-z][a-z0-9-_.]*$` (on bytes: a non-ASCII character fails it, as it would).
fn valid_stage_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_lowercase)
        && bytes.iter().all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.'))
}

/// Boxed where it is built, as [`from`] is. The sources stay in the node's vector of
/// arguments, which the instruction keeps.
fn copy(node: &mut Node, flags: &mut Flags, label: &str) -> Parsed<Box<Copy>> {
    let dest = node.args.last().expect("checked: at least two");
    if matches!(parse_heredoc(&dest.value), Ok(Some(_))) {
        return Err((format!("{label} cannot accept a heredoc as a destination"), Some(dest.span)));
    }
    let mut sources = std::mem::take(&mut node.args);
    let dest = sources.pop().expect("checked: at least two");
    let mut copy = Box::new(Copy {
        sources: Vec::new(),
        inline: Vec::new(),
        dest,
        from: flags.take("from"),
        chown: flags.take("chown"),
        chmod: flags.take("chmod"),
        link: flags.bool("link").unwrap_or(false),
        parents: flags.bool("parents").unwrap_or(false),
        exclude: flags.take_all("exclude"),
        checksum: flags.take("checksum"),
        keep_git_dir: flags.bool("keep-git-dir"),
        unpack: flags.bool("unpack"),
    });
    // Heredoc sources (`COPY <<EOF /dest`) become inline files.
    sources.retain(|source| match parse_heredoc(&source.value) {
        Ok(Some(doc)) => {
            let mut body = node.heredocs.iter().find(|h| h.name == doc.name).cloned().unwrap_or(doc);
            if body.chomp {
                body.content = chomp(&body.content);
            }
            copy.inline.push(body);
            false
        }
        _ => true,
    });
    copy.sources = sources;
    Ok(copy)
}

/// RUN, CMD and ENTRYPOINT, which keep the node's arguments and heredocs as they are.
fn command_with_line(node: &mut Node, name: Keyword, flags: &mut Flags) -> Parsed<Command> {
    if name == Keyword::Run {
        let flags = check_flags(&mut node.flags, RUN_FLAGS, flags)?;
        return run(node, flags);
    }
    check_flags(&mut node.flags, NO_FLAGS, flags)?;
    let line = command_line(node);
    Ok(if name == Keyword::Cmd { Command::Cmd(line) } else { Command::Entrypoint(line) })
}

fn command_line(node: &mut Node) -> CommandLine {
    CommandLine { args: std::mem::take(&mut node.args), exec_form: node.json, heredocs: std::mem::take(&mut node.heredocs) }
}

fn run(node: &mut Node, flags: &mut Flags) -> Parsed<Command> {
    let mounts = flags.take_all("mount");
    for mount in &mounts {
        super::mount::check_from_is_literal(&mount.value).map_err(|m| (m, Some(mount.span)))?;
    }
    let network = flags.take("network");
    if let Some(n) = network.as_ref().filter(|n| !matches!(n.value.as_str(), "default" | "none" | "host")) {
        return Err((format!("invalid network mode {}", crate::syntax::quote::go_quote(&n.value)), Some(n.span)));
    }
    Ok(Command::Run(Box::new(Run {
        command: command_line(node),
        mounts,
        network,
        security: flags.take("security"),
    })))
}

fn onbuild(node: &Node) -> Parsed<Onbuild> {
    let Some(trigger) = node.onbuild.as_deref() else {
        return fail("ONBUILD requires at least one argument");
    };
    let upper = trigger.keyword.value.trim().to_uppercase();
    match upper.as_str() {
        "ONBUILD" => return fail("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
        "MAINTAINER" | "FROM" => return fail(format!("{upper} isn't allowed as an ONBUILD trigger")),
        _ => {}
    }
    let mut expression = strip_onbuild(&node.original).to_string();
    for doc in &trigger.heredocs {
        expression.push('\n');
        expression.push_str(&doc.content);
        expression.push_str(&doc.name);
    }
    Ok(Onbuild { expression, trigger: Some(Box::new(trigger.clone())) })
}

/// `(?i)^\s*ONBUILD\s*` removed.
fn strip_onbuild(original: &str) -> &str {
    let trimmed = original.trim_start();
    match trimmed.get(..7) {
        Some(word) if word.eq_ignore_ascii_case("onbuild") => trimmed[7..].trim_start(),
        _ => original,
    }
}

fn healthcheck(node: &mut Node, flags: &mut Flags) -> Parsed<Command> {
    let args = &node.args;
    at_least_one(args, "HEALTHCHECK")?;
    let kind = args[0].value.as_str().to_uppercase();
    let rest = &args[1..];
    let mut health = Healthcheck {
        test: vec![kind.clone()],
        interval: 0,
        timeout: 0,
        start_period: 0,
        start_interval: 0,
        retries: 0,
    };
    if kind == "NONE" {
        if !rest.is_empty() {
            return fail("HEALTHCHECK NONE takes no arguments");
        }
        // BuildKit does not look at flags on HEALTHCHECK NONE.
        return Ok(Command::Healthcheck(health));
    }
    let flags = check_flags(&mut node.flags, HEALTHCHECK_FLAGS, flags)?;
    if kind != "CMD" {
        return fail(format!("Unknown type {} in HEALTHCHECK (try CMD)", go_quote(&kind)));
    }
    let command: Vec<String> = if node.json || rest.is_empty() {
        rest.iter().map(|w| w.value.to_string()).collect()
    } else {
        vec![rest.iter().map(|w| w.value.as_str()).collect::<Vec<_>>().join(" ")]
    };
    if command.is_empty() {
        return fail("Missing command after HEALTHCHECK CMD");
    }
    let form = if node.json { "CMD" } else { "CMD-SHELL" };
    health.test = std::iter::once(form.to_string()).chain(command).collect();
    healthcheck_times(&mut health, flags)?;
    Ok(Command::Healthcheck(health))
}

/// The timing flags: Go durations, none below 1ms; retries not negative.
fn healthcheck_times(health: &mut Healthcheck, flags: &mut Flags) -> Parsed<()> {
    for (name, slot) in [
        ("interval", &mut health.interval),
        ("timeout", &mut health.timeout),
        ("start-period", &mut health.start_period),
        ("start-interval", &mut health.start_interval),
    ] {
        let Some(word) = flags.take(name) else { continue };
        let nanos = duration::parse(&word.value).map_err(|m| (m, Some(word.span)))?;
        if nanos != 0 && nanos < 1_000_000 {
            return Err((format!("Interval {} cannot be less than 1ms", go_quote(name)), Some(word.span)));
        }
        *slot = nanos;
    }
    if let Some(word) = flags.take("retries") {
        let retries: i64 = word
            .value
            .parse()
            .ok()
            .filter(|r: &i64| i32::try_from(*r).is_ok())
            .ok_or_else(|| (format!("strconv.ParseInt: parsing {}: invalid syntax", go_quote(&word.value)), Some(word.span)))?;
        if retries < 0 {
            return Err((format!("--retries cannot be negative ({retries})"), Some(word.span)));
        }
        health.retries = retries;
    }
    Ok(())
}

fn volumes(args: &[Word]) -> Parsed<Command> {
    let mut out = Vec::with_capacity(args.len());
    for arg in args {
        let value = arg.value.trim();
        if value.is_empty() {
            return Err(("VOLUME specified can not be an empty string".into(), Some(arg.span)));
        }
        out.push(Word { value: value.into(), span: arg.span });
    }
    Ok(Command::Volume(out))
}

fn arg_decls(args: &mut [Word]) -> Parsed<Vec<ArgDecl>> {
    let mut decls = Vec::with_capacity(args.len());
    for arg in args {
        decls.push(arg_decl(arg)?);
    }
    Ok(decls)
}

fn arg_decl(arg: &mut Word) -> Parsed<ArgDecl> {
    let eq = arg.value.bytes().position(|b| b == b'=');
    match eq.map(|eq| (&arg.value[..eq], &arg.value[eq + 1..])) {
        Some(("", _)) => Err(("ARG names can not be blank".into(), Some(arg.span))),
        Some((name, default)) => {
            let Range { start, end } = arg.span.range();
            let at = start + name.len() + 1;
            Ok(ArgDecl {
                name: Word { value: name.into(), span: Span::new(start, at - 1) },
                default: Some(Word { value: default.into(), span: Span::new(at, end) }),
            })
        }
        None => Ok(ArgDecl { name: std::mem::take(arg), default: None }),
    }
}

fn shell(node: &Node) -> Parsed<Command> {
    if node.args.is_empty() || (!node.json && node.args.iter().all(|w| w.value.is_empty())) {
        return fail("SHELL requires at least one argument");
    }
    if !node.json {
        return fail("SHELL requires the arguments to be in JSON form");
    }
    Ok(Command::Shell(node.args.clone()))
}
