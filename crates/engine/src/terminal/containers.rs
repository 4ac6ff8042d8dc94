//! The containers `docker run` started in this session: `docker ps`, `docker logs` and
//! `docker stop` over them. What runs in them is `container`'s model; names are chosen
//! from the container ID as Docker chooses a random adjective_name.

use layerlab_image::history::tabwrite;
use layerlab_image::units::human_duration;

use super::Output;
use crate::session::Session;

#[derive(Debug, Clone)]
pub struct Container {
    pub id: String,
    pub name: String,
    /// The image as `docker run` named it.
    pub image: String,
    /// The process's argv joined, as `docker ps` shows it.
    pub command: String,
    pub created: i64,
    /// Published ports: (host, container) as `-p` gave them.
    pub ports: Vec<(String, String)>,
    pub logs: String,
    /// `None` while it runs; the exit code and when it ended.
    pub exited: Option<(i32, i64)>,
}

const ADJECTIVES: [&str; 16] = ["brave", "calm", "eager", "fervent", "gentle", "happy", "jolly", "keen", "lucid", "merry", "nifty", "quirky", "serene", "tender", "upbeat", "vibrant"];
const NAMES: [&str; 16] = ["hopper", "lovelace", "turing", "noether", "curie", "babbage", "ritchie", "thompson", "liskov", "hamilton", "knuth", "dijkstra", "torvalds", "wozniak", "kare", "allen"];

/// A name for a new container, picked by its ID.
pub fn name_for(id: &str) -> String {
    let n = u32::from_str_radix(&id[..4], 16).unwrap_or(0) as usize;
    format!("{}_{}", ADJECTIVES[n % 16], NAMES[(n / 16) % 16])
}

fn find<'a>(session: &'a mut Session, key: &str) -> Option<&'a mut Container> {
    session.containers.iter_mut().find(|c| c.name == key || (key.len() >= 3 && c.id.starts_with(key)))
}

/// `docker ps [-a]`.
pub fn ps(args: &[String], session: &Session, now: i64) -> Output {
    let all = args.iter().any(|a| a == "-a" || a == "--all");
    let mut cells = vec![["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"].map(String::from).to_vec()];
    for c in session.containers.iter().rev().filter(|c| all || c.exited.is_none()) {
        let command = if c.command.chars().count() > 20 { format!("{}…", c.command.chars().take(19).collect::<String>()) } else { c.command.clone() };
        let status = match c.exited {
            None => format!("Up {}", human_duration(now - c.created)),
            Some((code, at)) => format!("Exited ({code}) {} ago", human_duration(now - at)),
        };
        let ports = match c.exited {
            None => c.ports.iter().map(|(h, p)| format!("0.0.0.0:{h}->{p}/tcp, [::]:{h}->{p}/tcp")).collect::<Vec<_>>().join(", "),
            Some(_) => String::new(),
        };
        cells.push(vec![c.id[..12].to_string(), c.image.clone(), format!("\"{command}\""), format!("{} ago", human_duration(now - c.created)), status, ports, c.name.clone()]);
    }
    Output::ok(tabwrite(&cells, 10, 3))
}

/// `docker logs CONTAINER`.
pub fn logs(args: &[String], session: &mut Session) -> Output {
    let Some(key) = args.iter().find(|a| !a.starts_with('-')) else { return Output::fail("docker: 'docker logs' requires exactly 1 argument.\nSee 'docker logs --help'.".into()) };
    match find(session, key) {
        Some(c) => Output::ok(c.logs.clone()),
        None => Output::fail(format!("Error response from daemon: No such container: {key}")),
    }
}

/// `docker stop CONTAINER...`: the process gets SIGTERM; a Python server running as PID 1
/// has no handler for it, so Docker kills it after its 10 s grace period (exit 137).
pub fn stop(args: &[String], session: &mut Session, now: i64) -> Output {
    let mut text = String::new();
    for key in args.iter().filter(|a| !a.starts_with('-')) {
        match find(session, key) {
            Some(c) => {
                if c.exited.is_none() {
                    c.exited = Some((137, now + 10));
                }
                text.push_str(&format!("{key}\n"));
            }
            None => return Output::fail(format!("{text}Error response from daemon: No such container: {key}")),
        }
    }
    if !text.is_empty() {
        text.push_str("layerlab: the server ignored SIGTERM (PID 1 without a handler), so Docker killed it after 10 seconds: exit code 137.\n");
    }
    Output::ok(text)
}
