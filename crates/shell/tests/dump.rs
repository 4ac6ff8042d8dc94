//! Not a check: prints what the simulator does with each line of `$LAYERLAB_SCRIPTS`, in
//! the format of the chroot comparison the README describes (`== script`, output, `[status]`),
//! so the texts can be diffed against bookworm's own tools. Run with `--ignored`.

mod common;

#[test]
#[ignore]
fn dump() {
    let Ok(path) = std::env::var("LAYERLAB_SCRIPTS") else { return };
    for script in std::fs::read_to_string(path).unwrap().lines() {
        let (status, log, _) = common::sh(script);
        println!("== {script}\n{log}[{status}]");
    }
}
