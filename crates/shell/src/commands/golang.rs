//! `go`, modelled on Debian bookworm's golang-go (Go 1.19.8), measured in a chroot of
//! debian:bookworm-slim on 2026-12-06 (the figures below). The simulator cannot compile, so
//! `go build` writes a binary of a modelled size and the build cache the measured build left,
//! and says so; `go version`, `go mod init` and the errors for a missing go.mod or package
//! are Go's own. Modules from the network cannot download (no network, no module catalog):
//! a go.mod with requirements stops the step with a message.

use std::sync::Arc;

use layerlab_image::fs::{Content, Meta, Node};

use crate::accounts::read_text;
use crate::interp::{Flow, Shell, Status};

/// The measured hello world: main.go (72 bytes: `fmt.Println("hello world")`) of module
/// example.com/hello, built with `go build` (1,819,292 bytes) and `-ldflags="-s -w"`
/// (1,216,512).
const HELLO_SOURCE: u64 = 72;
const HELLO_BINARY: u64 = 1_819_292;
const HELLO_STRIPPED: u64 = 1_216_512;
/// What that first build left in GOCACHE besides README and trim.txt: 89 files in 256
/// folders, 1,305,007 bytes.
const CACHE_FILES: u64 = 89;
const CACHE_BYTES: u64 = 1_305_007;
const CACHE_README: &str = "This directory holds cached build artifacts from the Go build system.\nRun \"go clean -cache\" if the directory is getting too large.\nRun \"go clean -fuzzcache\" to delete the fuzz cache.\nSee golang.org to learn more about Go.\n";

pub fn go(sh: &mut Shell, args: &[String]) -> Status {
    let words: Vec<&str> = args[1..].iter().map(String::as_str).collect();
    match words.as_slice() {
        ["version"] => version(sh),
        ["build", rest @ ..] => build(sh, rest),
        ["mod", "init", rest @ ..] => mod_init(sh, rest.first().copied()),
        ["mod", "download", ..] => mod_download(sh),
        ["run" | "test", ..] => Err(Flow::Abort(format!("layerlab: go {} runs Go programs, which the simulator cannot; this step cannot be simulated", words[0]))),
        _ => Err(Flow::Abort(format!("layerlab: `go {}` is not modelled; Layerlab's go knows version, build, mod init and mod download", words.join(" ")))),
    }
}

/// `go1.19.8`, from the Debian package the toolchain comes in (`/usr/lib/go-1.19`).
fn toolchain(sh: &Shell) -> Option<String> {
    let parts = sh.fs.canonical(&sh.command_path, true).ok()?;
    let series = parts.iter().find_map(|p| p.strip_prefix("go-"))?;
    crate::commands::upstream_version(sh.fs, &format!("golang-{series}-go")).map(|v| format!("go{v}"))
}

fn version(sh: &mut Shell) -> Status {
    let Some(version) = toolchain(sh) else {
        return Err(Flow::Abort("layerlab: this go is not Debian's golang-go, the one Go Layerlab models".into()));
    };
    sh.out(&format!("go version {version} linux/amd64\n"))?;
    Ok(0)
}

/// The module: its root folder, path and requirements, from the nearest go.mod upwards.
struct Module {
    root: String,
    path: String,
    requires: Vec<String>,
}

fn module(sh: &Shell) -> Option<Module> {
    sh.find_upwards("go.mod").map(|(root, text)| parse_go_mod(&root, &text))
}

fn parse_go_mod(root: &str, text: &str) -> Module {
    let mut module = Module { root: root.to_string(), path: String::new(), requires: Vec::new() };
    let mut in_block = false;
    for line in text.lines().map(|l| l.split("//").next().unwrap_or("").trim()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["module", path] => module.path = path.trim_matches('"').to_string(),
            ["require", "("] => in_block = true,
            [")"] => in_block = false,
            ["require", name, version, ..] => module.requires.push(format!("{name}@{version}")),
            [name, version, ..] if in_block => module.requires.push(format!("{name}@{version}")),
            _ => {}
        }
    }
    module
}

fn no_module(sh: &mut Shell) -> Status {
    sh.err("go: go.mod file not found in current directory or any parent directory; see 'go help modules'\n")?;
    Ok(1)
}

