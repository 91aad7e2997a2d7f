//! Realistic inputs for the benchmarks, built from the examples of
//! `catalog.json`: every action of a source, mixed at random, with varied ids,
//! names and users. Deterministic (a fixed seed), so runs compare.

// Each bench binary uses a different part of this module.
#![allow(dead_code)]

use auditcat::kintone::{self, Action, Module, Service};
use auditcat::runtime::names::Catalogued;
use serde_json::{json, Value};

/// The flat catalog export this crate ships.
const CATALOG: &str = include_str!("../../catalog.json");

/// A small, fast, deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A decimal number of 1 to `digits` digits, without leading zeros.
    pub fn number(&mut self, digits: u32) -> u64 {
        let digits = 1 + self.below(digits as usize) as u32;
        let low = if digits == 1 {
            0
        } else {
            10u64.pow(digits - 1)
        };
        low + self.next() % (10u64.pow(digits) - low)
    }

    /// `len` characters of `alphabet`.
    pub fn word(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len).map(|_| *self.pick(alphabet) as char).collect()
    }
}

fn catalog() -> Value {
    serde_json::from_str(CATALOG).expect("catalog.json is JSON")
}

fn source<'c>(catalog: &'c Value, id: &str) -> &'c Value {
    catalog["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no source {id} in catalog.json"))
}

/// Every `(module, action, variant)` of a source with the variant's examples.
fn cases(source: &Value) -> Vec<(&Value, &Value, &Value)> {
    let mut out = Vec::new();
    for module in source["modules"].as_array().expect("modules") {
        for action in module["actions"].as_array().expect("actions") {
            for variant in action["variants"].as_array().expect("variants") {
                out.push((module, action, variant));
            }
        }
    }
    out
}

fn examples(variant: &Value) -> Vec<String> {
    variant["examples"]
        .as_array()
        .expect("examples")
        .iter()
        .map(|e| e["example"].as_str().expect("example text").to_owned())
        .collect()
}

/// Names that stand in for the examples' names: plain, with the log's own
/// separators inside (the hard case), Japanese, with parentheses.
const NAMES: &[&str] = &[
    "Customer List",
    "Sales, East: 2026",
    "営業部 顧客管理",
    "Inventory (2026)",
    "Q4 plan",
    "Support tickets: EMEA",
    "Leads",
    "Project Phoenix, phase 2",
    "日報",
    "Recruiting pipeline",
    "Deals by region",
    "Expense bot",
];

/// Names of the catalog's kintone examples that [`vary`] replaces.
const EXAMPLE_NAMES: &[&str] = &[
    "Open deals, this month",
    "Partners: 2026, East",
    "Sales, East: 2026",
    "Deals by region",
    "Customer List",
    "Expense Report",
    "Project space",
    "Expense bot",
    "Sales Team",
    "Q4 plan",
    "Deals",
    "Leads",
];

/// Users of the log.
const USERS: &[&str] = &[
    "admin",
    "sato",
    "suzuki.k",
    "j.smith@example.com",
    "nobody",
    "tanaka-h",
    "maria",
];

