//! The scanner-driven expansion of one word, mirroring the structure of
//! BuildKit's `shellWord`: a loop that stops on a character, with handlers
//! for `'`, `"` and `$`.

use super::pattern::{self, Budget};
use super::words::WordSplitter;
use super::{Env, ExpandError, Expansion, Lexer};
use crate::syntax::quote::go_quote;
use std::borrow::Cow;

/// How deeply `${a:-${b:-...}}` and quotes inside them may nest. Go's
/// growable stacks have no such limit; ours keeps a hostile word from
/// overflowing the wasm stack.
pub const MAX_NESTING: usize = 100;

/// The cause of an error and where in the word it happened.
struct Failure(String);

type Step<T> = Result<T, Failure>;

struct Scanner<'w> {
    text: &'w str,
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<char> {
        // Words are nearly all ASCII: a byte is its character.
        let b = *self.text.as_bytes().get(self.pos)?;
        if b.is_ascii() {
            return Some(char::from(b));
        }
        self.text[self.pos..].chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }
}

struct WordState<'w, 'e> {
    lexer: &'w Lexer,
    env: &'e dyn Env,
    scanner: Scanner<'w>,
    raw_escapes: bool,
    depth: usize,
    budget: Budget,
    found: Expansion,
    /// Whether the top-level word is wanted split into words too
    /// (`ProcessWords`); nested words never are.
    split_words: bool,
}

pub(super) fn process(lexer: &Lexer, word: &str, env: &dyn Env, split_words: bool) -> Result<(Expansion, Vec<String>), ExpandError> {
    // Without `$`, quotes or the escape token nothing in a word changes in any mode, and
    // it splits on whitespace alone: most words are like that, and the engine and the
    // checks expand every one of them on every keystroke.
    if !needs_expansion(word, lexer.escape) {
        let words = if split_words { word.split_whitespace().map(str::to_string).collect() } else { Vec::new() };
        return Ok((Expansion { value: word.to_string(), ..Expansion::default() }, words));
    }
    let mut state = WordState {
        lexer,
        env,
        scanner: Scanner { text: word, pos: 0 },
        raw_escapes: lexer.raw_escapes,
        depth: 0,
        budget: Budget::default(),
        found: Expansion::default(),
        split_words,
    };
    match state.stop_on(None, lexer.raw_escapes) {
        Ok((value, words)) => Ok((Expansion { value, ..state.found }, words)),
        Err(Failure(cause)) => Err(ExpandError {
            message: format!("failed to process {}: {cause}", go_quote(word)),
            cause,
            offset: state.scanner.pos,
        }),
    }
}

/// Whether `word` holds `$`, a quote or the escape token (SIMD searches: long RUN
/// scripts come through here on every keystroke).
pub(super) fn needs_expansion(word: &str, escape: char) -> bool {
    let bytes = word.as_bytes();
    if !escape.is_ascii() {
        return word.contains(escape) || memchr::memchr3(b'$', b'\'', b'"', bytes).is_some();
    }
    // Most words are short (paths, names, versions), long RUN scripts come here too.
    crate::scan::contains_any(bytes, [b'$', b'\'', b'"', escape as u8])
}

/// Whether expanding `word` cannot fail, whatever the environment: no quotes (they can be
/// left open), no escape token, and every `${` holds just a name (modifiers like `${v:?}`
/// fail when a variable is unset, and a brace can be left open). `$name` never fails.
pub(super) fn cannot_fail(word: &str, escape: char) -> bool {
    let bytes = word.as_bytes();
    if !escape.is_ascii() {
        return false;
    }
    // These are mostly mount and COPY words, short or long.
    if crate::scan::contains_any(bytes, [b'\'', b'"', escape as u8]) {
        return false;
    }
    let mut rest = bytes;
    while let Some(at) = crate::scan::find_byte(b'$', rest) {
        rest = &rest[at + 1..];
        let Some(inner) = rest.strip_prefix(b"{") else { continue };
        // A name is all digits, or letters, digits and `_` not starting with a digit.
        let name = match inner.first() {
            Some(b) if b.is_ascii_digit() => inner.iter().take_while(|b| b.is_ascii_digit()).count(),
            _ => inner.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count(),
        };
        if name == 0 || inner.get(name) != Some(&b'}') {
            return false;
        }
        rest = &inner[name + 1..];
    }
    true
}

