//! `pip install` past PEP 668: resolution over the PyPI catalog (pip's own resolutions,
//! CPython 3.12 wheels), pip's progress lines, the unpacked wheels, `.pyc` files, console
//! scripts and the download cache. Approximate where the catalog is: the wheels are
//! CPython 3.12's, so on Debian's 3.11 binary wheels and `.pyc` sizes are 3.12's.

use std::sync::Arc;

use layerlab_catalog::manifest::{self, Entry, Kind};
use layerlab_catalog::pip::{normalize, Distribution};
use layerlab_catalog::pipsolve::{parse_requirement, resolve, ResolveError};
use layerlab_image::fs::{Content, Meta};

use super::Python;
use crate::interp::{Flow, Shell, Status};
use crate::rootfs;

/// What the command line asked for.
pub struct Request {
    pub requirements: Vec<String>,
    pub no_cache: bool,
    pub target: Option<String>,
    pub quiet: bool,
    /// `--root-user-action=ignore` or `PIP_ROOT_USER_ACTION=ignore`.
    pub root_user_action_ignore: bool,
    /// `--disable-pip-version-check` or its environment variable.
    pub no_version_check: bool,
}

/// Where the files go: site-packages, the scripts directory, the interpreter's version.
struct Layout {
    site: String,
    scripts: String,
    python: String,
    minor: String,
}

/// Without a network pip retries the index five times for the first requirement, then
/// finds no version (recorded with `unshare -n`; the connection objects' addresses vary
/// from run to run, so these are made up).
fn offline(sh: &mut Shell, request: &Request) -> Status {
    let spec = request.requirements.first().map(String::as_str).unwrap_or("");
    let project: String = spec.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    let project = project.to_ascii_lowercase().replace(['_', '.'], "-");
    let mut text = String::new();
    for (i, total) in (0..5).rev().enumerate() {
        text += &format!(
            "WARNING: Retrying (Retry(total={total}, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f3c1a2b{:04x}>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')': /simple/{project}/\n",
            0x1050 + i * 0xd40
        );
    }
    text += &format!("ERROR: Could not find a version that satisfies the requirement {spec} (from versions: none)\nERROR: No matching distribution found for {spec}\n");
    sh.err(&text)?;
    // pip backs off between the retries: about 8 s in the recording.
    sh.spend_ms(8_000);
    Ok(1)
}

/// On a musl image (Alpine) pip would pick musllinux wheels, which the catalog does not
/// record: the manylinux ones stand in, and the learner is told so.
fn musl_note(sh: &mut Shell, fresh: &[(&Distribution, String)]) -> Result<(), Flow> {
    let binary: Vec<&str> = fresh.iter().map(|(d, _)| d.wheel.as_str()).filter(|w| !w.ends_with("-none-any.whl")).collect();
    if binary.is_empty() || sh.fs.get("/lib/ld-musl-x86_64.so.1", true).is_err() {
        return Ok(());
    }
    sh.err(&format!(
        "layerlab: this image's C library is musl, so pip would install musllinux wheels; Layerlab's pip catalog records manylinux ones, whose names and sizes stand in here ({})\n",
        binary.join(", ")
    ))
}

