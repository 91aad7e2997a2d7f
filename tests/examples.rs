//! Every example and counterexample of `generated/catalog.json`, checked
//! against the generated crate.
//!
//! The table is read at run time, so an example added to the catalog is
//! checked without touching this file. Each source is checked the way its
//! records arrive:
//!
//! - kintone (`text` complements): `Event::parse`, the case and level, the
//!   round trip through `Display`, and a one-row CSV export read by `read_csv`;
//! - Slack (`action_field`): `Entry::from_fields`, and all examples in one
//!   `team.integrationLogs` response read by `parse_response`;
//! - SAP BTP (identification rules): `classify` on the flat attributes and on
//!   the same attributes in a Neo v1 and a Cloud Foundry v2 retrieval record.
//!
//! Counterexamples (when the catalog has them) must produce a violation with
//! their code. Every failure is collected and reported at once.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use auditcat::runtime::envelope::{Paging, Shape};
use auditcat::runtime::names::{Catalogued, Known};
use auditcat::{kintone, sap_btp, slack, Code, Violation};
use serde_json::{json, Map, Value};

/// Fewest positive examples the catalog must have; guards against a table
/// that silently checks nothing (a renamed key, an emptied catalog).
const MIN_EXAMPLES: usize = 80;

/// Time column of the kintone CSV rows.
const CSV_TIME: &str = "2026-11-20 09:15:02";
/// Header of the kintone CSV export.
const CSV_HEADER: &str = "Date and time,User,Service,Level,Module,Action,Result,Complement";

fn catalog() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/catalog.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// A required string field of the catalog.
fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("catalog.json: no string `{key}` in {value}"))
}

/// An optional string field (absent or `null` is `None`).
fn opt_text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// A list field; absent or `null` is empty.
fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// An example: `{example, note}`, or a bare string.
fn example_text(example: &Value) -> &str {
    example.as_str().unwrap_or_else(|| text(example, "example"))
}

/// A counterexample: its text and the code it must produce.
fn counterexample(value: &Value) -> (&str, &str) {
    (text(value, "example"), text(value, "code"))
}

/// Where an example comes from, for failure messages.
#[derive(Clone, Copy)]
struct At<'a> {
    source: &'a str,
    module: &'a str,
    action: &'a str,
    variant: Option<&'a str>,
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} / {} / {} / {}",
            self.source,
            self.module,
            self.action,
            self.variant.unwrap_or("-")
        )
    }
}

#[derive(Default)]
struct Report {
    failures: Vec<String>,
    examples: usize,
    counterexamples: usize,
}

impl Report {
    fn fail(&mut self, at: At<'_>, example: &str, why: impl fmt::Display) {
        self.failures.push(format!("{at}: `{example}`: {why}"));
    }

    /// Checks that `violations` include one with code `code`.
    fn expect_code(&mut self, at: At<'_>, example: &str, code: &str, violations: &[Violation]) {
        if !violations.iter().any(|v| v.code.as_str() == code) {
            self.fail(
                at,
                example,
                format!(
                    "counterexample: expected a `{code}` violation, got {}",
                    show(violations)
                ),
            );
        }
    }
}

fn show(violations: &[Violation]) -> String {
    if violations.is_empty() {
        return "none".to_owned();
    }
    let shown: Vec<String> = violations.iter().map(|v| format!("[{v}]")).collect();
    shown.join(", ")
}

/// The code a counterexample names, or a failure if no such code exists.
fn known_code(report: &mut Report, at: At<'_>, example: &str, code: &str) -> bool {
    if Code::from_name(code).is_none() {
        report.fail(
            at,
            example,
            format!("counterexample names unknown code `{code}`"),
        );
        return false;
    }
    true
}

/// Serializes and deserializes a value of type `$ty`; it must come back
/// equal. (A macro, so that this crate needs no `serde` dependency of its
/// own for the trait bounds.)
macro_rules! serde_round_trip {
    ($value:expr, $ty:ty) => {{
        let value: &$ty = $value;
        match serde_json::to_string(value) {
            Err(e) => Err(format!("serialize: {e}")),
            Ok(json) => match serde_json::from_str::<$ty>(&json) {
                Err(e) => Err(format!("deserialize `{json}`: {e}")),
                Ok(back) if back == *value => Ok(()),
                Ok(back) => Err(format!("`{json}` deserializes to {back:?}, not {value:?}")),
            },
        }
    }};
}

