//! Layer 2 of the front end: syntax tree → typed instructions grouped into
//! stages, with BuildKit's per-instruction checks (`instructions/parse.go`):
//! allowed flags, arity, stage names, ONBUILD triggers. Values stay as
//! written (quotes and `$refs` included); expanding them is the job of the
//! build, which knows the ARG and ENV values at each step ([`crate::expand`]).

mod commands;
mod duration;
mod flags;
pub mod mount;
pub mod suggest;

pub use flags::{FlagValue, Flags};

use crate::syntax::{Ast, Directives, Heredoc, Keyword, Node, Span, SyntaxWarning, Text, Word};

/// A whole Dockerfile: global ARGs, then stages.
#[derive(Clone, Debug, PartialEq)]
pub struct Dockerfile {
    /// The parser directives (the escape token in force, `# check=...`).
    pub directives: Directives,
    /// What the parser warned about (empty continuation lines).
    pub warnings: Vec<SyntaxWarning>,
    /// ARG instructions before the first FROM (BuildKit's meta args).
    pub meta_args: Vec<Instruction>,
    pub stages: Vec<Stage>,
}

impl Dockerfile {
    /// Every top-level instruction in file order (meta ARGs, then each stage's FROM
    /// and body).
    pub fn instructions(&self) -> impl Iterator<Item = &Instruction> {
        let stages = self.stages.iter().flat_map(|s| std::iter::once(&s.from).chain(&s.instructions));
        self.meta_args.iter().chain(stages)
    }
}

/// `FROM ...` and the instructions up to the next FROM.
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    pub index: usize,
    pub from: Instruction,
    pub instructions: Vec<Instruction>,
}

impl Stage {
    pub fn base(&self) -> &From {
        match &self.from.command {
            Command::From(from) => from,
            _ => unreachable!("a stage always starts with FROM"),
        }
    }

    /// The lowercased `AS` name.
    pub fn name(&self) -> Option<&str> {
        self.base().stage_name.as_ref().map(|w| w.value.as_str())
    }

    /// What BuildKit shows for the stage: its name or `stage-N`.
    pub fn display_name(&self) -> String {
        self.name().map_or_else(|| format!("stage-{}", self.index), str::to_string)
    }
}

/// One instruction with where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Instruction {
    pub command: Command,
    /// The instruction word as typed. Its flags are in `command`.
    pub keyword: Word,
    /// The joined logical line (what `Step N/M :` prints).
    pub original: String,
    pub start_line: usize,
    pub end_line: usize,
    pub span: Span,
    /// Comment lines directly above, `#` removed, each ending with `\n`.
    pub comments: String,
}

impl Instruction {
    /// The comment lines directly above, in order.
    pub fn comment_lines(&self) -> std::str::Lines<'_> {
        self.comments.lines()
    }

    /// The instruction name in upper case (`RUN`).
    pub fn name(&self) -> &'static str {
        self.command.name()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    // FROM and RUN boxed too: every instruction is moved a few times while the model is
    // built, and a large variant made each move a copy of its whole size.
    From(Box<From>),
    Run(Box<Run>),
    Cmd(CommandLine),
    Entrypoint(CommandLine),
    Shell(Vec<Word>),
    // Boxed: COPY's many optional flags would otherwise size every instruction.
    Copy(Box<Copy>),
    Add(Box<Copy>),
    Env(Vec<KeyValue>),
    Label(Vec<KeyValue>),
    Arg(Vec<ArgDecl>),
    Workdir(Word),
    User(Word),
    Expose(Vec<Word>),
    Volume(Vec<Word>),
    StopSignal(Word),
    Healthcheck(Healthcheck),
    Maintainer(Word),
    Onbuild(Onbuild),
}

impl Command {
    pub fn name(&self) -> &'static str {
        match self {
            Command::From(_) => "FROM",
            Command::Run(_) => "RUN",
            Command::Cmd(_) => "CMD",
            Command::Entrypoint(_) => "ENTRYPOINT",
            Command::Shell(_) => "SHELL",
            Command::Copy(_) => "COPY",
            Command::Add(_) => "ADD",
            Command::Env(_) => "ENV",
            Command::Label(_) => "LABEL",
            Command::Arg(_) => "ARG",
            Command::Workdir(_) => "WORKDIR",
            Command::User(_) => "USER",
            Command::Expose(_) => "EXPOSE",
            Command::Volume(_) => "VOLUME",
            Command::StopSignal(_) => "STOPSIGNAL",
            Command::Healthcheck(_) => "HEALTHCHECK",
            Command::Maintainer(_) => "MAINTAINER",
            Command::Onbuild(_) => "ONBUILD",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct From {
    /// The image (or earlier stage) as written, before expansion.
    pub image: Word,
    pub platform: Option<Word>,
    /// The `AS` name, lowercased; its span is the name as typed.
    pub stage_name: Option<Word>,
    /// The `AS` name as typed (for the StageNameCasing check).
    pub stage_name_typed: Option<Text>,
    /// The `AS` keyword as typed (for the FromAsCasing check).
    pub as_keyword: Option<Word>,
}

/// The command of RUN, CMD or ENTRYPOINT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandLine {
    /// Exec form: the array elements; shell form: one word, the whole text.
    pub args: Vec<Word>,
    /// `true` for the JSON (exec) form.
    pub exec_form: bool,
    pub heredocs: Vec<Heredoc>,
}

impl CommandLine {
    /// The shell-form text (or the exec-form elements joined by spaces).
    pub fn text(&self) -> String {
        self.args.iter().map(|w| w.value.as_str()).collect::<Vec<_>>().join(" ")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub command: CommandLine,
    /// `--mount` values as written; see [`mount::Mount::parse`].
    pub mounts: Vec<Word>,
    pub network: Option<Word>,
    pub security: Option<Word>,
}

/// COPY and ADD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copy {
    pub sources: Vec<Word>,
    /// Heredoc sources (`COPY <<EOF /dest`).
    pub inline: Vec<Heredoc>,
    pub dest: Word,
    pub from: Option<Word>,
    pub chown: Option<Word>,
    pub chmod: Option<Word>,
    pub link: bool,
    pub parents: bool,
    pub exclude: Vec<Word>,
    /// ADD only.
    pub checksum: Option<Word>,
    pub keep_git_dir: Option<bool>,
    pub unpack: Option<bool>,
}

/// One `key=value` of ENV or LABEL, as written (quotes kept).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    pub key: Word,
    pub value: Word,
    /// The legacy `ENV key value` form.
    pub legacy: bool,
}

