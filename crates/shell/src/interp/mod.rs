//! Running a parsed script against a snapshot: the shell's state (variables, options,
//! functions, working directory, user), its descriptors, and the budgets that keep a
//! hostile script from hanging the page.

mod api;
mod arith;
mod budget;
mod exec;
mod expand;
mod io;
pub mod pattern;
mod redirect;
mod vars;
pub mod access;

use std::collections::BTreeMap;
use std::rc::Rc;

use layerlab_catalog::store::{DataStore, Lookup};
use layerlab_image::fs::Snapshot;

use crate::syntax::ast::Command;
use crate::syntax::{Dialect, Parser};
pub use budget::Limits;
use budget::Budget;
use io::Io;
pub use vars::Value;
use vars::Vars;

/// Why execution left its normal path: the control statements, and the simulator giving up.
#[derive(Debug, Clone, PartialEq)]
pub enum Flow {
    Exit(i32),
    Return(i32),
    Break(usize),
    Continue(usize),
    /// A budget ran out or something cannot be simulated: the step fails with this message.
    Abort(String),
}

/// What a command finishes with: its exit status, or a change of control flow.
pub type Status = Result<i32, Flow>;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    pub errexit: bool,
    pub nounset: bool,
    pub xtrace: bool,
    pub pipefail: bool,
    pub noglob: bool,
}

/// Who the step runs as (the Dockerfile's USER, resolved against /etc/passwd).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub uid: u32,
    pub gid: u32,
    pub name: String,
}

impl Identity {
    pub fn root() -> Identity {
        Identity { uid: 0, gid: 0, name: "root".into() }
    }
}

/// What one RUN step starts with.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub dialect: Dialect,
    /// `/bin/sh`, `/bin/bash`: how the shell names itself in messages.
    pub argv0: String,
    pub script: String,
    /// ENV and ARG values, in order; all exported.
    pub env: Vec<(String, String)>,
    pub workdir: String,
    pub user: Identity,
    /// Seconds since the epoch for new files' mtimes and `date` (never read from a clock).
    pub now: i64,
    pub limits: Limits,
    /// `RUN --network=none` turns this off: then even what the catalogs hold cannot download.
    pub network: bool,
    /// The legacy builder shows a RUN's standard error in red (see `Io::color_stderr`).
    pub color_stderr: bool,
}

/// What a step did: its exit status, what it printed (stdout and stderr interleaved, as
/// the build log shows them), and why it was stopped if a budget ran out.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: i32,
    pub log: String,
    pub aborted: Option<String>,
    /// Modelled time in milliseconds (downloads over a nominal bandwidth, per-file costs).
    pub modelled_ms: u64,
    /// A catalog file (path under `static/data/`) the step needed and the store did not
    /// have: load it and run the step again on the original snapshot.
    pub missing: Option<String>,
}

/// The state a subshell copies and its parent keeps.
#[derive(Debug, Clone)]
struct Scope {
    vars: Vars,
    functions: BTreeMap<String, Rc<Command>>,
    opts: Options,
    positional: Vec<String>,
    cwd: String,
}

pub struct Shell<'fs> {
    pub fs: &'fs mut Snapshot,
    pub dialect: Dialect,
    pub argv0: String,
    scope: Scope,
    pub status: i32,
    pub user: Identity,
    pub now: i64,
    /// Whether the step has a network (see `Invocation::network`).
    pub network: bool,
    /// The line of the command running, for `/bin/sh: LINE: ...` messages.
    line: usize,
    io: Io,
    budget: Budget,
    /// Above zero while running a condition (`if`, `while`, `&&` operands, `!`), where
    /// `set -e` does not apply.
    in_condition: usize,
    /// The exit status of the last command substitution (an assignment-only command's status).
    subst_status: i32,
    /// One frame per running function: the variables `local` saved.
    locals: Vec<Vec<(String, Option<Value>)>>,
    /// Functions, subshells and `eval`s running inside each other.
    depth: usize,
    pub modelled_ms: u64,
    /// Where the running tool was found on PATH (`/opt/venv/bin/pip`): a venv's pip and
    /// python know their venv by it, as the real ones do.
    pub command_path: String,
    /// The package catalogs apt-get, pip and npm install from; `None` runs without them
    /// (their installs then stop with a message saying so).
    catalog: Option<&'fs DataStore>,
    missing: Option<String>,
}

