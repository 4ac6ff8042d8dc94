//! Earlier builds' cache hits, kept so a rebuild replays the steps before an edit instead
//! of working each one out again (its cache key, its names, its history row).
//!
//! A replay must be exactly what running the step would give, so a state carries a
//! *lineage*: a hash of how it was reached — the build's inputs, the FROM it started from,
//! and each instruction since with the cache key it left. The engine is deterministic, so
//! the same lineage, instruction and position give the same step. Only RUN steps that hit
//! the cache are kept (what they print and make is the cached result); a RUN with mounts
//! reads more than its lineage says, so the lineage ends there (0: no replays after it).

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use layerlab_dockerfile::instructions::{Instruction, Stage};
use layerlab_image::fs::{Change, Snapshot};

use crate::cache::CacheKey;
use crate::report::Step;
use crate::state::HistoryRow;

const MAX_ENTRIES: usize = 4096;

/// Replays by where they apply.
#[derive(Default)]
pub struct Memo {
    entries: HashMap<MemoKey, Arc<Replay>>,
}

impl Memo {
    pub fn get(&self, key: &MemoKey) -> Option<&Arc<Replay>> {
        self.entries.get(key)
    }

    /// Keeps a replay. Entries of older builds stay valid (a lineage names one outcome),
    /// but an editing session makes new ones at every keystroke: past a bound the memo
    /// starts again.
    pub fn insert(&mut self, key: MemoKey, replay: Arc<Replay>) {
        if self.entries.len() >= MAX_ENTRIES {
            self.entries.clear();
        }
        self.entries.insert(key, replay);
    }
}

/// Where a step runs: the state's lineage, the instruction, its place in the numbering,
/// and whether the step before it was rebuilt (which a miss would name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MemoKey {
    pub lineage: u64,
    pub instruction: u64,
    pub number: usize,
    pub classic_number: usize,
    pub rebuilt: Option<usize>,
}

/// What a cached RUN did to the build and its stage.
pub struct Replay {
    pub step: Arc<Step>,
    pub row: HistoryRow,
    /// The layer's diff ID and changes, when the step kept one.
    pub layer: Option<(String, Arc<Vec<Change>>)>,
    pub fs: Snapshot,
    pub key: CacheKey,
    pub lineage: u64,
    pub number: usize,
    pub classic_number: usize,
    pub uncached_ms: u64,
}

/// A nonzero hash of `parts` (0 means "no lineage").
pub fn lineage(parts: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    parts.hash(&mut hasher);
    hasher.finish().max(1)
}

/// An instruction as the report shows it: its text, lines and stage.
pub fn instruction_id(stage: &Stage, ins: &Instruction) -> u64 {
    lineage((&ins.original, ins.start_line, ins.end_line, stage.index, stage.name()))
}
