//! Catalog names that would become the same Rust identifier are errors.

use std::collections::BTreeMap;

use super::SourceCheck;
use crate::ident::{field_name, group_type_name, type_name};
use crate::ir;

/// Remembers which catalog name took each identifier in one namespace.
struct Namespace<'a> {
    what: &'a str,
    taken: BTreeMap<String, String>,
}

impl<'a> Namespace<'a> {
    fn new(what: &'a str) -> Self {
        Namespace {
            what,
            taken: BTreeMap::new(),
        }
    }

    /// Claims `ident` for `name`; the message if another name holds it.
    fn claim(&mut self, ident: String, name: &str) -> Option<String> {
        match self.taken.get(&ident) {
            // Names equal but for case are reported as duplicates already.
            Some(first) if !first.eq_ignore_ascii_case(name) => Some(if self.what.is_empty() {
                format!("{name} and {first} both become the Rust type `{ident}`; rename one")
            } else {
                format!(
                    "{} `{name}` and `{first}` both become the Rust name `{ident}`; rename one",
                    self.what
                )
            }),
            Some(_) => None,
            None => {
                self.taken.insert(ident, name.to_owned());
                None
            }
        }
    }
}

/// The identifier of a module: its service joins its name where the source has services.
pub(crate) fn module_ident(m: &ir::Module) -> String {
    type_name(&module_words(m))
}

/// The Rust module holding a module's actions: `m_` and the words of
/// [`module_ident`] in snake case, so the check of module identifiers keeps
/// these distinct too.
pub(crate) fn module_mod(m: &ir::Module) -> String {
    format!("m_{}", field_name(&module_words(m)))
}

fn module_words(m: &ir::Module) -> String {
    match &m.service {
        Some(s) => format!("{s} {}", m.name),
        None => m.name.clone(),
    }
}

pub(super) fn check_rust_names(check: &mut SourceCheck<'_, '_>, source: &ir::Source) {
    let def = check.def_file();
    let mut levels = Namespace::new("level");
    for (i, l) in source.levels.iter().enumerate() {
        if let Some(msg) = levels.claim(type_name(&l.name), &l.name) {
            check.err(def, format!("definition.levels[{i}].name"), msg);
        }
    }
    let mut results = Namespace::new("result");
    for (i, r) in source.results.iter().enumerate() {
        if let Some(msg) = results.claim(type_name(&r.name), &r.name) {
            check.err(def, format!("definition.results[{i}].name"), msg);
        }
    }
    let mut services = Namespace::new("service");
    for (i, s) in source.services.iter().enumerate() {
        if let Some(msg) = services.claim(type_name(&s.name), &s.name) {
            check.err(def, format!("definition.services[{i}].name"), msg);
        }
    }
    let mut properties = Namespace::new("property");
    for p in &source.properties {
        let msg = properties.claim(field_name(&p.key), &p.key);
        let mut values = Namespace::new("value");
        let value_msgs: Vec<String> = p
            .values
            .iter()
            .filter_map(|v| values.claim(type_name(&v.value), &v.value))
            .collect();
        for msg in msg.into_iter().chain(value_msgs) {
            let (fi, path) = property_place(check, &p.key);
            check.err(fi, path, msg);
        }
    }
    // Actions, enum properties and group structs share the module's type names.
    let mut types = Namespace::new("");
    for p in source
        .properties
        .iter()
        .filter(|p| !p.values.is_empty() && p.used)
    {
        if let Some(msg) = types.claim(type_name(&p.key), &format!("property `{}`", p.key)) {
            let (fi, path) = property_place(check, &p.key);
            check.err(fi, path, msg);
        }
    }
    let mut modules = Namespace::new("module");
    let mut actions = Namespace::new("action");
    for (mi, m) in source.modules.iter().enumerate() {
        let ((fi, mpath), places) = check.places[mi].clone();
        if let Some(msg) = modules.claim(module_ident(m), &m.name) {
            check.err(fi, format!("{mpath}.name"), msg);
        }
        for (a, (fi, apath)) in m.actions.iter().zip(places) {
            if let Some(msg) = actions.claim(type_name(&a.name), &a.name) {
                check.err(fi, format!("{apath}.name"), msg);
            } else if let Some(msg) =
                types.claim(type_name(&a.name), &format!("action `{}`", a.name))
            {
                check.err(fi, format!("{apath}.name"), msg);
            }
            for v in &a.variants {
                for item in &v.items {
                    if let ir::Item::Group { name, .. } = item {
                        let ident = group_type_name(&a.name, name);
                        let what = format!("group `{name}` of action `{}`", a.name);
                        if let Some(msg) = types.claim(ident, &what) {
                            check.err(fi, format!("{apath}.name"), msg);
                        }
                    }
                }
            }
            let mut variants = Namespace::new("variant");
            let mut fields = Namespace::new("complement item");
            for (vi, v) in a.variants.iter().enumerate() {
                let vpath = if a.has_variants() {
                    format!("{apath}.variants[{vi}]")
                } else {
                    apath.clone()
                };
                if let Some(name) = &v.name {
                    if let Some(msg) = variants.claim(type_name(name), name) {
                        check.err(fi, format!("{vpath}.name"), msg);
                    }
                }
                for item in &v.items {
                    let name = match item {
                        ir::Item::Property { key, .. } => key,
                        ir::Item::Group { name, .. } => name,
                    };
                    if let Some(msg) = fields.claim(field_name(name), name) {
                        check.err(fi, format!("{vpath}.complement"), msg);
                    }
                }
            }
        }
    }
}

fn property_place(check: &SourceCheck<'_, '_>, key: &str) -> (usize, String) {
    for (fi, f) in check.files.iter().enumerate() {
        if let Some(i) = f.file.properties.iter().position(|p| p.key == key) {
            return (fi, format!("properties[{i}].key"));
        }
    }
    (check.def_file(), String::new())
}
