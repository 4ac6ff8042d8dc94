//! The classic builder's output (reference B4), as `docker build` prints it with
//! `DOCKER_BUILDKIT=0` (the deprecation banner is the CLI's, on stderr).

use std::fmt::Write;

use layerlab_image::identity::short_id;
use layerlab_image::units::human_size;

use crate::report::{Report, StepKind};
use crate::store::familiar;

/// The colour reset after a RUN's standard error (see the shell's `color_stderr`).
const RESET: &str = "\x1b[0m";

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    if report.steps.is_empty() && report.error.is_some() && report.classic_total == 0 {
        return error(out, report);
    }
    // The CLI redraws this progress line with carriage returns: it ends "\r\r\n".
    let _ = write!(out, "Sending build context to Docker daemon {:>8}\r\r\n", human_size(report.context.classic_bytes as f64));
    for (i, step) in report.steps.iter().enumerate() {
        let failed = report.error.as_ref().and_then(|e| e.step) == Some(i);
        let id = step.image_id.as_deref().map(short_id).unwrap_or("");
        // ONBUILD triggers run inside their FROM step: no Step line, and only the last
        // one prints the image ID.
        let next_is_trigger = report.steps.get(i + 1).is_some_and(|s| s.onbuild);
        let id_line = if next_is_trigger { String::new() } else { format!(" ---> {id}\n") };
        if !step.onbuild {
            let _ = writeln!(out, "Step {}/{} : {}", step.classic_number, report.classic_total, step.instruction.trim());
        }
        // An instruction that failed before any container ran: its error follows the Step line.
        if failed && step.container_id.is_none() {
            break;
        }
        if step.kind == StepKind::From {
            let triggers = report.steps[i + 1..].iter().take_while(|s| s.onbuild).count();
            match triggers {
                0 => out.push_str(&id_line),
                1 => out.push_str("# Executing 1 build trigger\n"),
                n => out.push_str(&format!("# Executing {n} build triggers\n")),
            }
            continue;
        }
        if step.cached && !failed {
            let _ = write!(out, " ---> Using cache\n{id_line}");
            continue;
        }
        let container = step.container_id.as_deref().map(|c| &c[..12.min(c.len())]).unwrap_or("");
        let runs_container = !matches!(step.instruction.split_whitespace().next().map(str::to_uppercase).as_deref(), Some("COPY" | "ADD"));
        if runs_container {
            let _ = writeln!(out, " ---> Running in {container}");
        }
        for (k, line) in step.output.iter().enumerate() {
            // Standard error ends with its colour reset, which the next line of the stream
            // follows directly (`ESC[0mThe command ...`).
            if line == RESET && k + 1 == step.output.len() {
                out.push_str(RESET);
            } else {
                let _ = writeln!(out, "{line}");
            }
        }
        if failed {
            break;
        }
        if runs_container {
            let _ = writeln!(out, " ---> Removed intermediate container {container}");
        }
        out.push_str(&id_line);
    }
    if report.error.is_some() {
        return error(out, report);
    }
    for warning in &report.warnings {
        let _ = writeln!(out, " ---> {warning}");
    }
    if let Some(id) = &report.image {
        let _ = writeln!(out, "Successfully built {}", short_id(id));
    }
    for tag in &report.tags {
        let (repo, tag) = familiar(tag);
        let _ = writeln!(out, "Successfully tagged {repo}:{tag}");
    }
    out
}

fn error(mut out: String, report: &Report) -> String {
    if let Some(e) = &report.error {
        let _ = writeln!(out, "{}", e.classic_message);
    }
    out
}
