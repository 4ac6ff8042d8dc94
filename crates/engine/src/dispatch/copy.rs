//! COPY and ADD: files from the build context, an earlier stage or an image, keyed by the
//! checksums of the files selected (reference B1/B2: header fields and content, no mtime).

use std::collections::BTreeMap;
use std::sync::Arc;

use layerlab_dockerfile::expand::EnvList;
use layerlab_dockerfile::ignore::{has_glob, matches};
use layerlab_dockerfile::instructions::{Copy, Instruction, Stage};
use layerlab_dockerfile::path::clean;
use layerlab_image::fs::archive;
use layerlab_image::fs::{Content, FsError, Meta, Node, Snapshot};
use sha2::{Digest, Sha256};

use super::{Build, Executed, Stop, StepError};
use crate::cache::Components;
use crate::history;
use crate::report::StepKind;
use crate::request::Builder;
use crate::state::StageState;

/// Modelled copy throughput (bytes per millisecond) and fixed cost.
const BYTES_PER_MS: u64 = 200_000;
const COPY_MS: u64 = 30;

/// One source path selected for copying, and where it lands.
struct Selected {
    /// Path in the source snapshot (`/src/app.py`).
    from: String,
    /// Absolute destination.
    to: String,
    /// A directory's contents are copied into `to`.
    dir: bool,
}

/// Where COPY reads from.
enum Source {
    Context,
    Stage(usize),
    Image(String),
}

