//! `RUN --network`: the modes BuildKit accepts, the entitlement `host` needs, and what the
//! tools print with no network at all (each recorded with `unshare -n` in a chroot of the
//! same image: apt 2.6, pip 25, npm 10.8.2, curl 7.88, wget 1.21).

mod common;

use common::*;
use layerlab_engine::report::Report;
use layerlab_engine::{BuildContext, Builder, Session};

fn buildkit(dockerfile: &str) -> Report {
    build(&mut Session::new(), &mut store(), &request(dockerfile, BuildContext::new(), Builder::BuildKit), NOW)
}

fn last_output(r: &Report) -> Vec<&str> {
    r.steps.last().unwrap().output.iter().map(String::as_str).collect()
}

#[test]
fn an_unknown_mode_is_a_parse_error_and_host_needs_the_entitlement() {
    let e = buildkit("FROM alpine:3.20\nRUN --network=bogus true\n").error.unwrap();
    assert_eq!(e.message, "dockerfile parse error on line 2: invalid network mode \"bogus\"");
    let host = "FROM alpine:3.20\nRUN --network=host echo hi\n";
    let e = buildkit(host).error.unwrap();
    assert_eq!((e.message.as_str(), e.lines), ("network.host is not allowed", None));
    let mut allowed = request(host, BuildContext::new(), Builder::BuildKit);
    allowed.allow = vec!["network.host".into()];
    let r = build(&mut Session::new(), &mut store(), &allowed, NOW);
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(last_output(&r), ["hi"]);
}

#[test]
fn apt_without_a_network_keeps_its_lists_and_cannot_fetch_a_package() {
    let r = buildkit("FROM debian:bookworm-slim\nRUN --network=none apt-get update\n");
    assert!(r.error.is_none(), "apt-get update exits 0: {:?}", r.error);
    let mut expected: Vec<String> = Vec::new();
    let sources = [("http://deb.debian.org/debian", "bookworm"), ("http://deb.debian.org/debian", "bookworm-updates"), ("http://deb.debian.org/debian-security", "bookworm-security")];
    for _ in 0..3 {
        expected.extend(sources.iter().enumerate().map(|(i, (url, suite))| format!("Ign:{} {url} {suite} InRelease", i + 1)));
    }
    for (i, (url, suite)) in sources.iter().enumerate() {
        expected.push(format!("Err:{} {url} {suite} InRelease", i + 1));
        expected.push("  Temporary failure resolving 'deb.debian.org'".into());
    }
    expected.push("Reading package lists...".into());
    expected.extend(sources.iter().map(|(url, suite)| format!("W: Failed to fetch {url}/dists/{suite}/InRelease  Temporary failure resolving 'deb.debian.org'")));
    expected.push("W: Some index files failed to download. They have been ignored, or old ones used instead.".into());
    assert_eq!(last_output(&r), expected);
    assert_eq!(r.steps.last().unwrap().added, 0, "no lists were written");

    let r = buildkit("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libncursesw6\nRUN --network=none apt-get install -y --no-install-recommends nano\n");
    let e = r.error.as_ref().unwrap();
    assert!(e.message.ends_with("exit code: 100"), "{}", e.message);
    let item = "http://deb.debian.org/debian bookworm/main amd64 nano amd64 7.2-1+deb12u1";
    let tail = [
        "Need to get 690 kB of archives.",
        "After this operation, 2871 kB of additional disk space will be used.",
        &format!("Ign:1 {item}"),
        &format!("Ign:1 {item}"),
        &format!("Ign:1 {item}"),
        &format!("Err:1 {item}"),
        "  Temporary failure resolving 'deb.debian.org'",
        "E: Failed to fetch http://deb.debian.org/debian/pool/main/n/nano/nano_7.2-1%2bdeb12u1_amd64.deb  Temporary failure resolving 'deb.debian.org'",
        "E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?",
    ];
    let out = last_output(&r);
    assert_eq!(out[out.len() - tail.len()..], tail);
}

#[test]
fn curl_and_wget_cannot_resolve_even_what_the_catalogs_hold() {
    let url = "https://registry.npmjs.org/express/-/express-5.1.0.tgz";
    let r = buildkit(&format!("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl wget\nRUN --network=none curl -fsSLO {url} || wget {url} || true\n"));
    assert!(r.error.is_none(), "{:?}", r.error);
    let out = last_output(&r);
    assert_eq!(out[0], "curl: (6) Could not resolve host: registry.npmjs.org");
    assert_eq!(out[2..], ["Resolving registry.npmjs.org (registry.npmjs.org)... failed: Temporary failure in name resolution.", "wget: unable to resolve host address 'registry.npmjs.org'"]);
}

#[test]
fn pip_and_npm_retry_and_give_up() {
    let r = buildkit("FROM python:3.12-slim\nRUN --network=none pip install --no-cache-dir flask==3.0.2\n");
    assert!(r.error.as_ref().unwrap().message.ends_with("exit code: 1"));
    let out = last_output(&r);
    assert_eq!(out.len(), 7, "{out:?}");
    for (line, total) in out.iter().zip([4, 3, 2, 1, 0]) {
        assert!(line.starts_with(&format!("WARNING: Retrying (Retry(total={total}, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f")), "{line}");
        assert!(line.ends_with(">: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')': /simple/flask/"), "{line}");
    }
    assert_eq!(out[5..], ["ERROR: Could not find a version that satisfies the requirement flask==3.0.2 (from versions: none)", "ERROR: No matching distribution found for flask==3.0.2"]);

    let r = buildkit("FROM node:20-slim\nWORKDIR /app\nRUN echo '{\"name\":\"x\",\"version\":\"1.0.0\"}' > package.json\nRUN --network=none npm install express@5.1.0\n");
    let out = last_output(&r);
    assert_eq!(out[..4], ["npm error code EAI_AGAIN", "npm error syscall getaddrinfo", "npm error errno EAI_AGAIN", "npm error request to https://registry.npmjs.org/express failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org"]);
    assert!(out[4].starts_with("npm error A complete log of this run can be found in: /root/.npm/_logs/"), "{}", out[4]);
}

#[test]
fn the_builds_network_is_each_runs_unless_the_run_names_its_own() {
    let df = "FROM debian:bookworm-slim\nRUN apt-get update\nRUN --network=default apt-get update\n";
    let mut req = request(df, BuildContext::new(), Builder::BuildKit);
    req.network = Some("none".into());
    let mut session = Session::new();
    let r = build(&mut session, &mut store(), &req, NOW);
    assert!(r.error.is_none(), "{:?}", r.error);
    assert!(r.steps[1].output[0].starts_with("Ign:1 "), "{:?}", r.steps[1].output);
    assert!(r.steps[2].output[0].starts_with("Get:1 "), "{:?}", r.steps[2].output);
    // The same Dockerfile with the network back misses the cache at the first RUN.
    let again = build(&mut session, &mut store(), &request(df, BuildContext::new(), Builder::BuildKit), NOW);
    assert_eq!(again.steps.iter().map(|s| s.cached).collect::<Vec<_>>(), [true, false, false]);
    // --network=host on the command line brings its own entitlement.
    let mut host = request("FROM alpine:3.20\nRUN --network=host true\n", BuildContext::new(), Builder::BuildKit);
    host.network = Some("host".into());
    assert!(build(&mut Session::new(), &mut store(), &host, NOW).error.is_none());
}
