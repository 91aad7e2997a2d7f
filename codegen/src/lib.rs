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

/// What a generation run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Artifact {
    /// The Rust modules (and, for [`Layout::Crate`], the crate's `Cargo.toml`).
    Rust,
    /// The Markdown reference under `docs/`.
    Docs,
    /// The flat export `catalog.json`.
    Json,
    /// The JSON Schema of a catalog file, `catalog.schema.json`.
    Schema,
}

impl Artifact {
    /// Every artifact.
    pub const ALL: [Artifact; 4] = [
        Artifact::Rust,
        Artifact::Docs,
        Artifact::Json,
        Artifact::Schema,
    ];
}

/// How the Rust is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One file, `auditcat.rs`, with a module per source, for a crate that
    /// depends on `auditcat` and includes it:
    /// `mod events { include!(concat!(env!("OUT_DIR"), "/auditcat.rs")); }`.
    Module,
    /// The bundled `auditcat` crate: `Cargo.toml`, `src/sources.rs` and
    /// `src/sources/<source>.rs`, each source behind a feature of its id.
    Crate,
}

/// Configures and runs generation, in the style of `prost-build`.
///
/// ```no_run
/// // build.rs of a crate that depends on `auditcat` (runtime) and, as a
/// // build dependency, on `auditcat-codegen`:
/// auditcat_codegen::Builder::new()
///     .bundled() // extend the bundled catalog ...
///     .catalog_dir("catalog") // ... with this crate's own YAML
///     .generate()
///     .unwrap_or_else(|e| panic!("{e}"));
/// ```
#[derive(Debug, Clone)]
pub struct Builder {
    catalog_dir: PathBuf,
    includes: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    sources: Option<Vec<String>>,
    modules: Option<Vec<String>>,
    emit: Vec<Artifact>,
    layout: Layout,
    features: bool,
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

/// The catalog bundled with this crate (`catalog/` of its repository).
pub fn bundled_catalog_dir() -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate_dir.parent().unwrap_or(crate_dir).join("catalog")
}

impl Builder {
    /// A builder reading `catalog/`, writing Rust, docs and `catalog.json`
    /// as one module file ([`Layout::Module`]) into `OUT_DIR`.
    pub fn new() -> Self {
        Builder {
            catalog_dir: PathBuf::from("catalog"),
            includes: Vec::new(),
            out_dir: None,
            sources: None,
            modules: None,
            emit: vec![Artifact::Rust, Artifact::Docs, Artifact::Json],
            layout: Layout::Module,
            features: false,
        }
    }