pub fn install(sh: &mut Shell, request: &Request, python: &Python) -> Status {
    let index = sh.catalog(|store| store.pip())?;
    let names: Vec<&str> = request.requirements.iter().map(String::as_str).collect();
    let layout = layout(sh, request, python);
    let resolved = resolve(index, &names);
    // Offline, pip gets no further than the index unless everything is installed already.
    let satisfied = resolved.as_ref().is_ok_and(|dists| dists.iter().all(|d| installed(sh, &layout, d)));
    if !sh.network && !satisfied {
        return offline(sh, request);
    }
    let dists = match resolved {
        Ok(dists) => dists,
        Err(e) => return refuse(sh, &e),
    };
    let mut fresh = Vec::new();
    for dist in &dists {
        sh.step()?;
        let spelled = spelling(request, &dists, dist);
        let (spec, parent) = (&spelled.0, &spelled.2);
        if installed(sh, &layout, dist) {
            let from = parent.as_ref().map(|p| format!(" (from {p})")).unwrap_or_default();
            say(sh, request, &format!("Requirement already satisfied: {spec} in {}{from} ({})\n", layout.site, dist.version))?;
            continue;
        }
        // pip 23.1 and later name the distribution that required it.
        let from = match parent {
            Some(p) if python.pip_major >= 24 => format!(" (from {p})"),
            _ => String::new(),
        };
        say(sh, request, &format!("Collecting {spec}{from}\n  Downloading {} ({})\n", dist.wheel, pip_size(dist.wheel_size)))?;
        if dist.wheel_size > progress_threshold(python.pip_major) {
            say(sh, request, &progress_bar(dist.wheel_size))?;
        }
        sh.spend_ms(dist.wheel_size * 8 / 100_000);
        fresh.push((*dist, spelled.1));
    }
    if fresh.is_empty() {
        return Ok(0);
    }
    musl_note(sh, &fresh)?;
    let order = installation_order(&dists, &fresh);
    say(sh, request, &format!("Installing collected packages: {}\n", order.join(", ")))?;
    for (dist, _) in &fresh {
        unpack(sh, &layout, dist)?;
        if !request.no_cache {
            cache(sh, dist)?;
        }
    }
    let mut done: Vec<String> = fresh.iter().map(|(d, name)| format!("{name}-{}", d.version)).collect();
    // pip sorts by name as spelled, capitals first.
    done.sort();
    say(sh, request, &format!("Successfully installed {}\n", done.join(" ")))?;
    if sh.user.uid == 0 && python.venv.is_none() && !request.root_user_action_ignore {
        sh.err(root_warning(python.pip_major))?;
    }
    if python.pip_major >= 25 && !request.quiet && !request.no_version_check {
        sh.err(&outdated_notice(sh, &layout))?;
    }
    Ok(0)
}

/// The newest pip on PyPI when this was measured (2026-12-06, through PyPI from the
/// generator's machine): pip 25.0.1, which the official python image bundles, says so
/// after each install. Debian's pip 23 has the check disabled.
const NEWEST_PIP: &str = "26.3";

/// pip's self-version-check notice, naming `pip` when the pip on PATH is this one (the
/// official image, a venv on PATH), else `python3 -m pip`.
fn outdated_notice(sh: &Shell, layout: &Layout) -> String {
    let path = sh.var("PATH").unwrap_or_default();
    let on_path = path.split(':').find(|dir| sh.fs.get(&format!("{dir}/pip"), true).is_ok()) == Some(layout.scripts.as_str());
    let command = if on_path { "pip" } else { "python3 -m pip" };
    format!("\n[notice] A new release of pip is available: 25.0.1 -> {NEWEST_PIP}\n[notice] To update, run: {command} install --upgrade pip\n")
}

/// pip's installation order (`get_topological_weights`): leaves of the dependency graph
/// are pruned round by round, each round's weighing the graph's size then minus one, so
/// what depends on nothing installs first; ties go by name, both descending.
fn installation_order(dists: &[&Distribution], fresh: &[(&Distribution, String)]) -> Vec<String> {
    let key = |d: &Distribution| normalize(&d.name);
    let mut graph: std::collections::BTreeMap<String, Vec<String>> = dists
        .iter()
        .map(|d| {
            let children = d
                .requires_dist
                .iter()
                .filter(|r| !r.contains("extra =="))
                .map(|r| normalize(&parse_requirement(r.split(';').next().unwrap_or(r)).name))
                .filter(|n| dists.iter().any(|x| key(x) == *n))
                .collect();
            (key(d), children)
        })
        .collect();
    let mut weights: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    loop {
        let leaves: Vec<String> = graph.iter().filter(|(_, children)| children.iter().all(|c| !graph.contains_key(c))).map(|(k, _)| k.clone()).collect();
        if leaves.is_empty() {
            break;
        }
        // The graph's size counts resolvelib's root node.
        let weight = graph.len();
        for leaf in &leaves {
            weights.insert(leaf.clone(), weight);
            graph.remove(leaf);
        }
    }
    let mut order: Vec<(usize, String, String)> = fresh.iter().map(|(d, name)| (weights.get(&key(d)).copied().unwrap_or(0), key(d), name.clone())).collect();
    order.sort_by(|a, b| (b.0, &b.1).cmp(&(a.0, &a.1)));
    order.into_iter().map(|(_, _, name)| name).collect()
}

/// pip's warning for root outside a venv: bookworm's pip 23 words it shortly; pip 25 (the
/// official images') adds the risk and the option that silences it.
fn root_warning(pip_major: u32) -> &'static str {
    if pip_major >= 25 {
        "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager, possibly rendering your system unusable. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv. Use the --root-user-action option if you know what you are doing and want to suppress this warning.\n"
    } else {
        "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv\n"
    }
}

