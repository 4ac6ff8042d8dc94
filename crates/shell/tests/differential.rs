//! Each line of tests/data/differential.txt, run by the simulator, prints what bookworm's
//! real /bin/sh and tools printed for it in a chroot of the slim image
//! (tests/data/differential.expected, written by compare-with-bookworm.sh).

mod common;

#[test]
fn the_simulator_prints_what_bookworm_printed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let scripts = std::fs::read_to_string(dir.join("differential.txt")).unwrap();
    let expected = std::fs::read_to_string(dir.join("differential.expected")).unwrap();
    let mut simulated = String::new();
    for script in scripts.lines() {
        let (status, log, _) = common::sh(script);
        simulated.push_str(&format!("== {script}\n{log}[{status}]\n"));
    }
    let mismatches: Vec<String> = expected
        .split("== ")
        .zip(simulated.split("== "))
        .filter(|(e, s)| e != s)
        .map(|(e, s)| format!("real:\n{e}simulated:\n{s}"))
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert_eq!(expected.matches("\n== ").count(), scripts.lines().count() - 1);
}
