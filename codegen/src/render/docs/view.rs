//! The view model of the reference: what the templates show, built from the
//! IR. Every string is final Markdown, escaped for the place it goes (`Cell`
//! strings for table cells, `Line` strings for running text), and every link
//! names an anchor handed out by one [`Slugger`] per page, in heading order.

use std::collections::BTreeMap;

use serde::Serialize;

use super::escape::{code, fence, prose, squash, text, Place};
use super::rust_names;
use super::slug::Slugger;
use crate::ir::{self, ComplementFormat, Form, PropertyType};

use Place::{Cell, Line};

// ---------------------------------------------------------------------------
// The index

/// `docs/README.md`.
#[derive(Serialize)]
pub(super) struct Index {
    title: String,
    note: String,
    sources: Vec<IndexRow>,
}

#[derive(Serialize)]
struct IndexRow {
    source: String,
    title: String,
    complement: String,
    modules: usize,
    actions: usize,
    properties: usize,
    rust: String,
}

pub(super) fn index(catalog: &ir::Catalog, note: &str) -> Index {
    Index {
        title: "auditcat reference".to_owned(),
        note: note.to_owned(),
        sources: catalog
            .sources
            .iter()
            .map(|s| IndexRow {
                source: format!("[{}]({}.md)", code(&s.id, Cell), s.id),
                title: prose(&s.title, Cell),
                complement: complement_format(s).to_owned(),
                modules: s.modules.len(),
                actions: s.actions().count(),
                properties: s.properties.len(),
                rust: code(&rust_names(s, None).module, Cell),
            })
            .collect(),
    }
}

fn complement_format(s: &ir::Source) -> &'static str {
    match s.complement {
        ComplementFormat::Text => "text, `key: value` pairs",
        ComplementFormat::Json => "JSON object",
    }
}

// ---------------------------------------------------------------------------
// Anchors

/// Fixed section headings of a source page, as the template writes them.
const RECORD: &str = "Record format";
const SERVICES: &str = "Services";
const LEVELS: &str = "Levels";
const RESULTS: &str = "Results";
const MODULES: &str = "Modules";
const ACTIONS: &str = "Actions";
const RULES: &str = "Identification rules";
const SHARED: &str = "Events that share a rule";
const PROPERTIES: &str = "Properties";
const DOCUMENTS: &str = "Documents";
const NOTES: &str = "Notes";

/// Every anchor of a source page, handed out in the order the template
/// writes the headings.
struct Anchors<'a> {
    record: String,
    modules: String,
    module: Vec<String>,
    actions: String,
    /// By module, then action.
    action: Vec<Vec<String>>,
    /// By module, action, then case; empty for the case of an action without variants.
    case: Vec<Vec<Vec<String>>>,
    /// By action name (and alias, for `shared_with`).
    by_name: BTreeMap<&'a str, String>,
    rules: Option<String>,
    properties: String,
    property: BTreeMap<&'a str, String>,
    documents: String,
    document: Vec<String>,
    notes: Option<String>,
}

