//! Catalog errors: where (file, YAML path, line) and why, collected, not thrown.
//!
//! Every stage pushes into one [`Diagnostics`] and goes on, so an author sees
//! every mistake of a run at once; the run writes nothing when any was found.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::load::LineIndex;

/// One mistake in the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file, as given to the loader (relative to the catalog directory's parent when possible).
    pub file: PathBuf,
    /// The YAML path of the offending node (`modules[0].actions[2].level`), empty for the whole file.
    pub path: String,
    /// The 1-based line of the node, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for Error {}

/// All the mistakes of one run, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Errors(pub Vec<Error>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.0 {
            writeln!(f, "error: {e}")?;
        }
        let n = self.0.len();
        write!(
            f,
            "{n} error{} in the catalog",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Errors {}

/// The accumulator that every stage writes into.
#[derive(Debug, Default)]
#[must_use = "errors collected here must be turned into a result with `finish`"]
pub struct Diagnostics {
    errors: Vec<Error>,
}

/// A place in the catalog: a file and a YAML path in it.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    /// The file.
    pub file: &'a Path,
    /// Line lookup for the file.
    pub lines: &'a LineIndex,
}

impl Diagnostics {
    /// Records a mistake at `path` of the file `at`.
    pub fn error(&mut self, at: At<'_>, path: impl Into<String>, message: impl Into<String>) {
        let path = path.into();
        self.errors.push(Error {
            file: at.file.to_owned(),
            line: at.lines.line(&path),
            path,
            message: message.into(),
        });
    }

    /// Records a mistake found before a line index exists (I/O, YAML syntax).
    pub fn push(&mut self, error: Error) {
        self.errors.push(error);
    }

    /// How many mistakes were recorded so far.
    pub fn count(&self) -> usize {
        self.errors.len()
    }

    /// Whether nothing was found so far.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(value)` when no mistake was recorded, else every mistake.
    pub fn finish<T>(self, value: T) -> Result<T, Errors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(Errors(self.errors))
        }
    }
}
