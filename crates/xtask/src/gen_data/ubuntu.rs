//! ubuntu:22.04 and ubuntu:24.04, rebuilt from Ubuntu's own archive (archive.ubuntu.com):
//! a minbase debootstrap of the release, brought to the official image's package list
//! (docker-library/repo-info), minimised and configured for containers the way Ubuntu's OCI
//! images are. Approximate only in that package versions are the archive's on the day of
//! generation and the apt sources carry no comments; each data file says so.

use std::path::Path;

use layerlab_catalog::image::{Config, History, ImageFile, FORMAT};
use layerlab_catalog::source::Source;

use super::debian::PATH_ENV;
use super::host::{self, sh};
use super::{rootfs, work_dir};

struct Release {
    version: &'static str,
    codename: &'static str,
    /// The repo-info page the package list and history come from.
    package_list: &'static str,
    created: &'static str,
    add_file: &'static str,
    /// 24.04 images have a default `ubuntu` user (uid 1000); 22.04 images do not.
    ubuntu_user: bool,
}

const RELEASES: &[Release] = &[
    Release {
        version: "22.04",
        codename: "jammy",
        package_list: "ubuntu_22.04.txt",
        created: "2026-09-03T12:14:53Z",
        add_file: "file:81c01921c5f642ac2fcbfae682e489e8e64b347467d9fa1587707e310e64d790",
        ubuntu_user: false,
    },
    Release {
        version: "24.04",
        codename: "noble",
        package_list: "ubuntu_24.04.txt",
        created: "2026-09-07T06:58:04Z",
        add_file: "file:de4937ce3dfc7c89f05f1503c52434f0a631ac84995f0df65eed0754e5c97d48",
        ubuntu_user: true,
    },
];

/// Ubuntu's minimised images keep this dpkg configuration (`/etc/dpkg/dpkg.cfg.d/excludes`).
const EXCLUDES: &str = "# Drop all man pages\npath-exclude=/usr/share/man/*\n\n# Drop all translations\npath-exclude=/usr/share/locale/*/LC_MESSAGES/*.mo\n\n# Drop all documentation ...\npath-exclude=/usr/share/doc/*\n\n# ... except copyright files ...\npath-include=/usr/share/doc/*/copyright\n\n# Drop all lintian overrides\npath-exclude=/usr/share/lintian/*\n\n# Drop all info pages\npath-exclude=/usr/share/info/*\n";

/// Ubuntu's archive and the keyring package that signs it (its SHA256 from noble's signed
/// Packages index).
pub const ARCHIVE: &str = "http://archive.ubuntu.com/ubuntu";
const SECURITY: &str = "http://security.ubuntu.com/ubuntu";
const KEYRING_DEB: &str = "pool/main/u/ubuntu-keyring/ubuntu-keyring_2023.11.28.1_all.deb";
const KEYRING_SHA256: &str = "36de43b15853ccae0028e9a767613770c704833f82586f28eb262f0311adb8a8";

/// The root filesystem of a release built from the archive, which the apt catalog of that
/// release asks and installs into.
pub fn rootfs(codename: &str) -> std::path::PathBuf {
    work_dir().join("ubuntu").join(codename).join("rootfs")
}

/// The published form of that root, as `debuerreotype-tar` wrote it.
pub fn tar(codename: &str) -> std::path::PathBuf {
    work_dir().join("ubuntu").join(codename).join("ubuntu.tar")
}

/// `LAYERLAB_UBUNTU_ONLY=noble` regenerates one release.
pub fn generate(out: &Path) -> Result<(), String> {
    let only = std::env::var("LAYERLAB_UBUNTU_ONLY").ok();
    for release in RELEASES.iter().filter(|r| only.as_deref().is_none_or(|o| o == r.codename)) {
        let image = build(release)?;
        host::write_json(&out.join("images").join(format!("ubuntu_{}.json", release.version)), &image)?;
    }
    Ok(())
}

fn repo_info(file: &str) -> std::path::PathBuf {
    crate::repo::root().join("..").join("shared").join("data").join("repo-info").join(file)
}

/// The official image's package names, without architecture qualifiers.
fn listed_packages(release: &Release) -> Result<Vec<String>, String> {
    let text = host::read(&repo_info(release.package_list))?;
    let listed = text.split("== 3. packages").nth(1).ok_or("no package section")?;
    let mut names: Vec<String> = listed
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once('='))
        .map(|(name, _)| name.split(':').next().unwrap_or(name).to_string())
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

fn keyring() -> Result<std::path::PathBuf, String> {
    let dir = work_dir().join("ubuntu").join("keyring");
    sh(&format!(
        r#"mkdir -p {dir} && cd {dir}
[ -s keyring.deb ] || wget -q -O keyring.deb {ARCHIVE}/{KEYRING_DEB}
echo '{KEYRING_SHA256}  keyring.deb' | sha256sum -c - >/dev/null
rm -rf x && dpkg-deb -x keyring.deb x"#,
        dir = dir.display()
    ))?;
    Ok(dir.join("x/usr/share/keyrings/ubuntu-archive-keyring.gpg"))
}

