//! Types of a source: its catalogued enums, property enums, the table of its
//! properties, one complement type per action and the `Event` enum over all
//! actions.

use std::collections::{BTreeSet, HashMap, HashSet};

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{doc, field_ident, type_ident};
use crate::check::item_keys;
use crate::check::names::{module_ident, module_mod};
use crate::ident::{group_type_name, type_name};
use crate::ir::{self, ComplementFormat, PropertyType};

/// Whether generated types carry serde derives behind the generated crate's
/// own `serde` feature (the bundled crate), or none (a crate generating its
/// own modules, which has no such feature).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Serde(pub(super) bool);

impl Serde {
    fn derive(self) -> TokenStream {
        if self.0 {
            quote! { #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))] }
        } else {
            quote! {}
        }
    }

    fn via_string(self) -> TokenStream {
        if self.0 {
            quote! { #[cfg_attr(feature = "serde", serde(from = "String", into = "String"))] }
        } else {
            quote! {}
        }
    }

    fn catalogued(self, ty: &proc_macro2::Ident) -> TokenStream {
        if self.0 {
            quote! { catalogued_serde!(#ty); }
        } else {
            quote! {}
        }
    }
}

/// `#[deprecated]` for a catalog deprecation.
fn deprecated(d: Option<&ir::Deprecation>) -> TokenStream {
    match d {
        Some(d) => {
            let since = &d.since;
            let note = &d.message;
            quote! { #[deprecated(since = #since, note = #note)] }
        }
        None => quote! {},
    }
}

/// A closed enumeration of catalog names, its `Catalogued` table and accessors.
struct Closed<'a> {
    serde: Serde,
    ty: &'a str,
    doc: String,
    members: Vec<Member<'a>>,
    /// Extra `impl` items.
    extra: TokenStream,
}

struct Member<'a> {
    ident: String,
    name: &'a str,
    aliases: Vec<&'a str>,
    description: String,
}

fn closed(c: Closed<'_>) -> TokenStream {
    let ty = super::ident(c.ty);
    let serde_impl = c.serde.catalogued(&ty);
    let type_doc = doc(&c.doc);
    let idents: Vec<_> = c.members.iter().map(|m| super::ident(&m.ident)).collect();
    let docs: Vec<_> = c
        .members
        .iter()
        .map(|m| doc(&format!("`{}`: {}", m.name, m.description)))
        .collect();
    let names: Vec<&str> = c.members.iter().map(|m| m.name).collect();
    let descriptions: Vec<&str> = c.members.iter().map(|m| m.description.as_str()).collect();
    let aliases: Vec<TokenStream> = c
        .members
        .iter()
        .map(|m| {
            let a = &m.aliases;
            quote! { &[#(#a),*] }
        })
        .collect();
    let n = Literal::usize_unsuffixed(c.members.len());
    let extra = c.extra;
    let has_aliases = c.members.iter().any(|m| !m.aliases.is_empty());
    let aliases_fn = has_aliases.then(|| {
        quote! {
            fn aliases(self) -> &'static [&'static str] {
                const ALIASES: [&[&str]; #n] = [#(#aliases),*];
                ALIASES[self as usize]
            }
        }
    });
    let variants: Vec<String> = c.members.iter().map(|m| m.ident.clone()).collect();
    quote! {
        #type_doc
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #ty {
            #(#docs #idents,)*
        }

        // As derived, by a table: a derived `Debug` is a `match` with an arm
        // per member, and rustc's time for it grows faster than the members.
        impl fmt::Debug for #ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                const VARIANTS: [&str; #n] = [#(#variants),*];
                f.write_str(VARIANTS[*self as usize])
            }
        }

        impl Catalogued for #ty {
            // The enum's name, not `Self`: see `Event::dispatch`.
            const ALL: &'static [Self] = &[#(#ty::#idents),*];
            fn name(self) -> &'static str {
                const NAMES: [&str; #n] = [#(#names),*];
                NAMES[self as usize]
            }
            #aliases_fn
            fn index() -> &'static rt::names::Index {
                rt::names::catalogued_index!()
            }
        }

        impl #ty {
            /// What it means, from the catalog.
            pub fn description(self) -> &'static str {
                const DESCRIPTIONS: [&str; #n] = [#(#descriptions),*];
                DESCRIPTIONS[self as usize]
            }
            #extra
        }

        impl fmt::Display for #ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        #serde_impl
    }
}

