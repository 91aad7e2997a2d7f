//! Each parser and its baseline, run once over the inputs of the `parsers`
//! bench, each in a function of its own: for counting instructions with
//! callgrind, figures that do not move with the machine's load as times do.
//! `instructions.py` runs them all and prints instructions per record.
//! `kintone_result`, the typed complements' results cloned and dropped,
//! shows what building and dropping the result costs of `kintone_typed`:
//! a floor for any parser that returns it. `csv_rows`, the CSV rows read
//! but not typed, shows the reader's share of `csv_typed`.
//! `names_indexed` looks names up by [`Index`] among the 10,000 members of
//! an enumeration as large as the synthetic catalog's actions, next to
//! `names_scanned`, which tries the members in turn, as lookups did before
//! the index.
//!
//! ```text
//! cargo bench -p auditcat --bench instructions --no-run
//! python3 generated/benches/instructions.py
//! ```
//!
//! Given a name it runs that one; given none (or only flags, as
//! `cargo bench -- --test` passes) it runs each once, to check they work.
//! `--pairs` lists each parser with its baseline.
//!
//! With `--fastest=N` it times instead: each function N times, taking
//! turns, and prints the fastest pass of each per record and the ratio of
//! each parser to its baseline. On a shared machine the fastest pass is
//! the steadiest figure of time there is:
//!
//! ```text
//! cargo bench -p auditcat --bench instructions -- --fastest=40
//! ```
//!
//! With `--by-action` (and `--fastest=N`, 20 by default) it times the
//! kintone complements of each action apart, typed and split, each action
//! warm, to show which actions the mixed ratio is made of:
//!
//! ```text
//! cargo bench -p auditcat --bench instructions -- --by-action --fastest=30
//! ```

use std::collections::HashMap;
use std::hint::black_box;

use auditcat::runtime::csv::CsvReader;
use auditcat::runtime::names::{Catalogued, Index};
use auditcat::{kintone, sap_btp, slack};

mod common;

/// Records of each input; the same sizes as the `parsers` bench.
const RECORDS: usize = 10_000;
const CSV_ROWS: usize = 20_000;
const SLACK_ENTRIES: usize = 2_000;
const LOOKUPS: usize = 2_000;

/// The inputs, built before anything is counted.
struct Inputs {
    entries: Vec<common::KintoneEntry>,
    /// `entries` typed, for `kintone_result`.
    events: Vec<kintone::Event>,
    csv: Vec<u8>,
    slack: String,
    sap_flat: Vec<String>,
    sap_nested: Vec<String>,
    /// Names of [`Member`]s, spread over the whole enumeration.
    names: Vec<&'static str>,
}

/// A counted function: its name (which callgrind is told to count in), its
/// records, and the function.
type Run = (&'static str, usize, fn(&Inputs));

/// Every counted function.
const RUNS: &[Run] = &[
    ("kintone_typed", RECORDS, kintone_typed),
    ("kintone_hashmap", RECORDS, kintone_hashmap),
    ("kintone_result", RECORDS, kintone_result),
    ("csv_typed", CSV_ROWS, csv_typed),
    ("csv_rows", CSV_ROWS, csv_rows),
    ("csv_string_records", CSV_ROWS, csv_string_records),
    ("slack_typed", SLACK_ENTRIES, slack_typed),
    ("slack_value", SLACK_ENTRIES, slack_value),
    ("names_indexed", LOOKUPS, names_indexed),
    ("names_scanned", LOOKUPS, names_scanned),
    ("sap_flat_typed", RECORDS, sap_flat_typed),
    ("sap_flat_value", RECORDS, sap_flat_value),
    ("sap_nested_typed", RECORDS, sap_nested_typed),
    ("sap_nested_value", RECORDS, sap_nested_value),
];

#[inline(never)]
fn kintone_typed(i: &Inputs) {
    typed_complements(&i.entries);
}

#[inline(never)]
fn kintone_hashmap(i: &Inputs) {
    split_complements(&i.entries);
}

#[inline(never)]
fn kintone_result(i: &Inputs) {
    for event in &i.events {
        black_box(black_box(event).clone());
    }
}

/// Each entry's complement typed: what `kintone_typed` counts.
fn typed_complements(entries: &[common::KintoneEntry]) {
    for e in entries {
        black_box(kintone::Event::parse(e.action, black_box(&e.complement)).ok());
    }
}

/// Each entry's complement split into a map, the baseline of
/// `kintone_typed`.
fn split_complements(entries: &[common::KintoneEntry]) {
    for e in entries {
        let map: HashMap<String, String> = black_box(&e.complement)
            .split(", ")
            .filter_map(|item| item.split_once(": "))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        black_box(map);
    }
}

#[inline(never)]
fn csv_typed(i: &Inputs) {
    let mut violations = 0;
    for record in kintone::read_csv(black_box(&i.csv[..])).expect("a header") {
        violations += record.expect("a row").validate().len();
    }
    black_box(violations);
}

/// The rows of `csv_typed` read and split into fields, not typed: the
/// reader's share of a row, next to the `csv` crate's reading.
#[inline(never)]
fn csv_rows(i: &Inputs) {
    let mut reader = CsvReader::new(black_box(&i.csv[..]), kintone::COLUMNS).expect("a header");
    while let Some(row) = reader.next_row() {
        black_box(row.expect("a row").line);
    }
}

#[inline(never)]
fn csv_string_records(i: &Inputs) {
    let fields: usize = csv::Reader::from_reader(black_box(&i.csv[..]))
        .records()
        .map(|r| r.expect("a row").len())
        .sum();
    black_box(fields);
}

/// An enumeration of 10,000 members, as many as the synthetic catalog's
/// actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Member(usize);

const MEMBERS: usize = 10_000;

/// The members' names, alike but for a number, as generated names are.
fn member_names() -> &'static [String] {
    static NAMES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        (0..MEMBERS)
            .map(|i| format!("synthetic action {i}"))
            .collect()
    });
    &NAMES
}

