//! COPY --exclude and --parents (Dockerfile 1.7+).

mod common;

use common::*;
use layerlab_engine::{BuildContext, Builder, Session};

fn context() -> BuildContext {
    BuildContext::new()
        .with_text("a.py", "a\n")
        .with_text("b.md", "b\n")
        .with_text("docs/x.md", "x\n")
        .with_text("docs/y.txt", "y\n")
        .with_text("src/c.py", "c\n")
}

fn files_after(copy: &str) -> Vec<String> {
    let mut store = store();
    let df = format!("FROM alpine:3.20\n{copy}\nRUN find /out -type f | sort\n");
    let report = build(&mut Session::new(), &mut store, &request(&df, context(), Builder::BuildKit), NOW);
    assert!(report.error.is_none(), "{copy}: {:?}", report.error);
    report.steps[2].output.clone()
}

#[test]
fn exclude_drops_what_its_patterns_match() {
    assert_eq!(files_after("COPY --exclude=*.md . /out/"), ["/out/a.py", "/out/docs/x.md", "/out/docs/y.txt", "/out/src/c.py"]);
    assert_eq!(files_after("COPY --exclude=**/*.md --exclude=src . /out/"), ["/out/a.py", "/out/docs/y.txt"]);
    assert_eq!(files_after("COPY --exclude=b.md *.md *.py /out/"), ["/out/a.py"]);
}

#[test]
fn parents_keeps_the_path_below_the_context() {
    assert_eq!(files_after("COPY --parents src/c.py docs/y.txt /out/"), ["/out/docs/y.txt", "/out/src/c.py"]);
    assert_eq!(files_after("COPY --parents docs /out/"), ["/out/docs/x.md", "/out/docs/y.txt"]);
}

#[test]
fn excluded_files_are_not_in_the_cache_key() {
    let mut store = store();
    let mut session = Session::new();
    let df = "FROM alpine:3.20\nCOPY --exclude=*.md . /out/\n";
    build(&mut session, &mut store, &request(df, context(), Builder::BuildKit), NOW);
    let edited = context().with_text("b.md", "changed\n");
    let again = build(&mut session, &mut store, &request(df, edited, Builder::BuildKit), NOW);
    assert!(again.steps[1].cached, "an excluded file changed: {:?}", again.steps[1].miss_reason);
}
