//! pip's resolution over the catalog: which distributions `pip install NAME...` installs,
//! following `Requires-Dist` with markers evaluated for CPython 3.12 on Linux x86_64 and
//! extras (`name[extra]`) and version specifiers honoured. The catalog holds the versions
//! pip chose for its requests, so "newest that fits" finds what pip finds.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::{marker, pep440};
use crate::pip::{normalize, Distribution, PipIndex};

/// A requirement line split into name, extras, version specifier and marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub name: String,
    pub extras: Vec<String>,
    /// `>=2.1,<3` (parentheses removed); empty for any version.
    pub specifier: String,
    pub marker: Option<String>,
}

/// Parses `name[extra1,extra2] (>=1) ; marker` (PEP 508 without URLs).
pub fn parse_requirement(text: &str) -> Requirement {
    let (spec, marker) = match text.split_once(';') {
        Some((s, m)) => (s, Some(m.trim().to_string())),
        None => (text, None),
    };
    let spec = spec.trim();
    let end = spec.find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c))).unwrap_or(spec.len());
    let name = spec[..end].to_string();
    let mut rest = spec[end..].trim_start();
    let mut extras = Vec::new();
    if let Some((inside, after)) = rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
        extras = inside.split(',').map(|e| normalize(e.trim())).filter(|e| !e.is_empty()).collect();
        rest = after;
    }
    let specifier = rest.trim().trim_start_matches('(').trim_end_matches(')').replace(' ', "");
    Requirement { name, extras, specifier, marker }
}

/// pip's answers when the catalog cannot satisfy a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// `ERROR: No matching distribution found for NAME`: the project is not in the catalog.
    NoMatchingDistribution(String),
    /// No catalog version satisfies every constraint met on the way.
    NoVersion { name: String, specifiers: Vec<String> },
}

/// The distributions to install, requested ones first, then dependencies breadth-first.
/// Each project gets the newest catalog version that meets every specifier met so far; a
/// later, stricter specifier restarts the walk with it (the catalog is small, so this ends
/// within a few rounds).
pub fn resolve<'a>(index: &'a PipIndex, requests: &[&str]) -> Result<Vec<&'a Distribution>, ResolveError> {
    let mut constraints: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for _round in 0..64 {
        if let Some(chosen) = walk(index, requests, &mut constraints)? {
            return Ok(chosen);
        }
    }
    Err(ResolveError::NoVersion { name: requests.join(" "), specifiers: vec!["resolution did not settle".into()] })
}

/// One walk; `None` when a new constraint invalidated a choice already made.
fn walk<'a>(
    index: &'a PipIndex,
    requests: &[&str],
    constraints: &mut BTreeMap<String, Vec<String>>,
) -> Result<Option<Vec<&'a Distribution>>, ResolveError> {
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    let mut chosen: Vec<(String, &Distribution)> = Vec::new();
    let mut queue: VecDeque<Requirement> = requests.iter().map(|r| parse_requirement(r)).collect();
    while let Some(requirement) = queue.pop_front() {
        let key = normalize(&requirement.name);
        let versions = index.distributions.get(&key).ok_or_else(|| ResolveError::NoMatchingDistribution(requirement.name.clone()))?;
        let known = constraints.entry(key.clone()).or_default();
        if !requirement.specifier.is_empty() && !known.contains(&requirement.specifier) {
            known.push(requirement.specifier.clone());
            if chosen.iter().any(|(k, d)| *k == key && !pep440::satisfies(&d.version, &requirement.specifier)) {
                return Ok(None);
            }
        }
        let dist = match chosen.iter().find(|(k, _)| *k == key) {
            Some((_, d)) => *d,
            None => {
                let d = versions
                    .iter()
                    .find(|d| known.iter().all(|s| pep440::satisfies(&d.version, s)))
                    .ok_or_else(|| ResolveError::NoVersion { name: requirement.name.clone(), specifiers: known.clone() })?;
                chosen.push((key.clone(), d));
                d
            }
        };
        let mut extras = vec![String::new()];
        extras.extend(requirement.extras.iter().cloned());
        for extra in extras {
            if seen.insert((key.clone(), extra.clone())) {
                queue.extend(requirements_for(dist, &extra));
            }
        }
    }
    Ok(Some(chosen.into_iter().map(|(_, d)| d).collect()))
}

/// A distribution's requirements that apply for `extra` (`""`: the base requirements).
fn requirements_for(dist: &Distribution, extra: &str) -> Vec<Requirement> {
    dist.requires_dist
        .iter()
        .map(|line| parse_requirement(line))
        .filter(|dep| match &dep.marker {
            None => extra.is_empty(),
            Some(m) => marker::evaluate(m, extra) && (extra.is_empty() || m.contains("extra")),
        })
        .collect()
}
