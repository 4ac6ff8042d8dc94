//! Heredocs (A6): which words of a RUN/COPY/ADD line open one, and the
//! name/expand/chomp rules of BuildKit's `ParseHeredoc`.

use super::Span;

/// One heredoc attached to an instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    pub name: String,
    /// `3<<EOF` → 3; 0 when no descriptor is given.
    pub fd: u32,
    /// False when any part of the name is quoted: the body is not expanded.
    pub expand: bool,
    /// `<<-`: leading tabs are removed from the body when the instruction is built.
    pub chomp: bool,
    /// The raw body, line endings kept, tabs not yet removed.
    pub content: String,
    /// The body lines in the source (terminator line excluded).
    pub span: Span,
}

/// The body with leading tabs removed from every line (`<<-`).
pub fn chomp(content: &str) -> String {
    content.split_inclusive('\n').map(|l| l.trim_start_matches('\t')).collect()
}

const UNTERMINATED_SINGLE: &str = "unexpected end of statement while looking for matching single-quote";
const UNTERMINATED_DOUBLE: &str = "unexpected end of statement while looking for matching double-quote";

/// `ParseHeredoc`: `^(\d*)<<(-?)\s*([^<]*)$` whose tail is one shell word.
pub fn parse_heredoc(src: &str) -> Result<Option<Heredoc>, String> {
    // Every COPY and ADD word is asked: nearly none starts like a heredoc.
    if !src.as_bytes().first().is_some_and(|b| b.is_ascii_digit() || *b == b'<') {
        return Ok(None);
    }
    let digits = src.len() - src.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let Some(after) = src[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, after) = match after.strip_prefix('-') {
        Some(a) => (true, a),
        None => (false, after),
    };
    let rest = after.trim_start_matches([' ', '\t', '\n', '\r', '\u{c}']);
    if rest.is_empty() || rest.contains('<') {
        return Ok(None);
    }
    let names = unquoted_words(rest)?;
    let [name] = names.as_slice() else {
        return Ok(None);
    };
    Ok(Some(Heredoc {
        name: name.clone(),
        fd: src[..digits].parse().unwrap_or(0),
        expand: !has_unescaped_quote(rest),
        chomp,
        content: String::new(),
        span: Span::default(),
    }))
}

/// `heredocsFromLine`: every word of the line that opens a heredoc, in order.
/// `<<` or `<<-` followed by blanks still joins the next word (`<<  EOF`).
pub fn heredocs_from_line(line: &str) -> Result<Vec<Heredoc>, String> {
    let line = &line[first_candidate_word(line)..];
    let words = raw_words(line);
    let mut docs = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (start, mut end) = words[i];
        let w = &line[start..end];
        let operator_only = w.trim_start_matches(|c: char| c.is_ascii_digit()).trim_end_matches('-') == "<<";
        if operator_only && i + 1 < words.len() {
            i += 1;
            end = words[i].1;
        }
        if let Some(doc) = parse_heredoc(&line[start..end])? {
            docs.push(doc);
        }
        i += 1;
    }
    Ok(docs)
}

/// Where the word holding the first `<<` starts, when nothing before it can change how
/// the line splits (no quote, backslash or non-ASCII byte): the words before it cannot
/// open a heredoc, and the long RUN lines with `--mount` flags that open heredocs need not
/// be split from their start on every keystroke. Otherwise 0.
fn first_candidate_word(line: &str) -> usize {
    let bytes = line.as_bytes();
    let Some(at) = memchr::memmem::find(bytes, b"<<") else { return 0 };
    let prefix = &bytes[..at];
    if !prefix.is_ascii() || memchr::memchr3(b'\'', b'"', b'\\', prefix).is_some() {
        return 0;
    }
    prefix.iter().rposition(|&b| b.is_ascii_whitespace() || b == 0x0b).map_or(0, |i| i + 1)
}

/// Word boundaries (start, end) of a line split on blanks outside quotes;
/// quotes and backslash escapes stay in the words.
fn raw_words(line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut iter = line.char_indices();
    while let Some((i, c)) = iter.next() {
        if quote.is_none() && c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push((s, i));
            }
            continue;
        }
        start.get_or_insert(i);
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (Some('\''), _) => {}
            (_, '\\') => {
                iter.next();
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, line.len()));
    }
    out
}

