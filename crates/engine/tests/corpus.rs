//! The 43 real-world Dockerfiles of ../shared/corpus/real-dockerfiles/: each builds to an
//! image or stops with a message (Docker's, or a `layerlab:` one naming what is not
//! modelled); none panics or hangs. The outcome of each is printed.

mod common;

use common::*;
use layerlab_engine::{BuildContext, Builder, Session};

fn corpus() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/real-dockerfiles");
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("Dockerfile"))
        .map(|n| {
            let text = String::from_utf8_lossy(&std::fs::read(format!("{dir}/{n}")).unwrap()).into_owned();
            (n, text)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_real_dockerfile_builds_or_stops_with_a_message() {
    let files = corpus();
    assert_eq!(files.len(), 43);
    let mut store = store();
    for (name, text) in &files {
        for builder in [Builder::BuildKit, Builder::Classic] {
            let mut session = Session::new();
            let req = request(text, BuildContext::new(), builder);
            let report = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build(&mut session, &mut store, &req, NOW)))
                .unwrap_or_else(|_| panic!("{name}: the engine panicked"));
            let outcome = match (&report.image, &report.error) {
                (Some(id), None) => format!("image {}", &id[7..19]),
                (None, Some(e)) if !e.message.trim().is_empty() => format!("stopped: {}", e.message.lines().next().unwrap_or("")),
                other => panic!("{name}: neither an image nor an error: {other:?}"),
            };
            println!("{name} [{builder:?}] {} steps: {outcome}", report.steps.len());
        }
    }
}