/// `Service`, `Level`, `Outcome`, `Module` and `Action`.
pub(super) fn catalogued_enums(
    source: &ir::Source,
    runtime: &TokenStream,
    serde: Serde,
) -> TokenStream {
    let mut out = quote! {
        use std::fmt;

        use #runtime as rt;

        // `Checker`, `Kind` and `Values` are imported by the modules of the
        // actions, which import what they use (see `Imports`).
        use rt::complement::Slot;
        pub use rt::dispatch::Complement;
        #[allow(unused_imports)]
        use rt::names::{catalogued_serde, Catalogued, Known};
        use rt::violation::Violation;
    };
    let has_services = !source.services.is_empty();
    let has_levels = !source.levels.is_empty();
    if has_services {
        out.extend(closed(Closed {
            serde,
            ty: "Service",
            doc: format!("A service that writes to the {} log.", source.title),
            members: source
                .services
                .iter()
                .map(|s| Member {
                    ident: type_name(&s.name),
                    name: &s.name,
                    aliases: Vec::new(),
                    description: s.description.clone(),
                })
                .collect(),
            extra: quote! {},
        }));
    }
    if has_levels {
        out.extend(closed(Closed {
            serde,
            ty: "Level",
            doc: "A level, as logged; other forms (the Japanese UI's) are its aliases.".to_owned(),
            members: source
                .levels
                .iter()
                .map(|l| Member {
                    ident: type_name(&l.name),
                    name: &l.name,
                    aliases: l.labels.iter().map(String::as_str).collect(),
                    description: l.description.clone(),
                })
                .collect(),
            extra: quote! {},
        }));
    }
    if !source.results.is_empty() {
        out.extend(closed(Closed {
            serde,
            ty: "Outcome",
            doc: "The result of the logged operation.".to_owned(),
            members: source
                .results
                .iter()
                .map(|r| Member {
                    ident: type_name(&r.name),
                    name: &r.name,
                    aliases: Vec::new(),
                    description: r.description.clone(),
                })
                .collect(),
            extra: quote! {},
        }));
    }
    // Modules.
    let module_services: Vec<TokenStream> = source
        .modules
        .iter()
        .map(|m| {
            let s = type_ident(m.service.as_deref().unwrap_or_default());
            quote! { Service::#s }
        })
        .collect();
    let module_actions: Vec<TokenStream> = source
        .modules
        .iter()
        .map(|m| {
            let a = m.actions.iter().map(|a| type_ident(&a.name));
            quote! { &[#(Action::#a),*] }
        })
        .collect();
    let n = Literal::usize_unsuffixed(source.modules.len());
    let service_fn = has_services.then(|| {
        quote! {
            /// The service the module belongs to.
            pub fn service(self) -> Service {
                const SERVICES: [Service; #n] = [#(#module_services),*];
                SERVICES[self as usize]
            }

            /// The module `logged` names within `service`.
            pub fn find_in(service: Service, logged: &str) -> Option<Module> {
                rt::names::find(logged, |m: Module| m.service() == service)
            }
        }
    });
    out.extend(closed(Closed {
        serde,
        ty: "Module",
        doc: format!("A module (feature or screen) of the {} log.", source.title),
        members: source
            .modules
            .iter()
            .map(|m| Member {
                ident: module_ident(m),
                name: &m.name,
                aliases: m.aliases.iter().map(String::as_str).collect(),
                description: match &m.service {
                    Some(s) => format!("{} (service {s})", m.description),
                    None => m.description.clone(),
                },
            })
            .collect(),
        extra: quote! {
            #service_fn

            /// The module's actions.
            pub fn actions(self) -> &'static [Action] {
                const ACTIONS: [&[Action]; #n] = [#(#module_actions),*];
                ACTIONS[self as usize]
            }
        },
    }));
    // Actions.
    let actions: Vec<(&ir::Module, &ir::Action)> = source.actions().collect();
    let n = Literal::usize_unsuffixed(actions.len());
    let action_modules: Vec<TokenStream> = actions
        .iter()
        .map(|(m, _)| {
            let m = super::ident(&module_ident(m));
            quote! { Module::#m }
        })
        .collect();
    let levels_fn = has_levels.then(|| {
        let levels: Vec<TokenStream> = actions
            .iter()
            .map(|(_, a)| {
                let l = a.levels.iter().map(|l| type_ident(l));
                quote! { &[#(Level::#l),*] }
            })
            .collect();
        quote! {
            /// The levels the action is logged at, one per case.
            pub fn levels(self) -> &'static [Level] {
                const LEVELS: [&[Level]; #n] = [#(#levels),*];
                LEVELS[self as usize]
            }
        }
    });
    out.extend(closed(Closed {
        serde,
        ty: "Action",
        doc: format!("An action (event type) of the {} log.", source.title),
        members: actions
            .iter()
            .map(|(_, a)| Member {
                ident: type_name(&a.name),
                name: &a.name,
                aliases: a.aliases.iter().map(String::as_str).collect(),
                description: a.description.clone(),
            })
            .collect(),
        extra: quote! {
            /// The module the action belongs to.
            pub fn module(self) -> Module {
                const MODULES: [Module; #n] = [#(#action_modules),*];
                MODULES[self as usize]
            }

            #levels_fn

            /// The action `logged` names within `module`.
            pub fn find_in(module: Module, logged: &str) -> Option<Action> {
                rt::names::find(logged, |a: Action| a.module() == module)
            }
        },
    }));
    out
}

/// One open enum per enum property: documented values plus `Other`.
pub(super) fn property_enums(source: &ir::Source, serde: Serde) -> TokenStream {
    let derive = serde.derive();
    let via_string = serde.via_string();
    let mut out = TokenStream::new();
    for p in source
        .properties
        .iter()
        .filter(|p| p.ty == PropertyType::Enum && p.used)
    {
        let ty = type_ident(&p.key);
        let doc = doc(&format!("Values of `{}`: {}", p.key, p.description));
        let idents: Vec<_> = p.values.iter().map(|v| type_ident(&v.value)).collect();
        let names: Vec<&str> = p.values.iter().map(|v| v.value.as_str()).collect();
        let descriptions: Vec<&str> = p.values.iter().map(|v| v.description.as_str()).collect();
        let docs: Vec<_> = p
            .values
            .iter()
            .map(|v| super::doc(&format!("`{}`: {}", v.value, v.description)))
            .collect();
        out.extend(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            #derive
            #via_string
            pub enum #ty {
                #(#docs #idents,)*
                /// A value the catalog does not document, kept as logged.
                Other(String),
            }

            impl #ty {
                /// The documented values, as logged.
                pub const VALUES: &'static [&'static str] = &[#(#names),*];

                /// The value as logged.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#idents => #names,)*
                        Self::Other(s) => s,
                    }
                }

                /// The documented meaning; `None` for an undocumented value.
                pub fn description(&self) -> Option<&'static str> {
                    match self {
                        #(Self::#idents => Some(#descriptions),)*
                        Self::Other(_) => None,
                    }
                }

                /// Whether the catalog documents the value.
                pub fn is_known(&self) -> bool {
                    !matches!(self, Self::Other(_))
                }
            }

            impl std::str::FromStr for #ty {
                type Err = std::convert::Infallible;
                fn from_str(s: &str) -> Result<Self, Self::Err> {
                    Ok(match s {
                        #(#names => Self::#idents,)*
                        other => Self::Other(other.to_owned()),
                    })
                }
            }

            impl From<String> for #ty {
                fn from(s: String) -> Self {
                    match s.parse() {
                        Ok(v) => v,
                        Err(never) => match never {},
                    }
                }
            }

            impl From<#ty> for String {
                fn from(v: #ty) -> String {
                    v.as_str().to_owned()
                }
            }

            impl fmt::Display for #ty {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl rt::fields::AsValue for #ty {
                fn as_value(&self) -> rt::fields::Value<'_> {
                    rt::fields::Value::Enum {
                        text: self.as_str(),
                        known: self.is_known(),
                        values: Self::VALUES,
                    }
                }
            }
        });
    }
    out
}

