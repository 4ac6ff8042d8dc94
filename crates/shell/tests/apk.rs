//! apk on alpine:3.20, against the approximate Alpine 3.20 catalog: install orders and versions
//! as recorded builds of alpine:3.20 printed them, apk's database, world and index cache.

mod common;

use common::text;

use std::sync::OnceLock;

use layerlab_image::fs::Snapshot;
use layerlab_shell::{rootfs, Dialect, Identity, Invocation};

fn alpine() -> Snapshot {
    static ALPINE: OnceLock<Snapshot> = OnceLock::new();
    ALPINE.get_or_init(|| rootfs::from_chain(&[&common::image("alpine_3.20")]).unwrap()).clone()
}

fn ash(script: &str) -> Invocation {
    Invocation { dialect: Dialect::Ash, ..common::invocation(script) }
}

/// Runs `script` under BusyBox sh on alpine:3.20: (status, log, the filesystem after).
fn run_on(mut fs: Snapshot, invocation: Invocation) -> (i32, String, Snapshot) {
    let outcome = layerlab_shell::run_with_catalog(&mut fs, &invocation, common::store());
    (outcome.status, outcome.log, fs)
}

fn apk(script: &str) -> (i32, String, Snapshot) {
    run_on(alpine(), ash(script))
}

const NOTE: &str = "layerlab: apk answers from Layerlab's approximate Alpine 3.20 catalog (versions and install order from recorded builds, sizes from published package listings)\n";
const FETCH: &str = "fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/main/x86_64/APKINDEX.tar.gz\nfetch https://dl-cdn.alpinelinux.org/alpine/v3.20/community/x86_64/APKINDEX.tar.gz\n";
const CACHE: [&str; 2] = ["/var/cache/apk/APKINDEX.2064c4a0.tar.gz", "/var/cache/apk/APKINDEX.a7d0ee1f.tar.gz"];


/// The `Installing` lines of a log, without their counters.
fn installed(log: &str) -> Vec<String> {
    log.lines().filter_map(|l| l.split_once(") Installing ").map(|(_, rest)| rest.to_string())).collect()
}

#[test]
fn no_cache_curl_prints_what_alpine_3_20_3_printed() {
    let (status, log, fs) = apk("apk add --no-cache curl");
    assert_eq!(status, 0, "{log}");
    let expected = [
        "(1/10) Installing ca-certificates (20240705-r0)",
        "(2/10) Installing brotli-libs (1.1.0-r2)",
        "(3/10) Installing c-ares (1.33.1-r0)",
        "(4/10) Installing libunistring (1.2-r0)",
        "(5/10) Installing libidn2 (2.3.7-r0)",
        "(6/10) Installing nghttp2-libs (1.62.1-r0)",
        "(7/10) Installing libpsl (0.21.5-r1)",
        "(8/10) Installing zstd-libs (1.5.6-r0)",
        "(9/10) Installing libcurl (8.10.1-r0)",
        "(10/10) Installing curl (8.10.1-r0)",
        "Executing busybox-1.36.1-r29.trigger",
        "Executing ca-certificates-20240705-r0.trigger",
        "OK: 13 MiB in 24 packages",
    ];
    assert_eq!(log, format!("{NOTE}{FETCH}{}\n", expected.join("\n")));
    assert!(fs.get("/usr/bin/curl", true).is_ok());
    assert!(CACHE.iter().all(|p| fs.get(p, true).is_err()), "--no-cache leaves no index");
    assert_eq!(text(&fs, "/etc/apk/world"), "alpine-baselayout\nalpine-keys\napk-tools\nbusybox\ncurl\nlibc-utils\n");
    let db = text(&fs, "/lib/apk/db/installed");
    assert!(db.starts_with("C:Q1qKcZ+j23xssAXmgQhkOO8dHnbWw=\nP:alpine-baselayout\n"), "the image's own records stay first");
    assert!(db.contains("\n\nP:curl\nV:8.10.1-r0\nA:x86_64\nI:258048\nT:URL retrival utility and library\nU:https://curl.se/\nL:curl\nD:libcurl\nF:usr\nF:usr/bin\nR:curl\na:0:0:755\n\n"), "{db}");
}

#[test]
fn the_index_cache_stays_unless_no_cache_and_spares_the_next_fetch() {
    let (status, log, fs) = apk("apk add tini && apk add zip && apk add -U unzip && apk add --update xz && ls /var/cache/apk");
    assert_eq!(status, 0, "{log}");
    assert_eq!(log.matches(FETCH).count(), 3, "tini fetches, zip uses the cache, -U and --update fetch again: {log}");
    assert!(log.ends_with("APKINDEX.2064c4a0.tar.gz\nAPKINDEX.a7d0ee1f.tar.gz\n"), "{log}");
    assert_eq!(common::file_size(&fs, CACHE[0]) + common::file_size(&fs, CACHE[1]), 2_621_440);
}

#[test]
fn update_prints_the_repositories_and_the_package_count() {
    let (status, log, fs) = apk("apk update");
    assert_eq!((status, log.as_str()), (0, format!("{NOTE}{FETCH}v3.20.3-119-gbca3ad8e9ed [https://dl-cdn.alpinelinux.org/alpine/v3.20/main]\nv3.20.3-119-gbca3ad8e9ed [https://dl-cdn.alpinelinux.org/alpine/v3.20/community]\nOK: 24163 distinct packages available\n").as_str()));
    assert!(CACHE.iter().all(|p| fs.get(p, true).is_ok()));
}

