//! Robustness of the generated parsers: no input makes one panic, loop or
//! overflow its stack, and the largest inputs finish in bounded time and
//! memory.
//!
//! The fuzz suites run proptest with many cases (`PROPTEST_CASES` overrides
//! every suite's count) on arbitrary input and on valid input built from the
//! examples in `generated/catalog.json`, then mutated: pieces inserted,
//! deleted and duplicated. Each suite runs in a thread with a normal 2 MiB
//! stack under a watchdog, which fails the test, naming the input, when the
//! suite stops making progress; each input must also finish within a bound of
//! its own. Run with `--nocapture` to see how many inputs each suite ran.
//!
//! The bounded cases (deep nesting, a 50 MB JSON string, a 100 MB CSV field,
//! 100,000 repeated groups) are run one at a time, each in a thread with a
//! normal stack; each reports its time and, on Linux, how much the process's
//! peak resident memory grew.
//!
//! Inputs that found a bug are kept as regression tests (at the end of this
//! file), the larger ones in `tests/regressions/`.

use std::fmt::Debug;
use std::io::BufRead;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use auditcat::kintone::{self, Action, Event};
use auditcat::runtime::names::Catalogued;
use auditcat::runtime::output::{Output, SourceInfo};
use auditcat::{sap_btp, slack};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;

// ------------------------------------------------------------------ limits

/// The stack of a normal thread: where a deep input must not overflow.
const STACK: usize = 2 * 1024 * 1024;
/// Longest any one fuzz input may take (debug build, a loaded machine).
const PER_INPUT: Duration = Duration::from_secs(5);
/// Longest a fuzz suite may go without finishing an input before the
/// watchdog calls it a hang.
const STALL: Duration = Duration::from_secs(60);
/// Longest a bounded case may take (debug build).
const BOUNDED: Duration = Duration::from_secs(30);

/// A suite's number of cases: `PROPTEST_CASES` when set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(default)
}

/// Runs `suite` in a thread with a normal stack; fails when it panics, or
/// when it finishes no input for [`STALL`] (a hang: the input it was on is
/// shown).
fn watchdog<T, F>(name: &str, last: Arc<Mutex<Option<T>>>, progress: Arc<AtomicU64>, suite: F)
where
    T: Debug + Send + 'static,
    F: FnOnce() + Send + 'static,
{
    let (done, finished) = mpsc::channel();
    let worker = std::thread::Builder::new()
        .name(name.to_owned())
        .stack_size(STACK)
        .spawn(move || {
            suite();
            let _ = done.send(());
        })
        .expect("spawn the suite's thread");
    let mut seen = progress.load(Ordering::Relaxed);
    loop {
        match finished.recv_timeout(STALL) {
            Ok(()) => break,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let now = progress.load(Ordering::Relaxed);
                if now == seen {
                    let input = last.lock().map(|l| format!("{:?}", *l)).unwrap_or_default();
                    panic!("{name}: no input finished in {STALL:?}: a hang on {input}");
                }
                seen = now;
            }
        }
    }
    if let Err(panic) = worker.join() {
        std::panic::resume_unwind(panic);
    }
}

/// Runs `check` on `cases` inputs of `strategy` (proptest, shrinking on
/// failure) under the [`watchdog`], each input within [`PER_INPUT`]; prints
/// and returns how many inputs ran.
fn fuzz<S, F>(name: &'static str, default_cases: u32, strategy: S, check: F) -> u64
where
    S: Strategy + Send + 'static,
    F: Fn(&S::Value) + Send + 'static,
    S::Value: Clone + Debug + Send + 'static,
{
    let cases = cases(default_cases);
    let last: Arc<Mutex<Option<S::Value>>> = Arc::new(Mutex::new(None));
    let progress = Arc::new(AtomicU64::new(0));
    let (l, p) = (Arc::clone(&last), Arc::clone(&progress));
    let start = Instant::now();
    watchdog(name, Arc::clone(&last), Arc::clone(&progress), move || {
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            // Shrinking a slow input reruns it: stop after a while and
            // report the smallest input found so far.
            max_shrink_time: 60_000,
            ..Config::default()
        });
        let result = runner.run(&strategy, |input| {
            if let Ok(mut slot) = l.lock() {
                *slot = Some(input.clone());
            }
            let start = Instant::now();
            check(&input);
            let took = start.elapsed();
            p.fetch_add(1, Ordering::Relaxed);
            if took > PER_INPUT {
                return Err(TestCaseError::fail(format!(
                    "took {took:?}, more than {PER_INPUT:?}"
                )));
            }
            Ok(())
        });
        if let Err(e) = result {
            panic!("{name}: {e}");
        }
    });
    let ran = progress.load(Ordering::Relaxed);
    println!(
        "{name}: {ran} inputs ({cases} cases) in {:.1?}",
        start.elapsed()
    );
    assert!(
        ran >= u64::from(cases),
        "{name}: only {ran} of {cases} inputs ran"
    );
    ran
}

// ----------------------------------------------------------------- catalog

