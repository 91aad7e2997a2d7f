//! Generation is deterministic: the same catalog gives byte-identical output
//! when generated twice, and when its files are presented in another order.
//!
//! The catalog is copied to two directories under the target directory, both
//! named `catalog` so that the paths the output cites have the same form. In
//! the second every YAML file is renamed so that sorted order is reversed
//! (`z-`, `y-`, ... prefixes). The Rust sources must then be identical;
//! `catalog.json` may differ only in `catalog_file` values, and the docs only
//! in the file names they cite.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use auditcat_codegen::Builder;
use serde_json::Value;

type Files = BTreeMap<PathBuf, String>;

fn bundled() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("catalog")
}

/// A fresh `<target tmp>/<name>/catalog` directory.
fn scratch(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if root.exists() {
        fs::remove_dir_all(&root).expect("remove an old scratch directory");
    }
    let dir = root.join("catalog");
    fs::create_dir_all(&dir).expect("create a scratch directory");
    dir
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .expect("read a catalog directory")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    entries
}

/// How the copy's YAML files are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rename {
    /// As in the bundled catalog.
    Not,
    /// With an `a-` prefix: other names, the same sorted order.
    SameOrder,
    /// With `z-`, `y-`, ... prefixes: the sorted order reversed.
    Reversed,
}

/// Copies the catalog's source folders to `to`, renaming each source's YAML
/// files as `rename` says. Returns the renamings as (catalog path as cited,
/// new catalog path as cited).
fn copy_catalog(to: &Path, rename: Rename) -> Vec<(String, String)> {
    let mut renamed = Vec::new();
    for source in sorted_entries(&bundled())
        .into_iter()
        .filter(|p| p.is_dir())
    {
        let dir_name = source.file_name().expect("a folder name").to_owned();
        let target = to.join(&dir_name);
        fs::create_dir_all(&target).expect("create a source folder");
        let files: Vec<PathBuf> = sorted_entries(&source)
            .into_iter()
            .filter(|p| p.is_file())
            .collect();
        assert!(files.len() < 26, "too many files to prefix with letters");
        for (i, file) in files.iter().enumerate() {
            let name = file.file_name().expect("a file name").to_string_lossy();
            let yaml = name.ends_with(".yaml") || name.ends_with(".yml");
            let new_name = match rename {
                _ if !yaml => name.to_string(),
                Rename::Not => name.to_string(),
                Rename::SameOrder => format!("a-{name}"),
                Rename::Reversed => format!("{}-{name}", char::from(b'z' - i as u8)),
            };
            fs::copy(file, target.join(&new_name)).expect("copy a catalog file");
            if new_name != name {
                let dir = dir_name.to_string_lossy();
                renamed.push((
                    format!("catalog/{dir}/{name}"),
                    format!("catalog/{dir}/{new_name}"),
                ));
            }
        }
    }
    renamed
}

fn generate(catalog_dir: &Path) -> Files {
    let mut builder = Builder::new();
    builder.catalog_dir(catalog_dir);
    let catalog = builder
        .load()
        .unwrap_or_else(|e| panic!("{} does not load:\n{e}", catalog_dir.display()));
    builder.render(&catalog)
}

fn is_rust(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "rs")
}

/// The first line where `a` and `b` differ, for a readable failure.
fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  - {x}\n  + {y}", i + 1);
        }
    }
    format!(
        "one is a prefix of the other ({} and {} lines)",
        a.lines().count(),
        b.lines().count()
    )
}

fn assert_same(what: &str, a: &Files, b: &Files) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: different files"
    );
    for (path, text) in a {
        let other = &b[path];
        assert!(
            text == other,
            "{what}: {} differs at {}",
            path.display(),
            first_difference(text, other)
        );
    }
}

