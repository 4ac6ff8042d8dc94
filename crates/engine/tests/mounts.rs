//! RUN --mount: cache mounts keep their contents across the session's builds and out of
//! every layer; bind mounts show the context; tmpfs is thrown away; secrets not given to
//! the build are absent (or fail the step when required).

mod common;

use common::*;
use layerlab_engine::{BuildContext, Builder, Report, Session};

fn run(session: &mut Session, dockerfile: &str, context: BuildContext) -> Report {
    let mut store = store();
    build(session, &mut store, &request(dockerfile, context, Builder::BuildKit), NOW)
}

#[test]
fn a_cache_mount_outlives_the_build_and_stays_out_of_the_layer() {
    let mut session = Session::new();
    let first = run(&mut session, "FROM alpine:3.20\nRUN --mount=type=cache,target=/cache echo kept > /cache/x && echo layer > /y\n", BuildContext::new());
    assert!(first.error.is_none(), "{:?}", first.error);
    assert_eq!(first.steps[1].size_bytes, 6, "only /y: the mount point it made is gone");
    assert_eq!(first.steps[1].added, 1);
    // A different step, the same cache id: it sees what the first build left.
    let second = run(&mut session, "FROM alpine:3.20\nRUN --mount=type=cache,target=/cache cat /cache/x\nRUN test -e /cache || echo gone\n", BuildContext::new());
    assert_eq!(second.steps[1].output, ["kept"]);
    assert_eq!((second.steps[1].added, second.steps[1].size_bytes), (0, 0));
    assert_eq!(second.steps[2].output, ["gone"], "the mount point is not in the image");
    // A new session has an empty cache.
    let fresh = run(&mut Session::new(), "FROM alpine:3.20\nRUN --mount=type=cache,target=/cache cat /cache/x\n", BuildContext::new());
    assert_eq!(fresh.error.unwrap().message, "process \"/bin/sh -c cat /cache/x\" did not complete successfully: exit code: 1");
}

#[test]
fn the_cache_mount_lesson_keeps_apt_s_lists_and_archives_out_of_the_layer() {
    let lesson = include_str!("../../../static/examples/cache-mount/Dockerfile");
    let without = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n";
    let mounted = run(&mut Session::new(), lesson, BuildContext::new());
    let plain = run(&mut Session::new(), without, BuildContext::new());
    assert!(mounted.error.is_none() && plain.error.is_none());
    let (m, p) = (mounted.steps[1].size_bytes, plain.steps[1].size_bytes);
    // apt's lists (/var/lib/apt/lists, 18 MB+) live in the mount, not the layer.
    assert!(p - m > 18_000_000, "mounted {m}, plain {p}");
    assert!(mounted.notes.is_empty(), "{:?}", mounted.notes);
}

#[test]
fn bind_tmpfs_and_secret_mounts() {
    let context = BuildContext::new().with_text("app.py", "print('hi')\n");
    let df = "FROM alpine:3.20\nRUN --mount=type=bind,source=app.py,target=/src/app.py --mount=type=tmpfs,target=/scratch cat /src/app.py && echo x > /scratch/t && test ! -e /run/secrets && echo done\n";
    let report = run(&mut Session::new(), df, context);
    assert!(report.error.is_none(), "{:?}", report.error);
    assert_eq!(report.steps[1].output, ["print('hi')", "done"]);
    assert_eq!(report.steps[1].size_bytes, 0, "nothing of the mounts stays");
    let required = run(&mut Session::new(), "FROM alpine:3.20\nRUN --mount=type=secret,id=token,required=true cat /run/secrets/token\n", BuildContext::new());
    assert_eq!(required.error.unwrap().message, "secret token: not found");
}

#[test]
fn a_bind_mount_from_an_image_shows_its_files_for_the_step_only() {
    let mut session = Session::new();
    let df = "FROM debian:bookworm-slim\nRUN --mount=type=bind,from=alpine:3.20,source=/etc,target=/alpine-etc cat /alpine-etc/alpine-release\nRUN test -e /alpine-etc || echo gone\n";
    let r = run(&mut session, df, BuildContext::new());
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(r.steps[1].output, ["3.20.3"]);
    assert_eq!((r.steps[1].added, r.steps[1].size_bytes), (0, 0), "nothing of the mount lands in the layer");
    assert_eq!(r.steps[2].output, ["gone"]);
    let missing = run(&mut session, "FROM alpine:3.20\nRUN --mount=type=bind,from=nosuchimage,target=/x true\n", BuildContext::new());
    assert!(missing.error.unwrap().message.contains("pull access denied"), "an unknown image fails as a pull does");
}

/// BuildKit mounts its own /etc/hosts over every RUN (`executor/oci/hosts.go`): the step
/// reads that, what it writes there is gone after it, and the image's own file (the python
/// image has one; debian:bookworm-slim has none) is what the layer and the next step keep.
#[test]
fn buildkit_mounts_its_hosts_file_over_every_run() {
    let hosts = ["127.0.0.1\tlocalhost buildkitsandbox", "::1\tlocalhost ip6-localhost ip6-loopback"];
    let r = run(&mut Session::new(), "FROM debian:bookworm-slim\nRUN cat /etc/hosts && echo '10.0.0.1 db' >> /etc/hosts\nRUN cat /etc/hosts\n", BuildContext::new());
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(r.steps[1].output, hosts);
    assert_eq!((r.steps[1].added, r.steps[1].size_bytes), (0, 0), "nothing of the mount lands in the layer");
    assert_eq!(r.steps[2].output, hosts, "the next step sees a fresh hosts file");
    let mut store = store();
    load(&mut store, "images/python_3.12-slim.json");
    let req = request("FROM python:3.12-slim\nRUN cat /etc/hosts && echo '10.0.0.1 db' >> /etc/hosts\n", BuildContext::new(), Builder::BuildKit);
    let r = build(&mut Session::new(), &mut store, &req, NOW);
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(r.steps[1].output, hosts);
    assert_eq!((r.steps[1].added, r.steps[1].modified, r.steps[1].size_bytes), (0, 0, 0), "the image's own /etc/hosts is back, unchanged");
}
