//! The shell's syntax tree: what dash's parser builds (`nodes.h`), named after POSIX's grammar.

use std::rc::Rc;

/// A whole script, or the body of a compound command: and-or lists in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Program {
    pub items: Vec<AndOr>,
}

/// `a && b || c`, optionally ended by `&` (which the simulator runs to completion).
#[derive(Debug, Clone, PartialEq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

/// `! a | b | c`
#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    pub negated: bool,
    pub commands: Vec<Command>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Simple(Simple),
    Compound { body: Compound, redirects: Vec<Redirect> },
    /// `name() body`; the body is shared with the function table.
    Function { name: String, body: Rc<Command> },
}

/// `A=1 cmd arg >file`: assignments, words and redirections, on the line it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Simple {
    pub line: usize,
    pub assigns: Vec<Assign>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assign {
    pub name: String,
    pub value: AssignValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AssignValue {
    Scalar(Word),
    /// bash's `name=(a b c)`.
    Array(Vec<Word>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Compound {
    Group(Program),
    Subshell(Program),
    If { branches: Vec<(Program, Program)>, otherwise: Option<Program> },
    For { var: String, words: Option<Vec<Word>>, body: Program },
    Loop { until: bool, cond: Program, body: Program },
    Case { word: Word, arms: Vec<CaseArm> },
    /// bash's `[[ ... ]]`: its words, unexpanded, with operators as plain words.
    Test { line: usize, words: Vec<Word> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseArm {
    pub patterns: Vec<Word>,
    pub body: Program,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Redirect {
    /// The descriptor written before the operator (`2>`), if any.
    pub fd: Option<u32>,
    pub op: RedirectOp,
    pub target: Word,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RedirectOp {
    Read,
    Write,
    Append,
    Clobber,
    ReadWrite,
    DupRead,
    DupWrite,
    /// `<<` / `<<-`; the target is the body (a literal word when the delimiter was quoted).
    HereDoc,
    /// bash's `&>file`.
    WriteBoth,
    /// bash's `<<<word`.
    HereString,
}

/// A word before expansion: its pieces, each remembering how it was quoted.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Word {
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Unquoted text: subject to field splitting (after expansions) and globbing.
    Literal(String),
    /// Text that came from quotes or a backslash: taken as is.
    Quoted(String),
    /// `"..."`: its pieces expand but are not split or globbed.
    Double(Vec<Part>),
    Param(Box<Param>),
    Command(Program),
    Arith(Vec<Part>),
    /// `~` or `~user` at the start of a word.
    Tilde(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    /// bash's `${a[i]}`: the index expression.
    pub index: Option<Word>,
    pub op: ParamOp,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParamOp {
    Plain,
    /// `${#v}`
    Length,
    /// `${v-w}` / `${v:-w}` (colon: also when set but empty).
    Default { colon: bool, word: Word },
    Assign { colon: bool, word: Word },
    Error { colon: bool, word: Word },
    Alternative { colon: bool, word: Word },
    /// `${v#p}` / `${v##p}`
    TrimPrefix { longest: bool, pattern: Word },
    TrimSuffix { longest: bool, pattern: Word },
    /// bash's `${v/p/r}` / `${v//p/r}`
    Replace { all: bool, pattern: Word, with: Word },
    /// Anything else: dash's `Bad substitution`, an error when (and only if) it is expanded.
    Bad,
}

impl Word {
    pub fn literal(text: &str) -> Word {
        Word { parts: vec![Part::Literal(text.to_string())] }
    }

    /// The text if the word is one unquoted literal (how reserved words are recognised).
    pub fn as_plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [Part::Literal(s)] => Some(s),
            _ => None,
        }
    }
}
