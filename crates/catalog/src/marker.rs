//! PEP 508 environment markers (`python_version < "3.10" and extra == "async"`), evaluated
//! for the one environment the catalog models: CPython 3.12 on Linux x86_64.

/// The values of marker variables for CPython 3.12 on manylinux x86_64.
fn variable(name: &str) -> Option<&'static str> {
    Some(match name {
        "python_version" => "3.12",
        "python_full_version" => "3.12.12",
        "os_name" => "posix",
        "sys_platform" => "linux",
        "platform_system" => "Linux",
        "platform_machine" => "x86_64",
        "platform_python_implementation" => "CPython",
        "implementation_name" => "cpython",
        "implementation_version" => "3.12.12",
        "platform_release" | "platform_version" => "",
        _ => return None,
    })
}

/// Evaluates `marker` with `extra` set to the extra being installed (`""` for none).
/// A marker that does not parse is false: the requirement is left out, as pip warns and
/// skips it.
pub fn evaluate(marker: &str, extra: &str) -> bool {
    let tokens = tokenize(marker);
    let mut parser = Parser { tokens: &tokens, at: 0, extra };
    parser.or().filter(|_| parser.at == tokens.len()).unwrap_or(false)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Str(String),
    Word(String),
    Op(String),
    Open,
    Close,
}

fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' || c == ')' {
            tokens.push(if c == '(' { Token::Open } else { Token::Close });
            i += 1;
        } else if c == '"' || c == '\'' {
            let end = chars[i + 1..].iter().position(|&d| d == c).map_or(chars.len(), |p| i + 1 + p);
            tokens.push(Token::Str(chars[i + 1..end].iter().collect()));
            i = end + 1;
        } else if "<>=!~".contains(c) {
            let end = chars[i..].iter().position(|d| !"<>=!~".contains(*d)).map_or(chars.len(), |p| i + p);
            tokens.push(Token::Op(chars[i..end].iter().collect()));
            i = end;
        } else {
            let end = chars[i..]
                .iter()
                .position(|d| d.is_whitespace() || "()<>=!~\"'".contains(*d))
                .map_or(chars.len(), |p| i + p);
            tokens.push(Token::Word(chars[i..end].iter().collect()));
            i = end.max(i + 1);
        }
    }
    tokens
}

struct Parser<'a> {
    tokens: &'a [Token],
    at: usize,
    extra: &'a str,
}

impl Parser<'_> {
    fn peek_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Word(w)) if w == word)
    }

    fn or(&mut self) -> Option<bool> {
        let mut value = self.and()?;
        while self.peek_word("or") {
            self.at += 1;
            value |= self.and()?;
        }
        Some(value)
    }

    fn and(&mut self) -> Option<bool> {
        let mut value = self.atom()?;
        while self.peek_word("and") {
            self.at += 1;
            value &= self.atom()?;
        }
        Some(value)
    }

    fn atom(&mut self) -> Option<bool> {
        if self.tokens.get(self.at) == Some(&Token::Open) {
            self.at += 1;
            let value = self.or()?;
            (self.tokens.get(self.at) == Some(&Token::Close)).then_some(())?;
            self.at += 1;
            return Some(value);
        }
        let left = self.value()?;
        let op = self.operator()?;
        let right = self.value()?;
        Some(compare(&left, &op, &right))
    }

    fn value(&mut self) -> Option<String> {
        let token = self.tokens.get(self.at)?.clone();
        self.at += 1;
        match token {
            Token::Str(s) => Some(s),
            Token::Word(w) if w == "extra" => Some(self.extra.to_string()),
            Token::Word(w) => variable(&w).map(str::to_string),
            _ => None,
        }
    }

    fn operator(&mut self) -> Option<String> {
        let token = self.tokens.get(self.at)?.clone();
        self.at += 1;
        match token {
            Token::Op(op) => Some(op),
            Token::Word(w) if w == "in" => Some("in".into()),
            Token::Word(w) if w == "not" && self.peek_word("in") => {
                self.at += 1;
                Some("not in".into())
            }
            _ => None,
        }
    }
}

fn compare(left: &str, op: &str, right: &str) -> bool {
    match op {
        "in" => right.contains(left),
        "not in" => !right.contains(left),
        "===" => left == right,
        _ => match (version(left), version(right)) {
            (Some(l), Some(r)) => ordering_holds(op, l.cmp(&r), &l, &r),
            _ => match op {
                "==" => normalize_name(left) == normalize_name(right),
                "!=" => normalize_name(left) != normalize_name(right),
                _ => false,
            },
        },
    }
}

fn ordering_holds(op: &str, ord: std::cmp::Ordering, l: &[u64], r: &[u64]) -> bool {
    use std::cmp::Ordering::*;
    match op {
        "==" => ord == Equal,
        "!=" => ord != Equal,
        "<" => ord == Less,
        "<=" => ord != Greater,
        ">" => ord == Greater,
        ">=" => ord != Less,
        // Compatible release: >= r and the same prefix without r's last part.
        "~=" => ord != Less && r.len() > 1 && l.len() >= r.len() - 1 && l[..r.len() - 1] == r[..r.len() - 1],
        _ => false,
    }
}

/// A release number (`3.12`, `3.12.12`) with trailing zeros trimmed, so `3.12 == 3.12.0`.
fn version(text: &str) -> Option<Vec<u64>> {
    let mut parts: Vec<u64> = text.split('.').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    while parts.len() > 1 && parts.last() == Some(&0) {
        parts.pop();
    }
    Some(parts)
}

/// Extras compare by normalised name (`Flask_Async` is `flask-async`).
fn normalize_name(text: &str) -> String {
    crate::pip::normalize(text)
}
