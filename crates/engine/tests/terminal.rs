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

    // alpine has no python: the runtime cannot start the container.
    let (text, exit) = terminal(&mut session, "docker run -p 5001:5000 -d myapp");
    assert_eq!(exit, 127);
    assert_eq!(text, "docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"python\": executable file not found in $PATH: unknown.\n");

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

/// The course's Flask app on the python image: Flask's development server starts, with
/// the lines Flask 3 and Werkzeug 3 print; without Flask, Python's traceback; without
/// the file, Python's message; on 127.0.0.1, a note that the published port reaches nothing.
#[test]
fn docker_run_starts_a_flask_app_as_python_would() {
    let app = "from flask import Flask\n\napp = Flask(__name__)\n\n@app.route(\"/\")\ndef hello():\n    return \"hello world!\"\n\nif __name__ == \"__main__\":\n    app.run(host=\"0.0.0.0\")\n";
    let run_image = |dockerfile: &str, app: &str, line: &str| {
        let mut session = Session::new();
        let mut store = store();
        let context = BuildContext::new().with_text("Dockerfile", dockerfile).with_text("app.py", app);
        for _ in 0..32 {
            let out = run("docker build -t hello .", &mut session, &store, &context, NOW);
            match out.missing_data {
                Some(path) => load(&mut store, &path),
                None => {
                    assert_eq!(out.exit, 0, "{}", out.text);
                    break;
                }
            }
        }
        let out = run(line, &mut session, &store, &context, NOW);
        (out.text, out.exit)
    };
    let with_flask = "FROM python:3.12-slim\nWORKDIR /app\nRUN pip install -q --root-user-action=ignore flask\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n";
    assert_eq!(
        run_image(with_flask, app, "docker run -p 5001:5000 hello"),
        (
            " * Serving Flask app 'app'\n * Debug mode: off\nWARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead.\n * Running on all addresses (0.0.0.0)\n * Running on http://127.0.0.1:5000\n * Running on http://172.17.0.2:5000\nPress CTRL+C to quit\nlayerlab: the container keeps running, the server on port 5000, published on host port 5001. Docker's terminal stays attached until Ctrl+C; this one returns.\n".into(),
            0
        )
    );
    let (text, _) = run_image(with_flask, &app.replace("app.run(host=\"0.0.0.0\")", "app.run()"), "docker run -p 5001:5000 hello");
    assert!(text.contains(" * Running on http://127.0.0.1:5000\nPress CTRL+C to quit\n"), "{text}");
    assert!(text.ends_with("layerlab: the app listens on 127.0.0.1 inside the container, so the published port reaches nothing; bind it to 0.0.0.0 (app.run(host=\"0.0.0.0\"), or flask run --host=0.0.0.0).\n"), "{text}");
    let without_flask = "FROM python:3.12-slim\nCOPY app.py /app.py\nCMD [\"python\", \"/app.py\"]\n";
    assert_eq!(
        run_image(without_flask, app, "docker run hello"),
        ("Traceback (most recent call last):\n  File \"/app.py\", line 1, in <module>\n    from flask import Flask\nModuleNotFoundError: No module named 'flask'\n".into(), 1)
    );
    let missing = "FROM python:3.12-slim\nCMD [\"python\", \"app.py\"]\n";
    assert_eq!(run_image(missing, app, "docker run hello"), ("python: can't open file '/app.py': [Errno 2] No such file or directory\n".into(), 2));
    let (text, exit) = run_image(missing, app, "docker run -d hello");
    assert_eq!(exit, 0);
    assert!(text.ends_with("\nlayerlab: the container exited at once with code 2: python: can't open file '/app.py': [Errno 2] No such file or directory\n"), "{text}");
}

/// The course's next steps: `docker run -d`, then `docker ps`, `docker logs`, `docker stop`.
#[test]
fn detached_containers_are_listed_logged_and_stopped() {
    let app = "from flask import Flask\napp = Flask(__name__)\n\n@app.route(\"/\")\ndef hello():\n    return \"hello world!\"\n\nif __name__ == \"__main__\":\n    app.run(host=\"0.0.0.0\")\n";
    let dockerfile = "FROM python:3.12-slim\nRUN pip install -q --root-user-action=ignore flask\nCOPY app.py /app.py\nCMD [\"python\", \"/app.py\"]\n";
    let context = BuildContext::new().with_text("Dockerfile", dockerfile).with_text("app.py", app);
    let mut session = Session::new();
    let mut store = store();
    let mut line = |session: &mut Session, text: &str| loop {
        let out = run(text, session, &store, &context, NOW);
        match out.missing_data {
            Some(path) => load(&mut store, &path),
            None => return (out.text, out.exit),
        }
    };
    assert_eq!(line(&mut session, "docker build -t python-hello-world .").1, 0);
    let (started, exit) = line(&mut session, "docker run -p 5001:5000 -d python-hello-world");
    assert_eq!(exit, 0);
    let id = started.lines().next().unwrap().to_string();
    let name = session.containers[0].name.clone();
    let (ps, _) = line(&mut session, "docker ps");
    assert_eq!(
        ps,
        format!(
            "CONTAINER ID   IMAGE                COMMAND            CREATED                  STATUS                  PORTS                                         NAMES\n\
             {}   python-hello-world   \"python /app.py\"   Less than a second ago   Up Less than a second   0.0.0.0:5001->5000/tcp, [::]:5001->5000/tcp   {name}\n",
            &id[..12]
        )
    );
    let (logs, _) = line(&mut session, &format!("docker logs {name}"));
    assert!(logs.starts_with(" * Serving Flask app 'app'\n") && logs.ends_with("Press CTRL+C to quit\n"), "{logs}");
    let (stopped, _) = line(&mut session, &format!("docker stop {}", &id[..12]));
    assert!(stopped.starts_with(&format!("{}\n", &id[..12])), "{stopped}");
    let (ps, _) = line(&mut session, "docker ps");
    assert_eq!(ps.lines().count(), 1, "only the header: {ps}");
    let (all, _) = line(&mut session, "docker ps -a");
    assert!(all.contains("Exited (137) "), "{all}");
    assert_eq!(line(&mut session, "docker logs nope"), ("Error response from daemon: No such container: nope\n".into(), 1));
}
