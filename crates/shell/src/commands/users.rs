//! Accounts: shadow's useradd/groupadd/usermod (Debian's defaults from /etc/default/useradd
//! and login.defs), Debian's adduser/addgroup, and BusyBox's on Alpine. They edit the
//! image's real /etc/passwd, group, shadow and gshadow.
//!
//! useradd resets the user's record in /var/log/lastlog (292 bytes per UID) and
//! /var/log/faillog (32 bytes per UID) only when the file already reaches it: shadow 4.13
//! (bookworm) no longer grows these sparse files, so a large UID no longer makes a large
//! layer (older releases did, which is why `useradd -l` is still common advice).
//! Checked against bookworm's own tools in a chroot of the slim image.

use std::sync::Arc;

use layerlab_image::fs::{Content, Meta, Node};

use super::files::complain;
use super::flags;
use crate::accounts::{self, read_text};
use crate::interp::{Flow, Shell, Status};

const LASTLOG_RECORD: u64 = 292;
const FAILLOG_RECORD: u64 = 32;

fn append_line(sh: &mut Shell, path: &str, line: &str) {
    let mut text = read_text(sh.fs, path).unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(line);
    text.push('\n');
    write_text(sh, path, &text);
}

fn write_text(sh: &mut Shell, path: &str, text: &str) {
    let meta = match sh.fs.get(path, true) {
        Ok(n) => Meta { mtime: sh.now, ..*n.meta() },
        Err(_) => Meta { mode: 0o644, uid: 0, gid: 0, mtime: sh.now },
    };
    let _ = sh.fs.write_file(path, Content::Bytes(Arc::from(text.as_bytes())), meta);
}

/// Rewrites the record of `uid` in a sparse log if the file already holds it.
fn touch_record(sh: &mut Shell, path: &str, uid: u32, record: u64) {
    let Ok(Node::File(file)) = sh.fs.get(path, true) else { return };
    if file.content.size() < (u64::from(uid) + 1) * record {
        return;
    }
    let (content, meta) = (file.content.clone(), Meta { mtime: sh.now, ..file.meta });
    let _ = sh.fs.write_file(path, content, meta);
}

/// The account files shadow's tools rewrite through `commonio`, which keeps the previous
/// version of each one it changed as `FILE-` (its old bytes, mode, owner and time).
const ACCOUNT_FILES: &[&str] = &["/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow", "/etc/subuid", "/etc/subgid"];

/// Runs an account tool, then writes the backups of the files it changed. A backup equal
/// to the one already there (same bytes, same time) changes nothing in the layer, as with
/// the real tools. BusyBox's tools keep them too (checked in an alpine:3.20 layer).
fn with_backups(sh: &mut Shell, tool: impl FnOnce(&mut Shell) -> Status) -> Status {
    let before: Vec<(&str, Option<(Content, Meta)>)> = ACCOUNT_FILES
        .iter()
        .map(|path| match sh.fs.get(path, true) {
            Ok(Node::File(f)) => (*path, Some((f.content.clone(), f.meta))),
            _ => (*path, None),
        })
        .collect();
    let status = tool(sh)?;
    for (path, old) in before {
        let Some((content, meta)) = old else { continue };
        let changed = !matches!(sh.fs.get(path, true), Ok(Node::File(f)) if f.content == content);
        if changed {
            let _ = sh.fs.write_file(&format!("{path}-"), content, meta);
        }
    }
    Ok(status)
}

/// useradd gives a regular user 65,536 subordinate ids from 100000 on, past the ranges
/// already given, when /etc/subuid and /etc/subgid exist (shadow 4.13's defaults).
fn add_subordinate_ids(sh: &mut Shell, name: &str) {
    for path in ["/etc/subuid", "/etc/subgid"] {
        let Some(text) = read_text(sh.fs, path) else { continue };
        let next = text
            .lines()
            .filter_map(|l| {
                let mut fields = l.split(':').skip(1);
                Some(fields.next()?.parse::<u64>().ok()? + fields.next()?.parse::<u64>().ok()?)
            })
            .max()
            .unwrap_or(100_000)
            .max(100_000);
        append_line(sh, path, &format!("{name}:{next}:65536"));
    }
}