impl<'a> Anchors<'a> {
    fn new(s: &'a ir::Source, groups: &[SharedGroup<'a>]) -> Self {
        let mut slugs = Slugger::default();
        let mut h = |t: &str| slugs.anchor(&squash(t));
        h(&s.title);
        let record = h(RECORD);
        for f in &s.record.formats {
            h(&format_heading(f));
        }
        for (heading, present) in [
            (SERVICES, !s.services.is_empty()),
            (LEVELS, !s.levels.is_empty()),
            (RESULTS, !s.results.is_empty()),
        ] {
            if present {
                h(heading);
            }
        }
        let modules = h(MODULES);
        let module = s.modules.iter().map(|m| h(&module_heading(m))).collect();
        let actions = h(ACTIONS);
        let mut by_name = BTreeMap::new();
        let mut action = Vec::new();
        let mut case = Vec::new();
        for m in &s.modules {
            let mut anchors = Vec::new();
            let mut cases = Vec::new();
            for a in &m.actions {
                let anchor = h(&a.name);
                for name in std::iter::once(&a.name).chain(&a.aliases) {
                    by_name.insert(name.as_str(), anchor.clone());
                }
                anchors.push(anchor);
                cases.push(
                    a.variants
                        .iter()
                        .map(|v| match &v.name {
                            Some(name) => h(&case_heading(name)),
                            None => String::new(),
                        })
                        .collect(),
                );
            }
            action.push(anchors);
            case.push(cases);
        }
        let has_rules = s.actions().any(|(_, a)| !a.rules.is_empty());
        let rules = has_rules.then(|| h(RULES));
        if has_rules && !groups.is_empty() {
            h(SHARED);
        }
        let properties = h(PROPERTIES);
        let property = s
            .properties
            .iter()
            .map(|p| (p.key.as_str(), h(&p.key)))
            .collect();
        let documents = h(DOCUMENTS);
        let document = s.documents.iter().map(|d| h(&d.title)).collect();
        let notes = (!s.notes.is_empty()).then(|| h(NOTES));
        Anchors {
            record,
            modules,
            module,
            actions,
            action,
            case,
            by_name,
            rules,
            properties,
            property,
            documents,
            document,
            notes,
        }
    }

    /// A link to a property's glossary entry, its key as code.
    fn property(&self, key: &str, place: Place) -> String {
        match self.property.get(key) {
            Some(anchor) => link(&code(key, place), anchor),
            None => code(key, place),
        }
    }

    /// A link to an action's section, its name as code.
    fn action(&self, name: &str, place: Place) -> String {
        match self.by_name.get(name) {
            Some(anchor) => link(&code(name, place), anchor),
            None => code(name, place),
        }
    }

    /// A link to a document's entry, by its title.
    fn document(&self, s: &ir::Source, index: usize) -> String {
        link(&text(&s.documents[index].title), &self.document[index])
    }
}

fn link(label: &str, anchor: &str) -> String {
    format!("[{label}](#{anchor})")
}

fn format_heading(f: &ir::RecordFormat) -> String {
    format!("Format: {}", f.name)
}

fn module_heading(m: &ir::Module) -> String {
    match &m.service {
        Some(service) => format!("{} ({service})", m.name),
        None => m.name.clone(),
    }
}

fn case_heading(name: &str) -> String {
    format!("Case: {name}")
}

// ---------------------------------------------------------------------------
// A source page

