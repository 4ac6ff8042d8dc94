//! POSIX regular expressions (basic, as grep and sed read them by default, and extended
//! with `-E`) translated to regex-lite's syntax.

use regex_lite::{Regex, RegexBuilder};

/// Compiles a BRE (`extended == false`) or ERE, or gives the reason it is invalid.
pub fn compile(pattern: &str, extended: bool, ignore_case: bool) -> Result<Regex, String> {
    let translated = translate(pattern, extended);
    RegexBuilder::new(&translated).case_insensitive(ignore_case).build().map_err(|e| e.to_string())
}

fn translate(pattern: &str, extended: bool) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    // Where a `*` is literal: at the start, after `(` or `|`, after `^`.
    let mut at_start = true;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        let was_start = at_start;
        at_start = false;
        match c {
            '\\' if i < chars.len() => {
                let next = chars[i];
                i += 1;
                match next {
                    '(' | ')' | '{' | '}' | '|' | '+' | '?' if !extended => {
                        out.push(next);
                        at_start = matches!(next, '(' | '|');
                    }
                    '<' | '>' => out.push_str("\\b"),
                    'w' | 'W' | 's' | 'S' | 'b' | 'B' => {
                        out.push('\\');
                        out.push(next);
                    }
                    'n' => out.push_str("\\n"),
                    't' => out.push_str("\\t"),
                    d if d.is_ascii_digit() => {
                        // Back-references are not supported by the engine: match literally.
                        out.push_str(&regex_lite::escape(&d.to_string()));
                    }
                    other => out.push_str(&regex_lite::escape(&other.to_string())),
                }
            }
            '[' => i = bracket(&chars, i, &mut out),
            '*' if was_start => out.push_str("\\*"),
            '(' | ')' | '{' | '}' | '|' | '+' | '?' if !extended => {
                out.push('\\');
                out.push(c);
            }
            '(' | '|' if extended => {
                out.push(c);
                at_start = true;
            }
            '^' => {
                out.push('^');
                at_start = true;
            }
            c => out.push(c),
        }
    }
    out
}

/// Copies a bracket expression starting after `[`; returns the index after its `]`.
fn bracket(chars: &[char], start: usize, out: &mut String) -> usize {
    let mark = out.len();
    let mut i = start;
    out.push('[');
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    while i < chars.len() {
        let c = chars[i];
        if c == ']' && !first {
            out.push(']');
            return i + 1;
        }
        first = false;
        if c == '[' && matches!(chars.get(i + 1), Some(':' | '.' | '=')) {
            let kind = chars[i + 1];
            if let Some(end) = (i + 2..chars.len().saturating_sub(1)).find(|&j| chars[j] == kind && chars[j + 1] == ']') {
                out.extend(&chars[i..end + 2]);
                i = end + 2;
                continue;
            }
        }
        if matches!(c, '[' | '\\' | ']' | '&' | '~' | '-') && !(c == '-' && i > 0 && chars[i - 1] != '[' && chars.get(i + 1) != Some(&']')) {
            out.push('\\');
        }
        out.push(c);
        i += 1;
    }
    // No closing bracket: the `[` was literal.
    out.truncate(mark);
    out.push_str("\\[");
    start
}