impl Build<'_> {
    pub(super) fn copy_step(&mut self, st: &mut StageState, stage: &Stage, ins: &Instruction, c: &Copy, add: bool) -> Result<(), Stop> {
        if self.builder() == Builder::Classic && c.chmod.is_some() {
            return Err(self.requires_buildkit(ins, "chmod"));
        }
        let env = st.expansion_env();
        let name = self.display_name(ins, st);
        let sources: Vec<String> = c.sources.iter().map(|w| self.expand(&w.value, &env, ins)).collect::<Result<_, _>>()?;
        let written_dest = self.expand(&c.dest.value, &env, ins)?;
        let dest = absolute(&written_dest, &st.config.working_dir);
        if add {
            match sources.as_slice() {
                [url] if is_remote(url) && url.starts_with("http") => return self.add_url(st, stage, ins, c, url, &written_dest),
                _ if sources.iter().any(|s| is_remote(s)) => {
                    return Err(self.fail_at(ins, "layerlab: ADD of a git repository, or of URLs together with other sources, is not simulated".into()))
                }
                _ => {}
            }
        }
        if c.parents && sources.iter().any(|s| s.contains("/./")) {
            return Err(self.fail_at(ins, format!("layerlab: {} --parents with a `/./` pivot is not simulated yet", if add { "ADD" } else { "COPY" })));
        }
        let excludes: Vec<String> = c.exclude.iter().map(|w| self.expand(&w.value, &env, ins).map(|p| clean(&p))).collect::<Result<_, _>>()?;
        let source = self.copy_source(c, &env, ins, stage)?;
        let mut from_fs = self.source_fs(&source, ins)?;
        let heredocs: Vec<(String, String)> = c.inline.iter().map(|h| (h.name.clone(), h.content.clone())).collect();
        let many = sources.len() + heredocs.len() > 1 || sources.iter().any(|s| has_glob(s));
        if many && !c.dest.value.ends_with('/') {
            return Err(self.fail_at(ins, "When using COPY with more than one source file, the destination must be a directory and end with a /".into()));
        }
        let dest_is_dir = many || c.dest.value.ends_with('/') || matches!(st.fs.get(&dest, true), Ok(Node::Dir(_)));
        let mut selected = self.select(&from_fs, &sources, &dest, dest_is_dir || c.parents, &source, ins)?;
        if c.parents {
            // The source's path below the context root is kept under the destination.
            for s in &mut selected {
                s.to = join(&dest, s.from.trim_start_matches('/'));
            }
        }
        if !excludes.is_empty() {
            exclude(&mut from_fs, &mut selected, &excludes);
        }
        let files = checksums(&from_fs, &selected, &heredocs);
        if matches!(source, Source::Context) {
            self.context_used = true;
            for s in &selected {
                if let Ok(node) = from_fs.get(&s.from, true) {
                    sizes(s.from.trim_start_matches('/'), node, &mut self.transferred);
                }
            }
        }
        let owner = match &c.chown {
            Some(spec) => Some(super::user::chown(&st.fs, &self.expand(&spec.value, &env, ins)?).map_err(|e| self.fail_at(ins, format!("failed to copy files: {e}")))?),
            None => None,
        };
        let chmod = match &c.chmod {
            Some(m) => Some(u32::from_str_radix(&m.value, 8).map_err(|_| self.fail_at(ins, format!("invalid chmod parameter: '{}'. it should be octal string and between 0 and 07777", m.value)))?),
            None => None,
        };
        let step = self.step(stage, ins, StepKind::Layer, name.clone());
        let mut components = Components {
            parent: st.key.clone(),
            op: name.clone(),
            env: Vec::new(),
            workdir: String::new(),
            user: String::new(),
            files,
            other: vec![("dest".into(), dest.clone())],
        };
        // The classic builder prints the destination as written (`in .`, `in /app/`).
        // The legacy builder writes `--chown=` straight before the hash, without a space
        // (its `"%s %s%s in %s "` format).
        let chown = c.chown.as_ref().map(|w| format!("--chown={}", self.expand(&w.value, &env, ins).unwrap_or_else(|_| w.value.to_string()))).unwrap_or_default();
        let classic_text = format!("{} {chown}{} in {written_dest}", if add { "ADD" } else { "COPY" }, classic_hash(&from_fs, &selected, Flavour::of(&source)));
        if self.builder() == Builder::Classic {
            // The probe's `COPY <hash> in <dest>` is the files' checksum, which
            // `components.files` already holds file by file (and explains by name).
            components = super::config::classic_probe(components, st);
        }
        let extract = add && matches!(source, Source::Context);
        let plan = CopyPlan { selected, heredocs, dest: dest.clone(), dest_is_dir, owner, chmod, keep_owner: !matches!(source, Source::Context), extract };
        // `--link` (BuildKit): the files are copied onto an empty root, and that layer is
        // laid over whatever is below; its cache key leaves the layers below out, so it
        // stays cached when they change, while the steps after it see the new base.
        let link = c.link && self.builder() == Builder::BuildKit;
        let (base_fs, base_key) = (st.fs.clone(), st.key.clone());
        if link {
            components.parent = crate::cache::CacheKey::of("COPY --link: independent of the layers below");
        }
        let result = self.cached_step(st, step, components, true, |_, st, created| match link {
            true => {
                let empty = Snapshot::empty(DIR_META);
                let copied = plan.execute(&from_fs, &empty, created)?;
                let fs = lay_over(&st.fs, &layerlab_image::fs::diff(&empty, &copied.fs)).map_err(|e| StepError::both(format!("failed to copy files: {}", e.message())))?;
                Ok(Executed { fs, ..copied })
            }
            false => plan.execute(&from_fs, &st.fs, created),
        })?;
        if link {
            // A hit holds the layer as it lay over the old base: lay it over this one.
            if let Some(layer) = &result.layer {
                st.fs = lay_over(&base_fs, &layer.changes).map_err(|e| self.fail_at(ins, format!("failed to copy files: {}", e.message())))?;
            }
            st.key = crate::cache::CacheKey::of(&format!("{} + {}", base_key.0, st.key.0));
        }
        let entry = history::copy(self.builder(), &st.shell_words(), &buildkit_history(c, &sources, &written_dest, add), &classic_text, &result.created_text(), result.is_empty());
        self.record_layer_step(st, &result, entry);
        Ok(())
    }

    /// `ADD URL DEST`: the file the catalogs hold at that URL (its real size; BuildKit
    /// saves downloads with mode 600), or the error an unreachable host gives.
    fn add_url(&mut self, st: &mut StageState, stage: &Stage, ins: &Instruction, c: &Copy, url: &str, written_dest: &str) -> Result<(), Stop> {
        let dest = &absolute(written_dest, &st.config.working_dir);
        let name = self.display_name(ins, st);
        let step = self.step(stage, ins, StepKind::Layer, name.clone());
        let target = if written_dest.ends_with('/') { join(dest, layerlab_catalog::downloads::file_name(url)) } else { dest.to_string() };
        let components = Components {
            parent: st.key.clone(),
            op: name,
            env: Vec::new(),
            workdir: String::new(),
            user: String::new(),
            files: Default::default(),
            other: vec![("url".into(), url.to_string()), ("dest".into(), target.clone())],
        };
        let result = self.cached_step(st, step, components, true, |b, st, created| {
            let found = match layerlab_catalog::downloads::find(b.data, url) {
                Ok(found) => found,
                Err(layerlab_catalog::store::Lookup::Missing(path)) => return Err(StepError::Missing(path)),
                Err(layerlab_catalog::store::Lookup::Pull(e)) => return Err(StepError::both(e.buildkit_message())),
            };
            let Some(download) = found else {
                let host = layerlab_catalog::downloads::host(url).unwrap_or(url);
                return Err(StepError::both(format!(
                    "failed to load cache key: Get \"{url}\": dial tcp: lookup {host}: no such host (layerlab: the simulator has no network; only files its catalogs hold download)"
                )));
            };
            let mut fs = st.fs.clone();
            let parent = target.rsplit_once('/').map_or("/".to_string(), |(d, _)| if d.is_empty() { "/".into() } else { d.into() });
            let io = |e: FsError| StepError::both(format!("failed to copy files: {target}: {}", e.message()));
            fs.mkdir_all(&parent, Meta { mtime: created, ..DIR_META }).map_err(io)?;
            let content = Content::Sized { size: download.size, id: Arc::from(format!("download:{}:{url}", download.catalog)) };
            fs.write_file(&target, content, Meta { mode: 0o600, uid: 0, gid: 0, mtime: created }).map_err(io)?;
            Ok(Executed { fs, output: Vec::new(), exit_code: None, ms: COPY_MS + download.size / BYTES_PER_MS })
        })?;
        let entry = history::copy(self.builder(), &st.shell_words(), &buildkit_history(c, &[url.to_string()], written_dest, true), &format!("ADD {url} in {target}"), &result.created_text(), result.is_empty());
        self.record_layer_step(st, &result, entry);
        Ok(())
    }

    fn copy_source(&self, c: &Copy, env: &EnvList, ins: &Instruction, stage: &Stage) -> Result<Source, Stop> {
        let Some(from) = &c.from else { return Ok(Source::Context) };
        let name = self.expand(&from.value, env, ins)?;
        Ok(match crate::plan::stage_named(self.file, &name, stage.index, false) {
            Some(index) => Source::Stage(index),
            None => Source::Image(name),
        })
    }

    fn source_fs(&mut self, source: &Source, ins: &Instruction) -> Result<Snapshot, Stop> {
        match source {
            Source::Context => Ok(self.context.clone()),
            Source::Stage(index) => match self.stages.get(index) {
                Some(state) => Ok(state.fs.clone()),
                None => Err(self.fail_at(ins, format!("stage {index} was not built before it is copied from"))),
            },
            Source::Image(name) => Ok(self.image_state(name, ins)?.state.fs),
        }
    }

    /// The source paths each pattern selects, or BuildKit's "not found".
    fn select(&self, fs: &Snapshot, sources: &[String], dest: &str, dest_is_dir: bool, source: &Source, ins: &Instruction) -> Result<Vec<Selected>, Stop> {
        let mut out = Vec::new();
        for pattern in sources {
            let cleaned = clean(pattern);
            let paths: Vec<String> = if has_glob(&cleaned) {
                glob(fs, &cleaned)
            } else {
                fs.get(&format!("/{cleaned}"), true).map(|_| vec![format!("/{cleaned}")]).unwrap_or_default()
            };
            if paths.is_empty() {
                return Err(self.not_found(&cleaned, source, ins));
            }
            for from in paths {
                let dir = matches!(fs.get(&from, true), Ok(Node::Dir(_)));
                let to = if dir || !dest_is_dir { dest.to_string() } else { join(dest, from.rsplit('/').next().unwrap_or("")) };
                out.push(Selected { from, to, dir });
            }
        }
        Ok(out)
    }

    fn not_found(&self, path: &str, source: &Source, ins: &Instruction) -> Stop {
        let reference = self.ref_id(path);
        let message = format!("failed to compute cache key: failed to calculate checksum of ref {reference}: \"/{path}\": not found");
        let classic = match source {
            Source::Context => format!("COPY failed: file not found in build context or excluded by .dockerignore: stat {path}: file does not exist"),
            _ => format!("COPY failed: stat {path}: file does not exist"),
        };
        Stop::Failed(crate::report::BuildError { message, classic_message: classic, lines: Some((ins.start_line, ins.end_line)), step: None })
    }

    /// BuildKit names the context's snapshot `<session>::<ref>`; derived here from the
    /// Dockerfile so the same build prints the same ids.
    fn ref_id(&self, salt: &str) -> String {
        let h = format!("{:x}", Sha256::digest(format!("{}\0{salt}", self.req.dockerfile).as_bytes()));
        format!("{}-{}-{}-{}-{}::{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32], &h[32..57])
    }
}

