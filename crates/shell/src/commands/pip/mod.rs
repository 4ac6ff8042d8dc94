//! pip as Debian's and Ubuntu's `python3-pip` and the official python images run it: PEP 668's refusal to install into an
//! externally managed system Python (bookworm's, Ubuntu 24.04's) with pip's wording and
//! exit status; past it (`--break-system-packages`, its environment variable, `--target`,
//! a venv's pip), `install` over the PyPI catalog (`install.rs`). Options pip has
//! that are not modelled stop the step with a message, never a guess.

mod install;
mod venv;

use layerlab_image::fs::Node;

use crate::accounts::read_text;
use crate::interp::{Flow, Shell, Status};
use install::Request;

/// `pip` / `pip3 SUBCOMMAND ...`. As pip does: options first, then PEP 668, then the
/// requirements (files included), then the install.
pub fn pip(sh: &mut Shell, args: &[String]) -> Status {
    let words = &args[1..];
    if matches!(words.first().map(String::as_str), Some("--version" | "-V")) {
        return pip_version(sh, args);
    }
    let Some(command) = words.iter().find(|w| !w.starts_with('-')) else { return not_simulated(args) };
    if command != "install" {
        return not_simulated(args);
    }
    let mut options = match parse(words) {
        Ok(options) => options,
        Err(Parse::Usage(message)) => return usage(sh, &message),
        Err(Parse::Unmodelled(option)) => return Err(Flow::Abort(format!("layerlab: pip's {option} is not simulated yet"))),
    };
    let Some(python) = Python::running(sh) else { return not_simulated(args) };
    if installs_into_the_environment(sh, &options) && python.externally_managed && python.venv.is_none() {
        sh.err(&refusal(&format!("3.{}", python.minor)))?;
        return Ok(1);
    }
    for file in std::mem::take(&mut options.files) {
        match read_text(sh.fs, &sh.absolute(&file)) {
            Some(text) => options.request.requirements.extend(requirement_lines(&text)),
            None => return usage(sh, &format!("Could not open requirements file: [Errno 2] No such file or directory: '{file}'")),
        }
    }
    if options.request.requirements.is_empty() {
        return usage(sh, "You must give at least one requirement to install (see \"pip help install\")");
    }
    options.request.no_cache |= sh.var("PIP_NO_CACHE_DIR").is_some_and(|v| v != "0" && v != "false");
    options.request.root_user_action_ignore |= sh.var("PIP_ROOT_USER_ACTION").is_some_and(|v| v == "ignore");
    options.request.no_version_check |= sh.var("PIP_DISABLE_PIP_VERSION_CHECK").is_some_and(|v| ["1", "true", "yes", "on"].contains(&v.to_ascii_lowercase().as_str()));
    install::install(sh, &options.request, &python)
}

/// pip's own complaint about its command line: `ERROR: ...`, exit 1.
fn usage(sh: &mut Shell, message: &str) -> Status {
    sh.err(&format!("ERROR: {message}\n"))?;
    Ok(1)
}

enum Parse {
    /// pip's own complaint (exit 1).
    Usage(String),
    /// An option Layerlab does not model.
    Unmodelled(String),
}

/// `install`'s command line: the request, the requirements files still to read, and
/// `--break-system-packages`.
struct Options {
    request: Request,
    files: Vec<String>,
    break_system_packages: bool,
}

fn parse(words: &[String]) -> Result<Options, Parse> {
    let request = Request { requirements: Vec::new(), no_cache: false, target: None, quiet: false, root_user_action_ignore: false, no_version_check: false };
    let mut options = Options { request, files: Vec::new(), break_system_packages: false };
    let mut i = words.iter().position(|w| w == "install").map_or(0, |p| p + 1);
    while i < words.len() {
        let word = words[i].as_str();
        let (name, inline) = match word.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (word, None),
        };
        let mut value = || -> Result<String, Parse> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            i += 1;
            words.get(i).cloned().ok_or_else(|| Parse::Usage(format!("{name} option requires 1 argument")))
        };
        match name {
            "-r" | "--requirement" => options.files.push(value()?),
            "-t" | "--target" => options.request.target = Some(value()?),
            "--root-user-action" => options.request.root_user_action_ignore = value()? == "ignore",
            "-i" | "--index-url" | "--extra-index-url" | "--trusted-host" | "--progress-bar" => {
                value()?;
            }
            "--no-cache-dir" => options.request.no_cache = true,
            "-q" | "--quiet" => options.request.quiet = true,
            "--break-system-packages" => options.break_system_packages = true,
            "--disable-pip-version-check" => options.request.no_version_check = true,
            "-U" | "--upgrade" | "--no-compile" | "--no-warn-script-location" | "-v" | "--verbose" => {}
            _ if name.starts_with('-') => return Err(Parse::Unmodelled(name.to_string())),
            _ => options.request.requirements.push(word.to_string()),
        }
        i += 1;
    }
    Ok(options)
}