fn days(sh: &Shell) -> i64 {
    sh.now.div_euclid(86_400)
}

/// How a tool picks a free id.
#[derive(Clone, Copy, PartialEq)]
enum Ids {
    /// One above the highest in UID_MIN..UID_MAX (1000..60000), as useradd and adduser do.
    Regular,
    /// shadow's `-r`: the highest free one up to SYS_UID_MAX (999).
    ShadowSystem,
    /// adduser's `--system`: the first free one from FIRST_SYSTEM_UID (100).
    AdduserSystem,
    /// BusyBox's `-S`: the lowest free one from 100 (CONFIG_FIRST_SYSTEM_ID).
    BusyboxSystem,
    /// BusyBox without `-S`: the lowest free one from 1000.
    BusyboxRegular,
}

fn free_id(used: &[u32], ids: Ids) -> u32 {
    match ids {
        Ids::ShadowSystem => (100..=999).rev().find(|id| !used.contains(id)).unwrap_or(999),
        Ids::AdduserSystem | Ids::BusyboxSystem => (100..=999).find(|id| !used.contains(id)).unwrap_or(999),
        Ids::BusyboxRegular => (1000..).find(|id| !used.contains(id)).unwrap_or(1000),
        Ids::Regular => used.iter().copied().filter(|u| (1000..60000).contains(u)).max().map_or(1000, |m| m + 1),
    }
}

fn add_group(sh: &mut Shell, name: &str, gid: Option<u32>, ids: Ids) -> u32 {
    let used: Vec<u32> = accounts::groups(sh.fs).iter().map(|g| g.gid).collect();
    let gid = gid.unwrap_or_else(|| free_id(&used, ids));
    append_line(sh, "/etc/group", &format!("{name}:x:{gid}:"));
    // Alpine has no /etc/gshadow, and BusyBox does not make one.
    if sh.fs.get("/etc/gshadow", true).is_ok() {
        append_line(sh, "/etc/gshadow", &format!("{name}:!::"));
    }
    gid
}

/// Copies /etc/skel into a new home owned by the user.
fn make_home(sh: &mut Shell, home: &str, uid: u32, gid: u32, busybox: bool) {
    // BusyBox makes the home setgid (drwxr-sr-x); useradd does not.
    let dir = Meta { mode: if busybox { 0o2755 } else { 0o755 }, uid, gid, mtime: sh.now };
    let _ = sh.fs.mkdir_all(home, dir);
    let _ = sh.fs.set_meta(home, |m| *m = dir);
    let Ok(Node::Dir(skel)) = sh.fs.get("/etc/skel", true) else { return };
    // Cloning the directory is cheap: its children are shared.
    let skel = skel.clone();
    for (name, node) in skel.children.iter() {
        if let Node::File(f) = node {
            let _ = sh.fs.write_file(&format!("{home}/{name}"), f.content.clone(), Meta { uid, gid, ..f.meta });
        }
    }
}

struct NewUser {
    name: String,
    uid: Option<u32>,
    group: Option<String>,
    extra_groups: Vec<String>,
    home: Option<String>,
    shell: String,
    ids: Ids,
    create_home: bool,
    user_group: bool,
    lastlog: bool,
    gecos: String,
}