/// Runs one RUN step's script on `fs` and reports what happened, with no package catalog.
pub fn run(fs: &mut Snapshot, invocation: &Invocation) -> Outcome {
    run_inner(fs, invocation, None)
}

/// Runs one RUN step with the package catalogs package managers read.
pub fn run_with_catalog(fs: &mut Snapshot, invocation: &Invocation, catalog: &DataStore) -> Outcome {
    run_inner(fs, invocation, Some(catalog))
}

fn run_inner<'fs>(fs: &'fs mut Snapshot, invocation: &Invocation, catalog: Option<&'fs DataStore>) -> Outcome {
    let mut shell = Shell::new(fs, invocation);
    shell.catalog = catalog;
    let mut parser = Parser::new(&invocation.script, invocation.dialect);
    let mut aborted = None;
    while let Some(parsed) = parser.next_command() {
        let result = match parsed {
            Ok(program) => shell.run_program(&program),
            Err(e) => {
                shell.line = e.line;
                let _ = shell.error(&e.message);
                Err(Flow::Exit(2))
            }
        };
        match result {
            Ok(status) => shell.status = status,
            Err(Flow::Exit(status)) => {
                shell.status = status;
                break;
            }
            Err(Flow::Return(status)) => shell.status = status,
            Err(Flow::Break(_) | Flow::Continue(_)) => {}
            Err(Flow::Abort(message)) => {
                aborted = Some(message);
                shell.status = 1;
                break;
            }
        }
    }
    shell.finish(aborted)
}

