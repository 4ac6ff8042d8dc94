//! A rough reading of shell command lines and `.dockerignore` patterns, good
//! enough for lint rules: which commands a RUN runs and with which words.
//! (The build itself uses the real simulated shell.)

use crate::path::clean;

/// One simple command: its words, quotes removed.
pub(super) type SimpleCommand = Vec<String>;

/// The simple commands of a shell line, split at `&&`, `||`, `;`, `|` and
/// newlines, with whether each one is piped into the next.
pub(super) fn commands(line: &str) -> Vec<(SimpleCommand, bool)> {
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = line.chars().peekable();
    let end_word = |word: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), '\\') => word.extend(chars.next()),
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    if n != '\n' {
                        word.push(n);
                        in_word = true;
                    }
                }
            }
            (None, '&' | '|' | ';' | '\n') => {
                end_word(&mut word, &mut in_word, &mut words);
                let doubled = chars.peek() == Some(&c);
                if doubled {
                    chars.next();
                }
                let piped = c == '|' && !doubled;
                if !words.is_empty() {
                    out.push((std::mem::take(&mut words), piped));
                }
            }
            (None, c) if c.is_whitespace() => end_word(&mut word, &mut in_word, &mut words),
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    end_word(&mut word, &mut in_word, &mut words);
    if !words.is_empty() {
        out.push((words, false));
    }
    out
}

/// Whether `.dockerignore` excludes `path` (last matching line wins; `!`
/// re-includes; a pattern matching a directory excludes what is under it).
pub(super) fn ignored(patterns: &[String], path: &str) -> bool {
    let path = clean(path);
    let mut excluded = false;
    for line in patterns {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (negate, pattern) = match line.strip_prefix('!') {
            Some(p) => (true, p.trim()),
            None => (false, line),
        };
        let pattern = clean(pattern);
        let mut prefix = path.as_str();
        loop {
            if glob(&pattern, prefix) {
                excluded = !negate;
                break;
            }
            match prefix.rfind('/') {
                Some(i) => prefix = &prefix[..i],
                None => break,
            }
        }
    }
    excluded
}

/// `*` and `?` within one path element, `**` across elements.
fn glob(pattern: &str, path: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = path.chars().collect();
    let mut memo = vec![vec![None; t.len() + 1]; p.len() + 1];
    glob_at(&p, &t, 0, 0, &mut memo)
}

fn glob_at(p: &[char], t: &[char], i: usize, j: usize, memo: &mut Vec<Vec<Option<bool>>>) -> bool {
    if let Some(known) = memo[i][j] {
        return known;
    }
    let result = if i == p.len() {
        j == t.len()
    } else if p[i] == '*' && p.get(i + 1) == Some(&'*') {
        let next = if p.get(i + 2) == Some(&'/') { i + 3 } else { i + 2 };
        (j..=t.len()).any(|k| glob_at(p, t, next, k, memo))
    } else if p[i] == '*' {
        (j..=t.len()).take_while(|&k| k == j || t[k - 1] != '/').any(|k| glob_at(p, t, i + 1, k, memo))
    } else if j < t.len() && (p[i] == t[j] || (p[i] == '?' && t[j] != '/')) {
        glob_at(p, t, i + 1, j + 1, memo)
    } else {
        false
    };
    memo[i][j] = Some(result);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_commands_and_pipes() {
        let c = commands("apt-get update && apt-get install -y \"a b\" | tee x; cd /x");
        let words: Vec<Vec<&str>> = c.iter().map(|(w, _)| w.iter().map(String::as_str).collect()).collect();
        assert_eq!(words, vec![vec!["apt-get", "update"], vec!["apt-get", "install", "-y", "a b"], vec!["tee", "x"], vec!["cd", "/x"]]);
        assert_eq!(c.iter().map(|(_, p)| *p).collect::<Vec<_>>(), [false, true, false, false]);
    }

    #[test]
    fn dockerignore_patterns() {
        let p: Vec<String> = ["node_modules", "*.log", "!keep.log", "docs/**/*.md"].iter().map(|s| s.to_string()).collect();
        assert!(ignored(&p, "node_modules/x/y.js"));
        assert!(ignored(&p, "./debug.log"));
        assert!(!ignored(&p, "keep.log"));
        assert!(ignored(&p, "docs/a/b/c.md"));
        assert!(!ignored(&p, "src/app.py"));
    }
}
