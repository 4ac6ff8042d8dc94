//! The glob patterns of `${v#p}`, `${v%p}` and `${v/p/r}`: `*` and `?` with
//! `\*`, `\?` and `\\` as literals, no bracket classes. BuildKit turns the
//! glob into a Go regexp (`*` → `.*` or `.*?`, `?` → `.`) and takes the
//! leftmost-first match; this module finds the same match by backtracking
//! in the same priority order, without a regex engine in the bundle. Like
//! Go's `.`, neither wildcard matches a newline.

use std::collections::HashSet;

/// Glob matching work allowed per word: enough for any real pattern, small
/// enough that `${v//*a*a*a*a/}` on a long value cannot freeze the page.
const STEP_BUDGET: u64 = 2_000_000;

/// The longest value `${v//p/r}` may produce: each nested replace-all can
/// multiply the length, so a short hostile word could otherwise fill memory.
const MAX_VALUE_BYTES: usize = 1 << 20;

#[derive(Default)]
pub(super) struct Budget {
    spent: u64,
}

impl Budget {
    fn spend(&mut self) -> Result<(), String> {
        self.spent += 1;
        if self.spent > STEP_BUDGET {
            return Err("pattern too expensive to match".into());
        }
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Any,
}

/// A glob split at its stars: `segments[0]`, then `*`, `segments[1]`, ...
/// (a trailing star leaves an empty last segment).
struct Glob {
    segments: Vec<Vec<Tok>>,
}

fn compile(glob: &str) -> Result<Glob, String> {
    let mut segments = vec![Vec::new()];
    let mut chars = glob.chars().peekable();
    while let Some(c) = chars.next() {
        let tok = match c {
            '*' => {
                if !segments.last().is_some_and(Vec::is_empty) || segments.len() == 1 {
                    segments.push(Vec::new());
                }
                continue;
            }
            '?' => Tok::Any,
            // `\}` and `\/` were escaped for the `${}` syntax, not the glob.
            '\\' if matches!(chars.peek(), Some('}' | '/')) => continue,
            '\\' => match chars.next() {
                Some(lit @ ('*' | '?' | '\\')) => Tok::Lit(lit),
                other => return Err(format!("invalid escape '\\{}'", other.unwrap_or('\u{FFFD}'))),
            },
            lit => Tok::Lit(lit),
        };
        segments.last_mut().expect("never empty").push(tok);
    }
    Ok(Glob { segments })
}

/// The text being searched, with where each position's line ends (a
/// wildcard cannot cross a newline).
struct Text {
    chars: Vec<char>,
    line_end: Vec<usize>,
}

impl Text {
    fn new(s: &str) -> Self {
        let chars: Vec<char> = s.chars().collect();
        let mut line_end = vec![chars.len(); chars.len() + 1];
        for i in (0..chars.len()).rev() {
            line_end[i] = if chars[i] == '\n' { i } else { line_end[i + 1] };
        }
        Text { chars, line_end }
    }

    fn segment_at(&self, seg: &[Tok], at: usize) -> bool {
        let Some(window) = self.chars.get(at..at + seg.len()) else { return false };
        seg.iter().zip(window).all(|(tok, &c)| match tok {
            Tok::Lit(l) => *l == c,
            Tok::Any => c != '\n',
        })
    }

