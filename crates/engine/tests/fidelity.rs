//! The fidelity suite (tests/fidelity/): each Dockerfile's RUN layers against the sizes the
//! same RUN lines made in a chroot of the real debian:bookworm-slim (`measured.json`, from
//! `cargo xtask measure-fidelity`). Within 5 %, or 20 KB for small layers; a RUN that failed
//! for real fails here with the same exit code.

mod common;

use std::path::PathBuf;

use common::*;
use layerlab_engine::report::StepKind;
use layerlab_engine::{BuildContext, Builder, Session};
use serde::Deserialize;

#[derive(Deserialize)]
struct MeasuredFile {
    dockerfiles: std::collections::BTreeMap<String, Measured>,
}

#[derive(Deserialize)]
struct Measured {
    runs: Vec<MeasuredRun>,
}

#[derive(Deserialize)]
struct MeasuredRun {
    line: usize,
    exit_code: i32,
    size_bytes: u64,
}

fn suite() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fidelity"))
}

fn within_tolerance(simulated: u64, real: u64) -> bool {
    simulated.abs_diff(real) <= (real / 20).max(20_000)
}

#[test]
fn every_run_layer_is_within_5_percent_of_the_real_one() {
    let measured: MeasuredFile = serde_json::from_str(&std::fs::read_to_string(suite().join("measured.json")).unwrap()).unwrap();
    assert!(measured.dockerfiles.len() >= 12, "the suite has at least 12 Dockerfiles");
    let mut store = store();
    let mut failures = Vec::new();
    let mut table = String::new();
    for (name, real) in &measured.dockerfiles {
        let dockerfile = std::fs::read_to_string(suite().join(name)).unwrap();
        let report = build(&mut Session::new(), &mut store, &request(&dockerfile, BuildContext::new(), Builder::BuildKit), NOW);
        let runs: Vec<_> = report.steps.iter().filter(|s| s.kind == StepKind::Layer && s.instruction.starts_with("RUN")).collect();
        for run in &real.runs {
            let Some(step) = runs.iter().find(|s| s.line == run.line) else {
                failures.push(format!("{name}:{}: the simulator did not run this step ({:?})", run.line, report.error));
                continue;
            };
            let exit = step.exit_code.unwrap_or(0);
            table.push_str(&format!("{name}:{:<3} real {:>11} simulated {:>11} exit {}/{}\n", run.line, run.size_bytes, step.size_bytes, run.exit_code, exit));
            if exit != run.exit_code {
                failures.push(format!("{name}:{}: exit code {exit}, real {}: {:?}", run.line, run.exit_code, step.output.iter().rev().take(5).collect::<Vec<_>>()));
            } else if !within_tolerance(step.size_bytes, run.size_bytes) {
                failures.push(format!("{name}:{}: {} bytes, real {} ({:+.1} %)", run.line, step.size_bytes, run.size_bytes, (step.size_bytes as f64 / run.size_bytes.max(1) as f64 - 1.0) * 100.0));
            }
        }
    }
    println!("{table}");
    assert!(failures.is_empty(), "{}\n\n{table}", failures.join("\n"));
}
