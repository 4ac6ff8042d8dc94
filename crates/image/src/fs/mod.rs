//! The filesystem of an image under construction: snapshots that share structure, so a
//! snapshot after a step costs what the step changed, not what the image holds.
//!
//! A directory's children sit behind an `Arc`; changing a path copies only the directories
//! on the way to it (copy-on-write), and two snapshots that share a subtree share it by
//! pointer, which is what lets `diff` skip everything a step did not touch.

pub mod archive;
mod diff;
mod node;
mod path;
mod size;
mod export;

pub use diff::{diff, Change, ChangeKind};
pub use node::{Content, Dir, File, Meta, Node};
pub use path::{FsError, Snapshot};
pub use size::{layer_size, merge, snapshot_size, Wasted};
pub use export::{diff_id, layer_digest, write_layer, Placeholder};
