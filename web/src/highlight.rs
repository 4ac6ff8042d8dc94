//! Colouring of one editor line: comments, instruction keywords, flags, variables, strings.
//!
//! This is presentation only: it decides colours, never meaning. Errors and positions come
//! from the parser (see `status.rs`).

use yew::prelude::*;

const INSTRUCTIONS: &[&str] = &[
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
    "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
];

pub fn highlight_line(line: &str) -> Html {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    if trimmed.starts_with('#') {
        return html! { <><span>{ indent }</span><span class="tok-comment">{ trimmed }</span></> };
    }
    let (first, rest) = split_first_word(trimmed);
    let keyword = INSTRUCTIONS.iter().any(|k| k.eq_ignore_ascii_case(first));
    let head = if keyword {
        html! { <span class="tok-keyword">{ first }</span> }
    } else {
        html! { <span>{ first }</span> }
    };
    html! { <><span>{ indent }</span>{ head }{ for words(rest) }</> }
}

fn split_first_word(s: &str) -> (&str, &str) {
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    s.split_at(end)
}

/// Splits the rest of the line into whitespace and words, colouring each word by its look.
fn words(rest: &str) -> impl Iterator<Item = Html> + '_ {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut in_space = true;
    for (i, c) in rest.char_indices() {
        if c.is_whitespace() != in_space && i > start {
            pieces.push(&rest[start..i]);
            start = i;
        }
        in_space = c.is_whitespace();
    }
    if start < rest.len() {
        pieces.push(&rest[start..]);
    }
    pieces.into_iter().map(word)
}

fn word(w: &str) -> Html {
    let class = if w.starts_with("--") {
        "tok-flag"
    } else if w.starts_with('"') || w.starts_with('\'') || w.starts_with('[') {
        "tok-string"
    } else if w.contains('$') {
        "tok-variable"
    } else {
        ""
    };
    html! { <span class={class}>{ w }</span> }
}
