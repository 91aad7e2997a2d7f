//! `auditcat-codegen`: check the catalog and regenerate the `auditcat` crate.

use std::path::PathBuf;
use std::process::ExitCode;

use auditcat_codegen::{
    catalog_dir_files, catalog_schema, output, Artifact, Builder, Layout, REGENERATE,
};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// The crate directory this binary was built from; its parent is the repository.
const CRATE_DIR: &str = env!("CARGO_MANIFEST_DIR");

#[derive(Parser)]
#[command(
    version,
    about = "Check the auditcat catalog and generate code, docs and catalog.json from it"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the catalog and write the generated crate's files (only those that changed).
    Generate(Generate),
    /// Check the catalog and report what it holds; write nothing.
    Check {
        /// Catalog directory.
        #[arg(long, default_value_os_t = default("catalog"))]
        catalog: PathBuf,
    },
    /// Print the JSON Schema of a catalog file.
    Schema,
}

#[derive(Args)]
struct Generate {
    /// Catalog directory (`<dir>/<source>/*.yaml`).
    #[arg(long, default_value_os_t = default("catalog"))]
    catalog: PathBuf,
    /// Another catalog directory that the catalog extends, read first (repeatable).
    #[arg(long)]
    include: Vec<PathBuf>,
    /// Output directory: the generated crate (or, with `--layout module`, any directory).
    #[arg(long, default_value_os_t = default("generated"))]
    out: PathBuf,
    /// Generate only this source (repeatable).
    #[arg(long = "source")]
    sources: Vec<String>,
    /// Generate only this module (repeatable).
    #[arg(long = "module")]
    modules: Vec<String>,
    /// What to write (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Emit::Rust, Emit::Docs, Emit::Json])]
    emit: Vec<Emit>,
    /// `crate`: the auditcat crate's layout; `module`: one `auditcat.rs` for a crate of your own.
    #[arg(long, value_enum, default_value_t = LayoutArg::Crate)]
    layout: LayoutArg,
    /// Write nothing; exit 1 when a generated file is stale.
    #[arg(long)]
    check: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Emit {
    Rust,
    Docs,
    Json,
    Schema,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LayoutArg {
    Crate,
    Module,
}

/// `dir` in the repository this binary was built in.
fn default(dir: &str) -> PathBuf {
    let crate_dir = std::path::Path::new(CRATE_DIR);
    crate_dir.parent().unwrap_or(crate_dir).join(dir)
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Generate(args) => generate(args),
        Command::Check { catalog } => match Builder::new().catalog_dir(catalog).load() {
            Ok(catalog) => {
                for s in &catalog.sources {
                    let actions: usize = s.modules.iter().map(|m| m.actions.len()).sum();
                    println!(
                        "{}: {} modules, {} actions, {} properties",
                        s.id,
                        s.modules.len(),
                        actions,
                        s.properties.len()
                    );
                }
                ExitCode::SUCCESS
            }
            Err(errors) => {
                eprintln!("{errors}");
                ExitCode::FAILURE
            }
        },
        Command::Schema => {
            print!("{}", catalog_schema());
            ExitCode::SUCCESS
        }
    }
}

fn generate(args: Generate) -> ExitCode {
    let Generate {
        catalog: catalog_dir,
        include,
        out,
        sources,
        modules,
        emit,
        layout,
        check,
    } = args;
    let mut builder = Builder::new();
    builder
        .catalog_dir(&catalog_dir)
        .out_dir(&out)
        .layout(match layout {
            LayoutArg::Crate => Layout::Crate,
            LayoutArg::Module => Layout::Module,
        })
        .emit(emit.iter().map(|e| match e {
            Emit::Rust => Artifact::Rust,
            Emit::Docs => Artifact::Docs,
            Emit::Json => Artifact::Json,
            Emit::Schema => Artifact::Schema,
        }));
    for dir in &include {
        builder.include(dir);
    }
    if !sources.is_empty() {
        builder.sources(sources);
    }
    if !modules.is_empty() {
        builder.modules(modules);
    }
    let catalog = match builder.load() {
        Ok(c) => c,
        Err(errors) => {
            eprintln!("{errors}\nnothing was written");
            return ExitCode::FAILURE;
        }
    };
    // The bundled crate's run also keeps the catalog's schema and format
    // documentation (catalog/catalog.schema.json, catalog/README.md) current.
    let bundled = layout == LayoutArg::Crate && catalog_dir == default("catalog");
    let mut outputs = vec![(out, builder.render(&catalog))];
    if bundled {
        outputs.push((catalog_dir, catalog_dir_files()));
    }
    if check {
        let stale: Vec<PathBuf> = outputs
            .iter()
            .flat_map(|(dir, files)| {
                output::stale(dir, files)
                    .into_iter()
                    .map(move |f| dir.join(f))
            })
            .collect();
        if stale.is_empty() {
            return ExitCode::SUCCESS;
        }
        for f in &stale {
            eprintln!("stale: {}", f.display());
        }
        eprintln!("run `{REGENERATE}` to regenerate");
        return ExitCode::FAILURE;
    }
    for (dir, files) in &outputs {
        match output::write(dir, files) {
            Ok(w) => {
                for f in &w.changed {
                    println!("wrote {}", f.display());
                }
                for f in &w.removed {
                    println!("removed {}", f.display());
                }
            }
            Err(e) => {
                eprintln!("cannot write under {}: {e}", dir.display());
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
