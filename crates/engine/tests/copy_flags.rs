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

/// The classic builder's COPY texts and sizes, as Docker 20.10.24's legacy builder wrote
/// them for this context (sent as `docker build - < context.tar` from `layerlab context`):
/// tarsum-v1 hashes of the files (`file:`), of a folder's entries (`dir:`, the context's
/// root left out of the walk) and of several sources (`multi:`), the destination as written.
#[test]
fn classic_copy_hashes_are_docker_s() {
    let context = BuildContext::new()
        .with_text("src/a.txt", "a\n")
        .with_text("src/sub/b.txt", "b\n")
        .with_text("a.py", "1\n")
        .with_text("b.py", "2\n")
        .with_text("Dockerfile", "FROM alpine:3.20\nCOPY src /app/\nCOPY a.py b.py /x/\nCOPY . /all\nWORKDIR /w\nCOPY a.py .\n");
    let df = "FROM alpine:3.20\nCOPY src /app/\nCOPY a.py b.py /x/\nCOPY . /all\nWORKDIR /w\nCOPY a.py .\n";
    let mut store = store();
    let mut session = Session::new();
    let report = build(&mut session, &mut store, &request(df, context, Builder::Classic), NOW);
    assert!(report.error.is_none(), "{:?}", report.error);
    let image = session.store.lookup("myapp").unwrap();
    let rows: Vec<(String, u64)> = image.state.history.iter().rev().take(5).map(|r| (r.entry.created_by.clone(), r.size)).collect();
    assert_eq!(
        rows,
        [
            ("/bin/sh -c #(nop) COPY file:d254766ff5a2127d7a12c6e92a4c566c244469c3fe3e0d070f65494a11708295 in . ".to_string(), 2),
            ("/bin/sh -c #(nop) WORKDIR /w".to_string(), 0),
            ("/bin/sh -c #(nop) COPY dir:d1fd327e94e02cdc96b3b4c11b959e6720dcbfaf398a3afa591573c98b4a5425 in /all ".to_string(), 94),
            ("/bin/sh -c #(nop) COPY multi:54a912d7a32ef835876995d2bbb69945eec7c01d2127d3f565f984ea0c3530ed in /x/ ".to_string(), 4),
            ("/bin/sh -c #(nop) COPY dir:74afa73172d4a0a58f8204aec489bd8b4e6e8133fd25db7f5d5b64353e68f95c in /app/ ".to_string(), 4),
        ]
    );
}

/// COPY --link stays cached when the layers below it change; the steps after it rebuild
/// on the new base and see both.
#[test]
fn copy_link_is_cached_across_base_changes() {
    let context = BuildContext::new().with_text("app.py", "print('hi')\n");
    let file = |n: u32| format!("FROM alpine:3.20\nRUN echo {n} > /x\nCOPY --link app.py /app/\nRUN cat /x /app/app.py\n");
    let mut store = store();
    let mut session = Session::new();
    let first = build(&mut session, &mut store, &request(&file(1), context.clone(), Builder::BuildKit), NOW);
    assert!(first.error.is_none(), "{:?}", first.error);
    let second = build(&mut session, &mut store, &request(&file(2), context.clone(), Builder::BuildKit), NOW);
    assert!(second.error.is_none(), "{:?}", second.error);
    let cached: Vec<bool> = second.steps.iter().map(|s| s.cached).collect();
    assert_eq!(cached, [true, false, true, false], "FROM, RUN echo (changed), COPY --link (cached), RUN cat (its base changed)");
    assert_eq!(second.steps[3].output, ["2", "print('hi')"]);
    // Without --link, the COPY rebuilds when the RUN before it changes.
    let plain = |n: u32| file(n).replace("COPY --link", "COPY");
    let mut session = Session::new();
    build(&mut session, &mut store, &request(&plain(1), context.clone(), Builder::BuildKit), NOW);
    let second = build(&mut session, &mut store, &request(&plain(2), context, Builder::BuildKit), NOW);
    assert!(!second.steps[2].cached);
}
