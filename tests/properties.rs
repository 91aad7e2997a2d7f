//! Property tests of the generated crate: no input makes a reader panic, and
//! typed kintone complements survive printing and parsing.
//!
//! Catalog keys, enumeration values and Slack examples come from
//! `generated/catalog.json`, so the generated inputs look like real logs.

use std::sync::OnceLock;

use auditcat::kintone::{
    self, AppCreate, AppMoveStarted, AppUpdate, Complement, DestinationSpace, Event, SourceSpace,
    SpaceDelete, SpaceDeleteApps, Target, TemplateDownload,
};
use auditcat::runtime::names::Catalogued;
use auditcat::runtime::text::Text;
use auditcat::{sap_btp, slack, Code};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Map, Value};

// ---------------------------------------------------------------- set-up

/// Cheap properties: many cases. Failures are not persisted: a failure
/// prints its shrunk input, and no `proptest-regressions/` file is written
/// into the source tree.
fn cheap() -> ProptestConfig {
    ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Properties that parse whole documents: fewer cases.
fn costly() -> ProptestConfig {
    ProptestConfig {
        cases: 500,
        ..cheap()
    }
}

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

/// A source's property keys (`app id`) and documented enumeration values.
fn vocabulary(id: &str) -> (Vec<String>, Vec<String>) {
    let mut keys = Vec::new();
    let mut values = Vec::new();
    for p in source(id)["properties"].as_array().into_iter().flatten() {
        keys.extend(p["name"].as_str().map(str::to_owned));
        for v in p["values"].as_array().into_iter().flatten() {
            values.extend(v["name"].as_str().map(str::to_owned));
        }
    }
    assert!(!keys.is_empty(), "catalog.json: `{id}` has no properties");
    assert!(
        !values.is_empty(),
        "catalog.json: `{id}` has no enumeration values"
    );
    (keys, values)
}

fn kintone_keys() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| vocabulary("kintone").0)
}

