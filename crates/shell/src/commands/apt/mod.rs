//! `apt-get`, `apt` and `dpkg` over the real bookworm catalog (apt 2.6.1, dpkg 1.21, the C
//! locale, no terminal): what they print, their exit statuses (100 for apt's `E:` errors),
//! and what they change in the snapshot: lists, package files, dpkg's database.

mod config;
mod database;
mod dpkg;
mod install;
mod output;
mod remove;

use crate::accounts::read_text;
use crate::interp::{Flow, Shell, Status};
pub use config::AptConfig;
pub use dpkg::dpkg;

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
    let Some(command) = config.operands.first().cloned() else {
        return Err(Flow::Abort(format!("layerlab: {tool} without a command prints its help, which Layerlab does not reproduce")));
    };
    let packages = &config.operands[1..];
    if matches!(command.as_str(), "update" | "install" | "reinstall") {
        foreign_release_note(sh)?;
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

/// The catalog is Debian bookworm's. On an image of another release (the approximate
/// Ubuntu images), apt's answers are still Debian's, and the learner is told so rather
/// than shown Debian mirrors and versions without a word.
fn foreign_release_note(sh: &mut Shell) -> Result<(), Flow> {
    let os_release = read_text(sh.fs, "/etc/os-release").unwrap_or_default();
    let field = |key: &str| os_release.lines().find_map(|l| l.strip_prefix(key)).map(|v| v.trim_matches('"').to_string());
    let (Some(id), codename) = (field("ID="), field("VERSION_CODENAME=")) else { return Ok(()) };
    if id == "debian" && codename.as_deref().is_none_or(|c| c == "bookworm") {
        return Ok(());
    }
    let name = field("NAME=").unwrap_or_else(|| id.clone());
    let release = field("PRETTY_NAME=").unwrap_or(id);
    sh.err(&format!(
        "layerlab: this image is {release}, but Layerlab's apt catalog is Debian bookworm's ({name}'s archive could not be reached to record one): the mirrors, package versions and sizes apt shows here are Debian's\n"
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
