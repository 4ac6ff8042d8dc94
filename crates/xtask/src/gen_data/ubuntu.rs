//! ubuntu:22.04 and ubuntu:24.04, approximate: Ubuntu's archive is not reachable, so the
//! root filesystem is rebuilt from the Debian bookworm packages of the same names as the
//! official image's package list (docker-library/repo-info), minimised the way Ubuntu's
//! images are, with Ubuntu's identity files. Paths are mostly right; versions and bytes are
//! Debian's. The data file says so.

use std::path::Path;

use layerlab_catalog::image::{Config, History, ImageFile, FORMAT};
use layerlab_catalog::source::Source;

use super::debian::{MIRROR, PATH_ENV, SUITE};
use super::host::{self, sh};
use super::{rootfs, work_dir};

struct Release {
    version: &'static str,
    codename: &'static str,
    pretty: &'static str,
    version_line: &'static str,
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
        pretty: "Ubuntu 22.04.5 LTS",
        version_line: "22.04.5 LTS (Jammy Jellyfish)",
        package_list: "ubuntu_22.04.txt",
        created: "2026-09-03T12:14:53Z",
        add_file: "file:81c01921c5f642ac2fcbfae682e489e8e64b347467d9fa1587707e310e64d790",
        ubuntu_user: false,
    },
    Release {
        version: "24.04",
        codename: "noble",
        pretty: "Ubuntu 24.04.3 LTS",
        version_line: "24.04.3 LTS (Noble Numbat)",
        package_list: "ubuntu_24.04.txt",
        created: "2026-09-07T06:58:04Z",
        add_file: "file:de4937ce3dfc7c89f05f1503c52434f0a631ac84995f0df65eed0754e5c97d48",
        ubuntu_user: true,
    },
];

/// Ubuntu package names that differ in Debian bookworm (the 64-bit time_t renames, newer
/// sonames, Ubuntu-only packages).
const RENAMES: &[(&str, &str)] = &[
    ("ubuntu-keyring", "debian-archive-keyring"),
    ("gcc-14-base", "gcc-12-base"),
    ("gcc-12-base", "gcc-12-base"),
    ("libunistring5", "libunistring2"),
    ("libunistring2", "libunistring2"),
    ("libprocps8", "libproc2-0"),
];

/// Listed by Ubuntu's image but left out: bookworm's usrmerge depends on full perl and
/// libfile-find-rule-perl (+40 MB) that Ubuntu's images do not contain; the root is
/// merged-/usr already.
const LEFT_OUT: &[&str] = &["usrmerge"];

/// Ubuntu's minimised images keep this dpkg configuration (`/etc/dpkg/dpkg.cfg.d/excludes`).
const EXCLUDES: &str = "# Drop all man pages\npath-exclude=/usr/share/man/*\n\n# Drop all translations\npath-exclude=/usr/share/locale/*/LC_MESSAGES/*.mo\n\n# Drop all documentation ...\npath-exclude=/usr/share/doc/*\n\n# ... except copyright files ...\npath-include=/usr/share/doc/*/copyright\n\n# Drop all lintian overrides\npath-exclude=/usr/share/lintian/*\n\n# Drop all info pages\npath-exclude=/usr/share/info/*\n";

pub fn generate(out: &Path) -> Result<(), String> {
    for release in RELEASES {
        let image = build(release)?;
        host::write_json(&out.join("images").join(format!("ubuntu_{}.json", release.version)), &image)?;
    }
    Ok(())
}

fn repo_info(file: &str) -> std::path::PathBuf {
    crate::repo::root().join("..").join("shared").join("data").join("repo-info").join(file)
}

/// Ubuntu's package names from the repo-info list, mapped onto bookworm; the names with no
/// counterpart are returned second.
fn mapped_packages(release: &Release) -> Result<(Vec<String>, Vec<String>), String> {
    let text = host::read(&repo_info(release.package_list))?;
    let listed = text.split("== 3. packages").nth(1).ok_or("no package section")?;
    let available = sh(&format!("chroot {} apt-cache pkgnames", work_dir().join("apt").join("base").display()))?;
    let available: std::collections::BTreeSet<&str> = available.lines().collect();
    let (mut mapped, mut missing) = (Vec::new(), Vec::new());
    for line in listed.lines().skip(1) {
        let Some((name, _)) = line.split_once('=') else { continue };
        let name = name.split(':').next().unwrap_or(name);
        if LEFT_OUT.contains(&name) {
            missing.push(format!("{name} (see LEFT_OUT)"));
            continue;
        }
        let renamed = RENAMES.iter().find(|(u, _)| *u == name).map(|(_, d)| d.to_string());
        let candidate = renamed.unwrap_or_else(|| name.trim_end_matches("t64").to_string());
        if available.contains(candidate.as_str()) {
            mapped.push(candidate);
        } else {
            missing.push(name.to_string());
        }
    }
    mapped.sort();
    mapped.dedup();
    Ok((mapped, missing))
}

