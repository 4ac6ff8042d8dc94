//! `docker images`, `docker history` and `docker image prune` over the session's store, as
//! the CLI and the page's terminal print them.

mod common;

use common::*;
use layerlab_engine::commands::{self, HistoryOptions};
use layerlab_engine::{BuildContext, Builder, Session};

const FILE: &str = "FROM alpine:3.20\nRUN echo one > /one.txt\n";

#[test]
fn a_rebuilt_tag_leaves_a_dangling_image_that_prune_removes() {
    let mut store = store();
    let mut session = Session::new();
    let first = build(&mut session, &mut store, &request(FILE, BuildContext::new(), Builder::BuildKit), NOW);
    let edited = FILE.replace("one >", "two >");
    let second = build(&mut session, &mut store, &request(&edited, BuildContext::new(), Builder::BuildKit), NOW + 60);
    let (first_id, second_id) = (first.image.unwrap(), second.image.unwrap());
    assert_eq!(
        commands::images(&session.store, NOW + 120),
        format!(
            "REPOSITORY   TAG       IMAGE ID       CREATED              SIZE\n\
             myapp        latest    {}   About a minute ago   7.8MB\n\
             <none>       <none>    {}   2 minutes ago        7.8MB\n",
            &second_id[7..19],
            &first_id[7..19]
        )
    );
    assert_eq!(session.store.prune_dangling(), [first_id]);
    assert_eq!(session.store.prune_dangling(), Vec::<String>::new());
    let history = commands::history(&session.store, "myapp", &HistoryOptions::default(), NOW + 120).unwrap();
    assert_eq!(
        history,
        format!(
            "IMAGE          CREATED              CREATED BY                                      SIZE      COMMENT\n\
             {}   About a minute ago   RUN /bin/sh -c echo two > /one.txt # buildkit   4B        buildkit.dockerfile.v0\n\
             <missing>      2 years ago          CMD [\"/bin/sh\"]                                 0B        buildkit.dockerfile.v0\n\
             <missing>      2 years ago          ADD alpine-minirootfs-3.20.3-x86_64.tar.gz /…   7.8MB     buildkit.dockerfile.v0\n",
            &second_id[7..19]
        )
    );
    assert_eq!(
        commands::history(&session.store, "nothere", &HistoryOptions::default(), NOW).unwrap_err(),
        "Error response from daemon: No such image: nothere"
    );
}

#[test]
fn findings_carry_their_explanation_and_what_the_mistake_costs_in_the_image() {
    let mut store = store();
    let together = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n";
    let report = build(&mut Session::new(), &mut store, &request(together, BuildContext::new(), Builder::BuildKit), NOW);
    assert!(report.error.is_none(), "{:?}", report.error);
    let lists = report.checks.iter().find(|c| c.rule == "AptListsNotRemoved").expect("the finding");
    assert_eq!(lists.line, 2);
    assert!(lists.explanation.starts_with("`apt-get update` downloads package lists into /var/lib/apt/lists"));
    // What the real `apt-get update` wrote on the published slim image.
    assert_eq!(lists.cost_bytes, Some(19_856_468));
    assert_eq!(lists.cost.as_deref(), Some("/var/lib/apt/lists/ in the layer of line 2: 19.9MB"));
    let pinned = report.checks.iter().find(|c| c.rule == "UnpinnedPackages").expect("the finding");
    assert_eq!((pinned.cost.as_deref(), pinned.cost_bytes), (None, None), "no bytes to show for this one");

    // Removing the lists in a later RUN only hides them: the update's own layer still pays.
    let alone = "FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n";
    let report = build(&mut Session::new(), &mut store, &request(alone, BuildContext::new(), Builder::BuildKit), NOW);
    let finding = report.checks.iter().find(|c| c.rule == "AptUpdateAlone").expect("the finding");
    assert_eq!(finding.cost.as_deref(), Some("/var/lib/apt/lists/ in the layer of line 2: 19.9MB"));

    // apk without --no-cache keeps its index; with it, nothing is left to cost.
    let cached = "FROM alpine:3.20\nRUN apk add curl\n";
    let report = build(&mut Session::new(), &mut store, &request(cached, BuildContext::new(), Builder::BuildKit), NOW);
    let finding = report.checks.iter().find(|c| c.rule == "ApkNoCache").expect("the finding");
    assert_eq!(finding.cost_bytes, Some(2_621_440));
    assert_eq!(finding.cost.as_deref(), Some("/var/cache/apk/ in the layer of line 2: 2.62MB (modelled)"));
}

#[test]
fn buildkit_history_shows_the_copy_destination_as_written() {
    let file = "FROM alpine:3.20\nWORKDIR /app\nARG DIR=conf/\nCOPY app.py .\nCOPY app.py $DIR\n";
    let mut store = store();
    let mut session = Session::new();
    let context = BuildContext::new().with_text("app.py", "print('hi')\n");
    let id = build(&mut session, &mut store, &request(file, context, Builder::BuildKit), NOW).image.expect("built");
    let history = commands::history(&session.store, &id, &HistoryOptions { no_trunc: true, ..HistoryOptions::default() }, NOW).unwrap();
    // Not resolved against WORKDIR (`/app/`), but with variables expanded.
    assert!(history.contains("COPY app.py . # buildkit"), "{history}");
    assert!(history.contains("COPY app.py conf/ # buildkit"), "{history}");
}

