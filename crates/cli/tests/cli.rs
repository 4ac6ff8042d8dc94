//! The CLI as a user runs it: exact stdout, stderr and exit codes.

use std::process::Command;

fn layerlab(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_layerlab")).args(args).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}

fn corpus(rel: &str) -> String {
    format!("{}/../../../shared/corpus/buildkit-parser/{rel}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn parse_dump_prints_buildkits_result_file() {
    let (code, stdout, stderr) = layerlab(&["parse", "--dump", &corpus("testfiles/flags/Dockerfile")]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(stdout, std::fs::read_to_string(corpus("testfiles/flags/result")).unwrap());
}

#[test]
fn parse_errors_exit_1_with_the_message() {
    let (code, stdout, stderr) = layerlab(&["parse", "--dump", &corpus("testfiles-negative/env_no_value/Dockerfile")]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (1, "", "ERROR: ENV must have two arguments\n"));
}