/// Every positive example of a source, in catalog order.
fn examples(id: &str) -> Vec<String> {
    let mut out = Vec::new();
    for module in source(id)["modules"].as_array().into_iter().flatten() {
        for action in module["actions"].as_array().into_iter().flatten() {
            for variant in action["variants"].as_array().into_iter().flatten() {
                for example in variant["examples"].as_array().into_iter().flatten() {
                    let text = example.as_str().or_else(|| example["example"].as_str());
                    out.extend(text.map(str::to_owned));
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------- strategies

/// Any JSON value, nested a little.
fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[0-9]{1,12}".prop_map(Value::from),
        "\\PC{0,10}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Text that looks like a kintone complement: catalog keys, `: `, `, `,
/// parentheses, enumeration values, digits and random text, in any order.
fn complement_like() -> impl Strategy<Value = String> {
    let (keys, values) = vocabulary("kintone");
    let piece = prop_oneof![
        4 => select(keys.clone()).prop_map(|k| format!("{k}: ")),
        1 => select(keys),
        1 => select(values),
        3 => Just(", ".to_owned()),
        2 => Just(": ".to_owned()),
        1 => Just("(".to_owned()),
        1 => Just(")".to_owned()),
        1 => select(vec![",", ":", " ", "（", "）", "\"", "\n"]).prop_map(str::to_owned),
        3 => "[0-9]{1,4}",
        3 => "\\PC{0,6}",
    ];
    vec(piece, 0..24).prop_map(|p| p.concat())
}

/// Realistic words of names: letters, digits, accents, Japanese, emoji,
/// punctuation, and random printable text. `forbidden` characters never occur.
fn word(forbidden: &'static str) -> BoxedStrategy<String> {
    const WORDS: &[&str] = &[
        "Sales",
        "East",
        "2026",
        "Q4",
        "Customer List",
        "Deals",
        "Leads",
        "café",
        "営業部",
        "顧客リスト",
        "📈",
        "v2",
        "#1",
        "50%",
        "a.b",
        "R&D",
        "\"quoted\"",
        "it's",
        "x/y",
        "(old)",
        "[draft]",
    ];
    let words: Vec<&str> = WORDS
        .iter()
        .copied()
        .filter(|w| !w.contains(|c| forbidden.contains(c)))
        .collect();
    let random = if forbidden.is_empty() {
        "\\PC{1,3}".to_owned()
    } else {
        let escaped: String = forbidden.chars().map(|c| format!("\\{c}")).collect();
        format!("[\\PC&&[^{escaped}]]{{1,3}}")
    };
    prop_oneof![
        3 => select(words).prop_map(str::to_owned),
        2 => "[A-Za-z0-9]{1,8}",
        2 => proptest::string::string_regex(&random).expect("a valid regex"),
    ]
    .boxed()
}

/// Whether `text` has `, key: ` for a kintone key. A value with such an item
/// makes the printed complement ambiguous: `AppUpdate::Comments` named
/// `A, target: form` prints exactly as `AppUpdate::AppSettings` named `A`
/// with the undocumented target `form, record comment: true`, so no parser
/// can give both back. Names with it are left out of round trips.
fn has_key_item(text: &str) -> bool {
    kintone_keys()
        .iter()
        .any(|k| text.contains(&format!(", {k}: ")))
}

/// Whether `text` starts with `key: ` for a kintone key: a list item that
/// does is joined into `, key: ` (`template name: A, filename: x`), with the
/// ambiguity of [`has_key_item`].
fn starts_with_key(text: &str) -> bool {
    kintone_keys()
        .iter()
        .any(|k| text.starts_with(&format!("{k}: ")))
}

/// Free-text names (app, space, client names): words joined by spaces,
/// `, `, `: ` and other punctuation, possibly with a space before or after.
fn text_name(forbidden: &'static str) -> impl Strategy<Value = String> {
    let seps: Vec<&str> = [" ", ", ", ": ", "-", " & ", "/", ".", ","]
        .into_iter()
        .filter(|s| !s.contains(|c| forbidden.contains(c)))
        .collect();
    let seps = select(seps);
    (
        select(vec!["", "", "", " "]),
        word(forbidden),
        vec((seps, word(forbidden)), 0..4),
        select(vec!["", "", "", " "]),
    )
        .prop_map(|(lead, first, rest, trail)| {
            let mut s = format!("{lead}{first}");
            for (sep, w) in rest {
                s.push_str(sep);
                s.push_str(&w);
            }
            s.push_str(trail);
            s
        })
        .prop_filter("a `, key: ` item is ambiguous", |s| !has_key_item(s))
}

/// One item of a `,`-separated list (template names). Items are logged
/// joined by `, ` and read back split on `,` and trimmed, so an item has no
/// `,` and no white space at either end: such an item could not be told from
/// two items, or from the trimmed one.
fn list_item() -> impl Strategy<Value = String> {
    let seps = select(vec![" ", ": ", "-", " & ", "/", "."]);
    (word(","), vec((seps, word(",")), 0..3))
        .prop_map(|(first, rest)| {
            let mut s = first;
            for (sep, w) in rest {
                s.push_str(sep);
                s.push_str(&w);
            }
            s
        })
        .prop_filter("items are trimmed when read", |s| s.trim() == s)
        .prop_filter("`key: ` joins into an ambiguous item", |s| {
            !starts_with_key(s)
        })
}

/// A list of template names. An empty list is left out: it prints as
/// `template name: `, which reads as one empty name.
fn template_names() -> impl Strategy<Value = Vec<Text>> {
    vec(list_item().prop_map(Text::from), 1..4)
}

/// A file name: no `/` (the `filename` type forbids it), an extension.
fn filename() -> impl Strategy<Value = String> {
    (text_name("/"), select(vec![".zip", ".pdf", ".xlsx", ""]))
        .prop_map(|(n, ext)| format!("{n}{ext}"))
}

/// Documented targets, or an undocumented one kept as logged.
fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        3 => select(Target::VALUES).prop_map(|v| Target::from(v.to_owned())),
        1 => text_name("").prop_map(Target::from),
    ]
}

fn app_update() -> impl Strategy<Value = AppUpdate> {
    (any::<u64>(), text_name(""), target(), any::<bool>(), 0..5u8).prop_map(
        |(app_id, app_name, target, on, case)| match (case, Text::from(app_name)) {
            (0, app_name) => AppUpdate::AppSettings {
                app_id,
                app_name,
                target,
            },
            (1, app_name) => AppUpdate::Comments {
                app_id,
                app_name,
                record_comment: on,
            },
            (2, app_name) => AppUpdate::ChangeHistory {
                app_id,
                app_name,
                record_history: on,
            },
            (3, app_name) => AppUpdate::DuplicateRecord {
                app_id,
                app_name,
                record_duplication: on,
            },
            (_, app_name) => AppUpdate::BulkDeletion {
                app_id,
                app_name,
                bulk_delete: on,
            },
        },
    )
}

/// Space deletions. Parentheses are left out of the names here, as the
/// groups `(app id: ..., app name: ...)` that follow are parenthesised.
fn space_delete() -> impl Strategy<Value = SpaceDelete> {
    let app = (any::<u64>(), text_name("()")).prop_map(|(app_id, app_name)| SpaceDeleteApps {
        app_id,
        app_name: app_name.into(),
    });
    (any::<u64>(), text_name("()"), vec(app, 0..4)).prop_map(|(space_id, space_name, apps)| {
        let space_name = Text::from(space_name);
        if apps.is_empty() {
            SpaceDelete::WithoutApps {
                space_id,
                space_name,
            }
        } else {
            SpaceDelete::WithApps {
                space_id,
                space_name,
                apps,
            }
        }
    })
}

fn template_download() -> impl Strategy<Value = TemplateDownload> {
    (
        any::<u64>(),
        template_names(),
        proptest::option::of(filename()),
    )
        .prop_map(|(app_id, template_name, filename)| match filename {
            None => TemplateDownload::Failed {
                app_id,
                template_name,
            },
            Some(filename) => TemplateDownload::Downloaded {
                app_id,
                template_name,
                filename: filename.into(),
            },
        })
}

fn app_move_started() -> impl Strategy<Value = AppMoveStarted> {
    (
        any::<u64>(),
        text_name(""),
        (any::<u64>(), text_name("")),
        (any::<u64>(), text_name("")),
        0..3u8,
    )
        .prop_map(|(app_id, app_name, (from_id, from), (to_id, to), case)| {
            let (app_name, from, to) = (Text::from(app_name), Text::from(from), Text::from(to));
            match case {
                0 => AppMoveStarted::BetweenSpaces {
                    app_id,
                    app_name,
                    source_space_id: from_id,
                    source_space_name: from,
                    destination_space_id: to_id,
                    destination_space_name: to,
                },
                1 => AppMoveStarted::IntoASpace {
                    app_id,
                    app_name,
                    source_space: SourceSpace::from("none".to_owned()),
                    destination_space_id: to_id,
                    destination_space_name: to,
                },
                _ => AppMoveStarted::OutOfASpace {
                    app_id,
                    app_name,
                    source_space_id: from_id,
                    source_space_name: from,
                    destination_space: DestinationSpace::from("none".to_owned()),
                },
            }
        })
}

// ---------------------------------------------------------------- helpers

/// One CSV field, quoted when it has to be.
fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

const CSV_HEADER: &str = "Date and time,User,Service,Level,Module,Action,Result,Complement";

/// A one-row kintone export of `event`.
fn kintone_csv(event: &Event) -> String {
    let action = event.action();
    let module = action.module();
    let fields = [
        "2026-11-20 09:15:02".to_owned(),
        "admin@example.com".to_owned(),
        module.service().name().to_owned(),
        event.level().name().to_owned(),
        module.name().to_owned(),
        action.name().to_owned(),
        "SUCCESS".to_owned(),
        event.to_string(),
    ];
    let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    format!("{CSV_HEADER}\n{}\n", row.join(","))
}

/// `event` printed, parsed back and read from a CSV export: all equal.
fn round_trip(event: Event) -> Result<(), TestCaseError> {
    let printed = event.to_string();
    let back = Event::parse(event.action(), &printed);
    prop_assert_eq!(
        back.as_ref(),
        Ok(&event),
        "`{}` does not parse back",
        printed
    );
    let csv = kintone_csv(&event);
    let records: Vec<_> = kintone::read_csv(csv.as_bytes())
        .map_err(|e| TestCaseError::fail(format!("read_csv: {e}")))?
        .collect();
    prop_assert_eq!(records.len(), 1, "{}", csv);
    let record = records[0]
        .as_ref()
        .map_err(|e| TestCaseError::fail(format!("{e}")))?;
    prop_assert_eq!(&record.complement, &printed);
    prop_assert_eq!(record.event.as_ref(), Some(&Ok(event.clone())));
    let codes = |v: Vec<auditcat::Violation>| v.into_iter().map(|v| v.code).collect::<Vec<_>>();
    prop_assert_eq!(codes(record.validate()), codes(event.validate()));
    Ok(())
}

// ---------------------------------------------------------------- kintone

proptest! {
    #![proptest_config(cheap())]

    #[test]
    fn kintone_parse_never_panics_on_any_text(
        action in select(kintone::Action::ALL),
        text in any::<String>(),
    ) {
        if let Ok(event) = Event::parse(action, &text) {
            let _ = (event.validate(), event.case(), event.level(), event.to_string());
        }
    }

    #[test]
    fn kintone_complement_like_text_never_panics_and_reads_back(
        action in select(kintone::Action::ALL),
        text in complement_like(),
    ) {
        if let Ok(event) = Event::parse(action, &text) {
            let _ = (event.validate(), event.case(), event.level());
            let printed = event.to_string();
            let again = Event::parse(action, &printed);
            prop_assert_eq!(
                again.as_ref(), Ok(&event), "`{}` printed as `{}`", text, printed
            );
        }
    }

    #[test]
    fn app_create_round_trips(app_name in text_name(""), app_group_id in any::<u64>()) {
        round_trip(Event::AppCreate(AppCreate { app_name: app_name.into(), app_group_id }))?;
    }

    #[test]
    fn app_update_round_trips(value in app_update()) {
        let known = match &value {
            AppUpdate::AppSettings { target, .. } => target.is_known(),
            _ => true,
        };
        let violations = value.validate();
        prop_assert_eq!(violations.is_empty(), known, "{:?}", violations);
        round_trip(Event::AppUpdate(value))?;
    }

    #[test]
    fn space_delete_round_trips(value in space_delete()) {
        prop_assert!(value.validate().is_empty());
        round_trip(Event::SpaceDelete(value))?;
    }

    #[test]
    fn template_download_round_trips(value in template_download()) {
        prop_assert_eq!(value.validate(), vec![]);
        round_trip(Event::TemplateDownload(value))?;
    }

    #[test]
    fn app_move_started_round_trips(value in app_move_started()) {
        prop_assert_eq!(value.validate(), vec![]);
        round_trip(Event::AppMoveStarted(value))?;
    }
}

// ---------------------------------------------------------------- CSV

/// Header rows: a choice of each column's labels (English, Japanese or the
/// column's own name, in any case), some columns left out, an unknown one,
/// shuffled, maybe after a byte order mark.
fn csv_header() -> impl Strategy<Value = String> {
    let columns: Vec<BoxedStrategy<Option<String>>> = kintone::COLUMNS
        .iter()
        .map(|c| {
            let mut labels: Vec<String> = c.labels.iter().map(|l| (*l).to_owned()).collect();
            labels.push(c.name.to_uppercase());
            proptest::option::weighted(0.85, select(labels)).boxed()
        })
        .collect();
    (
        columns,
        proptest::option::of("[A-Za-z ]{1,8}"),
        any::<bool>(),
        any::<u64>(),
    )
        .prop_map(|(cols, extra, bom, seed)| {
            let mut headers: Vec<String> = cols.into_iter().flatten().collect();
            headers.extend(extra);
            // A cheap deterministic shuffle from the seed.
            let n = headers.len().max(1) as u64;
            headers.rotate_left((seed % n) as usize);
            if seed & 1 == 1 {
                headers.reverse();
            }
            let row: Vec<String> = headers.iter().map(|h| csv_field(h)).collect();
            format!("{}{}\n", if bom { "\u{feff}" } else { "" }, row.join(","))
        })
}

/// Short text with the characters CSV cares about.
fn csv_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "[ -~]{0,6}",
        1 => select(vec![",", "\"", "\n", "\r\n", "\r", "é", "、", "app id: ", ", "])
            .prop_map(str::to_owned),
    ];
    vec(piece, 0..6).prop_map(|p| p.concat())
}

/// Bytes of CSV bodies: fields, separators, quotes, line ends, invalid UTF-8.
fn csv_body() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        3 => csv_text().prop_map(String::into_bytes),
        2 => select(vec![",", "\"", "\"\"", "\n", "\r\n", "\r", "\u{feff}"])
            .prop_map(|s| s.as_bytes().to_vec()),
        1 => select(vec![
            "App management", "App update", "kintone", "Common", "Notice", "情報",
            "SUCCESS", "2026-11-20 09:15:02", "2026/1/2 3:04",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        1 => vec(any::<u8>(), 1..4),
    ];
    vec(piece, 0..40).prop_map(|p| p.concat())
}

/// Reads every record of `bytes`, validating each.
fn read_all(bytes: &[u8]) {
    if let Ok(records) = kintone::read_csv(bytes) {
        let _ = records.headers();
        for record in records.flatten() {
            let _ = record.validate();
        }
    }
}

/// A well-formed row: fields that need quoting are quoted.
fn csv_row() -> impl Strategy<Value = Vec<String>> {
    let action = select(kintone::Action::ALL);
    (action, "\\PC{0,8}", complement_like(), any::<bool>()).prop_map(
        |(action, user, complement, notice)| {
            let module = action.module();
            vec![
                "2026-11-20 09:15:02".to_owned(),
                user,
                module.service().name().to_owned(),
                if notice { "Notice" } else { "Information" }.to_owned(),
                module.name().to_owned(),
                action.name().to_owned(),
                "SUCCESS".to_owned(),
                complement,
            ]
        },
    )
}

proptest! {
    #![proptest_config(costly())]

    #[test]
    fn read_csv_never_panics_on_any_bytes(bytes in vec(any::<u8>(), 0..512)) {
        read_all(&bytes);
    }

    #[test]
    fn read_csv_never_panics_after_a_header(header in csv_header(), body in csv_body()) {
        let mut bytes = header.into_bytes();
        bytes.extend(body);
        read_all(&bytes);
    }

    #[test]
    fn read_csv_reads_every_well_formed_row(rows in vec(csv_row(), 0..6), crlf in any::<bool>()) {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut csv = format!("{CSV_HEADER}{end}");
        for row in &rows {
            let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
            csv.push_str(&fields.join(","));
            csv.push_str(end);
        }
        let records: Vec<_> = kintone::read_csv(csv.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e}")))?
            .collect();
        prop_assert_eq!(records.len(), rows.len(), "{}", csv);
        // The header is line 1; a row takes one line more than the line
        // feeds inside its quoted fields.
        let mut line = 2;
        for (i, (record, row)) in records.iter().zip(&rows).enumerate() {
            let record = record.as_ref().map_err(|e| TestCaseError::fail(format!("{e}")))?;
            prop_assert_eq!(record.record, i as u64 + 1);
            prop_assert_eq!(record.line, line, "record {} of {:?}", i + 1, csv);
            line += 1 + row.iter().map(|f| f.matches('\n').count() as u64).sum::<u64>();
            prop_assert_eq!(&record.user, &row[1]);
            prop_assert_eq!(&record.complement, &row[7]);
            prop_assert!(record.action.known().is_some());
            let _ = record.validate();
        }
    }
}

/// A header and a row whose columns are in any order, under any of their
/// labels (in any ASCII case, with spaces around), with an unknown column.
fn shuffled_export() -> impl Strategy<Value = (String, Vec<(usize, String)>)> {
    let labels: Vec<BoxedStrategy<String>> = kintone::COLUMNS
        .iter()
        .map(|c| {
            let mut labels: Vec<String> = c.labels.iter().map(|l| (*l).to_owned()).collect();
            labels.push(c.name.to_owned());
            (select(labels), any::<bool>(), select(vec!["", " "]))
                .prop_map(|(l, upper, pad)| {
                    let l = if upper { l.to_uppercase() } else { l };
                    format!("{pad}{l}{pad}")
                })
                .boxed()
        })
        .collect();
    let values = vec(csv_text(), kintone::COLUMNS.len());
    (labels, values, any::<u64>()).prop_map(|(labels, values, seed)| {
        let mut columns: Vec<(Option<usize>, String, String)> = labels
            .into_iter()
            .zip(values)
            .enumerate()
            .map(|(i, (label, value))| (Some(i), label, value))
            .collect();
        columns.push((None, "Remote address".to_owned(), "192.0.2.1".to_owned()));
        let n = columns.len() as u64;
        columns.rotate_left((seed % n) as usize);
        if seed & 2 == 2 {
            columns.swap(0, (seed / n % n) as usize);
        }
        let header: Vec<String> = columns.iter().map(|(_, l, _)| csv_field(l)).collect();
        let row: Vec<String> = columns.iter().map(|(_, _, v)| csv_field(v)).collect();
        let csv = format!("{}\n{}\n", header.join(","), row.join(","));
        let expected = columns
            .into_iter()
            .filter_map(|(i, _, v)| i.map(|i| (i, v)))
            .collect();
        (csv, expected)
    })
}

proptest! {
    #![proptest_config(costly())]

    #[test]
    fn read_csv_maps_columns_by_header((csv, expected) in shuffled_export()) {
        let records: Vec<_> = kintone::read_csv(csv.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e}")))?
            .collect();
        prop_assert_eq!(records.len(), 1, "{}", csv);
        let record = records[0].as_ref().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert!(record.missing.is_empty(), "{:?}", record.missing);
        prop_assert_eq!(record.extra.len(), 1);
        for (column, value) in expected {
            let read = record.column_text(column).unwrap_or_default();
            // Known names read as the catalog spells them; anything else as logged.
            let same = read == value || auditcat::runtime::names::matches(&value, &read);
            let name = kintone::COLUMNS[column].name;
            prop_assert!(same, "column {}: `{}` read as `{}`", name, value, read);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..cheap() })]

    /// Records longer than the reader's 64 KiB buffer, which grows for
    /// them, keep their line numbers.
    #[test]
    fn read_csv_counts_lines_across_long_records(
        sizes in vec((0..90_000usize, 0..4usize), 1..4),
        crlf in any::<bool>(),
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut csv = format!("{CSV_HEADER}{end}");
        let mut lines = Vec::new();
        let mut complements = Vec::new();
        let mut line = 2;
        for (size, feeds) in &sizes {
            let mut complement = format!("app id: 1, app name: {}", "x".repeat(*size));
            complement.push_str(&"\n".repeat(*feeds));
            let fields = [
                "2026-11-20 09:15:02", "admin", "kintone", "Information", "App management",
                "App delete", "SUCCESS", &complement,
            ];
            let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            csv.push_str(&row.join(","));
            csv.push_str(end);
            lines.push(line);
            line += 1 + *feeds as u64;
            complements.push(complement);
        }
        let records: Vec<kintone::Record> = kintone::read_csv(csv.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e}")))?
            .collect::<Result<_, _>>()
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let read: Vec<u64> = records.iter().map(|r| r.line).collect();
        prop_assert_eq!(read, lines);
        for (i, (record, complement)) in records.iter().zip(&complements).enumerate() {
            let same = &record.complement == complement;
            prop_assert!(same, "record {} has another complement", i + 1);
        }
    }
}

