//! The colours in console text: the legacy builder's daemon wraps a RUN's standard error
//! in `ESC[91m` … `ESC[0m`, as Docker's terminal shows it red. The view draws those parts
//! in the error colour and drops any other escape sequence instead of printing it.

use yew::{html, Html};

const RED: &str = "\x1b[91m";
const RESET: &str = "\x1b[0m";

/// `text` as nodes for a `<pre>`: plain runs, and red runs in `<span class="stderr">`.
pub fn console(text: &str) -> Html {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(RED) {
        parts.push(html! { { strip(&rest[..start]) } });
        let after = &rest[start + RED.len()..];
        let (inside, next) = after.split_once(RESET).unwrap_or((after, ""));
        parts.push(html! { <span class="stderr">{ strip(inside) }</span> });
        rest = next;
    }
    parts.push(html! { { strip(rest) } });
    parts.into_iter().collect::<Html>()
}

/// Removes escape sequences (`ESC[...m` and the like) that the view does not draw.
fn strip(text: &str) -> String {
    if !text.contains('\x1b') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            // Parameters and intermediates, up to the final letter.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        }
    }
    out
}