fn catalog() -> &'static Value {
    static CATALOG: OnceLock<Value> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../generated/catalog.json");
        let text = std::fs::read_to_string(path).expect("generated/catalog.json is readable");
        serde_json::from_str(&text).expect("generated/catalog.json is JSON")
    })
}

fn source(id: &str) -> &'static Value {
    catalog()["sources"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == id))
        .unwrap_or_else(|| panic!("no source `{id}` in catalog.json"))
}

/// One example of an action: module, action, service, level, text.
#[derive(Debug, Clone)]
struct Example {
    module: String,
    action: String,
    service: String,
    level: String,
    text: String,
}

/// Every example and counterexample of a source, with its action.
fn examples(id: &str) -> Vec<Example> {
    let str_of = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let mut out = Vec::new();
    for module in source(id)["modules"].as_array().into_iter().flatten() {
        for action in module["actions"].as_array().into_iter().flatten() {
            let mut texts: Vec<String> = Vec::new();
            for variant in action["variants"].as_array().into_iter().flatten() {
                for key in ["examples", "counterexamples"] {
                    for e in variant[key].as_array().into_iter().flatten() {
                        texts.extend(e["example"].as_str().map(str::to_owned));
                    }
                }
            }
            for e in action["examples"].as_array().into_iter().flatten() {
                texts.extend(e.as_str().map(str::to_owned));
            }
            texts.sort();
            texts.dedup();
            for text in texts {
                out.push(Example {
                    module: str_of(&module["name"]),
                    action: str_of(&action["name"]),
                    service: str_of(&module["service"]),
                    level: str_of(&action["levels"][0]),
                    text,
                });
            }
        }
    }
    assert!(out.len() > 5, "catalog.json: `{id}` has too few examples");
    out
}

/// A source's property names and enumeration values.
fn vocabulary(id: &str) -> Vec<String> {
    let mut words = Vec::new();
    for p in source(id)["properties"].as_array().into_iter().flatten() {
        words.extend(p["name"].as_str().map(str::to_owned));
        for v in p["values"].as_array().into_iter().flatten() {
            words.extend(v["name"].as_str().map(str::to_owned));
        }
    }
    words
}

// --------------------------------------------------------------- mutations

/// One edit of a text or byte string; positions are taken modulo its length.
#[derive(Debug, Clone)]
enum Edit<T> {
    Insert(Index, T),
    Delete(Index, usize),
    Duplicate(Index, usize),
}

/// Edits whose inserted pieces come from `piece`.
fn edits<T: Debug + Clone + 'static>(
    piece: impl Strategy<Value = T> + 'static,
    most: usize,
) -> impl Strategy<Value = Vec<Edit<T>>> {
    let edit = prop_oneof![
        4 => (any::<Index>(), piece).prop_map(|(i, p)| Edit::Insert(i, p)),
        2 => (any::<Index>(), 1usize..12).prop_map(|(i, n)| Edit::Delete(i, n)),
        2 => (any::<Index>(), 1usize..40).prop_map(|(i, n)| Edit::Duplicate(i, n)),
    ];
    vec(edit, 0..most)
}

/// `text` with `edits` applied, each at a character boundary.
fn edit_text(text: &str, edits: &[Edit<String>]) -> String {
    let mut s = text.to_owned();
    let floor = |s: &str, mut i: usize| {
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    for e in edits {
        match e {
            Edit::Insert(at, piece) => {
                let i = floor(&s, at.index(s.len() + 1));
                s.insert_str(i, piece);
            }
            Edit::Delete(at, n) => {
                let i = floor(&s, at.index(s.len() + 1));
                let j = floor(&s, (i + n).min(s.len()));
                s.replace_range(i..j, "");
            }
            Edit::Duplicate(at, n) => {
                let i = floor(&s, at.index(s.len() + 1));
                let j = floor(&s, (i + n).min(s.len()));
                let copy = s[i..j].to_owned();
                s.insert_str(j, &copy);
            }
        }
    }
    s
}

/// `bytes` with `edits` applied.
fn edit_bytes(bytes: &[u8], edits: &[Edit<Vec<u8>>]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    for e in edits {
        match e {
            Edit::Insert(at, piece) => {
                let i = at.index(b.len() + 1);
                b.splice(i..i, piece.iter().copied());
            }
            Edit::Delete(at, n) => {
                let i = at.index(b.len() + 1);
                let j = (i + n).min(b.len());
                b.drain(i..j);
            }
            Edit::Duplicate(at, n) => {
                let i = at.index(b.len() + 1);
                let j = (i + n).min(b.len());
                let copy = b[i..j].to_vec();
                b.splice(j..j, copy);
            }
        }
    }
    b
}

// ------------------------------------------------------------------ kintone

/// Pieces of complements: separators, parentheses, catalog keys (with and
/// without `: `), enumeration values, digits, odd characters, random text.
fn complement_piece() -> impl Strategy<Value = String> {
    let words = vocabulary("kintone");
    prop_oneof![
        4 => select(vec![", ", ": ", "(", ")", ", (", "), (", ",", ":", " "]).prop_map(str::to_owned),
        3 => select(words.clone()).prop_map(|k| format!("{k}: ")),
        2 => select(words.clone()).prop_map(|k| format!(", {k}: ")),
        2 => select(words.clone()).prop_map(|k| format!("({k}: ")),
        1 => select(words),
        2 => "[0-9]{1,6}",
        1 => select(vec!["（", "）", "\n", "\r", "\t", "\"", "\u{feff}", "\u{0}", "é", "営業", "📈", "%s"])
            .prop_map(str::to_owned),
        1 => "\\PC{0,8}",
    ]
}

fn kintone_examples() -> &'static [Example] {
    static EXAMPLES: OnceLock<Vec<Example>> = OnceLock::new();
    EXAMPLES.get_or_init(|| examples("kintone"))
}

