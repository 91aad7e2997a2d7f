//! Stage 2: resolve the raw files of each source into the [`ir`] and
//! check everything a renderer relies on.
//!
//! Checks: file placement and the one definition per source; properties
//! (types, values, lists, patterns, conflicting declarations, unused flags);
//! fragments; modules and actions (services, levels, duplicates after case
//! folding and aliases, Rust names that collide); variants that cannot be told
//! apart; examples that do not fit; identification rules and the completeness
//! of their `shared_with` lists. Every mistake is recorded and checking goes on.

mod examples;
pub(crate) mod names;
mod rules;
mod variants;

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{At, Diagnostics};
use crate::ir;
use crate::load::LoadedFile;
use crate::model::{self, ComplementFormat, PropertyType};

/// Resolves and checks `files`. The returned catalog is only meaningful when
/// `diag` stays clean.
pub fn check(files: &[LoadedFile], diag: &mut Diagnostics) -> ir::Catalog {
    let mut by_source: BTreeMap<&str, Vec<&LoadedFile>> = BTreeMap::new();
    for f in files {
        let at = at(f);
        if f.file.source != f.dir {
            diag.error(
                at,
                "source",
                format!(
                    "the file says `source: {}` but lies in the directory `{}`",
                    f.file.source, f.dir
                ),
            );
            continue;
        }
        match (&f.file.definition, &f.file.document) {
            (Some(_), Some(_)) => diag.error(
                at,
                "document",
                "a file has either `definition` (the source's own file) or `document`, not both",
            ),
            (None, None) => diag.error(
                at,
                "",
                "the file has neither `definition` nor `document`: say which vendor document it restates",
            ),
            _ => {}
        }
        by_source.entry(&f.dir).or_default().push(f);
    }
    let sources = by_source
        .into_iter()
        .filter_map(|(id, files)| SourceCheck::run(id, &files, diag))
        .collect();
    ir::Catalog { sources }
}

fn at(f: &LoadedFile) -> At<'_> {
    At {
        file: &f.path,
        lines: &f.lines,
    }
}

/// A property as first declared, with where.
struct PropDecl<'f> {
    model: &'f model::Property,
    file: usize,
    path: String,
    documents: Vec<usize>,
    pattern: Option<regex_lite::Regex>,
    used: bool,
}

struct SourceCheck<'f, 'd> {
    id: &'f str,
    files: &'f [&'f LoadedFile],
    diag: &'d mut Diagnostics,
    definition: &'f model::Definition,
    /// Document index of each file (`None` for the definition file).
    doc_of_file: Vec<Option<usize>>,
    props: BTreeMap<&'f str, PropDecl<'f>>,
    fragments: BTreeMap<&'f str, (usize, String, &'f [model::Item])>,
    /// Where each resolved module and its actions are written: `(file, path)`,
    /// parallel to the modules and actions of the result.
    places: Vec<(Place, Vec<Place>)>,
}

/// Where something is written: file index and YAML path.
type Place = (usize, String);

