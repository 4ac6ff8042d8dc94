//! The account database of the image: /etc/passwd and /etc/group as the snapshot holds
//! them (real bytes from the base image, changed by useradd and friends).

use layerlab_image::fs::{Content, Node, Snapshot};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub home: String,
    pub shell: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub gid: u32,
    pub members: Vec<String>,
}

/// A text file's content, if the snapshot holds its bytes.
pub fn read_text(fs: &Snapshot, path: &str) -> Option<String> {
    match fs.get(path, true) {
        Ok(Node::File(f)) => match &f.content {
            Content::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
            Content::Sized { .. } => None,
        },
        _ => None,
    }
}

pub fn accounts(fs: &Snapshot) -> Vec<Account> {
    let text = read_text(fs, "/etc/passwd").unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() < 7 {
                return None;
            }
            Some(Account { name: f[0].into(), uid: f[2].parse().ok()?, gid: f[3].parse().ok()?, home: f[5].into(), shell: f[6].into() })
        })
        .collect()
}

pub fn groups(fs: &Snapshot) -> Vec<Group> {
    let text = read_text(fs, "/etc/group").unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() < 4 {
                return None;
            }
            Some(Group { name: f[0].into(), gid: f[2].parse().ok()?, members: f[3].split(',').filter(|m| !m.is_empty()).map(str::to_string).collect() })
        })
        .collect()
}

pub fn by_name(fs: &Snapshot, name: &str) -> Option<Account> {
    accounts(fs).into_iter().find(|a| a.name == name)
}

pub fn by_uid(fs: &Snapshot, uid: u32) -> Option<Account> {
    accounts(fs).into_iter().find(|a| a.uid == uid)
}

pub fn group_by_name(fs: &Snapshot, name: &str) -> Option<Group> {
    groups(fs).into_iter().find(|g| g.name == name)
}

pub fn group_by_gid(fs: &Snapshot, gid: u32) -> Option<Group> {
    groups(fs).into_iter().find(|g| g.gid == gid)
}

pub fn home_of_uid(fs: &Snapshot, uid: u32) -> Option<String> {
    by_uid(fs, uid).map(|a| a.home)
}

pub fn home_of_name(fs: &Snapshot, name: &str) -> Option<String> {
    by_name(fs, name).map(|a| a.home)
}
