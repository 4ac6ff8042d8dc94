//! Layerlab's teaching rules: what Dockerfile courses warn about, in our own
//! words. A teaching rule stays quiet where a BuildKit rule already reported
//! the same text.

use super::cmdline::{Script, SimpleCommand};
use super::rules::*;
use super::scope::StageNames;
use super::{CheckOptions, Sink};
use crate::case::changes_when_lowercased;
use crate::instructions::{suggest, Command, CommandLine, Dockerfile, Instruction, Stage};
use crate::reference::ImageRef;
use crate::syntax::Span;
use std::borrow::Cow;

pub(super) fn run(file: &Dockerfile, _options: &CheckOptions, names: &StageNames, sink: &mut Sink) {
    for stage in &file.stages {
        base_image(names, stage, sink);
        let mut state = StageRules::default();
        for i in &stage.instructions {
            state.instruction(file, names, stage, i, sink);
        }
    }
    if let Some(last) = file.stages.last() {
        last_user(last, sink);
    }
}

fn add(sink: &mut Sink, rule: &'static Rule, message: String, i: &Instruction, span: Span) {
    sink.add(rule, message, (i.start_line, i.end_line), span);
}

fn base_image(names: &StageNames, stage: &Stage, sink: &mut Sink) {
    let image = &stage.base().image.value;
    let is_stage = names.earlier_base(image, stage.index).is_some();
    if is_stage || image == "scratch" || image.contains('$') {
        return;
    }
    let Some(pinning) = ImageRef::tag_and_digest(image) else { return };
    // Messages found on every keystroke are joined from their pieces: `format!` cost
    // more than the rule.
    let message = match pinning {
        (None, None) => ["'", image, "' has no tag, so it means '", image, ":latest', which changes over time"].concat(),
        (Some("latest"), None) => ["'", image, "' follows the moving 'latest' tag"].concat(),
        _ => return,
    };
    sink.add(&UNPINNED_BASE_IMAGE, message, (stage.from.start_line, stage.from.end_line), stage.base().image.span);
}

fn last_user(stage: &Stage, sink: &mut Sink) {
    let last = stage.instructions.iter().rev().find(|i| matches!(i.command, Command::User(_)));
    let Some(i) = last else { return };
    let Command::User(user) = &i.command else { return };
    let name = user.value.split(':').next().unwrap_or("");
    if name == "root" || name == "0" {
        add(sink, &LAST_USER_ROOT, format!("the final stage ends with USER {}", user.value), i, user.span);
    }
}

#[derive(Default)]
struct StageRules {
    pipefail_shell: bool,
    pip_no_cache_env: bool,
    copy_all: Option<(usize, usize, Span)>,
    cmd_seen: [Option<(usize, usize, Span)>; 2],
}

impl StageRules {
    fn instruction(&mut self, file: &Dockerfile, names: &StageNames, stage: &Stage, i: &Instruction, sink: &mut Sink) {
        match &i.command {
            Command::Run(run) => self.run(&run.command, i, sink),
            Command::Shell(words) => self.pipefail_shell = words.iter().any(|w| w.value.contains("pipefail")),
            Command::Env(pairs) => {
                self.pip_no_cache_env |= pairs.iter().any(|p| p.key.value == "PIP_NO_CACHE_DIR");
            }
            Command::Workdir(path) => {
                let relative = !path.value.starts_with('/') && !path.value.starts_with('$');
                if relative && !sink.has(&WORKDIR_RELATIVE_PATH, path.span) {
                    let message = format!("WORKDIR {} is relative to the previous WORKDIR", path.value);
                    add(sink, &RELATIVE_WORKDIR, message, i, path.span);
                }
            }
            Command::Cmd(line) | Command::Entrypoint(line) => self.cmd(i, line, sink),
            Command::Add(copy) => {
                let local = copy.sources.iter().all(|s| !is_remote_or_archive(&s.value));
                if local && !copy.sources.is_empty() {
                    add(sink, &ADD_INSTEAD_OF_COPY, "ADD copies only local files here: use COPY".into(), i, i.span);
                }
            }
            Command::Copy(copy) => {
                if let Some(from) = &copy.from {
                    copy_from(file, names, stage, i, &from.value, from.span, sink);
                } else if copy.sources.iter().any(|s| matches!(s.value.as_str(), "." | "./")) {
                    self.copy_all = Some((i.start_line, i.end_line, i.span));
                }
            }
            _ => {}
        }
    }