/// Names ADD would extract (a local tar, compressed or not).
fn is_remote(source: &str) -> bool {
    ["http://", "https://", "git@"].iter().any(|p| source.starts_with(p))
}

/// The destination made absolute against WORKDIR (a trailing `/` is read by the caller).
pub(super) fn absolute(dest: &str, workdir: &str) -> String {
    let joined = if dest.starts_with('/') { dest.to_string() } else { format!("{}/{dest}", if workdir.is_empty() { "/" } else { workdir }) };
    format!("/{}", clean(&joined))
}

fn join(dir: &str, name: &str) -> String {
    if dir == "/" { format!("/{name}") } else { format!("{dir}/{name}") }
}

/// Go's `filepath.Glob` over a snapshot: the pattern's elements matched level by level.
fn glob(fs: &Snapshot, pattern: &str) -> Vec<String> {
    let depth = pattern.split('/').count();
    let mut found: Vec<String> = fs
        .walk()
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.split('/').count() == depth && matches(pattern, p, false))
        .map(|p| format!("/{p}"))
        .collect();
    found.sort();
    found
}

/// Every file a selection covers, by its path in the source, with a checksum of its
/// tar header fields (mode, owner, type, link target, size) and content; mtime left out.
fn checksums(fs: &Snapshot, selected: &[Selected], heredocs: &[(String, String)]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for s in selected {
        if let Ok(node) = fs.get(&s.from, true) {
            tree_sums(s.from.trim_start_matches('/'), node, &mut out);
        }
    }
    for (name, body) in heredocs {
        out.insert(format!("<<{name}"), format!("{:x}", Sha256::digest(body.as_bytes())));
    }
    out
}