impl<'w, 'e> WordState<'w, 'e> {
    /// Read up to `stop` (consumed) or the end of the word.
    fn stop_on(&mut self, stop: Option<char>, raw_escapes: bool) -> Step<(String, Vec<String>)> {
        let saved = std::mem::replace(&mut self.raw_escapes, raw_escapes);
        let result = self.stop_on_inner(stop);
        self.raw_escapes = saved;
        result
    }

    fn stop_on_inner(&mut self, stop: Option<char>) -> Step<(String, Vec<String>)> {
        let mut result = String::with_capacity(self.scanner.text.len() - self.scanner.pos);
        let mut words = WordSplitter::new(std::mem::take(&mut self.split_words));
        while let Some(c) = self.scanner.peek() {
            let run = self.plain_run(stop);
            if run > 0 {
                let text = &self.scanner.text[self.scanner.pos..self.scanner.pos + run];
                result.push_str(text);
                words.add_str(text);
                self.scanner.pos += run;
                continue;
            }
            if stop == Some(c) {
                self.scanner.next();
                return Ok((result, words.finish()));
            }
            let quotes = !self.lexer.skip_process_quotes;
            if c == '$' {
                let piece = self.dollar()?;
                result.push_str(&piece);
                words.add_str(&piece);
                continue;
            }
            if quotes && (c == '\'' || c == '"') {
                // Quoted text goes straight into the result, not through a string of its own.
                let start = result.len();
                match c {
                    '\'' => self.single_quote(&mut result)?,
                    _ => self.double_quote(&mut result)?,
                }
                words.add_raw_str(&result[start..]);
                continue;
            }
            self.scanner.next();
            if c != self.lexer.escape {
                words.add_char(c);
                result.push(c);
                continue;
            }
            if self.raw_escapes {
                words.add_raw_char(c);
                result.push(c);
            }
            // The escape token escapes anything; alone at the end it is dropped.
            let Some(escaped) = self.scanner.next() else { break };
            words.add_raw_char(escaped);
            result.push(escaped);
        }
        match stop {
            Some(stop) => Err(Failure(format!(
                "unexpected end of statement while looking for matching {stop}"
            ))),
            None => Ok((result, words.finish())),
        }
    }

    /// How many bytes from here are ordinary characters, copied as they are: the loop
    /// above would take them one by one (long RUN scripts are expanded on every keystroke).
    /// The characters that stop a run are ASCII, so a byte search cannot split a character.
    fn plain_run(&self, stop: Option<char>) -> usize {
        let escape = self.lexer.escape;
        if !escape.is_ascii() || stop.is_some_and(|s| !s.is_ascii()) {
            return 0;
        }
        let rest = &self.scanner.text.as_bytes()[self.scanner.pos..];
        // Without a stop character, the escape token stands in for it.
        let stop = stop.map_or(escape as u8, |s| s as u8);
        crate::scan::first_of(rest, [b'$', b'\'', b'"', escape as u8, stop]).unwrap_or(rest.len())
    }

    /// `'...'`, appended to `result`: everything literal; a `'` cannot be escaped inside.
    fn single_quote(&mut self, result: &mut String) -> Step<()> {
        let open = self.scanner.next();
        self.push_raw_quote(result, open);
        // Up to the closing quote at once (the quote is ASCII: a byte search cannot split a
        // character).
        let rest = &self.scanner.text[self.scanner.pos..];
        let run = crate::scan::find_byte(b'\'', rest.as_bytes()).unwrap_or(rest.len());
        result.push_str(&rest[..run]);
        self.scanner.pos += run;
        loop {
            match self.scanner.next() {
                None => {
                    return Err(Failure(
                        "unexpected end of statement while looking for matching single-quote".into(),
                    ))
                }
                Some('\'') => {
                    self.push_raw_quote(result, Some('\''));
                    return Ok(());
                }
                Some(c) => result.push(c),
            }
        }
    }

