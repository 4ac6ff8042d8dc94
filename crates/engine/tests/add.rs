//! ADD of a local archive: a tar (plain or gzip, recognised by its bytes) from the build
//! context is unpacked into the destination; COPY of the same file copies it; ADD of other
//! files copies them.

mod common;

use std::io::Write;

use common::*;
use layerlab_engine::{BuildContext, Builder, Session};

/// `app/hello.txt` (6 bytes, mode 640, uid 1000) and `app/link` → hello.txt.
fn archive(gzip: bool) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(6);
    header.set_mode(0o640);
    header.set_uid(1000);
    header.set_gid(1000);
    header.set_mtime(1_700_000_000);
    builder.append_data(&mut header, "app/hello.txt", &b"hello\n"[..]).unwrap();
    let mut link = tar::Header::new_gnu();
    link.set_entry_type(tar::EntryType::Symlink);
    link.set_size(0);
    link.set_mode(0o777);
    builder.append_link(&mut link, "app/link", "hello.txt").unwrap();
    let bytes = builder.into_inner().unwrap();
    if !gzip {
        return bytes;
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn add_unpacks_local_archives_and_copy_does_not() {
    let mut store = store();
    for (name, gzip) in [("app.tar.gz", true), ("app.tar", false), ("bundle.bin", true)] {
        let mut context = BuildContext::new();
        context.insert(name, &archive(gzip), 0o644, 0);
        let dockerfile = format!("FROM alpine:3.20\nADD {name} /opt/\nRUN ls -ln /opt/app && cat /opt/app/link\nCOPY {name} /copied/\nRUN ls /copied");
        let report = build(&mut Session::new(), &mut store, &request(&dockerfile, context, Builder::BuildKit), NOW);
        assert!(report.error.is_none(), "{name}: {:?}", report.error);
        let out = report.steps[2].output.join("\n");
        // BusyBox's ls on Alpine: fixed columns, numeric owners left-aligned.
        let expected = "total 4\n-rw-r-----    1 1000     1000             6 Nov 14  2023 hello.txt\nlrwxrwxrwx    1 0        0                9 Jan  1  1970 link -> hello.txt\nhello";
        assert_eq!(out, expected, "{name}: the archive's modes, owners and times");
        assert_eq!(report.steps[1].size_bytes, 6 + 9, "{name}: the layer holds the unpacked file and link");
        assert_eq!(report.steps[4].output, [name.to_string()], "COPY keeps the archive whole");
    }
}

#[test]
fn add_of_a_file_that_is_not_an_archive_copies_it() {
    let mut store = store();
    let mut context = BuildContext::new();
    context.insert("notes.tar", b"not really a tar\n", 0o644, 0);
    let report = build(&mut Session::new(), &mut store, &request("FROM alpine:3.20\nADD notes.tar /opt/\nRUN cat /opt/notes.tar", context, Builder::BuildKit), NOW);
    assert!(report.error.is_none(), "{:?}", report.error);
    assert_eq!(report.steps[2].output, ["not really a tar"]);
}

#[test]
fn add_of_a_url_downloads_what_the_catalogs_hold() {
    let mut store = store();
    let df = "FROM alpine:3.20\nADD https://registry.npmjs.org/ms/-/ms-2.1.3.tgz /downloads/\nRUN stat -c '%a %s' /downloads/ms-2.1.3.tgz\n";
    let report = build(&mut Session::new(), &mut store, &request(df, BuildContext::new(), Builder::BuildKit), NOW);
    assert!(report.error.is_none(), "{:?}", report.error);
    let size = store.npm().unwrap().packages["ms@2.1.3"].tarball_size;
    assert_eq!(report.steps[2].output, [format!("600 {size}")], "BuildKit saves downloads with mode 600");
    assert_eq!(report.steps[1].size_bytes, size);
    let df = "FROM alpine:3.20\nADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini\n";
    let report = build(&mut Session::new(), &mut store, &request(df, BuildContext::new(), Builder::BuildKit), NOW);
    assert_eq!(
        report.error.unwrap().message,
        "failed to load cache key: Get \"https://github.com/krallin/tini/releases/download/v0.19.0/tini\": dial tcp: lookup github.com: no such host (layerlab: the simulator has no network; only files its catalogs hold download)"
    );
}
