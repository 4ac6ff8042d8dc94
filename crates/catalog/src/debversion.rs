//! Debian version comparison (deb-version(7)): epoch, upstream version and revision, with
//! `~` sorting before everything, even the end of the string.

use std::cmp::Ordering;

fn order(c: Option<char>) -> i32 {
    match c {
        Some('~') => -1,
        None => 0,
        Some(c) if c.is_ascii_alphabetic() => c as i32,
        Some(c) => c as i32 + 256,
    }
}

/// Compares one part (upstream or revision) the way dpkg's `verrevcmp` does.
fn compare_part(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    while !a.is_empty() || !b.is_empty() {
        // Non-digit prefixes, character by character.
        loop {
            let (ca, cb) = (a.first().filter(|c| !c.is_ascii_digit()), b.first().filter(|c| !c.is_ascii_digit()));
            if ca.is_none() && cb.is_none() {
                break;
            }
            let (oa, ob) = (order(ca.map(|c| *c as char)), order(cb.map(|c| *c as char)));
            if oa != ob {
                return oa.cmp(&ob);
            }
            a = &a[1..];
            b = &b[1..];
        }
        // Digit runs, numerically.
        let digits = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
        let (da, db) = (digits(a), digits(b));
        let na = std::str::from_utf8(&a[..da]).unwrap_or("0").trim_start_matches('0');
        let nb = std::str::from_utf8(&b[..db]).unwrap_or("0").trim_start_matches('0');
        let by_number = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
        if by_number != Ordering::Equal {
            return by_number;
        }
        a = &a[da..];
        b = &b[db..];
    }
    Ordering::Equal
}

fn split(version: &str) -> (u64, &str, &str) {
    let (epoch, rest) = match version.split_once(':') {
        Some((e, r)) => (e.parse().unwrap_or(0), r),
        None => (0, version),
    };
    match rest.rsplit_once('-') {
        Some((upstream, revision)) => (epoch, upstream, revision),
        None => (epoch, rest, ""),
    }
}

pub fn compare(a: &str, b: &str) -> Ordering {
    let (ea, ua, ra) = split(a.trim());
    let (eb, ub, rb) = split(b.trim());
    ea.cmp(&eb).then_with(|| compare_part(ua, ub)).then_with(|| compare_part(ra, rb))
}

/// Whether `version` meets `op constraint` (`>=`, `<=`, `>>`, `<<`, `=`; dpkg's obsolete
/// `<` and `>` mean `<=` and `>=`).
pub fn satisfies(version: &str, op: &str, constraint: &str) -> bool {
    let ordering = compare(version, constraint);
    match op {
        ">=" | ">" => ordering != Ordering::Less,
        "<=" | "<" => ordering != Ordering::Greater,
        ">>" => ordering == Ordering::Greater,
        "<<" => ordering == Ordering::Less,
        _ => ordering == Ordering::Equal,
    }
}
