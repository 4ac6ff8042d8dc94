//! What a container's process does, for the programs the simulator can model from the
//! image's files: `python app.py` and `flask run` for a Flask app (its development
//! server's startup lines, or the error Python gives when the file or Flask is missing),
//! and a command the image does not have. Anything else is said to be unmodelled.

use layerlab_image::fs::{Node, Snapshot};
use layerlab_shell::accounts::read_text as text;

use crate::store::Image;

pub enum Started {
    /// A server started: its lines, the port it listens on, and whether it listens on
    /// every address (0.0.0.0) or only inside the container (127.0.0.1).
    Serving { lines: Vec<String>, port: u16, all_addresses: bool },
    /// The process ended at once: what it printed (as `docker run` shows it) and its code.
    Exited { output: String, code: i32 },
    Unmodelled(String),
}

/// The container's IP on Docker's default bridge (the first container started there).
const CONTAINER_IP: &str = "172.17.0.2";

pub fn start(image: &Image, argv: &[String]) -> Started {
    let config = &image.config.config;
    let fs = &image.state.fs;
    let mut env: Vec<(String, String)> = config.env.iter().filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let workdir = if config.working_dir.is_empty() { "/".to_string() } else { config.working_dir.clone() };
    let (words, shell) = match argv {
        [sh, c, script] if ["/bin/sh", "sh", "/bin/bash", "bash"].contains(&sh.as_str()) && c == "-c" => match simple_command(script, &mut env) {
            Some(words) => (words, true),
            None => return Started::Unmodelled(format!("layerlab: the container runs the shell script `{script}`, which the simulator does not run")),
        },
        _ => (argv.to_vec(), false),
    };
    let Some(program) = words.first() else { return Started::Exited { output: String::new(), code: 0 } };
    let path = env.iter().find(|(k, _)| k == "PATH").map_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", |(_, v)| v.as_str()).to_string();
    let Some(found) = find_program(fs, program, &path, &workdir) else {
        return Started::Exited {
            output: if shell {
                format!("/bin/sh: 1: {program}: not found\n")
            } else {
                format!("docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"{program}\": executable file not found in $PATH: unknown.\n")
            },
            code: 127,
        };
    };
    let name = program.rsplit('/').next().unwrap_or(program);
    if name == "python" || name.starts_with("python3") {
        return python(fs, &found, program, &words[1..], &workdir);
    }
    if name == "flask" && words.get(1).is_some_and(|w| w == "run") {
        return flask_run(fs, &found, &words[2..], &env, &workdir);
    }
    Started::Unmodelled(format!("layerlab: the container runs `{}`; the simulator models only Flask apps started by python or flask run", words.join(" ")))
}

/// `A=1 B=2 cmd arg...` with no other shell syntax: the words, the assignments applied.
fn simple_command(script: &str, env: &mut Vec<(String, String)>) -> Option<Vec<String>> {
    if script.contains(|c: char| "|&;<>()$`\\\"'*?[#~\n".contains(c)) {
        return None;
    }
    let mut words: Vec<String> = Vec::new();
    for word in script.split_whitespace() {
        match word.split_once('=') {
            Some((k, v)) if words.is_empty() && !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                env.retain(|(n, _)| n != k);
                env.push((k.to_string(), v.to_string()));
            }
            _ => words.push(word.to_string()),
        }
    }
    Some(words)
}

fn absolute(path: &str, workdir: &str) -> String {
    if path.starts_with('/') { path.to_string() } else { format!("{}/{path}", workdir.trim_end_matches('/')) }
}

fn find_program(fs: &Snapshot, program: &str, path: &str, workdir: &str) -> Option<String> {
    if program.contains('/') {
        let p = absolute(program, workdir);
        return matches!(fs.get(&p, true), Ok(Node::File(_))).then_some(p);
    }
    path.split(':').map(|dir| format!("{dir}/{program}")).find(|p| matches!(fs.get(p, true), Ok(Node::File(_))))
}

/// `python FILE`: CPython's message for a missing file; a Flask app's server; otherwise unmodelled.
fn python(fs: &Snapshot, interpreter: &str, program: &str, args: &[String], workdir: &str) -> Started {
    let Some(script) = args.iter().find(|a| !a.starts_with('-')) else {
        return Started::Unmodelled(format!("layerlab: the container runs `{program}` without a script (an interactive interpreter), which is not simulated"));
    };
    let path = absolute(script, workdir);
    let Some(source) = text(fs, &path) else {
        if fs.get(&path, true).is_err() {
            return Started::Exited { output: format!("{program}: can't open file '{path}': [Errno 2] No such file or directory\n"), code: 2 };
        }
        return Started::Unmodelled(format!("layerlab: {path} is not a text file the simulator can read"));
    };
    let name = script.rsplit('/').next().unwrap_or(script).trim_end_matches(".py").to_string();
    flask_app(fs, interpreter, &path, &source, &name, true, None)
}

