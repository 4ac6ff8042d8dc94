//! `find` (GNU's: -name, -iname, -path, -type, -maxdepth, -mindepth, -newer-free tests,
//! !, -a, -o, parentheses, -print, -delete, -exec ... ; and +) and `xargs`.

use layerlab_image::fs::Node;

use super::files::complain;
use crate::interp::pattern::matches;
use crate::interp::{Flow, Shell, Status};

enum Expr {
    Name(String, bool),
    Path(String),
    Type(char),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Print,
    Delete,
    Exec { command: Vec<String>, batch: bool },
    True,
}

struct Parser<'a> {
    args: &'a [String],
    pos: usize,
    maxdepth: Option<usize>,
    mindepth: usize,
    has_action: bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.pos).map(String::as_str)
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while matches!(self.peek(), Some("-o" | "-or")) {
            self.pos += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.not()?;
        while let Some(next) = self.peek() {
            if matches!(next, "-o" | "-or" | ")") {
                break;
            }
            if matches!(next, "-a" | "-and") {
                self.pos += 1;
            }
            left = Expr::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, String> {
        if matches!(self.peek(), Some("!" | "-not")) {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.primary()
    }

    fn value(&mut self, test: &str) -> Result<String, String> {
        let value = self.args.get(self.pos).cloned().ok_or_else(|| format!("missing argument to `{test}'"))?;
        self.pos += 1;
        Ok(value)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let Some(test) = self.peek().map(str::to_string) else { return Ok(Expr::True) };
        self.pos += 1;
        Ok(match test.as_str() {
            "(" => {
                let inner = self.or()?;
                if self.peek() != Some(")") {
                    return Err("invalid expression; I was expecting to find a ')' somewhere but did not see one.".into());
                }
                self.pos += 1;
                inner
            }
            "-name" => Expr::Name(self.value(&test)?, false),
            "-iname" => Expr::Name(self.value(&test)?.to_lowercase(), true),
            "-path" | "-wholename" => Expr::Path(self.value(&test)?),
            "-type" => Expr::Type(self.value(&test)?.chars().next().unwrap_or('f')),
            "-maxdepth" => {
                self.maxdepth = self.value(&test)?.parse().ok();
                Expr::True
            }
            "-mindepth" => {
                self.mindepth = self.value(&test)?.parse().unwrap_or(0);
                Expr::True
            }
            "-print" => {
                self.has_action = true;
                Expr::Print
            }
            "-delete" => {
                self.has_action = true;
                Expr::Delete
            }
            "-exec" => {
                self.has_action = true;
                let mut command = Vec::new();
                loop {
                    let Some(word) = self.peek().map(str::to_string) else { return Err("missing argument to `-exec'".into()) };
                    self.pos += 1;
                    match word.as_str() {
                        ";" => return Ok(Expr::Exec { command, batch: false }),
                        "+" if command.last().is_some_and(|w| w == "{}") => {
                            command.pop();
                            return Ok(Expr::Exec { command, batch: true });
                        }
                        _ => command.push(word),
                    }
                }
            }
            "-xdev" | "-mount" | "-depth" | "-follow" => Expr::True,
            other => return Err(format!("unknown predicate `{other}'")),
        })
    }
}

struct Walk<'a, 'b, 'fs> {
    sh: &'a mut Shell<'fs>,
    expr: &'b Expr,
    batch: Vec<String>,
    deletes: Vec<String>,
}

impl Walk<'_, '_, '_> {
    fn eval(&mut self, expr: &Expr, shown: &str, path: &str, node: &Node) -> Result<bool, Flow> {
        let name = shown.trim_end_matches('/').rsplit('/').next().unwrap_or(shown);
        Ok(match expr {
            Expr::True => true,
            Expr::Name(pattern, false) => matches(pattern, name),
            Expr::Name(pattern, true) => matches(pattern, &name.to_lowercase()),
            Expr::Path(pattern) => matches(pattern, shown),
            Expr::Type(kind) => matches!((kind, node), ('f', Node::File(_)) | ('d', Node::Dir(_)) | ('l', Node::Symlink { .. })),
            Expr::Not(inner) => !self.eval(inner, shown, path, node)?,
            Expr::And(a, b) => self.eval(a, shown, path, node)? && self.eval(b, shown, path, node)?,
            Expr::Or(a, b) => self.eval(a, shown, path, node)? || self.eval(b, shown, path, node)?,
            Expr::Print => {
                self.sh.out(&format!("{shown}\n"))?;
                true
            }
            Expr::Delete => {
                self.deletes.push(path.to_string());
                true
            }
            Expr::Exec { batch: true, .. } => {
                self.batch.push(shown.to_string());
                true
            }
            Expr::Exec { command, batch: false } => {
                let args: Vec<String> = command.iter().map(|w| w.replace("{}", shown)).collect();
                self.sh.run_args(&args, true)? == 0
            }
        })
    }

    fn visit(&mut self, shown: &str, path: &str, depth: usize, limits: (usize, Option<usize>), print: bool) -> Result<(), Flow> {
        self.sh.step()?;
        let Ok(node) = self.sh.fs.get(path, false).cloned() else { return Ok(()) };
        if depth >= limits.0 {
            let hit = self.eval(self.expr, shown, path, &node)?;
            if hit && print {
                self.sh.out(&format!("{shown}\n"))?;
            }
        }
        if let Node::Dir(dir) = &node {
            if limits.1.is_none_or(|max| depth < max) {
                for child in dir.children.keys() {
                    let join = |base: &str| if base.ends_with('/') { format!("{base}{child}") } else { format!("{base}/{child}") };
                    self.visit(&join(shown), &join(path), depth + 1, limits, print)?;
                }
            }
        }
        Ok(())
    }
}

