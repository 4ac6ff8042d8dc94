//! Tokens: words (with their quoting kept in `Part`s), operators, newlines. Reading a word
//! may parse a nested program (`$(...)`), so the lexer lives inside the parser.

use super::ast::{Param, ParamOp, Part, Word};
use super::parser::{Parser, SyntaxError};
use super::Dialect;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A word and its source text (for error messages).
    Word(Word, String),
    Op(&'static str),
    /// The digits of `2>`: a descriptor for the redirection that follows.
    IoNumber(u32),
    Newline,
    Eof,
}

impl Tok {
    /// How dash names a token in `Syntax error: ... unexpected`.
    pub fn describe(&self) -> String {
        match self {
            Tok::Word(_, raw) => format!("\"{raw}\""),
            Tok::Op(op) => format!("\"{op}\""),
            Tok::IoNumber(n) => format!("\"{n}\""),
            Tok::Newline => "newline".into(),
            Tok::Eof => "end of file".into(),
        }
    }
}

/// Longest first, so `<<-` wins over `<<` and `<`.
const OPERATORS: &[&str] = &["<<<", "<<-", "&&", "||", ";;", "<<", "<&", "<>", ">>", ">&", ">|", "&>", ";", "&", "|", "(", ")", "<", ">"];
const BASH_ONLY: &[&str] = &["<<<", "&>"];

/// Where reading word parts stops.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Mode {
    /// A shell word: blanks and operators end it.
    Word,
    /// Inside `${v...}`: up to the matching `}`; blanks are part of the word.
    Brace,
    /// The pattern of `${v/p/r}`: up to `/` or `}`.
    ReplacePattern,
    /// A here-document body or arithmetic text: only `$`, `` ` `` and `\` are special.
    Text,
}

fn is_meta(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')')
}

pub(super) fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

/// Collects parts, merging adjacent text of the same kind.
#[derive(Default)]
struct PartsBuilder {
    parts: Vec<Part>,
}

impl PartsBuilder {
    fn literal(&mut self, c: char) {
        if let Some(Part::Literal(s)) = self.parts.last_mut() {
            s.push(c);
        } else {
            self.parts.push(Part::Literal(c.to_string()));
        }
    }

    fn quoted(&mut self, text: &str) {
        if let Some(Part::Quoted(s)) = self.parts.last_mut() {
            s.push_str(text);
        } else {
            self.parts.push(Part::Quoted(text.to_string()));
        }
    }
}

impl Parser {
    fn peek_char(&self) -> Option<char> {
        self.src.get(self.pos).copied()
    }

    fn char_at(&self, offset: usize) -> Option<char> {
        self.src.get(self.pos + offset).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars().enumerate().all(|(i, c)| self.char_at(i) == Some(c))
    }

