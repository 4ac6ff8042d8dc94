//! `docker run`: what Docker checks before it starts a container (the image, the command,
//! `-p` syntax), then what the process prints where the simulator models it (`container`:
//! Flask's development server, Python's errors), and a `layerlab:` line for the rest.

use super::container::{self, Started};
use super::containers::{self, Container};
use super::{container_id, flag, Output};
use crate::session::Session;
use crate::store::normalise;

#[derive(Default)]
struct RunOptions {
    detach: bool,
    publish: Vec<(String, String)>,
    entrypoint: Option<String>,
    image: Option<String>,
    args: Vec<String>,
}

pub fn run(args: &[String], session: &mut Session, now: i64) -> Output {
    let o = match parse(args) {
        Ok(o) => o,
        Err(e) => return Output::fail(format!("docker: {e}\nSee 'docker run --help'.")),
    };
    let Some(name) = o.image.clone() else {
        return Output::fail("docker: 'docker run' requires at least 1 argument\nSee 'docker run --help'.".into());
    };
    let Some(image) = session.store.lookup(&name) else {
        return not_found(&name);
    };
    let run = &image.config.config;
    let entrypoint: Vec<String> = match &o.entrypoint {
        Some(e) if e.is_empty() => Vec::new(),
        Some(e) => vec![e.clone()],
        None => run.entrypoint.clone().unwrap_or_default(),
    };
    // Arguments replace CMD; an --entrypoint flag also drops the image's CMD.
    let cmd = if !o.args.is_empty() || o.entrypoint.is_some() { o.args.clone() } else { run.cmd.clone().unwrap_or_default() };
    let argv: Vec<String> = entrypoint.into_iter().chain(cmd).collect();
    if argv.is_empty() {
        return Output::fail("docker: Error response from daemon: no command specified.\nSee 'docker run --help'.".into());
    }
    let id = container_id(&format!("{}{now}{}{}", image.id, args.join(" "), session.containers.len()));
    let started = container::start(&image, &argv);
    let (logs, exited) = match &started {
        Started::Serving { lines, .. } => (lines.join("\n") + "\n", None),
        Started::Exited { output, code } if !output.starts_with("docker: ") => (output.clone(), Some((*code, now))),
        Started::Unmodelled(_) => (String::new(), None),
        Started::Exited { .. } => (String::new(), Some((127, now))),
    };
    session.containers.push(Container { id: id.clone(), name: containers::name_for(&id), image: name.clone(), command: argv.join(" "), created: now, ports: o.publish.clone(), logs, exited });
    match started {
        Started::Serving { lines, port, all_addresses } => {
            let published: Vec<&String> = o.publish.iter().filter(|(_, c)| c.split('/').next() == Some(port.to_string().as_str())).map(|(h, _)| h).collect();
            let mut note = format!("layerlab: the container keeps running, the server on port {port}");
            if let Some(host) = published.first() {
                note.push_str(&format!(", published on host port {host}"));
            }
            note.push_str(if o.detach { ".\n" } else { ". Docker's terminal stays attached until Ctrl+C; this one returns.\n" });
            if !all_addresses && !o.publish.is_empty() {
                note.push_str("layerlab: the app listens on 127.0.0.1 inside the container, so the published port reaches nothing; bind it to 0.0.0.0 (app.run(host=\"0.0.0.0\"), or flask run --host=0.0.0.0).\n");
            }
            let text = if o.detach { format!("{id}\n{note}") } else { format!("{}\n{note}", lines.join("\n")) };
            Output::ok(text)
        }
        Started::Exited { output, code } if output.starts_with("docker: ") => Output { exit: code, ..Output::fail(output) },
        Started::Exited { output, code } => {
            let text = if o.detach {
                let first = output.lines().last().unwrap_or("");
                format!("{id}\nlayerlab: the container exited at once with code {code}{}\n", if first.is_empty() { String::new() } else { format!(": {first}") })
            } else {
                output
            };
            Output { text, exit: if o.detach { 0 } else { code }, ..Output::default() }
        }
        Started::Unmodelled(why) => {
            let note = format!(
                "{why}. It would run {} as {}.\n",
                serde_json::to_string(&argv).unwrap_or_default(),
                if run.user.is_empty() { "root" } else { run.user.as_str() },
            );
            Output::ok(if o.detach { format!("{id}\n{note}") } else { note })
        }
    }
}

fn parse(args: &[String]) -> Result<RunOptions, String> {
    let mut o = RunOptions::default();
    let mut i = 0;
    while i < args.len() {
        if o.image.is_some() {
            o.args.push(args[i].clone());
        } else if let Some(v) = flag(args, &mut i, &["-p", "--publish"]) {
            o.publish.push(publish(&v?)?);
        } else if let Some(v) = flag(args, &mut i, &["--entrypoint"]) {
            o.entrypoint = Some(v?);
        } else if let Some(v) = flag(args, &mut i, &["--name", "-e", "--env", "-v", "--volume", "-w", "--workdir", "-u", "--user", "--network"]) {
            v?;
        } else if args[i].starts_with('-') && args[i].len() > 1 {
            short_flags(&args[i], &mut o)?;
        } else {
            o.image = Some(args[i].clone());
        }
        i += 1;
    }
    Ok(o)
}

/// `-d`, `--detach`, `-it`, `--rm` and the like.
fn short_flags(arg: &str, o: &mut RunOptions) -> Result<(), String> {
    match arg {
        "-d" | "--detach" => o.detach = true,
        "--rm" | "-i" | "-t" | "-it" | "-ti" | "--interactive" | "--tty" => {}
        "-dit" | "-itd" | "-di" | "-dt" => o.detach = true,
        other => return Err(format!("unknown flag: {other}")),
    }
    Ok(())
}

/// `5001:5000`, `127.0.0.1:5001:5000`, `5000` (a random host port) or `5000/udp`.
fn publish(spec: &str) -> Result<(String, String), String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let (host, container) = match parts.as_slice() {
        [container] => ("random", *container),
        [host, container] | [_, host, container] => (*host, *container),
        _ => return Err(format!("invalid argument \"{spec}\" for \"-p, --publish\" flag: invalid proto: {spec}")),
    };
    let number = container.split('/').next().unwrap_or("");
    if number.parse::<u16>().is_err() || (host != "random" && !host.is_empty() && host.parse::<u16>().is_err()) {
        return Err(format!("invalid argument \"{spec}\" for \"-p, --publish\" flag: Invalid containerPort: {number}"));
    }
    Ok((if host.is_empty() { "random".into() } else { host.to_string() }, container.to_string()))
}

/// An image that is not in the session: Docker would pull it; the page cannot, and says so
/// rather than guess whether the registry has it.
fn not_found(name: &str) -> Output {
    let full = normalise(name).unwrap_or_else(|_| name.to_string());
    let shown = full.strip_prefix("docker.io/library/").or_else(|| full.strip_prefix("docker.io/")).unwrap_or(&full);
    let repo = shown.rsplit_once(':').map_or(shown, |(r, _)| r);
    Output::fail(format!(
        "Unable to find image '{shown}' locally\nlayerlab: pulling is not simulated; the page runs images built in this session (`docker build -t {repo} .`)"
    ))
}
