//! Recursive descent over POSIX's shell grammar, with dash's error messages. Like dash, a
//! script is parsed one top-level line at a time (`next_command`), so a syntax error on a
//! later line only stops the script when it is reached.

use std::collections::VecDeque;
use std::mem;
use std::rc::Rc;

use super::ast::{AndOr, Assign, AssignValue, CaseArm, Command, Compound, Connector, Part, Pipeline, Program, Redirect, RedirectOp, Simple, Word};
use super::lexer::{is_name_start, Mode, Tok};
use super::Dialect;

/// Deeper nesting than this is refused rather than risk the stack (fuzzed input does it).
const MAX_DEPTH: usize = 100;

/// `Syntax error: "fi" unexpected (expecting "then")` on a line; the shell prints it as
/// `/bin/sh: LINE: MESSAGE` and exits 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub message: String,
}

impl SyntaxError {
    pub(super) fn new(message: &str) -> SyntaxError {
        SyntaxError { line: 0, message: format!("Syntax error: {message}") }
    }

    pub(super) fn at(mut self, line: usize) -> SyntaxError {
        self.line = line;
        self
    }
}

struct PendingHereDoc {
    delimiter: String,
    strip_tabs: bool,
    quoted: bool,
}

pub struct Parser {
    pub(super) src: Vec<char>,
    pub(super) pos: usize,
    pub(super) line: usize,
    /// The line the last token started on.
    pub(super) token_line: usize,
    pub(super) dialect: Dialect,
    peeked: Option<(Tok, usize)>,
    pending: Vec<PendingHereDoc>,
    bodies: VecDeque<Word>,
    depth: usize,
}

const RESERVED_ENDS: &[&str] = &["then", "else", "elif", "fi", "do", "done", "esac", "}"];
const REDIRECTS: &[&str] = &["<", ">", ">>", ">|", "<>", "<&", ">&", "<<", "<<-", "&>", "<<<"];

impl Parser {
    pub fn new(script: &str, dialect: Dialect) -> Parser {
        Parser::starting_at(script, dialect, 1, 0)
    }

    fn starting_at(script: &str, dialect: Dialect, line: usize, depth: usize) -> Parser {
        let src = script.replace("\r\n", "\n").chars().collect();
        Parser { src, pos: 0, line, token_line: line, dialect, peeked: None, pending: Vec::new(), bodies: VecDeque::new(), depth }
    }

    /// Numbers lines from `line` (for `eval` text, which reports the caller's line).
    pub fn line_offset(&mut self, line: usize) {
        self.line = line;
        self.token_line = line;
    }

    /// The next top-level line of the script (`None` at its end).
    pub fn next_command(&mut self) -> Option<Result<Program, SyntaxError>> {
        match self.top_level_line() {
            Ok(Some(program)) => Some(Ok(program)),
            Ok(None) => None,
            Err(e) => {
                self.pos = self.src.len();
                self.peeked = Some((Tok::Eof, self.line));
                Some(Err(e))
            }
        }
    }

    fn top_level_line(&mut self) -> Result<Option<Program>, SyntaxError> {
        while self.peek()? == &Tok::Newline {
            self.next()?;
        }
        if self.peek()? == &Tok::Eof {
            return Ok(None);
        }
        let mut program = Program::default();
        loop {
            program.items.push(self.and_or()?);
            match self.peek()?.clone() {
                Tok::Op(";" | "&") => {
                    self.next()?;
                    if matches!(self.peek()?, Tok::Newline | Tok::Eof) {
                        break;
                    }
                }
                Tok::Newline | Tok::Eof => break,
                other => return Err(self.unexpected(&other, None)),
            }
        }
        self.fill_heredocs(&mut program.items);
        Ok(Some(program))
    }

    pub(super) fn peek(&mut self) -> Result<&Tok, SyntaxError> {
        if self.peeked.is_none() {
            let tok = self.next_token()?;
            self.peeked = Some((tok, self.token_line));
        }
        Ok(&self.peeked.as_ref().expect("just filled").0)
    }