/// A complement: an example, mutated; or pieces strung together; or any text.
fn complement() -> impl Strategy<Value = String> {
    let texts: Vec<String> = kintone_examples().iter().map(|e| e.text.clone()).collect();
    prop_oneof![
        6 => (select(texts), edits(complement_piece(), 8))
            .prop_map(|(text, e)| edit_text(&text, &e)),
        2 => vec(complement_piece(), 0..20).prop_map(|p| p.concat()),
        1 => "\\PC{0,80}",
        1 => any::<String>(),
    ]
}

/// Parses `text` as every action's complement and uses whatever comes back.
fn parse_as_every_action(text: &str) {
    for &action in Action::ALL {
        match Event::parse(action, text) {
            Ok(event) => {
                assert_eq!(event.action(), action);
                let _ = event.case();
                let _ = event.level();
                let _ = event.properties();
                let _ = event.validate();
                let _ = event.to_string();
            }
            Err(v) => {
                assert!(!v.message.is_empty(), "a violation without a message");
            }
        }
    }
}

#[test]
fn kintone_complements_never_panic_or_hang() {
    fuzz(
        "kintone complement (x every action)",
        10_000,
        complement(),
        |t: &String| parse_as_every_action(t),
    );
}

/// The header rows a kintone export may have.
const HEADERS: [&str; 3] = [
    "Date and time,User,Service,Level,Module,Action,Result,Complement",
    "日時,ユーザー,サービス,レベル,モジュール,アクション,結果,補足",
    "Complement,Action,Module,Extra,Level,Result,Service,User,Date",
];

/// A valid export of `rows` catalog examples, under one of the [`HEADERS`];
/// one line per row.
fn export(rows: std::ops::Range<usize>) -> impl Strategy<Value = Vec<u8>> {
    let rows = vec(select(kintone_examples().to_vec()), rows);
    (0..HEADERS.len(), rows, any::<bool>(), any::<bool>()).prop_map(|(h, rows, crlf, bom)| {
        let eol = if crlf { "\r\n" } else { "\n" };
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let mut out = String::new();
        if bom {
            out.push('\u{feff}');
        }
        out.push_str(HEADERS[h]);
        out.push_str(eol);
        for (i, e) in rows.iter().enumerate() {
            let time = format!("2026-11-20 09:15:{:02}", i % 60);
            let row = if h == 2 {
                [
                    quote(&e.text),
                    quote(&e.action),
                    quote(&e.module),
                    "x".to_owned(),
                    quote(&e.level),
                    "SUCCESS".to_owned(),
                    quote(&e.service),
                    "admin".to_owned(),
                    time,
                ]
                .join(",")
            } else {
                [
                    time,
                    "admin".to_owned(),
                    quote(&e.service),
                    quote(&e.level),
                    quote(&e.module),
                    quote(&e.action),
                    "SUCCESS".to_owned(),
                    quote(&e.text),
                ]
                .join(",")
            };
            out.push_str(&row);
            out.push_str(eol);
        }
        out.into_bytes()
    })
}

/// Byte pieces that matter to CSV: quotes, separators, line ends, a BOM,
/// invalid UTF-8, NUL, full-width parentheses, header words.
fn csv_piece() -> impl Strategy<Value = Vec<u8>> {
    let pieces: Vec<&[u8]> = vec![
        b"\"",
        b",",
        b"\n",
        b"\r\n",
        b"\r",
        b"\"\"",
        b",\"",
        b"\",",
        b"\xEF\xBB\xBF",
        b"\xff",
        b"\xC3",
        b"\xE6\x97",
        b"\0",
        "（".as_bytes(),
        "）".as_bytes(),
        b"Complement",
        b"Action",
        "補足".as_bytes(),
        b"App update",
        b"Notice",
        b" ",
        b"2026-11-20 09:15:02",
    ];
    prop_oneof![
        4 => select(pieces).prop_map(<[u8]>::to_vec),
        1 => vec(any::<u8>(), 1..8),
        1 => complement_piece().prop_map(String::into_bytes),
    ]
}

