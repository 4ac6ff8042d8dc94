//! python:3.12-alpine on the modelled alpine:3.20, approximate: the official Dockerfile's
//! steps (docker-library/repo-info's python:3.12.14-alpine page), its `apk add` steps run by
//! Layerlab's own apk against the Alpine 3.20 catalog (no Alpine mirror is reachable here),
//! and /usr/local as python:3.12-slim has it (the same CPython release and install recipe),
//! its extension modules renamed for musl.

use std::path::Path;

use layerlab_catalog::apk;
use layerlab_catalog::image::{Config, History, ImageFile, LayerData, FORMAT};
use layerlab_catalog::manifest::{self, Entry, Kind};
use layerlab_catalog::source::Source;
use layerlab_catalog::store::DataStore;
use layerlab_image::fs::{diff, ChangeKind, Content, Node, Snapshot};
use layerlab_shell::{rootfs, Dialect, Identity, Invocation, Limits};

use super::{derived, host};

const REPO_INFO: &str = "python_3.12-alpine.txt";

/// The runtime libraries the official build's scanelf step finds (the image's package list,
/// less the Kerberos/NIS and libuuid packages the Alpine 3.20 catalog has no record of).
const RUNDEPS: &str = "libbz2 libffi gdbm xz-libs libncursesw libpanelw readline sqlite-libs libintl";

pub fn generate(out: &Path) -> Result<(), String> {
    let read_image = |file: &str| ImageFile::from_json(&host::read(&out.join("images").join(file))?).map_err(|e| e.to_string());
    let (alpine, slim) = (read_image("alpine_3.20.json")?, read_image("python_3.12-slim.json")?);
    let mut store = DataStore::new();
    store.insert(apk::INDEX_FILE, &host::read(&out.join(apk::INDEX_FILE))?).map_err(|e| e.0)?;
    let repo_info = host::read(&crate::repo::root().join("../shared/data/repo-info").join(REPO_INFO))?;
    let rows = history(&repo_info)?;
    let created = |at: usize| rows.get(at).map(|(c, _)| c.clone()).unwrap_or_default();

    let base = rootfs::from_chain(&[&alpine]).map_err(|e| e.to_string())?;
    let mut apk_step = base.clone();
    run(&mut apk_step, &store, "set -eux; apk add --no-cache ca-certificates tzdata", &created(2))?;
    let mut build_step = apk_step.clone();
    run(&mut build_step, &store, &format!("set -eux; apk add --no-network --virtual .python-rundeps {RUNDEPS}"), &created(6))?;
    add_usr_local(&mut build_step, &slim)?;
    let layers = vec![layer(&base, &apk_step), layer(&apk_step, &build_step), slim.layers.last().cloned().ok_or("python:3.12-slim has no layers")?];

    let image = ImageFile {
        format: FORMAT,
        name: "python:3.12-alpine".into(),
        source: Source {
            fidelity: "approximate: the official python:3.12-alpine steps on alpine:3.20; its apk steps run by Layerlab's apk on the approximate Alpine 3.20 catalog; /usr/local as python:3.12-slim's (the same CPython 3.12.14 and install recipe) with extension modules named for musl".into(),
            generator: "cargo xtask gen-data python-alpine".into(),
            date: host::today()?,
            tools: vec!["layerlab-shell (apk, BusyBox sh) on static/data/images/alpine_3.20.json".into()],
            origin: format!("steps and environment from docker-library/repo-info {REPO_INFO}; packages from static/data/{}; /usr/local from static/data/images/python_3.12-slim.json", apk::INDEX_FILE),
            pinned: Vec::new(),
            rewrites: vec![
                "built on Alpine 3.20 (the Alpine modelled here), not the 3.24 of the published image".into(),
                format!("the build step's runtime libraries are the catalog's {RUNDEPS}; krb5-libs, keyutils-libs, krb5-conf, libcom_err, libverto, libtirpc, libtirpc-conf, libnsl and libuuid (about 2 MiB in the published image) are not in the catalog"),
                "the build step's compile and its build dependencies (installed and deleted in the same RUN) leave no trace here but the .python-rundeps record".into(),
            ],
        },
        platform: "linux/amd64".into(),
        config: config(),
        base: Some("alpine:3.20".into()),
        history: rows.into_iter().map(|(created, created_by)| history_row(created, created_by)).collect(),
        layers,
    };
    derived::write(out, &image, "python_3.12-alpine.json")
}

