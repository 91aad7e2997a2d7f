//! Variants of one action must be told apart by their complement alone.

use std::collections::BTreeSet;

use auditcat::runtime::complement::tokenize;

use super::examples::with_slots;
use super::SourceCheck;
use crate::ir::{self, ComplementFormat};

/// Reports every pair of variants of `action` that some complement fits both.
pub(super) fn check_distinct(
    check: &mut SourceCheck<'_, '_>,
    fi: usize,
    apath: &str,
    action: &ir::Action,
) {
    let json = check.definition.complement == ComplementFormat::Json;
    for (i, a) in action.variants.iter().enumerate() {
        for (j, b) in action.variants.iter().enumerate().skip(i + 1) {
            let witness = if json {
                json_overlap(a, b)
            } else {
                text_overlap(a, b).or_else(|| text_overlap(b, a))
            };
            if let Some(witness) = witness {
                let (an, bn) = (
                    a.name.as_deref().unwrap_or(""),
                    b.name.as_deref().unwrap_or(""),
                );
                check.err(
                    fi,
                    format!("{apath}.variants[{j}]"),
                    format!("variants `{an}` and `{bn}` cannot be told apart: {witness} fits both"),
                );
            }
        }
    }
}

/// A complement line of `a` that `b` also accepts item for item, if any.
///
/// The lines use `*` for every value. A free-text value could swallow the rest
/// of any line, so "accepts" means structurally: every value `b` reads is
/// exactly one `*`, not a longer stretch that happens to contain separators.
fn text_overlap(a: &ir::Variant, b: &ir::Variant) -> Option<String> {
    with_slots(&b.items, |b_slots| {
        [false, true]
            .into_iter()
            .map(|full| synthetic_line(&a.items, full))
            .find(|line| tokenize(line, b_slots).is_ok_and(|t| t.iter().all(|t| t.value == "*")))
            .map(|line| format!("`{line}`"))
    })
}

/// The smallest (`full == false`) or largest complement of `items`, with `*` values.
fn synthetic_line(items: &[ir::Item], full: bool) -> String {
    let mut parts = Vec::new();
    for item in items {
        match item {
            ir::Item::Property {
                key,
                optional,
                bare,
            } => {
                if *optional && !full {
                    continue;
                }
                parts.push(if *bare {
                    "*".to_owned()
                } else {
                    format!("{key}: *")
                });
            }
            ir::Item::Group { keys, min, .. } => {
                let count = if full { (*min).max(1) } else { *min };
                let group = keys
                    .iter()
                    .map(|k| format!("{k}: *"))
                    .collect::<Vec<_>>()
                    .join(", ");
                parts.extend(std::iter::repeat_n(format!("({group})"), count));
            }
        }
    }
    parts.join(", ")
}

/// For JSON entries: a set of fields that both variants accept, if any.
fn json_overlap(a: &ir::Variant, b: &ir::Variant) -> Option<String> {
    let (a_req, a_all) = json_keys(a);
    let (b_req, b_all) = json_keys(b);
    let both: BTreeSet<&str> = a_req.union(&b_req).copied().collect();
    let fits = both.iter().all(|k| a_all.contains(k) && b_all.contains(k));
    fits.then(|| {
        format!(
            "an entry with the fields {{{}}}",
            both.into_iter().collect::<Vec<_>>().join(", ")
        )
    })
}

fn json_keys(v: &ir::Variant) -> (BTreeSet<&str>, BTreeSet<&str>) {
    let mut required = BTreeSet::new();
    let mut all = BTreeSet::new();
    for item in &v.items {
        if let ir::Item::Property { key, optional, .. } = item {
            all.insert(key.as_str());
            if !optional {
                required.insert(key.as_str());
            }
        }
    }
    (required, all)
}
