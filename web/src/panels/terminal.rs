//! Terminal: the course's docker commands typed as written, run on the page's daemon (the
//! same cache and images as the live build). Up/Down recall earlier lines; Tab completes.

use layerlab_engine::terminal::complete;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::PanelProps;
use crate::state::Action;

#[function_component(TerminalPanel)]
pub fn terminal_panel(props: &PanelProps) -> Html {
    let page = &props.page;
    let input = use_node_ref();
    // Position in the recalled history: None while typing a new line.
    let recall = use_state(|| None::<usize>);
    let hint = use_state(String::new);
    let lines: Vec<String> = page.terminal.iter().map(|e| e.line.clone()).collect();
    let on_keydown = {
        let (page, recall, hint, input) = (page.clone(), recall.clone(), hint.clone(), input.clone());
        Callback::from(move |e: KeyboardEvent| {
            let Some(field) = input.cast::<HtmlInputElement>() else { return };
            match e.key().as_str() {
                "Enter" => {
                    let line = field.value();
                    field.set_value("");
                    recall.set(None);
                    hint.set(String::new());
                    page.dispatch(Action::Command(line));
                }
                "ArrowUp" | "ArrowDown" => {
                    e.prevent_default();
                    let up = e.key() == "ArrowUp";
                    let next = match (*recall, up) {
                        (None, true) => lines.len().checked_sub(1),
                        (Some(i), true) => Some(i.saturating_sub(1)),
                        (Some(i), false) if i + 1 < lines.len() => Some(i + 1),
                        _ => None,
                    };
                    field.set_value(next.and_then(|i| lines.get(i)).map_or("", String::as_str));
                    recall.set(next);
                }
                "Tab" => {
                    e.prevent_default();
                    let line = field.value();
                    let found = complete(&line, &page.daemon.borrow().session);
                    let (completed, shown) = apply_completion(&line, &found);
                    field.set_value(&completed);
                    hint.set(shown);
                }
                _ => {}
            }
        })
    };
    let focus_input = {
        let input = input.clone();
        Callback::from(move |_| {
            if let Some(field) = input.cast::<HtmlInputElement>() {
                let _ = field.focus();
            }
        })
    };
    html! {
        <div class="terminal" onclick={focus_input}>
            <div class="terminal-log" aria-label="Terminal output" aria-live="polite">
                <p class="muted">{ "Type docker commands as the course writes them: docker build -t myapp . · docker history myapp · docker run -p 5001:5000 -d myapp · help" }</p>
                { for page.terminal.iter().map(|e| html! {
                    <div class={classes!("terminal-entry", (e.exit != 0).then_some("terminal-failed"))}>
                        <pre class="terminal-line">{ format!("$ {}", e.line) }</pre>
                        <pre class="terminal-text">{ crate::ansi::console(&e.text) }</pre>
                    </div>
                }) }
            </div>
            <div class="terminal-prompt">
                <span aria-hidden="true">{ "$" }</span>
                <input ref={input} class="terminal-input" aria-label="Terminal command" spellcheck="false"
                    autocomplete="off" autocapitalize="off" onkeydown={on_keydown} />
            </div>
            if !hint.is_empty() {
                <p class="terminal-hint">{ (*hint).clone() }</p>
            }
        </div>
    }
}

/// The line after Tab: the last word extended by what all candidates share (and a space
/// when only one fits), plus the candidates to show when several do.
fn apply_completion(line: &str, found: &[String]) -> (String, String) {
    let start = if line.ends_with(' ') { line.len() } else { line.rfind(' ').map_or(0, |i| i + 1) };
    let Some(first) = found.first() else { return (line.to_string(), String::new()) };
    if found.len() == 1 {
        return (format!("{}{first} ", &line[..start]), String::new());
    }
    let common = found.iter().fold(first.clone(), |prefix, c| {
        prefix.chars().zip(c.chars()).take_while(|(a, b)| a == b).map(|(a, _)| a).collect()
    });
    let word = if common.len() > line.len() - start { common } else { line[start..].to_string() };
    (format!("{}{word}", &line[..start]), found.join("  "))
}
