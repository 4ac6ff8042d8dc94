//! npm as the official node images run it (npm 10): `install` / `ci` from package.json and
//! package-lock.json in the working directory, `install NAME`, `install -g`, `cache clean`,
//! over the npm catalog (npm's own lockfile resolutions, the registry's tarballs). The tree,
//! both lockfiles, `.bin` links, npm's cache and its log land where npm puts them, with
//! npm's wording. Audit is not simulated (no advisory database): its lines are left out, as
//! npm leaves them out when the audit endpoint does not answer, and a note says so.

mod layout;
mod ordered;
mod tree;
mod yarn;

pub use yarn::{compile_cache, yarn, V8_CACHE_VERSION};

use serde_json::Value;

use crate::accounts::read_text;
use crate::interp::{Flow, Shell, Status};

/// What the command line asked for.
pub struct Request {
    pub names: Vec<String>,
    pub global: bool,
    pub omit_dev: bool,
    pub save_dev: bool,
    pub clean: bool,
    pub quiet: bool,
    pub fund: bool,
}

pub fn npm(sh: &mut Shell, args: &[String]) -> Status {
    let words = &args[1..];
    if matches!(words.first().map(String::as_str), Some("--version" | "-v")) {
        return super::node::npm_version(sh);
    }
    let Some(command) = words.iter().find(|w| !w.starts_with('-')) else { return unmodelled(args) };
    match command.as_str() {
        "install" | "i" | "add" | "isntall" | "in" => install(sh, words, false),
        "ci" | "clean-install" | "ic" | "install-clean" | "isntall-clean" => install(sh, words, true),
        "cache" => cache(sh, words),
        "run" | "run-script" | "rum" | "urn" => run_script(sh, words),
        _ => unmodelled(args),
    }
}

fn unmodelled(args: &[String]) -> Status {
    Err(Flow::Abort(format!("layerlab: `{}` is not simulated: of npm's commands install, ci and cache clean are modelled", args.join(" "))))
}

fn parse(words: &[String], clean: bool) -> Result<Request, String> {
    let mut request = Request { names: Vec::new(), global: false, omit_dev: false, save_dev: false, clean, quiet: false, fund: true };
    let mut after_command = false;
    let mut i = 0;
    while i < words.len() {
        let word = words[i].as_str();
        match word {
            "-g" | "--global" => request.global = true,
            "--production" | "--omit=dev" | "--only=production" | "--only=prod" => request.omit_dev = true,
            "--omit" if words.get(i + 1).is_some_and(|v| v == "dev") => {
                request.omit_dev = true;
                i += 1;
            }
            "-D" | "--save-dev" => request.save_dev = true,
            "-s" | "--silent" | "-q" | "--quiet" | "--loglevel=error" | "--loglevel=silent" | "--loglevel=warn" => request.quiet = true,
            "--no-fund" => request.fund = false,
            "--no-audit" | "--ignore-scripts" | "--legacy-peer-deps" | "--no-optional" | "--prefer-offline" | "--no-progress" | "--no-save" | "-S" | "--save" | "--save-exact" | "-E" | "--unsafe-perm" | "--no-package-lock" | "--force" => {}
            _ if word.starts_with("--loglevel") => request.quiet = !word.ends_with("info") && !word.ends_with("verbose"),
            _ if word.starts_with('-') => return Err(word.to_string()),
            _ if !after_command => after_command = true,
            _ => request.names.push(word.to_string()),
        }
        i += 1;
    }
    Ok(request)
}

