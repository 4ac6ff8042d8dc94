//! The `docker save` archive: an OCI layout plus Docker's manifest.json, read back with the
//! tar crate. Every blob is named by the sha256 of its bytes, the config's diff_ids are the
//! layer tars' digests, placeholders are announced, and nothing is held in memory whole.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::Arc;

use layerlab_image::archive::{with_diff_ids, write_archive, SavedImage, SavedName};
use layerlab_image::fs::{diff, layer_digest, Change, Content, Meta, Snapshot};
use layerlab_image::identity::sha256_digest;
use serde_json::Value;

const DIR: Meta = Meta { mode: 0o755, uid: 0, gid: 0, mtime: 0 };
const FILE: Meta = Meta { mode: 0o644, uid: 0, gid: 0, mtime: 1_700_000_000 };

fn bytes(text: &str) -> Content {
    Content::Bytes(Arc::from(text.as_bytes()))
}

/// Two layers: a base with a catalog file (dash) and real files, then an app layer that
/// adds app.py and deletes a file of the base.
fn layers() -> (Vec<Change>, Vec<Change>) {
    let empty = Snapshot::empty(DIR);
    let mut base = empty.clone();
    base.mkdir_all("/usr/bin", DIR).unwrap();
    base.mkdir("/etc", DIR).unwrap();
    base.write_file("/usr/bin/dash", Content::Sized { size: 125_560, id: "dash:/usr/bin/dash".into() }, FILE).unwrap();
    base.write_file("/etc/motd", bytes("hello\n"), FILE).unwrap();
    let mut app = base.clone();
    app.mkdir("/app", DIR).unwrap();
    app.write_file("/app/app.py", bytes("print('hi')\n"), FILE).unwrap();
    app.remove("/etc/motd", false).unwrap();
    (diff(&empty, &base), diff(&base, &app))
}

/// A name as an image store hands it over, normalised.
fn name(repository: &str, tag: &str, full: &str) -> SavedName {
    SavedName { repository: repository.into(), tag: tag.into(), full: full.into() }
}

const CONFIG: &str = r#"{"architecture":"amd64","config":{"Cmd":["python","app.py"]},"created":"2026-11-23T00:00:00Z","history":[],"os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:old1","sha256:old2"]}}"#;

