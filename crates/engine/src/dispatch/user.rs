//! USER and `--chown` values against the image's /etc/passwd and /etc/group.

use layerlab_image::fs::Snapshot;
use layerlab_shell::accounts;
use layerlab_shell::Identity;

/// `name`, `uid`, `name:group`, `uid:gid` → who a RUN runs as. Unknown names fail as
/// runc fails them.
pub fn identity(fs: &Snapshot, user: &str) -> Result<Identity, String> {
    if user.is_empty() {
        return Ok(Identity::root());
    }
    let (name, group) = match user.split_once(':') {
        Some((n, g)) => (n, Some(g)),
        None => (user, None),
    };
    let account = match name.parse::<u32>() {
        Ok(uid) => accounts::by_uid(fs, uid).map(|a| (a.name, a.uid, a.gid)).unwrap_or((name.to_string(), uid, 0)),
        Err(_) => {
            let a = accounts::by_name(fs, name).ok_or_else(|| format!("unable to find user {name}: no matching entries in passwd file"))?;
            (a.name, a.uid, a.gid)
        }
    };
    let gid = match group {
        None => account.2,
        Some(g) => gid(fs, g).ok_or_else(|| format!("unable to find group {g}: no matching entries in group file"))?,
    };
    Ok(Identity { uid: account.1, gid, name: account.0 })
}

fn gid(fs: &Snapshot, group: &str) -> Option<u32> {
    group.parse().ok().or_else(|| accounts::group_by_name(fs, group).map(|g| g.gid))
}

/// `--chown=user[:group]` → (uid, gid); a user without a group gets its primary group
/// when it is a name, and gid = uid when it is a number (BuildKit's rule).
pub fn chown(fs: &Snapshot, spec: &str) -> Result<(u32, u32), String> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let unknown = |what: &str, name: &str| {
        format!("unable to convert uid/gid chown string to host mapping: can't find {what} for user {name}: no such user: {name}")
    };
    let (uid, primary) = match user.parse::<u32>() {
        Ok(uid) => (uid, uid),
        Err(_) => accounts::by_name(fs, user).map(|a| (a.uid, a.gid)).ok_or_else(|| unknown("uid", user))?,
    };
    let gid = match group {
        None => primary,
        Some(g) => gid(fs, g).ok_or_else(|| format!("unable to convert uid/gid chown string to host mapping: can't find gid for group {g}: no such group: {g}"))?,
    };
    Ok((uid, gid))
}