/// CSV input: arbitrary bytes, a header followed by arbitrary bytes, or a
/// valid export mutated.
fn csv_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => vec(any::<u8>(), 0..300),
        1 => (0..HEADERS.len(), vec(prop_oneof![any::<u8>(), select(b",\"\n\r".to_vec())], 0..300))
            .prop_map(|(h, tail)| [HEADERS[h].as_bytes(), b"\n", &tail].concat()),
        6 => (export(0..6), edits(csv_piece(), 10)).prop_map(|(b, e)| edit_bytes(&b, &e)),
    ]
}

/// Reads `bytes` as an export, every record, and checks the numbering; then
/// the same through the command line's reader.
fn read_every_record(bytes: &[u8]) {
    let mut records = 0u64;
    if let Ok(reader) = kintone::read_csv(bytes) {
        let _ = reader.headers();
        let mut last_line = 0;
        for item in reader {
            records += 1;
            match item {
                Ok(record) => {
                    assert_eq!(record.record, records, "records are numbered 1, 2, ...");
                    assert!(
                        record.line >= last_line,
                        "record {} starts on line {}, before the previous one's {last_line}",
                        record.record,
                        record.line
                    );
                    last_line = record.line;
                    let _ = record.validate();
                    let _ = record.to_output().to_json().to_string();
                    let _ = format!("{record:?}");
                }
                Err(e) => {
                    assert_eq!(e.record, Some(records), "errors are numbered too: {e}");
                    let _ = e.to_string();
                }
            }
        }
    }
    let outputs = read_outputs(&kintone::SOURCE, bytes);
    if let Ok(outputs) = outputs {
        assert_eq!(outputs, records, "the command line reads as many records");
    }
}

/// Runs a source's command-line reader over `bytes`; the number of outputs,
/// or the error that stopped it.
fn read_outputs(source: &SourceInfo, bytes: &[u8]) -> std::io::Result<u64> {
    let mut n = 0u64;
    let mut input: &[u8] = bytes;
    let input: &mut dyn BufRead = &mut input;
    (source.read)(input, &mut |o: Output| {
        n += 1;
        let _ = o.to_json().to_string();
    })?;
    Ok(n)
}

#[test]
fn kintone_csv_never_panics_or_hangs() {
    fuzz("kintone CSV reader", 5_000, csv_input(), |b: &Vec<u8>| {
        read_every_record(b)
    });
}

/// Whether a large export is left as generated: one record per line.
#[derive(Debug, Clone)]
struct Large {
    bytes: Vec<u8>,
    mutated: bool,
}

#[test]
fn kintone_csv_large_exports_never_panic_or_hang() {
    // Exports larger than the reader's 64 KiB buffer (rows of about 150
    // bytes), so that records and line ends fall across its refills; as
    // generated, record `n` must start on line `n + 1`.
    let large =
        (export(500..1600), edits(csv_piece(), 6), any::<bool>()).prop_map(|(bytes, e, mutate)| {
            Large {
                bytes: if mutate {
                    edit_bytes(&bytes, &e)
                } else {
                    bytes
                },
                mutated: mutate && !e.is_empty(),
            }
        });
    fuzz(
        "kintone CSV reader, exports over 64 KiB",
        30,
        large,
        |large: &Large| {
            read_every_record(&large.bytes);
            if !large.mutated {
                for record in kintone::read_csv(large.bytes.as_slice()).expect("a header") {
                    let record = record.expect("a valid row");
                    assert_eq!(record.line, record.record + 1, "one record per line");
                    assert!(record
                        .validate()
                        .iter()
                        .all(|v| v.code.as_str() != "record_malformed"));
                }
            }
        },
    );
}

/// Pieces of times: digits, separators, signs, zones, the forms' letters.
fn time_input() -> impl Strategy<Value = String> {
    let seeds = vec![
        "2026-11-20 09:15:02",
        "2026/11/20 09:15:02",
        "2026-11-20T09:15:02.5Z",
        "2026-11-20T09:15:02+09:00",
        "2018-03-20T15.59.14.878+0000",
        "2024-02-29 23:59:60",
        "0000-01-01T00:00:00-23:59",
        "9999-12-31T23:59:59.999999999+23:59",
        "1392163200",
    ];
    let piece = prop_oneof![
        4 => "[0-9]{1,3}",
        3 => select(vec!["-", "/", ":", ".", ",", "T", "t", " ", "Z", "+", "+09", "+0900", "-23:59", "60", "99999999999999999999", "\u{3000}", "\u{0}"])
            .prop_map(str::to_owned),
        1 => "\\PC{0,3}",
    ];
    prop_oneof![
        4 => (select(seeds), edits(piece, 5)).prop_map(|(t, e)| edit_text(t, &e)),
        1 => "[0-9 :T/.+Z-]{0,40}",
        1 => any::<String>(),
    ]
}

