//! The README stays true: its example is the example the crate compiles and runs.

use std::fs;
use std::path::Path;

#[test]
fn readme_shows_the_compiled_example() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = fs::read_to_string(repo.join("README.md")).unwrap();
    let example = fs::read_to_string(repo.join("generated/examples/parse_each_source.rs")).unwrap();
    assert!(
        readme.contains(&example),
        "README.md must show generated/examples/parse_each_source.rs verbatim"
    );
}
