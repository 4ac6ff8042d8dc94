//! Files: a dive-like tree of the image at the selected layer (added, modified and removed
//! marks, folder sizes, sort by size, filter), and the wasted bytes tied to the lines that
//! added them and the lines that hid them.

use std::collections::HashSet;
use std::rc::Rc;

use layerlab_engine::files::{tree_at, FileRow, Mark, Order};
use layerlab_image::fs::Wasted;
use layerlab_image::units::human_size_with_precision;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{layer_lines, LineLink, PanelProps};

/// Above this many changed entries a layer's folders start collapsed (a base layer adds
/// thousands of files).
const AUTO_EXPAND: usize = 300;
/// Wasted files listed, largest first.
const WASTED_SHOWN: usize = 40;

fn size(bytes: u64) -> String {
    human_size_with_precision(bytes as f64, 3)
}

#[function_component(FilesPanel)]
pub fn files_panel(props: &PanelProps) -> Html {
    let page = &props.page;
    let selected = use_state(|| None::<usize>);
    let by_size = use_state(|| false);
    let filter = use_state(String::new);
    // Folders the user opened or closed, against their default state.
    let toggled = use_state(HashSet::<String>::new);
    let image = page.build.report.image.as_ref().and_then(|id| page.daemon.borrow().session.store.lookup(id));
    let layer_count = image.as_ref().map_or(0, |i| i.state.layers.len());
    let layer = selected.filter(|l| *l < layer_count).unwrap_or(layer_count.saturating_sub(1));
    let order = if *by_size { Order::Size } else { Order::Name };
    let rows = {
        let image = image.clone();
        use_memo((page.build.serial, layer, *by_size), move |_| image.map(|i| tree_at(&i, layer, order)).unwrap_or_default())
    };
    // Largest first; computed once per build, not on every render of the panel.
    let hidden = {
        let image = image.clone();
        use_memo(page.build.serial, move |_| {
            let mut items = image.map(|i| i.wasted()).unwrap_or_default();
            items.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
            items
        })
    };
    let Some(image) = image else {
        return html! { <p class="muted">{ "No image yet: the build has not finished. The Output panel says why." }</p> };
    };
    let lines = layer_lines(&page.build.report, &image);
    let on_layer = {
        let (selected, toggled) = (selected.clone(), toggled.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            selected.set(select.value().parse().ok());
            toggled.set(HashSet::new());
        })
    };
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| filter.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_sort = {
        let by_size = by_size.clone();
        Callback::from(move |_| by_size.set(!*by_size))
    };
    let layer_options = image.rows().filter_map(|(row, l)| l.map(|l| (row, l))).map(|(row, l)| {
        let line = lines.get(l).copied().flatten().map_or("base image".to_string(), |n| format!("line {n}"));
        let label = format!("Layer {} · {} · {line} · {}", l + 1, size(row.size), truncate(&row.entry.created_by, 60));
        html! { <option value={l.to_string()} selected={l == layer}>{ label }</option> }
    });
    let visible = visible_rows(&rows, &toggled, &filter);
    html! {
        <div class="files-panel">
            <div class="toolbar">
                <label class="field">{ "Layer " }
                    <select aria-label="Layer" onchange={on_layer}>{ for layer_options }</select>
                </label>
                <input class="filter" type="search" placeholder="Filter paths" aria-label="Filter paths" value={(*filter).clone()} oninput={on_filter} />
                <button class="segment" aria-pressed={by_size.to_string()} onclick={on_sort}>{ "Sort by size" }</button>
            </div>
            <p class="legend">
                <span class="mark mark-added">{ "A" }</span>{ " added " }
                <span class="mark mark-modified">{ "M" }</span>{ " modified " }
                <span class="mark mark-removed">{ "D" }</span>{ " removed in this layer · " }
                <span class="hidden-later">{ "deleted later" }</span>{ " = wasted bytes" }
            </p>
            <ul class="tree" role="tree" aria-label="Files at the selected layer">
                { for visible.iter().map(|(row, open)| tree_row(row, *open, &toggled, &lines)) }
            </ul>
            { wasted(page, &hidden, &lines) }
        </div>
    }
}

