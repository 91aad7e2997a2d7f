//! Allocations per record of each parser, counted by a global allocator, next
//! to the allocations that merely cloning the result takes (its own strings,
//! vectors and maps): the difference is what parsing allocates beyond its
//! result. Each parser reads a few records before counting starts: what is
//! set up once (the validators' patterns, a thread's decoding room) is not
//! a cost per record.
//!
//! `cargo bench -p auditcat --bench allocations` (add `-- --test` for a quick
//! run on fewer records).

use std::alloc::System;
use std::hint::black_box;

use auditcat::{kintone, sap_btp, slack};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

mod common;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Runs `f`, returning its result and the allocations (and reallocations)
/// it made.
fn counted<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let region = Region::new(GLOBAL);
    let t = f();
    let stats = region.change();
    (t, stats.allocations + stats.reallocations)
}

fn row(what: &str, records: usize, parse: usize, result: usize) {
    let per = |n: usize| n as f64 / records as f64;
    println!(
        "{what:<34} {:>10.2} {:>10.2} {:>10.2}",
        per(parse),
        per(result),
        per(parse) - per(result)
    );
}

/// Records each parser reads before counting starts.
const WARM_UP: usize = 100;

fn main() {
    let quick = std::env::args().any(|a| a == "--test");
    let n = if quick { 500 } else { 10_000 };
    println!(
        "{:<34} {:>10} {:>10} {:>10}",
        "allocations per record", "parse", "result", "excess"
    );

    let entries = common::kintone_entries(n, 1);
    for e in entries.iter().take(WARM_UP) {
        black_box(kintone::Event::parse(e.action, &e.complement).ok());
    }
    let (mut parse, mut result) = (0, 0);
    for e in &entries {
        let (event, a) = counted(|| kintone::Event::parse(e.action, &e.complement));
        let (copy, b) = counted(|| event.clone());
        black_box(&copy);
        parse += a;
        result += b;
    }
    row("kintone Event::parse", n, parse, result);

    let csv = common::kintone_csv(n, 2);
    for r in kintone::read_csv(&csv[..]).expect("a header").take(WARM_UP) {
        black_box(r.expect("a row").validate());
    }
    let (records, parse) = counted(|| {
        kintone::read_csv(&csv[..])
            .expect("a header")
            .collect::<Result<Vec<_>, _>>()
            .expect("rows")
    });
    // The Vec that collects the records is the bench's, not the parser's.
    let (_, collect) = counted(|| Vec::<kintone::Record>::with_capacity(n));
    let (copy, result) = counted(|| records.iter().map(Clone::clone).collect::<Vec<_>>());
    row(
        "kintone read_csv (per row)",
        n,
        parse - collect,
        result - collect,
    );
    black_box(&copy);
    let (violations, validate) =
        counted(|| records.iter().map(|r| r.validate().len()).sum::<usize>());
    assert_eq!(violations, 0);
    row("kintone Record::validate", n, validate, 0);

    let json = common::slack_response(n, 3);
    let warm = slack::parse_response(&json).expect("a response");
    for e in warm.entries.iter().take(WARM_UP) {
        black_box(e.validate());
    }
    let (response, parse) = counted(|| slack::parse_response(&json).expect("a response"));
    let (copy, result) = counted(|| response.clone());
    black_box(&copy);
    row("slack parse_response (per entry)", n, parse, result);
    let (_, validate) = counted(|| {
        response
            .entries
            .iter()
            .map(|e| e.validate().len())
            .sum::<usize>()
    });
    row("slack Entry::validate", n, validate, 0);

    for (name, records) in [
        ("sap-btp classify, flat", common::sap_flat(n, 4)),
        ("sap-btp classify, nested", common::sap_nested(n, 5)),
    ] {
        for r in records.iter().take(WARM_UP) {
            black_box(sap_btp::classify(r).ok());
        }
        let (mut parse, mut result) = (0, 0);
        for r in &records {
            let (record, a) = counted(|| sap_btp::classify(r).expect("a record"));
            let (copy, b) = counted(|| record.clone());
            black_box(&copy);
            parse += a;
            result += b;
        }
        row(name, n, parse, result);
    }
    println!("({n} records each; `result`: allocations of a clone of the parsed result)");
}
