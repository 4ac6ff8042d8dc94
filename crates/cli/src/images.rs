//! The session's image commands: `images`, `history`, `inspect`, `tag`, `rmi`, with
//! Docker's flags and output.

use std::path::PathBuf;

use layerlab_engine::store::{familiar, Image};
use layerlab_image::history::{created_by_cell, id_cell, render, Row};
use layerlab_image::identity::short_id;
use layerlab_image::units::{human_duration, human_size_with_precision};
use layerlab_shell::commands::calendar::parse_rfc3339;

use crate::build::{flag_value, now, state_dir};
use crate::state::{Event, State};

struct Common {
    state: Option<PathBuf>,
    no_trunc: bool,
    human: bool,
    format: Option<String>,
    rest: Vec<String>,
}

fn parse(args: &[String]) -> Result<Common, String> {
    let mut c = Common { state: None, no_trunc: false, human: true, format: None, rest: Vec::new() };
    let mut i = 0;
    while i < args.len() {
        if let Some(v) = flag_value(args, &mut i, "--state") {
            c.state = Some(PathBuf::from(v?));
        } else if let Some(v) = flag_value(args, &mut i, "--format") {
            c.format = Some(v?);
        } else if args[i] == "--no-trunc" {
            c.no_trunc = true;
        } else if let Some(v) = args[i].strip_prefix("--human=") {
            c.human = v.parse().map_err(|_| format!("invalid argument \"{v}\" for \"-H, --human\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax"))?;
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
        ("images", []) => images(&state),
        ("history", [name]) => history(&state, name, &c),
        ("inspect", [name]) => inspect(&state, name),
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
        _ => Err(format!("\"docker {command}\" got the wrong number of arguments")),
    }
}

fn lookup(state: &State, name: &str) -> Result<std::sync::Arc<Image>, String> {
    state.session.store.lookup(name).ok_or_else(|| format!("Error response from daemon: No such image: {name}"))
}

fn age(created: i64) -> String {
    format!("{} ago", human_duration(now() - created))
}

fn images(state: &State) -> Result<(), String> {
    let mut cells = vec![["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"].map(String::from).to_vec()];
    for (repo, tag, image) in state.session.store.listing() {
        cells.push(vec![repo, tag, short_id(&image.id).to_string(), age(image.created), human_size_with_precision(image.size() as f64, 3)]);
    }
    print!("{}", layerlab_image::history::tabwrite(&cells, 10, 3));
    Ok(())
}

fn history(state: &State, name: &str, c: &Common) -> Result<(), String> {
    let image = lookup(state, name)?;
    let rows = &image.state.history;
    let last = rows.len().saturating_sub(1);
    let now = now();
    let table: Vec<Row> = rows
        .iter()
        .enumerate()
        .rev()
        .map(|(i, r)| Row {
            id: if i == last { Some(image.id.clone()) } else { r.image_id.clone() },
            age: parse_rfc3339(&r.entry.created).filter(|t| *t >= 946_684_800).map(|t| now - t),
            created_by: r.entry.created_by.clone(),
            size: r.size,
            comment: r.entry.comment.clone(),
        })
        .collect();
    match &c.format {
        Some(format) => print!("{}", formatted(format, &table, rows, c)),
        None if c.human => print!("{}", render(&table, c.no_trunc)),
        None => print!("{}", raw_table(&table, rows, c.no_trunc)),
    }
    Ok(())
}

/// `--human=false`: CREATED as RFC 3339, SIZE in bytes.
fn raw_table(table: &[Row], rows: &[layerlab_engine::state::HistoryRow], no_trunc: bool) -> String {
    let mut cells = vec![["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"].map(String::from).to_vec()];
    for (row, r) in table.iter().zip(rows.iter().rev()) {
        let (id, by) = (id_cell(row.id.as_deref(), no_trunc), created_by_cell(&row.created_by, no_trunc));
        cells.push(vec![id, r.entry.created.clone(), by, row.size.to_string(), row.comment.clone()]);
    }
    layerlab_image::history::tabwrite(&cells, 10, 3)
}

/// `--format`: Go-template fields substituted per row (`\t` and `\n` as Docker reads them);
/// a `table ` prefix adds the header row and aligns the columns.
fn formatted(format: &str, table: &[Row], rows: &[layerlab_engine::state::HistoryRow], c: &Common) -> String {
    let format = format.replace("\\t", "\t").replace("\\n", "\n");
    let (is_table, template) = match format.strip_prefix("table") {
        Some(rest) => (true, rest.trim_start().to_string()),
        None => (false, format),
    };
    let mut lines = Vec::new();
    if is_table {
        lines.push(fill(&template, &|field| match field {
            "ID" => "IMAGE".into(),
            "CreatedSince" | "CreatedAt" => "CREATED".into(),
            "CreatedBy" => "CREATED BY".into(),
            other => other.to_uppercase(),
        }));
    }
    for (row, r) in table.iter().zip(rows.iter().rev()) {
        lines.push(fill(&template, &|field| match field {
            "ID" => id_cell(row.id.as_deref(), c.no_trunc),
            "CreatedSince" => row.age.map_or("N/A".into(), |a| format!("{} ago", human_duration(a))),
            "CreatedAt" => r.entry.created.clone(),
            "CreatedBy" => row.created_by.clone(),
            "Size" if c.human => human_size_with_precision(row.size as f64, 3),
            "Size" => row.size.to_string(),
            "Comment" => row.comment.clone(),
            other => format!("<no value: {other}>"),
        }));
    }
    if is_table {
        let cells: Vec<Vec<String>> = lines.iter().map(|l| l.split('\t').map(String::from).collect()).collect();
        return layerlab_image::history::tabwrite(&cells, 10, 3);
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn fill(template: &str, value: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find("}}") else { break };
        let field = rest[start + 2..start + end].trim().trim_start_matches('.');
        out.push_str(&value(field));
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out
}

/// `docker image inspect`'s object, keys in Docker's order.
#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct Inspect<'a> {
    id: &'a str,
    repo_tags: Vec<String>,
    repo_digests: Vec<String>,
    parent: &'a str,
    comment: String,
    created: &'a str,
    docker_version: &'a str,
    author: &'a str,
    config: &'a layerlab_image::config::RunConfig,
    architecture: &'a str,
    os: &'a str,
    size: u64,
    #[serde(rename = "RootFS")]
    root_fs: RootFs<'a>,
    metadata: Metadata,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct RootFs<'a> {
    #[serde(rename = "Type")]
    kind: &'a str,
    layers: &'a [String],
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct Metadata {
    last_tag_time: &'static str,
}

fn inspect(state: &State, name: &str) -> Result<(), String> {
    let image = lookup(state, name)?;
    let repo_tags = state
        .session
        .store
        .tags_of(&image.id)
        .iter()
        .map(|t| {
            let (repo, tag) = familiar(t);
            format!("{repo}:{tag}")
        })
        .collect();
    let value = [Inspect {
        id: &image.id,
        repo_tags,
        repo_digests: Vec::new(),
        parent: "",
        comment: image.state.history.last().map(|r| r.entry.comment.clone()).unwrap_or_default(),
        created: &image.config.created,
        docker_version: "",
        author: &image.config.author,
        config: &image.config.config,
        architecture: &image.config.architecture,
        os: &image.config.os,
        size: image.size(),
        root_fs: RootFs { kind: "layers", layers: &image.config.rootfs.diff_ids },
        metadata: Metadata { last_tag_time: "0001-01-01T00:00:00Z" },
    }];
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, serde_json::ser::PrettyFormatter::with_indent(b"    "));
    serde::Serialize::serialize(&value, &mut ser).map_err(|e| e.to_string())?;
    println!("{}", String::from_utf8_lossy(&out));
    Ok(())
}
