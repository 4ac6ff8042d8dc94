//! The parse loop (BuildKit's `parser.Parse`): physical lines → logical
//! instructions → nodes, then heredoc bodies.

use super::args::parse_args;
use super::flags::split_command;
use super::heredoc::heredocs_from_line;
use super::lines::{strip_continuation, trim_leading_space, Lines, LogicalLine, PhysicalLine};
use super::{Ast, Directives, Node, Span, SyntaxError, SyntaxWarning, Word};
use std::iter::Peekable;

/// bufio.Scanner's limit in BuildKit: longer lines are an error.
const MAX_LINE: usize = 65535;

/// Parses Dockerfile text into a syntax tree, or the error BuildKit gives.
pub fn parse(src: &str) -> Result<Ast, SyntaxError> {
    let mut parser = Parser {
        src,
        lines: Lines::new(src).peekable(),
        directives: Directives::default(),
        line_no: 0,
        comments: Vec::new(),
        logical: LogicalLine::default(),
        // Real files average one instruction per ~100 bytes: start there so
        // the vector of 200-byte nodes rarely regrows.
        nodes: Vec::with_capacity(src.len() / 100 + 1),
        warnings: Vec::new(),
    };
    parser.run()?;
    if parser.nodes.is_empty() {
        let end = src.len();
        return Err(error("file with no instructions", parser.line_no.max(1), parser.line_no.max(1), Span::new(end, end)));
    }
    Ok(Ast { nodes: parser.nodes, directives: parser.directives, warnings: parser.warnings })
}

fn error(message: impl Into<String>, start_line: usize, end_line: usize, span: Span) -> SyntaxError {
    SyntaxError { message: message.into(), start_line, end_line, span }
}

struct Parser<'a> {
    src: &'a str,
    lines: Peekable<Lines<'a>>,
    directives: Directives,
    /// Number of physical lines consumed so far.
    line_no: usize,
    comments: Vec<String>,
    /// Scratch space for joining an instruction's lines.
    logical: LogicalLine,
    nodes: Vec<Node>,
    warnings: Vec<SyntaxWarning>,
}

impl<'a> Parser<'a> {
    fn next_line(&mut self) -> Result<Option<PhysicalLine<'a>>, SyntaxError> {
        let Some(line) = self.lines.next() else {
            return Ok(None);
        };
        self.line_no += 1;
        if line.raw.len() > MAX_LINE + 1 {
            let span = Span::new(line.start, line.start + line.text.len());
            let msg = format!("dockerfile line greater than max allowed size of {MAX_LINE}");
            return Err(error(msg, self.line_no, self.line_no, span));
        }
        Ok(Some(line))
    }

    fn run(&mut self) -> Result<(), SyntaxError> {
        while let Some(first) = self.next_line()? {
            self.instruction(first)?;
        }
        Ok(())
    }

    /// Reads one instruction starting at `first` (which may turn out to be
    /// a blank or comment line).
    fn instruction(&mut self, first: PhysicalLine<'a>) -> Result<(), SyntaxError> {
        let start_line = self.line_no;
        let stripped = trim_leading_space(first.text);
        let lead = first.text.len() - stripped.len();
        let first_span = Span::new(first.start + lead, first.start + first.text.len());
        // BuildKit's isComment: the first character that is not blank is `#`.
        if stripped.starts_with('#') {
            self.comments.push(comment_text(first.text));
        }
        if let Err(msg) = self.directives.observe(stripped, first.start + lead) {
            return Err(error(msg, start_line, start_line, first_span));
        }
        let content = if stripped.starts_with('#') { "" } else { stripped };
        let escape = self.directives.escape;
        let (piece, mut done) = continuation(content, escape);
        if done && piece.is_empty() {
            return Ok(());
        }
        // One buffer joins every instruction's lines; each keeps an exact copy.
        let mut logical = std::mem::take(&mut self.logical);
        logical.clear();
        logical.push(piece, first.start + lead);
        let mut end = first_span.end;
        let mut empty_continuation = false;
        while !done {
            let Some(next) = self.next_line()? else { break };
            end = next.start + next.text.len();
            let stripped = trim_leading_space(next.text);
            if stripped.starts_with('#') {
                continue;
            }
            if stripped.is_empty() {
                empty_continuation = true;
                continue;
            }
            let (piece, eol) = continuation(next.text, escape);
            logical.push(piece, next.start);
            done = eol;
        }
        let span = Span::new(first_span.start, end);
        let node = node_from_line(&logical.text, escape).map_err(|msg| error(msg, start_line, self.line_no, span));
        let node = node.map(|mut node| {
            map_spans(&mut node, &logical);
            node.original = logical.text.as_str().into();
            node
        });
        self.logical = logical;
        let mut node = node?;
        node.comments = std::mem::take(&mut self.comments);
        if empty_continuation {
            let message = "Empty continuation line".to_string();
            self.warnings.push(SyntaxWarning { message, start_line, end_line: self.line_no, span });
        }
        if can_contain_heredoc(&node) && node.original.contains("<<") {
            self.read_heredocs(&mut node, start_line, span)?;
        }
        node.start_line = start_line;
        node.end_line = self.line_no;
        node.span = Span::new(span.start, node.heredocs.last().map_or(span.end, |h| h.span.end.max(span.end)));
        if let Some(child) = node.onbuild.as_deref_mut() {
            child.start_line = start_line;
            child.end_line = node.end_line;
        }
        self.nodes.push(node);
        Ok(())
    }

    fn read_heredocs(&mut self, node: &mut Node, start_line: usize, span: Span) -> Result<(), SyntaxError> {
        let docs = heredocs_from_line(&node.original).map_err(|m| error(m, start_line, self.line_no, span))?;
        for mut doc in docs {
            let body_start = self.lines.peek().map_or(span.end, |l| l.start);
            let mut body_end = body_start;
            let mut content_end = body_start;
            let mut terminated = false;
            while let Some(line) = self.next_line()? {
                let candidate = if doc.chomp { line.text.trim_start_matches('\t') } else { line.text };
                if candidate == doc.name {
                    terminated = true;
                    body_end = body_end.max(line.start + line.text.len());
                    break;
                }
                body_end = line.start + line.raw.len();
                content_end = body_end;
            }
            // The body is its lines as they are in the source, endings included: one copy.
            doc.content = self.src[body_start..content_end].to_string();
            if !terminated {
                return Err(error("unterminated heredoc", start_line, self.line_no, Span::new(span.start, body_end)));
            }
            doc.span = Span::new(body_start, body_end);
            node.heredocs.push(doc);
        }
        Ok(())
    }
}

