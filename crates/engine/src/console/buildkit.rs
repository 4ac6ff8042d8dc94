//! BuildKit's `--progress=plain` output (reference B5).

use std::fmt::Write;

use layerlab_dockerfile::checks::console::excerpt;

use crate::report::{Report, Step, StepKind};

/// Modelled time of `[internal] load metadata for ...` (a registry round trip).
const METADATA_SECONDS: f64 = 0.5;

struct Printer {
    out: String,
    next: usize,
}

impl Printer {
    fn vertex(&mut self, name: &str) -> usize {
        let n = self.next;
        self.next += 1;
        let _ = writeln!(self.out, "#{n} {name}");
        n
    }

    fn line(&mut self, n: usize, text: &str) {
        let _ = writeln!(self.out, "#{n} {text}");
    }

    fn end(&mut self, n: usize, text: &str) {
        let _ = writeln!(self.out, "#{n} {text}\n");
    }
}

pub fn render(report: &Report, dockerfile: &str, dockerfile_name: &str) -> String {
    let mut p = Printer { out: "#0 building with \"default\" instance using docker driver\n\n".into(), next: 1 };
    let n = p.vertex(&format!("[internal] load build definition from {dockerfile_name}"));
    p.line(n, &format!("transferring dockerfile: {} done", bytes(report.context.dockerfile_bytes)));
    p.end(n, "DONE 0.0s");
    for image in &report.images {
        let n = p.vertex(&format!("[internal] load metadata for {}", image.split('@').next().unwrap_or(image)));
        p.end(n, &format!("DONE {METADATA_SECONDS:.1}s"));
    }
    let n = p.vertex("[internal] load .dockerignore");
    p.line(n, &format!("transferring context: {} done", bytes(report.context.dockerignore_bytes.unwrap_or(2))));
    p.end(n, "DONE 0.0s");
    if report.context.used {
        let n = p.vertex("[internal] load build context");
        p.line(n, &format!("transferring context: {} done", bytes(report.context.transferred_bytes)));
        p.end(n, "DONE 0.0s");
    }
    let mut failed = None;
    let mut shown = std::collections::HashSet::new();
    for (i, step) in report.steps.iter().enumerate() {
        let Some(name) = vertex_name(report, step) else { continue };
        // The solver runs and shows a vertex once, under the first stage's name here
        // (BuildKit's own choice follows its graph walk).
        if step.vertex.as_ref().is_some_and(|v| !shown.insert(v)) {
            continue;
        }
        let n = p.vertex(&name);
        let is_failure = report.error.as_ref().and_then(|e| e.step) == Some(i);
        step_body(&mut p, n, step, is_failure, report);
        if is_failure {
            failed = Some((name, step));
        }
    }
    match &report.error {
        None => export(&mut p, report),
        Some(error) => {
            if let Some((name, step)) = failed {
                let _ = writeln!(p.out, "------\n > {name}:");
                let start = step.output.len().saturating_sub(6);
                for (k, line) in step.output.iter().enumerate().skip(start) {
                    let _ = writeln!(p.out, "{} {line}", log_time(step, k));
                }
                p.out.push_str("------\n");
            }
            if let Some((start, end)) = error.lines {
                excerpt(&mut p.out, dockerfile_name, dockerfile, start, end);
            }
            let _ = writeln!(p.out, "ERROR: failed to solve: {}", error.message);
        }
    }
    warnings(&mut p.out, report);
    p.out
}

/// `[stage 2/5] RUN ...`; `None` for steps BuildKit shows no vertex for.
fn vertex_name(report: &Report, step: &Step) -> Option<String> {
    let number = step.number?;
    if step.kind == StepKind::Config {
        return None;
    }
    let width = step.total.to_string().len();
    let stage = if report.stages > 1 { format!("{} ", step.stage) } else { String::new() };
    Some(format!("[{stage}{number:>width$}/{}] {}", step.total, step.name))
}

fn step_body(p: &mut Printer, n: usize, step: &Step, failed: bool, report: &Report) {
    if step.kind == StepKind::From {
        let reference = step.name.trim_start_matches("FROM ");
        p.line(n, &format!("resolve {reference} done"));
    }
    if step.cached && !failed {
        p.end(n, "CACHED");
        return;
    }
    for (k, line) in step.output.iter().enumerate() {
        p.line(n, &format!("{} {line}", log_time(step, k)));
    }
    match (failed, &report.error) {
        (true, Some(error)) => p.end(n, &format!("ERROR: {}", error.message)),
        _ => p.end(n, &format!("DONE {:.1}s", step.seconds)),
    }
}

