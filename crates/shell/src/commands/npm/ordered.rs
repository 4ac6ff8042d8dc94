//! package.json as its tools rewrite it: keys stay in the file's order (serde_json's own
//! map sorts them), and the text is `JSON.stringify(value, null, 2)`.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

pub enum Ordered {
    Scalar(Value),
    Array(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
}

impl Ordered {
    pub fn parse(text: &str) -> Option<Ordered> {
        serde_json::from_str(text).ok()
    }

    /// The object's entry for `key`, made an empty object if it is missing or not one.
    pub fn object_entry(&mut self, key: &str) -> Option<&mut Vec<(String, Ordered)>> {
        let Ordered::Object(entries) = self else { return None };
        let at = match entries.iter().position(|(k, _)| k == key) {
            Some(at) => at,
            None => {
                entries.push((key.to_string(), Ordered::Object(Vec::new())));
                entries.len() - 1
            }
        };
        if !matches!(entries[at].1, Ordered::Object(_)) {
            entries[at].1 = Ordered::Object(Vec::new());
        }
        match &mut entries[at].1 {
            Ordered::Object(inner) => Some(inner),
            _ => None,
        }
    }

    /// Saves (name, range) pairs into the object's `field`, which keeps its place (or
    /// comes last), with its names sorted as npm and yarn sort them.
    pub fn save_into(&mut self, field: &str, saved: &[(String, String)]) {
        let Some(deps) = self.object_entry(field) else { return };
        for (name, range) in saved {
            deps.retain(|(k, _)| k != name);
            deps.push((name.clone(), Ordered::Scalar(Value::String(range.clone()))));
        }
        deps.sort_by(|a, b| a.0.cmp(&b.0));
    }

    /// Deletes `name` from the object's `field`, and the field once it is empty.
    pub fn remove_from(&mut self, field: &str, name: &str) {
        let Ordered::Object(entries) = self else { return };
        let Some(at) = entries.iter().position(|(k, _)| k == field) else { return };
        if let Ordered::Object(inner) = &mut entries[at].1 {
            inner.retain(|(k, _)| k != name);
            if inner.is_empty() {
                entries.remove(at);
            }
        }
    }

    /// `JSON.stringify(value, null, 2)`.
    pub fn pretty(&self) -> String {
        self.stringify("  ")
    }

    /// `JSON.stringify(value, null, gap)`: with an empty gap, compact (no spaces at all);
    /// as in JavaScript, only the gap's first 10 characters count.
    pub fn stringify(&self, gap: &str) -> String {
        let gap: String = gap.chars().take(10).collect();
        let mut out = String::new();
        self.write(&mut out, &gap, 0);
        out
    }

    fn write(&self, out: &mut String, gap: &str, depth: usize) {
        let (open, close) = match self {
            Ordered::Scalar(v) => return out.push_str(&v.to_string()),
            Ordered::Array(items) if items.is_empty() => return out.push_str("[]"),
            Ordered::Object(entries) if entries.is_empty() => return out.push_str("{}"),
            Ordered::Array(_) => ('[', ']'),
            Ordered::Object(_) => ('{', '}'),
        };
        // Each member on its own line, indented by `gap` per level, when there is a gap.
        let line = |out: &mut String, level: usize| {
            if !gap.is_empty() {
                out.push('\n');
                out.push_str(&gap.repeat(level));
            }
        };
        out.push(open);
        let members: Vec<(Option<&str>, &Ordered)> = match self {
            Ordered::Array(items) => items.iter().map(|v| (None, v)).collect(),
            Ordered::Object(entries) => entries.iter().map(|(k, v)| (Some(k.as_str()), v)).collect(),
            Ordered::Scalar(_) => Vec::new(),
        };
        for (i, (key, value)) in members.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            line(out, depth + 1);
            if let Some(key) = key {
                out.push_str(&Value::String(key.to_string()).to_string());
                out.push_str(if gap.is_empty() { ":" } else { ": " });
            }
            value.write(out, gap, depth + 1);
        }
        line(out, depth);
        out.push(close);
    }
}

