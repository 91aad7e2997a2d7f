//! The generated Markdown reference (`generated/docs/`): every link resolves,
//! every catalog item is mentioned, and hostile catalog text
//! (`adversarial/catalog/`) stays text.
//!
//! The Markdown is read here with a small scanner of its own: fenced blocks,
//! code spans, backslash escapes, headings and their GitHub anchors. It is
//! written independently of the renderer, so that the two check each other.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use auditcat_codegen::render::docs::{self, escape};
use auditcat_codegen::{ir, Builder, Files};

/// The repository.
fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Loads the catalog in `dir`, failing the test with its errors.
fn load(dir: &Path) -> ir::Catalog {
    Builder::new()
        .catalog_dir(dir)
        .load()
        .unwrap_or_else(|e| panic!("{} does not load:\n{e}", dir.display()))
}

fn bundled() -> ir::Catalog {
    load(&repo().join("catalog"))
}

fn hostile() -> ir::Catalog {
    load(&repo().join("tests/adversarial/catalog"))
}

/// The page of `path` (`docs/kintone.md`).
fn page<'a>(files: &'a Files, path: &str) -> &'a str {
    files
        .get(Path::new(path))
        .unwrap_or_else(|| panic!("no page {path}; pages: {:?}", files.keys()))
}

// ---------------------------------------------------------------------------
// A small Markdown scanner

/// The lines of a page outside fenced code blocks, with their numbers (from 1).
fn prose_lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut fence: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let ticks = trimmed.bytes().take_while(|&b| b == b'`').count();
        match fence {
            Some(open) => {
                if ticks >= open && trimmed[ticks..].trim().is_empty() {
                    fence = None;
                }
            }
            None if ticks >= 3 && !trimmed[ticks..].contains('`') => fence = Some(ticks),
            None => out.push((i + 1, line)),
        }
    }
    assert!(fence.is_none(), "a fenced block is never closed");
    out
}

/// A piece of an inline line.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    /// Text outside code spans, escapes still in it.
    Text(&'a str),
    /// The content of a code span.
    Code(&'a str),
}

/// The code spans of a line, as byte ranges of the whole span (fences
/// included) and of its content: a backtick run that is not backslash-escaped
/// opens a span that the next run of the same length closes.
fn code_spans(line: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let bytes = line.as_bytes();
    let run_at = |i: usize| bytes[i..].iter().take_while(|&&b| b == b'`').count();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => {
                let run = run_at(i);
                let mut j = i + run;
                let mut close = None;
                while j < bytes.len() {
                    if bytes[j] == b'`' {
                        let r = run_at(j);
                        if r == run {
                            close = Some(j);
                            break;
                        }
                        j += r;
                    } else {
                        j += 1;
                    }
                }
                match close {
                    Some(j) => {
                        out.push((i..j + run, i + run..j));
                        i = j + run;
                    }
                    None => i += run,
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// Splits a line into text and code spans.
fn pieces(line: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    for (span, content) in code_spans(line) {
        out.push(Piece::Text(&line[at..span.start]));
        out.push(Piece::Code(&line[content]));
        at = span.end;
    }
    out.push(Piece::Text(&line[at..]));
    out
}

/// The text of a line outside its code spans (each span becomes `CODE`).
fn without_code(line: &str) -> String {
    pieces(line)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t,
            Piece::Code(_) => "CODE",
        })
        .collect()
}

/// What a reader sees of inline Markdown: escapes and entities resolved,
/// code spans as their content.
fn visible(line: &str) -> String {
    let mut out = String::new();
    for p in pieces(line) {
        match p {
            Piece::Code(c) => {
                let c = c
                    .strip_prefix(' ')
                    .and_then(|c| c.strip_suffix(' '))
                    .unwrap_or(c);
                out.push_str(c);
            }
            Piece::Text(t) => {
                let mut chars = t.chars().peekable();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' if chars.peek().is_some_and(char::is_ascii_punctuation) => {
                            out.push(chars.next().expect("peeked"));
                        }
                        '&' => {
                            let rest: String = chars.clone().take(6).collect();
                            let entity =
                                [("lt;", '<'), ("gt;", '>'), ("amp;", '&'), ("quot;", '"')]
                                    .into_iter()
                                    .find(|(name, _)| rest.starts_with(name));
                            match entity {
                                Some((name, ch)) => {
                                    out.push(ch);
                                    for _ in 0..name.len() {
                                        chars.next();
                                    }
                                }
                                None => out.push('&'),
                            }
                        }
                        _ => out.push(c),
                    }
                }
            }
        }
    }
    out
}

