//! Reading .deb files, and install-and-diff: install a request in a fresh copy of the slim
//! root and attribute every entry the maintainer scripts made to a package.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use layerlab_catalog::apt::{Measured, PackageFiles};
use layerlab_catalog::manifest::{self, Entry, Kind};

use super::super::host::sh;
use super::super::{rootfs, snapshot};

pub fn read_deb(deb: &Path) -> Result<PackageFiles, String> {
    let control = sh(&format!("dpkg-deb -I {} control", deb.display()))?;
    let mut info = BTreeMap::new();
    for entry in tar_entries(deb, "--ctrl-tarfile")? {
        if entry.kind == Kind::File && entry.path != "control" {
            info.insert(entry.path.clone(), entry.size);
        }
    }
    let files = manifest::encode(&tar_entries(deb, "--fsys-tarfile")?);
    Ok(PackageFiles { control, files, info, generated: String::new() })
}

fn tar_entries(deb: &Path, which: &str) -> Result<Vec<Entry>, String> {
    let mut child = Command::new("dpkg-deb")
        .arg(which)
        .arg(deb)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("dpkg-deb: {e}"))?;
    let mut bytes = Vec::new();
    child.stdout.take().ok_or("no stdout")?.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    child.wait().map_err(|e| e.to_string())?;
    rootfs::entries(&bytes[..])
}

/// Installs `name` (with Recommends, as `apt-get install -y` does) into a copy of `base`,
/// records what it measurably added, and stores attributed script-made entries in `files`.
fn install_and_diff(
    base: &Path,
    archives: &Path,
    name: &str,
    files: &mut BTreeMap<String, PackageFiles>,
) -> Result<Install, String> {
    let root = base.with_file_name("t");
    sh(&format!(
        "rm -rf {t}\ncp -a {base} {t}\ncp -al {archives}/*.deb {t}/var/cache/apt/archives/",
        t = root.display(),
        base = base.display(),
        archives = archives.display()
    ))?;
    let before = snapshot::scan(&root)?.entries;
    sh(&format!(
        "debuerreotype-chroot {} env DEBIAN_FRONTEND=noninteractive apt-get install -y -q {name} > /dev/null",
        root.display()
    ))?;
    let after = snapshot::scan(&root)?.entries;
    let measured = Measured {
        entries_added: after.keys().filter(|p| !before.contains_key(*p)).count() as u64,
        bytes_added: size(&after) as i64 - size(&before) as i64,
    };
    let owners = owners(files);
    let mut made = Vec::new();
    for entry in after.values() {
        if before.get(&entry.path) == Some(entry) || is_package_file(&owners, &entry.path) || is_dpkg_db(&entry.path) {
            continue;
        }
        let owner = attribute(entry, &after, &owners).unwrap_or(name).to_string();
        made.push((owner, manifest::encode(std::slice::from_ref(entry))));
    }
    let install = Install { measured, made };
    apply(&install, files);
    Ok(install)
}

/// What one real install measured, kept under the work folder so a later generation
/// reuses it (delete `apt/installs/` to measure again).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Install {
    pub measured: Measured,
    /// Script-made entries and the package each is attributed to (one manifest line each).
    made: Vec<(String, String)>,
}