fn tree_sums(path: &str, node: &Node, out: &mut BTreeMap<String, String>) {
    let m = node.meta();
    let header = format!("{:o} {} {}", m.mode, m.uid, m.gid);
    let sum = match node {
        Node::Dir(d) => {
            for (name, child) in d.children.iter() {
                tree_sums(&if path.is_empty() { name.clone() } else { format!("{path}/{name}") }, child, out);
            }
            format!("dir {header}")
        }
        Node::Symlink { target, .. } => format!("symlink {header} {target}"),
        Node::File(f) => match &f.content {
            Content::Bytes(b) => format!("file {header} {} {:x}", b.len(), Sha256::digest(b)),
            Content::Sized { size, id } => format!("file {header} {size} {id}"),
        },
    };
    out.insert(path.to_string(), format!("{:x}", Sha256::digest(sum.as_bytes())));
}

/// Each file's size by path (a file two COPYs select is transferred once).
fn sizes(path: &str, node: &Node, out: &mut BTreeMap<String, u64>) {
    match node {
        Node::Dir(d) => d.children.iter().for_each(|(name, child)| {
            let child_path = if path.is_empty() { name.clone() } else { format!("{path}/{name}") };
            sizes(&child_path, child, out)
        }),
        other => {
            out.insert(path.to_string(), tree_size(other));
        }
    }
}