/// How pip spells a distribution it collects: the requirement that brought it in (as
/// typed, or as the dependent's `Requires-Dist` has it), the name in that spelling, and
/// the dependent that required it (none for what was typed).
fn spelling(request: &Request, dists: &[&Distribution], dist: &Distribution) -> (String, String, Option<String>) {
    let wanted = normalize(&dist.name);
    let matches = |r: &str| normalize(&parse_requirement(r).name) == wanted;
    if let Some(r) = request.requirements.iter().find(|r| matches(r)) {
        return (r.replace(' ', ""), parse_requirement(r).name, None);
    }
    for parent in dists {
        let required = parent.requires_dist.iter().filter(|r| !r.contains("extra ==")).map(|r| r.split(';').next().unwrap_or(r).trim());
        if let Some(r) = required.into_iter().find(|r| matches(r)) {
            let parent_name = spelling(request, &[], parent).1;
            return (r.replace(' ', ""), parse_requirement(r).name, Some(parent_name));
        }
    }
    (dist.name.clone(), dist.name.clone(), None)
}

fn say(sh: &mut Shell, request: &Request, text: &str) -> Result<(), Flow> {
    if request.quiet {
        return Ok(());
    }
    sh.out(text)
}

/// pip's answer when nothing in the catalog fits.
fn refuse(sh: &mut Shell, e: &ResolveError) -> Status {
    let name = match e {
        ResolveError::NoMatchingDistribution(name) => name.clone(),
        ResolveError::NoVersion { name, specifiers } => format!("{name}{}", specifiers.join(",")),
    };
    sh.err(&format!(
        "ERROR: Could not find a version that satisfies the requirement {name} (from versions: none)\nERROR: No matching distribution found for {name}\n"
    ))?;
    Ok(1)
}

/// The Python's own site (see `Python::site`); a venv installs to itself; `--target` to
/// that directory.
fn layout(sh: &Shell, request: &Request, python: &Python) -> Layout {
    let minor = python.minor.clone();
    if let Some(target) = &request.target {
        let site = sh.absolute(target);
        return Layout { scripts: format!("{site}/bin"), site, python: python.interpreter.clone(), minor };
    }
    match &python.venv {
        Some(venv) => Layout { site: python.site.clone(), scripts: format!("{venv}/bin"), python: python.interpreter.clone(), minor },
        None => Layout { site: python.site.clone(), scripts: "/usr/local/bin".into(), python: python.interpreter.clone(), minor },
    }
}

fn dist_info(dist: &Distribution) -> String {
    format!("{}-{}.dist-info", dist.name.replace('-', "_"), dist.version)
}

fn installed(sh: &Shell, layout: &Layout, dist: &Distribution) -> bool {
    let info = dist_info(dist);
    sh.fs.get(&format!("{}/{info}", layout.site), false).is_ok() || sh.fs.get(&format!("{}/{}", layout.site, info.to_lowercase()), false).is_ok()
}

/// The wheel's files, the `.pyc` compiling writes (named for this interpreter), and the
/// console scripts pip generates.
fn unpack(sh: &mut Shell, layout: &Layout, dist: &Distribution) -> Result<(), Flow> {
    let decode = |text: &str| manifest::decode(text).map_err(|e| Flow::Abort(format!("layerlab: {} file list: {e:?}", dist.name)));
    let mut entries = decode(&dist.files)?;
    entries.extend(decode(&dist.bytecode)?.into_iter().map(|mut e| {
        e.path = e.path.replace("cpython-312", &format!("cpython-3{}", layout.minor));
        e
    }));
    let origin = format!("pip:{}-{}", dist.name, dist.version);
    for mut e in entries {
        sh.step()?;
        e.path = match e.path.strip_prefix("bin/") {
            Some(script) => format!("{}/{script}", layout.scripts),
            None => format!("{}/{}", layout.site, e.path),
        };
        place(sh, &e, &origin)?;
    }
    for script in &dist.console_scripts {
        write_script(sh, layout, script)?;
    }
    Ok(())
}

