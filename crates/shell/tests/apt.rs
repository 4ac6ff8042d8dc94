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
    use layerlab_image::fs::snapshot_size;
    let index = common::store().apt().unwrap();
    let (_, _, updated) = sh_with_catalog("apt-get update -qq");
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
            assert_eq!(added, 0, "{name} is already installed: {}", outcome.log);
            continue;
        }
        let gap = (added - measured.bytes_added) as f64 / measured.bytes_added as f64;
        worst = worst.max(gap.abs());
        report.push(format!("{name}: simulated {added}, measured {}, {:+.2} %", measured.bytes_added, gap * 100.0));
    }
    assert!(report.len() >= 40, "{} measured requests", report.len());
    println!("{}", report.join("\n"));
    assert!(worst <= 0.05, "an install is off by {:.2} %:\n{}", worst * 100.0, report.join("\n"));
}
