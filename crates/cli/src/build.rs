//! `layerlab build`: `docker build` with Docker's flags, over `--state DIR`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use layerlab_engine::context::BuildContext;
use layerlab_engine::build_flags::{self, FlagError};
use layerlab_engine::terminal::flag;
use layerlab_engine::{console, BuildRequest, Builder};

use crate::state::{Event, RecordedBuild, State};

const USAGE: &str = "usage: layerlab build [-f FILE] [-t TAG] [--progress=plain|tty] [--build-arg K=V] [--no-cache] [--target STAGE] [--classic] [--report json] [--state DIR] CONTEXT";

/// Docker's deprecation banner for the legacy builder (on stderr).
const CLASSIC_BANNER: &str = "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0\n            environment-variable.\n\n";

#[derive(Default)]
struct Options {
    file: Option<PathBuf>,
    tags: Vec<String>,
    progress: Option<String>,
    build_args: BTreeMap<String, String>,
    no_cache: bool,
    allow: Vec<String>,
    network: Option<String>,
    target: Option<String>,
    classic: bool,
    report_json: bool,
    state: Option<PathBuf>,
    context: Option<PathBuf>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let flags = build_flags::parse(args, |args, i| {
        if let Some(v) = flag(args, i, &["--report"]) {
            return Some(v.and_then(|v| match v.as_str() {
                "json" => {
                    o.report_json = true;
                    Ok(())
                }
                _ => Err(format!("--report: unknown format \"{v}\" (only json)")),
            }));
        }
        if let Some(v) = flag(args, i, &["--state"]) {
            return Some(v.map(|v| o.state = Some(PathBuf::from(v))));
        }
        (args[*i] == "--classic").then(|| {
            o.classic = true;
            Ok(())
        })
    })
    .map_err(|e| match e {
        FlagError::Unknown(flag) => format!("unknown flag: {flag}\n{USAGE}"),
        FlagError::Value(message) => message,
        FlagError::ExtraArgument => format!("\"docker build\" requires exactly 1 argument.\n{USAGE}"),
    })?;
    o.file = flags.file.map(PathBuf::from);
    o.tags = flags.tags;
    o.progress = flags.progress;
    o.no_cache = flags.no_cache;
    o.allow = flags.allow;
    o.network = flags.network;
    o.target = flags.target;
    o.context = flags.context.map(PathBuf::from);
    // `--build-arg K` takes the value from the environment, as Docker does.
    o.build_args = flags
        .build_args
        .into_iter()
        .map(|(k, v)| {
            let v = v.unwrap_or_else(|| std::env::var(&k).unwrap_or_default());
            (k, v)
        })
        .collect();
    Ok(o)
}

/// Seconds since the epoch: `SOURCE_DATE_EPOCH` when set (reproducible runs), else the clock.
pub fn now() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
    })
}

pub fn state_dir(explicit: Option<PathBuf>) -> PathBuf {
    explicit.unwrap_or_else(|| PathBuf::from(".layerlab"))
}

/// Every file under the context directory, paths relative and `/`-separated.
fn read_context(root: &Path, skip: &Path) -> Result<BuildContext, String> {
    let skip = skip.canonicalize().ok();
    let mut context = BuildContext::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("unable to prepare context: {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).map_err(|e| e.to_string())?;
            if meta.is_dir() {
                // The session state is the simulated daemon's, not part of the context.
                if path.canonicalize().ok() != skip {
                    pending.push(path);
                }
            } else if meta.is_file() {
                let rel = path.strip_prefix(root).map_err(|e| e.to_string())?.to_string_lossy().replace('\\', "/");
                let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                context.insert(&rel, &bytes, mode(&meta), mtime(&meta));
            }
        }
    }
    Ok(context)
}

#[cfg(unix)]
fn mode(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode(_: &std::fs::Metadata) -> u32 {
    0o644
}

fn mtime(meta: &std::fs::Metadata) -> i64 {
    meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs() as i64)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let o = parse(args)?;
    let context_dir = o.context.clone().ok_or_else(|| format!("\"docker build\" requires exactly 1 argument.\n{USAGE}"))?;
    let dockerfile_path = o.file.clone().unwrap_or_else(|| context_dir.join("Dockerfile"));
    let dockerfile = crate::read_dockerfile(&dockerfile_path.to_string_lossy())?;
    let state_path = state_dir(o.state.clone());
    let mut req = BuildRequest::new(&dockerfile, read_context(&context_dir, &state_path)?);
    req.dockerfile_name = dockerfile_path.file_name().map_or("Dockerfile".into(), |n| n.to_string_lossy().into_owned());
    req.tags = o.tags.clone();
    req.build_args = o.build_args.clone();
    req.target = o.target.clone();
    req.no_cache = o.no_cache;
    req.allow = o.allow.clone();
    req.network = o.network.clone();
    req.builder = if o.classic { Builder::Classic } else { Builder::BuildKit };
    let mut state = State::open(&state_path)?;
    let now = now();
    let report = state.build(&req, now);
    if report.missing_data.is_none() {
        state.record(Event::Build(RecordedBuild::from_request(&req, now)))?;
    }
    if o.report_json {
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
    } else if o.classic {
        // The classic builder streams to stdout; the CLI's banner goes to stderr.
        eprint!("{CLASSIC_BANNER}");
        print!("{}", console::classic::render(&report));
    } else {
        // BuildKit's progress goes to stderr, as `docker build` writes it.
        match o.progress.as_deref() {
            Some("tty") => eprint!("{}", console::buildkit::render_tty(&report)),
            None | Some("plain" | "auto") => eprint!("{}", console::buildkit::render(&report, &dockerfile, &req.dockerfile_name)),
            Some(other) => return Err(format!("invalid progress mode \"{other}\"")),
        }
    }
    // What Layerlab substituted or could not model (an unmodelled tag mapped to a modelled
    // one): Docker has no such lines, so they follow its output.
    if !o.report_json {
        for note in &report.notes {
            eprintln!("note: {note}");
        }
    }
    if let Some(path) = &report.missing_data {
        return Err(format!("the data file {path} is missing from the data directory"));
    }
    match report.error {
        Some(_) => Err(String::new()),
        None => Ok(()),
    }
}

/// `layerlab context [-f FILE] [-o FILE] DIR`: the tar the docker CLI sends as the build
/// context (what `.dockerignore` keeps, plus the Dockerfile and `.dockerignore`), to the file
/// or to stdout; `docker build - < context.tar` accepts it.
pub fn context_tar(args: &[String]) -> Result<(), String> {
    let (mut file, mut output, mut dir) = (None, None, None);
    let mut i = 0;
    while i < args.len() {
        if let Some(v) = flag(args, &mut i, &["-f", "--file"]) {
            file = Some(v?);
        } else if let Some(v) = flag(args, &mut i, &["-o", "--output"]) {
            output = Some(PathBuf::from(v?));
        } else if args[i].starts_with('-') {
            return Err(format!("unknown flag: {}", args[i]));
        } else {
            dir = Some(PathBuf::from(&args[i]));
        }
        i += 1;
    }
    let dir = dir.ok_or("\"layerlab context\" requires exactly 1 argument: the context directory")?;
    let context = read_context(&dir, &state_dir(None))?;
    let name = file.unwrap_or_else(|| "Dockerfile".into());
    let out = crate::archive_output(output.as_deref(), "", "refusing to write a tar to a terminal. Use the -o flag or redirect")?;
    crate::finish_archive(context.write_tar(&context.ignore_rules(&name), &name, out).map_err(|e| e.to_string())?)
}
