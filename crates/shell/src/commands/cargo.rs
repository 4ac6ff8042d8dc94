//! `cargo` and `rustc`, modelled on rust:1-slim's toolchain (Rust 1.97.1), measured in a
//! chroot of that image on 2026-12-06. The simulator cannot compile: `cargo build` writes the
//! tree the measured hello world's build left under `target/` (its binary of the measured
//! size plus the sources', fingerprints, dep-info, incremental data) and says so. `cargo new`
//! and `cargo init` write what cargo writes. Crates from the registry are not modelled: a
//! Cargo.toml with dependencies stops the step with a message.

use std::sync::Arc;

use layerlab_image::fs::{Content, Meta, Node};

use crate::accounts::read_text;
use crate::interp::{Flow, Shell, Status};

/// The toolchain's own answers to `--version`.
const CARGO_VERSION: &str = "cargo 1.97.1 (c980f4866 2026-06-30)";
const RUSTC_VERSION: &str = "rustc 1.97.1 (8bab26f4f 2026-07-14)";
const TOOLCHAIN: &str = "/usr/local/rustup/toolchains/1.97.1-x86_64-unknown-linux-gnu";

/// The measured program: `cargo new`'s src/main.rs (45 bytes).
const HELLO_SOURCE: u64 = 45;
const MAIN_RS: &str = "fn main() {\n    println!(\"Hello, world!\");\n}\n";
const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by cargo.\n# For information about cache directory tags see https://bford.info/cachedir/\n";

/// A build profile as measured: its directory, the Finished line's words, the binary and
/// the other files the build left (sizes), incremental data included for `dev`.
struct Profile {
    dir: &'static str,
    finished: &'static str,
    binary: u64,
    fingerprint_json: u64,
    deps_d: u64,
    incremental: &'static [u64],
}

const RELEASE: Profile = Profile { dir: "release", finished: "`release` profile [optimized] target(s) in 0.16s", binary: 444_976, fingerprint_json: 340, deps_d: 135, incremental: &[] };
const DEV: Profile = Profile {
    dir: "debug",
    finished: "`dev` profile [unoptimized + debuginfo] target(s) in 0.11s",
    binary: 4_362_424,
    fingerprint_json: 338,
    deps_d: 131,
    incremental: &[3216, 3856, 6440, 7256, 3464, 72_991, 6144, 5916, 506],
};

pub fn cargo(sh: &mut Shell, args: &[String]) -> Status {
    let words: Vec<&str> = args[1..].iter().map(String::as_str).collect();
    match words.as_slice() {
        ["--version" | "-V"] => version(sh, CARGO_VERSION),
        ["build", rest @ ..] | ["b", rest @ ..] => build(sh, rest),
        ["new", rest @ ..] => new(sh, rest, true),
        ["init", rest @ ..] => new(sh, rest, false),
        ["run" | "test" | "bench", ..] => Err(Flow::Abort(format!("layerlab: cargo {} runs Rust programs, which the simulator cannot; this step cannot be simulated", words[0]))),
        _ => Err(Flow::Abort(format!("layerlab: `cargo {}` is not modelled; Layerlab's cargo knows --version, new, init and build", words.join(" ")))),
    }
}

pub fn rustc(sh: &mut Shell, args: &[String]) -> Status {
    match args.get(1).map(String::as_str) {
        Some("--version" | "-V") => version(sh, RUSTC_VERSION),
        _ => Err(Flow::Abort("layerlab: rustc is modelled only for --version; cargo build is modelled".into())),
    }
}

/// The versions are those of the toolchain rust:1-slim installs, the one Layerlab models.
fn version(sh: &mut Shell, text: &str) -> Status {
    if sh.fs.get(TOOLCHAIN, true).is_err() {
        return Err(Flow::Abort("layerlab: this Rust toolchain is not rust:1-slim's, the one Layerlab models".into()));
    }
    sh.out(&format!("{text}\n"))?;
    Ok(0)
}

fn meta(sh: &Shell, mode: u32) -> Meta {
    Meta { mode, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now }
}

fn write(sh: &mut Shell, path: &str, content: Content, mode: u32) -> Result<(), Flow> {
    if let Some((dir, _)) = path.rsplit_once('/') {
        let m = meta(sh, 0o755);
        let _ = sh.fs.mkdir_all(dir, m);
    }
    if let Content::Sized { size, .. } = &content {
        sh.add_disk(*size)?;
    }
    let m = meta(sh, mode);
    sh.fs.write_file(path, content, m).map_err(|e| Flow::Abort(format!("layerlab: cargo could not write {path}: {}", e.message())))
}

