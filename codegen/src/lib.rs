//! auditcat-codegen: loads the YAML catalog of audit-log events, checks it, and
//! generates the `auditcat` crate's Rust, its Markdown reference and the flat
//! `catalog.json` export.
//!
//! ```text
//! catalog/*.yaml --load--> raw model --check--> IR --render--> files
//! ```
//!
//! Each stage is a module with one job: [`load`] (serde, line index),
//! [`check`] (cross-references, names, examples; every error at once),
//! [`render`] (text from the IR, trusting it) and [`output`] (writing only what
//! changed). [`Builder`] ties them together, for the command line and for a
//! downstream `build.rs`.

pub mod check;
pub mod diag;
pub mod ident;
pub mod ir;
pub mod load;
pub mod model;
pub mod output;
pub mod render;

use std::fmt;
use std::path::{Path, PathBuf};

pub use diag::{Error, Errors};
pub use output::{Files, Written};

/// The command that regenerates the bundled crate, named in every generated file.
pub const REGENERATE: &str = "cargo run -p auditcat-codegen -- generate";

/// Configures and runs generation, in the style of `prost-build`.
#[derive(Debug, Clone)]
pub struct Builder {
    catalog_dir: PathBuf,
    out_dir: Option<PathBuf>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

/// Why generation failed.
#[derive(Debug)]
pub enum GenerateError {
    /// The catalog has mistakes; nothing was written.
    Catalog(Errors),
    /// A file could not be written.
    Io {
        /// The directory being written.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// No output directory was set and `OUT_DIR` is not set either.
    NoOutDir,
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerateError::Catalog(errors) => errors.fmt(f),
            GenerateError::Io { path, source } => {
                write!(f, "cannot write under {}: {source}", path.display())
            }
            GenerateError::NoOutDir => {
                f.write_str("no output directory: call `out_dir` or run from a build script")
            }
        }
    }
}

impl std::error::Error for GenerateError {}

impl Builder {
    /// A builder reading `catalog/` and writing to `OUT_DIR`.
    pub fn new() -> Self {
        Builder {
            catalog_dir: PathBuf::from("catalog"),
            out_dir: None,
        }
    }

    /// The catalog directory (`<dir>/<source>/*.yaml`).
    pub fn catalog_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.catalog_dir = dir.into();
        self
    }

    /// Where to write; defaults to the `OUT_DIR` of a build script.
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Loads and checks the catalog.
    pub fn load(&self) -> Result<ir::Catalog, Errors> {
        let mut diag = diag::Diagnostics::default();
        let files = load::load_dir(&self.catalog_dir, &mut diag);
        let catalog = check::check(&files, &mut diag);
        diag.finish(catalog)
    }

    /// Renders every output file of a checked catalog, in memory.
    pub fn render(&self, catalog: &ir::Catalog) -> Files {
        let mut files = Files::new();
        files.insert(PathBuf::from("catalog.json"), render::json::render(catalog));
        files.insert(PathBuf::from("Cargo.toml"), render::cargo::render(catalog));
        files.extend(render::rust::render(
            catalog,
            render::rust::RuntimePath::Crate,
        ));
        files.extend(render::docs::render(catalog));
        files
    }

    /// Loads, checks, renders and writes. Nothing is written when the catalog
    /// has any mistake.
    pub fn generate(&self) -> Result<Written, GenerateError> {
        let out = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(GenerateError::NoOutDir)?,
        };
        let catalog = self.load().map_err(GenerateError::Catalog)?;
        let files = self.render(&catalog);
        output::write(&out, &files).map_err(|source| GenerateError::Io { path: out, source })
    }

    /// The output files that differ from what `out_dir` holds now.
    pub fn stale(&self, out_dir: &Path) -> Result<Vec<PathBuf>, Errors> {
        let catalog = self.load()?;
        Ok(output::stale(out_dir, &self.render(&catalog)))
    }
}

/// The files generated into the catalog directory itself: the JSON Schema
/// of a catalog file and the format's documentation (`README.md`).
pub fn catalog_dir_files() -> Files {
    Files::from([
        (PathBuf::from("catalog.schema.json"), catalog_schema()),
        (
            PathBuf::from("README.md"),
            render::docs::catalog_format().to_owned(),
        ),
    ])
}

/// The JSON Schema of one catalog file, as committed in `catalog/catalog.schema.json`.
pub fn catalog_schema() -> String {
    let schema = schemars::schema_for!(model::CatalogFile);
    let value = serde_json::to_value(&schema).expect("a schema is plain JSON");
    let mut text = serde_json::to_string_pretty(&sorted(value)).expect("a schema is plain JSON");
    text.push('\n');
    text
}

/// `value` with every object's keys in sorted order, whatever order
/// `serde_json::Map` keeps (it keeps insertion order when another crate of the
/// build turns on its `preserve_order` feature).
fn sorted(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(String, serde_json::Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(sorted).collect())
        }
        other => other,
    }
}
