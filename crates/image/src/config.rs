//! The image config JSON as BuildKit writes it, byte for byte: top-level keys in alphabetical
//! order (BuildKit re-marshals a Go map), `config` keys in the Go struct's order, empty
//! fields left out, Go's HTML-safe escaping of `<`, `>` and `&`. The image ID is the sha256
//! of these bytes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::identity::sha256_digest;

/// Empty objects as Go writes `map[string]struct{}` values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Empty {}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RunConfig {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub exposed_ports: BTreeMap<String, Empty>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cmd: Option<Vec<String>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub volumes: BTreeMap<String, Empty>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub stop_signal: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub args_escaped: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<Healthcheck>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub on_build: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shell: Option<Vec<String>>,
}

/// Docker's `HealthConfig`: durations in nanoseconds, zero fields left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Healthcheck {
    pub test: Vec<String>,
    #[serde(skip_serializing_if = "is_zero")]
    pub interval: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub timeout: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub start_period: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub start_interval: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub retries: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub created: String,
    pub created_by: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub comment: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub empty_layer: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RootFs {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub diff_ids: Vec<String>,
}

/// Field order here is the JSON's: alphabetical, as BuildKit's map marshalling gives it.
/// The history is [`HistoryEntry`] values, or each entry's JSON written once
/// ([`HistoryEntry::to_raw_json`]) so that a rebuild does not write a long history again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageConfig<H = HistoryEntry> {
    pub architecture: String,
    /// MAINTAINER's value.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub author: String,
    pub config: RunConfig,
    pub created: String,
    pub history: Vec<H>,
    pub os: String,
    pub rootfs: RootFs,
}

impl HistoryEntry {
    /// This entry's JSON as it appears in the config, kept to be written verbatim.
    pub fn to_raw_json(&self) -> std::sync::Arc<serde_json::value::RawValue> {
        let text = go_json(self, 256);
        // Our own serializer's output is valid JSON; an empty object stands in should it not be.
        let raw = serde_json::value::RawValue::from_string(text).unwrap_or_else(|_| serde_json::value::RawValue::from_string("{}".into()).expect("{} is JSON"));
        std::sync::Arc::from(raw)
    }
}

/// `value` as compact JSON with Go's HTML-safe escaping.
fn go_json<T: Serialize + ?Sized>(value: &T, capacity: usize) -> String {
    let mut out = Vec::with_capacity(capacity);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, GoFormatter);
    // Writing these types to memory cannot fail, and the formatter writes only UTF-8.
    match value.serialize(&mut serializer) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

impl<H: Serialize> ImageConfig<H> {
    /// The exact bytes BuildKit would write.
    pub fn to_json(&self) -> String {
        // About 200 bytes a history row (with its diff ID): grow once.
        go_json(self, 1024 + self.history.len() * 256)
    }

    /// `sha256:` + the digest of `to_json()`: the image ID (classic image store).
    pub fn id(&self) -> String {
        sha256_digest(self.to_json().as_bytes())
    }
}

/// serde_json's compact output with Go's HTML-safe escaping of `<`, `>`, `&`, U+2028 and
/// U+2029 inside strings, done as the strings are written (one pass: every build does this).
struct GoFormatter;

impl serde_json::ser::Formatter for GoFormatter {
    fn write_string_fragment<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, fragment: &str) -> std::io::Result<()> {
        let bytes = fragment.as_bytes();
        // Nearly every fragment needs no escaping: two SIMD searches tell (a byte loop
        // here cost as much as the rest of the serialization).
        if memchr::memchr3(b'<', b'>', b'&', bytes).is_none() && memchr::memchr(0xE2, bytes).is_none() {
            return writer.write_all(bytes);
        }
        let mut copied = 0;
        // Bytes, not chars: U+2028 and U+2029 are the only characters here that start
        // with 0xE2 and need escaping, and the scan stays cheap over a whole config.
        for (at, &b) in bytes.iter().enumerate() {
            let escape = match b {
                b'<' => "\\u003c",
                b'>' => "\\u003e",
                b'&' => "\\u0026",
                0xE2 if bytes[at..].starts_with("\u{2028}".as_bytes()) => "\\u2028",
                0xE2 if bytes[at..].starts_with("\u{2029}".as_bytes()) => "\\u2029",
                _ => continue,
            };
            writer.write_all(&bytes[copied..at])?;
            writer.write_all(escape.as_bytes())?;
            copied = at + if b == 0xE2 { 3 } else { 1 };
        }
        writer.write_all(&bytes[copied..])
    }
}
