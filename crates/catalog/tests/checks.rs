//! The build checks that need base-image data (UndefinedVar, InvalidBaseImagePlatform) run
//! against the real data: the image's own `Env` and its published platforms.

use std::path::PathBuf;

use layerlab_catalog::store::{DataStore, IMAGE_INDEX};
use layerlab_dockerfile::checks::{check, CheckOptions, CheckReport};
use layerlab_dockerfile::instructions::parse_text;

fn store() -> DataStore {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../static/data");
    let mut store = DataStore::new();
    for path in [IMAGE_INDEX, "images/debian_bookworm-slim.json", "images/ubuntu_24.04.json", "images/node_20-slim.json"] {
        store.insert(path, &std::fs::read_to_string(dir.join(path)).unwrap()).unwrap();
    }
    store
}

fn run(text: &str, store: &DataStore, platform: &str) -> (Vec<String>, CheckReport) {
    let file = parse_text(text).unwrap();
    let options = CheckOptions { images: store, target_platform: platform.into(), ..CheckOptions::default() };
    let report = check(&file, &options);
    let lines = report.findings.iter().map(|f| format!("{}:{} {}", f.start_line, f.rule.name, f.message)).collect();
    (lines, report)
}

#[test]
fn undefined_variables_are_checked_against_the_images_env() {
    let store = store();
    let (got, report) = run("FROM debian:bookworm-slim\nENV X=$PATH Y=$PAHT\n", &store, "linux/amd64");
    assert_eq!(got, ["2:UndefinedVar Usage of undefined variable '$PAHT' (did you mean $PATH?)"]);
    assert!(report.notes.is_empty(), "{:?}", report.notes);
    let (got, _) = run("FROM node:20-slim\nENV X=$NODE_VERSION Y=$YARN_VERSION\n", &store, "linux/amd64");
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn unmodelled_tags_are_not_checked_against_a_neighbours_env() {
    let (got, report) = run("FROM ubuntu:18.04\nENV X=$NOPE\n", &store(), "linux/amd64");
    assert!(got.iter().all(|g| !g.contains("UndefinedVar")), "{got:?}");
    assert_eq!(report.notes, ["UndefinedVar was not checked in stage stage-0: the environment of docker.io/library/ubuntu:18.04 is not modelled"]);
}

#[test]
fn base_platforms_come_from_the_published_images() {
    let store = store();
    let (got, _) = run("FROM ubuntu:24.04\n", &store, "linux/riscv64");
    assert!(got.is_empty(), "ubuntu:24.04 is published for riscv64: {got:?}");
    let (got, _) = run("FROM debian:bookworm-slim\n", &store, "linux/riscv64");
    assert_eq!(got, ["1:InvalidBaseImagePlatform Base image debian:bookworm-slim was pulled with platform \"linux/amd64\", expected \"linux/riscv64\" for current build"]);
}
