//! Layer 1 of the front end: Dockerfile text → syntax tree, exactly the way
//! BuildKit's `parser.Parse` splits it (section A1–A6 of the semantics
//! reference). This layer knows how lines join and how each instruction's
//! arguments are *split*; what the instructions *mean* (flags allowed, arity,
//! stages) is the job of `crate::instructions`.
//!
//! Every piece of text keeps a [`Span`] into the original source so the
//! editor can underline it.

mod args;
mod directives;
mod dump;
mod flags;
mod heredoc;
mod lines;
mod parse;
mod position;
pub mod quote;

pub use directives::Directives;
pub use heredoc::{chomp, parse_heredoc, Heredoc};
pub use parse::parse;
pub use position::{position, Position};

/// A byte range `start..end` in the original source text. Offsets are 32-bit, as
/// rust-analyzer's are: every word of the tree carries a span, and half-size offsets make
/// every word, node and instruction 8 to 16 bytes smaller (a source over 4 GiB, which no
/// editor page holds, would have its offsets wrap).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start: start as u32, end: end as u32 }
    }

    /// The range to slice the source with.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One piece of text from the source: its value after the parser's own
/// processing (for flags: quotes and escapes removed; elsewhere: raw) and
/// where it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    pub value: Text,
    pub span: Span,
}

/// The text of a [`Word`]: a string that keeps up to 24 bytes inline. Most words
/// (keywords, image names, paths, ARG names) are that short, and every keystroke
/// parses the whole file: allocating each of them was half of the parse.
pub type Text = compact_str::CompactString;

/// One instruction: BuildKit's `Node` with its `Next` chain flattened into
/// `args`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Node {
    /// The instruction word as typed (`run`, `RUN`, `Run`).
    pub keyword: Word,
    /// The instruction Docker knows by this keyword, if any (found once: both layers
    /// dispatch on it).
    pub known: Option<Keyword>,
    /// Flags from the start of the arguments (`--from=build`), quotes removed.
    pub flags: Vec<Word>,
    /// The argument nodes, laid out as section D1 describes (`env` gives
    /// key/value/separator triples, JSON form one word per element, ...).
    pub args: Vec<Word>,
    /// The instruction wrapped by `ONBUILD`.
    pub onbuild: Option<Box<Node>>,
    /// Exec (JSON array) form.
    pub json: bool,
    pub heredocs: Vec<Heredoc>,
    /// The joined logical line (BuildKit's `Node.Original`): what
    /// `Step N/M : ...` and build vertex names print.
    pub original: String,
    /// 1-based first and last physical line (heredoc bodies included).
    pub start_line: usize,
    pub end_line: usize,
    /// From the first character of the instruction to the end of its last line.
    pub span: Span,
    /// Whole-line comments directly above the instruction, `#` removed, each ending with
    /// `\n` (one string: most files comment a good part of their instructions, and a
    /// string per line was an allocation per line on every keystroke).
    pub comments: String,
}

impl Node {
    /// The instruction name, lowercased as BuildKit matches it.
    pub fn name(&self) -> String {
        self.keyword.value.as_str().to_ascii_lowercase()
    }

    /// The lowercased name when it is an instruction Docker knows.
    pub fn known_name(&self) -> Option<&'static str> {
        self.known.map(Keyword::name)
    }

    /// The argument values as plain strings.
    pub fn arg_values(&self) -> Vec<&str> {
        self.args.iter().map(|w| w.value.as_str()).collect()
    }

    /// BuildKit's `Node.Dump()` of this instruction (without the outer parentheses).
    pub fn dump(&self) -> String {
        dump::node(self)
    }
}

/// A parser warning that is not an error (BuildKit reports it as the
/// `NoEmptyContinuation` build check).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxWarning {
    pub message: String,
    pub start_line: usize,
    pub end_line: usize,
    pub span: Span,
}

/// The parsed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ast {
    pub nodes: Vec<Node>,
    pub directives: Directives,
    pub warnings: Vec<SyntaxWarning>,
}

impl Ast {
    /// BuildKit's `Node.Dump()` of the root, as compared by its parser tests
    /// (without the final newline).
    pub fn dump(&self) -> String {
        dump::root(&self.nodes)
    }
}

