//! The Rust of the `auditcat` crate: one module per source, behind a feature of
//! the source's id.
//!
//! Emitted code is declarative: tables of names, slots and properties,
//! struct and enum definitions, a short `read` per action, and one `visit`
//! per action that names its values for the hand-written runtime
//! (`auditcat::runtime`), whose walkers build `properties()`, `validate()`
//! and the complement's `Display` from it. Code is built with `quote`,
//! parsed with `syn` (so a rendering mistake fails here, not in the user's
//! build) and printed with `prettyplease`.

mod items;
mod records;

use std::path::PathBuf;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ident::{field_name, type_name};
use crate::ir::{self, ComplementFormat};
use crate::REGENERATE;

/// The module name of a source (`sap-btp` -> `sap_btp`).
pub fn module_name(source: &ir::Source) -> String {
    field_name(&source.id)
}

/// Where generated code finds the runtime: `crate::runtime` inside the
/// bundled crate, `::auditcat::runtime` in a crate that generates its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuntimePath {
    /// The code is part of the `auditcat` crate.
    Crate,
    /// The code is part of another crate that depends on `auditcat`.
    Dependency,
}

impl RuntimePath {
    fn tokens(self) -> TokenStream {
        match self {
            RuntimePath::Crate => quote! { crate::runtime },
            RuntimePath::Dependency => quote! { ::auditcat::runtime },
        }
    }
}

