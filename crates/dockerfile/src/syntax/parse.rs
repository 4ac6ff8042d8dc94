//! The parse loop (BuildKit's `parser.Parse`): physical lines → logical
//! instructions → nodes, then heredoc bodies.

use super::args::parse_args;
use super::flags::split_command;
use super::heredoc::heredocs_from_line;
use super::lines::{strip_continuation, trim_leading_space, Lines, LogicalLine, PhysicalLine};
use super::{Ast, Directives, Keyword, Node, Span, SyntaxError, SyntaxWarning, Word};
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
        comments: String::new(),
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
    /// The comment lines read since the last instruction, each ending with `\n`.
    comments: String,
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
            if self.comments.capacity() == 0 {
                self.comments = String::with_capacity(128);
            }
            self.comments.push_str(comment_text(first.text));
            self.comments.push('\n');
        }
        if let Err(msg) = self.directives.observe(stripped, first.start + lead) {
            return Err(error(msg, start_line, start_line, first_span));
        }
        let content = if stripped.starts_with('#') { "" } else { stripped };
        let escape = self.directives.escape;
        let (piece, done) = continuation(content, escape as u8);
        if done && piece.is_empty() {
            return Ok(());
        }
        // The node is built where it stays: moving a node of this size costs more than
        // filling one of the short lines most instructions are.
        self.nodes.push(Node::default());
        let (span, empty_continuation) = if done {
            // One line, as most instructions are: read where it is, not copied to be joined.
            let node = self.nodes.last_mut().expect("just pushed");
            fill_node(node, piece, escape).map_err(|msg| error(msg, start_line, start_line, first_span))?;
            shift_spans(node, first.start + lead);
            // A copy made to size: pushing onto the empty string took the growth path.
            node.original = piece.to_owned();
            (first_span, false)
        } else {
            self.joined_instruction(piece, first.start + lead, first_span, start_line)?
        };
        let node = self.nodes.last_mut().expect("just pushed");
        node.comments = std::mem::take(&mut self.comments);
        node.start_line = start_line;
        let heredocs = can_contain_heredoc(node) && has_heredoc_marker(&node.original);
        if empty_continuation {
            let message = "Empty continuation line".to_string();
            self.warnings.push(SyntaxWarning { message, start_line, end_line: self.line_no, span });
        }
        if heredocs {
            self.read_heredocs(start_line, span)?;
        }
        let end_line = self.line_no;
        let node = self.nodes.last_mut().expect("just pushed");
        node.end_line = end_line;
        node.span = Span { start: span.start, end: node.heredocs.last().map_or(span.end, |h| h.span.end.max(span.end)) };
        if let Some(child) = node.onbuild.as_deref_mut() {
            child.start_line = start_line;
            child.end_line = end_line;
        }
        Ok(())
    }

    /// An instruction continued over several lines: its pieces are joined, then the
    /// last node (pushed empty) is filled from them. Returns its span and whether an
    /// empty line continued it.
    fn joined_instruction(&mut self, piece: &str, at: usize, first_span: Span, start_line: usize) -> Result<(Span, bool), SyntaxError> {
        let escape = self.directives.escape;
        // One buffer joins every instruction's lines; each keeps an exact copy.
        let mut logical = std::mem::take(&mut self.logical);
        logical.clear();
        logical.push(piece, at);
        let mut end = first_span.range().end;
        let mut empty_continuation = false;
        let mut done = false;
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
            let (piece, eol) = continuation(next.text, escape as u8);
            logical.push(piece, next.start);
            done = eol;
        }
        let span = Span::new(first_span.range().start, end);
        let node = self.nodes.last_mut().expect("pushed by the caller");
        let filled = fill_node(node, &logical.text, escape);
        if let Err(msg) = filled {
            return Err(error(msg, start_line, self.line_no, span));
        }
        map_spans(node, &logical);
        node.original = logical.text.clone();
        self.logical = logical;
        Ok((span, empty_continuation))
    }

    /// The heredoc bodies of the last node, read from the lines after it.
    fn read_heredocs(&mut self, start_line: usize, span: Span) -> Result<(), SyntaxError> {
        let original = self.nodes.last().map_or("", |n| n.original.as_str());
        let docs = heredocs_from_line(original).map_err(|m| error(m, start_line, self.line_no, span))?;
        let mut read = Vec::with_capacity(docs.len());
        for mut doc in docs {
            let body_start = self.lines.peek().map_or(span.range().end, |l| l.start);
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
                return Err(error("unterminated heredoc", start_line, self.line_no, Span::new(span.range().start, body_end)));
            }
            doc.span = Span::new(body_start, body_end);
            read.push(doc);
        }
        if let Some(node) = self.nodes.last_mut() {
            node.heredocs = read;
        }
        Ok(())
    }
}

