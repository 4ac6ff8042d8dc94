//! The editor: a plain textarea (so the browser's own undo/redo, selection, IME and
//! accessibility keep working) laid exactly over a highlighted copy of the same text.

use crate::highlight::highlight_line;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub value: String,
    pub on_change: Callback<String>,
    /// 1-based first and last line of the instruction the parser rejected.
    #[prop_or_default]
    pub error_lines: Option<(usize, usize)>,
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let gutter = use_node_ref();
    let overlay = use_node_ref();
    let on_input = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_change.emit(area.value());
        })
    };
    // The overlay and gutter follow the textarea's scroll so the colours stay under the text.
    let on_scroll = {
        let (gutter, overlay) = (gutter.clone(), overlay.clone());
        Callback::from(move |e: Event| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            if let Some(o) = overlay.cast::<HtmlElement>() {
                o.set_scroll_top(area.scroll_top());
                o.set_scroll_left(area.scroll_left());
            }
            if let Some(g) = gutter.cast::<HtmlElement>() {
                g.set_scroll_top(area.scroll_top());
            }
        })
    };
    let lines: Vec<&str> = props.value.split('\n').collect();
    html! {
        <div class="editor">
            <div class="gutter" ref={gutter} aria-hidden="true">
                { for (1..=lines.len()).map(|n| {
                    let class = classes!("gutter-line", (props.error_lines.map(|(s, _)| s) == Some(n)).then_some("gutter-error"));
                    html! { <div {class}>{ n }</div> }
                }) }
            </div>
            <div class="code">
                <pre class="highlight" ref={overlay} aria-hidden="true"><code>
                    { for lines.iter().enumerate().map(|(i, l)| {
                        let bad = props.error_lines.is_some_and(|(s, e)| (s..=e).contains(&(i + 1)));
                        html! { <div class={classes!("code-line", bad.then_some("line-error"))}>{ highlight_line(l) }</div> }
                    }) }
                </code></pre>
                <textarea
                    class="source"
                    aria-label="Dockerfile source"
                    spellcheck="false"
                    autocapitalize="off"
                    autocomplete="off"
                    wrap="off"
                    value={props.value.clone()}
                    oninput={on_input}
                    onscroll={on_scroll}
                />
            </div>
        </div>
    }
}