fn config() -> Config {
    Config {
        env: vec![
            "PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
            "LANG=C.UTF-8".into(),
            "GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305".into(),
            "PYTHON_VERSION=3.12.14".into(),
            "PYTHON_SHA256=5c8462af5790baf43a321a1559dbe0db06d1be4300fb85fb53c40060668e548a".into(),
        ],
        cmd: Some(vec!["python3".into()]),
        ..Config::default()
    }
}

/// The rows after the base's (ADD of the minirootfs, its CMD), with their dates.
fn history(text: &str) -> Result<Vec<(String, String)>, String> {
    Ok(derived::repo_info_rows(text)?.into_iter().skip(2).collect())
}

/// A history row as the image config stores it: RUN lines with the shell BuildKit ran them
/// with.
fn history_row(created: String, line: String) -> History {
    let created_by = match line.strip_prefix("RUN ") {
        Some(body) => format!("RUN /bin/sh -c {body}"),
        None => line.clone(),
    };
    let empty_layer = !line.starts_with("RUN ");
    History { created, created_by, empty_layer, comment: "buildkit.dockerfile.v0".into() }
}

fn run(fs: &mut Snapshot, store: &DataStore, script: &str, created: &str) -> Result<(), String> {
    let now = layerlab_shell::commands::calendar::parse_rfc3339(created).ok_or(format!("date {created:?}"))?;
    let invocation = Invocation {
        dialect: Dialect::Ash,
        argv0: "/bin/sh".into(),
        script: script.into(),
        env: vec![("PATH".into(), "/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into())],
        workdir: "/".into(),
        user: Identity::root(),
        now,
        limits: Limits::default(),
        network: true,
        color_stderr: false,
    };
    let outcome = layerlab_shell::run_with_catalog(fs, &invocation, store);
    if outcome.status != 0 {
        return Err(format!("{script}: {}", outcome.log));
    }
    Ok(())
}

/// python:3.12-slim's /usr/local (its build step's entries there), glibc names made musl's.
fn add_usr_local(fs: &mut Snapshot, slim: &ImageFile) -> Result<(), String> {
    let build = slim.layers.iter().max_by_key(|l| l.manifest.len()).ok_or("python:3.12-slim has no layers")?;
    let entries = build.entries().map_err(|e| e.to_string())?;
    let mtime = fs.root().meta.mtime;
    let renamed: Vec<Entry> = entries.into_iter().filter(|e| e.path.starts_with("usr/local")).map(|mut e| {
        e.path = e.path.replace("x86_64-linux-gnu", "x86_64-linux-musl");
        e
    }).collect();
    let layer = LayerData { manifest: manifest::encode(&renamed), files: Default::default() };
    rootfs::unpack_layer(fs, &layer, "python:3.12-alpine", mtime).map_err(|e| e.to_string())
}

/// The layer between two snapshots, small text files kept whole as the other images keep them.
fn layer(lower: &Snapshot, upper: &Snapshot) -> LayerData {
    let mut entries = Vec::new();
    let mut files = std::collections::BTreeMap::new();
    for change in diff(lower, upper) {
        let ChangeKind::Put(node) = change.kind else { continue };
        let meta = *node.meta();
        let (kind, size, link) = match &node {
            Node::Dir(_) => (Kind::Dir, 0, String::new()),
            Node::Symlink { target, .. } => (Kind::Symlink, 0, target.clone()),
            Node::File(f) => {
                if let Content::Bytes(bytes) = &f.content {
                    files.insert(change.path.clone(), String::from_utf8_lossy(bytes).into_owned());
                }
                (Kind::File, f.content.size(), String::new())
            }
        };
        entries.push(Entry { path: change.path, kind, mode: meta.mode, uid: meta.uid, gid: meta.gid, size, link });
    }
    LayerData { manifest: manifest::encode(&entries), files }
}