#[test]
fn python3_comes_with_its_pyc_packages_in_the_recorded_order() {
    let (status, log, fs) = apk("apk add --no-cache python3");
    assert_eq!(status, 0, "{log}");
    let expected = [
        "libbz2 (1.0.8-r6)", "libexpat (2.6.3-r0)", "libffi (3.4.6-r0)", "gdbm (1.23-r1)", "xz-libs (5.6.2-r0)", "libgcc (13.2.1_git20240309-r0)", "libstdc++ (13.2.1_git20240309-r0)",
        "mpdecimal (4.0.0-r0)", "ncurses-terminfo-base (6.4_p20240420-r2)", "libncursesw (6.4_p20240420-r2)", "libpanelw (6.4_p20240420-r2)", "readline (8.2.10-r0)", "sqlite-libs (3.45.3-r1)",
        "python3 (3.12.7-r0)", "python3-pycache-pyc0 (3.12.7-r0)", "pyc (3.12.7-r0)", "python3-pyc (3.12.7-r0)",
    ];
    assert_eq!(installed(&log), expected);
    // The recorded build (python3 3.12.3-r1 on alpine 3.20.1) ended `OK: 50 MiB in 31 packages`:
    // the listing gives python3 and its pycache in whole MiB.
    assert!(log.ends_with("Executing busybox-1.36.1-r29.trigger\nOK: 49 MiB in 31 packages\n"), "{log}");
    assert!(fs.get("/usr/bin/python3", true).is_ok());
}

#[test]
fn git_brings_the_curl_libraries_and_its_init_template_after_it() {
    let (status, log, _) = apk("apk add --no-cache git");
    assert_eq!(status, 0, "{log}");
    let names: Vec<String> = installed(&log).iter().map(|l| l.split(' ').next().unwrap().to_string()).collect();
    assert_eq!(names, ["ca-certificates", "brotli-libs", "c-ares", "libunistring", "libidn2", "nghttp2-libs", "libpsl", "zstd-libs", "libcurl", "libexpat", "pcre2", "git", "git-init-template"]);
}

#[test]
fn a_virtual_package_and_its_removal_leave_the_image_as_it_was() {
    let before = alpine();
    let (status, log, fs) = apk("apk add --no-cache --virtual .build-deps gcc musl-dev && command -v gcc >/dev/null; apk del .build-deps");
    assert_eq!(status, 0, "{log}");
    assert!(log.contains("(13/14) Installing musl-dev (1.2.5-r0)\n(14/14) Installing .build-deps (20261123.091620)\nExecuting busybox-1.36.1-r29.trigger\nOK: 170 MiB in 28 packages\n"), "{log}");
    assert!(log.contains("(1/14) Purging .build-deps (20261123.091620)\n(2/14) Purging musl-dev (1.2.5-r0)\n(3/14) Purging gcc (13.2.1_git20240309-r0)\n"), "{log}");
    assert!(log.ends_with("(14/14) Purging libgcc (13.2.1_git20240309-r0)\nExecuting busybox-1.36.1-r29.trigger\nOK: 8 MiB in 14 packages\n"), "{log}");
    for path in ["/etc/apk/world", "/lib/apk/db/installed"] {
        assert_eq!(text(&fs, path), text(&before, path), "{path}");
    }
    assert!(fs.get("/usr/bin/gcc", true).is_err() && fs.get("/usr/libexec/gcc", true).is_err());
}

#[test]
fn the_virtual_package_is_in_the_world_in_place_of_its_members() {
    let (_, _, fs) = apk("apk add --no-cache -t .fetch-deps curl");
    assert!(text(&fs, "/etc/apk/world").contains(".fetch-deps\n") && !text(&fs, "/etc/apk/world").contains("curl"));
    assert!(text(&fs, "/lib/apk/db/installed").ends_with("P:.fetch-deps\nV:20261123.091620\nA:noarch\nS:0\nI:0\nT:virtual meta package\nU:\nL:\nD:curl\n\n"));
}

#[test]
fn what_the_catalog_cannot_answer_stops_the_step_with_a_reason() {
    let (status, log, _) = apk("apk add --no-cache nosuchthing");
    assert_eq!(status, 1);
    assert!(log.ends_with("layerlab: 'nosuchthing' is not among the 73 Alpine 3.20 packages Layerlab's apk catalog holds, so this install cannot be simulated\n"), "{log}");
    let (_, log, _) = apk("apk add -X https://nginx.org/packages/mainline/alpine/v3.20/main --no-cache nginx");
    assert!(log.ends_with("layerlab: the option -X is not modelled by Layerlab's apk\n"), "{log}");
    let (status, log, _) = apk("apk add --no-cache nodejs");
    assert_eq!(status, 1);
    assert!(log.ends_with("layerlab: apk add nodejs would install ada-libs (2.7.8-r0), libbase64 (0.5.2-r0), nodejs (20.15.1-r0), whose sizes no published package listing records, so this install cannot be simulated\n"), "{log}");
}

#[test]
fn apk_needs_root() {
    let invocation = Invocation { user: Identity { uid: 1000, gid: 1000, name: "app".into() }, ..ash("apk add curl") };
    let (status, log, _) = run_on(alpine(), invocation);
    assert_eq!((status, log.as_str()), (99, "ERROR: Unable to lock database: Permission denied\nERROR: Failed to open apk database: Permission denied\n"));
}

#[test]
fn info_and_print_arch() {
    let (status, log, _) = apk("apk --print-arch; apk info | head -3; apk info -e musl zlib; echo $?; apk info -e curl; echo $?");
    assert_eq!((status, log.as_str()), (0, "x86_64\nalpine-baselayout\nalpine-baselayout-data\nalpine-keys\nmusl\nzlib\n0\n1\n"));
}

#[test]
fn already_installed_packages_are_not_installed_again() {
    let (status, log, _) = apk("apk add --no-cache zlib musl-utils");
    assert_eq!((status, log.as_str()), (0, format!("{NOTE}{FETCH}OK: 8 MiB in 14 packages\n").as_str()));
}
