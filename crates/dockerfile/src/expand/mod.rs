//! Word expansion exactly as BuildKit's shell lexer (`shell/lex.go`) does it
//! for ENV, ARG, LABEL, COPY, WORKDIR and the other expanding instructions:
//! `$v`, `${v}`, the `-` `+` `?` modifiers with and without `:`, the glob
//! modifiers `#` `##` `%` `%%` `/` `//`, sh-like quoting, and the escape
//! token. `../shared/corpus/buildkit-parser/shell-lexer/` is the oracle
//! (tests/shell_lexer.rs).
//!
//! Deviations, each made so that bad input cannot crash or hang the page:
//! substitutions nest at most [`MAX_NESTING`] deep, glob matching has a step
//! budget, and `${name` with nothing after the name reports the missing `}`
//! (Go prints the replacement character as the "modifier" there).

mod pattern;
mod word;
mod words;

use crate::syntax::Text;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use word::MAX_NESTING;

/// Where variable values come from.
pub trait Env {
    fn get(&self, name: &str) -> Option<&str>;
}

impl Env for HashMap<String, String> {
    fn get(&self, name: &str) -> Option<&str> {
        HashMap::get(self, name).map(String::as_str)
    }
}

impl Env for BTreeMap<String, String> {
    fn get(&self, name: &str) -> Option<&str> {
        BTreeMap::get(self, name).map(String::as_str)
    }
}

/// An ordered list of `(name, value)`; a later entry wins, as in BuildKit's
/// `BuildEnvs`. Windows builds compare names case-insensitively.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnvList {
    pub vars: Vec<(String, String)>,
    pub case_insensitive: bool,
}

impl EnvList {
    /// From `KEY=value` strings (`KEY` alone means an empty value).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = &'a str>) -> Self {
        let vars = pairs
            .into_iter()
            .map(|e| match e.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (e.to_string(), String::new()),
            })
            .collect();
        EnvList { vars, case_insensitive: false }
    }

    pub fn set(&mut self, name: &str, value: &str) {
        let ci = self.case_insensitive;
        self.vars.retain(|(k, _)| !keys_equal(ci, k, name));
        self.vars.push((name.to_string(), value.to_string()));
    }

}

fn keys_equal(case_insensitive: bool, a: &str, b: &str) -> bool {
    a == b || (case_insensitive && a.to_lowercase() == b.to_lowercase())
}

impl Env for EnvList {
    fn get(&self, name: &str) -> Option<&str> {
        self.vars.iter().rev().find(|(k, _)| keys_equal(self.case_insensitive, k, name)).map(|(_, v)| v.as_str())
    }
}

/// The lexer's settings; `Lexer::new(escape)` is what instructions use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lexer {
    pub escape: char,
    /// Keep quote characters in the result (heredoc bodies).
    pub raw_quotes: bool,
    /// Keep escape tokens in the result (heredoc bodies).
    pub raw_escapes: bool,
    /// Treat quotes as ordinary characters.
    pub skip_process_quotes: bool,
    /// Leave references to unset variables as written (`docker history`).
    pub skip_unset_env: bool,
}

/// The result of expanding one word.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expansion {
    pub value: String,
    /// Names that were looked up and found (short names are kept inline: the checks
    /// expand words on every keystroke).
    pub matched: BTreeSet<Text>,
    /// Names that were looked up and not found (the UndefinedVar check).
    pub unmatched: BTreeSet<Text>,
}

/// An expansion error: BuildKit's message, wrapped the way `ProcessWord`
/// wraps it (`failed to process "<word>": <cause>`), and the byte offset in
/// the word where the lexer stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpandError {
    pub message: String,
    pub cause: String,
    pub offset: usize,
}

impl std::fmt::Display for ExpandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl Lexer {
    pub fn new(escape: char) -> Self {
        Lexer {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_process_quotes: false,
            skip_unset_env: false,
        }
    }

    /// Whether `word` expands to itself and looks up no names: no `$`, quotes or
    /// escape token (most words; callers skip the expansion for them).
    pub fn is_literal(&self, word: &str) -> bool {
        !word::needs_expansion(word, self.escape)
    }

    /// Whether expanding `word` cannot fail, whatever the environment (the checks skip
    /// expanding such a word when they need only its errors).
    pub fn cannot_fail(&self, word: &str) -> bool {
        word::cannot_fail(word, self.escape)
    }

    /// `ProcessWordWithMatches`.
    pub fn process_word(&self, word: &str, env: &dyn Env) -> Result<Expansion, ExpandError> {
        Ok(word::process(self, word, env, false)?.0)
    }

    /// `ProcessWords`: the expanded word split on whitespace outside quotes.
    pub fn process_words(&self, word: &str, env: &dyn Env) -> Result<Vec<String>, ExpandError> {
        Ok(word::process(self, word, env, true)?.1)
    }
}