    /// `"..."`, appended to `result`: `$` expands; the escape token escapes only `"`, `$`
    /// and itself, and stays in the text before anything else.
    fn double_quote(&mut self, result: &mut String) -> Step<()> {
        let open = self.scanner.next();
        self.push_raw_quote(result, open);
        loop {
            // Text with no `"`, `$` or escape token is taken as a run, not character by
            // character.
            let run = self.plain_run(Some('"'));
            if run > 0 {
                result.push_str(&self.scanner.text[self.scanner.pos..self.scanner.pos + run]);
                self.scanner.pos += run;
                continue;
            }
            match self.scanner.peek() {
                None => {
                    return Err(Failure(
                        "unexpected end of statement while looking for matching double-quote".into(),
                    ))
                }
                Some('"') => {
                    let close = self.scanner.next();
                    self.push_raw_quote(result, close);
                    return Ok(());
                }
                Some('$') => {
                    let value = self.dollar()?;
                    result.push_str(&value);
                }
                Some(_) => self.double_quoted_char(result),
            }
        }
    }

    fn double_quoted_char(&mut self, result: &mut String) {
        let Some(mut c) = self.scanner.next() else { return };
        if c == self.lexer.escape {
            if self.raw_escapes {
                result.push(c);
            }
            match self.scanner.peek() {
                None => return,
                Some(next) if next == '"' || next == '$' || next == self.lexer.escape => {
                    c = next;
                    self.scanner.next();
                }
                Some(_) => {}
            }
        }
        result.push(c);
    }

    fn push_raw_quote(&self, result: &mut String, quote: Option<char>) {
        if let (true, Some(q)) = (self.lexer.raw_quotes, quote) {
            result.push(q);
        }
    }

