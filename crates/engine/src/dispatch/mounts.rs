//! `RUN --mount`: what BuildKit lays over the root filesystem for one step and takes away
//! after it, so none of it lands in the layer. A cache mount's contents stay in the
//! session (by id, the target by default) for the next build, as BuildKit's cache does; a
//! bind mount shows the build context or a stage; tmpfs is an empty folder; a secret is a
//! file under /run/secrets only when the build was given it.

use layerlab_dockerfile::instructions::mount::{Mount, MountType};
use std::collections::BTreeMap;

use layerlab_dockerfile::instructions::{Instruction, Run, Stage};
use layerlab_image::fs::{Content, File, Meta, Node, Snapshot};

use super::{Build, Stop, StepError};
use crate::state::StageState;

/// One mount in place: where, what was there before, and the folders made for it.
pub(super) struct Mounted {
    target: String,
    cache_id: Option<String>,
    before: Option<Node>,
    /// Folders above the target that did not exist, deepest first.
    made: Vec<String>,
}

impl Build<'_> {
    /// The step's mounts, expanded and checked as BuildKit checks them when the step runs.
    pub(super) fn mounts(&self, st: &StageState, ins: &Instruction, run: &Run) -> Result<Vec<Mount>, Stop> {
        if run.mounts.is_empty() {
            return Ok(Vec::new());
        }
        let env = st.expansion_env();
        run.mounts
            .iter()
            .map(|m| {
                let value = self.expand(&m.value, &env, ins)?;
                Mount::parse(&value).map_err(|e| self.fail_at(ins, e))
            })
            .collect()
    }

    /// The files of each image a bind mount names with `from=` (not a stage), pulled as
    /// COPY --from pulls them.
    pub(super) fn mounted_images(&mut self, stage: &Stage, ins: &Instruction, mounts: &[Mount]) -> Result<BTreeMap<String, Snapshot>, Stop> {
        let mut images = BTreeMap::new();
        for from in mounts.iter().filter(|m| m.kind == MountType::Bind).filter_map(|m| m.from.as_ref()) {
            if crate::plan::stage_named(self.file, from, stage.index, false).is_none() && !images.contains_key(from) {
                let fs = self.image_state(from, ins)?.state.fs;
                images.insert(from.clone(), fs);
            }
        }
        Ok(images)
    }
}

/// Lays the mounts over `fs`, in order.
pub(super) fn mount(b: &Build, fs: &mut Snapshot, workdir: &str, mounts: &[Mount], images: &BTreeMap<String, Snapshot>) -> Result<Vec<Mounted>, StepError> {
    let mut mounted = Vec::new();
    for m in mounts {
        let target = match (m.kind, &m.target) {
            (MountType::Secret, None) => format!("/run/secrets/{}", m.id.clone().unwrap_or_default()),
            (_, Some(t)) => super::copy::absolute(t, workdir),
            (_, None) => return Err(StepError::both(format!("mount target is required for {} mounts", m.kind.as_str()))),
        };
        let dir = Meta { mode: m.mode.unwrap_or(0o755), uid: m.uid.unwrap_or(0), gid: m.gid.unwrap_or(0), mtime: 0 };
        let (node, cache_id) = match m.kind {
            MountType::Cache => {
                let id = m.id.clone().unwrap_or_else(|| target.clone());
                (b.cache.mounts.get(&id).cloned(), Some(id))
            }
            MountType::Tmpfs => (None, None),
            MountType::Bind => (Some(bind_source(b, m, images)?), None),
            MountType::Secret => {
                if m.required {
                    let id = m.id.clone().unwrap_or_else(|| target.rsplit('/').next().unwrap_or_default().to_string());
                    return Err(StepError::both(format!("secret {id}: not found")));
                }
                // Not given to the build and not required: BuildKit mounts nothing.
                continue;
            }
            MountType::Ssh => return Err(StepError::both("layerlab: RUN --mount=type=ssh is not simulated (there is no SSH agent to forward)".into())),
        };
        mounted.push(lay(fs, target, node, dir, cache_id)?);
    }
    Ok(mounted)
}

