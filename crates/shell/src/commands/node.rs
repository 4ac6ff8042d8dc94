//! Node.js's programs, as far as a build reaches them without running JavaScript: the
//! version each names (`node --version`, `yarn --version`, Debian's `npm --version`), read
//! from the image, as the smoke tests at the end of the official node Dockerfiles run them.
//! Running a program stops the step with a message; yarn's other commands are in npm/yarn.rs.

use crate::accounts::read_text;
use crate::interp::{Flow, Shell, Status};

/// The headers the official binary build installs next to `/usr/local/bin/node`.
const OFFICIAL_HEADERS: &str = "/usr/local/include/node/node_version.h";

pub fn node(sh: &mut Shell, args: &[String]) -> Status {
    match args.get(1).map(String::as_str) {
        Some("--version" | "-v") => match node_release(sh) {
            Some(release) => print(sh, &format!("v{release}")),
            None => Err(unknown_version(sh, "node")),
        },
        _ => Err(Flow::Abort(format!(
            "layerlab: `{}` runs a JavaScript program, which the simulator cannot run; this step cannot be simulated",
            args.join(" ")
        ))),
    }
}

/// The release of the Node.js that runs the tool being run (node itself, or yarn): for a
/// tool under /usr/local the official image's build, which names its release in
/// `NODE_VERSION` (its headers show the binary is that build); otherwise Debian's nodejs
/// package's (`18.20.4+dfsg-1~deb12u3`).
pub(crate) fn node_release(sh: &Shell) -> Option<String> {
    if sh.command_path.starts_with("/usr/local/") {
        let official = sh.fs.get(OFFICIAL_HEADERS, true).is_ok();
        return sh.var("NODE_VERSION").filter(|v| official && !v.is_empty());
    }
    debian_upstream(sh, "nodejs")
}

/// `yarn --version` here; yarn's other commands in npm/yarn.rs.
pub fn yarn(sh: &mut Shell, args: &[String]) -> Status {
    if !matches!(args.get(1).map(String::as_str), Some("--version" | "-v")) {
        return super::npm::yarn(sh, args);
    }
    let Some(version) = yarn_release(sh) else { return Err(unknown_version(sh, "yarn")) };
    print(sh, &version)?;
    super::npm::compile_cache(sh, super::npm::V8_CACHE_VERSION)?;
    Ok(0)
}

/// yarn 1 names its own folder (`/opt/yarn-v1.22.22/bin/yarn`, where the official image's
/// `/usr/local/bin/yarn` points); Debian's is its yarnpkg package's.
pub(crate) fn yarn_release(sh: &Shell) -> Option<String> {
    let folder = sh.fs.canonical(&sh.command_path, true).ok().and_then(|parts| {
        parts.iter().find_map(|part| part.strip_prefix("yarn-v").map(str::to_string))
    });
    folder.or_else(|| debian_upstream(sh, "yarnpkg"))
}

/// Node's module ABI (`process.versions.modules`), which yarn records as
/// `linux-x64-<abi>`: 108 for Node 18, 115 for 20, 127 for 22.
pub(crate) fn node_abi(sh: &Shell) -> Option<u32> {
    let release = node_release(sh)?;
    match release.split('.').next()? {
        "18" => Some(108),
        "20" => Some(115),
        "22" => Some(127),
        _ => None,
    }
}

/// `npm --version`: what npm's own package.json says, where a node image installs it
/// (`PREFIX/bin/npm` runs `PREFIX/lib/node_modules/npm`), else Debian's npm package
/// (`9.2.0~ds1-1` gives 9.2.0).
pub fn npm_version(sh: &mut Shell) -> Status {
    let prefix = sh.command_path.strip_suffix("/bin/npm").or_else(|| sh.command_path.strip_suffix("/bin/npx"));
    let bundled = prefix.map(|prefix| format!("{prefix}/lib/node_modules/npm/package.json"));
    let own = bundled.and_then(|path| read_text(sh.fs, &path)).and_then(|text| package_version(&text));
    let debian = || (!sh.command_path.starts_with("/usr/local/")).then(|| debian_upstream(sh, "npm")).flatten();
    match own.or_else(debian) {
        Some(version) => print(sh, &version),
        None => Err(unknown_version(sh, "npm")),
    }
}

/// `npx`: npm's `exec`, so `npx --version` is npm's version. Anything else fetches a
/// package into npm's cache and runs it, and the simulator cannot run JavaScript.
pub fn npx(sh: &mut Shell, args: &[String]) -> Status {
    match args.get(1).map(String::as_str) {
        Some("--version" | "-v") => npm_version(sh),
        _ => Err(Flow::Abort(format!("layerlab: `npx {}` runs a JavaScript program, which the simulator cannot run; this step cannot be simulated", args[1..].join(" ")))),
    }
}

fn package_version(package_json: &str) -> Option<String> {
    let manifest: serde_json::Value = serde_json::from_str(package_json).ok()?;
    manifest["version"].as_str().map(str::to_string)
}

fn debian_upstream(sh: &Shell, package: &str) -> Option<String> {
    let upstream = crate::commands::upstream_version(sh.fs, package)?;
    upstream.split(['+', '~']).next().map(str::to_string)
}

fn print(sh: &mut Shell, version: &str) -> Status {
    sh.out(&format!("{version}\n"))?;
    Ok(0)
}

fn unknown_version(sh: &Shell, tool: &str) -> Flow {
    Flow::Abort(format!(
        "layerlab: which version {} is, the image data does not record; `{tool} --version` cannot be answered",
        sh.command_path
    ))
}