/// A parse failure, worded as BuildKit words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub start_line: usize,
    pub end_line: usize,
    pub span: Span,
}

impl SyntaxError {
    /// Where the error starts, for the editor.
    pub fn position(&self, src: &str) -> Position {
        position(src, self.span.range().start)
    }
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SyntaxError {}


/// Docker's instruction names, lowercased, in the order its reference lists them (also the
/// options of "did you mean", which come out in the case the user typed).
pub const INSTRUCTION_NAMES: [&str; 18] = [
    "add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck", "label", "maintainer", "onbuild",
    "run", "shell", "stopsignal", "user", "volume", "workdir",
];

/// An instruction Docker knows, in the order of [`INSTRUCTION_NAMES`]. Both layers
/// dispatch on it for every instruction of every keystroke: a number to match, where
/// matching the name was a string comparison per arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
}

impl Keyword {
    const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// The lowercased name (`run`).
    pub fn name(self) -> &'static str {
        INSTRUCTION_NAMES[self as usize]
    }

    /// The instruction `typed` names, in any case (asked for every line on every
    /// keystroke, so compared as one number: ORing 0x20 into a byte gives a lowercase
    /// letter only when the byte is a letter, so the comparison is exact).
    pub fn of(typed: &str) -> Option<Keyword> {
        Keyword::starting(typed, typed.len())
    }

    /// The instruction named by the first `len` bytes of `line`. A line of 16 bytes or more
    /// (most) is read as one number where it is, without a copy to pad it.
    pub(crate) fn starting(line: &str, len: usize) -> Option<Keyword> {
        if len == 0 || len > 16 {
            return None;
        }
        let bytes = line.as_bytes();
        let word = match bytes.first_chunk::<16>() {
            Some(chunk) => u128::from_le_bytes(*chunk),
            None => {
                let mut buffer = [0u8; 16];
                buffer[..len].copy_from_slice(&bytes[..len]);
                u128::from_le_bytes(buffer)
            }
        };
        let mask = u128::MAX >> (8 * (16 - len));
        let typed = (word | 0x2020_2020_2020_2020_2020_2020_2020_2020) & mask;
        let at = PACKED_NAMES.iter().position(|&name| name == typed)?;
        Some(Keyword::ALL[at])
    }
}

/// `keyword` lowercased, if it names an instruction.
pub fn known_name(keyword: &str) -> Option<&'static str> {
    Keyword::of(keyword).map(Keyword::name)
}

/// [`INSTRUCTION_NAMES`], each as one little-endian number, zero-padded.
const PACKED_NAMES: [u128; 18] = {
    let mut packed = [0u128; 18];
    let mut n = 0;
    while n < INSTRUCTION_NAMES.len() {
        let bytes = INSTRUCTION_NAMES[n].as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            packed[n] |= (bytes[i] as u128) << (8 * i);
            i += 1;
        }
        n += 1;
    }
    packed
};

#[cfg(test)]
mod tests {
    #[test]
    fn known_names_are_the_instruction_names() {
        for (n, name) in super::INSTRUCTION_NAMES.into_iter().enumerate() {
            assert_eq!(super::Keyword::ALL[n].name(), name);
            assert_eq!(super::known_name(name), Some(name));
            assert_eq!(super::known_name(&name.to_uppercase()), Some(name));
        }
        for other in ["", "RUNN", "ru", "healthchecks", "fröm"] {
            assert_eq!(super::known_name(other), None);
        }
        // Read from the start of a line, long or short, in any case.
        use super::Keyword;
        assert_eq!(Keyword::starting("RUN echo hello && make install", 3), Some(Keyword::Run));
        assert_eq!(Keyword::starting("healthcheck --interval=5s CMD true", 11), Some(Keyword::Healthcheck));
        assert_eq!(Keyword::starting("fRoM", 4), Some(Keyword::From));
        assert_eq!(Keyword::starting("FROMX a", 5), None);
        assert_eq!(Keyword::starting("ENTRYPOINTS_ARE_LONG [\"a\"]", 11), None);
    }
}