fn text(t: &str) -> Content {
    Content::Bytes(Arc::from(t.as_bytes()))
}

fn sized(size: u64, path: &str) -> Content {
    Content::Sized { size, id: Arc::from(format!("modelled:cargo:{path}")) }
}

/// `cargo new NAME` (a folder NAME) and `cargo init [DIR]` (the current or given folder):
/// Cargo.toml, src/main.rs, .gitignore and the empty git repository cargo makes.
fn new(sh: &mut Shell, args: &[&str], fresh: bool) -> Status {
    let target = args.iter().find(|a| !a.starts_with('-')).copied();
    let dir = match (fresh, target) {
        (true, None) => return Err(Flow::Abort("layerlab: cargo new without a path prints cargo's usage error, which is not modelled".into())),
        (_, Some(t)) => sh.absolute_clean(t),
        (false, None) => sh.cwd().to_string(),
    };
    if sh.fs.get(&format!("{dir}/Cargo.toml"), true).is_ok() || (fresh && sh.fs.get(&dir, true).is_ok()) {
        return Err(Flow::Abort(format!("layerlab: cargo {} over an existing {dir} is not modelled", if fresh { "new" } else { "init" })));
    }
    let name = dir.rsplit('/').next().unwrap_or("app").to_string();
    let manifest = format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n");
    write(sh, &format!("{dir}/Cargo.toml"), text(&manifest), 0o644)?;
    write(sh, &format!("{dir}/src/main.rs"), text(MAIN_RS), 0o644)?;
    write(sh, &format!("{dir}/.gitignore"), text("/target\n"), 0o644)?;
    git_skeleton(sh, &dir)?;
    sh.err(&format!("    Creating binary (application) `{name}` package\nnote: see more `Cargo.toml` keys and their definitions at https://doc.rust-lang.org/cargo/reference/manifest.html\n"))?;
    Ok(0)
}

/// The repository cargo's libgit2 initialises (no commit).
fn git_skeleton(sh: &mut Shell, dir: &str) -> Result<(), Flow> {
    let files = [
        ("HEAD", "ref: refs/heads/master\n", 0o644),
        ("config", "[core]\n\tbare = false\n\trepositoryformatversion = 0\n\tfilemode = true\n\tlogallrefupdates = true\n", 0o644),
        ("description", "Unnamed repository; edit this file 'description' to name the repository.\n", 0o644),
        ("info/exclude", "# File patterns to ignore; see `git help ignore` for more information.\n# Lines that start with '#' are comments.\n", 0o644),
        ("hooks/README.sample", "#!/bin/sh\n#\n# Place appropriately named executable hook scripts into this directory\n# to intercept various actions that git takes.  See `git help hooks` for\n# more information.\n", 0o755),
    ];
    for (path, content, mode) in files {
        write(sh, &format!("{dir}/.git/{path}"), text(content), mode)?;
    }
    let m = meta(sh, 0o755);
    for folder in ["objects/info", "objects/pack", "refs/heads", "refs/tags"] {
        let _ = sh.fs.mkdir_all(&format!("{dir}/.git/{folder}"), m);
    }
    Ok(())
}

/// The package's root (where Cargo.toml is, upwards from the working folder), name, version
/// and whether it has dependencies.
struct Package {
    root: String,
    name: String,
    version: String,
    dependencies: Vec<String>,
}

fn package(sh: &Shell) -> Option<Package> {
    sh.find_upwards("Cargo.toml").map(|(root, manifest)| parse_manifest(&root, &manifest))
}

fn parse_manifest(root: &str, text: &str) -> Package {
    let mut package = Package { root: root.to_string(), name: String::new(), version: "0.0.0".into(), dependencies: Vec::new() };
    let mut section = "";
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        if line.starts_with('[') {
            section = line.trim_matches(['[', ']']);
            continue;
        }
        let Some((key, value)) = line.split_once('=') else { continue };
        let (key, value) = (key.trim(), value.trim().trim_matches('"'));
        match section {
            "package" if key == "name" => package.name = value.to_string(),
            "package" if key == "version" => package.version = value.to_string(),
            "dependencies" | "build-dependencies" => package.dependencies.push(key.to_string()),
            _ => {}
        }
    }
    package
}

