//! apt-get and dpkg over the catalog, against what the real tools printed and did in a
//! bookworm-slim chroot (`tests/data/apt/record.sh`).

mod common;

use common::sh_with_catalog;

fn data(name: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/apt").join(name)).unwrap()
}

/// What is compared exactly: everything, except the timing in `Fetched ...` lines (modelled,
/// not measured), the order of dpkg's configure phase (apt orders it by its own scoring;
/// Layerlab configures in unpack order), so each configure block is compared sorted, and
/// dpkg's database count (modelled for the base image's lists), compared apart.
fn normalise(log: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut block: Vec<String> = Vec::new();
    let mut in_configure = false;
    for line in log.lines() {
        let line = match line.split_once(" in ") {
            Some((fetched, _)) if line.starts_with("Fetched ") => fetched.to_string(),
            _ if line.starts_with("(Reading database") => "(Reading database ...".to_string(),
            _ => line.to_string(),
        };
        if line.starts_with("Setting up ") {
            in_configure = true;
        } else if line.starts_with("Processing triggers") || line.starts_with("exit ") || line.starts_with("Reading package lists") {
            in_configure = false;
            block.sort();
            out.append(&mut block);
        }
        if in_configure {
            block.push(line);
        } else {
            out.push(line);
        }
    }
    block.sort();
    out.append(&mut block);
    out
}

#[test]
fn session_prints_what_apt_and_dpkg_printed() {
    let (_, log, _) = sh_with_catalog(&data("session.sh"));
    let (ours, real) = (normalise(&log), normalise(&data("session.expected")));
    let differences: Vec<String> = ours
        .iter()
        .zip(&real)
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, (a, b))| format!("line {}:\n  ours: {a:?}\n  real: {b:?}", i + 1))
        .collect();
    assert!(differences.is_empty(), "{}\n--- ours:\n{log}", differences.join("\n"));
    assert_eq!(ours.len(), real.len(), "{log}");
    let (ours, real) = (database_counts(&log), database_counts(&data("session.expected")));
    assert_eq!(ours.len(), real.len());
    for (a, b) in ours.iter().zip(&real) {
        assert!(a.abs_diff(*b) * 1000 <= *b, "dpkg's database count: ours {ours:?}, real {real:?}");
    }
}

/// The N of each `(Reading database ... N files and directories currently installed.)`.
fn database_counts(log: &str) -> Vec<usize> {
    log.split("(Reading database ... ")
        .filter_map(|part| part.split_once(" files and directories")?.0.parse().ok())
        .collect()
}

/// Every install the generator measured for real (`apt-get install -y NAME` on slim with
/// lists), run through Layerlab: the filesystem grows by what it grew, within 5 %.
#[test]
fn installs_add_what_real_installs_added() {
    installs_match_measurements("bookworm", common::slim());
}

/// The same on Ubuntu noble, measured in a chroot of the rebuilt ubuntu:24.04.
#[test]
fn noble_installs_add_what_real_installs_added() {
    installs_match_measurements("noble", layerlab_shell::rootfs::from_chain(&[&common::image("ubuntu_24.04")]).unwrap());
}

/// And on Ubuntu jammy, in a chroot of the rebuilt ubuntu:22.04.
#[test]
fn jammy_installs_add_what_real_installs_added() {
    installs_match_measurements("jammy", layerlab_shell::rootfs::from_chain(&[&common::image("ubuntu_22.04")]).unwrap());
}

