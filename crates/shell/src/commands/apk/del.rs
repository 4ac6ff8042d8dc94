//! `apk del`: takes names out of the world and purges every package the world no longer
//! needs, newest first, with their files.

use std::collections::BTreeSet;

use layerlab_image::fs::Node;

use super::database::{self, Database, Record};
use super::{say, triggers, ApkConfig};
use crate::interp::{Flow, Shell, Status};

pub fn del(sh: &mut Shell, config: &ApkConfig) -> Status {
    let mut db = Database::read(sh);
    let mut world = database::world(sh);
    for name in &config.operands {
        let before = world.len();
        world.retain(|w| database::bare(w) != Some(name.as_str()));
        if world.len() == before {
            return Err(Flow::Abort(format!("layerlab: apk del of '{name}', which the world file does not list, is not modelled")));
        }
    }
    let needed = db.needed(&world);
    let names = db.names();
    if let Some(kept) = config.operands.iter().find(|n| names.get(n.as_str()).is_some_and(|p| needed.contains(p))) {
        return Err(Flow::Abort(format!("layerlab: apk del of '{kept}', which other installed packages still need, is not modelled")));
    }
    let purged: Vec<Record> = db.records.iter().rev().filter(|r| !needed.contains(&r.name)).cloned().collect();
    db.records.retain(|r| needed.contains(&r.name));
    let total = purged.len();
    let mut files = Vec::new();
    for (i, record) in purged.iter().enumerate() {
        say(sh, config, &format!("({}/{total}) Purging {} ({})\n", i + 1, record.name, record.version))?;
        remove_files(sh, record, &db)?;
        files.extend(record.files.iter().cloned());
    }
    database::write_world(sh, &world);
    triggers(sh, config, &db, &[], &files)?;
    db.write(sh);
    let summary = db.summary();
    say(sh, config, &summary)?;
    Ok(0)
}

/// The package's files, then those of its directories that are left empty and that no
/// remaining package lists.
fn remove_files(sh: &mut Shell, record: &Record, remaining: &Database) -> Result<(), Flow> {
    for path in &record.files {
        sh.step()?;
        let _ = sh.fs.remove(path, false);
    }
    let kept: BTreeSet<&String> = remaining.records.iter().flat_map(|r| &r.dirs).collect();
    for dir in record.dirs.iter().rev().filter(|d| !kept.contains(d)) {
        if matches!(sh.fs.get(dir, false), Ok(Node::Dir(d)) if d.children.is_empty()) {
            let _ = sh.fs.remove(dir, true);
        }
    }
    Ok(())
}