// ---------------------------------------------------------------- Slack

/// A valid response holding every Slack example of the catalog.
fn slack_response() -> Value {
    let logs: Vec<Value> = examples("slack")
        .iter()
        .map(|e| serde_json::from_str(e).expect("Slack examples are JSON"))
        .collect();
    assert!(!logs.is_empty(), "catalog.json has no Slack examples");
    let n = logs.len();
    json!({"ok": true, "logs": logs, "paging": {"count": n, "total": n, "page": 1, "pages": 1}})
}

/// A text edit: at a byte position, delete some bytes and insert others.
fn text_edit() -> impl Strategy<Value = (usize, usize, String)> {
    let insert = prop_oneof![
        Just(String::new()),
        select(vec![
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"",
            "\\",
            "\\u",
            "\\ud800",
            "null",
            "true",
            "-",
            "1e999",
            "0.5",
            "\"logs\"",
            "\"ok\"",
            "\"change_type\"",
            "\u{0}",
            "é",
        ])
        .prop_map(str::to_owned),
        "\\PC{1,4}",
    ];
    (any::<usize>(), 0..4usize, insert)
}

/// A structural edit: in entry `index`, set `key` to `value` or remove it.
fn field_edit() -> impl Strategy<Value = (usize, String, Option<Value>)> {
    let (keys, values) = vocabulary("slack");
    let key = prop_oneof![
        3 => select(keys),
        1 => Just("change_type".to_owned()),
        1 => "[a-z_]{1,10}",
    ];
    let value = prop_oneof![
        3 => arb_json(),
        1 => select(values).prop_map(Value::from),
        1 => select(slack::Action::ALL).prop_map(|a| Value::from(a.name())),
    ];
    (any::<usize>(), key, proptest::option::weighted(0.8, value))
}