fn install(sh: &mut Shell, words: &[String], clean: bool) -> Status {
    let mut request = match parse(words, clean) {
        Ok(request) => request,
        Err(option) => return Err(Flow::Abort(format!("layerlab: npm's {option} is not simulated yet"))),
    };
    // npm reads NODE_ENV=production as --omit=dev.
    request.omit_dev |= sh.var("NODE_ENV").is_some_and(|v| v == "production");
    request.quiet |= sh.var("NPM_CONFIG_LOGLEVEL").or_else(|| sh.var("npm_config_loglevel")).is_some_and(|v| ["silent", "error", "warn"].contains(&v.as_str()));
    let index = sh.catalog(|store| store.npm())?;
    let project = if request.global { None } else { Some(Project::read(sh)) };
    if request.clean && project.as_ref().is_some_and(|p| p.lock.is_none()) {
        return npm_error(sh, CI_WITHOUT_LOCK, 1);
    }
    let plan = match tree::plan(index, &request, project.as_ref()) {
        Ok(plan) => plan,
        Err(names) => return Err(not_in_catalog(&names)),
    };
    if !sh.network && !plan.placed.is_empty() {
        return offline(sh, &request, project.as_ref(), &plan);
    }
    layout::apply(sh, index, &request, project.as_ref(), &plan)
}

fn not_in_catalog(names: &[String]) -> Flow {
    Flow::Abort(format!(
        "layerlab: not in the npm catalog: {} (it holds the 48 most used packages and what they depend on); this install cannot be simulated",
        names.join(", ")
    ))
}

/// Without a network npm's first registry request fails after its retries (recorded for
/// `npm install NAME` with `unshare -n`: about 70 s). Which request comes first otherwise
/// (many go out at once) is this model's choice: the first package in lockfile order.
fn offline(sh: &mut Shell, request: &Request, project: Option<&Project>, plan: &tree::Plan) -> Status {
    let first = &plan.placed[0];
    let url = match request.names.first() {
        Some(spec) => format!("{REGISTRY}/{}", spec_name(spec)),
        None if project.is_some_and(|p| p.lock.is_some()) => {
            let version = first.key.rsplit_once('@').map_or("", |(_, v)| v);
            let base = first.name.rsplit('/').next().unwrap_or(&first.name);
            format!("{REGISTRY}/{}/-/{base}-{version}.tgz", first.name)
        }
        None => format!("{REGISTRY}/{}", first.name),
    };
    sh.spend_ms(70_000);
    let message = format!("code EAI_AGAIN\nsyscall getaddrinfo\nerrno EAI_AGAIN\nrequest to {url} failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org");
    npm_error(sh, &message, 1)
}

const REGISTRY: &str = "https://registry.npmjs.org";

/// `express@5.1.0` → `express`; `@types/node@20` → `@types/node`.
fn spec_name(spec: &str) -> &str {
    match spec.char_indices().skip(1).find(|&(_, c)| c == '@') {
        Some((at, _)) => &spec[..at],
        None => spec,
    }
}

/// package.json and the lockfile in the working directory.
pub struct Project {
    pub dir: String,
    pub manifest: Option<Value>,
    pub lock: Option<Value>,
}

impl Project {
    fn read(sh: &Shell) -> Project {
        let dir = sh.absolute_clean(".");
        let json = |name: &str| read_text(sh.fs, &format!("{}/{name}", dir.trim_end_matches('/'))).and_then(|t| serde_json::from_str::<Value>(&t).ok());
        let lock = json("npm-shrinkwrap.json").or_else(|| json("package-lock.json")).filter(|l| l["lockfileVersion"].as_u64().is_some_and(|v| v >= 1));
        Project { manifest: json("package.json"), lock, dir }
    }

    /// package.json with `saved` (name, range) added to its dependencies, or to its
    /// devDependencies with `dev`.
    pub fn with_saved(&self, saved: &[(String, String)], dev: bool) -> Value {
        let mut manifest = self.manifest.clone().unwrap_or_else(|| Value::Object(Default::default()));
        if saved.is_empty() {
            return manifest;
        }
        let field = if dev { "devDependencies" } else { "dependencies" };
        if !manifest[field].is_object() {
            manifest[field] = Value::Object(Default::default());
        }
        for (name, range) in saved {
            manifest[field][name] = Value::String(range.clone());
        }
        manifest
    }

    /// `dependencies` and `devDependencies` of package.json, name → range.
    pub fn wanted(&self, field: &str) -> Vec<(String, String)> {
        let Some(Value::Object(deps)) = self.manifest.as_ref().map(|m| &m[field]) else { return Vec::new() };
        deps.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("*").to_string())).collect()
    }
}

