//! The apt catalogs of Debian bookworm and Ubuntu noble: for each top-level package in
//! `apt-packages.txt`, what apt answers on the release's image (closure with and without
//! Recommends, its summary lines), every package's control fields, the files of its .deb,
//! and what a real install adds beyond them (maintainer scripts), measured by
//! install-and-diff in a chroot.

mod absent;
mod diff;
mod request;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use layerlab_catalog::apt::{self, Absent, AptIndex, FileShard, Package, PackageFiles, Request};
use layerlab_catalog::image::FORMAT;
use layerlab_catalog::source::Source;

use super::debian;
use super::ubuntu;
use super::deb822;
use super::host::{self, sh};
use super::work_dir;

/// A release a catalog is recorded for, on the root filesystem of its image.
pub struct Release {
    codename: &'static str,
    /// Which image's root apt asks and installs on.
    image: Image,
    /// The suites in the order of the image's sources: apt names the earliest suite that
    /// has a version in its `Get:` lines.
    suites: &'static [&'static str],
    origin: &'static str,
    tools: &'static [&'static str],
}

/// The roots the image generators leave: Debian's slim root, or an Ubuntu release's.
enum Image {
    DebianSlim,
    Ubuntu,
}

impl Release {
    fn root(&self) -> PathBuf {
        match self.image {
            Image::DebianSlim => debian::slim_rootfs(),
            Image::Ubuntu => ubuntu::rootfs(self.codename),
        }
    }

    /// The published form of that root.
    fn tar(&self) -> PathBuf {
        match self.image {
            Image::DebianSlim => debian::slim_tar(),
            Image::Ubuntu => ubuntu::tar(self.codename),
        }
    }
}

pub const BOOKWORM: Release = Release {
    codename: "bookworm",
    image: Image::DebianSlim,
    suites: &["bookworm", "bookworm-updates", "bookworm-security"],
    origin: "http://deb.debian.org/debian bookworm bookworm-updates bookworm-security (main), amd64; installs measured in a debian:bookworm-slim chroot",
    tools: &["apt", "dpkg", "debuerreotype"],
};

pub const NOBLE: Release = Release {
    codename: "noble",
    image: Image::Ubuntu,
    suites: &["noble", "noble-updates", "noble-backports", "noble-security"],
    origin: "http://archive.ubuntu.com/ubuntu noble noble-updates noble-backports, http://security.ubuntu.com/ubuntu noble-security (main universe restricted multiverse), amd64; installs measured in a chroot of the rebuilt ubuntu:24.04",
    tools: &["apt", "dpkg", "debootstrap", "debuerreotype"],
};

pub const JAMMY: Release = Release {
    codename: "jammy",
    image: Image::Ubuntu,
    suites: &["jammy", "jammy-updates", "jammy-backports", "jammy-security"],
    origin: "http://archive.ubuntu.com/ubuntu jammy jammy-updates jammy-backports, http://security.ubuntu.com/ubuntu jammy-security (main universe restricted multiverse), amd64; installs measured in a chroot of the rebuilt ubuntu:22.04",
    tools: &["apt", "dpkg", "debootstrap", "debuerreotype"],
};

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

fn dir(release: &Release) -> PathBuf {
    match release.codename {
        "bookworm" => work_dir().join("apt"),
        other => work_dir().join(format!("apt-{other}")),
    }
}

/// The image's root with apt lists, every chroot's starting point.
fn base(release: &Release) -> PathBuf {
    dir(release).join("base")
}

fn archives(release: &Release) -> PathBuf {
    dir(release).join("archives")
}

pub fn generate(release: &Release, out: &Path) -> Result<(), String> {
    prepare(release)?;
    let names = requested();
    let mut requests = ask_all(release, &names)?;
    let union: BTreeSet<String> = requests
        .values()
        .flat_map(|r: &Request| r.with_recommends.packages.iter().chain(&r.without_recommends.packages))
        .cloned()
        .collect();
    let mut packages = show(release, &union)?;
    set_suites(release, &mut packages)?;
    download(release, &union)?;
    let mut files = read_debs(release, &packages)?;
    let measured: Vec<String> = measured_requests().into_iter().filter(|n| requests.contains_key(n)).collect();
    for name in &measured {
        let measured = diff::install_and_diff_cached(&base(release), &archives(release), &dir(release).join("installs"), name, &mut files)?;
        if let Some(r) = requests.get_mut(name) {
            r.measured = Some(measured);
        }
    }
    let (update_log, lists) = update(release)?;
    write(release, out, Catalog { packages, requests, lists, update_log, absent: ask_absent(release)? }, files)
}

