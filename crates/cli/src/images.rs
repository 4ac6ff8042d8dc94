//! The session's image commands: `images`, `history`, `inspect`, `tag`, `rmi`, `save`, with
//! Docker's flags and output.

use std::path::PathBuf;

use layerlab_engine::commands::{self, HistoryOptions};

use layerlab_engine::terminal::flag;

use crate::build::{now, state_dir};
use crate::state::{Event, State};

struct Common {
    state: Option<PathBuf>,
    output: Option<PathBuf>,
    history: HistoryOptions,
    rest: Vec<String>,
}

fn parse(args: &[String]) -> Result<Common, String> {
    let mut c = Common { state: None, output: None, history: HistoryOptions::default(), rest: Vec::new() };
    let mut i = 0;
    while i < args.len() {
        if let Some(v) = flag(args, &mut i, &["--state"]) {
            c.state = Some(PathBuf::from(v?));
        } else if let Some(v) = flag(args, &mut i, &["-o", "--output"]) {
            c.output = Some(PathBuf::from(v?));
        } else if let Some(v) = flag(args, &mut i, &["--format"]) {
            c.history.format = Some(v?);
        } else if args[i] == "--no-trunc" {
            c.history.no_trunc = true;
        } else if let Some(v) = args[i].strip_prefix("--human=") {
            c.history.human = v.parse().map_err(|_| format!("invalid argument \"{v}\" for \"-H, --human\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax"))?;
        } else if args[i].starts_with("--") {
            return Err(format!("unknown flag: {}", args[i]));
        } else {
            c.rest.push(args[i].clone());
        }
        i += 1;
    }
    Ok(c)
}

pub fn run(command: &str, args: &[String]) -> Result<(), String> {
    let c = parse(args)?;
    let mut state = State::open(&state_dir(c.state.clone()))?;
    match (command, c.rest.as_slice()) {
        ("images", []) => {
            print(commands::images(&state.session.store, now()));
            Ok(())
        }
        ("history", [name]) => commands::history(&state.session.store, name, &c.history, now()).map(print),
        ("inspect", [name]) => commands::inspect(&state.session.store, name).map(print),
        ("tag", [source, target]) => {
            state.session.tag(source, target)?;
            state.record(Event::Tag { source: source.clone(), target: target.clone() })
        }
        ("rmi", [name]) => {
            let lines = state.session.store.remove(name)?;
            state.record(Event::Rmi { name: name.clone() })?;
            lines.iter().for_each(|l| println!("{l}"));
            Ok(())
        }
        ("save", names) if !names.is_empty() => save(&state, names, c.output.as_deref()),
        _ => Err(format!("\"docker {command}\" got the wrong number of arguments")),
    }
}

fn print(text: String) {
    print!("{text}");
}

/// `docker save [-o FILE] IMAGE...`: the archive streams to the file, or to stdout when it
/// is not a terminal (Docker refuses to write a tar to a terminal).
fn save(state: &State, names: &[String], output: Option<&std::path::Path>) -> Result<(), String> {
    // Docker asks the daemon first and opens the file only for an archive that exists.
    for name in names {
        state.session.store.get(name)?;
    }
    let out = crate::archive_output(output, "failed to save image: ", "cowardly refusing to save to a terminal. Use the -o flag or redirect")?;
    crate::finish_archive(layerlab_engine::export::save(&state.session.store, names, out)?)
}

/// `layerlab run ...` and `layerlab push NAME`: Docker's flags pass through to the same
/// code the page's terminal runs; `--state DIR` picks the session.
pub fn container(command: &str, args: &[String]) -> Result<(), String> {
    let (mut state_path, mut rest) = (None, Vec::new());
    let mut i = 0;
    while i < args.len() {
        match flag(args, &mut i, &["--state"]) {
            Some(v) => state_path = Some(PathBuf::from(v?)),
            None => rest.push(args[i].clone()),
        }
        i += 1;
    }
    // Containers are not kept between CLI runs: `run` works on this process's session.
    let mut state = State::open(&state_dir(state_path))?;
    let out = match command {
        "run" => layerlab_engine::terminal::run_container(&rest, &mut state.session, now()),
        _ => layerlab_engine::terminal::push(&rest, &state.session),
    };
    if out.exit == 0 {
        print(out.text);
        Ok(())
    } else {
        eprint!("{}", out.text);
        Err(String::new())
    }
}