/// Adds the user; `Err(message, status)` on failure, in useradd's words.
fn add_user(sh: &mut Shell, user: NewUser) -> Result<(u32, u32), (String, i32)> {
    if accounts::by_name(sh.fs, &user.name).is_some() {
        return Err((format!("user '{}' already exists", user.name), 9));
    }
    let used: Vec<u32> = accounts::accounts(sh.fs).iter().map(|a| a.uid).collect();
    if let Some(uid) = user.uid.filter(|u| used.contains(u)) {
        return Err((format!("UID {uid} is not unique"), 4));
    }
    let busybox = matches!(user.ids, Ids::BusyboxSystem | Ids::BusyboxRegular);
    let uid = match user.uid {
        Some(uid) => uid,
        // BusyBox looks for an id free as a UID and, when it makes the user's group, as a GID
        // too: that group then gets the same number.
        None if busybox && user.user_group && user.group.is_none() => {
            let gids: Vec<u32> = accounts::groups(sh.fs).iter().map(|g| g.gid).collect();
            let taken: Vec<u32> = used.iter().chain(&gids).copied().collect();
            free_id(&taken, user.ids)
        }
        None => free_id(&used, user.ids),
    };
    let gid = match &user.group {
        Some(g) => match g.parse().ok().or_else(|| accounts::group_by_name(sh.fs, g).map(|g| g.gid)) {
            Some(gid) => gid,
            None => return Err((format!("group '{g}' does not exist"), 6)),
        },
        None if user.user_group => {
            if accounts::group_by_name(sh.fs, &user.name).is_some() {
                return Err((format!("group {} exists - if you want to add this user to that group, use -g.", user.name), 9));
            }
            let wanted = (!used.contains(&uid) && accounts::group_by_gid(sh.fs, uid).is_none()).then_some(uid);
            add_group(sh, &user.name, wanted, user.ids)
        }
        None => 100,
    };
    let home = user.home.clone().unwrap_or_else(|| format!("/home/{}", user.name));
    append_line(sh, "/etc/passwd", &format!("{}:x:{uid}:{gid}:{}:{home}:{}", user.name, user.gecos, user.shell));
    // shadow's useradd ages regular users' passwords only; BusyBox's adduser ages every user's.
    let aging = if busybox || user.ids == Ids::Regular { "0:99999:7" } else { "::" };
    append_line(sh, "/etc/shadow", &format!("{}:!:{}:{aging}:::", user.name, days(sh)));
    for group in &user.extra_groups {
        add_member(sh, group, &user.name);
    }
    if user.ids == Ids::Regular {
        add_subordinate_ids(sh, &user.name);
    }
    if user.create_home {
        make_home(sh, &home, uid, gid, busybox);
    }
    if user.lastlog {
        touch_record(sh, "/var/log/lastlog", uid, LASTLOG_RECORD);
        touch_record(sh, "/var/log/faillog", uid, FAILLOG_RECORD);
    }
    Ok((uid, gid))
}

fn add_member(sh: &mut Shell, group: &str, user: &str) {
    let text = read_text(sh.fs, "/etc/group").unwrap_or_default();
    let edited: Vec<String> = text
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() == 4 && f[0] == group && !f[3].split(',').any(|m| m == user) {
                let members = if f[3].is_empty() { user.to_string() } else { format!("{},{user}", f[3]) };
                format!("{}:{}:{}:{members}", f[0], f[1], f[2])
            } else {
                line.to_string()
            }
        })
        .collect();
    write_text(sh, "/etc/group", &(edited.join("\n") + "\n"));
}

fn default_shell(sh: &Shell) -> String {
    read_text(sh.fs, "/etc/default/useradd")
        .and_then(|t| t.lines().find_map(|l| l.strip_prefix("SHELL=").map(str::to_string)))
        .unwrap_or_else(|| "/bin/sh".into())
}

fn parse_id(value: Option<&str>) -> Option<u32> {
    value.and_then(|v| v.parse().ok())
}

pub fn useradd(sh: &mut Shell, args: &[String]) -> Status {
    with_backups(sh, |sh| useradd_edits(sh, args))
}

fn useradd_edits(sh: &mut Shell, args: &[String]) -> Status {
    let with_value = ["u", "g", "G", "s", "d", "c", "k", "e", "f", "K", "p", "uid", "gid", "groups", "shell", "home-dir", "comment"];
    let Ok(opts) = flags::parse(&args[1..], &with_value) else {
        complain(sh, "useradd", "option requires an argument")?;
        return Ok(2);
    };
    let [name] = opts.operands.as_slice() else {
        sh.err("Usage: useradd [options] LOGIN\n")?;
        return Ok(2);
    };
    let user = NewUser {
        name: name.clone(),
        uid: parse_id(opts.value(&["u", "uid"])),
        group: opts.value(&["g", "gid"]).map(str::to_string),
        extra_groups: opts.value(&["G", "groups"]).map(|g| g.split(',').map(str::to_string).collect()).unwrap_or_default(),
        home: opts.value(&["d", "home-dir"]).map(str::to_string),
        shell: opts.value(&["s", "shell"]).map_or_else(|| default_shell(sh), str::to_string),
        ids: if opts.has(&["r", "system"]) { Ids::ShadowSystem } else { Ids::Regular },
        create_home: opts.has(&["m", "create-home"]) && !opts.has(&["M", "no-create-home"]),
        user_group: !opts.has(&["N", "no-user-group"]) && opts.value(&["g", "gid"]).is_none(),
        lastlog: !opts.has(&["l", "no-log-init"]),
        gecos: opts.value(&["c", "comment"]).unwrap_or("").to_string(),
    };
    let (system, name) = (user.ids == Ids::ShadowSystem, user.name.clone());
    match add_user(sh, user) {
        Ok((uid, _)) => {
            // A system account outside the system range still gets made, with a warning.
            if system && uid > 999 {
                sh.err(&format!("useradd warning: {name}'s uid {uid} is greater than SYS_UID_MAX 999\n"))?;
            }
            Ok(0)
        }
        Err((message, status)) => {
            complain(sh, "useradd", &message)?;
            Ok(status)
        }
    }
}

