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

#[test]
fn check_prints_like_docker_build_check() {
    let dir = std::env::temp_dir().join(format!("layerlab-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("Dockerfile");
    std::fs::write(&file, "FROM alpine:3.20\nCMD echo hi\n").unwrap();
    let (code, stdout, stderr) = layerlab(&["check", file.to_str().unwrap()]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let expected = "Check complete, 1 warning has been found!\n\
\n\
WARN: JSONArgsRecommended - https://docs.docker.com/go/dockerfile/rule/json-args-recommended/\n\
JSON arguments recommended for CMD to prevent unintended behavior related to OS signals\n\
Dockerfile:2\n\
--------------------\n\
\x20  1 |     FROM alpine:3.20\n\
\x20  2 | >>> CMD echo hi\n\
\x20  3 |     \n\
--------------------\n";
    assert_eq!(stdout, expected);
    // An image the data does not model: the check says what it could not do.
    std::fs::write(&file, "FROM golang:1.22\nRUN echo $GOPATH\n").unwrap();
    let (code, stdout, _) = layerlab(&["check", file.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        stdout.ends_with("note: UndefinedVar was not checked in stage stage-0: the environment of docker.io/library/golang:1.22 is not modelled\n"),
        "{stdout}"
    );
    std::fs::write(&file, "# check=error=true\nFROM alpine:3.20\nMAINTAINER me\n").unwrap();
    let (code, stdout, stderr) = layerlab(&["check", file.to_str().unwrap()]);
    assert_eq!((code, stderr.as_str()), (1, "ERROR: build checks failed\n"));
    assert!(stdout.contains("ERROR: lint violation found for rules: MaintainerDeprecated\n"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}