    fn slice(&self, from: usize, to: usize) -> String {
        self.chars[from..to].iter().collect()
    }
}

/// The end of the match that starts exactly at `start`, choosing star
/// lengths longest-first (`greedy`) or shortest-first, as a backtracking
/// regex engine would. States that failed once are not tried again.
fn match_at(glob: &Glob, text: &Text, start: usize, greedy: bool, budget: &mut Budget) -> Result<Option<usize>, String> {
    let segs = &glob.segments;
    if !text.segment_at(&segs[0], start) {
        return Ok(None);
    }
    let first_end = start + segs[0].len();
    if segs.len() == 1 {
        return Ok(Some(first_end));
    }
    let mut failed = HashSet::new();
    // (segment about to be placed, position after the star's start, next candidate)
    let mut stack = vec![(1usize, first_end, 0usize)];
    while let Some(top) = stack.last_mut() {
        let (seg, at, candidate) = *top;
        let longest = text.line_end[at] - at;
        if candidate > longest {
            failed.insert((seg, at));
            stack.pop();
            continue;
        }
        top.2 += 1;
        budget.spend()?;
        let star = if greedy { longest - candidate } else { candidate };
        if !text.segment_at(&segs[seg], at + star) {
            continue;
        }
        let end = at + star + segs[seg].len();
        if seg + 1 == segs.len() {
            return Ok(Some(end));
        }
        if !failed.contains(&(seg + 1, end)) {
            stack.push((seg + 1, end, 0));
        }
    }
    Ok(None)
}

/// The leftmost match at or after `from`: `(start, end)` in characters.
fn find(glob: &Glob, text: &Text, from: usize, budget: &mut Budget) -> Result<Option<(usize, usize)>, String> {
    for start in from..=text.chars.len() {
        budget.spend()?;
        if let Some(end) = match_at(glob, text, start, true, budget)? {
            return Ok(Some((start, end)));
        }
    }
    Ok(None)
}

/// `${v#glob}` (shortest) and `${v##glob}` (greedy).
pub(super) fn trim_prefix(glob: &str, value: &str, greedy: bool, budget: &mut Budget) -> Result<String, String> {
    if is_literal(glob) {
        return Ok(value.strip_prefix(glob).unwrap_or(value).to_string());
    }
    let compiled = compile(glob)?;
    let text = Text::new(value);
    Ok(match match_at(&compiled, &text, 0, greedy, budget)? {
        Some(end) => text.slice(end, text.chars.len()),
        None => value.to_string(),
    })
}

/// `${v%glob}` and `${v%%glob}`: the prefix trim on the reversed value with
/// the reversed glob (escape pairs kept in order), as BuildKit does it.
pub(super) fn trim_suffix(glob: &str, value: &str, greedy: bool, budget: &mut Budget) -> Result<String, String> {
    if is_literal(glob) {
        return Ok(value.strip_suffix(glob).unwrap_or(value).to_string());
    }
    let reversed: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reverse_glob(glob), &reversed, greedy, budget)?;
    Ok(trimmed.chars().rev().collect())
}

/// A glob without wildcards or escapes matches only itself (`${TARGETPLATFORM#linux/}`,
/// the common case): no need to compile it and match it character by character.
fn is_literal(glob: &str) -> bool {
    !glob.bytes().any(|b| matches!(b, b'*' | b'?' | b'\\'))
}

fn reverse_glob(glob: &str) -> String {
    let chars: Vec<char> = glob.chars().collect();
    let mut units: Vec<&[char]> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let width = if chars[i] == '\\' && i + 1 < chars.len() { 2 } else { 1 };
        units.push(&chars[i..i + width]);
        i += width;
    }
    units.iter().rev().flat_map(|u| u.iter()).collect()
}

/// `${v/glob/r}` replaces the first match with `r` as written;
/// `${v//glob/r}` replaces every match, and `r` is then a Go regexp
/// template (`$$` is `$`, `$0` the match, other `$name`s empty).
pub(super) fn replace(glob: &str, value: &str, replacement: &str, all: bool, budget: &mut Budget) -> Result<String, String> {
    let compiled = compile(glob)?;
    let text = Text::new(value);
    if !all {
        return Ok(match find(&compiled, &text, 0, budget)? {
            Some((s, e)) => format!("{}{replacement}{}", text.slice(0, s), text.slice(e, text.chars.len())),
            None => value.to_string(),
        });
    }
    let mut out = String::new();
    let (mut search, mut last_end) = (0, 0);
    while search <= text.chars.len() {
        let Some((s, e)) = find(&compiled, &text, search, budget)? else { break };
        out.push_str(&text.slice(last_end, s));
        // An empty match right after a match is not replaced again.
        if e > last_end || s == 0 {
            expand_template(&mut out, replacement, &text.slice(s, e));
        }
        if out.len() > MAX_VALUE_BYTES {
            return Err(format!("result longer than {MAX_VALUE_BYTES} bytes"));
        }
        last_end = e;
        search = if search + 1 > e { search + 1 } else { e };
    }
    out.push_str(&text.slice(last_end.min(text.chars.len()), text.chars.len()));
    Ok(out)
}

