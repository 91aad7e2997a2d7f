//! Identification rules: which events one record shape could belong to.
//!
//! Two rules overlap when some record fits both: same `"action"` verb, same
//! message attribute, one message prefix starting the other, and operations
//! that do not exclude each other (equal, or one rule gives none). The scope
//! attribute does not separate rules, since a record may carry it either way.
//! Each rule lists in `shared_with` exactly the other events it overlaps, so the
//! catalog shows the ambiguity instead of hiding it; this check keeps the lists
//! true.

use std::collections::BTreeSet;

use super::{join, SourceCheck};
use crate::ir;

/// Whether some record fits both rules.
pub(crate) fn overlap(a: &ir::Rule, b: &ir::Rule) -> bool {
    let prefixes = |r: &ir::Rule| -> Vec<String> {
        std::iter::once(&r.prefix)
            .chain(&r.prefix_aliases)
            .map(|p| p.to_owned())
            .collect()
    };
    let operations_meet = match (&a.operation, &b.operation) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    a.action == b.action
        && a.field == b.field
        && operations_meet
        && prefixes(a).iter().any(|p| {
            prefixes(b)
                .iter()
                .any(|q| p.starts_with(q.as_str()) || q.starts_with(p.as_str()))
        })
}

pub(super) fn check_sharing(check: &mut SourceCheck<'_, '_>, source: &ir::Source) {
    let all: Vec<(usize, usize, &ir::Action)> = source
        .modules
        .iter()
        .enumerate()
        .flat_map(|(mi, m)| m.actions.iter().enumerate().map(move |(ai, a)| (mi, ai, a)))
        .collect();
    let names: BTreeSet<&str> = all.iter().map(|(_, _, a)| a.name.as_str()).collect();
    for &(mi, ai, action) in &all {
        for (ri, rule) in action.rules.iter().enumerate() {
            let (fi, apath) = check.places[mi].1[ai].clone();
            let rpath = format!("{apath}.identify[{ri}].shared_with");
            let actual: BTreeSet<&str> = all
                .iter()
                .filter(|(_, _, other)| other.name != action.name)
                .filter(|(_, _, other)| other.rules.iter().any(|r| overlap(rule, r)))
                .map(|(_, _, other)| other.name.as_str())
                .collect();
            let declared: BTreeSet<&str> = rule.shared_with.iter().map(String::as_str).collect();
            let unknown: Vec<&str> = declared
                .iter()
                .copied()
                .filter(|n| !names.contains(n))
                .collect();
            if !unknown.is_empty() {
                check.err(fi, &rpath, format!("unknown events: {}", join(unknown)));
            }
            let missing: Vec<&str> = actual.difference(&declared).copied().collect();
            if !missing.is_empty() {
                check.err(
                    fi,
                    &rpath,
                    format!(
                        "this rule also identifies {}; list them in `shared_with` so the ambiguity is visible",
                        join(missing)
                    ),
                );
            }
            let extra: Vec<&str> = declared
                .difference(&actual)
                .copied()
                .filter(|n| names.contains(n))
                .collect();
            if !extra.is_empty() {
                check.err(
                    fi,
                    &rpath,
                    format!("no rule of {} overlaps this one", join(extra)),
                );
            }
        }
    }
}
