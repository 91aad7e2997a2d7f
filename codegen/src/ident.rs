//! Rust identifiers from catalog names: keyword-safe, prelude-safe, never empty.
//!
//! Catalog names are prose (`App update`, `api token`, `Issue OAuth
//! authorization code`, `重要`). Words are split on anything that is not
//! alphanumeric and on lower-to-upper case changes; non-ASCII letters are kept
//! (Rust accepts Unicode identifiers) except where a type name would start with
//! one that has no case. The checker rejects two names that map to one
//! identifier, so the mapping only has to be deterministic, not injective.

/// Rust keywords (strict and reserved, all editions).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names that generated code must not shadow: prelude and std names it
/// uses, and the names of the items every generated module defines or imports.
#[rustfmt::skip]
const RESERVED_TYPES: &[&str] = &[
    // prelude and std
    "Box", "Clone", "Copy", "Debug", "Default", "Display", "Eq", "Err", "Error", "Fn", "From",
    "Hash", "Into", "Iterator", "None", "Ok", "Option", "Ord", "PartialEq", "PartialOrd", "Result",
    "Self", "Send", "Sized", "Some", "String", "Sync", "ToOwned", "ToString", "Vec",
    // generated items and runtime imports
    "Action", "Attributes", "Catalogued", "Checker", "Code", "Column", "Complement", "CsvError",
    "CsvReader", "Dispatch", "Entry", "Event", "Identified", "Kind", "Known", "Level",
    "MessageField", "Module", "Outcome", "Record", "Records", "Response", "Row", "Rule", "Service",
    "Slot", "Timestamp", "Values", "Violation",
];

fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_numeric();
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Spells out non-ASCII letters that have case (Greek, Cyrillic, ...) as
/// their code point: rustc rejects identifiers of scripts that look like
/// Latin (`mixed_script_confusables`). Letters without case (kana, kanji)
/// stay as they are.
fn unconfusable(name: String, upper: bool) -> String {
    if name.is_ascii() {
        return name;
    }
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if !c.is_ascii() && (c.is_uppercase() || c.is_lowercase()) {
            let code = c as u32;
            out.push_str(&if upper {
                format!("U{code:04X}")
            } else {
                format!("u{code:04x}")
            });
        } else {
            out.push(c);
        }
    }
    out
}

/// `UpperCamelCase` type or variant name.
pub fn type_name(name: &str) -> String {
    let name = unconfusable(name.to_owned(), true);
    let name = name.as_str();
    let mut out = String::new();
    for w in words(name) {
        let mut chars = w.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.extend(chars.flat_map(char::to_lowercase));
        }
    }
    let needs_prefix = match out.chars().next() {
        None => true,
        Some(c) => !(c.is_uppercase() || c == '_'),
    };
    if needs_prefix {
        out.insert(0, 'X');
    }
    if RESERVED_TYPES.contains(&out.as_str()) || KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// The struct of one group of an action: `App delete` + `apps` -> `AppDeleteApps`.
pub fn group_type_name(action: &str, group: &str) -> String {
    type_name(&format!("{action} {group}"))
}

/// `snake_case` field, function or module name.
pub fn field_name(name: &str) -> String {
    let name = unconfusable(name.to_owned(), false);
    let name = name.as_str();
    let mut out = words(name)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if out.chars().next().is_none_or(|c| c.is_numeric()) {
        out.insert(0, '_');
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("App update"), "AppUpdate");
        assert_eq!(type_name("add oauth client"), "AddOauthClient");
        assert_eq!(
            type_name("Issue OAuth authorization code"),
            "IssueOauthAuthorizationCode"
        );
        assert_eq!(type_name("team.integrationLogs"), "TeamIntegrationLogs");
        assert_eq!(type_name("rate_limits"), "RateLimits");
        assert_eq!(type_name("api token"), "ApiToken");
        assert_eq!(type_name("VALIDATION ERROR"), "ValidationError");
        assert_eq!(type_name("Result"), "Result_");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name("2fa"), "X2fa");
        assert_eq!(type_name(""), "X");
        assert_eq!(type_name("重要"), "X重要");
        assert_eq!(type_name("ε value"), "U03B5Value");
        assert_eq!(field_name("ε value"), "u03b5_value");
    }

    #[test]
    fn field_names() {
        assert_eq!(field_name("app id"), "app_id");
        assert_eq!(field_name("objectID"), "object_id");
        assert_eq!(field_name("tenantId"), "tenant_id");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("match"), "match_");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("1st"), "_1st");
        assert_eq!(field_name("rss_feed_url"), "rss_feed_url");
        assert_eq!(field_name("--"), "_");
    }
}