/// One entry (an absolute path; wheels list files only) and the directories above it, owned
/// by whoever runs pip.
fn place(sh: &mut Shell, e: &Entry, origin: &str) -> Result<(), Flow> {
    if e.kind == Kind::File {
        sh.add_disk(e.size)?;
    }
    let meta = Meta { mode: e.mode, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now };
    let parent = e.path.rsplit_once('/').map_or("/", |(d, _)| if d.is_empty() { "/" } else { d });
    // `rootfs::place` takes manifest paths, which have no leading `/`.
    let relative = Entry { path: e.path.trim_start_matches('/').to_string(), ..e.clone() };
    let placed = sh.fs.mkdir_all(parent, Meta { mode: 0o755, ..meta }).and_then(|()| rootfs::place(sh.fs, &relative, meta, || rootfs::sized(origin, e)));
    placed.map_err(|err| Flow::Abort(format!("layerlab: pip could not write {}: {}", e.path, err.message())))
}

/// `name = module:function` → the launcher pip writes (its real bytes).
fn write_script(sh: &mut Shell, layout: &Layout, spec: &str) -> Result<(), Flow> {
    let Some((name, target)) = spec.split_once('=') else { return Ok(()) };
    let (module, function) = target.trim().split_once(':').unwrap_or((target.trim(), "main"));
    let import = function.split('.').next().unwrap_or(function);
    let text = format!(
        "#!{}\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom {module} import {import}\nif __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n    sys.exit({function}())\n",
        layout.python
    );
    let path = format!("{}/{}", layout.scripts, name.trim());
    let meta = Meta { mode: 0o755, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now };
    sh.add_disk(text.len() as u64)?;
    let _ = sh.fs.mkdir_all(&layout.scripts, Meta { mode: 0o755, ..meta });
    sh.fs.write_file(&path, Content::Bytes(Arc::from(text.as_bytes())), meta).map_err(|e| Flow::Abort(format!("layerlab: pip could not write {path}: {}", e.message())))
}

/// pip 23's HTTP cache keeps each downloaded wheel under ~/.cache/pip/http, named by a hash
/// of its URL (modelled here from the wheel's name).
fn cache(sh: &mut Shell, dist: &Distribution) -> Result<(), Flow> {
    let home = sh.var("HOME").unwrap_or_else(|| "/root".into());
    let hash = layerlab_image::identity::sha256_digest(dist.wheel.as_bytes());
    let hex = &hash["sha256:".len()..];
    let dir = format!("{home}/.cache/pip/http/{}/{}/{}/{}/{}", &hex[0..1], &hex[1..2], &hex[2..3], &hex[3..4], &hex[4..5]);
    let meta = Meta { mode: 0o644, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now };
    sh.add_disk(dist.wheel_size)?;
    let written = sh
        .fs
        .mkdir_all(&dir, Meta { mode: 0o755, ..meta })
        .and_then(|()| sh.fs.write_file(&format!("{dir}/{}", &hex[5..61]), Content::Sized { size: dist.wheel_size, id: Arc::from(format!("pip-cache:{}", dist.wheel)) }, meta));
    written.map_err(|e| Flow::Abort(format!("layerlab: pip could not write its cache in {dir}: {}", e.message())))
}

/// Downloads above this many bytes get a progress bar: pip 23's `40 * 1000`, pip 25's
/// `512 * 1024`.
fn progress_threshold(pip_major: u32) -> u64 {
    if pip_major >= 25 {
        512 * 1024
    } else {
        40 * 1000
    }
}

/// The finished bar rich draws without a terminal (80 columns): the bar fills what the
/// `done/total unit`, speed and `eta` columns leave. The speed is the simulator's modelled
/// bandwidth (12.5 MB/s), not a measurement.
fn progress_bar(bytes: u64) -> String {
    let (unit, suffix) = match bytes {
        0..=999 => (1.0, "bytes"),
        1000..=999_999 => (1e3, "kB"),
        1_000_000..=999_999_999 => (1e6, "MB"),
        _ => (1e9, "GB"),
    };
    let amount = if unit == 1.0 { bytes.to_string() } else { format!("{:.1}", bytes as f64 / unit) };
    let columns = format!(" {amount}/{amount} {suffix} 12.5 MB/s eta 0:00:00");
    let bar = 80usize.saturating_sub(5 + columns.chars().count());
    format!("     {}{columns}\n", "━".repeat(bar))
}

/// pip's `format_size`: `103 kB`, `2.3 MB`, `5.1 kB`, `512 bytes`.
pub fn pip_size(bytes: u64) -> String {
    let b = bytes as f64;
    if bytes > 1_000_000 {
        format!("{:.1} MB", b / 1e6)
    } else if bytes > 10_000 {
        format!("{} kB", bytes / 1000)
    } else if bytes > 1000 {
        format!("{:.1} kB", b / 1e3)
    } else {
        format!("{bytes} bytes")
    }
}
