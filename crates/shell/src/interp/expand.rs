//! Word expansion in POSIX's order: tilde, parameters, command substitution and
//! arithmetic; then field splitting on IFS and pathname expansion of unquoted text; quote
//! removal falls out of keeping quoted text apart from the start.

use super::pattern::{self, escape, has_glob};
use super::{Flow, Shell};
use crate::syntax::ast::{Param, ParamOp, Part, Program, Word};
use crate::syntax::Dialect;

/// A field under construction: its text, and the same text as a pattern (quoted
/// characters escaped) for globbing.
#[derive(Debug, Default)]
struct Field {
    text: String,
    pattern: String,
    quoted: bool,
}

struct Fields {
    done: Vec<Field>,
    current: Field,
    ifs: String,
    /// Off for assignments, redirection targets, `case` words: no splitting, no globbing.
    split: bool,
}

impl Fields {
    fn literal(&mut self, text: &str) {
        self.current.text.push_str(text);
        self.current.pattern.push_str(text);
    }

    fn quoted(&mut self, text: &str) {
        self.current.text.push_str(text);
        self.current.pattern.push_str(&escape(text));
        self.current.quoted = true;
    }

    fn end_field(&mut self, even_empty: bool) {
        let field = std::mem::take(&mut self.current);
        if even_empty || field.quoted || !field.text.is_empty() {
            self.done.push(field);
        }
    }

    /// The result of an unquoted expansion: split on IFS.
    fn expanded(&mut self, text: &str) {
        if !self.split {
            self.quoted_unless_split(text);
            return;
        }
        for c in text.chars() {
            if !self.ifs.contains(c) {
                self.current.text.push(c);
                self.current.pattern.push(c);
            } else if c.is_whitespace() {
                self.end_field(false);
            } else {
                self.end_field(true);
            }
        }
    }

    /// Without splitting, expansion results are taken literally (they are not patterns).
    fn quoted_unless_split(&mut self, text: &str) {
        self.current.text.push_str(text);
        self.current.pattern.push_str(&escape(text));
    }

    fn finish(mut self) -> Vec<Field> {
        self.end_field(false);
        self.done
    }
}

/// What a parameter expands to.
enum Expanded {
    Unset,
    One(String),
    /// `$@`, `$*`, `${a[@]}`: the separate values.
    Many { items: Vec<String>, at: bool },
}

