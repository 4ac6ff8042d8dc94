//! `docker history` as the CLI prints it: the `IMAGE  CREATED  CREATED BY  SIZE  COMMENT`
//! table through Go's tabwriter (minimum width 10, padding 3, every cell but the last of a
//! line padded), CREATED BY with tabs as spaces and cut to 45 columns as 44 plus `…`.

use crate::identity::short_id;
use crate::units::{human_duration, human_size_with_precision};

/// One history entry, newest first when rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The image ID for the top row, `None` for `<missing>`.
    pub id: Option<String>,
    /// Seconds between the entry's creation and now; `None` for a time before 2000 (`N/A`).
    pub age: Option<i64>,
    pub created_by: String,
    /// 0 for empty layers.
    pub size: u64,
    pub comment: String,
}

/// The whole table, one `\n`-terminated line per row, header first.
pub fn render(rows: &[Row], no_trunc: bool) -> String {
    let mut lines = vec![vec!["IMAGE".to_string(), "CREATED".into(), "CREATED BY".into(), "SIZE".into(), "COMMENT".into()]];
    for row in rows {
        let created = row.age.map_or("N/A".to_string(), |s| format!("{} ago", human_duration(s)));
        lines.push(vec![id_cell(row.id.as_deref(), no_trunc), created, created_by_cell(&row.created_by, no_trunc), human_size_with_precision(row.size as f64, 3), row.comment.clone()]);
    }
    tabwrite(&lines, 10, 3)
}

/// The IMAGE cell: the ID (12 hex characters unless `--no-trunc`), or `<missing>`.
pub fn id_cell(id: Option<&str>, no_trunc: bool) -> String {
    match id {
        Some(id) if no_trunc => id.to_string(),
        Some(id) => short_id(id).to_string(),
        None => "<missing>".into(),
    }
}

/// The CREATED BY cell: tabs as spaces, cut to 45 columns unless `--no-trunc`.
pub fn created_by_cell(created_by: &str, no_trunc: bool) -> String {
    let text = created_by.replace('\t', " ");
    if no_trunc { text } else { ellipsis(&text, 45) }
}

/// docker/cli `stringutils.Ellipsis`: at most `max` columns, the last one `…` when cut.
fn ellipsis(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// Go text/tabwriter over cells (widths in runes): each column as wide as its widest cell
/// plus `padding`, at least `min_width`; the last cell of a line is not padded.
pub fn tabwrite(lines: &[Vec<String>], min_width: usize, padding: usize) -> String {
    let columns = lines.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns.saturating_sub(1))
        .map(|c| {
            let widest = lines.iter().filter_map(|l| l.get(c)).map(|s| s.chars().count()).max().unwrap_or(0);
            (widest + padding).max(min_width)
        })
        .collect();
    let mut out = String::new();
    for line in lines {
        for (c, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if c + 1 < line.len() {
                out.extend(std::iter::repeat_n(' ', widths[c] - cell.chars().count()));
            }
        }
        out.push('\n');
    }
    out
}