fn archive_of(base: &[Change], app: &[Change]) -> BTreeMap<String, Vec<u8>> {
    let image = SavedImage { config_json: CONFIG, layers: vec![base, app], names: vec![name("myapp", "latest", "docker.io/library/myapp:latest"), name("user/myapp", "1.0", "docker.io/user/myapp:1.0")] };
    let out = write_archive(&[image], Vec::new()).unwrap();
    let mut files = BTreeMap::new();
    for entry in tar::Archive::new(&out[..]).entries().unwrap() {
        let mut entry = entry.unwrap();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        files.insert(entry.path().unwrap().to_string_lossy().into_owned(), content);
    }
    files
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

#[test]
fn the_archive_is_an_oci_layout_with_dockers_manifest() {
    let (base, app) = layers();
    let files = archive_of(&base, &app);
    let names: Vec<&str> = files.keys().map(String::as_str).filter(|n| !n.starts_with("blobs/sha256/") || n.len() == 13).collect();
    assert_eq!(names, ["blobs/", "blobs/sha256/", "index.json", "manifest.json", "oci-layout", "repositories"]);
    assert_eq!(files["oci-layout"], br#"{"imageLayoutVersion":"1.0.0"}"#);
    for (name, content) in files.iter().filter(|(n, _)| n.len() > 13 && n.starts_with("blobs/sha256/")) {
        assert_eq!(sha256_digest(content), format!("sha256:{}", &name[13..]), "{name} is named by its digest");
    }

    let docker = json(&files["manifest.json"]);
    assert_eq!(docker[0]["RepoTags"], serde_json::json!(["myapp:latest", "user/myapp:1.0"]));
    let layer_paths: Vec<&str> = docker[0]["Layers"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert_eq!(layer_paths.len(), 2);

    let config_bytes = &files[docker[0]["Config"].as_str().unwrap()];
    let config = json(config_bytes);
    let diff_ids: Vec<String> = layer_paths.iter().map(|p| format!("sha256:{}", &p[13..])).collect();
    assert_eq!(config["rootfs"]["diff_ids"], serde_json::json!(diff_ids), "docker load checks these");
    assert_eq!(String::from_utf8_lossy(config_bytes), with_diff_ids(CONFIG, &diff_ids), "only the diff_ids change");
    assert_eq!(diff_ids[1], layer_digest(&app), "a layer of real bytes keeps the digest the session showed");

    let index = json(&files["index.json"]);
    let manifests = index["manifests"].as_array().unwrap();
    let names: Vec<&str> = manifests.iter().map(|m| m["annotations"]["io.containerd.image.name"].as_str().unwrap()).collect();
    assert_eq!(names, ["docker.io/library/myapp:latest", "docker.io/user/myapp:1.0"]);
    assert_eq!(manifests[1]["annotations"]["org.opencontainers.image.ref.name"], "1.0");

    let manifest_path = format!("blobs/sha256/{}", &manifests[0]["digest"].as_str().unwrap()[7..]);
    let manifest = json(&files[&manifest_path]);
    assert_eq!(manifest["config"]["digest"], format!("sha256:{}", &docker[0]["Config"].as_str().unwrap()[13..]));
    assert_eq!(manifest["layers"][0]["mediaType"], "application/vnd.oci.image.layer.v1.tar");
    assert_eq!(manifest["layers"][0]["size"], files[layer_paths[0]].len());
    assert_eq!(
        manifest["annotations"]["dev.layerlab.placeholders"],
        "files from Layerlab's package and base-image catalogs: 1 (125560 bytes); they hold size-faithful placeholder bytes (the line 'layerlab placeholder <content id>' repeated), not the real contents"
    );

    let repositories = json(&files["repositories"]);
    assert_eq!(repositories["user/myapp"]["1.0"], &layer_paths[1][13..]);
}

#[test]
fn layer_blobs_hold_the_changes_with_whiteouts_and_placeholders() {
    let (base, app) = layers();
    let files = archive_of(&base, &app);
    let docker = json(&files["manifest.json"]);
    let entries = |path: &str| -> Vec<(String, usize)> {
        let blob = &files[path];
        tar::Archive::new(&blob[..])
            .entries()
            .unwrap()
            .map(|e| {
                let mut e = e.unwrap();
                let mut content = Vec::new();
                e.read_to_end(&mut content).unwrap();
                (e.path().unwrap().to_string_lossy().into_owned(), content.len())
            })
            .collect()
    };
    let owned = |list: &[(&str, usize)]| list.iter().map(|(p, n)| (p.to_string(), *n)).collect::<Vec<_>>();
    assert_eq!(entries(docker[0]["Layers"][0].as_str().unwrap()), owned(&[("etc/", 0), ("etc/motd", 6), ("usr/", 0), ("usr/bin/", 0), ("usr/bin/dash", 125_560)]));
    assert_eq!(entries(docker[0]["Layers"][1].as_str().unwrap()), owned(&[("app/", 0), ("app/app.py", 12), ("etc/.wh.motd", 0)]));
}

#[test]
fn the_same_layer_is_written_once_and_an_untagged_image_is_still_listed() {
    let (base, app) = layers();
    let first = SavedImage { config_json: CONFIG, layers: vec![&base, &app], names: vec![name("a", "1", "docker.io/library/a:1")] };
    let second = SavedImage { config_json: CONFIG, layers: vec![&base], names: vec![] };
    let out = write_archive(&[first, second], Vec::new()).unwrap();
    let names: Vec<String> = tar::Archive::new(&out[..]).entries().unwrap().map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned()).collect();
    let blobs = names.iter().filter(|n| n.len() > 13 && n.starts_with("blobs/sha256/")).count();
    // Two layers, two configs, two manifests; the shared base layer once.
    assert_eq!(blobs, 6);
    let mut archive = tar::Archive::new(&out[..]);
    let mut index = archive.entries().unwrap().map(|e| e.unwrap()).find(|e| e.path().unwrap().to_str() == Some("index.json")).unwrap();
    let mut text = String::new();
    index.read_to_string(&mut text).unwrap();
    let index: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(index["manifests"].as_array().unwrap().len(), 2);
    assert!(index["manifests"][1].get("annotations").is_none());
}

/// Counts bytes and remembers the largest single write.
#[derive(Default)]
struct Meter {
    total: u64,
    largest_write: usize,
}

impl Write for Meter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.total += buf.len() as u64;
        self.largest_write = self.largest_write.max(buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_large_image_streams_in_small_writes() {
    let empty = Snapshot::empty(DIR);
    let mut big = empty.clone();
    big.write_file("/big.bin", Content::Sized { size: 20_000_000, id: "big".into() }, FILE).unwrap();
    let layer = diff(&empty, &big);
    let image = SavedImage { config_json: CONFIG, layers: vec![&layer], names: vec![name("big", "latest", "docker.io/library/big:latest")] };
    let meter = write_archive(&[image], Meter::default()).unwrap();
    assert!(meter.total > 20_000_000);
    assert!(meter.largest_write <= 64 * 1024, "largest single write {} bytes", meter.largest_write);
}
