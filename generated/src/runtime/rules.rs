//! Identification rules: which events a record of attributes may be.
//!
//! A rule fits a record when its `"action"` verb is the record's, the message
//! attribute (`key` or `objectID`) starts with one of its prefixes, and its
//! `"operation"` refinement, if it has one, is the record's. Where rules with
//! and without a refinement both fit, the refined ones win: the refinement is
//! what tells such events apart. Everything else that fits is returned; the
//! caller reports ambiguity instead of guessing.

use super::envelope::Attributes;
use super::inline::{self, Inline};
use super::words::{same, trim_with};

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

/// A rule that fits, with the placeholder it reads.
pub type Fit<'r, 'a, A> = (&'r Rule<A>, &'a str);

/// The rules that fit a record, in catalog order: up to [`FEW`] kept
/// without allocating. It derefs to a slice of them.
#[derive(Debug, Clone)]
pub struct Found<'r, 'a, A: 'static>(Inline<Fit<'r, 'a, A>, FEW>);

/// How many fitting rules are kept in place: more than fit any record of
/// the bundled catalog.
pub const FEW: usize = 4;

impl<'r, 'a, A> Found<'r, 'a, A> {
    /// The rules that fit, in catalog order.
    pub fn as_slice(&self) -> &[Fit<'r, 'a, A>] {
        &self.0
    }

    /// Adds `fit`, found after those kept. Refined rules win over the
    /// others: a refined fit replaces unrefined ones, and an unrefined fit
    /// is not kept beside refined ones.
    fn push(&mut self, fit: Fit<'r, 'a, A>) {
        let refined = |(rule, _): &Fit<'r, 'a, A>| rule.operation.is_some();
        match self.first().map(refined) {
            Some(false) if refined(&fit) => {
                self.0.clear();
                self.0.push(fit);
            }
            Some(true) if !refined(&fit) => {}
            _ => self.0.push(fit),
        }
    }
}

impl<'r, 'a, A> std::ops::Deref for Found<'r, 'a, A> {
    type Target = [Fit<'r, 'a, A>];
    fn deref(&self) -> &Self::Target {
        self.as_slice()
    }
}

impl<'r, 'a, A> IntoIterator for Found<'r, 'a, A> {
    type Item = Fit<'r, 'a, A>;
    type IntoIter = inline::IntoIter<Self::Item, FEW>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// The rules that fit `attrs`, each with the placeholder it reads: the
/// refined ones if any fit.
pub fn identify<'r, 'a, A: Copy>(rules: &'r [Rule<A>], attrs: &'a Attributes) -> Found<'r, 'a, A> {
    let mut found = Found(Inline::new());
    let Some(verb) = attrs.action.as_deref() else {
        return found;
    };
    let operation = attrs.operation.as_deref();
    // Each message once, with its leading white space trimmed for the
    // spellings that differ only there.
    let key = attrs
        .key
        .as_deref()
        .map(|m| (m, trim_with(m, str::trim_start)));
    let object_id = attrs
        .object_id
        .as_deref()
        .map(|m| (m, trim_with(m, str::trim_start)));
    let fits = rules
        .iter()
        // Verbs are short: compared in place, without a call to `memcmp`.
        .filter(|r| same(r.verb.as_bytes(), verb.as_bytes()))
        .filter(|r| r.operation.is_none() || r.operation == operation)
        .filter_map(|r| {
            let (message, trimmed) = match r.field {
                MessageField::Key => key,
                MessageField::ObjectId => object_id,
            }?;
            r.prefixes
                .iter()
                .find_map(|p| {
                    after(message, p).or_else(|| {
                        // The same comparison again unless a side has white
                        // space to trim.
                        let differs = trimmed.len() != message.len() || spaced(p);
                        differs.then(|| after(trimmed, p.trim_start())).flatten()
                    })
                })
                .map(|placeholder| (r, trim_with(placeholder, str::trim)))
        });
    for fit in fits {
        found.push(fit);
    }
    found
}

/// Whether `text` starts with white space. Most prefixes start with a
/// letter: a printable ASCII first byte answers without decoding a `char`.
fn spaced(text: &str) -> bool {
    !text.as_bytes().first().is_some_and(u8::is_ascii_graphic)
        && text.starts_with(char::is_whitespace)
}

/// What follows `prefix` in `text`, if `text` starts with it (compared in
/// place, as verbs are).
fn after<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.as_bytes().get(..prefix.len())?;
    same(head, prefix.as_bytes())
        .then(|| text.get(prefix.len()..))
        .flatten()
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
            action: Some(action.into()),
            key: key.map(Into::into),
            object_id: object_id.map(Into::into),
            operation: operation.map(Into::into),
            ..Attributes::default()
        }
    }

    #[test]
    fn shared_rules_give_every_candidate() {
        let a = attrs("create", Some("Creating access token: ab12c"), None, None);
        let found: Vec<(u8, &str)> = identify(RULES, &a)
            .iter()
            .map(|&(r, p)| (r.event, p))
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
        let found: Vec<u8> = identify(RULES, &a).iter().map(|(r, _)| r.event).collect();
        assert_eq!(found, [3]);
        let a = attrs("create", None, Some("Creating platform client: c1"), None);
        assert!(matches!(identify(RULES, &a).as_slice(), [(r, "c1")] if r.event == 4));
        // Refined rules win wherever they stand among the others.
        let refined = |event| Rule { event, ..RULES[2] };
        let mixed = [RULES[3], refined(5), RULES[3], refined(6), RULES[3]];
        let a = attrs(
            "create",
            None,
            Some("Creating platform client: c1"),
            Some("Create Multitenant Platform API client"),
        );
        let found: Vec<u8> = identify(&mixed, &a).iter().map(|(r, _)| r.event).collect();
        assert_eq!(found, [5, 6]);
        // More fits than are kept in place are all kept, in order.
        let many: Vec<Rule<u8>> = (1..=FEW as u8 + 2).map(refined).collect();
        let found: Vec<u8> = identify(&many, &a)
            .into_iter()
            .map(|(r, _)| r.event)
            .collect();
        assert_eq!(found, [1, 2, 3, 4, 5, 6]);
        let a = attrs("delete", Some("Creating access token: ab12c"), None, None);
        assert!(identify(RULES, &a).is_empty());
        // A verb must match whole, not only its first bytes.
        let a = attrs("creates", None, Some("Creating platform client: c1"), None);
        assert!(identify(RULES, &a).is_empty());
    }

    /// White space before the message, or before a prefix, does not keep
    /// them apart; any other difference does.
    #[test]
    fn leading_white_space_is_trimmed_on_either_side() {
        let a = attrs(
            "create",
            None,
            Some(" \tCreating platform client: c2"),
            None,
        );
        assert!(matches!(identify(RULES, &a).as_slice(), [(r, "c2")] if r.event == 4));
        let spaced = [Rule {
            prefixes: &["  Creating platform client: "],
            ..RULES[3]
        }];
        let a = attrs("create", None, Some("Creating platform client: c3"), None);
        assert!(matches!(identify(&spaced, &a).as_slice(), [(r, "c3")] if r.event == 4));
        let a = attrs("create", None, Some("Creating platform clients: c4"), None);
        assert!(identify(&spaced, &a).is_empty());
        let a = attrs("create", None, Some("Creating"), None);
        assert!(identify(RULES, &a).is_empty());
    }
}