fn validate_all(response: &slack::Response) {
    for entry in &response.entries {
        let _ = entry.validate();
    }
}

proptest! {
    #![proptest_config(costly())]

    #[test]
    fn slack_parse_response_never_panics_on_any_text(text in any::<String>()) {
        if let Ok(response) = slack::parse_response(&text) {
            validate_all(&response);
        }
    }

    #[test]
    fn slack_parse_response_never_panics_on_edited_json(edits in vec(text_edit(), 1..4)) {
        let mut bytes = slack_response().to_string().into_bytes();
        for (at, delete, insert) in edits {
            let at = at % (bytes.len() + 1);
            let end = (at + delete).min(bytes.len());
            bytes.splice(at..end, insert.into_bytes());
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(response) = slack::parse_response(&text) {
            validate_all(&response);
        }
    }

    #[test]
    fn slack_entries_with_any_fields_are_read(edits in vec(field_edit(), 1..6)) {
        let mut response = slack_response();
        let logs = response["logs"].as_array_mut().expect("logs");
        let n = logs.len();
        for (index, key, value) in edits {
            let entry = logs[index % n].as_object_mut().expect("entries are objects");
            match value {
                Some(v) => entry.insert(key, v),
                None => entry.remove(&key),
            };
        }
        // Valid JSON with an array of objects: every entry is read, whatever
        // its fields hold, and keeps them as received (compared with the
        // document read back, as JSON text does not round-trip every float).
        let text = response.to_string();
        let parsed = slack::parse_response(&text)
            .map_err(|v| TestCaseError::fail(format!("{v}")))?;
        let received: Value =
            serde_json::from_str(&text).expect("serde_json reads its own output");
        prop_assert_eq!(parsed.entries.len(), n);
        let logs = received["logs"].as_array().expect("logs");
        for (entry, fields) in parsed.entries.iter().zip(logs) {
            prop_assert_eq!(Some(&entry.fields()), fields.as_object());
            let violations = entry.validate();
            let unread = entry.event.as_ref().is_some_and(|e| e.is_err());
            if unread || entry.action.known().is_none() {
                prop_assert!(!violations.is_empty());
            }
        }
    }
}

// ---------------------------------------------------------------- SAP BTP

/// A message attribute: a rule's prefix and a placeholder, random text, or
/// any JSON value.
fn sap_message() -> impl Strategy<Value = Value> {
    let prefixes: Vec<&'static str> = sap_btp::RULES
        .iter()
        .flat_map(|r| r.prefixes.iter().copied())
        .collect();
    let placeholder = prop_oneof![
        select(vec![
            "4fQ9z",
            "4fQ9zSECRET",
            "4fQ9z SECRET",
            "4fQ9z\tSECRET",
            "",
            " ",
            "a b",
            "6d2e8b14-9c3a-4f7e-b0d5-1a8c4e2f7b96",
        ])
        .prop_map(str::to_owned),
        "\\PC{0,10}",
    ];
    prop_oneof![
        4 => (select(prefixes), placeholder).prop_map(|(p, x)| Value::from(format!("{p}{x}"))),
        1 => "\\PC{0,20}".prop_map(Value::from),
        1 => arb_json(),
    ]
}

/// Flat SAP BTP attributes: each of `action`, `key`, `objectID`,
/// `operation`, `tenantId` and `account` present or not, with values a rule
/// would fit or not.
fn sap_attributes() -> impl Strategy<Value = Map<String, Value>> {
    let operations: Vec<&'static str> = sap_btp::RULES.iter().filter_map(|r| r.operation).collect();
    let verb = prop_oneof![
        4 => select(vec!["create", "update", "delete"]).prop_map(Value::from),
        1 => "\\PC{0,8}".prop_map(Value::from),
        1 => arb_json(),
    ];
    let operation = prop_oneof![
        3 => select(operations).prop_map(Value::from),
        1 => "\\PC{0,12}".prop_map(Value::from),
        1 => arb_json(),
    ];
    let scope = prop_oneof![
        3 => "[a-z0-9-]{1,12}".prop_map(Value::from),
        1 => arb_json(),
    ];
    let opt = |p: f64, s: BoxedStrategy<Value>| proptest::option::weighted(p, s);
    (
        opt(0.9, verb.boxed()),
        opt(0.7, sap_message().boxed()),
        opt(0.4, sap_message().boxed()),
        opt(0.4, operation.boxed()),
        opt(0.6, scope.clone().boxed()),
        opt(0.3, scope.boxed()),
        btree_map("x_[a-z]{1,5}", arb_json(), 0..2),
    )
        .prop_map(
            |(action, key, object_id, operation, tenant, account, extra)| {
                let mut m = Map::new();
                let named = [
                    ("action", action),
                    ("key", key),
                    ("objectID", object_id),
                    ("operation", operation),
                    ("tenantId", tenant),
                    ("account", account),
                ];
                for (k, v) in named {
                    if let Some(v) = v {
                        m.insert(k.to_owned(), v);
                    }
                }
                m.extend(extra);
                m
            },
        )
}

/// The secret properties of SAP BTP (`token prefix`), each with the most
/// symbols that may be logged.
fn secrets() -> &'static [(String, usize)] {
    static SECRETS: OnceLock<Vec<(String, usize)>> = OnceLock::new();
    SECRETS.get_or_init(|| {
        let secrets: Vec<(String, usize)> = source("sap-btp")["properties"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["secret"] == true)
            .filter_map(|p| Some((p["name"].as_str()?.to_owned(), p["max_length"].as_u64()?)))
            .map(|(name, max)| (name, usize::try_from(max).expect("a small limit")))
            .collect();
        assert!(!secrets.is_empty(), "catalog.json: sap-btp has no secrets");
        secrets
    })
}