// ---------------------------------------------------------------- kintone

/// One CSV field, quoted when it has to be.
fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) || field.trim() != field {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// A CSV export with the header and one row.
fn csv_export(fields: &[&str]) -> String {
    let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    format!("{CSV_HEADER}\n{}\n", row.join(","))
}

/// Reads a CSV export that must hold exactly one readable record.
fn one_record(csv: &str) -> Result<kintone::Record, String> {
    let records = kintone::read_csv(csv.as_bytes()).map_err(|e| format!("read_csv: {e}"))?;
    let mut all = Vec::new();
    for record in records {
        all.push(record.map_err(|e| format!("CSV row: {e}"))?);
    }
    match <[kintone::Record; 1]>::try_from(all) {
        Ok([record]) => Ok(record),
        Err(all) => Err(format!("expected 1 record, read {}", all.len())),
    }
}

struct KintoneCase<'a> {
    at: At<'a>,
    service: &'a str,
    module_name: &'a str,
    level: &'a str,
    module: kintone::Module,
    action: kintone::Action,
}

impl KintoneCase<'_> {
    fn csv(&self, complement: &str) -> String {
        csv_export(&[
            CSV_TIME,
            "admin@example.com",
            self.service,
            self.level,
            self.module_name,
            self.at.action,
            "SUCCESS",
            complement,
        ])
    }

    fn example(&self, r: &mut Report, example: &str) {
        let at = self.at;
        let event = match kintone::Event::parse(self.action, example) {
            Ok(event) => event,
            Err(v) => return r.fail(at, example, format!("Event::parse failed: {v}")),
        };
        if event.action() != self.action {
            r.fail(
                at,
                example,
                format!("parsed as action `{}`", event.action()),
            );
        }
        let violations = event.validate();
        if !violations.is_empty() {
            r.fail(at, example, format!("validate(): {}", show(&violations)));
        }
        if event.case() != at.variant {
            r.fail(
                at,
                example,
                format!("case() is {:?}, not {:?}", event.case(), at.variant),
            );
        }
        if event.level().name() != self.level {
            r.fail(
                at,
                example,
                format!("level() is `{}`, not `{}`", event.level(), self.level),
            );
        }
        let printed = event.to_string();
        match kintone::Event::parse(self.action, &printed) {
            Ok(back) if back == event => {}
            Ok(back) => r.fail(
                at,
                example,
                format!("round trip: `{printed}` parses as {back:?}, not {event:?}"),
            ),
            Err(v) => r.fail(
                at,
                example,
                format!("round trip: `{printed}` does not parse: {v}"),
            ),
        }
        if let Err(why) = serde_round_trip!(&event, kintone::Event) {
            r.fail(at, example, format!("serde round trip: {why}"));
        }
        match one_record(&self.csv(example)) {
            Err(why) => r.fail(at, example, format!("CSV: {why}")),
            Ok(record) => {
                let violations = record.validate();
                if !violations.is_empty() {
                    r.fail(
                        at,
                        example,
                        format!("CSV record validate(): {}", show(&violations)),
                    );
                }
                if record.module != Known::Known(self.module)
                    || record.action != Known::Known(self.action)
                {
                    r.fail(
                        at,
                        example,
                        format!(
                            "CSV record is module {:?}, action {:?}",
                            record.module, record.action
                        ),
                    );
                }
                if record.complement != example {
                    r.fail(
                        at,
                        example,
                        format!("CSV record complement is `{}`", record.complement),
                    );
                }
                if record.event.as_ref() != Some(&Ok(event.clone())) {
                    r.fail(
                        at,
                        example,
                        format!("CSV record event is {:?}, not {event:?}", record.event),
                    );
                }
            }
        }
    }

    fn counterexample(&self, r: &mut Report, example: &str, code: &str) {
        let at = self.at;
        let violations = match kintone::Event::parse(self.action, example) {
            Ok(event) => event.validate(),
            Err(v) => vec![v],
        };
        r.expect_code(at, example, code, &violations);
        match one_record(&self.csv(example)) {
            Ok(record) => {
                let violations = record.validate();
                if !violations.iter().any(|v| v.code.as_str() == code) {
                    r.fail(
                        at,
                        example,
                        format!(
                            "counterexample in CSV: expected a `{code}` violation, got {}",
                            show(&violations)
                        ),
                    );
                }
            }
            Err(why) => r.fail(at, example, format!("counterexample in CSV: {why}")),
        }
    }
}

