//! Which images are modelled, and how a `FROM` name finds one: Docker's name normalisation
//! (`ubuntu` is `docker.io/library/ubuntu:latest`), tag aliases that are the same image
//! (`alpine:latest` is `alpine:3.20`), the nearest modelled tag for an unmodelled tag of a
//! modelled repository (with a note the page shows), `docker pull`'s failure for a name
//! that cannot exist, and Layerlab's own message for a real image it does not model.

use serde::{Deserialize, Serialize};

use layerlab_dockerfile::reference::ImageRef;

use crate::image::DataError;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImageIndex {
    pub format: u32,
    pub images: Vec<IndexEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexEntry {
    /// `repository:tag` as Docker Hub's short form (`python:3.12-slim`).
    pub name: String,
    /// Other tags that are the same image (`alpine:latest`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The data file under `static/data/` (`images/alpine_3.20.json`); empty for `scratch`.
    pub file: String,
    /// `exact` or `approximate: ...`, copied from the data file.
    pub fidelity: String,
    /// `docker images` size in bytes, with the base image's layers.
    pub size: u64,
    /// The platforms the real image is published for (`linux/arm64`, `linux/arm/v7`), from
    /// docker-library/repo-info; the data itself is linux/amd64.
    #[serde(default)]
    pub platforms: Vec<String>,
}

/// A name resolved to a modelled image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<'a> {
    pub entry: &'a IndexEntry,
    /// `docker.io/library/ubuntu:latest`, what Docker prints for the name as written.
    pub reference: String,
    /// Set when the tag asked for is not modelled and another was chosen.
    pub note: Option<String>,
}

/// Why a name does not resolve, worded as Docker words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullError {
    /// The name is not a valid reference (`FROM Ubuntu`).
    InvalidReference(String),
    /// No such repository: Docker Hub's `library/` namespace holds only the official images.
    NotFound { reference: String, familiar: String },
    /// A real official image, or one elsewhere that may exist, that Layerlab does not model.
    Unmodelled { reference: String, official: bool },
}

impl PullError {
    /// BuildKit's wording (`docker build` with the default builder).
    pub fn buildkit_message(&self) -> String {
        match self {
            PullError::InvalidReference(message) => message.clone(),
            PullError::NotFound { reference, .. } => format!(
                "failed to resolve source metadata for {reference}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
            ),
            PullError::Unmodelled { .. } => self.unmodelled(),
        }
    }

    /// Layerlab's own words for an image it cannot pull: never Docker's "does not exist"
    /// for one that does.
    fn unmodelled(&self) -> String {
        let PullError::Unmodelled { reference, official } = self else { return String::new() };
        let modelled = "Layerlab models alpine, debian, nginx, node, python, rust, ubuntu, scratch and the images built in this session";
        if *official {
            format!("layerlab: {reference} is a real official image, but it is not modelled ({modelled}); this build cannot be simulated")
        } else {
            format!("layerlab: {reference} is not modelled ({modelled}), and whether it exists cannot be looked up here; this build cannot be simulated")
        }
    }

    /// The daemon's wording (`docker pull`, the classic builder).
    pub fn pull_message(&self) -> String {
        match self {
            PullError::InvalidReference(message) => message.clone(),
            PullError::NotFound { familiar, .. } => format!(
                "Error response from daemon: pull access denied for {familiar}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"
            ),
            PullError::Unmodelled { .. } => self.unmodelled(),
        }
    }
}

impl ImageIndex {
    pub fn from_json(text: &str) -> Result<ImageIndex, DataError> {
        serde_json::from_str(text).map_err(|e| DataError(format!("image index: {e}")))
    }

