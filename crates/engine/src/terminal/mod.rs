//! The docker commands of the course notes, typed as written, against the session: `docker
//! build -t myapp .`, `docker images`, `docker history`, `docker inspect`, `docker tag`,
//! `docker rmi`, `docker run -p 5001:5000 -d myapp`, `docker push user/myapp`. The page's
//! terminal runs these; output is Docker's text, and what is not simulated says `layerlab:`.

mod container;
mod containers;
mod run;
/// `docker run ARGS` (the words after `run`), for the CLI as for the terminal.
pub use containers::Container;
pub use run::run as run_container;
mod save;

use std::collections::BTreeMap;

use layerlab_catalog::store::DataStore;
use sha2::{Digest, Sha256};

use crate::commands::{self, HistoryOptions};
use crate::console;
use crate::context::BuildContext;
use crate::request::{BuildRequest, Builder};
use crate::build_flags::FlagError;
use crate::session::Session;
use crate::store::{familiar, normalise};

/// What a command printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub text: String,
    pub exit: i32,
    /// A data file the command waits for: load it and run the same line again.
    pub missing_data: Option<String>,
    /// A file the command wrote (`docker save -o`): the page offers it as a download.
    pub download: Option<Download>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Download {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Output {
    pub(crate) fn ok(text: String) -> Output {
        Output { text, ..Output::default() }
    }

    pub(crate) fn fail(text: String) -> Output {
        Output { text: ensure_newline(text), exit: 1, ..Output::default() }
    }
}

fn ensure_newline(mut text: String) -> String {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// The commands `help` lists and tab completion offers.
pub const COMMANDS: &[&str] = &["build", "history", "image", "images", "inspect", "logs", "ps", "push", "rmi", "run", "save", "stop", "tag"];

/// Runs one terminal line. `context` is the workspace (`.`); `now` the clock.
pub fn run(line: &str, session: &mut Session, data: &DataStore, context: &BuildContext, now: i64) -> Output {
    let words = match split_words(line) {
        Ok(words) => words,
        Err(e) => return Output::fail(e),
    };
    let (env, words): (Vec<&String>, Vec<&String>) = {
        let split = words.iter().position(|w| !is_assignment(w)).unwrap_or(words.len());
        (words[..split].iter().collect(), words[split..].iter().collect())
    };
    let words: Vec<String> = words.into_iter().cloned().collect();
    let classic = env.iter().any(|w| *w == "DOCKER_BUILDKIT=0");
    match words.first().map(String::as_str) {
        None => Output::default(),
        Some("docker") => docker(&words[1..], classic, session, data, context, now),
        Some("help") => Output::ok(help()),
        Some("ls") => Output::ok(context.files.keys().map(|p| format!("{p}\n")).collect()),
        Some(other) => Output { text: format!("{other}: command not found (this terminal runs docker commands; try `help`)\n"), exit: 127, ..Output::default() },
    }
}

fn help() -> String {
    "Docker commands run against this page's simulated daemon, with the workspace as `.`:\n  \
     docker build -t myapp .        docker images           docker history myapp\n  \
     docker inspect myapp           docker tag myapp me/app docker rmi myapp\n  \
     docker run -p 5001:5000 -d myapp   docker ps   docker logs NAME   docker stop NAME\n  \
     docker push me/myapp\n  \
     docker save -o myapp.tar myapp (downloads the image archive)\n\
     DOCKER_BUILDKIT=0 docker build . uses the classic builder. Tab completes, arrows recall.\n"
        .into()
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(k, _)| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

fn docker(args: &[String], classic: bool, session: &mut Session, data: &DataStore, context: &BuildContext, now: i64) -> Output {
    let Some(command) = args.first() else { return Output::ok(help()) };
    let rest = &args[1..];
    match (command.as_str(), rest.first().map(String::as_str)) {
        ("image", Some("ls")) | ("images", _) => Output::ok(commands::images(&session.store, now)),
        ("image", Some("history")) => history(&rest[1..], session, now),
        ("image", Some("inspect")) => inspect(&rest[1..], session),
        ("image", Some("rm")) => rmi(&rest[1..], session),
        ("image", Some("prune")) => prune(session),
        ("image", Some("tag")) => tag(&rest[1..], session),
        ("image", Some("build")) => build(&rest[1..], classic, session, data, context, now),
        ("image", Some("push")) => push(&rest[1..], session),
        ("image", Some("save")) => save::save(&rest[1..], session),
        ("build" | "buildx", _) => build(strip_buildx(command, rest), classic, session, data, context, now),
        ("history", _) => history(rest, session, now),
        ("inspect", _) => inspect(rest, session),
        ("tag", _) => tag(rest, session),
        ("rmi", _) => rmi(rest, session),
        ("run", _) | ("container", Some("run")) => run::run(strip_container(command, rest), session, now),
        ("ps", _) | ("container", Some("ls" | "ps")) => containers::ps(strip_container(command, rest), session, now),
        ("logs", _) | ("container", Some("logs")) => containers::logs(strip_container(command, rest), session),
        ("stop", _) | ("container", Some("stop")) => containers::stop(strip_container(command, rest), session, now),
        ("push", _) => push(rest, session),
        ("save", _) => save::save(rest, session),
        _ => Output::fail(format!("docker: unknown command: docker {command}\n\nRun 'docker --help' for more information")),
    }
}

fn strip_buildx<'a>(command: &str, rest: &'a [String]) -> &'a [String] {
    match (command, rest.first().map(String::as_str)) {
        ("buildx", Some("build")) => &rest[1..],
        _ => rest,
    }
}

fn strip_container<'a>(command: &str, rest: &'a [String]) -> &'a [String] {
    if command == "container" {
        &rest[1..]
    } else {
        rest
    }
}