impl Catalogued for Member {
    const ALL: &'static [Self] = &{
        let mut all = [Member(0); MEMBERS];
        let mut i = 0;
        while i < MEMBERS {
            all[i] = Member(i);
            i += 1;
        }
        all
    };
    fn name(self) -> &'static str {
        &member_names()[self.0]
    }
    fn index() -> &'static Index {
        auditcat::catalogued_index!()
    }
}

#[inline(never)]
fn names_indexed(i: &Inputs) {
    for &name in &i.names {
        black_box(Member::find(black_box(name)));
    }
}

#[inline(never)]
fn names_scanned(i: &Inputs) {
    for &name in &i.names {
        let name = black_box(name);
        black_box(Member::ALL.iter().copied().find(|m| m.name() == name));
    }
}

#[inline(never)]
fn slack_typed(i: &Inputs) {
    black_box(slack::parse_response(black_box(&i.slack)).expect("a response"));
}

#[inline(never)]
fn slack_value(i: &Inputs) {
    black_box(serde_json::from_str::<serde_json::Value>(black_box(&i.slack)).expect("JSON"));
}

// The SAP pairs differ by a constant so that the linker keeps them apart.
#[inline(never)]
fn sap_flat_typed(i: &Inputs) {
    black_box("flat");
    for r in &i.sap_flat {
        black_box(sap_btp::classify(black_box(r)).ok());
    }
}

#[inline(never)]
fn sap_flat_value(i: &Inputs) {
    black_box("flat");
    for r in &i.sap_flat {
        black_box(serde_json::from_str::<serde_json::Value>(black_box(r)).ok());
    }
}

#[inline(never)]
fn sap_nested_typed(i: &Inputs) {
    black_box("nested");
    for r in &i.sap_nested {
        black_box(sap_btp::classify(black_box(r)).ok());
    }
}

#[inline(never)]
fn sap_nested_value(i: &Inputs) {
    black_box("nested");
    for r in &i.sap_nested {
        black_box(serde_json::from_str::<serde_json::Value>(black_box(r)).ok());
    }
}

/// Each parser and its baseline, for the ratios of `--fastest` and of
/// `instructions.py` (which asks for them with `--pairs`).
const PAIRS: &[(&str, &str)] = &[
    ("kintone_typed", "kintone_hashmap"),
    ("csv_typed", "csv_string_records"),
    ("slack_typed", "slack_value"),
    ("sap_flat_typed", "sap_flat_value"),
    ("sap_nested_typed", "sap_nested_value"),
    ("names_indexed", "names_scanned"),
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--pairs") {
        for (typed, base) in PAIRS {
            println!("{typed} {base}");
        }
        return;
    }
    let names: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(String::as_str)
        .collect();
    let fastest: Option<u32> = args.iter().find_map(|a| {
        let n = a.strip_prefix("--fastest=")?;
        Some(n.parse().expect("--fastest=N takes a number of passes"))
    });
    let entries = common::kintone_entries(RECORDS, 1);
    let inputs = Inputs {
        events: entries
            .iter()
            .map(|e| kintone::Event::parse(e.action, &e.complement).expect("inputs parse"))
            .collect(),
        entries,
        csv: common::kintone_csv(CSV_ROWS, 2),
        slack: common::slack_response(SLACK_ENTRIES, 3),
        sap_flat: common::sap_flat(RECORDS, 4),
        sap_nested: common::sap_nested(RECORDS, 5),
        names: (0..LOOKUPS)
            .map(|i| member_names()[i * 7_919 % MEMBERS].as_str())
            .collect(),
    };
    // Built on first use: before counting.
    Member::index();
    let runs: Vec<&Run> = RUNS
        .iter()
        .filter(|(name, ..)| names.is_empty() || names.contains(name))
        .collect();
    if args.iter().any(|a| a == "--by-action") {
        by_action(&inputs.entries, fastest.unwrap_or(20));
        return;
    }
    match fastest {
        None => {
            for &&(name, records, run) in &runs {
                run(&inputs);
                println!("{name} {records}");
            }
        }
        Some(passes) => time(&runs, &inputs, passes),
    }
}