/// The names of the statics of the `property` module, by property key, for
/// the properties the rendered actions use (a crate generated for some of a
/// catalog's sources or modules uses fewer than the catalog): the key in
/// SCREAMING_SNAKE_CASE, and where two keys read the same that way (`self`,
/// `Self`), the later one numbered.
struct PropertyNames(HashMap<String, proc_macro2::Ident>);

impl PropertyNames {
    fn new(source: &ir::Source) -> Self {
        let used: HashSet<&str> = source
            .actions()
            .flat_map(|(_, a)| &a.variants)
            .flat_map(|v| item_keys(&v.items))
            .collect();
        let mut taken = HashSet::new();
        let names = source
            .properties
            .iter()
            .enumerate()
            .filter(|(_, p)| used.contains(p.key.as_str()))
            .map(|(i, p)| {
                let base = crate::ident::field_name(&p.key).to_uppercase();
                let mut name = base.clone();
                let mut n = i;
                while !taken.insert(name.clone()) {
                    name = format!("{base}_{n}");
                    n += 1;
                }
                (p.key.clone(), format_ident!("{}", name))
            })
            .collect();
        PropertyNames(names)
    }

    fn of(&self, p: &ir::Property) -> &proc_macro2::Ident {
        self.0
            .get(&p.key)
            .expect("the actions use only used properties")
    }
}

