//! Writing generated files, all or nothing.
//!
//! A run first writes every changed file to a temporary name beside its
//! target; only when all of them are written does it rename them into place,
//! so a failure (a full disk, a file where a directory should be) leaves the
//! output directory as it was. Files are written only when their content
//! changed. Generated files that the catalog no longer produces (a removed
//! source's module and page) are removed; a file counts as generated when its
//! first lines name the generator, so nothing written by hand is touched, and
//! nothing outside the output directory is.

use std::collections::{BTreeMap, BTreeSet};
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
    /// Generated files of an earlier run that the catalog no longer produces.
    pub removed: Vec<PathBuf>,
}

/// The suffix of temporary files.
const TMP: &str = ".auditcat-tmp";

/// The mark every generated file carries in its first lines.
const MARK: &str = "auditcat-codegen";

fn tmp_path(path: &Path) -> PathBuf {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(TMP);
    PathBuf::from(tmp)
}

/// Writes `files` under `dir`, all or nothing; see the module docs.
pub fn write(dir: &Path, files: &Files) -> io::Result<Written> {
    let mut written = Written::default();
    let mut pending = Vec::new();
    for (rel, content) in files {
        let path = dir.join(rel);
        if fs::read(&path).is_ok_and(|old| old == content.as_bytes()) {
            written.unchanged.push(path);
        } else {
            pending.push((path, content));
        }
    }
    // Phase 1: every change to a temporary file; on failure, undo them all.
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (path, content) in &pending {
        let tmp = tmp_path(path);
        let result = path
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&tmp, content));
        if let Err(e) = result {
            for (t, _) in &temps {
                let _ = fs::remove_file(t);
            }
            let _ = fs::remove_file(&tmp);
            return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display())));
        }
        temps.push((tmp, path.clone()));
    }
    // Phase 2: into place.
    for (tmp, path) in temps {
        fs::rename(&tmp, &path).map_err(|e| {
            let _ = fs::remove_file(&tmp);
            io::Error::new(e.kind(), format!("{}: {e}", path.display()))
        })?;
        written.changed.push(path);
    }
    written.removed = remove_stale(dir, files)?;
    Ok(written)
}

/// Removes generated files (and leftover temporary files) in the directories
/// that `files` writes into, when `files` no longer holds them.
fn remove_stale(dir: &Path, files: &Files) -> io::Result<Vec<PathBuf>> {
    let wanted: BTreeSet<PathBuf> = files.keys().map(|rel| dir.join(rel)).collect();
    let dirs: BTreeSet<PathBuf> = wanted
        .iter()
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    let mut removed = Vec::new();
    for d in dirs {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_file() || wanted.contains(&path) {
                continue;
            }
            let leftover = path.to_string_lossy().ends_with(TMP);
            if leftover || is_generated(&path) {
                fs::remove_file(&path)?;
                removed.push(path);
            }
        }
    }
    Ok(removed)
}

/// Whether a file's first lines name the generator.
fn is_generated(path: &Path) -> bool {
    let Ok(text) = fs::read(path) else {
        return false;
    };
    let head = &text[..text.len().min(400)];
    String::from_utf8_lossy(head)
        .lines()
        .take(4)
        .any(|l| l.contains(MARK) && (l.contains("@generated") || l.contains("Generated")))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("auditcat-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn files(entries: &[(&str, &str)]) -> Files {
        entries
            .iter()
            .map(|(p, t)| (PathBuf::from(p), (*t).to_owned()))
            .collect()
    }

    #[test]
    fn a_failed_write_changes_nothing() {
        let dir = scratch("atomic");
        write(
            &dir,
            &files(&[("src/a.rs", "// @generated by auditcat-codegen\nold a\n")]),
        )
        .unwrap();
        // `docs` is a file, so nothing can be written below it.
        fs::write(dir.join("docs"), "in the way").unwrap();
        let err = write(
            &dir,
            &files(&[
                ("src/a.rs", "// @generated by auditcat-codegen\nnew a\n"),
                ("docs/b.md", "# b\n"),
            ]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("docs"), "{err}");
        let a = fs::read_to_string(dir.join("src/a.rs")).unwrap();
        assert!(a.contains("old a"), "{a}");
        assert!(!dir.join("src/a.rs.auditcat-tmp").exists());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn stale_generated_files_go_and_hand_written_ones_stay() {
        let dir = scratch("stale");
        let old = files(&[
            (
                "src/sources/a.rs",
                "// @generated by auditcat-codegen from catalog/a/\n",
            ),
            (
                "src/sources/b.rs",
                "// @generated by auditcat-codegen from catalog/b/\n",
            ),
        ]);
        write(&dir, &old).unwrap();
        fs::write(dir.join("src/sources/mine.rs"), "// written by hand\n").unwrap();
        fs::write(dir.join("src/sources/a.rs.auditcat-tmp"), "half").unwrap();
        let new = files(&[(
            "src/sources/a.rs",
            "// @generated by auditcat-codegen from catalog/a/\n",
        )]);
        let w = write(&dir, &new).unwrap();
        assert_eq!(w.removed.len(), 2, "{w:?}");
        assert!(!dir.join("src/sources/b.rs").exists());
        assert!(dir.join("src/sources/mine.rs").exists());
        let _ = fs::remove_dir_all(&dir);
    }
}
