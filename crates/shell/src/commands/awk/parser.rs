//! awk's grammar, by recursive descent over the tokens: rules (`pattern { action }`,
//! `BEGIN`, `END`), statements, and expressions by POSIX precedence, lowest first:
//! assignment, `?:`, `||`, `&&`, `in`, `~ !~`, comparison, concatenation, `+ -`, `* / %`,
//! unary `! - +`, `^`, `++ --`, `$`.

use super::lexer::Token;

#[derive(Debug, Clone)]
pub enum Expr {
    Num(f64),
    Str(String),
    /// A bare `/re/`: matches `$0`.
    Regex(String),
    Field(Box<Expr>),
    Var(String),
    Index(String, Vec<Expr>),
    Assign(Option<&'static str>, Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Arith(&'static str, Box<Expr>, Box<Expr>),
    Compare(&'static str, Box<Expr>, Box<Expr>),
    Match(bool, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    Plus(Box<Expr>),
    /// `++x` / `x++` (and `--`): (is prefix, delta, target).
    Incr(bool, f64, Box<Expr>),
    In(Vec<Expr>, String),
    Call(String, Vec<Expr>),
    Group(Box<Expr>),
}

#[derive(Debug, Clone)]
pub enum Output {
    Stdout,
    File(bool, Expr),
}

#[derive(Debug, Clone)]
pub enum Stmt {
    Print(Vec<Expr>, Output),
    Printf(Vec<Expr>, Output),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    DoWhile(Box<Stmt>, Expr),
    For(Option<Box<Stmt>>, Option<Expr>, Option<Box<Stmt>>, Box<Stmt>),
    ForIn(String, String, Box<Stmt>),
    Block(Vec<Stmt>),
    Expr(Expr),
    Next,
    Exit(Option<Expr>),
    Break,
    Continue,
    Delete(String, Option<Vec<Expr>>),
}

#[derive(Debug, Clone)]
pub enum Pattern {
    Begin,
    End,
    All,
    Expr(Expr),
    Range(Expr, Expr),
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub pattern: Pattern,
    /// `None`: print the record.
    pub action: Option<Vec<Stmt>>,
}

pub fn parse(tokens: Vec<Token>) -> Result<Vec<Rule>, String> {
    let mut p = Parser { tokens, at: 0, no_in: false, no_gt: false };
    let mut rules = Vec::new();
    p.terminators();
    while !p.done() {
        rules.push(p.rule()?);
        p.terminators();
    }
    Ok(rules)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// In `for (x in a)` heads and print lists, `in` and `>` are not operators.
    no_in: bool,
    no_gt: bool,
}

impl Parser {
    fn done(&self) -> bool {
        self.at >= self.tokens.len()
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Token::Op(o)) if *o == op)
    }

    fn is_keyword(&self, k: &str) -> bool {
        matches!(self.peek(), Some(Token::Keyword(w)) if *w == k)
    }

    /// mawk's message, with the line it was read on (`line 1: ` added by the caller for
    /// one-line programs; later lines counted here).
    fn error(&self) -> String {
        let line = 1 + self.tokens[..self.at.min(self.tokens.len())].iter().filter(|t| **t == Token::Newline).count();
        let message = self.message();
        format!("line {line}: {message}")
    }

    fn message(&self) -> String {
        match self.peek() {
            None => "syntax error at or near end of file".into(),
            Some(Token::Newline) => "syntax error at or near end of line".into(),
            Some(Token::Op(o)) => format!("syntax error at or near {o}"),
            Some(Token::Keyword(k)) => format!("syntax error at or near {k}"),
            Some(Token::Name(n) | Token::Func(n)) => format!("syntax error at or near {n}"),
            Some(Token::Number(n)) => format!("syntax error at or near {n}"),
            Some(Token::Str(s)) => format!("syntax error at or near \"{s}\""),
            Some(Token::Regex(r)) => format!("syntax error at or near /{r}/"),
        }
    }

