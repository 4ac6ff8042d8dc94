//! awk: each line of tests/data/awk.txt, run by the simulator, prints what bookworm's mawk
//! 1.3.4 printed for it in a chroot of the slim image (tests/data/awk.expected, written by
//! `compare-with-bookworm.sh awk`).

mod common;

#[test]
fn awk_prints_what_mawk_printed() {
    common::replay_recorded("awk");
}

/// A program that never ends stops on the step budget instead of hanging.
#[test]
fn an_endless_awk_loop_stops_on_the_budget() {
    let (status, log, _) = common::sh("awk 'BEGIN { while (1) n++ }'");
    assert_eq!(status, 1, "{log}");
    assert!(log.contains("step budget ran out"), "{log}");
}

#[test]
fn what_awk_cannot_simulate_says_so() {
    let (_, log, _) = common::sh("awk 'function f(x) { return x } BEGIN { print f(1) }'");
    assert!(log.contains("layerlab: awk functions defined with `function` are not simulated"), "{log}");
    let (_, log, _) = common::sh("echo a | awk '{ print | \"sort\" }'");
    assert!(log.contains("layerlab: awk's output pipes"), "{log}");
}

/// Programs that would exhaust memory stop with a message: a huge field number is mawk's
/// own error, a string doubling without end hits the budget.
#[test]
fn awk_stays_within_memory() {
    // Real mawk is killed for want of memory here.
    let (status, log, _) = common::sh("echo a | awk '{ $(1e9) = 1 }'");
    assert_eq!(status, 1, "{log}");
    assert!(log.contains("layerlab: stopped: awk assigned $1000000000"), "{log}");
    // Reading far past the record is empty; a negative field is mawk's error.
    let (status, log, _) = common::sh("echo a | awk '{ x = $(40000); print \"ok\" x; print $(-1) } END { print \"end\" }'");
    assert_eq!((status, log.as_str()), (2, "ok\nawk: run time error: negative field index $-1\n\tFILENAME=\"-\" FNR=1 NR=1\n"));
    // Neither a run-time error nor an input that cannot be opened runs END (mawk's behaviour).
    let (status, log, _) = common::sh("awk '{ print } END { print \"end\" }' /nope");
    assert_eq!((status, log.as_str()), (2, "awk: cannot open /nope (No such file or directory)\n"));
    let (status, log, _) = common::sh("awk 'BEGIN { s = \"x\"; while (1) s = s s }'");
    assert_eq!(status, 1, "{log}");
    assert!(log.contains("layerlab: stopped: awk built a string of more than 16 MiB"), "{log}");
    let (status, log, _) = common::sh("awk 'BEGIN { printf \"%1000000000d|\\n\", 1 }' | wc -c");
    assert_eq!((status, log.as_str()), (0, "65538\n"));
}
