//! Typed audit-log events, generated from the auditcat catalog.
//!
//! The crate has two parts: a small hand-written [`runtime`] (the complement
//! tokenizer and value checks that every source shares) and, emitted by
//! `auditcat-codegen` from `catalog/`, one module per source. The flat export of
//! the catalog is `catalog.json` beside this crate's `Cargo.toml`.

pub mod runtime;
