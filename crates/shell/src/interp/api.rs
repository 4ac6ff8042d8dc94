//! What builtins and tools may ask of the shell beyond reading and writing descriptors.

use super::{Flow, Shell, Status, Value};
use crate::syntax::Parser;

impl Shell<'_> {
    pub fn positional(&self) -> &[String] {
        &self.scope.positional
    }

    pub fn set_positional(&mut self, args: Vec<String>) {
        self.scope.positional = args;
    }

    pub fn mark_exported(&mut self, name: &str) {
        self.scope.vars.export(name);
    }

    pub fn mark_readonly(&mut self, name: &str) {
        self.scope.vars.readonly(name);
    }

    /// `false` if the variable is read-only.
    pub fn unset_var(&mut self, name: &str) -> bool {
        self.scope.vars.unset(name)
    }

    pub fn unset_function(&mut self, name: &str) {
        self.scope.functions.remove(name);
    }

    pub fn exported_vars(&self) -> Vec<(String, Option<String>)> {
        self.scope.vars.exported()
    }

    pub fn readonly_vars(&self) -> Vec<(String, Option<String>)> {
        self.scope.vars.all().into_iter().filter(|(n, _)| self.scope.vars.is_readonly(n)).map(|(n, v)| (n, Some(v))).collect()
    }

    pub fn all_vars(&self) -> Vec<(String, String)> {
        self.scope.vars.all()
    }

    /// The environment a tool sees (exported variables), in the order the shell passes it:
    /// dash and BusyBox ash list their variable table's 39 hash buckets in turn (a name's
    /// bucket is its first byte × 16 plus the sum of its bytes), which is why `env` prints
    /// HOSTNAME, HOME, PATH, PWD in that order there. Bash's own order is not modelled.
    pub fn environment(&self) -> Vec<(String, String)> {
        let mut environment = self.scope.vars.environment();
        if self.dialect != crate::syntax::Dialect::Bash {
            let bucket = |name: &str| name.bytes().next().map_or(0, |b| u32::from(b) << 4) + name.bytes().map(u32::from).sum::<u32>();
            environment.sort_by_key(|(name, _)| bucket(name) % 39);
        }
        environment
    }

    /// `local name`: the variable gets its old value back when the function returns.
    pub fn make_local(&mut self, name: &str) {
        let old = self.scope.vars.get(name).cloned();
        if let Some(frame) = self.locals.last_mut() {
            if !frame.iter().any(|(n, _)| n == name) {
                frame.push((name.to_string(), old));
            }
        }
    }

    pub(super) fn restore_locals(&mut self) {
        for (name, old) in self.locals.pop().unwrap_or_default().into_iter().rev() {
            match old {
                Some(value) => {
                    self.scope.vars.set(&name, value);
                }
                None => {
                    self.scope.vars.unset(&name);
                }
            }
        }
    }

    /// `eval`, `.`: text parsed and run in this shell.
    pub fn eval_script(&mut self, script: &str) -> Status {
        let mut parser = Parser::new(script, self.dialect);
        parser.line_offset(self.line);
        let mut status = 0;
        while let Some(parsed) = parser.next_command() {
            match parsed {
                Ok(program) => status = self.nested(|sh| sh.run_program(&program))?,
                Err(e) => {
                    self.line = e.line;
                    self.error(&e.message)?;
                    return Err(Flow::Exit(2));
                }
            }
        }
        Ok(status)
    }

    /// Runs a command by arguments (for `command`, `exec`, `env`, `xargs`), skipping
    /// functions when asked.
    pub fn run_args(&mut self, args: &[String], skip_functions: bool) -> Status {
        if args.is_empty() {
            return Ok(0);
        }
        if skip_functions {
            let name = args[0].as_str();
            if let Some(builtin) = crate::commands::special_builtin(name).or_else(|| crate::commands::builtin(name, self.dialect)) {
                return builtin(self, args);
            }
            return self.run_external(args);
        }
        self.dispatch(args, Vec::new())
    }

    /// The nearest `name` from the working folder upwards (go.mod, Cargo.toml), as the tools
    /// that look for their project file find it: the folder holding it, and its text.
    pub fn find_upwards(&self, name: &str) -> Option<(String, String)> {
        let mut dir = self.cwd().trim_end_matches('/').to_string();
        loop {
            if let Some(text) = crate::accounts::read_text(self.fs, &format!("{dir}/{name}")) {
                return Some((if dir.is_empty() { "/".into() } else { dir }, text));
            }
            let (parent, _) = dir.rsplit_once('/')?;
            dir = parent.to_string();
        }
    }

    /// Where `name` is on PATH, if anywhere.
    pub fn search_path(&self, name: &str) -> Option<String> {
        match self.find_command(name) {
            super::exec::Found::Path(path) => Some(path),
            _ => None,
        }
    }

    /// What `type name` says: a builtin, a function, or its path.
    pub fn describe_command(&self, name: &str) -> Option<String> {
        if crate::commands::special_builtin(name).is_some() {
            return Some(format!("{name} is a special shell builtin"));
        }
        if self.scope.functions.contains_key(name) {
            return Some(format!("{name} is a shell function"));
        }
        if crate::commands::builtin(name, self.dialect).is_some() {
            return Some(format!("{name} is a shell builtin"));
        }
        self.search_path(name).map(|path| format!("{name} is {path}"))
    }

    /// Sets an array (bash) or scalar value.
    pub fn assign_value(&mut self, name: &str, value: Value) -> bool {
        self.scope.vars.set(name, value)
    }

    /// Counts bytes a tool adds against the step's disk budget.
    /// Writes a whole file as a command run by the step's user does: refused where that
    /// user may not write; a file already there keeps its owner and mode, a new one is the
    /// user's, mode 0644. The error is the one to print after the file name.
    pub fn save_file(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), String> {
        if !super::access::may_write(self.fs, path, &self.user) {
            return Err("Permission denied".into());
        }
        super::io::store(self.fs, path, bytes, self.now, (self.user.uid, self.user.gid))
    }

    pub fn add_disk(&mut self, bytes: u64) -> Result<(), Flow> {
        self.budget.disk(bytes)
    }

    /// `sh -c script name args...`: a new shell process (a subshell with its own dialect,
    /// name, positional parameters and options).
    pub fn nested_shell(&mut self, dialect: crate::syntax::Dialect, argv0: &str, script: &str, positional: Vec<String>, options: &[String]) -> Status {
        let saved = (self.dialect, std::mem::replace(&mut self.argv0, argv0.to_string()), self.line);
        self.dialect = dialect;
        let status = self.subshell(|sh| {
            // A new process: the environment, no functions, the new shell's own variables.
            sh.scope.vars = sh.scope.vars.for_new_process();
            sh.scope.functions.clear();
            sh.scope.vars.set("IFS", super::vars::Value::Scalar(" \t\n".into()));
            if dialect == crate::syntax::Dialect::Bash && sh.scope.vars.get("BASH_VERSION").is_none() {
                let version = format!("{}(1)-release", super::bash_version(sh.fs));
                sh.scope.vars.set("BASH_VERSION", super::vars::Value::Scalar(version));
            }
            sh.scope.positional = positional;
            sh.scope.opts = Default::default();
            if !options.is_empty() {
                let mut args = vec!["set".to_string()];
                args.extend(options.iter().cloned());
                crate::commands::special_builtin("set").expect("set is a builtin")(sh, &args)?;
            }
            sh.line = 1;
            sh.eval_script(script)
        });
        (self.dialect, self.argv0, self.line) = saved;
        status
    }
}
