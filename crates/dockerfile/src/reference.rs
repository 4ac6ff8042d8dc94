//! Image references as Docker reads them (distribution/reference
//! `ParseNormalizedNamed`): `ubuntu` is `docker.io/library/ubuntu:latest`,
//! upper case in the repository is an error, tags and digests have a fixed
//! grammar. The error texts are Docker's.

/// A parsed, normalised image reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// `docker.io`, `ghcr.io`, `localhost:5000`.
    pub domain: String,
    /// `library/ubuntu`, `grafana/grafana`.
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

use crate::case::changes_when_lowercased;

const DEFAULT_DOMAIN: &str = "docker.io";

impl ImageRef {
    /// Parses `text`, normalising the domain and the `library/` prefix.
    pub fn parse(text: &str) -> Result<ImageRef, String> {
        let parts = Parts::parse(text)?;
        let path = match parts.library {
            true => ["library/", parts.name].concat(),
            false => parts.name.to_string(),
        };
        Ok(ImageRef {
            domain: parts.domain.to_string(),
            path,
            tag: parts.tag.map(str::to_string),
            digest: parts.digest.map(str::to_string),
        })
    }

    /// Whether `text` parses, without building the reference (the checks ask
    /// for every FROM on every keystroke).
    pub fn is_valid(text: &str) -> bool {
        Parts::parse(text).is_ok()
    }

    /// The tag and digest of `text` as written, if it parses (without building the
    /// reference).
    pub fn tag_and_digest(text: &str) -> Option<(Option<&str>, Option<&str>)> {
        Parts::parse(text).ok().map(|p| (p.tag, p.digest))
    }

    /// The tag, `latest` when neither a tag nor a digest was given.
    pub fn tag_or_latest(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(t), _) => Some(t),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }

    /// `docker.io/library/ubuntu:latest` (what BuildKit shows on FROM lines).
    pub fn full(&self) -> String {
        let mut out = String::with_capacity(self.domain.len() + self.path.len() + 32);
        self.push_full(&mut out);
        out
    }

    /// [`ImageRef::full`], appended to `out` (messages built on every keystroke are
    /// put together without the formatting machinery).
    pub fn push_full(&self, out: &mut String) {
        out.push_str(&self.domain);
        out.push('/');
        out.push_str(&self.path);
        if let Some(tag) = self.tag_or_latest() {
            out.push(':');
            out.push_str(tag);
        }
        if let Some(digest) = &self.digest {
            out.push('@');
            out.push_str(digest);
        }
    }

    /// The short form Docker prints in `docker images`: `ubuntu`, `grafana/grafana`.
    pub fn familiar_name(&self) -> String {
        match (self.domain.as_str(), self.path.strip_prefix("library/")) {
            (DEFAULT_DOMAIN, Some(short)) if !short.contains('/') => short.to_string(),
            (DEFAULT_DOMAIN, _) => self.path.clone(),
            _ => format!("{}/{}", self.domain, self.path),
        }
    }
}

/// A reference split into borrowed pieces and checked.
struct Parts<'a> {
    domain: &'a str,
    /// Docker Hub's `library/` goes in front of `name`.
    library: bool,
    name: &'a str,
    tag: Option<&'a str>,
    digest: Option<&'a str>,
}

impl<'a> Parts<'a> {
    fn parse(text: &'a str) -> Result<Parts<'a>, String> {
        // A bare name (`base`, `golang`) is a Docker Hub library image, with nothing to
        // split: most FROM lines of a multi-stage file name a stage, and every FROM name
        // is checked on every keystroke.
        let bare = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-');
        if text.len() < 64 && text.bytes().all(bare) {
            if !valid_path_component(text.as_bytes()) {
                return Err("invalid reference format".into());
            }
            return Ok(Parts { domain: DEFAULT_DOMAIN, library: true, name: text, tag: None, digest: None });
        }
        if text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()) {
            return Err(format!("invalid repository name ({text}), cannot specify 64-byte hexadecimal strings"));
        }
        let (domain, remainder) = split_domain(text);
        let library = domain == DEFAULT_DOMAIN && !remainder.contains('/');
        let (name, tag, digest) = split_tag_digest(remainder)?;
        if changes_when_lowercased(name) {
            let prefix = if library { "library/" } else { "" };
            return Err(format!("invalid reference format: repository name ({prefix}{name}) must be lowercase"));
        }
        if name.is_empty() {
            return Err("invalid reference format".into());
        }
        if !valid_domain(domain) || !name.as_bytes().split(|&b| b == b'/').all(valid_path_component) {
            return Err("invalid reference format".into());
        }
        let path_len = name.len() + if library { "library/".len() } else { 0 };
        if domain.len() + 1 + path_len > 255 {
            return Err("repository name must not be more than 255 characters".into());
        }
        Ok(Parts { domain, library, name, tag, digest })
    }
}

/// `splitDockerDomain`: a first component with `.` or `:`, or `localhost`,
/// or with upper case, is a registry; otherwise Docker Hub
/// (`index.docker.io` is Docker Hub too).
fn split_domain(text: &str) -> (&str, &str) {
    // References are short: a plain scan beats a general search here.
    let slash = text.bytes().position(|b| b == b'/');
    match slash.map(|i| (&text[..i], &text[i + 1..])) {
        Some(("index.docker.io", rest)) => (DEFAULT_DOMAIN, rest),
        Some((first, rest)) if first.bytes().any(|b| b == b'.' || b == b':') || first == "localhost" || changes_when_lowercased(first) => {
            (first, rest)
        }
        _ => (DEFAULT_DOMAIN, text),
    }
}

