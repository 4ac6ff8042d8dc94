//! `python3 -m venv DIR`: the tree a real run writes (recorded per interpreter in the venv
//! catalog), laid out at DIR. Without ensurepip (Debian's python3 without python3-venv) it
//! stops where the real one stops, with Debian's message; `--without-pip` never needs it.

use std::sync::Arc;

use layerlab_catalog::manifest::{self, Entry, Kind};
use layerlab_catalog::venv::{VenvTemplate, RECORDED_AT};
use layerlab_image::fs::{Content, Meta};

use super::Python;
use crate::interp::{Flow, Shell, Status};
use crate::rootfs;

const USAGE: &str = "usage: venv [-h] [--system-site-packages] [--symlinks | --copies] [--clear]
            [--upgrade] [--without-pip] [--prompt PROMPT] [--upgrade-deps]
            ENV_DIR [ENV_DIR ...]
";

struct Options {
    dirs: Vec<String>,
    with_pip: bool,
    system_site_packages: bool,
    clear: bool,
}

/// `python3 -m venv ARGS` run by the interpreter at `executable` (as found on PATH).
pub fn venv(sh: &mut Shell, executable: &str, args: &[String]) -> Status {
    let options = match parse(args) {
        Ok(options) => options,
        Err(Usage::Error(message)) => {
            sh.err(&format!("{USAGE}venv: error: {message}\n"))?;
            return Ok(2);
        }
        Err(Usage::Unmodelled(flag)) => return Err(Flow::Abort(format!("layerlab: venv's {flag} is not simulated yet"))),
    };
    let Some(python) = Python::find(sh) else {
        return Err(Flow::Abort("layerlab: this image has no Python the simulator knows, so venv cannot be simulated".into()));
    };
    let key = if python.interpreter.starts_with("/usr/local/") { "/usr/local/bin/python3" } else { "/usr/bin/python3" };
    let template = sh.catalog(|store| store.venv())?.venvs.get(key).ok_or_else(|| Flow::Abort(format!("layerlab: no recorded venv for {key}")))?;
    let ensurepip = python.has_ensurepip(sh);
    for dir in &options.dirs {
        let dir = sh.absolute_clean(dir);
        if options.clear {
            let _ = sh.fs.remove(&dir, true);
        }
        let complete = !options.with_pip || ensurepip;
        lay_out(sh, template, &dir, &options, complete)?;
        write_cfg(sh, template, &dir, executable, &options)?;
        if !complete {
            sh.out(&no_ensurepip(&python.minor, &dir))?;
            return Ok(1);
        }
    }
    Ok(0)
}

enum Usage {
    Error(String),
    Unmodelled(String),
}

fn parse(args: &[String]) -> Result<Options, Usage> {
    let mut options = Options { dirs: Vec::new(), with_pip: true, system_site_packages: false, clear: false };
    let mut unknown = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--without-pip" => options.with_pip = false,
            "--system-site-packages" => options.system_site_packages = true,
            "--clear" => options.clear = true,
            "--symlinks" => {}
            "--copies" | "--upgrade" | "--upgrade-deps" | "--prompt" | "-h" | "--help" => return Err(Usage::Unmodelled(arg.clone())),
            _ if arg.starts_with('-') => unknown.push(arg.clone()),
            _ => options.dirs.push(arg.clone()),
        }
    }
    if options.dirs.is_empty() {
        return Err(Usage::Error("the following arguments are required: ENV_DIR".into()));
    }
    if !unknown.is_empty() {
        return Err(Usage::Error(format!("unrecognized arguments: {}", unknown.join(" "))));
    }
    Ok(options)
}

