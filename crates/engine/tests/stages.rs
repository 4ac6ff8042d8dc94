//! Stages, errors and what the engine says it did not simulate.

mod common;

use common::*;
use layerlab_catalog::store::DataStore;
use layerlab_engine::report::Report;
use layerlab_engine::{console, BuildContext, Builder, Session};

const MULTI: &str = "\
FROM alpine:3.20 AS builder
RUN echo built > /out.txt
FROM alpine:3.20 AS unused
RUN echo never
FROM alpine:3.20
COPY --from=builder /out.txt /app/out.txt
RUN cat /app/out.txt
";

#[test]
fn buildkit_builds_only_the_stages_the_target_reads_and_classic_builds_all() {
    let mut store = store();
    let buildkit = build(&mut Session::new(), &mut store, &request(MULTI, BuildContext::new(), Builder::BuildKit), NOW);
    let lines: Vec<usize> = buildkit.steps.iter().map(|s| s.line).collect();
    assert_eq!(lines, [1, 2, 5, 6, 7], "stage `unused` is skipped");
    assert_eq!(buildkit.steps[4].output, ["built"]);
    let text = console::render(&buildkit, MULTI, "Dockerfile");
    assert!(text.contains("#5 [builder 2/2] RUN echo built > /out.txt\n"), "{text}");
    assert!(text.contains("[stage-2 2/3] COPY --from=builder /out.txt /app/out.txt\n"), "{text}");
    let classic = build(&mut Session::new(), &mut store, &request(MULTI, BuildContext::new(), Builder::Classic), NOW);
    assert_eq!(classic.steps.iter().map(|s| s.line).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(classic.classic_total, 7);
}

#[test]
fn a_rebuilt_stage_with_the_same_files_lets_copy_from_hit_again() {
    let mut store = store();
    let mut session = Session::new();
    build(&mut session, &mut store, &request(MULTI, BuildContext::new(), Builder::BuildKit), NOW);
    let edited = MULTI.replace("RUN echo built > /out.txt", "RUN echo built > /out.txt && true");
    let r = build(&mut session, &mut store, &request(&edited, BuildContext::new(), Builder::BuildKit), NOW);
    let cached: Vec<(usize, bool)> = r.steps.iter().map(|s| (s.line, s.cached)).collect();
    assert_eq!(cached, [(1, true), (2, false), (5, true), (6, true), (7, true)], "COPY --from is keyed by content");
}

#[test]
fn from_with_upper_case_fails_with_dockers_lowercase_error() {
    let mut store = store();
    let r = build(&mut Session::new(), &mut store, &request("FROM Ubuntu\nRUN true\n", BuildContext::new(), Builder::BuildKit), NOW);
    let e = r.error.unwrap();
    assert_eq!(e.message, "failed to parse stage name \"Ubuntu\": invalid reference format: repository name (library/Ubuntu) must be lowercase");
    assert_eq!(e.classic_message, "invalid reference format: repository name (library/Ubuntu) must be lowercase");
    assert_eq!(e.lines, Some((1, 1)));
}

#[test]
fn a_missing_copy_source_fails_as_each_builder_says() {
    let mut store = store();
    let df = "FROM alpine:3.20\nCOPY app.py /app/\n";
    let r = build(&mut Session::new(), &mut store, &request(df, BuildContext::new().with_text(".dockerignore", "app.py\n").with_text("app.py", "x"), Builder::Classic), NOW);
    let e = r.error.unwrap();
    assert_eq!(e.classic_message, "COPY failed: file not found in build context or excluded by .dockerignore: stat app.py: file does not exist");
    assert!(e.message.starts_with("failed to compute cache key: failed to calculate checksum of ref "), "{}", e.message);
    assert!(e.message.ends_with(": \"/app.py\": not found"), "{}", e.message);
}

#[test]
fn what_is_not_simulated_is_said() {
    let mut store = store();
    let df = "FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache echo hi\nADD app.tar.xz /app/\n";
    // xz's magic bytes: Docker would unpack it; the simulator has no xz decoder.
    let mut ctx = BuildContext::new();
    ctx.insert("app.tar.xz", &[0xfd, b'7', b'z', b'X', b'Z', 0, 1, 2], 0o644, 0);
    let r = build(&mut Session::new(), &mut store, &request(df, ctx, Builder::BuildKit), NOW);
    assert!(r.notes.is_empty(), "cache mounts are simulated: {:?}", r.notes);
    assert_eq!(r.error.unwrap().message, "layerlab: ADD app.tar.xz: xz-compressed archives are not simulated");
}

#[test]
fn a_build_that_stops_for_a_data_file_leaves_no_cache_behind() {
    // Each data file arrives only when the build asks for it, as in the page: the apt
    // catalog is asked for after `RUN echo one` ran. The finished build still ran it.
    let file = "FROM debian:bookworm-slim\nRUN echo one\nRUN apt-get update\n";
    let mut store = store();
    let mut session = Session::new();
    let first = session.build(&request(file, BuildContext::new(), Builder::BuildKit), &store, NOW);
    assert_eq!(first.missing_data.as_deref(), Some("images/debian_bookworm-slim.json"));
    let report = build(&mut session, &mut store, &request(file, BuildContext::new(), Builder::BuildKit), NOW);
    let cached: Vec<(usize, bool)> = report.steps.iter().map(|s| (s.line, s.cached)).collect();
    assert_eq!(cached, [(1, true), (2, false), (3, false)]);
    assert_eq!(report.steps[1].miss_reason.as_deref(), Some("not in the cache: first build of this step"));
    let again = build(&mut session, &mut store, &request(file, BuildContext::new(), Builder::BuildKit), NOW);
    assert!(again.steps.iter().all(|s| s.cached));
}

#[test]
fn the_course_flask_steps_on_ubuntu_stop_at_pip_as_pep_668_stops_them() {
    let file = "FROM ubuntu\nRUN apt-get update\nRUN apt-get install -y python3 python3-pip\nRUN pip install flask\n";
    let mut store = store();
    let report = build(&mut Session::new(), &mut store, &request(file, BuildContext::new(), Builder::BuildKit), NOW);
    let error = report.error.expect("pip refuses");
    assert_eq!(error.message, "process \"/bin/sh -c pip install flask\" did not complete successfully: exit code: 1");
    assert_eq!(error.lines, Some((4, 4)));
    let pip = report.steps.iter().find(|s| s.line == 4).unwrap();
    assert_eq!(pip.output.first().map(String::as_str), Some("error: externally-managed-environment"));
    assert!(pip.output.iter().any(|l| l == "hint: See PEP 668 for the detailed specification."));
}

/// BuildKit's addEnv: ENV of a variable the image has replaces it where it is.
#[test]
fn env_replaces_a_variable_in_place() {
    let mut store = store();
    let mut session = Session::new();
    let df = "FROM python:3.12-slim\nENV PATH=/opt/venv/bin:$PATH NEW=1\n";
    let r = build(&mut session, &mut store, &request(df, BuildContext::new(), Builder::BuildKit), NOW);
    assert!(r.error.is_none(), "{:?}", r.error);
    let env = &session.store.lookup("myapp").unwrap().config.config.env;
    assert_eq!(env.first().map(String::as_str), Some("PATH=/opt/venv/bin:/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
    assert_eq!(env.last().map(String::as_str), Some("NEW=1"));
}

/// Replaces each 12-hex-digit word (image and container IDs) with `<id>` (line by line:
/// `lines()` takes one of the two carriage returns the context line ends with).
fn mask_ids(text: &str) -> String {
    let word = |w: &str| if w.len() == 12 && w.chars().all(|c| c.is_ascii_hexdigit()) { "<id>".to_string() } else { w.to_string() };
    text.lines().map(|l| l.split(' ').map(word).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n")
}

const ONBUILD_BASE: &str = "FROM alpine:3.20\nONBUILD RUN echo triggered > /t\nONBUILD ENV X=1\nONBUILD COPY a.txt /a\n";

/// Builds ONBUILD_BASE as `mybase`, then `child` on it, with one builder.
fn onbuild_child(child: &str, builder: Builder) -> (Session, Report, DataStore) {
    let mut store = store();
    let mut session = Session::new();
    let mut base = request(ONBUILD_BASE, BuildContext::new(), builder);
    base.tags = vec!["mybase".into()];
    assert!(build(&mut session, &mut store, &base, NOW).error.is_none());
    let r = build(&mut session, &mut store, &request(child, BuildContext::new().with_text("a.txt", "hi\n"), builder), NOW);
    (session, r, store)
}

#[test]
fn onbuild_triggers_run_inside_the_from_step_of_the_classic_builder() {
    let child = "FROM mybase\nRUN cat /t\n";
    let (mut session, first, mut store) = onbuild_child(child, Builder::Classic);
    // As Docker 20.10.24's legacy builder printed it (with Docker 25's "Removed" wording).
    let expected = "Sending build context to Docker daemon  2.048kB\r\nStep 1/2 : FROM mybase\n# Executing 3 build triggers\n ---> Running in <id>\n ---> Removed intermediate container <id>\n ---> Running in <id>\n ---> Removed intermediate container <id>\n ---> <id>\nStep 2/2 : RUN cat /t\n ---> Running in <id>\ntriggered\n ---> Removed intermediate container <id>\n ---> <id>\nSuccessfully built <id>\nSuccessfully tagged myapp:latest";
    assert_eq!(mask_ids(&console::classic::render(&first)), expected);
    assert_eq!(first.steps.iter().map(|s| (s.onbuild, s.classic_number)).collect::<Vec<_>>(), [(false, 1), (true, 1), (true, 1), (true, 1), (false, 2)]);
    let again = build(&mut session, &mut store, &request(child, BuildContext::new().with_text("a.txt", "hi\n"), Builder::Classic), NOW);
    let expected = "Sending build context to Docker daemon  2.048kB\r\nStep 1/2 : FROM mybase\n# Executing 3 build triggers\n ---> Using cache\n ---> Using cache\n ---> Using cache\n ---> <id>\nStep 2/2 : RUN cat /t\n ---> Using cache\n ---> <id>\nSuccessfully built <id>\nSuccessfully tagged myapp:latest";
    assert_eq!(mask_ids(&console::classic::render(&again)), expected);
}

#[test]
fn a_failing_trigger_fails_the_from_step() {
    let mut store = store();
    let mut session = Session::new();
    let mut base = request("FROM alpine:3.20\nONBUILD RUN false\n", BuildContext::new(), Builder::Classic);
    base.tags = vec!["badbase".into()];
    build(&mut session, &mut store, &base, NOW);
    let r = build(&mut session, &mut store, &request("FROM badbase\nRUN true\n", BuildContext::new(), Builder::Classic), NOW);
    let expected = "Sending build context to Docker daemon  1.024kB\r\nStep 1/2 : FROM badbase\n# Executing 1 build trigger\n ---> Running in <id>\nThe command '/bin/sh -c false' returned a non-zero code: 1";
    assert_eq!(mask_ids(&console::classic::render(&r)), expected);
}

#[test]
fn buildkit_counts_and_marks_onbuild_triggers() {
    let (_, r, _) = onbuild_child("FROM mybase\nRUN cat /t\n", Builder::BuildKit);
    let text = console::render(&r, "FROM mybase\nRUN cat /t\n", "Dockerfile");
    let names: Vec<&str> = text.lines().filter(|l| l.contains("] ") && !l.contains("[internal]")).filter(|l| !l.contains("CACHED") && !l.contains("DONE")).collect();
    assert_eq!(
        names,
        ["#5 [1/5] FROM docker.io/library/mybase:latest", "#6 [2/5] ONBUILD RUN echo triggered > /t", "#7 [3/5] ONBUILD COPY a.txt /a", "#8 [4/5] RUN cat /t"],
        "every trigger counts in the total (BuildKit's cmdTotal), ENV has no vertex"
    );
    assert!(r.steps.iter().filter(|s| s.onbuild).all(|s| s.line == 1), "triggers point at the FROM line");
}

#[test]
fn buildkit_shows_a_vertex_two_stages_share_once() {
    let mut store = store();
    let df = "FROM alpine:3.20 AS a\nRUN echo same > /x\nFROM alpine:3.20\nRUN echo same > /x\nCOPY --from=a /x /y\n";
    let r = build(&mut Session::new(), &mut store, &request(df, BuildContext::new(), Builder::BuildKit), NOW);
    let text = console::render(&r, df, "Dockerfile");
    let names: Vec<&str> = text.lines().filter(|l| l.starts_with('#') && l.contains(" [") && !l.contains("[internal]")).collect();
    let from = "#4 [a 1/2] FROM docker.io/library/alpine:3.20@sha256:f3ae3f9fe889e5bcbeecb34116cedfb47d16e4336bd5ffceb42501367ff87ded";
    assert_eq!(names, [from, "#5 [a 2/2] RUN echo same > /x", "#6 [stage-1 3/3] COPY --from=a /x /y"], "{text}");
    assert_eq!(r.steps.len(), 5, "the report keeps every step of every stage");
}

#[test]
fn the_legacy_builder_prints_the_step_line_before_an_instructions_own_error() {
    // Each as Docker 20.10.24's legacy builder printed it (the RUN flag and --chmod wording
    // is Docker 25's: 20.10 did not know --network yet).
    let cases = [
        ("FROM alpine:3.20\nCOPY nothere /x\n", "Step 2/2 : COPY nothere /x\nCOPY failed: file not found in build context or excluded by .dockerignore: stat nothere: file does not exist"),
        ("FROM alpine:3.20\nWORKDIR ${X:?unset}\n", "Step 2/2 : WORKDIR ${X:?unset}\nfailed to process \"${X:?unset}\": X: unset"),
        ("FROM alpine:3.20\nCOPY --chmod=755 a /x\n", "Step 2/2 : COPY --chmod=755 a /x\nthe --chmod option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled"),
        (
            "FROM alpine:3.20\nRUN --network=none --mount=type=cache,target=/c true\n",
            "Step 2/2 : RUN --network=none --mount=type=cache,target=/c true\nthe --network option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled",
        ),
        ("FROM Ubuntu\nRUN true\n", "Step 1/2 : FROM Ubuntu\ninvalid reference format: repository name (library/Ubuntu) must be lowercase"),
    ];
    let mut store = store();
    for (df, tail) in cases {
        let r = build(&mut Session::new(), &mut store, &request(df, BuildContext::new().with_text("a", "a"), Builder::Classic), NOW);
        let text = console::classic::render(&r);
        assert!(text.trim_end().ends_with(tail), "{df}\n{text}");
    }
}
