//! Replays the shell fuzz corpus (fuzz/corpus/shell, seeded with the real Dockerfiles'
//! RUN lines) and fixed crash inputs (fuzz/regressions/shell) through the fuzz target's
//! entry point: each must return cleanly.

use std::path::Path;

use layerlab_shell::fuzz_entry::run_everything;

#[test]
fn shell_corpus_and_regressions_replay_cleanly() {
    let mut n = 0;
    for dir in ["corpus/shell", "regressions/shell"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz").join(dir);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            run_everything(&String::from_utf8_lossy(&bytes));
            n += 1;
        }
    }
    assert!(n > 100, "the committed shell corpus is missing ({n} inputs)");
}
