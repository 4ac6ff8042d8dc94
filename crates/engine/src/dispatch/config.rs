//! The instructions that change only the image config (ENV, LABEL, ARG, USER, EXPOSE,
//! VOLUME, CMD, ENTRYPOINT, SHELL, STOPSIGNAL, HEALTHCHECK, MAINTAINER, ONBUILD), and
//! WORKDIR, which also makes its directory.
//!
//! BuildKit makes no vertex for the first group: they never miss (reference B2 rule 4).
//! The classic builder commits each as a step whose probe is the whole config (B1).

use layerlab_dockerfile::expand::EnvList;
use layerlab_dockerfile::instructions::{ArgDecl, Command, CommandLine, Healthcheck, Instruction, KeyValue, Stage};
use layerlab_dockerfile::syntax::Word;
use layerlab_dockerfile::path::clean;
use layerlab_image::config::{Empty, Healthcheck as HealthConfig};
use layerlab_image::fs::Meta;

use super::{Build, Executed, Stop};
use crate::cache::Components;
use crate::history::{self, go_list, go_quoted_list};
use crate::report::StepKind;
use crate::request::Builder;
use crate::state::StageState;

/// What committing a metadata step costs in the classic builder (a container is made).
const CLASSIC_COMMIT_MS: u64 = 100;