fn installs_match_measurements(release: &str, mut updated: layerlab_image::fs::Snapshot) {
    use layerlab_image::fs::snapshot_size;
    let index = common::store().apt(release).unwrap();
    let update = layerlab_shell::run_with_catalog(&mut updated, &common::invocation("apt-get update -qq"), common::store());
    assert_eq!(update.status, 0, "{}", update.log);
    let before = snapshot_size(&updated) as i64;
    let mut report = Vec::new();
    let mut worst: f64 = 0.0;
    for (name, request) in &index.requests {
        let Some(measured) = &request.measured else { continue };
        let mut fs = updated.clone();
        let outcome = layerlab_shell::run_with_catalog(&mut fs, &common::invocation(&format!("apt-get install -y -qq {name} >/dev/null")), common::store());
        assert_eq!(outcome.status, 0, "{name}: {}", outcome.log);
        let added = snapshot_size(&fs) as i64 - before;
        if measured.bytes_added == 0 {
            // Already installed: at most apt drops the package's `Auto-Installed` entry
            // from extended_states (55 bytes for tzdata), which the measurement did not see.
            assert!(added.abs() <= 64, "{name} is already installed, yet {added} bytes: {}", outcome.log);
            continue;
        }
        let gap = (added - measured.bytes_added) as f64 / measured.bytes_added as f64;
        worst = worst.max(gap.abs());
        report.push(format!("{name}: simulated {added}, measured {}, {:+.2} %", measured.bytes_added, gap * 100.0));
    }
    assert!(report.len() >= 40, "{release}: {} measured requests", report.len());
    println!("{}", report.join("\n"));
    assert!(worst <= 0.05, "{release}: an install is off by {:.2} %:\n{}", worst * 100.0, report.join("\n"));
}

const READING: &str = "Reading package lists...\nBuilding dependency tree...\nReading state information...\n";

#[test]
fn install_before_update_cannot_locate_packages() {
    let (status, log, _) = sh_with_catalog("apt-get install -y curl wget");
    assert_eq!(status, 100);
    assert_eq!(log, format!("{READING}E: Unable to locate package curl\nE: Unable to locate package wget\n"));
    // Installed packages are known without lists.
    let (status, log, _) = sh_with_catalog("apt-get install -y bash");
    // The slim image marks every package automatic, so apt now marks bash manual.
    assert_eq!((status, log), (0, format!("{READING}bash is already the newest version (5.2.15-2+b13).\nbash set to manually installed.\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n")));
}

#[test]
fn update_fills_the_lists_and_rm_takes_them_away() {
    use layerlab_image::fs::snapshot_size;
    let base = snapshot_size(&common::slim());
    let (status, log, fs) = sh_with_catalog("apt-get update");
    assert_eq!(status, 0);
    assert!(log.starts_with("Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]\n"), "{log}");
    assert!(log.ends_with("Fetched 9417 kB in 0s (12.5 MB/s)\nReading package lists...\n"), "{log}");
    // 19,856,468 bytes of lists: the Release and lz4 Packages files apt wrote on slim.
    assert_eq!(snapshot_size(&fs) - base, 19_856_468);
    let (_, log, fs) = sh_with_catalog("apt-get update >/dev/null && apt-get update && rm -rf /var/lib/apt/lists/*");
    assert_eq!(
        log,
        "Hit:1 http://deb.debian.org/debian bookworm InRelease\nHit:2 http://deb.debian.org/debian bookworm-updates InRelease\nHit:3 http://deb.debian.org/debian-security bookworm-security InRelease\nReading package lists...\n"
    );
    assert_eq!(snapshot_size(&fs), base);
    let (_, log, _) = sh_with_catalog("apt-get update -qq");
    assert_eq!(log, "");
}

#[test]
fn installs_need_root_and_known_options() {
    let (status, log, _) = sh_with_catalog("apt-get --frobnicate install curl");
    assert_eq!((status, log.as_str()), (100, "E: Command line option --frobnicate is not understood in combination with the other options\n"));
    let (status, log, _) = sh_with_catalog("apt-get -z install curl");
    assert_eq!((status, log.as_str()), (100, "E: Command line option 'z' [from -z] is not known.\n"));
    let (status, log, _) = sh_with_catalog("apt-get frobnicate");
    assert_eq!((status, log.as_str()), (100, "E: Invalid operation frobnicate\n"));
    let mut fs = common::slim();
    let as_nobody = layerlab_shell::Invocation { user: layerlab_shell::Identity { uid: 65534, gid: 65534, name: "nobody".into() }, ..common::invocation("apt-get update; echo $?; apt-get install -y curl") };
    let outcome = layerlab_shell::run_with_catalog(&mut fs, &as_nobody, common::store());
    assert_eq!(
        outcome.log,
        "E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\nE: Unable to lock directory /var/lib/apt/lists/\n100\nE: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?\n"
    );
    assert_eq!(outcome.status, 100);
}