pub fn find(sh: &mut Shell, args: &[String]) -> Status {
    let start = args[1..].iter().position(|a| a.starts_with('-') || a == "!" || a == "(").map_or(args.len(), |i| i + 1);
    let roots: Vec<String> = if start == 1 { vec![".".into()] } else { args[1..start].to_vec() };
    let mut parser = Parser { args: &args[start..], pos: 0, maxdepth: None, mindepth: 0, has_action: false };
    let expr = match parser.or() {
        Ok(e) if parser.pos == parser.args.len() => e,
        Ok(_) => {
            complain(sh, "find", &format!("paths must precede expression: `{}'", parser.args[parser.pos]))?;
            return Ok(1);
        }
        Err(message) => {
            complain(sh, "find", &message)?;
            return Ok(1);
        }
    };
    let limits = (parser.mindepth, parser.maxdepth);
    let print = !parser.has_action;
    let exec_batch = find_batch(&expr);
    let mut walk = Walk { sh, expr: &expr, batch: Vec::new(), deletes: Vec::new() };
    let mut status = 0;
    for root in &roots {
        let path = walk.sh.absolute(root);
        if let Err(e) = walk.sh.fs.get(&path, false) {
            complain(walk.sh, "find", &format!("'{root}': {}", e.message()))?;
            status = 1;
            continue;
        }
        walk.visit(root, &path, 0, limits, print)?;
    }
    // -delete works depth first: children before their directory.
    for path in walk.deletes.iter().rev() {
        let _ = walk.sh.fs.remove(path, false);
    }
    if let (Some(command), false) = (exec_batch, walk.batch.is_empty()) {
        let mut args = command.clone();
        args.extend(walk.batch.iter().cloned());
        if walk.sh.run_args(&args, true)? != 0 {
            status = 1;
        }
    }
    Ok(status)
}

fn find_batch(expr: &Expr) -> Option<&Vec<String>> {
    match expr {
        Expr::Exec { command, batch: true } => Some(command),
        Expr::Not(e) => find_batch(e),
        Expr::And(a, b) | Expr::Or(a, b) => find_batch(a).or_else(|| find_batch(b)),
        _ => None,
    }
}

/// `xargs [-r] [-n N] [-0] command [args]`: standard input's words appended to the command.
pub fn xargs(sh: &mut Shell, args: &[String]) -> Status {
    let mut i = 1;
    let (mut per_call, mut nul, mut no_run_if_empty) = (usize::MAX, false, false);
    while let Some(arg) = args.get(i) {
        match arg.as_str() {
            "-r" | "--no-run-if-empty" => no_run_if_empty = true,
            "-0" | "--null" => nul = true,
            "-n" => {
                i += 1;
                per_call = args.get(i).and_then(|n| n.parse().ok()).unwrap_or(usize::MAX).max(1);
            }
            // `-n1`, `--max-args=1`: the count joined to the option.
            a if a.starts_with("-n") && a[2..].parse::<usize>().is_ok() => per_call = a[2..].parse::<usize>().unwrap_or(1).max(1),
            a if a.starts_with("--max-args=") => per_call = a["--max-args=".len()..].parse::<usize>().unwrap_or(usize::MAX).max(1),
            _ => break,
        }
        i += 1;
    }
    let command: Vec<String> = if i < args.len() { args[i..].to_vec() } else { vec!["echo".into()] };
    let input = String::from_utf8_lossy(&sh.stdin_all()).into_owned();
    let words: Vec<String> = if nul { input.split('\0').filter(|w| !w.is_empty()).map(str::to_string).collect() } else { input.split_whitespace().map(str::to_string).collect() };
    if words.is_empty() && no_run_if_empty {
        return Ok(0);
    }
    let mut status = 0;
    let chunks: Vec<&[String]> = if words.is_empty() { vec![&[][..]] } else { words.chunks(per_call.min(words.len())).collect() };
    for chunk in chunks {
        let mut call = command.clone();
        call.extend(chunk.iter().cloned());
        let code = sh.run_args(&call, true)?;
        if code == 127 {
            return Ok(127);
        }
        if code != 0 {
            status = 123;
        }
    }
    Ok(status)
}