    fn cmd(&mut self, i: &Instruction, line: &CommandLine, sink: &mut Sink) {
        if !line.exec_form && !sink.has(&JSON_ARGS_RECOMMENDED, i.span) {
            add(sink, &SHELL_FORM_CMD, format!("{} runs under /bin/sh -c", i.keyword.value), i, i.span);
        }
        let slot = usize::from(matches!(i.command, Command::Entrypoint(_)));
        if let Some((start, end, span)) = self.cmd_seen[slot] {
            if !sink.has(&MULTIPLE_INSTRUCTIONS_DISALLOWED, span) {
                let message = format!("this {} is replaced by a later one", i.keyword.value);
                sink.add(&SEVERAL_CMD, message, (start, end), span);
            }
        }
        self.cmd_seen[slot] = Some((i.start_line, i.end_line, i.span));
    }

    fn run(&mut self, line: &CommandLine, i: &Instruction, sink: &mut Sink) {
        if line.exec_form {
            return;
        }
        let text = script(line);
        let tools = Tools::mentioned_in(&text);
        // Without a package tool, a pipe or a COPY . waiting for an install, only the
        // first word matters (`cd`): long build scripts are not read to their end.
        // A vector search: `str::contains` scans long scripts a word at a time.
        let pipes = crate::scan::find_byte(b'|', text.as_bytes()).is_some();
        let whole = tools.apt || tools.apk || tools.pip || pipes || self.copy_all.is_some();
        if !whole {
            return cd_first(Script::first_word(&text).as_deref(), i, sink);
        }
        let script = Script::read(&text);
        let cmds = script.commands();
        if tools.apt {
            apt_rules(&cmds, &text, i, sink);
        }
        if let Some(c) = cmds.iter().filter(|_| tools.apk).find(|c| c.is("apk", "add")) {
            if !c.has_word(&["--no-cache"]) {
                add(sink, &APK_NO_CACHE, "apk add keeps its index in /var/cache/apk".into(), i, i.span);
            }
        }
        if let Some(c) = cmds.iter().filter(|_| tools.pip).find(|c| pip_install(c).is_some()) {
            if !c.has_word(&["--no-cache-dir"]) && !self.pip_no_cache_env {
                add(sink, &PIP_NO_CACHE_DIR, "pip install keeps its download cache in the layer".into(), i, i.span);
            }
        }
        unpinned(&cmds, tools, i, sink);
        cd_first(cmds.first().and_then(|c| c.words.first()).map(|w| w.as_ref()), i, sink);
        let piped = cmds.iter().any(|c| c.piped);
        if piped && !self.pipefail_shell && !text.contains("pipefail") {
            add(sink, &PIPE_WITHOUT_PIPEFAIL, "a failure before the last | goes unnoticed".into(), i, i.span);
        }
        if let Some((start, end, span)) = self.copy_all.filter(|_| cmds.iter().any(installs_dependencies)) {
            let message = "COPY . comes before this dependency install, so every source edit reruns it".to_string();
            sink.add(&COPY_ALL_BEFORE_INSTALL, message, (start, end), span);
            self.copy_all = None;
        }
    }
}

/// `cd` as the first command is the habit WORKDIR replaces; a `cd` deep inside a long
/// build script is normal shell.
fn cd_first(first_word: Option<&str>, i: &Instruction, sink: &mut Sink) {
    if first_word == Some("cd") {
        add(sink, &CD_INSTEAD_OF_WORKDIR, "cd lasts only until the end of this RUN: use WORKDIR".into(), i, i.span);
    }
}

