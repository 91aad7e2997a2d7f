//! Every example must fit its case: its keys, their order and their values.

use std::collections::BTreeSet;

use auditcat::runtime::complement::{tokenize, Slot};
use auditcat::runtime::value::{self, Kind};
use serde_json::Value as Json;

use super::{PropDecl, SourceCheck};
use crate::ir::{self, ComplementFormat, JsonForm, PropertyType};
use crate::model;

/// Runs `f` with the tokenizer slots of a case.
pub(crate) fn with_slots<R>(items: &[ir::Item], f: impl FnOnce(&[Slot<'_>]) -> R) -> R {
    let group_keys: Vec<Vec<&str>> = items
        .iter()
        .map(|item| match item {
            ir::Item::Group { keys, .. } => keys.iter().map(String::as_str).collect(),
            ir::Item::Property { .. } => Vec::new(),
        })
        .collect();
    let slots: Vec<Slot<'_>> = items
        .iter()
        .zip(&group_keys)
        .map(|(item, keys)| match item {
            ir::Item::Property {
                key,
                optional,
                bare,
            } => Slot::Field {
                key,
                optional: *optional,
                bare: *bare,
            },
            ir::Item::Group { min, max, .. } => Slot::Group {
                keys,
                min: *min,
                max: *max,
            },
        })
        .collect();
    f(&slots)
}

/// The runtime kind of a catalog type.
pub(crate) fn kind(ty: PropertyType) -> Kind {
    match ty {
        PropertyType::Id => Kind::Id,
        PropertyType::Code => Kind::Code,
        PropertyType::Text => Kind::Text,
        PropertyType::Bool => Kind::Bool,
        PropertyType::Enum => Kind::Enum,
        PropertyType::Url => Kind::Url,
        PropertyType::Filename => Kind::Filename,
        PropertyType::List => Kind::List,
        PropertyType::Timestamp => Kind::Timestamp,
        PropertyType::Integer => Kind::Integer,
    }
}

/// Checks the examples of every case of `action`, and that each case has one.
pub(super) fn check_action(
    check: &mut SourceCheck<'_, '_>,
    fi: usize,
    apath: &str,
    raw: &model::Action,
    action: &ir::Action,
) {
    for (vi, v) in action.variants.iter().enumerate() {
        let vpath = if raw.variants.is_empty() {
            apath.to_owned()
        } else {
            format!("{apath}.variants[{vi}]")
        };
        if v.examples.is_empty() {
            let what = match &v.name {
                Some(n) => format!("variant `{n}`"),
                None => format!("action `{}`", action.name),
            };
            check.err(fi, &vpath, format!("{what} has no example"));
        }
        for (ei, e) in v.examples.iter().enumerate() {
            let epath = format!("{vpath}.examples[{ei}]");
            let problems = match check.definition.complement {
                ComplementFormat::Text => text_example(check, v, &e.text),
                ComplementFormat::Json => json_example(check, action, v, &e.text),
            };
            for p in problems {
                check.err(fi, &epath, format!("example does not fit: {p}"));
            }
        }
    }
}

fn text_example(check: &SourceCheck<'_, '_>, v: &ir::Variant, text: &str) -> Vec<String> {
    with_slots(&v.items, |slots| match tokenize(text, slots) {
        Err(m) => vec![format!("{m} (`{}`)", snippet(text, m.offset))],
        Ok(tokens) => tokens
            .iter()
            .filter_map(|t| {
                let key = match slots[t.slot] {
                    Slot::Field { key, .. } => key,
                    Slot::Group { .. } => t.key,
                };
                value_problem(check.props.get(key)?, t.value).map(|p| format!("`{key}` {p}"))
            })
            .collect(),
    })
}

fn snippet(text: &str, offset: usize) -> String {
    let rest = &text[offset.min(text.len())..];
    let end = rest.char_indices().nth(24).map_or(rest.len(), |(i, _)| i);
    if rest.is_empty() {
        "end of line".to_owned()
    } else {
        format!("{}…", &rest[..end])
    }
}

/// Checks one value against its property; `None` when it fits.
pub(crate) fn value_problem(p: &PropDecl<'_>, text: &str) -> Option<String> {
    let m = p.model;
    let shown = |t: &str| {
        if m.secret {
            value::redact(t, m.max_length.unwrap_or(0))
        } else {
            t.to_owned()
        }
    };
    let result = match m.ty {
        // An enum without values is reported on its own; no example fits it.
        PropertyType::Enum if m.values.is_empty() => Ok(()),
        PropertyType::Enum => {
            let allowed: Vec<&str> = m.values.iter().map(|v| v.value.as_str()).collect();
            value::check_enum(text, &allowed)
        }
        PropertyType::List => {
            let items = kind(m.items.unwrap_or(PropertyType::Text));
            let sep = m.separator.as_deref().unwrap_or(",");
            value::split_list(text, sep).try_for_each(|item| value::check(items, item))
        }
        ty => value::check(kind(ty), text),
    };
    let result = result
        .and_then(|()| {
            m.max_length
                .map_or(Ok(()), |max| value::check_length(text, max))
        })
        .and_then(|()| match &p.pattern {
            Some(re) if !re.is_match(text) => Err(value::Problem::PatternMismatch),
            _ => Ok(()),
        });
    result.err().map(|problem| {
        let allowed = match problem {
            value::Problem::NotAllowed => {
                let names: Vec<&str> = m.values.iter().map(|v| v.value.as_str()).collect();
                format!(" ({})", names.join(", "))
            }
            _ => String::new(),
        };
        format!("value `{}` {problem}{allowed}", shown(text))
    })
}

fn json_example(
    check: &SourceCheck<'_, '_>,
    action: &ir::Action,
    v: &ir::Variant,
    text: &str,
) -> Vec<String> {
    let object = match serde_json::from_str::<Json>(text) {
        Ok(Json::Object(o)) => o,
        Ok(_) => return vec!["a JSON example must be an object".to_owned()],
        Err(e) => return vec![format!("invalid JSON: {e}")],
    };
    let mut problems = Vec::new();
    let in_message: BTreeSet<&str> = action
        .rules
        .iter()
        .map(|r| r.placeholder.as_str())
        .collect();
    let mut allowed: BTreeSet<&str> = BTreeSet::new();
    for item in &v.items {
        if let ir::Item::Property { key, optional, .. } = item {
            if in_message.contains(key.as_str()) {
                continue;
            }
            allowed.insert(key);
            if !optional && !object.contains_key(key.as_str()) {
                problems.push(format!("required field `{key}` is missing"));
            }
        }
    }
    if let Some(field) = &check.definition.action_field {
        match object.get(field.as_str()) {
            Some(Json::String(name)) if *name == action.name || action.aliases.contains(name) => {}
            Some(other) => problems.push(format!("`{field}` is {other}, not \"{}\"", action.name)),
            None => problems.push(format!("`{field}` is missing; it names the action")),
        }
        allowed.insert(field);
    }
    if !action.rules.is_empty() {
        allowed.extend(["action", "key", "objectID", "operation"]);
        problems.extend(rule_example(check, action, &object));
    }
    for (key, value) in &object {
        if !allowed.contains(key.as_str()) {
            problems.push(format!("field `{key}` does not belong to this case"));
            continue;
        }
        let Some(p) = check.props.get(key.as_str()) else {
            continue;
        };
        let forms = if p.model.json.is_empty() {
            &[JsonForm::String][..]
        } else {
            &p.model.json
        };
        let text = match value {
            Json::String(s) if forms.contains(&JsonForm::String) => s.clone(),
            Json::Number(n) if forms.contains(&JsonForm::Number) => n.to_string(),
            Json::Bool(b) if forms.contains(&JsonForm::Boolean) => b.to_string(),
            other => {
                problems.push(format!(
                    "`{key}` is {other}, which is not a JSON {}",
                    forms_list(forms)
                ));
                continue;
            }
        };
        if let Some(problem) = value_problem(p, &text) {
            problems.push(format!("`{key}` {problem}"));
        }
    }
    problems
}

fn forms_list(forms: &[JsonForm]) -> String {
    forms
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(" or ")
}

/// An example of a rule-identified event must be identified by one of its rules.
fn rule_example(
    check: &SourceCheck<'_, '_>,
    action: &ir::Action,
    object: &serde_json::Map<String, Json>,
) -> Vec<String> {
    let attr = |name: &str| object.get(name).and_then(Json::as_str);
    for rule in &action.rules {
        if attr("action") != Some(rule.action.as_str()) {
            continue;
        }
        if rule.operation.is_some() && attr("operation") != rule.operation.as_deref() {
            continue;
        }
        let Some(message) = attr(rule.field.as_str()) else {
            continue;
        };
        let Some(placeholder) = std::iter::once(&rule.prefix)
            .chain(&rule.prefix_aliases)
            .find_map(|p| message.strip_prefix(p.as_str()))
        else {
            continue;
        };
        let mut problems = Vec::new();
        if let Some(p) = check.props.get(rule.placeholder.as_str()) {
            if let Some(problem) = value_problem(p, placeholder) {
                problems.push(format!("placeholder `{}` {problem}", rule.placeholder));
            }
        }
        if let Some(scope) = &rule.scope {
            if !object.contains_key(scope) {
                problems.push(format!("scope field `{scope}` is missing"));
            }
        }
        return problems;
    }
    vec![format!(
        "no identification rule of `{}` matches it",
        action.name
    )]
}
