//! awk's values: numbers, strings, and input strings that compare as numbers, and how
//! mawk turns numbers into text.

/// An awk value: a number, a string, or a string from input that compares as a number
/// when it looks like one ("strnum").
#[derive(Debug, Clone)]
pub enum Value {
    Num(f64),
    Str(String),
    StrNum(String),
}

impl Value {
    pub fn num(&self) -> f64 {
        match self {
            Value::Num(n) => *n,
            Value::Str(s) | Value::StrNum(s) => leading_number(s),
        }
    }

    pub fn string(&self) -> String {
        match self {
            Value::Num(n) => number_to_string(*n),
            Value::Str(s) | Value::StrNum(s) => s.clone(),
        }
    }

    pub fn truthy(&self) -> bool {
        match self {
            Value::Num(n) => *n != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::StrNum(s) => looks_numeric(s).map_or(!s.is_empty(), |n| n != 0.0),
        }
    }

    /// Numbers, and input strings that look like numbers, compare numerically.
    pub fn numeric(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            Value::StrNum(s) => looks_numeric(s),
            Value::Str(_) => None,
        }
    }
}

/// The number a string starts with (`"12abc"` → 12), 0 if none, as awk converts.
fn leading_number(s: &str) -> f64 {
    let t = s.trim_start();
    let mut end = 0;
    let bytes = t.as_bytes();
    if end < bytes.len() && (bytes[end] == b'-' || bytes[end] == b'+') {
        end += 1;
    }
    let digits_start = end;
    while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
        end += 1;
    }
    if end > digits_start && end < bytes.len() && (bytes[end] == b'e' || bytes[end] == b'E') {
        let mut e = end + 1;
        if e < bytes.len() && (bytes[e] == b'-' || bytes[e] == b'+') {
            e += 1;
        }
        if e < bytes.len() && bytes[e].is_ascii_digit() {
            while e < bytes.len() && bytes[e].is_ascii_digit() {
                e += 1;
            }
            end = e;
        }
    }
    t[..end].parse().unwrap_or(0.0)
}

fn looks_numeric(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() || t.chars().any(|c| c.is_ascii_alphabetic() && !matches!(c, 'e' | 'E')) {
        return None;
    }
    t.parse().ok()
}

/// mawk prints a number as an integer when it is one within C's `int` (±2147483647);
/// other numbers as `%.6g` (CONVFMT/OFMT), infinities and NaN as glibc does.
pub fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "-nan".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if n == n.trunc() && n.abs() <= MAX_INT {
        return format!("{}", n as i64);
    }
    format_g(n, 6)
}

pub const MAX_INT: f64 = 2_147_483_647.0;

/// `%d` and friends take the value as a C `int`, clamped.
pub fn to_int(n: f64) -> i64 {
    if n.is_nan() {
        return 0;
    }
    n.trunc().clamp(-MAX_INT, MAX_INT) as i64
}

/// C's `%.<precision>g`.
pub fn format_g(n: f64, precision: usize) -> String {
    if n == 0.0 {
        return "0".into();
    }
    let precision = precision.max(1);
    let exponent = n.abs().log10().floor() as i32;
    let trim = |s: String| if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if exponent < -4 || exponent >= precision as i32 {
        let mantissa = format!("{:.*e}", precision - 1, n);
        let (m, e) = mantissa.split_once('e').unwrap_or((&mantissa, "0"));
        let e: i32 = e.parse().unwrap_or(0);
        format!("{}e{}{:02}", trim(m.to_string()), if e < 0 { '-' } else { '+' }, e.abs())
    } else {
        trim(format!("{:.*}", (precision as i32 - 1 - exponent).max(0) as usize, n))
    }
}

