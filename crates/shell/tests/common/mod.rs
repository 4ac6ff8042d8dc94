//! A RUN step on the real debian:bookworm-slim filesystem (from static/data).

use std::path::PathBuf;
use std::sync::OnceLock;

use layerlab_catalog::image::ImageFile;
use layerlab_image::fs::Snapshot;
use layerlab_shell::{rootfs, run, Dialect, Identity, Invocation, Limits, Outcome};

pub fn image(name: &str) -> ImageFile {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../static/data/images").join(format!("{name}.json"));
    ImageFile::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

pub fn slim() -> Snapshot {
    static SLIM: OnceLock<Snapshot> = OnceLock::new();
    SLIM.get_or_init(|| rootfs::from_chain(&[&image("debian_bookworm-slim")]).unwrap()).clone()
}

pub fn invocation(script: &str) -> Invocation {
    Invocation {
        dialect: Dialect::Dash,
        argv0: "/bin/sh".into(),
        script: script.into(),
        env: vec![("PATH".into(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()), ("HOME".into(), "/root".into())],
        workdir: "/".into(),
        user: Identity::root(),
        now: 1_795_425_380, // 2026-11-23T09:16:20Z, the day the chroot comparison ran
        limits: Limits::default(),
        network: true,
        color_stderr: false,
    }
}

/// Runs `script` under dash on a fresh slim filesystem: (status, log, the filesystem after).
pub fn sh(script: &str) -> (i32, String, Snapshot) {
    let mut fs = slim();
    let outcome: Outcome = run(&mut fs, &invocation(script));
    (outcome.status, outcome.log, fs)
}

/// `sh` without the filesystem: (status, log).
#[allow(dead_code)] // used by some of the test files sharing this module
pub fn out(script: &str) -> (i32, String) {
    let (status, log, _) = sh(script);
    (status, log)
}

#[allow(dead_code)] // used by some of the test files sharing this module
pub fn bash(script: &str) -> (i32, String) {
    let mut fs = slim();
    let outcome = run(&mut fs, &Invocation { dialect: Dialect::Bash, argv0: "/bin/bash".into(), ..invocation(script) });
    (outcome.status, outcome.log)
}

/// The committed catalog: the image index, slim, and the whole apt catalog.
#[allow(dead_code)] // used by some of the test files sharing this module
pub fn store() -> &'static layerlab_catalog::store::DataStore {
    static STORE: OnceLock<layerlab_catalog::store::DataStore> = OnceLock::new();
    STORE.get_or_init(|| {
        let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../static/data");
        let mut store = layerlab_catalog::store::DataStore::new();
        let mut paths = vec!["images/index.json".to_string(), layerlab_catalog::store::PIP_INDEX.into(), layerlab_catalog::store::VENV_INDEX.into(), layerlab_catalog::store::NPM_INDEX.into(), layerlab_catalog::store::YARN_INDEX.into(), layerlab_catalog::apk::INDEX_FILE.into()];
        for release in layerlab_catalog::apt::RELEASES {
            paths.push(format!("apt/{}", layerlab_catalog::apt::index_file_name(release)));
            paths.extend((0..layerlab_catalog::apt::SHARDS).map(|n| format!("apt/{}", layerlab_catalog::apt::shard_file_name(release, n))));
        }
        for path in paths {
            store.insert(&path, &std::fs::read_to_string(data.join(&path)).unwrap()).unwrap();
        }
        store
    })
}

/// `sh` with the package catalog: (status, log, the filesystem after).
#[allow(dead_code)] // used by some of the test files sharing this module
pub fn sh_with_catalog(script: &str) -> (i32, String, Snapshot) {
    let mut fs = slim();
    let outcome = layerlab_shell::run_with_catalog(&mut fs, &invocation(script), store());
    (outcome.status, outcome.log, fs)
}

/// Bytes of regular files under `dir` (no leading slash), as `du -b` counts files.
#[allow(dead_code)] // used by some of the test files sharing this module
pub fn bytes_under(fs: &Snapshot, dir: &str) -> u64 {
    fs.walk()
        .into_iter()
        .filter(|(p, _)| p.starts_with(dir))
        .map(|(_, n)| match n {
            layerlab_image::fs::Node::File(f) => f.content.size(),
            _ => 0,
        })
        .sum()
}

/// The text of the file at `path`, whose bytes the snapshot holds (not sized catalog content).
#[allow(dead_code)] // used by some of the test files sharing this module
pub fn text(fs: &Snapshot, path: &str) -> String {
    layerlab_shell::accounts::read_text(fs, path).unwrap_or_else(|| panic!("{path}: no text"))
}

/// The size of the regular file at `path`.
#[allow(dead_code)] // used by some of the test files sharing this module
pub fn file_size(fs: &Snapshot, path: &str) -> u64 {
    match fs.get(path, false) {
        Ok(layerlab_image::fs::Node::File(f)) => f.content.size(),
        other => panic!("{path}: {other:?}"),
    }
}

/// Runs each line of `tests/data/<list>.txt` and compares what it prints, and its status,
/// with what bookworm's real tools printed for it in a chroot of the slim image
/// (`<list>.expected`, written by `compare-with-bookworm.sh <list>`).
#[allow(dead_code)] // used by some of the test files sharing this module
pub fn replay_recorded(list: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let scripts = std::fs::read_to_string(dir.join(format!("{list}.txt"))).unwrap();
    let expected = std::fs::read_to_string(dir.join(format!("{list}.expected"))).unwrap();
    let mut simulated = String::new();
    for script in scripts.lines() {
        let (status, log, _) = sh(script);
        simulated.push_str(&format!("== {script}\n{log}[{status}]\n"));
    }
    let mismatches: Vec<String> = expected
        .split("== ")
        .zip(simulated.split("== "))
        .filter(|(e, s)| e != s)
        .map(|(e, s)| format!("real:\n{e}simulated:\n{s}"))
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert_eq!(expected.matches("\n== ").count(), scripts.lines().count() - 1);
}