impl<'f, 'd> SourceCheck<'f, 'd> {
    fn run(
        id: &'f str,
        files: &'f [&'f LoadedFile],
        diag: &'d mut Diagnostics,
    ) -> Option<ir::Source> {
        let mut definition: Option<(usize, &model::Definition)> = None;
        for (i, f) in files.iter().enumerate() {
            if let Some(d) = &f.file.definition {
                if let Some((first, _)) = definition {
                    diag.error(
                        at(f),
                        "definition",
                        format!(
                            "source `{id}` is already defined in {}; a source has one definition",
                            files[first].path.display()
                        ),
                    );
                } else {
                    definition = Some((i, d));
                }
            }
        }
        let Some((_, definition)) = definition else {
            diag.error(
                at(files[0]),
                "",
                format!(
                    "source `{id}` has no file with a `definition` (title, levels, record format)"
                ),
            );
            return None;
        };
        if !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            || id.is_empty()
        {
            diag.error(
                at(files[0]),
                "source",
                format!("source id `{id}` must be lower-case ASCII letters, digits and `-`"),
            );
        }
        let mut documents = Vec::new();
        let mut doc_of_file = Vec::new();
        for f in files {
            doc_of_file.push(f.file.document.as_ref().map(|d| {
                documents.push(ir::Document {
                    file: d.file.clone(),
                    article: d.article.clone(),
                    title: d.title.clone(),
                    vendor: d.vendor.clone(),
                    catalog_file: f.path.to_string_lossy().replace('\\', "/"),
                    notes: f.file.notes.clone(),
                });
                documents.len() - 1
            }));
        }
        let mut check = SourceCheck {
            id,
            files,
            diag,
            definition,
            doc_of_file,
            props: BTreeMap::new(),
            fragments: BTreeMap::new(),
            places: Vec::new(),
        };
        check.definition_parts();
        check.properties();
        check.collect_fragments();
        let modules = check.modules();
        let properties = check.finish_properties();
        let mut notes = definition.notes.clone();
        for f in files.iter().filter(|f| f.file.definition.is_some()) {
            notes.extend(f.file.notes.iter().cloned());
        }
        let source = ir::Source {
            id: id.to_owned(),
            title: definition.title.clone(),
            version: definition.version.clone(),
            description: definition.description.clone(),
            complement: definition.complement,
            action_field: definition.action_field.clone(),
            services: definition.services.iter().map(named).collect(),
            levels: definition
                .levels
                .iter()
                .map(|l| ir::Level {
                    name: l.name.clone(),
                    labels: l.labels.clone(),
                    description: l.description.clone(),
                })
                .collect(),
            results: definition.results.iter().map(named).collect(),
            record: ir::Record {
                description: definition.record.description.clone(),
                formats: definition
                    .record
                    .formats
                    .iter()
                    .map(|f| ir::RecordFormat {
                        name: f.name.clone(),
                        description: f.description.clone(),
                        fields: f.fields.iter().map(record_field).collect(),
                    })
                    .collect(),
            },
            notes,
            documents,
            properties,
            modules,
        };
        rules::check_sharing(&mut check, &source);
        names::check_rust_names(&mut check, &source);
        Some(source)
    }

    fn def_file(&self) -> usize {
        self.files
            .iter()
            .position(|f| f.file.definition.is_some())
            .unwrap_or(0)
    }

    fn err(&mut self, file: usize, path: impl Into<String>, message: impl Into<String>) {
        self.diag.error(at(self.files[file]), path, message);
    }

    fn definition_parts(&mut self) {
        let file = self.def_file();
        let d = self.definition;
        self.text(file, "definition.title", &d.title);
        self.text(file, "definition.description", &d.description);
        match (d.complement, &d.action_field) {
            (ComplementFormat::Text, Some(_)) => self.err(
                file,
                "definition.action_field",
                "`action_field` names a JSON field; this source's complement is `text`",
            ),
            (_, Some(f)) => self.name(file, "definition.action_field", f),
            _ => {}
        }
        let mut seen = Seen::default();
        for (i, s) in d.services.iter().enumerate() {
            let path = format!("definition.services[{i}]");
            self.name(file, &format!("{path}.name"), &s.name);
            self.text(file, &format!("{path}.description"), &s.description);
            if let Some(first) = seen.add(&s.name, &path) {
                self.err(
                    file,
                    path,
                    format!("service `{}` is declared twice (first at {first})", s.name),
                );
            }
        }
        let mut seen = Seen::default();
        for (i, l) in d.levels.iter().enumerate() {
            let path = format!("definition.levels[{i}]");
            self.name(file, &format!("{path}.name"), &l.name);
            self.text(file, &format!("{path}.description"), &l.description);
            for name in std::iter::once(&l.name).chain(&l.labels) {
                if let Some(first) = seen.add(name, &path) {
                    self.err(
                        file,
                        &path,
                        format!("level name `{name}` is used twice (first at {first})"),
                    );
                }
            }
        }
        let mut seen = Seen::default();
        for (i, r) in d.results.iter().enumerate() {
            let path = format!("definition.results[{i}]");
            self.name(file, &format!("{path}.name"), &r.name);
            if let Some(first) = seen.add(&r.name, &path) {
                self.err(
                    file,
                    path,
                    format!("result `{}` is declared twice (first at {first})", r.name),
                );
            }
        }
        if d.record.formats.is_empty() {
            self.err(
                file,
                "definition.record.formats",
                "a source needs at least one record format",
            );
        }
        self.roles(file);
    }

    /// A text source's first record format (its CSV) plays every role once;
    /// JSON sources have fixed envelopes and give no roles.
    fn roles(&mut self, file: usize) {
        let formats = &self.definition.record.formats;
        for (fi, format) in formats.iter().enumerate() {
            let mut seen: BTreeMap<model::Role, usize> = BTreeMap::new();
            for (i, field) in format.fields.iter().enumerate() {
                let path = format!("definition.record.formats[{fi}].fields[{i}].role");
                let Some(role) = field.role else { continue };
                if self.definition.complement == ComplementFormat::Json || fi > 0 {
                    self.err(
                        file,
                        path,
                        "roles belong to the first record format of a text source",
                    );
                } else if let Some(first) = seen.insert(role, i) {
                    self.err(
                        file,
                        path,
                        format!(
                            "role `{}` is already played by fields[{first}]",
                            role.as_str()
                        ),
                    );
                }
            }
            if fi == 0 && self.definition.complement == ComplementFormat::Text {
                let missing: Vec<String> = model::Role::ALL
                    .iter()
                    .filter(|r| !seen.contains_key(r))
                    .map(|r| r.as_str().to_owned())
                    .collect();
                if !missing.is_empty() {
                    self.err(
                        file,
                        format!("definition.record.formats[{fi}].fields"),
                        format!(
                            "a text source's record needs a field for each role; missing: {}",
                            missing.join(", ")
                        ),
                    );
                }
            }
        }
    }

    /// A name: non-empty, no surrounding white space, no control characters.
    fn name(&mut self, file: usize, path: &str, name: &str) {
        if name.trim().is_empty() {
            self.err(file, path, "the name is empty");
        } else if name.trim() != name {
            self.err(
                file,
                path,
                format!("the name {name:?} has white space around it"),
            );
        } else if name.chars().any(char::is_control) {
            self.err(
                file,
                path,
                format!("the name {name:?} contains a control character"),
            );
        }
    }

    /// A description: not blank.
    fn text(&mut self, file: usize, path: &str, text: &str) {
        if text.trim().is_empty() {
            self.err(file, path, "the description is empty");
        }
    }

    fn properties(&mut self) {
        for (fi, f) in self.files.iter().enumerate() {
            for (pi, p) in f.file.properties.iter().enumerate() {
                let path = format!("properties[{pi}]");
                self.property_shape(fi, &path, p);
                let doc = self.doc_of_file[fi];
                if let Some(first) = self.props.get_mut(p.key.as_str()) {
                    if first.file == fi {
                        let msg = format!(
                            "property `{}` is declared twice in this file (first at {})",
                            p.key, first.path
                        );
                        self.err(fi, format!("{path}.key"), msg);
                    } else if p.replaces {
                        first.model = p;
                        first.file = fi;
                        first.path = path;
                        first.documents.extend(doc);
                    } else if first.model != p {
                        let msg = format!(
                            "property `{}` is declared differently in {} at {}; a property shared by documents must be declared identically",
                            p.key,
                            self.files[first.file].path.display(),
                            first.path
                        );
                        self.err(fi, format!("{path}.key"), msg);
                    } else {
                        first.documents.extend(doc);
                    }
                    continue;
                }
                let pattern =
                    p.pattern
                        .as_deref()
                        .and_then(|pat| match regex_lite::Regex::new(pat) {
                            Ok(re) => Some(re),
                            Err(e) => {
                                self.err(
                                    fi,
                                    format!("{path}.pattern"),
                                    format!("invalid pattern: {e}"),
                                );
                                None
                            }
                        });
                self.props.insert(
                    &p.key,
                    PropDecl {
                        model: p,
                        file: fi,
                        path,
                        documents: doc.into_iter().collect(),
                        pattern,
                        used: false,
                    },
                );
            }
        }
    }

    fn property_shape(&mut self, fi: usize, path: &str, p: &model::Property) {
        self.name(fi, &format!("{path}.key"), &p.key);
        self.text(fi, &format!("{path}.description"), &p.description);
        let is_enum = p.ty == PropertyType::Enum;
        if is_enum && p.values.is_empty() {
            self.err(
                fi,
                format!("{path}.values"),
                format!("enum property `{}` lists no values", p.key),
            );
        }
        if !is_enum && !p.values.is_empty() {
            self.err(
                fi,
                format!("{path}.values"),
                format!(
                    "`values` belongs to enum properties; `{}` is not one",
                    p.key
                ),
            );
        }
        let mut seen = Seen::default();
        for (vi, v) in p.values.iter().enumerate() {
            let vpath = format!("{path}.values[{vi}]");
            self.name(fi, &format!("{vpath}.value"), &v.value);
            self.text(fi, &format!("{vpath}.description"), &v.description);
            if let Some(first) = seen.add(&v.value, &vpath) {
                self.err(
                    fi,
                    vpath,
                    format!("value `{}` is listed twice (first at {first})", v.value),
                );
            }
        }
        let is_list = p.ty == PropertyType::List;
        match (is_list, p.items, &p.separator) {
            (true, Some(PropertyType::List | PropertyType::Enum), _) => self.err(
                fi,
                format!("{path}.items"),
                "list items must be a plain type (not a list or enum)",
            ),
            (true, Some(_), Some(sep)) if !sep.is_empty() => {}
            (true, _, _) => self.err(
                fi,
                path,
                format!(
                    "list property `{}` needs `items` and a non-empty `separator`",
                    p.key
                ),
            ),
            (false, None, None) => {}
            (false, _, _) => self.err(
                fi,
                path,
                format!(
                    "`items` and `separator` belong to list properties; `{}` is not one",
                    p.key
                ),
            ),
        }
        if let Some(role) = p.role {
            if !matches!(role, model::Role::Time | model::Role::User)
                || self.definition.complement != ComplementFormat::Json
            {
                self.err(
                    fi,
                    format!("{path}.role"),
                    "properties of JSON sources may play the role `time` or `user`; other parts come from the record",
                );
            }
        }
        if p.secret && p.max_length.is_none() {
            self.err(
                fi,
                format!("{path}.secret"),
                "a `secret` property needs `max_length`: the number of symbols that may be shown",
            );
        }
    }

    fn collect_fragments(&mut self) {
        for (fi, f) in self.files.iter().enumerate() {
            for (i, frag) in f.file.fragments.iter().enumerate() {
                let path = format!("fragments[{i}]");
                self.name(fi, &format!("{path}.name"), &frag.name);
                if let Some((ff, fp, _)) = self.fragments.get(frag.name.as_str()) {
                    let msg = format!(
                        "fragment `{}` is already declared in {} at {fp}",
                        frag.name,
                        self.files[*ff].path.display()
                    );
                    self.err(fi, format!("{path}.name"), msg);
                } else {
                    self.fragments
                        .insert(&frag.name, (fi, path, frag.complement.as_slice()));
                }
            }
        }
    }

    fn finish_properties(&mut self) -> Vec<ir::Property> {
        let mut out = Vec::new();
        let decls = std::mem::take(&mut self.props);
        for (key, d) in decls {
            let p = d.model;
            if d.used && p.unused {
                self.err(
                    d.file,
                    format!("{}.unused", d.path),
                    format!("property `{key}` is flagged `unused` but an action uses it"),
                );
            }
            if !d.used && !p.unused {
                self.err(
                    d.file,
                    format!("{}.key", d.path),
                    format!("no action uses property `{key}`; flag it `unused: true` if the document lists it all the same"),
                );
            }
            out.push(ir::Property {
                key: key.to_owned(),
                ty: p.ty,
                description: p.description.clone(),
                form: p.form,
                values: p
                    .values
                    .iter()
                    .map(|v| ir::Value {
                        value: v.value.clone(),
                        description: v.description.clone(),
                    })
                    .collect(),
                items: p.items,
                separator: p.separator.clone(),
                max_length: p.max_length,
                pattern: p.pattern.clone(),
                secret: p.secret,
                json: p.json.clone(),
                documents: d.documents,
                notes: p.notes.clone(),
                used: d.used,
                role: p.role,
                deprecated: p.deprecated.clone(),
            });
        }
        out
    }

    /// Resolves modules and actions. A module declared in several files
    /// (an extended catalog) is one module: later files add actions to it, and
    /// replace an action only where they say `override: true`.
    fn modules(&mut self) -> Vec<ir::Module> {
        let mut modules: Vec<ir::Module> = Vec::new();
        // Folded `service \0 name` (and aliases) -> module index and first place.
        let mut module_keys: BTreeMap<String, (usize, String)> = BTreeMap::new();
        // Per module: folded action name or alias -> (action index, place).
        let mut action_keys: Vec<BTreeMap<String, (usize, String)>> = Vec::new();
        for (fi, f) in self.files.iter().enumerate() {
            let document = self.doc_of_file[fi];
            for (mi, m) in f.file.modules.iter().enumerate() {
                let mpath = format!("modules[{mi}]");
                let here = format!("{}:{mpath}", f.path.display());
                self.name(fi, &format!("{mpath}.name"), &m.name);
                if let Some(d) = &m.description {
                    self.text(fi, &format!("{mpath}.description"), d);
                }
                let Some(document) = document else {
                    self.err(
                        fi,
                        &mpath,
                        "modules belong in document files, which cite their document",
                    );
                    continue;
                };
                self.module_service(fi, &mpath, m);
                let service = m.service.clone().unwrap_or_default();
                let fold = |name: &str| format!("{service}\u{0}{}", name.to_lowercase());
                let index = match module_keys.get(&fold(&m.name)) {
                    Some((index, first)) => {
                        let index = *index;
                        let module = &mut modules[index];
                        match &m.description {
                            Some(d) if m.replaces => module.description = d.clone(),
                            Some(d) if *d != module.description => {
                                let msg = format!(
                                    "module `{}` is declared in {first} with another description; leave `description` out to add actions to it, or set `override: true`",
                                    m.name
                                );
                                self.err(fi, format!("{mpath}.description"), msg);
                            }
                            _ => {}
                        }
                        let module = &mut modules[index];
                        if m.replaces {
                            module.notes = m.notes.clone();
                        } else {
                            module.notes.extend(m.notes.iter().cloned());
                        }
                        index
                    }
                    None => {
                        let Some(description) = m.description.clone() else {
                            self.err(
                                fi,
                                &mpath,
                                format!(
                                    "module `{}` needs a `description`: no other file declares it",
                                    m.name
                                ),
                            );
                            continue;
                        };
                        modules.push(ir::Module {
                            name: m.name.clone(),
                            service: m.service.clone(),
                            description,
                            aliases: Vec::new(),
                            notes: m.notes.clone(),
                            document,
                            actions: Vec::new(),
                        });
                        action_keys.push(BTreeMap::new());
                        self.places.push(((fi, mpath.clone()), Vec::new()));
                        module_keys.insert(fold(&m.name), (modules.len() - 1, here.clone()));
                        modules.len() - 1
                    }
                };
                for (i, alias) in m.aliases.iter().enumerate() {
                    match module_keys.get(&fold(alias)) {
                        Some((other, _)) if *other == index => {}
                        Some((_, first)) => {
                            let msg = format!("module alias `{alias}` is already a module name or alias (at {first})");
                            self.err(fi, format!("{mpath}.aliases[{i}]"), msg);
                        }
                        None => {
                            module_keys.insert(fold(alias), (index, here.clone()));
                            modules[index].aliases.push(alias.clone());
                        }
                    }
                }
                if m.actions.is_empty() {
                    self.err(
                        fi,
                        format!("{mpath}.actions"),
                        format!("module `{}` has no actions", m.name),
                    );
                }
                for (ai, a) in m.actions.iter().enumerate() {
                    let apath = format!("{mpath}.actions[{ai}]");
                    let keys = &mut action_keys[index];
                    // An override replaces the action of the same name.
                    let replaced = match keys.get(&a.name.to_lowercase()) {
                        Some((at, _)) if a.replaces => Some(*at),
                        _ => None,
                    };
                    if let Some(at) = replaced {
                        keys.retain(|_, (i, _)| *i != at);
                    } else if a.replaces {
                        let msg = format!(
                            "`override: true`, but module `{}` has no earlier action `{}` to replace",
                            m.name, a.name
                        );
                        self.err(fi, format!("{apath}.name"), msg);
                    }
                    let slot = replaced.unwrap_or(modules[index].actions.len());
                    let names = std::iter::once((
                        format!("{apath}.name"),
                        &a.name,
                        format!("action `{}`", a.name),
                    ));
                    let aliases = a.aliases.iter().enumerate().map(|(i, alias)| {
                        (
                            format!("{apath}.aliases[{i}]"),
                            alias,
                            format!("alias `{alias}` of action `{}`", a.name),
                        )
                    });
                    let mut clash = Vec::new();
                    for (path, name, what) in names.chain(aliases) {
                        let place = format!("{what} at {}:{path}", f.path.display());
                        match action_keys[index].get(&name.to_lowercase()) {
                            Some((_, first)) => clash.push((
                                path,
                                format!(
                                    "module `{}` has two actions named `{name}`: {first} and {what}; names are matched case-insensitively (an extending file sets `override: true` to replace an action)",
                                    m.name
                                ),
                            )),
                            None => {
                                action_keys[index].insert(name.to_lowercase(), (slot, place));
                            }
                        }
                    }
                    for (path, msg) in clash {
                        self.err(fi, path, msg);
                    }
                    if let Some(action) = self.action(fi, &apath, a, document) {
                        let module = &mut modules[index];
                        if slot < module.actions.len() {
                            module.actions[slot] = action;
                            self.places[index].1[slot] = (fi, apath);
                        } else {
                            module.actions.push(action);
                            self.places[index].1.push((fi, apath));
                        }
                    }
                }
            }
        }
        modules
    }

    fn module_service(&mut self, fi: usize, mpath: &str, m: &model::Module) {
        let services = &self.definition.services;
        match &m.service {
            None if !services.is_empty() => {
                let list = services
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                self.err(
                    fi,
                    mpath,
                    format!("module `{}` must name its service (one of: {list})", m.name),
                );
            }
            Some(s) if services.is_empty() => {
                self.err(
                    fi,
                    format!("{mpath}.service"),
                    format!(
                        "source `{}` declares no services, so `service: {s}` is unknown",
                        self.id
                    ),
                );
            }
            Some(s) if !services.iter().any(|d| &d.name == s) => {
                let list = services
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                self.err(
                    fi,
                    format!("{mpath}.service"),
                    format!("unknown service `{s}` (declared: {list})"),
                );
            }
            _ => {}
        }
    }

    fn action(
        &mut self,
        fi: usize,
        apath: &str,
        a: &model::Action,
        document: usize,
    ) -> Option<ir::Action> {
        let errors_before = self.diag.count();
        self.name(fi, &format!("{apath}.name"), &a.name);
        self.text(fi, &format!("{apath}.description"), &a.description);
        for (i, alias) in a.aliases.iter().enumerate() {
            self.name(fi, &format!("{apath}.aliases[{i}]"), alias);
        }
        if let Some(level) = &a.level {
            self.level(fi, &format!("{apath}.level"), level);
        }
        let mut variants = Vec::new();
        match (&a.complement, a.variants.is_empty()) {
            (Some(items), true) => {
                let level = a.level.clone();
                if level.is_none() && !self.definition.levels.is_empty() {
                    self.err(fi, apath, format!("action `{}` needs a `level`", a.name));
                }
                let items = self.items(fi, &format!("{apath}.complement"), items);
                variants.push(ir::Variant {
                    name: None,
                    when: None,
                    level,
                    items,
                    template: a.template.clone(),
                    examples: a.examples.iter().map(example).collect(),
                    counterexamples: self.counterexamples(fi, apath, &a.counterexamples),
                    notes: Vec::new(),
                });
            }
            (None, false) => {
                if a.template.is_some() || !a.examples.is_empty() || !a.counterexamples.is_empty() {
                    self.err(
                        fi,
                        apath,
                        "an action with variants gives `template` and `examples` per variant",
                    );
                }
                let mut seen = Seen::default();
                for (vi, v) in a.variants.iter().enumerate() {
                    let vpath = format!("{apath}.variants[{vi}]");
                    self.name(fi, &format!("{vpath}.name"), &v.name);
                    self.text(fi, &format!("{vpath}.when"), &v.when);
                    if let Some(first) = seen.add(&v.name, &vpath) {
                        self.err(
                            fi,
                            format!("{vpath}.name"),
                            format!("variant `{}` is declared twice (first at {first})", v.name),
                        );
                    }
                    let level = v.level.clone().or_else(|| a.level.clone());
                    match &v.level {
                        Some(l) => self.level(fi, &format!("{vpath}.level"), l),
                        None if level.is_none() && !self.definition.levels.is_empty() => {
                            self.err(
                                fi,
                                &vpath,
                                format!("variant `{}` needs a `level` (or its action one)", v.name),
                            );
                        }
                        None => {}
                    }
                    let items = self.items(fi, &format!("{vpath}.complement"), &v.complement);
                    variants.push(ir::Variant {
                        name: Some(v.name.clone()),
                        when: Some(v.when.clone()),
                        level,
                        items,
                        template: v.template.clone(),
                        examples: v.examples.iter().map(example).collect(),
                        counterexamples: self.counterexamples(fi, &vpath, &v.counterexamples),
                        notes: v.notes.clone(),
                    });
                }
            }
            (Some(_), false) => {
                self.err(
                    fi,
                    format!("{apath}.complement"),
                    "give either `complement` or `variants`, not both",
                );
                return None;
            }
            (None, true) => {
                self.err(
                    fi,
                    apath,
                    format!(
                        "action `{}` has neither `complement` nor `variants`",
                        a.name
                    ),
                );
                return None;
            }
        }
        let mut properties: Vec<String> = Vec::new();
        for v in &variants {
            for key in item_keys(&v.items) {
                if !properties.iter().any(|p| p == key) {
                    properties.push(key.to_owned());
                }
            }
        }
        let rules = self.rules(fi, apath, a, &properties);
        let mut levels: Vec<String> = Vec::new();
        for l in variants.iter().filter_map(|v| v.level.as_ref()) {
            if !levels.contains(l) {
                levels.push(l.clone());
            }
        }
        let action = ir::Action {
            name: a.name.clone(),
            aliases: a.aliases.clone(),
            description: a.description.clone(),
            form: a.form,
            notes: a.notes.clone(),
            document,
            levels,
            variants,
            properties,
            rules,
            deprecated: a.deprecated.clone(),
        };
        // Cases and examples are only judged against a complement that
        // resolved cleanly; otherwise they would repeat its mistakes.
        if self.diag.count() == errors_before {
            variants::check_distinct(self, fi, apath, &action);
            examples::check_action(self, fi, apath, a, &action);
        }
        Some(action)
    }

    /// Counterexamples name a real violation code.
    fn counterexamples(
        &mut self,
        fi: usize,
        path: &str,
        items: &[model::Counterexample],
    ) -> Vec<ir::Counterexample> {
        for (i, c) in items.iter().enumerate() {
            if auditcat::Code::from_name(&c.code).is_none() {
                let codes: Vec<&str> = auditcat::Code::ALL.iter().map(|c| c.as_str()).collect();
                self.err(
                    fi,
                    format!("{path}.counterexamples[{i}].code"),
                    format!(
                        "unknown violation code `{}` (known: {})",
                        c.code,
                        codes.join(", ")
                    ),
                );
            }
        }
        items
            .iter()
            .map(|c| ir::Counterexample {
                text: c.example.clone(),
                code: c.code.clone(),
                note: c.note.clone(),
            })
            .collect()
    }

    fn level(&mut self, fi: usize, path: &str, level: &str) {
        let levels = &self.definition.levels;
        if levels.is_empty() {
            self.err(
                fi,
                path,
                format!(
                    "source `{}` has no levels, so `level: {level}` is unknown",
                    self.id
                ),
            );
        } else if !levels.iter().any(|l| l.name == level) {
            let list = levels
                .iter()
                .map(|l| l.name.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            self.err(
                fi,
                path,
                format!("unknown level `{level}` (declared: {list})"),
            );
        }
    }

    /// Expands fragments and resolves keys; marks properties used.
    fn items(&mut self, fi: usize, path: &str, items: &[model::Item]) -> Vec<ir::Item> {
        let mut out = Vec::new();
        self.expand(fi, path, items, &mut Vec::new(), &mut out);
        let json = self.definition.complement == ComplementFormat::Json;
        let mut seen = Seen::default();
        for (i, item) in out.iter().enumerate() {
            match item {
                ir::Item::Property { key, bare, .. } => {
                    if let Some(first) = seen.add(key, &format!("item {}", i + 1)) {
                        self.err(fi, path, format!("property `{key}` occurs twice in one complement (first as {first})"));
                    }
                    if *bare && (json || out.len() > 1) {
                        self.err(
                            fi,
                            path,
                            format!("`{key}` is `bare`: a value logged without its key can only be a text complement's only item"),
                        );
                    }
                }
                ir::Item::Group { name, min, max, .. } => {
                    if json {
                        self.err(
                            fi,
                            path,
                            format!("group `{name}`: groups exist only in text complements"),
                        );
                    }
                    if max.is_some_and(|m| m < *min || m == 0) {
                        self.err(
                            fi,
                            path,
                            format!("group `{name}`: `max` must be at least 1 and at least `min`"),
                        );
                    }
                }
            }
        }
        if out.is_empty() {
            self.err(fi, path, "the complement has no items");
        }
        out
    }

    fn expand(
        &mut self,
        fi: usize,
        path: &str,
        items: &[model::Item],
        stack: &mut Vec<String>,
        out: &mut Vec<ir::Item>,
    ) {
        for (i, item) in items.iter().enumerate() {
            let ipath = format!("{path}[{i}]");
            match item {
                model::Item::Key(key) => {
                    if self.use_property(fi, &ipath, key) {
                        out.push(ir::Item::Property {
                            key: key.clone(),
                            optional: false,
                            bare: false,
                        });
                    }
                }
                model::Item::Property(p) => {
                    if self.use_property(fi, &format!("{ipath}.property"), &p.property) {
                        out.push(ir::Item::Property {
                            key: p.property.clone(),
                            optional: p.optional,
                            bare: p.bare,
                        });
                    }
                }
                model::Item::Group(g) => {
                    self.name(fi, &format!("{ipath}.group"), &g.group);
                    self.text(fi, &format!("{ipath}.description"), &g.description);
                    if g.properties.is_empty() {
                        self.err(
                            fi,
                            format!("{ipath}.properties"),
                            format!("group `{}` has no properties", g.group),
                        );
                    }
                    let mut ok = true;
                    for (k, key) in g.properties.iter().enumerate() {
                        ok &= self.use_property(fi, &format!("{ipath}.properties[{k}]"), key);
                    }
                    if ok {
                        out.push(ir::Item::Group {
                            name: g.group.clone(),
                            description: g.description.clone(),
                            keys: g.properties.clone(),
                            min: g.min,
                            max: g.max,
                        });
                    }
                }
                model::Item::Fragment(f) => {
                    let name = f.fragment.as_str();
                    if stack.iter().any(|s| s == name) {
                        self.err(
                            fi,
                            &ipath,
                            format!(
                                "fragment `{name}` includes itself ({} -> {name})",
                                stack.join(" -> ")
                            ),
                        );
                        continue;
                    }
                    let Some(&(ff, ref fpath, frag_items)) = self.fragments.get(name) else {
                        let known = self
                            .fragments
                            .keys()
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", ");
                        self.err(
                            fi,
                            format!("{ipath}.fragment"),
                            format!("unknown fragment `{name}` (declared: {known})"),
                        );
                        continue;
                    };
                    let fpath = format!("{fpath}.complement");
                    stack.push(name.to_owned());
                    self.expand(ff, &fpath, frag_items, stack, out);
                    stack.pop();
                }
            }
        }
    }

    fn use_property(&mut self, fi: usize, path: &str, key: &str) -> bool {
        match self.props.get_mut(key) {
            Some(p) => {
                p.used = true;
                true
            }
            None => {
                let hint = self
                    .props
                    .keys()
                    .find(|k| {
                        k.eq_ignore_ascii_case(key) || k.replace(' ', "") == key.replace(' ', "")
                    })
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default();
                self.err(
                    fi,
                    path,
                    format!("unknown property `{key}`{hint}: declare it under `properties`"),
                );
                false
            }
        }
    }

    fn rules(
        &mut self,
        fi: usize,
        apath: &str,
        a: &model::Action,
        properties: &[String],
    ) -> Vec<ir::Rule> {
        let json = self.definition.complement == ComplementFormat::Json;
        if !a.identify.is_empty() && (!json || self.definition.action_field.is_some()) {
            self.err(
                fi,
                format!("{apath}.identify"),
                "`identify` rules belong to JSON sources that have no `action_field`",
            );
        }
        if a.identify.is_empty() && json && self.definition.action_field.is_none() {
            self.err(
                fi,
                apath,
                format!(
                    "action `{}` needs `identify` rules: its source has no `action_field`",
                    a.name
                ),
            );
        }
        let mut out = Vec::new();
        for (ri, r) in a.identify.iter().enumerate() {
            let rpath = format!("{apath}.identify[{ri}]");
            self.name(fi, &format!("{rpath}.action"), &r.action);
            if r.prefix.is_empty() {
                self.err(fi, format!("{rpath}.prefix"), "the message prefix is empty");
            }
            for (key, kpath) in std::iter::once((&r.placeholder, "placeholder"))
                .chain(r.scope.iter().map(|s| (s, "scope")))
            {
                if !properties.contains(key) {
                    self.err(
                        fi,
                        format!("{rpath}.{kpath}"),
                        format!(
                            "`{key}` must be one of the action's complement properties ({})",
                            properties.join(", ")
                        ),
                    );
                }
            }
            out.push(ir::Rule {
                action: r.action.clone(),
                field: r.field,
                prefix: r.prefix.clone(),
                prefix_aliases: r.prefix_aliases.clone(),
                placeholder: r.placeholder.clone(),
                scope: r.scope.clone(),
                operation: r.operation.clone(),
                when: r.when.clone(),
                shared_with: r.shared_with.clone(),
                notes: r.notes.clone(),
            });
        }
        out
    }
}

