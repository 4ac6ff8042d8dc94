//! The files `curl` and `wget` can fetch: the simulator has no network, but its catalogs
//! know the exact size of every npm tarball, PyPI wheel and Debian .deb they hold, at the
//! URLs the registries serve them from. Every other URL fails as an unreachable host does.

use crate::store::{DataStore, Lookup};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub size: u64,
    /// Which catalog vouches for the size, for the page and for content ids.
    pub catalog: &'static str,
}

/// The host of an `http(s)://` URL.
pub fn host(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

/// The last path segment of a URL: the name `curl -O`, `wget` and `ADD URL dir/` save as.
pub fn file_name(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url).rsplit('/').next().unwrap_or("")
}

/// The registries' main hosts: a URL there that no catalog has is a file the simulator
/// does not know, not an unreachable host.
pub const CATALOG_HOSTS: [&str; 5] = ["registry.npmjs.org", "files.pythonhosted.org", "deb.debian.org", "archive.ubuntu.com", "security.ubuntu.com"];

/// The file at `url`, if a catalog holds it. `Err(Missing)` asks for a catalog file first.
pub fn find(store: &DataStore, url: &str) -> Result<Option<Download>, Lookup> {
    let Some(host) = host(url) else { return Ok(None) };
    let file = file_name(url);
    match host {
        "registry.npmjs.org" => npm(store, url),
        "files.pythonhosted.org" => {
            let pip = store.pip()?;
            let wheel = pip.distributions.values().flatten().find(|d| d.wheel == file);
            Ok(wheel.map(|d| Download { size: d.wheel_size, catalog: "pip" }))
        }
        "deb.debian.org" | "ftp.debian.org" | "security.debian.org" | "httpredir.debian.org" => deb(store, "bookworm", file),
        "archive.ubuntu.com" | "security.ubuntu.com" => deb(store, "noble", file),
        _ => Ok(None),
    }
}

/// A .deb of a release's apt catalog, by its pool file name.
fn deb(store: &DataStore, release: &str, file: &str) -> Result<Option<Download>, Lookup> {
    let Some((name, version, arch)) = deb_name(file) else { return Ok(None) };
    let apt = store.apt(release)?;
    let deb = apt.packages.get(&name).filter(|p| p.version == version && p.architecture == arch);
    Ok(deb.map(|p| Download { size: p.download_size, catalog: "apt" }))
}

/// `https://registry.npmjs.org/NAME/-/BASE-VERSION.tgz` (NAME may be `@scope/x`).
fn npm(store: &DataStore, url: &str) -> Result<Option<Download>, Lookup> {
    let path = url.split("registry.npmjs.org/").nth(1).unwrap_or("");
    let Some((name, file)) = path.split_once("/-/") else { return Ok(None) };
    let name = name.replace("%2f", "/").replace("%2F", "/");
    let base = name.rsplit('/').next().unwrap_or(&name);
    let Some(version) = file.strip_prefix(&format!("{base}-")).and_then(|f| f.strip_suffix(".tgz")) else { return Ok(None) };
    let npm = store.npm()?;
    Ok(npm.packages.get(&format!("{name}@{version}")).map(|p| Download { size: p.tarball_size, catalog: "npm" }))
}

/// `curl_7.88.1-10+deb12u15_amd64.deb` → (name, version with its epoch unescaped, arch).
fn deb_name(file: &str) -> Option<(String, String, String)> {
    let stem = file.strip_suffix(".deb")?;
    let mut parts = stem.splitn(3, '_');
    let (name, version, arch) = (parts.next()?, parts.next()?, parts.next()?);
    Some((name.to_string(), version.replace("%3a", ":").replace("%3A", ":"), arch.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_deb_names() {
        assert_eq!(host("https://user@github.com:443/a/b"), Some("github.com"));
        assert_eq!(host("http://deb.debian.org/debian/pool/x.deb"), Some("deb.debian.org"));
        assert_eq!(host("ftp://x"), None);
        assert_eq!(deb_name("vim_2%3a9.0.1378-2_amd64.deb"), Some(("vim".into(), "2:9.0.1378-2".into(), "amd64".into())));
    }
}
