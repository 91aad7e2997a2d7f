//! The hand-written runtime that generated code (and the catalog checker) call.
//!
//! Everything here is independent of the catalog's content: the complement
//! tokenizer and writer, value checks, typed value extraction, name matching,
//! time parsing, the violation type, and the record shapes in which logs
//! arrive (CSV exports, JSON responses and retrieval records).

pub mod check;
pub mod complement;
#[cfg(feature = "csv-reader")]
pub mod csv;
#[cfg(feature = "json")]
pub mod dispatch;
#[cfg(feature = "json")]
pub mod envelope;
#[cfg(feature = "json")]
pub mod fields;
pub mod inline;
pub mod names;
#[cfg(feature = "json")]
pub mod object;
#[cfg(feature = "json")]
pub mod output;
#[cfg(feature = "json")]
pub mod room;
#[cfg(feature = "json")]
pub mod rules;
#[cfg(feature = "json")]
pub mod scan;
pub mod text;
pub mod time;
pub mod value;
pub mod values;
pub mod violation;
mod words;

/// The JSON library generated code uses, re-exported so that a crate
/// generating its own modules needs no dependency of its own.
#[cfg(feature = "json")]
pub use serde_json;
