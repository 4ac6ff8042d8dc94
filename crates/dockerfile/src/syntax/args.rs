//! Per-instruction argument splitting (BuildKit's line_parsers.go, A4/A5).
//! Spans produced here are offsets in the logical line.

use super::lines::{is_ascii_space, is_blank, trim_leading_space};
use crate::scan::{first_below_bang, first_not_plain};
use super::{Keyword, Span, Text, Word};
use std::ops::Range;

pub const NOT_STRING_ARRAY: &str = "when using JSON array syntax, arrays must be comprised of strings only";

/// The argument nodes of one instruction and whether they are exec form.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Args {
    pub words: Vec<Word>,
    pub json: bool,
}

/// Splits `rest` (the trimmed argument text, found at offset `at`) the way
/// the instruction `name` wants it. ONBUILD is handled by the caller.
pub fn parse_args(name: Option<Keyword>, rest: &str, at: usize, escape: char) -> Result<Args, String> {
    use Keyword::*;
    let Some(name) = name else {
        // Unknown instructions parse (BuildKit's parseIgnore leaves one empty
        // node); the instruction layer rejects them.
        return Ok(plain(vec![Word { value: Text::default(), span: Span::new(at, at) }]));
    };
    match name {
        Run | Cmd | Entrypoint | Shell => maybe_json(rest, at),
        Add | Copy | Volume => maybe_json_list(rest, at),
        From | Expose => Ok(plain(whitespace_split(rest, at))),
        Env => name_val(rest, at, escape, "ENV"),
        Label => name_val(rest, at, escape, "LABEL"),
        Arg => Ok(plain(words(rest, at, escape))),
        Healthcheck => health(rest, at),
        Maintainer | Stopsignal | User | Workdir => Ok(plain(whole(rest, at))),
        // The caller parses ONBUILD's instruction as a node of its own, never asking here.
        Onbuild => Ok(Args::default()),
    }
}

fn plain(words: Vec<Word>) -> Args {
    Args { words, json: false }
}

fn word(value: &str, start: usize) -> Word {
    Word { value: value.into(), span: Span::new(start, start + value.len()) }
}

fn whole(rest: &str, at: usize) -> Vec<Word> {
    if rest.is_empty() {
        return vec![];
    }
    vec![word(rest, at)]
}

/// `parseStringsWhitespaceDelimited`: split on runs of ASCII blanks (as bytes:
/// they never occur inside a multi-byte character).
fn whitespace_split(rest: &str, at: usize) -> Vec<Word> {
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(4);
    let mut i = 0;
    while i < bytes.len() {
        if is_blank(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        i = first_below_bang(&bytes[i..], is_blank).map_or(bytes.len(), |n| i + n);
        out.push(word(&rest[start..i], at + start));
    }
    out
}

fn maybe_json(rest: &str, at: usize) -> Result<Args, String> {
    if rest.is_empty() {
        return Ok(Args::default());
    }
    match json_array(rest, at) {
        Json::Array(words) => Ok(Args { words, json: true }),
        Json::NotStrings => Err(NOT_STRING_ARRAY.into()),
        Json::Invalid => Ok(plain(whole(rest, at))),
    }
}

fn maybe_json_list(rest: &str, at: usize) -> Result<Args, String> {
    match json_array(rest, at) {
        Json::Array(words) => Ok(Args { words, json: true }),
        Json::NotStrings => Err(NOT_STRING_ARRAY.into()),
        Json::Invalid => Ok(plain(whitespace_split(rest, at))),
    }
}

enum Json {
    Array(Vec<Word>),
    NotStrings,
    Invalid,
}

/// `parseJSON`: a JSON array of strings, anything else invalid (falls back
/// to shell form), except a valid array holding a non-string (hard error).
fn json_array(rest: &str, at: usize) -> Json {
    let trimmed = trim_leading_space(rest);
    if !trimmed.starts_with('[') {
        return Json::Invalid;
    }
    let Ok(values) = serde_json::from_str::<Vec<serde_json::Value>>(trimmed) else {
        return Json::Invalid;
    };
    let base = at + (rest.len() - trimmed.len());
    let spans = string_literal_spans(trimmed);
    let mut words = Vec::with_capacity(values.len());
    for (i, v) in values.into_iter().enumerate() {
        let serde_json::Value::String(s) = v else {
            return Json::NotStrings;
        };
        let span = spans.get(i).map_or(Span::new(base, base + trimmed.len()), |&(s, e)| Span::new(base + s, base + e));
        words.push(Word { value: s.into(), span });
    }
    Json::Array(words)
}

/// Start and end (quotes included) of each top-level string in a valid JSON array.
fn string_literal_spans(json: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut depth = 0usize;
    let mut iter = json.char_indices();
    while let Some((i, c)) = iter.next() {
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            '"' => {
                let mut end = json.len();
                while let Some((j, d)) = iter.next() {
                    if d == '\\' {
                        iter.next();
                    } else if d == '"' {
                        end = j + 1;
                        break;
                    }
                }
                if depth == 1 {
                    spans.push((i, end));
                }
            }
            _ => {}
        }
    }
    spans
}

