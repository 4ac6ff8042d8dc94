//! apt-mark, against what apt 2.6 printed and did in a debian:bookworm-slim chroot, where
//! every package of the image is marked as installed automatically.

mod common;

use common::sh_with_catalog;

#[test]
fn marks_report_as_apt_mark_does() {
    let (status, log, _) = sh_with_catalog("apt-mark showmanual; apt-mark auto bash; apt-mark manual bash; apt-mark manual bash; apt-mark showmanual");
    assert_eq!(status, 0);
    assert_eq!(log, "bash was already set to automatically installed.\nbash set to manually installed.\nbash was already set to manually installed.\nbash\n");
}

#[test]
fn names_apts_cache_does_not_know_fail_but_the_rest_are_marked() {
    // Before `apt-get update` the cache holds only what dpkg knows.
    let (status, log, _) = sh_with_catalog("apt-mark manual bash curl; echo $?; apt-mark manual curl; echo $?; apt-mark auto; echo $?; apt-mark foo; echo $?");
    assert_eq!(status, 0);
    assert_eq!(
        log,
        "bash set to manually installed.\nE: Unable to locate package curl\n100\nE: Unable to locate package curl\nE: No packages found\n100\nE: No packages found\n100\nE: Invalid operation foo\n100\n"
    );
    // After it, curl is known but not installed.
    let (status, log, _) = sh_with_catalog("apt-get update -qq && apt-mark manual curl bash");
    assert_eq!((status, log.as_str()), (0, "curl can not be marked as it is not installed.\nbash set to manually installed.\n"));
}

#[test]
fn holds_are_dpkg_selections() {
    let (status, log, fs) = sh_with_catalog("apt-mark hold bash; apt-mark hold bash; apt-mark showhold; apt-mark unhold bash; apt-mark unhold bash; apt-mark hold bash bash");
    assert_eq!(status, 0);
    assert_eq!(
        log,
        "bash set on hold.\nbash was already set on hold.\nbash\nCanceled hold on bash.\nbash was already not on hold.\nbash set on hold.\nbash set on hold.\n"
    );
    let status_file = layerlab_shell::accounts::read_text(&fs, "/var/lib/dpkg/status").unwrap();
    let bash = status_file.split("\n\n").find(|s| s.starts_with("Package: bash\n")).unwrap();
    assert!(bash.contains("\nStatus: hold ok installed\n"), "{bash}");
    // An unknown name fails after the rest is done.
    let (status, log, _) = sh_with_catalog("apt-mark hold bash nosuch");
    assert_eq!((status, log.as_str()), (100, "bash set on hold.\nE: Unable to locate package nosuch\n"));
}

/// The docker-library pattern: keep what the program needs, purge the rest. Real apt left
/// 103 packages (88 of the image, 15 of curl's closure less curl).
#[test]
fn auto_then_manual_then_purge_keeps_what_manual_packages_need() {
    let (status, log, _) = sh_with_catalog(
        "apt-get update -qq && apt-get install -y -qq --no-install-recommends curl >/dev/null 2>&1; apt-mark showmanual; apt-mark auto '.*' >/dev/null; apt-mark manual libcurl4; apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false curl; dpkg -l | grep -c '^ii'; apt-mark showmanual",
    );
    assert_eq!(status, 0, "{log}");
    let expected_start = "curl\nlibcurl4 set to manually installed.\nReading package lists...\nBuilding dependency tree...\nReading state information...\nThe following packages will be REMOVED:\n  curl*\n0 upgraded, 0 newly installed, 1 to remove and 0 not upgraded.\nAfter this operation, 501 kB disk space will be freed.\n";
    assert!(log.starts_with(expected_start), "{log}");
    assert!(log.ends_with("Removing curl (7.88.1-10+deb12u15) ...\n103\nlibcurl4\n"), "{log}");
}

/// With nothing marked by hand, `autoremove` keeps what apt's roots need: essential and
/// `required` packages and what they depend on. On the slim image (all marked automatic)
/// real apt removes nothing.
#[test]
fn autoremove_keeps_the_images_required_packages() {
    let (status, log, _) = sh_with_catalog("apt-get autoremove -y");
    assert_eq!(status, 0);
    assert_eq!(log, "Reading package lists...\nBuilding dependency tree...\nReading state information...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
}