/// Modules come from proxy.golang.org, which the simulator cannot reach.
fn needs_network(module: &Module) -> Result<(), Flow> {
    match module.requires.first() {
        Some(first) => Err(Flow::Abort(format!(
            "layerlab: go would download {first} (and the module's other requirements) from proxy.golang.org; the simulator has no network and no Go module catalog, so this step cannot be simulated"
        ))),
        None => Ok(()),
    }
}

fn mod_download(sh: &mut Shell) -> Status {
    let Some(module) = module(sh) else { return no_module(sh) };
    needs_network(&module)?;
    Ok(0)
}

fn mod_init(sh: &mut Shell, name: Option<&str>) -> Status {
    let path = sh.absolute("go.mod");
    if sh.fs.get(&path, true).is_ok() {
        sh.err(&format!("go: {path} already exists\n"))?;
        return Ok(1);
    }
    let Some(name) = name else {
        sh.err(&format!("go: cannot determine module path for source directory {} (outside GOPATH, module path must be specified)\n\nExample usage:\n\t'go mod init example.com/m' to initialize a v0 or v1 module\n\t'go mod init example.com/m/v2' to initialize a v2 module\n\nRun 'go help mod init' for more information.\n", sh.cwd()))?;
        return Ok(1);
    };
    let series = toolchain(sh).and_then(|v| v.strip_prefix("go").map(|v| v.splitn(3, '.').take(2).collect::<Vec<_>>().join("."))).unwrap_or_else(|| "1.19".into());
    let meta = Meta { mode: 0o644, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now };
    let text = format!("module {name}\n\ngo {series}\n");
    sh.fs.write_file(&path, Content::Bytes(Arc::from(text.as_bytes())), meta).map_err(|e| Flow::Abort(format!("layerlab: go could not write {path}: {}", e.message())))?;
    let dir = sh.cwd().to_string();
    let hint = if go_files(sh, &dir).is_empty() { "" } else { "go: to add module requirements and sums:\n\tgo mod tidy\n" };
    sh.err(&format!("go: creating new go.mod: module {name}\n{hint}"))?;
    Ok(0)
}