#[test]
fn busybox_ls_pads_fixed_columns_and_both_sort_their_operands() {
    // `docker run --rm alpine:3.20` (the same minirootfs) printed these columns.
    let df = "FROM alpine:3.20\nRUN ls -l /bin/sh /bin/ls | cut -c1-43; ls -ld /tmp /root | cut -c1-43; ls -ln /etc/shadow /etc/passwd | cut -c1-43\n";
    let r = build(&mut Session::new(), &mut store(), &request(df, BuildContext::new(), Builder::BuildKit), NOW);
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(
        r.steps[1].output,
        [
            "lrwxrwxrwx    1 root     root            12",
            "lrwxrwxrwx    1 root     root            12",
            "drwx------    2 root     root          4096",
            "drwxrwxrwt    2 root     root          4096",
            "-rw-r--r--    1 0        0              702",
            "-rw-r-----    1 0        42             260",
        ]
    );
}

#[test]
fn a_run_step_sees_the_runtime_s_hostname_and_home_in_the_shell_s_order() {
    // Docker 20.10.24's legacy builder printed `env` in this order (dash's and ash's variable
    // tables), HOSTNAME being the container's ID; BuildKit names its sandbox.
    let df = "FROM alpine:3.20\nENV A=1\nRUN env\nUSER nobody\nRUN env && hostname\n";
    let r = build(&mut Session::new(), &mut store(), &request(df, BuildContext::new(), Builder::Classic), NOW);
    let container = r.steps[2].container_id.clone().unwrap()[..12].to_string();
    let path = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    assert_eq!(r.steps[2].output, [format!("HOSTNAME={container}"), "SHLVL=1".into(), "HOME=/root".into(), "A=1".into(), path.into(), "PWD=/".into()]);
    assert_eq!(r.steps[4].output[2], "HOME=/", "nobody's home in Alpine's passwd");
    let r = build(&mut Session::new(), &mut store(), &request("FROM debian:bookworm-slim\nRUN env && hostname\n", BuildContext::new(), Builder::BuildKit), NOW);
    assert_eq!(r.steps[1].output, ["HOSTNAME=buildkitsandbox", "HOME=/root", path, "PWD=/", "buildkitsandbox"]);
}

#[test]
fn busybox_accounts_and_the_legacy_history_match_an_alpine_build() {
    // Against Docker 20.10.24's legacy builder on alpine:3.20: BusyBox's lowest free system
    // ids, `-G` as a membership too (so `id` lists the group twice), its FILE- backups and
    // setgid home; the legacy COPY --chown row without a space before the hash.
    let df = "FROM alpine:3.20\nRUN addgroup -S app && adduser -S -G app app && id app && stat -c '%A %u:%g' /home/app && test ! -e /etc/gshadow && echo abc | rev\nCOPY --chown=app:app conf.ini /etc/app/\n";
    let (session, r) = classic_tagged(df, BuildContext::new().with_text("conf.ini", "x=1\n"), "cmp5");
    assert_eq!(r.steps[1].output, ["uid=100(app) gid=101(app) groups=101(app),101(app)", "drwxr-sr-x 100:101", "cba"]);
    assert_eq!(r.steps[1].size_bytes, 3046, "group, passwd, shadow and their backups (the real layer's 3.05kB)");
    let options = HistoryOptions { format: Some("{{.Size}}|{{.CreatedBy}}".into()), ..HistoryOptions::default() };
    let rows = commands::history(&session.store, "cmp5", &options, NOW).unwrap();
    assert!(rows.starts_with("4B|/bin/sh -c #(nop) COPY --chown=app:appfile:2…\n3.05kB|/bin/sh -c addgroup -S app && adduser -S -G …\n"), "{rows}");
}

