//! Case tests as Go's `strings.ToLower`/`ToUpper` comparisons give them. Names and
//! keywords are nearly always ASCII, so that case is answered without a copy (the
//! checks ask on every keystroke).

/// Whether lowercasing changes `s`.
pub(crate) fn changes_when_lowercased(s: &str) -> bool {
    if s.is_ascii() {
        return s.bytes().any(|b| b.is_ascii_uppercase());
    }
    s.to_lowercase() != s
}

/// Whether uppercasing changes `s`.
pub(crate) fn changes_when_uppercased(s: &str) -> bool {
    if s.is_ascii() {
        return s.bytes().any(|b| b.is_ascii_lowercase());
    }
    s.to_uppercase() != s
}
