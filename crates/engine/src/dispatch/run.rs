//! RUN: the command through the simulated shell, as BuildKit's ExecOp or the classic
//! builder's container.

use std::collections::BTreeMap;

use layerlab_dockerfile::instructions::mount::Mount;
use layerlab_dockerfile::instructions::{Instruction, Run, Stage};
use layerlab_dockerfile::syntax::Heredoc;
use layerlab_image::fs::Snapshot;
use layerlab_shell::{Dialect, Invocation, Limits};

use super::{Build, Executed, Stop, StepError};
use crate::cache::Components;
use crate::history;
use crate::report::StepKind;
use crate::request::Builder;
use crate::state::StageState;

/// A container start, as the model counts it.
const START_MS: u64 = 200;

const DEFAULT_SHELL: [&str; 2] = ["/bin/sh", "-c"];

impl Build<'_> {
    pub(super) fn run_step(&mut self, st: &mut StageState, stage: &Stage, ins: &Instruction, run: &Run) -> Result<(), Stop> {
        if let (Builder::Classic, Some(flag)) = (self.builder(), first_flag(run)) {
            return Err(self.requires_buildkit(ins, flag));
        }
        let mounts = self.mounts(st, ins, run)?;
        let images = self.mounted_images(stage, ins, &mounts)?;
        let shell = st.config.shell.clone().unwrap_or_else(|| DEFAULT_SHELL.map(String::from).to_vec());
        let argv = argv(run, &shell);
        let name = self.display_name(ins, st);
        let step = self.step(stage, ins, StepKind::Layer, name);
        let args = history_args(st, self.builder());
        let components = self.run_components(st, ins, run, &argv, &args);
        let script = script(run);
        let mode = run.network.as_ref().map(|n| n.value.as_str()).or(self.req.network.as_deref());
        // The container's host name: BuildKit's sandbox, or the legacy builder's container ID.
        let hostname = match self.builder() {
            Builder::BuildKit => "buildkitsandbox".to_string(),
            Builder::Classic => super::container_id(&components.key())[..12].to_string(),
        };
        let sandbox = Sandbox { network: mode != Some("none"), hostname };
        let result = self.cached_step(st, step, components, true, |b, st, created| execute(b, st, &argv, script.as_deref(), (&mounts, &images), &sandbox, created))?;
        let entry = history::run(self.builder(), &args, &argv, &result.created_text(), result.is_empty());
        self.record_layer_step(st, &result, entry);
        Ok(())
    }

    fn run_components(&self, st: &StageState, ins: &Instruction, run: &Run, argv: &[String], args: &[(String, String)]) -> Components {
        let rest = Self::arguments(ins).trim_end();
        // The op text is the command as written; the shell it runs under is the rest of argv.
        let shell = if run.command.exec_form { String::new() } else { argv[..argv.len() - 1].join(" ") };
        let mut other = vec![("SHELL".to_string(), shell)];
        other.extend(run.mounts.iter().map(|m| ("--mount".to_string(), m.value.to_string())));
        other.extend(run.network.iter().map(|n| ("--network".to_string(), n.value.to_string())));
        // The build's own --network is the step's when the step names none (the ExecOp's
        // network is in its cache key either way).
        if let (None, Some(mode)) = (&run.network, self.req.network.as_ref().filter(|m| *m != "default")) {
            other.push(("--network".to_string(), mode.clone()));
        }
        let mut c = Components {
            parent: st.key.clone(),
            op: format!("RUN {rest}"),
            env: st.run_env(),
            workdir: workdir(st),
            user: st.config.user.clone(),
            files: Default::default(),
            other,
        };
        if self.builder() == Builder::Classic {
            // The classic probe: `|N K=v shell... cmd` against the whole config.
            c.op = format!("RUN {}{}", history::args_prefix(args), argv.join(" "));
            c = super::config::classic_probe(c, st);
        }
        c
    }
}

/// The first RUN flag as written (the legacy builder names it in its refusal).
fn first_flag(run: &Run) -> Option<&'static str> {
    let mounts = run.mounts.iter().map(|w| (w.span.start, "mount"));
    let network = run.network.iter().map(|w| (w.span.start, "network"));
    let security = run.security.iter().map(|w| (w.span.start, "security"));
    mounts.chain(network).chain(security).min().map(|(_, flag)| flag)
}

/// Shell form: the shell plus the command text; exec form: the words as written.
fn argv(run: &Run, shell: &[String]) -> Vec<String> {
    if run.command.exec_form {
        return run.command.args.iter().map(|w| w.value.to_string()).collect();
    }
    let mut argv = shell.to_vec();
    argv.push(run.command.text());
    argv
}

/// The script the shell runs: the command with its heredocs written back under it, as
/// the shell reads them. `None` for the exec form.
fn script(run: &Run) -> Option<String> {
    if run.command.exec_form {
        return None;
    }
    let mut text = run.command.text();
    for heredoc in &run.command.heredocs {
        text.push('\n');
        text.push_str(&body(heredoc));
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&heredoc.name);
    }
    Some(text)
}

fn body(heredoc: &Heredoc) -> String {
    if !heredoc.chomp {
        return heredoc.content.clone();
    }
    heredoc.content.split_inclusive('\n').map(|l| l.trim_start_matches('\t')).collect()
}

