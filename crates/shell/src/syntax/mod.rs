//! Shell text → syntax tree. The grammar is POSIX's; the error messages are dash's.

pub mod ast;
mod lexer;
mod parser;

pub use parser::{valid_name, Parser, SyntaxError};

/// Which shell reads the script: what `/bin/sh` is in the image (dash on Debian and
/// Ubuntu, BusyBox ash on Alpine), or bash when the Dockerfile's `SHELL` says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Dash,
    Ash,
    Bash,
}

/// The whole script at once (command substitutions, tests, fuzzing).
pub fn parse(script: &str, dialect: Dialect) -> Result<ast::Program, SyntaxError> {
    Parser::new(script, dialect).parse_all()
}