/// The recorded tree at `dir`. What ensurepip adds (site-packages' contents, the pip
/// scripts) only when `complete`; an incomplete venv also lacks the activate scripts, which
/// venv writes after ensurepip.
fn lay_out(sh: &mut Shell, template: &VenvTemplate, dir: &str, options: &Options, complete: bool) -> Result<(), Flow> {
    let entries = manifest::decode(&template.tree.manifest).map_err(|e| Flow::Abort(format!("layerlab: venv tree: {e:?}")))?;
    let name = dir.rsplit('/').next().unwrap_or(dir);
    let recorded_name = RECORDED_AT.rsplit('/').next().unwrap_or(RECORDED_AT);
    // Each .pyc records its source's absolute path once.
    let delta = dir.len() as i64 - RECORDED_AT.len() as i64;
    let (uid, gid, mtime) = (sh.user.uid, sh.user.gid, sh.now);
    let meta = |e: &Entry| Meta { mode: e.mode, uid, gid, mtime };
    let dir_meta = Meta { mode: 0o755, uid, gid, mtime };
    sh.fs.mkdir_all(dir, dir_meta).map_err(|e| Flow::Abort(format!("Error: [Errno 2] {}: '{dir}'", e.message())))?;
    for e in entries.iter().filter(|e| e.path != "pyvenv.cfg") {
        let from_ensurepip = e.path.contains("/site-packages/") || e.path.starts_with("bin/pip");
        let activate = e.path.starts_with("bin/activate") || e.path == "bin/Activate.ps1";
        if (from_ensurepip && !options.with_pip) || ((from_ensurepip || activate) && !complete) {
            continue;
        }
        sh.step()?;
        let path = format!("{dir}/{}", e.path);
        let content = match template.tree.files.get(&e.path) {
            Some(text) => Content::Bytes(Arc::from(text.replace(RECORDED_AT, dir).replace(recorded_name, name).as_bytes())),
            None if e.path.ends_with(".pyc") => Content::Sized { size: (e.size as i64 + delta).max(0) as u64, id: Arc::from(format!("venv:{path}")) },
            None => rootfs::sized("venv", &Entry { path: path.clone(), ..e.clone() }),
        };
        if e.kind == Kind::File {
            sh.add_disk(content.size())?;
        }
        let placed = match e.kind {
            Kind::Dir => sh.fs.mkdir_all(&path, meta(e)),
            _ => rootfs::place(sh.fs, &Entry { path: path.clone(), ..e.clone() }, meta(e), || content),
        };
        placed.map_err(|err| Flow::Abort(format!("layerlab: venv could not write {path}: {}", err.message())))?;
    }
    sh.spend_ms(if complete && options.with_pip { 2500 } else { 100 });
    Ok(())
}

/// pyvenv.cfg as venv writes it: the interpreter's home, and a `command` line with the
/// options in venv's own order, then the folder.
fn write_cfg(sh: &mut Shell, template: &VenvTemplate, dir: &str, executable: &str, options: &Options) -> Result<(), Flow> {
    let mut command = vec![executable, "-m", "venv"];
    let flags = [(!options.with_pip, "--without-pip"), (options.system_site_packages, "--system-site-packages"), (options.clear, "--clear")];
    command.extend(flags.iter().filter(|(on, _)| *on).map(|(_, flag)| *flag));
    command.push(dir);
    let text = format!(
        "home = {}\ninclude-system-site-packages = {}\nversion = {}\nexecutable = {}\ncommand = {}\n",
        template.home,
        options.system_site_packages,
        template.version,
        template.executable,
        command.join(" ")
    );
    let meta = Meta { mode: 0o644, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now };
    let path = format!("{dir}/pyvenv.cfg");
    sh.fs.write_file(&path, Content::Bytes(Arc::from(text.as_bytes())), meta).map_err(|e| Flow::Abort(format!("layerlab: venv could not write {path}: {}", e.message())))
}

/// Debian's venv when python3-venv (ensurepip) is missing, on stdout, exit 1.
fn no_ensurepip(minor: &str, dir: &str) -> String {
    format!(
        "The virtual environment was not created successfully because ensurepip is not\n\
         available.  On Debian/Ubuntu systems, you need to install the python3-venv\n\
         package using the following command.\n\
         \n    apt install python3.{minor}-venv\n\n\
         You may need to use sudo with that command.  After installing the python3-venv\n\
         package, recreate your virtual environment.\n\
         \n\
         Failing command: {dir}/bin/python3\n\n"
    )
}