pub fn groupadd(sh: &mut Shell, args: &[String]) -> Status {
    with_backups(sh, |sh| groupadd_edits(sh, args))
}

fn groupadd_edits(sh: &mut Shell, args: &[String]) -> Status {
    let Ok(opts) = flags::parse(&args[1..], &["g", "gid", "K"]) else { return Ok(2) };
    let [name] = opts.operands.as_slice() else {
        sh.err("Usage: groupadd [options] GROUP\n")?;
        return Ok(2);
    };
    if accounts::group_by_name(sh.fs, name).is_some() {
        if opts.has(&["f", "force"]) {
            return Ok(0);
        }
        complain(sh, "groupadd", &format!("group '{name}' already exists"))?;
        return Ok(9);
    }
    let gid = parse_id(opts.value(&["g", "gid"]));
    if let Some(gid) = gid.filter(|g| accounts::group_by_gid(sh.fs, *g).is_some()) {
        complain(sh, "groupadd", &format!("GID '{gid}' already exists"))?;
        return Ok(4);
    }
    add_group(sh, name, gid, if opts.has(&["r", "system"]) { Ids::ShadowSystem } else { Ids::Regular });
    Ok(0)
}

pub fn usermod(sh: &mut Shell, args: &[String]) -> Status {
    with_backups(sh, |sh| usermod_edits(sh, args))
}

fn usermod_edits(sh: &mut Shell, args: &[String]) -> Status {
    let Ok(opts) = flags::parse(&args[1..], &["G", "g", "s", "d", "u", "l", "c"]) else { return Ok(2) };
    let [name] = opts.operands.as_slice() else {
        sh.err("Usage: usermod [options] LOGIN\n")?;
        return Ok(2);
    };
    if accounts::by_name(sh.fs, name).is_none() {
        complain(sh, "usermod", &format!("user '{name}' does not exist"))?;
        return Ok(6);
    }
    if let Some(groups) = opts.value(&["G"]) {
        for group in groups.split(',') {
            if accounts::group_by_name(sh.fs, group).is_none() {
                complain(sh, "usermod", &format!("group '{group}' does not exist"))?;
                return Ok(6);
            }
            add_member(sh, group, name);
        }
    }
    let text = read_text(sh.fs, "/etc/passwd").unwrap_or_default();
    let edited: Vec<String> = text
        .lines()
        .map(|line| {
            let mut f: Vec<String> = line.split(':').map(str::to_string).collect();
            if f.len() == 7 && f[0] == *name {
                if let Some(shell) = opts.value(&["s"]) {
                    f[6] = shell.to_string();
                }
                if let Some(home) = opts.value(&["d"]) {
                    f[5] = home.to_string();
                }
                if let Some(uid) = opts.value(&["u"]) {
                    f[2] = uid.to_string();
                }
            }
            f.join(":")
        })
        .collect();
    write_text(sh, "/etc/passwd", &(edited.join("\n") + "\n"));
    Ok(0)
}

/// Debian's adduser (a Perl script around useradd) or BusyBox's (`adduser -D`).
pub fn adduser(sh: &mut Shell, args: &[String]) -> Status {
    with_backups(sh, |sh| adduser_edits(sh, args))
}