fn check_kintone(source: &Value, r: &mut Report) {
    let id = text(source, "id");
    let mut seen = BTreeSet::new();
    for module in list(source, "modules") {
        let module_name = text(module, "name");
        let service = text(module, "service");
        let found = kintone::Module::ALL
            .iter()
            .copied()
            .find(|m| m.name() == module_name && m.service().name() == service);
        for action in list(module, "actions") {
            let action_name = text(action, "name");
            let base = At {
                source: id,
                module: module_name,
                action: action_name,
                variant: None,
            };
            let Some(m) = found else {
                r.fail(base, "", "no kintone::Module of this name and service");
                continue;
            };
            let Some(a) = kintone::Action::find_in(m, action_name) else {
                r.fail(base, "", "kintone::Action::find_in finds no action");
                continue;
            };
            if a.name() != action_name {
                r.fail(base, "", format!("find_in gives `{}`", a.name()));
            }
            seen.insert(a);
            for variant in list(action, "variants") {
                let case = KintoneCase {
                    at: At {
                        variant: opt_text(variant, "name"),
                        ..base
                    },
                    service,
                    module_name,
                    level: text(variant, "level"),
                    module: m,
                    action: a,
                };
                for example in list(variant, "examples") {
                    r.examples += 1;
                    case.example(r, example_text(example));
                }
                for counter in list(variant, "counterexamples") {
                    let (example, code) = counterexample(counter);
                    r.counterexamples += 1;
                    if known_code(r, case.at, example, code) {
                        case.counterexample(r, example, code);
                    }
                }
            }
        }
    }
    let missing: Vec<_> = kintone::Action::ALL
        .iter()
        .filter(|a| !seen.contains(*a))
        .map(|a| a.name())
        .collect();
    if !missing.is_empty() {
        r.failures.push(format!(
            "{id}: generated actions not in catalog.json: {missing:?}"
        ));
    }
}

// ---------------------------------------------------------------- Slack

fn json_object(example: &str) -> Result<Map<String, Value>, String> {
    match serde_json::from_str(example) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(format!("not a JSON object: {other}")),
        Err(e) => Err(format!("not JSON: {e}")),
    }
}