fn tree_size(node: &Node) -> u64 {
    match node {
        Node::Dir(d) => d.children.values().map(tree_size).sum(),
        Node::File(f) => f.content.size(),
        Node::Symlink { target, .. } => target.len() as u64,
    }
}

/// The classic builder's source hash: `file:<hex>` for one file, `dir:<hex>` for one
/// directory, `multi:<hex>` for several.
/// The classic builder's source hash (`builder/dockerfile/copy.go`): `file:` and the
/// file's tarsum, `dir:` and the sha256 of its entries' sorted, comma-joined tarsums, or
/// `multi:` over several sources.
/// Where the legacy builder's tarsum headers come from: the context tar the CLI sent (mode
/// bits only, no user names), or a stage's or image's files, whose headers it makes from
/// the files themselves (mode with the file-type bits, names looked up on the daemon's
/// host: `root` for id 0, none known for other ids here).
#[derive(Clone, Copy, PartialEq)]
enum Flavour {
    Context,
    Mounted,
}

impl Flavour {
    fn of(source: &Source) -> Flavour {
        if matches!(source, Source::Context) { Flavour::Context } else { Flavour::Mounted }
    }
}

fn classic_hash(fs: &Snapshot, selected: &[Selected], flavour: Flavour) -> String {
    let each: Vec<String> = selected
        .iter()
        .map(|s| match fs.get(&s.from, true) {
            Ok(node @ Node::Dir(_)) => {
                let mut sums = Vec::new();
                dir_tarsums(s.from.trim_start_matches('/'), node, flavour, &mut sums);
                sums.sort();
                format!("dir:{:x}", Sha256::digest(sums.join(",").as_bytes()))
            }
            Ok(node) => format!("file:{}", tarsum(s.from.trim_start_matches('/'), node, flavour)),
            Err(_) => String::new(),
        })
        .collect();
    match each.as_slice() {
        [one] => one.clone(),
        _ => format!("multi:{:x}", Sha256::digest(each.join(",").as_bytes())),
    }
}

fn dir_tarsums(path: &str, node: &Node, flavour: Flavour, out: &mut Vec<String>) {
    // The walk skips the context's root, which the context tar has no entry for.
    if !path.is_empty() {
        out.push(tarsum(path, node, flavour));
    }
    if let Node::Dir(d) = node {
        for (name, child) in d.children.iter() {
            dir_tarsums(&if path.is_empty() { name.clone() } else { format!("{path}/{name}") }, child, flavour, out);
        }
    }
}