#[test]
fn times_never_panic_and_round_trip() {
    use auditcat::runtime::time::Timestamp;
    fuzz(
        "Timestamp::parse/parse_unix",
        10_000,
        time_input(),
        |text: &String| {
            if let Ok(t) = Timestamp::parse(text) {
                let shown = t.to_string();
                assert_eq!(
                    Timestamp::parse(&shown).ok(),
                    Some(t),
                    "{text:?} shown as {shown:?}"
                );
                let _ = t.unix();
            }
            if let Ok(t) = Timestamp::parse_unix(text) {
                let seconds: i64 = text.trim().parse().expect("Unix seconds are a number");
                assert_eq!(t.unix(), Some(seconds), "{text:?}");
            }
        },
    );
    fuzz(
        "Timestamp::from_unix",
        10_000,
        any::<i64>(),
        |&seconds: &i64| {
            let t = Timestamp::from_unix(seconds);
            let _ = t.to_string();
            assert_eq!(t.unix(), Some(seconds), "{seconds} gives {t}");
        },
    );
}

// --------------------------------------------------------------- JSON ones

/// Pieces of JSON: brackets, quotes, separators, literals, odd numbers and
/// strings, line ends, a BOM, and `"key": ` for the source's keys.
fn json_piece(id: &str) -> impl Strategy<Value = String> {
    let words = vocabulary(id);
    prop_oneof![
        4 => select(vec![
            "{", "}", "[", "]", "\"", ",", ":", "null", "true", "false", "0", "-1", "1e400",
            "18446744073709551616", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\\", "\n", "\r\n",
            "\u{feff}", " ", "{}", "[]", "\"x\": ", "\"ok\": true, ", "\"logs\": ",
        ])
        .prop_map(str::to_owned),
        2 => select(words.clone()).prop_map(|k| format!("\"{k}\": ")),
        1 => select(words).prop_map(|k| format!("\"{k}\"")),
        1 => "\\PC{0,8}",
    ]
}

/// JSON-ish text: any text, text of JSON's own characters, or `seeds`
/// mutated with [`json_piece`]s.
fn json_input(id: &'static str, seeds: Vec<String>) -> impl Strategy<Value = String> {
    prop_oneof![
        1 => any::<String>(),
        1 => "[\\[\\]{}\":,0-9a-z \\n\\\\-]{0,120}",
        6 => (select(seeds), edits(json_piece(id), 8)).prop_map(|(t, e)| edit_text(&t, &e)),
    ]
}

/// Slack documents built from the catalog's entries: responses, bare
/// arrays, error responses, files of one response per line.
fn slack_seeds() -> Vec<String> {
    let entries: Vec<String> = examples("slack").into_iter().map(|e| e.text).collect();
    let mut seeds = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let next = &entries[(i + 1) % entries.len()];
        seeds.push(e.clone());
        seeds.push(format!("[{e}, {next}]"));
        seeds.push(format!(
            "{{\"ok\": true, \"logs\": [{e}, {next}], \"paging\": {{\"count\": 2, \"total\": 3, \"page\": 1, \"pages\": 2}}}}"
        ));
        seeds.push(format!(
            "{{\"ok\": true, \"logs\": [{e}]}}\n{{\"ok\": true, \"logs\": [{next}]}}\n"
        ));
        seeds.push(format!(
            "{{\n  \"ok\": true,\n  \"logs\": [\n    {e}\n  ],\n  \"warning\": \"w\"\n}}\n"
        ));
    }
    seeds.push(
        r#"{"ok": false, "error": "missing_scope", "needed": "admin", "provided": "read"}"#
            .to_owned(),
    );
    seeds
}

fn parse_slack(text: &str) {
    if let Ok(response) = slack::parse_response(text) {
        for (i, entry) in response.entries.iter().enumerate() {
            let _ = entry.validate();
            let _ = format!("{entry:?}");
            let _ = entry.to_output(i as u64 + 1, 1, String::new()).to_json();
        }
    }
    for (line, doc) in slack::parse_file(text) {
        assert!(line >= 1, "lines count from 1");
        if let Ok(response) = doc {
            for entry in &response.entries {
                let _ = entry.validate();
            }
        }
    }
    read_outputs(&slack::SOURCE, text.as_bytes()).expect("a byte slice cannot fail to read");
}

#[test]
fn slack_never_panics_or_hangs() {
    fuzz(
        "Slack parse_response/parse_file/read",
        10_000,
        json_input("slack", slack_seeds()),
        |t: &String| parse_slack(t),
    );
}

/// SAP BTP records built from the catalog's examples: flat, Neo (message
/// as a JSON string), Cloud Foundry (message as an object with `data` as a
/// string), arrays of them, one per line.
fn sap_seeds() -> Vec<String> {
    let flats: Vec<String> = examples("sap-btp").into_iter().map(|e| e.text).collect();
    let mut seeds = Vec::new();
    for (i, flat) in flats.iter().enumerate() {
        let next = &flats[(i + 1) % flats.len()];
        let as_string = Value::String(flat.clone()).to_string();
        seeds.push(flat.clone());
        seeds.push(format!(
            r#"{{"Uuid":"u-1","Time":"2018-03-20T15.59.14.878+0000","User":"admin","Category":"audit.security-events","Message":{as_string}}}"#
        ));
        seeds.push(format!(
            r#"{{"message_uuid":" m ","time":"2026-11-20T09:15:02Z","org_id":"-","space_id":"undefined","user":"u","message":{{"data":{as_string}}}}}"#
        ));
        seeds.push(format!(
            r#"{{"message_uuid":"m","time":"2026-11-20T09:15:02Z","message":{flat}}}"#
        ));
        seeds.push(format!("[{flat}, {next}]"));
        seeds.push(format!("{flat}\n{next}\n"));
    }
    seeds
}

