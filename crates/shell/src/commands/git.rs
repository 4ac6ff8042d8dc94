//! git, as far as a build without network reaches it: `git clone` of a remote fails as
//! git 2.39 fails on a host that does not resolve (exit 128, nothing left behind), with a
//! note that the simulator has no network; `git --version` reads the installed package.
//! Other git commands stop the step with a message.

use crate::interp::{Flow, Shell, Status};

pub fn git(sh: &mut Shell, args: &[String]) -> Status {
    match args.get(1).map(String::as_str) {
        Some("--version" | "version") => version(sh),
        Some("clone") => clone(sh, &args[2..]),
        _ => Err(Flow::Abort(format!("layerlab: `{}` is not simulated: of git only `clone` (which needs the network) and `--version` are modelled", args.join(" ")))),
    }
}

fn version(sh: &mut Shell) -> Status {
    let Some(upstream) = crate::commands::upstream_version(sh.fs, "git") else {
        return Err(Flow::Abort("layerlab: this git is not from a package the simulator knows".into()));
    };
    sh.out(&format!("git version {upstream}\n"))?;
    Ok(0)
}

fn clone(sh: &mut Shell, args: &[String]) -> Status {
    let with_value = ["--depth", "-b", "--branch", "-o", "--origin", "-c", "--config", "--filter", "-j", "--jobs", "--reference", "--template", "--shallow-since", "--shallow-exclude", "-u", "--upload-pack", "--separate-git-dir"];
    let mut operands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if with_value.contains(&a.as_str()) {
            i += 1;
        } else if !a.starts_with('-') {
            operands.push(a.clone());
        }
        i += 1;
    }
    let Some(url) = operands.first() else { return Err(Flow::Abort("layerlab: `git clone` without a repository is not simulated".into())) };
    let dir = operands.get(1).cloned().unwrap_or_else(|| {
        let last = url.trim_end_matches('/').rsplit(['/', ':']).next().unwrap_or(url);
        last.strip_suffix(".git").unwrap_or(last).to_string()
    });
    sh.err(&format!("Cloning into '{dir}'...\n"))?;
    if let Some(host) = layerlab_catalog::downloads::host(url) {
        let shown = if url.ends_with('/') { url.clone() } else { format!("{url}/") };
        sh.err(&format!("fatal: unable to access '{shown}': Could not resolve host: {host}\n"))?;
    } else if sh.fs.get("/usr/bin/ssh", true).is_err() {
        sh.err("error: cannot run ssh: No such file or directory\nfatal: unable to fork\n")?;
    } else {
        return Err(Flow::Abort(format!("layerlab: `git clone {url}` over SSH is not simulated")));
    }
    sh.err("layerlab: the simulator has no network, so no repository can be cloned\n")?;
    Ok(128)
}
