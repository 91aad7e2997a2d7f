//! The catalog covers the five vendor documents, item by item.
//!
//! The expectations are read from the documents themselves (`shared/seeds/`
//! beside the repository), not typed here: every module, action, glossary
//! entry, enumerated value, template, JSON field and identification message the
//! documents show must be in the generated `catalog.json`.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn seeds() -> Option<PathBuf> {
    let dir = repo().join("../shared/seeds");
    dir.is_dir().then_some(dir)
}

fn catalog() -> Value {
    let text = fs::read_to_string(repo().join("generated/catalog.json")).expect("catalog.json");
    serde_json::from_str(&text).expect("catalog.json is JSON")
}

fn seed(name_prefix: &str) -> Option<String> {
    let dir = seeds()?;
    let entry = fs::read_dir(&dir)
        .ok()?
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(name_prefix))?;
    fs::read_to_string(entry.path()).ok()
}

fn source<'a>(catalog: &'a Value, id: &str) -> &'a Value {
    catalog["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("source {id}"))
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn module<'a>(source: &'a Value, name: &str, service: Option<&str>) -> Option<&'a Value> {
    source["modules"].as_array()?.iter().find(|m| {
        (m["name"] == name || strs(&m["aliases"]).contains(&name))
            && service.is_none_or(|s| m["service"] == s)
    })
}

fn action<'a>(module: &'a Value, name: &str) -> Option<&'a Value> {
    module["actions"]
        .as_array()?
        .iter()
        .find(|a| a["name"] == name || strs(&a["aliases"]).contains(&name))
}

fn property<'a>(source: &'a Value, key: &str) -> Option<&'a Value> {
    source["properties"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == key)
}

/// Collected misses, reported together, and how many items were compared.
#[derive(Default)]
struct Misses(Vec<String>, usize);

impl Misses {
    fn expect(&mut self, ok: bool, what: impl FnOnce() -> String) {
        self.1 += 1;
        if !ok {
            self.0.push(what());
        }
    }

    fn assert_none(self, seeds_found: usize) {
        assert!(
            self.0.is_empty(),
            "the catalog misses:\n{}",
            self.0.join("\n")
        );
        if seeds_found == 0 {
            eprintln!("note: shared/seeds/ is not beside the repository; nothing was compared");
        } else {
            assert!(
                self.1 >= 10 * seeds_found,
                "only {} items compared: is the document parsed?",
                self.1
            );
            eprintln!("{} items of {seeds_found} documents compared", self.1);
        }
    }
}

/// Keys of a kintone template line (`app id: *, app name: *, (app id: *, ...`).
fn template_keys(line: &str) -> Vec<&str> {
    line.split(", ")
        .map(|part| part.trim_start_matches('('))
        .filter_map(|part| part.split_once(": ").map(|(k, _)| k))
        .collect()
}

fn is_template(line: &str) -> bool {
    line.contains(": *") || line.contains(": {")
}

/// Documents 001 and 003: `Module: "..."`, `Action: "..."`, templates, glossary.
fn kintone_article(text: &str, catalog: &Value, misses: &mut Misses) {
    let kintone = source(catalog, "kintone");
    let mut current_module = None;
    let mut current_action = None;
    let mut in_glossary = false;
    for line in text.lines().map(str::trim) {
        if let Some(name) = quoted_after(line, "Module: ") {
            current_module = module(kintone, name, Some("kintone"));
            misses.expect(current_module.is_some(), || {
                format!("kintone module `{name}`")
            });
        } else if let Some(name) = quoted_after(line, "Action: ") {
            current_action = current_module.and_then(|m| action(m, name));
            misses.expect(current_action.is_some(), || {
                format!("kintone action `{name}`")
            });
        } else if line == "Properties" {
            in_glossary = true;
        } else if in_glossary && is_glossary_entry(line) {
            let key = line.trim_matches('"');
            misses.expect(property(kintone, key).is_some(), || {
                format!("kintone property `{key}`")
            });
        } else if let Some(value) = line.strip_prefix("• \"") {
            let value = value.split('"').next().unwrap_or_default();
            let allowed = property(kintone, "target").map(|p| {
                p["values"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|v| v["name"] == value)
            });
            misses.expect(allowed == Some(true), || {
                format!("kintone `target` value `{value}`")
            });
        } else if is_template(line) {
            for key in template_keys(line) {
                misses.expect(property(kintone, key).is_some(), || {
                    format!("kintone property `{key}` of template `{line}`")
                });
            }
            let shown = current_action.is_some_and(|a| {
                a["variants"].as_array().unwrap().iter().any(|v| {
                    v["template"]
                        .as_str()
                        .is_some_and(|t| t == line || t.contains(line))
                })
            });
            misses.expect(shown, || {
                format!("kintone template `{line}` under its action")
            });
        }
    }
}

fn quoted_after<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    line.strip_prefix(prefix)?
        .strip_prefix('"')?
        .strip_suffix('"')
}

fn is_glossary_entry(line: &str) -> bool {
    let bare = line.trim_matches('"');
    !bare.is_empty()
        && bare.len() < 40
        && bare.chars().all(|c| c.is_ascii_lowercase() || c == ' ')
        && !line.contains(':')
}

#[test]
fn kintone_documents_are_covered() {
    let catalog = catalog();
    let mut misses = Misses::default();
    let mut found = 0;
    for prefix in ["001_", "003_"] {
        if let Some(text) = seed(prefix) {
            found += 1;
            kintone_article(&text, &catalog, &mut misses);
        }
    }
    if let Some(text) = seed("000_") {
        found += 1;
        common_article(&text, &catalog, &mut misses);
    }
    misses.assert_none(found);
}

