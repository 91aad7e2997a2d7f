//! The Markdown reference under `docs/`: an index, one page per source, and
//! the catalog format for authors.
//!
//! The pages are `tera` templates kept as files in `codegen/templates/` and
//! compiled into the binary. Rust builds a view model from the IR (`view`):
//! every string in it is already escaped for the place it goes ([`escape`]),
//! and every link names an anchor computed the way GitHub computes it
//! ([`slug`]). Templates only lay the strings out; autoescaping is off (it
//! escapes for HTML, not Markdown), and catalog text only ever arrives as
//! data, so template syntax inside it is never interpreted.

pub mod escape;
pub mod slug;
mod view;

use std::path::Path;
use std::sync::OnceLock;

use crate::ir;
use crate::output::Files;
use crate::REGENERATE;

/// The directory of the reference, relative to the output directory.
pub const DIR: &str = "docs";

/// The templates, by name.
const TEMPLATES: [(&str, &str); 7] = [
    ("header.md", include_str!("../../templates/header.md")),
    ("index.md", include_str!("../../templates/index.md")),
    ("source.md", include_str!("../../templates/source.md")),
    ("record.md", include_str!("../../templates/record.md")),
    ("action.md", include_str!("../../templates/action.md")),
    ("rules.md", include_str!("../../templates/rules.md")),
    ("property.md", include_str!("../../templates/property.md")),
];

/// Where the catalog format's text lives.
const CATALOG_FORMAT_TEMPLATE: &str = "codegen/templates/catalog-format.md";

/// Renders the reference: `docs/README.md`, `docs/<source id>.md` for every
/// source and `docs/catalog-format.md`, keyed by path relative to the output
/// directory.
pub fn render(catalog: &ir::Catalog) -> Files {
    let tera = engine();
    let note = generated_note("`catalog/`");
    let dir = Path::new(DIR);
    let mut files = Files::new();
    files.insert(
        dir.join("README.md"),
        page(&tera, "index.md", &view::index(catalog, &note)),
    );
    for source in &catalog.sources {
        files.insert(
            dir.join(format!("{}.md", source.id)),
            page(&tera, "source.md", &view::source(source, &note)),
        );
    }
    files.insert(dir.join("catalog-format.md"), catalog_format().to_owned());
    files
}

/// The catalog format for authors: `docs/catalog-format.md`, and
/// `catalog/README.md` with the same text. Its single source is
/// `codegen/templates/catalog-format.md`, shown verbatim under a generated
/// header.
pub fn catalog_format() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let text = include_str!("../../templates/catalog-format.md");
        let (title, rest) = text.split_once('\n').unwrap_or((text, ""));
        let note = generated_note(&format!("`{CATALOG_FORMAT_TEMPLATE}`"));
        tidy(&format!("{title}\n\n{note}\n\n{rest}"))
    })
}

/// The Rust names that the reference shows for a source and one of its
/// actions. They follow the conventions of the generated `auditcat` crate;
/// this is the one place that knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustNames {
    /// The source's module: `auditcat::sap_btp`.
    pub module: String,
    /// The entry point for whole records, where the source has one:
    /// `auditcat::slack::Response::parse(json)`, `auditcat::sap_btp::classify(json)`.
    pub entry: Option<String>,
    /// The names of the action, when one was asked for.
    pub action: Option<ActionNames>,
}

/// The Rust names of one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionNames {
    /// The complement type: `auditcat::kintone::AppUpdate`.
    pub ty: String,
    /// Its parser, for `text` sources: `AppUpdate::parse(complement: &str)`.
    pub parse: Option<String>,
    /// The event parser: `auditcat::kintone::Event::parse(Action::AppUpdate, input)`.
    pub event: String,
}

/// The Rust names of `source` and, if given, of `action`.
pub fn rust_names(source: &ir::Source, action: Option<&ir::Action>) -> RustNames {
    use crate::ident::{field_name, type_name};
    let module = format!("auditcat::{}", field_name(&source.id));
    let has_rules = source.actions().any(|(_, a)| !a.rules.is_empty());
    let entry = if source.complement == ir::ComplementFormat::Json && source.action_field.is_some()
    {
        Some(format!("{module}::Response::parse(json)"))
    } else if has_rules {
        Some(format!("{module}::classify(json)"))
    } else {
        None
    };
    let action = action.map(|a| {
        let ty = type_name(&a.name);
        ActionNames {
            parse: (source.complement == ir::ComplementFormat::Text)
                .then(|| format!("{ty}::parse(complement: &str)")),
            event: format!("{module}::Event::parse(Action::{ty}, input)"),
            ty: format!("{module}::{ty}"),
        }
    });
    RustNames {
        module,
        entry,
        action,
    }
}

/// The blockquote under every page's title.
fn generated_note(from: &str) -> String {
    format!("> Generated from {from} by `{REGENERATE}`; do not edit.")
}

/// The template engine with every template loaded and autoescaping off.
fn engine() -> tera::Tera {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(Vec::new());
    tera.add_raw_templates(TEMPLATES)
        .expect("the bundled templates parse");
    tera
}

/// Renders one page and tidies its blank lines.
fn page(tera: &tera::Tera, template: &str, view: &impl serde::Serialize) -> String {
    let context = tera::Context::from_serialize(view).expect("a view is plain data");
    let text = tera
        .render(template, &context)
        .unwrap_or_else(|e| panic!("template {template} failed: {e:?}"));
    tidy(&text)
}

/// Outside fenced code blocks: trailing white space removed and runs of blank
/// lines reduced to one, so templates can keep their tags on lines of their
/// own. The text ends in exactly one line break.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<usize> = None;
    let mut blank = true; // no blank lines at the start either
    for line in text.lines() {
        let indented = line.trim_start();
        let ticks = indented.bytes().take_while(|&b| b == b'`').count();
        match fence {
            Some(open) => {
                out.push_str(line);
                out.push('\n');
                if ticks >= open && indented[ticks..].trim().is_empty() {
                    fence = None;
                }
                continue;
            }
            // A backtick fence's info string has no backtick (else it is a code span).
            None if ticks >= 3 && !indented[ticks..].contains('`') => fence = Some(ticks),
            None => {}
        }
        let line = line.trim_end();
        if line.is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
        } else {
            out.push_str(line);
            out.push('\n');
            blank = false;
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse() {
        engine();
    }

    #[test]
    fn tidy_collapses_blank_lines_outside_fences() {
        assert_eq!(tidy("\n\n# A  \n\n\n\ntext\n"), "# A\n\ntext\n");
        assert_eq!(
            tidy("a\n\n\n````json\nx  \n\n\n```\n````\n\n\nb\n\n"),
            "a\n\n````json\nx  \n\n\n```\n````\n\nb\n"
        );
    }

    #[test]
    fn catalog_format_has_the_generated_header() {
        let text = catalog_format();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("# The catalog format"));
        assert_eq!(lines.next(), Some(""));
        assert_eq!(
            lines.next(),
            Some(
                "> Generated from `codegen/templates/catalog-format.md` by \
                 `cargo run -p auditcat-codegen -- generate`; do not edit."
            )
        );
        assert_eq!(lines.next(), Some(""));
    }
}