/// `parseHealthConfig`: the type word, then the command like CMD.
fn health(rest: &str, at: usize) -> Result<Args, String> {
    let sep = rest.find(char::is_whitespace).unwrap_or(rest.len());
    if sep == 0 {
        return Ok(Args::default());
    }
    let after = &rest[sep..];
    let next = sep + (after.len() - after.trim_start().len());
    let mut cmd = maybe_json(&rest[next..], at + next)?;
    cmd.words.insert(0, word(&rest[..sep], at));
    Ok(cmd)
}

/// `parseWords`: words split on whitespace outside quotes, quotes and
/// escapes kept as typed (they are removed later, by expansion). The only
/// change to the text: an escape token at the very end is dropped.
pub fn words(rest: &str, at: usize, escape: char) -> Vec<Word> {
    // Made to size for the usual one or two words (`ARG NAME`): a vector grown from
    // empty takes the slow path of its first growth on every instruction.
    let mut out = Vec::with_capacity(2);
    let mut pos = 0;
    loop {
        pos = rest.len() - trim_leading_space(&rest[pos..]).len();
        if pos >= rest.len() {
            return out;
        }
        let (len, dangling_escape) = word_end(&rest[pos..], escape);
        let raw = &rest[pos..pos + len];
        let value = if dangling_escape { &raw[..raw.len() - escape.len_utf8()] } else { raw };
        out.push(Word { value: value.into(), span: Span::new(at + pos, at + pos + len) });
        pos += len;
    }
}

/// Length of the word at the start of `s`, and whether it ends with an
/// escape token that has nothing left to escape. Quotes and the escape token are
/// ASCII, so the scan is on bytes; only a non-ASCII character is decoded (it may be
/// whitespace).
fn word_end(s: &str, escape: char) -> (usize, bool) {
    let bytes = s.as_bytes();
    let escape = escape as u8; // `\` or `` ` ``: the escape directive allows nothing else
    // Up to the first byte that is not plain ASCII nothing is quoted: most words end there.
    let mut i = match first_not_plain(bytes, escape) {
        None => return (s.len(), false),
        Some(i) if is_ascii_space(bytes[i]) => return (i, false),
        Some(i) => i,
    };
    let mut quote = 0u8;
    while let Some(&b) = bytes.get(i) {
        if b >= 0x80 {
            let c = s[i..].chars().next().unwrap_or(' ');
            if quote == 0 && c.is_whitespace() {
                return (i, false);
            }
            i += c.len_utf8();
            continue;
        }
        match quote {
            0 if is_ascii_space(b) => return (i, false),
            0 if b == b'\'' || b == b'"' => quote = b,
            q if b == q => quote = 0,
            b'\'' => {}
            // The escape takes the next character with it; at the end it escapes nothing.
            _ if b == escape => match s[i + 1..].chars().next() {
                Some(next) => i += next.len_utf8(),
                None => return (s.len(), true),
            },
            _ => {}
        }
        i += 1;
    }
    (s.len(), false)
}