/// Shell words of `s` with quotes and escapes removed (`$` kept literally).
fn unquoted_words(s: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut iter = s.chars().peekable();
    while let Some(c) = iter.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match iter.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err(UNTERMINATED_SINGLE.into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match iter.next() {
                        Some('"') => break,
                        Some('\\') => match iter.peek() {
                            Some(&n @ ('"' | '$' | '\\')) => {
                                cur.push(n);
                                iter.next();
                            }
                            _ => cur.push('\\'),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err(UNTERMINATED_DOUBLE.into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = iter.next() {
                    cur.push(n);
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// True when some part of the word is quoted (escaped quotes do not count).
fn has_unescaped_quote(s: &str) -> bool {
    let mut iter = s.chars();
    while let Some(c) = iter.next() {
        match c {
            '\\' => {
                iter.next();
            }
            '\'' | '"' => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(src: &str) -> Option<(String, bool, bool)> {
        parse_heredoc(src).unwrap().map(|h| (h.name, h.expand, h.chomp))
    }

    #[test]
    fn names_and_flags() {
        assert_eq!(name("<<EOF"), Some(("EOF".into(), true, false)));
        assert_eq!(name("<<-'EOF'"), Some(("EOF".into(), false, true)));
        assert_eq!(name("<<EO\"F\""), Some(("EOF".into(), false, false)));
        assert_eq!(name("<<eo\\'f"), Some(("eo'f".into(), true, false)));
        assert_eq!(name("<< -EOF"), Some(("-EOF".into(), true, false)));
        assert_eq!(parse_heredoc("3<<X").unwrap().unwrap().fd, 3);
        for not in ["", "EOF", "<<", "<<-", "<EOF", "<<<EOF", "<<EOF sh"] {
            assert_eq!(name(not), None, "{not}");
        }
        for bad in ["<<'EOF", "<<\"EOF", "<<EOF'", "<<EOF\""] {
            assert!(parse_heredoc(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn raw_words_split_on_blanks_outside_quotes() {
        let words = |line: &str| raw_words(line).into_iter().map(|(s, e)| line[s..e].to_string()).collect::<Vec<_>>();
        assert_eq!(words("RUN  cat <<EOF"), ["RUN", "cat", "<<EOF"]);
        // A backslash escapes nothing inside single quotes.
        assert_eq!(words(r#"a "b c" 'd \' e' f\ g"#), ["a", r#""b c""#, r"'d \'", r"e' f\ g"]);
        assert_eq!(words(r#""a \" b" c\ d"#), [r#""a \" b""#, r"c\ d"]);
        assert_eq!(words("x\u{a0}y\u{2003}z é\\\u{a0}w"), ["x", "y", "z", "é\\\u{a0}w"]);
        assert_eq!(words("a\\"), ["a\\"]);
        assert_eq!(words("\t\x0b "), Vec::<String>::new());
    }

    #[test]
    fn lines_are_split_from_the_word_of_the_first_operator_when_nothing_before_it_matters() {
        let names = |line: &str| heredocs_from_line(line).unwrap().into_iter().map(|h| h.name).collect::<Vec<_>>();
        let line = "RUN --mount=type=cache,target=/x 3<<A cat <<-'B' <<  C";
        assert_eq!(&line[first_candidate_word(line)..], "3<<A cat <<-'B' <<  C");
        assert_eq!(names(line), ["A", "B", "C"]);
        // A quote, a backslash or a non-ASCII character before it: read from the start.
        for line in ["RUN echo \"x <<A\" <<B", "RUN a\\ <<A", "RUN x\u{a0}<<A", "RUN 'a b' <<A"] {
            assert_eq!(first_candidate_word(line), 0, "{line}");
        }
        assert_eq!(names("RUN echo \"x <<A\" <<B"), ["B"]);
        assert_eq!(names("RUN x\u{a0}<<A"), ["A"]);
        assert_eq!(names("RUN x<<A"), Vec::<String>::new());
        assert_eq!(names("RUN\t<<A"), ["A"]);
    }

    #[test]
    fn chomp_removes_leading_tabs() {
        assert_eq!(chomp("\thello\n\t\tworld\n x\t\n"), "hello\nworld\n x\t\n");
    }
}