    fn expect_op(&mut self, op: &str) -> Result<(), String> {
        if self.is_op(op) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn newlines(&mut self) {
        while matches!(self.peek(), Some(Token::Newline)) {
            self.at += 1;
        }
    }

    fn terminators(&mut self) {
        while matches!(self.peek(), Some(Token::Newline)) || self.is_op(";") {
            self.at += 1;
        }
    }

    fn rule(&mut self) -> Result<Rule, String> {
        let pattern = if self.is_keyword("BEGIN") {
            self.at += 1;
            Pattern::Begin
        } else if self.is_keyword("END") {
            self.at += 1;
            Pattern::End
        } else if self.is_keyword("function") {
            return Err("layerlab: awk functions defined with `function` are not simulated".into());
        } else if self.is_op("{") {
            Pattern::All
        } else {
            let first = self.expr()?;
            if self.is_op(",") {
                self.at += 1;
                self.newlines();
                Pattern::Range(first, self.expr()?)
            } else {
                Pattern::Expr(first)
            }
        };
        let action = if self.is_op("{") { Some(self.block()?) } else { None };
        if action.is_none() && matches!(pattern, Pattern::Begin | Pattern::End) {
            return Err(self.error());
        }
        Ok(Rule { pattern, action })
    }

    fn block(&mut self) -> Result<Vec<Stmt>, String> {
        self.expect_op("{")?;
        let mut stmts = Vec::new();
        self.terminators();
        while !self.is_op("}") {
            if self.done() {
                // mawk counts the end of the program as one more line.
                let lines = 2 + self.tokens.iter().filter(|t| **t == Token::Newline).count();
                return Err(format!("line {lines}: missing }} near end of file"));
            }
            stmts.push(self.stmt()?);
            self.terminators();
        }
        self.at += 1;
        Ok(stmts)
    }

    /// A statement; a simple one must end at `;`, a newline or `}`.
    fn stmt(&mut self) -> Result<Stmt, String> {
        if self.is_op("{") {
            return Ok(Stmt::Block(self.block()?));
        }
        if let Some(Token::Keyword(k)) = self.peek().cloned() {
            match k {
                "if" => return self.if_stmt(),
                "while" => {
                    self.at += 1;
                    let cond = self.paren()?;
                    self.newlines();
                    if self.is_op(";") {
                        self.at += 1;
                        return Ok(Stmt::While(cond, Box::new(Stmt::Block(Vec::new()))));
                    }
                    return Ok(Stmt::While(cond, Box::new(self.stmt()?)));
                }
                "do" => {
                    self.at += 1;
                    self.newlines();
                    let body = self.stmt()?;
                    self.terminators();
                    if !self.is_keyword("while") {
                        return Err(self.error());
                    }
                    self.at += 1;
                    let cond = self.paren()?;
                    return Ok(Stmt::DoWhile(Box::new(body), cond));
                }
                "for" => return self.for_stmt(),
                _ => {}
            }
        }
        let stmt = self.simple()?;
        if !(self.done() || self.is_op(";") || self.is_op("}") || matches!(self.peek(), Some(Token::Newline))) {
            return Err(self.error());
        }
        Ok(stmt)
    }

    fn simple(&mut self) -> Result<Stmt, String> {
        let Some(Token::Keyword(k)) = self.peek().cloned() else { return Ok(Stmt::Expr(self.expr()?)) };
        self.at += 1;
        Ok(match k {
            "print" | "printf" => {
                let args = self.print_args()?;
                let output = self.output()?;
                if k == "print" {
                    Stmt::Print(args, output)
                } else if args.is_empty() {
                    return Err(self.error());
                } else {
                    Stmt::Printf(args, output)
                }
            }
            "next" => Stmt::Next,
            "break" => Stmt::Break,
            "continue" => Stmt::Continue,
            "exit" => Stmt::Exit(if self.ends_simple() { None } else { Some(self.expr()?) }),
            "delete" => {
                let Some(Token::Name(name)) = self.peek().cloned() else { return Err(self.error()) };
                self.at += 1;
                if self.is_op("[") {
                    self.at += 1;
                    let keys = self.expr_list("]")?;
                    Stmt::Delete(name, Some(keys))
                } else {
                    Stmt::Delete(name, None)
                }
            }
            "getline" | "return" => return Err(format!("layerlab: awk's `{k}` is not simulated")),
            _ => return Err(self.error()),
        })
    }

    fn ends_simple(&self) -> bool {
        self.done() || self.is_op(";") || self.is_op("}") || matches!(self.peek(), Some(Token::Newline))
    }

    /// print's operands: nothing, `expr, expr...`, or `(expr, expr...)`; `>` redirects.
    fn print_args(&mut self) -> Result<Vec<Expr>, String> {
        if self.ends_simple() || self.is_op(">") || self.is_op(">>") || self.is_op("|") {
            return Ok(Vec::new());
        }
        let saved = self.no_gt;
        self.no_gt = true;
        let mut args = vec![self.expr()?];
        while self.is_op(",") {
            self.at += 1;
            self.newlines();
            args.push(self.expr()?);
        }
        self.no_gt = saved;
        // `print (a, b)` parses as one grouping holding a list.
        if let [Expr::Call(name, list)] = args.as_slice() {
            if name == "(list)" {
                return Ok(list.clone());
            }
        }
        Ok(args)
    }

    fn output(&mut self) -> Result<Output, String> {
        if self.is_op(">") || self.is_op(">>") {
            let append = self.is_op(">>");
            self.at += 1;
            let saved = self.no_gt;
            self.no_gt = true;
            let target = self.concat()?;
            self.no_gt = saved;
            return Ok(Output::File(append, target));
        }
        if self.is_op("|") {
            return Err("layerlab: awk's output pipes (`print | \"cmd\"`) are not simulated".into());
        }
        Ok(Output::Stdout)
    }

    fn if_stmt(&mut self) -> Result<Stmt, String> {
        self.at += 1;
        let cond = self.paren()?;
        self.newlines();
        let then = if self.is_op(";") {
            self.at += 1;
            Stmt::Block(Vec::new())
        } else {
            self.stmt()?
        };
        // `else` may follow on the next line, after `;`.
        let save = self.at;
        self.terminators();
        if self.is_keyword("else") {
            self.at += 1;
            self.newlines();
            let other = self.stmt()?;
            return Ok(Stmt::If(cond, Box::new(then), Some(Box::new(other))));
        }
        self.at = save;
        Ok(Stmt::If(cond, Box::new(then), None))
    }

    fn for_stmt(&mut self) -> Result<Stmt, String> {
        self.at += 1;
        self.expect_op("(")?;
        if let (Some(Token::Name(var)), Some(Token::Keyword("in")), Some(Token::Name(array)), Some(Token::Op(")"))) =
            (self.tokens.get(self.at).cloned(), self.tokens.get(self.at + 1).cloned(), self.tokens.get(self.at + 2).cloned(), self.tokens.get(self.at + 3).cloned())
        {
            self.at += 4;
            self.newlines();
            return Ok(Stmt::ForIn(var, array, Box::new(self.stmt()?)));
        }
        let init = if self.is_op(";") { None } else { Some(Box::new(self.simple()?)) };
        self.expect_op(";")?;
        self.newlines();
        let cond = if self.is_op(";") { None } else { Some(self.expr()?) };
        self.expect_op(";")?;
        self.newlines();
        let step = if self.is_op(")") { None } else { Some(Box::new(self.simple()?)) };
        self.expect_op(")")?;
        self.newlines();
        let body = if self.is_op(";") {
            self.at += 1;
            Stmt::Block(Vec::new())
        } else {
            self.stmt()?
        };
        Ok(Stmt::For(init, cond, step, Box::new(body)))
    }

    fn paren(&mut self) -> Result<Expr, String> {
        self.expect_op("(")?;
        let e = self.expr()?;
        self.expect_op(")")?;
        Ok(e)
    }

    fn expr_list(&mut self, close: &str) -> Result<Vec<Expr>, String> {
        let mut list = Vec::new();
        self.newlines();
        while !self.is_op(close) {
            list.push(self.expr()?);
            self.newlines();
            if self.is_op(",") {
                self.at += 1;
                self.newlines();
            } else if !self.is_op(close) {
                return Err(self.error());
            }
        }
        self.at += 1;
        Ok(list)
    }

    pub fn expr(&mut self) -> Result<Expr, String> {
        let left = self.ternary()?;
        let op = match self.peek() {
            Some(Token::Op(op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^="))) => *op,
            _ => return Ok(left),
        };
        if !matches!(left, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
            return Err(self.error());
        }
        self.at += 1;
        self.newlines();
        let value = self.expr()?;
        let arith = match op {
            "=" => None,
            other => Some(&other[..1]),
        };
        let arith: Option<&'static str> = arith.map(|a| match a {
            "+" => "+",
            "-" => "-",
            "*" => "*",
            "/" => "/",
            "%" => "%",
            _ => "^",
        });
        Ok(Expr::Assign(arith, Box::new(left), Box::new(value)))
    }

    fn ternary(&mut self) -> Result<Expr, String> {
        let cond = self.or()?;
        if !self.is_op("?") {
            return Ok(cond);
        }
        self.at += 1;
        self.newlines();
        let yes = self.ternary()?;
        self.newlines();
        self.expect_op(":")?;
        self.newlines();
        let no = self.ternary()?;
        Ok(Expr::Cond(Box::new(cond), Box::new(yes), Box::new(no)))
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.is_op("||") {
            self.at += 1;
            self.newlines();
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.in_expr()?;
        while self.is_op("&&") {
            self.at += 1;
            self.newlines();
            left = Expr::And(Box::new(left), Box::new(self.in_expr()?));
        }
        Ok(left)
    }

    fn in_expr(&mut self) -> Result<Expr, String> {
        let mut left = self.matching()?;
        while !self.no_in && self.is_keyword("in") {
            self.at += 1;
            let Some(Token::Name(array)) = self.peek().cloned() else { return Err(self.error()) };
            self.at += 1;
            let keys = match left {
                Expr::Call(ref name, ref list) if name == "(list)" => list.clone(),
                other => vec![other],
            };
            left = Expr::In(keys, array);
        }
        Ok(left)
    }

    fn matching(&mut self) -> Result<Expr, String> {
        let mut left = self.comparison()?;
        while self.is_op("~") || self.is_op("!~") {
            let negated = self.is_op("!~");
            self.at += 1;
            left = Expr::Match(negated, Box::new(left), Box::new(self.comparison()?));
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let left = self.concat()?;
        let op = match self.peek() {
            Some(Token::Op(op @ ("<" | "<=" | "!=" | "==" | ">=" | ">"))) => *op,
            _ => return Ok(left),
        };
        if op == ">" && self.no_gt {
            return Ok(left);
        }
        self.at += 1;
        Ok(Expr::Compare(op, Box::new(left), Box::new(self.concat()?)))
    }

    /// Concatenation: operands side by side, as long as the next token can start one.
    fn concat(&mut self) -> Result<Expr, String> {
        let mut left = self.additive()?;
        while self.starts_operand() {
            left = Expr::Concat(Box::new(left), Box::new(self.additive()?));
        }
        Ok(left)
    }

    fn starts_operand(&self) -> bool {
        match self.peek() {
            Some(Token::Number(_) | Token::Str(_) | Token::Regex(_) | Token::Name(_) | Token::Func(_)) => true,
            // `a -1` subtracts, as in awk: a sign never starts a concatenated operand.
            Some(Token::Op(op)) => matches!(*op, "$" | "(" | "++" | "--"),
            _ => false,
        }
    }

    fn additive(&mut self) -> Result<Expr, String> {
        let mut left = self.multiplicative()?;
        while let Some(Token::Op(op @ ("+" | "-"))) = self.peek() {
            let op = *op;
            self.at += 1;
            left = Expr::Arith(op, Box::new(left), Box::new(self.multiplicative()?));
        }
        Ok(left)
    }

    fn multiplicative(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while let Some(Token::Op(op @ ("*" | "/" | "%"))) = self.peek() {
            let op = *op;
            self.at += 1;
            left = Expr::Arith(op, Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.is_op("!") {
            self.at += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.is_op("-") {
            self.at += 1;
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.is_op("+") {
            self.at += 1;
            return Ok(Expr::Plus(Box::new(self.unary()?)));
        }
        self.power()
    }

    fn power(&mut self) -> Result<Expr, String> {
        let base = self.incr()?;
        if self.is_op("^") {
            self.at += 1;
            // Right associative, and `2^-1` is allowed.
            let exponent = self.unary()?;
            return Ok(Expr::Arith("^", Box::new(base), Box::new(exponent)));
        }
        Ok(base)
    }

    fn incr(&mut self) -> Result<Expr, String> {
        if self.is_op("++") || self.is_op("--") {
            let delta = if self.is_op("++") { 1.0 } else { -1.0 };
            self.at += 1;
            let target = self.primary()?;
            return Ok(Expr::Incr(true, delta, Box::new(target)));
        }
        let target = self.primary()?;
        if matches!(target, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) && (self.is_op("++") || self.is_op("--")) {
            let delta = if self.is_op("++") { 1.0 } else { -1.0 };
            self.at += 1;
            return Ok(Expr::Incr(false, delta, Box::new(target)));
        }
        Ok(target)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let Some(token) = self.peek().cloned() else { return Err(self.error()) };
        self.at += 1;
        match token {
            Token::Number(n) => Ok(Expr::Num(n)),
            Token::Str(s) => Ok(Expr::Str(s)),
            Token::Regex(r) => Ok(Expr::Regex(r)),
            Token::Op("$") => Ok(Expr::Field(Box::new(self.incr()?))),
            Token::Op("(") => {
                let saved = (self.no_in, self.no_gt);
                (self.no_in, self.no_gt) = (false, false);
                let list = self.expr_list(")")?;
                (self.no_in, self.no_gt) = saved;
                match list.len() {
                    0 => Err(self.error()),
                    1 => Ok(Expr::Group(Box::new(list.into_iter().next().unwrap_or(Expr::Num(0.0))))),
                    _ => Ok(Expr::Call("(list)".into(), list)),
                }
            }
            Token::Name(name) => {
                if self.is_op("[") {
                    self.at += 1;
                    let keys = self.expr_list("]")?;
                    return Ok(Expr::Index(name, keys));
                }
                Ok(Expr::Var(name))
            }
            Token::Func(name) => {
                if !self.is_op("(") {
                    return if name == "length" { Ok(Expr::Call(name, Vec::new())) } else { Err(self.error()) };
                }
                self.at += 1;
                let args = self.expr_list(")")?;
                if !super::lexer::BUILTINS.contains(&name.as_str()) {
                    return Err(format!("layerlab: awk functions defined with `function` are not simulated ({name})"));
                }
                Ok(Expr::Call(name, args))
            }
            _ => {
                self.at -= 1;
                Err(self.error())
            }
        }
    }
}
