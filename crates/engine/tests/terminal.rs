//! The page's terminal: the course's docker commands typed as written.

mod common;

use common::*;
use layerlab_engine::terminal::{complete, run, split_words};
use layerlab_engine::{BuildContext, Session};

const FILE: &str = "FROM alpine:3.20\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n";

fn context() -> BuildContext {
    BuildContext::new().with_text("Dockerfile", FILE).with_text("app.py", "print('hi')\n")
}

/// Runs a line, loading data files the way the page does.
fn terminal(session: &mut Session, line: &str) -> (String, i32) {
    let mut store = store();
    for _ in 0..16 {
        let out = run(line, session, &store, &context(), NOW);
        match out.missing_data {
            Some(path) => load(&mut store, &path),
            None => return (out.text, out.exit),
        }
    }
    panic!("kept asking for data");
}

#[test]
fn build_then_history_images_run_and_push_as_the_course_types_them() {
    let mut session = Session::new();
    let (text, exit) = terminal(&mut session, "docker build -t myapp .");
    assert_eq!(exit, 0, "{text}");
    assert!(text.contains("#6 [2/2] COPY app.py /app/\n#6 DONE 0.0s\n"), "{text}");
    assert!(text.trim_end().ends_with("#7 naming to docker.io/library/myapp:latest done\n#7 DONE 0.0s"), "{text:?}");
    let (again, _) = terminal(&mut session, "docker build -t myapp .");
    assert!(again.contains("#6 [2/2] COPY app.py /app/\n#6 CACHED\n"), "{again}");

    let (history, exit) = terminal(&mut session, "docker history myapp");
    assert_eq!(exit, 0);
    let id = &session.store.lookup("myapp").unwrap().id[7..19];
    assert_eq!(
        history,
        format!(
            "IMAGE          CREATED                  CREATED BY                                      SIZE      COMMENT\n\
             {id}   Less than a second ago   CMD [\"python\" \"/app/app.py\"]                    0B        buildkit.dockerfile.v0\n\
             <missing>      Less than a second ago   COPY app.py /app/ # buildkit                    12B       buildkit.dockerfile.v0\n\
             <missing>      2 years ago              CMD [\"/bin/sh\"]                                 0B        buildkit.dockerfile.v0\n\
             <missing>      2 years ago              ADD alpine-minirootfs-3.20.3-x86_64.tar.gz /…   7.8MB     buildkit.dockerfile.v0\n"
        )
    );

    let (id, exit) = terminal(&mut session, "docker run -p 5001:5000 -d myapp");
    assert_eq!(exit, 0);
    let (first, note) = id.split_once('\n').unwrap();
    assert_eq!(first.len(), 64);
    assert!(first.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(note, "layerlab: containers are not simulated. This one would run [\"python\",\"/app/app.py\"] as root, publishing host port 5001 → container port 5000.\n");

    let (push, exit) = terminal(&mut session, "docker push user/myapp");
    assert_eq!((push.as_str(), exit), ("Using default tag: latest\nAn image does not exist locally with the tag: user/myapp\n", 1));
    assert_eq!(terminal(&mut session, "docker tag myapp user/myapp"), (String::new(), 0));
    let (push, exit) = terminal(&mut session, "docker push user/myapp");
    assert_eq!(exit, 1);
    let lines: Vec<&str> = push.lines().collect();
    assert_eq!(lines[0..2], ["Using default tag: latest", "The push refers to repository [docker.io/user/myapp]"]);
    assert_eq!(lines.iter().filter(|l| l.ends_with(": Preparing")).count(), 2, "the base layer and COPY's");
    assert_eq!(lines[4], "denied: requested access to the resource is denied");
}

#[test]
fn docker_errors_read_as_dockers() {
    let mut session = Session::new();
    assert_eq!(terminal(&mut session, "docker history nothere"), ("Error response from daemon: No such image: nothere\n".into(), 1));
    assert_eq!(terminal(&mut session, "docker inspect nothere"), ("[]\nError: No such object: nothere\n".into(), 1));
    assert_eq!(
        terminal(&mut session, "docker run -p 5001:abc -d myapp"),
        ("docker: invalid argument \"5001:abc\" for \"-p, --publish\" flag: Invalid containerPort: abc\nSee 'docker run --help'.\n".into(), 1)
    );
    assert_eq!(
        terminal(&mut session, "docker run python-hello-world"),
        ("Unable to find image 'python-hello-world:latest' locally\nlayerlab: pulling is not simulated; the page runs images built in this session (`docker build -t python-hello-world .`)\n".into(), 1)
    );
    assert_eq!(terminal(&mut session, "docker frobnicate").1, 1);
    assert_eq!(terminal(&mut session, "kubectl get pods").1, 127);
    let (text, exit) = terminal(&mut session, "docker build -t x ./app");
    assert_eq!(exit, 1);
    assert!(text.starts_with("ERROR: unable to prepare context: path \"./app\" not found"), "{text}");
}

#[test]
fn the_classic_builder_answers_to_docker_buildkit_0() {
    let mut session = Session::new();
    let (text, exit) = terminal(&mut session, "DOCKER_BUILDKIT=0 docker build -t myapp .");
    assert_eq!(exit, 0, "{text}");
    assert!(text.starts_with("Sending build context to Docker daemon"), "{text}");
    assert!(text.ends_with("Successfully tagged myapp:latest\n"), "{text}");
}

#[test]
fn words_split_like_a_shell_and_tab_completes_commands_and_images() {
    assert_eq!(split_words(r#"docker build -t "my app" 'a b' c\ d"#).unwrap(), ["docker", "build", "-t", "my app", "a b", "c d"]);
    assert!(split_words("docker \"open").is_err());
    let mut session = Session::new();
    assert_eq!(complete("dock", &session), ["docker"]);
    assert_eq!(complete("docker hi", &session), ["history"]);
    assert_eq!(complete("docker i", &session), ["image", "images", "inspect"]);
    terminal(&mut session, "docker build -t myapp .");
    terminal(&mut session, "docker tag myapp me/other:1.0");
    assert_eq!(complete("docker history ", &session), ["me/other:1.0", "myapp"]);
    assert_eq!(complete("docker run -d m", &session), ["me/other:1.0", "myapp"]);
}
