//! Running an awk program over its input: records, fields, values, statements.

use std::collections::{BTreeMap, HashMap};

use super::format::{split, sprintf, substitute};
use super::parser::{Expr, Output, Pattern, Rule, Stmt};
use super::value::{number_to_string, Value};
use crate::accounts::read_text;
use crate::commands::regex;
use crate::interp::{Flow, Shell, Status};

/// `-F` values: `t` is a tab as in POSIX awk, escapes are read.
pub fn separator_option(fs: &str) -> String {
    if fs == "t" {
        return "\t".into();
    }
    unescape(fs)
}

/// Escapes in `-v` values and `-F`: `\t`, `\n`, `\\`.
pub fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('"') => out.push('"'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Why statements stopped early.
enum Jump {
    Next,
    /// `exit`: END rules still run.
    Exit,
    /// A run-time error or an input that cannot be opened: mawk stops at once, no END.
    Fatal,
    Break,
    Continue,
    Flow(Flow),
}

impl From<Flow> for Jump {
    fn from(flow: Flow) -> Jump {
        Jump::Flow(flow)
    }
}

type Run<T> = Result<T, Jump>;

const MAX_STRING: usize = 16 << 20;

/// The most fields a record may grow to here (mawk grows it until memory runs out).
const MAX_FIELD: f64 = 1_000_000.0;

pub struct Awk<'s, 'fs> {
    sh: &'s mut Shell<'fs>,
    name: String,
    rules: Vec<Rule>,
    vars: HashMap<String, Value>,
    arrays: HashMap<String, BTreeMap<String, Value>>,
    record: String,
    /// `$1`... once split; `None` until a field is read.
    fields: Vec<String>,
    /// Files `print >` writes, kept open until the end as awk keeps them.
    outputs: BTreeMap<String, Vec<u8>>,
    in_range: Vec<bool>,
    exit_status: i32,
}

impl<'s, 'fs> Awk<'s, 'fs> {
    pub fn new(sh: &'s mut Shell<'fs>, name: &str, rules: Vec<Rule>) -> Awk<'s, 'fs> {
        let mut vars = HashMap::new();
        for (k, v) in [("FS", " "), ("OFS", " "), ("ORS", "\n"), ("RS", "\n"), ("SUBSEP", "\x1c"), ("CONVFMT", "%.6g"), ("OFMT", "%.6g"), ("FILENAME", "")] {
            vars.insert(k.to_string(), Value::Str(v.to_string()));
        }
        for k in ["NR", "FNR", "RSTART", "RLENGTH"] {
            vars.insert(k.to_string(), Value::Num(0.0));
        }
        let environ: BTreeMap<String, Value> = sh.environment().into_iter().map(|(k, v)| (k, Value::StrNum(v))).collect();
        let mut arrays = HashMap::new();
        arrays.insert("ENVIRON".to_string(), environ);
        let in_range = vec![false; rules.len()];
        Awk { sh, name: name.to_string(), rules, vars, arrays, record: String::new(), fields: Vec::new(), outputs: BTreeMap::new(), in_range, exit_status: 0 }
    }

    pub fn set_var(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_string(), Value::StrNum(value.to_string()));
    }

    pub fn run(mut self, operands: &[String]) -> Status {
        let status = self.run_all(operands);
        self.flush_outputs()?;
        match status {
            Ok(()) | Err(Jump::Exit) => Ok(self.exit_status),
            Err(Jump::Flow(flow)) => Err(flow),
            Err(_) => Ok(self.exit_status),
        }
    }

    fn run_all(&mut self, operands: &[String]) -> Run<()> {
        let has_main = self.rules.iter().any(|r| !matches!(r.pattern, Pattern::Begin | Pattern::End));
        let has_end = self.rules.iter().any(|r| matches!(r.pattern, Pattern::End));
        match self.run_rules(|p| matches!(p, Pattern::Begin)) {
            Err(Jump::Exit) => return self.run_end(),
            other => other?,
        }
        if has_main || has_end {
            match self.read_input(operands) {
                Err(Jump::Exit) => return self.run_end(),
                other => other?,
            }
        }
        self.run_end()
    }

    fn run_end(&mut self) -> Run<()> {
        match self.run_rules(|p| matches!(p, Pattern::End)) {
            Err(Jump::Exit) | Ok(()) => Ok(()),
            Err(other) => Err(other),
        }
    }

    fn run_rules(&mut self, which: fn(&Pattern) -> bool) -> Run<()> {
        let rules: Vec<(usize, Rule)> = self.rules.iter().cloned().enumerate().filter(|(_, r)| which(&r.pattern)).collect();
        for (_, rule) in rules {
            if let Some(action) = &rule.action {
                match self.block(action) {
                    Err(Jump::Next) => return Ok(()),
                    other => other?,
                }
            }
        }
        Ok(())
    }

    /// The files named (`-` or none: standard input), `var=value` operands assigned when
    /// reached.
    fn read_input(&mut self, operands: &[String]) -> Run<()> {
        let files: Vec<&String> = operands.iter().filter(|o| !is_assignment(o)).collect();
        if files.is_empty() {
            let text = String::from_utf8_lossy(&self.sh.stdin_all()).into_owned();
            self.vars.insert("FILENAME".into(), Value::Str("-".into()));
            return self.records(&text);
        }
        for operand in operands {
            if is_assignment(operand) {
                let (var, value) = operand.split_once('=').unwrap_or((operand, ""));
                self.set_var(var, &unescape(value));
                continue;
            }
            let text = if operand == "-" || operand == "/dev/stdin" {
                String::from_utf8_lossy(&self.sh.stdin_all()).into_owned()
            } else {
                let path = self.sh.absolute(operand);
                match read_text(self.sh.fs, &path) {
                    Some(text) => text,
                    None => {
                        let message = format!("{}: cannot open {operand} (No such file or directory)\n", self.name);
                        self.sh.err(&message)?;
                        self.exit_status = 2;
                        return Err(Jump::Fatal);
                    }
                }
            };
            self.vars.insert("FILENAME".into(), Value::Str(operand.clone()));
            self.vars.insert("FNR".into(), Value::Num(0.0));
            self.records(&text)?;
        }
        Ok(())
    }

    fn records(&mut self, text: &str) -> Run<()> {
        let rs = self.var("RS").string();
        let records: Vec<String> = if rs.is_empty() {
            text.split("\n\n").map(|r| r.trim_matches('\n').to_string()).filter(|r| !r.is_empty()).collect()
        } else {
            let sep = rs.chars().next().unwrap_or('\n');
            let mut parts: Vec<String> = text.split(sep).map(str::to_string).collect();
            if parts.last().is_some_and(String::is_empty) {
                parts.pop();
            }
            parts
        };
        for record in records {
            self.sh.step()?;
            self.bump("NR");
            self.bump("FNR");
            self.set_record(record);
            match self.main_rules() {
                Err(Jump::Next) | Ok(()) => {}
                Err(other) => return Err(other),
            }
        }
        Ok(())
    }

    fn bump(&mut self, var: &str) {
        let n = self.var(var).num() + 1.0;
        self.vars.insert(var.into(), Value::Num(n));
    }

    fn main_rules(&mut self) -> Run<()> {
        for i in 0..self.rules.len() {
            let rule = self.rules[i].clone();
            let selected = match &rule.pattern {
                Pattern::Begin | Pattern::End => false,
                Pattern::All => true,
                Pattern::Expr(e) => self.eval(e)?.truthy(),
                Pattern::Range(start, end) => {
                    if !self.in_range[i] && self.eval(start)?.truthy() {
                        self.in_range[i] = true;
                    }
                    let selected = self.in_range[i];
                    if selected && self.eval(end)?.truthy() {
                        self.in_range[i] = false;
                    }
                    selected
                }
            };
            if !selected {
                continue;
            }
            match &rule.action {
                Some(action) => self.block(action)?,
                None => {
                    let line = format!("{}{}", self.record, self.var("ORS").string());
                    self.sh.out(&line)?;
                }
            }
        }
        Ok(())
    }

    fn var(&self, name: &str) -> Value {
        if name == "NF" {
            return Value::Num(self.fields.len() as f64);
        }
        self.vars.get(name).cloned().unwrap_or(Value::Str(String::new()))
    }

    // Records and fields.

    /// A new record, split at once by the FS of the moment: a later change of FS splits
    /// the next record, as in awk. NF is the number of fields, derived, never stored.
    fn set_record(&mut self, record: String) {
        self.fields = split(&record, &self.var("FS").string());
        self.record = record;
    }

    fn field(&self, index: usize) -> String {
        if index == 0 {
            return self.record.clone();
        }
        self.fields.get(index - 1).cloned().unwrap_or_default()
    }

    fn set_field(&mut self, index: usize, value: String) {
        if index == 0 {
            self.set_record(value);
            return;
        }
        let mut fields = self.fields.clone();
        if fields.len() < index {
            fields.resize(index, String::new());
        }
        fields[index - 1] = value;
        self.rebuild(fields);
    }

    fn rebuild(&mut self, fields: Vec<String>) {
        self.record = fields.join(&self.var("OFS").string());
        self.fields = fields;
    }

    // Statements.

    fn block(&mut self, stmts: &[Stmt]) -> Run<()> {
        for stmt in stmts {
            self.stmt(stmt)?;
        }
        Ok(())
    }

    fn stmt(&mut self, stmt: &Stmt) -> Run<()> {
        match stmt {
            Stmt::Print(args, output) => {
                let ofs = self.var("OFS").string();
                let mut parts = Vec::new();
                for arg in args {
                    parts.push(self.eval(arg)?.string());
                }
                let line = if args.is_empty() { self.record.clone() } else { parts.join(&ofs) };
                let text = format!("{line}{}", self.var("ORS").string());
                self.write(output, &text)
            }
            Stmt::Printf(args, output) => {
                let mut values = Vec::new();
                for arg in args {
                    values.push(self.eval(arg)?);
                }
                match sprintf(&values) {
                    Ok(text) => self.write(output, &text),
                    // What was formatted reaches the output after the error, as mawk's
                    // buffered output does.
                    Err(partial) => {
                        let jump = self.fatal(&format!("not enough arguments passed to printf(\"{}\")", values[0].string()));
                        self.write(output, &partial)?;
                        Err(jump)
                    }
                }
            }
            Stmt::If(cond, then, other) => {
                if self.eval(cond)?.truthy() {
                    self.stmt(then)
                } else if let Some(other) = other {
                    self.stmt(other)
                } else {
                    Ok(())
                }
            }
            Stmt::While(cond, body) => {
                while self.eval(cond)?.truthy() {
                    if self.body(body)? {
                        break;
                    }
                }
                Ok(())
            }
            Stmt::DoWhile(body, cond) => {
                loop {
                    if self.body(body)? || !self.eval(cond)?.truthy() {
                        break;
                    }
                }
                Ok(())
            }
            Stmt::For(init, cond, step, body) => {
                if let Some(init) = init {
                    self.stmt(init)?;
                }
                while match cond {
                    Some(c) => self.eval(c)?.truthy(),
                    None => true,
                } {
                    if self.body(body)? {
                        break;
                    }
                    if let Some(step) = step {
                        self.stmt(step)?;
                    }
                }
                Ok(())
            }
            Stmt::ForIn(var, array, body) => {
                let keys: Vec<String> = self.arrays.get(array).map(|a| a.keys().cloned().collect()).unwrap_or_default();
                for key in keys {
                    self.vars.insert(var.clone(), Value::StrNum(key));
                    if self.body(body)? {
                        break;
                    }
                }
                Ok(())
            }
            Stmt::Block(stmts) => self.block(stmts),
            Stmt::Expr(e) => self.eval(e).map(|_| ()),
            Stmt::Next => Err(Jump::Next),
            Stmt::Exit(code) => {
                if let Some(code) = code {
                    self.exit_status = self.eval(code)?.num() as i32;
                }
                Err(Jump::Exit)
            }
            Stmt::Break => Err(Jump::Break),
            Stmt::Continue => Err(Jump::Continue),
            Stmt::Delete(array, keys) => {
                match keys {
                    Some(keys) => {
                        let key = self.key(keys)?;
                        if let Some(a) = self.arrays.get_mut(array) {
                            a.remove(&key);
                        }
                    }
                    None => {
                        self.arrays.remove(array);
                    }
                }
                Ok(())
            }
        }
    }

    /// One loop round; `true` when the loop breaks.
    fn body(&mut self, body: &Stmt) -> Run<bool> {
        self.sh.step()?;
        match self.stmt(body) {
            Err(Jump::Break) => Ok(true),
            Err(Jump::Continue) | Ok(()) => Ok(false),
            Err(other) => Err(other),
        }
    }

    fn write(&mut self, output: &Output, text: &str) -> Run<()> {
        match output {
            Output::Stdout => Ok(self.sh.out(text)?),
            Output::File(append, target) => {
                let target = self.eval(target)?.string();
                if target == "/dev/stderr" {
                    return Ok(self.sh.err(text)?);
                }
                if target == "/dev/stdout" || target == "-" {
                    return Ok(self.sh.out(text)?);
                }
                let path = self.sh.absolute(&target);
                if !self.outputs.contains_key(&path) {
                    let start = if *append { read_text(self.sh.fs, &path).unwrap_or_default().into_bytes() } else { Vec::new() };
                    self.outputs.insert(path.clone(), start);
                }
                if let Some(buffer) = self.outputs.get_mut(&path) {
                    buffer.extend_from_slice(text.as_bytes());
                }
                Ok(())
            }
        }
    }

    /// Writes the files `print >` named; one that cannot be written is mawk's error.
    fn flush_outputs(&mut self) -> Result<(), Flow> {
        for (path, bytes) in std::mem::take(&mut self.outputs) {
            if self.sh.save_file(&path, bytes).is_err() {
                let message = format!("{}: cannot open \"{path}\" for output\n", self.name);
                self.sh.err(&message)?;
                self.exit_status = 2;
            }
        }
        Ok(())
    }

    fn key(&mut self, keys: &[Expr]) -> Run<String> {
        let mut parts = Vec::new();
        for k in keys {
            parts.push(self.eval(k)?.string());
        }
        Ok(parts.join(&self.var("SUBSEP").string()))
    }

    // Expressions.

    fn eval(&mut self, expr: &Expr) -> Run<Value> {
        Ok(match expr {
            Expr::Num(n) => Value::Num(*n),
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::Regex(r) => {
                let record = self.record.clone();
                Value::Num(f64::from(self.matches(&record, r)?))
            }
            Expr::Group(e) => self.eval(e)?,
            Expr::Field(i) => {
                let i = self.field_index(i, false)?;
                Value::StrNum(self.field(i))
            }
            Expr::Var(name) => self.var(name),
            Expr::Index(name, keys) => {
                let key = self.key(keys)?;
                self.arrays.entry(name.clone()).or_default().entry(key).or_insert(Value::Str(String::new())).clone()
            }
            Expr::Assign(op, target, value) => {
                let value = self.eval(value)?;
                let value = match op {
                    None => value,
                    Some(op) => {
                        let current = self.eval(target)?.num();
                        Value::Num(arith(op, current, value.num()))
                    }
                };
                self.assign(target, value.clone())?;
                value
            }
            Expr::Cond(c, a, b) => {
                if self.eval(c)?.truthy() {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            Expr::And(a, b) => Value::Num(f64::from(self.eval(a)?.truthy() && self.eval(b)?.truthy())),
            Expr::Or(a, b) => Value::Num(f64::from(self.eval(a)?.truthy() || self.eval(b)?.truthy())),
            Expr::Not(a) => Value::Num(f64::from(!self.eval(a)?.truthy())),
            Expr::Arith(op, a, b) => {
                let (a, b) = (self.eval(a)?.num(), self.eval(b)?.num());
                // mawk divides by zero as C does: inf, -inf, nan.
                Value::Num(arith(op, a, b))
            }
            Expr::Compare(op, a, b) => {
                let (a, b) = (self.eval(a)?, self.eval(b)?);
                let ordering = match (a.numeric(), b.numeric()) {
                    (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
                    _ => a.string().cmp(&b.string()),
                };
                use std::cmp::Ordering::*;
                let result = match *op {
                    "<" => ordering == Less,
                    "<=" => ordering != Greater,
                    "==" => ordering == Equal,
                    "!=" => ordering != Equal,
                    ">=" => ordering != Less,
                    _ => ordering == Greater,
                };
                Value::Num(f64::from(result))
            }
            Expr::Match(negated, subject, pattern) => {
                let subject = self.eval(subject)?.string();
                let pattern = self.pattern(pattern)?;
                Value::Num(f64::from(self.matches(&subject, &pattern)? != *negated))
            }
            Expr::Concat(a, b) => {
                let text = format!("{}{}", self.eval(a)?.string(), self.eval(b)?.string());
                self.bounded(text)?
            }
            Expr::Neg(a) => Value::Num(-self.eval(a)?.num()),
            Expr::Plus(a) => Value::Num(self.eval(a)?.num()),
            Expr::Incr(prefix, delta, target) => {
                let old = self.eval(target)?.num();
                self.assign(target, Value::Num(old + delta))?;
                Value::Num(if *prefix { old + delta } else { old })
            }
            Expr::In(keys, array) => {
                let key = self.key(keys)?;
                Value::Num(f64::from(self.arrays.get(array).is_some_and(|a| a.contains_key(&key))))
            }
            Expr::Call(name, args) => self.call(name, args)?,
        })
    }

    /// A field number. Reading one past the record is empty; assigning one grows the record
    /// to it, which for a huge number exhausts mawk's memory, and here stops the step.
    fn field_index(&mut self, expr: &Expr, assigning: bool) -> Run<usize> {
        let i = self.eval(expr)?.num();
        if i < 0.0 || i.is_nan() {
            return Err(self.fatal(&format!("negative field index ${}", i as i64)));
        }
        if assigning && i > MAX_FIELD {
            return Err(Jump::Flow(Flow::Abort(format!(
                "layerlab: stopped: awk assigned ${}, which grows the record to that many fields (the simulator's memory budget)",
                i as i64
            ))));
        }
        Ok(i.min(MAX_FIELD + 1.0) as usize)
    }

    /// A string the program builds may not outgrow the shell's memory budget (a loop of
    /// `s = s s` doubles it each round).
    fn bounded(&self, text: String) -> Run<Value> {
        if text.len() > MAX_STRING {
            return Err(Jump::Flow(Flow::Abort(format!(
                "layerlab: stopped: awk built a string of more than {} MiB (the simulator's memory budget)",
                MAX_STRING >> 20
            ))));
        }
        Ok(Value::Str(text))
    }


    fn assign(&mut self, target: &Expr, value: Value) -> Run<()> {
        match target {
            Expr::Var(name) if name == "NF" => {
                let n = value.num();
                if !(0.0..=MAX_FIELD).contains(&n) {
                    return Err(Jump::Flow(Flow::Abort(format!(
                        "layerlab: stopped: awk set NF to {}, which grows the record to that many fields (the simulator's memory budget)",
                        number_to_string(n)
                    ))));
                }
                let n = n as usize;
                let mut fields = self.fields.clone();
                fields.resize(n, String::new());
                self.rebuild(fields);
            }
            Expr::Var(name) => {
                self.vars.insert(name.clone(), value);
            }
            Expr::Field(i) => {
                let i = self.field_index(i, true)?;
                self.set_field(i, value.string());
            }
            Expr::Index(name, keys) => {
                let key = self.key(keys)?;
                self.arrays.entry(name.clone()).or_default().insert(key, value);
            }
            Expr::Group(inner) => self.assign(inner, value)?,
            _ => return Err(self.fatal("assignment to a non-variable")),
        }
        Ok(())
    }

    /// A dynamic regex operand: `/re/` as written, anything else as its string value.
    fn pattern(&mut self, expr: &Expr) -> Run<String> {
        match expr {
            Expr::Regex(r) => Ok(r.clone()),
            other => Ok(self.eval(other)?.string()),
        }
    }

    fn matches(&mut self, subject: &str, pattern: &str) -> Run<bool> {
        let re = self.regex(pattern)?;
        Ok(re.is_match(subject))
    }

    fn regex(&mut self, pattern: &str) -> Run<regex_lite::Regex> {
        regex::compile(pattern, true, false).map_err(|e| self.fatal(&format!("regular expression compile failed ({e})\n{pattern}")))
    }

    fn fatal(&mut self, message: &str) -> Jump {
        let nr = self.var("NR").num();
        let line = format!("{}: run time error: {message}\n\tFILENAME=\"{}\" FNR={} NR={}\n", self.name, self.var("FILENAME").string(), number_to_string(self.var("FNR").num()), number_to_string(nr));
        if let Err(flow) = self.sh.err(&line) {
            return Jump::Flow(flow);
        }
        self.exit_status = 2;
        Jump::Fatal
    }

    fn call(&mut self, name: &str, args: &[Expr]) -> Run<Value> {
        let arg = |i: usize| args.get(i);
        Ok(match name {
            "length" => match arg(0) {
                None => Value::Num(self.record.chars().count() as f64),
                Some(Expr::Var(v)) if self.arrays.contains_key(v) => Value::Num(self.arrays[v].len() as f64),
                Some(e) => Value::Num(self.eval(e)?.string().chars().count() as f64),
            },
            "substr" => {
                let s: Vec<char> = self.eval_arg(arg(0))?.string().chars().collect();
                let mut start = self.eval_arg(arg(1))?.num().trunc();
                let mut len = match arg(2) {
                    Some(e) => self.eval(e)?.num().trunc(),
                    None => f64::INFINITY,
                };
                // mawk 1.3.4-20200120 (bookworm's) truncates both, and a start before the
                // string lengthens the substring instead of shortening it:
                // substr("hello", 0, 3) is "hel", substr("hello", -1, 3) "hell".
                if start < 1.0 {
                    len -= start;
                    start = 1.0;
                }
                let first = start as usize;
                let last = (start + len).min(s.len() as f64 + 1.0);
                let text: String = if last > start { s[first - 1..last as usize - 1].iter().collect() } else { String::new() };
                Value::Str(text)
            }
            "index" => {
                let s = self.eval_arg(arg(0))?.string();
                let t = self.eval_arg(arg(1))?.string();
                Value::Num(s.find(&t).map_or(0.0, |at| s[..at].chars().count() as f64 + 1.0))
            }
            "split" => {
                let s = self.eval_arg(arg(0))?.string();
                let Some(Expr::Var(array)) = arg(1) else { return Err(self.fatal("split: the second argument must be an array")) };
                let sep = match arg(2) {
                    Some(e) => self.pattern(e)?,
                    None => self.var("FS").string(),
                };
                let parts = split(&s, &sep);
                let map: BTreeMap<String, Value> = parts.iter().enumerate().map(|(i, p)| ((i + 1).to_string(), Value::StrNum(p.clone()))).collect();
                self.arrays.insert(array.clone(), map);
                Value::Num(parts.len() as f64)
            }
            "sub" | "gsub" => {
                let pattern = self.pattern(arg(0).unwrap_or(&Expr::Str(String::new())))?;
                let replacement = self.eval_arg(arg(1))?.string();
                let target = arg(2).cloned().unwrap_or(Expr::Field(Box::new(Expr::Num(0.0))));
                let subject = self.eval(&target)?.string();
                let re = self.regex(&pattern)?;
                let (result, count) = substitute(&re, &subject, &replacement, name == "gsub");
                if count > 0 {
                    let result = self.bounded(result)?;
                    self.assign(&target, result)?;
                }
                Value::Num(count as f64)
            }
            "match" => {
                let s = self.eval_arg(arg(0))?.string();
                let pattern = self.pattern(arg(1).unwrap_or(&Expr::Str(String::new())))?;
                let re = self.regex(&pattern)?;
                let (start, length) = match re.find(&s) {
                    Some(m) => (s[..m.start()].chars().count() as f64 + 1.0, m.as_str().chars().count() as f64),
                    None => (0.0, -1.0),
                };
                self.vars.insert("RSTART".into(), Value::Num(start));
                self.vars.insert("RLENGTH".into(), Value::Num(length));
                Value::Num(start)
            }
            "sprintf" => {
                let mut values = Vec::new();
                for a in args {
                    values.push(self.eval(a)?);
                }
                match sprintf(&values) {
                    Ok(text) => self.bounded(text)?,
                    Err(_) => {
                        let format = values.first().map(Value::string).unwrap_or_default();
                        return Err(self.fatal(&format!("not enough arguments passed to sprintf(\"{format}\")")));
                    }
                }
            }
            "tolower" => Value::Str(self.eval_arg(arg(0))?.string().to_lowercase()),
            "toupper" => Value::Str(self.eval_arg(arg(0))?.string().to_uppercase()),
            "int" => Value::Num(self.eval_arg(arg(0))?.num().trunc()),
            "sqrt" => Value::Num(self.eval_arg(arg(0))?.num().sqrt()),
            "exp" => Value::Num(self.eval_arg(arg(0))?.num().exp()),
            "log" => Value::Num(self.eval_arg(arg(0))?.num().ln()),
            "sin" => Value::Num(self.eval_arg(arg(0))?.num().sin()),
            "cos" => Value::Num(self.eval_arg(arg(0))?.num().cos()),
            "atan2" => {
                let y = self.eval_arg(arg(0))?.num();
                Value::Num(y.atan2(self.eval_arg(arg(1))?.num()))
            }
            "system" => {
                let command = self.eval_arg(arg(0))?.string();
                let argv = vec!["sh".to_string(), "-c".to_string(), command];
                let status = crate::commands::system::shell(self.sh, &argv)?;
                Value::Num(f64::from(status))
            }
            _ => return Err(Jump::Flow(Flow::Abort(format!("layerlab: awk's {name}() is not simulated")))),
        })
    }

    fn eval_arg(&mut self, expr: Option<&Expr>) -> Run<Value> {
        match expr {
            Some(e) => self.eval(e),
            None => Ok(Value::Str(String::new())),
        }
    }
}

fn is_assignment(operand: &str) -> bool {
    operand.split_once('=').is_some_and(|(var, _)| !var.is_empty() && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !var.starts_with(|c: char| c.is_ascii_digit()))
}

fn arith(op: &str, a: f64, b: f64) -> f64 {
    match op {
        "+" => a + b,
        "-" => a - b,
        "*" => a * b,
        "/" => a / b,
        "%" => a % b,
        _ => a.powf(b),
    }
}

