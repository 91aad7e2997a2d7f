//! Parse and validate one record of each source.

use auditcat::kintone::{self, Action, Event, Module, Service};
use auditcat::runtime::names::Catalogued;
use auditcat::{sap_btp, slack};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // cybozu.com / kintone: a complement, given its action ...
    let action = Module::find_in(Service::Kintone, "App management")
        .and_then(|m| Action::find_in(m, "app update"))
        .ok_or("unknown action")?;
    let event = Event::parse(
        action,
        "app id: 42, app name: Sales, East: 2026, target: form",
    )?;
    println!("{} ({:?}): {event}", event.action(), event.case());

    // ... or a whole CSV export, streaming, English or Japanese headers.
    let csv = "日時,ユーザー,サービス,レベル,モジュール,アクション,結果,補足\n\
               2026-11-20 09:15:02,admin,kintone,重要,App management,App update,SUCCESS,\"app id: 42, app name: Sales, record comment: true\"\n";
    for record in kintone::read_csv(csv.as_bytes())? {
        let record = record?;
        println!(
            "record {}: {} violations",
            record.record,
            record.validate().len()
        );
    }

    // Slack team.integrationLogs: a response, typed entries.
    let response = slack::parse_response(
        r#"{"ok": true, "logs": [{"service_id": 1234567890, "service_type": "Google Calendar",
            "user_id": "U1234ABCD", "user_name": "Johnny", "channel": "C1234567890",
            "date": "1392163200", "change_type": "enabled", "scope": "incoming-webhook"}]}"#,
    )?;
    for entry in &response.entries {
        println!("{}: {:?}", entry.action, entry.validate());
    }

    // SAP BTP: identify an OAuth 2.0 service event by its attributes.
    let record = sap_btp::classify(
        r#"{"action": "create", "key": "Creating authorization code: 4fQ9z", "tenantId": "t-1"}"#,
    )?;
    match &record.identified {
        sap_btp::Identified::Event(Ok(event)) => println!("{}", event.action().name()),
        other => println!("{other:?}"),
    }
    Ok(())
}