/// Document 000: `[Module]` and `[action]` headings under level sections.
fn common_article(text: &str, catalog: &Value, misses: &mut Misses) {
    let kintone = source(catalog, "kintone");
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut level = None;
    let mut current = None;
    for (i, line) in lines.iter().enumerate() {
        if *line == "Notice" || *line == "Information" {
            level = Some(*line);
            continue;
        }
        let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) else {
            continue;
        };
        let next = lines.get(i + 1).copied().unwrap_or_default();
        if next.starts_with("Audit logs whose module is") {
            current = module(kintone, name, Some("Common"));
            misses.expect(current.is_some(), || format!("Common module `{name}`"));
        } else {
            let found = current.and_then(|m| action(m, name));
            misses.expect(found.is_some(), || format!("Common action `{name}`"));
            if let (Some(a), Some(level)) = (found, level) {
                misses.expect(strs(&a["levels"]) == [level], || {
                    format!("Common action `{name}` at level {level}")
                });
            }
        }
    }
}

#[test]
fn slack_document_is_covered() {
    let Some(text) = seed("002_") else {
        return Misses::default().assert_none(0);
    };
    let catalog = catalog();
    let slack = source(&catalog, "slack");
    let mut misses = Misses::default();
    // The change types.
    let types = text
        .split("The possible types are:")
        .nth(1)
        .and_then(|t| t.split('.').next())
        .unwrap_or_default();
    let types: Vec<&str> = types
        .split([',', '\n', ' '])
        .filter(|w| !w.is_empty() && *w != "and")
        .collect();
    misses.expect(types.len() == 6, || {
        format!("six change types in the document, found {types:?}")
    });
    for t in &types {
        misses.expect(
            module(slack, "team.integrationLogs", None)
                .and_then(|m| action(m, t))
                .is_some(),
            || format!("slack change type `{t}`"),
        );
    }
    // The example response: every entry is an example of its action, every
    // field a property, every paging field a record field.
    let start = text.find('{').unwrap();
    let end = text.rfind('}').unwrap();
    let response: Value = serde_json::from_str(&text[start..=end]).expect("the document's JSON");
    let examples: Vec<Value> = slack["modules"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["actions"].as_array().unwrap())
        .flat_map(|a| strs(&a["examples"]))
        .map(|e| serde_json::from_str(e).unwrap())
        .collect();
    for entry in response["logs"].as_array().unwrap() {
        misses.expect(examples.contains(entry), || {
            format!("slack example entry {entry}")
        });
        for key in entry.as_object().unwrap().keys() {
            let known = property(slack, key).is_some() || slack["action_field"] == key.as_str();
            misses.expect(known, || format!("slack field `{key}`"));
        }
    }
    let record = slack["record"].to_string();
    for key in response["paging"].as_object().unwrap().keys() {
        misses.expect(record.contains(&format!("\"name\":\"{key}\"")), || {
            format!("slack paging field `{key}`")
        });
    }
    // RSS fields and reasons.
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if word.starts_with("rss_feed") {
            misses.expect(property(slack, word).is_some(), || {
                format!("slack field `{word}`")
            });
        }
    }
    let reasons = text
        .split("The list of possible reasons are:")
        .nth(1)
        .unwrap_or_default();
    let listed = reasons.lines().filter(|l| l.starts_with("- ")).count();
    let values = property(slack, "reason").map_or(0, |p| p["values"].as_array().unwrap().len());
    misses.expect(listed == values, || {
        format!("{listed} slack reasons in the document, {values} in the catalog")
    });
    if let Some(p) = property(slack, "reason") {
        for v in p["values"].as_array().unwrap() {
            let name = v["name"].as_str().unwrap();
            misses.expect(reasons.contains(name), || {
                format!("slack reason `{name}` is not in the document")
            });
        }
    }
    misses.assert_none(1);
}

#[test]
fn sap_document_is_covered() {
    let Some(text) = seed("004_") else {
        return Misses::default().assert_none(0);
    };
    let catalog = catalog();
    let sap = source(&catalog, "sap-btp");
    let mut misses = Misses::default();
    let lines: Vec<&str> = text.lines().collect();
    let headers = [
        "Event grouping |",
        "What events are logged |",
        "How to identify related log events |",
    ];
    let mut current = None;
    let mut events = 0;
    for (i, line) in lines.iter().enumerate() {
        let continuation = line.starts_with('"') || line.starts_with("Further refining");
        if !line.ends_with(" |") || continuation || headers.contains(line) {
            continue;
        }
        let name = line.trim_end_matches(" |");
        let next = lines.get(i + 1).copied().unwrap_or_default();
        if !next.starts_with('"') {
            current = module(sap, name, None);
            misses.expect(current.is_some(), || format!("SAP grouping `{name}`"));
            continue;
        }
        events += 1;
        let Some(event) = current.and_then(|m| action(m, name)) else {
            misses.expect(false, || format!("SAP event `{name}` in its grouping"));
            continue;
        };
        // Every message the row shows is a prefix of one of the event's rules.
        let rules = event["rules"].as_array().unwrap();
        for part in next
            .split("\"key\":\"")
            .skip(1)
            .chain(next.split("\"objectID\":\"").skip(1))
        {
            let message = part.split('<').next().unwrap_or_default();
            let message = message.trim_start_matches('"');
            let known = rules.iter().any(|r| {
                std::iter::once(r["prefix"].as_str().unwrap())
                    .chain(strs(&r["prefix_aliases"]))
                    .any(|p| p.trim() == message.trim().trim_end_matches('"').trim())
            });
            misses.expect(known, || format!("SAP event `{name}`: message `{message}`"));
        }
    }
    let total: usize = sap["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["actions"].as_array().unwrap().len())
        .sum();
    misses.expect(events == total, || {
        format!("{events} SAP events in the document, {total} in the catalog")
    });
    misses.assert_none(1);
}
