//! Each line of tests/data/differential.txt, run by the simulator, prints what bookworm's
//! real /bin/sh and tools printed for it in a chroot of the slim image
//! (tests/data/differential.expected, written by compare-with-bookworm.sh).

mod common;

#[test]
fn the_simulator_prints_what_bookworm_printed() {
    common::replay_recorded("differential");
}