/// Puts `node` (or, with none, an empty folder with `dir`'s metadata) at `target`,
/// making its missing parent folders, and remembers what to undo.
fn lay(fs: &mut Snapshot, target: String, node: Option<Node>, dir: Meta, cache_id: Option<String>) -> Result<Mounted, StepError> {
    let parent = target.rsplit_once('/').map_or("/", |(p, _)| if p.is_empty() { "/" } else { p }).to_string();
    let io = |e: layerlab_image::fs::FsError| StepError::both(format!("failed to mount {target}: {}", e.message()));
    let made = missing_folders(fs, &parent);
    fs.mkdir_all(&parent, Meta { mode: 0o755, uid: 0, gid: 0, mtime: 0 }).map_err(io)?;
    let before = fs.get(&target, false).ok().cloned();
    match node {
        Some(node) => fs.replace(&target, node).map_err(io)?,
        None => {
            let _ = fs.remove(&target, true);
            fs.mkdir_all(&target, dir).map_err(io)?;
        }
    }
    Ok(Mounted { target, cache_id, before, made })
}

/// The /etc/hosts BuildKit mounts over every RUN (its `executor/oci/hosts.go`): what the
/// step reads and writes there, gone after it, as the image's own file comes back.
pub(super) fn buildkit_hosts(fs: &mut Snapshot, hostname: &str) -> Result<Vec<Mounted>, StepError> {
    let text = format!("127.0.0.1\tlocalhost {hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    let meta = Meta { mode: 0o644, uid: 0, gid: 0, mtime: 0 };
    let file = Node::File(File { meta, content: Content::Bytes(text.into_bytes().into()), link_group: 0 });
    Ok(vec![lay(fs, "/etc/hosts".into(), Some(file), meta, None)?])
}

/// What a bind mount shows: a path of the build context, an earlier stage or an image.
fn bind_source(b: &Build, m: &Mount, images: &BTreeMap<String, Snapshot>) -> Result<Node, StepError> {
    let source = format!("/{}", m.source.as_deref().unwrap_or("").trim_start_matches('/'));
    let fs = match &m.from {
        None => &b.context,
        Some(from) => match crate::plan::stage_named(b.file, from, b.file.stages.len(), false) {
            Some(index) => &b.stages.get(&index).ok_or_else(|| StepError::both(format!("stage {from} was not built before it is mounted")))?.fs,
            None => images.get(from).ok_or_else(|| StepError::both(format!("layerlab: image {from} was not pulled for its mount")))?,
        },
    };
    fs.get(&source, true).cloned().map_err(|_| StepError::both(format!("failed to compute cache key: \"{source}\": not found")))
}

/// `dir` and its ancestors that do not exist yet, deepest first.
fn missing_folders(fs: &Snapshot, dir: &str) -> Vec<String> {
    let mut made = Vec::new();
    let mut path = dir.to_string();
    while path.len() > 1 && fs.get(&path, true).is_err() {
        made.push(path.clone());
        path = path.rsplit_once('/').map_or("/".to_string(), |(p, _)| if p.is_empty() { "/".into() } else { p.into() });
    }
    made
}

/// Takes the mounts away, last first: a cache mount's contents go back to the session's
/// cache; what was at each target before comes back. Mount points that did not exist go
/// away with the folders made for them, when empty, as BuildKit's stub cleaner does.
pub(super) fn unmount(b: &mut Build, fs: &mut Snapshot, mounted: Vec<Mounted>) {
    for m in mounted.into_iter().rev() {
        if let (Some(id), Ok(node @ Node::Dir(_))) = (&m.cache_id, fs.get(&m.target, false)) {
            b.cache.mounts.insert(id.clone(), node.clone());
        }
        match m.before {
            Some(node) => {
                let _ = fs.replace(&m.target, node);
            }
            None => {
                let _ = fs.remove(&m.target, true);
                for dir in &m.made {
                    let _ = fs.remove(dir, false);
                }
            }
        }
    }
}
