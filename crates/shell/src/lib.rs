//! A simulated `/bin/sh` and the tools RUN lines call (see ARCHITECTURE.md).
//!
//! `syntax` parses shell text (dash's grammar and messages, bash's extensions when the
//! step runs under bash); `interp` runs it against a `Snapshot` with budgets; `commands`
//! are the builtins and the tools the image has on PATH.

pub mod accounts;
pub mod commands;
pub mod fuzz_entry;
pub mod interp;
pub mod rootfs;
pub mod syntax;

pub use interp::{run, run_with_catalog, Identity, Invocation, Limits, Outcome};
pub use syntax::Dialect;
