//! `.dockerignore` as moby's patternmatcher reads it, and the path globbing COPY sources
//! use (Go's `filepath.Match`, which `**` extends across directories in `.dockerignore`).
//!
//! Rules (reference B3): a BOM is stripped; `#` in column 0 starts a comment; each pattern
//! is trimmed and cleaned, a leading `/` dropped, empty ones skipped; `!` makes an exception;
//! a path is excluded when a pattern matches it or any of its parent directories; the last
//! matching line wins.

use crate::path::clean;

/// The patterns of one `.dockerignore` file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IgnoreFile {
    patterns: Vec<Pattern>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Pattern {
    glob: String,
    exception: bool,
}

impl IgnoreFile {
    pub fn parse(text: &str) -> IgnoreFile {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let patterns = text
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let line = line.trim();
                let (exception, rest) = match line.strip_prefix('!') {
                    Some(rest) => (true, rest.trim()),
                    None => (false, line),
                };
                let glob = clean(rest);
                (!glob.is_empty()).then_some(Pattern { glob, exception })
            })
            .collect();
        IgnoreFile { patterns }
    }

    /// From lines already split (the checks get them that way).
    pub fn from_lines(lines: &[String]) -> IgnoreFile {
        IgnoreFile::parse(&lines.join("\n"))
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether the context path (relative, `/`-separated) is left out of the context.
    pub fn excludes(&self, path: &str) -> bool {
        let path = clean(path);
        let mut excluded = false;
        for pattern in &self.patterns {
            if matches_self_or_parent(&pattern.glob, &path) {
                excluded = !pattern.exception;
            }
        }
        excluded
    }
}

fn matches_self_or_parent(glob: &str, path: &str) -> bool {
    let mut prefix = path;
    loop {
        if matches(glob, prefix, true) {
            return true;
        }
        match prefix.rfind('/') {
            Some(i) => prefix = &prefix[..i],
            None => return false,
        }
    }
}

/// Go's `filepath.Match` on `/`-separated paths: `*` and `?` stay within one element,
/// `[a-z]` / `[^a-z]` classes, `\` escapes; with `double_star`, `**` spans elements.
/// A malformed class does not match (Go returns `ErrBadPattern`).
pub fn matches(pattern: &str, path: &str, double_star: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = path.chars().collect();
    let mut memo = vec![None; (p.len() + 1) * (t.len() + 1)];
    Matcher { p: &p, t: &t, double_star, memo: &mut memo }.at(0, 0)
}

/// Whether a COPY source has glob characters (otherwise it names one path).
pub fn has_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

struct Matcher<'a> {
    p: &'a [char],
    t: &'a [char],
    double_star: bool,
    /// Pattern position × text position → result, so `a*a*a*...` stays polynomial.
    memo: &'a mut Vec<Option<bool>>,
}

impl Matcher<'_> {
    fn at(&mut self, i: usize, j: usize) -> bool {
        let slot = i * (self.t.len() + 1) + j;
        if let Some(known) = self.memo[slot] {
            return known;
        }
        let result = self.step(i, j);
        self.memo[slot] = Some(result);
        result
    }

    fn step(&mut self, i: usize, j: usize) -> bool {
        let (p, t) = (self.p, self.t);
        if i == p.len() {
            return j == t.len();
        }
        match p[i] {
            '*' if self.double_star && p.get(i + 1) == Some(&'*') => {
                let next = if p.get(i + 2) == Some(&'/') { i + 3 } else { i + 2 };
                (j..=t.len()).any(|k| self.at(next, k))
            }
            '*' => (j..=t.len()).take_while(|&k| k == j || t[k - 1] != '/').any(|k| self.at(i + 1, k)),
            '?' => j < t.len() && t[j] != '/' && self.at(i + 1, j + 1),
            '[' => match class(p, i + 1, t.get(j).copied()) {
                Some((true, end)) => self.at(end, j + 1),
                _ => false,
            },
            '\\' if i + 1 < p.len() => j < t.len() && t[j] == p[i + 1] && self.at(i + 2, j + 1),
            c => j < t.len() && t[j] == c && self.at(i + 1, j + 1),
        }
    }
}

/// A `[...]` class starting after `[` at `i`: whether `c` is in it, and where the pattern
/// continues. `None` for a malformed class or no character to match.
fn class(p: &[char], mut i: usize, c: Option<char>) -> Option<(bool, usize)> {
    let c = c.filter(|c| *c != '/')?;
    let negated = p.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut found = false;
    let mut first = true;
    loop {
        let lo = match p.get(i)? {
            ']' if !first => return Some((found != negated, i + 1)),
            '\\' => {
                i += 1;
                *p.get(i)?
            }
            ch => *ch,
        };
        first = false;
        i += 1;
        let mut hi = lo;
        if p.get(i) == Some(&'-') && p.get(i + 1).is_some_and(|ch| *ch != ']') {
            hi = match p[i + 1] {
                '\\' => *p.get(i + 2)?,
                ch => ch,
            };
            i += if p[i + 1] == '\\' { 3 } else { 2 };
        }
        if lo <= c && c <= hi {
            found = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerignore_rules() {
        let file = IgnoreFile::parse("\u{feff}node_modules\n*.log\n!keep.log\n# comment\ndocs/**/*.md\n/build/\n");
        assert!(file.excludes("node_modules/x/y.js"));
        assert!(file.excludes("./debug.log"));
        assert!(!file.excludes("keep.log"));
        assert!(file.excludes("docs/a/b/c.md"));
        assert!(file.excludes("build/out.o"));
        assert!(!file.excludes("src/app.py"));
        assert!(!file.excludes("sub/debug.log"), "* does not cross directories");
    }

    #[test]
    fn go_filepath_match() {
        assert!(matches("*.py", "app.py", false));
        assert!(!matches("*.py", "src/app.py", false));
        assert!(matches("src/[a-c]pp.py", "src/app.py", false));
        assert!(!matches("src/[^a-c]pp.py", "src/app.py", false));
        assert!(matches("a\\*b", "a*b", false));
        assert!(!matches("[", "[", false));
        assert!(matches("**/x", "a/b/x", true));
        assert!(!matches("**/x", "a/b/x", false));
    }
}