/// No violation of `record` repeats in full a secret placeholder longer than
/// may be logged (a leaked token is never shown again).
fn no_leak(record: &sap_btp::Record) -> Result<(), TestCaseError> {
    let violations = record.validate();
    for (rule, placeholder) in
        auditcat::runtime::rules::identify(sap_btp::RULES, &record.attributes)
    {
        let Some((_, max)) = secrets().iter().find(|(name, _)| name == rule.placeholder) else {
            continue;
        };
        if placeholder.chars().count() <= *max {
            continue;
        }
        for v in &violations {
            prop_assert!(
                !v.to_string().contains(placeholder),
                "`{}` of {:?} is repeated in: {}",
                rule.placeholder,
                placeholder,
                v
            );
        }
    }
    Ok(())
}

fn validate_record(record: &sap_btp::Record) {
    let violations = record.validate();
    match &record.identified {
        sap_btp::Identified::Event(Ok(event)) => {
            assert_eq!(violations, event.validate());
        }
        // Ambiguous: `event_ambiguous`, after `value_too_long` when the
        // shared placeholder is a leaked secret.
        sap_btp::Identified::Ambiguous { .. } => match violations.as_slice() {
            [v] => assert_eq!(v.code, Code::EventAmbiguous),
            [leak, v] => {
                assert_eq!(leak.code, Code::ValueTooLong);
                assert_eq!(v.code, Code::EventAmbiguous);
            }
            other => panic!("{other:?}"),
        },
        _ => assert!(!violations.is_empty()),
    }
}