fn classify_sap(text: &str) {
    if let Ok(record) = sap_btp::classify(text) {
        let _ = record.validate();
        let _ = format!("{record:?}");
        let _ = record.to_output(1, 1, String::new()).to_json();
    }
    for (line, record) in sap_btp::classify_file(text) {
        assert!(line >= 1, "lines count from 1");
        if let Ok(record) = record {
            let _ = record.validate();
        }
    }
    read_outputs(&sap_btp::SOURCE, text.as_bytes()).expect("a byte slice cannot fail to read");
}

#[test]
fn sap_btp_never_panics_or_hangs() {
    fuzz(
        "SAP BTP classify/classify_file/read",
        10_000,
        json_input("sap-btp", sap_seeds()),
        |t: &String| classify_sap(t),
    );
}

// ----------------------------------------------------------------- bounded

/// One bounded case at a time: they are large, and memory is measured.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Peak resident memory of this process in bytes (Linux), after resetting
/// the peak to the current value when `reset`.
fn peak_rss(reset: bool) -> Option<u64> {
    if reset {
        std::fs::write("/proc/self/clear_refs", "5").ok()?;
    }
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Runs `case` on a thread with a normal stack, one bounded case at a time;
/// fails when it panics, overflows the stack (the process aborts), takes
/// longer than [`BOUNDED`], or grows peak memory by more than
/// `memory_limit` bytes. Prints time and memory.
fn bounded(name: &str, memory_limit: u64, case: impl FnOnce() + Send + 'static) {
    let _one = one_at_a_time();
    let before = peak_rss(true);
    let start = Instant::now();
    let (done, finished) = mpsc::channel();
    let worker = std::thread::Builder::new()
        .name(name.to_owned())
        .stack_size(STACK)
        .spawn(move || {
            case();
            let _ = done.send(());
        })
        .expect("spawn the case's thread");
    match finished.recv_timeout(BOUNDED) {
        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => {}
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{name}: not finished after {BOUNDED:?}")
        }
    }
    if let Err(panic) = worker.join() {
        std::panic::resume_unwind(panic);
    }
    let took = start.elapsed();
    let grew = before
        .zip(peak_rss(false))
        .map(|(b, a)| a.saturating_sub(b));
    match grew {
        Some(grew) => println!(
            "{name}: {took:.2?}, peak memory +{} MiB",
            grew / (1024 * 1024)
        ),
        None => println!("{name}: {took:.2?}"),
    }
    assert!(
        took < BOUNDED,
        "{name}: took {took:?}, more than {BOUNDED:?}"
    );
    if let Some(grew) = grew {
        assert!(
            grew <= memory_limit,
            "{name}: peak memory grew by {grew} bytes, more than {memory_limit}"
        );
    }
}

/// A mebibyte. Memory limits are generous: the peak is the whole process's,
/// and a test that panics meanwhile (loading debug info for its backtrace)
/// adds some 80 MiB.
const MIB: u64 = 1024 * 1024;

/// A violation's message: a clear error, not an empty one.
fn clear<T>(result: Result<T, auditcat::Violation>, what: &str) {
    if let Err(v) = result {
        assert!(!v.message.is_empty(), "{what}: an error without a message");
    }
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    bounded("100,000 nested `[` and `{`", 256 * MIB, || {
        let arrays = "[".repeat(100_000);
        let objects = "{\"a\":".repeat(100_000);
        let closed = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let inside = format!(
            "{{\"ok\": true, \"logs\": [{{\"user_id\": {}1{}}}]}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let message = format!(
            "{{\"Uuid\":\"u\",\"Message\":{}}}",
            Value::String(closed.clone())
        );
        for (i, text) in [&arrays, &objects, &closed, &inside, &message]
            .into_iter()
            .enumerate()
        {
            // The last is a Neo record whose message string holds deep JSON:
            // a valid (error) response to Slack's reader.
            let r = slack::parse_response(text);
            assert!(r.is_err() || i == 4, "deep JSON {i} is refused by Slack");
            clear(r, "slack");
            let _ = slack::parse_file(text);
            let r = sap_btp::classify(text);
            assert!(r.is_err(), "deep JSON {i} is refused by SAP BTP");
            clear(r, "sap-btp");
            let _ = sap_btp::classify_file(text);
            read_outputs(&slack::SOURCE, text.as_bytes()).expect("read");
            read_outputs(&sap_btp::SOURCE, text.as_bytes()).expect("read");
        }
    });
}

