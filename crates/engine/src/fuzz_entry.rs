//! The engine's fuzz target's entry point (fuzz/fuzz_targets/engine.rs) and its regression
//! test: any text as a Dockerfile, built by both builders, returns a report.

use layerlab_catalog::store::DataStore;

use crate::{BuildContext, BuildRequest, Builder, Session};

/// How many data files one build may ask for before it is given up on (the deepest image
/// chain and its catalogs need fewer).
const MAX_LOADS: usize = 16;

/// Builds `text` with a small context under both builders, twice each (the second build
/// goes through the cache and its replays), loading the data files the builds ask for with
/// `read`: the caller's IO, as the core does none.
pub fn build_everything(text: &str, data: &mut DataStore, read: &dyn Fn(&str) -> Option<String>) {
    let context = BuildContext::new().with_text("app.py", "print('hi')\n").with_text("requirements.txt", "flask\n").with_text(".dockerignore", "*.md\n");
    for builder in [Builder::BuildKit, Builder::Classic] {
        let mut session = Session::new();
        let mut req = BuildRequest::new(text, context.clone());
        req.builder = builder;
        req.tags = vec!["fuzz".into()];
        for _ in 0..2 {
            build(&mut session, &req, data, read);
        }
    }
}

fn build(session: &mut Session, req: &BuildRequest, data: &mut DataStore, read: &dyn Fn(&str) -> Option<String>) {
    for _ in 0..MAX_LOADS {
        let report = session.build(req, data, 0);
        let Some(path) = report.missing_data else { return };
        let Some(text) = read(&path) else { return };
        if data.insert(&path, &text).is_err() {
            return;
        }
    }
}
