//! Physical lines and the logical lines BuildKit joins from them (A1).

/// One physical line: its text without the line ending, and where it starts.
#[derive(Clone, Copy, Debug)]
pub struct PhysicalLine<'a> {
    /// The line with its ending (`\n`, and any `\r` before it) removed.
    pub text: &'a str,
    /// The line including its ending: heredoc bodies keep it.
    pub raw: &'a str,
    /// Byte offset of `text` in the source.
    pub start: usize,
}

/// Iterates over the lines of the source. A UTF-8 BOM on line 1 is skipped.
pub struct Lines<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Lines<'a> {
    pub fn new(src: &'a str) -> Self {
        let pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
        Lines { src, pos }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = PhysicalLine<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.src.len() {
            return None;
        }
        let rest = &self.src[self.pos..];
        let len = crate::scan::find_byte(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        let raw = &rest[..len];
        let start = self.pos;
        self.pos += len;
        // BuildKit trims every trailing CR and LF (`bytes.TrimRight(b, "\r\n")`).
        let bytes = raw.as_bytes();
        let mut end = bytes.len();
        while end > 0 && matches!(bytes[end - 1], b'\r' | b'\n') {
            end -= 1;
        }
        let text = &raw[..end];
        Some(PhysicalLine { text, raw, start })
    }
}

/// The ASCII whitespace Go's `unicode.IsSpace` (and Rust's `char::is_whitespace`) knows.
pub fn is_ascii_space(b: u8) -> bool {
    BYTE_CLASS[usize::from(b)] & SPACE != 0
}

/// The blanks BuildKit splits words on (`[ \t\v\f\r]`, no newline).
pub fn is_blank(b: u8) -> bool {
    BYTE_CLASS[usize::from(b)] & BLANK != 0
}

const SPACE: u8 = 1;
const BLANK: u8 = 2;

/// What each byte is, looked up rather than compared: every byte of the indentation and
/// of the words split on blanks is tested, on every keystroke.
static BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let blanks = *b" \t\x0b\x0c\r";
    let mut i = 0;
    while i < blanks.len() {
        table[blanks[i] as usize] = SPACE | BLANK;
        i += 1;
    }
    table[b'\n' as usize] = SPACE;
    table
};

/// Leading whitespace as Go's `unicode.IsSpace` sees it (ASCII read as bytes:
/// every line goes through this, several times).
pub fn trim_leading_space(s: &str) -> &str {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            _ if is_ascii_space(b) => i += 1,
            0..=0x7f => return &s[i..],
            _ => return s[i..].trim_start(),
        }
    }
    ""
}

/// [`trim_leading_space`] at the other end.
pub fn trim_trailing_space(s: &str) -> &str {
    let bytes = s.as_bytes();
    let mut end = bytes.len();
    while let Some(&b) = end.checked_sub(1).and_then(|i| bytes.get(i)) {
        match b {
            _ if is_ascii_space(b) => end -= 1,
            0..=0x7f => return &s[..end],
            _ => return s[..end].trim_end(),
        }
    }
    ""
}

/// The continuation rule ``([^\X])\X[ \t]*$|^\X[ \t]*$``: returns the line
/// without its continuation token, or `None` if the line does not continue.
/// The escape token is `\\` or `` ` ``: one ASCII byte.
pub fn strip_continuation(line: &str, escape: u8) -> Option<&str> {
    let bytes = line.as_bytes();
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    if end == 0 || bytes[end - 1] != escape {
        return None;
    }
    // An escaped escape token (`foo \\`) is literal text, not a continuation.
    if end >= 2 && bytes[end - 2] == escape {
        return None;
    }
    Some(&line[..end - 1])
}

/// A logical line joined from pieces of physical lines, remembering where
/// each piece came from so spans can be mapped back to the source.
#[derive(Clone, Debug, Default)]
pub struct LogicalLine {
    pub text: String,
    /// Where the first piece starts in the source (most lines have one piece).
    first: usize,
    /// (offset in `text`, offset in the source) for each continuation piece.
    pieces: Vec<(usize, usize)>,
}

impl LogicalLine {
    /// Empties the line, keeping its buffers for the next instruction.
    pub fn clear(&mut self) {
        self.text.clear();
        self.pieces.clear();
    }

    pub fn push(&mut self, piece: &str, source_start: usize) {
        if self.text.is_empty() && self.pieces.is_empty() {
            self.first = source_start;
        } else {
            self.pieces.push((self.text.len(), source_start));
        }
        self.text.push_str(piece);
    }

    /// Where the line starts in the source, when it is one piece of one line.
    pub fn single_piece_start(&self) -> Option<usize> {
        self.pieces.is_empty().then_some(self.first)
    }

    /// Maps an offset in the joined text to an offset in the source.
    pub fn to_source(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|&(at, _)| at <= offset);
        match i.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some(&(at, src)) => src + (offset - at),
            None => self.first + offset,
        }
    }

    /// Maps the end of a range: an end that falls exactly on a piece
    /// boundary belongs to the earlier piece.
    pub fn end_to_source(&self, offset: usize) -> usize {
        if offset == 0 {
            return self.to_source(0);
        }
        self.to_source(offset - 1) + 1
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn byte_classes_are_go_s_ascii_whitespace_and_blanks() {
        for b in 0..=255u8 {
            assert_eq!(super::is_ascii_space(b), (b as char).is_whitespace() && b.is_ascii(), "{b:#x}");
            assert_eq!(super::is_blank(b), matches!(b, b' ' | b'\t' | 0x0b | 0x0c | b'\r'), "{b:#x}");
        }
    }

    use super::*;

    #[test]
    fn continuation_rules() {
        assert_eq!(strip_continuation("RUN a \\", b'\\'), Some("RUN a "));
        assert_eq!(strip_continuation("RUN a\\  \t", b'\\'), Some("RUN a"));
        assert_eq!(strip_continuation("\\", b'\\'), Some(""));
        assert_eq!(strip_continuation("RUN a \\\\", b'\\'), None);
        assert_eq!(strip_continuation("RUN a `", b'`'), Some("RUN a "));
        assert_eq!(strip_continuation("RUN a \\", b'`'), None);
        assert_eq!(strip_continuation("é\\", b'\\'), Some("é"));
    }

    #[test]
    fn trims_match_go_trim_space() {
        for s in ["", " ", " a b ", "\u{a0}a\u{2003} ", "\t\x0b\x0ca\r\n", "é ", " \u{85}"] {
            // Both ends trimmed: Go's `strings.TrimSpace`.
            assert_eq!(trim_trailing_space(trim_leading_space(s)), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn lines_keep_offsets_and_drop_bom_and_crlf() {
        let src = "\u{feff}FROM a\r\nRUN b\n\nX";
        let lines: Vec<_> = Lines::new(src).map(|l| (l.text, l.start)).collect();
        assert_eq!(lines, vec![("FROM a", 3), ("RUN b", 11), ("", 17), ("X", 18)]);
    }

    #[test]
    fn logical_line_maps_offsets_back() {
        let mut l = LogicalLine::default();
        l.push("RUN a ", 0);
        l.push("  b", 10);
        assert_eq!(l.text, "RUN a   b");
        assert_eq!(l.to_source(4), 4);
        assert_eq!(l.to_source(6), 10);
        assert_eq!(l.to_source(8), 12);
        assert_eq!(l.end_to_source(6), 6);
        assert_eq!(l.end_to_source(9), 13);
    }
}
