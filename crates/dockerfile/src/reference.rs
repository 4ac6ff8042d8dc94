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

const DEFAULT_DOMAIN: &str = "docker.io";

impl ImageRef {
    /// Parses `text`, normalising the domain and the `library/` prefix.
    pub fn parse(text: &str) -> Result<ImageRef, String> {
        if text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()) {
            return Err(format!("invalid repository name ({text}), cannot specify 64-byte hexadecimal strings"));
        }
        let (domain, remainder) = split_domain(text);
        let (name_part, tag, digest) = split_tag_digest(&remainder)?;
        if changes_when_lowercased(name_part) {
            return Err(format!("invalid reference format: repository name ({name_part}) must be lowercase"));
        }
        if name_part.is_empty() {
            return Err("invalid reference format".into());
        }
        if !valid_domain(&domain) || !name_part.split('/').all(valid_path_component) {
            return Err("invalid reference format".into());
        }
        if domain.len() + 1 + name_part.len() > 255 {
            return Err("repository name must not be more than 255 characters".into());
        }
        Ok(ImageRef { domain, path: name_part.to_string(), tag, digest })
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
        let mut out = format!("{}/{}", self.domain, self.path);
        if let Some(tag) = self.tag_or_latest() {
            out.push(':');
            out.push_str(tag);
        }
        if let Some(digest) = &self.digest {
            out.push('@');
            out.push_str(digest);
        }
        out
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

/// Whether lowercasing changes `s` (Go compares with `strings.ToLower`).
/// Names are nearly always ASCII, checked without allocating.
fn changes_when_lowercased(s: &str) -> bool {
    if s.is_ascii() {
        return s.bytes().any(|b| b.is_ascii_uppercase());
    }
    s.to_lowercase() != s
}

/// `splitDockerDomain`: a first component with `.` or `:`, or `localhost`,
/// or with upper case, is a registry; otherwise Docker Hub.
fn split_domain(text: &str) -> (String, String) {
    let (domain, remainder) = match text.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':']) || first == "localhost" || changes_when_lowercased(first) =>
        {
            (first.to_string(), rest.to_string())
        }
        _ => (DEFAULT_DOMAIN.to_string(), text.to_string()),
    };
    let domain = if domain == "index.docker.io" { DEFAULT_DOMAIN.to_string() } else { domain };
    let remainder = if domain == DEFAULT_DOMAIN && !remainder.contains('/') {
        format!("library/{remainder}")
    } else {
        remainder
    };
    (domain, remainder)
}

type NameTagDigest<'a> = (&'a str, Option<String>, Option<String>);

fn split_tag_digest(remainder: &str) -> Result<NameTagDigest<'_>, String> {
    let (rest, digest) = match remainder.split_once('@') {
        Some((rest, digest)) => (rest, Some(check_digest(digest)?)),
        None => (remainder, None),
    };
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(tag) = tag {
        if !valid_tag(tag) {
            return Err("invalid reference format".into());
        }
    }
    Ok((name, tag.map(str::to_string), digest))
}

/// `[\w][\w.-]{0,127}`.
fn valid_tag(tag: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    tag.len() <= 128
        && tag.chars().next().is_some_and(word)
        && tag.chars().all(|c| word(c) || c == '.' || c == '-')
}

fn check_digest(digest: &str) -> Result<String, String> {
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
    Ok(digest.to_string())
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`.
fn valid_path_component(component: &str) -> bool {
    // On bytes: a non-ASCII character is never alphanumeric here, so it
    // lands in a separator and fails it, as a character would.
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = component.as_bytes();
    if !(bytes.first().is_some_and(alnum) && bytes.last().is_some_and(alnum)) {
        return false;
    }
    bytes
        .split(alnum)
        .filter(|sep| !sep.is_empty())
        .all(|sep| matches!(sep, b"." | b"_" | b"__") || sep.iter().all(|&b| b == b'-'))
}

/// Host names (letters, digits, inner `-`, joined by `.`), an optional
/// `:port`, or a bracketed IPv6 address.
fn valid_domain(domain: &str) -> bool {
    let (host, port) = match domain.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || domain.starts_with('[') => (h, Some(p)),
        _ => (domain, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return false;
    }
    if host.starts_with('[') {
        return host.ends_with(']') && host[1..host.len() - 1].chars().all(|c| c.is_ascii_hexdigit() || c == ':');
    }
    host.split('.').all(|label| {
        !label.is_empty()
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
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
    }
}