/// `example` with each `id: <digits>` given a random id and each example
/// name replaced by a random name.
pub fn vary(example: &str, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(example.len() + 16);
    let mut rest = example;
    'scan: while !rest.is_empty() {
        for name in EXAMPLE_NAMES {
            if let Some(after) = rest.strip_prefix(name) {
                out.push_str(rng.pick::<&str>(NAMES));
                rest = after;
                continue 'scan;
            }
        }
        if let Some(after) = rest.strip_prefix("id: ") {
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && (after[digits..].is_empty() || after[digits..].starts_with(',')) {
                out.push_str("id: ");
                out.push_str(&rng.number(7).to_string());
                rest = &after[digits..];
                continue;
            }
        }
        let c = rest.chars().next().expect("not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// One kintone log entry: the CSV columns.
#[derive(Debug, Clone)]
pub struct KintoneEntry {
    /// The action, resolved.
    pub action: Action,
    /// The service as logged.
    pub service: String,
    /// The module as logged.
    pub module: String,
    /// The action as logged.
    pub action_name: String,
    /// The level as logged.
    pub level: String,
    /// The complement.
    pub complement: String,
}

/// `n` kintone entries, every case of every action, mixed at random and
/// varied. A varied complement that no longer parses (none should) falls
/// back to the example as written.
pub fn kintone_entries(n: usize, seed: u64) -> Vec<KintoneEntry> {
    let catalog = catalog();
    let source = source(&catalog, "kintone");
    let cases: Vec<_> = cases(source)
        .into_iter()
        .map(|(module, action, variant)| {
            let service = Service::find(module["service"].as_str().expect("service"))
                .expect("a known service");
            let m = Module::find_in(service, module["name"].as_str().unwrap()).unwrap();
            let a = Action::find_in(m, action["name"].as_str().unwrap()).unwrap();
            let level = variant["level"]
                .as_str()
                .or_else(|| action["levels"][0].as_str())
                .unwrap_or("Information")
                .to_owned();
            (service, m, a, level, examples(variant))
        })
        .collect();
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let (service, module, action, level, examples) = rng.pick(&cases);
            let example = rng.pick(examples);
            let mut complement = vary(example, &mut rng);
            if kintone::Event::parse(*action, &complement).is_err() {
                complement.clone_from(example);
            }
            KintoneEntry {
                action: *action,
                service: service.name().to_owned(),
                module: module.name().to_owned(),
                action_name: action.name().to_owned(),
                level: level.clone(),
                complement,
            }
        })
        .collect()
}

/// A kintone CSV export of `n` rows (English header), as the service writes it.
pub fn kintone_csv(n: usize, seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(n * 160);
    write_kintone_csv(&mut out, &kintone_entries(n, seed), seed, true).expect("in memory");
    out
}

/// Writes `entries` as CSV rows, with the header row when `header`.
pub fn write_kintone_csv(
    out: &mut dyn std::io::Write,
    entries: &[KintoneEntry],
    seed: u64,
    header: bool,
) -> std::io::Result<()> {
    let mut rng = Rng::new(seed ^ 0x5eed);
    let mut w = csv::WriterBuilder::new().from_writer(out);
    if header {
        w.write_record([
            "Date and time",
            "User",
            "Service",
            "Level",
            "Module",
            "Action",
            "Result",
            "Complement",
        ])?;
    }
    for e in entries {
        let time = format!(
            "2026-{:02}-{:02} {:02}:{:02}:{:02}",
            1 + rng.below(12),
            1 + rng.below(28),
            rng.below(24),
            rng.below(60),
            rng.below(60)
        );
        let result = match rng.below(20) {
            0 => "FAILED",
            1 => "VALIDATION ERROR",
            _ => "SUCCESS",
        };
        w.write_record([
            time.as_str(),
            *rng.pick(USERS),
            &e.service,
            &e.level,
            &e.module,
            &e.action_name,
            result,
            &e.complement,
        ])?;
    }
    w.flush()
}

