//! Dockerfile front end (see ARCHITECTURE.md): text → syntax tree
//! ([`syntax`]) → typed instructions ([`instructions`]), BuildKit's word
//! expansion ([`expand`]) and build checks.

mod case;
pub mod checks;
pub mod expand;
pub mod ignore;
pub mod instructions;
pub mod path;
pub mod reference;
mod scan;
pub mod syntax;
#[doc(hidden)]
pub mod fuzz_entry;