/// One name of an ARG line, with its default as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgDecl {
    pub name: Word,
    pub default: Option<Word>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Healthcheck {
    /// `["NONE"]`, `["CMD", ...]` or `["CMD-SHELL", "<text>"]`.
    pub test: Vec<String>,
    /// Nanoseconds; 0 means "not set".
    pub interval: i64,
    pub timeout: i64,
    pub start_period: i64,
    pub start_interval: i64,
    pub retries: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Onbuild {
    /// The trigger text stored in the image config (`RUN make`).
    pub expression: String,
    /// The trigger parsed as an instruction, when it parses.
    pub trigger: Option<Box<Node>>,
}

/// An instruction-level error, worded as Docker words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstructionError {
    /// The whole message (`dockerfile parse error on line 3: ...`).
    pub message: String,
    /// The message without the location prefix.
    pub detail: String,
    pub start_line: usize,
    pub end_line: usize,
    /// The text the error is about: the flag or argument, else the line.
    pub span: Span,
}

impl std::fmt::Display for InstructionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Builds the typed model; stops at the first error, as `docker build` does. The
/// syntax tree's text moves into the instructions (every keystroke parses the file),
/// and each instruction is built where it stays: moving these large values around
/// cost more than building the short ones.
pub fn parse(ast: Ast) -> Result<Dockerfile, InstructionError> {
    let mut nodes = ast.nodes;
    let stages = nodes.iter().filter(|n| n.known == Some(Keyword::From)).count();
    let mut file =
        Dockerfile { directives: ast.directives, warnings: ast.warnings, meta_args: Vec::new(), stages: Vec::with_capacity(stages) };
    // One set of flags serves every instruction in turn.
    let mut flags = Flags::default();
    for at in 0..nodes.len() {
        let (node, rest) = nodes[at..].split_first_mut().expect("in range");
        let place = Place { start_line: node.start_line, end_line: node.end_line, span: node.span };
        let command = commands::command(node, &mut flags).map_err(|(detail, span)| InstructionError {
            message: format!("dockerfile parse error on line {}: {detail}", place.start_line),
            detail,
            start_line: place.start_line,
            end_line: place.end_line,
            span: span.unwrap_or(place.span),
        })?;
        if let Command::From(_) = command {
            // Sized once: instructions are large, and regrowing copies them all.
            let len = rest.iter().position(|n| n.known == Some(Keyword::From)).unwrap_or(rest.len());
            let from = commands::instruction(command, node);
            file.stages.push(Stage { index: file.stages.len(), from, instructions: Vec::with_capacity(len) });
            continue;
        }
        list_for(&mut file, &command, place)?.push(commands::instruction(command, node));
    }
    Ok(file)
}

/// Where a node was, for errors raised after its text moved into an instruction.
#[derive(Clone, Copy)]
struct Place {
    start_line: usize,
    end_line: usize,
    span: Span,
}

/// The list an instruction other than FROM goes to: the current stage's, or the
/// global ARGs before the first stage.
fn list_for<'f>(file: &'f mut Dockerfile, command: &Command, node: Place) -> Result<&'f mut Vec<Instruction>, InstructionError> {
    match file.stages.last_mut() {
        Some(stage) => Ok(&mut stage.instructions),
        None if matches!(command, Command::Arg(_)) => Ok(&mut file.meta_args),
        None => {
            // BuildKit reports this one without the "parse error" prefix.
            let detail = "no build stage in current context".to_string();
            Err(InstructionError {
                message: detail.clone(),
                detail,
                start_line: node.start_line,
                end_line: node.end_line,
                span: node.span,
            })
        }
    }
}

/// Parses and builds the model in one step, reporting either layer's error
/// as text with its line range and span (what the editor and CLI show).
pub fn parse_text(text: &str) -> Result<Dockerfile, InstructionError> {
    let ast = crate::syntax::parse(text).map_err(|e| InstructionError {
        message: e.message.clone(),
        detail: e.message,
        start_line: e.start_line,
        end_line: e.end_line,
        span: e.span,
    })?;
    parse(ast)
}
