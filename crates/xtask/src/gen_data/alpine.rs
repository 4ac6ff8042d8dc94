//! alpine:3.20 from the official minirootfs, exactly as its Dockerfile builds it
//! (`FROM scratch`, `ADD alpine-minirootfs-....tar.gz /`, `CMD ["/bin/sh"]`).

use std::path::{Path, PathBuf};

use layerlab_catalog::image::{Config, History, ImageFile, FORMAT};
use layerlab_catalog::source::Source;

use super::debian::PATH_ENV;
use super::host::{self, sh};
use super::rootfs;

const TARBALL: &str = "alpine-minirootfs-3.20.3-x86_64.tar.gz";

/// The tarball as committed in alpinelinux/docker-alpine, kept in the shared data folder.
fn tarball() -> PathBuf {
    crate::repo::root().join("..").join("shared").join("data").join("alpine").join(TARBALL)
}

pub fn generate(out: &Path) -> Result<(), String> {
    let tar = tarball();
    let sha = sh(&format!("sha256sum {} | cut -d' ' -f1", tar.display()))?;
    let pinned = sh(&format!(
        "tar -xzOf {} ./lib/apk/db/installed | awk -F: '$1==\"P\"{{p=$2}} $1==\"V\"{{print p\"=\"$2}}' | sort",
        tar.display()
    ))?;
    let created = host::rfc3339(rootfs::newest_mtime(&tar)?)?;
    let buildkit = "buildkit.dockerfile.v0".to_string();
    let image = ImageFile {
        format: FORMAT,
        name: "alpine:3.20".into(),
        source: Source {
            fidelity: "exact".into(),
            generator: "cargo xtask gen-data alpine".into(),
            date: host::today()?,
            tools: vec!["tar crate (Rust) reading the tarball".into()],
            origin: format!(
                "github.com/alpinelinux/docker-alpine @7d63673353bd39d92ba42f6effcc199aeebd45ee x86_64/{TARBALL} (sha256 {})",
                sha.trim()
            ),
            pinned: pinned.lines().map(str::to_string).collect(),
            rewrites: vec!["created is the newest mtime in the tarball".into()],
        },
        platform: "linux/amd64".into(),
        config: Config { env: vec![PATH_ENV.into()], cmd: Some(vec!["/bin/sh".into()]), ..Config::default() },
        base: None,
        history: vec![
            History {
                created: created.clone(),
                created_by: format!("ADD {TARBALL} / # buildkit"),
                empty_layer: false,
                comment: buildkit.clone(),
            },
            History { created, created_by: "CMD [\"/bin/sh\"]".into(), empty_layer: true, comment: buildkit },
        ],
        layers: vec![rootfs::read_tar(&tar)?],
    };
    host::write_json(&out.join("images").join("alpine_3.20.json"), &image)
}