/// `mod property`: what the catalog says of each property the actions use,
/// once per source, for the runtime's walkers (`rt::fields`).
pub(super) fn property_table(source: &ir::Source) -> TokenStream {
    let names = PropertyNames::new(source);
    let statics = source.properties.iter().filter_map(|p| {
        let id = names.0.get(&p.key)?;
        let key = p.key.as_str();
        let name = crate::ident::field_name(&p.key);
        let some_kind = |k: Option<TokenStream>| match k {
            Some(k) => quote! { Some(rt::value::#k) },
            None => quote! { None },
        };
        let kind = some_kind(value_kind(p));
        let items = some_kind(item_kind(p));
        let keep = match (p.secret, p.max_length) {
            (true, Some(max)) => quote! { Some(#max) },
            _ => quote! { None },
        };
        let text_like = text_like(p);
        let max_length = match p.max_length.filter(|_| text_like) {
            Some(max) => quote! { Some(#max) },
            None => quote! { None },
        };
        let pattern = match p.pattern.as_deref().filter(|_| text_like) {
            Some(pattern) => quote! { Some(rt::check::Pattern::new(#pattern)) },
            None => quote! { None },
        };
        let secret = p.secret;
        let separator = p.separator.as_deref().unwrap_or(",");
        let json_number = p.json.first() == Some(&ir::JsonForm::Number);
        let d = doc(&format!("`{key}`: {}", p.description));
        Some(quote! {
            #d
            pub(super) static #id: rt::fields::Property = rt::fields::Property {
                key: #key,
                name: #name,
                keep: #keep,
                kind: #kind,
                items: #items,
                max_length: #max_length,
                secret: #secret,
                pattern: #pattern,
                separator: #separator,
                json_number: #json_number,
            };
        })
    });
    quote! {
        /// The properties the actions use, as the runtime walks them.
        mod property {
            use super::rt;
            #(#statics)*
        }
    }
}

/// A field of a complement type.
struct Field<'a> {
    ident: proc_macro2::Ident,
    key: &'a str,
    slot: usize,
    optional: bool,
    bare: bool,
    kind: FieldKind<'a>,
}

enum FieldKind<'a> {
    Property(&'a ir::Property),
    Group {
        ty: proc_macro2::Ident,
        keys: &'a [String],
        fields: Vec<Field<'a>>,
    },
}

fn fields<'a>(
    source: &'a ir::Source,
    action: &ir::Action,
    variant: &'a ir::Variant,
) -> Vec<Field<'a>> {
    variant
        .items
        .iter()
        .enumerate()
        .map(|(slot, item)| match item {
            ir::Item::Property {
                key,
                optional,
                bare,
            } => Field {
                ident: field_ident(key),
                key,
                slot,
                optional: *optional,
                bare: *bare,
                kind: FieldKind::Property(source.property(key).expect("checked")),
            },
            ir::Item::Group { name, keys, .. } => Field {
                ident: field_ident(name),
                key: name,
                slot,
                optional: false,
                bare: false,
                kind: FieldKind::Group {
                    ty: super::ident(&group_type_name(&action.name, name)),
                    keys,
                    fields: keys
                        .iter()
                        .enumerate()
                        .map(|(i, k)| Field {
                            ident: field_ident(k),
                            key: k,
                            slot: i,
                            optional: false,
                            bare: false,
                            kind: FieldKind::Property(source.property(k).expect("checked")),
                        })
                        .collect(),
                },
            },
        })
        .collect()
}

/// The Rust type of a property's value.
fn value_type(p: &ir::Property) -> TokenStream {
    match p.ty {
        PropertyType::Id => quote! { u64 },
        PropertyType::Integer => quote! { i64 },
        PropertyType::Bool => quote! { bool },
        PropertyType::Timestamp => quote! { rt::time::Timestamp },
        PropertyType::Enum => {
            let t = type_ident(&p.key);
            quote! { #t }
        }
        PropertyType::List => quote! { Vec<rt::text::Text> },
        PropertyType::Text | PropertyType::Code | PropertyType::Url | PropertyType::Filename => {
            quote! { rt::text::Text }
        }
    }
}

fn field_type(f: &Field<'_>) -> TokenStream {
    match &f.kind {
        FieldKind::Property(p) => {
            let t = value_type(p);
            if f.optional {
                quote! { Option<#t> }
            } else {
                t
            }
        }
        FieldKind::Group { ty, .. } => quote! { Vec<#ty> },
    }
}

fn field_doc(f: &Field<'_>) -> TokenStream {
    match &f.kind {
        FieldKind::Property(p) => {
            let d = doc(&format!("`{}`: {}", f.key, p.description));
            let dep = deprecated(p.deprecated.as_ref());
            quote! { #d #dep }
        }
        FieldKind::Group { keys, .. } => {
            doc(&format!("The `({}: ...)` groups.", keys.join(": ..., ")))
        }
    }
}

/// The expression reading field `f` from the `Values` bound to `v`.
fn read_expr(f: &Field<'_>, v: &TokenStream) -> TokenStream {
    let slot = Literal::usize_unsuffixed(f.slot);
    match &f.kind {
        FieldKind::Property(p) => {
            let method = |name: &str| {
                if f.optional {
                    format_ident!("opt_{}", name)
                } else {
                    format_ident!("{}", name)
                }
            };
            match p.ty {
                PropertyType::Id => {
                    let m = method("id");
                    quote! { #v.#m(#slot)? }
                }
                PropertyType::Integer => {
                    let m = method("integer");
                    quote! { #v.#m(#slot)? }
                }
                PropertyType::Bool => {
                    let m = method("boolean");
                    quote! { #v.#m(#slot)? }
                }
                PropertyType::Timestamp => {
                    let m = method("timestamp");
                    quote! { #v.#m(#slot)? }
                }
                PropertyType::Enum => {
                    let m = method("value");
                    quote! { #v.#m(#slot)? }
                }
                PropertyType::List => {
                    let m = method("list");
                    let sep = p.separator.as_deref().unwrap_or(",");
                    quote! { #v.#m(#slot, #sep)? }
                }
                _ => {
                    let m = method("text");
                    quote! { #v.#m(#slot)? }
                }
            }
        }
        FieldKind::Group { ty, keys, fields } => {
            let g = quote! { g };
            let inits = fields.iter().map(|field| {
                let id = &field.ident;
                let e = read_expr(field, &g);
                quote! { #id: #e }
            });
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            quote! {
                #v.groups(#slot, &[#(#keys),*], |g| Ok(#ty { #(#inits),* }))?
            }
        }
    }
}

/// Statements visiting field `f` (bound by reference to its ident) with the
/// runtime's walker `visit`: absent optional values are not visited, groups
/// are visited occurrence by occurrence.
fn visit_stmt(f: &Field<'_>, names: &PropertyNames) -> TokenStream {
    let id = &f.ident;
    match &f.kind {
        FieldKind::Property(p) => {
            let property = names.of(p);
            let bare = f.bare;
            if f.optional {
                quote! { if let Some(v) = #id { visit.field(&property::#property, #bare, v.as_value())?; } }
            } else {
                quote! { visit.field(&property::#property, #bare, #id.as_value())?; }
            }
        }
        FieldKind::Group { fields, .. } => {
            let name = crate::ident::field_name(f.key);
            let inner = fields.iter().map(|g| {
                let gid = &g.ident;
                let FieldKind::Property(p) = &g.kind else {
                    unreachable!("groups hold properties")
                };
                let property = names.of(p);
                quote! { visit.field(&property::#property, false, group.#gid.as_value())?; }
            });
            quote! {
                visit.begin_groups(#name)?;
                for group in #id {
                    visit.begin_group()?;
                    #(#inner)*
                    visit.end_group()?;
                }
                visit.end_groups()?;
            }
        }
    }
}

/// Whether `validate()` checks more of a property's values than their Rust
/// type says: a kind, a documented value, a length or a pattern.
fn checked(p: &ir::Property) -> bool {
    value_kind(p).is_some()
        || item_kind(p).is_some()
        || p.ty == PropertyType::Enum
        || (text_like(p) && (p.max_length.is_some() || p.pattern.is_some()))
}

/// Whether a property's values are text (free text, codes, URLs, file
/// names): only text has a length and a pattern to check.
fn text_like(p: &ir::Property) -> bool {
    matches!(
        p.ty,
        PropertyType::Text | PropertyType::Code | PropertyType::Url | PropertyType::Filename
    )
}

/// The `Kind` a property's value is checked as, if any.
fn value_kind(p: &ir::Property) -> Option<TokenStream> {
    match p.ty {
        PropertyType::Code => Some(quote! { Kind::Code }),
        PropertyType::Url => Some(quote! { Kind::Url }),
        PropertyType::Filename => Some(quote! { Kind::Filename }),
        _ => None,
    }
}

/// The `Kind` each item of a list property is checked as, if any.
fn item_kind(p: &ir::Property) -> Option<TokenStream> {
    if p.ty != PropertyType::List {
        return None;
    }
    match p.items {
        Some(PropertyType::Id) => Some(quote! { Kind::Id }),
        Some(PropertyType::Code) => Some(quote! { Kind::Code }),
        Some(PropertyType::Url) => Some(quote! { Kind::Url }),
        Some(PropertyType::Filename) => Some(quote! { Kind::Filename }),
        Some(PropertyType::Integer) => Some(quote! { Kind::Integer }),
        Some(PropertyType::Bool) => Some(quote! { Kind::Bool }),
        Some(PropertyType::Timestamp) => Some(quote! { Kind::Timestamp }),
        _ => None,
    }
}

/// The slot table of a case.
fn slots(variant: &ir::Variant) -> TokenStream {
    let slots = variant.items.iter().map(|item| match item {
        ir::Item::Property {
            key,
            optional,
            bare,
        } => quote! {
            Slot::Field { key: #key, optional: #optional, bare: #bare }
        },
        ir::Item::Group { keys, min, max, .. } => {
            let max = match max {
                Some(m) => quote! { Some(#m) },
                None => quote! { None },
            };
            quote! { Slot::Group { keys: &[#(#keys),*], min: #min, max: #max } }
        }
    });
    quote! { &[#(#slots),*] }
}

/// The imports of a catalog module's Rust module: exactly the names its code
/// uses. A glob import of the source module (`use super::*`) would also bring
/// in every other catalog module's actions (the source module re-exports
/// them all), so the names rustc resolves would grow with modules × actions.
#[derive(Default)]
struct Imports {
    /// `rt::fields::AsValue` and the source's `property` table: an action
    /// has values to visit.
    values: bool,
    /// Items of the source module (`Event`, `Dispatch`, `Level`, property
    /// enums), sorted and deduplicated.
    parent: BTreeSet<String>,
}

impl Imports {
    /// Records what field `f`'s type and its visit name.
    fn field(&mut self, f: &Field<'_>) {
        self.values = true;
        match &f.kind {
            FieldKind::Property(p) => {
                if p.ty == PropertyType::Enum {
                    self.parent.insert(type_name(&p.key));
                }
            }
            FieldKind::Group { fields, .. } => fields.iter().for_each(|g| self.field(g)),
        }
    }

    fn tokens(&self, runtime: &TokenStream) -> TokenStream {
        let as_value = self.values.then(|| quote! { use rt::fields::AsValue; });
        let property = self.values.then(|| quote! { use super::property; });
        let parent = self.parent.iter().map(|name| super::ident(name));
        quote! {
            use std::fmt;
            use #runtime as rt;
            use rt::complement::Slot;
            use rt::dispatch::Complement;
            #as_value
            use rt::fields::{Fields, Visit};
            use rt::values::{Cases, Values};
            use rt::violation::Violation;
            use super::{#(#parent),*};
            #property
        }
    }
}

/// One complement type per action, with its parser, writer and validator.
pub(super) fn complements(source: &ir::Source, runtime: &TokenStream, serde: Serde) -> TokenStream {
    let derive = serde.derive();
    let mut all = TokenStream::new();
    let text = source.complement == ComplementFormat::Text;
    let has_levels = !source.levels.is_empty();
    let names = PropertyNames::new(source);
    for module in &source.modules {
        let mut out = TokenStream::new();
        let mut imports = Imports::default();
        imports.parent.insert("Dispatch".to_owned());
        imports.parent.insert("Event".to_owned());
        if has_levels {
            imports.parent.insert("Level".to_owned());
        }
        for action in &module.actions {
            let ty = type_ident(&action.name);
            let mut doc_text = format!("`{}`: {}", action.name, action.description);
            for v in &action.variants {
                for e in v.examples.iter().take(1) {
                    doc_text.push_str(&format!("\n\nExample: `{}`", e.text.replace('`', "'")));
                }
            }
            if let Some(d) = &action.deprecated {
                doc_text.push_str(&format!("\n\nDeprecated since {}: {}", d.since, d.message));
            }
            let type_doc = doc(&doc_text);
            let deprecation = deprecated(action.deprecated.as_ref());
            let cases: Vec<Vec<Field<'_>>> = action
                .variants
                .iter()
                .map(|v| fields(source, action, v))
                .collect();
            cases.iter().flatten().for_each(|f| imports.field(f));
            // Group structs.
            for fs in &cases {
                for f in fs {
                    if let FieldKind::Group {
                        ty: gty,
                        fields: gfields,
                        keys,
                    } = &f.kind
                    {
                        let gdoc = doc(&format!(
                            "One `({}: ...)` group of `{}`.",
                            keys.join(": ..., "),
                            action.name
                        ));
                        let decls = gfields.iter().map(|g| {
                            let id = &g.ident;
                            let t = field_type(g);
                            let d = field_doc(g);
                            quote! { #d pub #id: #t }
                        });
                        out.extend(quote! {
                            #gdoc
                            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                            #derive
                            pub struct #gty { #(#decls,)* }
                        });
                    }
                }
            }
            let case_tables = action.variants.iter().map(slots);
            let has_cases = action.has_variants();
            let definition;
            let read_body;
            let binds: Vec<TokenStream>;
            if has_cases {
                let variants = action.variants.iter().zip(&cases).map(|(v, fs)| {
                    let vid = type_ident(v.name.as_deref().unwrap_or_default());
                    let vdoc = doc(&format!(
                        "{}: {}{}",
                        v.name.as_deref().unwrap_or_default(),
                        v.when.as_deref().unwrap_or_default(),
                        v.level
                            .as_deref()
                            .map(|l| format!(" Level {l}."))
                            .unwrap_or_default()
                    ));
                    let decls = fs.iter().map(|f| {
                        let id = &f.ident;
                        let t = field_type(f);
                        let d = field_doc(f);
                        quote! { #d #id: #t }
                    });
                    quote! { #vdoc #vid { #(#decls,)* } }
                });
                definition = quote! {
                    #type_doc
                    #deprecation
                    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                    #derive
                    pub enum #ty { #(#variants,)* }
                };
                let arms = action
                    .variants
                    .iter()
                    .zip(&cases)
                    .enumerate()
                    .map(|(i, (v, fs))| {
                        let vid = type_ident(v.name.as_deref().unwrap_or_default());
                        let inits = fs.iter().map(|f| {
                            let id = &f.ident;
                            let e = read_expr(f, &quote! { v });
                            quote! { #id: #e }
                        });
                        let pat = if i + 1 == cases.len() {
                            quote! { _ }
                        } else {
                            let i = Literal::usize_unsuffixed(i);
                            quote! { #i }
                        };
                        quote! { #pat => Self::#vid { #(#inits,)* }, }
                    });
                read_body = quote! { Ok(match case { #(#arms)* }) };
                binds = action
                    .variants
                    .iter()
                    .zip(&cases)
                    .map(|(v, fs)| {
                        let vid = type_ident(v.name.as_deref().unwrap_or_default());
                        let ids = fs.iter().map(|f| &f.ident);
                        quote! { Self::#vid { #(#ids),* } }
                    })
                    .collect();
            } else {
                let fs = &cases[0];
                let decls = fs.iter().map(|f| {
                    let id = &f.ident;
                    let t = field_type(f);
                    let d = field_doc(f);
                    quote! { #d pub #id: #t }
                });
                let secret = |f: &&Field<'_>| match &f.kind {
                    FieldKind::Property(p) if p.secret => p.max_length,
                    _ => None,
                };
                let debug = if fs.iter().any(|f| secret(&f).is_some()) {
                    // A leaked secret shows only the symbols that may be logged.
                    let name = type_name(&action.name);
                    let shown = fs.iter().map(|f| {
                        let id = &f.ident;
                        let field = id.to_string();
                        match secret(&f) {
                            Some(keep) => {
                                quote! { .field(#field, &rt::value::redact(&self.#id, #keep)) }
                            }
                            None => quote! { .field(#field, &self.#id) },
                        }
                    });
                    Some(quote! {
                        impl fmt::Debug for #ty {
                            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                                f.debug_struct(#name) #(#shown)* .finish()
                            }
                        }
                    })
                } else {
                    None
                };
                let derives = if debug.is_some() {
                    quote! { #[derive(Clone, PartialEq, Eq, Hash)] }
                } else {
                    quote! { #[derive(Debug, Clone, PartialEq, Eq, Hash)] }
                };
                definition = quote! {
                    #type_doc
                    #deprecation
                    #derives
                    #derive
                    pub struct #ty { #(#decls,)* }
                    #debug
                };
                let inits = fs.iter().map(|f| {
                    let id = &f.ident;
                    let e = read_expr(f, &quote! { v });
                    quote! { #id: #e }
                });
                read_body = quote! {
                    let _ = case;
                    Ok(Self { #(#inits,)* })
                };
                let ids = fs.iter().map(|f| &f.ident);
                binds = vec![quote! { Self { #(#ids),* } }];
            }
            let visits = cases.iter().map(|fs| {
                fs.iter()
                    .map(|f| visit_stmt(f, &names))
                    .collect::<TokenStream>()
            });
            let case_names: Vec<TokenStream> = action
                .variants
                .iter()
                .map(|v| match &v.name {
                    Some(n) => quote! { Some(#n) },
                    None => quote! { None },
                })
                .collect();
            let level_fn = has_levels.then(|| {
                let levels = action
                    .variants
                    .iter()
                    .map(|v| type_ident(v.level.as_deref().unwrap_or_default()));
                let binds = binds.iter().map(rebind_ignore);
                quote! {
                    /// The level this case is logged at.
                    pub fn level(&self) -> Level {
                        match self { #(#binds => Level::#levels,)* }
                    }
                }
            });
            let binds_ignore: Vec<TokenStream> = binds.iter().map(rebind_ignore).collect();
            let case_indices = (0..binds.len()).map(Literal::usize_unsuffixed);
            let parse_fn = if text {
                quote! {
                    /// Parses a complement as logged.
                    pub fn parse(complement: &str) -> Result<Self, Violation> {
                        Values::read_text(complement, Self::CASES, Self::read)
                    }
                }
            } else {
                quote! {
                    /// Reads the entry's fields.
                    pub fn from_entry(entry: &rt::object::Object<'_>) -> Result<Self, Violation> {
                        Values::read_json(entry, Self::CASES, Self::read)
                    }
                }
            };
            let display = if text {
                quote! {
                    impl fmt::Display for #ty {
                        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                            rt::fields::write(self, f)
                        }
                    }
                }
            } else {
                quote! {}
            };
            let read_event = if text {
                quote! {
                    fn parse_event(complement: &str) -> Result<Event, Violation> {
                        Self::parse(complement).map(Event::#ty)
                    }
                }
            } else {
                quote! {
                    fn event_from_entry(entry: &rt::object::Object<'_>) -> Result<Event, Violation> {
                        Self::from_entry(entry).map(Event::#ty)
                    }
                }
            };
            let level_impl = has_levels.then(|| {
                quote! { fn level(&self) -> Level { #ty::level(self) } }
            });
            // What `Event` calls through its one `match`, besides `Complement`.
            let dispatch_impl = quote! {
                impl Dispatch for #ty {
                    #read_event
                    #level_impl
                }
            };
            out.extend(quote! {
                #definition

                impl #ty {
                    /// The slots of each case, in case order.
                    const CASES: Cases<'static> = Cases::new(&[#(#case_tables),*]);

                    #parse_fn

                    fn read(case: usize, v: &Values<'_, '_>) -> Result<Self, Violation> {
                        #read_body
                    }

                    #level_fn
                }

                impl Complement for #ty {
                    fn case(&self) -> Option<&'static str> {
                        match self { #(#binds_ignore => #case_names,)* }
                    }

                    fn slots(&self) -> &'static [Slot<'static>] {
                        Self::CASES[match self { #(#binds_ignore => #case_indices,)* }]
                    }
                }

                impl Fields for #ty {
                    fn visit(&self, visit: &mut dyn Visit) -> fmt::Result {
                        match self { #(#binds => { #visits })* }
                        Ok(())
                    }
                }

                #display

                #dispatch_impl
            });
        }
        // Each module's actions in a Rust module of their own (re-exported):
        // rustc compiles a module's items together, so a large catalog is
        // compiled in parallel pieces instead of one.
        let name = format_ident!("{}", module_mod(module));
        let mdoc = doc(&format!("The actions of module `{}`.", module.name));
        let imports = imports.tokens(runtime);
        all.extend(quote! {
            #mdoc
            mod #name {
                #imports
                #out
            }
            pub use #name::*;
        });
    }
    all
}

/// `Self::A { x, y }` -> `Self::A { .. }` (and `Self { .. }`).
fn rebind_ignore(bind: &TokenStream) -> TokenStream {
    let text = bind.to_string();
    let head = text.split('{').next().unwrap_or_default();
    format!("{head} {{ .. }}").parse().expect("reparse")
}

/// The `Event` enum over every action of the source, and the trait through
/// which it reaches the actions' complement types.
///
/// `Event` matches on its variants once, in `dispatch`, to the action and its
/// complement as a `&dyn Dispatch`; its methods and `PartialEq` go through
/// that, and `parse`/`from_entry` through a table of readers indexed by the
/// action. A `match` with an arm per action in each of them (or a derived
/// `PartialEq`) would make rustc's time grow faster than the catalog.
pub(super) fn events(source: &ir::Source, serde: Serde) -> TokenStream {
    let derive = serde.derive();
    let actions: Vec<&ir::Action> = source.actions().map(|(_, a)| a).collect();
    let ids: Vec<_> = actions.iter().map(|a| type_ident(&a.name)).collect();
    let n = Literal::usize_unsuffixed(actions.len());
    let checked = actions.iter().map(|a| {
        a.variants
            .iter()
            .flat_map(|v| item_keys(&v.items))
            .any(|key| source.property(key).is_some_and(checked))
    });
    let docs: Vec<_> = actions
        .iter()
        .map(|a| doc(&format!("`{}`: {}", a.name, a.description)))
        .collect();
    let text = source.complement == ComplementFormat::Text;
    let has_levels = !source.levels.is_empty();
    let (read_decl, parse_fn) = if text {
        (
            quote! {
                /// [`Event::parse`] of this action.
                fn parse_event(complement: &str) -> Result<Event, Violation>
                where
                    Self: Sized;
            },
            quote! {
                /// Parses the complement of an entry of `action`.
                pub fn parse(action: Action, complement: &str) -> Result<Event, Violation> {
                    type Reader = fn(&str) -> Result<Event, Violation>;
                    const READERS: [Reader; #n] =
                        [#(<#ids as Dispatch>::parse_event),*];
                    READERS[action as usize](complement)
                }
            },
        )
    } else {
        (
            quote! {
                /// [`Event::from_entry`] of this action.
                fn event_from_entry(entry: &rt::object::Object<'_>) -> Result<Event, Violation>
                where
                    Self: Sized;
            },
            quote! {
                /// Reads an entry of `action` from its JSON fields.
                pub fn from_entry(action: Action, entry: &rt::object::Object<'_>) -> Result<Event, Violation> {
                    type Reader = fn(&rt::object::Object<'_>) -> Result<Event, Violation>;
                    const READERS: [Reader; #n] =
                        [#(<#ids as Dispatch>::event_from_entry),*];
                    READERS[action as usize](entry)
                }
            },
        )
    };
    let level_decl = has_levels.then(|| {
        quote! {
            /// The level this case is logged at.
            fn level(&self) -> Level;
        }
    });
    let level_fn = has_levels.then(|| {
        quote! {
            /// The level this event's case is logged at.
            pub fn level(&self) -> Level {
                self.dispatch().1.level()
            }
        }
    });
    // Text sources' complement types are `Display`, in the log's own form.
    let display_bound = text.then(|| quote! { + fmt::Display });
    let display = match &source.action_field {
        _ if text => quote! {
            impl fmt::Display for Event {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    fmt::Display::fmt(self.dispatch().1, f)
                }
            }
        },
        Some(field) => quote! {
            impl Event {
                /// The entry in the log's own JSON form, action field included.
                pub fn to_json(&self) -> rt::serde_json::Map<String, rt::serde_json::Value> {
                    let mut m = rt::fields::to_json(self.dispatch().1);
                    m.insert(#field.to_owned(), rt::serde_json::Value::String(self.action().name().to_owned()));
                    m
                }
            }

            impl fmt::Display for Event {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(&rt::serde_json::Value::Object(self.to_json()).to_string())
                }
            }
        },
        None => quote! {},
    };
    quote! {
        /// What [`Event`] asks of the complement type of each action besides
        /// [`Complement`]: `Event` matches once, to the action's value as a
        /// `&dyn Dispatch`, and calls through it.
        trait Dispatch: Complement + rt::dispatch::Erased #display_bound {
            #read_decl

            #level_decl
        }

        /// An event of any action, with its typed complement.
        // `Debug`, `Clone` and `Hash` are derived: inlinable or generic, they
        // are compiled only where used. The derived `PartialEq` would not be
        // (its exhaustiveness check is quadratic in the number of actions),
        // so it goes through `dispatch` below, comparing as derived.
        #[derive(Debug, Clone, Hash)]
        #[allow(clippy::derived_hash_with_manual_eq)]
        #derive
        pub enum Event { #(#docs #ids(#ids),)* }

        impl Event {
            /// The event's action and its complement: the one `match` on the
            /// variants that everything else goes through.
            fn dispatch(&self) -> (Action, &dyn Dispatch) {
                // `Event::`, not `Self::`: rustc looks a variant up through
                // `Self` by a linear search, through the enum's name by a table.
                match self { #(Event::#ids(e) => (Action::#ids, e),)* }
            }

            /// The event's action.
            pub fn action(&self) -> Action {
                self.dispatch().0
            }

            #parse_fn

            /// The case's name, for actions with several.
            pub fn case(&self) -> Option<&'static str> {
                self.dispatch().1.case()
            }

            /// The complement slots of the event's case.
            pub fn slots(&self) -> &'static [Slot<'static>] {
                self.dispatch().1.slots()
            }

            #level_fn

            /// Every violation of the catalog's constraints, at once.
            pub fn validate(&self) -> Vec<Violation> {
                // Whether an action has values whose types do not say
                // everything; the others need no walk.
                const CHECKED: [bool; #n] = [#(#checked),*];
                let (action, event) = self.dispatch();
                if !CHECKED[action as usize] {
                    return Vec::new();
                }
                rt::fields::validate(event)
            }

            /// The typed values keyed by their snake_case names.
            pub fn properties(&self) -> rt::serde_json::Map<String, rt::serde_json::Value> {
                rt::fields::properties(self.dispatch().1)
            }
        }

        impl PartialEq for Event {
            fn eq(&self, other: &Self) -> bool {
                let (a, x) = self.dispatch();
                let (b, y) = other.dispatch();
                a == b && x.eq_erased(y.as_any())
            }
        }

        impl Eq for Event {}

        #display
    }
}
