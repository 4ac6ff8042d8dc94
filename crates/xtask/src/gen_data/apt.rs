//! The apt catalog for Debian bookworm: for each top-level package in `apt-packages.txt`,
//! what apt answers on the slim image (closure with and without Recommends, its summary
//! lines), every package's control fields, the files of its .deb, and what a real install
//! adds beyond them (maintainer scripts), measured by install-and-diff in a chroot.

mod absent;
mod diff;
mod request;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use layerlab_catalog::apt::{self, Absent, AptIndex, FileShard, Package, PackageFiles, Request};
use layerlab_catalog::image::FORMAT;
use layerlab_catalog::source::Source;

use super::debian::{self, MIRROR};
use super::deb822;
use super::host::{self, sh};
use super::work_dir;

const REQUESTED: &str = include_str!("apt-packages.txt");

/// The top-level packages; `LAYERLAB_APT_ONLY="curl git"` narrows a trial run.
pub fn requested() -> Vec<String> {
    if let Ok(only) = std::env::var("LAYERLAB_APT_ONLY") {
        return only.split_whitespace().map(str::to_string).collect();
    }
    super::names(REQUESTED)
}

/// The requests installed for real (install-and-diff). Each takes seconds to a minute, so
/// not all 160: these cover the common installs, and script-made files of every package in
/// their closures are attributed to that package, which other requests then reuse.
const MEASURED: &str = include_str!("apt-measured.txt");

fn measured_requests() -> Vec<String> {
    super::names(MEASURED)
}

fn dir() -> PathBuf {
    work_dir().join("apt")
}

/// The slim root with apt lists, every chroot's starting point.
fn base() -> PathBuf {
    dir().join("base")
}

fn archives() -> PathBuf {
    dir().join("archives")
}

pub fn generate(out: &Path) -> Result<(), String> {
    prepare()?;
    let names = requested();
    let mut requests = ask_all(&names)?;
    let union: BTreeSet<String> = requests
        .values()
        .flat_map(|r: &Request| r.with_recommends.packages.iter().chain(&r.without_recommends.packages))
        .cloned()
        .collect();
    let mut packages = show(&union)?;
    set_suites(&mut packages)?;
    download(&union)?;
    let mut files = read_debs(&packages)?;
    for name in measured_requests().iter().filter(|n| names.contains(n)) {
        let measured = diff::install_and_diff_cached(&base(), &archives(), &dir().join("installs"), name, &mut files)?;
        if let Some(r) = requests.get_mut(name) {
            r.measured = Some(measured);
        }
    }
    let (update_log, lists) = update()?;
    write(out, Catalog { packages, requests, lists, update_log, absent: ask_absent()? }, files)
}

/// Names apt has no candidate for that tutorials and old Dockerfiles still install.
const ABSENT: &str = include_str!("apt-absent.txt");

/// Asks apt about the absent names only and adds its answers to the committed index
/// (`cargo xtask gen-data apt-absent`): seconds instead of the whole catalog's hour.
pub fn generate_absent(out: &Path) -> Result<(), String> {
    prepare()?;
    let path = out.join("apt").join("bookworm.json");
    let mut index = AptIndex::from_json(&host::read(&path)?).map_err(|e| e.to_string())?;
    index.absent = ask_absent()?;
    host::write_json(&path, &index)
}

fn ask_absent() -> Result<BTreeMap<String, Absent>, String> {
    absent::ask_all(&base(), &super::names(ABSENT))
}