#[test]
fn the_legacy_history_of_metadata_steps_matches_docker() {
    // `docker history --no-trunc` rows Docker 20.10.24's legacy builder wrote for this file
    // (its HEALTHCHECK row lacks Docker 25's StartInterval, which ours has).
    let df = "FROM alpine:3.20 AS base\nARG WHO=world\nENV GREETING=\"hello $WHO\" OTHER=1\nEXPOSE 8080/tcp 53/udp\nSHELL [\"/bin/sh\", \"-ec\"]\nUSER nobody\nWORKDIR /srv\nENTRYPOINT [\"/bin/echo\"]\nFROM base\nCOPY --from=base /etc/alpine-release /release\nMAINTAINER someone@example.com\n";
    let (session, r) = classic_tagged(df, BuildContext::new(), "cmp6");
    let from_stage = r.steps.iter().find(|s| s.line == 9).unwrap();
    assert_eq!(from_stage.image_id, r.steps[7].image_id, "FROM base names the stage's last image");
    let options = HistoryOptions { no_trunc: true, format: Some("{{.Size}}\t{{.CreatedBy}}".into()), ..HistoryOptions::default() };
    let rows = commands::history(&session.store, "cmp6", &options, NOW).unwrap();
    let expected = "0B\t/bin/sh -ec #(nop)  MAINTAINER someone@example.com\n\
        7B\t/bin/sh -ec #(nop) COPY file:fd5120b32303e0845b91594da798a6fda1626f4cc80b644edec4adb7913e7b1c in /release \n\
        0B\t/bin/sh -ec #(nop)  ENTRYPOINT [\"/bin/echo\"]\n\
        0B\t/bin/sh -ec #(nop) WORKDIR /srv\n\
        0B\t/bin/sh -ec #(nop)  USER nobody\n\
        0B\t/bin/sh -ec #(nop)  SHELL [/bin/sh -ec]\n\
        0B\t/bin/sh -c #(nop)  EXPOSE 53/udp 8080/tcp\n\
        0B\t/bin/sh -c #(nop)  ENV GREETING=hello world OTHER=1\n\
        0B\t/bin/sh -c #(nop)  ARG WHO=world\n";
    assert!(rows.starts_with(expected), "{rows}");
}

#[test]
fn busybox_tools_word_their_failures_as_busybox_does() {
    // Docker 20.10.24's legacy builder on alpine:3.20 printed these (ESC[91m … ESC[0m around
    // the step's standard error, which ran as one chunk).
    let df = "FROM alpine:3.20\nRUN ls /nope; cat /nope; mkdir /etc/passwd; rm /nope; rmdir /nope; cp /nope /tmp; mv /nope /tmp; chmod 644 /nope; ln -s /x /etc/passwd; cd /nope; true\n";
    let r = build(&mut Session::new(), &mut store(), &request(df, BuildContext::new(), Builder::Classic), NOW);
    assert_eq!(
        r.steps[1].output,
        [
            "\x1b[91mls: /nope: No such file or directory",
            "cat: can't open '/nope': No such file or directory",
            "mkdir: can't create directory '/etc/passwd': File exists",
            "rm: can't remove '/nope': No such file or directory",
            "rmdir: '/nope': No such file or directory",
            "cp: can't stat '/nope': No such file or directory",
            "mv: can't rename '/nope': No such file or directory",
            "chmod: /nope: No such file or directory",
            "ln: /etc/passwd: File exists",
            "/bin/sh: cd: line 0: can't cd to /nope: No such file or directory",
            "\x1b[0m",
        ]
    );
    let text = layerlab_engine::console::classic::render(&r);
    assert!(text.contains("No such file or directory\n\x1b[0m ---> Removed intermediate container"), "the reset runs into the next line: {text}");
    // BuildKit shows standard error as it is.
    let r = build(&mut Session::new(), &mut store(), &request(df, BuildContext::new(), Builder::BuildKit), NOW);
    assert_eq!(r.steps[1].output[0], "ls: /nope: No such file or directory");
}

#[test]
fn a_legacy_build_of_args_users_and_bash_prints_what_docker_printed() {
    // Docker 20.10.24's legacy builder: an ARG without a value stays out of the `|N` prefix,
    // `id` shows no name for a user /etc/passwd lacks, bash names its version.
    let df = "FROM debian:bookworm-slim\nARG VERSION=1.2\nARG EMPTY\nRUN echo \"v=$VERSION e=$EMPTY\"\nUSER 1000\nRUN id && echo $HOME\nUSER root\nSHELL [\"/bin/bash\", \"-c\"]\nRUN echo ${BASH_VERSION%%.*} && [[ 1 == 1 ]] && echo bash ok\n";
    let (session, r) = classic_tagged(df, BuildContext::new(), "args");
    let outputs: Vec<&Vec<String>> = r.steps.iter().filter(|s| !s.output.is_empty()).map(|s| &s.output).collect();
    assert_eq!(outputs, [&vec!["v=1.2 e=".to_string()], &vec!["uid=1000 gid=0(root) groups=0(root)".to_string(), "/".to_string()], &vec!["5".to_string(), "bash ok".to_string()]]);
    let options = HistoryOptions { no_trunc: true, format: Some("{{.CreatedBy}}".into()), ..HistoryOptions::default() };
    let rows = commands::history(&session.store, "args", &options, NOW).unwrap();
    assert!(rows.starts_with("|1 VERSION=1.2 /bin/bash -c echo ${BASH_VERSION%%.*} && [[ 1 == 1 ]] && echo bash ok\n"), "{rows}");
}

/// A legacy build of `df` tagged `tag`, which must succeed; the session keeps the image.
fn classic_tagged(df: &str, context: BuildContext, tag: &str) -> (Session, layerlab_engine::Report) {
    let mut session = Session::new();
    let mut req = request(df, context, Builder::Classic);
    req.tags = vec![tag.into()];
    let r = build(&mut session, &mut store(), &req, NOW);
    assert!(r.error.is_none(), "{:?}", r.error);
    (session, r)
}