impl Shell<'_> {
    fn fields(&self, split: bool) -> Fields {
        let ifs = self.scope.vars.get("IFS").map_or(" \t\n".to_string(), |v| v.scalar().to_string());
        Fields { done: Vec::new(), current: Field::default(), ifs, split }
    }

    /// Words → arguments: every expansion, splitting and globbing.
    pub(super) fn expand_fields(&mut self, words: &[Word]) -> Result<Vec<String>, Flow> {
        let mut args = Vec::new();
        for word in words {
            let mut fields = self.fields(true);
            self.expand_parts(&word.parts, false, &mut fields)?;
            for field in fields.finish() {
                if !self.scope.opts.noglob && has_glob(&field.pattern) {
                    let found = pattern::glob(self.fs, &self.scope.cwd.clone(), &field.pattern);
                    if !found.is_empty() {
                        args.extend(found);
                        continue;
                    }
                }
                args.push(field.text);
            }
        }
        Ok(args)
    }

    /// One string, no splitting or globbing (assignments, redirections, here-documents).
    pub fn expand_string(&mut self, word: &Word) -> Result<String, Flow> {
        let mut fields = self.fields(false);
        self.expand_parts(&word.parts, false, &mut fields)?;
        Ok(fields.finish().into_iter().map(|f| f.text).collect::<Vec<_>>().join(" "))
    }

    /// A pattern for `case` and `${v#p}`: quoted characters escaped.
    pub(super) fn expand_pattern(&mut self, word: &Word) -> Result<String, Flow> {
        let mut fields = self.fields(false);
        self.expand_parts(&word.parts, false, &mut fields)?;
        Ok(fields.finish().into_iter().map(|f| f.pattern).collect::<Vec<_>>().join(" "))
    }

    fn expand_parts(&mut self, parts: &[Part], quoted: bool, out: &mut Fields) -> Result<(), Flow> {
        for part in parts {
            match part {
                Part::Literal(text) if quoted => out.quoted(text),
                Part::Literal(text) => out.literal(text),
                Part::Quoted(text) => out.quoted(text),
                Part::Double(inner) => {
                    out.current.quoted = true;
                    self.expand_parts(inner, true, out)?;
                }
                Part::Tilde(user) => {
                    let home = self.home_of(user);
                    out.quoted(&home);
                }
                Part::Param(param) => self.expand_param(param, quoted, out)?,
                Part::Command(program) => {
                    let text = self.command_substitution(program)?;
                    emit(out, &text, quoted);
                }
                Part::Arith(inner) => {
                    let value = self.arithmetic(inner)?;
                    emit(out, &value, quoted);
                }
            }
        }
        Ok(())
    }

    fn home_of(&self, user: &str) -> String {
        if user.is_empty() {
            if let Some(home) = self.scope.vars.get("HOME") {
                return home.scalar().to_string();
            }
            return crate::accounts::home_of_uid(self.fs, self.user.uid).unwrap_or_else(|| "/".into());
        }
        crate::accounts::home_of_name(self.fs, user).unwrap_or_else(|| format!("~{user}"))
    }

    fn command_substitution(&mut self, program: &Program) -> Result<String, Flow> {
        let saved = self.save_fds();
        let buffer = self.io.push_buffer();
        self.io.fds.insert(1, super::io::Sink::Buffer(buffer));
        let status = self.subshell(|sh| sh.run_program(program));
        self.restore_fds(saved)?;
        let data = self.io.pop_buffer();
        self.subst_status = status?;
        let mut text = String::from_utf8_lossy(&data).into_owned();
        text.truncate(text.trim_end_matches('\n').len());
        Ok(text)
    }

    fn arithmetic(&mut self, parts: &[Part]) -> Result<String, Flow> {
        let mut fields = self.fields(false);
        self.expand_parts(parts, true, &mut fields)?;
        let text: String = fields.finish().into_iter().map(|f| f.text).collect();
        match super::arith::evaluate(&text, self, self.dialect == Dialect::Bash) {
            Ok(value) => Ok(value.to_string()),
            Err(message) => {
                // dash quotes the expression as written, spaces included.
                self.error(&format!("arithmetic expression: {message}: \"{text}\""))?;
                Err(Flow::Exit(2))
            }
        }
    }

    /// A variable's value as a string, for arithmetic and tools (`None` if unset).
    pub fn var(&self, name: &str) -> Option<String> {
        match self.special(name) {
            Expanded::Unset => None,
            Expanded::One(s) => Some(s),
            Expanded::Many { items, .. } => Some(items.join(" ")),
        }
    }

    fn special(&self, name: &str) -> Expanded {
        match name {
            "?" => Expanded::One(self.status.to_string()),
            "#" => Expanded::One(self.scope.positional.len().to_string()),
            // A RUN step's shell is process 1 of its container.
            "$" => Expanded::One("1".into()),
            "!" => Expanded::Unset,
            "-" => Expanded::One(self.option_letters()),
            "0" => Expanded::One(self.argv0.clone()),
            "@" | "*" => Expanded::Many { items: self.scope.positional.clone(), at: name == "@" },
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let i: usize = n.parse().unwrap_or(usize::MAX);
                self.scope.positional.get(i.wrapping_sub(1)).map_or(Expanded::Unset, |v| Expanded::One(v.clone()))
            }
            n => self.scope.vars.get(n).map_or(Expanded::Unset, |v| Expanded::One(v.scalar().to_string())),
        }
    }

    fn option_letters(&self) -> String {
        let o = &self.scope.opts;
        [(o.errexit, 'e'), (o.noglob, 'f'), (o.nounset, 'u'), (o.xtrace, 'x')].iter().filter(|(on, _)| *on).map(|(_, c)| *c).collect()
    }

    fn lookup(&mut self, param: &Param) -> Result<Expanded, Flow> {
        let Some(index) = &param.index else { return Ok(self.special(&param.name)) };
        if self.dialect != Dialect::Bash {
            return self.fatal("Bad substitution");
        }
        let index = self.expand_string(index)?;
        let items = match self.scope.vars.get(&param.name) {
            None => return Ok(Expanded::Unset),
            Some(super::Value::Array(items)) => items.clone(),
            Some(super::Value::Scalar(s)) => vec![s.clone()],
        };
        if index == "@" || index == "*" {
            return Ok(Expanded::Many { items, at: index == "@" });
        }
        let i = super::arith::evaluate(&index, self, true).unwrap_or(0);
        Ok(usize::try_from(i).ok().and_then(|i| items.get(i)).map_or(Expanded::Unset, |v| Expanded::One(v.clone())))
    }

    /// An expansion error: message, and a non-interactive shell exits.
    fn fatal<T>(&mut self, message: &str) -> Result<T, Flow> {
        self.error(message)?;
        Err(Flow::Exit(if self.dialect == Dialect::Bash { 1 } else { 2 }))
    }

    fn expand_param(&mut self, param: &Param, quoted: bool, out: &mut Fields) -> Result<(), Flow> {
        let value = self.lookup(param)?;
        let is_set = |v: &Expanded, colon: bool| match v {
            Expanded::Unset => false,
            Expanded::One(s) => !colon || !s.is_empty(),
            Expanded::Many { items, .. } => !colon || !items.is_empty(),
        };
        match &param.op {
            ParamOp::Plain => {
                if matches!(value, Expanded::Unset) && self.scope.opts.nounset && param.name != "@" && param.name != "*" {
                    return self.fatal(&format!("{}: parameter not set", param.name));
                }
                self.emit_value(value, quoted, out);
            }
            ParamOp::Length => {
                let n = match value {
                    Expanded::Unset if self.scope.opts.nounset => return self.fatal(&format!("{}: parameter not set", param.name)),
                    Expanded::Unset => 0,
                    Expanded::One(s) => s.chars().count(),
                    Expanded::Many { items, .. } => items.len(),
                };
                emit(out, &n.to_string(), quoted);
            }
            ParamOp::Default { colon, word } => {
                if is_set(&value, *colon) {
                    self.emit_value(value, quoted, out);
                } else {
                    self.expand_parts(&word.parts, quoted, out)?;
                }
            }
            ParamOp::Alternative { colon, word } => {
                if is_set(&value, *colon) {
                    self.expand_parts(&word.parts, quoted, out)?;
                }
            }
            ParamOp::Assign { colon, word } => {
                if is_set(&value, *colon) {
                    self.emit_value(value, quoted, out);
                } else {
                    let text = self.expand_string(word)?;
                    if !self.assign(&param.name, &text) {
                        return self.fatal(&format!("{}: is read only", param.name));
                    }
                    emit(out, &text, quoted);
                }
            }
            ParamOp::Error { colon, word } => {
                if is_set(&value, *colon) {
                    self.emit_value(value, quoted, out);
                } else {
                    let message = self.expand_string(word)?;
                    let message = match (message.is_empty(), colon) {
                        (false, _) => message,
                        (true, false) => "parameter not set".into(),
                        (true, true) => "parameter null or not set".into(),
                    };
                    return self.fatal(&format!("{}: {message}", param.name));
                }
            }
            ParamOp::TrimPrefix { longest, pattern } | ParamOp::TrimSuffix { longest, pattern } => {
                let prefix = matches!(param.op, ParamOp::TrimPrefix { .. });
                let pattern = self.expand_pattern(pattern)?;
                let trim = |s: &str| if prefix { pattern::trim_prefix(s, &pattern, *longest) } else { pattern::trim_suffix(s, &pattern, *longest) };
                let value = match value {
                    Expanded::Unset => Expanded::Unset,
                    Expanded::One(s) => Expanded::One(trim(&s)),
                    Expanded::Many { items, at } => Expanded::Many { items: items.iter().map(|s| trim(s)).collect(), at },
                };
                self.emit_value(value, quoted, out);
            }
            ParamOp::Replace { all, pattern, with } => {
                if self.dialect == Dialect::Dash {
                    return self.fatal("Bad substitution");
                }
                let pattern = self.expand_pattern(pattern)?;
                let with = self.expand_string(with)?;
                let value = match value {
                    Expanded::One(s) => Expanded::One(pattern::replace(&s, &pattern, &with, *all)),
                    other => other,
                };
                self.emit_value(value, quoted, out);
            }
            ParamOp::Bad => return self.fatal("Bad substitution"),
        }
        Ok(())
    }

    fn emit_value(&self, value: Expanded, quoted: bool, out: &mut Fields) {
        match value {
            Expanded::Unset => {}
            Expanded::One(s) => emit(out, &s, quoted),
            Expanded::Many { items, at } if quoted && at => {
                // "$@": one field per value, the first joined to the text before it.
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.end_field(true);
                    }
                    out.quoted(item);
                }
            }
            Expanded::Many { items, .. } if quoted => {
                let sep = out.ifs.chars().next().map(String::from).unwrap_or_default();
                out.quoted(&items.join(&sep));
            }
            Expanded::Many { items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 && out.split {
                        out.end_field(false);
                    } else if i > 0 {
                        out.literal(" ");
                    }
                    out.expanded(item);
                }
            }
        }
    }
}

fn emit(out: &mut Fields, text: &str, quoted: bool) {
    if quoted {
        out.quoted(text);
    } else {
        out.expanded(text);
    }
}
