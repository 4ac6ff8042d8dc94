//! dpkg's and apt's state in the snapshot: `/var/lib/dpkg/status` (what is installed),
//! `/var/lib/dpkg/info/*.list` (which files a package owns), `/var/lib/apt/extended_states`
//! (what was installed only as a dependency), `/var/lib/apt/lists` (whether `apt-get update`
//! ran in this image).

use std::collections::BTreeSet;
use std::sync::Arc;

use layerlab_catalog::closure::Installed;
use layerlab_image::fs::{Content, Meta, Node, Snapshot};

use crate::accounts::read_text;
use crate::interp::Shell;

pub const STATUS: &str = "/var/lib/dpkg/status";
pub const INFO: &str = "/var/lib/dpkg/info";
pub const EXTENDED_STATES: &str = "/var/lib/apt/extended_states";
pub const LISTS: &str = "/var/lib/apt/lists";

/// One stanza of dpkg's status file.
#[derive(Debug, Clone)]
pub struct Stanza {
    pub text: String,
}

impl Stanza {
    pub fn field(&self, key: &str) -> Option<&str> {
        self.text.lines().find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(": ")))
    }

    pub fn name(&self) -> &str {
        self.field("Package").unwrap_or("")
    }

    pub fn installed(&self) -> bool {
        self.field("Status").is_some_and(|s| s.ends_with(" installed"))
    }

    /// dpkg's selection is `hold` (`apt-mark hold`): apt neither changes nor removes it.
    pub fn held(&self) -> bool {
        self.field("Status").is_some_and(|s| s.starts_with("hold "))
    }

    /// How dpkg names the package in messages and info files: `libc6:amd64` for
    /// `Multi-Arch: same` packages, the bare name otherwise.
    pub fn display_name(&self) -> String {
        qualified(self.name(), self.field("Multi-Arch").unwrap_or(""), self.field("Architecture").unwrap_or(""))
    }
}

pub fn qualified(name: &str, multi_arch: &str, architecture: &str) -> String {
    if multi_arch == "same" {
        format!("{name}:{architecture}")
    } else {
        name.to_string()
    }
}

pub fn status(sh: &Shell) -> Vec<Stanza> {
    read_text(sh.fs, STATUS)
        .unwrap_or_default()
        .split("\n\n")
        .filter(|s| !s.trim().is_empty())
        .map(|s| Stanza { text: s.trim_matches('\n').to_string() })
        .collect()
}

pub fn write_status(sh: &mut Shell, stanzas: &[Stanza]) {
    let previous = sh.fs.get(STATUS, true).ok().cloned();
    if let Some(Node::File(old)) = previous {
        let _ = sh.fs.write_file(&format!("{STATUS}-old"), old.content, Meta { mtime: sh.now, ..old.meta });
    }
    let text: String = stanzas.iter().map(|s| format!("{}\n\n", s.text)).collect();
    write_text(sh, STATUS, &text, 0o644);
}

pub fn installed(stanzas: &[Stanza]) -> Installed {
    let mut installed = Installed::default();
    for stanza in stanzas.iter().filter(|s| s.installed()) {
        installed.add(stanza.name(), stanza.field("Provides").unwrap_or(""));
    }
    installed
}

/// The upstream version of a package in dpkg's status, epoch and Debian revision dropped
/// (`1:2.39.5-0+deb12u2` → `2.39.5`): what the tool itself reports as its version.
pub(crate) fn upstream_version(fs: &Snapshot, package: &str) -> Option<String> {
    let status = read_text(fs, STATUS)?;
    let header = format!("Package: {package}\n");
    let stanza = status.split("\n\n").find(|s| s.starts_with(&header))?;
    let version = stanza.lines().find_map(|l| l.strip_prefix("Version: "))?;
    let without_epoch = version.split_once(':').map_or(version, |(_, v)| v);
    without_epoch.split('-').next().map(str::to_string)
}

/// Whether `apt-get update` has filled the lists (any `*_Packages*` file).
pub fn has_lists(sh: &Shell) -> bool {
    match sh.fs.get(LISTS, true) {
        Ok(Node::Dir(dir)) => dir.children.keys().any(|name| name.contains("_Packages")),
        _ => false,
    }
}

/// Packages apt installed only as dependencies (`Auto-Installed: 1`).
pub fn auto_installed(sh: &Shell) -> BTreeSet<String> {
    let text = read_text(sh.fs, EXTENDED_STATES).unwrap_or_default();
    text.split("\n\n")
        .filter(|s| s.lines().any(|l| l == "Auto-Installed: 1"))
        .filter_map(|s| s.lines().find_map(|l| l.strip_prefix("Package: ")).map(str::to_string))
        .collect()
}

pub fn write_auto_installed(sh: &mut Shell, auto: &BTreeSet<String>) {
    let text: String = auto.iter().map(|name| format!("Package: {name}\nArchitecture: amd64\nAuto-Installed: 1\n\n")).collect();
    write_text(sh, EXTENDED_STATES, &text, 0o644);
}

/// The paths a package's `.list` names (`/.`, `/usr`, `/usr/bin/curl`...).
pub fn owned_paths(sh: &Shell, display_name: &str) -> Vec<String> {
    read_text(sh.fs, &format!("{INFO}/{display_name}.list")).unwrap_or_default().lines().map(str::to_string).collect()
}

/// What dpkg reported on each release's image: (paths, bytes of `.list` files), measured in
/// a chroot of bookworm-slim and of the rebuilt ubuntu:24.04 and 22.04 (`dpkg -i` of a package).
const PATHS_PER_LIST_BYTES: &[(&str, usize, usize)] = &[("bookworm", 6096, 272_214), ("noble", 4377, 182_813), ("jammy", 4389, 183_239)];

/// How many paths dpkg's database knows, for `(Reading database ... N files and
/// directories currently installed.)`. The base image's lists are held as sizes only, so
/// their count is modelled by the measured ratio of the image's release (bookworm's for
/// others). Lists Layerlab wrote add the paths no base list has: files, and directories
/// the build made (newer than the image's `/usr`).
pub fn known_paths(sh: &Shell, release: &str) -> usize {
    let (_, paths_measured, bytes_measured) = PATHS_PER_LIST_BYTES.iter().find(|(r, ..)| *r == release).unwrap_or(&PATHS_PER_LIST_BYTES[0]);
    let Ok(Node::Dir(info)) = sh.fs.get(INFO, true) else { return 0 };
    let base_time = sh.fs.get("/usr", true).map(|n| n.meta().mtime).unwrap_or(0);
    let mut paths = BTreeSet::new();
    let mut sized = 0;
    for (name, node) in info.children.iter() {
        let Node::File(file) = node else { continue };
        if !name.ends_with(".list") {
            continue;
        }
        match &file.content {
            Content::Bytes(bytes) => paths.extend(String::from_utf8_lossy(bytes).lines().map(str::to_string)),
            Content::Sized { size, .. } => sized += *size as usize,
        }
    }
    let added = paths
        .iter()
        .filter(|p| *p != "/.")
        .filter(|p| match sh.fs.get(p, false) {
            Ok(Node::Dir(d)) => d.meta.mtime != base_time,
            _ => true,
        })
        .count();
    (sized * paths_measured + bytes_measured / 2) / bytes_measured + added
}

pub fn write_text(sh: &mut Shell, path: &str, text: &str, mode: u32) {
    let meta = Meta { mode, uid: 0, gid: 0, mtime: sh.now };
    let _ = sh.fs.write_file(path, Content::Bytes(Arc::from(text.as_bytes())), meta);
}