/// Requirement lines of a requirements file: comments, blank lines and options left out.
fn requirement_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split(" #").next().unwrap_or(l).trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('-'))
        .map(str::to_string)
        .collect()
}

/// The Python a `pip` on PATH belongs to: a source build in /usr/local (the official
/// python images, first on their PATH), else Debian's in /usr.
pub struct Python {
    /// The minor version: `12` for 3.12.
    pub minor: String,
    /// Debian's PEP 668 marker is in its stdlib.
    pub externally_managed: bool,
    /// The major version of the pip installed for it (23 for bookworm's, 25 for the official
    /// images'), which decides the wording of its root-user warning.
    pub pip_major: u32,
    /// Where its pip installs outside a venv: Debian's pip into /usr/local's dist-packages,
    /// a source build's into its own site-packages (where its pip also lives).
    pub site: String,
    /// The interpreter its pip runs under, which the scripts pip writes start with: Debian's
    /// /usr/bin/pip starts `#!/usr/bin/python3`, the official images' `#!/usr/local/bin/python3.X`.
    pub interpreter: String,
    /// The venv folder when the running pip or python is a venv's (its `bin/` is next to a
    /// `pyvenv.cfg`, which is how Python itself tells).
    pub venv: Option<String>,
}

impl Python {
    /// The Python the running command belongs to: a venv's, when it was found in one.
    fn running(sh: &Shell) -> Option<Python> {
        let base = Python::find(sh)?;
        let bin = sh.command_path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let root = bin.strip_suffix("/bin")?;
        if root.is_empty() || sh.fs.get(&format!("{root}/pyvenv.cfg"), true).is_err() {
            return Some(base);
        }
        let site = format!("{root}/lib/python3.{}/site-packages", base.minor);
        Some(Python { pip_major: pip_major(sh, &site), site, interpreter: format!("{root}/bin/python3"), externally_managed: false, venv: Some(root.to_string()), ..base })
    }

    /// The interpreter's full version: an official image's source build names it in
    /// `PYTHON_VERSION`; Debian's and Ubuntu's is their python3.X-minimal package's
    /// (`3.11.2-6+deb12u6` is 3.11.2, `3.10.12-1~22.04.9` is 3.10.12).
    fn release(&self, sh: &Shell) -> Option<String> {
        let prefix = format!("3.{}.", self.minor);
        if self.interpreter.starts_with("/usr/local/") || self.venv.is_some() && sh.fs.get(&format!("/usr/local/bin/python3.{}", self.minor), true).is_ok() {
            return sh.var("PYTHON_VERSION").filter(|v| v.starts_with(&prefix));
        }
        let upstream = crate::commands::upstream_version(sh.fs, &format!("python3.{}-minimal", self.minor))?;
        let upstream = upstream.split(['+', '~']).next()?;
        upstream.starts_with(&prefix).then(|| upstream.to_string())
    }

    /// Where its pip lives: Debian's in `/usr/lib/python3/dist-packages`, a venv's or a
    /// source build's in its site-packages.
    fn pip_home(&self) -> String {
        if self.venv.is_none() && self.interpreter == "/usr/bin/python3" {
            "/usr/lib/python3/dist-packages".into()
        } else {
            self.site.clone()
        }
    }

    /// Whether `python3 -m venv` can install pip: CPython's own ensurepip carries its wheel;
    /// Debian's is a separate package (python3.X-venv).
    fn has_ensurepip(&self, sh: &Shell) -> bool {
        let prefix = if self.interpreter.starts_with("/usr/local/") { "/usr/local" } else { "/usr" };
        let ensurepip = format!("{prefix}/lib/python3.{}/ensurepip", self.minor);
        sh.fs.get(&format!("{ensurepip}/__init__.py"), true).is_ok() || sh.fs.get(&format!("{ensurepip}/_bundled"), true).is_ok()
    }

    fn find(sh: &Shell) -> Option<Python> {
        ["/usr/local", "/usr"].into_iter().find_map(|prefix| {
            let (minor, stdlib) = stdlib(sh, prefix)?;
            let externally_managed = stdlib.children.contains_key("EXTERNALLY-MANAGED");
            let python = match prefix {
                "/usr" => Python {
                    pip_major: pip_major(sh, "/usr/lib/python3/dist-packages"),
                    site: format!("/usr/local/lib/python3.{minor}/dist-packages"),
                    interpreter: "/usr/bin/python3".into(),
                    minor,
                    externally_managed,
                    venv: None,
                },
                _ => {
                    let site = format!("/usr/local/lib/python3.{minor}/site-packages");
                    Python { pip_major: pip_major(sh, &site), site, interpreter: format!("/usr/local/bin/python3.{minor}"), minor, externally_managed, venv: None }
                }
            };
            Some(python)
        })
    }
}

