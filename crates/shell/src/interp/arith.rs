//! `$(( ... ))`: signed 64-bit arithmetic with C's operators and precedence, variables by
//! name, assignments; errors worded as dash words them ("expecting primary").

use super::Shell;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const OPS: &[&str] = &[
    "<<=", ">>=", "**", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "++", "--", "+", "-", "*", "/", "%", "<", ">", "&",
    "^", "|", "!", "~", "?", ":", "=", "(", ")",
];

/// `power`: bash's `**` (dash has no such operator).
fn tokenize(text: &str, power: bool) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            out.push(Tok::Num(number(&s).ok_or_else(|| "expecting primary".to_string())?));
        } else if c == '_' || c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && (chars[i] == '_' || chars[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            out.push(Tok::Name(chars[start..i].iter().collect()));
        } else {
            let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
            let op = OPS.iter().filter(|op| power || **op != "**").find(|op| rest.starts_with(*op)).ok_or_else(|| "expecting primary".to_string())?;
            i += op.len();
            out.push(Tok::Op(op));
        }
    }
    Ok(out)
}

/// C integer literals: decimal, `0x` hex, leading-zero octal.
fn number(s: &str) -> Option<i64> {
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok()
    } else if s.len() > 1 && s.starts_with('0') {
        i64::from_str_radix(&s[1..], 8).ok()
    } else {
        s.parse().ok()
    }
}

struct Eval<'a, 'fs> {
    toks: Vec<Tok>,
    pos: usize,
    sh: &'a mut Shell<'fs>,
    /// Inside the untaken side of `&&`, `||`, `?:`: parse, but assign nothing.
    skip: usize,
    depth: usize,
}

/// Binding power of binary operators (higher binds tighter).
fn binary(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "|" => 3,
        "^" => 4,
        "&" => 5,
        "==" | "!=" => 6,
        "<" | ">" | "<=" | ">=" => 7,
        "<<" | ">>" => 8,
        "+" | "-" => 9,
        "*" | "/" | "%" => 10,
        "**" => 11,
        _ => return None,
    })
}

pub(super) fn evaluate(text: &str, sh: &mut Shell, power: bool) -> Result<i64, String> {
    let toks = tokenize(text, power)?;
    if toks.is_empty() {
        return Ok(0);
    }
    let mut eval = Eval { toks, pos: 0, sh, skip: 0, depth: 0 };
    let value = eval.assignment()?;
    if eval.pos < eval.toks.len() {
        return Err("expecting EOF".into());
    }
    Ok(value)
}

impl Eval<'_, '_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.peek() == Some(&Tok::Op(leak(op))) {
            self.pos += 1;
            return true;
        }
        false
    }

    fn var(&self, name: &str) -> Result<i64, String> {
        let value = self.sh.var(name).unwrap_or_default();
        let value = value.trim();
        if value.is_empty() {
            return Ok(0);
        }
        number(value).ok_or_else(|| format!("Illegal number: {value}"))
    }

    fn set(&mut self, name: &str, value: i64) -> Result<(), String> {
        if self.skip == 0 && !self.sh.assign(name, &value.to_string()) {
            return Err(format!("{name}: is read only"));
        }
        Ok(())
    }

    fn assignment(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression nested too deeply".into());
        }
        let result = self.assignment_inner();
        self.depth -= 1;
        result
    }

    fn assignment_inner(&mut self) -> Result<i64, String> {
        if let (Some(Tok::Name(name)), Some(Tok::Op(op))) = (self.toks.get(self.pos).cloned(), self.toks.get(self.pos + 1).cloned()) {
            if op.ends_with('=') && !matches!(op, "==" | "!=" | "<=" | ">=") {
                self.pos += 2;
                let rhs = self.assignment()?;
                let value = if op == "=" { rhs } else { apply(&op[..op.len() - 1], self.var(&name)?, rhs)? };
                self.set(&name, value)?;
                return Ok(value);
            }
        }
        self.conditional()
    }

    fn conditional(&mut self) -> Result<i64, String> {
        let cond = self.binary(0)?;
        if !self.eat("?") {
            return Ok(cond);
        }
        self.skip += usize::from(cond == 0);
        let yes = self.assignment()?;
        self.skip -= usize::from(cond == 0);
        if !self.eat(":") {
            return Err("expecting ':'".into());
        }
        self.skip += usize::from(cond != 0);
        let no = self.conditional()?;
        self.skip -= usize::from(cond != 0);
        Ok(if cond != 0 { yes } else { no })
    }

    fn binary(&mut self, min: u8) -> Result<i64, String> {
        let mut left = self.unary()?;
        while let Some(Tok::Op(op)) = self.peek().cloned() {
            let Some(power) = binary(op).filter(|p| *p > min) else { break };
            self.pos += 1;
            let short = (op == "&&" && left == 0) || (op == "||" && left != 0);
            self.skip += usize::from(short);
            let right = self.binary(if op == "**" { power - 1 } else { power })?;
            self.skip -= usize::from(short);
            left = match op {
                "&&" => i64::from(left != 0 && right != 0),
                "||" => i64::from(left != 0 || right != 0),
                _ if self.skip > 0 => 0,
                _ => apply(op, left, right)?,
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<i64, String> {
        let Some(tok) = self.peek().cloned() else { return Err("expecting primary".into()) };
        self.pos += 1;
        match tok {
            Tok::Num(n) => Ok(n),
            Tok::Name(name) => {
                let value = self.var(&name)?;
                for (op, delta) in [("++", 1), ("--", -1)] {
                    if self.eat(op) {
                        self.set(&name, value.wrapping_add(delta))?;
                    }
                }
                Ok(value)
            }
            Tok::Op("(") => {
                let value = self.assignment()?;
                if !self.eat(")") {
                    return Err("expecting ')'".into());
                }
                Ok(value)
            }
            Tok::Op(op @ ("++" | "--")) => {
                let Some(Tok::Name(name)) = self.peek().cloned() else { return Err("expecting primary".into()) };
                self.pos += 1;
                let value = self.var(&name)?.wrapping_add(if op == "++" { 1 } else { -1 });
                self.set(&name, value)?;
                Ok(value)
            }
            Tok::Op("-") => Ok(self.unary()?.wrapping_neg()),
            Tok::Op("+") => self.unary(),
            Tok::Op("!") => Ok(i64::from(self.unary()? == 0)),
            Tok::Op("~") => Ok(!self.unary()?),
            Tok::Op(_) => Err("expecting primary".into()),
        }
    }
}

fn apply(op: &str, a: i64, b: i64) -> Result<i64, String> {
    Ok(match op {
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err("division by zero".into()),
        "/" => a.wrapping_div(b),
        "%" => a.wrapping_rem(b),
        "**" => a.wrapping_pow(u32::try_from(b).map_err(|_| "exponent less than 0".to_string())?),
        "<<" => a.wrapping_shl(b as u32),
        ">>" => a.wrapping_shr(b as u32),
        "<" => i64::from(a < b),
        ">" => i64::from(a > b),
        "<=" => i64::from(a <= b),
        ">=" => i64::from(a >= b),
        "==" => i64::from(a == b),
        "!=" => i64::from(a != b),
        "&" => a & b,
        "^" => a ^ b,
        "|" => a | b,
        _ => return Err("expecting primary".into()),
    })
}

/// The `&'static str` for an operator text (tokens hold the table's entries).
fn leak(op: &str) -> &'static str {
    OPS.iter().find(|o| **o == op).copied().unwrap_or("")
}