#[test]
fn deeply_nested_complement_is_parsed_or_refused() {
    bounded("100,000 nested `(` in complements", 256 * MIB, || {
        let texts = [
            "(".repeat(100_000),
            format!("app id: 1, app name: {}", "(".repeat(100_000)),
            format!(
                "space id: 7, space name: S, {}",
                "(app id: 1, app name: ".repeat(100_000)
            ),
            format!("app id: 1, app name: A, {}", "(".repeat(100_000)),
        ];
        for text in &texts {
            for &action in Action::ALL {
                clear(Event::parse(action, text), action.name());
            }
        }
    });
}

/// A string of 50 MB of `x`.
fn fifty_mb() -> String {
    "x".repeat(50 * 1024 * 1024)
}

#[test]
fn a_slack_response_with_a_50_mb_string_is_read() {
    bounded("Slack: 50 MB JSON string value", 1024 * MIB, || {
        let big = fifty_mb();
        let text = format!(
            r#"{{"ok": true, "logs": [{{"service_id": 1234567890, "service_type": "Google Calendar", "user_id": "U1234ABCD", "user_name": "{big}", "date": "1392163200", "change_type": "enabled", "scope": "incoming-webhook"}}]}}"#
        );
        drop(big);
        let response = slack::parse_response(&text).expect("a large response is read");
        assert_eq!(response.entries.len(), 1);
        let _ = response.entries[0].validate();
        drop(response);
        assert_eq!(
            read_outputs(&slack::SOURCE, text.as_bytes()).expect("read"),
            1
        );
    });
}

#[test]
fn a_sap_record_with_a_50_mb_string_is_read() {
    bounded("SAP BTP: 50 MB JSON string value", 1024 * MIB, || {
        let big = fifty_mb();
        let text = format!(
            r#"{{"action":"create","key":"Creating authorization code: {big}","tenantId":"t-1"}}"#
        );
        drop(big);
        let record = sap_btp::classify(&text).expect("a large record is read");
        let violations = record.validate();
        assert!(!violations.is_empty(), "the over-long code is reported");
        assert!(
            violations.iter().all(|v| v.message.len() < 1000),
            "a message does not repeat a 50 MB value"
        );
        drop(record);
        assert_eq!(
            read_outputs(&sap_btp::SOURCE, text.as_bytes()).expect("read"),
            1
        );
    });
}

#[test]
fn a_100_mb_csv_field_is_read() {
    bounded("100 MB CSV field", 2048 * MIB, || {
        let size = 100 * 1024 * 1024;
        let mut csv = String::with_capacity(size + 200);
        csv.push_str(HEADERS[0]);
        csv.push_str("\n2026-11-20 09:15:02,admin,kintone,Information,App management,App update,SUCCESS,\"app id: 42, app name: ");
        csv.extend(std::iter::repeat_n('x', size));
        csv.push_str("\"\n");
        let csv = csv.into_bytes();
        let mut n = 0;
        for record in kintone::read_csv(csv.as_slice()).expect("the header is read") {
            let record = record.expect("the row is read");
            n += 1;
            assert!(record.complement.len() > size);
            assert!(matches!(record.event, Some(Err(_))), "no target: unparsed");
            let _ = record.validate();
        }
        assert_eq!(n, 1);
        assert_eq!(read_outputs(&kintone::SOURCE, &csv).expect("read"), 1);
    });
}

/// `space id: 7, space name: S, (app id: 0, app name: A0), ...` with `n` groups.
fn space_delete_with(n: usize) -> String {
    let mut text = String::from("space id: 7, space name: Sales Team");
    for i in 0..n {
        text.push_str(&format!(", (app id: {i}, app name: App {i}, East)"));
    }
    text
}

#[test]
fn a_space_delete_with_100_000_apps_is_parsed() {
    bounded("Space delete with 100,000 groups", 512 * MIB, || {
        let text = space_delete_with(100_000);
        let event = Event::parse(Action::SpaceDelete, &text).expect("the complement is parsed");
        assert_eq!(event.case(), Some("with apps"));
        let apps = event.properties()["apps"]
            .as_array()
            .map(Vec::len)
            .unwrap_or_default();
        assert_eq!(apps, 100_000);
        assert!(event.validate().is_empty());
        assert_eq!(event.to_string(), text, "printed back as logged");
        let csv = format!(
            "{}\n2026-11-20 09:15:02,admin,kintone,Information,Space management,Space delete,SUCCESS,\"{text}\"\n",
            HEADERS[0]
        );
        let records: Vec<_> = kintone::read_csv(csv.as_bytes())
            .expect("the header is read")
            .collect();
        assert_eq!(records.len(), 1);
    });
}

// ------------------------------------------------------------- known bugs

/// `app id: 1, app name: a, app name: a, ...`: `n` times an item that may
/// follow `app id` but never reaches the `target` (or other key) that must
/// follow `app name`.
fn repeated_app_name(n: usize) -> String {
    format!("app id: 1{}", ", app name: a".repeat(n))
}