/// Which suite `Get:` names for each candidate: apt takes `bookworm` when the point release
/// has the version, else `bookworm-updates`, else `bookworm-security` (later suites read
/// first, so earlier ones win).
fn set_suites(packages: &mut BTreeMap<String, Package>) -> Result<(), String> {
    for suite in ["bookworm-security", "bookworm-updates", "bookworm"] {
        let host = if suite.ends_with("security") { "debian-security" } else { "debian" };
        let list = base().join(format!("var/lib/apt/lists/deb.debian.org_{host}_dists_{suite}_main_binary-amd64_Packages"));
        let text = sh(&format!(
            "if [ -e {list}.lz4 ]; then lz4cat {list}.lz4; else cat {list}; fi | grep -E '^(Package|Version): '",
            list = list.display()
        ))?;
        let mut name = "";
        for line in text.lines() {
            if let Some(n) = line.strip_prefix("Package: ") {
                name = n;
            } else if let (Some(version), Some(package)) = (line.strip_prefix("Version: "), packages.get_mut(name)) {
                if package.version == version {
                    package.suite = suite.to_string();
                }
            }
        }
    }
    Ok(())
}

/// A real `apt-get update` on the published slim image: what it printed, and what it
/// left in `/var/lib/apt/lists`.
fn update() -> Result<(Vec<String>, String), String> {
    let root = dir().join("update-root");
    // debuerreotype-chroot reads the epoch marker, which the published tar leaves out.
    sh(&format!(
        "rm -rf {root} && mkdir -p {root} && tar -xf {tar} -C {root} && cp {work}/debuerreotype-epoch {root}/",
        root = root.display(),
        tar = debian::slim_tar().display(),
        work = debian::slim_rootfs().display()
    ))?;
    let log = sh(&format!("debuerreotype-chroot {} env LANG=C apt-get update < /dev/null 2>&1", root.display()))?;
    let scan = super::snapshot::scan(&root)?;
    let entries: Vec<_> = scan.entries.into_values().filter(|e| e.path.starts_with("var/lib/apt/lists/")).collect();
    sh(&format!("rm -rf {}", root.display()))?;
    Ok((log.lines().map(str::to_string).collect(), layerlab_catalog::manifest::encode(&entries)))
}

struct Catalog {
    packages: BTreeMap<String, Package>,
    requests: BTreeMap<String, Request>,
    lists: String,
    update_log: Vec<String>,
    absent: BTreeMap<String, Absent>,
}