/// The classic builder's probe covers the whole config; these are the fields besides Env,
/// User and WorkingDir, which `Components` has by name.
pub fn classic_fields(st: &StageState) -> Vec<(String, String)> {
    let c = &st.config;
    let json = |v: &dyn erased::Json| v.json();
    vec![
        ("Cmd".into(), json(&c.cmd)),
        ("Entrypoint".into(), json(&c.entrypoint)),
        ("Shell".into(), json(&c.shell)),
        ("OnBuild".into(), json(&c.on_build)),
        ("ExposedPorts".into(), c.exposed_ports.keys().cloned().collect::<Vec<_>>().join(" ")),
        ("Volumes".into(), c.volumes.keys().cloned().collect::<Vec<_>>().join(" ")),
        ("Labels".into(), c.labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")),
        ("StopSignal".into(), c.stop_signal.clone()),
        ("Healthcheck".into(), json(&c.healthcheck)),
    ]
}

mod erased {
    /// serde_json for the few config field types, behind one object-safe method.
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}

impl Build<'_> {
    pub(super) fn config_step(&mut self, st: &mut StageState, stage: &Stage, ins: &Instruction) -> Result<(), Stop> {
        let env = st.expansion_env();
        let name = self.display_name(ins, st);
        let text = self.apply(st, ins, &env)?;
        // BuildKit's exporter dates metadata-only entries with the build's own time.
        let created = history::rfc3339(self.clock());
        let step = self.step(stage, ins, StepKind::Config, name);
        match self.builder() {
            Builder::BuildKit => {
                self.push_step(step);
                // ONBUILD is kept in the config only; BuildKit writes no history for it.
                if !matches!(ins.command, Command::Onbuild(_)) {
                    st.add_history(history::metadata(Builder::BuildKit, "", &text, &created), None);
                }
            }
            Builder::Classic => {
                let components = classic_components(st, format!("#(nop) {text}"));
                let result = self.cached_step(st, step, components, false, |_, st, _| {
                    Ok(Executed { fs: st.fs.clone(), output: Vec::new(), exit_code: None, ms: CLASSIC_COMMIT_MS })
                })?;
                st.add_history(history::metadata(Builder::Classic, &st.shell_words(), &text, &result.created_text()), None);
                self.commit_classic(st, result.created);
            }
        }
        Ok(())
    }

    pub(super) fn workdir_step(&mut self, st: &mut StageState, stage: &Stage, ins: &Instruction, word: &Word) -> Result<(), Stop> {
        let env = st.expansion_env();
        let name = self.display_name(ins, st);
        let path = self.expand(&word.value, &env, ins)?;
        let base = if st.config.working_dir.is_empty() { "/" } else { st.config.working_dir.as_str() };
        let joined = if path.starts_with('/') { path } else { format!("{base}/{path}") };
        let dir = format!("/{}", clean(&joined));
        st.config.working_dir = dir.clone();
        let step = self.step(stage, ins, StepKind::Layer, name);
        let components = match self.builder() {
            Builder::BuildKit => Components {
                parent: st.key.clone(),
                op: format!("WORKDIR {dir}"),
                env: Vec::new(),
                workdir: String::new(),
                user: st.config.user.clone(),
                files: Default::default(),
                other: Vec::new(),
            },
            Builder::Classic => classic_components(st, format!("#(nop) WORKDIR {dir}")),
        };
        let result = self.cached_step(st, step, components, true, |_, st, created| {
            let mut fs = st.fs.clone();
            let meta = Meta { mode: 0o755, uid: 0, gid: 0, mtime: created };
            fs.mkdir_all(&dir, meta).map_err(|e| super::StepError::both(format!("failed to create WORKDIR {dir}: {}", e.message())))?;
            Ok(Executed { fs, output: Vec::new(), exit_code: None, ms: 0 })
        })?;
        let entry = history::workdir(self.builder(), &st.shell_words(), &dir, &result.created_text(), result.is_empty());
        self.record_layer_step(st, &result, entry);
        Ok(())
    }

    /// Applies a metadata instruction to the config; returns its history text.
    fn apply(&self, st: &mut StageState, ins: &Instruction, env: &EnvList) -> Result<String, Stop> {
        Ok(match &ins.command {
            Command::Env(pairs) => {
                let pairs = self.pairs(pairs, env, ins)?;
                for (k, v) in &pairs {
                    // BuildKit's addEnv: an existing variable keeps its place in Env.
                    let entry = format!("{k}={v}");
                    match st.config.env.iter_mut().find(|e| e.split_once('=').map_or(e.as_str(), |(n, _)| n) == k) {
                        Some(existing) => *existing = entry,
                        None => st.config.env.push(entry),
                    }
                }
                format!("ENV {}", joined(&pairs))
            }
            Command::Label(pairs) => {
                let pairs = self.pairs(pairs, env, ins)?;
                st.config.labels.extend(pairs.iter().cloned());
                format!("LABEL {}", joined(&pairs))
            }
            Command::Arg(decls) => self.args(st, decls, env, ins)?,
            Command::User(w) => {
                st.config.user = self.expand(&w.value, env, ins)?;
                format!("USER {}", st.config.user)
            }
            Command::Expose(words) => {
                let mut ports = Vec::new();
                for w in words {
                    let value = self.expand(&w.value, env, ins)?;
                    ports.extend(value.split_whitespace().map(|p| if p.contains('/') { p.to_lowercase() } else { format!("{p}/tcp") }));
                }
                st.config.exposed_ports.extend(ports.iter().map(|p| (p.clone(), Empty {})));
                match self.builder() {
                    // BuildKit prints the list as Go does (`[8080/tcp 53/udp]`); the legacy
                    // builder joins the port set's keys, sorted (`53/udp 8080/tcp`).
                    Builder::BuildKit => format!("EXPOSE {}", go_list(&ports)),
                    Builder::Classic => {
                        let sorted: std::collections::BTreeSet<&str> = ports.iter().map(String::as_str).collect();
                        format!("EXPOSE {}", sorted.into_iter().collect::<Vec<_>>().join(" "))
                    }
                }
            }
            Command::Volume(words) => {
                let vols: Vec<String> = words.iter().map(|w| self.expand(&w.value, env, ins)).collect::<Result<_, _>>()?;
                st.config.volumes.extend(vols.iter().map(|v| (v.clone(), Empty {})));
                format!("VOLUME {}", go_list(&vols))
            }
            Command::Cmd(cl) => {
                let argv = self.command_argv(st, cl, env, ins)?;
                st.config.cmd = Some(argv.clone());
                // BuildKit marks every CMD's arguments as escaped; the legacy builder only on Windows.
                st.config.args_escaped |= self.builder() == Builder::BuildKit;
                st.cmd_set_here = true;
                format!("CMD {}", go_quoted_list(&argv))
            }
            Command::Entrypoint(cl) => {
                let argv = self.command_argv(st, cl, env, ins)?;
                st.config.entrypoint = Some(argv.clone());
                if !st.cmd_set_here {
                    st.config.cmd = None;
                }
                format!("ENTRYPOINT {}", go_quoted_list(&argv))
            }
            Command::Shell(words) => {
                let shell: Vec<String> = words.iter().map(|w| w.value.to_string()).collect();
                st.config.shell = Some(shell.clone());
                format!("SHELL {}", go_list(&shell))
            }
            Command::StopSignal(w) => {
                st.config.stop_signal = self.expand(&w.value, env, ins)?;
                format!("STOPSIGNAL {}", st.config.stop_signal)
            }
            Command::Healthcheck(h) => {
                let config = health(h);
                let text = format!("HEALTHCHECK {}", health_text(&config));
                st.config.healthcheck = Some(config);
                text
            }
            Command::Maintainer(w) => {
                st.author = self.expand(&w.value, env, ins)?;
                format!("MAINTAINER {}", st.author)
            }
            Command::Onbuild(o) => {
                st.config.on_build.push(o.expression.clone());
                format!("ONBUILD {}", o.expression)
            }
            Command::From(_) | Command::Run(_) | Command::Copy(_) | Command::Add(_) | Command::Workdir(_) => String::new(),
        })
    }

    fn pairs(&self, pairs: &[KeyValue], env: &EnvList, ins: &Instruction) -> Result<Vec<(String, String)>, Stop> {
        pairs.iter().map(|kv| Ok((self.expand(&kv.key.value, env, ins)?, self.expand(&kv.value.value, env, ins)?))).collect()
    }

    /// ARG in a stage: the `--build-arg` value, else the global value for a redeclared
    /// global ARG, else the expanded default, else unset.
    fn args(&self, st: &mut StageState, decls: &[ArgDecl], env: &EnvList, ins: &Instruction) -> Result<String, Stop> {
        let mut shown = Vec::new();
        for decl in decls {
            let name = decl.name.value.to_string();
            let default = match &decl.default {
                Some(d) => Some(self.expand(&d.value, env, ins)?),
                None => None,
            };
            let global = (self.plan.meta_declared.contains(&name) || crate::plan::PLATFORM_ARGS.iter().any(|(k, _)| *k == name))
                .then(|| layerlab_dockerfile::expand::Env::get(&self.plan.meta, &name).map(str::to_string))
                .flatten();
            let value = self.req.build_args.get(&name).cloned().or(global).or(default.clone());
            st.args.retain(|(k, _)| *k != name);
            st.args.push((name.clone(), value));
            shown.push(match default {
                Some(d) => format!("{name}={d}"),
                None => name,
            });
        }
        Ok(format!("ARG {}", shown.join(" ")))
    }

    /// CMD/ENTRYPOINT as stored: exec form as written, shell form under the SHELL.
    fn command_argv(&self, st: &StageState, cl: &CommandLine, env: &EnvList, ins: &Instruction) -> Result<Vec<String>, Stop> {
        if cl.exec_form {
            return cl.args.iter().map(|w| self.expand(&w.value, env, ins)).collect();
        }
        let mut argv = st.config.shell.clone().unwrap_or_else(|| vec!["/bin/sh".into(), "-c".into()]);
        argv.push(cl.text());
        Ok(argv)
    }
}

