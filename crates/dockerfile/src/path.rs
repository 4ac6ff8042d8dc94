//! Lexical path cleaning: `.` and empty elements dropped, `..` taking the element before it
//! away (never above the root), as Go's `path.Clean` does for the paths Docker matches
//! `.dockerignore` patterns against, and as `cd` computes its logical directory.

/// `a/./b/../c` → `a/c`; `/a/../..` → `` (no slashes at either end).
pub fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}