    fn peek_line(&mut self) -> Result<usize, SyntaxError> {
        self.peek()?;
        Ok(self.peeked.as_ref().map_or(self.line, |p| p.1))
    }

    fn next(&mut self) -> Result<Tok, SyntaxError> {
        self.peek()?;
        Ok(self.peeked.take().expect("just peeked").0)
    }

    fn peek_reserved(&mut self) -> Result<Option<String>, SyntaxError> {
        Ok(match self.peek()? {
            Tok::Word(w, _) => w.as_plain().map(str::to_string),
            _ => None,
        })
    }

    fn unexpected(&self, tok: &Tok, expecting: Option<&str>) -> SyntaxError {
        let line = self.peeked.as_ref().map_or(self.line, |p| p.1);
        let message = match expecting {
            Some(e) => format!("{} unexpected (expecting \"{e}\")", tok.describe()),
            None => format!("{} unexpected", tok.describe()),
        };
        SyntaxError::new(&message).at(line)
    }

    fn expect_word(&mut self, word: &str) -> Result<(), SyntaxError> {
        if self.peek_reserved()?.as_deref() == Some(word) {
            self.next()?;
            return Ok(());
        }
        let tok = self.peek()?.clone();
        Err(self.unexpected(&tok, Some(word)))
    }

    fn expect_op(&mut self, op: &str) -> Result<(), SyntaxError> {
        match self.peek()?.clone() {
            Tok::Op(o) if o == op => {
                self.next()?;
                Ok(())
            }
            other => Err(self.unexpected(&other, Some(op))),
        }
    }

