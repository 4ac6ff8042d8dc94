//! Exports: `docker save` of a built image read back with the tar crate reproduces the
//! image's filesystem; the build context tar is what the classic builder measured.

mod common;

use std::collections::BTreeMap;
use std::io::Read;

use common::*;
use layerlab_engine::terminal::run;
use layerlab_engine::{BuildContext, Builder, Session};
use layerlab_image::archive::with_diff_ids;
use layerlab_image::fs::{Content, Node};
use serde_json::Value;

const FILE: &str = "FROM alpine:3.20\nRUN rm /etc/motd && mkdir /app\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n";

fn context() -> BuildContext {
    BuildContext::new()
        .with_text("Dockerfile", FILE)
        .with_text("app.py", "print('hi')\n")
        .with_text("notes/todo.txt", "later\n")
        .with_text("secret.env", "TOKEN=1\n")
        .with_text(".dockerignore", "secret.env\nDockerfile\n")
}

fn built() -> (Session, layerlab_catalog::store::DataStore) {
    let mut session = Session::new();
    let mut store = store();
    let report = build(&mut session, &mut store, &request(FILE, context(), Builder::BuildKit), NOW);
    assert!(report.error.is_none(), "{:?}", report.error);
    (session, store)
}

fn entries(tar_bytes: &[u8]) -> Vec<(String, tar::EntryType, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in tar::Archive::new(tar_bytes).entries().unwrap() {
        let mut entry = entry.unwrap();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        out.push((entry.path().unwrap().to_string_lossy().into_owned(), entry.header().entry_type(), content));
    }
    out
}

/// Applies layer tars the way an unpacker does: whiteouts and opaque markers hide what is
/// below; returns every path with its size (files) or 0.
fn unpack(layers: &[&[u8]]) -> BTreeMap<String, u64> {
    let mut fs: BTreeMap<String, u64> = BTreeMap::new();
    for layer in layers {
        for (path, kind, content) in entries(layer) {
            let path = path.trim_end_matches('/').to_string();
            let (dir, name) = path.rsplit_once('/').unwrap_or(("", &path));
            let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
            if name == ".wh..wh..opq" {
                fs.retain(|p, _| !p.starts_with(&prefix));
            } else if let Some(hidden) = name.strip_prefix(".wh.") {
                let gone = format!("{prefix}{hidden}");
                fs.retain(|p, _| *p != gone && !p.starts_with(&format!("{gone}/")));
            } else {
                let size = if kind == tar::EntryType::Regular { content.len() as u64 } else { 0 };
                fs.insert(path, size);
            }
        }
    }
    fs
}

#[test]
fn a_saved_image_unpacks_to_the_filesystem_the_build_made() {
    let (session, _) = built();
    let image = session.store.get("myapp").unwrap();
    let archive = layerlab_engine::export::save(&session.store, &["myapp".into()], Vec::new()).unwrap();
    let files: BTreeMap<String, Vec<u8>> = entries(&archive).into_iter().map(|(p, _, c)| (p, c)).collect();

    let manifest: Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    assert_eq!(manifest[0]["RepoTags"], serde_json::json!(["myapp:latest"]));
    let layer_paths: Vec<&str> = manifest[0]["Layers"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert_eq!(layer_paths.len(), image.state.layers.len());
    assert_eq!(layer_paths.len(), 3, "alpine's layer, the RUN, the COPY");

    let diff_ids: Vec<String> = layer_paths.iter().map(|p| format!("sha256:{}", &p["blobs/sha256/".len()..])).collect();
    let config = &files[manifest[0]["Config"].as_str().unwrap()];
    assert_eq!(String::from_utf8_lossy(config), with_diff_ids(&image.config_json, &diff_ids));
    let kept = &image.config.rootfs.diff_ids;
    assert_ne!(diff_ids[0], kept[0], "alpine's files are catalog content: the tar holds placeholders");
    assert_eq!(diff_ids[1..], kept[1..], "layers of real bytes keep the digests the build showed");

    let layers: Vec<&[u8]> = layer_paths.iter().map(|p| files[*p].as_slice()).collect();
    let unpacked = unpack(&layers);
    let expected: BTreeMap<String, u64> = image
        .state
        .fs
        .walk()
        .into_iter()
        .map(|(path, node)| {
            let size = match node {
                Node::File(f) => match &f.content {
                    Content::Bytes(b) => b.len() as u64,
                    Content::Sized { size, .. } => *size,
                },
                _ => 0,
            };
            (path, size)
        })
        .collect();
    assert_eq!(unpacked, expected);
    assert!(!unpacked.contains_key("etc/motd") && unpacked.contains_key("etc/os-release"));
    assert_eq!(unpacked["app/app.py"], 12);
}

#[test]
fn the_terminal_saves_with_dash_o_and_refuses_a_terminal_like_docker() {
    let (mut session, store) = built();
    let out = run("docker save myapp", &mut session, &store, &context(), NOW);
    assert_eq!((out.text.as_str(), out.exit), ("cowardly refusing to save to a terminal. Use the -o flag or redirect\n", 1));
    let out = run("docker save", &mut session, &store, &context(), NOW);
    assert_eq!(out.text, "\"docker save\" requires at least 1 argument.\nSee 'docker save --help'.\n");
    let out = run("docker save -o x.tar nope", &mut session, &store, &context(), NOW);
    assert_eq!((out.text.as_str(), out.exit), ("Error response from daemon: No such image: nope\n", 1));
    assert!(out.download.is_none());

    let expected = layerlab_engine::export::save(&session.store, &["myapp".into()], Vec::new()).unwrap();
    for line in ["docker save -o myapp.tar myapp", "docker image save myapp --output=myapp.tar", "docker save myapp > myapp.tar"] {
        let out = run(line, &mut session, &store, &context(), NOW);
        assert_eq!(out.exit, 0, "{line}: {}", out.text);
        let download = out.download.unwrap();
        assert_eq!(download.name, "myapp.tar");
        assert!(download.bytes == expected, "{line}: the same archive");
        assert!(out.text.starts_with(&format!("layerlab: your browser downloads myapp.tar ({}), a docker save archive", layerlab_image::units::human_size_with_precision(expected.len() as f64, 3))), "{}", out.text);
    }
}

#[test]
fn the_context_tar_is_what_the_classic_builder_sends() {
    let context = context();
    let ignore = context.ignore_rules("Dockerfile");
    let tar_bytes = context.write_tar(&ignore, "Dockerfile", Vec::new()).unwrap();
    assert_eq!(tar_bytes.len() as u64, context.legacy_tar_size(&ignore, "Dockerfile"));
    let listed: Vec<(String, tar::EntryType)> = entries(&tar_bytes).into_iter().map(|(p, k, _)| (p, k)).collect();
    let expected = [
        (".dockerignore", tar::EntryType::Regular),
        ("Dockerfile", tar::EntryType::Regular),
        ("app.py", tar::EntryType::Regular),
        ("notes/", tar::EntryType::Directory),
        ("notes/todo.txt", tar::EntryType::Regular),
    ];
    let expected: Vec<(String, tar::EntryType)> = expected.iter().map(|(p, k)| (p.to_string(), *k)).collect();
    assert_eq!(listed, expected, "secret.env is ignored; the Dockerfile is sent although ignored");
}