/// `docs/<source id>.md`.
#[derive(Serialize)]
pub(super) struct SourcePage {
    title: String,
    note: String,
    id: String,
    description: String,
    complement: String,
    rust_module: String,
    rust_entry: Option<String>,
    contents: Vec<String>,
    record: RecordView,
    modules: Vec<ModuleView>,
    has_levels: bool,
    actions: Vec<ActionView>,
    rules: Option<RulesView>,
    properties: Vec<PropertyView>,
    property_rows: Vec<PropertyRow>,
    documents: Vec<DocumentView>,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct RecordView {
    description: String,
    formats: Vec<FormatView>,
    services: Vec<NamedRow>,
    levels: Vec<LevelRow>,
    results: Vec<NamedRow>,
}

#[derive(Serialize)]
struct FormatView {
    heading: String,
    description: String,
    /// Whether any field has labels (the column is left out otherwise).
    labels: bool,
    fields: Vec<FieldRow>,
}

#[derive(Serialize)]
struct FieldRow {
    name: String,
    labels: String,
    ty: String,
    presence: &'static str,
    confirmed: &'static str,
    meaning: String,
}

#[derive(Serialize)]
struct NamedRow {
    name: String,
    meaning: String,
}

#[derive(Serialize)]
struct LevelRow {
    name: String,
    labels: String,
    meaning: String,
}

#[derive(Serialize)]
struct ModuleView {
    heading: String,
    name: String,
    service: Option<String>,
    description: String,
    aliases: Option<String>,
    document: String,
    notes: Vec<String>,
    actions: Vec<ModuleActionRow>,
}

#[derive(Serialize)]
struct ModuleActionRow {
    action: String,
    levels: String,
    when: String,
}

#[derive(Serialize)]
struct ActionView {
    heading: String,
    description: String,
    name_label: &'static str,
    name: String,
    aliases: Option<String>,
    module: String,
    service: Option<String>,
    level: Option<String>,
    form: &'static str,
    document: String,
    rust_type: String,
    rust_parse: Option<String>,
    rust_event: String,
    notes: Vec<String>,
    complement: Vec<ComplementRow>,
    rules: Vec<RuleRow>,
    cases: Vec<CaseView>,
}

#[derive(Serialize)]
struct ComplementRow {
    key: String,
    ty: String,
    presence: String,
    meaning: String,
    allowed: String,
}

#[derive(Serialize)]
struct CaseView {
    heading: Option<String>,
    when: Option<String>,
    level: Option<String>,
    items_label: &'static str,
    items: Vec<String>,
    template: Option<String>,
    examples: String,
    example_notes: Vec<String>,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct RulesView {
    rows: Vec<RuleRow>,
    shared: Vec<SharedRow>,
}

#[derive(Serialize)]
struct RuleRow {
    event: String,
    verb: String,
    field: String,
    prefix: String,
    placeholder: String,
    scope: String,
    operation: String,
    when: String,
    shared_with: String,
    notes: String,
}

#[derive(Serialize)]
struct SharedRow {
    verb: String,
    field: String,
    prefix: String,
    events: String,
    apart: String,
}

#[derive(Serialize)]
struct PropertyView {
    heading: String,
    description: String,
    key: String,
    ty: String,
    form: &'static str,
    allowed: String,
    used_by: Option<String>,
    documents: String,
    notes: Vec<String>,
    values: Vec<NamedRow>,
}

#[derive(Serialize)]
struct PropertyRow {
    key: String,
    ty: String,
    form: &'static str,
    used_by: String,
    meaning: String,
}

#[derive(Serialize)]
struct DocumentView {
    heading: String,
    file: String,
    article: Option<String>,
    vendor: String,
    catalog_file: String,
    modules: String,
    notes: Vec<String>,
}

pub(super) fn source(s: &ir::Source, note: &str) -> SourcePage {
    let groups = shared_groups(s);
    let anchors = Anchors::new(s, &groups);
    let names = rust_names(s, None);
    let mut contents = vec![link(RECORD, &anchors.record)];
    contents.push(link(MODULES, &anchors.modules));
    contents.push(link(ACTIONS, &anchors.actions));
    if let Some(a) = &anchors.rules {
        contents.push(link(RULES, a));
    }
    contents.push(link(PROPERTIES, &anchors.properties));
    contents.push(link(DOCUMENTS, &anchors.documents));
    if let Some(a) = &anchors.notes {
        contents.push(link(NOTES, a));
    }
    SourcePage {
        title: text(&s.title),
        note: note.to_owned(),
        id: code(&s.id, Line),
        description: prose(&s.description, Line),
        complement: complement_format(s).to_owned(),
        rust_module: code(&names.module, Line),
        rust_entry: names.entry.as_deref().map(|e| code(e, Line)),
        contents,
        record: record(s),
        modules: s
            .modules
            .iter()
            .enumerate()
            .map(|(mi, m)| module(s, &anchors, mi, m))
            .collect(),
        has_levels: !s.levels.is_empty(),
        actions: s
            .modules
            .iter()
            .enumerate()
            .flat_map(|(mi, m)| {
                let anchors = &anchors;
                m.actions
                    .iter()
                    .enumerate()
                    .map(move |(ai, a)| action(s, anchors, mi, ai, m, a))
            })
            .collect(),
        rules: anchors.rules.as_ref().map(|_| RulesView {
            rows: s
                .actions()
                .flat_map(|(_, a)| a.rules.iter().map(move |r| (a, r)))
                .map(|(a, r)| rule_row(&anchors, a, r))
                .collect(),
            shared: groups.iter().map(|g| shared_row(&anchors, g)).collect(),
        }),
        properties: s
            .properties
            .iter()
            .map(|p| property(s, &anchors, p))
            .collect(),
        property_rows: s
            .properties
            .iter()
            .map(|p| PropertyRow {
                key: anchors.property(&p.key, Cell),
                ty: text(p.ty.as_str()),
                form: p.form.as_str(),
                used_by: match users(s, &p.key).count() {
                    0 => "unused".to_owned(),
                    1 => "1 action".to_owned(),
                    n => format!("{n} actions"),
                },
                meaning: prose(&p.description, Cell),
            })
            .collect(),
        documents: s
            .documents
            .iter()
            .enumerate()
            .map(|(di, d)| DocumentView {
                heading: text(&d.title),
                file: code(&d.file, Line),
                article: d.article.as_deref().map(text),
                vendor: text(&d.vendor),
                catalog_file: code(&d.catalog_file, Line),
                modules: join(
                    s.modules
                        .iter()
                        .enumerate()
                        .filter(|(_, m)| m.document == di)
                        .map(|(mi, m)| link(&text(&module_heading(m)), &anchors.module[mi])),
                    "none",
                ),
                notes: d.notes.iter().map(|n| prose(n, Line)).collect(),
            })
            .collect(),
        notes: s.notes.iter().map(|n| prose(n, Line)).collect(),
    }
}

/// `items` joined by `, `, or `none` when there are none.
fn join(items: impl IntoIterator<Item = String>, none: &str) -> String {
    join_or(items, ", ", none)
}

/// `items` joined by `sep`, or `none` when there are none.
fn join_or(items: impl IntoIterator<Item = String>, sep: &str, none: &str) -> String {
    let items: Vec<String> = items.into_iter().collect();
    if items.is_empty() {
        none.to_owned()
    } else {
        items.join(sep)
    }
}

/// The actions that use property `key`.
fn users<'a>(s: &'a ir::Source, key: &'a str) -> impl Iterator<Item = &'a ir::Action> {
    s.actions()
        .map(|(_, a)| a)
        .filter(move |a| a.properties.iter().any(|k| k == key))
}

fn record(s: &ir::Source) -> RecordView {
    RecordView {
        description: prose(&s.record.description, Line),
        formats: s
            .record
            .formats
            .iter()
            .map(|f| {
                let mut fields = Vec::new();
                record_fields(&f.fields, "", &mut fields);
                FormatView {
                    heading: text(&format_heading(f)),
                    description: prose(&f.description, Line),
                    labels: has_labels(&f.fields),
                    fields,
                }
            })
            .collect(),
        services: s
            .services
            .iter()
            .map(|n| NamedRow {
                name: code(&n.name, Cell),
                meaning: prose(&n.description, Cell),
            })
            .collect(),
        levels: s
            .levels
            .iter()
            .map(|l| LevelRow {
                name: code(&l.name, Cell),
                labels: join(l.labels.iter().map(|x| code(x, Cell)), "none"),
                meaning: prose(&l.description, Cell),
            })
            .collect(),
        results: s
            .results
            .iter()
            .map(|n| NamedRow {
                name: code(&n.name, Cell),
                meaning: prose(&n.description, Cell),
            })
            .collect(),
    }
}

fn has_labels(fields: &[ir::RecordField]) -> bool {
    fields
        .iter()
        .any(|f| !f.labels.is_empty() || has_labels(&f.fields))
}

/// Record fields, nested ones named by their path (`message.data`).
fn record_fields(fields: &[ir::RecordField], parent: &str, out: &mut Vec<FieldRow>) {
    for f in fields {
        let path = if parent.is_empty() {
            f.name.clone()
        } else {
            format!("{parent}.{}", f.name)
        };
        out.push(FieldRow {
            name: code(&path, Cell),
            labels: join(f.labels.iter().map(|x| code(x, Cell)), "none"),
            ty: text(&f.ty),
            presence: if f.optional { "optional" } else { "required" },
            confirmed: if f.confirmed { "yes" } else { "no" },
            meaning: prose(&f.description, Cell),
        });
        record_fields(&f.fields, &path, out);
    }
}

/// A level as logged, with its other labels: `Notice` (`重要`).
fn level_label(s: &ir::Source, name: &str, place: Place) -> String {
    let labels = s
        .levels
        .iter()
        .find(|l| l.name == name)
        .map(|l| l.labels.as_slice())
        .unwrap_or_default();
    if labels.is_empty() {
        code(name, place)
    } else {
        let labels: Vec<String> = labels.iter().map(|l| code(l, place)).collect();
        format!("{} ({})", code(name, place), labels.join(", "))
    }
}

fn module(s: &ir::Source, anchors: &Anchors<'_>, mi: usize, m: &ir::Module) -> ModuleView {
    ModuleView {
        heading: text(&module_heading(m)),
        name: code(&m.name, Line),
        service: m.service.as_deref().map(|x| code(x, Line)),
        description: prose(&m.description, Line),
        aliases: (!m.aliases.is_empty())
            .then(|| join(m.aliases.iter().map(|x| code(x, Line)), "none")),
        document: anchors.document(s, m.document),
        notes: m.notes.iter().map(|n| prose(n, Line)).collect(),
        actions: m
            .actions
            .iter()
            .enumerate()
            .map(|(ai, a)| ModuleActionRow {
                action: link(&code(&a.name, Cell), &anchors.action[mi][ai]),
                levels: join(a.levels.iter().map(|l| level_label(s, l, Cell)), "none"),
                when: prose(&a.description, Cell),
            })
            .collect(),
    }
}

fn action(
    s: &ir::Source,
    anchors: &Anchors<'_>,
    mi: usize,
    ai: usize,
    m: &ir::Module,
    a: &ir::Action,
) -> ActionView {
    let names = rust_names(s, Some(a))
        .action
        .expect("names of an action were asked for");
    let doc = &s.documents[a.document];
    let mut document = anchors.document(s, a.document);
    document.push_str(&format!(", {}", code(&doc.file, Line)));
    if let Some(article) = &doc.article {
        document.push_str(&format!(", article {}", text(article)));
    }
    let case_anchors = &anchors.case[mi][ai];
    ActionView {
        heading: text(&a.name),
        description: prose(&a.description, Line),
        name_label: if s.action_field.is_none() && !a.rules.is_empty() {
            "Named (records carry no name; the rules below identify the event)"
        } else {
            "Logged as"
        },
        name: match &s.action_field {
            Some(field) => code(
                &format!("{}: {}", json_literal(field), json_literal(&a.name)),
                Line,
            ),
            None => code(&a.name, Line),
        },
        aliases: (!a.aliases.is_empty())
            .then(|| join(a.aliases.iter().map(|x| code(x, Line)), "none")),
        module: link(&code(&m.name, Line), &anchors.module[mi]),
        service: m.service.as_deref().map(|x| code(x, Line)),
        level: action_level(s, a, case_anchors),
        form: match a.form {
            Form::Documented => "documented: the document shows how the complement is logged",
            Form::Inferred => {
                "inferred: the document describes the complement in prose only, so its keys are the catalog's best guess"
            }
        },
        document,
        rust_type: code(&names.ty, Line),
        rust_parse: names.parse.as_deref().map(|p| code(p, Line)),
        rust_event: code(&names.event, Line),
        notes: with_deprecation(&a.deprecated, &a.notes),
        complement: a
            .properties
            .iter()
            .map(|key| complement_row(s, anchors, a, key))
            .collect(),
        rules: a.rules.iter().map(|r| rule_row(anchors, a, r)).collect(),
        cases: a.variants.iter().map(|v| case(s, anchors, v)).collect(),
    }
}

/// The level of an action: one level, or the cases of each level.
fn action_level(s: &ir::Source, a: &ir::Action, case_anchors: &[String]) -> Option<String> {
    if s.levels.is_empty() || a.levels.is_empty() {
        return None;
    }
    if a.levels.len() == 1 {
        let all = if a.has_variants() {
            " in every case"
        } else {
            ""
        };
        return Some(format!("{}{all}", level_label(s, &a.levels[0], Line)));
    }
    let parts: Vec<String> = a
        .levels
        .iter()
        .map(|level| {
            let cases: Vec<String> = a
                .variants
                .iter()
                .zip(case_anchors)
                .filter(|(v, _)| v.level.as_deref() == Some(level.as_str()))
                .map(|(v, anchor)| link(&text(v.name.as_deref().unwrap_or_default()), anchor))
                .collect();
            format!("{} in {}", level_label(s, level, Line), cases.join(", "))
        })
        .collect();
    Some(parts.join("; "))
}

/// How property `key` occurs in one case: `None` when it does not.
fn presence_in(v: &ir::Variant, key: &str) -> Option<String> {
    let mut parts = Vec::new();
    for item in &v.items {
        match item {
            ir::Item::Property {
                key: k,
                optional,
                bare,
            } if k == key => {
                let mut p = if *optional { "optional" } else { "required" }.to_owned();
                if *bare {
                    p.push_str(", logged bare (without its key)");
                }
                parts.push(p);
            }
            ir::Item::Group {
                name,
                keys,
                min,
                max,
                ..
            } if keys.iter().any(|k| k == key) => {
                parts.push(format!(
                    "in each group {} ({})",
                    code(name, Cell),
                    repeat(*min, *max)
                ));
            }
            _ => {}
        }
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// How often a group repeats.
fn repeat(min: usize, max: Option<usize>) -> String {
    match max {
        None => format!("{min} or more times"),
        Some(max) if max == min => format!("exactly {min} times"),
        Some(max) => format!("{min} to {max} times"),
    }
}

fn complement_row(
    s: &ir::Source,
    anchors: &Anchors<'_>,
    a: &ir::Action,
    key: &str,
) -> ComplementRow {
    let p = s.property(key);
    let per_case: Vec<Option<String>> = a.variants.iter().map(|v| presence_in(v, key)).collect();
    let presence = if per_case.iter().all(|x| *x == per_case[0]) {
        per_case[0].clone().unwrap_or_else(|| "absent".to_owned())
    } else {
        // Group the cases by how the key occurs, in case order.
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for (v, how) in a.variants.iter().zip(&per_case) {
            let Some(how) = how else { continue };
            let name = format!("\"{}\"", text(v.name.as_deref().unwrap_or_default()));
            match groups.iter_mut().find(|(h, _)| h == how) {
                Some((_, names)) => names.push(name),
                None => groups.push((how.clone(), vec![name])),
            }
        }
        let mut parts: Vec<String> = groups
            .into_iter()
            .map(|(how, names)| {
                let cases = if names.len() == 1 { "case" } else { "cases" };
                format!("{how} in {cases} {}", names.join(", "))
            })
            .collect();
        if per_case.iter().any(Option::is_none) {
            parts.push("absent otherwise".to_owned());
        }
        parts.join("; ")
    };
    ComplementRow {
        key: anchors.property(key, Cell),
        ty: p.map(|p| text(p.ty.as_str())).unwrap_or_default(),
        presence,
        meaning: p.map(|p| prose(&p.description, Cell)).unwrap_or_default(),
        allowed: p.map(|p| allowed(p, Cell)).unwrap_or_default(),
    }
}

/// What values a property accepts, in words.
fn allowed(p: &ir::Property, place: Place) -> String {
    let mut parts = vec![match p.ty {
        PropertyType::Id => "decimal digits".to_owned(),
        PropertyType::Code => "an identifier without white space".to_owned(),
        PropertyType::Text => "any text".to_owned(),
        PropertyType::Bool => format!("{} or {}", code("true", place), code("false", place)),
        PropertyType::Enum => {
            let values: Vec<String> = p.values.iter().map(|v| code(&v.value, place)).collect();
            format!("one of {}", values.join(", "))
        }
        PropertyType::Url => "an absolute URL".to_owned(),
        PropertyType::Filename => "a file name".to_owned(),
        PropertyType::List => format!(
            "a list of {} items separated by {}",
            text(p.items.unwrap_or(PropertyType::Text).as_str()),
            code(p.separator.as_deref().unwrap_or(","), place)
        ),
        PropertyType::Timestamp => "Unix seconds".to_owned(),
        PropertyType::Integer => "an integer".to_owned(),
    }];
    if let Some(pattern) = &p.pattern {
        parts.push(format!("matching {}", code(pattern, place)));
    }
    if let Some(max) = p.max_length {
        parts.push(format!("at most {max} characters"));
    }
    if p.secret {
        parts.push("a secret: a longer value is a leak".to_owned());
    }
    if !p.json.is_empty() {
        let forms: Vec<&str> = p.json.iter().map(|j| j.as_str()).collect();
        parts.push(format!("as JSON {}", forms.join(" or ")));
    }
    parts.join("; ")
}

fn case(s: &ir::Source, anchors: &Anchors<'_>, v: &ir::Variant) -> CaseView {
    let items = v
        .items
        .iter()
        .map(|item| match item {
            ir::Item::Property {
                key,
                optional,
                bare,
            } => {
                let mut out = anchors.property(key, Line);
                if *optional {
                    out.push_str(" (optional)");
                }
                if *bare {
                    out.push_str(" (logged bare, without its key)");
                }
                out
            }
            ir::Item::Group {
                name,
                description,
                keys,
                min,
                max,
            } => {
                let keys: Vec<String> = keys.iter().map(|k| anchors.property(k, Line)).collect();
                format!(
                    "group {}, {}, each in parentheses: {}; {}",
                    code(name, Line),
                    repeat(*min, *max),
                    keys.join(", "),
                    prose(description, Line)
                )
            }
        })
        .collect();
    let numbered = v.examples.len() > 1;
    CaseView {
        heading: v.name.as_deref().map(|n| text(&case_heading(n))),
        when: v.when.as_deref().map(|w| prose(w, Line)),
        // The level of an action without cases is among its facts already.
        level: v
            .level
            .as_deref()
            .filter(|_| v.name.is_some() && !s.levels.is_empty())
            .map(|l| level_label(s, l, Line)),
        items_label: match s.complement {
            ComplementFormat::Text => "Complement items, in log order",
            ComplementFormat::Json => "Fields",
        },
        items,
        template: v.template.as_deref().map(|t| code(t, Line)),
        examples: fence(
            &v.examples
                .iter()
                .map(|e| e.text.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            match s.complement {
                ComplementFormat::Text => "text",
                ComplementFormat::Json => "json",
            },
        ),
        example_notes: v
            .examples
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let note = prose(e.note.as_deref()?, Line);
                Some(if numbered {
                    format!("Example {}: {note}", i + 1)
                } else {
                    format!("About the example: {note}")
                })
            })
            .collect(),
        notes: v.notes.iter().map(|n| prose(n, Line)).collect(),
    }
}

// ---------------------------------------------------------------------------
// Identification rules

fn rule_row(anchors: &Anchors<'_>, a: &ir::Action, r: &ir::Rule) -> RuleRow {
    let mut prefix = json_string(&r.prefix);
    if !r.prefix_aliases.is_empty() {
        let aliases: Vec<String> = r.prefix_aliases.iter().map(|p| json_string(p)).collect();
        prefix.push_str(&format!(" (also written {})", aliases.join(", ")));
    }
    RuleRow {
        event: anchors.action(&a.name, Cell),
        verb: code(&r.action, Cell),
        field: code(r.field.as_str(), Cell),
        prefix,
        placeholder: anchors.property(&r.placeholder, Cell),
        scope: r
            .scope
            .as_deref()
            .map_or_else(|| "none given".to_owned(), |x| anchors.property(x, Cell)),
        operation: r
            .operation
            .as_deref()
            .map_or_else(|| "none".to_owned(), |x| code(x, Cell)),
        when: r
            .when
            .as_deref()
            .map_or_else(|| "always".to_owned(), |x| prose(x, Cell)),
        shared_with: join(
            r.shared_with.iter().map(|x| anchors.action(x, Cell)),
            "none",
        ),
        notes: join_or(r.notes.iter().map(|n| prose(n, Cell)), " ", "none"),
    }
}

/// A string as a JSON literal in a code span, so that spaces at its ends show.
fn json_string(s: &str) -> String {
    code(&json_literal(s), Cell)
}

fn json_literal(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// Events that one record could be: an event and the `shared_with` of one of
/// its rules, with the rule each member identifies it by.
struct SharedGroup<'a> {
    members: Vec<(&'a ir::Action, &'a ir::Rule)>,
}

fn shared_groups(s: &ir::Source) -> Vec<SharedGroup<'_>> {
    let order: Vec<&ir::Action> = s.actions().map(|(_, a)| a).collect();
    let position = |name: &str| order.iter().position(|a| a.name == name);
    // The set of events of a rule, as sorted positions.
    let set = |a: &ir::Action, r: &ir::Rule| -> Vec<usize> {
        let mut set: Vec<usize> = std::iter::once(a.name.as_str())
            .chain(r.shared_with.iter().map(String::as_str))
            .filter_map(position)
            .collect();
        set.sort_unstable();
        set.dedup();
        set
    };
    let mut seen: Vec<Vec<usize>> = Vec::new();
    let mut groups = Vec::new();
    for a in &order {
        for r in a.rules.iter().filter(|r| !r.shared_with.is_empty()) {
            let key = set(a, r);
            if seen.contains(&key) {
                continue;
            }
            let members = key
                .iter()
                .filter_map(|&i| {
                    let m = order[i];
                    m.rules
                        .iter()
                        .find(|mr| set(m, mr) == key)
                        .or_else(|| m.rules.first())
                        .map(|mr| (m, mr))
                })
                .collect();
            seen.push(key);
            groups.push(SharedGroup { members });
        }
    }
    groups
}

fn shared_row(anchors: &Anchors<'_>, g: &SharedGroup<'_>) -> SharedRow {
    let (_, first) = g.members[0];
    let events: Vec<String> = g
        .members
        .iter()
        .map(|(a, _)| anchors.action(&a.name, Cell))
        .collect();
    let scopes: Vec<Option<&str>> = g.members.iter().map(|(_, r)| r.scope.as_deref()).collect();
    let operations: Vec<Option<&str>> = g
        .members
        .iter()
        .map(|(_, r)| r.operation.as_deref())
        .collect();
    let mut apart = Vec::new();
    for (what, values) in [("scope", &scopes), ("operation", &operations)] {
        if values.iter().any(|v| *v != values[0]) {
            let shown: Vec<String> = g
                .members
                .iter()
                .zip(values.iter())
                .map(|((a, _), v)| {
                    format!(
                        "{} for {}",
                        v.map_or_else(|| "none given".to_owned(), |v| code(v, Cell)),
                        anchors.action(&a.name, Cell)
                    )
                })
                .collect();
            apart.push(format!("{what}: {}", shown.join(", ")));
        }
    }
    if apart.is_empty() {
        apart.push("nothing in the record".to_owned());
    }
    let whens: Vec<String> = g
        .members
        .iter()
        .filter_map(|(a, r)| {
            let when = r.when.as_deref()?;
            Some(format!(
                "{}: {}",
                anchors.action(&a.name, Cell),
                prose(when, Cell)
            ))
        })
        .collect();
    if !whens.is_empty() {
        apart.push(format!("the document says when: {}", whens.join(" ")));
    }
    SharedRow {
        verb: code(&first.action, Cell),
        field: code(first.field.as_str(), Cell),
        prefix: json_string(&first.prefix),
        events: events.join(", "),
        apart: apart.join("; "),
    }
}

// ---------------------------------------------------------------------------
// The glossary

fn property(s: &ir::Source, anchors: &Anchors<'_>, p: &ir::Property) -> PropertyView {
    let users: Vec<String> = users(s, &p.key)
        .map(|a| anchors.action(&a.name, Line))
        .collect();
    PropertyView {
        heading: text(&p.key),
        description: prose(&p.description, Line),
        key: code(&p.key, Line),
        ty: match (p.ty, p.items) {
            (PropertyType::List, Some(items)) => {
                format!("{} of {}", p.ty.as_str(), items.as_str())
            }
            _ => p.ty.as_str().to_owned(),
        },
        form: match p.form {
            Form::Documented => "documented: a template or example of the document shows the key",
            Form::Inferred => {
                "inferred: the document describes it in prose only, so the key is the catalog's best guess"
            }
        },
        allowed: allowed(p, Line),
        used_by: (!users.is_empty()).then(|| users.join(", ")),
        documents: join(p.documents.iter().map(|&d| anchors.document(s, d)), "none"),
        notes: with_deprecation(&p.deprecated, &p.notes),
        values: p
            .values
            .iter()
            .map(|v| NamedRow {
                name: code(&v.value, Cell),
                meaning: prose(&v.description, Cell),
            })
            .collect(),
    }
}

/// Notes, led by the deprecation when there is one.
fn with_deprecation(d: &Option<ir::Deprecation>, notes: &[String]) -> Vec<String> {
    let deprecation = d.as_ref().map(|d| {
        prose(
            &format!("Deprecated since {}: {}", d.since, d.message),
            Line,
        )
    });
    deprecation
        .into_iter()
        .chain(notes.iter().map(|n| prose(n, Line)))
        .collect()
}
