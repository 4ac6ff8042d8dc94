//! PEP 440 versions and specifiers, as far as choosing among the catalog's versions needs:
//! release numbers, pre/post/dev releases, and the `== != < <= > >= ~= ===` operators with
//! `==1.*` wildcards. Local versions (`+cpu`) compare by their public part.

use std::cmp::Ordering;

/// A parsed version, ordered as PEP 440 orders them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    release: Vec<u64>,
    /// `(phase, n)`: dev-only 0, a 1, b 2, rc 3, final 4.
    pre: (u8, u64),
    post: Option<u64>,
    dev: Option<u64>,
}

impl Version {
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim().trim_start_matches(['v', 'V']).to_ascii_lowercase();
        let public = text.split('+').next()?;
        let digits_end = public.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(public.len());
        let release: Vec<u64> = public[..digits_end].trim_end_matches('.').split('.').map(|p| p.parse().ok()).collect::<Option<_>>()?;
        let mut rest = &public[digits_end..];
        let mut version = Version { release, pre: (4, 0), post: None, dev: None };
        for (tag, phase) in [("rc", 3), ("c", 3), ("alpha", 1), ("a", 1), ("beta", 2), ("b", 2)] {
            if let Some(r) = rest.trim_start_matches(['.', '-', '_']).strip_prefix(tag) {
                let (n, r) = number(r);
                version.pre = (phase, n);
                rest = r;
                break;
            }
        }
        if let Some(r) = rest.trim_start_matches(['.', '-', '_']).strip_prefix("post") {
            let (n, r) = number(r);
            version.post = Some(n);
            rest = r;
        }
        if let Some(r) = rest.trim_start_matches(['.', '-', '_']).strip_prefix("dev") {
            let (n, r) = number(r);
            version.dev = Some(n);
            if version.pre == (4, 0) && version.post.is_none() {
                version.pre = (0, 0);
            }
            rest = r;
        }
        rest.is_empty().then_some(version)
    }

    fn release_cmp(&self, other: &Version) -> Ordering {
        let len = self.release.len().max(other.release.len());
        let at = |v: &Version, i: usize| v.release.get(i).copied().unwrap_or(0);
        (0..len).map(|i| at(self, i).cmp(&at(other, i))).find(|o| o.is_ne()).unwrap_or(Ordering::Equal)
    }

    pub fn is_prerelease(&self) -> bool {
        self.pre.0 < 4 || self.dev.is_some()
    }
}

fn number(text: &str) -> (u64, &str) {
    let text = text.trim_start_matches(['.', '-', '_']);
    let end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    (text[..end].parse().unwrap_or(0), &text[end..])
}

impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        self.release_cmp(other)
            .then(self.pre.cmp(&other.pre))
            .then(self.post.map_or(0, |p| p + 1).cmp(&other.post.map_or(0, |p| p + 1)))
            // No dev sorts after any dev release.
            .then(self.dev.map_or(u64::MAX, |d| d).cmp(&other.dev.map_or(u64::MAX, |d| d)))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Whether `version` satisfies every clause of `specifiers` (`>=2.1,<3.0.0`). Clauses that
/// do not parse are ignored, as the catalog only has versions pip accepted.
pub fn satisfies(version: &str, specifiers: &str) -> bool {
    let Some(v) = Version::parse(version) else { return false };
    specifiers.split(',').map(str::trim).filter(|c| !c.is_empty()).all(|clause| clause_holds(&v, version, clause))
}

fn clause_holds(v: &Version, raw: &str, clause: &str) -> bool {
    let op_end = clause.find(|c: char| !"<>=!~".contains(c)).unwrap_or(clause.len());
    let (op, target) = (&clause[..op_end], clause[op_end..].trim());
    if op == "===" {
        return raw == target;
    }
    if let Some(prefix) = target.strip_suffix(".*") {
        let Some(p) = Version::parse(prefix) else { return true };
        let matches = v.release.len() >= p.release.len() && v.release[..p.release.len()] == p.release[..];
        return if op == "!=" { !matches } else { matches };
    }
    let Some(t) = Version::parse(target) else { return true };
    match op {
        "==" => v.cmp(&t) == Ordering::Equal,
        "!=" => v.cmp(&t) != Ordering::Equal,
        "<" => v < &t,
        "<=" => v <= &t,
        ">" => v > &t,
        ">=" => v >= &t,
        "~=" => v >= &t && t.release.len() > 1 && v.release.len() >= t.release.len() - 1 && v.release[..t.release.len() - 1] == t.release[..t.release.len() - 1],
        _ => true,
    }
}
