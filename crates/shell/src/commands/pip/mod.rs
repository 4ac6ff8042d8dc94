//! pip as Debian's and Ubuntu's `python3-pip` run it: PEP 668's refusal to install into an
//! externally managed system Python (bookworm's, Ubuntu 24.04's) with pip's wording and
//! exit status; past it (`--break-system-packages`, its environment variable, `--target`, a
//! venv's `VIRTUAL_ENV`), `install` over the PyPI catalog (`install.rs`). Options pip has
//! that are not modelled stop the step with a message, never a guess.

mod install;

use layerlab_image::fs::Node;

use crate::accounts::read_text;
use crate::interp::{Flow, Shell, Status};
use install::Request;

/// `pip` / `pip3 SUBCOMMAND ...`.
pub fn pip(sh: &mut Shell, args: &[String]) -> Status {
    let words = &args[1..];
    let Some(command) = words.iter().find(|w| !w.starts_with('-')) else { return not_simulated(args) };
    if command != "install" {
        return not_simulated(args);
    }
    if installs_into_the_environment(sh, words) {
        if let Some(version) = externally_managed(sh) {
            sh.err(&refusal(&version))?;
            return Ok(1);
        }
    }
    let request = match parse(sh, words) {
        Ok(request) => request,
        Err(Parse::Usage(message)) => {
            sh.err(&format!("ERROR: {message}
"))?;
            return Ok(1);
        }
        Err(Parse::Unmodelled(option)) => return Err(Flow::Abort(format!("layerlab: pip's {option} is not simulated yet"))),
    };
    let Some(minor) = python_minor(sh) else { return not_simulated(args) };
    install::install(sh, &request, &minor)
}

enum Parse {
    /// pip's own complaint (exit 1).
    Usage(String),
    /// An option Layerlab does not model.
    Unmodelled(String),
}

/// `install` and its options; `-r FILE` read from the image.
fn parse(sh: &Shell, words: &[String]) -> Result<Request, Parse> {
    let mut request = Request { requirements: Vec::new(), no_cache: sh.var("PIP_NO_CACHE_DIR").is_some_and(|v| v != "0" && v != "false"), target: None, quiet: false };
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
            "-r" | "--requirement" => {
                let file = value()?;
                let text = read_text(sh.fs, &sh.absolute(&file))
                    .ok_or_else(|| Parse::Usage(format!("Could not open requirements file: [Errno 2] No such file or directory: '{file}'")))?;
                request.requirements.extend(requirement_lines(&text));
            }
            "-t" | "--target" => request.target = Some(value()?),
            "-i" | "--index-url" | "--extra-index-url" | "--trusted-host" | "--root-user-action" | "--progress-bar" => {
                value()?;
            }
            "--no-cache-dir" => request.no_cache = true,
            "-q" | "--quiet" => request.quiet = true,
            "--break-system-packages" | "-U" | "--upgrade" | "--no-compile" | "--disable-pip-version-check" | "--no-warn-script-location" | "-v" | "--verbose" => {}
            _ if name.starts_with('-') => return Err(Parse::Unmodelled(name.to_string())),
            _ => request.requirements.push(word.to_string()),
        }
        i += 1;
    }
    if request.requirements.is_empty() {
        return Err(Parse::Usage("You must give at least one requirement to install (see \"pip help install\")".into()));
    }
    Ok(request)
}

/// Requirement lines of a requirements file: comments, blank lines and options left out.
fn requirement_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split(" #").next().unwrap_or(l).trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('-'))
        .map(str::to_string)
        .collect()
}

/// The system Python's minor version (`11`), from its stdlib directory.
fn python_minor(sh: &Shell) -> Option<String> {
    let Ok(Node::Dir(lib)) = sh.fs.get("/usr/lib", true) else { return None };
    lib.children
        .iter()
        .filter_map(|(name, node)| Some((name.strip_prefix("python3.")?, node)))
        .find(|(minor, node)| minor.chars().all(|c| c.is_ascii_digit()) && matches!(node, Node::Dir(d) if d.children.contains_key("os.py")))
        .map(|(minor, _)| minor.to_string())
}

/// `python3 -m pip ...` is pip; other uses of the interpreter are not simulated.
pub fn python(sh: &mut Shell, args: &[String]) -> Status {
    match args.get(1..3) {
        Some([flag, module]) if flag == "-m" && module == "pip" => {
            let mut as_pip = vec!["pip".to_string()];
            as_pip.extend(args[3..].iter().cloned());
            pip(sh, &as_pip)
        }
        _ => Err(Flow::Abort(format!("layerlab: `{}` is not simulated: Python programs do not run here (only `python3 -m pip` is modelled)", args.join(" ")))),
    }
}

fn not_simulated(args: &[String]) -> Status {
    Err(Flow::Abort(format!(
        "layerlab: `{}` is not simulated yet: pip installs are not modelled (the PyPI catalog exists; the installer does not)",
        args.join(" ")
    )))
}

/// pip checks PEP 668 only when it installs into the running environment.
fn installs_into_the_environment(sh: &Shell, words: &[String]) -> bool {
    let overridden = words.iter().any(|w| w == "--break-system-packages")
        || sh.var("PIP_BREAK_SYSTEM_PACKAGES").is_some_and(|v| ["1", "true", "yes", "on"].contains(&v.to_ascii_lowercase().as_str()));
    let elsewhere = words.iter().any(|w| ["-t", "--target", "--prefix", "--root"].iter().any(|f| w == f || w.starts_with(&format!("{f}="))));
    !overridden && !elsewhere && sh.var("VIRTUAL_ENV").is_none()
}

/// The system Python's version (`3.11`) when its stdlib carries `EXTERNALLY-MANAGED`.
fn externally_managed(sh: &Shell) -> Option<String> {
    let Ok(Node::Dir(lib)) = sh.fs.get("/usr/lib", true) else { return None };
    lib.children
        .iter()
        .filter_map(|(name, node)| Some((name.strip_prefix("python3.")?, node)))
        .filter(|(minor, _)| minor.chars().all(|c| c.is_ascii_digit()))
        .find(|(_, node)| matches!(node, Node::Dir(d) if d.children.contains_key("EXTERNALLY-MANAGED")))
        .map(|(minor, _)| format!("3.{minor}"))
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
