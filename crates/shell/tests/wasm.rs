#![cfg(target_arch = "wasm32")]
//! The shell in Chromium: the same results as natively on the real slim filesystem, and
//! the recursion budget holds inside the page's smaller stack.
use layerlab_catalog::image::ImageFile;
use layerlab_shell::{rootfs, run, Dialect, Identity, Invocation, Limits};
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

const SLIM: &str = include_str!("../../../static/data/images/debian_bookworm-slim.json");

fn invocation(script: &str) -> Invocation {
    Invocation {
        dialect: Dialect::Dash,
        argv0: "/bin/sh".into(),
        script: script.into(),
        env: vec![("PATH".into(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into())],
        workdir: "/".into(),
        user: Identity::root(),
        now: 0,
        limits: Limits::default(),
        network: true,
        color_stderr: false,
    }
}

#[wasm_bindgen_test]
fn a_run_step_runs_in_the_browser() {
    let image = ImageFile::from_json(SLIM).unwrap();
    let mut fs = rootfs::from_chain(&[&image]).unwrap();
    let outcome = run(&mut fs, &invocation("mkdir -p /app && echo hi > /app/x && cat /app/x && pip install flask"));
    assert_eq!((outcome.status, outcome.log.as_str()), (127, "hi\n/bin/sh: 1: pip: not found\n"));
}

#[wasm_bindgen_test]
fn recursion_stops_at_the_budget_without_overflowing_the_stack() {
    let image = ImageFile::from_json(SLIM).unwrap();
    let mut fs = rootfs::from_chain(&[&image]).unwrap();
    let outcome = run(&mut fs, &invocation("f() { f | f; }; f"));
    assert_eq!(outcome.aborted.as_deref(), Some("layerlab: stopped: functions and subshells nested more than 100 deep (the simulator's recursion budget)"));
    let outcome = run(&mut fs, &invocation("echo $(echo $(echo $(echo $(echo deep))))"));
    assert_eq!(outcome.log, "deep\n");
}

#[wasm_bindgen_test]
fn apt_get_installs_from_the_catalog_in_the_browser() {
    let mut store = layerlab_catalog::store::DataStore::new();
    store.insert("apt/bookworm.json", include_str!("../../../static/data/apt/bookworm.json")).unwrap();
    // tini's file list is in shard 11 (FNV-1a of the name).
    store.insert("apt/bookworm-files-11.json", include_str!("../../../static/data/apt/bookworm-files-11.json")).unwrap();
    let image = ImageFile::from_json(SLIM).unwrap();
    let mut fs = rootfs::from_chain(&[&image]).unwrap();
    let outcome = layerlab_shell::run_with_catalog(&mut fs, &invocation("apt-get update -qq && apt-get install -y -qq tini 2>/dev/null | tail -1 && command -v tini"), &store);
    assert_eq!((outcome.status, outcome.log.as_str()), (0, "Setting up tini (0.19.0-1+b3) ...\n/usr/bin/tini\n"));
}