#[test]
fn what_the_catalog_lacks_stops_the_step_with_a_reason() {
    let (status, log, _) = sh_with_catalog("apt-get update -qq && apt-get install -y nosuchpkg");
    assert_eq!(status, 1);
    assert!(log.ends_with("layerlab: 'nosuchpkg' is not among the 1340 bookworm packages Layerlab's catalog holds, so this install cannot be simulated\n"), "{log}");
    let (_, log, _) = sh_with_catalog("apt-get update -qq && apt-get install -y curl=7.0");
    assert!(log.ends_with("layerlab: the catalog holds curl 7.88.1-10+deb12u15 only; curl=7.0 cannot be simulated\n"), "{log}");
    let mut fs = common::slim();
    let outcome = layerlab_shell::run(&mut fs, &common::invocation("apt-get update"));
    assert_eq!(outcome.aborted.as_deref(), Some("layerlab: the package catalog is not loaded, so this install cannot be simulated"));
}

/// Names bookworm has no candidate for get apt's own answer, recorded on the slim image by
/// `cargo xtask gen-data apt-absent`: notes for each name in order, then every `E:` line.
#[test]
fn names_without_a_candidate_fail_as_apt_does() {
    let (status, log, _) = sh_with_catalog("apt-get update -qq && apt-get install -y python netcat curl docker-engine");
    assert_eq!(status, 100);
    assert_eq!(
        log,
        format!(
            "{READING}Package python is not available, but is referred to by another package.
This may mean that the package is missing, has been obsoleted, or
is only available from another source
However the following packages replace it:
  python-is-python3 2to3

Package netcat is a virtual package provided by:
  netcat-openbsd 1.219-1
  netcat-traditional 1.10-47

E: Package 'python' has no installation candidate
E: Package 'netcat' has no installation candidate
E: Unable to locate package docker-engine
"
        )
    );
    // Before any update, apt cannot locate them either.
    let (status, log, _) = sh_with_catalog("apt-get install -y python");
    assert_eq!((status, log), (100, format!("{READING}E: Unable to locate package python\n")));
}

/// On an image of a release Layerlab has no catalog for (here slim relabelled as trixie,
/// as `FROM debian:trixie` would be), apt answers from bookworm's catalog, and says so.
#[test]
fn apt_on_a_release_without_a_catalog_says_whose_answers_it_gives() {
    let (_, log, _) = sh_with_catalog(
        r#"sed -i 's/bookworm/trixie/; s/^PRETTY_NAME=.*/PRETTY_NAME="Debian GNU\/Linux 13 (trixie)"/' /usr/lib/os-release && apt-get update -qq; apt-get install -y python"#,
    );
    let note = "layerlab: this image is Debian GNU/Linux 13 (trixie), but Layerlab records apt catalogs for Debian bookworm, Ubuntu 22.04 and Ubuntu 24.04 only: the mirrors, package versions and sizes apt shows here are Debian bookworm's\n";
    assert!(log.starts_with(&format!("{note}{note}{READING}Package python is not available")), "{log}");
    // Debian bookworm itself gets no note.
    let (_, log, _) = sh_with_catalog("apt-get update -qq");
    assert_eq!(log, "");
}

#[test]
fn apt_on_ubuntu_noble_answers_from_noble() {
    let mut fs = layerlab_shell::rootfs::from_chain(&[&common::image("ubuntu_24.04")]).unwrap();
    // The fetch time is modelled (the catalog's bytes at 12.5 MB/s), the rest recorded.
    let script = "apt-get update | tail -2; apt-get install -y python; apt-get install -y --no-install-recommends tini | grep -E '^(Get|Setting)'";
    let outcome = layerlab_shell::run_with_catalog(&mut fs, &common::invocation(script), common::store());
    assert!(!outcome.log.contains("layerlab:"), "{}", outcome.log);
    let tini = &common::store().apt("noble").unwrap().packages["tini"];
    assert_eq!((tini.component.as_str(), tini.version.as_str()), ("universe", "0.19.0-1"));
    let expected = format!(
        "Fetched 34.6 MB in 2s (12.5 MB/s)\nReading package lists...\n{READING}Package python is not available, but is referred to by another package.\nThis may mean that the package is missing, has been obsoleted, or\nis only available from another source\nHowever the following packages replace it:\n  2to3 python-is-python3\n\nE: Package 'python' has no installation candidate\ndebconf: delaying package configuration, since apt-utils is not installed\nGet:1 http://archive.ubuntu.com/ubuntu noble/universe amd64 tini amd64 0.19.0-1 [276 kB]\nSetting up tini (0.19.0-1) ...\n"
    );
    assert_eq!(outcome.log, expected);
}

