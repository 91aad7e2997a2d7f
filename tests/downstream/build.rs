//! Generates this crate's events: the bundled catalog, extended by `catalog/`.

use auditcat_codegen::{Artifact, Builder};

fn main() {
    if let Err(e) = Builder::new()
        .bundled()
        .catalog_dir("catalog")
        .sources(["kintone", "acme"])
        .emit([Artifact::Rust, Artifact::Json])
        .generate()
    {
        // Every catalog mistake, with file, line and path, then fail the build.
        eprintln!("{e}");
        std::process::exit(1);
    }
}