/// The `|` that separate the cells of a table row: a backslash and the
/// character after it go together, as GitHub reads rows.
fn cell_pipes(row: &str) -> usize {
    let mut n = 0;
    let mut chars = row.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '|' => n += 1,
            _ => {}
        }
    }
    n
}

/// GitHub's anchor of a heading text.
fn slug(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a page, from its headings, numbered as GitHub numbers
/// repeats, each with the heading's visible text.
fn anchors(text: &str) -> BTreeMap<String, String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for (_, line) in prose_lines(text) {
        let hashes = line.bytes().take_while(|&b| b == b'#').count();
        if !(1..=6).contains(&hashes) || !line[hashes..].starts_with(' ') {
            continue;
        }
        let heading = visible(line[hashes..].trim());
        let base = slug(heading.trim());
        let mut anchor = base.clone();
        while out.contains_key(&anchor) {
            let n = counts.entry(base.clone()).or_default();
            *n += 1;
            anchor = format!("{base}-{n}");
        }
        out.insert(anchor, heading);
    }
    out
}

/// A link of a page.
struct Link {
    /// Its line.
    line: usize,
    /// What a reader sees of its text.
    text: String,
    /// Where it points.
    target: String,
}

/// Every link of a page: `[text](target)` outside code spans and fences.
fn links(text: &str) -> Vec<Link> {
    let mut out = Vec::new();
    for (n, line) in prose_lines(text) {
        // The line with code spans and escaped characters blanked out, byte for byte.
        let mut mask = line.as_bytes().to_vec();
        for (span, _) in code_spans(line) {
            mask[span].fill(b'x');
        }
        let mut i = 0;
        while i < mask.len() {
            if mask[i] == b'\\' {
                let len = line[i + 1..].chars().next().map_or(0, char::len_utf8);
                mask[i..=i + len].fill(b'x');
                i += len;
            }
            i += 1;
        }
        let mask = String::from_utf8_lossy(&mask).into_owned();
        let mut opens = Vec::new();
        let mut i = 0;
        while i < mask.len() {
            match mask.as_bytes()[i] {
                b'[' => opens.push(i),
                b']' if mask[i..].starts_with("](") => {
                    let end = mask[i..].find(')').map_or(mask.len(), |e| i + e);
                    if let Some(open) = opens.pop() {
                        // A table row loses the backslash of `\|` first, even in code.
                        let raw = &line[open + 1..i];
                        let raw = if line.starts_with('|') {
                            raw.replace("\\|", "|")
                        } else {
                            raw.to_owned()
                        };
                        out.push(Link {
                            line: n,
                            text: visible(&raw),
                            target: line[i + 2..end].to_owned(),
                        });
                    }
                    i = end;
                }
                _ => {}
            }
            i += 1;
        }
    }
    out
}