fn adduser_edits(sh: &mut Shell, args: &[String]) -> Status {
    if sh.command_is_busybox() {
        return busybox_adduser(sh, args);
    }
    let with_value = ["home", "shell", "uid", "gid", "ingroup", "gecos", "comment", "firstuid", "lastuid"];
    let Ok(opts) = flags::parse(&args[1..], &with_value) else { return Ok(1) };
    if let [user, group] = opts.operands.as_slice() {
        add_member(sh, group, user);
        sh.out(&format!("Adding user `{user}' to group `{group}' ...\nDone.\n"))?;
        return Ok(0);
    }
    let [name] = opts.operands.as_slice() else {
        complain(sh, "adduser", "Only one or two names allowed.")?;
        return Ok(1);
    };
    let system = opts.has(&["system"]);
    if !system && !opts.has(&["disabled-password", "disabled-login"]) {
        return Err(Flow::Abort(format!(
            "layerlab: `adduser {name}` asks for a password on a terminal, which a build does not have; use --disabled-password (this case is not simulated)"
        )));
    }
    if system {
        return adduser_system(sh, name, &opts);
    }
    let group = opts.value(&["ingroup"]).map(str::to_string);
    let home = opts.value(&["home"]).map_or_else(|| format!("/home/{name}"), str::to_string);
    let user = NewUser {
        name: name.clone(),
        uid: parse_id(opts.value(&["uid"])),
        user_group: group.is_none(),
        group: group.clone(),
        extra_groups: Vec::new(),
        home: Some(home.clone()),
        shell: opts.value(&["shell"]).unwrap_or("/bin/bash").to_string(),
        ids: Ids::Regular,
        create_home: !opts.has(&["no-create-home"]),
        lastlog: true,
        gecos: opts.value(&["gecos", "comment"]).filter(|g| !g.is_empty()).unwrap_or(",,,").to_string(),
    };
    let create_home = user.create_home;
    let (uid, gid) = match add_user(sh, user) {
        Ok(ids) => ids,
        Err((message, _)) => {
            complain(sh, "adduser", &message.replace("user '", "The user `").replace("' already exists", "' already exists."))?;
            return Ok(1);
        }
    };
    let group_name = accounts::group_by_gid(sh.fs, gid).map_or(gid.to_string(), |g| g.name);
    let mut text = format!("Adding user `{name}' ...\n");
    if group.is_none() {
        text.push_str(&format!("Adding new group `{name}' ({gid}) ...\n"));
    }
    text.push_str(&format!("Adding new user `{name}' ({uid}) with group `{group_name} ({gid})' ...\n"));
    if create_home {
        text.push_str(&format!("Creating home directory `{home}' ...\nCopying files from `/etc/skel' ...\n"));
    }
    // adduser.conf's EXTRA_GROUPS="users", which bookworm's adduser applies by default.
    if accounts::group_by_name(sh.fs, "users").is_some() {
        add_member(sh, "users", name);
        text.push_str(&format!("Adding new user `{name}' to supplemental / extra groups `users' ...\nAdding user `{name}' to group `users' ...\n"));
    }
    sh.out(&text)?;
    Ok(0)
}

