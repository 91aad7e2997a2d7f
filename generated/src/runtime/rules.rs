//! Identification rules: which events a record of attributes may be.
//!
//! A rule fits a record when its `"action"` verb is the record's, the message
//! attribute (`key` or `objectID`) starts with one of its prefixes, and its
//! `"operation"` refinement, if it has one, is the record's. Where rules with
//! and without a refinement both fit, the refined ones win: the refinement is
//! what tells such events apart. Everything else that fits is returned; the
//! caller reports ambiguity instead of guessing.

use super::envelope::Attributes;

/// The attribute that carries an event's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageField {
    /// `"key"`.
    Key,
    /// `"objectID"`.
    ObjectId,
}

impl MessageField {
    /// The attribute's name as logged.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageField::Key => "key",
            MessageField::ObjectId => "objectID",
        }
    }
}

/// One identification rule of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule<A: 'static> {
    /// The event it identifies.
    pub event: A,
    /// The `"action"` verb.
    pub verb: &'static str,
    /// The message attribute.
    pub field: MessageField,
    /// The message before its placeholder, in every spelling.
    pub prefixes: &'static [&'static str],
    /// The `"operation"` refinement.
    pub operation: Option<&'static str>,
    /// The property the placeholder fills.
    pub placeholder: &'static str,
    /// The property that scopes the event.
    pub scope: Option<&'static str>,
}

/// The rules that fit `attrs`, each with the placeholder it reads.
pub fn identify<'r, 'a, A: Copy>(
    rules: &'r [Rule<A>],
    attrs: &'a Attributes,
) -> Vec<(&'r Rule<A>, &'a str)> {
    let Some(verb) = attrs.action.as_deref() else {
        return Vec::new();
    };
    let operation = attrs.operation.as_deref();
    // Each message once, with its leading white space trimmed for the
    // spellings that differ only there.
    let key = attrs.key.as_deref().map(|m| (m, m.trim_start()));
    let object_id = attrs.object_id.as_deref().map(|m| (m, m.trim_start()));
    let mut found: Vec<(&Rule<A>, &str)> = rules
        .iter()
        .filter(|r| r.verb == verb)
        .filter(|r| r.operation.is_none() || r.operation == operation)
        .filter_map(|r| {
            let (message, trimmed) = match r.field {
                MessageField::Key => key,
                MessageField::ObjectId => object_id,
            }?;
            r.prefixes
                .iter()
                .find_map(|p| {
                    message.strip_prefix(p).or_else(|| {
                        let p_trimmed = p.trim_start();
                        // The same comparison again unless a side had white
                        // space to trim.
                        let differs = trimmed.len() != message.len() || p_trimmed.len() != p.len();
                        differs.then(|| trimmed.strip_prefix(p_trimmed)).flatten()
                    })
                })
                .map(|placeholder| (r, placeholder.trim()))
        })
        .collect();
    if found.iter().any(|(r, _)| r.operation.is_some()) {
        found.retain(|(r, _)| r.operation.is_some());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &[Rule<u8>] = &[
        Rule {
            event: 1,
            verb: "create",
            field: MessageField::Key,
            prefixes: &["Creating access token: ", " Creating access token: "],
            operation: None,
            placeholder: "token prefix",
            scope: Some("tenantId"),
        },
        Rule {
            event: 2,
            verb: "create",
            field: MessageField::Key,
            prefixes: &["Creating access token: "],
            operation: None,
            placeholder: "token prefix",
            scope: Some("tenantId"),
        },
        Rule {
            event: 3,
            verb: "create",
            field: MessageField::ObjectId,
            prefixes: &["Creating platform client: "],
            operation: Some("Create Multitenant Platform API client"),
            placeholder: "client id",
            scope: Some("account"),
        },
        Rule {
            event: 4,
            verb: "create",
            field: MessageField::ObjectId,
            prefixes: &["Creating platform client: "],
            operation: None,
            placeholder: "client id",
            scope: None,
        },
    ];

    fn attrs(
        action: &str,
        key: Option<&str>,
        object_id: Option<&str>,
        operation: Option<&str>,
    ) -> Attributes {
        Attributes {
            action: Some(action.to_owned()),
            key: key.map(str::to_owned),
            object_id: object_id.map(str::to_owned),
            operation: operation.map(str::to_owned),
            ..Attributes::default()
        }
    }

    #[test]
    fn shared_rules_give_every_candidate() {
        let a = attrs("create", Some("Creating access token: ab12c"), None, None);
        let found: Vec<(u8, &str)> = identify(RULES, &a)
            .into_iter()
            .map(|(r, p)| (r.event, p))
            .collect();
        assert_eq!(found, [(1, "ab12c"), (2, "ab12c")]);
    }

    #[test]
    fn refinements_win_and_verbs_must_match() {
        let a = attrs(
            "create",
            None,
            Some("Creating platform client: c1"),
            Some("Create Multitenant Platform API client"),
        );
        let found: Vec<u8> = identify(RULES, &a)
            .into_iter()
            .map(|(r, _)| r.event)
            .collect();
        assert_eq!(found, [3]);
        let a = attrs("delete", Some("Creating access token: ab12c"), None, None);
        assert!(identify(RULES, &a).is_empty());
    }
}