#[test]
fn a_complement_with_100_000_repeated_items_is_refused_in_bounded_time() {
    bounded("100,000 repeated `, app name: a`", 256 * MIB, || {
        let text = repeated_app_name(100_000);
        for action in [Action::AppUpdate, Action::AppReportDelete] {
            let r = Event::parse(action, &text);
            assert!(r.is_err(), "{action}: no `target` (or report id) follows");
            clear(r, action.name());
        }
        // App delete's single case ends with a free-text name, which may
        // hold anything: it reads the rest as the name, in linear time.
        assert!(Event::parse(Action::AppDelete, &text).is_ok());
        let csv = format!(
            "{}\n2026-11-20 09:15:02,admin,kintone,Information,App management,App update,SUCCESS,\"{text}\"\n",
            HEADERS[0]
        );
        assert_eq!(
            read_outputs(&kintone::SOURCE, csv.as_bytes()).expect("read"),
            1
        );
    });
}

#[test]
fn a_complement_with_1_000_repeated_items_is_refused() {
    // The same shape, small enough for the quadratic tokenizer: it is
    // refused with a clear error, not a panic.
    bounded("1,000 repeated `, app name: a`", 256 * MIB, || {
        let r = Event::parse(Action::AppUpdate, &repeated_app_name(1_000));
        assert!(r.is_err());
        clear(r, "App update");
    });
}

#[test]
fn a_100_mb_action_field_with_a_full_width_parenthesis_is_read() {
    bounded("100 MB action field with `（`", 2048 * MIB, || {
        let size = 100 * 1024 * 1024;
        let mut csv = String::with_capacity(size + 200);
        csv.push_str(HEADERS[0]);
        csv.push_str("\n2026-11-20 09:15:02,admin,kintone,Information,App management,\"（");
        csv.extend(std::iter::repeat_n('x', size));
        csv.push_str("\",SUCCESS,\"app id: 1, app name: A\"\n");
        assert_eq!(
            read_outputs(&kintone::SOURCE, csv.as_bytes()).expect("read"),
            1
        );
    });
}

/// A file of `tests/regressions/`.
fn regression(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("regressions")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The output objects of a source's command-line reader.
fn outputs_of(source: &SourceInfo, text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut input = text.as_bytes();
    (source.read)(&mut input, &mut |o: Output| out.push(o.to_json()))
        .expect("reading a byte slice cannot fail");
    out
}

fn malformed(outputs: &[Value]) -> Vec<String> {
    outputs
        .iter()
        .filter(|o| o["violations"].to_string().contains("record_malformed"))
        .map(|o| {
            format!(
                "record {} (line {}): {}",
                o["record"], o["line"], o["violations"]
            )
        })
        .collect()
}

#[test]
fn a_sap_btp_array_with_one_record_per_line_is_read_whole() {
    let text = regression("sap-btp-array-one-record-per-line.json");
    assert_eq!(
        sap_btp::classify_file(&text).len(),
        3,
        "classify_file reads 3"
    );
    let out = outputs_of(&sap_btp::SOURCE, &text);
    assert_eq!(malformed(&out), Vec::<String>::new());
    assert_eq!(out.len(), 3, "one output per record");
}

#[test]
fn a_slack_response_with_one_entry_per_line_is_read_whole() {
    let text = regression("slack-response-one-entry-per-line.json");
    let responses = slack::parse_file(&text);
    assert_eq!(responses.len(), 1);
    assert_eq!(
        responses[0].1.as_ref().map(|r| r.entries.len()).ok(),
        Some(3),
        "parse_file reads 3 entries"
    );
    let out = outputs_of(&slack::SOURCE, &text);
    let broken: Vec<String> = out
        .iter()
        .filter(|o| o["action"].is_null())
        .map(Value::to_string)
        .collect();
    assert_eq!(broken, Vec::<String>::new());
    assert_eq!(out.len(), 3, "one output per entry");
}

/// A pretty-printed JSON array of `n` Cloud Foundry records.
fn pretty_cf_records(n: usize) -> String {
    let record: Value = serde_json::from_str(
        r#"{"message_uuid": "m-1", "time": "2026-11-20T09:15:02Z", "message": {"action": "create", "key": "Creating platform client: c1", "account": "a"}}"#,
    )
    .expect("a record");
    serde_json::to_string_pretty(&Value::Array(vec![record; n])).expect("JSON")
}

#[test]
fn a_pretty_printed_array_of_500_records_is_read() {
    bounded("pretty-printed array of 500 records", 256 * MIB, || {
        let out = outputs_of(&sap_btp::SOURCE, &pretty_cf_records(500));
        assert_eq!(out.len(), 500);
        assert_eq!(malformed(&out), Vec::<String>::new());
    });
}

#[test]
fn a_pretty_printed_array_of_20_000_records_is_read_in_bounded_time() {
    bounded("pretty-printed array of 20,000 records", 512 * MIB, || {
        let text = pretty_cf_records(20_000);
        assert_eq!(outputs_of(&sap_btp::SOURCE, &text).len(), 20_000);
    });
}
