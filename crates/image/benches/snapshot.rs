//! Snapshot and diff cost of a big step (issue 5's target: a step adding build-essential's
//! closure, about 5,000 files, snapshots and diffs in under 5 ms natively), on the real
//! debian:bookworm-slim manifest and the real file lists from the apt catalog; and, apart,
//! the cost of the step's own writes into the snapshot.
//! Run with `cargo bench -p layerlab-image`.

use std::path::PathBuf;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use layerlab_catalog::apt::{shard_file_name, shard_of, AptIndex, FileShard};
use layerlab_catalog::closure::{closure, Installed};
use layerlab_catalog::image::ImageFile;
use layerlab_catalog::manifest::{self, Entry, Kind};
use layerlab_image::fs::{diff, Content, Meta, Snapshot};

fn read(path: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../static/data");
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn meta(e: &Entry) -> Meta {
    Meta { mode: e.mode, uid: e.uid, gid: e.gid, mtime: 0 }
}

/// Adds manifest entries to a snapshot the way unpacking a tar does.
fn unpack(snapshot: &mut Snapshot, entries: &[Entry], owner: &str) {
    for e in entries {
        let path = format!("/{}", e.path);
        let _ = match e.kind {
            Kind::Dir => snapshot.mkdir_all(&path, meta(e)),
            Kind::File => snapshot.write_file(&path, Content::Sized { size: e.size, id: Arc::from(format!("{owner}:{}", e.path)) }, meta(e)),
            Kind::Symlink => snapshot.symlink(&e.link, &path, meta(e), true),
            Kind::Hardlink => snapshot.hardlink(&format!("/{}", e.link), &path),
            _ => Ok(()),
        };
    }
}

fn bench(c: &mut Criterion) {
    let slim = ImageFile::from_json(&read("images/debian_bookworm-slim.json")).unwrap();
    let mut base = Snapshot::empty(Meta { mode: 0o755, uid: 0, gid: 0, mtime: 0 });
    unpack(&mut base, &slim.layers[0].entries().unwrap(), "debian");
    let index = AptIndex::from_json(&read("apt/bookworm.json")).unwrap();
    let installed = Installed::from_status(&slim.layers[0].files["var/lib/dpkg/status"]);
    let packages = closure(&index, &installed, &["build-essential"], true).unwrap();
    let mut files: Vec<(String, Vec<Entry>)> = Vec::new();
    for p in &packages {
        let shard = FileShard::from_json(&read(&format!("apt/{}", shard_file_name("bookworm", shard_of(p))))).unwrap();
        files.push((p.clone(), manifest::decode(&shard.packages[p].files).unwrap()));
    }
    let count: usize = files.iter().map(|(_, f)| f.len()).sum();
    let what = format!("apt-get install build-essential ({} packages, {count} entries) on bookworm-slim", packages.len());
    // The figure: what taking the snapshots and diffing them costs for such a step.
    let mut after = base.clone();
    for (package, entries) in &files {
        unpack(&mut after, entries, package);
    }
    c.bench_function(&format!("snapshot + diff: {what}"), |b| {
        b.iter(|| {
            let (before, step) = (base.clone(), after.clone());
            diff(&before, &step).len()
        })
    });
    // The step's own work, for comparison: writing its entries into the snapshot.
    c.bench_function(&format!("the step's writes: {what}"), |b| {
        b.iter(|| {
            let mut step = base.clone();
            for (package, entries) in &files {
                unpack(&mut step, entries, package);
            }
            step
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
