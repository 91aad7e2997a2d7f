//! Writing generated files: only when their content changed, through a
//! temporary file and a rename so that a reader never sees half a file.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Generated files by path relative to the output directory, in path order.
pub type Files = BTreeMap<PathBuf, String>;

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Files whose content changed (or that were new).
    pub changed: Vec<PathBuf>,
    /// Files that were already up to date.
    pub unchanged: Vec<PathBuf>,
}

/// Writes `files` under `dir`.
pub fn write(dir: &Path, files: &Files) -> io::Result<Written> {
    let mut written = Written::default();
    for (rel, content) in files {
        let path = dir.join(rel);
        if fs::read(&path).is_ok_and(|old| old == content.as_bytes()) {
            written.unchanged.push(path);
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut tmp = path.clone().into_os_string();
        tmp.push(".auditcat-tmp");
        let tmp = PathBuf::from(tmp);
        fs::write(&tmp, content)?;
        fs::rename(&tmp, &path).inspect_err(|_| {
            let _ = fs::remove_file(&tmp);
        })?;
        written.changed.push(path);
    }
    Ok(written)
}

/// The files under `dir` whose content differs from `files` (missing ones included).
pub fn stale(dir: &Path, files: &Files) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|(rel, content)| {
            fs::read(dir.join(rel)).map_or(true, |old| old != content.as_bytes())
        })
        .map(|(rel, _)| rel.clone())
        .collect()
}
