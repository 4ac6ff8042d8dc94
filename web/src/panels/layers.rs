//! Layers: `docker history` for the built image, and the image drawn as stacked layers sized
//! by bytes, with the bytes a later layer deleted or overwrote marked as wasted.

use std::collections::BTreeMap;

use layerlab_engine::commands::{self, HistoryOptions};
use layerlab_image::units::human_size_with_precision;
use yew::prelude::*;

use super::{layer_lines, LineLink, PanelProps};
use crate::live::now;

/// One block of the picture: a history row that made a layer.
struct Block {
    created_by: String,
    size: u64,
    wasted: u64,
    /// The Dockerfile line that made it; `None` for the base image's layers.
    line: Option<usize>,
}

#[function_component(LayersPanel)]
pub fn layers_panel(props: &PanelProps) -> Html {
    let page = &props.page;
    let build = &page.build;
    let daemon = page.daemon.borrow();
    let store = &daemon.session.store;
    let Some(image) = build.report.image.as_ref().and_then(|id| store.lookup(id)) else {
        let why = match &build.report.image {
            Some(id) => format!("The image {} was removed (docker rmi); any edit builds it again.", layerlab_image::identity::short_id(id)),
            None => "No image yet: the build has not finished. The Output panel says why.".into(),
        };
        return html! { <p class="muted">{ why }</p> };
    };
    let history = commands::history(store, &image.id, &HistoryOptions::default(), now()).unwrap_or_default();
    let mut wasted: BTreeMap<usize, u64> = BTreeMap::new();
    for w in image.wasted() {
        *wasted.entry(w.layer).or_default() += w.bytes;
    }
    let lines = layer_lines(&build.report, &image);
    let blocks: Vec<Block> = image
        .rows()
        .filter_map(|(row, layer)| {
            let layer = layer?;
            Some(Block {
                created_by: row.entry.created_by.clone(),
                size: row.size,
                wasted: wasted.get(&layer).copied().unwrap_or(0),
                line: lines.get(layer).copied().flatten(),
            })
        })
        .collect();
    let total: u64 = blocks.iter().map(|b| b.size).sum::<u64>().max(1);
    let total_wasted: u64 = blocks.iter().map(|b| b.wasted).sum();
    html! {
        <div class="layers-panel">
            <h3 class="panel-heading">{ format!("$ docker history {}", history_name(store, &build.tag, &image.id)) }</h3>
            <pre class="console history" aria-label="docker history">{ history }</pre>
            <h3 class="panel-heading">{ format!("The image: {} in {} layers", human_size_with_precision(image.size() as f64, 3), blocks.len()) }</h3>
            if total_wasted > 0 {
                <p class="wasted-note">{ format!("{} of it is wasted: files a later layer deleted or replaced still ship in the layer that added them.", human_size_with_precision(total_wasted as f64, 3)) }</p>
            }
            <ol class="stack" aria-label="Layers, newest on top" reversed=true>
                { for blocks.iter().rev().map(|b| block(page, b, total)) }
            </ol>
        </div>
    }
}

fn block(page: &UseReducerHandle<crate::state::Playground>, b: &Block, total: u64) -> Html {
    // Heights follow bytes, with a floor so a 4-byte layer stays visible and clickable.
    let share = b.size as f64 / total as f64;
    let height = format!("height: {:.0}px", 26.0 + share * 220.0);
    let wasted_share = if b.size > 0 { b.wasted as f64 / b.size as f64 * 100.0 } else { 0.0 };
    html! {
        <li class={classes!("layer", b.line.is_none().then_some("layer-base"))} style={height}>
            if b.wasted > 0 {
                <span class="layer-wasted" style={format!("width: {wasted_share:.1}%")}
                    title={format!("{} wasted", human_size_with_precision(b.wasted as f64, 3))}></span>
            }
            <span class="layer-size">{ human_size_with_precision(b.size as f64, 3) }</span>
            <span class="layer-by" title={b.created_by.clone()}>{ &b.created_by }</span>
            if b.wasted > 0 {
                <span class="layer-waste-label">{ format!("{} wasted", human_size_with_precision(b.wasted as f64, 3)) }</span>
            }
            { for b.line.map(|line| html! { <LineLink page={page.clone()} {line} /> }) }
        </li>
    }
}

/// The name that shows this image: the live tag while it still points at it (a terminal
/// build or `docker rmi` may have moved it), else another tag of it, else its short ID.
fn history_name(store: &layerlab_engine::store::ImageStore, tag: &str, id: &str) -> String {
    if store.lookup(tag).is_some_and(|tagged| tagged.id == id) {
        return tag.to_string();
    }
    match store.tags_of(id).first() {
        Some(full) => {
            let (repo, tag) = layerlab_engine::store::familiar(full);
            if tag == "latest" { repo } else { format!("{repo}:{tag}") }
        }
        None => layerlab_image::identity::short_id(id).to_string(),
    }
}
