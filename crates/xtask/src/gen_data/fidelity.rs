//! `cargo xtask measure-fidelity`: the real layer sizes the fidelity suite compares the
//! simulator with. Each `tests/fidelity/*.Dockerfile` (one stage on debian:bookworm-slim;
//! RUN, ENV and WORKDIR) runs in a fresh chroot of the published slim image, each RUN as
//! BuildKit runs it (`/bin/sh -c`, umask 022, the stage's ENV, the working directory), and
//! the layer it makes is sized as `docker history` sizes it. Needs root and the network.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use layerlab_catalog::manifest;
use layerlab_dockerfile::instructions::{self, Command as Instruction};
use serde::{Deserialize, Serialize};

use super::debian::PATH_ENV;
use super::host::{self, sh};
use super::{derived, snapshot};

/// What one Dockerfile's RUN steps did in the chroot.
#[derive(Debug, Serialize, Deserialize)]
pub struct Measured {
    pub runs: Vec<MeasuredRun>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct MeasuredRun {
    /// 1-based line of the RUN.
    pub line: usize,
    pub exit_code: i32,
    /// `docker history` SIZE in bytes: file sizes plus symlink target lengths (0 when the
    /// step failed: it made no layer).
    pub size_bytes: u64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct MeasuredFile {
    pub generator: String,
    pub date: String,
    pub tools: Vec<String>,
    pub base: String,
    pub dockerfiles: BTreeMap<String, Measured>,
}

const HOST_CA: &str = "/etc/ssl/certs/ca-certificates.crt";

pub fn dir() -> PathBuf {
    crate::repo::root().join("tests/fidelity")
}

/// Measures every Dockerfile, or only those named (the others keep their measurements).
pub fn run(only: &[String]) -> Result<(), String> {
    let mut dockerfiles = match only.is_empty() {
        true => BTreeMap::new(),
        false => serde_json::from_str::<MeasuredFile>(&host::read(&dir().join("measured.json"))?).map_err(|e| e.to_string())?.dockerfiles,
    };
    let names = host::list_files(&dir())?.into_iter().filter(|n| n.ends_with(".Dockerfile"));
    for name in names.filter(|n| only.is_empty() || only.contains(n)) {
        crate::progress::step(&format!("measure {name}"));
        let text = host::read(&dir().join(&name))?;
        dockerfiles.insert(name, measure(&text)?);
    }
    let file = MeasuredFile {
        generator: "cargo xtask measure-fidelity".into(),
        date: host::today()?,
        tools: vec![host::deb_tool("debuerreotype")?],
        base: format!("debian:bookworm-slim as `cargo xtask gen-data debian` builds it ({})", super::debian::slim_tar().display()),
        dockerfiles,
    };
    host::write_json(&dir().join("measured.json"), &file)
}

fn measure(text: &str) -> Result<Measured, String> {
    let file = instructions::parse_text(text).map_err(|e| e.message)?;
    let [stage] = file.stages.as_slice() else { return Err("one stage only".into()) };
    // This machine reaches PyPI through a TLS-inspecting proxy: pip in the chroot is given
    // the host's CA bundle (outside the scanned tree, so no layer holds it).
    let root = derived::fresh_slim_root("fidelity", &[("ca.pem".into(), PathBuf::from(HOST_CA))])?;
    let mut env: Vec<(String, String)> = vec![split(PATH_ENV)];
    let mut workdir = "/".to_string();
    let mut runs = Vec::new();
    for instruction in &stage.instructions {
        match &instruction.command {
            Instruction::From(_) => {}
            Instruction::Env(pairs) => {
                for pair in pairs {
                    let value = expand(&pair.value.value, &env);
                    env.retain(|(k, _)| *k != pair.key.value);
                    env.push((pair.key.value.to_string(), value));
                }
            }
            Instruction::Workdir(dir) => {
                workdir = if dir.value.starts_with('/') { dir.value.to_string() } else { format!("{}/{}", workdir.trim_end_matches('/'), dir.value) };
                sh(&format!("mkdir -p {}{workdir}", root.display()))?;
            }
            Instruction::Run(run) => {
                let (exit_code, size_bytes) = run_step(&root, &env, &workdir, &run.command.text())?;
                runs.push(MeasuredRun { line: instruction.start_line, exit_code, size_bytes });
                if exit_code != 0 {
                    break;
                }
            }
            other => return Err(format!("line {}: {} is not measured", instruction.start_line, other.name())),
        }
    }
    Ok(Measured { runs })
}

/// One RUN: its exit status and the size of the layer it made.
fn run_step(root: &Path, env: &[(String, String)], workdir: &str, script: &str) -> Result<(i32, u64), String> {
    let before = snapshot::scan(root)?;
    let mut command = Command::new("debuerreotype-chroot");
    command.arg(root).args(["env", "-i", "HOME=/root", "HOSTNAME=buildkitsandbox", "PIP_CERT=/layerlab-inputs/ca.pem"]);
    command.args(env.iter().map(|(k, v)| format!("{k}={v}")));
    command.args(["/bin/sh", "-c", "umask 022 && cd \"$1\" && exec /bin/sh -c \"$2\"", "sh", workdir, script]);
    let status = command.stdin(std::process::Stdio::null()).status().map_err(|e| format!("debuerreotype-chroot: {e}"))?;
    let exit_code = status.code().unwrap_or(-1);
    if exit_code != 0 {
        return Ok((exit_code, 0));
    }
    let after = snapshot::scan(root)?;
    let layer = snapshot::layer(root, &before, &after)?;
    Ok((0, manifest::docker_size(&layer.entries().map_err(|e| e.to_string())?)))
}

fn split(kv: &str) -> (String, String) {
    let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
    (k.to_string(), v.to_string())
}

/// `$NAME` and `${NAME}` from the ENV so far (all the suite's ENV lines use).
fn expand(value: &str, env: &[(String, String)]) -> String {
    let mut out = value.to_string();
    for (k, v) in env {
        out = out.replace(&format!("${{{k}}}"), v).replace(&format!("${k}"), v);
    }
    out
}
