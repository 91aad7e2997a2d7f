//! The naming obstacle course: a catalog of hostile names (keywords, prelude
//! and generated type names, leading digits, Unicode) checks cleanly and its
//! generated code compiles without a warning under clippy, in a crate of its
//! own that uses `auditcat` as its runtime.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use auditcat_codegen::render::rust::{render, RuntimePath};
use auditcat_codegen::Builder;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the repository")
}

#[test]
fn hostile_names_generate_code_that_compiles() {
    let repo = repo();
    // The naming obstacle course, and the hostile catalog of the docs tests
    // (quotes, backslashes, `*/`, tera syntax, pipes, HTML, long text).
    let catalog = Builder::new()
        .include(repo.join("tests/adversarial/catalog"))
        .catalog_dir(repo.join("tests/naming/catalog"))
        .load()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(catalog.sources.len(), 3, "both catalogs are generated");
    let krate = repo.join("target/naming-course");
    let _ = fs::remove_dir_all(krate.join("src"));
    fs::create_dir_all(krate.join("src/sources")).unwrap();
    let features: Vec<String> = catalog
        .sources
        .iter()
        .map(|s| format!("{:?} = []", s.id))
        .collect();
    let ids: Vec<String> = catalog
        .sources
        .iter()
        .map(|s| format!("{:?}", s.id))
        .collect();
    let runtime = repo.join("generated");
    fs::write(
        krate.join("Cargo.toml"),
        format!(
            r#"[package]
name = "naming-course"
version = "0.0.0"
edition = "2021"
publish = false

[features]
default = [{}]
{}
serde = []

[dependencies]
auditcat = {{ path = {:?}, default-features = false, features = ["json", "csv-reader"] }}

[workspace]
"#,
            ids.join(", "),
            features.join("\n"),
            runtime.display().to_string(),
        ),
    )
    .unwrap();
    fs::write(
        krate.join("src/lib.rs"),
        "//! Code generated from the naming obstacle course.\n#![deny(missing_docs)]\n#[rustfmt::skip]\nmod sources;\npub use sources::*;\n",
    )
    .unwrap();
    for (path, text) in render(&catalog, RuntimePath::Dependency) {
        fs::write(krate.join(path), text).unwrap();
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args([
            "clippy",
            "--quiet",
            "--offline",
            "--all-targets",
            "--manifest-path",
        ])
        .arg(krate.join("Cargo.toml"))
        .args(["--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", repo.join("target/naming-course-target"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "the obstacle course does not compile cleanly:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
