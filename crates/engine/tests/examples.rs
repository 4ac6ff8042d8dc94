//! The page's examples (static/examples/) build: each lesson succeeds under both builders;
//! the course's Flask example stops where Docker stops it (`apt-get install python`), and its
//! python:3.6.1-alpine one builds on the nearest modelled python image (python:3.12-alpine),
//! with a note.

mod common;

use std::path::PathBuf;

use common::*;
use layerlab_engine::{BuildContext, Builder, Session};

fn examples() -> Vec<(String, BuildContext)> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../static/examples"));
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let mut context = BuildContext::new();
        for file in std::fs::read_dir(entry.path()).unwrap().flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            if name != "SOURCE.md" {
                context.insert(&name, &std::fs::read(file.path()).unwrap(), 0o644, 0);
            }
        }
        found.push((entry.file_name().to_string_lossy().into_owned(), context));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[test]
fn every_lesson_builds_and_the_course_examples_stop_with_a_message() {
    let mut store = store();
    let all = examples();
    assert_eq!(all.len(), 12);
    for builder in [Builder::BuildKit, Builder::Classic] {
        for (name, context) in &all {
            let dockerfile = String::from_utf8_lossy(&context.files["Dockerfile"].bytes).into_owned();
            let report = build(&mut Session::new(), &mut store, &request(&dockerfile, context.clone(), builder), NOW);
            match name.as_str() {
                "flask" => assert_eq!(report.error.unwrap().lines, Some((4, 4)), "apt-get install python"),
                "python-alpine" => {
                    // python:3.6.1-alpine is not modelled: the nearest Alpine python image builds it, with a note.
                    assert!(report.error.is_none(), "{:?}", report.error);
                    assert_eq!(report.notes, ["python:3.6.1-alpine is not modelled; Layerlab uses python:3.12-alpine, the nearest modelled tag of python"]);
                    let pip = report.steps.iter().find(|s| s.instruction == "RUN pip install flask").unwrap();
                    assert!(pip.output.iter().any(|l| l.contains("layerlab: this image's C library is musl, so pip would install musllinux wheels")), "{:?}", pip.output);
                }
                // The legacy builder refuses RUN flags (reference A3).
                "cache-mount" if builder == Builder::Classic => {
                    let e = report.error.unwrap();
                    assert!(e.classic_message.starts_with("the --mount option requires BuildKit."), "{e:?}");
                }
                _ => assert!(report.error.is_none(), "{name} ({builder:?}): {:?}", report.error),
            }
        }
    }
}
