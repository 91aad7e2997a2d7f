//! `catalog.json`: the flat export that other tools read.
//!
//! Its shape is a contract: names exactly as the documents write them, keys in
//! a fixed order (struct order), two-space indentation, a final newline.
//! Every action lists its cases under `variants`; an action without cases has
//! one whose `name` is `null`.

use serde::Serialize;

use crate::ir::{self, ComplementFormat, PropertyType};

/// Renders the export.
pub fn render(catalog: &ir::Catalog) -> String {
    let export = Export {
        format: 1,
        sources: catalog.sources.iter().map(source).collect(),
    };
    let mut text = serde_json::to_string_pretty(&export).expect("the export is plain data");
    text.push('\n');
    text
}

#[derive(Serialize)]
struct Export<'a> {
    format: u32,
    sources: Vec<Source<'a>>,
}

#[derive(Serialize)]
struct Source<'a> {
    id: &'a str,
    title: &'a str,
    version: Option<&'a str>,
    description: &'a str,
    complement: &'static str,
    action_field: Option<&'a str>,
    services: Vec<Named<'a>>,
    levels: Vec<Level<'a>>,
    results: Vec<Named<'a>>,
    record: Record<'a>,
    documents: Vec<Document<'a>>,
    notes: &'a [String],
    properties: Vec<Property<'a>>,
    modules: Vec<Module<'a>>,
}

#[derive(Serialize)]
struct Named<'a> {
    name: &'a str,
    description: &'a str,
}

#[derive(Serialize)]
struct Level<'a> {
    name: &'a str,
    labels: &'a [String],
    description: &'a str,
}

#[derive(Serialize)]
struct Record<'a> {
    description: &'a str,
    formats: Vec<RecordFormat<'a>>,
}

#[derive(Serialize)]
struct RecordFormat<'a> {
    name: &'a str,
    description: &'a str,
    fields: Vec<RecordField<'a>>,
}

#[derive(Serialize)]
struct RecordField<'a> {
    name: &'a str,
    labels: &'a [String],
    #[serde(rename = "type")]
    ty: &'a str,
    description: &'a str,
    optional: bool,
    confirmed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<RecordField<'a>>,
}

#[derive(Serialize)]
struct Document<'a> {
    file: &'a str,
    article: Option<&'a str>,
    title: &'a str,
    vendor: &'a str,
    catalog_file: &'a str,
    notes: &'a [String],
}

#[derive(Serialize)]
struct Property<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    ty: &'static str,
    description: &'a str,
    values: Vec<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    separator: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pattern: Option<&'a str>,
    secret: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    json: Vec<&'static str>,
    used: bool,
    used_by: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    provenance: PropertyProvenance<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deprecated: Option<Deprecated<'a>>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct Deprecated<'a> {
    since: &'a str,
    message: &'a str,
}

fn deprecated(d: &Option<ir::Deprecation>) -> Option<Deprecated<'_>> {
    d.as_ref().map(|d| Deprecated {
        since: &d.since,
        message: &d.message,
    })
}

#[derive(Serialize)]
struct PropertyProvenance<'a> {
    documents: Vec<&'a str>,
    form: &'static str,
}

#[derive(Serialize)]
struct Module<'a> {
    name: &'a str,
    service: Option<&'a str>,
    description: &'a str,
    aliases: &'a [String],
    notes: &'a [String],
    actions: Vec<Action<'a>>,
}

#[derive(Serialize)]
struct Action<'a> {
    name: &'a str,
    aliases: &'a [String],
    description: &'a str,
    levels: &'a [String],
    properties: &'a [String],
    variants: Vec<Variant<'a>>,
    examples: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rules: Vec<Rule<'a>>,
    provenance: Provenance<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deprecated: Option<Deprecated<'a>>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct Provenance<'a> {
    document: &'a str,
    article: Option<&'a str>,
    title: &'a str,
    form: &'static str,
}

#[derive(Serialize)]
struct Variant<'a> {
    name: Option<&'a str>,
    when: Option<&'a str>,
    level: Option<&'a str>,
    complement: Vec<Item<'a>>,
    template: Option<&'a str>,
    examples: Vec<Example<'a>>,
    counterexamples: Vec<Counterexample<'a>>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct Counterexample<'a> {
    example: &'a str,
    code: &'a str,
    note: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Item<'a> {
    Property {
        property: &'a str,
        optional: bool,
        bare: bool,
    },
    Group {
        group: &'a str,
        description: &'a str,
        properties: &'a [String],
        min: usize,
        max: Option<usize>,
    },
}

#[derive(Serialize)]
struct Example<'a> {
    example: &'a str,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct Rule<'a> {
    action: &'a str,
    field: &'static str,
    prefix: &'a str,
    prefix_aliases: &'a [String],
    placeholder: &'a str,
    scope: Option<&'a str>,
    operation: Option<&'a str>,
    when: Option<&'a str>,
    shared_with: &'a [String],
    notes: &'a [String],
}

