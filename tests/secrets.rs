//! Secrets stay secret: the SAP BTP OAuth 2.0 service logs only the first 5
//! symbols of an authorization code or token, and when a record carries more
//! (a leaked secret), nothing auditcat prints may repeat more than those 5.
//!
//! A long token, `abcdeSECRETTAIL...`, is planted in every message that holds
//! a code or token prefix (every rule of `sap_btp::RULES` whose placeholder is
//! secret, in every spelling), in flat, Neo and Cloud Foundry records; then
//! `SECRETTAIL` must appear in none of: the `validate()` messages, the
//! `Debug` output of the record, the NDJSON output object of
//! `sap_btp::SOURCE`'s reader (violations, properties, raw).

use auditcat::runtime::output::Output;
use auditcat::sap_btp::{self, Identified, RULES};
use auditcat::{Code, Violation};
use serde_json::{json, Map, Value};

/// What must never be shown: everything after the 5 symbols.
const TAIL: &str = "SECRETTAIL";
/// A leaked token: 5 loggable symbols, then the secret.
const TOKEN: &str = "abcdeSECRETTAIL0123456789";
/// A leaked token with white space in it (not a well-formed code).
const SPACED_TOKEN: &str = "abcde SECRETTAIL 0123456789";

/// The properties that hold the first symbols of a secret.
const SECRET_PLACEHOLDERS: [&str; 2] = ["code prefix", "token prefix"];

/// One planted record: what it is, and its JSON text.
#[derive(Debug, Clone)]
struct Planted {
    label: String,
    json: String,
}

/// The flat attributes of every rule with a secret placeholder, in every
/// prefix spelling, with `token` after the prefix.
fn flat_records(token: &str) -> Vec<(String, Map<String, Value>)> {
    let mut out = Vec::new();
    for rule in RULES
        .iter()
        .filter(|r| SECRET_PLACEHOLDERS.contains(&r.placeholder))
    {
        for prefix in rule.prefixes {
            let mut attrs = Map::new();
            attrs.insert("action".into(), rule.verb.into());
            attrs.insert(
                rule.field.as_str().into(),
                format!("{prefix}{token}").into(),
            );
            if let Some(op) = rule.operation {
                attrs.insert("operation".into(), op.into());
            }
            if let Some(scope) = rule.scope {
                attrs.insert(scope.into(), "8a3c1e0b-5f2d-4c7e-9b1a-2d6f0e4c8b7a".into());
            }
            out.push((
                format!("{:?} via {:?}", rule.event.to_string(), prefix),
                attrs,
            ));
        }
    }
    assert!(
        out.len() >= 8,
        "the catalog has fewer secret rules than expected"
    );
    out
}

/// Every record shape around every flat record: flat; Neo v1 with the
/// message as a JSON string and as an object; Cloud Foundry v2 with the
/// message as an object, its `data` as a JSON string, and the whole message
/// as a JSON string.
fn planted(token: &str) -> Vec<Planted> {
    let mut out = Vec::new();
    for (what, attrs) in flat_records(token) {
        let flat = Value::Object(attrs.clone());
        let text = flat.to_string();
        let shapes = [
            ("flat", flat.clone()),
            (
                "Neo, message as a string",
                json!({"Uuid": "u-1", "Time": "2018-03-20T15.59.14.878+0000", "User": "admin",
                       "Category": "audit.security-events", "Message": text}),
            ),
            (
                "Neo, message as an object",
                json!({"Uuid": "u-1", "Time": "2018-03-20T15.59.14.878+0000", "User": "admin",
                       "Message": flat}),
            ),
            (
                "Cloud Foundry, data as a string",
                json!({"message_uuid": "m-1", "time": "2026-11-20T09:15:02Z", "user": "u",
                       "category": "audit.security-events", "message": {"data": text}}),
            ),
            (
                "Cloud Foundry, message as a string",
                json!({"message_uuid": "m-1", "time": "2026-11-20T09:15:02Z", "message": text}),
            ),
        ];
        for (shape, value) in shapes {
            out.push(Planted {
                label: format!("{what}, {shape}"),
                json: value.to_string(),
            });
        }
    }
    out
}

/// Where `TAIL` was found, one line per place.
#[derive(Default)]
struct Leaks(Vec<String>);

impl Leaks {
    fn check(&mut self, record: &Planted, place: &str, text: &str) {
        if text.contains(TAIL) {
            self.0.push(format!("{} -- {place}: {text}", record.label));
        }
    }

