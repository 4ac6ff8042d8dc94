//! coreutils' `mktemp`: a new file (0600) or, with `-d`, folder (0700) named from a template
//! whose trailing X's become letters and digits (`tmp.XXXXXXXXXX` in $TMPDIR or /tmp by
//! default), its path printed. The real letters are random; these come from the step's
//! time and the name's place, so a build prints the same names every time.

use std::hash::{DefaultHasher, Hash, Hasher};

use layerlab_image::fs::Meta;

use super::files::{complain, options};
use crate::interp::{Shell, Status};

const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

pub fn mktemp(sh: &mut Shell, args: &[String]) -> Status {
    let Some(opts) = options(sh, args, &["p", "tmpdir"])? else { return Ok(1) };
    let dir_mode = opts.has(&["d", "directory"]);
    let given = opts.operands.first().cloned();
    let template = given.clone().unwrap_or_else(|| "tmp.XXXXXXXXXX".into());
    let xs = template.len() - template.trim_end_matches('X').len();
    if xs < 3 {
        complain(sh, "mktemp", &format!("too few X's in template '{template}'"))?;
        return Ok(1);
    }
    // With no template, -t or -p the name goes in $TMPDIR or /tmp; a given template is
    // relative to the working folder.
    let tmpdir = || sh.var("TMPDIR").filter(|d| !d.is_empty()).unwrap_or_else(|| "/tmp".into());
    let base = match (opts.value(&["p", "tmpdir"]), given.is_none() || opts.has(&["t"])) {
        (Some(p), _) => Some(p.to_string()),
        (None, true) => Some(tmpdir()),
        (None, false) => None,
    };
    let stem = &template[..template.len() - xs];
    for attempt in 0u64..100 {
        let name = format!("{stem}{}", letters(sh.now, &template, attempt, xs));
        let shown = base.as_ref().map_or(name.clone(), |b| format!("{}/{name}", b.trim_end_matches('/')));
        let path = sh.absolute(&shown);
        if sh.fs.get(&path, false).is_ok() {
            continue;
        }
        let meta = Meta { mode: if dir_mode { 0o700 } else { 0o600 }, uid: sh.user.uid, gid: sh.user.gid, mtime: sh.now };
        let made = if dir_mode { sh.fs.mkdir(&path, meta) } else { sh.fs.write_file(&path, layerlab_image::fs::Content::Bytes(Vec::new().into()), meta) };
        if let Err(e) = made {
            let what = if dir_mode { "directory" } else { "file" };
            complain(sh, "mktemp", &format!("failed to create {what} via template '{}': {}", shown.replace(&name[stem.len()..], &"X".repeat(xs)), e.message()))?;
            return Ok(1);
        }
        sh.out(&format!("{shown}\n"))?;
        return Ok(0);
    }
    complain(sh, "mktemp", "too many temporary names taken")?;
    Ok(1)
}

fn letters(now: i64, template: &str, attempt: u64, count: usize) -> String {
    let mut out = String::with_capacity(count);
    let mut round = 0u64;
    while out.len() < count {
        let mut h = DefaultHasher::new();
        (now, template, attempt, round).hash(&mut h);
        for b in h.finish().to_le_bytes() {
            if out.len() < count {
                out.push(LETTERS[usize::from(b) % LETTERS.len()] as char);
            }
        }
        round += 1;
    }
    out
}
