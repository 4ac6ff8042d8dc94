//! The package catalogs against the real tools' answers recorded with them, and against the
//! closure figures measured in ../shared/reference/base-images-and-packages.md.

use std::collections::BTreeSet;
use std::path::PathBuf;

use layerlab_catalog::apt::AptIndex;
use layerlab_catalog::closure::{apt_size, closure, Installed, UnknownPackage};
use layerlab_catalog::image::ImageFile;
use layerlab_catalog::marker;
use layerlab_catalog::pip::PipIndex;
use layerlab_catalog::pipsolve::{parse_requirement, resolve, ResolveError};

fn read(path: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../static/data").join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn apt() -> AptIndex {
    release_apt("bookworm")
}

fn release_apt(release: &str) -> AptIndex {
    AptIndex::from_json(&read(&format!("apt/{release}.json"))).unwrap()
}

fn slim_installed() -> Installed {
    installed_on("debian_bookworm-slim")
}

fn installed_on(image: &str) -> Installed {
    let image = ImageFile::from_json(&read(&format!("images/{image}.json"))).unwrap();
    Installed::from_status(&image.layers[0].files["var/lib/dpkg/status"])
}

/// Each catalog with the image its answers were recorded on.
const RELEASES: [(&str, &str); 3] = [("bookworm", "debian_bookworm-slim"), ("noble", "ubuntu_24.04"), ("jammy", "ubuntu_22.04")];

fn mib(index: &AptIndex, packages: &[String]) -> f64 {
    packages.iter().map(|p| index.packages[p].installed_size).sum::<u64>() as f64 / 1024.0
}

#[test]
fn closures_match_the_reference_table() {
    let index = apt();
    let installed = slim_installed();
    // (request, with Recommends: count, MiB; without: count, MiB), measured on bookworm-slim.
    let table = [
        ("python3", 26, 34.9, 22, 31.9),
        ("python3-pip", 152, 455.0, 30, 45.7),
        ("build-essential", 125, 384.0, 56, 308.0),
        ("git", 46, 118.0, 24, 104.0),
        ("nginx", 20, 15.4, 17, 15.0),
        ("curl", 22, 15.0, 16, 11.4),
    ];
    for (name, count, size, count_norec, size_norec) in table {
        for (recommends, count, size) in [(true, count, size), (false, count_norec, size_norec)] {
            let packages = closure(&index, &installed, &[name], recommends).unwrap();
            let near = |a: f64, b: f64| ((a - b) / b).abs() <= 0.02;
            assert!(near(packages.len() as f64, count as f64), "{name} (recommends {recommends}): {} packages, table {count}", packages.len());
            assert!(near(mib(&index, &packages), size), "{name} (recommends {recommends}): {:.1} MiB, table {size}", mib(&index, &packages));
        }
    }
}

#[test]
fn closures_match_what_apt_answered_for_every_request() {
    for (release, image) in RELEASES {
        closures_match_apts_answers(&release_apt(release), &installed_on(image));
    }
}