/// tarsum v1 of one entry as the context tar carries it: sha256 of the header fields
/// (name, mode, uid, gid, size, typeflag, linkname, uname, gname, devmajor, devminor; the
/// names blanked and mtime left out, as the daemon's tarsum does), then the content.
fn tarsum(path: &str, node: &Node, flavour: Flavour) -> String {
    let m = node.meta();
    let (name, size, typeflag, link, kind_bits) = match node {
        Node::Dir(_) => (format!("{path}/"), 0, '5', "", 0o040000),
        Node::Symlink { target, .. } => (path.to_string(), 0, '2', target.as_str(), 0o120000),
        Node::File(f) => (path.to_string(), f.content.size(), '0', "", 0o100000),
    };
    let (mode, uname, gname) = match flavour {
        Flavour::Context => (m.mode & 0o7777, "", ""),
        Flavour::Mounted => ((m.mode & 0o7777) | kind_bits, if m.uid == 0 { "root" } else { "" }, if m.gid == 0 { "root" } else { "" }),
    };
    let mut h = Sha256::new();
    let header = format!("name{name}mode{mode}uid{}gid{}size{size}typeflag{typeflag}linkname{link}uname{uname}gname{gname}devmajor0devminor0", m.uid, m.gid);
    h.update(header.as_bytes());
    if let Node::File(f) = node {
        match &f.content {
            Content::Bytes(b) => h.update(&b[..]),
            Content::Sized { id, .. } => h.update(id.as_bytes()),
        }
    }
    format!("{:x}", h.finalize())
}


/// `changes` applied over `base`, the folders they need made first (a `--link` layer can
/// name folders the base does not have).
fn lay_over(base: &Snapshot, changes: &[layerlab_image::fs::Change]) -> Result<Snapshot, FsError> {
    let mut fs = base.clone();
    for change in changes {
        if let Some((parent, _)) = change.path.rsplit_once('/') {
            fs.mkdir_all(&format!("/{parent}"), DIR_META)?;
        }
    }
    fs.apply(changes)?;
    Ok(fs)
}

/// `--exclude` patterns (.dockerignore's syntax): a file selected directly is dropped when
/// a pattern matches its path; a directory's contents are matched by their path below it,
/// and a matching folder goes with all it holds.
fn exclude(fs: &mut Snapshot, selected: &mut Vec<Selected>, patterns: &[String]) {
    let hit = |path: &str| patterns.iter().any(|p| matches(p, path, true));
    selected.retain(|s| !hit(s.from.trim_start_matches('/')) || matches!(fs.get(&s.from, true), Ok(Node::Dir(_))));
    let folders: Vec<String> = selected.iter().filter(|s| matches!(fs.get(&s.from, true), Ok(Node::Dir(_)))).map(|s| s.from.clone()).collect();
    for from in folders {
        let root = from.trim_start_matches('/').to_string();
        let below: Vec<String> = fs
            .walk()
            .into_iter()
            .filter_map(|(p, _)| {
                let rel = if root.is_empty() { p.as_str() } else { p.strip_prefix(&root)?.strip_prefix('/')? };
                hit(rel).then(|| format!("/{p}"))
            })
            .collect();
        for path in below {
            let _ = fs.remove(&path, true);
        }
    }
}

/// BuildKit's history text: `COPY [--chown=..] [--chmod=..] src... dest`, the destination
/// as written (variables expanded, not resolved against WORKDIR: `COPY . . # buildkit`).
fn buildkit_history(c: &Copy, sources: &[String], dest: &str, add: bool) -> String {
    let mut words = vec![if add { "ADD" } else { "COPY" }.to_string()];
    if c.parents {
        words.push("--parents".into());
    }
    words.extend(c.exclude.iter().map(|w| format!("--exclude={}", w.value)));
    words.extend(c.chown.iter().map(|w| format!("--chown={}", w.value)));
    words.extend(c.chmod.iter().map(|w| format!("--chmod={}", w.value)));
    words.extend(sources.iter().cloned());
    words.extend(c.inline.iter().map(|h| format!("<<{}", h.name)));
    words.push(dest.to_string());
    words.join(" ")
}

struct CopyPlan {
    selected: Vec<Selected>,
    heredocs: Vec<(String, String)>,
    dest: String,
    dest_is_dir: bool,
    owner: Option<(u32, u32)>,
    chmod: Option<u32>,
    /// Files from a stage or image keep their owners; context files are root's.
    keep_owner: bool,
    /// ADD of local files: a tar (plain or gzip, recognised by its bytes as Docker does)
    /// is unpacked into the destination instead of copied.
    extract: bool,
}