/// `parseNameVal`: `k=v k2=v2` or the legacy `k v` form, as key/value/sep triples.
fn name_val(rest: &str, at: usize, escape: char, key: &str) -> Result<Args, String> {
    let ws = words(rest, at, escape);
    let Some(first) = ws.first() else {
        return Ok(Args::default());
    };
    if !first.value.bytes().any(|b| b == b'=') {
        let Some(split) = rest.bytes().position(is_blank) else {
            return Err(format!("{key} must have two arguments"));
        };
        let value_at = split + rest.as_bytes()[split..].iter().take_while(|&&b| is_blank(b)).count();
        let value = &rest[value_at..];
        return Ok(plain(vec![
            word(&rest[..split], at),
            word(value, at + value_at),
            Word { value: Text::default(), span: Span::new(at + rest.len(), at + rest.len()) },
        ]));
    }
    let mut out = Vec::with_capacity(ws.len() * 3);
    for w in ws {
        let Some(eq) = w.value.bytes().position(|b| b == b'=') else {
            return Err(format!(
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                super::quote::go_quote(&w.value)
            ));
        };
        let Range { start: s, end } = w.span.range();
        out.push(word(&w.value[..eq], s));
        out.push(Word { value: w.value[eq + 1..].into(), span: Span::new(s + eq + 1, end) });
        out.push(Word { value: "=".into(), span: Span::new(s + eq, s + eq + 1) });
    }
    Ok(plain(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(a: &Args) -> Vec<&str> {
        a.words.iter().map(|w| w.value.as_str()).collect()
    }

    #[test]
    fn parse_words_keeps_quotes_and_escapes() {
        let w = words(r#"abc="123 456" def a\ b 'x y'"#, 0, '\\');
        let v: Vec<_> = w.iter().map(|w| w.value.as_str()).collect();
        assert_eq!(v, vec![r#"abc="123 456""#, "def", r"a\ b", "'x y'"]);
        assert_eq!(w[0].span, Span::new(0, 13));
    }

    #[test]
    fn env_forms() {
        let a = parse_args(Keyword::of("env"), "ONE TWO= THREE=world", 0, '\\').unwrap();
        assert_eq!(vals(&a), vec!["ONE", "TWO= THREE=world", ""]);
        let a = parse_args(Keyword::of("env"), "a=b c=\"d e\"", 4, '\\').unwrap();
        assert_eq!(vals(&a), vec!["a", "b", "=", "c", "\"d e\"", "="]);
        assert_eq!(a.words[4].span, Span::new(10, 15));
        assert_eq!(parse_args(Keyword::of("env"), "PATH", 0, '\\').unwrap_err(), "ENV must have two arguments");
        assert_eq!(
            parse_args(Keyword::of("label"), "a=b c", 0, '\\').unwrap_err(),
            "Syntax error - can't find = in \"c\". Must be of the form: name=value"
        );
    }

    #[test]
    fn json_and_shell_forms() {
        let a = parse_args(Keyword::of("cmd"), r#"["a", "b c"]"#, 10, '\\').unwrap();
        assert!(a.json);
        assert_eq!(vals(&a), vec!["a", "b c"]);
        assert_eq!(a.words[1].span, Span::new(16, 21));
        let a = parse_args(Keyword::of("cmd"), "['a']", 0, '\\').unwrap();
        assert!(!a.json);
        assert_eq!(vals(&a), vec!["['a']"]);
        assert_eq!(parse_args(Keyword::of("cmd"), r#"["a", 1]"#, 0, '\\').unwrap_err(), NOT_STRING_ARRAY);
        let a = parse_args(Keyword::of("copy"), "a  b\tc", 0, '\\').unwrap();
        assert_eq!(vals(&a), vec!["a", "b", "c"]);
        assert_eq!(a.words[1].span, Span::new(3, 4));
        let a = parse_args(Keyword::of("healthcheck"), "CMD curl x", 0, '\\').unwrap();
        assert_eq!(vals(&a), vec!["CMD", "curl x"]);
    }
}
