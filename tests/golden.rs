//! Golden files: what the generator makes of a small catalog, committed.
//!
//! `broken/base/` (the valid catalog the broken cases start from) is rendered
//! in memory and compared with `golden/`, file by file. After an intended
//! change of the generator, rewrite the goldens with
//! `AUDITCAT_UPDATE_GOLDEN=1 cargo test -p auditcat-tests --test golden`
//! and review the diff.

use std::fs;
use std::path::{Path, PathBuf};

use auditcat_codegen::{Builder, Layout};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

#[test]
fn small_catalog_matches_its_golden_files() {
    let mut builder = Builder::new();
    builder
        .catalog_dir(dir().join("broken/base"))
        .layout(Layout::Crate);
    let catalog = builder.load().unwrap_or_else(|e| panic!("{e}"));
    let files = builder.render(&catalog);
    let golden = dir().join("golden");
    if std::env::var_os("AUDITCAT_UPDATE_GOLDEN").is_some() {
        let _ = fs::remove_dir_all(&golden);
        for (path, text) in &files {
            let path = golden.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
    }
    let mut differ = Vec::new();
    for (path, text) in &files {
        if fs::read_to_string(golden.join(path)).ok().as_deref() != Some(text.as_str()) {
            differ.push(path.display().to_string());
        }
    }
    let mut committed = Vec::new();
    collect(&golden, &golden, &mut committed);
    let extra: Vec<&String> = committed
        .iter()
        .filter(|p| !files.contains_key(Path::new(p.as_str())))
        .collect();
    assert!(
        differ.is_empty() && extra.is_empty(),
        "golden files differ: {differ:?}, extra: {extra:?}\n\
         if the change is intended, run `AUDITCAT_UPDATE_GOLDEN=1 cargo test -p auditcat-tests --test golden` and review the diff"
    );
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(root, &p, out);
        } else {
            out.push(p.strip_prefix(root).unwrap().display().to_string());
        }
    }
}