    /// `$name`, `${name}` and `${name<modifier>...}`.
    fn dollar(&mut self) -> Step<Cow<'e, str>> {
        self.depth += 1;
        let result = if self.depth > MAX_NESTING {
            Err(Failure(format!("syntax error: substitutions nested more than {MAX_NESTING} deep")))
        } else {
            self.dollar_inner()
        };
        self.depth -= 1;
        result
    }

    /// A plain `$name` or `${name}` borrows its value from the environment (the
    /// common case: no copy).
    fn dollar_inner(&mut self) -> Step<Cow<'e, str>> {
        self.scanner.next(); // the `$`
        if self.scanner.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok(Cow::Borrowed("$"));
            }
            return Ok(match self.lookup(name) {
                None if self.lexer.skip_unset_env => Cow::Owned(format!("${name}")),
                value => Cow::Borrowed(value.unwrap_or_default()),
            });
        }
        self.scanner.next(); // the `{`
        match self.scanner.peek() {
            None => return Err(Failure("syntax error: missing '}'".into())),
            Some('{' | '}' | ':') => return Err(Failure("syntax error: bad substitution".into())),
            Some(_) => {}
        }
        let name = self.name();
        match self.scanner.next() {
            None => Err(Failure("syntax error: missing '}'".into())),
            Some('}') => Ok(match self.lookup(name) {
                None if self.lexer.skip_unset_env => Cow::Owned(format!("${{{name}}}")),
                value => Cow::Borrowed(value.unwrap_or_default()),
            }),
            Some(':') => {
                let modifier = self.scanner.next();
                self.modifier(name, true, modifier).map(Cow::Owned)
            }
            Some('/') => self.substitute(name).map(Cow::Owned),
            Some(c @ ('-' | '+' | '?' | '#' | '%')) => self.modifier(name, false, Some(c)).map(Cow::Owned),
            Some(c) => Err(Failure(format!("unsupported modifier ({c}) in substitution"))),
        }
    }

    /// The `-` `+` `?` `#` `%` forms, with `colon` for `:-` and friends.
    fn modifier(&mut self, name: &str, colon: bool, op: Option<char>) -> Step<String> {
        // How the modifier was written, for messages (built only when one is needed).
        let shown = || format!("{}{}", if colon { ":" } else { "" }, op.unwrap_or('\u{FFFD}'));
        let unsupported = || Failure(format!("unsupported modifier ({}) in substitution", shown()));
        let Some(op) = op.filter(|c| matches!(c, '-' | '+' | '?' | '#' | '%')) else {
            // After `:` BuildKit reads the word first, so a missing `}` wins.
            self.modifier_word(false)?;
            return Err(unsupported());
        };
        let globbing = op == '#' || op == '%';
        if colon && globbing {
            return Err(unsupported());
        }
        let word = self.modifier_word(globbing)?;
        let value = self.lookup(name);
        if value.is_none() && self.lexer.skip_unset_env {
            return Ok(format!("${{{name}{}{word}}}", shown()));
        }
        let unset_or_null = value.is_none() || (colon && value == Some(""));
        match op {
            '-' if unset_or_null => Ok(word),
            '-' => Ok(value.unwrap_or_default().to_string()),
            '+' if unset_or_null => Ok(String::new()),
            '+' => Ok(word),
            '?' if unset_or_null => {
                let why = match value {
                    None => "is not allowed to be unset",
                    Some(_) => "is not allowed to be empty",
                };
                let message = if word.is_empty() { why } else { &word };
                Err(Failure(format!("{name}: {message}")))
            }
            '?' => Ok(value.unwrap_or_default().to_string()),
            _ => self.trim(op, &word, value.unwrap_or_default()),
        }
    }

    /// `${v#p}` `${v##p}` `${v%p}` `${v%%p}`: `##`/`%%` match greedily.
    fn trim(&mut self, op: char, word: &str, value: &str) -> Step<String> {
        let (greedy, glob) = match word.strip_prefix(op) {
            Some(rest) => (true, rest),
            None => (false, word),
        };
        let trimmed = if op == '%' {
            pattern::trim_suffix(glob, value, greedy, &mut self.budget)
        } else {
            pattern::trim_prefix(glob, value, greedy, &mut self.budget)
        };
        trimmed.map_err(|e| Failure(format!("invalid pattern ({glob}) in substitution: {e}")))
    }

    /// `${v/p/r}` and `${v//p/r}`.
    fn substitute(&mut self, name: &str) -> Step<String> {
        let all = self.scanner.peek() == Some('/');
        if all {
            self.scanner.next();
        }
        let glob = self.part_until('/', "syntax error: missing '/' in ${}")?;
        let replacement = self.part_until('}', "syntax error: missing '}'")?;
        let value = self.lookup(name);
        if value.is_none() && self.lexer.skip_unset_env {
            return Ok(format!("${{{name}/{glob}/{replacement}}}"));
        }
        let value = value.unwrap_or_default();
        pattern::replace(&glob, value, &replacement, all, &mut self.budget)
            .map_err(|e| Failure(format!("invalid pattern ({glob}) in substitution: {e}")))
    }

    fn modifier_word(&mut self, raw_escapes: bool) -> Step<String> {
        self.part_until_raw('}', raw_escapes, "syntax error: missing '}'")
    }

    fn part_until(&mut self, stop: char, missing: &str) -> Step<String> {
        self.part_until_raw(stop, true, missing)
    }

    /// A nested word up to `stop`; running off the end is reported as the
    /// missing delimiter, other errors pass through.
    fn part_until_raw(&mut self, stop: char, raw_escapes: bool, missing: &str) -> Step<String> {
        match self.stop_on(Some(stop), raw_escapes) {
            Ok((word, _)) => Ok(word),
            Err(_) if self.scanner.peek().is_none() => Err(Failure(missing.into())),
            Err(e) => Err(e),
        }
    }

    /// A name: letters, digits and `_`; or only digits; or one special
    /// parameter character.
    fn name(&mut self) -> &'w str {
        let start = self.scanner.pos;
        let taken = |s: &Self| &s.scanner.text[start..s.scanner.pos];
        match self.scanner.peek() {
            Some(c) if c.is_numeric() => {
                while self.scanner.peek().is_some_and(char::is_numeric) {
                    self.scanner.next();
                }
            }
            Some('@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') => {
                self.scanner.next();
            }
            _ => {
                // ASCII name characters are tested as bytes (names are nearly always
                // ASCII); any other character is a name character if it is alphanumeric.
                let bytes = self.scanner.text.as_bytes();
                while let Some(&b) = bytes.get(self.scanner.pos) {
                    if b.is_ascii_alphanumeric() || b == b'_' {
                        self.scanner.pos += 1;
                    } else if b.is_ascii() || !self.scanner.peek().is_some_and(char::is_alphanumeric) {
                        break;
                    } else {
                        self.scanner.next();
                    }
                }
            }
        }
        taken(self)
    }

    fn lookup(&mut self, name: &str) -> Option<&'e str> {
        let value = self.env.get(name);
        let names = if value.is_some() { &mut self.found.matched } else { &mut self.found.unmatched };
        // A name is often looked up again (`${A:-$A}`, repeated words): copied once.
        if !names.contains(name) {
            names.insert(name.into());
        }
        value
    }
}
