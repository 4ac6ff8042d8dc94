//! Entry points that run the whole front end on one input: shared by the
//! fuzz targets (fuzz/), the test that replays their corpus
//! (tests/fuzz_regressions.rs) and the benchmarks. Nothing here may panic
//! or loop; the fuzzer checks exactly that.

use crate::expand::{EnvList, Lexer};
use crate::syntax;

/// Parse, then every later layer on whatever parsed; returns how many
/// instructions parsed so the work cannot be optimised away.
pub fn front_end(text: &str) -> usize {
    let Ok(ast) = syntax::parse(text) else { return 0 };
    let nodes = ast.nodes.len();
    let Ok(file) = crate::instructions::parse(ast) else { return nodes };
    let report = crate::checks::check(&file, &crate::checks::CheckOptions::default());
    nodes + report.findings.len()
}

/// Everything `front_end` does, plus the dump.
pub fn parse_everything(text: &str) {
    if let Ok(ast) = syntax::parse(text) {
        let _ = ast.dump();
    }
    front_end(text);
}

/// Expand one word with both escape tokens and in every lexer mode, against
/// an environment that has a few names set (some empty).
pub fn expand_everything(word: &str) {
    let env = EnvList::from_pairs(["PWD=/home", "A=a b", "EMPTY=", "P=/usr/local/bin"]);
    for escape in ['\\', '`'] {
        let plain = Lexer::new(escape);
        let raw = Lexer { raw_quotes: true, raw_escapes: true, skip_unset_env: true, ..plain };
        let no_quotes = Lexer { skip_process_quotes: true, ..plain };
        for lexer in [plain, raw, no_quotes] {
            let result = lexer.process_word(word, &env);
            // The checks skip words the lexer says cannot fail: they must not.
            assert!(result.is_ok() || !lexer.cannot_fail(word), "{word:?} failed to expand: {result:?}");
        }
    }
}