#[test]
fn a_step_waits_for_the_shard_it_needs() {
    let mut store = layerlab_catalog::store::DataStore::new();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/data");
    store.insert("apt/bookworm.json", &std::fs::read_to_string(data.join("apt/bookworm.json")).unwrap()).unwrap();
    let mut fs = common::slim();
    let outcome = layerlab_shell::run_with_catalog(&mut fs, &common::invocation("apt-get update -qq && apt-get install -y -qq tini"), &store);
    let shard = format!("apt/{}", layerlab_catalog::apt::shard_file_name("bookworm", layerlab_catalog::apt::shard_of("tini")));
    assert_eq!(outcome.missing, Some(shard));
}

#[test]
fn installed_files_are_there_and_owned_by_dpkg() {
    let (status, log, fs) = sh_with_catalog(
        "apt-get update -qq && apt-get install -y -qq --no-install-recommends tini >/dev/null 2>&1; dpkg -L tini | head -3; dpkg -s tini | head -2; command -v tini; dpkg --print-architecture; ls /usr/share/doc/tini; apt-get clean",
    );
    assert_eq!(status, 0, "{log}");
    assert_eq!(log, "/.\n/usr\n/usr/bin\nPackage: tini\nStatus: install ok installed\n/usr/bin/tini\namd64\ncopyright\n");
    assert!(matches!(fs.get("/var/lib/dpkg/info/tini.md5sums", false), Ok(layerlab_image::fs::Node::File(_))));
}

#[test]
fn apt_warns_scripts_and_quiet_hides_apts_own_lines() {
    let (_, log, _) = sh_with_catalog("apt update -qq");
    assert_eq!(log, "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n");
    let (status, log, _) = sh_with_catalog("apt-get update -qq && apt-get install -qq tini");
    assert_eq!(status, 0);
    assert!(log.starts_with("debconf: delaying package configuration, since apt-utils is not installed\nSelecting previously unselected package tini.\n"), "{log}");
    assert!(log.ends_with("Unpacking tini (0.19.0-1+b3) ...\nSetting up tini (0.19.0-1+b3) ...\n"), "{log}");
}

#[test]
fn recommends_follow_the_command_line_and_apt_conf() {
    let count = |script: &str| {
        let (_, log, _) = sh_with_catalog(&format!("apt-get update -qq && {script} 2>/dev/null | grep newly"));
        log
    };
    let with = "0 upgraded, 22 newly installed, 0 to remove and 0 not upgraded.\n";
    let without = "0 upgraded, 16 newly installed, 0 to remove and 0 not upgraded.\n";
    assert_eq!(count("apt-get install -y curl"), with);
    assert_eq!(count("apt-get install -y --no-install-recommends curl"), without);
    assert_eq!(count("apt-get install -y -o APT::Install-Recommends=0 curl"), without);
    assert_eq!(count("echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/99norecommends && apt-get install -y curl"), without);
    assert_eq!(count("echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/99norecommends && apt-get install -y --install-recommends curl"), with);
}

#[test]
fn a_virtual_package_with_one_provider_installs_the_provider() {
    // apt 2.6 in a bookworm-slim chroot: `libc-dev` is provided by libc6-dev alone, and apt
    // installs it without a note.
    let (status, log, _) = sh_with_catalog("apt-get update -qq && apt-get install -y --no-install-recommends libc-dev > /dev/null 2>&1 && dpkg -s libc6-dev | head -2");
    assert_eq!(status, 0, "{log}");
    assert_eq!(log, "Package: libc6-dev\nStatus: install ok installed\n");
}