impl<'fs> Shell<'fs> {
    fn new(fs: &'fs mut Snapshot, invocation: &Invocation) -> Shell<'fs> {
        let mut vars = Vars::default();
        for (name, value) in &invocation.env {
            vars.set(name, Value::Scalar(value.clone()));
            vars.export(name);
        }
        if vars.get("PATH").is_none() {
            vars.set("PATH", Value::Scalar("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()));
            vars.export("PATH");
        }
        vars.set("IFS", Value::Scalar(" \t\n".into()));
        vars.set("PWD", Value::Scalar(invocation.workdir.clone()));
        vars.export("PWD");
        // Bash names its version, which the image's bash package tells.
        if invocation.dialect == crate::syntax::Dialect::Bash {
            vars.set("BASH_VERSION", Value::Scalar(format!("{}(1)-release", bash_version(fs))));
        }
        // BusyBox ash counts its nesting in SHLVL and exports it; dash does not.
        if invocation.dialect == crate::syntax::Dialect::Ash && vars.get("SHLVL").is_none() {
            vars.set("SHLVL", Value::Scalar("1".into()));
            vars.export("SHLVL");
        }
        let scope = Scope { vars, functions: BTreeMap::new(), opts: Options::default(), positional: Vec::new(), cwd: invocation.workdir.clone() };
        Shell {
            fs,
            dialect: invocation.dialect,
            argv0: invocation.argv0.clone(),
            scope,
            status: 0,
            user: invocation.user.clone(),
            now: invocation.now,
            network: invocation.network,
            line: 1,
            command_path: String::new(),
            io: Io::new(invocation.limits.log_bytes, invocation.color_stderr),
            budget: Budget::new(invocation.limits),
            in_condition: 0,
            subst_status: 0,
            locals: Vec::new(),
            depth: 0,
            modelled_ms: 0,
            catalog: None,
            missing: None,
        }
    }

    fn finish(mut self, aborted: Option<String>) -> Outcome {
        let _ = self.io.close_all(self.fs, self.now);
        let mut log = self.io.take_log();
        if let Some(message) = &aborted {
            log.push_str(message);
            log.push('\n');
        }
        Outcome { status: self.status, log, aborted, modelled_ms: self.modelled_ms, missing: self.missing }
    }

    /// `/bin/sh: 3: MESSAGE` on stderr, as dash words it (bash: `/bin/bash: line 3: ...`;
    /// BusyBox: `/bin/sh: ...`).
    pub fn error(&mut self, message: &str) -> Result<(), Flow> {
        let text = match self.dialect {
            Dialect::Dash => format!("{}: {}: {message}\n", self.argv0, self.line),
            Dialect::Bash => format!("{}: line {}: {message}\n", self.argv0, self.line),
            Dialect::Ash => format!("{}: {message}\n", self.argv0),
        };
        self.write(2, text.as_bytes())
    }

    /// The script line being run (1 for the first), as shells number it in messages.
    pub fn line(&self) -> usize {
        self.line
    }

    pub fn cwd(&self) -> &str {
        &self.scope.cwd
    }

    pub fn set_cwd(&mut self, dir: String) {
        self.scope.vars.set("PWD", Value::Scalar(dir.clone()));
        self.scope.cwd = dir;
    }

    pub fn options(&mut self) -> &mut Options {
        &mut self.scope.opts
    }

    /// Whether the running command is BusyBox's applet (its path leads to `busybox`, as
    /// `/bin/ls` does on Alpine): some print differently from coreutils.
    pub fn command_is_busybox(&self) -> bool {
        self.fs.canonical(&self.command_path, true).is_ok_and(|parts| parts.last().is_some_and(|name| name == "busybox"))
    }

    /// A path as the command gave it, made absolute against the working directory.
    pub fn absolute(&self, path: &str) -> String {
        if path.starts_with('/') {
            path.to_string()
        } else if self.scope.cwd.ends_with('/') {
            format!("{}{path}", self.scope.cwd)
        } else {
            format!("{}/{path}", self.scope.cwd)
        }
    }

    /// `path` made absolute and lexically clean, as `os.path.abspath` and `realpath -s` give
    /// it: `.` dropped, `..` taking away the part before it.
    pub fn absolute_clean(&self, path: &str) -> String {
        let mut parts: Vec<&str> = Vec::new();
        let absolute = self.absolute(path);
        for part in absolute.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                _ => parts.push(part),
            }
        }
        format!("/{}", parts.join("/"))
    }

    /// Runs `f` one level deeper; recursion (`f() { f | f; }`) stops at the budget's depth
    /// instead of exhausting the page's stack.
    pub(crate) fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, Flow>) -> Result<T, Flow> {
        if self.depth >= self.budget.max_depth() {
            return Err(Flow::Abort(format!(
                "layerlab: stopped: functions and subshells nested more than {} deep (the simulator's recursion budget)",
                self.budget.max_depth()
            )));
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    /// Counts one unit of work against the step budget.
    pub fn step(&mut self) -> Result<(), Flow> {
        self.budget.step()
    }

    /// The package catalog, or the step stops: without a store, or (recording which file)
    /// when the store lacks a file the lookup needs.
    pub fn catalog<T: 'fs>(&mut self, lookup: impl FnOnce(&'fs DataStore) -> Result<T, Lookup>) -> Result<T, Flow> {
        let Some(store) = self.catalog else {
            return Err(Flow::Abort("layerlab: the package catalog is not loaded, so this install cannot be simulated".into()));
        };
        match lookup(store) {
            Ok(found) => Ok(found),
            Err(Lookup::Missing(path)) => {
                let message = format!("layerlab: waiting for catalog data ({path})");
                self.missing = Some(path);
                Err(Flow::Abort(message))
            }
            Err(Lookup::Pull(e)) => Err(Flow::Abort(e.buildkit_message())),
        }
    }

    /// Adds modelled time.
    pub fn spend_ms(&mut self, ms: u64) {
        self.modelled_ms = self.modelled_ms.saturating_add(ms);
    }
}

/// The bash release of the image's bash package: `5.2.21-2ubuntu4` → `5.2.21`. Ubuntu
/// jammy's `5.1-6ubuntu1` carries the upstream patches up to 5.1.16.
fn bash_version(fs: &Snapshot) -> String {
    match crate::commands::upstream_version(fs, "bash").as_deref() {
        Some("5.1") => "5.1.16".into(),
        Some(upstream) => upstream.to_string(),
        None => "5.2.15".into(),
    }
}