    /// Skips blanks, comments and backslash-newlines before a token.
    fn skip_blanks(&mut self) {
        loop {
            match self.peek_char() {
                Some(' ' | '\t') => {
                    self.pos += 1;
                }
                Some('\\') if self.char_at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                Some('#') => {
                    while !matches!(self.peek_char(), None | Some('\n')) {
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    pub(super) fn next_token(&mut self) -> Result<Tok, SyntaxError> {
        self.skip_blanks();
        self.token_line = self.line;
        let Some(c) = self.peek_char() else {
            // A here-document with no line after it gets an empty body, as in dash.
            self.read_pending_heredocs()?;
            return Ok(Tok::Eof);
        };
        if c == '\n' {
            self.bump();
            // dash has counted the newline when it complains about it.
            self.token_line = self.line;
            self.read_pending_heredocs()?;
            return Ok(Tok::Newline);
        }
        for op in OPERATORS {
            if self.starts_with(op) && (self.dialect == Dialect::Bash || !BASH_ONLY.contains(op)) {
                self.pos += op.chars().count();
                return Ok(Tok::Op(op));
            }
        }
        let start = self.pos;
        let word = self.read_parts(Mode::Word)?;
        let raw: String = self.src[start..self.pos].iter().collect();
        if matches!(self.peek_char(), Some('<' | '>')) && !raw.is_empty() && raw.chars().all(|c| c.is_ascii_digit()) {
            if let Ok(fd) = raw.parse() {
                return Ok(Tok::IoNumber(fd));
            }
        }
        Ok(Tok::Word(Word { parts: word }, raw))
    }

    /// Reads word parts up to the end `mode` sets (not consuming the terminator).
    pub(super) fn read_parts(&mut self, mode: Mode) -> Result<Vec<Part>, SyntaxError> {
        let mut out = PartsBuilder::default();
        let at_start = self.pos;
        while let Some(c) = self.peek_char() {
            match (mode, c) {
                (Mode::Word, c) if is_meta(c) => break,
                (Mode::Brace, '}') => break,
                (Mode::ReplacePattern, '/' | '}') => break,
                (Mode::Word, '~') if self.pos == at_start => {
                    self.pos += 1;
                    let user = self.take_while(|c| is_name_char(c) || c == '-' || c == '.');
                    out.parts.push(Part::Tilde(user));
                }
                (_, '\\') => self.backslash(&mut out, mode),
                (Mode::Text, '\'' | '"') => {
                    self.pos += 1;
                    out.literal(c);
                }
                (_, '\'') => {
                    self.pos += 1;
                    let text = self.until_char('\'')?;
                    out.quoted(&text);
                }
                (_, '"') => {
                    self.pos += 1;
                    let parts = self.double_quoted()?;
                    out.parts.push(Part::Double(parts));
                }
                (_, '$') => self.dollar(&mut out)?,
                (_, '`') => {
                    self.pos += 1;
                    let program = self.backquoted()?;
                    out.parts.push(Part::Command(program));
                }
                _ => {
                    self.bump();
                    out.literal(c);
                }
            }
        }
        Ok(out.parts)
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek_char().filter(|c| keep(*c)) {
            self.pos += 1;
            s.push(c);
        }
        s
    }

    fn unterminated() -> SyntaxError {
        SyntaxError::new("Unterminated quoted string")
    }

    /// The text up to `end` (consumed), as single quotes take it.
    fn until_char(&mut self, end: char) -> Result<String, SyntaxError> {
        let mut text = String::new();
        loop {
            match self.bump() {
                None => return Err(Self::unterminated().at(self.line)),
                Some(c) if c == end => return Ok(text),
                Some(c) => text.push(c),
            }
        }
    }

    fn backslash(&mut self, out: &mut PartsBuilder, mode: Mode) {
        self.pos += 1;
        match self.peek_char() {
            None => out.literal('\\'),
            Some('\n') => {
                self.bump();
            }
            Some(c) if mode == Mode::Text && !matches!(c, '$' | '`' | '\\') => out.literal('\\'),
            Some(c) => {
                self.pos += 1;
                out.quoted(&c.to_string());
            }
        }
    }

    /// After an opening `"`: parts up to the closing one.
    fn double_quoted(&mut self) -> Result<Vec<Part>, SyntaxError> {
        let mut out = PartsBuilder::default();
        loop {
            match self.peek_char() {
                None => return Err(Self::unterminated().at(self.line)),
                Some('"') => {
                    self.pos += 1;
                    return Ok(out.parts);
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.peek_char() {
                        Some('\n') => {
                            self.bump();
                        }
                        Some(c @ ('$' | '`' | '"' | '\\')) => {
                            self.pos += 1;
                            out.quoted(&c.to_string());
                        }
                        _ => out.quoted("\\"),
                    }
                }
                Some('$') => self.dollar(&mut out)?,
                Some('`') => {
                    self.pos += 1;
                    let program = self.backquoted()?;
                    out.parts.push(Part::Command(program));
                }
                Some(c) => {
                    self.bump();
                    out.quoted(&c.to_string());
                }
            }
        }
    }

    /// After `` ` ``: the command up to the closing backquote, with `` \` ``, `\\` and `\$`
    /// unescaped, parsed on its own.
    fn backquoted(&mut self) -> Result<super::ast::Program, SyntaxError> {
        let line = self.line;
        let mut text = String::new();
        loop {
            match self.bump() {
                None => return Err(SyntaxError::new("EOF in backquote substitution").at(line)),
                Some('`') => break,
                Some('\\') => match self.peek_char() {
                    Some(c @ ('`' | '\\' | '$')) => {
                        self.pos += 1;
                        text.push(c);
                    }
                    _ => text.push('\\'),
                },
                Some(c) => text.push(c),
            }
        }
        self.sub_program(&text, line)
    }

    /// After `$`.
    fn dollar(&mut self, out: &mut PartsBuilder) -> Result<(), SyntaxError> {
        self.pos += 1;
        match self.peek_char() {
            Some('{') => {
                self.pos += 1;
                let param = self.brace_param()?;
                out.parts.push(Part::Param(Box::new(param)));
            }
            Some('(') if self.char_at(1) == Some('(') => {
                self.pos += 2;
                out.parts.push(Part::Arith(self.arithmetic()?));
            }
            Some('(') => {
                self.pos += 1;
                out.parts.push(Part::Command(self.nested_program()?));
            }
            Some(c) if matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!') || c.is_ascii_digit() => {
                self.pos += 1;
                out.parts.push(plain_param(c.to_string()));
            }
            Some(c) if is_name_start(c) => {
                let name = self.take_while(is_name_char);
                out.parts.push(plain_param(name));
            }
            _ => out.literal('$'),
        }
        Ok(())
    }

    /// After `$((`: the expression text up to the matching `))`.
    fn arithmetic(&mut self) -> Result<Vec<Part>, SyntaxError> {
        let line = self.line;
        let mut depth = 0usize;
        let mut text = String::new();
        loop {
            match self.bump() {
                None => return Err(SyntaxError::new("Missing '))'").at(line)),
                Some('(') => depth += 1,
                Some(')') if depth == 0 => {
                    if self.peek_char() == Some(')') {
                        self.pos += 1;
                        break;
                    }
                    return Err(SyntaxError::new("Missing '))'").at(line));
                }
                Some(')') => depth -= 1,
                Some(_) => {}
            }
            text.push(self.src[self.pos - 1]);
        }
        Parser::text_parts(&text, self.dialect, line)
    }

    /// After `${`.
    fn brace_param(&mut self) -> Result<Param, SyntaxError> {
        let line = self.line;
        let length = self.peek_char() == Some('#') && !matches!(self.char_at(1), Some('}') | None);
        if length {
            self.pos += 1;
        }
        let name = match self.peek_char() {
            Some(c) if is_name_start(c) => self.take_while(is_name_char),
            Some(c) if c.is_ascii_digit() => self.take_while(|c| c.is_ascii_digit()),
            Some(c @ ('@' | '*' | '#' | '?' | '-' | '$' | '!')) => {
                self.pos += 1;
                c.to_string()
            }
            _ => String::new(),
        };
        let index = if self.peek_char() == Some('[') {
            self.pos += 1;
            let text = self.until_char(']').map_err(|_| SyntaxError::new("Missing '}'").at(line))?;
            Some(Word { parts: Parser::text_parts(&text, self.dialect, line)? })
        } else {
            None
        };
        let op = if length { ParamOp::Length } else { self.param_op(line)? };
        match self.bump() {
            Some('}') if !name.is_empty() => Ok(Param { name, index, op }),
            Some('}') => Ok(Param { name, index, op: ParamOp::Bad }),
            _ => Err(SyntaxError::new("Missing '}'").at(line)),
        }
    }

    fn param_op(&mut self, line: usize) -> Result<ParamOp, SyntaxError> {
        let colon = self.peek_char() == Some(':');
        if colon {
            self.pos += 1;
        }
        let Some(c) = self.peek_char() else { return Err(SyntaxError::new("Missing '}'").at(line)) };
        let word = |p: &mut Parser| -> Result<Word, SyntaxError> { Ok(Word { parts: p.read_parts(Mode::Brace)? }) };
        Ok(match c {
            '}' if !colon => ParamOp::Plain,
            '-' | '=' | '?' | '+' => {
                self.pos += 1;
                let word = word(self)?;
                match c {
                    '-' => ParamOp::Default { colon, word },
                    '=' => ParamOp::Assign { colon, word },
                    '?' => ParamOp::Error { colon, word },
                    _ => ParamOp::Alternative { colon, word },
                }
            }
            '#' | '%' if !colon => {
                self.pos += 1;
                let longest = self.peek_char() == Some(c);
                if longest {
                    self.pos += 1;
                }
                let pattern = word(self)?;
                if c == '#' {
                    ParamOp::TrimPrefix { longest, pattern }
                } else {
                    ParamOp::TrimSuffix { longest, pattern }
                }
            }
            '/' if !colon => {
                self.pos += 1;
                let all = self.peek_char() == Some('/');
                if all {
                    self.pos += 1;
                }
                let pattern = Word { parts: self.read_parts(Mode::ReplacePattern)? };
                if self.peek_char() == Some('/') {
                    self.pos += 1;
                }
                let with = word(self)?;
                ParamOp::Replace { all, pattern, with }
            }
            _ => {
                // Anything else is dash's "Bad substitution", reported when it is expanded.
                let _ = self.read_parts(Mode::Brace)?;
                ParamOp::Bad
            }
        })
    }
}

fn plain_param(name: String) -> Part {
    Part::Param(Box::new(Param { name, index: None, op: ParamOp::Plain }))
}
