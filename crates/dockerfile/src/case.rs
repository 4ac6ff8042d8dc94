//! Case tests as Go's `strings.ToLower`/`ToUpper` comparisons give them. Names and
//! keywords are nearly always ASCII, so that case is answered without a copy (the
//! checks ask on every keystroke).

/// Whether lowercasing changes `s`.
pub(crate) fn changes_when_lowercased(s: &str) -> bool {
    // One pass: an ASCII capital answers it; only a non-ASCII character needs Unicode.
    match s.bytes().find(|&b| b.is_ascii_uppercase() || !b.is_ascii()) {
        None => false,
        Some(b) if b.is_ascii() => true,
        Some(_) => s.to_lowercase() != s,
    }
}

/// Whether uppercasing changes `s`.
pub(crate) fn changes_when_uppercased(s: &str) -> bool {
    match s.bytes().find(|&b| b.is_ascii_lowercase() || !b.is_ascii()) {
        None => false,
        Some(b) if b.is_ascii() => true,
        Some(_) => s.to_uppercase() != s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_changes_as_go_compares_them() {
        for (s, lower, upper) in [
            ("", false, false),
            ("abc", false, true),
            ("ABC", true, false),
            ("a-1", false, true),
            ("123", false, false),
            ("ÉTÉ", true, false),
            ("été", false, true),
            ("éA", true, true),
            ("日本", false, false),
        ] {
            assert_eq!(changes_when_lowercased(s), lower, "{s}");
            assert_eq!(changes_when_uppercased(s), upper, "{s}");
        }
    }
}
