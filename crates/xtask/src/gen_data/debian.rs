//! debian:bookworm and debian:bookworm-slim, built the way the official images are: Debian's
//! own `debuerreotype` scripts over a minbase debootstrap, then `debuerreotype-tar`.

use std::path::{Path, PathBuf};

use layerlab_catalog::image::{Config, History, ImageFile, FORMAT};
use layerlab_catalog::source::Source;

use super::host::{self, sh};
use super::{rootfs, work_dir};

pub const MIRROR: &str = "http://deb.debian.org/debian";
pub const SUITE: &str = "bookworm";
pub const PATH_ENV: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The slim root filesystem, which the apt catalog step installs into.
pub fn slim_rootfs() -> PathBuf {
    work_dir().join("debian").join("slim")
}

/// The published form of the slim image, as `debuerreotype-tar` wrote it.
pub fn slim_tar() -> PathBuf {
    work_dir().join("debian").join("bookworm-slim.tar")
}

pub fn generate(out: &Path) -> Result<(), String> {
    let dir = work_dir().join("debian");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    // `LAYERLAB_REUSE_ROOTFS=1` re-reads the tars of the last run (to pick up a change in
    // what the data files keep) instead of bootstrapping anew from today's mirror.
    if std::env::var("LAYERLAB_REUSE_ROOTFS").is_err() {
        build_rootfs(&dir)?;
    }
    let epoch: i64 = host::read(&dir.join("rootfs/debuerreotype-epoch"))?.trim().parse().map_err(|e| format!("epoch: {e}"))?;
    let source = source(&dir.join("rootfs"))?;
    for (variant, tar) in [("bookworm", "bookworm.tar"), ("bookworm-slim", "bookworm-slim.tar")] {
        let image = image(variant, &dir.join(tar), epoch, source.clone())?;
        host::write_json(&out.join("images").join(format!("debian_{variant}.json")), &image)?;
    }
    Ok(())
}

fn build_rootfs(dir: &Path) -> Result<(), String> {
    let sources = sources_file(dir)?;
    sh(&format!(
        r#"cd {dir}
rm -rf rootfs slim
debuerreotype-init --non-debian rootfs {SUITE} {MIRROR}
debuerreotype-minimizing-config rootfs
rm -f rootfs/etc/apt/sources.list
cat > rootfs/etc/apt/sources.list.d/debian.sources <<'SOURCES'
{sources}SOURCES
debuerreotype-apt-get rootfs update -qq
debuerreotype-apt-get rootfs dist-upgrade -yqq
debuerreotype-tar rootfs bookworm.tar
cp -a rootfs slim
debuerreotype-slimify slim
debuerreotype-tar slim bookworm-slim.tar"#,
        dir = dir.display()
    ))?;
    Ok(())
}

/// The deb822 sources the official image ships. `debuerreotype-debian-sources-list` checks
/// snapshot.debian.org, which is not reachable here, so the same text is written directly
/// with the snapshot comment dated from the mirror's Release file.
fn sources_file(dir: &Path) -> Result<String, String> {
    let date = sh(&format!(
        "wget -qO- {MIRROR}/dists/{SUITE}/Release | awk -F ': ' '$1 == \"Date\" {{ print $2 }}' | xargs -I{{}} date -u -d '{{}}' +%Y%m%dT000000Z"
    ))?;
    let date = date.trim();
    let _ = dir;
    Ok(format!(
        "Types: deb\n# http://snapshot.debian.org/archive/debian/{date}\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\nTypes: deb\n# http://snapshot.debian.org/archive/debian-security/{date}\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
    ))
}

fn source(rootfs: &Path) -> Result<Source, String> {
    let pinned = sh(&format!(
        "dpkg-query --admindir={}/var/lib/dpkg -W -f '${{Package}}=${{Version}}\\n' | sort",
        rootfs.display()
    ))?;
    Ok(Source {
        fidelity: "exact".into(),
        generator: "cargo xtask gen-data debian".into(),
        date: host::today()?,
        tools: vec![host::deb_tool("debootstrap")?, host::deb_tool("debuerreotype")?],
        origin: format!("{MIRROR} {SUITE} bookworm-updates bookworm-security (main), amd64"),
        pinned: pinned.lines().map(str::to_string).collect(),
        rewrites: vec![
            "epoch is the Date of the mirror's Release file (debuerreotype-init --non-debian), not a snapshot.debian.org timestamp".into(),
            "/etc/apt/sources.list.d/debian.sources written with the official image's text; its snapshot comment dated from that Release file".into(),
        ],
    })
}

fn image(variant: &str, tar: &Path, epoch: i64, mut source: Source) -> Result<ImageFile, String> {
    let layer = rootfs::read_tar(tar)?;
    if variant.ends_with("-slim") {
        source.rewrites.push("debuerreotype-slimify (docs, man pages and locales excluded via /etc/dpkg/dpkg.cfg.d/docker)".into());
    }
    Ok(ImageFile {
        format: FORMAT,
        name: format!("debian:{variant}"),
        source,
        platform: "linux/amd64".into(),
        config: Config { env: vec![PATH_ENV.into()], cmd: Some(vec!["bash".into()]), ..Config::default() },
        base: None,
        history: vec![History {
            created: host::rfc3339(epoch)?,
            created_by: format!("# debian.sh --arch 'amd64' out/ '{SUITE}' '@{epoch}'"),
            empty_layer: false,
            comment: format!("debuerreotype {}", host::sh("cat /usr/share/debuerreotype/VERSION")?.trim()),
        }],
        layers: vec![layer],
    })
}