proptest! {
    #![proptest_config(cheap())]

    #[test]
    fn sap_classify_never_panics_on_any_text(text in any::<String>()) {
        if let Ok(record) = sap_btp::classify(&text) {
            validate_record(&record);
        }
    }

    #[test]
    fn sap_classify_identifies_any_attributes_alike_in_every_shape(
        attributes in sap_attributes(),
        message_as_text in any::<bool>(),
    ) {
        let flat_json = Value::Object(attributes.clone()).to_string();
        let flat = sap_btp::classify(&flat_json)
            .map_err(|v| TestCaseError::fail(format!("{v}")))?;
        validate_record(&flat);
        let message = if message_as_text {
            Value::from(flat_json.clone())
        } else {
            Value::Object(attributes)
        };
        let neo = json!({
            "Uuid": "u",
            "Time": "2018-03-20T15.59.14.878+0000",
            "Message": message,
        });
        let cf = json!({
            "message_uuid": "m",
            "time": "2026-11-20T09:15:02Z",
            "message": {"data": message},
        });
        for wrapped in [neo, cf] {
            let record = sap_btp::classify(&wrapped.to_string())
                .map_err(|v| TestCaseError::fail(format!("{v}")))?;
            prop_assert_eq!(&record.identified, &flat.identified, "{}", wrapped);
            validate_record(&record);
        }
    }

    #[test]
    fn sap_violations_never_repeat_a_leaked_secret(attributes in sap_attributes()) {
        let record = sap_btp::classify(&Value::Object(attributes).to_string())
            .map_err(|v| TestCaseError::fail(format!("{v}")))?;
        no_leak(&record)?;
    }
}

// ---------------------------------------------------------------- groups

/// App names inside `(app id: ..., app name: ...)` groups may hold
/// parentheses followed by `, ` (`Leads (old), archived`); the group ends at
/// the `)` followed by `, (` or the end of the complement. These lines have
/// a single reading, which must be the one parsed, and must print back.
#[test]
fn group_names_with_parentheses_round_trip() {
    use auditcat::kintone::{AppDelete, AppDeleteApps};
    let app = |app_id, name: &str| AppDeleteApps {
        app_id,
        app_name: name.into(),
    };
    let cases = [
        vec![app(2, "Leads (old), archived")],
        vec![app(2, "Leads (old), archived"), app(3, "Deals")],
        vec![app(2, "Deals"), app(3, "Leads (2025), old")],
    ];
    let mut failures = Vec::new();
    for apps in cases {
        let event = Event::AppDelete(AppDelete::Bulk {
            app_id: 1,
            app_name: "Customer List".into(),
            apps,
        });
        let printed = event.to_string();
        let back = Event::parse(event.action(), &printed);
        if back.as_ref() != Ok(&event) {
            failures.push(format!("`{printed}` parses as {back:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