/// `base` joined with the relative `path`, `..` resolved.
fn resolve(base: &Path, path: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for c in base.join(path).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Every relative link of `files` names a page of `files` and an anchor of
/// it, and the heading it lands on shows the link's text.
fn check_links(files: &Files) {
    let anchors: BTreeMap<&Path, BTreeMap<String, String>> = files
        .iter()
        .map(|(path, text)| (path.as_path(), anchors(text)))
        .collect();
    let mut broken = Vec::new();
    let mut count = 0;
    for (path, text) in files {
        for Link { line, text, target } in links(text) {
            count += 1;
            let at = format!("{}:{line}: [{text}]({target})", path.display());
            if target.contains("://") {
                broken.push(format!("{at}: external link"));
                continue;
            }
            let (file, anchor) = target.split_once('#').unwrap_or((&target, ""));
            let target_path = if file.is_empty() {
                path.clone()
            } else {
                resolve(path.parent().unwrap_or(Path::new("")), file)
            };
            let Some(target_anchors) = anchors.get(target_path.as_path()) else {
                broken.push(format!("{at}: no such file"));
                continue;
            };
            if anchor.is_empty() {
                continue;
            }
            match target_anchors.get(anchor) {
                None => broken.push(format!("{at}: no such anchor")),
                Some(heading) if !heading.contains(&text) => {
                    broken.push(format!("{at}: lands on the heading {heading:?}"))
                }
                Some(_) => {}
            }
        }
    }
    assert!(count > 0, "no links found");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

// ---------------------------------------------------------------------------
// The tests

#[test]
fn scanner_reads_markdown_as_github_does() {
    assert_eq!(
        pieces(r"a `b|c` \`d ``e`f`` g"),
        vec![
            Piece::Text("a "),
            Piece::Code("b|c"),
            Piece::Text(r" \`d "),
            Piece::Code("e`f"),
            Piece::Text(" g"),
        ]
    );
    assert_eq!(visible(r"a\|b &lt;c&gt; `d\|`"), r"a|b <c> d\|");
    assert_eq!(cell_pipes(r"| a\|b | `c\|d` | e\\|"), 4);
    assert_eq!(
        anchors("# A\n## Notes\n```\n# not a heading\n```\n### Notes\n#### Case: `x`\n")
            .into_keys()
            .collect::<BTreeSet<_>>(),
        BTreeSet::from(["a", "case-x", "notes", "notes-1"].map(String::from))
    );
    let found: Vec<(String, String)> = links(r"[`a|b`](#ab), \[no](x) `[no](y)` [x \] y](#z)")
        .into_iter()
        .map(|l| (l.text, l.target))
        .collect();
    assert_eq!(
        found,
        [("a|b", "#ab"), ("x ] y", "#z")].map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
}

#[test]
fn bundled_links_resolve() {
    check_links(&docs::render(&bundled()));
}

#[test]
fn hostile_links_resolve() {
    check_links(&docs::render(&hostile()));
}

#[test]
fn pages_start_with_the_generated_header() {
    for files in [docs::render(&bundled()), docs::render(&hostile())] {
        for (path, text) in &files {
            let mut lines = text.lines();
            let title = lines.next().unwrap_or_default();
            assert!(title.starts_with("# "), "{}: {title}", path.display());
            assert_eq!(lines.next(), Some(""), "{}", path.display());
            let note = lines.next().unwrap_or_default();
            assert!(
                note.starts_with("> Generated from ")
                    && note.contains("`cargo run -p auditcat-codegen -- generate`")
                    && note.ends_with("do not edit."),
                "{}: {note}",
                path.display()
            );
            assert!(!text.contains("<!--"), "{}", path.display());
            assert!(text.ends_with('\n') && !text.ends_with("\n\n"));
        }
    }
}

#[test]
fn catalog_format_page_is_the_catalog_format() {
    let files = docs::render(&bundled());
    assert_eq!(
        page(&files, "docs/catalog-format.md"),
        docs::catalog_format()
    );
}

#[test]
fn rendering_is_deterministic() {
    assert_eq!(docs::render(&bundled()), docs::render(&bundled()));
}

/// Whether `page` shows `name` as code (in a cell or in running text) or as text.
fn mentions(page: &str, name: &str) -> bool {
    page.contains(&escape::code(name, escape::Place::Cell))
        || page.contains(&escape::code(name, escape::Place::Line))
        || page.contains(&escape::text(name))
}

/// Every source, module, action, alias, case, property and enumerated value
/// is on its source's page, and every source is in the index.
fn check_coverage(catalog: &ir::Catalog) {
    let files = docs::render(catalog);
    let index = page(&files, "docs/README.md");
    let mut missing = Vec::new();
    for s in &catalog.sources {
        if !index.contains(&format!("({}.md)", s.id)) {
            missing.push(format!("README.md: source {}", s.id));
        }
        let path = format!("docs/{}.md", s.id);
        let text = page(&files, &path);
        let mut need = |what: &str, name: &str| {
            let shown = mentions(text, name) || (what == "example" && text.contains(name));
            if !shown {
                missing.push(format!("{path}: {what} {name:?}"));
            }
        };
        need("source", &s.id);
        for m in &s.modules {
            need("module", &m.name);
            for alias in &m.aliases {
                need("module alias", alias);
            }
            for a in &m.actions {
                need("action", &a.name);
                for alias in &a.aliases {
                    need("action alias", alias);
                }
                for v in &a.variants {
                    if let Some(name) = &v.name {
                        need("case", &format!("Case: {name}"));
                    }
                    for e in &v.examples {
                        // Examples are shown verbatim, in fenced blocks.
                        need("example", &e.text);
                    }
                }
            }
        }
        for p in &s.properties {
            need("property", &p.key);
            for v in &p.values {
                need("enumerated value", &v.value);
            }
        }
        for l in &s.levels {
            need("level", &l.name);
            for label in &l.labels {
                need("level label", label);
            }
        }
        for d in &s.documents {
            need("document", &d.file);
        }
    }
    assert!(
        missing.is_empty(),
        "not on the pages:\n{}",
        missing.join("\n")
    );
}

#[test]
fn bundled_catalog_is_covered() {
    let catalog = bundled();
    check_coverage(&catalog);
    // The enumerations the reference must list in full.
    let files = docs::render(&catalog);
    let kintone = page(&files, "docs/kintone.md");
    let source = |id: &str| {
        catalog
            .sources
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("no source {id}"))
    };
    let target = source("kintone")
        .property("target")
        .expect("kintone has `target`");
    assert_eq!(target.values.len(), 20);
    let reason = source("slack")
        .property("reason")
        .expect("slack has `reason`");
    assert_eq!(reason.values.len(), 8);
    let slack_page = page(&files, "docs/slack.md");
    for (text, p) in [(kintone, target), (slack_page, reason)] {
        for v in &p.values {
            let row = format!("| `{}` | {} |", v.value, v.description);
            assert!(text.contains(&row), "no value row {row}");
        }
    }
}

#[test]
fn bundled_pages_show_rust_names_and_rules() {
    let files = docs::render(&bundled());
    let kintone = page(&files, "docs/kintone.md");
    assert!(kintone.contains("`auditcat::kintone::AppUpdate`"));
    assert!(kintone.contains("`AppUpdate::parse(complement: &str)`"));
    assert!(kintone.contains("`auditcat::kintone::Event::parse(Action::AppUpdate, input)`"));
    let slack = page(&files, "docs/slack.md");
    assert!(slack.contains("`auditcat::slack::Response::parse(json)`"));
    let sap = page(&files, "docs/sap-btp.md");
    assert!(sap.contains("`auditcat::sap_btp::classify(json)`"));
    assert!(sap.contains("## Identification rules"));
    assert!(sap.contains("### Events that share a rule"));
    assert!(sap.contains("`\"Creating access token: \"`"));
}

#[test]
fn hostile_catalog_is_covered() {
    check_coverage(&hostile());
}

#[test]
fn hostile_text_stays_text() {
    let files = docs::render(&hostile());
    let mut problems = Vec::new();
    for (path, text) in &files {
        let path = path.display();
        let lines = prose_lines(text);
        // Tables keep their column count.
        let mut columns: Option<usize> = None;
        for &(n, line) in &lines {
            if line.starts_with('|') {
                let pipes = cell_pipes(line);
                match columns {
                    None => columns = Some(pipes),
                    Some(c) if c != pipes => {
                        problems.push(format!("{path}:{n}: {pipes} pipes, header has {c}: {line}"))
                    }
                    Some(_) => {}
                }
            } else {
                columns = None;
            }
        }
        // No raw HTML outside code; headings are one line of text.
        for &(n, line) in &lines {
            if without_code(line).contains('<') {
                problems.push(format!("{path}:{n}: raw `<`: {line}"));
            }
        }
    }
    let hostile_page = page(&files, "docs/hostile.md");
    // Template syntax arrives as data and is shown as written.
    for literal in [
        "{{ x }}",
        "{% if %}",
        "{% raw %}",
        "{% if true %}tera{% endif %}",
        "{% for x in y %}",
        "{{ tera }}",
        "監査ログの説明です。",
        "日本語",
        "laborum. The end",
        "*/",
    ] {
        if !hostile_page.contains(literal) {
            problems.push(format!(
                "docs/hostile.md: {literal:?} is not shown literally"
            ));
        }
    }
    // Headings show the names as written.
    let headings: Vec<String> = prose_lines(hostile_page)
        .into_iter()
        .filter(|(_, l)| l.starts_with('#'))
        .map(|(_, l)| visible(l.trim_start_matches('#').trim()))
        .collect();
    for name in [
        "Action | <b>html</b>",
        "{{ x }} {% if %} */ #",
        "Case: case | <b>one</b>",
        "Case: case `two` 日本語",
        "a|b",
        "`tick`",
    ] {
        if !headings.iter().any(|h| h == name) {
            problems.push(format!("docs/hostile.md: no heading {name:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
