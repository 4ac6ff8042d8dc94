//! Splitting an instruction line into its keyword, flags and argument text
//! (BuildKit's `splitCommand` / `extractBuilderFlags`, A3).

use crate::scan::first_not_plain;
use super::lines::{is_ascii_space, is_blank, trim_leading_space, trim_trailing_space};
use super::{Span, Text, Word};

/// The three parts of a logical line. Spans are offsets in that line.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub keyword: Word,
    pub flags: Vec<Word>,
    /// The argument text (trimmed) and where it starts.
    pub args: &'a str,
    pub args_at: usize,
}

/// `splitCommand`: the first whitespace-separated word is the keyword; flags
/// are taken from the start of the rest.
pub fn split_command(line: &str) -> Split<'_> {
    let from_keyword = trim_leading_space(line);
    let lead = line.len() - from_keyword.len();
    let trimmed = trim_trailing_space(from_keyword);
    let kw_len = trimmed.bytes().position(is_blank).unwrap_or(trimmed.len());
    let keyword = Word { value: trimmed[..kw_len].into(), span: Span::new(lead, lead + kw_len) };
    let blanks = trimmed.as_bytes()[kw_len..].iter().take_while(|&&b| is_blank(b)).count();
    let rest_at = lead + kw_len + blanks;
    let rest = &line[rest_at..lead + trimmed.len()];
    let (flags, args_rel) = extract_flags(rest, rest_at);
    // `rest` ends where the trimmed line does: only its start is left to trim.
    let args_text = &rest[args_rel..];
    let args = trim_leading_space(args_text);
    let args_lead = args_text.len() - args.len();
    Split { keyword, flags, args, args_at: rest_at + args_rel + args_lead }
}

/// `extractBuilderFlags`: words starting with `--` at the start of `line`,
/// quotes and backslash escapes processed; a bare `--` ends the flags.
/// Returns the flags (spans shifted by `at`) and the offset where the arguments begin.
fn extract_flags(line: &str, at: usize) -> (Vec<Word>, usize) {
    let mut flags = Vec::new();
    let mut pos = 0;
    loop {
        pos = line.len() - trim_leading_space(&line[pos..]).len();
        if !line[pos..].starts_with("--") {
            return (flags, pos);
        }
        let (len, quoted) = word_len(&line[pos..]);
        let end = pos + len;
        let raw = &line[pos..end];
        if raw == "--" {
            return (flags, end);
        }
        let value = if quoted { Text::from(unquote_flag(raw)) } else { Text::from(raw) };
        flags.push(Word { value, span: Span::new(at + pos, at + end) });
        if end == line.len() {
            return (flags, end);
        }
        pos = end;
    }
}

/// Length of the flag word at the start of `s` (up to whitespace outside quotes), and
/// whether it has quotes or escapes to remove.
fn word_len(s: &str) -> (usize, bool) {
    let bytes = s.as_bytes();
    // Most flags (`--mount=type=cache,target=/x`) are plain ASCII: their end is the
    // first blank, found without tracking quotes.
    match first_not_plain(bytes, b'\\') {
        None => return (bytes.len(), false),
        Some(i) if is_ascii_space(bytes[i]) => return (i, false),
        Some(_) => {}
    }
    (quoted_word_len(s), true)
}

/// [`word_len`] for words with quotes, escapes or non-ASCII characters.
fn quoted_word_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut quote = 0u8;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quote != 0 {
            if b == quote {
                quote = 0;
            } else if b == b'\\' {
                i += 1;
            }
        } else if b == b'\'' || b == b'"' {
            quote = b;
        } else if b == b'\\' {
            // Skip the whole escaped character, which may be multi-byte.
            i += s[i + 1..].chars().next().map_or(0, char::len_utf8);
        } else if is_ascii_space(b) {
            return i;
        } else if b >= 0x80 {
            let c = s[i..].chars().next().unwrap_or(' ');
            if c.is_whitespace() {
                return i;
            }
            i += c.len_utf8() - 1;
        }
        i += 1;
    }
    bytes.len()
}

/// The flag's value with quotes and escapes removed.
fn unquote_flag(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut quote: Option<char> = None;
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            // A backslash escapes the next character, inside quotes too;
            // one at the very end is dropped.
            (_, '\\') => out.extend(chars.next()),
            (_, c) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(line: &str) -> (Vec<String>, String) {
        let s = split_command(line);
        (s.flags.into_iter().map(|w| w.value.into_string()).collect(), s.args.to_string())
    }

    #[test]
    fn flags_stop_at_the_first_non_flag_word() {
        assert_eq!(flags("COPY --from=a --chown=1 x y"), (vec!["--from=a".into(), "--chown=1".into()], "x y".into()));
        assert_eq!(flags("COPY --doit=true -- foo /tmp/"), (vec!["--doit=true".into()], "foo /tmp/".into()));
        assert_eq!(flags("CMD --doit -- [ ]"), (vec!["--doit".into()], "[ ]".into()));
        assert_eq!(flags("RUN --mount=\"type=cache,target=/a b\" ls"), (vec!["--mount=type=cache,target=/a b".into()], "ls".into()));
        assert_eq!(flags("RUN -x"), (vec![], "-x".into()));
        assert_eq!(flags("RUN --a\\ b c"), (vec!["--a b".into()], "c".into()));
    }

    #[test]
    fn spans_point_into_the_line() {
        let s = split_command("  copy  --from=a  x y ");
        assert_eq!(s.keyword.span, Span::new(2, 6));
        assert_eq!(s.flags[0].span, Span::new(8, 16));
        assert_eq!(s.args_at, 18);
        assert_eq!(s.args, "x y");
    }
}
