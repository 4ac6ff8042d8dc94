//! update-alternatives (dpkg 1.21): `--install`, `--set`, `--remove` over the admin files in
//! /var/lib/dpkg/alternatives, the `/etc/alternatives/NAME` link and the public link, with
//! its messages. Slave links and the interactive `--config` stop the step with a message.

use std::sync::Arc;

use layerlab_image::fs::{Content, Meta};

use crate::accounts::read_text;
use crate::interp::{Flow, Shell, Status};

const ADMIN: &str = "/var/lib/dpkg/alternatives";

/// One admin file: auto or manual, the public link, each alternative with its priority.
struct Group {
    manual: bool,
    link: String,
    choices: Vec<(String, i64)>,
}

impl Group {
    fn read(sh: &Shell, name: &str) -> Option<Group> {
        let text = read_text(sh.fs, &format!("{ADMIN}/{name}"))?;
        let lines: Vec<&str> = text.lines().collect();
        let (mode, link) = (lines.first()?, lines.get(1)?);
        // Line 2 ends the (absent) slave list with a blank line; then path/priority pairs.
        let mut choices = Vec::new();
        let mut rest = lines.get(3..).unwrap_or_default().iter();
        while let (Some(path), Some(priority)) = (rest.next(), rest.next()) {
            if path.is_empty() {
                break;
            }
            choices.push((path.to_string(), priority.parse().unwrap_or(0)));
        }
        Some(Group { manual: *mode == "manual", link: link.to_string(), choices })
    }

    fn text(&self) -> String {
        let mut text = format!("{}\n{}\n\n", if self.manual { "manual" } else { "auto" }, self.link);
        for (path, priority) in &self.choices {
            text.push_str(&format!("{path}\n{priority}\n"));
        }
        text.push('\n');
        text
    }

    fn best(&self) -> Option<&str> {
        self.choices.iter().max_by_key(|(_, p)| *p).map(|(path, _)| path.as_str())
    }
}

pub fn update_alternatives(sh: &mut Shell, args: &[String]) -> Status {
    let words: Vec<&str> = args[1..].iter().map(String::as_str).filter(|w| *w != "--quiet").collect();
    match words.as_slice() {
        ["--install", link, name, path, priority] => install(sh, link, name, path, priority),
        ["--set", name, path] => set(sh, name, path),
        ["--remove", name, path] => remove(sh, name, path),
        _ => Err(Flow::Abort(format!("layerlab: `{}` is not simulated: update-alternatives is modelled for --install (without --slave), --set and --remove", args.join(" ")))),
    }
}

fn error(sh: &mut Shell, message: &str) -> Status {
    sh.err(&format!("update-alternatives: error: {message}\n"))?;
    Ok(2)
}

fn install(sh: &mut Shell, link: &str, name: &str, path: &str, priority: &str) -> Status {
    let Ok(priority) = priority.parse::<i64>() else { return error(sh, "priority must be an integer") };
    if sh.fs.get(path, true).is_err() {
        return error(sh, &format!("alternative path {path} doesn't exist"));
    }
    let mut group = Group::read(sh, name).unwrap_or(Group { manual: false, link: link.to_string(), choices: Vec::new() });
    let current = current(sh, name);
    group.choices.retain(|(p, _)| p != path);
    group.choices.push((path.to_string(), priority));
    let chosen = if group.manual { current.clone().unwrap_or_else(|| path.to_string()) } else { group.best().unwrap_or(path).to_string() };
    apply(sh, name, &group, &chosen, current.as_deref())
}

fn set(sh: &mut Shell, name: &str, path: &str) -> Status {
    let Some(mut group) = Group::read(sh, name) else { return error(sh, &format!("no alternatives for {name}")) };
    if !group.choices.iter().any(|(p, _)| p == path) {
        return error(sh, &format!("alternative {path} for {name} not registered; not setting"));
    }
    group.manual = true;
    let current = current(sh, name);
    apply(sh, name, &group, path, current.as_deref())
}

fn remove(sh: &mut Shell, name: &str, path: &str) -> Status {
    let Some(mut group) = Group::read(sh, name) else { return error(sh, &format!("no alternatives for {name}")) };
    group.choices.retain(|(p, _)| p != path);
    let current = current(sh, name);
    if group.choices.is_empty() {
        for p in [format!("{ADMIN}/{name}"), format!("/etc/alternatives/{name}"), group.link.clone()] {
            let _ = sh.fs.remove(&p, false);
        }
        return Ok(0);
    }
    group.manual = group.manual && current.as_deref() != Some(path);
    let chosen = if group.manual { current.clone().unwrap_or_default() } else { group.best().unwrap_or_default().to_string() };
    apply(sh, name, &group, &chosen, current.as_deref())
}

/// Where /etc/alternatives/NAME points now.
fn current(sh: &Shell, name: &str) -> Option<String> {
    match sh.fs.get(&format!("/etc/alternatives/{name}"), false) {
        Ok(layerlab_image::fs::Node::Symlink { target, .. }) => Some(target.clone()),
        _ => None,
    }
}

/// Writes the admin file and, when the choice changes, the links and dpkg's message.
fn apply(sh: &mut Shell, name: &str, group: &Group, chosen: &str, current: Option<&str>) -> Status {
    let meta = Meta { mode: 0o644, uid: 0, gid: 0, mtime: sh.now };
    let link_meta = Meta { mode: 0o777, ..meta };
    let io = |e: layerlab_image::fs::FsError| Flow::Abort(format!("layerlab: update-alternatives could not write: {}", e.message()));
    sh.fs.mkdir_all(ADMIN, Meta { mode: 0o755, ..meta }).map_err(io)?;
    sh.fs.write_file(&format!("{ADMIN}/{name}"), Content::Bytes(Arc::from(group.text().as_bytes())), meta).map_err(io)?;
    if current == Some(chosen) {
        return Ok(0);
    }
    sh.fs.symlink(chosen, &format!("/etc/alternatives/{name}"), link_meta, true).map_err(io)?;
    sh.fs.symlink(&format!("/etc/alternatives/{name}"), &group.link, link_meta, true).map_err(io)?;
    let mode = if group.manual { "manual" } else { "auto" };
    sh.err(&format!("update-alternatives: using {chosen} to provide {} ({name}) in {mode} mode\n", group.link))?;
    Ok(0)
}