fn closures_match_apts_answers(index: &AptIndex, installed: &Installed) {
    let mut wrong = Vec::new();
    for (name, request) in &index.requests {
        for (recommends, answer) in [(true, &request.with_recommends), (false, &request.without_recommends)] {
            let ours: BTreeSet<String> = closure(index, installed, &[name], recommends).unwrap().into_iter().collect();
            let apts: BTreeSet<String> = answer.packages.iter().cloned().collect();
            if ours != apts {
                let extra: Vec<_> = ours.difference(&apts).collect();
                let lacking: Vec<_> = apts.difference(&ours).collect();
                wrong.push(format!("{name} (recommends {recommends}): extra {extra:?}, lacking {lacking:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {} closures differ from apt's:\n{}", wrong.len(), 2 * index.requests.len(), wrong.join("\n"));
}

#[test]
fn summary_lines_are_apts() {
    for (release, image) in RELEASES {
        summary_lines_match(&release_apt(release), &installed_on(image));
    }
}

fn summary_lines_match(index: &AptIndex, installed: &Installed) {
    for name in ["python3", "curl", "nginx", "git"] {
        let packages = closure(index, installed, &[name], true).unwrap();
        let download: u64 = packages.iter().map(|p| index.packages[p].download_size).sum();
        let disk: u64 = packages.iter().map(|p| index.packages[p].installed_size * 1024).sum();
        let ours = vec![
            format!("Need to get {} of archives.", apt_size(download as f64)),
            format!("After this operation, {} of additional disk space will be used.", apt_size(disk as f64)),
        ];
        assert_eq!(ours, index.requests[name].with_recommends.summary, "{name}");
    }
}

#[test]
fn apt_size_formats_like_apt() {
    assert_eq!(apt_size(6_132_000.0), "6132 kB");
    assert_eq!(apt_size(11_100_000.0), "11.1 MB");
    assert_eq!(apt_size(455_000_000.0), "455 MB");
    assert_eq!(apt_size(999.0), "999 B");
    assert_eq!(apt_size(10_000.0), "10.0 kB");
}

#[test]
fn unknown_packages_are_apts_error() {
    let index = apt();
    assert_eq!(closure(&index, &slim_installed(), &["python"], false), Err(UnknownPackage("python".into())));
    assert_eq!(closure(&index, &slim_installed(), &["bash"], false), Ok(vec![]), "already installed");
}

fn pip() -> PipIndex {
    PipIndex::from_json(&read("pip/cp312-manylinux-x86_64.json")).unwrap()
}

fn names(index: &PipIndex, request: &str) -> BTreeSet<String> {
    resolve(index, &[request]).unwrap().into_iter().map(|d| format!("{}=={}", d.name, d.version)).collect()
}

#[test]
fn flask_resolves_to_the_seven_distributions_pip_resolves() {
    let index = pip();
    let ours = names(&index, "flask");
    assert_eq!(ours.len(), 7);
    let pips: BTreeSet<String> = index.requests["flask"].iter().cloned().collect();
    assert_eq!(ours, pips);
}

#[test]
fn every_pip_request_resolves_as_pip_did() {
    let index = pip();
    assert!(index.requests.len() >= 60, "{} requests", index.requests.len());
    for (request, pips) in &index.requests {
        let pips: BTreeSet<String> = pips.iter().cloned().collect();
        assert_eq!(names(&index, request), pips, "{request}");
    }
    assert_eq!(resolve(&index, &["no-such-project"]).unwrap_err(), ResolveError::NoMatchingDistribution("no-such-project".into()));
}

#[test]
fn markers_evaluate_for_cpython_312_on_linux() {
    assert!(!marker::evaluate("python_version < '3.10'", ""));
    assert!(marker::evaluate("python_version >= \"3.8\" and sys_platform == 'linux'", ""));
    assert!(!marker::evaluate("extra == \"async\"", ""));
    assert!(marker::evaluate("extra == \"async\"", "async"));
    assert!(marker::evaluate("(platform_system == 'Windows') or (python_full_version ~= '3.12.0')", ""));
    assert!(!marker::evaluate("platform_machine in 'arm64 aarch64'", ""));
    assert!(!marker::evaluate("this is not a marker", ""));
    let r = parse_requirement("requests[socks, security] >=2.0 ; python_version >= '3.7'");
    assert_eq!((r.name.as_str(), r.extras), ("requests", vec!["socks".to_string(), "security".to_string()]));
}

#[test]
fn pep440_orders_and_matches_versions() {
    use layerlab_catalog::pep440::{satisfies, Version};
    let v = |s: &str| Version::parse(s).unwrap();
    assert!(v("2.9.0.post0") > v("2.9.0"));
    assert!(v("1.0rc1") < v("1.0"));
    assert!(v("1.0.dev3") < v("1.0a1"));
    assert!(v("1.10") > v("1.9.9"));
    assert_eq!(v("3.12"), v("3.12.0").clone().max(v("3.12")));
    assert!(satisfies("2.9.0.post0", ">=2.1,<3.0.0"));
    assert!(!satisfies("4.0.0", ">=2.1,<3.0.0"));
    assert!(satisfies("1.4.2", "~=1.4"));
    assert!(!satisfies("2.0", "~=1.4"));
    assert!(satisfies("1.2.3", "==1.2.*"));
    assert!(!satisfies("1.3", "==1.2.*"));
    assert!(satisfies("5.0", "!=4.*"));
}

#[test]
fn npm_trees_are_npms_lockfiles_with_real_files() {
    use layerlab_catalog::manifest;
    use layerlab_catalog::npm::NpmIndex;
    let index = NpmIndex::from_json(&read("npm/registry.json")).unwrap();
    assert!(index.requests.len() >= 40, "{} requests", index.requests.len());
    for (request, tree) in &index.requests {
        assert!(tree.iter().any(|(path, _)| path == &format!("node_modules/{request}")), "{request} is in its own tree");
        for (path, key) in tree {
            let package = index.packages.get(key).unwrap_or_else(|| panic!("{request}: {path} -> {key} missing"));
            let files = manifest::decode(&package.files).unwrap();
            assert!(files.iter().any(|f| f.path == "package.json"), "{key} has its package.json");
            assert!(package.tarball_size > 0);
        }
    }
    let express = &index.requests["express"];
    let key = &express.iter().find(|(p, _)| p == "node_modules/express").unwrap().1;
    assert!(index.packages[key].dependencies.contains_key("body-parser"));
}

#[test]
fn dpkg_filters_keep_what_the_slim_image_keeps() {
    use layerlab_catalog::dpkgfilter::PathFilter;
    let slim = ImageFile::from_json(&read("images/debian_bookworm-slim.json")).unwrap();
    let filter = PathFilter::from_configs([slim.layers[0].files["etc/dpkg/dpkg.cfg.d/docker"].as_str()]);
    assert!(!filter.keeps("usr/share/doc/curl/changelog.Debian.gz"));
    assert!(filter.keeps("usr/share/doc/curl/copyright"));
    assert!(!filter.keeps("usr/share/man/man1/curl.1.gz"));
    assert!(!filter.keeps("usr/share/locale/de/LC_MESSAGES/apt.mo"));
    assert!(filter.keeps("usr/share/locale/locale.alias"));
    assert!(filter.keeps("usr/bin/curl"));
    let none = PathFilter::default();
    assert!(none.keeps("usr/share/doc/curl/changelog.Debian.gz"), "debian:bookworm keeps docs");
    let brackets = PathFilter::from_configs(["path-exclude=/usr/share/[a-c]*\npath-include /usr/share/b[!x]*"]);
    assert!(!brackets.keeps("usr/share/apt"));
    assert!(brackets.keeps("usr/share/bash-completion"));
    assert!(!brackets.keeps("usr/share/bx"));
}

// What installs add to the filesystem is tested where they are simulated:
// crates/shell/tests/apt.rs, `installs_add_what_real_installs_added`.

#[test]
fn debian_versions_compare_as_dpkg_does() {
    use layerlab_catalog::debversion::{compare, satisfies};
    use std::cmp::Ordering::*;
    for (a, b, order) in [
        ("1.0", "1.0", Equal),
        ("1.0~rc1", "1.0", Less),
        ("1.0", "1.0+b1", Less),
        ("1:0.9", "2.0", Greater),
        ("2.0.1~", "2.0.1", Less),
        ("1.10.2", "2.0.1~", Less),
        ("12.4+deb12u15", "12.4+deb12u9", Greater),
        ("1.2-3", "1.2-10", Less),
        ("1.2a", "1.2", Greater),
    ] {
        assert_eq!(compare(a, b), order, "{a} vs {b}");
    }
    assert!(!satisfies("1.10.2", ">=", "2.0.1~"));
    assert!(satisfies("2.1.3-2", ">=", "2.0.1~"));
    assert!(satisfies("1.0", "<<", "1.0.1"));
}

/// yarn's view of every npm catalog version: the tarball's SHA-1 and the cache folder named
/// after it, and a metadata size at least the size of the package.json it holds.
#[test]
fn yarn_knows_every_npm_catalog_version() {
    use layerlab_catalog::manifest;
    use layerlab_catalog::npm::{yarn_slug, NpmIndex, YarnIndex};
    let npm = NpmIndex::from_json(&read("npm/registry.json")).unwrap();
    let yarn = YarnIndex::from_json(&read("npm/yarn.json")).unwrap();
    assert_eq!(yarn.packages.keys().collect::<Vec<_>>(), npm.packages.keys().collect::<Vec<_>>());
    for (key, entry) in &yarn.packages {
        let (name, version) = key.rsplit_once('@').unwrap();
        assert!(entry.sha1.len() == 40 && entry.sha1.bytes().all(|b| b.is_ascii_hexdigit()), "{key}");
        // yarn's slug of the name, the version, the SHA-1.
        assert!(entry.folder.starts_with("npm-") && entry.folder.ends_with(&format!("-{version}-{}-integrity", entry.sha1)), "{key}: {}", entry.folder);
        assert!(entry.folder.starts_with(&format!("npm-{}-", yarn_slug(name))), "{key}: {}", entry.folder);
        let files = manifest::decode(&npm.packages[key].files).unwrap();
        let package_json = files.iter().find(|f| f.path == "package.json").unwrap().size;
        assert!(entry.metadata_without_root > package_json, "{key}");
    }
    assert_eq!(yarn.packages["ms@2.1.3"].sha1, "574c8138ce1d2b5861f0b44579dbadd60c6615b2");
}

