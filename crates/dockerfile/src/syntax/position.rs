//! Line and column of a byte offset, for editors and error messages.

/// A 1-based line and a 1-based column counted in characters (not bytes),
/// which is what an editor shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The position of `offset` in `src` (clamped to the text, snapped back to a
/// character boundary).
pub fn position(src: &str, offset: usize) -> Position {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_and_characters() {
        let src = "FROM a\nRUN é x\n";
        assert_eq!(position(src, 0), Position { line: 1, column: 1 });
        assert_eq!(position(src, 7), Position { line: 2, column: 1 });
        assert_eq!(position(src, 13), Position { line: 2, column: 6 });
        assert_eq!(position(src, 12), Position { line: 2, column: 5 }); // inside é: snapped back
        assert_eq!(position(src, 999), Position { line: 3, column: 1 });
    }
}