    fn skip_newlines(&mut self) -> Result<(), SyntaxError> {
        while self.peek()? == &Tok::Newline {
            self.next()?;
        }
        Ok(())
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SyntaxError::new("nesting too deep (Layerlab stops at 100 levels)").at(self.line));
        }
        Ok(())
    }

    /// A compound list: and-or lists separated by `;`, `&` or newlines, up to a reserved
    /// word that ends a construct, `)`, `;;` or the end. Empty lists are dash's error,
    /// naming `closer` (what the construct expects next) when the script just ended.
    fn list(&mut self, closer: &str) -> Result<Program, SyntaxError> {
        self.enter()?;
        let mut program = Program::default();
        self.skip_newlines()?;
        loop {
            let ends = match self.peek()? {
                Tok::Eof | Tok::Op(")" | ";;") => true,
                Tok::Word(w, _) => w.as_plain().is_some_and(|w| RESERVED_ENDS.contains(&w)),
                _ => false,
            };
            if ends {
                break;
            }
            program.items.push(self.and_or()?);
            match self.peek()? {
                Tok::Op(";" | "&") | Tok::Newline => {
                    self.next()?;
                    self.skip_newlines()?;
                }
                _ => break,
            }
        }
        self.depth -= 1;
        if program.items.is_empty() {
            let tok = self.peek()?.clone();
            let expecting = (tok == Tok::Eof).then_some(closer);
            return Err(self.unexpected(&tok, expecting));
        }
        Ok(program)
    }

    fn and_or(&mut self) -> Result<AndOr, SyntaxError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let connector = match self.peek()? {
                Tok::Op("&&") => Connector::And,
                Tok::Op("||") => Connector::Or,
                _ => break,
            };
            self.next()?;
            self.skip_newlines()?;
            rest.push((connector, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> Result<Pipeline, SyntaxError> {
        let negated = self.peek_reserved()?.as_deref() == Some("!");
        if negated {
            self.next()?;
        }
        let mut commands = vec![self.command()?];
        while self.peek()? == &Tok::Op("|") {
            self.next()?;
            self.skip_newlines()?;
            commands.push(self.command()?);
        }
        Ok(Pipeline { negated, commands })
    }

    fn command(&mut self) -> Result<Command, SyntaxError> {
        self.enter()?;
        let command = self.command_inner();
        self.depth -= 1;
        command
    }

    fn command_inner(&mut self) -> Result<Command, SyntaxError> {
        let line = self.peek_line()?;
        let reserved = self.peek_reserved()?;
        let compound = match reserved.as_deref() {
            Some("if") => Some(self.if_clause()?),
            Some("while") => Some(self.loop_clause(false)?),
            Some("until") => Some(self.loop_clause(true)?),
            Some("for") => Some(self.for_clause()?),
            Some("case") => Some(self.case_clause()?),
            Some("{") => {
                self.next()?;
                let body = self.list("}")?;
                self.expect_word("}")?;
                Some(Compound::Group(body))
            }
            Some("[[") if self.dialect == Dialect::Bash => Some(self.bash_test(line)?),
            Some("function") if self.dialect == Dialect::Bash => {
                self.next()?;
                let Tok::Word(name, raw) = self.next()? else {
                    let tok = self.peek()?.clone();
                    return Err(self.unexpected(&tok, None));
                };
                let name = name.as_plain().map_or(raw, str::to_string);
                if self.peek()? == &Tok::Op("(") {
                    self.next()?;
                    self.expect_op(")")?;
                }
                return self.function_body(name);
            }
            Some(w) if RESERVED_ENDS.contains(&w) || w == "in" => {
                let tok = self.peek()?.clone();
                return Err(self.unexpected(&tok, None));
            }
            _ => None,
        };
        if let Some(body) = compound {
            return Ok(Command::Compound { body, redirects: self.redirects()? });
        }
        if self.peek()? == &Tok::Op("(") {
            self.next()?;
            let body = self.list(")")?;
            self.expect_op(")")?;
            return Ok(Command::Compound { body: Compound::Subshell(body), redirects: self.redirects()? });
        }
        self.simple(line)
    }

    fn if_clause(&mut self) -> Result<Compound, SyntaxError> {
        self.next()?;
        let mut branches = Vec::new();
        loop {
            let cond = self.list("then")?;
            self.expect_word("then")?;
            let body = self.list("fi")?;
            branches.push((cond, body));
            match self.peek_reserved()?.as_deref() {
                Some("elif") => {
                    self.next()?;
                }
                Some("else") => {
                    self.next()?;
                    let otherwise = self.list("fi")?;
                    self.expect_word("fi")?;
                    return Ok(Compound::If { branches, otherwise: Some(otherwise) });
                }
                _ => {
                    self.expect_word("fi")?;
                    return Ok(Compound::If { branches, otherwise: None });
                }
            }
        }
    }

    fn loop_clause(&mut self, until: bool) -> Result<Compound, SyntaxError> {
        self.next()?;
        let cond = self.list("do")?;
        let body = self.do_group()?;
        Ok(Compound::Loop { until, cond, body })
    }

    fn do_group(&mut self) -> Result<Program, SyntaxError> {
        self.expect_word("do")?;
        let body = self.list("done")?;
        self.expect_word("done")?;
        Ok(body)
    }

    fn for_clause(&mut self) -> Result<Compound, SyntaxError> {
        self.next()?;
        let var = match self.next()? {
            Tok::Word(w, raw) if w.as_plain().is_some_and(valid_name) => raw,
            _ => return Err(SyntaxError::new("Bad for loop variable").at(self.line)),
        };
        self.skip_newlines()?;
        let mut words = None;
        if self.peek_reserved()?.as_deref() == Some("in") {
            self.next()?;
            let mut list = Vec::new();
            while let Tok::Word(w, _) = self.peek()?.clone() {
                self.next()?;
                list.push(w);
            }
            match self.peek()? {
                Tok::Op(";") | Tok::Newline => {
                    self.next()?;
                }
                _ => {
                    let tok = self.peek()?.clone();
                    return Err(self.unexpected(&tok, Some("do")));
                }
            }
            words = Some(list);
        } else if self.peek()? == &Tok::Op(";") {
            self.next()?;
        }
        self.skip_newlines()?;
        let body = self.do_group()?;
        Ok(Compound::For { var, words, body })
    }

    fn case_clause(&mut self) -> Result<Compound, SyntaxError> {
        self.next()?;
        let word = match self.next()? {
            Tok::Word(w, _) => w,
            other => return Err(self.unexpected(&other, None)),
        };
        self.skip_newlines()?;
        self.expect_word("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.peek_reserved()?.as_deref() == Some("esac") {
                self.next()?;
                return Ok(Compound::Case { word, arms });
            }
            if self.peek()? == &Tok::Op("(") {
                self.next()?;
            }
            let mut patterns = Vec::new();
            loop {
                match self.next()? {
                    Tok::Word(w, _) => patterns.push(w),
                    other => return Err(self.unexpected(&other, None)),
                }
                if self.peek()? != &Tok::Op("|") {
                    break;
                }
                self.next()?;
            }
            self.expect_op(")")?;
            self.skip_newlines()?;
            let body = match self.peek()? {
                Tok::Op(";;") => Program::default(),
                Tok::Word(w, _) if w.as_plain() == Some("esac") => Program::default(),
                _ => self.list(";;")?,
            };
            arms.push(CaseArm { patterns, body });
            match self.peek()?.clone() {
                Tok::Op(";;") => {
                    self.next()?;
                }
                Tok::Word(w, _) if w.as_plain() == Some("esac") => {}
                other => return Err(self.unexpected(&other, Some(";;"))),
            }
        }
    }

    /// bash's `[[ ... ]]`: every token up to `]]` is a word, operators included.
    fn bash_test(&mut self, line: usize) -> Result<Compound, SyntaxError> {
        self.next()?;
        let mut words = Vec::new();
        loop {
            match self.next()? {
                Tok::Word(w, _) if w.as_plain() == Some("]]") => return Ok(Compound::Test { line, words }),
                Tok::Word(w, _) => words.push(w),
                Tok::Op(op) => words.push(Word::literal(op)),
                other => return Err(self.unexpected(&other, Some("]]"))),
            }
        }
    }

    fn function_body(&mut self, name: String) -> Result<Command, SyntaxError> {
        self.skip_newlines()?;
        // dash takes any command as a body (`f() echo hi`), not only compound ones.
        let body = self.command()?;
        Ok(Command::Function { name, body: Rc::new(body) })
    }

    fn simple(&mut self, line: usize) -> Result<Command, SyntaxError> {
        let mut simple = Simple { line, assigns: Vec::new(), words: Vec::new(), redirects: Vec::new() };
        loop {
            match self.peek()?.clone() {
                Tok::IoNumber(fd) => {
                    self.next()?;
                    let Tok::Op(op) = self.next()? else { unreachable!("an IoNumber is always followed by < or >") };
                    simple.redirects.push(self.redirect(Some(fd), op)?);
                }
                Tok::Op(op) if REDIRECTS.contains(&op) => {
                    self.next()?;
                    simple.redirects.push(self.redirect(None, op)?);
                }
                Tok::Word(word, raw) => {
                    self.next()?;
                    if simple.words.is_empty() {
                        if let Some(assign) = self.assignment(&word)? {
                            simple.assigns.push(assign);
                            continue;
                        }
                    }
                    let first = simple.words.is_empty() && simple.assigns.is_empty() && simple.redirects.is_empty();
                    if first && self.peek()? == &Tok::Op("(") {
                        self.next()?;
                        self.expect_op(")")?;
                        return self.function_body(raw);
                    }
                    simple.words.push(word);
                }
                other => {
                    if simple.words.is_empty() && simple.assigns.is_empty() && simple.redirects.is_empty() {
                        return Err(self.unexpected(&other, None));
                    }
                    break;
                }
            }
        }
        Ok(Command::Simple(simple))
    }

    /// `NAME=value` (and bash's `NAME=(a b)`), or `None` if the word is not one.
    fn assignment(&mut self, word: &Word) -> Result<Option<Assign>, SyntaxError> {
        let Some(Part::Literal(first)) = word.parts.first() else { return Ok(None) };
        let Some((name, value)) = first.split_once('=') else { return Ok(None) };
        if !valid_name(name) {
            return Ok(None);
        }
        let mut parts = Vec::new();
        if !value.is_empty() {
            parts.push(Part::Literal(value.to_string()));
        }
        parts.extend(word.parts[1..].iter().cloned());
        if parts.is_empty() && self.dialect == Dialect::Bash && self.peek()? == &Tok::Op("(") && self.src.get(self.pos.wrapping_sub(1)) == Some(&'(') {
            self.next()?;
            let mut items = Vec::new();
            loop {
                match self.next()? {
                    Tok::Word(w, _) => items.push(w),
                    Tok::Newline => {}
                    Tok::Op(")") => break,
                    other => return Err(self.unexpected(&other, Some(")"))),
                }
            }
            return Ok(Some(Assign { name: name.to_string(), value: AssignValue::Array(items) }));
        }
        Ok(Some(Assign { name: name.to_string(), value: AssignValue::Scalar(Word { parts }) }))
    }

    fn redirects(&mut self) -> Result<Vec<Redirect>, SyntaxError> {
        let mut out = Vec::new();
        loop {
            match self.peek()?.clone() {
                Tok::IoNumber(fd) => {
                    self.next()?;
                    let Tok::Op(op) = self.next()? else { unreachable!("an IoNumber is always followed by < or >") };
                    out.push(self.redirect(Some(fd), op)?);
                }
                Tok::Op(op) if REDIRECTS.contains(&op) => {
                    self.next()?;
                    out.push(self.redirect(None, op)?);
                }
                _ => return Ok(out),
            }
        }
    }

    fn redirect(&mut self, fd: Option<u32>, op: &str) -> Result<Redirect, SyntaxError> {
        let target = match self.next()? {
            Tok::Word(w, _) => w,
            other => return Err(self.unexpected(&other, None)),
        };
        let op = match op {
            "<" => RedirectOp::Read,
            ">" => RedirectOp::Write,
            ">>" => RedirectOp::Append,
            ">|" => RedirectOp::Clobber,
            "<>" => RedirectOp::ReadWrite,
            "<&" => RedirectOp::DupRead,
            ">&" => RedirectOp::DupWrite,
            "&>" => RedirectOp::WriteBoth,
            "<<<" => RedirectOp::HereString,
            _ => {
                let quoted = target.parts.iter().any(|p| !matches!(p, Part::Literal(_)));
                let delimiter = literal_text(&target.parts);
                self.pending.push(PendingHereDoc { delimiter, strip_tabs: op == "<<-", quoted });
                return Ok(Redirect { fd, op: RedirectOp::HereDoc, target: Word::default() });
            }
        };
        Ok(Redirect { fd, op, target })
    }

    /// Called after a newline: reads the bodies of the here-documents started on that line.
    pub(super) fn read_pending_heredocs(&mut self) -> Result<(), SyntaxError> {
        for doc in mem::take(&mut self.pending) {
            let start_line = self.line;
            let mut body = String::new();
            while self.pos < self.src.len() {
                let end = self.src[self.pos..].iter().position(|c| *c == '\n').map_or(self.src.len(), |i| self.pos + i);
                let mut text: String = self.src[self.pos..end].iter().collect();
                if doc.strip_tabs {
                    text = text.trim_start_matches('\t').to_string();
                }
                self.pos = (end + 1).min(self.src.len());
                self.line += 1;
                if text == doc.delimiter {
                    break;
                }
                body.push_str(&text);
                body.push('\n');
            }
            let word = if doc.quoted { Word { parts: vec![Part::Quoted(body)] } } else { Word { parts: Parser::text_parts(&body, self.dialect, start_line)? } };
            self.bodies.push_back(word);
        }
        Ok(())
    }

    /// Puts the bodies read so far into the here-document redirections, in source order.
    fn fill_heredocs(&mut self, items: &mut [AndOr]) {
        for item in items {
            let pipelines = std::iter::once(&mut item.first).chain(item.rest.iter_mut().map(|(_, p)| p));
            for pipeline in pipelines {
                for command in &mut pipeline.commands {
                    self.fill_command(command);
                }
            }
        }
    }

    fn fill_command(&mut self, command: &mut Command) {
        let redirects = match command {
            Command::Simple(s) => &mut s.redirects,
            Command::Function { body, .. } => {
                if let Some(body) = Rc::get_mut(body) {
                    self.fill_command(body);
                }
                return;
            }
            Command::Compound { body, redirects } => {
                self.fill_compound(body);
                redirects
            }
        };
        for r in redirects.iter_mut().filter(|r| r.op == RedirectOp::HereDoc && r.target.parts.is_empty()) {
            r.target = self.bodies.pop_front().unwrap_or_default();
        }
    }

    fn fill_compound(&mut self, compound: &mut Compound) {
        match compound {
            Compound::Group(p) | Compound::Subshell(p) | Compound::For { body: p, .. } => self.fill_heredocs(&mut p.items),
            Compound::If { branches, otherwise } => {
                for (c, b) in branches {
                    self.fill_heredocs(&mut c.items);
                    self.fill_heredocs(&mut b.items);
                }
                if let Some(o) = otherwise {
                    self.fill_heredocs(&mut o.items);
                }
            }
            Compound::Loop { cond, body, .. } => {
                self.fill_heredocs(&mut cond.items);
                self.fill_heredocs(&mut body.items);
            }
            Compound::Case { arms, .. } => {
                for arm in arms {
                    self.fill_heredocs(&mut arm.body.items);
                }
            }
            Compound::Test { .. } => {}
        }
    }

    /// After `$(`: a program up to the matching `)`.
    pub(super) fn nested_program(&mut self) -> Result<Program, SyntaxError> {
        self.enter()?;
        let outer_peeked = self.peeked.take();
        let outer_pending = mem::take(&mut self.pending);
        let outer_bodies = mem::take(&mut self.bodies);
        let result = self.nested_list();
        self.peeked = outer_peeked;
        self.pending = outer_pending;
        self.bodies = outer_bodies;
        self.depth -= 1;
        result
    }

    fn nested_list(&mut self) -> Result<Program, SyntaxError> {
        self.skip_newlines()?;
        let mut program = if self.peek()? == &Tok::Op(")") { Program::default() } else { self.list(")")? };
        match self.peeked.take() {
            Some((Tok::Op(")"), _)) => {}
            Some((tok, line)) => {
                self.peeked = Some((tok.clone(), line));
                return Err(self.unexpected(&tok, Some(")")));
            }
            None => unreachable!("list() ends on a peeked token"),
        }
        self.fill_heredocs(&mut program.items);
        Ok(program)
    }

    /// A whole script text (a backquoted command) parsed on its own.
    pub(super) fn sub_program(&self, text: &str, line: usize) -> Result<Program, SyntaxError> {
        let mut parser = Parser::starting_at(text, self.dialect, line, self.depth + 1);
        if parser.depth > MAX_DEPTH {
            return Err(SyntaxError::new("nesting too deep (Layerlab stops at 100 levels)").at(line));
        }
        parser.parse_all()
    }

    /// Text whose only specials are `$`, `` ` `` and `\` (here-document bodies, arithmetic).
    pub(super) fn text_parts(text: &str, dialect: Dialect, line: usize) -> Result<Vec<Part>, SyntaxError> {
        let mut parser = Parser::starting_at(text, dialect, line, 0);
        parser.read_parts(Mode::Text)
    }

    /// Every line of the script (for tests and for command substitutions).
    pub fn parse_all(&mut self) -> Result<Program, SyntaxError> {
        let mut program = Program::default();
        while let Some(line) = self.next_command() {
            program.items.extend(line?.items);
        }
        Ok(program)
    }
}

pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(is_name_start) && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// The text of a here-document delimiter with its quotes removed.
fn literal_text(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Part::Literal(s) | Part::Quoted(s) => s.clone(),
            Part::Double(inner) => literal_text(inner),
            _ => String::new(),
        })
        .collect()
}