fn slack_varied(example: &str, rng: &mut Rng) -> Value {
    let mut v: Value = serde_json::from_str(example).expect("a Slack example is JSON");
    let o = v.as_object_mut().expect("an object");
    for key in ["service_id", "app_id"] {
        match o.get_mut(key) {
            Some(Value::Number(_)) => o[key] = json!(1_000_000_000 + rng.number(9)),
            Some(Value::String(_)) => {
                o[key] = json!((1_000_000_000 + rng.number(9)).to_string());
            }
            _ => {}
        }
    }
    let user = format!("U{}", rng.word(b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", 8));
    o["user_id"] = json!(user);
    o["user_name"] = json!(rng.pick(USERS));
    o["date"] = json!((1_392_000_000 + rng.number(8)).to_string());
    if o.contains_key("channel") {
        o["channel"] = json!(format!("C{}", rng.number(9) + 1_000_000_000));
    }
    v
}

/// A Slack `team.integrationLogs` response with `n` entries, every case of
/// every action, mixed and varied.
pub fn slack_response(n: usize, seed: u64) -> String {
    let catalog = catalog();
    let source = source(&catalog, "slack");
    let all: Vec<String> = cases(source)
        .into_iter()
        .flat_map(|(_, _, variant)| examples(variant))
        .collect();
    let mut rng = Rng::new(seed);
    let logs: Vec<Value> = (0..n)
        .map(|_| {
            let example = rng.pick(&all).clone();
            slack_varied(&example, &mut rng)
        })
        .collect();
    let response = json!({
        "ok": true,
        "logs": logs,
        "paging": {"count": n, "total": n, "page": 1, "pages": 1},
    });
    // The API's own spelling: compact, as the Web API sends it.
    serde_json::to_string(&response).expect("JSON")
}

fn sap_examples() -> Vec<Value> {
    let catalog = catalog();
    let source = source(&catalog, "sap-btp");
    cases(source)
        .into_iter()
        .flat_map(|(_, _, variant)| examples(variant))
        .map(|e| serde_json::from_str(&e).expect("a SAP example is JSON"))
        .collect()
}

fn sap_varied(example: &Value, rng: &mut Rng) -> Value {
    let mut v = example.clone();
    let o = v.as_object_mut().expect("an object");
    const HEX: &[u8] = b"0123456789abcdef";
    const ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789";
    for field in ["key", "objectID"] {
        if let Some(Value::String(message)) = o.get(field) {
            if let Some((prefix, placeholder)) = message.rsplit_once(": ") {
                let fresh = if placeholder.len() == 5 {
                    rng.word(ALNUM, 5)
                } else {
                    format!(
                        "{}-{}-{}-{}-{}",
                        rng.word(HEX, 8),
                        rng.word(HEX, 4),
                        rng.word(HEX, 4),
                        rng.word(HEX, 4),
                        rng.word(HEX, 12)
                    )
                };
                o[field] = json!(format!("{prefix}: {fresh}"));
            }
        }
    }
    if o.contains_key("tenantId") {
        o["tenantId"] = json!(format!(
            "{}-{}-4{}-{}-{}",
            rng.word(HEX, 8),
            rng.word(HEX, 4),
            rng.word(HEX, 3),
            rng.word(HEX, 4),
            rng.word(HEX, 12)
        ));
    }
    if o.contains_key("account") {
        o["account"] = json!(rng.word(HEX, 9));
    }
    v
}

/// `n` flat SAP BTP attribute objects, every action, mixed and varied.
pub fn sap_flat(n: usize, seed: u64) -> Vec<String> {
    let examples = sap_examples();
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let e = rng.pick(&examples);
            sap_varied(e, &mut rng).to_string()
        })
        .collect()
}

/// `n` SAP BTP retrieval records, half Neo v1 (the message a JSON string),
/// half Cloud Foundry v2 (the message an object with `data` as a string),
/// every action, mixed and varied.
pub fn sap_nested(n: usize, seed: u64) -> Vec<String> {
    let examples = sap_examples();
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let e = sap_varied(rng.pick(&examples), &mut rng);
            let uuid = format!("{:016x}{:016x}", rng.next(), rng.next());
            let user = *rng.pick(USERS);
            if i % 2 == 0 {
                json!({
                    "Uuid": uuid,
                    "Category": "audit.security-events",
                    "User": user,
                    "Tenant": "t-8a3c1e0b",
                    "Account": "a7f3c91d2",
                    "Application": "oauth",
                    "Time": format!("2026-11-20T09.{:02}.{:02}.{:03}+0000",
                        rng.below(60), rng.below(60), rng.below(1000)),
                    "Message": e.to_string(),
                })
            } else {
                let mut message = e.as_object().expect("an object").clone();
                let data = json!({
                    "action": message.remove("action"),
                    "key": message.remove("key"),
                    "objectID": message.remove("objectID"),
                    "operation": message.remove("operation"),
                });
                let data: serde_json::Map<String, Value> = data
                    .as_object()
                    .expect("an object")
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                message.insert("data".to_owned(), json!(Value::Object(data).to_string()));
                json!({
                    "message_uuid": uuid,
                    "time": format!("2026-11-20T09:{:02}:{:02}.{:03}Z",
                        rng.below(60), rng.below(60), rng.below(1000)),
                    "tenant": "8a3c1e0b-5f2d-4c7e-9b1a-2d6f0e4c8b7a",
                    "org_id": "-",
                    "space_id": "-",
                    "app_or_service_id": "oauth",
                    "als_service_id": "-",
                    "user": user,
                    "category": "audit.security-events",
                    "format_version": "2.3",
                    "message": Value::Object(message),
                })
            }
            .to_string()
        })
        .collect()
}
