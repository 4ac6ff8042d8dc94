//! `apt-get`, `apt` and `dpkg` over the real catalogs of Debian bookworm (apt 2.6.1, dpkg
//! 1.21), Ubuntu noble (apt 2.8, dpkg 1.22) and jammy (apt 2.4, dpkg 1.21), in the C
//! locale with no terminal: what they print, their exit statuses (100 for apt's `E:` errors),
//! and what they change in the snapshot: lists, package files, dpkg's database.

mod config;
mod database;
mod dpkg;
mod install;
mod mark;
mod output;
mod remove;

use layerlab_catalog::apt::RELEASES;

use crate::accounts::read_text;
use crate::interp::{Flow, Shell, Status};
pub use config::AptConfig;
pub use dpkg::dpkg;
pub use mark::apt_mark;
pub(crate) use database::upstream_version;
pub(crate) use output::download_ms;
pub(crate) use database::write_text;

/// `apt-get SUBCOMMAND [options] [packages]`.
pub fn apt_get(sh: &mut Shell, args: &[String]) -> Status {
    run(sh, args, "apt-get")
}

/// `apt`: `apt-get` for people, which warns scripts first.
pub fn apt(sh: &mut Shell, args: &[String]) -> Status {
    sh.err("\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n")?;
    run(sh, args, "apt")
}

fn run(sh: &mut Shell, args: &[String], tool: &'static str) -> Status {
    let mut config = match AptConfig::parse(sh, &args[1..]) {
        Ok(config) => config,
        Err(message) => return fail(sh, &[message]),
    };
    config.tool = tool;
    config.release = release(sh);
    let Some(command) = config.operands.first().cloned() else {
        return Err(Flow::Abort(format!("layerlab: {tool} without a command prints its help, which Layerlab does not reproduce")));
    };
    let packages = &config.operands[1..];
    if matches!(command.as_str(), "update" | "install" | "reinstall") {
        foreign_release_note(sh, config.release)?;
    }
    match command.as_str() {
        "update" => install::update(sh, &config),
        "install" | "reinstall" => install::install(sh, &config, packages),
        "upgrade" | "dist-upgrade" | "full-upgrade" => install::upgrade(sh, &config),
        "remove" => remove::remove(sh, &config, packages, config.purge),
        "purge" => remove::remove(sh, &config, packages, true),
        "autoremove" | "autopurge" => remove::autoremove(sh, &config, command == "autopurge" || config.purge),
        "clean" | "autoclean" => remove::clean(sh),
        "check" => output::reading(sh, &config).map(|()| 0),
        other => fail(sh, &[format!("Invalid operation {other}")]),
    }
}

/// The image's `VERSION_CODENAME` when Layerlab records an apt catalog for it, else
/// bookworm, whose catalog then answers for the other release.
pub(super) fn release(sh: &Shell) -> &'static str {
    let codename = os_release(sh, "VERSION_CODENAME");
    RELEASES.iter().find(|r| Some(**r) == codename.as_deref()).copied().unwrap_or(RELEASES[0])
}

/// A field of the image's `/etc/os-release`, unquoted.
fn os_release(sh: &Shell, key: &str) -> Option<String> {
    let text = read_text(sh.fs, "/etc/os-release")?;
    text.lines().find_map(|l| l.strip_prefix(key)?.strip_prefix('=')).map(|v| v.trim_matches('"').to_string())
}

/// On an image of a release without its own catalog (a Debian other than bookworm, say),
/// apt's answers are Debian bookworm's, and the learner is told so rather than shown
/// bookworm's mirrors and versions without a word.
fn foreign_release_note(sh: &mut Shell, release: &str) -> Result<(), Flow> {
    let (Some(id), codename) = (os_release(sh, "ID"), os_release(sh, "VERSION_CODENAME")) else { return Ok(()) };
    if codename.as_deref().is_none_or(|c| c == release) {
        return Ok(());
    }
    let pretty = os_release(sh, "PRETTY_NAME").unwrap_or(id);
    sh.err(&format!(
        "layerlab: this image is {pretty}, but Layerlab records apt catalogs for Debian bookworm, Ubuntu 22.04 and Ubuntu 24.04 only: the mirrors, package versions and sizes apt shows here are Debian bookworm's\n"
    ))
}

/// apt's `E: ...` lines on stderr, and its exit status.
fn fail(sh: &mut Shell, messages: &[String]) -> Status {
    for message in messages {
        sh.err(&format!("E: {message}\n"))?;
    }
    Ok(100)
}

/// apt's lock errors when the step does not run as root.
fn not_root(sh: &mut Shell, lists: bool) -> Status {
    let messages = if lists {
        ["Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)".to_string(), "Unable to lock directory /var/lib/apt/lists/".into()]
    } else {
        [
            "Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)".to_string(),
            "Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?".into(),
        ]
    };
    fail(sh, &messages)
}
