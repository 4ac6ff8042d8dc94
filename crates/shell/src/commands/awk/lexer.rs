//! awk's tokens. A `/` starts a regular expression unless the token before it ends an
//! operand (then it divides), which is how awk itself tells the two apart.

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Number(f64),
    Str(String),
    Regex(String),
    Name(String),
    /// A builtin function name (`length`, `gsub`...), or a user function called as `f(`.
    Func(String),
    Keyword(&'static str),
    /// Operators and punctuation, longest match first (`+=` before `+`).
    Op(&'static str),
    Newline,
}

const KEYWORDS: &[&str] = &[
    "BEGIN", "END", "if", "else", "while", "for", "do", "break", "continue", "next", "exit", "return", "delete", "in", "print", "printf",
    "function", "getline",
];

pub const BUILTINS: &[&str] = &[
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "tolower", "toupper", "system", "int", "sqrt", "exp", "log", "sin",
    "cos", "atan2", "rand", "srand",
];

const OPS: &[&str] = &[
    "+=", "-=", "*=", "/=", "%=", "^=", "==", "<=", ">=", "!=", "++", "--", "&&", "||", ">>", "!~", "{", "}", "(", ")", "[", "]", ";", ",", "+",
    "-", "*", "/", "%", "^", "!", ">", "<", "|", "?", ":", "~", "$", "=",
];

pub fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\r' => i += 1,
            '\\' if chars.get(i + 1) == Some(&'\n') => i += 2,
            '\n' => {
                out.push(Token::Newline);
                i += 1;
            }
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '"' => {
                let (s, next) = string(&chars, i + 1)?;
                out.push(Token::Str(s));
                i = next;
            }
            '/' if !ends_operand(out.last()) => {
                let (s, next) = regex(&chars, i + 1)?;
                out.push(Token::Regex(s));
                i = next;
            }
            _ if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                if i < chars.len() && matches!(chars[i], 'e' | 'E') && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit() || *d == '-' || *d == '+') {
                    i += 2;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
                let literal: String = chars[start..i].iter().collect();
                out.push(Token::Number(literal.parse().map_err(|_| format!("syntax error at or near {literal}"))?));
            }
            _ if c.is_ascii_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                out.push(match KEYWORDS.iter().find(|k| **k == word) {
                    Some(k) => Token::Keyword(k),
                    None if BUILTINS.contains(&word.as_str()) || chars.get(i) == Some(&'(') => Token::Func(word),
                    None => Token::Name(word),
                });
            }
            _ => {
                let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
                let op = OPS.iter().find(|op| rest.starts_with(**op)).ok_or_else(|| format!("syntax error at or near {c}"))?;
                out.push(Token::Op(op));
                i += op.chars().count();
            }
        }
    }
    Ok(out)
}

fn ends_operand(last: Option<&Token>) -> bool {
    match last {
        Some(Token::Number(_) | Token::Str(_) | Token::Name(_) | Token::Regex(_)) => true,
        Some(Token::Op(op)) => matches!(*op, ")" | "]" | "$" | "++" | "--"),
        _ => false,
    }
}

/// A string literal's value, with awk's escapes (`\n`, `\t`, `\"`, `\\`, `\/`, octal).
fn string(chars: &[char], mut i: usize) -> Result<(String, usize), String> {
    let mut s = String::new();
    while i < chars.len() {
        match chars[i] {
            '"' => return Ok((s, i + 1)),
            '\\' if i + 1 < chars.len() => {
                i += 1;
                match chars[i] {
                    'n' => s.push('\n'),
                    't' => s.push('\t'),
                    'r' => s.push('\r'),
                    '\\' => s.push('\\'),
                    '"' => s.push('"'),
                    '/' => s.push('/'),
                    'a' => s.push('\x07'),
                    'b' => s.push('\x08'),
                    'f' => s.push('\x0c'),
                    'v' => s.push('\x0b'),
                    d if d.is_digit(8) => {
                        let mut n = 0u32;
                        let mut taken = 0;
                        while taken < 3 && i < chars.len() && chars[i].is_digit(8) {
                            n = n * 8 + chars[i].to_digit(8).unwrap_or(0);
                            i += 1;
                            taken += 1;
                        }
                        s.push(char::from_u32(n).unwrap_or('?'));
                        continue;
                    }
                    // An escape awk does not know keeps its backslash (mawk does).
                    other => {
                        s.push('\\');
                        s.push(other);
                    }
                }
                i += 1;
            }
            '\n' => return Err("runaway string constant".into()),
            c => {
                s.push(c);
                i += 1;
            }
        }
    }
    Err("runaway string constant".into())
}

/// A regex literal's text as the regex engine reads it (`\/` unescaped to `/`).
fn regex(chars: &[char], mut i: usize) -> Result<(String, usize), String> {
    let mut s = String::new();
    let mut in_class = false;
    while i < chars.len() {
        match chars[i] {
            '/' if !in_class => return Ok((s, i + 1)),
            '\\' if chars.get(i + 1) == Some(&'/') => {
                s.push('/');
                i += 2;
                continue;
            }
            '\\' if i + 1 < chars.len() => {
                s.push('\\');
                s.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '[' => in_class = true,
            ']' => in_class = false,
            '\n' => return Err("runaway regular expression".into()),
            _ => {}
        }
        s.push(chars[i]);
        i += 1;
    }
    Err("runaway regular expression".into())
}