/// Asks apt about every request, two at a time (the machine has two cores; apt's
/// simulation only reads the root).
fn ask_all(names: &[String]) -> Result<BTreeMap<String, Request>, String> {
    let cache = dir().join("asks");
    let halves: Vec<&[String]> = names.chunks(names.len().div_ceil(2).max(1)).collect();
    let answers: Vec<Result<Vec<(String, Request)>, String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = halves
            .iter()
            .map(|half| {
                let cache = &cache;
                scope.spawn(move || {
                    half.iter()
                        .map(|n| Ok((n.clone(), request::ask_apt_cached(&base(), cache, n)?)))
                        .collect::<Result<Vec<_>, String>>()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or_else(|_| Err("apt worker panicked".into()))).collect()
    });
    let mut requests = BTreeMap::new();
    for half in answers {
        requests.extend(half?);
    }
    // Asking must not install: every answer assumes the slim image's package set.
    let installed = |root: &Path| sh(&format!("dpkg-query --admindir={}/var/lib/dpkg -W -f '${{Package}}\\n'", root.display()));
    if installed(&base())? != installed(&debian::slim_rootfs())? {
        return Err("asking apt changed the package set of the base root; its answers are void".into());
    }
    Ok(requests)
}

fn prepare() -> Result<(), String> {
    sh(&format!(
        "mkdir -p {dir} {archives}\nif [ ! -d {base}/var/lib/apt/lists/partial ] || [ -z \"$(ls {base}/var/lib/apt/lists | grep Packages)\" ]; then rm -rf {base} && cp -a {slim} {base} && debuerreotype-apt-get {base} update -qq; fi",
        dir = dir().display(),
        archives = archives().display(),
        base = base().display(),
        slim = debian::slim_rootfs().display()
    ))?;
    Ok(())
}

/// `apt-cache show` of the candidate version of every package.
fn show(names: &BTreeSet<String>) -> Result<BTreeMap<String, Package>, String> {
    let list: Vec<&str> = names.iter().map(String::as_str).collect();
    let text = sh(&format!(
        "chroot {} apt-cache show --no-all-versions {}",
        base().display(),
        list.join(" ")
    ))?;
    let mut packages = BTreeMap::new();
    for stanza in deb822::parse(&text) {
        let field = |k: &str| stanza.get(k).cloned().unwrap_or_default();
        let number = |k: &str| field(k).parse::<u64>().unwrap_or(0);
        packages.insert(
            field("Package"),
            Package {
                version: field("Version"),
                architecture: field("Architecture"),
                priority: field("Priority"),
                essential: field("Essential") == "yes",
                installed_size: number("Installed-Size"),
                download_size: number("Size"),
                pre_depends: field("Pre-Depends"),
                depends: field("Depends"),
                recommends: field("Recommends"),
                suggests: field("Suggests"),
                provides: field("Provides"),
                conflicts: field("Conflicts"),
                breaks: field("Breaks"),
                suite: String::new(),
            },
        );
    }
    for name in names {
        if !packages.contains_key(name) {
            return Err(format!("apt-cache show gave no stanza for {name}"));
        }
    }
    Ok(packages)
}

fn download(names: &BTreeSet<String>) -> Result<(), String> {
    let list: Vec<&str> = names.iter().map(String::as_str).collect();
    sh(&format!(
        // apt names files `name_epoch%3aversion_arch.deb`; the pool URL has no epoch.
        "cd {archives} && chroot {base} apt-get download --print-uris {list} > uris.txt\ncd {archives} && while read -r url name size hash; do url=${{url//\\'/}}; [ -s \"$name\" ] || wget -q -O \"$name\" \"$url\"; done < uris.txt",
        archives = archives().display(),
        base = base().display(),
        list = list.join(" ")
    ))?;
    Ok(())
}

/// Control file, control members and data entries of every downloaded .deb.
fn read_debs(packages: &BTreeMap<String, Package>) -> Result<BTreeMap<String, PackageFiles>, String> {
    let mut files = BTreeMap::new();
    for (name, package) in packages {
        let deb = deb_path(name, package)?;
        files.insert(name.clone(), diff::read_deb(&deb)?);
    }
    Ok(files)
}

/// The .deb in the archive folder (`name_version_arch.deb`, with `:` in the version as `%3a`).
fn deb_path(name: &str, package: &Package) -> Result<PathBuf, String> {
    let version = package.version.replace(':', "%3a");
    let path = archives().join(format!("{name}_{version}_{}.deb", package.architecture));
    if path.exists() {
        Ok(path)
    } else {
        Err(format!("{} was not downloaded", path.display()))
    }
}

fn write(out: &Path, catalog: Catalog, files: BTreeMap<String, PackageFiles>) -> Result<(), String> {
    let Catalog { packages, requests, lists, update_log, absent } = catalog;
    let pinned = packages.iter().map(|(n, p)| format!("{n}={}", p.version)).collect();
    let source = Source {
        fidelity: "exact".into(),
        generator: "cargo xtask gen-data apt".into(),
        date: host::today()?,
        tools: vec![host::deb_tool("apt")?, host::deb_tool("dpkg")?, host::deb_tool("debuerreotype")?],
        origin: format!("{MIRROR} bookworm bookworm-updates bookworm-security (main), amd64; installs measured in a debian:bookworm-slim chroot"),
        pinned,
        rewrites: vec!["files maintainer scripts create are attributed to a package by rule: .pyc to the owner of its .py, symlinks to the owner of their target, the rest to the requested package".into()],
    };
    let index = AptIndex { format: FORMAT, source, packages, requests, lists, update_log, absent };
    host::write_json(&out.join("apt").join("bookworm.json"), &index)?;
    let mut shards: BTreeMap<u32, FileShard> = BTreeMap::new();
    for (name, data) in files {
        let shard = shards.entry(apt::shard_of(&name)).or_insert_with(|| FileShard { format: FORMAT, ..FileShard::default() });
        shard.packages.insert(name, data);
    }
    for (n, shard) in shards {
        host::write_json(&out.join("apt").join(apt::shard_file_name(n)), &shard)?;
    }
    Ok(())
}
