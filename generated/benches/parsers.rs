//! The parsers of each source, each next to its baseline in the same run, on
//! realistic records built from `catalog.json`'s examples (every action,
//! mixed, varied): see `BENCHMARKS.md` for the targets and the figures.
//!
//! `cargo bench -p auditcat --bench parsers` measures; add `-- --test` to only
//! check that every benchmark runs.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use auditcat::{kintone, sap_btp, slack};
use criterion::{Criterion, Throughput};

mod common;

/// Records per iteration of the per-record benchmarks.
const RECORDS: usize = 10_000;
/// Rows of the CSV export.
const CSV_ROWS: usize = 20_000;
/// Entries of the Slack response.
const SLACK_ENTRIES: usize = 2_000;

/// The obvious hand-written complement parser: split on `, ` and `: `.
fn hand_written(line: &str) -> HashMap<String, String> {
    line.split(", ")
        .filter_map(|item| item.split_once(": "))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn kintone_complement(c: &mut Criterion) {
    let entries = common::kintone_entries(RECORDS, 1);
    let mut lines = String::new();
    for e in &entries {
        lines.push_str(&e.complement);
        lines.push('\n');
    }
    let unparsed = entries
        .iter()
        .filter(|e| kintone::Event::parse(e.action, &e.complement).is_err())
        .count();
    assert_eq!(unparsed, 0, "every generated complement parses");
    let mut g = c.benchmark_group("kintone_complement");
    g.throughput(Throughput::Bytes(lines.len() as u64));
    g.bench_function("typed", |b| {
        b.iter(|| {
            for e in &entries {
                black_box(kintone::Event::parse(e.action, black_box(&e.complement)).ok());
            }
        })
    });
    g.bench_function("hashmap_baseline", |b| {
        b.iter(|| {
            for e in &entries {
                black_box(hand_written(black_box(&e.complement)));
            }
        })
    });
    g.bench_function("memchr_lines", |b| {
        b.iter(|| memchr::memchr_iter(b'\n', black_box(lines.as_bytes())).count())
    });
    g.finish();
}

fn kintone_csv(c: &mut Criterion) {
    let csv = common::kintone_csv(CSV_ROWS, 2);
    let mut g = c.benchmark_group("kintone_csv");
    g.throughput(Throughput::Bytes(csv.len() as u64));
    g.bench_function("read_parse_validate", |b| {
        b.iter(|| {
            let mut violations = 0;
            for record in kintone::read_csv(black_box(&csv[..])).expect("a header") {
                violations += record.expect("a row").validate().len();
            }
            violations
        })
    });
    g.bench_function("csv_string_records_baseline", |b| {
        b.iter(|| {
            csv::Reader::from_reader(black_box(&csv[..]))
                .records()
                .map(|r| r.expect("a row").len())
                .sum::<usize>()
        })
    });
    g.finish();
}

fn slack_response(c: &mut Criterion) {
    let json = common::slack_response(SLACK_ENTRIES, 3);
    let parsed = slack::parse_response(&json).expect("a response");
    assert_eq!(parsed.entries.len(), SLACK_ENTRIES);
    assert!(parsed.entries.iter().all(|e| e.validate().is_empty()));
    let mut g = c.benchmark_group("slack_response");
    g.throughput(Throughput::Bytes(json.len() as u64));
    g.bench_function("parse_response", |b| {
        b.iter(|| slack::parse_response(black_box(&json)).expect("a response"))
    });
    g.bench_function("serde_json_value_baseline", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&json)).expect("JSON"))
    });
    g.finish();
}

fn sap_btp_classify(c: &mut Criterion) {
    let flat = common::sap_flat(RECORDS, 4);
    let nested = common::sap_nested(RECORDS, 5);
    for record in flat.iter().chain(&nested) {
        let r = sap_btp::classify(record).expect("a record");
        assert!(
            matches!(
                r.identified,
                sap_btp::Identified::Event(Ok(_)) | sap_btp::Identified::Ambiguous { .. }
            ),
            "{record}: {:?}",
            r.identified
        );
    }
    let mut g = c.benchmark_group("sap_btp_classify");
    g.throughput(Throughput::Elements(RECORDS as u64));
    for (name, records) in [("flat", &flat), ("nested", &nested)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                for r in records {
                    black_box(sap_btp::classify(black_box(r)).ok());
                }
            })
        });
        // For scale only: the same bytes into a serde_json::Value.
        g.bench_function(format!("{name}_serde_json_value"), |b| {
            b.iter(|| {
                for r in records {
                    black_box(serde_json::from_str::<serde_json::Value>(black_box(r)).ok());
                }
            })
        });
    }
    g.finish();
}

fn main() {
    let mut c = Criterion::default()
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    kintone_complement(&mut c);
    kintone_csv(&mut c);
    slack_response(&mut c);
    sap_btp_classify(&mut c);
    c.final_summary();
}