/// `flask run [--host H] [--port P]` with FLASK_APP (or `--app`), else app.py or wsgi.py.
fn flask_run(fs: &Snapshot, interpreter: &str, args: &[String], env: &[(String, String)], workdir: &str) -> Started {
    let option = |names: &[&str]| {
        args.iter().enumerate().find_map(|(i, a)| {
            names.iter().find_map(|n| a.strip_prefix(&format!("{n}=")).map(str::to_string)).or_else(|| names.contains(&a.as_str()).then(|| args.get(i + 1).cloned()).flatten())
        })
    };
    let app = option(&["--app"]).or_else(|| env.iter().find(|(k, _)| k == "FLASK_APP").map(|(_, v)| v.clone()));
    let candidates = match &app {
        Some(a) => vec![a.clone()],
        None => vec!["wsgi.py".to_string(), "app.py".to_string()],
    };
    let Some((path, source)) = candidates.iter().find_map(|c| {
        let p = absolute(c, workdir);
        text(fs, &p).map(|t| (p, t))
    }) else {
        let shown = app.as_deref().map_or("app".to_string(), |a| a.rsplit('/').next().unwrap_or(a).trim_end_matches(".py").to_string());
        return Started::Exited { output: format!("Usage: flask run [OPTIONS]\nTry 'flask run --help' for help.\n\nError: Could not import '{shown}'.\n"), code: 2 };
    };
    let host = option(&["--host", "-h"]).unwrap_or_else(|| "127.0.0.1".into());
    let port = option(&["--port", "-p"]).and_then(|p| p.parse().ok());
    let shown = app.unwrap_or_else(|| path.rsplit('/').next().unwrap_or(&path).trim_end_matches(".py").to_string());
    match flask_app(fs, interpreter, &path, &source, &shown, false, Some((host, port))) {
        Started::Exited { code: 0, .. } => Started::Unmodelled("layerlab: no Flask app found in the module".into()),
        other => other,
    }
}

/// A module that makes a Flask app: without Flask installed, Python's traceback; run as a
/// script, `app.run(...)` starts the server (a module without it just ends); under `flask
/// run`, the CLI's host and port.
fn flask_app(fs: &Snapshot, interpreter: &str, path: &str, source: &str, name: &str, as_script: bool, cli: Option<(String, Option<u16>)>) -> Started {
    let import = source.lines().enumerate().find(|(_, l)| {
        let l = l.trim_start();
        l.starts_with("from flask import") || l.starts_with("import flask")
    });
    let Some((line, import_text)) = import else {
        return Started::Unmodelled(format!("layerlab: {path} is a Python program the simulator cannot run (only Flask apps are modelled)"));
    };
    if !flask_installed(fs, interpreter) {
        return Started::Exited {
            output: format!("Traceback (most recent call last):\n  File \"{path}\", line {}, in <module>\n    {}\nModuleNotFoundError: No module named 'flask'\n", line + 1, import_text.trim()),
            code: 1,
        };
    }
    let (host, port) = match cli {
        Some((host, port)) => (host, port.unwrap_or(5000)),
        None => {
            let Some(call) = as_script.then(|| source.split("app.run(").nth(1)).flatten() else { return Started::Exited { output: String::new(), code: 0 } };
            let args = call.split(')').next().unwrap_or("");
            let value = |key: &str| args.split(',').find_map(|a| a.trim().strip_prefix(key).map(|v| v.trim_start_matches([' ', '=']).trim().trim_matches(['"', '\'']).to_string()));
            (value("host").unwrap_or_else(|| "127.0.0.1".into()), value("port").and_then(|p| p.parse().ok()).unwrap_or(5000))
        }
    };
    let all_addresses = host == "0.0.0.0";
    let mut lines = vec![format!(" * Serving Flask app '{name}'"), " * Debug mode: off".to_string(), "WARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead.".to_string()];
    if all_addresses {
        lines.push(" * Running on all addresses (0.0.0.0)".into());
        lines.push(format!(" * Running on http://127.0.0.1:{port}"));
        lines.push(format!(" * Running on http://{CONTAINER_IP}:{port}"));
    } else {
        lines.push(format!(" * Running on http://{host}:{port}"));
    }
    lines.push("Press CTRL+C to quit".into());
    Started::Serving { lines, port, all_addresses }
}

/// Flask in the site-packages the interpreter reads: a venv's own (found by `pyvenv.cfg`
/// beside its `bin`), else the system's.
fn flask_installed(fs: &Snapshot, interpreter: &str) -> bool {
    let venv = interpreter.rsplit_once("/bin/").map(|(root, _)| root.to_string()).filter(|root| fs.get(&format!("{root}/pyvenv.cfg"), true).is_ok());
    let roots: Vec<String> = match venv {
        Some(root) => vec![format!("{root}/lib")],
        None => vec!["/usr/local/lib".into(), "/usr/lib".into()],
    };
    roots.iter().any(|root| {
        let Ok(Node::Dir(lib)) = fs.get(root, true) else { return false };
        lib.children.keys().filter(|n| n.starts_with("python3")).any(|py| {
            ["site-packages", "dist-packages"].iter().any(|site| fs.get(&format!("{root}/{py}/{site}/flask/__init__.py"), true).is_ok())
        })
    })
}