/// `bytesRead[1:]` trimmed: BuildKit drops the first byte of the raw line.
fn comment_text(line: &str) -> String {
    let mut chars = line.chars();
    chars.next();
    chars.as_str().trim().to_string()
}

/// (line without its continuation token, whether the instruction ends here).
fn continuation(line: &str, escape: char) -> (&str, bool) {
    match strip_continuation(line, escape) {
        Some(piece) => (piece, false),
        None => (line, true),
    }
}

/// RUN, COPY and ADD in shell form (also under ONBUILD) take heredocs.
fn can_contain_heredoc(node: &Node) -> bool {
    let target = node.onbuild.as_deref().unwrap_or(node);
    let name = &target.keyword.value;
    ["run", "copy", "add"].iter().any(|k| name.eq_ignore_ascii_case(k)) && !target.json
}

/// `newNodeFromLine`: keyword, flags and arguments of one logical line.
/// Spans are offsets in `line` until `map_spans` runs.
fn node_from_line(line: &str, escape: char) -> Result<Node, String> {
    let split = split_command(line);
    // Unknown names parse as BuildKit's parseIgnore does (see `parse_args`).
    let name = super::known_name(&split.keyword.value).unwrap_or("");
    let mut node = Node {
        keyword: split.keyword,
        flags: split.flags,
        args: Vec::new(),
        onbuild: None,
        json: false,
        heredocs: Vec::new(),
        original: String::new(),
        start_line: 0,
        end_line: 0,
        span: Span::new(0, line.len()),
        comments: Vec::new(),
    };
    if name == "onbuild" {
        if !split.args.is_empty() {
            let mut child = node_from_line(split.args, escape)?;
            child.original = split.args.to_string();
            shift_spans(&mut child, split.args_at);
            node.onbuild = Some(Box::new(child));
        }
        return Ok(node);
    }
    let args = parse_args(name, split.args, split.args_at, escape)?;
    node.args = args.words;
    node.json = args.json;
    Ok(node)
}

fn for_each_span(node: &mut Node, f: &mut impl FnMut(&mut Span)) {
    f(&mut node.span);
    f(&mut node.keyword.span);
    node.flags.iter_mut().chain(node.args.iter_mut()).for_each(|w: &mut Word| f(&mut w.span));
    if let Some(child) = node.onbuild.as_deref_mut() {
        for_each_span(child, f);
    }
}

fn shift_spans(node: &mut Node, by: usize) {
    for_each_span(node, &mut |s| *s = Span::new(s.start + by, s.end + by));
}

fn map_spans(node: &mut Node, logical: &LogicalLine) {
    // Most instructions are one line: their spans only move by where it starts.
    if let Some(start) = logical.single_piece_start() {
        return shift_spans(node, start);
    }
    for_each_span(node, &mut |s| {
        let start = logical.to_source(s.start);
        let end = if s.end == s.start { start } else { logical.end_to_source(s.end) };
        *s = Span::new(start, end);
    });
}
