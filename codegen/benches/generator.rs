//! The generator's speed: the bundled catalog, and synthetic catalogs of
//! 1,000, 5,000 and 10,000 actions (one source, many modules, varied
//! complements) written by this bench into a temporary directory, each loaded,
//! checked and rendered (`Builder::load` + `Builder::render`).
//!
//! `cargo bench -p auditcat-codegen --bench generator` measures; add
//! `-- --test` to only check that every benchmark runs. With
//! `AUDITCAT_BENCH_CRATE=DIR` set, it also writes the crates generated from the
//! 1,000-, 5,000- and 10,000-action catalogs into `DIR/1000`, `DIR/5000` and
//! `DIR/10000` (using `auditcat` as their runtime), to time their compilation:
//!
//! ```text
//! AUDITCAT_BENCH_CRATE=/tmp/synthetic cargo bench -p auditcat-codegen --bench generator -- --test
//! cargo build --manifest-path /tmp/synthetic/1000/Cargo.toml
//! ```

use std::fmt::Write as _;
use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use auditcat_codegen::render::rust::{render, RuntimePath};
use auditcat_codegen::Builder;
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};

/// Actions per module of a synthetic catalog.
const ACTIONS_PER_MODULE: usize = 50;
/// Modules per document file of a synthetic catalog.
const MODULES_PER_FILE: usize = 10;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Names with the log's own separators inside, as real ones have.
const NAMES: &[&str] = &[
    "Customer List",
    "Sales, East: 2026",
    "Inventory (2026)",
    "Support tickets: EMEA",
    "Q4 plan",
];

const PROPERTIES: &str = r#"properties:
  - key: item id
    type: id
    description: The ID of the item an entry is about.
    form: documented
  - key: item name
    type: text
    description: The name of the item an entry is about.
    form: documented
  - key: owner id
    type: id
    description: The ID of the item's owner.
    form: documented
  - key: owner name
    type: text
    description: The name of the item's owner.
    form: documented
  - key: flag
    type: bool
    description: Whether the setting is on.
    form: documented
  - key: mode
    type: enum
    description: The mode chosen.
    form: documented
    values:
      - value: open
        description: Anyone may see it.
      - value: closed
        description: Only members may see it.
      - value: archived
        description: Nobody may change it.
  - key: target url
    type: url
    description: The URL of the item.
    form: documented
  - key: file
    type: filename
    description: The name of an attached file.
    form: documented
"#;

/// The complement of one synthetic action, by its number: one of eight
/// shapes (plain, optional item, bool, enum, long, repeated groups, a bare
/// value, and two variants).
fn action_yaml(out: &mut String, n: usize) {
    let name = NAMES[n % NAMES.len()];
    let id = 10 + n;
    let level = if n % 3 == 0 { "Notice" } else { "Information" };
    let verb = [
        "update", "create", "delete", "restore", "move", "export", "set", "change",
    ][n % 8];
    let _ = writeln!(out, "      - name: Op{n:05} {verb}");
    let _ = writeln!(out, "        description: Synthetic action number {n}.");
    let _ = writeln!(out, "        level: {level}");
    let _ = writeln!(out, "        form: documented");
    let simple = |out: &mut String, complement: &str, template: &str, examples: &[String]| {
        let _ = writeln!(out, "        complement: {complement}");
        let _ = writeln!(out, "        template: {template:?}");
        let _ = writeln!(out, "        examples:");
        for e in examples {
            let _ = writeln!(out, "          - {e:?}");
        }
    };
    match n % 8 {
        0 => simple(
            out,
            "[item id, item name]",
            "item id: *, item name: *",
            &[format!("item id: {id}, item name: {name}")],
        ),
        1 => simple(
            out,
            "[item id, item name, {property: file, optional: true}]",
            "item id: *, item name: *, file: *",
            &[
                format!("item id: {id}, item name: {name}, file: report-{n}.pdf"),
                format!("item id: {id}, item name: {name}"),
            ],
        ),
        2 => simple(
            out,
            "[item id, item name, flag]",
            "item id: *, item name: *, flag: {true/false}",
            &[format!("item id: {id}, item name: {name}, flag: true")],
        ),
        3 => simple(
            out,
            "[owner id, owner name, item id, item name, target url]",
            "owner id: *, owner name: *, item id: *, item name: *, target url: *",
            &[format!(
                "owner id: {n}, owner name: {name}, item id: {id}, item name: {name}, target url: https://example.com/items/{id}"
            )],
        ),
        4 => simple(
            out,
            "[item id, item name, {group: items, description: An item moved with it., properties: [item id, item name], min: 1}]",
            "item id: *, item name: *, (item id: *, item name: *), (...",
            &[format!(
                "item id: {id}, item name: {name}, (item id: {}, item name: Leads), (item id: {}, item name: {name})",
                id + 1,
                id + 2
            )],
        ),
        5 => simple(
            out,
            "[{property: mode, bare: true}]",
            "*",
            &["open".to_owned(), "archived".to_owned()],
        ),
        6 => simple(
            out,
            "[item name, owner id, {property: flag, optional: true}]",
            "item name: *, owner id: *, flag: *",
            &[
                format!("item name: {name}, owner id: {id}, flag: false"),
                format!("item name: {name}, owner id: {id}"),
            ],
        ),
        _ => {
            let _ = writeln!(out, "        variants:");
            for (case, last, value) in [("switch", "flag", "true"), ("mode", "mode", "closed")] {
                let _ = writeln!(out, "          - name: {case}");
                let _ = writeln!(out, "            when: The {last} is changed.");
                let _ = writeln!(out, "            complement: [item id, item name, {last}]");
                let _ = writeln!(out, "            template: \"item id: *, item name: *, {last}: *\"");
                let _ = writeln!(out, "            examples:");
                let _ = writeln!(
                    out,
                    "              - \"item id: {id}, item name: {name}, {last}: {value}\""
                );
            }
        }
    }
}

