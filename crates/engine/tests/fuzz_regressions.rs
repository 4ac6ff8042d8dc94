//! Replays the engine's fuzz corpus (fuzz/corpus/engine) and fixed crash inputs
//! (fuzz/regressions/engine) through the fuzz target's entry point: every input that once
//! found new behaviour must still build to a report.

mod common;

use std::path::Path;

use layerlab_engine::fuzz_entry::build_everything;

fn read(path: &str) -> Option<String> {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/data").join(path)).ok()
}

#[test]
fn build_corpus_and_regressions_replay_cleanly() {
    let mut data = common::store();
    let mut n = 0;
    for dir in ["corpus/engine", "regressions/engine"] {
        let Ok(entries) = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz").join(dir)) else { continue };
        for entry in entries {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            build_everything(&String::from_utf8_lossy(&bytes), &mut data, &read);
            n += 1;
        }
    }
    assert!(n > 50, "the committed engine corpus is missing ({n} inputs)");
}