const CI_WITHOUT_LOCK: &str = "code EUSAGE

The `npm ci` command can only install with an existing package-lock.json or
npm-shrinkwrap.json with lockfileVersion >= 1. Run an install with npm@5 or
later to generate a package-lock.json file, then try again.

Clean install a project

Usage:
npm ci

Options:
[--install-strategy <hoisted|nested|shallow|linked>] [--legacy-bundling]
[--global-style] [--omit <dev|optional|peer> [--omit <dev|optional|peer> ...]]
[--include <prod|dev|optional|peer> [--include <prod|dev|optional|peer> ...]]
[--strict-peer-deps] [--foreground-scripts] [--ignore-scripts] [--no-audit]
[--no-bin-links] [--no-fund] [--dry-run]
[-w|--workspace <workspace-name> [-w|--workspace <workspace-name> ...]]
[-ws|--workspaces] [--include-workspace-root] [--install-links]

aliases: clean-install, ic, install-clean, isntall-clean

Run \"npm help ci\" for more info";

/// npm's error block: each line after `npm error `, then where the log is (npm writes it).
fn npm_error(sh: &mut Shell, message: &str, status: i32) -> Status {
    let mut text = String::new();
    for line in message.lines() {
        text.push_str(if line.is_empty() { "npm error\n" } else { "npm error " });
        if !line.is_empty() {
            text.push_str(line);
            text.push('\n');
        }
    }
    let log = layout::write_log(sh, 0)?;
    text.push_str(&format!("npm error A complete log of this run can be found in: {log}\n"));
    sh.err(&text)?;
    Ok(status)
}

/// `npm run NAME`: scripts are programs the simulator does not run; a missing one fails as
/// npm fails.
fn run_script(sh: &mut Shell, words: &[String]) -> Status {
    let project = Project::read(sh);
    let Some(name) = words.iter().filter(|w| !w.starts_with('-')).nth(1) else {
        return Err(Flow::Abort("layerlab: `npm run` without a script name is not simulated".into()));
    };
    match project.manifest.as_ref().map(|m| &m["scripts"][name.as_str()]) {
        Some(Value::String(script)) => Err(Flow::Abort(format!("layerlab: `npm run {name}` runs `{script}`, a program the simulator cannot run; this step cannot be simulated"))),
        _ => npm_error(sh, &format!("Missing script: \"{name}\"\n\nTo see a list of scripts, run:\n  npm run"), 1),
    }
}

/// `npm cache clean --force` empties ~/.npm/_cacache; without --force npm refuses.
fn cache(sh: &mut Shell, words: &[String]) -> Status {
    let rest: Vec<&str> = words.iter().map(String::as_str).filter(|w| *w != "cache").collect();
    if !rest.contains(&"clean") && !rest.contains(&"clear") && !rest.contains(&"rm") {
        return Err(Flow::Abort(format!("layerlab: `npm {}` is not simulated", words.join(" "))));
    }
    if !rest.contains(&"--force") && !rest.contains(&"-f") {
        let message = "code EFORCE\nAs of npm@5, the npm cache self-heals from corruption issues\nby treating integrity mismatches as cache misses.  As a result,\ndata extracted from the cache is guaranteed to be valid.  If you\nwant to make sure everything is consistent, use `npm cache verify`\ninstead.  Deleting the cache can only make npm go slower, and is\nnot likely to correct any problems you may be encountering!\n\nOn the other hand, if you're debugging an issue with the installer,\nor race conditions that depend on the timing of writing to an empty\ncache, you can use `npm install --cache /tmp/empty-cache` to use a\ntemporary cache instead of nuking the actual one.\n\nIf you're sure you want to delete the entire cache, rerun this command\nwith --force.";
        return npm_error(sh, message, 1);
    }
    sh.err("npm warn using --force Recommended protections disabled.\n")?;
    let cache = format!("{}/.npm/_cacache", sh.var("HOME").unwrap_or_else(|| "/root".into()));
    let _ = sh.fs.remove(&cache, true);
    layout::write_log(sh, 0)?;
    Ok(0)
}