/// Which package tools a script names at all: found in one pass over the text (see
/// [`Tools::mentioned_in`]), which spares testing every command of a long script for them.
#[derive(Clone, Copy)]
struct Tools {
    /// `apt` or `apt-get`.
    apt: bool,
    apk: bool,
    /// `pip`, `pip3`, `python -m pip`.
    pip: bool,
}

impl Tools {
    /// One vector search for the `p` all three names have, each `p` checked for the
    /// letters around it: three substring searches cost more, most scripts being short.
    fn mentioned_in(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut tools = Tools { apt: false, apk: false, pip: false };
        for i in crate::scan::positions(b'p', bytes) {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + 1).copied();
            tools.apt |= before == Some(b'a') && after == Some(b't');
            tools.apk |= before == Some(b'a') && after == Some(b'k');
            tools.pip |= after == Some(b'i') && bytes.get(i + 2) == Some(&b'p');
            if tools.apt && tools.apk && tools.pip {
                break;
            }
        }
        tools
    }
}

/// The shell text a RUN runs: its line, then its heredoc bodies.
fn script(line: &CommandLine) -> Cow<'_, str> {
    match (line.args.as_slice(), line.heredocs.is_empty()) {
        ([only], true) => Cow::Borrowed(&only.value),
        _ => {
            let mut text = line.text();
            for doc in &line.heredocs {
                text.push('\n');
                text.push_str(&doc.content);
            }
            Cow::Owned(text)
        }
    }
}

fn is_apt(c: &SimpleCommand, sub: &str) -> bool {
    c.is("apt-get", sub) || c.is("apt", sub)
}

fn apt_rules(cmds: &[SimpleCommand], text: &str, i: &Instruction, sink: &mut Sink) {
    let update = |c: &SimpleCommand| is_apt(c, "update");
    if cmds.iter().any(update) {
        if cmds.iter().all(update) {
            add(sink, &APT_UPDATE_ALONE, "apt-get update in its own RUN is cached separately from the install".into(), i, i.span);
        } else if !text.contains("/var/lib/apt/lists") {
            add(sink, &APT_LISTS_NOT_REMOVED, "this RUN leaves /var/lib/apt/lists in the layer".into(), i, i.span);
        }
    }
    for c in cmds.iter().filter(|c| is_apt(c, "install")) {
        if !c.has_word(&["--no-install-recommends"]) && !c.words.iter().any(|w| w.contains("Install-Recommends")) {
            add(sink, &APT_NO_INSTALL_RECOMMENDS, "apt-get install also pulls in recommended packages".into(), i, i.span);
        }
        let yes = c.words.iter().any(|w| {
            matches!(w.as_ref(), "--yes" | "--assume-yes") || (w.starts_with('-') && !w.starts_with("--") && w.contains('y'))
        });
        if !yes {
            add(sink, &APT_INSTALL_WITHOUT_YES, "apt-get install will stop at its confirmation prompt".into(), i, i.span);
        }
    }
}

/// The words after `install` of `pip install`, `pip3 install`, `python -m pip install`.
fn pip_install<'c>(c: &'c SimpleCommand) -> Option<&'c [Cow<'c, str>]> {
    let words = &c.words;
    let start = words.iter().position(|w| w == "pip" || w == "pip3" || w.starts_with("pip3."))?;
    let by_module = start >= 2 && words[start - 1] == "-m";
    let direct = start == 0 || words[..start].iter().all(|w| w.contains('='));
    if !(direct || by_module) {
        return None;
    }
    let rest = &words[start + 1..];
    let install = rest.iter().position(|w| w == "install")?;
    Some(&rest[install + 1..])
}