/// The package's .go files (tests left out), with their sizes.
fn go_files(sh: &Shell, dir: &str) -> Vec<(String, u64)> {
    match sh.fs.get(dir, true) {
        Ok(Node::Dir(d)) => d
            .children
            .iter()
            .filter(|(name, _)| name.ends_with(".go") && !name.ends_with("_test.go"))
            .filter_map(|(name, node)| match node {
                Node::File(f) => Some((name.clone(), f.content.size())),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

struct BuildFlags {
    output: Option<String>,
    stripped: bool,
    packages: Vec<String>,
}

fn build_flags(args: &[&str]) -> Result<BuildFlags, Flow> {
    let mut flags = BuildFlags { output: None, stripped: false, packages: Vec::new() };
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let (flag, inline) = word.split_once('=').map_or((*word, None), |(f, v)| (f, Some(v.to_string())));
        let mut value = || inline.clone().or_else(|| words.next().map(|s| s.to_string())).ok_or_else(|| Flow::Abort(format!("layerlab: go build {flag} without a value")));
        match flag.trim_start_matches('-') {
            "o" if flag.starts_with('-') => flags.output = Some(value()?),
            "ldflags" if flag.starts_with('-') => {
                let ldflags = value()?;
                flags.stripped = ldflags.split_whitespace().any(|f| f == "-s") && ldflags.split_whitespace().any(|f| f == "-w");
            }
            "tags" | "mod" | "gcflags" | "buildmode" | "p" if flag.starts_with('-') => {
                value()?;
            }
            _ if flag.starts_with('-') => {}
            _ => flags.packages.push(word.to_string()),
        }
    }
    Ok(flags)
}

fn build(sh: &mut Shell, args: &[&str]) -> Status {
    let flags = build_flags(args)?;
    let Some(module) = module(sh) else { return no_module(sh) };
    needs_network(&module)?;
    let package = match flags.packages.as_slice() {
        [] => ".".to_string(),
        [one] if !one.contains("...") => one.clone(),
        _ => return Err(Flow::Abort("layerlab: go build of several packages is not modelled".into())),
    };
    let dir = sh.absolute_clean(&package);
    if sh.fs.get(&dir, true).is_err() {
        sh.err(&format!("stat {dir}: directory not found\n"))?;
        return Ok(1);
    }
    let files = go_files(sh, &dir);
    if files.is_empty() {
        sh.err(&format!("no Go files in {dir}\n"))?;
        return Ok(1);
    }
    write_cache(sh)?;
    sh.spend_ms(1_500);
    let main = files.iter().any(|(name, _)| read_text(sh.fs, &format!("{dir}/{name}")).is_some_and(|t| t.lines().any(|l| l.trim() == "package main")));
    if !main {
        return Ok(0);
    }
    let import_path = match dir.strip_prefix(module.root.trim_end_matches('/')) {
        Some(rest) if !rest.is_empty() => format!("{}{rest}", module.path),
        _ => module.path.clone(),
    };
    let name = import_path.rsplit('/').next().unwrap_or("main").to_string();
    let out = output_path(sh, flags.output.as_deref(), &name);
    let sources: u64 = files.iter().map(|(_, size)| size).sum();
    let base = if flags.stripped { HELLO_STRIPPED } else { HELLO_BINARY };
    let size = base + sources.saturating_sub(HELLO_SOURCE);
    sh.add_disk(size)?;
    let meta = Meta { mode: 0o755, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now };
    sh.fs.write_file(&out, Content::Sized { size, id: Arc::from(format!("modelled:go:{out}")) }, meta).map_err(|e| Flow::Abort(format!("layerlab: go could not write {out}: {}", e.message())))?;
    sh.err(&format!("layerlab: {out} is modelled, not compiled: {size} bytes (Go 1.19.8's hello world measured {base}, plus the sources' size); the build cache is the one that build left\n"))?;
    Ok(0)
}

/// `-o` names a file, or a folder (existing, or written with a final `/`) to put it in.
fn output_path(sh: &Shell, output: Option<&str>, name: &str) -> String {
    match output {
        None => sh.absolute(name),
        Some(o) => {
            let path = sh.absolute(o);
            let is_dir = o.ends_with('/') || matches!(sh.fs.get(&path, true), Ok(Node::Dir(_)));
            if is_dir { format!("{}/{name}", path.trim_end_matches('/')) } else { path }
        }
    }
}

/// GOCACHE (`$HOME/.cache/go-build`) as the measured first build left it: README, trim.txt
/// (the time, in seconds) and the build's artifacts, spread over its 256 folders.
fn write_cache(sh: &mut Shell) -> Result<(), Flow> {
    let env = sh.environment();
    let var = |name: &str| env.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let cache = var("GOCACHE").unwrap_or_else(|| format!("{}/.cache/go-build", var("HOME").unwrap_or_else(|| "/root".into())));
    if sh.fs.get(&format!("{cache}/README"), true).is_ok() {
        return Ok(());
    }
    let dir = Meta { mode: 0o755, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now };
    let file = Meta { mode: 0o644, ..dir };
    let text = |t: &str| Content::Bytes(Arc::from(t.as_bytes()));
    let fail = |e: layerlab_image::fs::FsError| Flow::Abort(format!("layerlab: go could not write its cache in {cache}: {}", e.message()));
    sh.fs.mkdir_all(&cache, dir).map_err(fail)?;
    sh.fs.write_file(&format!("{cache}/README"), text(CACHE_README), file).map_err(fail)?;
    sh.fs.write_file(&format!("{cache}/trim.txt"), text(&sh.now.to_string()), file).map_err(fail)?;
    sh.add_disk(CACHE_BYTES)?;
    for n in 0..256u64 {
        sh.step()?;
        let folder = format!("{cache}/{n:02x}");
        sh.fs.mkdir_all(&folder, dir).map_err(fail)?;
        // Artifacts are named by their action's SHA-256; these names are the modelled ones'.
        if n < CACHE_FILES {
            // 1,305,007 bytes are 89 × 14,663.
            let size = CACHE_BYTES / CACHE_FILES;
            let id = Arc::from(format!("modelled:go-build-cache:{n}"));
            sh.fs.write_file(&format!("{folder}/{n:02x}{:062x}-d", n * 0x9e37_79b9), Content::Sized { size, id }, file).map_err(fail)?;
        }
    }
    Ok(())
}