type NameTagDigest<'a> = (&'a str, Option<&'a str>, Option<&'a str>);

fn split_tag_digest(remainder: &str) -> Result<NameTagDigest<'_>, String> {
    let (rest, digest) = match remainder.bytes().position(|b| b == b'@') {
        Some(at) => (&remainder[..at], Some(check_digest(&remainder[at + 1..])?)),
        None => (remainder, None),
    };
    // The tag follows the last `:` after the last `/`.
    let colon = rest.bytes().rposition(|b| b == b':' || b == b'/').filter(|&i| rest.as_bytes()[i] == b':');
    let (name, tag) = match colon {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    if let Some(tag) = tag {
        if !valid_tag(tag) {
            return Err("invalid reference format".into());
        }
    }
    Ok((name, tag, digest))
}

/// `[\w][\w.-]{0,127}` (on bytes: any non-ASCII byte fails it, as the character would).
fn valid_tag(tag: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    bytes.len() <= 128
        && bytes.first().is_some_and(|&b| word(b))
        && bytes.iter().all(|&b| word(b) || b == b'.' || b == b'-')
}

fn check_digest(digest: &str) -> Result<&str, String> {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return Err("invalid reference format".into());
    };
    let algorithm_ok = algorithm.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && algorithm.chars().all(|c| c.is_ascii_alphanumeric() || "-_+.".contains(c));
    if !algorithm_ok || hex.len() < 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err("invalid reference format".into());
    }
    if algorithm == "sha256" && hex.len() != 64 {
        return Err("invalid checksum digest length".into());
    }
    Ok(digest)
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`.
fn valid_path_component(bytes: &[u8]) -> bool {
    // On bytes: a non-ASCII character is never alphanumeric here, so it
    // lands in a separator and fails it, as a character would.
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !(bytes.first().is_some_and(|&b| alnum(b)) && bytes.last().is_some_and(|&b| alnum(b))) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while !alnum(bytes[i]) {
            i += 1; // ends: the last byte is alphanumeric
        }
        let sep = &bytes[start..i];
        if !(matches!(sep, b"." | b"_" | b"__") || sep.iter().all(|&b| b == b'-')) {
            return false;
        }
    }
    true
}

/// Host names (letters, digits, inner `-`, joined by `.`), an optional
/// `:port`, or a bracketed IPv6 address.
fn valid_domain(domain: &str) -> bool {
    if domain == DEFAULT_DOMAIN {
        return true;
    }
    let (host, port) = match domain.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || domain.starts_with('[') => (h, Some(p)),
        _ => (domain, None),
    };
    // On bytes: a non-ASCII character fails every test below, as its bytes do.
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    if host.starts_with('[') {
        return host.ends_with(']') && host[1..host.len() - 1].bytes().all(|b| b.is_ascii_hexdigit() || b == b':');
    }
    host.split('.').all(|label| {
        !label.is_empty()
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(s: &str) -> String {
        ImageRef::parse(s).map(|r| r.full()).unwrap_or_else(|e| e)
    }

    #[test]
    fn normalises_like_docker() {
        assert_eq!(full("ubuntu"), "docker.io/library/ubuntu:latest");
        assert_eq!(full("python:3.12-slim"), "docker.io/library/python:3.12-slim");
        assert_eq!(full("grafana/grafana:10.0"), "docker.io/grafana/grafana:10.0");
        assert_eq!(full("ghcr.io/org/app"), "ghcr.io/org/app:latest");
        assert_eq!(full("localhost:5000/app:1"), "localhost:5000/app:1");
        assert_eq!(full("index.docker.io/library/nginx"), "docker.io/library/nginx:latest");
        let digest = format!("sha256:{}", "a".repeat(64));
        assert_eq!(full(&format!("alpine@{digest}")), format!("docker.io/library/alpine@{digest}"));
        assert_eq!(ImageRef::parse("grafana/grafana").unwrap().familiar_name(), "grafana/grafana");
        assert_eq!(ImageRef::parse("ubuntu:22.04").unwrap().familiar_name(), "ubuntu");
    }

    #[test]
    fn rejects_like_docker() {
        assert_eq!(full("Ubuntu"), "invalid reference format: repository name (library/Ubuntu) must be lowercase");
        assert_eq!(full("ubuntu:"), "invalid reference format");
        assert_eq!(full("ubuntu:-x"), "invalid reference format");
        assert_eq!(full("my--app__x"), "docker.io/library/my--app__x:latest");
        assert_eq!(full("a..b"), "invalid reference format");
        assert_eq!(full("alpine@sha256:abc"), "invalid reference format");
        assert_eq!(full(&format!("alpine@sha256:{}", "a".repeat(40))), "invalid checksum digest length");
        assert_eq!(full(""), "invalid reference format");
        // Bare names take a shorter path: the same answers.
        for bad in ["-a", "a-", "a..b", "a.", "_a", "a___b", "a.-b"] {
            assert_eq!(full(bad), "invalid reference format", "{bad}");
        }
        for good in ["a", "a-b", "a--b", "a__b", "a.b", "a_b", "0", "alpine3.20"] {
            assert_eq!(full(good), format!("docker.io/library/{good}:latest"), "{good}");
        }
        let hex = "0123456789abcdef".repeat(4);
        assert_eq!(full(&hex), format!("invalid repository name ({hex}), cannot specify 64-byte hexadecimal strings"));
    }
}
