//! Replays the fuzz corpora (fuzz/corpus/*) and fixed crash inputs
//! (fuzz/regressions/*) through the same entry points the fuzz targets use:
//! every input that once found new behaviour must still return cleanly.

use layerlab_dockerfile::fuzz_entry::parse_everything;
use std::path::Path;

fn replay(dir: &str, run: fn(&str)) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz").join(dir);
    let Ok(entries) = std::fs::read_dir(&dir) else { return 0 };
    let mut n = 0;
    for entry in entries {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        run(&String::from_utf8_lossy(&bytes));
        n += 1;
    }
    n
}

#[test]
fn parse_corpus_and_regressions_replay_cleanly() {
    let n = replay("corpus/parse", parse_everything) + replay("regressions/parse", parse_everything);
    assert!(n > 100, "the committed parse corpus is missing ({n} inputs)");
}

#[test]
fn expand_corpus_and_regressions_replay_cleanly() {
    use layerlab_dockerfile::fuzz_entry::expand_everything;
    let n = replay("corpus/expand", expand_everything) + replay("regressions/expand", expand_everything);
    assert!(n > 100, "the committed expand corpus is missing ({n} inputs)");
}