fn named(n: &model::Named) -> ir::Named {
    ir::Named {
        name: n.name.clone(),
        description: n.description.clone(),
    }
}

fn record_field(f: &model::RecordField) -> ir::RecordField {
    ir::RecordField {
        name: f.name.clone(),
        labels: f.labels.clone(),
        ty: f.ty.clone(),
        description: f.description.clone(),
        optional: f.optional,
        confirmed: f.confirmed,
        role: f.role,
        fields: f.fields.iter().map(record_field).collect(),
    }
}

fn example(e: &model::Example) -> ir::Example {
    match e {
        model::Example::Plain(text) => ir::Example {
            text: text.clone(),
            note: None,
        },
        model::Example::Noted { example, note } => ir::Example {
            text: example.clone(),
            note: Some(note.clone()),
        },
    }
}

/// Every property key of `items`, groups included, in order.
pub(crate) fn item_keys(items: &[ir::Item]) -> impl Iterator<Item = &str> {
    items
        .iter()
        .flat_map(|i| -> Box<dyn Iterator<Item = &str>> {
            match i {
                ir::Item::Property { key, .. } => Box::new(std::iter::once(key.as_str())),
                ir::Item::Group { keys, .. } => Box::new(keys.iter().map(String::as_str)),
            }
        })
}

/// First occurrences of names, for duplicate messages.
#[derive(Default)]
struct Seen {
    first: BTreeMap<String, String>,
}

impl Seen {
    /// Records `name` at `place`; returns the first place if it was seen before.
    fn add(&mut self, name: &str, place: &str) -> Option<String> {
        match self.first.get(name) {
            Some(first) => Some(first.clone()),
            None => {
                self.first.insert(name.to_owned(), place.to_owned());
                None
            }
        }
    }
}

/// Names used by a set, for "did you mean" and listing messages.
pub(crate) fn join<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
        .join(", ")
}