/// `install_and_diff`, remembered under `cache`.
pub fn install_and_diff_cached(
    base: &Path,
    archives: &Path,
    cache: &Path,
    name: &str,
    files: &mut BTreeMap<String, PackageFiles>,
) -> Result<Measured, String> {
    let path = cache.join(format!("{name}.json"));
    if let Some(install) = std::fs::read_to_string(&path).ok().and_then(|t| serde_json::from_str::<Install>(&t).ok()) {
        apply(&install, files);
        return Ok(install.measured);
    }
    let install = install_and_diff(base, archives, name, files)?;
    std::fs::create_dir_all(cache).map_err(|e| e.to_string())?;
    std::fs::write(&path, serde_json::to_string(&install).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    Ok(install.measured)
}

fn apply(install: &Install, files: &mut BTreeMap<String, PackageFiles>) {
    for (owner, line) in &install.made {
        let owner = script_owner(owner, line, files).to_string();
        if let (Some(data), Ok(entries)) = (files.get_mut(&owner), manifest::decode(line)) {
            for entry in &entries {
                add_generated(data, entry);
            }
        }
    }
}

/// The package whose maintainer script makes an entry, where that is not the owner of the
/// file it derives from: the standard library's `.pyc` are compiled by the interpreter's
/// postinst (`python3.12` compiles `libpython3.12-stdlib`'s files, `python3.12-minimal`
/// `libpython3.12-minimal`'s), so installing the library alone (vim pulls it on Ubuntu)
/// makes none; Java's `cacerts` is made by ca-certificates-java's hook. Applied when the
/// measurements are read, so cached measurements are attributed by the current rule.
fn script_owner<'a>(owner: &'a str, line: &str, files: &'a BTreeMap<String, PackageFiles>) -> &'a str {
    let path = line.split('\t').next().unwrap_or("");
    let known = |name: String| files.get_key_value(&name).map(|(k, _)| k.as_str());
    if path.starts_with("etc/ssl/certs/java/") {
        return known("ca-certificates-java".into()).unwrap_or(owner);
    }
    if path.ends_with(".pyc") {
        if let Some(version) = owner.strip_prefix("libpython").and_then(|r| r.strip_suffix("-stdlib")) {
            return known(format!("python{version}")).unwrap_or(owner);
        }
        if let Some(version) = owner.strip_prefix("libpython").and_then(|r| r.strip_suffix("-minimal")) {
            return known(format!("python{version}-minimal")).unwrap_or(owner);
        }
    }
    owner
}

fn size(entries: &BTreeMap<String, Entry>) -> u64 {
    entries.values().map(Entry::docker_size).sum()
}

/// dpkg's own database, which the simulator writes from the control data.
fn is_dpkg_db(path: &str) -> bool {
    path.starts_with("var/lib/dpkg/info/") || path.starts_with("var/lib/dpkg/status")
}

/// Which package's .deb holds each path (under the merged-/usr spelling).
fn owners(files: &BTreeMap<String, PackageFiles>) -> HashMap<String, String> {
    let mut owners = HashMap::new();
    for (name, data) in files {
        // Directories are shared between packages; any owner will do for them.
        for entry in manifest::decode(&data.files).unwrap_or_default() {
            owners.entry(merged_usr(&entry.path)).or_insert_with(|| name.clone());
        }
    }
    owners
}

/// bookworm's root has `bin -> usr/bin` etc.; a .deb may still ship `/bin/sh`.
fn merged_usr(path: &str) -> String {
    for top in ["bin/", "sbin/", "lib/", "lib64/"] {
        if path.starts_with(top) {
            return format!("usr/{path}");
        }
    }
    path.to_string()
}

fn is_package_file(owners: &HashMap<String, String>, path: &str) -> bool {
    owners.contains_key(&merged_usr(path))
}

/// The package a script-made entry belongs to, by rule (see the catalog's rewrites).
fn attribute<'a>(entry: &Entry, after: &BTreeMap<String, Entry>, owners: &'a HashMap<String, String>) -> Option<&'a str> {
    let owner = |p: &str| owners.get(&merged_usr(p)).map(String::as_str);
    if let Some((_, package)) = SCRIPT_OUTPUTS.iter().find(|(prefix, _)| entry.path.starts_with(prefix)) {
        return owners.values().find(|o| o == package).map(String::as_str);
    }
    if let Some(source) = pyc_source(&entry.path) {
        return owner(&source);
    }
    if let Some(alt) = entry.path.strip_prefix("var/lib/dpkg/alternatives/") {
        return owner(&final_target(&format!("etc/alternatives/{alt}"), after));
    }
    if entry.kind == Kind::Symlink {
        return owner(&final_target(&entry.path, after));
    }
    None
}

/// Files a package's maintainer script writes outside its own paths.
const SCRIPT_OUTPUTS: &[(&str, &str)] = &[
    ("etc/ssl/certs/", "ca-certificates"),
    ("etc/ca-certificates.conf", "ca-certificates"),
];

/// `usr/lib/python3/dist-packages/x/__pycache__/y.cpython-311.pyc` → `.../x/y.py`.
fn pyc_source(path: &str) -> Option<String> {
    let (dir, file) = path.rsplit_once("/__pycache__/")?;
    let stem = file.strip_suffix(".pyc")?.split('.').next()?;
    Some(format!("{dir}/{stem}.py"))
}

/// Follows symlinks (as found after the install) to the path they end at.
fn final_target(path: &str, after: &BTreeMap<String, Entry>) -> String {
    let mut current = path.to_string();
    for _ in 0..16 {
        match after.get(&current) {
            Some(e) if e.kind == Kind::Symlink => current = resolve(&current, &e.link),
            _ => break,
        }
    }
    current
}

/// Where a symlink at `link_path` pointing at `target` leads, as a root-relative path.
fn resolve(link_path: &str, target: &str) -> String {
    use std::path::Component;
    let parent = link_path.rsplit_once('/').map_or("", |(p, _)| p);
    let joined = if target.starts_with('/') { target.to_string() } else { format!("{parent}/{target}") };
    let mut parts: Vec<String> = Vec::new();
    for component in Path::new(&joined).components() {
        match component {
            Component::Normal(name) => parts.push(name.to_string_lossy().into_owned()),
            Component::ParentDir => drop(parts.pop()),
            _ => {}
        }
    }
    parts.join("/")
}

fn add_generated(data: &mut PackageFiles, entry: &Entry) {
    let mut entries = manifest::decode(&data.generated).unwrap_or_default();
    entries.retain(|e| e.path != entry.path);
    entries.push(entry.clone());
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    data.generated = manifest::encode(&entries);
}
