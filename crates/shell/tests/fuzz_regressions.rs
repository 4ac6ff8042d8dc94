//! Replays the shell fuzz corpus (fuzz/corpus/shell, seeded with the real Dockerfiles'
//! RUN lines), the awk corpus (fuzz/corpus/awk, seeded with tests/data/awk.txt's programs)
//! and fixed crash inputs (fuzz/regressions/) through the fuzz targets' entry points: each
//! must return cleanly.

use std::path::Path;

use layerlab_shell::fuzz_entry::{run_awk, run_everything};

/// Runs every input of the target's corpus and regressions; how many there were.
fn replay(target: &str, run: fn(&str)) -> usize {
    let mut n = 0;
    for dir in [format!("corpus/{target}"), format!("regressions/{target}")] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz").join(dir);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            run(&String::from_utf8_lossy(&bytes));
            n += 1;
        }
    }
    n
}

#[test]
fn shell_corpus_and_regressions_replay_cleanly() {
    let n = replay("shell", run_everything);
    assert!(n > 100, "the committed shell corpus is missing ({n} inputs)");
}

#[test]
fn awk_corpus_and_regressions_replay_cleanly() {
    let n = replay("awk", run_awk);
    assert!(n > 40, "the committed awk corpus is missing ({n} inputs)");
}