/// The apt sources of the image: deb822 `ubuntu.sources` since 24.04 (with a pointer left
/// in `sources.list`), one-line `sources.list` entries before. Returned as (path, text).
fn sources(codename: &str) -> Vec<(&'static str, String)> {
    if codename == "jammy" {
        let mut text = String::new();
        for (suite, components) in [("", "main restricted"), ("-updates", "main restricted"), ("", "universe"), ("-updates", "universe"), ("", "multiverse"), ("-updates", "multiverse"), ("-backports", "main restricted universe multiverse")] {
            text += &format!("deb {ARCHIVE}/ {codename}{suite} {components}\n");
        }
        for components in ["main restricted", "universe", "multiverse"] {
            text += &format!("deb {SECURITY}/ {codename}-security {components}\n");
        }
        return vec![("etc/apt/sources.list", text)];
    }
    vec![
        ("etc/apt/sources.list", "# Ubuntu sources have moved to /etc/apt/sources.list.d/ubuntu.sources\n".into()),
        (
            "etc/apt/sources.list.d/ubuntu.sources",
            format!(
                "Types: deb\nURIs: {ARCHIVE}/\nSuites: {codename} {codename}-updates {codename}-backports\nComponents: main universe restricted multiverse\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n\nTypes: deb\nURIs: {SECURITY}/\nSuites: {codename}-security\nComponents: main universe restricted multiverse\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n"
            ),
        ),
    ]
}

/// Shell lines that write the sources files into `rootfs`.
fn sources_script(codename: &str) -> String {
    let mut script = String::from("rm -f rootfs/etc/apt/sources.list rootfs/etc/apt/sources.list.d/*\n");
    for (path, text) in sources(codename) {
        script += &format!("cat > rootfs/{path} <<'SOURCES'\n{text}SOURCES\n");
    }
    script
}

/// What Ubuntu's OCI build (livecd-rootfs) writes into a container root: the same apt
/// settings Docker's old mkimage script wrote, and the marker systemd-detect-virt reads.
const CONTAINER_CONFIG: &str = r#"cat > rootfs/etc/apt/apt.conf.d/docker-clean <<'CLEAN'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };

Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CLEAN
echo 'Acquire::Languages "none";' > rootfs/etc/apt/apt.conf.d/docker-no-languages
echo 'Acquire::GzipIndexes "true"; Acquire::CompressionTypes::Order:: "gz";' > rootfs/etc/apt/apt.conf.d/docker-gzip-indexes
echo 'Apt::AutoRemove::SuggestsImportant "false";' > rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests
mkdir -p rootfs/run/systemd && echo 'docker' > rootfs/run/systemd/container"#;

/// The image of a release: its root bootstrapped anew, or with `LAYERLAB_REUSE_ROOTFS=1`
/// the tar of the last run re-read (to pick up a change in what the data files keep).
fn build(release: &Release) -> Result<ImageFile, String> {
    if std::env::var("LAYERLAB_REUSE_ROOTFS").is_err() || !tar(release.codename).exists() {
        bootstrap(release)?;
    }
    let pinned = sh(&format!("chroot {} dpkg-query -W -f '${{Package}}=${{Version}}\\n' | sort", rootfs(release.codename).display()))?;
    image(release, &tar(release.codename), pinned)
}

