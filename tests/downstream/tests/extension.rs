//! The extended catalog, generated at build time, is used like the bundled one.

#![allow(deprecated)] // `App view delete` is deprecated by the extension; it is tested here.

use auditcat::runtime::names::Catalogued;
use auditcat_downstream_example::events::{acme, kintone, SOURCES};
use auditcat_downstream_example::CATALOG_JSON;

fn action(module: &str, name: &str) -> kintone::Action {
    let module = kintone::Module::find_in(kintone::Service::Kintone, module).expect("module");
    kintone::Action::find_in(module, name).expect("action")
}

#[test]
fn an_added_action_parses_and_validates() {
    let event = kintone::Event::parse(
        action("App management", "App print"),
        "app id: 12, app name: Sales, East",
    )
    .unwrap();
    assert!(event.validate().is_empty());
    assert_eq!(event.to_string(), "app id: 12, app name: Sales, East");
}

#[test]
fn an_added_module_is_a_module() {
    let a = action("Record operation", "Record print");
    let kintone::Event::RecordPrint(e) =
        kintone::Event::parse(a, "app id: 1, app name: A, record id: 431").unwrap()
    else {
        panic!("a Record print event");
    };
    assert_eq!(e.record_id, 431);
}

#[test]
fn an_override_replaces_the_bundled_action() {
    let a = action("App management", "App view delete");
    let kintone::Event::AppViewDelete(e) =
        kintone::Event::parse(a, "app id: 12, view id: 5").unwrap()
    else {
        panic!("an App view delete event");
    };
    assert_eq!((e.app_id, e.view_id), (12, 5));
    // The bundled form (with names) no longer fits.
    assert!(kintone::Event::parse(a, "app id: 12, app name: S, view id: 5, view name: V").is_err());
}

#[test]
fn bundled_actions_are_still_there() {
    let a = action("App management", "App update");
    assert!(kintone::Event::parse(a, "app id: 1, app name: A, target: form").is_ok());
}

#[test]
fn a_new_source_reads_entries() {
    let entry: auditcat::runtime::serde_json::Map<_, _> = auditcat::runtime::serde_json::from_str(
        r#"{"event": "opened", "door": "D1", "badge": "42", "at": 1392163200}"#,
    )
    .unwrap();
    let entry = acme::Entry::from_fields(entry);
    assert_eq!(entry.action.known(), Some(acme::Action::Opened));
    assert!(entry.validate().is_empty(), "{:?}", entry.validate());
    let out = entry.to_output(1, 1, String::new());
    assert_eq!(out.user.as_deref(), Some("42"));
    assert_eq!(out.time.as_deref(), Some("2014-02-12T00:00:00Z"));
}

#[test]
fn only_the_selected_sources_and_artifacts_are_generated() {
    let ids: Vec<&str> = SOURCES.iter().map(|s| s.id).collect();
    assert_eq!(ids, ["acme", "kintone"]);
    assert!(!std::path::Path::new(concat!(env!("OUT_DIR"), "/docs")).exists());
    let catalog: auditcat::runtime::serde_json::Value =
        auditcat::runtime::serde_json::from_str(CATALOG_JSON).unwrap();
    let text = catalog.to_string();
    assert!(text.contains("\"Record print\""));
    assert!(text.contains("\"deprecated\":{\"since\":\"1.1.0\""));
    assert_eq!(kintone::Action::ALL.len(), 34);
}

#[test]
fn deprecation_reaches_the_rust_items() {
    let generated = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/auditcat.rs")).unwrap();
    // However the printer breaks and indents the attribute.
    let compact: String = generated.split_whitespace().collect();
    assert!(compact.contains("#[deprecated(since=\"1.1.0\""));
}