/// The rows to draw with whether each folder is open: children of closed folders are
/// skipped; a filter shows matching paths and their folders.
fn visible_rows<'a>(rows: &'a Rc<Vec<FileRow>>, toggled: &HashSet<String>, filter: &str) -> Vec<(&'a FileRow, bool)> {
    let changes = rows.iter().filter(|r| r.mark != Mark::Unchanged).count();
    let auto = changes <= AUTO_EXPAND;
    let filter = filter.trim();
    // With a filter: the matching paths and every folder above one.
    let mut shown: HashSet<&str> = HashSet::new();
    if !filter.is_empty() {
        for row in rows.iter().filter(|r| r.path.contains(filter)) {
            let mut path = row.path.as_str();
            shown.insert(path);
            while let Some((parent, _)) = path.rsplit_once('/') {
                shown.insert(parent);
                path = parent;
            }
        }
    }
    let mut out = Vec::new();
    let mut closed_depth: Option<usize> = None;
    for row in rows.iter() {
        if filter.is_empty() {
            if closed_depth.is_some_and(|d| row.depth > d) {
                continue;
            }
            closed_depth = None;
            let open = row.is_dir && ((auto && row.changed_below) != toggled.contains(&row.path));
            if row.is_dir && !open {
                closed_depth = Some(row.depth);
            }
            out.push((row, open));
        } else if shown.contains(row.path.as_str()) {
            out.push((row, row.is_dir));
        }
    }
    out
}

fn tree_row(row: &FileRow, open: bool, toggled: &UseStateHandle<HashSet<String>>, lines: &[Option<usize>]) -> Html {
    let onclick = {
        let (toggled, path) = (toggled.clone(), row.path.clone());
        Callback::from(move |_| {
            let mut set = (*toggled).clone();
            if !set.remove(&path) {
                set.insert(path.clone());
            }
            toggled.set(set);
        })
    };
    let (mark, mark_class) = match row.mark {
        Mark::Added => ("A", "mark mark-added"),
        Mark::Modified => ("M", "mark mark-modified"),
        Mark::Removed => ("D", "mark mark-removed"),
        Mark::Unchanged => ("", "mark"),
    };
    let indent = format!("padding-left: {}px", row.depth * 16);
    let hidden = row.hidden_by.map(|l| match lines.get(l).copied().flatten() {
        Some(line) => format!("deleted later (line {line})"),
        None => "deleted later".to_string(),
    });
    html! {
        <li role="treeitem" aria-level={(row.depth + 1).to_string()} aria-expanded={row.is_dir.then(|| open.to_string())}
            class={classes!("tree-row", (row.mark == Mark::Removed).then_some("tree-removed"))} data-path={row.path.clone()}>
            <span class={mark_class} title={mark_title(row.mark)}>{ mark }</span>
            <span class="tree-size">{ size(row.size) }</span>
            <span class="tree-name" style={indent}>
                if row.is_dir {
                    <button class="tree-toggle" {onclick} aria-label={format!("{} {}", if open { "Close" } else { "Open" }, row.path)}>
                        { if open { "▾ " } else { "▸ " } }{ row.name() }{ "/" }
                    </button>
                } else {
                    { row.name() }
                }
            </span>
            { for hidden.map(|h| html! { <span class="hidden-later">{ h }</span> }) }
        </li>
    }
}

fn mark_title(mark: Mark) -> &'static str {
    match mark {
        Mark::Added => "added in this layer",
        Mark::Modified => "modified in this layer",
        Mark::Removed => "removed in this layer (a whiteout); its bytes still ship in the layer that added it",
        Mark::Unchanged => "",
    }
}

fn wasted(page: &UseReducerHandle<crate::state::Playground>, items: &[Wasted], lines: &[Option<usize>]) -> Html {
    if items.is_empty() {
        return html! { <p class="muted">{ "No wasted bytes: no layer deletes or replaces what an earlier one added." }</p> };
    }
    let total: u64 = items.iter().map(|w| w.bytes).sum();
    let link = |layer: usize| match lines.get(layer).copied().flatten() {
        Some(line) => html! { <LineLink page={page.clone()} {line} /> },
        None => html! { { "the base image" } },
    };
    html! {
        <>
            <h3 class="panel-heading">{ format!("Wasted bytes: {} in {} files", size(total), items.len()) }</h3>
            <table class="steps wasted">
                <thead><tr><th scope="col">{ "File" }</th><th scope="col">{ "Size" }</th><th scope="col">{ "Added by" }</th><th scope="col">{ "Hidden by" }</th></tr></thead>
                <tbody>
                    { for items.iter().take(WASTED_SHOWN).map(|w| html! {
                        <tr>
                            <td><code>{ format!("/{}", w.path) }</code></td>
                            <td class="num">{ size(w.bytes) }</td>
                            <td>{ link(w.layer) }</td>
                            <td>{ link(w.hidden_by) }{ if w.deleted { " (deleted)" } else { " (replaced)" } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if items.len() > WASTED_SHOWN {
                <p class="muted">{ format!("and {} smaller files", items.len() - WASTED_SHOWN) }</p>
            }
        </>
    }
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}