/// `value` with every `catalog_file` string replaced by a placeholder; the
/// replaced values in order.
fn without_catalog_files(value: &mut Value, found: &mut Vec<String>) {
    match value {
        Value::Object(o) => {
            for (k, v) in o.iter_mut() {
                if k == "catalog_file" {
                    if let Value::String(s) = v {
                        found.push(std::mem::take(s));
                    }
                } else {
                    without_catalog_files(v, found);
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                without_catalog_files(v, found);
            }
        }
        _ => {}
    }
}

#[test]
fn generating_twice_is_byte_identical() {
    let dir = scratch("determinism-twice");
    copy_catalog(&dir, Rename::Not);
    let first = generate(&dir);
    let second = generate(&dir);
    assert!(!first.is_empty(), "nothing was generated");
    assert_same("two runs", &first, &second);
    // And the copy generates what the bundled catalog does.
    assert_same(
        "the copy and the bundled catalog",
        &first,
        &generate(&bundled()),
    );
}

/// Compares the output of the bundled catalog copied with its files named
/// as `rename` says against the output of a plain copy: the same files, the
/// same Rust, `catalog.json` the same but for `catalog_file` values (which
/// name the renamed files), the docs the same once the cited names are put
/// back.
fn renaming_changes_only_the_cited_names(rename: Rename) {
    let tag = format!("{rename:?}").to_lowercase();
    let a_dir = scratch(&format!("determinism-a-{tag}"));
    let b_dir = scratch(&format!("determinism-b-{tag}"));
    assert!(copy_catalog(&a_dir, Rename::Not).is_empty());
    let renamed = copy_catalog(&b_dir, rename);
    assert!(renamed.len() > 3, "the renaming renamed too little");
    let a = generate(&a_dir);
    let b = generate(&b_dir);
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "different files"
    );
    // The Rust sources: byte-identical.
    let rust = |f: &Files| -> Files {
        f.iter()
            .filter(|(p, _)| is_rust(p))
            .map(|(p, t)| (p.clone(), t.clone()))
            .collect()
    };
    assert!(!rust(&a).is_empty(), "no Rust was generated");
    assert_same("Rust sources", &rust(&a), &rust(&b));

    // catalog.json: identical but for `catalog_file`, which names the
    // renamed file.
    let json = |f: &Files| -> Value {
        serde_json::from_str(&f[Path::new("catalog.json")]).expect("catalog.json is JSON")
    };
    let (mut ja, mut jb) = (json(&a), json(&b));
    let (mut fa, mut fb) = (Vec::new(), Vec::new());
    without_catalog_files(&mut ja, &mut fa);
    without_catalog_files(&mut jb, &mut fb);
    assert!(
        ja == jb,
        "catalog.json differs beyond `catalog_file`: {}",
        first_difference(
            &serde_json::to_string_pretty(&ja).unwrap_or_default(),
            &serde_json::to_string_pretty(&jb).unwrap_or_default()
        )
    );
    let back: Vec<String> = fb
        .iter()
        .map(|f| {
            renamed
                .iter()
                .find(|(_, new)| new == f)
                .map_or_else(|| f.clone(), |(old, _)| old.clone())
        })
        .collect();
    assert_eq!(fa, back, "`catalog_file` names the renamed files");

    // Everything else (the docs): identical once the renamed files' names
    // are put back.
    let restore = |text: &str| -> String {
        renamed
            .iter()
            .fold(text.to_owned(), |t, (old, new)| t.replace(new, old))
    };
    let others = |f: &Files, fix: bool| -> Files {
        f.iter()
            .filter(|(p, _)| !is_rust(p) && p.as_path() != Path::new("catalog.json"))
            .map(|(p, t)| (p.clone(), if fix { restore(t) } else { t.clone() }))
            .collect()
    };
    assert_same("docs", &others(&a, false), &others(&b, true));
}

#[test]
fn renamed_files_in_the_same_order_change_only_the_cited_names() {
    renaming_changes_only_the_cited_names(Rename::SameOrder);
}

#[test]
fn reversed_file_order_reorders_but_keeps_every_item() {
    // Catalog order is the sorted order of the files' names (documented in
    // the catalog format): reversing the names reorders modules, but the
    // catalog holds the same sources, modules, actions and properties.
    let a = scratch("determinism-reversed-a");
    let b = scratch("determinism-reversed-b");
    copy_catalog(&a, Rename::Not);
    copy_catalog(&b, Rename::Reversed);
    let load = |dir: &Path| {
        Builder::new()
            .catalog_dir(dir)
            .load()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let names = |c: &auditcat_codegen::ir::Catalog| {
        let mut names: Vec<String> = c
            .sources
            .iter()
            .flat_map(|s| {
                s.actions()
                    .map(move |(m, a)| format!("{}/{}/{}", s.id, m.name, a.name))
                    .chain(
                        s.properties
                            .iter()
                            .map(move |p| format!("{}/{}", s.id, p.key)),
                    )
            })
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(&load(&a)), names(&load(&b)));
}
