//! Debian control-file stanzas (`Key: value`, continuation lines start with a space).

use std::collections::BTreeMap;

pub type Stanza = BTreeMap<String, String>;

pub fn parse(text: &str) -> Vec<Stanza> {
    let mut stanzas = Vec::new();
    let mut current = Stanza::new();
    let mut last_key = String::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                stanzas.push(std::mem::take(&mut current));
            }
        } else if line.starts_with([' ', '\t']) {
            if let Some(value) = current.get_mut(&last_key) {
                value.push('\n');
                value.push_str(line);
            }
        } else if let Some((key, value)) = line.split_once(':') {
            last_key = key.to_string();
            current.insert(last_key.clone(), value.trim().to_string());
        }
    }
    if !current.is_empty() {
        stanzas.push(current);
    }
    stanzas
}
