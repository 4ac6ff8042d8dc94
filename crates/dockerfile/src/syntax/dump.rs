//! BuildKit's `Node.Dump()`: the s-expression form its parser tests compare.

use super::quote::{go_quote, go_quote_list};
use super::Node;

/// The root: one `(...)` per instruction, newline-separated, trimmed.
pub fn root(nodes: &[Node]) -> String {
    let lines: Vec<String> = nodes.iter().map(|n| format!("({})", node(n))).collect();
    lines.join("\n")
}

/// One instruction without its parentheses: `copy ["--from=a"] "src" "dst"`.
pub fn node(n: &Node) -> String {
    let mut out = n.name();
    if !n.flags.is_empty() {
        out.push(' ');
        out.push_str(&go_quote_list(n.flags.iter().map(|f| f.value.as_str())));
    }
    if let Some(child) = &n.onbuild {
        out.push_str(&format!(" ({})", node(child)));
    }
    for arg in &n.args {
        out.push(' ');
        out.push_str(&go_quote(&arg.value));
    }
    out.trim().to_string()
}
