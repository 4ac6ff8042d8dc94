//! The editor: a plain textarea (so the browser's own undo/redo, selection, IME and
//! accessibility keep working) laid exactly over a highlighted copy of the same text, with a
//! gutter that shows each instruction's build state.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

use crate::highlight::highlight_line;
use crate::marks::LineMark;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub value: String,
    pub on_change: Callback<String>,
    /// One mark per line; empty for files that are not the Dockerfile.
    #[prop_or_default]
    pub marks: Rc<Vec<LineMark>>,
    /// Dockerfile syntax colouring (off for the context's other files).
    #[prop_or(true)]
    pub dockerfile: bool,
    pub label: AttrValue,
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let gutter = use_node_ref();
    let overlay = use_node_ref();
    // Escape then Tab leaves the editor (keyboard users must be able to); Tab alone indents.
    let escaped = use_memo((), |_| Cell::new(false));
    let on_input = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_change.emit(area.value());
        })
    };
    let on_keydown = {
        let escaped = escaped.clone();
        Callback::from(move |e: KeyboardEvent| {
            let was_escaped = escaped.replace(e.key() == "Escape");
            if e.key() == "Tab" && !e.shift_key() && !e.ctrl_key() && !e.alt_key() && !e.meta_key() && !was_escaped {
                e.prevent_default();
                insert_text("    ");
            }
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
    // The textarea is left alone while the user types (setting a long value again makes the
    // browser lay the whole text out anew); it takes the value when another file, an
    // example or an import replaces the text.
    let area = use_node_ref();
    {
        let area = area.clone();
        use_effect_with(props.value.clone(), move |value| {
            if let Some(area) = area.cast::<HtmlTextAreaElement>() {
                if area.value() != **value {
                    area.set_value(value);
                }
            }
        });
    }
    let lines: Vec<&str> = props.value.split('\n').collect();
    let none = LineMark::default();
    let mark = |i: usize| props.marks.get(i).unwrap_or(&none);
    html! {
        <div class="editor">
            <div class="gutter" ref={gutter} aria-hidden="true">
                { for (0..lines.len()).map(|i| html! { <GutterLine number={i + 1} mark={mark(i).clone()} /> }) }
            </div>
            <div class="code">
                <pre class="highlight" ref={overlay} aria-hidden="true"><code>
                    { for lines.iter().enumerate().map(|(i, l)| html! {
                        <CodeLine text={AttrValue::from(l.to_string())} mark={mark(i).clone()} dockerfile={props.dockerfile} />
                    }) }
                </code></pre>
                <textarea
                    ref={area}
                    class="source"
                    aria-label={props.label.clone()}
                    spellcheck="false"
                    autocapitalize="off"
                    autocomplete="off"
                    wrap="off"
                    oninput={on_input}
                    onkeydown={on_keydown}
                    onscroll={on_scroll}
                />
            </div>
        </div>
    }
}

// Each line is a component with comparable props, so a keystroke re-renders the line it
// changed, not every line of a long file.

#[derive(Properties, PartialEq)]
struct GutterLineProps {
    number: usize,
    mark: LineMark,
}

#[function_component(GutterLine)]
fn gutter_line(props: &GutterLineProps) -> Html {
    let (number, mark) = (props.number, &props.mark);
    let class = classes!(
        "gutter-line",
        mark.state.map(|s| s.class()),
        mark.error.then_some("gutter-error"),
        (mark.warning && !mark.error).then_some("gutter-warning"),
    );
    let title = (!mark.title.is_empty()).then(|| mark.title.clone());
    html! { <div {class} {title} data-line={number.to_string()}>{ number }</div> }
}

#[derive(Properties, PartialEq)]
struct CodeLineProps {
    text: AttrValue,
    mark: LineMark,
    dockerfile: bool,
}

#[function_component(CodeLine)]
fn code_line(props: &CodeLineProps) -> Html {
    let (text, mark, dockerfile) = (props.text.as_str(), &props.mark, props.dockerfile);
    let class = classes!(
        "code-line",
        mark.error.then_some("line-error"),
        (mark.warning && !mark.error).then_some("line-warning"),
    );
    let body = if dockerfile { highlight_line(text) } else { html! { { text } } };
    let badge = mark.badge.as_ref().map(|b| html! { <span class="inlay">{ b }</span> });
    html! { <div {class}>{ body }{ for badge }</div> }
}

/// Inserts at the caret through the browser's editing command, so undo still works.
fn insert_text(text: &str) {
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(doc) = document.and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok()) {
        let _ = doc.exec_command_with_show_ui_and_value("insertText", false, text);
    }
}

/// Puts the caret on `line` (1-based) of the Dockerfile editor and focuses it. Runs after
/// the current render, since opening the Dockerfile may have to render it first.
pub fn reveal_line(line: usize) {
    use wasm_bindgen::closure::Closure;
    let Some(window) = web_sys::window() else { return };
    let later = Closure::once_into_js(move || {
        let area = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("textarea.source[aria-label='Dockerfile source']").ok().flatten())
            .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok());
        let Some(area) = area else { return };
        let text = area.value();
        // Offsets in UTF-16 units, as the DOM counts them.
        let start: usize = text.split('\n').take(line.saturating_sub(1)).map(|l| l.encode_utf16().count() + 1).sum();
        let _ = area.focus();
        let _ = area.set_selection_range(start as u32, start as u32);
        let line_height = 20;
        area.set_scroll_top(((line.saturating_sub(3)) * line_height) as i32);
    });
    let _ = window.set_timeout_with_callback(later.unchecked_ref());
}
