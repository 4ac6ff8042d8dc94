//! Parser directives (A2): `# syntax=`, `# escape=`, `# check=` at the top
//! of the file, looked for until the first line that is not one.

use super::{Span, Word};

/// The directives found, and the escape token in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directives {
    pub escape: char,
    pub escape_directive: Option<Word>,
    pub syntax: Option<Word>,
    pub check: Option<Word>,
    /// Still looking: no non-directive line seen yet.
    looking: bool,
}

impl Default for Directives {
    fn default() -> Self {
        Directives { escape: '\\', escape_directive: None, syntax: None, check: None, looking: true }
    }
}

impl Directives {
    /// Feeds one line (leading whitespace trimmed) starting at `start` in
    /// the source. Returns BuildKit's error for a repeated directive or a
    /// bad escape token.
    pub fn observe(&mut self, line: &str, start: usize) -> Result<(), String> {
        if !self.looking {
            return Ok(());
        }
        let Some((key, value, value_at)) = split_directive(line) else {
            self.looking = false;
            return Ok(());
        };
        let key = key.to_ascii_lowercase();
        let span = Span::new(start + value_at, start + value_at + value.len());
        let word = Word { value: value.into(), span };
        let slot = match key.as_str() {
            "escape" => &mut self.escape_directive,
            "syntax" => &mut self.syntax,
            "check" => &mut self.check,
            _ => {
                self.looking = false;
                return Ok(());
            }
        };
        if slot.is_some() {
            return Err(format!("only one {key} parser directive can be used"));
        }
        *slot = Some(word);
        if key == "escape" {
            self.escape = match value {
                "\\" => '\\',
                "`" => '`',
                _ => return Err(format!("invalid escape token '{value}' does not match ` or \\")),
            };
        }
        Ok(())
    }
}

/// Go RE2's `\s`: ASCII blanks only (no `\v`).
fn is_re_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

/// `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` → (key, value, value offset).
fn split_directive(line: &str) -> Option<(&str, &str, usize)> {
    let after_hash = line.strip_prefix('#')?;
    let key_start = line.len() - after_hash.trim_start_matches(is_re_space).len();
    let rest = &line[key_start..];
    let key_len = rest
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
        .map_or(rest.len(), |(i, _)| i);
    if key_len == 0 {
        return None;
    }
    let key = &rest[..key_len];
    let after_key = rest[key_len..].trim_start_matches(is_re_space);
    let after_eq = after_key.strip_prefix('=')?;
    let value_trimmed = after_eq.trim_start_matches(is_re_space);
    let value = value_trimmed.trim_end_matches(is_re_space);
    if value.is_empty() {
        return None;
    }
    Some((key, value, line.len() - value_trimmed.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_directives_until_the_first_other_line() {
        let mut d = Directives::default();
        d.observe("# escape = `", 0).unwrap();
        assert_eq!(d.escape, '`');
        d.observe("#syntax=docker/dockerfile:1 ", 20).unwrap();
        assert_eq!(d.syntax.as_ref().unwrap().value, "docker/dockerfile:1");
        assert_eq!(d.syntax.as_ref().unwrap().span, Span::new(28, 47));
        d.observe("# a comment", 0).unwrap();
        d.observe("# check=skip=all", 0).unwrap();
        assert_eq!(d.check, None);
    }

    #[test]
    fn errors_read_like_buildkit() {
        let mut d = Directives::default();
        assert_eq!(d.observe("# escape=x", 0).unwrap_err(), "invalid escape token 'x' does not match ` or \\");
        let mut d = Directives::default();
        d.observe("# syntax=a", 0).unwrap();
        assert_eq!(d.observe("# Syntax=b", 0).unwrap_err(), "only one syntax parser directive can be used");
    }

    #[test]
    fn unknown_keys_end_the_search() {
        let mut d = Directives::default();
        d.observe("# foo=bar", 0).unwrap();
        d.observe("# escape=`", 0).unwrap();
        assert_eq!(d.escape, '\\');
    }
}
