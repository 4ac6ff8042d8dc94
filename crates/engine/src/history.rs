//! What `docker history` shows as CREATED BY for each instruction (reference C1): the
//! text both builders share (`ENV A=1`, `CMD ["a" "b"]`) and each builder's wrapping.

use layerlab_image::config::HistoryEntry;

use crate::request::Builder;

pub const BUILDKIT_COMMENT: &str = "buildkit.dockerfile.v0";

/// Go's `%q` of a string slice: `["a" "b"]`.
pub fn go_quoted_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| go_quote(s)).collect();
    format!("[{}]", quoted.join(" "))
}

/// Go's `%v` of a string slice: `[/bin/bash -c]`.
pub fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// Go's `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The `|N K=v ` prefix of a RUN with build args in scope.
pub fn args_prefix(args: &[(String, String)]) -> String {
    if args.is_empty() {
        return String::new();
    }
    let pairs: Vec<String> = args.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("|{} {} ", args.len(), pairs.join(" "))
}

/// A metadata instruction's entry (`text` is `ENV A=1`, `USER app`...). The legacy
/// builder records the container command it committed: the stage's SHELL, `#(nop) `, text.
pub fn metadata(builder: Builder, shell: &str, text: &str, created: &str) -> HistoryEntry {
    match builder {
        Builder::BuildKit => entry(text.to_string(), created, true, BUILDKIT_COMMENT),
        Builder::Classic => entry(format!("{shell} #(nop)  {text}"), created, true, ""),
    }
}

/// A RUN's entry; `argv` is the shell plus the command (or the exec-form words).
pub fn run(builder: Builder, args: &[(String, String)], argv: &[String], created: &str, empty: bool) -> HistoryEntry {
    let command = format!("{}{}", args_prefix(args), argv.join(" "));
    match builder {
        Builder::BuildKit => entry(format!("RUN {command} # buildkit"), created, false, BUILDKIT_COMMENT),
        Builder::Classic => entry(command, created, empty, ""),
    }
}

/// COPY/ADD: BuildKit shows the instruction's words, the classic builder the source hash.
pub fn copy(builder: Builder, shell: &str, buildkit_text: &str, classic_text: &str, created: &str, empty: bool) -> HistoryEntry {
    match builder {
        Builder::BuildKit => entry(format!("{buildkit_text} # buildkit"), created, false, BUILDKIT_COMMENT),
        Builder::Classic => entry(format!("{shell} #(nop) {classic_text} "), created, empty, ""),
    }
}

pub fn workdir(builder: Builder, shell: &str, path: &str, created: &str, empty: bool) -> HistoryEntry {
    match builder {
        Builder::BuildKit => entry(format!("WORKDIR {path}"), created, false, BUILDKIT_COMMENT),
        Builder::Classic => entry(format!("{shell} #(nop) WORKDIR {path}"), created, empty, ""),
    }
}

fn entry(created_by: String, created: &str, empty_layer: bool, comment: &str) -> HistoryEntry {
    HistoryEntry { created: created.into(), created_by, comment: comment.into(), empty_layer }
}

/// RFC 3339 in UTC, as image configs write times.
pub fn rfc3339(epoch: i64) -> String {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (y, m, d) = layerlab_shell::commands::calendar::civil(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
}
