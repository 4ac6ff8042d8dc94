//! The text `docker build --check` prints for a report: a summary line,
//! then per finding `WARN: <Rule> - <url>`, the message and the source
//! excerpt BuildKit prints around the lines it refers to.

use super::{CheckReport, Finding, Origin};
use std::fmt::Write;

/// The whole `--check` output for `source` (shown as `filename`).
pub fn render(report: &CheckReport, filename: &str, source: &str) -> String {
    let mut out = String::new();
    let warnings = report.findings.iter().filter(|f| f.rule.origin == Origin::BuildKit).count();
    match warnings {
        0 => out.push_str("Check complete, no warnings found.\n"),
        1 => out.push_str("Check complete, 1 warning has been found!\n"),
        n => {
            let _ = writeln!(out, "Check complete, {n} warnings have been found!");
        }
    }
    let tips = report.findings.len() - warnings;
    if tips > 0 {
        let _ = writeln!(out, "Layerlab adds {tips} teaching tip{}.", if tips == 1 { "" } else { "s" });
    }
    // Split once: a long file can have thousands of findings.
    let lines: Vec<&str> = source.split('\n').collect();
    for finding in &report.findings {
        warning(&mut out, finding, filename, &lines);
    }
    if let Some(error) = &report.error {
        let _ = writeln!(out, "ERROR: {error}");
    }
    out
}

fn warning(out: &mut String, finding: &Finding, filename: &str, lines: &[&str]) {
    let label = match finding.rule.origin {
        Origin::BuildKit => "WARN",
        Origin::Teaching => "TIP",
    };
    let _ = write!(out, "\n{label}: {}", finding.rule.name);
    if let Some(url) = finding.rule.url {
        let _ = write!(out, " - {url}");
    }
    let _ = writeln!(out, "\n{}", finding.message);
    excerpt_lines(out, filename, lines, finding.start_line, finding.end_line);
}

/// BuildKit's source excerpt: two lines of context each side of a one-line
/// range (one for longer ranges), `>>>` on the lines in the range.
pub fn excerpt(out: &mut String, filename: &str, source: &str, start: usize, end: usize) {
    let lines: Vec<&str> = source.split('\n').collect();
    excerpt_lines(out, filename, &lines, start, end);
}

/// [`excerpt`] from the source already split into lines.
fn excerpt_lines(out: &mut String, filename: &str, lines: &[&str], start: usize, end: usize) {
    if start < 1 || start > lines.len() {
        return;
    }
    let (mut first, mut last) = (start, end.min(lines.len()));
    let pad = if last == first { 4 } else { 2 };
    let mut p = 0;
    while p < pad {
        if first > 1 {
            first -= 1;
            p += 1;
        }
        if last != lines.len() {
            last += 1;
            p += 1;
        }
        p += 1;
    }
    let _ = writeln!(out, "{filename}:{start}\n--------------------");
    for n in first..=last {
        let marker = if n >= start && n <= end { ">>>" } else { "   " };
        let _ = writeln!(out, " {n:>3} | {marker} {}", lines[n - 1].trim_end_matches('\r'));
    }
    out.push_str("--------------------\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_matches_buildkit_window() {
        let mut out = String::new();
        excerpt(&mut out, "Dockerfile", "FROM alpine\nRUN false\n", 2, 2);
        assert_eq!(
            out,
            "Dockerfile:2\n--------------------\n   1 |     FROM alpine\n   2 | >>> RUN false\n   3 |     \n--------------------\n"
        );
    }
}
