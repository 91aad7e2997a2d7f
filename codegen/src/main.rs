//! `auditcat-codegen`: check the catalog and regenerate the `auditcat` crate.

use std::path::PathBuf;
use std::process::ExitCode;

use auditcat_codegen::{catalog_dir_files, catalog_schema, output, Builder, REGENERATE};
use clap::{Parser, Subcommand};

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
    Generate {
        /// Catalog directory (`<dir>/<source>/*.yaml`).
        #[arg(long, default_value_os_t = default("catalog"))]
        catalog: PathBuf,
        /// Output directory: the generated crate.
        #[arg(long, default_value_os_t = default("generated"))]
        out: PathBuf,
        /// Write nothing; exit 1 when a generated file is stale.
        #[arg(long)]
        check: bool,
    },
    /// Check the catalog and report what it holds; write nothing.
    Check {
        /// Catalog directory.
        #[arg(long, default_value_os_t = default("catalog"))]
        catalog: PathBuf,
    },
    /// Print the JSON Schema of a catalog file.
    Schema,
}

/// `dir` in the repository this binary was built in.
fn default(dir: &str) -> PathBuf {
    let crate_dir = std::path::Path::new(CRATE_DIR);
    crate_dir.parent().unwrap_or(crate_dir).join(dir)
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Generate {
            catalog,
            out,
            check,
        } => generate(catalog, out, check),
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

fn generate(catalog_dir: PathBuf, out: PathBuf, check: bool) -> ExitCode {
    let mut builder = Builder::new();
    builder.catalog_dir(&catalog_dir).out_dir(&out);
    let catalog = match builder.load() {
        Ok(c) => c,
        Err(errors) => {
            eprintln!("{errors}\nnothing was written");
            return ExitCode::FAILURE;
        }
    };
    let outputs = [
        (out, builder.render(&catalog)),
        (catalog_dir, catalog_dir_files()),
    ];
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
            }
            Err(e) => {
                eprintln!("cannot write under {}: {e}", dir.display());
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