/// Go's `Regexp.Expand` for a pattern without groups.
fn expand_template(out: &mut String, template: &str, matched: &str) {
    let mut rest = template;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        rest = &rest[dollar + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        match template_name(rest) {
            Some((name, after)) => {
                if name == "0" {
                    out.push_str(matched);
                }
                rest = after;
            }
            None => out.push('$'),
        }
    }
    out.push_str(rest);
}

/// `name` or `{name}` at the start of `s`, and the text after it.
fn template_name(s: &str) -> Option<(&str, &str)> {
    let (braced, body) = match s.strip_prefix('{') {
        Some(body) => (true, body),
        None => (false, s),
    };
    let len = body
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
        .map_or(body.len(), |(i, _)| i);
    if len == 0 {
        return None;
    }
    let (name, after) = body.split_at(len);
    if !braced {
        return Some((name, after));
    }
    after.strip_prefix('}').map(|after| (name, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(glob: &str, value: &str, greedy: bool) -> String {
        trim_prefix(glob, value, greedy, &mut Budget::default()).unwrap()
    }

    fn suffix(glob: &str, value: &str, greedy: bool) -> String {
        trim_suffix(glob, value, greedy, &mut Budget::default()).unwrap()
    }

    fn rep(glob: &str, value: &str, r: &str, all: bool) -> String {
        replace(glob, value, r, all, &mut Budget::default()).unwrap()
    }

    #[test]
    fn trims_like_sh() {
        assert_eq!(prefix("*/", "/usr/local/bin", false), "usr/local/bin");
        assert_eq!(prefix("*/", "/usr/local/bin", true), "bin");
        assert_eq!(suffix(".*", "file.tar.gz", false), "file.tar");
        assert_eq!(suffix(".*", "file.tar.gz", true), "file");
        assert_eq!(prefix("x", "abc", false), "abc");
        assert_eq!(prefix("a?c", "abcd", false), "d");
        assert_eq!(prefix("\\*", "*x", false), "x");
        // Globs without wildcards take the short path: the same answers.
        assert_eq!(prefix("linux/", "linux/amd64", true), "amd64");
        assert_eq!(prefix("linux/amd64", "linux/arm64", false), "linux/arm64");
        assert_eq!(suffix("/amd64", "linux/amd64", false), "linux");
        assert_eq!(prefix("", "abc", true), "abc");
        assert_eq!(suffix("c\nd", "ab\nc\nd", true), "ab\n");
        assert_eq!(prefix("é", "été", false), "té");
    }

    #[test]
    fn replaces_first_or_all() {
        assert_eq!(rep("o", "foo boo", "0", false), "f0o boo");
        assert_eq!(rep("o", "foo boo", "0", true), "f00 b00");
        assert_eq!(rep("b*", "abcabc", "X", false), "aX");
        assert_eq!(rep("", "ab", "-", true), "-a-b-");
        assert_eq!(rep("b", "abab", "[$0$$]", true), "a[b$]a[b$]");
        assert_eq!(rep("b", "ab", "$x${y}z${", true), "az${");
    }

    #[test]
    fn wildcards_stop_at_newlines() {
        assert_eq!(prefix("a*", "ab\ncd", true), "\ncd");
        assert_eq!(prefix("a?c", "a\nc", false), "a\nc");
    }

    #[test]
    fn bad_escapes_and_budget() {
        assert_eq!(compile("a\\b").err().unwrap(), "invalid escape '\\b'");
        let big = "x".repeat(2000);
        let err = replace("", &big, &big, true, &mut Budget::default());
        assert_eq!(err.unwrap_err(), "result longer than 1048576 bytes");
        let long = "a".repeat(3000);
        let err = replace("*a*a*a*a*b", &long, "", true, &mut Budget::default());
        assert_eq!(err.unwrap_err(), "pattern too expensive to match");
    }
}