/// Minbase debootstrap of the release from Ubuntu's archive, updated from its -updates and
/// -security suites, then brought to exactly the official image's package set.
fn bootstrap(release: &Release) -> Result<(), String> {
    let keyring = keyring()?;
    let wanted = listed_packages(release)?;
    let dir = work_dir().join("ubuntu").join(release.codename);
    let epoch = sh(&format!("date -u -d {} +%s", release.created))?;
    let apt = "DEBIAN_FRONTEND=noninteractive debuerreotype-chroot rootfs apt-get -o Dpkg::Options::=--force-confold";
    sh(&format!(
        r#"mkdir -p {dir} && cd {dir}
rm -rf rootfs
# Debian's debootstrap has no noble script; gutsy's is the one every later release uses.
script=/usr/share/debootstrap/scripts/{codename}; [ -e $script ] || script=/usr/share/debootstrap/scripts/gutsy
debootstrap --variant=minbase --keyring={keyring} --components=main {codename} rootfs {ARCHIVE} $script >/dev/null
echo {epoch} > rootfs/debuerreotype-epoch
{sources}cat > rootfs/etc/dpkg/dpkg.cfg.d/excludes <<'EXCLUDES'
{EXCLUDES}EXCLUDES
{apt} update -qq
{apt} dist-upgrade -yqq >/dev/null
printf '%s\n' {list} | sort > wanted.txt
missing=$(debuerreotype-chroot rootfs dpkg-query -W -f '${{Package}}\n' | sort | comm -13 - wanted.txt | tr '\n' ' ')
[ -z "$missing" ] || {apt} install -yqq --no-install-recommends $missing >/dev/null
# Remove what the official list lacks, but never what a remaining package depends on.
for pass in 1 2 3; do for p in $(debuerreotype-chroot rootfs dpkg-query -W -f '${{Package}}\n' | sort | comm -23 - wanted.txt); do debuerreotype-chroot rootfs dpkg --purge --force-remove-essential $p >/dev/null 2>&1 || true; done; done
debuerreotype-chroot rootfs dpkg-query -W -f '${{Package}}\n' | sort | diff - wanted.txt >&2 || {{ echo 'the package set differs from the official list' >&2; exit 1; }}
{CONTAINER_CONFIG}
for d in usr/share/man usr/share/info usr/share/lintian; do find rootfs/$d -mindepth 1 -not -type d -delete 2>/dev/null || true; done
find rootfs/usr/share/doc -mindepth 2 -not -type d -not -name copyright -delete 2>/dev/null || true
find rootfs/usr/share/locale -path '*/LC_MESSAGES/*.mo' -delete 2>/dev/null || true
{user}
{apt} clean
rm -rf rootfs/var/lib/apt/lists/* rootfs/var/cache/apt/*.bin
printf '' > rootfs/etc/hostname
debuerreotype-fixup rootfs
debuerreotype-tar rootfs ubuntu.tar"#,
        dir = dir.display(),
        keyring = keyring.display(),
        codename = release.codename,
        sources = sources_script(release.codename),
        list = wanted.join(" "),
        user = if release.ubuntu_user { "debuerreotype-chroot rootfs useradd --uid 1000 --user-group --create-home --shell /bin/bash ubuntu" } else { "true" },
        epoch = epoch.trim(),
    ))?;
    Ok(())
}

fn source(release: &Release, pinned: String) -> Result<Source, String> {
    let mut rewrites = vec![
        "container configuration written as Ubuntu's OCI build writes it: apt.conf.d/docker-clean, docker-no-languages, docker-gzip-indexes, docker-autoremove-suggests, /run/systemd/container".to_string(),
        "minimised as Ubuntu's images are: /etc/dpkg/dpkg.cfg.d/excludes; man pages, info, lintian, docs (but copyright files) and .mo translations removed".into(),
        "apt sources written with the official image's entries (archive and security, all four components); the comments of its files are not reproduced".into(),
    ];
    if release.ubuntu_user {
        rewrites.push("the default ubuntu user (uid 1000) added with useradd".into());
    }
    Ok(Source {
        fidelity: format!(
            "approximate: rebuilt from Ubuntu's archive with the official image's package list (docker-library/repo-info {}); package versions are the archive's on the generation date",
            release.package_list
        ),
        generator: "cargo xtask gen-data ubuntu".into(),
        date: host::today()?,
        tools: vec![host::deb_tool("debootstrap")?, host::deb_tool("debuerreotype")?],
        origin: format!(
            "{ARCHIVE} {c} {c}-updates, {SECURITY} {c}-security, amd64; package list from ../shared/data/repo-info/{}",
            release.package_list,
            c = release.codename
        ),
        pinned: pinned.lines().map(str::to_string).collect(),
        rewrites,
    })
}

fn image(release: &Release, tar: &Path, pinned: String) -> Result<ImageFile, String> {
    let created = release.created.to_string();
    let nop = |text: &str, empty: bool| History { created: created.clone(), created_by: text.to_string(), empty_layer: empty, comment: String::new() };
    Ok(ImageFile {
        format: FORMAT,
        name: format!("ubuntu:{}", release.version),
        source: source(release, pinned)?,
        platform: "linux/amd64".into(),
        config: Config {
            env: vec![PATH_ENV.into()],
            cmd: Some(vec!["/bin/bash".into()]),
            labels: [("org.opencontainers.image.version".to_string(), release.version.to_string())].into(),
            ..Config::default()
        },
        base: None,
        history: vec![
            nop("/bin/sh -c #(nop)  ARG RELEASE", true),
            nop("/bin/sh -c #(nop)  ARG LAUNCHPAD_BUILD_ARCH", true),
            nop(&format!("/bin/sh -c #(nop)  LABEL org.opencontainers.image.version={}", release.version), true),
            nop(&format!("/bin/sh -c #(nop) ADD {} in / ", release.add_file), false),
            nop("/bin/sh -c #(nop)  CMD [\"/bin/bash\"]", true),
        ],
        layers: vec![rootfs::read_tar(tar)?],
    })
}
