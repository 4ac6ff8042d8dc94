//! Executing the tree: lists, pipelines (each part in a subshell, run one after the other
//! with the previous output as input), compound commands, simple commands and lookup.

use std::rc::Rc;

use layerlab_image::fs::{Content, Node};

use super::io::{Input, Sink};
use super::redirect::Failed;
use super::{Flow, Shell, Status, Value};
use crate::commands;
use crate::syntax::ast::{AndOr, AssignValue, CaseArm, Command, Compound, Connector, Pipeline, Program, Simple, Word};
use crate::syntax::Dialect;

/// Where a command name leads.
pub(super) enum Found {
    Path(String),
    Missing,
    NotExecutable,
}

impl Shell<'_> {
    pub(super) fn run_program(&mut self, program: &Program) -> Status {
        let mut status = 0;
        for item in &program.items {
            status = self.run_and_or(item)?;
        }
        Ok(status)
    }

    fn run_and_or(&mut self, list: &AndOr) -> Status {
        let mut status = self.run_pipeline(&list.first, !list.rest.is_empty())?;
        for (i, (connector, pipeline)) in list.rest.iter().enumerate() {
            let runs = match connector {
                Connector::And => status == 0,
                Connector::Or => status != 0,
            };
            if runs {
                status = self.run_pipeline(pipeline, i + 1 < list.rest.len())?;
            }
        }
        Ok(status)
    }

    /// `guarded`: not the last of an and-or list, so `set -e` ignores its failure.
    fn run_pipeline(&mut self, pipeline: &Pipeline, guarded: bool) -> Status {
        let exempt = guarded || pipeline.negated;
        self.in_condition += usize::from(exempt);
        let status = match pipeline.commands.as_slice() {
            [one] => self.run_command(one),
            many => self.run_pipe(many),
        };
        self.in_condition -= usize::from(exempt);
        let status = status?;
        let status = if pipeline.negated { i32::from(status == 0) } else { status };
        self.status = status;
        if status != 0 && self.scope.opts.errexit && self.in_condition == 0 && !exempt {
            return Err(Flow::Exit(status));
        }
        Ok(status)
    }

    fn run_pipe(&mut self, commands: &[Command]) -> Status {
        let mut input: Option<Input> = None;
        let mut statuses = Vec::with_capacity(commands.len());
        for (i, command) in commands.iter().enumerate() {
            let last = i + 1 == commands.len();
            let saved = self.save_fds();
            if let Some(input) = input.take() {
                self.io.stdin = Some(input);
            }
            if !last {
                let buffer = self.io.push_buffer();
                self.io.fds.insert(1, Sink::Buffer(buffer));
            }
            let status = self.subshell(|sh| sh.run_command(command));
            self.restore_fds(saved)?;
            if !last {
                input = Some(Input::new(self.io.pop_buffer()));
            }
            statuses.push(status?);
        }
        let last = statuses.last().copied().unwrap_or(0);
        if self.scope.opts.pipefail {
            return Ok(statuses.iter().rev().find(|s| **s != 0).copied().unwrap_or(0));
        }
        Ok(last)
    }

    /// Runs `f` with a copy of the shell's state, which is then put back; `exit` inside
    /// ends only the subshell.
    pub(super) fn subshell(&mut self, f: impl FnOnce(&mut Self) -> Status) -> Status {
        let saved = self.scope.clone();
        let result = self.nested(f);
        self.scope = saved;
        match result {
            Ok(status) | Err(Flow::Exit(status) | Flow::Return(status)) => Ok(status),
            Err(Flow::Break(_) | Flow::Continue(_)) => Ok(0),
            Err(abort @ Flow::Abort(_)) => Err(abort),
        }
    }

    fn run_command(&mut self, command: &Command) -> Status {
        match command {
            Command::Simple(simple) => self.run_simple(simple),
            Command::Compound { body, redirects } => {
                let saved = self.save_fds();
                if let Err(Failed(status)) = self.apply_redirects(redirects)? {
                    self.restore_fds(saved)?;
                    return Ok(status);
                }
                let result = self.run_compound(body);
                self.restore_fds(saved)?;
                result
            }
            Command::Function { name, body } => {
                self.scope.functions.insert(name.clone(), Rc::clone(body));
                Ok(0)
            }
        }
    }

    /// A condition (`if`, `while`): `set -e` does not apply inside it.
    fn condition(&mut self, program: &Program) -> Status {
        self.in_condition += 1;
        let result = self.run_program(program);
        self.in_condition -= 1;
        result
    }

    fn run_compound(&mut self, compound: &Compound) -> Status {
        match compound {
            Compound::Group(body) => self.run_program(body),
            Compound::Subshell(body) => self.subshell(|sh| sh.run_program(body)),
            Compound::If { branches, otherwise } => {
                for (cond, body) in branches {
                    if self.condition(cond)? == 0 {
                        return self.run_program(body);
                    }
                }
                otherwise.as_ref().map_or(Ok(0), |body| self.run_program(body))
            }
            Compound::Loop { until, cond, body } => self.run_loop(*until, cond, body),
            Compound::For { var, words, body } => {
                let items = match words {
                    Some(words) => self.expand_fields(words)?,
                    None => self.scope.positional.clone(),
                };
                let mut status = 0;
                for item in items {
                    self.step()?;
                    if !self.assign(var, &item) {
                        return self.readonly_error(var);
                    }
                    match self.loop_body(body)? {
                        LoopStep::Next(s) => status = s,
                        LoopStep::Stop(s) => return Ok(s),
                    }
                }
                Ok(status)
            }
            Compound::Case { word, arms } => self.run_case(word, arms),
            Compound::Test { line, words } => {
                self.line = *line;
                self.step()?;
                let mut args = Vec::with_capacity(words.len());
                for word in words {
                    args.push(self.expand_pattern_or_string(word, args.last().map(String::as_str))?);
                }
                commands::test::double_bracket(self, &args)
            }
        }
    }

    /// In `[[ a == pattern ]]` the right side of `==`/`!=` is a pattern; elsewhere, text.
    fn expand_pattern_or_string(&mut self, word: &Word, previous: Option<&str>) -> Result<String, Flow> {
        if matches!(previous, Some("==" | "!=" | "=")) {
            self.expand_pattern(word)
        } else {
            self.expand_string(word)
        }
    }

    fn run_loop(&mut self, until: bool, cond: &Program, body: &Program) -> Status {
        let mut status = 0;
        loop {
            self.step()?;
            if (self.condition(cond)? == 0) == until {
                return Ok(status);
            }
            match self.loop_body(body)? {
                LoopStep::Next(s) => status = s,
                LoopStep::Stop(s) => return Ok(s),
            }
        }
    }

    fn loop_body(&mut self, body: &Program) -> Result<LoopStep, Flow> {
        match self.run_program(body) {
            Ok(status) => Ok(LoopStep::Next(status)),
            Err(Flow::Break(n)) if n > 1 => Err(Flow::Break(n - 1)),
            Err(Flow::Break(_)) => Ok(LoopStep::Stop(0)),
            Err(Flow::Continue(n)) if n > 1 => Err(Flow::Continue(n - 1)),
            Err(Flow::Continue(_)) => Ok(LoopStep::Next(0)),
            Err(other) => Err(other),
        }
    }

    fn run_case(&mut self, word: &Word, arms: &[CaseArm]) -> Status {
        let subject = self.expand_string(word)?;
        for arm in arms {
            for pattern in &arm.patterns {
                let pattern = self.expand_pattern(pattern)?;
                if super::pattern::matches(&pattern, &subject) {
                    return self.run_program(&arm.body);
                }
            }
        }
        Ok(0)
    }

    /// Sets a shell variable; `false` if it is read-only.
    pub fn assign(&mut self, name: &str, value: &str) -> bool {
        self.scope.vars.set(name, Value::Scalar(value.to_string()))
    }

    pub(super) fn readonly_error(&mut self, name: &str) -> Status {
        self.error(&format!("{name}: is read only"))?;
        Err(Flow::Exit(2))
    }

    fn run_simple(&mut self, simple: &Simple) -> Status {
        self.line = simple.line;
        self.step()?;
        self.subst_status = 0;
        let mut assigns = Vec::with_capacity(simple.assigns.len());
        for assign in &simple.assigns {
            let value = match &assign.value {
                AssignValue::Scalar(word) => Value::Scalar(self.expand_string(word)?),
                AssignValue::Array(words) => Value::Array(self.expand_fields(words)?),
            };
            assigns.push((assign.name.clone(), value));
        }
        let args = self.expand_fields(&simple.words)?;
        if self.scope.opts.xtrace {
            self.trace(&assigns, &args)?;
        }
        let saved = self.save_fds();
        if let Err(Failed(status)) = self.apply_redirects(&simple.redirects)? {
            self.restore_fds(saved)?;
            return Ok(status);
        }
        let result = if args.is_empty() {
            self.assign_all(assigns).map(|()| self.subst_status)
        } else {
            self.dispatch(&args, assigns)
        };
        self.restore_fds(saved)?;
        result
    }

    fn assign_all(&mut self, assigns: Vec<(String, Value)>) -> Result<(), Flow> {
        for (name, value) in assigns {
            if !self.scope.vars.set(&name, value) {
                self.readonly_error(&name)?;
            }
        }
        Ok(())
    }

    /// `set -x`: `+ cmd args` on stderr (bash quotes arguments that need it).
    fn trace(&mut self, assigns: &[(String, Value)], args: &[String]) -> Result<(), Flow> {
        let quote = |s: &str| {
            if self.dialect == Dialect::Bash && (s.is_empty() || s.contains(|c: char| c.is_whitespace() || "'\"$`\\|&;<>()*?[]".contains(c))) {
                format!("'{}'", s.replace('\'', "'\\''"))
            } else {
                s.to_string()
            }
        };
        let mut words: Vec<String> = assigns.iter().map(|(n, v)| format!("{n}={}", quote(v.scalar()))).collect();
        words.extend(args.iter().map(|a| quote(a)));
        let prefix = self.var("PS4").unwrap_or_else(|| "+ ".into());
        self.err(&format!("{prefix}{}\n", words.join(" ")))
    }

    pub(super) fn dispatch(&mut self, args: &[String], assigns: Vec<(String, Value)>) -> Status {
        let name = args[0].as_str();
        if let Some(builtin) = commands::special_builtin(name) {
            self.assign_all(assigns)?;
            return builtin(self, args);
        }
        if let Some(body) = self.scope.functions.get(name).cloned() {
            return self.with_assigns(assigns, |sh| sh.call_function(&body, args));
        }
        if let Some(builtin) = commands::builtin(name, self.dialect) {
            return self.with_assigns(assigns, |sh| builtin(sh, args));
        }
        self.with_assigns(assigns, |sh| sh.run_external(args))
    }

    fn call_function(&mut self, body: &Command, args: &[String]) -> Status {
        self.step()?;
        let positional = std::mem::replace(&mut self.scope.positional, args[1..].to_vec());
        self.locals.push(Vec::new());
        let result = self.nested(|sh| sh.run_command(body));
        self.restore_locals();
        self.scope.positional = positional;
        match result {
            Err(Flow::Return(status)) => Ok(status),
            other => other,
        }
    }

    /// Prefix assignments (`A=1 cmd`, `env A=1 cmd`) hold for the command only, exported to
    /// it; only those names are put back, so what the command itself sets stays (`IFS= read
    /// -r line` sets `line`).
    pub(crate) fn with_assigns(&mut self, assigns: Vec<(String, Value)>, f: impl FnOnce(&mut Self) -> Status) -> Status {
        let saved: Vec<_> = assigns.iter().map(|(name, _)| (name.clone(), self.scope.vars.save(name))).collect();
        for (name, value) in assigns {
            self.scope.vars.set(&name, value);
            self.scope.vars.export(&name);
        }
        let result = f(self);
        for (name, old) in saved.into_iter().rev() {
            self.scope.vars.restore(&name, old);
        }
        result
    }

    pub(super) fn find_command(&self, name: &str) -> Found {
        let candidates: Vec<String> = if name.contains('/') {
            vec![self.absolute(name)]
        } else {
            let path = self.var("PATH").unwrap_or_default();
            path.split(':').map(|dir| format!("{}/{name}", if dir.is_empty() { "." } else { dir })).collect()
        };
        let mut seen_file = false;
        for candidate in candidates {
            match self.fs.get(&candidate, true) {
                Ok(node @ Node::File(_)) if super::access::may_execute(node, &self.user) => return Found::Path(candidate),
                Ok(Node::File(_)) => seen_file = true,
                _ => {}
            }
        }
        if seen_file {
            Found::NotExecutable
        } else {
            Found::Missing
        }
    }

    pub(super) fn run_external(&mut self, args: &[String]) -> Status {
        let name = args[0].as_str();
        let path = match self.find_command(name) {
            Found::Path(path) => path,
            Found::Missing => {
                let message = match self.dialect {
                    Dialect::Bash => format!("{name}: command not found"),
                    _ => format!("{name}: not found"),
                };
                self.error(&message)?;
                return Ok(127);
            }
            Found::NotExecutable => {
                self.error(&format!("{name}: Permission denied"))?;
                return Ok(126);
            }
        };
        let base = name.rsplit('/').next().unwrap_or(name);
        if let Some(tool) = commands::tool(base) {
            self.command_path = path;
            return tool(self, args);
        }
        if let Some(status) = self.run_script_file(&path, args)? {
            return Ok(status);
        }
        Err(Flow::Abort(format!(
            "layerlab: `{name}` ({path}) is in the image, but the simulator has no model of what it does; this step cannot be simulated"
        )))
    }

    /// A shell script from the build context (`#!/bin/sh`): run here with its arguments.
    fn run_script_file(&mut self, path: &str, args: &[String]) -> Result<Option<i32>, Flow> {
        let Ok(Node::File(file)) = self.fs.get(path, true) else { return Ok(None) };
        let Content::Bytes(bytes) = &file.content else { return Ok(None) };
        let text = String::from_utf8_lossy(bytes).into_owned();
        let first = text.lines().next().unwrap_or("");
        let dialect = match first.trim_start_matches("#!").split_whitespace().collect::<Vec<_>>().as_slice() {
            _ if !first.starts_with("#!") => return Ok(None),
            [sh] | [_, sh] if sh.ends_with("/sh") || *sh == "sh" => self.dialect,
            [bash] | [_, bash] if bash.ends_with("bash") => Dialect::Bash,
            _ => return Ok(None),
        };
        // A script is a new shell process named after its path (its errors read
        // `./run.sh: 3: ...`), parsed line by line as dash does.
        self.nested_shell(dialect, path, &text, args[1..].to_vec(), &[]).map(Some)
    }
}

enum LoopStep {
    Next(i32),
    Stop(i32),
}
