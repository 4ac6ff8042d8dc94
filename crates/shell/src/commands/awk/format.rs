//! Text operations of awk's builtins: field splitting, `sub`/`gsub` substitution, and
//! printf's formats over awk values.

use super::value::{format_g, number_to_string, to_int, Value};
use crate::commands::regex;

/// Widths and precisions in formats, clamped so `%1000000000d` cannot exhaust memory.
const MAX_WIDTH: usize = 65_536;

/// Field splitting: `" "` splits on runs of blanks and newlines, leading and trailing
/// ones ignored; one other character splits on itself; anything longer is a regex.
pub fn split(text: &str, fs: &str) -> Vec<String> {
    if fs == " " {
        return text.split([' ', '\t', '\n']).filter(|f| !f.is_empty()).map(str::to_string).collect();
    }
    if text.is_empty() {
        return Vec::new();
    }
    let mut chars = fs.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c != '\\' {
            return text.split(c).map(str::to_string).collect();
        }
    }
    match regex::compile(fs, true, false) {
        Ok(re) => re.split(text).map(str::to_string).collect(),
        Err(_) => text.split(fs).map(str::to_string).collect(),
    }
}

/// `sub`/`gsub`: `&` in the replacement is the match, `\&` a literal ampersand.
pub fn substitute(re: &regex_lite::Regex, subject: &str, replacement: &str, global: bool) -> (String, usize) {
    let mut out = String::new();
    let mut last = 0;
    let mut count = 0;
    for m in re.find_iter(subject) {
        // An empty match right after a previous match does not count (as in awk).
        if m.start() == m.end() && count > 0 && m.start() == last {
            continue;
        }
        out.push_str(&subject[last..m.start()]);
        let mut chars = replacement.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if chars.peek() == Some(&'&') => {
                    chars.next();
                    out.push('&');
                }
                '\\' if chars.peek() == Some(&'\\') => {
                    chars.next();
                    out.push('\\');
                }
                '&' => out.push_str(m.as_str()),
                other => out.push(other),
            }
        }
        last = m.end();
        count += 1;
        if !global {
            break;
        }
    }
    out.push_str(&subject[last..]);
    (out, count)
}

/// printf's formats over awk values: numbers for `%d %i %o %x %X %c %e %f %g`, strings
/// for `%s`. Too few values is an error; what was formatted before it comes back.
pub fn sprintf(values: &[Value]) -> Result<String, String> {
    let Some(format) = values.first().map(Value::string) else { return Ok(String::new()) };
    let mut args = values[1..].iter();
    let mut out = String::new();
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'%') {
            out.push('%');
            i += 2;
            continue;
        }
        let start = i + 1;
        let mut j = start;
        while j < chars.len() && "-+ #0123456789.*".contains(chars[j]) {
            j += 1;
        }
        let Some(&conv) = chars.get(j) else {
            out.extend(&chars[i..]);
            break;
        };
        let mut spec: String = chars[start..j].iter().collect();
        while let Some(at) = spec.find('*') {
            let n = (args.next().map_or(0.0, Value::num) as i64).clamp(-(MAX_WIDTH as i64), MAX_WIDTH as i64);
            spec.replace_range(at..at + 1, &n.to_string());
        }
        let spec = clamp_numbers(&spec);
        let Some(value) = args.next().cloned() else { return Err(out) };
        let arg = match conv {
            'c' => match &value {
                Value::Num(n) => char::from_u32(*n as u32).map(String::from).unwrap_or_default(),
                other => other.string().chars().next().map(String::from).unwrap_or_default(),
            },
            'd' | 'i' | 'o' | 'x' | 'X' | 'u' => to_int(value.num()).to_string(),
            'e' | 'f' | 'g' | 'E' | 'G' => number_to_string(value.num()),
            _ => value.string(),
        };
        out.push_str(&match conv {
            'g' | 'G' => pad(&spec, format_g(value.num(), spec.split_once('.').map_or(6, |(_, p)| p.parse().unwrap_or(6))), true),
            'e' | 'E' => pad(&spec, format!("{:.*e}", spec.split_once('.').map_or(6, |(_, p)| p.parse().unwrap_or(6)), value.num()), true),
            'c' => pad(&spec, arg, false),
            _ => crate::commands::printf::convert(&spec, conv, &arg, &mut 0),
        });
        i = j + 1;
    }
    Ok(out)
}

/// `%c`, `%e` and `%g` padded as printf pads (`%-5c`; numbers take the `0` flag: `%08.3g`).
fn pad(spec: &str, body: String, numeric: bool) -> String {
    let width = spec.trim_start_matches(['-', '+', ' ', '#', '0']).split('.').next().and_then(|w| w.parse().ok()).unwrap_or(0);
    let zero = numeric && spec.trim_start_matches(['-', '+', ' ', '#']).starts_with('0');
    crate::commands::printf::pad(body, width, spec.contains('-'), zero)
}

/// The width and precision of a format spec, each at most `MAX_WIDTH`.
fn clamp_numbers(spec: &str) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    for c in spec.chars().chain(std::iter::once('\0')) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if !digits.is_empty() {
            let n: usize = digits.parse().unwrap_or(MAX_WIDTH).min(MAX_WIDTH);
            // A leading zero is a flag, not part of the width.
            let zeros = digits.len() - digits.trim_start_matches('0').len();
            out.push_str(&"0".repeat(zeros.min(1)));
            if n > 0 || zeros == 0 {
                out.push_str(&n.to_string());
            }
            digits.clear();
        }
        if c != '\0' {
            out.push(c);
        }
    }
    out
}
