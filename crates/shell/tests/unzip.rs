//! unzip over archives made by Info-ZIP's zip 3.0; expected texts are what Debian's UnZip
//! 6.00 printed for the same archives (tests/data/unzip/).

mod common;

use std::sync::Arc;

use layerlab_image::fs::{Content, Meta, Node, Snapshot};

/// The slim image with unzip installed (its binary sized, as the apt catalog would leave
/// it) and the test archives in /tmp.
fn with_archives() -> Snapshot {
    let mut fs = common::slim();
    let meta = Meta { mode: 0o644, uid: 0, gid: 0, mtime: 0 };
    fs.write_file("/usr/bin/unzip", Content::Sized { size: 174_632, id: Arc::from("unzip") }, Meta { mode: 0o755, ..meta }).unwrap();
    for name in ["app.zip", "stored.zip"] {
        let bytes = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/unzip").join(name)).unwrap();
        fs.write_file(&format!("/tmp/{name}"), Content::Bytes(bytes.into()), meta).unwrap();
    }
    fs
}

fn run(fs: &mut Snapshot, script: &str) -> (i32, String) {
    let outcome = layerlab_shell::run(fs, &common::invocation(&format!("cd /tmp && {script}")));
    (outcome.status, outcome.log)
}

fn file(fs: &Snapshot, path: &str) -> (u32, i64, Vec<u8>) {
    match fs.get(path, false) {
        Ok(Node::File(f)) => (f.meta.mode, f.meta.mtime, match &f.content {
            Content::Bytes(b) => b.to_vec(),
            Content::Sized { .. } => Vec::new(),
        }),
        other => panic!("{path}: {other:?}"),
    }
}

#[test]
fn unzip_extracts_as_info_zip_does() {
    let mut fs = with_archives();
    let (status, log) = run(&mut fs, "mkdir out && cd out && unzip /tmp/app.zip");
    assert_eq!(status, 0, "{log}");
    assert_eq!(
        log,
        "Archive:  /tmp/app.zip\n   creating: app/\n extracting: app/main.py             \n extracting: app/empty.txt           \n   creating: app/sub/\n  inflating: app/sub/big.txt         \n"
    );
    // Modes and the exact times of the extended timestamp field.
    assert_eq!(file(&fs, "/tmp/out/app/main.py"), (0o755, 1_709_634_030, b"print(1)\n".to_vec()));
    assert_eq!(file(&fs, "/tmp/out/app/empty.txt"), (0o600, 1_704_164_646, Vec::new()));
    let big = file(&fs, "/tmp/out/app/sub/big.txt");
    assert_eq!((big.0, big.2.len(), big.2.iter().all(|b| *b == b'x')), (0o644, 3000, true));
}

#[test]
fn existing_files_are_kept_unless_told_otherwise() {
    let mut fs = with_archives();
    let (status, log) = run(&mut fs, "unzip -q app.zip && unzip app.zip; echo \"[$?]\"; unzip -o app.zip; echo \"[$?]\"; unzip -n app.zip; echo \"[$?]\"");
    assert_eq!(status, 0);
    assert_eq!(
        log,
        "Archive:  app.zip\nreplace app/main.py? [y]es, [n]o, [A]ll, [N]one, [r]ename:  NULL\n(EOF or read error, treating as \"[N]one\" ...)\n[1]\nArchive:  app.zip\n extracting: app/main.py             \n extracting: app/empty.txt           \n  inflating: app/sub/big.txt         \n[0]\nArchive:  app.zip\n[0]\n"
    );
}

#[test]
fn listing_destination_and_missing_archives() {
    let mut fs = with_archives();
    let (status, log) = run(&mut fs, "unzip -l app.zip; unzip -qd /tmp/o2 stored.zip; ls /tmp/o2/app; unzip /nope.zip; echo \"[$?]\"");
    assert_eq!(status, 0, "{log}");
    assert_eq!(
        log,
        "Archive:  app.zip\n  Length      Date    Time    Name\n---------  ---------- -----   ----\n        0  2024-03-05 10:20   app/\n        9  2024-03-05 10:20   app/main.py\n        0  2024-01-02 03:04   app/empty.txt\n        0  2024-03-05 10:20   app/sub/\n     3000  2024-03-05 10:20   app/sub/big.txt\n---------                     -------\n     3009                     5 files\nmain.py\nunzip:  cannot find or open /nope.zip, /nope.zip.zip or /nope.zip.ZIP.\n[9]\n"
    );
    // Without the extended timestamp the DOS time (2 s resolution) is the file's time.
    assert_eq!(file(&fs, "/tmp/o2/app/main.py").1, 1_709_634_030);
}

#[test]
fn an_archive_known_only_by_size_cannot_be_read() {
    let mut fs = with_archives();
    fs.write_file("/tmp/sized.zip", Content::Sized { size: 5000, id: Arc::from("x") }, Meta { mode: 0o644, uid: 0, gid: 0, mtime: 0 }).unwrap();
    let (status, log) = run(&mut fs, "unzip sized.zip");
    assert_eq!(status, 1);
    assert!(log.contains("layerlab: only the size of sized.zip (5000 bytes) is part of the simulation"), "{log}");
}

/// Alpine's unzip is BusyBox's applet: `  inflating:` for every file, names unpadded.
#[test]
fn busybox_unzip_on_alpine() {
    let mut fs = layerlab_shell::rootfs::from_chain(&[&common::image("alpine_3.20")]).unwrap();
    let bytes = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/unzip/app.zip")).unwrap();
    fs.write_file("/tmp/app.zip", Content::Bytes(bytes.into()), Meta { mode: 0o644, uid: 0, gid: 0, mtime: 0 }).unwrap();
    let invocation = layerlab_shell::Invocation { dialect: layerlab_shell::Dialect::Ash, ..common::invocation("cd /tmp && unzip app.zip && cat app/main.py") };
    let outcome = layerlab_shell::run(&mut fs, &invocation);
    assert_eq!(outcome.status, 0, "{}", outcome.log);
    assert_eq!(outcome.log, "Archive:  app.zip\n   creating: app/\n  inflating: app/main.py\n  inflating: app/empty.txt\n   creating: app/sub/\n  inflating: app/sub/big.txt\nprint(1)\n");
}
