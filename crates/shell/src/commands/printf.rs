//! `printf FORMAT [ARG]...` and the backslash escapes echo and printf share.

use crate::interp::{Shell, Status};

/// Backslash escapes (`\n`, `\t`, `\\`, `\0NNN`, ...); `true` if `\c` said to stop.
pub fn backslash_escapes(text: &str) -> (String, bool) {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '\\' || i + 1 == chars.len() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        i += 1;
        let c = chars[i];
        i += 1;
        match c {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'v' => out.push('\x0b'),
            'e' => out.push('\x1b'),
            '\\' => out.push('\\'),
            'c' => return (out, true),
            '0'..='7' => {
                let start = if c == '0' { i } else { i - 1 };
                let mut end = start;
                while end < chars.len() && end < start + 3 && chars[end].is_digit(8) {
                    end += 1;
                }
                let digits: String = chars[start..end].iter().collect();
                out.push(char::from(u8::from_str_radix(&digits, 8).unwrap_or(0)));
                i = end;
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

pub fn printf(sh: &mut Shell, args: &[String]) -> Status {
    let Some(format) = args.get(1) else {
        sh.err("printf: usage: printf format [arg ...]\n")?;
        return Ok(2);
    };
    let mut operands = args[2..].iter();
    let mut out = String::new();
    let mut status = 0;
    loop {
        let consumed_before = operands.len();
        if format_once(format, &mut operands, &mut out, &mut status) {
            break;
        }
        // The format is reused while arguments remain (and consumed some).
        if operands.len() == 0 || operands.len() == consumed_before {
            break;
        }
    }
    sh.out(&out)?;
    if status != 0 {
        sh.err("printf: invalid number\n")?;
    }
    Ok(status)
}

/// One pass over the format; `true` if `\c` stopped output.
fn format_once<'a>(format: &str, operands: &mut impl Iterator<Item = &'a String>, out: &mut String, status: &mut i32) -> bool {
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                // One escape at a time: `\c` stops all output, even of later arguments.
                let take = escape_len(&chars[i..]);
                let (one, stop) = backslash_escapes(&chars[i..i + take].iter().collect::<String>());
                out.push_str(&one);
                if stop {
                    return true;
                }
                i += take;
            }
            '%' if chars.get(i + 1) == Some(&'%') => {
                out.push('%');
                i += 2;
            }
            '%' => {
                let start = i;
                i += 1;
                while i < chars.len() && "-+ #0123456789.".contains(chars[i]) {
                    i += 1;
                }
                let Some(&conv) = chars.get(i) else {
                    out.extend(&chars[start..]);
                    break;
                };
                i += 1;
                let spec: String = chars[start + 1..i - 1].iter().collect();
                let arg = operands.next().map(String::as_str).unwrap_or("");
                out.push_str(&convert(&spec, conv, arg, status));
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    false
}

fn escape_len(chars: &[char]) -> usize {
    match chars.get(1) {
        Some('0') => 2 + chars[2..].iter().take(3).take_while(|c| c.is_digit(8)).count(),
        Some(c) if c.is_digit(8) => 1 + chars[1..].iter().take(3).take_while(|c| c.is_digit(8)).count(),
        Some(_) => 2,
        None => 1,
    }
}

pub(crate) fn convert(spec: &str, conv: char, arg: &str, status: &mut i32) -> String {
    let left = spec.contains('-');
    let zero = spec.starts_with('0') || spec.contains("+0") || spec.contains("-0");
    let (width, precision) = match spec.trim_start_matches(['-', '+', ' ', '#', '0']).split_once('.') {
        Some((w, p)) => (w.parse().unwrap_or(0), Some(p.parse().unwrap_or(0))),
        None => (spec.trim_start_matches(['-', '+', ' ', '#', '0']).parse().unwrap_or(0), None),
    };
    let body = match conv {
        's' => match precision {
            Some(p) => arg.chars().take(p).collect(),
            None => arg.to_string(),
        },
        'b' => backslash_escapes(arg).0,
        'c' => arg.chars().next().map(String::from).unwrap_or_default(),
        'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
            let n = integer(arg).unwrap_or_else(|| {
                *status = 1;
                0
            });
            let text = match conv {
                'x' => format!("{n:x}"),
                'X' => format!("{n:X}"),
                'o' => format!("{n:o}"),
                _ => n.to_string(),
            };
            if spec.contains('+') && n >= 0 && matches!(conv, 'd' | 'i') {
                format!("+{text}")
            } else {
                text
            }
        }
        'f' | 'e' | 'g' => {
            let n: f64 = arg.trim().parse().unwrap_or(0.0);
            format!("{n:.*}", precision.unwrap_or(6))
        }
        other => format!("%{spec}{other}"),
    };
    pad(body, width, left, zero && conv != 's')
}

/// A converted value padded to `width`: spaces on the left (right with `-`), or zeros
/// after the sign.
pub(crate) fn pad(body: String, width: usize, left: bool, zero: bool) -> String {
    let len = body.chars().count();
    if len >= width {
        body
    } else if left {
        format!("{body}{}", " ".repeat(width - len))
    } else if zero {
        let (sign, digits) = if body.starts_with(['-', '+']) { body.split_at(1) } else { ("", body.as_str()) };
        format!("{sign}{}{digits}", "0".repeat(width - len))
    } else {
        format!("{}{body}", " ".repeat(width - len))
    }
}

/// printf's integer arguments: decimal, hex, octal, or `'c` for a character's code.
fn integer(arg: &str) -> Option<i64> {
    let arg = arg.trim();
    if arg.is_empty() {
        return Some(0);
    }
    if let Some(c) = arg.strip_prefix(['\'', '"']) {
        return Some(c.chars().next().map_or(0, |c| c as i64));
    }
    let (neg, digits) = match arg.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, arg.strip_prefix('+').unwrap_or(arg)),
    };
    let value = if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse().ok()?
    };
    Some(if neg { -value } else { value })
}

/// Expands `%x` directives with `value(x)` (stat -c, date +FORMAT); `%%` is a percent sign
/// and an unknown directive stays as written.
pub fn percent_directives(format: &str, value: impl Fn(char) -> Option<String>) -> String {
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(d) => match value(d) {
                Some(text) => out.push_str(&text),
                None => {
                    out.push('%');
                    out.push(d);
                }
            },
            None => out.push('%'),
        }
    }
    out
}
