//! The bundled catalog loads cleanly and the committed output is what it generates.

use std::path::{Path, PathBuf};

use auditcat_codegen::{catalog_dir_files, output, Builder, Layout, REGENERATE};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn builder() -> Builder {
    let mut b = Builder::new();
    b.catalog_dir(repo().join("catalog")).layout(Layout::Crate);
    b
}

#[test]
fn bundled_catalog_is_valid() {
    if let Err(errors) = builder().load() {
        panic!("{errors}");
    }
}

#[test]
fn committed_output_is_fresh() {
    let b = builder();
    let catalog = b.load().unwrap_or_else(|e| panic!("{e}"));
    let mut stale = output::stale(&repo().join("generated"), &b.render(&catalog));
    stale.extend(output::stale(&repo().join("catalog"), &catalog_dir_files()));
    assert!(
        stale.is_empty(),
        "generated files are stale: {stale:?}\nrun `{REGENERATE}` and commit the result"
    );
}

#[test]
fn generation_is_deterministic() {
    let b = builder();
    let first = b.render(&b.load().unwrap());
    let second = b.render(&b.load().unwrap());
    assert_eq!(first, second);
}