/// `--flag value` or `--flag=value` at `args[*i]`, under any of `names` (the CLI parses
/// its flags with it too).
const EXACTLY_ONE: &str = "ERROR: \"docker buildx build\" requires exactly 1 argument.\nSee 'docker buildx build --help'.";

pub fn flag(args: &[String], i: &mut usize, names: &[&str]) -> Option<Result<String, String>> {
    let arg = &args[*i];
    for name in names {
        if let Some(v) = arg.strip_prefix(&format!("{name}=")) {
            return Some(Ok(v.to_string()));
        }
        if arg == name {
            *i += 1;
            return Some(args.get(*i).cloned().ok_or_else(|| format!("flag needs an argument: {name}")));
        }
    }
    None
}

fn build(args: &[String], classic: bool, session: &mut Session, data: &DataStore, context: &BuildContext, now: i64) -> Output {
    let mut req = BuildRequest::new("", context.clone());
    req.builder = if classic { Builder::Classic } else { Builder::BuildKit };
    let flags = match crate::build_flags::parse(args, |_, _| None) {
        Ok(flags) => flags,
        Err(FlagError::Unknown(flag)) => return Output::fail(format!("ERROR: unknown flag: {flag}\nSee 'docker build --help'.")),
        Err(FlagError::Value(message)) => return Output::fail(format!("ERROR: {message}")),
        Err(FlagError::ExtraArgument) => return Output::fail(EXACTLY_ONE.into()),
    };
    req.tags = flags.tags;
    req.target = flags.target;
    req.no_cache = flags.no_cache;
    req.allow = flags.allow;
    req.network = flags.network;
    // The page has no environment: `--build-arg K` alone finds no value.
    req.build_args.extend(flags.build_args.into_iter().map(|(k, v)| (k, v.unwrap_or_default())));
    let (file, path) = (flags.file, flags.context);
    let Some(path) = path else { return Output::fail(EXACTLY_ONE.into()) };
    if !matches!(path.as_str(), "." | "./") {
        return Output::fail(format!("ERROR: unable to prepare context: path \"{path}\" not found (layerlab: the workspace is the only context, `.`)"));
    }
    let name = file.map_or("Dockerfile".to_string(), |f| layerlab_dockerfile::path::clean(&f));
    let Some(dockerfile) = context.files.get(&name) else {
        return Output::fail(format!("ERROR: failed to solve: failed to read dockerfile: open {name}: no such file or directory"));
    };
    req.dockerfile = String::from_utf8_lossy(&dockerfile.bytes).into_owned();
    req.dockerfile_name = name.rsplit('/').next().unwrap_or(&name).to_string();
    let report = session.build(&req, data, now);
    if let Some(path) = report.missing_data {
        return Output { missing_data: Some(path), ..Output::default() };
    }
    let text = console::render(&report, &req.dockerfile, &req.dockerfile_name);
    Output { exit: i32::from(report.error.is_some()), text, ..Output::default() }
}

pub(crate) fn one_name<'a>(args: &'a [String], usage: &str) -> Result<&'a String, Output> {
    match args.iter().filter(|a| !a.starts_with('-')).collect::<Vec<_>>().as_slice() {
        [name] => Ok(name),
        _ => Err(Output::fail(format!("\"docker {usage}\" requires exactly 1 argument.\nSee 'docker {usage} --help'."))),
    }
}

fn history(args: &[String], session: &Session, now: i64) -> Output {
    let mut options = HistoryOptions::default();
    let mut names = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if let Some(v) = flag(args, &mut i, &["--format"]) {
            options.format = v.ok();
        } else if args[i] == "--no-trunc" {
            options.no_trunc = true;
        } else if let Some(v) = args[i].strip_prefix("--human=").or_else(|| args[i].strip_prefix("-H=")) {
            options.human = v != "false";
        } else {
            names.push(args[i].clone());
        }
        i += 1;
    }
    let name = match one_name(&names, "history") {
        Ok(name) => name,
        Err(e) => return e,
    };
    match commands::history(&session.store, name, &options, now) {
        Ok(text) => Output::ok(text),
        Err(e) => Output::fail(e),
    }
}

