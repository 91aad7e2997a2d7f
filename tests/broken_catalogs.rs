//! Broken catalogs are rejected with the exact errors an author should see.
//!
//! `broken/base/` is a small valid catalog. Each directory under
//! `broken/cases/` holds `catalog/`, a copy of the base with one mistake, and
//! `expected.txt`, the errors the checker must report for it: the `Display`
//! of each [`auditcat_codegen::Error`], one per line, in order. Adding a case
//! needs no code: make the directory and run
//! `cargo run -p auditcat-codegen -- check --catalog tests/broken/cases/<case>/catalog`,
//! then copy its `error: ` lines (without that prefix) into `expected.txt`.

use std::fs;
use std::path::{Path, PathBuf};

use auditcat_codegen::Builder;

/// Fewest cases the corpus must hold, so that a lost directory is noticed.
const MIN_CASES: usize = 20;

/// The `tests/broken/` directory.
fn broken() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("broken")
}

/// Every case directory under `broken/cases/`, sorted by name.
fn cases() -> Vec<PathBuf> {
    let dir = broken().join("cases");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    cases
}

/// The errors of loading `catalog`, one per line, or `None` when it loads.
///
/// Backslashes become slashes so that paths read the same on every platform.
fn errors_of(catalog: &Path) -> Option<String> {
    let errors = Builder::new().catalog_dir(catalog).load().err()?;
    let lines: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
    Some(lines.join("\n").replace('\\', "/"))
}

/// The name of a case directory, for messages.
fn name(case: &Path) -> String {
    case.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The base that every case breaks must itself be valid.
#[test]
fn base_catalog_is_valid() {
    if let Some(errors) = errors_of(&broken().join("base")) {
        panic!("tests/broken/base must load cleanly, but:\n{errors}");
    }
}

/// Every case is rejected with exactly its expected errors; all mismatches are
/// reported together.
#[test]
fn broken_catalogs_report_expected_errors() {
    let mut failures = Vec::new();
    for case in cases() {
        let expected_file = case.join("expected.txt");
        let expected = match fs::read_to_string(&expected_file) {
            Ok(text) => text.trim_end().replace("\r\n", "\n"),
            Err(e) => {
                failures.push(format!("{}: cannot read expected.txt: {e}", name(&case)));
                continue;
            }
        };
        let actual = errors_of(&case.join("catalog"))
            .unwrap_or_else(|| "(the catalog loaded without errors)".to_owned());
        if actual != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}\n--- actual\n{actual}",
                name(&case)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} broken catalog case(s) do not report their expected errors:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The corpus has not lost its cases.
#[test]
fn enough_cases() {
    let n = cases().len();
    assert!(
        n >= MIN_CASES,
        "expected at least {MIN_CASES} cases under tests/broken/cases, found {n}"
    );
}