/// package.json after `npm install NAME...` saved the names (npm 10's @npmcli/package-json,
/// recorded in node:20-slim): the file keeps its key order, its indent and its line ending;
/// a name saved to one dependency list leaves the others, and each of those that is then
/// empty goes (an empty one goes even if the name was not in it).
pub fn npm_saved(text: &str, saved: &[(String, String)], dev: bool) -> Option<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut manifest = Ordered::parse(text)?;
    let (field, others): (&str, &[&str]) = if dev {
        ("devDependencies", &["dependencies", "optionalDependencies"])
    } else {
        ("dependencies", &["optionalDependencies", "devDependencies", "peerDependenciesMeta", "peerDependencies"])
    };
    for (name, _) in saved {
        others.iter().for_each(|other| manifest.remove_from(other, name));
    }
    manifest.save_into(field, saved);
    let (newline, indent) = npm_format(text);
    Some((manifest.stringify(&indent) + "\n").replace('\n', &newline))
}

/// The line ending and indent npm reads off a package.json (json-parse-even-better-errors):
/// `{}` alone takes the defaults; otherwise the line breaks after the opening brace and the
/// blanks after them; a file without that (one line) gets neither, and is written back on
/// one line without a final newline.
fn npm_format(text: &str) -> (String, String) {
    let (empty, rest) = match text.strip_prefix("{}").or_else(|| text.strip_prefix("[]")) {
        Some(rest) => (true, rest),
        None => (false, ""),
    };
    if empty && line_breaks(rest) == rest.len() {
        let newline = if rest.is_empty() { "\n" } else { rest };
        return (newline.to_string(), "  ".to_string());
    }
    let body = text.trim_start();
    let Some(after) = body.strip_prefix(['{', '[']) else { return (String::new(), String::new()) };
    let breaks = line_breaks(after);
    if breaks == 0 {
        return (String::new(), String::new());
    }
    let indent: String = after[breaks..].chars().take_while(|c| c.is_whitespace()).collect();
    (after[..breaks].to_string(), indent)
}

/// How many bytes at the start of `s` are `(\r?\n)+`.
fn line_breaks(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut at = 0;
    loop {
        match bytes.get(at..at + 2) {
            Some(b"\r\n") => at += 2,
            _ if bytes.get(at) == Some(&b'\n') => at += 1,
            _ => return at,
        }
    }
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OrderedVisitor)
    }
}

struct OrderedVisitor;