/// Names apt has no candidate for that tutorials and old Dockerfiles still install.
const ABSENT: &str = include_str!("apt-absent.txt");

/// Asks apt about the absent names only and adds its answers to the committed index
/// (`cargo xtask gen-data apt-absent`): seconds instead of the whole catalog's hour.
pub fn generate_absent(release: &Release, out: &Path) -> Result<(), String> {
    prepare(release)?;
    let path = out.join("apt").join(apt::index_file_name(release.codename));
    let mut index = AptIndex::from_json(&host::read(&path)?).map_err(|e| e.to_string())?;
    index.absent = ask_absent(release)?;
    host::write_json(&path, &index)
}

fn ask_absent(release: &Release) -> Result<BTreeMap<String, Absent>, String> {
    absent::ask_all(&base(release), &super::names(ABSENT))
}

/// Which archive, suite and component `Get:` names for each candidate: the earliest suite
/// of the image's sources that has the version (later suites are read first, so earlier
/// ones win). The list files name all three: `archive.ubuntu.com_ubuntu_dists_noble-updates_universe_binary-amd64_Packages.lz4`.
fn set_suites(release: &Release, packages: &mut BTreeMap<String, Package>) -> Result<(), String> {
    let lists = base(release).join("var/lib/apt/lists");
    let mut indexes = Vec::new();
    for file in host::list_files(&lists)?.into_iter().filter(|f| f.contains("_binary-amd64_Packages")) {
        let Some((host_path, rest)) = file.split_once("_dists_") else { continue };
        let mut parts = rest.split('_');
        let (Some(suite), Some(component)) = (parts.next(), parts.next()) else { continue };
        let Some(order) = release.suites.iter().position(|s| *s == suite) else { continue };
        indexes.push((order, format!("http://{}", host_path.replace('_', "/")), suite.to_string(), component.to_string(), lists.join(&file)));
    }
    indexes.sort_by_key(|i| std::cmp::Reverse(i.0));
    for (_, archive, suite, component, list) in indexes {
        let text = sh(&format!(
            "case {list} in *.lz4) lz4cat {list};; *.gz) zcat {list};; *) cat {list};; esac | grep -E '^(Package|Version): '",
            list = list.display()
        ))?;
        let mut name = "";
        for line in text.lines() {
            if let Some(n) = line.strip_prefix("Package: ") {
                name = n;
            } else if let (Some(version), Some(package)) = (line.strip_prefix("Version: "), packages.get_mut(name)) {
                if package.version == version {
                    package.suite = suite.clone();
                    package.component = component.clone();
                    package.archive = archive.clone();
                }
            }
        }
    }
    Ok(())
}