/// `bytesRead[1:]` trimmed: BuildKit drops the first byte of the raw line.
fn comment_text(line: &str) -> &str {
    let mut chars = line.chars();
    chars.next();
    chars.as_str().trim()
}

/// (line without its continuation token, whether the instruction ends here).
/// The escape token is `\\` or `` ` `` (the only ones the directive accepts): one byte.
fn continuation(line: &str, escape: u8) -> (&str, bool) {
    match strip_continuation(line, escape) {
        Some(piece) => (piece, false),
        None => (line, true),
    }
}

/// Whether `<<` occurs at all (`<` is rare: each one found by a SIMD search is checked;
/// long RUN lines come through here on every keystroke).
fn has_heredoc_marker(line: &str) -> bool {
    let bytes = line.as_bytes();
    crate::scan::positions(b'<', bytes).any(|i| bytes.get(i + 1) == Some(&b'<'))
}

/// RUN, COPY and ADD in shell form (also under ONBUILD) take heredocs.
fn can_contain_heredoc(node: &Node) -> bool {
    let target = node.onbuild.as_deref().unwrap_or(node);
    matches!(target.known, Some(Keyword::Run | Keyword::Copy | Keyword::Add)) && !target.json
}

/// `newNodeFromLine`: keyword, flags and arguments of one logical line, into an
/// empty `node`. Spans are offsets in `line` until `map_spans` runs.
fn fill_node(node: &mut Node, line: &str, escape: char) -> Result<(), String> {
    let split = split_command(line);
    // The keyword is where the line starts (the callers trimmed what was before it).
    let keyword = split.keyword.span.range();
    let name = Keyword::starting(&line[keyword.start..], keyword.len());
    node.keyword = split.keyword;
    node.flags = split.flags;
    node.known = name;
    node.span = Span::new(0, line.len());
    if name == Some(Keyword::Onbuild) {
        if !split.args.is_empty() {
            let mut child = Box::<Node>::default();
            fill_node(&mut child, split.args, escape)?;
            child.original = split.args.to_string();
            shift_spans(&mut child, split.args_at);
            node.onbuild = Some(child);
        }
        return Ok(());
    }
    // Unknown names parse as BuildKit's parseIgnore does (see `parse_args`).
    let args = parse_args(name, split.args, split.args_at, escape)?;
    node.args = args.words;
    node.json = args.json;
    Ok(())
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
    let by = by as u32;
    for_each_span(node, &mut |s| *s = Span { start: s.start + by, end: s.end + by });
}

fn map_spans(node: &mut Node, logical: &LogicalLine) {
    // Most instructions are one line: their spans only move by where it starts.
    if let Some(start) = logical.single_piece_start() {
        return shift_spans(node, start);
    }
    for_each_span(node, &mut |s| {
        let range = s.range();
        let start = logical.to_source(range.start);
        let end = if range.is_empty() { start } else { logical.end_to_source(range.end) };
        *s = Span::new(start, end);
    });
}