fn classic_components(st: &StageState, op: String) -> Components {
    let c = Components {
        parent: st.key.clone(),
        op,
        env: Vec::new(),
        workdir: st.config.working_dir.clone(),
        user: st.config.user.clone(),
        files: Default::default(),
        other: Vec::new(),
    };
    classic_probe(c, st)
}

/// The classic builder compares the whole config: its Env and the other fields replace
/// BuildKit's op-specific env and settings.
pub fn classic_probe(mut c: Components, st: &StageState) -> Components {
    c.env = st.config_env();
    c.other = classic_fields(st);
    c
}

fn joined(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")
}

fn health(h: &Healthcheck) -> HealthConfig {
    HealthConfig {
        test: h.test.clone(),
        interval: h.interval,
        timeout: h.timeout,
        start_period: h.start_period,
        start_interval: h.start_interval,
        retries: h.retries,
    }
}

/// Go's `%+v`-like text BuildKit writes: `&{["CMD-SHELL" "curl -f x"] "30s" "3s" "0s" "0s" '\x03'}`.
fn health_text(h: &HealthConfig) -> String {
    let retries = u32::try_from(h.retries).ok().and_then(char::from_u32).unwrap_or('\0');
    let retries = match retries {
        c if (c as u32) < 0x20 => format!("'\\x{:02x}'", c as u32),
        c => format!("'{c}'"),
    };
    format!(
        "&{{{} \"{}\" \"{}\" \"{}\" \"{}\" {retries}}}",
        go_quoted_list(&h.test),
        go_duration(h.interval),
        go_duration(h.timeout),
        go_duration(h.start_period),
        go_duration(h.start_interval)
    )
}

/// Go's `time.Duration.String` for whole and fractional seconds.
fn go_duration(ns: i64) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let total = ns as f64 / 1e9;
    let hours = (total / 3600.0).floor();
    let minutes = ((total - hours * 3600.0) / 60.0).floor();
    let seconds = total - hours * 3600.0 - minutes * 60.0;
    let secs = layerlab_image::units::format_g(seconds, 9);
    match (hours > 0.0, minutes > 0.0 || hours > 0.0) {
        (true, _) => format!("{hours}h{minutes}m{secs}s"),
        (false, true) => format!("{minutes}m{secs}s"),
        _ => format!("{secs}s"),
    }
}