/// Renders `src/sources.rs` and `src/sources/<module>.rs` for every source.
pub fn render(catalog: &ir::Catalog, runtime: RuntimePath) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut decls = Vec::new();
    for source in &catalog.sources {
        let module = ident(&module_name(source));
        let feature = &source.id;
        let doc = doc(&format!("{}\n\n{}", source.title, source.description));
        // prettyplease, not rustfmt, formats generated code; keep rustfmt off it
        // so that `cargo fmt` and the freshness test agree.
        decls.push(quote! {
            #doc
            #[cfg(feature = #feature)]
            #[rustfmt::skip]
            pub mod #module;
        });
        files.push((
            PathBuf::from(format!("src/sources/{}.rs", module_name(source))),
            file(
                &format!("catalog/{}/", source.id),
                source_module(source, runtime),
            ),
        ));
    }
    let modules: Vec<Ident> = catalog
        .sources
        .iter()
        .map(|s| ident(&module_name(s)))
        .collect();
    let features: Vec<&str> = catalog.sources.iter().map(|s| s.id.as_str()).collect();
    let rt = runtime.tokens();
    let gate = match runtime {
        RuntimePath::Crate => quote! { #[cfg(feature = "json")] },
        RuntimePath::Dependency => quote! {},
    };
    let registry = quote! {
        /// Every source compiled in, for tools that take a source by its id.
        #gate
        pub const SOURCES: &[#rt::output::SourceInfo] = &[
            #(#[cfg(feature = #features)] #modules::SOURCE,)*
        ];
    };
    files.push((
        PathBuf::from("src/sources.rs"),
        file("catalog/", quote! { #(#decls)* #registry }),
    ));
    files
}

/// Renders every source as an inline module of one file, `auditcat.rs`, for
/// a crate that depends on `auditcat` and includes the file (see
/// [`crate::Layout::Module`]). There are no feature gates: a crate selects
/// sources with [`crate::Builder::sources`].
///
/// With `gated`, each module (and its entry in `SOURCES`) is compiled only
/// with the including crate's Cargo feature of the source's id.
pub fn render_module_file(catalog: &ir::Catalog, gated: bool) -> (PathBuf, String) {
    let rt = RuntimePath::Dependency.tokens();
    let gate = |source: &ir::Source| {
        let id = &source.id;
        if gated {
            quote! { #[cfg(feature = #id)] }
        } else {
            quote! {}
        }
    };
    let modules = catalog.sources.iter().map(|source| {
        // The module's documentation is the body's inner `#![doc]`.
        let module = ident(&module_name(source));
        let body = source_module(source, RuntimePath::Dependency);
        let gate = gate(source);
        quote! {
            #gate
            pub mod #module { #body }
        }
    });
    let entries = catalog.sources.iter().map(|source| {
        let module = ident(&module_name(source));
        let gate = gate(source);
        quote! { #gate #module::SOURCE }
    });
    let tokens = quote! {
        #(#modules)*

        /// Every source of this catalog, for tools that take a source by its id.
        pub const SOURCES: &[#rt::output::SourceInfo] = &[#(#entries,)*];
    };
    (PathBuf::from("auditcat.rs"), file("the catalog", tokens))
}

/// A formatted file with the generated-file header.
fn file(from: &str, tokens: TokenStream) -> String {
    let parsed: syn::File = match syn::parse2(tokens) {
        Ok(f) => f,
        // The emitter's own mistake: fail loudly with the offending code.
        Err(e) => panic!("auditcat-codegen emitted invalid Rust ({e}); this is a bug"),
    };
    format!(
        "// @generated by auditcat-codegen from {from}; do not edit.\n// Regenerate with `{REGENERATE}`.\n\n{}",
        prettyplease::unparse(&parsed)
    )
}

fn source_module(source: &ir::Source, path: RuntimePath) -> TokenStream {
    let runtime = &path.tokens();
    // Only the bundled crate has a `serde` feature to put derives behind.
    let serde = items::Serde(path == RuntimePath::Crate);
    let header = doc(&format!(
        "{}\n\n{}\n\nGenerated from `catalog/{}/`.",
        source.title, source.description, source.id
    ));
    let header = inner(header);
    // Deprecated items are still the module's own to use.
    let header = quote! {
        #header
        #![allow(deprecated)]
    };

    let enums = items::catalogued_enums(source, runtime, serde);
    let values = items::property_enums(source, serde);
    let properties = items::property_table(source);
    let complements = items::complements(source, runtime, serde);
    let events = items::events(source, serde);
    let records = match (source.complement, &source.action_field) {
        (ComplementFormat::Text, _) => records::text_records(source),
        (ComplementFormat::Json, Some(field)) => records::json_entries(source, field),
        (ComplementFormat::Json, None) => records::rule_records(source),
    };
    let id = &source.id;
    let title = &source.title;
    let format = match source.complement {
        ComplementFormat::Text => quote! { rt::output::InputFormat::Csv },
        ComplementFormat::Json => quote! { rt::output::InputFormat::Json },
    };
    let registry = quote! {
        /// The source's id.
        pub const SOURCE_ID: &str = #id;

        /// The source as the command line sees it.
        pub const SOURCE: rt::output::SourceInfo = rt::output::SourceInfo {
            id: SOURCE_ID,
            title: #title,
            format: #format,
            read: read_outputs,
            catalog: listing,
        };

        /// Modules with their service and actions, in catalog order.
        fn listing() -> Vec<rt::output::ModuleListing> {
            Module::ALL
                .iter()
                .map(|m| (m.name(), module_service(*m), m.actions().iter().map(|a| a.name()).collect()))
                .collect()
        }
    };
    let module_service = if source.services.is_empty() {
        quote! { fn module_service(_: Module) -> Option<&'static str> { None } }
    } else {
        quote! { fn module_service(m: Module) -> Option<&'static str> { Some(m.service().name()) } }
    };
    quote! {
        #header
        #registry
        #module_service
        #enums
        #values
        #properties
        #complements
        #events
        #records
    }
}

/// Turns `#[doc = ..]` attributes into inner `#![doc = ..]` ones.
fn inner(outer: TokenStream) -> TokenStream {
    let text = outer.to_string().replace("# [doc", "# ! [doc");
    text.parse().expect("doc attributes reparse")
}

pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

pub(crate) fn type_ident(name: &str) -> Ident {
    ident(&type_name(name))
}

pub(crate) fn field_ident(name: &str) -> Ident {
    ident(&field_name(name))
}

/// `#[doc = ...]` lines for catalog prose, made safe for rustdoc: no code
/// blocks (so no accidental doctests), no raw HTML, no intra-doc links.
pub(crate) fn doc(text: &str) -> TokenStream {
    let lines: Vec<String> = text
        .trim()
        .lines()
        .map(|line| format!(" {}", doc_line(line)))
        .collect();
    quote! { #(#[doc = #lines])* }
}

fn doc_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    // Leading spaces would make an indented code block, that is a doctest.
    for c in line.trim_start().chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    // A fence would open a code block (a doctest); single backticks are code spans.
    out.replace("```", "`\\``")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_lines_are_inert() {
        assert_eq!(doc_line("    ```rust"), "`\\``rust");
        assert_eq!(
            doc_line("<b>x</b> [link] a_b"),
            "&lt;b&gt;x&lt;/b&gt; \\[link\\] a_b"
        );
        assert_eq!(doc_line("*/ `x`"), "*/ `x`");
    }
}
