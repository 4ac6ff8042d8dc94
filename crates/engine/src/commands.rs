//! The daemon's image commands as the docker CLI prints them: `docker images`, `docker
//! history` (with `--no-trunc`, `--human=false`, `--format`) and `docker image inspect`.
//! The native CLI and the page's terminal both print these strings.

use layerlab_image::history::{created_by_cell, id_cell, render, tabwrite, Row};
use layerlab_image::identity::short_id;
use layerlab_image::units::{human_duration, human_size_with_precision};
use layerlab_shell::commands::calendar::parse_rfc3339;

use crate::state::HistoryRow;
use crate::store::{familiar, ImageStore};

/// `docker history`'s flags.
#[derive(Debug, Clone)]
pub struct HistoryOptions {
    pub no_trunc: bool,
    pub human: bool,
    pub format: Option<String>,
}

impl Default for HistoryOptions {
    fn default() -> HistoryOptions {
        HistoryOptions { no_trunc: false, human: true, format: None }
    }
}

fn age(created: i64, now: i64) -> String {
    format!("{} ago", human_duration(now - created))
}

/// `docker images`.
pub fn images(store: &ImageStore, now: i64) -> String {
    let mut cells = vec![["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"].map(String::from).to_vec()];
    for (repo, tag, image) in store.listing() {
        cells.push(vec![repo, tag, short_id(&image.id).to_string(), age(image.created, now), human_size_with_precision(image.size() as f64, 3)]);
    }
    tabwrite(&cells, 10, 3)
}

/// `docker history NAME`.
pub fn history(store: &ImageStore, name: &str, c: &HistoryOptions, now: i64) -> Result<String, String> {
    let image = store.get(name)?;
    let rows = &image.state.history;
    let last = rows.len().saturating_sub(1);
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
    Ok(match &c.format {
        Some(format) => formatted(format, &table, rows, c),
        None if c.human => render(&table, c.no_trunc),
        None => raw_table(&table, rows, c.no_trunc),
    })
}

/// `--human=false`: CREATED as RFC 3339, SIZE in bytes.
fn raw_table(table: &[Row], rows: &[HistoryRow], no_trunc: bool) -> String {
    let mut cells = vec![["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"].map(String::from).to_vec()];
    for (row, r) in table.iter().zip(rows.iter().rev()) {
        let (id, by) = (id_cell(row.id.as_deref(), no_trunc), created_by_cell(&row.created_by, no_trunc));
        cells.push(vec![id, r.entry.created.clone(), by, row.size.to_string(), row.comment.clone()]);
    }
    tabwrite(&cells, 10, 3)
}

/// `--format`: Go-template fields substituted per row (`\t` and `\n` as Docker reads them);
/// a `table ` prefix adds the header row and aligns the columns.
fn formatted(format: &str, table: &[Row], rows: &[HistoryRow], c: &HistoryOptions) -> String {
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
            "CreatedBy" => created_by_cell(&row.created_by, c.no_trunc),
            "Size" if c.human => human_size_with_precision(row.size as f64, 3),
            "Size" => row.size.to_string(),
            "Comment" => row.comment.clone(),
            other => format!("<no value: {other}>"),
        }));
    }
    if is_table {
        let cells: Vec<Vec<String>> = lines.iter().map(|l| l.split('\t').map(String::from).collect()).collect();
        return tabwrite(&cells, 10, 3);
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

/// `docker image inspect NAME`: the JSON array, four-space indented as Docker prints it.
pub fn inspect(store: &ImageStore, name: &str) -> Result<String, String> {
    let image = store.get(name)?;
    let repo_tags = store
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
    Ok(format!("{}\n", String::from_utf8_lossy(&out)))
}