/// Writes a catalog of one source (the bundled kintone source's definition)
/// with `actions` actions into `dir`, replacing what it held.
fn write_catalog(dir: &Path, actions: usize) {
    let _ = fs::remove_dir_all(dir);
    let source = dir.join("kintone");
    fs::create_dir_all(&source).expect("a temporary directory");
    fs::copy(
        repo().join("catalog/kintone/source.yaml"),
        source.join("source.yaml"),
    )
    .expect("the bundled kintone source definition");
    let modules = actions.div_ceil(ACTIONS_PER_MODULE);
    for file in 0..modules.div_ceil(MODULES_PER_FILE) {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "source: kintone\ndocument:\n  file: synthetic-{file}.txt\n  title: Synthetic document {file}\n  vendor: Bench"
        );
        out.push_str(PROPERTIES);
        out.push_str("modules:\n");
        for m in file * MODULES_PER_FILE..((file + 1) * MODULES_PER_FILE).min(modules) {
            let _ = writeln!(out, "  - name: Area {m:04}");
            let _ = writeln!(out, "    service: kintone");
            let _ = writeln!(out, "    description: Synthetic module number {m}.");
            let _ = writeln!(out, "    actions:");
            for n in m * ACTIONS_PER_MODULE..((m + 1) * ACTIONS_PER_MODULE).min(actions) {
                action_yaml(&mut out, n);
            }
        }
        fs::write(source.join(format!("synthetic-{file:03}.yaml")), out)
            .expect("a temporary directory");
    }
}

fn load_and_render(dir: &Path) -> usize {
    let mut builder = Builder::new();
    builder.catalog_dir(dir);
    let catalog = builder.load().unwrap_or_else(|e| panic!("{e}"));
    let files = builder.render(&catalog);
    files.values().map(String::len).sum()
}

fn actions_in(dir: &Path) -> usize {
    let mut builder = Builder::new();
    builder.catalog_dir(dir);
    let catalog = builder.load().unwrap_or_else(|e| panic!("{e}"));
    catalog
        .sources
        .iter()
        .flat_map(|s| &s.modules)
        .map(|m| m.actions.len())
        .sum()
}

fn bundled(c: &mut Criterion) {
    let dir = repo().join("catalog");
    let mut g = c.benchmark_group("generator_bundled");
    g.throughput(Throughput::Elements(actions_in(&dir) as u64));
    g.bench_function("load_render", |b| {
        b.iter(|| load_and_render(black_box(&dir)))
    });
    g.finish();
}

fn synthetic(c: &mut Criterion) {
    let root = std::env::temp_dir().join(format!("auditcat-synthetic-{}", std::process::id()));
    let mut g = c.benchmark_group("generator_synthetic");
    // Seconds per iteration: ten samples of equal size, not criterion's
    // default linear ramp (which would run 55 iterations).
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    let sizes = [1_000, 5_000, 10_000];
    for actions in sizes {
        let dir = root.join(actions.to_string());
        write_catalog(&dir, actions);
        assert_eq!(
            actions_in(&dir),
            actions,
            "the synthetic catalog passes the checker"
        );
        g.throughput(Throughput::Elements(actions as u64));
        g.bench_with_input(BenchmarkId::new("load_render", actions), &dir, |b, dir| {
            b.iter(|| load_and_render(dir))
        });
    }
    g.finish();
    if let Some(krates) = std::env::var_os("AUDITCAT_BENCH_CRATE") {
        for actions in sizes {
            let name = actions.to_string();
            write_crate(&root.join(&name), &Path::new(&krates).join(&name));
        }
    }
    let _ = fs::remove_dir_all(&root);
}

/// Writes the crate generated from the catalog in `catalog` into `krate`,
/// with `auditcat` as its runtime, as `tests/naming.rs` does.
fn write_crate(catalog: &Path, krate: &Path) {
    let mut builder = Builder::new();
    builder.catalog_dir(catalog);
    let catalog = builder.load().unwrap_or_else(|e| panic!("{e}"));
    let _ = fs::remove_dir_all(krate.join("src"));
    fs::create_dir_all(krate.join("src/sources")).expect("the crate directory");
    let runtime = repo().join("generated").canonicalize().expect("generated/");
    fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"synthetic\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [features]\ndefault = [\"kintone\"]\nkintone = []\nserde = []\n\n\
             [dependencies]\nauditcat = {{ path = {:?}, default-features = false, features = [\"json\", \"csv-reader\"] }}\n\n[workspace]\n",
            runtime.display().to_string()
        ),
    )
    .expect("the crate directory");
    fs::write(
        krate.join("src/lib.rs"),
        "//! The crate generated from a synthetic catalog.\n#[rustfmt::skip]\nmod sources;\npub use sources::*;\n",
    )
    .expect("the crate directory");
    for (path, text) in render(&catalog, RuntimePath::Dependency) {
        fs::write(krate.join(path), text).expect("the crate directory");
    }
    println!("wrote the generated crate to {}", krate.display());
}

fn main() {
    let mut c = Criterion::default()
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    bundled(&mut c);
    synthetic(&mut c);
    c.final_summary();
}
