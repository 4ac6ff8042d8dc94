//! Building the site with Trunk and reporting what it ships.

use crate::progress::{self, step};
use crate::repo;
use crate::tools::{self, Toolset};
use flate2::{write::GzEncoder, Compression};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `cargo xtask build`: install what is missing, build, print sizes.
pub fn build_and_report() -> Result<(), String> {
    tools::ensure(Toolset::Site)?;
    build()?;
    report_sizes()
}

/// The release site into `dist/`.
pub fn build() -> Result<(), String> {
    step("Building the site with Trunk (release; about 2 minutes from cold)");
    progress::run(
        Command::new("trunk")
            .args(["build", "--release"])
            .current_dir(repo::root()),
    )
}

/// One shipped file: its path under dist/ and its raw and gzip -9 sizes.
pub struct Shipped {
    pub path: String,
    pub raw: u64,
    pub gzip: u64,
}

pub fn report_sizes() -> Result<(), String> {
    let files = shipped_files()?;
    step("Shipped files (raw / gzip -9)");
    let (mut raw, mut gzip) = (0, 0);
    for f in &files {
        println!("    {:>10} {:>10}  {}", f.raw, f.gzip, f.path);
        raw += f.raw;
        gzip += f.gzip;
    }
    println!("    {raw:>10} {gzip:>10}  total ({} files)", files.len());
    Ok(())
}

pub fn shipped_files() -> Result<Vec<Shipped>, String> {
    let dist = repo::dist();
    let mut paths = Vec::new();
    collect(&dist, &mut paths).map_err(|e| format!("reading {}: {e}", dist.display()))?;
    paths.sort();
    paths
        .into_iter()
        .map(|p| measure(&dist, &p))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("measuring dist/: {e}"))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn measure(dist: &Path, path: &Path) -> std::io::Result<Shipped> {
    let bytes = std::fs::read(path)?;
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(&bytes)?;
    let gzip = encoder.finish()?.len() as u64;
    let rel = path.strip_prefix(dist).unwrap_or(path);
    Ok(Shipped {
        path: rel.to_string_lossy().into_owned(),
        raw: bytes.len() as u64,
        gzip,
    })
}