fn build(release: &Release) -> Result<ImageFile, String> {
    let (packages, missing) = mapped_packages(release)?;
    let dir = work_dir().join("ubuntu").join(release.codename);
    let epoch = sh(&format!("date -u -d {} +%s", release.created))?;
    sh(&format!(
        r#"mkdir -p {dir} && cd {dir}
rm -rf rootfs
debootstrap --variant=minbase --include={include} {SUITE} rootfs {MIRROR} >/dev/null
chroot rootfs dpkg-query -W -f '${{Package}}\n' | sort > installed.txt
printf '%s\n' {list} | sort > wanted.txt
extra=$(comm -23 installed.txt wanted.txt | tr '\n' ' ')
# Remove what Ubuntu's list lacks, but never what a remaining package depends on.
for pass in 1 2 3; do for p in $extra; do chroot rootfs dpkg --purge --force-remove-essential $p >/dev/null 2>&1 || true; done; done
{identity}
echo {epoch} > rootfs/debuerreotype-epoch
debuerreotype-fixup rootfs
debuerreotype-tar rootfs ubuntu.tar"#,
        dir = dir.display(),
        include = packages.join(","),
        list = packages.join(" "),
        identity = identity_script(release),
        epoch = epoch.trim(),
    ))?;
    let pinned = sh(&format!("chroot {} dpkg-query -W -f '${{Package}}=${{Version}}\\n' | sort", dir.join("rootfs").display()))?;
    image(release, &dir.join("ubuntu.tar"), pinned, missing)
}

/// Ubuntu's identity and minimisation written over the Debian root.
fn identity_script(release: &Release) -> String {
    let Release { version, codename, pretty, version_line, .. } = release;
    let user = if release.ubuntu_user { "chroot rootfs useradd --uid 1000 --user-group --create-home --shell /bin/bash ubuntu" } else { "true" };
    format!(
        r#"cat > rootfs/usr/lib/os-release <<'OSRELEASE'
PRETTY_NAME="{pretty}"
NAME="Ubuntu"
VERSION_ID="{version}"
VERSION="{version_line}"
VERSION_CODENAME={codename}
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME={codename}
LOGO=ubuntu-logo
OSRELEASE
printf 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE={version}\nDISTRIB_CODENAME={codename}\nDISTRIB_DESCRIPTION="{pretty}"\n' > rootfs/etc/lsb-release
printf '{pretty} \\n \\l\n\n' > rootfs/etc/issue
printf '{pretty}\n' > rootfs/etc/issue.net
rm -f rootfs/etc/apt/sources.list rootfs/etc/apt/sources.list.d/*
printf 'Types: deb\nURIs: http://archive.ubuntu.com/ubuntu/\nSuites: {codename} {codename}-updates {codename}-backports\nComponents: main universe restricted multiverse\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n\nTypes: deb\nURIs: http://security.ubuntu.com/ubuntu/\nSuites: {codename}-security\nComponents: main universe restricted multiverse\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n' > rootfs/etc/apt/sources.list.d/ubuntu.sources
cat > rootfs/etc/dpkg/dpkg.cfg.d/excludes <<'EXCLUDES'
{EXCLUDES}EXCLUDES
for d in usr/share/man usr/share/info usr/share/lintian; do find rootfs/$d -mindepth 1 -not -type d -delete 2>/dev/null || true; done
find rootfs/usr/share/doc -mindepth 2 -not -type d -not -name copyright -delete 2>/dev/null || true
find rootfs/usr/share/locale -path '*/LC_MESSAGES/*.mo' -delete 2>/dev/null || true
rm -rf rootfs/var/lib/apt/lists/* rootfs/var/cache/apt/*.bin
{user}
printf '' > rootfs/etc/hostname"#
    )
}

fn image(release: &Release, tar: &Path, pinned: String, missing: Vec<String>) -> Result<ImageFile, String> {
    let created = release.created.to_string();
    let nop = |text: &str, empty: bool| History { created: created.clone(), created_by: text.to_string(), empty_layer: empty, comment: String::new() };
    Ok(ImageFile {
        format: FORMAT,
        name: format!("ubuntu:{}", release.version),
        source: Source {
            fidelity: format!(
                "approximate: reconstructed from Debian bookworm packages named as in the official image's package list (docker-library/repo-info {})",
                release.package_list
            ),
            generator: "cargo xtask gen-data ubuntu".into(),
            date: host::today()?,
            tools: vec![host::deb_tool("debootstrap")?, host::deb_tool("debuerreotype")?],
            origin: format!("{MIRROR} {SUITE} (main), amd64; package names from ../shared/data/repo-info/{}", release.package_list),
            pinned: pinned.lines().map(str::to_string).collect(),
            rewrites: vec![
                format!("Ubuntu packages with no bookworm counterpart left out: {}", if missing.is_empty() { "none".into() } else { missing.join(", ") }),
                "renamed: *t64 to bookworm names, ubuntu-keyring to debian-archive-keyring, gcc-14-base to gcc-12-base, libunistring5 to libunistring2".into(),
                "os-release (point release assumed), lsb-release, issue, apt sources and /etc/dpkg/dpkg.cfg.d/excludes written in Ubuntu's published format; man pages, info, lintian, docs (but copyright files) and .mo translations removed as Ubuntu's minimised images do".into(),
            ],
        },
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