fn source(s: &ir::Source) -> Source<'_> {
    Source {
        id: &s.id,
        title: &s.title,
        version: s.version.as_deref(),
        description: &s.description,
        complement: match s.complement {
            ComplementFormat::Text => "text",
            ComplementFormat::Json => "json",
        },
        action_field: s.action_field.as_deref(),
        services: s.services.iter().map(named).collect(),
        levels: s
            .levels
            .iter()
            .map(|l| Level {
                name: &l.name,
                labels: &l.labels,
                description: &l.description,
            })
            .collect(),
        results: s.results.iter().map(named).collect(),
        record: Record {
            description: &s.record.description,
            formats: s
                .record
                .formats
                .iter()
                .map(|f| RecordFormat {
                    name: &f.name,
                    description: &f.description,
                    fields: f.fields.iter().map(record_field).collect(),
                })
                .collect(),
        },
        documents: s
            .documents
            .iter()
            .map(|d| Document {
                file: &d.file,
                article: d.article.as_deref(),
                title: &d.title,
                vendor: &d.vendor,
                catalog_file: &d.catalog_file,
                notes: &d.notes,
            })
            .collect(),
        notes: &s.notes,
        properties: s.properties.iter().map(|p| property(s, p)).collect(),
        modules: s.modules.iter().map(|m| module(s, m)).collect(),
    }
}

fn named(n: &ir::Named) -> Named<'_> {
    Named {
        name: &n.name,
        description: &n.description,
    }
}

fn record_field(f: &ir::RecordField) -> RecordField<'_> {
    RecordField {
        name: &f.name,
        labels: &f.labels,
        ty: &f.ty,
        description: &f.description,
        optional: f.optional,
        confirmed: f.confirmed,
        role: f.role.map(|r| r.as_str().to_owned()),
        fields: f.fields.iter().map(record_field).collect(),
    }
}

fn property<'a>(s: &'a ir::Source, p: &'a ir::Property) -> Property<'a> {
    Property {
        name: &p.key,
        ty: p.ty.as_str(),
        description: &p.description,
        values: p
            .values
            .iter()
            .map(|v| Named {
                name: &v.value,
                description: &v.description,
            })
            .collect(),
        items: p.items.map(PropertyType::as_str),
        separator: p.separator.as_deref(),
        max_length: p.max_length,
        pattern: p.pattern.as_deref(),
        secret: p.secret,
        json: p.json.iter().map(|j| j.as_str()).collect(),
        used: p.used,
        role: p.role.map(|r| r.as_str().to_owned()),
        used_by: s
            .actions()
            .filter(|(_, a)| a.properties.contains(&p.key))
            .map(|(_, a)| a.name.as_str())
            .collect(),
        provenance: PropertyProvenance {
            documents: p
                .documents
                .iter()
                .map(|&d| s.documents[d].file.as_str())
                .collect(),
            form: p.form.as_str(),
        },
        deprecated: deprecated(&p.deprecated),
        notes: &p.notes,
    }
}

fn module<'a>(s: &'a ir::Source, m: &'a ir::Module) -> Module<'a> {
    Module {
        name: &m.name,
        service: m.service.as_deref(),
        description: &m.description,
        aliases: &m.aliases,
        notes: &m.notes,
        actions: m.actions.iter().map(|a| action(s, a)).collect(),
    }
}

fn action<'a>(s: &'a ir::Source, a: &'a ir::Action) -> Action<'a> {
    let doc = &s.documents[a.document];
    Action {
        name: &a.name,
        aliases: &a.aliases,
        description: &a.description,
        levels: &a.levels,
        properties: &a.properties,
        variants: a.variants.iter().map(variant).collect(),
        examples: a
            .variants
            .iter()
            .flat_map(|v| v.examples.iter().map(|e| e.text.as_str()))
            .collect(),
        rules: a
            .rules
            .iter()
            .map(|r| Rule {
                action: &r.action,
                field: r.field.as_str(),
                prefix: &r.prefix,
                prefix_aliases: &r.prefix_aliases,
                placeholder: &r.placeholder,
                scope: r.scope.as_deref(),
                operation: r.operation.as_deref(),
                when: r.when.as_deref(),
                shared_with: &r.shared_with,
                notes: &r.notes,
            })
            .collect(),
        provenance: Provenance {
            document: &doc.file,
            article: doc.article.as_deref(),
            title: &doc.title,
            form: a.form.as_str(),
        },
        deprecated: deprecated(&a.deprecated),
        notes: &a.notes,
    }
}

fn variant(v: &ir::Variant) -> Variant<'_> {
    Variant {
        name: v.name.as_deref(),
        when: v.when.as_deref(),
        level: v.level.as_deref(),
        complement: v
            .items
            .iter()
            .map(|i| match i {
                ir::Item::Property {
                    key,
                    optional,
                    bare,
                } => Item::Property {
                    property: key,
                    optional: *optional,
                    bare: *bare,
                },
                ir::Item::Group {
                    name,
                    description,
                    keys,
                    min,
                    max,
                } => Item::Group {
                    group: name,
                    description,
                    properties: keys,
                    min: *min,
                    max: *max,
                },
            })
            .collect(),
        template: v.template.as_deref(),
        examples: v
            .examples
            .iter()
            .map(|e| Example {
                example: &e.text,
                note: e.note.as_deref(),
            })
            .collect(),
        counterexamples: v
            .counterexamples
            .iter()
            .map(|c| Counterexample {
                example: &c.text,
                code: &c.code,
                note: c.note.as_deref(),
            })
            .collect(),
        notes: &v.notes,
    }
}