fn inspect(args: &[String], session: &Session) -> Output {
    let name = match one_name(args, "inspect") {
        Ok(name) => name,
        Err(e) => return e,
    };
    match commands::inspect(&session.store, name) {
        Ok(text) => Output::ok(text),
        // `docker inspect` prints an empty array, then the error.
        Err(_) => Output::fail(format!("[]\nError: No such object: {name}")),
    }
}

fn tag(args: &[String], session: &mut Session) -> Output {
    match args {
        [source, target] => match session.tag(source, target) {
            Ok(()) => Output::ok(String::new()),
            Err(e) => Output::fail(e),
        },
        _ => Output::fail("\"docker tag\" requires exactly 2 arguments.\nSee 'docker tag --help'.".into()),
    }
}

fn rmi(args: &[String], session: &mut Session) -> Output {
    if args.is_empty() {
        return Output::fail("\"docker rmi\" requires at least 1 argument.\nSee 'docker rmi --help'.".into());
    }
    let mut out = Output::ok(String::new());
    for name in args.iter().filter(|a| !a.starts_with('-')) {
        match session.store.remove(name) {
            Ok(lines) => lines.iter().for_each(|l| out.text.push_str(&format!("{l}\n"))),
            Err(e) => {
                out.text.push_str(&ensure_newline(e));
                out.exit = 1;
            }
        }
    }
    out
}

fn prune(session: &mut Session) -> Output {
    let removed = session.store.prune_dangling();
    let mut text = String::new();
    if !removed.is_empty() {
        text.push_str("Deleted Images:\n");
        removed.iter().for_each(|id| text.push_str(&format!("deleted: {id}\n")));
        text.push('\n');
    }
    text.push_str("Total reclaimed space: 0B\n");
    Output::ok(text)
}

/// `docker push`: the layers Docker would push, then what Docker Hub answers a client that
/// has not logged in (the page has no registry and no credentials).
pub fn push(args: &[String], session: &Session) -> Output {
    let name = match one_name(args, "push") {
        Ok(name) => name,
        Err(e) => return e,
    };
    let Ok(full) = normalise(name) else {
        return Output::fail(format!("invalid reference format: repository name ({name}) must be lowercase"));
    };
    let mut text = String::new();
    if !name.contains(':') {
        text.push_str("Using default tag: latest\n");
    }
    let Some(image) = session.store.lookup(&full) else {
        let (repo, tag) = familiar(&full);
        return Output::fail(format!("{text}An image does not exist locally with the tag: {}", if tag == "latest" && !name.contains(':') { repo } else { format!("{repo}:{tag}") }));
    };
    let repository = full.rsplit_once(':').map_or(full.as_str(), |(r, _)| r);
    text.push_str(&format!("The push refers to repository [{repository}]\n"));
    for diff_id in image.config.rootfs.diff_ids.iter().rev() {
        text.push_str(&format!("{}: Preparing\n", &diff_id.trim_start_matches("sha256:")[..12]));
    }
    text.push_str("denied: requested access to the resource is denied\n");
    text.push_str("layerlab: this page has no registry and you are not logged in, so Docker Hub refuses the push as it refuses any client without `docker login`.\n");
    Output { text, exit: 1, ..Output::default() }
}

/// A deterministic 64-hex ID for a container (Docker's are random).
pub fn container_id(seed: &str) -> String {
    let digest = Sha256::digest(seed.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Splits a command line into words: whitespace separates, single and double quotes group,
/// a backslash escapes the next character outside single quotes.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => words.extend(word.take()),
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err("unterminated quoted string".into()),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => w.extend(chars.next()),
                        Some(c) => w.push(c),
                        None => return Err("unterminated quoted string".into()),
                    }
                }
            }
            '\\' => word.get_or_insert_with(String::new).extend(chars.next()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Ok(words)
}

/// Tab completion: the words that can finish the last word of `line`.
pub fn complete(line: &str, session: &Session) -> Vec<String> {
    let words = split_words(line).unwrap_or_default();
    let ends_in_space = line.ends_with(' ');
    let (done, partial) = match (ends_in_space, words.split_last()) {
        (true, _) | (_, None) => (words.as_slice(), ""),
        (false, Some((last, before))) => (before, last.as_str()),
    };
    let candidates: Vec<String> = match done {
        [] => vec!["docker".into(), "help".into(), "ls".into()],
        [docker] if docker == "docker" => COMMANDS.iter().map(|c| c.to_string()).collect(),
        [docker, command, ..] if docker == "docker" && command != "build" => image_names(session),
        _ => Vec::new(),
    };
    let mut found: Vec<String> = candidates.into_iter().filter(|c| c.starts_with(partial)).collect();
    found.sort();
    found.dedup();
    found
}

fn image_names(session: &Session) -> Vec<String> {
    let mut names = BTreeMap::new();
    for (repo, tag, _) in session.store.listing() {
        if repo != "<none>" {
            names.insert(if tag == "latest" { repo.clone() } else { format!("{repo}:{tag}") }, ());
        }
    }
    names.into_keys().collect()
}
