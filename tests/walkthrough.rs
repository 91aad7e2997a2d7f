//! The README's walk-through, done for real on a copy of the repository: add
//! the YAML it shows, run the regenerate command, compile a crate against the
//! result, and parse and validate a record of the new action.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use auditcat_codegen::{Builder, Layout};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the repository")
}

/// The first ```yaml block of the README's section "Adding an event type".
fn readme_yaml(readme: &str) -> String {
    let section = readme
        .split("## Adding an event type")
        .nth(1)
        .expect("README has the walk-through");
    let block = section.split("```yaml").nth(1).expect("a yaml block");
    let block = block.split("```").next().unwrap();
    // The block is indented under a list item.
    block
        .lines()
        .map(|l| l.strip_prefix("   ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("the command runs");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn readme_walkthrough_adds_an_event_type() {
    let repo = repo();
    let readme = fs::read_to_string(repo.join("README.md")).unwrap();
    let yaml = readme_yaml(&readme);
    let example = yaml
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("- \"")
                .and_then(|l| l.strip_suffix('"'))
        })
        .expect("the YAML has an example")
        .to_owned();

    // A copy of the repository's catalog and generated crate.
    let ws = repo.join("target/walkthrough");
    let _ = fs::remove_dir_all(&ws);
    copy_dir(&repo.join("catalog"), &ws.join("catalog"));
    copy_dir(&repo.join("generated"), &ws.join("generated"));

    // Step 1: the README's YAML.
    fs::write(ws.join("catalog/kintone/app-operation.yaml"), &yaml).unwrap();

    // Step 2: the regenerate command, pointed at the copy: what
    // `cargo run -p auditcat-codegen -- generate` runs (the library, so that
    // the test needs no binary of another package).
    let written = Builder::new()
        .catalog_dir(ws.join("catalog"))
        .out_dir(ws.join("generated"))
        .layout(Layout::Crate)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(written
        .changed
        .iter()
        .any(|p| p.ends_with("src/sources/kintone.rs")));
    let catalog = fs::read_to_string(ws.join("generated/catalog.json")).unwrap();
    assert!(catalog.contains("\"Record file download\""));
    let docs = fs::read_to_string(ws.join("generated/docs/kintone.md")).unwrap();
    assert!(docs.contains("Record file download"));

    // Step 3: a crate compiled against the result parses and validates a record.
    let root = fs::read_to_string(repo.join("Cargo.toml")).unwrap();
    let root = root.replace(
        "members = [\"codegen\", \"generated\", \"tests\", \"tests/downstream\"]",
        "members = [\"generated\", \"probe\"]",
    );
    assert!(
        root.contains("members = [\"generated\", \"probe\"]"),
        "the workspace's members changed; update this test"
    );
    fs::write(ws.join("Cargo.toml"), root).unwrap();
    fs::create_dir_all(ws.join("probe/src")).unwrap();
    fs::write(
        ws.join("probe/Cargo.toml"),
        "[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nauditcat = { path = \"../generated\", default-features = false, features = [\"kintone\"] }\n",
    )
    .unwrap();
    fs::write(
        ws.join("probe/src/main.rs"),
        format!(
            r#"use auditcat::kintone::{{Action, Event}};

fn main() {{
    let event = Event::parse(Action::RecordFileDownload, {example:?}).expect("parses");
    assert!(event.validate().is_empty(), "{{:?}}", event.validate());
    let Event::RecordFileDownload(e) = &event else {{ panic!("wrong event") }};
    println!("{{}} {{}} {{}}", e.record_id, e.filename, event);
}}
"#
        ),
    )
    .unwrap();
    if ws.join("Cargo.lock").exists() || repo.join("Cargo.lock").exists() {
        fs::copy(repo.join("Cargo.lock"), ws.join("Cargo.lock")).unwrap();
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = run(Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--offline",
            "-p",
            "probe",
            "--manifest-path",
        ])
        .arg(ws.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", repo.join("target/walkthrough-target")));
    assert!(out.starts_with("431 quote.pdf app id: 12"), "{out}");
}
