//! `test` / `[` (POSIX's rules by argument count, dash's messages: `[: missing ]`,
//! `Illegal number`, and `unexpected operator` for bash's `==`) and bash's `[[ ]]`.

use layerlab_image::fs::Node;

use crate::interp::access::{may_execute, may_read, may_write};
use crate::interp::{pattern, Flow, Shell, Status};
use crate::syntax::Dialect;

const UNARY: &[&str] = &["-e", "-f", "-d", "-L", "-h", "-s", "-r", "-w", "-x", "-n", "-z", "-b", "-c", "-p", "-S", "-t", "-g", "-u", "-k", "-O", "-G"];

fn binary_ops(dialect: Dialect, double: bool) -> &'static [&'static str] {
    match (dialect, double) {
        (_, true) => &["=", "==", "!=", "=~", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"],
        (Dialect::Dash, false) => &["=", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"],
        _ => &["=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"],
    }
}

pub fn test(sh: &mut Shell, args: &[String]) -> Status {
    let name = args[0].rsplit('/').next().unwrap_or("test").to_string();
    let mut operands: Vec<String> = args[1..].to_vec();
    if name == "[" {
        if operands.last().map(String::as_str) != Some("]") {
            sh.error("[: missing ]")?;
            return Ok(2);
        }
        operands.pop();
    }
    let mut eval = Eval { sh, args: &operands, pos: 0, double: false };
    let result = eval.top();
    finish(sh, &name, result)
}

/// bash's `[[ ... ]]`, its words already expanded (right of `==` as a pattern).
pub fn double_bracket(sh: &mut Shell, args: &[String]) -> Status {
    let mut eval = Eval { sh, args, pos: 0, double: true };
    let result = eval.or();
    let result = match result {
        Ok(_) if eval.pos < args.len() => Err(format!("syntax error in conditional expression: unexpected token `{}'", args[eval.pos])),
        other => other,
    };
    match result {
        Ok(b) => Ok(i32::from(!b)),
        Err(message) if message.starts_with("layerlab:") => Err(Flow::Abort(message)),
        Err(message) => {
            sh.error(&message)?;
            Ok(2)
        }
    }
}

fn finish(sh: &mut Shell, name: &str, result: Result<bool, String>) -> Status {
    match result {
        Ok(b) => Ok(i32::from(!b)),
        Err(message) => {
            sh.error(&format!("{name}: {message}"))?;
            Ok(2)
        }
    }
}

struct Eval<'a, 'b, 'fs> {
    sh: &'a mut Shell<'fs>,
    args: &'b [String],
    pos: usize,
    double: bool,
}

impl Eval<'_, '_, '_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.pos).map(String::as_str)
    }

    /// POSIX decides by the number of arguments first (so `[ -n ]` and `[ = ]` work);
    /// longer expressions are parsed with `-a`, `-o`, `!` and parentheses.
    fn top(&mut self) -> Result<bool, String> {
        let args = self.args;
        if let Some(result) = self.by_count(args) {
            self.pos = args.len();
            return result;
        }
        let result = self.or();
        if result.is_ok() && self.pos < args.len() {
            return Err(format!("{}: unexpected operator", args[self.pos]));
        }
        result
    }

    fn by_count(&mut self, a: &[String]) -> Option<Result<bool, String>> {
        let is = |i: usize, s: &str| a[i] == s;
        let negate = |r: Option<Result<bool, String>>| r.map(|r| r.map(|b| !b));
        Some(match a.len() {
            0 => Ok(false),
            1 => Ok(!a[0].is_empty()),
            2 if is(0, "!") => Ok(a[1].is_empty()),
            2 if UNARY.contains(&a[0].as_str()) => self.unary(&a[0], &a[1]),
            2 => Err(format!("{}: unexpected operator", a[0])),
            3 if binary_ops(self.sh.dialect, false).contains(&a[1].as_str()) => self.binary(&a[0], &a[1], &a[2]),
            3 if is(0, "!") => return negate(self.by_count(&a[1..])),
            3 if is(0, "(") && is(2, ")") => Ok(!a[1].is_empty()),
            4 if is(0, "!") => return negate(self.by_count(&a[1..])),
            4 if is(0, "(") && is(3, ")") => return self.by_count(&a[1..3]),
            _ => return None,
        })
    }

    fn or(&mut self) -> Result<bool, String> {
        let mut value = self.and()?;
        while matches!(self.peek(), Some("-o") if !self.double) || matches!(self.peek(), Some("||") if self.double) {
            self.pos += 1;
            let right = self.and()?;
            value = value || right;
        }
        Ok(value)
    }

    fn and(&mut self) -> Result<bool, String> {
        let mut value = self.not()?;
        while matches!(self.peek(), Some("-a") if !self.double) || matches!(self.peek(), Some("&&") if self.double) {
            self.pos += 1;
            let right = self.not()?;
            value = value && right;
        }
        Ok(value)
    }

    fn not(&mut self) -> Result<bool, String> {
        if self.peek() == Some("!") && self.pos + 1 < self.args.len() {
            self.pos += 1;
            return Ok(!self.not()?);
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<bool, String> {
        let Some(first) = self.peek().map(str::to_string) else { return Err("argument expected".into()) };
        if first == "(" {
            self.pos += 1;
            let value = self.or()?;
            if self.peek() != Some(")") {
                return Err("closing paren expected".into());
            }
            self.pos += 1;
            return Ok(value);
        }
        let next = self.args.get(self.pos + 1).map(String::as_str);
        if let Some(op) = next.filter(|op| binary_ops(self.sh.dialect, self.double).contains(op)) {
            if let Some(right) = self.args.get(self.pos + 2).cloned() {
                let op = op.to_string();
                self.pos += 3;
                return self.binary(&first, &op, &right);
            }
        }
        if UNARY.contains(&first.as_str()) {
            if let Some(operand) = next.map(str::to_string) {
                self.pos += 2;
                return self.unary(&first, &operand);
            }
        }
        if let Some(op) = next.filter(|op| *op == "==" && !self.double) {
            let _ = op;
            return Err(format!("{first}: unexpected operator"));
        }
        self.pos += 1;
        Ok(!first.is_empty())
    }

    fn integer(&self, text: &str) -> Result<i64, String> {
        let trimmed = text.trim();
        trimmed.parse().map_err(|_| match self.sh.dialect {
            Dialect::Bash => format!("{text}: integer expression expected"),
            Dialect::Ash => format!("invalid number '{text}'"),
            Dialect::Dash => format!("Illegal number: {text}"),
        })
    }

    fn binary(&mut self, a: &str, op: &str, b: &str) -> Result<bool, String> {
        let mtime = |sh: &Shell, p: &str| sh.fs.get(&sh.absolute(p), true).ok().map(|n| n.meta().mtime);
        Ok(match op {
            "=" | "==" if self.double => pattern::matches(b, a),
            "!=" if self.double => !pattern::matches(b, a),
            "=" | "==" => a == b,
            "!=" => a != b,
            "<" => a < b,
            ">" => a > b,
            "=~" => return Err("layerlab: [[ =~ ]] regular expressions are not simulated".into()),
            "-nt" => mtime(self.sh, a) > mtime(self.sh, b),
            "-ot" => mtime(self.sh, a) < mtime(self.sh, b),
            "-ef" => self.sh.absolute(a) == self.sh.absolute(b),
            _ => {
                let (x, y) = (self.integer(a)?, self.integer(b)?);
                match op {
                    "-eq" => x == y,
                    "-ne" => x != y,
                    "-lt" => x < y,
                    "-le" => x <= y,
                    "-gt" => x > y,
                    _ => x >= y,
                }
            }
        })
    }

    fn unary(&mut self, op: &str, operand: &str) -> Result<bool, String> {
        let sh = &*self.sh;
        let path = sh.absolute(operand);
        let node = sh.fs.get(&path, true).ok();
        Ok(match op {
            "-n" => !operand.is_empty(),
            "-z" => operand.is_empty(),
            "-e" => node.is_some(),
            "-f" => matches!(node, Some(Node::File(_))),
            "-d" => matches!(node, Some(Node::Dir(_))),
            "-L" | "-h" => matches!(sh.fs.get(&path, false), Ok(Node::Symlink { .. })),
            "-s" => match node {
                Some(Node::File(f)) => f.content.size() > 0,
                Some(_) => true,
                None => false,
            },
            "-r" => node.is_some() && may_read(sh.fs, &path, &sh.user),
            "-w" => node.is_some() && may_write(sh.fs, &path, &sh.user),
            "-x" => node.is_some_and(|n| matches!(n, Node::Dir(_)) || may_execute(n, &sh.user)),
            "-u" => node.is_some_and(|n| n.meta().mode & 0o4000 != 0),
            "-g" => node.is_some_and(|n| n.meta().mode & 0o2000 != 0),
            "-k" => node.is_some_and(|n| n.meta().mode & 0o1000 != 0),
            "-O" => node.is_some_and(|n| n.meta().uid == sh.user.uid),
            "-G" => node.is_some_and(|n| n.meta().gid == sh.user.gid),
            // No devices, pipes, sockets or terminals in a build's filesystem view.
            _ => false,
        })
    }
}