/// The words that name packages, and how a pinned one looks.
type PackageWords<'c> = (&'c [Cow<'c, str>], fn(&str) -> bool);

fn unpinned(cmds: &[SimpleCommand], tools: Tools, i: &Instruction, sink: &mut Sink) {
    if !(tools.apt || tools.apk || tools.pip) {
        return;
    }
    let mut loose: Vec<&str> = Vec::new();
    for c in cmds {
        let (args, pinned): PackageWords = if (tools.apt && is_apt(c, "install")) || (tools.apk && c.is("apk", "add")) {
            let from = c.words.iter().position(|w| w == "install" || w == "add").map_or(0, |p| p + 1);
            (&c.words[from..], |w| w.contains('='))
        } else if let Some(args) = tools.pip.then(|| pip_install(c)).flatten() {
            (args, |w| ["==", ">=", "<=", "~=", "@"].iter().any(|op| w.contains(op)))
        } else {
            continue;
        };
        let mut skip_next = false;
        for w in args {
            if std::mem::take(&mut skip_next) {
                continue;
            }
            if matches!(w.as_ref(), "-r" | "--requirement" | "-c" | "--constraint" | "-t" | "--target" | "-e") {
                skip_next = true;
                continue;
            }
            let is_path = w.starts_with('.') || w.contains('/') || w.starts_with('$');
            if !w.starts_with('-') && !is_path && !pinned(w) && !loose.contains(&w.as_ref()) {
                loose.push(w);
            }
        }
    }
    if !loose.is_empty() {
        let message = ["installed without a version: ", &loose.join(", ")].concat();
        add(sink, &UNPINNED_PACKAGES, message, i, i.span);
    }
}

/// Tools and subcommands that install a project's dependencies.
const DEPENDENCY_INSTALLS: [(&str, &str); 7] = [
    ("npm", "install"),
    ("npm", "ci"),
    ("yarn", "install"),
    ("pnpm", "install"),
    ("bundle", "install"),
    ("composer", "install"),
    ("poetry", "install"),
];

fn installs_dependencies(c: &SimpleCommand) -> bool {
    pip_install(c).is_some()
        || DEPENDENCY_INSTALLS.iter().any(|(tool, sub)| c.is(tool, sub))
        || c.words.len() == 1 && c.words[0] == "yarn"
        || go_mod_download(c)
}

/// `go mod download`: the one three-word pattern.
fn go_mod_download(c: &SimpleCommand) -> bool {
    matches!(c.program(), [go, m, d, ..] if go == "go" && m == "mod" && d == "download")
}

fn is_remote_or_archive(source: &str) -> bool {
    let lower = source.to_lowercase();
    let remote = ["http://", "https://", "git@", "git://"].iter().any(|p| lower.starts_with(p));
    let archive = [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".gz", ".bz2", ".xz"]
        .iter()
        .any(|ext| lower.ends_with(ext));
    remote || archive || source.contains('$') || source.contains('*')
}

/// COPY --from naming a stage that comes later, or a near-miss of one.
fn copy_from(file: &Dockerfile, names: &StageNames, stage: &Stage, i: &Instruction, from: &str, span: Span, sink: &mut Sink) {
    if let Ok(n) = from.parse::<usize>() {
        if n >= stage.index {
            let message = format!("--from={n} names stage {n}, but only stages 0 to {} come before this line", stage.index.saturating_sub(1));
            add(sink, &COPY_FROM_UNKNOWN_STAGE, message, i, span);
        }
        return;
    }
    // Stage names are stored lowercased; most references already are.
    let lower = if changes_when_lowercased(from) { Cow::Owned(from.to_lowercase()) } else { Cow::Borrowed(from) };
    if names.earlier(&lower, stage.index).is_some() || from.bytes().any(|b| matches!(b, b'$' | b':' | b'/' | b'@')) {
        return;
    }
    let earlier: Vec<&str> = file.stages[..stage.index].iter().filter_map(|s| s.name()).collect();
    let message = if file.stages[stage.index..].iter().any(|s| s.name() == Some(&*lower)) {
        format!("stage '{from}' is defined after this line; stages can only copy from earlier ones")
    } else if let Some(near) = suggest::closest(&lower, &earlier, true) {
        format!("no stage is called '{from}' (did you mean {near}?), so Docker will try to pull an image of that name")
    } else {
        return;
    };
    add(sink, &COPY_FROM_UNKNOWN_STAGE, message, i, span);
}