/// `adduser --system [--group] NAME`: ids from 100 up, group nogroup unless `--group`.
fn adduser_system(sh: &mut Shell, name: &str, opts: &flags::Parsed) -> Status {
    let own_group = opts.has(&["group"]);
    let used: Vec<u32> = accounts::accounts(sh.fs).iter().map(|a| a.uid).collect();
    let uid = parse_id(opts.value(&["uid"])).unwrap_or_else(|| free_id(&used, Ids::AdduserSystem));
    let mut text = format!("Adding system user `{name}' (UID {uid}) ...\n");
    let group = if own_group {
        let free = accounts::group_by_gid(sh.fs, uid).is_none().then_some(uid);
        let gid = add_group(sh, name, parse_id(opts.value(&["gid"])).or(free), Ids::AdduserSystem);
        text.push_str(&format!("Adding new group `{name}' (GID {gid}) ...\n"));
        name.to_string()
    } else {
        opts.value(&["ingroup"]).unwrap_or("nogroup").to_string()
    };
    let home = opts.value(&["home"]).unwrap_or("/nonexistent").to_string();
    let user = NewUser {
        name: name.to_string(),
        uid: Some(uid),
        group: Some(group.clone()),
        extra_groups: Vec::new(),
        home: Some(home.clone()),
        shell: opts.value(&["shell"]).unwrap_or("/usr/sbin/nologin").to_string(),
        ids: Ids::AdduserSystem,
        create_home: home != "/nonexistent" && !opts.has(&["no-create-home"]),
        user_group: false,
        lastlog: true,
        gecos: opts.value(&["gecos", "comment"]).unwrap_or("").to_string(),
    };
    if let Err((message, _)) = add_user(sh, user) {
        complain(sh, "adduser", &message)?;
        return Ok(1);
    }
    text.push_str(&format!("Adding new user `{name}' (UID {uid}) with group `{group}' ...\n"));
    if home == "/nonexistent" {
        text.push_str("Not creating `/nonexistent'.\n");
    }
    sh.out(&text)?;
    Ok(0)
}

fn busybox_adduser(sh: &mut Shell, args: &[String]) -> Status {
    let Ok(opts) = flags::parse(&args[1..], &["h", "g", "s", "G", "u", "k"]) else { return Ok(1) };
    let Some(name) = opts.operands.first() else {
        sh.err("BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n\nUsage: adduser [OPTIONS] USER [GROUP]\n")?;
        return Ok(1);
    };
    if let Some(group) = opts.operands.get(1) {
        add_member(sh, group, name);
        return Ok(0);
    }
    let system = opts.has(&["S"]);
    let user = NewUser {
        ids: if system { Ids::BusyboxSystem } else { Ids::BusyboxRegular },
        name: name.clone(),
        uid: parse_id(opts.value(&["u"])),
        group: opts.value(&["G"]).map(str::to_string),
        // `-G GROUP` is the primary group and, as BusyBox's adduser runs addgroup, a membership.
        extra_groups: opts.value(&["G"]).map(|g| vec![g.to_string()]).unwrap_or_default(),
        home: opts.value(&["h"]).map(str::to_string),
        shell: opts.value(&["s"]).map_or_else(|| if system { "/sbin/nologin".into() } else { "/bin/sh".into() }, str::to_string),
        create_home: !opts.has(&["H"]),
        user_group: opts.value(&["G"]).is_none(),
        lastlog: false,
        gecos: opts.value(&["g"]).map_or_else(|| "Linux User,,,".into(), str::to_string),
    };
    match add_user(sh, user) {
        Ok(_) => Ok(0),
        Err((message, _)) => {
            complain(sh, "adduser", &message.replace("' already exists", "' in use"))?;
            Ok(1)
        }
    }
}

/// Debian's addgroup / BusyBox's addgroup.
pub fn addgroup(sh: &mut Shell, args: &[String]) -> Status {
    with_backups(sh, |sh| addgroup_edits(sh, args))
}

fn addgroup_edits(sh: &mut Shell, args: &[String]) -> Status {
    let busybox = sh.command_is_busybox();
    let with_value: &[&str] = if busybox { &["g"] } else { &["gid"] };
    let Ok(opts) = flags::parse(&args[1..], with_value) else { return Ok(1) };
    let Some(name) = opts.operands.first() else { return Ok(1) };
    if let Some(group) = opts.operands.get(1) {
        add_member(sh, group, name);
        return Ok(0);
    }
    if accounts::group_by_name(sh.fs, name).is_some() {
        let message = if busybox { format!("group '{name}' in use") } else { format!("The group `{name}' already exists.") };
        complain(sh, "addgroup", &message)?;
        return Ok(1);
    }
    let ids = match (opts.has(&["S", "system"]), busybox) {
        (false, false) => Ids::Regular,
        (false, true) => Ids::BusyboxRegular,
        (true, true) => Ids::BusyboxSystem,
        (true, false) => Ids::AdduserSystem,
    };
    let gid = add_group(sh, name, parse_id(opts.value(&["g", "gid"])), ids);
    if !busybox {
        sh.out(&format!("Adding group `{name}' (GID {gid}) ...\nDone.\n"))?;
    }
    Ok(0)
}
