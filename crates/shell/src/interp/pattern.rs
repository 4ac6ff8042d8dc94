//! Shell patterns: `case`, `${v#p}` and pathname expansion. A pattern here is text in which
//! characters that came from quotes are backslash-escaped, so they match only themselves.

use layerlab_catalog::dpkgfilter::fnmatch;
use layerlab_image::fs::{Node, Snapshot};

pub fn matches(pattern: &str, text: &str) -> bool {
    fnmatch(pattern.as_bytes(), text.as_bytes())
}

/// Escapes every pattern character of `text` (quoted text matches literally).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether the pattern has an unescaped `*`, `?` or `[`.
pub fn has_glob(pattern: &str) -> bool {
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '*' | '?' | '[' => return true,
            _ => {}
        }
    }
    false
}

pub fn unescape(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        out.push(if c == '\\' { chars.next().unwrap_or('\\') } else { c });
    }
    out
}

/// `${v#p}` (`longest`: `##`): `value` without the shortest or longest matching prefix.
pub fn trim_prefix(value: &str, pattern: &str, longest: bool) -> String {
    let cuts: Vec<usize> = value.char_indices().map(|(i, _)| i).chain([value.len()]).collect();
    let mut order: Box<dyn Iterator<Item = &usize>> = if longest { Box::new(cuts.iter().rev()) } else { Box::new(cuts.iter()) };
    match order.find(|&&i| matches(pattern, &value[..i])) {
        Some(&i) => value[i..].to_string(),
        None => value.to_string(),
    }
}

/// `${v%p}` (`longest`: `%%`).
pub fn trim_suffix(value: &str, pattern: &str, longest: bool) -> String {
    let cuts: Vec<usize> = value.char_indices().map(|(i, _)| i).chain([value.len()]).collect();
    let mut order: Box<dyn Iterator<Item = &usize>> = if longest { Box::new(cuts.iter()) } else { Box::new(cuts.iter().rev()) };
    match order.find(|&&i| matches(pattern, &value[i..])) {
        Some(&i) => value[..i].to_string(),
        None => value.to_string(),
    }
}

/// bash's `${v/p/r}` (`all`: `//`): the leftmost longest matches replaced.
pub fn replace(value: &str, pattern: &str, with: &str, all: bool) -> String {
    let cuts: Vec<usize> = value.char_indices().map(|(i, _)| i).chain([value.len()]).collect();
    let mut out = String::new();
    let mut start = 0;
    let mut replaced = false;
    while start < cuts.len() {
        let from = cuts[start];
        let hit = (!replaced || all).then(|| cuts[start + 1..].iter().rev().find(|&&to| matches(pattern, &value[from..to]))).flatten();
        match hit {
            Some(&to) => {
                out.push_str(with);
                replaced = true;
                start = cuts.iter().position(|&c| c == to).unwrap_or(cuts.len());
            }
            None => {
                if let Some(c) = value[from..].chars().next() {
                    out.push(c);
                }
                start += 1;
            }
        }
    }
    out
}

/// Pathname expansion against the snapshot: the matching paths in sorted order (relative
/// patterns against `cwd`), or nothing.
pub fn glob(fs: &Snapshot, cwd: &str, pattern: &str) -> Vec<String> {
    let absolute = pattern.starts_with('/');
    let parts: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty()).collect();
    let mut found = vec![String::new()];
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let mut next = Vec::new();
        for prefix in &found {
            let dir = match (absolute, prefix.is_empty()) {
                (true, _) => format!("/{prefix}"),
                (false, true) => cwd.to_string(),
                (false, false) => format!("{cwd}/{prefix}"),
            };
            let join = |name: &str| if prefix.is_empty() { name.to_string() } else { format!("{prefix}/{name}") };
            if !has_glob(part) {
                let name = unescape(part);
                let path = format!("{}/{}", dir.trim_end_matches('/'), name);
                if fs.get(&path, false).is_ok() && (last || matches!(fs.get(&path, true), Ok(Node::Dir(_)))) {
                    next.push(join(&name));
                }
                continue;
            }
            let Ok(Node::Dir(d)) = fs.get(&dir, true) else { continue };
            for (name, node) in d.children.iter() {
                let hidden_ok = part.starts_with('.') || part.starts_with("\\.");
                if (name.starts_with('.') && !hidden_ok) || !matches(part, name) {
                    continue;
                }
                let is_dir = matches!(node, Node::Dir(_)) || matches!(fs.get(&format!("{}/{name}", dir.trim_end_matches('/')), true), Ok(Node::Dir(_)));
                if last || is_dir {
                    next.push(join(name));
                }
            }
        }
        found = next;
    }
    let mut out: Vec<String> = found.into_iter().filter(|p| !p.is_empty()).map(|p| if absolute { format!("/{p}") } else { p }).collect();
    if pattern.ends_with('/') {
        out.iter_mut().for_each(|p| p.push('/'));
    }
    out.sort();
    out
}
