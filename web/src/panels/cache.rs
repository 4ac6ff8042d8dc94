//! Cache: every step's hit or miss with the reason in words, the modelled time the cache
//! saved, and the session's builds as a timeline.

use layerlab_engine::report::{Step, StepKind};
use yew::prelude::*;

use super::{LineLink, PanelProps};
use crate::state::Moment;

#[function_component(CachePanel)]
pub fn cache_panel(props: &PanelProps) -> Html {
    let page = &props.page;
    let report = &page.build.report;
    let failed = report.error.as_ref().and_then(|e| e.step);
    let saved = (report.seconds_without_cache - report.seconds).max(0.0);
    html! {
        <div class="cache-panel">
            <p class="cache-summary">
                { format!("This build: {:.1}s modelled; {:.1}s without the cache. The cache saved {:.1}s.", report.seconds, report.seconds_without_cache, saved) }
            </p>
            <table class="steps">
                <thead><tr><th scope="col">{ "Step" }</th><th scope="col">{ "Cache" }</th><th scope="col">{ "Why" }</th><th scope="col">{ "Time" }</th></tr></thead>
                <tbody>
                    { for report.steps.iter().enumerate().map(|(i, s)| row(page, s, failed == Some(i))) }
                </tbody>
            </table>
            <h3 class="panel-heading">{ "Builds this session" }</h3>
            { timeline(&page.timeline) }
        </div>
    }
}

fn row(page: &UseReducerHandle<crate::state::Playground>, step: &Step, failed: bool) -> Html {
    let (word, class) = match step.kind {
        _ if failed => ("failed", "hit-failed"),
        StepKind::Config => ("metadata", "hit-config"),
        _ if step.cached => ("CACHED", "hit-cached"),
        _ => ("rebuilt", "hit-rebuilt"),
    };
    let why = match (step.kind, &step.miss_reason) {
        (_, Some(reason)) => reason.clone(),
        (StepKind::Config, None) => "changes the image config only; never rebuilds a layer".into(),
        (StepKind::From, None) if step.cached => "the base image is already here".into(),
        (_, None) if step.cached => "same instruction, same inputs, same parent".into(),
        (_, None) => String::new(),
    };
    html! {
        <tr class={class}>
            <td><LineLink page={page.clone()} line={step.line} />{ " " }<code>{ &step.name }</code></td>
            <td class="hit">{ word }</td>
            <td>{ why }</td>
            <td class="num">{ format!("{:.1}s", step.seconds) }</td>
        </tr>
    }
}

fn timeline(moments: &[Moment]) -> Html {
    let longest = moments.iter().map(|m| m.seconds_without_cache).fold(0.1, f64::max);
    html! {
        <ol class="timeline" aria-label="Builds, oldest first">
            { for moments.iter().map(|m| {
                let height = format!("height: {:.0}%", (m.seconds / longest * 100.0).max(4.0));
                let title = format!(
                    "build {}: {} cached, {} run, {:.1}s of {:.1}s{}",
                    m.serial, m.cached, m.run, m.seconds, m.seconds_without_cache,
                    if m.failed { ", failed" } else { "" }
                );
                html! {
                    <li class={classes!("moment", m.failed.then_some("moment-failed"))} title={title.clone()} aria-label={title}>
                        <span class="moment-bar" style={height}></span>
                    </li>
                }
            }) }
        </ol>
    }
}
