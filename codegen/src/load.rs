//! Stage 1: read the catalog directory into raw models, with a line for every YAML path.
//!
//! The layout is `<catalog>/<source>/<name>.yaml`. Files are read in sorted
//! order so that the result does not depend on the file system. serde rejects
//! unknown keys and wrong types; a YAML event pass records the line of every
//! node so that later stages can say where a mistake is.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diag::{Diagnostics, Error};
use crate::model::CatalogFile;

/// A parsed catalog file.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// Path for messages (as found under the catalog directory, prefixed by its name).
    pub path: PathBuf,
    /// The file's real path, as read.
    pub source_path: PathBuf,
    /// The source directory it lies in.
    pub dir: String,
    /// Its content.
    pub file: CatalogFile,
    /// Line of every YAML path.
    pub lines: LineIndex,
}

/// Maps YAML paths (`modules[0].actions[2].name`) to 1-based lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    lines: HashMap<String, usize>,
}

impl LineIndex {
    /// Builds the index of a YAML text; `None` when the text is not YAML.
    pub fn of(text: &str) -> Option<LineIndex> {
        let mut builder = IndexBuilder::default();
        Parser::new_from_str(text).load(&mut builder, false).ok()?;
        Some(LineIndex {
            lines: builder.lines,
        })
    }

    /// The line of `path`, or of its nearest ancestor that has one.
    pub fn line(&self, path: &str) -> Option<usize> {
        let mut path = path;
        loop {
            if let Some(&line) = self.lines.get(path) {
                return Some(line);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, next: usize },
}

#[derive(Default)]
struct IndexBuilder {
    stack: Vec<Frame>,
    lines: HashMap<String, usize>,
}

impl IndexBuilder {
    /// The path of the node that starts now, advancing the parent's state.
    /// `None` when the event is a mapping key.
    fn node_path(&mut self, scalar: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) => Some(if path.is_empty() {
                    k
                } else {
                    format!("{path}.{k}")
                }),
                None => {
                    *key = Some(scalar.unwrap_or("?").to_owned());
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for IndexBuilder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let line = mark.line();
        match ev {
            Event::Scalar(value, ..) => {
                if let Some(p) = self.node_path(Some(&value)) {
                    self.lines.entry(p).or_insert(line);
                } else if let Some(Frame::Map { path, key: Some(k) }) = self.stack.last() {
                    // Key line: the value of a block mapping may start later.
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    self.lines.insert(p, line);
                }
            }
            Event::Alias(_) => {
                self.node_path(None);
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let p = self.node_path(None).unwrap_or_default();
                self.lines.entry(p.clone()).or_insert(line);
                self.stack.push(if matches!(ev, Event::SequenceStart(..)) {
                    Frame::Seq { path: p, next: 0 }
                } else {
                    Frame::Map { path: p, key: None }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// Reads every `<source>/*.yaml` under `dir`. Files that cannot be read or
/// parsed are reported in `diag` and left out.
pub fn load_dir(dir: &Path, diag: &mut Diagnostics) -> Vec<LoadedFile> {
    let shown = dir.file_name().map(PathBuf::from).unwrap_or_default();
    let mut files = Vec::new();
    let sources = match sorted_entries(dir) {
        Ok(entries) => entries,
        Err(e) => {
            diag.push(whole_file(
                &shown,
                format!("cannot read the catalog directory: {e}"),
            ));
            return files;
        }
    };
    for source in sources.into_iter().filter(|p| p.is_dir()) {
        let dir_name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let entries = match sorted_entries(&source) {
            Ok(entries) => entries,
            Err(e) => {
                diag.push(whole_file(
                    &shown.join(&dir_name),
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        for path in entries.into_iter().filter(|p| is_yaml(p)) {
            let name = shown
                .join(&dir_name)
                .join(path.file_name().unwrap_or_default());
            match fs::read_to_string(&path) {
                Ok(text) => {
                    if let Some(mut file) = load_text(&name, &dir_name, &text, diag) {
                        file.source_path = path.clone();
                        files.push(file);
                    }
                }
                Err(e) => diag.push(whole_file(&name, format!("cannot read: {e}"))),
            }
        }
    }
    files
}

/// Parses one catalog file's text; `name` is used in messages.
pub fn load_text(name: &Path, dir: &str, text: &str, diag: &mut Diagnostics) -> Option<LoadedFile> {
    match serde_yaml::from_str::<CatalogFile>(text) {
        Ok(file) => Some(LoadedFile {
            path: name.to_owned(),
            source_path: name.to_owned(),
            dir: dir.to_owned(),
            file,
            lines: LineIndex::of(text).unwrap_or_default(),
        }),
        Err(e) => {
            let line = e.location().map(|l| l.line());
            let message = without_positions(&e.to_string());
            // serde_yaml writes `path: message`; split the path off.
            let (path, message) = match message.split_once(": ") {
                Some((p, m)) if !p.contains(' ') => (p.to_owned(), m.to_owned()),
                _ => (String::new(), message),
            };
            diag.push(Error {
                file: name.to_owned(),
                path,
                line,
                message,
            });
            None
        }
    }
}

/// serde_yaml's message without its ` at line L column C` parts: the line is
/// reported on its own, and a second position (of the enclosing construct)
/// would only confuse.
fn without_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let skip = after
            .find(|c: char| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .unwrap_or(after.len());
        rest = &after[skip..];
    }
    out.push_str(rest);
    out
}

fn whole_file(path: &Path, message: String) -> Error {
    Error {
        file: path.to_owned(),
        path: String::new(),
        line: None,
        message,
    }
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()?;
    entries.sort();
    Ok(entries)
}

fn is_yaml(path: &Path) -> bool {
    path.is_file() && path.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_positions_are_dropped_from_messages() {
        assert_eq!(
            without_positions("found a tab at line 61 column 1, while scanning a plain scalar at line 60 column 9"),
            "found a tab, while scanning a plain scalar"
        );
    }

    #[test]
    fn lines_of_nested_paths() {
        let text = "source: x\nmodules:\n  - name: A\n    actions:\n      - name: B\n        level: Notice\n";
        let index = LineIndex::of(text).unwrap();
        assert_eq!(index.line("source"), Some(1));
        assert_eq!(index.line("modules[0].name"), Some(3));
        assert_eq!(index.line("modules[0].actions[0].level"), Some(6));
        // A missing key falls back to its parent.
        assert_eq!(index.line("modules[0].actions[0].complement"), Some(5));
    }
}
