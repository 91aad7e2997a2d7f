//! An example of extending auditcat's bundled catalog from a build script.
//!
//! `build.rs` reads the bundled catalog and this crate's `catalog/`, which adds
//! an action to kintone's "App management", replaces one, adds a module and a
//! whole source (`acme`), and generates only `kintone` and `acme` into
//! `OUT_DIR`. The generated code uses the `auditcat` crate as its runtime.
#![deny(missing_docs)]

/// The events of the extended catalog: one module per selected source.
pub mod events {
    include!(concat!(env!("OUT_DIR"), "/auditcat.rs"));
}

/// The flat export of the extended catalog.
pub const CATALOG_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog.json"));
