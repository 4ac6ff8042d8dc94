//! A rebuild replays the previous build's cache hits (`memo`): its report must be exactly
//! the one working every step out again gives. Checked on the page's examples, the real
//! corpus and edit sequences, under both builders.

mod common;

use std::path::PathBuf;

use common::*;
use layerlab_engine::{BuildContext, Builder, Report, Session};

fn json(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap()
}

fn folder_context(dir: &PathBuf) -> BuildContext {
    let mut context = BuildContext::new();
    for file in std::fs::read_dir(dir).unwrap().flatten() {
        let name = file.file_name().to_string_lossy().into_owned();
        if file.path().is_file() && name != "SOURCE.md" {
            context.insert(&name, &std::fs::read(file.path()).unwrap(), 0o644, 0);
        }
    }
    context
}

/// Every lesson and real Dockerfile with its context.
fn dockerfiles() -> Vec<(String, String, BuildContext)> {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let mut all = Vec::new();
    for entry in std::fs::read_dir(root.join("static/examples")).unwrap().flatten() {
        let context = folder_context(&entry.path());
        let text = String::from_utf8_lossy(&context.files["Dockerfile"].bytes).into_owned();
        all.push((entry.file_name().to_string_lossy().into_owned(), text, context));
    }
    for entry in std::fs::read_dir(root.join("../shared/corpus/real-dockerfiles")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with("Dockerfile") {
            all.push((name, String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned(), BuildContext::new()));
        }
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// The third build of the same Dockerfile replays the second's hits; the second worked
/// them out. Their reports are the same, byte for byte.
#[test]
fn replayed_builds_report_what_worked_out_builds_report() {
    let mut store = store();
    let mut replayed_any = 0;
    for (name, text, context) in dockerfiles() {
        for builder in [Builder::BuildKit, Builder::Classic] {
            let req = request(&text, context.clone(), builder);
            let mut session = Session::new();
            build(&mut session, &mut store, &req, NOW);
            let worked_out = build(&mut session, &mut store, &req, NOW + 60);
            let replayed = build(&mut session, &mut store, &req, NOW + 60);
            assert_eq!(json(&replayed), json(&worked_out), "{name} [{builder:?}]");
            replayed_any += usize::from(session.replays() > 0);
        }
    }
    // 18 of the 110 builds had RUN steps after their FROM when this was written (most
    // real Dockerfiles stop at an unmodelled base image or download).
    assert!(replayed_any >= 15, "only {replayed_any} builds had steps to replay");
}

/// Edits, reverts and re-edits: each build of a session that replays reports what the
/// same build of a session that never replays reports. Reverting brings back steps kept
/// two builds before, whose replay must leave the cache as a hit would (the next miss on
/// their parent is explained against the step used last).
#[test]
fn edit_sequences_report_as_without_replays() {
    let base = "FROM debian:bookworm-slim\nARG V=1\nENV A=one\nWORKDIR /app\nCOPY app.py .\nRUN echo one > /one\nRUN echo two > /two && cat /one\nUSER nobody\nRUN echo $A $V > /tmp/x\nFROM scratch AS out\nCOPY --from=0 /one /\n";
    let last = base.replace("RUN echo $A $V > /tmp/x", "RUN echo $A $V edited > /tmp/x");
    let env = base.replace("ENV A=one", "ENV A=two");
    let middle = base.replace("RUN echo two > /two", "RUN echo 2 > /two");
    let middle2 = base.replace("RUN echo two > /two", "RUN echo II > /two");
    let sequence = [base, base, &last, base, &middle, base, &middle2, &env, base, &last, &last, &middle];
    let context = BuildContext::new().with_text("app.py", "print(1)\n");
    let mut store = store();
    for builder in [Builder::BuildKit, Builder::Classic] {
        let mut replaying = Session::new();
        let mut reference = Session::new();
        reference.no_replay = true;
        let mut replayed = 0;
        for (n, text) in sequence.iter().enumerate() {
            let req = request(text, context.clone(), builder);
            let expected = build(&mut reference, &mut store, &req, NOW + n as i64);
            let got = build(&mut replaying, &mut store, &req, NOW + n as i64);
            assert_eq!(json(&got), json(&expected), "[{builder:?}] build {n}: {text}");
            replayed += replaying.replays();
            assert_eq!(reference.replays(), 0);
        }
        // 19 under BuildKit when this was written: each unchanged RUN before an edit.
        assert!(replayed >= 15, "[{builder:?}] {replayed} steps replayed");
    }
}

/// A new build arg reaches every step: nothing is replayed.
#[test]
fn a_new_build_arg_replays_nothing() {
    let text = "FROM debian:bookworm-slim\nARG V=1\nRUN echo one\nRUN echo $V\n";
    let mut store = store();
    let mut session = Session::new();
    let first = request(text, BuildContext::new(), Builder::BuildKit);
    build(&mut session, &mut store, &first, NOW);
    build(&mut session, &mut store, &first, NOW);
    build(&mut session, &mut store, &first, NOW);
    assert_eq!(session.replays(), 2);
    let mut with_arg = first.clone();
    with_arg.build_args.insert("V".into(), "2".into());
    let report = build(&mut session, &mut store, &with_arg, NOW);
    assert_eq!(session.replays(), 0);
    let cached = |text: &str| report.steps.iter().find(|s| s.instruction == text).map(|s| s.cached);
    // An ARG in scope is in every later RUN's environment, so all of them rerun.
    assert_eq!((cached("RUN echo one"), cached("RUN echo $V")), (Some(false), Some(false)));
}