const DIR_META: Meta = Meta { mode: 0o755, uid: 0, gid: 0, mtime: 0 };

impl CopyPlan {
    fn execute(&self, from: &Snapshot, onto: &Snapshot, created: i64) -> Result<Executed, StepError> {
        let mut fs = onto.clone();
        let io = |e: FsError, path: &str| StepError::both(format!("failed to copy files: copy file range failed: {path}: {}", e.message()));
        let parent_of = |p: &str| p.rsplit_once('/').map_or("/".to_string(), |(d, _)| if d.is_empty() { "/".into() } else { d.into() });
        let dir_meta = Meta { mtime: created, ..DIR_META };
        let mut bytes = 0;
        for s in &self.selected {
            let node = from.get(&s.from, true).map_err(|e| io(e, &s.from))?.clone();
            if let Some(archive) = self.archive(&node) {
                fs.mkdir_all(&self.dest, dir_meta).map_err(|e| io(e, &self.dest))?;
                archive::unpack(&mut fs, &self.dest, archive, 0, None).map_err(|e| StepError::both(format!("layerlab: ADD {}: {e}", s.from.trim_start_matches('/'))))?;
                bytes += archive.len() as u64;
                continue;
            }
            let parent = if s.dir { s.to.clone() } else { parent_of(&s.to) };
            fs.mkdir_all(&parent, dir_meta).map_err(|e| io(e, &parent))?;
            bytes += tree_size(&node);
            match &node {
                Node::Dir(d) => {
                    for (name, child) in d.children.iter() {
                        self.put(&mut fs, child, &join(&s.to, name)).map_err(|e| io(e, &s.to))?;
                    }
                }
                other => self.put(&mut fs, other, &s.to).map_err(|e| io(e, &s.to))?,
            }
        }
        for (name, body) in &self.heredocs {
            let to = if self.dest_is_dir { join(&self.dest, name) } else { self.dest.clone() };
            fs.mkdir_all(&parent_of(&to), dir_meta).map_err(|e| io(e, &to))?;
            let meta = self.meta(Meta { mode: 0o644, uid: 0, gid: 0, mtime: created });
            fs.write_file(&to, Content::Bytes(Arc::from(body.as_bytes())), meta).map_err(|e| io(e, &to))?;
            bytes += body.len() as u64;
        }
        Ok(Executed { fs, output: Vec::new(), exit_code: None, ms: COPY_MS + bytes / BYTES_PER_MS })
    }

    /// The bytes of a file ADD unpacks instead of copying.
    fn archive<'a>(&self, node: &'a Node) -> Option<&'a [u8]> {
        match node {
            Node::File(f) if self.extract => match &f.content {
                Content::Bytes(b) if archive::is_archive(b) => Some(&b[..]),
                _ => None,
            },
            _ => None,
        }
    }

    fn meta(&self, mut meta: Meta) -> Meta {
        if !self.keep_owner {
            (meta.uid, meta.gid) = (0, 0);
        }
        if let Some((uid, gid)) = self.owner {
            (meta.uid, meta.gid) = (uid, gid);
        }
        if let Some(mode) = self.chmod {
            meta.mode = mode;
        }
        meta
    }

    fn put(&self, fs: &mut Snapshot, node: &Node, to: &str) -> Result<(), FsError> {
        let meta = self.meta(*node.meta());
        match node {
            Node::Dir(d) => {
                if !matches!(fs.get(to, true), Ok(Node::Dir(_))) {
                    fs.mkdir(to, meta)?;
                } else {
                    fs.set_meta(to, |m| *m = meta)?;
                }
                for (name, child) in d.children.iter() {
                    self.put(fs, child, &join(to, name))?;
                }
                Ok(())
            }
            Node::File(f) => fs.write_file(to, f.content.clone(), meta),
            Node::Symlink { target, .. } => fs.symlink(target, to, meta, true),
        }
    }
}
