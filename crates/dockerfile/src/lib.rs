//! Dockerfile front end (see ARCHITECTURE.md): text → syntax tree
//! ([`syntax`]) → typed instructions ([`instructions`]), BuildKit's word
//! expansion ([`expand`]) and build checks.

pub mod expand;
pub mod syntax;
#[doc(hidden)]
pub mod fuzz_entry;