/// Build args in scope that ENV does not override, in declaration order, for the
/// `|N K=v` prefix. BuildKit lists an arg without a value as `K=`; the legacy builder
/// leaves it out (checked against Docker 20.10.24).
fn history_args(st: &StageState, builder: Builder) -> Vec<(String, String)> {
    let env = st.config_env();
    st.args
        .iter()
        .filter(|(k, _)| !env.iter().any(|(n, _)| n == k))
        .filter(|(_, v)| builder == Builder::BuildKit || v.is_some())
        .map(|(k, v)| (k.clone(), v.clone().unwrap_or_default()))
        .collect()
}

fn workdir(st: &StageState) -> String {
    if st.config.working_dir.is_empty() { "/".into() } else { st.config.working_dir.clone() }
}

fn dialect(fs: &Snapshot, argv0: &str) -> Dialect {
    match argv0.rsplit('/').next() {
        Some("bash") => Dialect::Bash,
        _ if fs.get("/etc/alpine-release", true).is_ok() => Dialect::Ash,
        _ => Dialect::Dash,
    }
}

/// What the step's container is given besides its files.
struct Sandbox {
    network: bool,
    hostname: String,
}

fn execute(b: &mut Build, st: &StageState, argv: &[String], script: Option<&str>, mounts: (&[Mount], &BTreeMap<String, Snapshot>), sandbox: &Sandbox, created: i64) -> Result<Executed, StepError> {
    let mut fs = st.fs.clone();
    // Mounting costs a copy of /etc's listing (a 50-step build took 40 % longer with it on
    // every step), and only a command that names the file can tell it is there: steps
    // that do not mention it go without. The classic builder's hosts file depends on the
    // daemon's version and network: not modelled, so the image's own (if any) shows.
    let names_hosts = script.unwrap_or_default().contains("hosts") || argv.iter().any(|a| a.contains("hosts"));
    let runtime = match b.builder() {
        Builder::BuildKit if names_hosts => super::mounts::buildkit_hosts(&mut fs, &sandbox.hostname)?,
        _ => Vec::new(),
    };
    let mounted = super::mounts::mount(b, &mut fs, &workdir(st), mounts.0, mounts.1)?;
    let result = run_shell(b, st, &mut fs, argv, script, sandbox, created);
    super::mounts::unmount(b, &mut fs, mounted);
    super::mounts::unmount(b, &mut fs, runtime);
    let (output, ms) = result?;
    Ok(Executed { fs, output, exit_code: Some(0), ms })
}

/// The shell on the step's filesystem (mounts in place): its output and modelled time.
fn run_shell(b: &mut Build, st: &StageState, fs: &mut Snapshot, argv: &[String], script: Option<&str>, sandbox: &Sandbox, created: i64) -> Result<(Vec<String>, u64), StepError> {
    let user = super::user::identity(fs, &st.config.user).map_err(StepError::both)?;
    let program = &argv[0];
    let script = match script {
        Some(script) => {
            if fs.get(program, true).is_err() {
                return Err(StepError::both(format!("runc run failed: unable to start container process: exec: \"{program}\": stat {program}: no such file or directory")));
            }
            script.to_string()
        }
        // Exec form: the words quoted so that the shell runs them without expanding.
        None => argv.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" "),
    };
    let invocation = Invocation {
        dialect: dialect(fs, program),
        argv0: program.clone(),
        script,
        env: container_env(fs, st, &user, &sandbox.hostname),
        workdir: workdir(st),
        user,
        now: created,
        limits: Limits::default(),
        network: sandbox.network,
        color_stderr: b.builder() == Builder::Classic,
    };
    let outcome = layerlab_shell::run_with_catalog(fs, &invocation, b.data);
    if let Some(path) = outcome.missing {
        return Err(StepError::Missing(path));
    }
    let output: Vec<String> = outcome.log.lines().map(str::to_string).collect();
    let command = argv.join(" ");
    let ms = START_MS + outcome.modelled_ms;
    if let Some(reason) = outcome.aborted {
        return Err(StepError::Fail { message: reason.clone(), classic: reason, output, exit_code: None, ms });
    }
    if outcome.status != 0 {
        let status = outcome.status;
        return Err(StepError::Fail {
            message: format!("process \"{command}\" did not complete successfully: exit code: {status}"),
            classic: format!("The command '{command}' returned a non-zero code: {status}"),
            output,
            exit_code: Some(status),
            ms,
        });
    }
    Ok((output, ms))
}

/// The step's environment: what the runtime adds (HOSTNAME, and HOME from the user's
/// passwd entry, `/` without one), then ENV and ARG values, which win.
fn container_env(fs: &Snapshot, st: &StageState, user: &layerlab_shell::Identity, hostname: &str) -> Vec<(String, String)> {
    let home = layerlab_shell::accounts::by_uid(fs, user.uid).map_or("/".to_string(), |a| a.home);
    let mut env = vec![("HOSTNAME".to_string(), hostname.to_string()), ("HOME".to_string(), home)];
    let own = st.run_env();
    env.retain(|(name, _)| !own.iter().any(|(n, _)| n == name));
    env.extend(own);
    env
}

/// Single-quotes a word for sh.
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}
