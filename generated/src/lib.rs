//! Typed audit-log events, generated from the auditcat catalog.
//!
//! One module per source of the catalog, each behind a Cargo feature named
//! like the source's id (all on by default), so an importer compiles only what
//! it uses. Each has a `Module`, an `Action`, one type per action's
//! complement, an `Event` enum over all actions, and a record reader;
//! `validate()` reports every [`Violation`] at once.
//!
//! The modules are emitted by `auditcat-codegen` from `catalog/`; the small
//! hand-written [`runtime`] is what they call. The flat export of the catalog
//! is `catalog.json` beside this crate's `Cargo.toml`.
#![deny(missing_docs)]

pub mod runtime;
// Emitted code is formatted by prettyplease; rustfmt leaves it alone.
#[rustfmt::skip]
mod sources;

pub use runtime::text::Text;
pub use runtime::violation::{Code, Violation};
// Unused only when every source feature is off.
#[allow(unused_imports)]
pub use sources::*;