/// A log line's time since the vertex started: the output spread over the step's time.
fn log_time(step: &Step, k: usize) -> String {
    let lines = step.output.len().max(1) as f64;
    let t = 0.05 + step.seconds_uncached * (k as f64 + 0.5) / lines;
    match t {
        t if t < 10.0 => format!("{t:.3}"),
        t if t < 100.0 => format!("{t:.2}"),
        t => format!("{t:.1}"),
    }
}

fn export(p: &mut Printer, report: &Report) {
    let Some(id) = &report.image else { return };
    let n = p.vertex("exporting to image");
    let new_bytes: u64 = report.steps.iter().filter(|s| !s.cached).map(|s| s.size_bytes).sum();
    // Layers are compressed and written at a modelled 100 MB/s.
    let secs = new_bytes as f64 / 100e6;
    if secs > 0.01 {
        p.line(n, &format!("exporting layers {secs:.1}s done"));
    } else {
        p.line(n, "exporting layers done");
    }
    p.line(n, &format!("writing image {id} done"));
    for tag in &report.tags {
        p.line(n, &format!("naming to {tag} done"));
    }
    p.end(n, &format!("DONE {secs:.1}s"));
}

/// Build-check warnings, as buildx prints them after the build.
fn warnings(out: &mut String, report: &Report) {
    let found: Vec<_> = report.checks.iter().filter(|c| c.buildkit).collect();
    if found.is_empty() {
        return;
    }
    let s = if found.len() == 1 { "" } else { "s" };
    let _ = writeln!(out, "\n {} warning{s} found (use docker --debug to expand):", found.len());
    for f in found {
        let _ = writeln!(out, " - {}: {} (line {})", f.rule, f.message, f.line);
    }
}

/// The final frame of `--progress=tty` (what stays on the terminal): the header, then per
/// vertex ` => [CACHED ]name` with its time at column 80, and its status lines as ` => => `.
pub fn render_tty(report: &Report) -> String {
    let plain = render(report, "", "Dockerfile");
    let mut rows: Vec<(String, Option<f64>)> = Vec::new();
    let mut current: Option<usize> = None;
    for line in plain.lines() {
        let Some((num, text)) = line.strip_prefix('#').and_then(|l| l.split_once(' ')) else { continue };
        if num == "0" {
            continue;
        }
        let n: usize = num.parse().unwrap_or(0);
        if current != Some(n) {
            current = Some(n);
            rows.push((text.to_string(), Some(0.0)));
        } else if text == "CACHED" {
            if let Some(row) = rows.iter_mut().rev().find(|r| r.1.is_some()) {
                row.0 = format!("CACHED {}", row.0);
            }
        } else if let Some(secs) = text.strip_prefix("DONE ").and_then(|t| t.trim_end_matches('s').parse().ok()) {
            if let Some(row) = rows.iter_mut().rev().find(|r| r.1.is_some()) {
                row.1 = Some(secs);
            }
        } else if let Some(status) = text.strip_suffix(" done") {
            rows.push((format!("=> {status}"), None));
        } else if text.starts_with("ERROR: ") {
            if let Some(row) = rows.iter_mut().rev().find(|r| r.1.is_some()) {
                row.0 = format!("ERROR {}", row.0);
            }
        }
    }
    let vertices = rows.iter().filter(|r| r.1.is_some()).count();
    let state = if report.error.is_some() { "FINISHED with errors" } else { "FINISHED" };
    let mut out = format!("[+] Building {:.1}s ({vertices}/{vertices}) {state}\n", report.seconds);
    for (text, secs) in rows {
        let time = format!("{:.1}s", secs.unwrap_or(0.0));
        let mut name: String = format!(" => {text}");
        let room = 80usize.saturating_sub(time.len() + 1);
        if name.chars().count() > room {
            name = name.chars().take(room.saturating_sub(1)).collect::<String>() + "…";
        }
        let pad = 80usize.saturating_sub(name.chars().count() + time.len());
        let _ = writeln!(out, "{name}{}{time}", " ".repeat(pad.max(1)));
    }
    if let Some(error) = &report.error {
        let _ = writeln!(out, "ERROR: failed to solve: {}", error.message);
    }
    out
}

/// BuildKit's progress sizes: decimal units with two decimals, whole bytes as `125B`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if n < 1000 {
        return format!("{n}B");
    }
    let mut value = n as f64;
    let mut unit = 0;
    value /= 1000.0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.2}{}", UNITS[unit])
}