    fn assert_none(self, what: &str) {
        assert!(
            self.0.is_empty(),
            "{what} repeats a secret beyond its 5 symbols in {} cases:\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}

fn classify(record: &Planted) -> sap_btp::Record {
    sap_btp::classify(&record.json)
        .unwrap_or_else(|v| panic!("{}: not a record: {}", record.label, v.message))
}

fn messages(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| format!("{}: {} [{}]", v.code.as_str(), v.message, v.path))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The output objects `auditcat parse --source sap-btp` writes for the
/// records, one record per line.
fn outputs(records: &[Planted]) -> Vec<Value> {
    let ndjson: String = records.iter().map(|r| format!("{}\n", r.json)).collect();
    let mut out = Vec::new();
    let mut input = ndjson.as_bytes();
    (sap_btp::SOURCE.read)(&mut input, &mut |o: Output| out.push(o.to_json()))
        .expect("reading a byte slice cannot fail");
    assert_eq!(out.len(), records.len(), "one output per record");
    out
}

// ------------------------------------------------------------- validate()

#[test]
fn validate_messages_never_repeat_a_planted_token() {
    let mut leaks = Leaks::default();
    for record in planted(TOKEN) {
        leaks.check(
            &record,
            "validate()",
            &messages(&classify(&record).validate()),
        );
    }
    leaks.assert_none("validate()");
}

#[test]
fn validate_messages_never_repeat_a_planted_token_with_white_space() {
    let mut leaks = Leaks::default();
    for record in planted(SPACED_TOKEN) {
        leaks.check(
            &record,
            "validate()",
            &messages(&classify(&record).validate()),
        );
    }
    leaks.assert_none("validate()");
}

#[test]
fn an_over_long_token_of_an_identified_event_is_flagged() {
    for record in planted(TOKEN) {
        let r = classify(&record);
        if let Identified::Event(Ok(_)) = r.identified {
            let v = r.validate();
            assert!(
                v.iter().any(|v| v.code == Code::ValueTooLong),
                "{}: the leaked secret is not flagged: {}",
                record.label,
                messages(&v)
            );
        }
    }
}

#[test]
fn an_over_long_token_of_an_ambiguous_event_is_flagged() {
    let mut unflagged = Vec::new();
    for record in planted(TOKEN) {
        let r = classify(&record);
        if let Identified::Ambiguous { .. } = r.identified {
            let v = r.validate();
            if !v.iter().any(|v| v.code == Code::ValueTooLong) {
                unflagged.push(format!("{}: {}", record.label, messages(&v)));
            }
        }
    }
    assert!(
        unflagged.is_empty(),
        "{} ambiguous records with a leaked secret are not flagged:\n{}",
        unflagged.len(),
        unflagged.join("\n")
    );
}

#[test]
fn malformed_record_messages_never_repeat_a_planted_token() {
    let message = format!("Creating authorization code: {TOKEN}");
    let cases = [
        ("a JSON string", Value::String(message.clone())),
        ("a JSON array", json!([message])),
        (
            "Neo, message is an array",
            json!({"Uuid": "u-1", "Message": [message]}),
        ),
        (
            "Cloud Foundry, message is an array of objects",
            json!({"message_uuid": "m-1", "message": [{"key": message}]}),
        ),
    ];
    let mut leaks = Leaks::default();
    for (label, value) in cases {
        let record = Planted {
            label: label.to_owned(),
            json: value.to_string(),
        };
        match sap_btp::classify(&record.json) {
            Ok(r) => leaks.check(&record, "validate()", &messages(&r.validate())),
            Err(v) => leaks.check(&record, "classify() error", &messages(&[v])),
        }
        for (_, r) in sap_btp::classify_file(&record.json) {
            match r {
                Ok(r) => leaks.check(
                    &record,
                    "classify_file() validate()",
                    &messages(&r.validate()),
                ),
                Err(v) => leaks.check(&record, "classify_file() error", &messages(&[v])),
            }
        }
        let out = outputs(std::slice::from_ref(&record));
        leaks.check(
            &record,
            "output violations",
            &out[0]["violations"].to_string(),
        );
    }
    leaks.assert_none("a `record_malformed` message");
}

// ------------------------------------------------------------------ Debug

#[test]
fn debug_output_never_repeats_a_planted_token() {
    let mut leaks = Leaks::default();
    for record in planted(TOKEN) {
        let r = classify(&record);
        leaks.check(&record, "Debug of the record", &format!("{r:?}"));
        leaks.check(
            &record,
            "Debug of the identified event",
            &format!("{:?}", r.identified),
        );
    }
    leaks.assert_none("Debug");
}

// ----------------------------------------------------------------- output

#[test]
fn output_violations_never_repeat_a_planted_token() {
    let records = planted(TOKEN);
    let mut leaks = Leaks::default();
    for (record, out) in records.iter().zip(outputs(&records)) {
        leaks.check(record, "output violations", &out["violations"].to_string());
    }
    leaks.assert_none("the output's violations");
}

#[test]
fn output_fields_but_properties_and_raw_never_repeat_a_planted_token() {
    let records = planted(TOKEN);
    let mut leaks = Leaks::default();
    for (record, mut out) in records.iter().zip(outputs(&records)) {
        let object = out.as_object_mut().expect("an output is an object");
        object.remove("properties");
        object.remove("raw");
        leaks.check(record, "output", &out.to_string());
    }
    leaks.assert_none("the output (but `properties` and `raw`)");
}

#[test]
fn output_properties_never_repeat_a_planted_token() {
    let records = planted(TOKEN);
    let mut leaks = Leaks::default();
    for (record, out) in records.iter().zip(outputs(&records)) {
        leaks.check(record, "output properties", &out["properties"].to_string());
    }
    leaks.assert_none("the output's properties");
}

#[test]
fn output_raw_never_repeats_a_planted_token() {
    let records = planted(TOKEN);
    let mut leaks = Leaks::default();
    for (record, out) in records.iter().zip(outputs(&records)) {
        leaks.check(record, "output raw", &out["raw"].to_string());
    }
    leaks.assert_none("the output's raw");
}

#[test]
fn the_five_loggable_symbols_are_still_shown() {
    // The redaction must not hide what may be logged: `abcde` is evidence.
    let records = planted(TOKEN);
    for record in &records {
        let r = classify(record);
        if let Identified::Event(Ok(_)) = r.identified {
            let text = messages(&r.validate());
            assert!(text.contains("abcde"), "{}: {text}", record.label);
        }
    }
}