impl<'de> Visitor<'de> for OrderedVisitor {
    type Value = Ordered;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(Value::from(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(Value::String(v.to_string())))
    }
    fn visit_unit<E>(self) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Ordered::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
        let mut entries: Vec<(String, Ordered)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Ordered>()? {
            // A repeated key keeps its first place and its last value, as JSON.parse does.
            match entries.iter_mut().find(|(k, _)| *k == key) {
                Some(entry) => entry.1 = value,
                None => entries.push((key, value)),
            }
        }
        Ok(Ordered::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(name: &str, range: &str) -> Vec<(String, String)> {
        vec![(name.to_string(), range.to_string())]
    }

    /// Each `before` → `after` is what npm 10.8.2 (node:20-slim) wrote on 2026-12-06 for
    /// `npm install ms` (or the command named), byte for byte.
    #[test]
    fn npm_keeps_the_files_order_indent_and_line_endings() {
        let npm_init = "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"description\": \"demo\",\n  \"main\": \"index.js\",\n  \"scripts\": {\n    \"start\": \"node index.js\"\n  },\n  \"author\": \"\",\n  \"license\": \"ISC\"\n}\n";
        let after = npm_saved(npm_init, &saved("ms", "^2.1.3"), false).unwrap();
        assert_eq!(after, npm_init.replace("\"ISC\"\n}", "\"ISC\",\n  \"dependencies\": {\n    \"ms\": \"^2.1.3\"\n  }\n}"));
        // One line in, one line out, without a final newline.
        let one_line = r#"{"name":"c","version":"1.0.0","license":"MIT"}"#;
        assert_eq!(npm_saved(one_line, &saved("ms", "^2.1.3"), false).unwrap(), r#"{"name":"c","version":"1.0.0","license":"MIT","dependencies":{"ms":"^2.1.3"}}"#);
        let crlf = "{\r\n  \"name\": \"e\",\r\n  \"version\": \"1.0.0\"\r\n}\r\n";
        assert_eq!(
            npm_saved(crlf, &saved("ms", "^2.1.3"), false).unwrap(),
            "{\r\n  \"name\": \"e\",\r\n  \"version\": \"1.0.0\",\r\n  \"dependencies\": {\r\n    \"ms\": \"^2.1.3\"\r\n  }\r\n}\r\n"
        );
        assert_eq!(npm_saved("{}", &saved("ms", "^2.1.3"), false).unwrap(), "{\n  \"dependencies\": {\n    \"ms\": \"^2.1.3\"\n  }\n}\n");
    }

    #[test]
    fn npm_sorts_the_saved_list_and_moves_a_name_between_lists() {
        // Four spaces: `npm install --save-dev nodemon`, then `npm install express`.
        let four = "{\n    \"name\": \"b\",\n    \"version\": \"1.0.0\",\n    \"dependencies\": {\n        \"ms\": \"^2.1.3\",\n        \"debug\": \"^4.0.0\"\n    },\n    \"private\": true\n}\n";
        let dev = npm_saved(four, &saved("nodemon", "^3.1.14"), true).unwrap();
        let both = npm_saved(&dev, &saved("express", "^5.3.0"), false).unwrap();
        assert_eq!(both, "{\n    \"name\": \"b\",\n    \"version\": \"1.0.0\",\n    \"dependencies\": {\n        \"debug\": \"^4.0.0\",\n        \"express\": \"^5.3.0\",\n        \"ms\": \"^2.1.3\"\n    },\n    \"private\": true,\n    \"devDependencies\": {\n        \"nodemon\": \"^3.1.14\"\n    }\n}\n");
        // Tabs; `npm install --save-dev ms` takes ms out of dependencies.
        let tabs = "{\n\t\"name\": \"d\",\n\t\"dependencies\": {\n\t\t\"ms\": \"^2.1.3\",\n\t\t\"debug\": \"^4.0.0\"\n\t}\n}\n";
        assert_eq!(
            npm_saved(tabs, &saved("ms", "^2.1.3"), true).unwrap(),
            "{\n\t\"name\": \"d\",\n\t\"dependencies\": {\n\t\t\"debug\": \"^4.0.0\"\n\t},\n\t\"devDependencies\": {\n\t\t\"ms\": \"^2.1.3\"\n\t}\n}\n"
        );
        // Empty lists npm clears a name from go too, even those empty before; a peer
        // dependency stays when the name is saved for development.
        let empty = "{\n  \"name\": \"h\",\n  \"devDependencies\": {},\n  \"optionalDependencies\": {}\n}\n";
        assert_eq!(npm_saved(empty, &saved("ms", "^2.1.3"), false).unwrap(), "{\n  \"name\": \"h\",\n  \"dependencies\": {\n    \"ms\": \"^2.1.3\"\n  }\n}\n");
        let peer = "{\n  \"name\": \"i\",\n  \"dependencies\": {},\n  \"peerDependencies\": {\n    \"ms\": \"^2.0.0\"\n  }\n}\n";
        assert_eq!(
            npm_saved(peer, &saved("ms", "^2.1.3"), true).unwrap(),
            "{\n  \"name\": \"i\",\n  \"peerDependencies\": {\n    \"ms\": \"^2.0.0\"\n  },\n  \"devDependencies\": {\n    \"ms\": \"^2.1.3\"\n  }\n}\n"
        );
        // JSON.stringify uses at most 10 characters of indent (twelve spaces in, ten out).
        let wide = format!("{{\n{}\"name\": \"w\"\n}}\n", " ".repeat(12));
        assert_eq!(npm_saved(&wide, &saved("ms", "^2.1.3"), false).unwrap(), format!("{{\n{0}\"name\": \"w\",\n{0}\"dependencies\": {{\n{0}{0}\"ms\": \"^2.1.3\"\n{0}}}\n}}\n", " ".repeat(10)));
        // A list left empty goes.
        let only = "{\n  \"name\": \"g\",\n  \"dependencies\": {\n    \"ms\": \"^2.1.3\"\n  }\n}\n";
        assert_eq!(npm_saved(only, &saved("ms", "^2.1.3"), true).unwrap(), "{\n  \"name\": \"g\",\n  \"devDependencies\": {\n    \"ms\": \"^2.1.3\"\n  }\n}\n");
    }

    #[test]
    fn keeps_key_order_and_prints_as_json_stringify() {
        let mut m = Ordered::parse(r#"{"name":"app","version":"1.0.0","scripts":{"z":"b","a":"c"},"files":[],"x":[1,true,null]}"#).unwrap();
        m.object_entry("devDependencies").unwrap().push(("ms".into(), Ordered::Scalar(Value::String("^2.1.3".into()))));
        assert_eq!(
            m.pretty(),
            "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"scripts\": {\n    \"z\": \"b\",\n    \"a\": \"c\"\n  },\n  \"files\": [],\n  \"x\": [\n    1,\n    true,\n    null\n  ],\n  \"devDependencies\": {\n    \"ms\": \"^2.1.3\"\n  }\n}"
        );
    }
}