fn check_slack(source: &Value, r: &mut Report) {
    let id = text(source, "id");
    let mut seen = BTreeSet::new();
    // Every example's fields, for the response built from all of them.
    let mut logs: Vec<Map<String, Value>> = Vec::new();
    for module in list(source, "modules") {
        let module_name = text(module, "name");
        let found = slack::Module::ALL
            .iter()
            .copied()
            .find(|m| m.name() == module_name);
        for action in list(module, "actions") {
            let action_name = text(action, "name");
            let base = At {
                source: id,
                module: module_name,
                action: action_name,
                variant: None,
            };
            let Some(m) = found else {
                r.fail(base, "", "no slack::Module of this name");
                continue;
            };
            let Some(a) = slack::Action::find_in(m, action_name) else {
                r.fail(base, "", "slack::Action::find_in finds no action");
                continue;
            };
            seen.insert(a);
            for variant in list(action, "variants") {
                let at = At {
                    variant: opt_text(variant, "name"),
                    ..base
                };
                for example in list(variant, "examples") {
                    let example = example_text(example);
                    r.examples += 1;
                    let fields = match json_object(example) {
                        Ok(fields) => fields,
                        Err(why) => {
                            r.fail(at, example, why);
                            continue;
                        }
                    };
                    logs.push(fields.clone());
                    let entry = slack::Entry::from_fields(fields);
                    if entry.action != Known::Known(a) {
                        r.fail(at, example, format!("entry action is {:?}", entry.action));
                    }
                    match &entry.event {
                        Some(Ok(event)) => {
                            if event.action() != a {
                                r.fail(
                                    at,
                                    example,
                                    format!("event action is `{}`", event.action()),
                                );
                            }
                            if event.case() != at.variant {
                                r.fail(
                                    at,
                                    example,
                                    format!("case() is {:?}, not {:?}", event.case(), at.variant),
                                );
                            }
                            if let Err(why) = serde_round_trip!(event, slack::Event) {
                                r.fail(at, example, format!("serde round trip: {why}"));
                            }
                        }
                        other => r.fail(at, example, format!("entry event is {other:?}")),
                    }
                    let violations = entry.validate();
                    if !violations.is_empty() {
                        r.fail(at, example, format!("validate(): {}", show(&violations)));
                    }
                }
                for counter in list(variant, "counterexamples") {
                    let (example, code) = counterexample(counter);
                    r.counterexamples += 1;
                    if !known_code(r, at, example, code) {
                        continue;
                    }
                    match json_object(example) {
                        Ok(fields) => {
                            let violations = slack::Entry::from_fields(fields).validate();
                            r.expect_code(at, example, code, &violations);
                        }
                        Err(why) => r.fail(at, example, why),
                    }
                }
            }
        }
    }
    let missing: Vec<_> = slack::Action::ALL
        .iter()
        .filter(|a| !seen.contains(*a))
        .map(|a| a.name())
        .collect();
    if !missing.is_empty() {
        r.failures.push(format!(
            "{id}: generated actions not in catalog.json: {missing:?}"
        ));
    }
    check_slack_response(id, &logs, r);
}

/// All examples in one `team.integrationLogs` response.
fn check_slack_response(id: &str, logs: &[Map<String, Value>], r: &mut Report) {
    let n = logs.len() as u64;
    let response = json!({
        "ok": true,
        "logs": logs,
        "paging": {"count": n, "total": n, "page": 1, "pages": 1},
    })
    .to_string();
    let fail = |r: &mut Report, why: String| {
        r.failures
            .push(format!("{id}: response of all {n} examples: {why}"));
    };
    let parsed = match slack::parse_response(&response) {
        Ok(parsed) => parsed,
        Err(v) => return fail(r, format!("parse_response failed: {v}")),
    };
    if !parsed.ok || parsed.error.is_some() {
        fail(
            r,
            format!("ok is {}, error is {:?}", parsed.ok, parsed.error),
        );
    }
    let paging = Paging {
        count: Some(n),
        total: Some(n),
        page: Some(1),
        pages: Some(1),
    };
    if parsed.paging != Some(paging) {
        fail(r, format!("paging is {:?}", parsed.paging));
    }
    if parsed.entries.len() != logs.len() {
        fail(
            r,
            format!("{} entries, not {}", parsed.entries.len(), logs.len()),
        );
    }
    for (i, (entry, fields)) in parsed.entries.iter().zip(logs).enumerate() {
        let alone = slack::Entry::from_fields(fields.clone());
        if *entry != alone {
            fail(
                r,
                format!("entry {i} is {entry:?}, but alone it reads {alone:?}"),
            );
        }
        if !entry.validate().is_empty() {
            fail(
                r,
                format!("entry {i} validate(): {}", show(&entry.validate())),
            );
        }
    }
}

// ---------------------------------------------------------------- SAP BTP

/// The catalog's rules of an action that fit a flat example.
fn fitting_rules<'a>(rules: &'a [Value], example: &Map<String, Value>) -> Vec<&'a Value> {
    let get = |k: &str| example.get(k).and_then(Value::as_str);
    rules
        .iter()
        .filter(|rule| get("action") == Some(text(rule, "action")))
        .filter(|rule| opt_text(rule, "operation").is_none_or(|op| get("operation") == Some(op)))
        .filter(|rule| {
            let Some(message) = get(text(rule, "field")) else {
                return false;
            };
            std::iter::once(text(rule, "prefix"))
                .chain(
                    list(rule, "prefix_aliases")
                        .iter()
                        .filter_map(Value::as_str),
                )
                .any(|p| message.starts_with(p))
        })
        .collect()
}