    /// Resolves a `FROM` image name (after ARG expansion).
    pub fn resolve(&self, name: &str) -> Result<Resolved<'_>, PullError> {
        if name == "scratch" {
            let entry = self.find("scratch").ok_or_else(|| PullError::InvalidReference("scratch is not in the image index".into()))?;
            return Ok(Resolved { entry, reference: "scratch".into(), note: None });
        }
        let reference = ImageRef::parse(name).map_err(PullError::InvalidReference)?;
        let full = reference.full();
        let repository = reference.familiar_name();
        let official = reference.domain == "docker.io" && OFFICIAL_IMAGES.contains(&repository.as_str());
        let not_found = || match (reference.domain == "docker.io" && !repository.contains('/'), official) {
            // The library namespace holds only the official images: anything else there is missing.
            (true, false) => PullError::NotFound { reference: full.clone(), familiar: repository.clone() },
            _ => PullError::Unmodelled { reference: full.clone(), official },
        };
        if reference.domain != "docker.io" {
            return Err(not_found());
        }
        let tag = reference.tag_or_latest().unwrap_or("latest");
        let wanted = format!("{repository}:{tag}");
        if let Some(entry) = self.find(&wanted) {
            return Ok(Resolved { entry, reference: full, note: None });
        }
        let entry = self.nearest(&repository, tag).ok_or_else(not_found)?;
        let mut note = format!("{wanted} is not modelled; Layerlab uses {}, the nearest modelled tag of {repository}", entry.name);
        // An Alpine variant stood in for by a Debian-based image: its apk, BusyBox and musl
        // are not there, which the learner should know before `apk add` fails.
        if tag.contains("alpine") && !entry.name.contains("alpine") {
            note.push_str(" (Debian-based: the Alpine variant, with apk and BusyBox, is not modelled)");
        }
        Ok(Resolved { entry, reference: full, note: Some(note) })
    }

    fn find(&self, name: &str) -> Option<&IndexEntry> {
        self.images.iter().find(|e| e.name == name || e.aliases.iter().any(|a| a == name))
    }

    /// Among the repository's modelled tags, the one sharing the variant suffix
    /// (`-alpine`, `-slim`) of the tag asked for, else one that is not Alpine (the plain
    /// tags of official images are Debian-based), else any.
    fn nearest(&self, repository: &str, tag: &str) -> Option<&IndexEntry> {
        let tags: Vec<(&IndexEntry, &str)> = self
            .images
            .iter()
            .filter_map(|e| Some((e, e.name.strip_prefix(repository)?.strip_prefix(':')?)))
            .collect();
        let variant = |t: &str| ["alpine", "slim"].into_iter().find(|v| t.contains(v));
        tags.iter()
            .find(|(_, t)| variant(t) == variant(tag))
            .or_else(|| tags.iter().find(|(_, t)| variant(t) != Some("alpine")))
            .or_else(|| tags.first())
            .map(|(e, _)| *e)
    }
}

/// Docker Hub's official images (the repositories of docker-library/official-images'
/// `library/` folder, 2026). They exist, so a `FROM` of one Layerlab does not model gets
/// Layerlab's message, not the "repository does not exist" a missing one gets.
const OFFICIAL_IMAGES: &[&str] = &[
    "adminer", "aerospike", "almalinux", "alpine", "alt", "amazoncorretto", "amazonlinux", "api-firewall", "arangodb", "archlinux",
    "backdrop", "bash", "bonita", "buildpack-deps", "busybox", "caddy", "cassandra", "centos", "chronograf", "cirros", "clearlinux",
    "clickhouse", "clojure", "composer", "convertigo", "couchbase", "couchdb", "crate", "dart", "debian", "docker", "drupal",
    "eclipse-mosquitto", "eclipse-temurin", "eggdrop", "elasticsearch", "elixir", "emqx", "erlang", "fedora", "flink", "fluentd",
    "friendica", "gazebo", "gcc", "geonetwork", "ghost", "golang", "gradle", "groovy", "haproxy", "haskell", "haxe", "hello-world",
    "hitch", "httpd", "hylang", "ibm-semeru-runtimes", "ibmjava", "influxdb", "irssi", "jetty", "joomla", "jruby", "julia",
    "kapacitor", "kibana", "kong", "krakend", "liquibase", "logstash", "mageia", "mariadb", "matomo", "maven", "mediawiki",
    "memcached", "mongo", "mongo-express", "monica", "mono", "mysql", "nats", "neo4j", "neurodebian", "nextcloud", "nginx", "node",
    "notary", "odoo", "open-liberty", "openjdk", "oraclelinux", "orientdb", "percona", "perl", "photon", "php", "php-zendserver",
    "phpmyadmin", "plone", "postfixadmin", "postgres", "pypy", "python", "r-base", "rabbitmq", "rakudo-star", "redis", "redmine",
    "registry", "rethinkdb", "rocket.chat", "rockylinux", "ruby", "rust", "sapmachine", "satosa", "silverpeas", "solr",
    "sonarqube", "spark", "spiped", "storm", "swift", "swipl", "teamspeak", "telegraf", "tomcat", "tomee", "traefik", "ubuntu",
    "unit", "varnish", "websphere-liberty", "wordpress", "xwiki", "yourls", "znc", "zookeeper",
];