/// The `lib/python3.X` folder under `prefix` that holds an interpreter's `os.py`.
fn stdlib<'a>(sh: &'a Shell, prefix: &str) -> Option<(String, &'a layerlab_image::fs::Dir)> {
    let Ok(Node::Dir(lib)) = sh.fs.get(&format!("{prefix}/lib"), true) else { return None };
    lib.children.iter().find_map(|(name, node)| match node {
        Node::Dir(d) if d.children.contains_key("os.py") => {
            let minor = name.strip_prefix("python3.").filter(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_digit()))?;
            Some((minor.to_string(), d))
        }
        _ => None,
    })
}

/// The major version in pip's `pip-X.Y.Z.dist-info` folder (0 when there is none).
fn pip_major(sh: &Shell, packages: &str) -> u32 {
    pip_dist_version(sh, packages).and_then(|v| v.split('.').next()?.parse().ok()).unwrap_or(0)
}

/// The version in the name of the `pip-X.Y.Z.dist-info` folder under `packages`.
fn pip_dist_version(sh: &Shell, packages: &str) -> Option<String> {
    let Ok(Node::Dir(dir)) = sh.fs.get(packages, true) else { return None };
    dir.children.keys().find_map(|name| name.strip_prefix("pip-")?.strip_suffix(".dist-info").map(str::to_string))
}

/// `python3 -m pip ...` is pip, `-m venv` makes a venv; other uses of the interpreter are
/// not simulated.
pub fn python(sh: &mut Shell, args: &[String]) -> Status {
    if matches!(args.get(1).map(String::as_str), Some("--version" | "-V")) {
        let Some(python) = Python::running(sh) else { return not_simulated(args) };
        let Some(release) = python.release(sh) else { return not_simulated(args) };
        sh.out(&format!("Python {release}\n"))?;
        return Ok(0);
    }
    match args.get(1..3) {
        Some([flag, module]) if flag == "-m" && module == "pip" => {
            let mut as_pip = vec!["pip".to_string()];
            as_pip.extend(args[3..].iter().cloned());
            pip(sh, &as_pip)
        }
        Some([flag, module]) if flag == "-m" && module == "venv" => {
            let executable = sh.command_path.clone();
            venv::venv(sh, &executable, &args[3..])
        }
        _ => Err(Flow::Abort(format!("layerlab: `{}` is not simulated: Python programs do not run here (only `python3 -m pip` and `python3 -m venv` are modelled)", args.join(" ")))),
    }
}

/// `pip --version`: `pip 23.0.1 from /usr/lib/python3/dist-packages/pip (python 3.11)`.
fn pip_version(sh: &mut Shell, args: &[String]) -> Status {
    let Some(python) = Python::running(sh) else { return not_simulated(args) };
    let home = python.pip_home();
    let Some(version) = pip_dist_version(sh, &home) else { return not_simulated(args) };
    sh.out(&format!("pip {version} from {home}/pip (python 3.{})\n", python.minor))?;
    Ok(0)
}

fn not_simulated(args: &[String]) -> Status {
    Err(Flow::Abort(format!("layerlab: `{}` is not simulated yet: of pip's commands only `install` is modelled", args.join(" "))))
}

/// pip checks PEP 668 only when it installs into the running environment: not with
/// `--break-system-packages` (or its environment variable), or `--target`; a venv's Python is never externally managed.
fn installs_into_the_environment(sh: &Shell, options: &Options) -> bool {
    let overridden = options.break_system_packages
        || sh.var("PIP_BREAK_SYSTEM_PACKAGES").is_some_and(|v| ["1", "true", "yes", "on"].contains(&v.to_ascii_lowercase().as_str()));
    !overridden && options.request.target.is_none()
}

/// pip's error for an externally managed environment, the context being the `Error=` text
/// Debian's python3.X ships in `EXTERNALLY-MANAGED` (Ubuntu keeps Debian's), laid out as
/// pip lays it out: `╰─> ` before the first line, four spaces before the others.
fn refusal(version: &str) -> String {
    let context = format!(
        "To install Python packages system-wide, try apt install\n\
         python3-xyz, where xyz is the package you are trying to\n\
         install.\n\
         \n\
         If you wish to install a non-Debian-packaged Python package,\n\
         create a virtual environment using python3 -m venv path/to/venv.\n\
         Then use path/to/venv/bin/python and path/to/venv/bin/pip. Make\n\
         sure you have python3-full installed.\n\
         \n\
         If you wish to install a non-Debian packaged Python application,\n\
         it may be easiest to use pipx install xyz, which will manage a\n\
         virtual environment for you. Make sure you have pipx installed.\n\
         \n\
         See /usr/share/doc/python{version}/README.venv for more information."
    );
    let mut text = String::from("error: externally-managed-environment\n\n× This environment is externally managed\n");
    for (i, line) in context.lines().enumerate() {
        text.push_str(if i == 0 { "╰─> " } else { "    " });
        text.push_str(line);
        text.push('\n');
    }
    text.push_str(
        "\nnote: If you believe this is a mistake, please contact your Python installation or OS distribution provider. You can override this, at the risk of breaking your Python installation or OS, by passing --break-system-packages.\n\
         hint: See PEP 668 for the detailed specification.\n",
    );
    text
}
