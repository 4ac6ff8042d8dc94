//! Splitting an instruction line into its keyword, flags and argument text
//! (BuildKit's `splitCommand` / `extractBuilderFlags`, A3).

use super::{Span, Word};

/// The three parts of a logical line. Spans are offsets in that line.
#[derive(Debug, PartialEq, Eq)]
pub struct Split {
    pub keyword: Word,
    pub flags: Vec<Word>,
    /// The argument text (trimmed) and where it starts.
    pub args: String,
    pub args_at: usize,
}

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{b}' | '\u{c}' | '\r')
}

/// `splitCommand`: the first whitespace-separated word is the keyword; flags
/// are taken from the start of the rest.
pub fn split_command(line: &str) -> Split {
    let lead = line.len() - line.trim_start().len();
    let trimmed = line.trim();
    let kw_len = trimmed.find(is_blank).unwrap_or(trimmed.len());
    let keyword = Word { value: trimmed[..kw_len].to_string(), span: Span::new(lead, lead + kw_len) };
    let after_kw = &trimmed[kw_len..];
    let rest_at = lead + kw_len + (after_kw.len() - after_kw.trim_start_matches(is_blank).len());
    let rest = &line[rest_at..lead + trimmed.len()];
    let (flags, args_rel) = extract_flags(rest);
    let flags = flags.into_iter().map(|w| shift(w, rest_at)).collect();
    let args_text = &rest[args_rel..];
    let args_lead = args_text.len() - args_text.trim_start().len();
    Split {
        keyword,
        flags,
        args: args_text.trim().to_string(),
        args_at: rest_at + args_rel + args_lead,
    }
}

fn shift(mut w: Word, by: usize) -> Word {
    w.span = Span::new(w.span.start + by, w.span.end + by);
    w
}

#[derive(Clone, Copy, PartialEq)]
enum Phase {
    Spaces,
    Word,
    Quote(char),
}

/// `extractBuilderFlags`: words starting with `--` at the start of `line`,
/// quotes and backslash escapes processed; a bare `--` ends the flags.
/// Returns the flags and the offset where the arguments begin.
fn extract_flags(line: &str) -> (Vec<Word>, usize) {
    let mut flags = Vec::new();
    let mut word = String::new();
    let mut word_start = 0;
    let mut blank_ok = false;
    let mut phase = Phase::Spaces;
    let mut chars = line.char_indices().peekable();
    while let Some((pos, ch)) = chars.next() {
        match phase {
            Phase::Spaces => {
                if ch.is_whitespace() {
                    continue;
                }
                if !line[pos..].starts_with("--") {
                    return (flags, pos);
                }
                phase = Phase::Word;
                word_start = pos;
                word.clear();
                blank_ok = false;
                word.push(ch);
            }
            Phase::Word => {
                if ch.is_whitespace() {
                    if word == "--" {
                        return (flags, pos);
                    }
                    if blank_ok || !word.is_empty() {
                        flags.push(Word { value: std::mem::take(&mut word), span: Span::new(word_start, pos) });
                    }
                    phase = Phase::Spaces;
                } else if ch == '\'' || ch == '"' {
                    phase = Phase::Quote(ch);
                    blank_ok = true;
                } else if ch == '\\' {
                    // A backslash at the very end is dropped.
                    if let Some((_, next)) = chars.next() {
                        word.push(next);
                    }
                } else {
                    word.push(ch);
                }
            }
            Phase::Quote(q) => {
                if ch == q {
                    phase = Phase::Word;
                } else if ch == '\\' {
                    match chars.next() {
                        Some((_, next)) => word.push(next),
                        None => phase = Phase::Word,
                    }
                } else {
                    word.push(ch);
                }
            }
        }
    }
    if phase != Phase::Spaces && word != "--" && (blank_ok || !word.is_empty()) {
        flags.push(Word { value: word, span: Span::new(word_start, line.len()) });
    }
    (flags, line.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(line: &str) -> (Vec<String>, String) {
        let s = split_command(line);
        (s.flags.into_iter().map(|w| w.value).collect(), s.args)
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