fn build(sh: &mut Shell, args: &[&str]) -> Status {
    let Some(package) = package(sh) else {
        sh.err(&format!("error: could not find `Cargo.toml` in `{}` or any parent directory\n", sh.cwd()))?;
        return Ok(101);
    };
    if let Some(first) = package.dependencies.first() {
        return Err(Flow::Abort(format!(
            "layerlab: cargo would download {first} (and the package's other dependencies) from crates.io and compile them, which the simulator cannot; this step cannot be simulated"
        )));
    }
    let profile = if args.iter().any(|a| *a == "--release" || *a == "-r") { &RELEASE } else { &DEV };
    let sources: u64 = source_bytes(sh, &format!("{}/src", package.root));
    let root = package.root.clone();
    sh.err(&format!("   Compiling {} v{} ({root})\n", package.name, package.version))?;
    if read_text(sh.fs, &format!("{root}/Cargo.lock")).is_none() {
        let lock = format!("# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n\n[[package]]\nname = \"{}\"\nversion = \"{}\"\n", package.name, package.version);
        write(sh, &format!("{root}/Cargo.lock"), text(&lock), 0o644)?;
    }
    let binary = write_target(sh, &package, profile, sources)?;
    sh.spend_ms(if profile.dir == "release" { 160 } else { 110 });
    sh.err(&format!("    Finished {}\n", profile.finished))?;
    sh.err(&format!("layerlab: {binary} is modelled, not compiled: its size is Rust 1.97.1's measured hello world's plus the sources', and target/ holds what that build left\n"))?;
    Ok(0)
}

/// Bytes of the `.rs` files under `dir`.
fn source_bytes(sh: &Shell, dir: &str) -> u64 {
    let Ok(Node::Dir(d)) = sh.fs.get(dir, true) else { return 0 };
    d.children
        .iter()
        .map(|(name, node)| match node {
            Node::File(f) if name.ends_with(".rs") => f.content.size(),
            Node::Dir(_) => source_bytes(sh, &format!("{dir}/{name}")),
            _ => 0,
        })
        .sum()
}

/// The measured build's tree under target/, named for this package; returns the binary's path.
fn write_target(sh: &mut Shell, package: &Package, profile: &Profile, sources: u64) -> Result<String, Flow> {
    let (root, name) = (package.root.as_str(), package.name.as_str());
    let target = format!("{root}/target");
    let out = format!("{target}/{}", profile.dir);
    // Cargo names a unit's files by a hash of its metadata; these are modelled ones.
    let hash = format!("{:016x}", fnv(&format!("{name} {} {}", package.version, profile.dir)));
    let unit = format!("{name}-{hash}");
    if sh.fs.get(&format!("{target}/CACHEDIR.TAG"), true).is_err() {
        write(sh, &format!("{target}/CACHEDIR.TAG"), text(CACHEDIR_TAG), 0o644)?;
        write(sh, &format!("{target}/.rustc_info.json"), sized(1266, "rustc_info"), 0o644)?;
    }
    for lock in [".cargo-artifact-lock", ".cargo-build-lock", ".cargo-lock"] {
        write(sh, &format!("{out}/{lock}"), text(""), 0o644)?;
    }
    let fingerprint = format!("{out}/.fingerprint/{unit}");
    write(sh, &format!("{fingerprint}/bin-{name}"), sized(16, "fingerprint"), 0o644)?;
    write(sh, &format!("{fingerprint}/bin-{name}.json"), sized(profile.fingerprint_json, "fingerprint"), 0o644)?;
    write(sh, &format!("{fingerprint}/dep-bin-{name}"), sized(31, "fingerprint"), 0o644)?;
    write(sh, &format!("{fingerprint}/invoked.timestamp"), sized(48, "fingerprint"), 0o644)?;
    let m = meta(sh, 0o755);
    for folder in ["build", "examples", "incremental"] {
        let _ = sh.fs.mkdir_all(&format!("{out}/{folder}"), m);
    }
    for (n, size) in profile.incremental.iter().enumerate() {
        write(sh, &format!("{out}/incremental/{name}-{hash}/session/{n:02}.bin"), sized(*size, "incremental"), 0o644)?;
    }
    let binary = format!("{out}/{name}");
    let size = profile.binary + sources.saturating_sub(HELLO_SOURCE);
    write(sh, &format!("{out}/deps/{unit}"), sized(size, &binary), 0o755)?;
    write(sh, &format!("{out}/deps/{unit}.d"), sized(profile.deps_d, "dep-info"), 0o644)?;
    // The binary beside deps/ is a hard link of the one inside.
    let _ = sh.fs.remove(&binary, false);
    sh.fs.hardlink(&format!("{out}/deps/{unit}"), &binary).map_err(|e| Flow::Abort(format!("layerlab: cargo could not link {binary}: {}", e.message())))?;
    let dep_info = format!("{binary}: {root}/src/main.rs\n");
    write(sh, &format!("{binary}.d"), text(&dep_info), 0o644)?;
    Ok(binary)
}

/// FNV-1a, for the modelled unit hash.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