/// The same attributes in a Neo (v1) retrieval record.
fn neo_v1(example: &str) -> String {
    json!({
        "Uuid": "2b1c7e3a-9f4d-4e8b-a1c6-5d0f3e7b2a94",
        "Time": "2018-03-20T15.59.14.878+0000",
        "Category": "audit.security-events",
        "Message": example,
    })
    .to_string()
}

/// The same attributes in a Cloud Foundry (v2) retrieval record.
fn cf_v2(example: &str) -> String {
    json!({
        "message_uuid": "7e4a2c9b-1d3f-4b6e-8a0c-f5d2b7e1c348",
        "time": "2026-11-20T09:15:02Z",
        "category": "audit.security-events",
        "format_version": "",
        "message": {"data": example},
    })
    .to_string()
}

struct SapCase<'a> {
    at: At<'a>,
    action: sap_btp::Action,
    rules: &'a [Value],
}

impl SapCase<'_> {
    fn example(&self, r: &mut Report, example: &str) {
        let at = self.at;
        let flat = match sap_btp::classify(example) {
            Ok(record) => record,
            Err(v) => return r.fail(at, example, format!("classify failed: {v}")),
        };
        if flat.attributes.shape != Shape::Flat {
            r.fail(
                at,
                example,
                format!("shape is {:?}, not Flat", flat.attributes.shape),
            );
        }
        let violations = flat.validate();
        match &flat.identified {
            sap_btp::Identified::Event(Ok(event)) => {
                if event.action() != self.action {
                    r.fail(at, example, format!("identified as `{}`", event.action()));
                }
                if event.case() != at.variant {
                    r.fail(at, example, format!("case() is {:?}", event.case()));
                }
                let own = event.validate();
                if !own.is_empty() || !violations.is_empty() {
                    r.fail(
                        at,
                        example,
                        format!(
                            "validate(): event {}, record {}",
                            show(&own),
                            show(&violations)
                        ),
                    );
                }
                if let Err(why) = serde_round_trip!(event, sap_btp::Event) {
                    r.fail(at, example, format!("serde round trip: {why}"));
                }
            }
            sap_btp::Identified::Ambiguous { candidates, .. } => {
                self.ambiguous(r, example, candidates, &violations)
            }
            other => r.fail(at, example, format!("identified as {other:?}")),
        }
        for (shape, record) in [
            (Shape::NeoV1, neo_v1(example)),
            (Shape::CfV2, cf_v2(example)),
        ] {
            match sap_btp::classify(&record) {
                Ok(wrapped) => {
                    if wrapped.attributes.shape != shape || wrapped.attributes.time.is_none() {
                        r.fail(
                            at,
                            example,
                            format!(
                                "in `{record}`: shape {:?}, time {:?}",
                                wrapped.attributes.shape, wrapped.attributes.time
                            ),
                        );
                    }
                    if wrapped.identified != flat.identified {
                        r.fail(
                            at,
                            example,
                            format!(
                                "in a {shape:?} record identified as {:?}, flat as {:?}",
                                wrapped.identified, flat.identified
                            ),
                        );
                    }
                }
                Err(v) => r.fail(
                    at,
                    example,
                    format!("in a {shape:?} record `{record}`: classify failed: {v}"),
                ),
            }
        }
    }

    fn ambiguous(
        &self,
        r: &mut Report,
        example: &str,
        candidates: &[sap_btp::Action],
        violations: &[Violation],
    ) {
        let at = self.at;
        if !candidates.contains(&self.action) {
            r.fail(
                at,
                example,
                format!("ambiguous between {candidates:?}, which leave out the action"),
            );
        }
        let fields = json_object(example).unwrap_or_default();
        match fitting_rules(self.rules, &fields).as_slice() {
            [rule] => {
                let shared: BTreeSet<&str> = list(rule, "shared_with")
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                if shared.is_empty() {
                    r.fail(
                        at,
                        example,
                        "ambiguous, but the catalog's rule has no `shared_with`",
                    );
                }
                let expected: BTreeSet<&str> = shared.into_iter().chain([at.action]).collect();
                let got: BTreeSet<&str> = candidates.iter().map(|c| c.name()).collect();
                if got != expected {
                    r.fail(
                        at,
                        example,
                        format!(
                            "candidates {got:?}, but the rule and `shared_with` say {expected:?}"
                        ),
                    );
                }
            }
            rules => r.fail(
                at,
                example,
                format!(
                    "{} of the action's catalog rules fit the example",
                    rules.len()
                ),
            ),
        }
        if !matches!(violations, [v] if v.code == Code::EventAmbiguous) {
            r.fail(
                at,
                example,
                format!(
                    "ambiguous, but validate() is {} instead of one event_ambiguous",
                    show(violations)
                ),
            );
        }
    }

    fn counterexample(&self, r: &mut Report, example: &str, code: &str) {
        let at = self.at;
        let flat = match sap_btp::classify(example) {
            Ok(record) => record.validate(),
            Err(v) => vec![v],
        };
        r.expect_code(at, example, code, &flat);
        for record in [neo_v1(example), cf_v2(example)] {
            let violations = match sap_btp::classify(&record) {
                Ok(record) => record.validate(),
                Err(v) => vec![v],
            };
            if violations != flat {
                r.fail(
                    at,
                    example,
                    format!(
                        "counterexample in `{record}`: {}, flat {}",
                        show(&violations),
                        show(&flat)
                    ),
                );
            }
        }
    }
}