/// The `--fastest=N` mode: every run `passes` times, the runs taking
/// turns so that a busy spell of the machine hits them all, and the
/// fastest pass of each, per record; then each pair's ratio.
fn time(runs: &[&Run], inputs: &Inputs, passes: u32) {
    let mut best = vec![f64::INFINITY; runs.len()];
    for _ in 0..passes {
        for (best, &&(_, records, run)) in best.iter_mut().zip(runs) {
            let start = std::time::Instant::now();
            run(inputs);
            *best = best.min(start.elapsed().as_nanos() as f64 / records as f64);
        }
    }
    let per_record: HashMap<&str, f64> = runs.iter().map(|r| r.0).zip(best).collect();
    for &&(name, ..) in runs {
        println!(
            "{name:22} {:>10.1} ns per record (fastest of {passes})",
            per_record[name]
        );
    }
    println!();
    for (typed, base) in PAIRS {
        if let (Some(t), Some(b)) = (per_record.get(typed), per_record.get(base)) {
            println!("{base} / {typed}: {:.2}", b / t);
        }
    }
}

/// The `--by-action` mode: the entries of `kintone_typed` grouped by
/// action, each group typed and split `passes` times, taking turns, and
/// the fastest pass of each per record, slowest ratio first. It shows
/// which actions the mixed ratio is made of.
///
/// Each group owns copies of its entries, in order, as the mixed input
/// is read (pointers into the whole input would time cache misses), and
/// its passes run back to back, before the next group's: what an export
/// of one busy action costs, with the action's code and branches warm.
/// The mixed input, one action after another at random, costs more per
/// record, so the weighted ratio here is above `kintone_typed`'s.
fn by_action(entries: &[common::KintoneEntry], passes: u32) {
    let mut groups: Vec<(kintone::Action, Vec<common::KintoneEntry>)> = Vec::new();
    for e in entries {
        match groups.iter_mut().find(|(a, _)| *a == e.action) {
            Some((_, group)) => group.push(e.clone()),
            None => groups.push((e.action, vec![e.clone()])),
        }
    }
    // Per group: fastest typed and split pass, per record.
    let mut best = vec![[f64::INFINITY; 2]; groups.len()];
    for (best, (_, group)) in best.iter_mut().zip(&groups) {
        let per_record =
            |start: std::time::Instant| start.elapsed().as_nanos() as f64 / group.len() as f64;
        for _ in 0..passes {
            let start = std::time::Instant::now();
            typed_complements(group);
            best[0] = best[0].min(per_record(start));
            let start = std::time::Instant::now();
            split_complements(group);
            best[1] = best[1].min(per_record(start));
        }
    }
    let mut rows: Vec<_> = groups.iter().zip(&best).collect();
    rows.sort_by(|a, b| (a.1[1] / a.1[0]).total_cmp(&(b.1[1] / b.1[0])));
    println!(
        "{:28} {:>5} {:>7} {:>10} {:>10} {:>6}",
        "action", "cases", "share", "typed ns", "split ns", "ratio"
    );
    let (mut typed, mut split) = (0.0, 0.0);
    for ((action, group), [t, s]) in rows {
        let cases: std::collections::BTreeSet<_> = group
            .iter()
            .filter_map(|e| kintone::Event::parse(e.action, &e.complement).ok())
            .map(|event| event.case())
            .collect();
        let share = group.len() as f64 / entries.len() as f64;
        typed += t * share;
        split += s * share;
        println!(
            "{:28} {:>5} {:>6.1}% {t:>10.1} {s:>10.1} {:>6.2}",
            format!("{action:?}"),
            cases.len(),
            share * 100.0,
            s / t
        );
    }
    println!(
        "{:28} {:>5} {:>7} {typed:>10.1} {split:>10.1} {:>6.2}",
        "all, weighted",
        "",
        "100%",
        split / typed
    );
}