/// A real `apt-get update` on the published slim image: what it printed, and what it
/// left in `/var/lib/apt/lists`.
fn update(release: &Release) -> Result<(Vec<String>, String), String> {
    let root = dir(release).join("update-root");
    // debuerreotype-chroot reads the epoch marker, which the published tar leaves out.
    sh(&format!(
        "rm -rf {root} && mkdir -p {root} && tar -xf {tar} -C {root} && cp {work}/debuerreotype-epoch {root}/",
        root = root.display(),
        tar = release.tar().display(),
        work = release.root().display()
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
fn ask_all(release: &Release, names: &[String]) -> Result<BTreeMap<String, Request>, String> {
    let cache = dir(release).join("asks");
    let names = &available(release, names)?;
    let halves: Vec<&[String]> = names.chunks(names.len().div_ceil(2).max(1)).collect();
    let answers: Vec<Result<Vec<(String, Request)>, String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = halves
            .iter()
            .map(|half| {
                let cache = &cache;
                scope.spawn(move || {
                    half.iter()
                        .map(|n| Ok((n.clone(), request::ask_apt_cached(&base(release), cache, n)?)))
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
    if installed(&base(release))? != installed(&release.root())? {
        return Err("asking apt changed the package set of the base root; its answers are void".into());
    }
    Ok(requests)
}

/// The requested names this release has a candidate for (noble has no
/// `python3-distutils`, for one); the others are left out of its catalog.
fn available(release: &Release, names: &[String]) -> Result<Vec<String>, String> {
    let known = sh(&format!("chroot {} apt-cache pkgnames", base(release).display()))?;
    let known: BTreeSet<&str> = known.lines().collect();
    let (found, missing): (Vec<&String>, Vec<&String>) = names.iter().partition(|n| known.contains(n.as_str()));
    if !missing.is_empty() {
        eprintln!("    {}: no candidate for {}", release.codename, missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "));
    }
    Ok(found.into_iter().cloned().collect())
}

/// The base: the image's root with apt lists. The logs the build of the root left
/// (`term.log`, `history.log`...) are not in the published image (`debuerreotype-tar`
/// leaves them out), so they go: an install would otherwise seem to make them whole.
fn prepare(release: &Release) -> Result<(), String> {
    sh(&format!(
        "mkdir -p {dir} {archives}\nif [ ! -d {base}/var/lib/apt/lists/partial ] || [ -z \"$(ls {base}/var/lib/apt/lists | grep Packages)\" ]; then rm -rf {base} && cp -a {slim} {base} && rm -f {base}/var/log/apt/history.log {base}/var/log/apt/term.log {base}/var/log/dpkg.log {base}/var/log/alternatives.log {base}/var/log/bootstrap.log && debuerreotype-apt-get {base} update -qq; fi",
        dir = dir(release).display(),
        archives = archives(release).display(),
        base = base(release).display(),
        slim = release.root().display()
    ))?;
    Ok(())
}

/// `apt-cache show` of the candidate version of every package.
fn show(release: &Release, names: &BTreeSet<String>) -> Result<BTreeMap<String, Package>, String> {
    let list: Vec<&str> = names.iter().map(String::as_str).collect();
    let text = sh(&format!(
        "chroot {} apt-cache show --no-all-versions {}",
        base(release).display(),
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
                ..Package::default()
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

fn download(release: &Release, names: &BTreeSet<String>) -> Result<(), String> {
    let list: Vec<&str> = names.iter().map(String::as_str).collect();
    sh(&format!(
        // apt names files `name_epoch%3aversion_arch.deb`; the pool URL has no epoch.
        "cd {archives} && chroot {base} apt-get download --print-uris {list} > uris.txt\ncd {archives} && while read -r url name size hash; do url=${{url//\\'/}}; [ -s \"$name\" ] || wget -q -O \"$name\" \"$url\"; done < uris.txt",
        archives = archives(release).display(),
        base = base(release).display(),
        list = list.join(" ")
    ))?;
    Ok(())
}

/// Control file, control members and data entries of every downloaded .deb.
fn read_debs(release: &Release, packages: &BTreeMap<String, Package>) -> Result<BTreeMap<String, PackageFiles>, String> {
    let mut files = BTreeMap::new();
    for (name, package) in packages {
        let deb = deb_path(release, name, package)?;
        files.insert(name.clone(), diff::read_deb(&deb)?);
    }
    Ok(files)
}

/// The .deb in the archive folder (`name_version_arch.deb`, with `:` in the version as `%3a`).
fn deb_path(release: &Release, name: &str, package: &Package) -> Result<PathBuf, String> {
    let version = package.version.replace(':', "%3a");
    let path = archives(release).join(format!("{name}_{version}_{}.deb", package.architecture));
    if path.exists() {
        Ok(path)
    } else {
        Err(format!("{} was not downloaded", path.display()))
    }
}

fn write(release: &Release, out: &Path, catalog: Catalog, files: BTreeMap<String, PackageFiles>) -> Result<(), String> {
    let Catalog { packages, requests, lists, update_log, absent } = catalog;
    let pinned = packages.iter().map(|(n, p)| format!("{n}={}", p.version)).collect();
    let source = Source {
        fidelity: "exact".into(),
        generator: "cargo xtask gen-data apt".into(),
        date: host::today()?,
        tools: release.tools.iter().map(|t| host::deb_tool(t)).collect::<Result<_, _>>()?,
        origin: release.origin.into(),
        pinned,
        rewrites: vec!["files maintainer scripts create are attributed to a package by rule: .pyc to the owner of its .py, symlinks to the owner of their target, the rest to the requested package".into()],
    };
    let index = AptIndex { format: FORMAT, source, packages, requests, lists, update_log, absent };
    host::write_json(&out.join("apt").join(apt::index_file_name(release.codename)), &index)?;
    let mut shards: BTreeMap<u32, FileShard> = BTreeMap::new();
    for (name, data) in files {
        let shard = shards.entry(apt::shard_of(&name)).or_insert_with(|| FileShard { format: FORMAT, ..FileShard::default() });
        shard.packages.insert(name, data);
    }
    for (n, shard) in shards {
        host::write_json(&out.join("apt").join(apt::shard_file_name(release.codename, n)), &shard)?;
    }
    Ok(())
}