fn check_sap_btp(source: &Value, r: &mut Report) {
    let id = text(source, "id");
    let mut seen = BTreeSet::new();
    for module in list(source, "modules") {
        let module_name = text(module, "name");
        let found = sap_btp::Module::ALL
            .iter()
            .copied()
            .find(|m| m.name() == module_name);
        for action in list(module, "actions") {
            let action_name = text(action, "name");
            let base = At {
                source: id,
                module: module_name,
                action: action_name,
                variant: None,
            };
            let Some(m) = found else {
                r.fail(base, "", "no sap_btp::Module of this name");
                continue;
            };
            let Some(a) = sap_btp::Action::find_in(m, action_name) else {
                r.fail(base, "", "sap_btp::Action::find_in finds no action");
                continue;
            };
            seen.insert(a);
            for variant in list(action, "variants") {
                let case = SapCase {
                    at: At {
                        variant: opt_text(variant, "name"),
                        ..base
                    },
                    action: a,
                    rules: list(action, "rules"),
                };
                for example in list(variant, "examples") {
                    r.examples += 1;
                    case.example(r, example_text(example));
                }
                for counter in list(variant, "counterexamples") {
                    let (example, code) = counterexample(counter);
                    r.counterexamples += 1;
                    if known_code(r, case.at, example, code) {
                        case.counterexample(r, example, code);
                    }
                }
            }
        }
    }
    let missing: Vec<_> = sap_btp::Action::ALL
        .iter()
        .filter(|a| !seen.contains(*a))
        .map(|a| a.name())
        .collect();
    if !missing.is_empty() {
        r.failures.push(format!(
            "{id}: generated actions not in catalog.json: {missing:?}"
        ));
    }
}

// ---------------------------------------------------------------- the test

#[test]
fn every_catalog_example_parses_validates_and_round_trips() {
    let catalog = catalog();
    let mut report = Report::default();
    let mut sources = BTreeSet::new();
    for source in list(&catalog, "sources") {
        let id = text(source, "id");
        sources.insert(id);
        match id {
            "kintone" => check_kintone(source, &mut report),
            "slack" => check_slack(source, &mut report),
            "sap-btp" => check_sap_btp(source, &mut report),
            other => report
                .failures
                .push(format!("{other}: a source this test does not know")),
        }
    }
    let expected: BTreeSet<&str> = ["kintone", "sap-btp", "slack"].into();
    assert_eq!(sources, expected, "the catalog's sources");
    eprintln!(
        "checked {} examples and {} counterexamples",
        report.examples, report.counterexamples
    );
    assert!(
        report.failures.is_empty(),
        "{} of {} examples and {} counterexamples failed:\n{}",
        report.failures.len(),
        report.examples,
        report.counterexamples,
        report.failures.join("\n")
    );
    assert!(
        report.examples >= MIN_EXAMPLES,
        "only {} examples checked, expected at least {MIN_EXAMPLES}",
        report.examples
    );
}
