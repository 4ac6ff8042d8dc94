#![cfg(target_arch = "wasm32")]
//! The engine in Chromium: a build and a cached rebuild give the same decisions and output
//! as natively.
use layerlab_catalog::store::DataStore;
use layerlab_engine::{console, BuildContext, BuildRequest, Session};
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

const INDEX: &str = include_str!("../../../static/data/images/index.json");
const ALPINE: &str = include_str!("../../../static/data/images/alpine_3.20.json");

#[wasm_bindgen_test]
fn a_build_and_its_cached_rebuild_run_in_the_browser() {
    let mut data = DataStore::new();
    data.insert("images/index.json", INDEX).unwrap();
    data.insert("images/alpine_3.20.json", ALPINE).unwrap();
    let dockerfile = "FROM alpine:3.20\nCOPY app.py /app/\nRUN cat /app/app.py\n";
    let req = BuildRequest::new(dockerfile, BuildContext::new().with_text("app.py", "print('hi')\n"));
    let mut session = Session::new();
    let cold = session.build(&req, &data, 1_795_000_000);
    assert_eq!(cold.error.as_ref().map(|e| e.message.as_str()), None);
    assert_eq!(cold.steps.iter().map(|s| s.cached).collect::<Vec<_>>(), [true, false, false]);
    assert_eq!(cold.steps[2].output, ["print('hi')"]);
    let warm = session.build(&req, &data, 1_795_000_060);
    assert_eq!(warm.steps.iter().map(|s| s.cached).collect::<Vec<_>>(), [true, true, true]);
    assert!(console::render(&warm, dockerfile, "Dockerfile").contains("#6 [2/3] COPY app.py /app/\n#6 CACHED\n"));
}