    /// The catalog directory (`<dir>/<source>/*.yaml`).
    pub fn catalog_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.catalog_dir = dir.into();
        self
    }

    /// Another catalog directory to read first: the catalog that
    /// `catalog_dir` extends. Its files come before the catalog directory's,
    /// so the catalog directory adds actions, modules and sources to it, and
    /// replaces its declarations only where it says `override: true`.
    pub fn include(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.includes.push(dir.into());
        self
    }

    /// Includes the catalog bundled with auditcat ([`bundled_catalog_dir`]).
    pub fn bundled(&mut self) -> &mut Self {
        self.include(bundled_catalog_dir())
    }

    /// Where to write; defaults to the `OUT_DIR` of a build script.
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Generates only these sources (by id).
    pub fn sources<S: Into<String>>(&mut self, ids: impl IntoIterator<Item = S>) -> &mut Self {
        self.sources = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Generates only these modules (by name, of any source).
    pub fn modules<S: Into<String>>(&mut self, names: impl IntoIterator<Item = S>) -> &mut Self {
        self.modules = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Writes only these artifacts.
    pub fn emit(&mut self, artifacts: impl IntoIterator<Item = Artifact>) -> &mut Self {
        self.emit = artifacts.into_iter().collect();
        self
    }

    /// With [`Layout::Module`]: put each source's module behind a Cargo
    /// feature of the including crate named like the source's id, so that
    /// the crate's users compile only the sources they turn on. (The bundled
    /// crate, [`Layout::Crate`], always does.)
    pub fn features(&mut self, gated: bool) -> &mut Self {
        self.features = gated;
        self
    }

    /// How the Rust is laid out.
    pub fn layout(&mut self, layout: Layout) -> &mut Self {
        self.layout = layout;
        self
    }

    /// The catalog directories in reading order.
    fn dirs(&self) -> impl Iterator<Item = &PathBuf> {
        self.includes
            .iter()
            .chain(std::iter::once(&self.catalog_dir))
    }

    /// Loads and checks the catalog, then keeps the selected sources and modules.
    pub fn load(&self) -> Result<ir::Catalog, Errors> {
        self.load_files().map(|(catalog, _)| catalog)
    }

    fn load_files(&self) -> Result<(ir::Catalog, Vec<PathBuf>), Errors> {
        let mut diag = diag::Diagnostics::default();
        let mut files = Vec::new();
        for dir in self.dirs() {
            files.extend(load::load_dir(dir, &mut diag));
        }
        let read: Vec<PathBuf> = files.iter().map(|f| f.source_path.clone()).collect();
        let catalog = check::check(&files, &mut diag);
        let catalog = diag.finish(catalog)?;
        self.select(catalog).map(|c| (c, read))
    }

    fn select(&self, mut catalog: ir::Catalog) -> Result<ir::Catalog, Errors> {
        let mut missing = Vec::new();
        if let Some(ids) = &self.sources {
            for id in ids {
                if !catalog.sources.iter().any(|s| &s.id == id) {
                    missing.push(format!("no source `{id}` to select"));
                }
            }
            catalog.sources.retain(|s| ids.contains(&s.id));
        }
        if let Some(names) = &self.modules {
            for name in names {
                if !catalog
                    .sources
                    .iter()
                    .any(|s| s.modules.iter().any(|m| &m.name == name))
                {
                    missing.push(format!("no module `{name}` to select"));
                }
            }
            for s in &mut catalog.sources {
                s.modules.retain(|m| names.contains(&m.name));
            }
            catalog.sources.retain(|s| !s.modules.is_empty());
        }
        if missing.is_empty() {
            Ok(catalog)
        } else {
            Err(Errors(
                missing
                    .into_iter()
                    .map(|message| Error {
                        file: self.catalog_dir.clone(),
                        path: String::new(),
                        line: None,
                        message,
                    })
                    .collect(),
            ))
        }
    }

    /// Renders the selected artifacts of a checked catalog, in memory.
    pub fn render(&self, catalog: &ir::Catalog) -> Files {
        let mut files = Files::new();
        for artifact in &self.emit {
            match artifact {
                Artifact::Json => {
                    files.insert(PathBuf::from("catalog.json"), render::json::render(catalog));
                }
                Artifact::Rust => match self.layout {
                    Layout::Crate => {
                        files.insert(PathBuf::from("Cargo.toml"), render::cargo::render(catalog));
                        files.extend(render::rust::render(
                            catalog,
                            render::rust::RuntimePath::Crate,
                        ));
                    }
                    Layout::Module => {
                        let (path, text) = render::rust::render_module_file(catalog, self.features);
                        files.insert(path, text);
                    }
                },
                Artifact::Docs => files.extend(render::docs::render(catalog)),
                Artifact::Schema => {
                    files.insert(PathBuf::from("catalog.schema.json"), catalog_schema());
                }
            }
        }
        files
    }

    /// Loads, checks, renders and writes. Nothing is written when the catalog
    /// has any mistake. Run from a build script (where `OUT_DIR` is set), it
    /// also tells cargo to rerun it when any catalog file or directory changes.
    pub fn generate(&self) -> Result<Written, GenerateError> {
        let in_build_script = std::env::var_os("OUT_DIR").is_some();
        let out = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(GenerateError::NoOutDir)?,
        };
        if in_build_script {
            for dir in self.dirs() {
                println!("cargo:rerun-if-changed={}", dir.display());
                if let Ok(entries) = std::fs::read_dir(dir) {
                    for entry in entries.flatten().filter(|e| e.path().is_dir()) {
                        println!("cargo:rerun-if-changed={}", entry.path().display());
                    }
                }
            }
        }
        let (catalog, read) = self.load_files().map_err(GenerateError::Catalog)?;
        if in_build_script {
            for file in &read {
                println!("cargo:rerun-if-changed={}", file.display());
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_gate_the_modules_of_a_module_file() {
        let mut b = Builder::new();
        b.catalog_dir(bundled_catalog_dir())
            .sources(["slack"])
            .emit([Artifact::Rust]);
        let catalog = b.load().unwrap();
        let plain = b.render(&catalog);
        let gated = b.features(true).render(&catalog);
        let text = |f: &Files| f[Path::new("auditcat.rs")].clone();
        assert!(!text(&plain).contains("#[cfg(feature = \"slack\")]"));
        assert_eq!(
            text(&gated).matches("#[cfg(feature = \"slack\")]").count(),
            2
        );
        assert_eq!(plain.len(), 1, "only the Rust was asked for");
    }
}
