//! A root folder's state, and the layer between two states: what a `RUN` step in a chroot
//! changed, as an OCI layer (changed entries, whiteouts for deletions).

use std::collections::BTreeMap;
use std::path::Path;

use layerlab_catalog::image::LayerData;
use layerlab_catalog::manifest::{self, Entry, Kind};

use super::host::sh;
use super::rootfs;

pub struct Scan {
    pub entries: BTreeMap<String, Entry>,
    /// Modification times, to see a rewrite that kept the size.
    mtimes: BTreeMap<String, String>,
}

/// Everything under `root` on its filesystem, except downloaded .debs (`docker-clean`
/// removes them), debuerreotype's epoch marker, and `/layerlab-inputs`, where the generator
/// puts the files a step would have downloaded.
pub fn scan(root: &Path) -> Result<Scan, String> {
    let text = sh(&format!(
        "cd {} && find . -xdev -mindepth 1 -not -path './var/cache/apt/archives/*.deb' -not -path './debuerreotype-epoch' -not -path './layerlab-inputs' -not -path './layerlab-inputs/*' -printf '%P\\t%y\\t%m\\t%U\\t%G\\t%s\\t%l\\t%i:%n\\t%T@\\n'",
        root.display()
    ))?;
    let mut scan = Scan { entries: BTreeMap::new(), mtimes: BTreeMap::new() };
    // Paths sharing an inode are one file: the first (in path order) holds the bytes and
    // the others are hard links to it, as a layer tar writes them and as Docker counts
    // them (its size accounting skips inodes it has seen). Mesa's drivers are one 25 MB
    // file under a dozen names.
    let mut lines: Vec<Vec<&str>> = text.lines().map(|l| l.splitn(9, '\t').collect::<Vec<_>>()).filter(|f| f.len() == 9).collect();
    lines.sort_by(|a, b| a[0].cmp(b[0]));
    let mut first_of_inode: BTreeMap<String, String> = BTreeMap::new();
    for f in lines {
        let (inode, links) = f[7].split_once(':').unwrap_or((f[7], "1"));
        let link_target = (f[1] == "f" && links != "1").then(|| first_of_inode.entry(inode.to_string()).or_insert_with(|| f[0].to_string()).clone()).filter(|first| first != f[0]);
        if let Some(first) = link_target {
            let entry = Entry { path: f[0].to_string(), kind: Kind::Hardlink, mode: u32::from_str_radix(f[2], 8).unwrap_or(0), uid: f[3].parse().unwrap_or(0), gid: f[4].parse().unwrap_or(0), size: 0, link: first };
            scan.mtimes.insert(entry.path.clone(), f[8].to_string());
            scan.entries.insert(entry.path.clone(), entry);
            continue;
        }
        let f = [f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[8]];
        let kind = match f[1] {
            "f" => Kind::File,
            "d" => Kind::Dir,
            "l" => Kind::Symlink,
            _ => continue,
        };
        let entry = Entry {
            path: f[0].to_string(),
            kind,
            mode: u32::from_str_radix(f[2], 8).unwrap_or(0),
            uid: f[3].parse().unwrap_or(0),
            gid: f[4].parse().unwrap_or(0),
            size: if kind == Kind::File { f[5].parse().unwrap_or(0) } else { 0 },
            link: f[6].to_string(),
        };
        scan.mtimes.insert(entry.path.clone(), f[7].to_string());
        scan.entries.insert(entry.path.clone(), entry);
    }
    Ok(scan)
}

/// The layer that turns `before` into `after`: new and changed entries (with the bytes of
/// small text files read from `root`), and a whiteout for each deleted entry whose parent
/// survives.
pub fn layer(root: &Path, before: &Scan, after: &Scan) -> Result<LayerData, String> {
    let mut entries = Vec::new();
    let mut files = BTreeMap::new();
    for (path, entry) in &after.entries {
        let unchanged = before.entries.get(path) == Some(entry)
            && (entry.kind == Kind::Dir || before.mtimes.get(path) == after.mtimes.get(path));
        if unchanged {
            continue;
        }
        if rootfs::keep_bytes(entry) {
            if let Ok(text) = std::fs::read_to_string(root.join(path)) {
                files.insert(path.clone(), text);
            }
        }
        entries.push(entry.clone());
    }
    for path in before.entries.keys().filter(|p| !after.entries.contains_key(*p)) {
        let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
        if !parent.is_empty() && !after.entries.contains_key(parent) {
            continue;
        }
        let whiteout = if parent.is_empty() { format!(".wh.{name}") } else { format!("{parent}/.wh.{name}") };
        entries.push(Entry { path: whiteout, kind: Kind::Whiteout, mode: 0, uid: 0, gid: 0, size: 0, link: String::new() });
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(LayerData { manifest: manifest::encode(&entries), files })
}

/// Runs one `RUN` step's script in the chroot and returns the layer it made.
pub fn run_step(root: &Path, script: &str) -> Result<LayerData, String> {
    let before = scan(root)?;
    sh(&format!(
        "debuerreotype-chroot {} env DEBIAN_FRONTEND=noninteractive /bin/sh -c {} < /dev/null",
        root.display(),
        shell_quote(script)
    ))?;
    let after = scan(root)?;
    layer(root, &before, &after)
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}
