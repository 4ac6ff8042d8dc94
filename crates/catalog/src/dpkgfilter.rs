//! dpkg's `path-exclude` / `path-include` filters (`/etc/dpkg/dpkg.cfg.d/docker` in the slim
//! image, `excludes` in Ubuntu's): which of a package's paths land on disk. Patterns are
//! fnmatch globs without FNM_PATHNAME (`*` crosses `/`), and the last matching filter wins.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathFilter {
    /// `(include?, pattern)` in the order dpkg reads them.
    rules: Vec<(bool, String)>,
}

impl PathFilter {
    /// Reads every `path-exclude` / `path-include` line (`key value` or `key=value`) of the
    /// given dpkg configuration texts, in order.
    pub fn from_configs<'a>(configs: impl IntoIterator<Item = &'a str>) -> PathFilter {
        let mut rules = Vec::new();
        for line in configs.into_iter().flat_map(str::lines) {
            let line = line.trim();
            for (key, include) in [("path-exclude", false), ("path-include", true)] {
                if let Some(rest) = line.strip_prefix(key) {
                    let pattern = rest.trim_start_matches(['=', ' ', '\t']).trim();
                    if !pattern.is_empty() {
                        rules.push((include, pattern.to_string()));
                    }
                }
            }
        }
        PathFilter { rules }
    }

    /// Whether dpkg writes `path` (relative to `/`, as in a manifest).
    pub fn keeps(&self, path: &str) -> bool {
        let absolute = format!("/{}", path.trim_start_matches("./").trim_start_matches('/'));
        self.rules
            .iter()
            .rev()
            .find(|(_, pattern)| fnmatch(pattern.as_bytes(), absolute.as_bytes()))
            .is_none_or(|(include, _)| *include)
    }
}

/// fnmatch(3) without flags: `*`, `?`, `[...]` (with `!`/`^` negation and ranges), `\` escapes.
/// The simulated shell matches its patterns (`case`, `${v#p}`, globs) with it too.
pub fn fnmatch(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() {
            match pattern[p] {
                b'*' => {
                    star = Some((p, t));
                    p += 1;
                    continue;
                }
                b'?' => {
                    p += 1;
                    t += 1;
                    continue;
                }
                b'[' => {
                    if let Some((matched, next)) = class(pattern, p, text[t]) {
                        if matched {
                            p = next;
                            t += 1;
                            continue;
                        }
                    } else if text[t] == b'[' {
                        p += 1;
                        t += 1;
                        continue;
                    }
                }
                b'\\' if p + 1 < pattern.len() && pattern[p + 1] == text[t] => {
                    p += 2;
                    t += 1;
                    continue;
                }
                c if c == text[t] => {
                    p += 1;
                    t += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            // Backtrack: let the last `*` swallow one more byte.
            Some((sp, st)) => {
                p = sp + 1;
                t = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// A bracket expression at `pattern[start]`: whether `c` matches, and where it ends.
fn class(pattern: &[u8], start: usize, c: u8) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negated = matches!(pattern.get(i), Some(b'!' | b'^'));
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < pattern.len() && (pattern[i] != b']' || first) {
        first = false;
        let low = pattern[i];
        if pattern.get(i + 1) == Some(&b'-') && pattern.get(i + 2).is_some_and(|&h| h != b']') {
            matched |= (low..=pattern[i + 2]).contains(&c);
            i += 3;
        } else {
            matched |= low == c;
            i += 1;
        }
    }
    (i < pattern.len()).then_some((matched != negated, i + 1))
}
