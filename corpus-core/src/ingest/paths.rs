//! Resolving a manifest's `files` globs to data files, never leaving the contribution
//! directory: absolute patterns, `..` components and symlinks that point outside are refused.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobMatcher};
use walkdir::WalkDir;

use super::manifest::{FilePattern, MANIFEST_FILE};
use super::{DataFile, FileKind};
use crate::ledger::LedgerRow;
use crate::stage::DropReason;

/// What a contribution's `files` resolve to: readable files (sorted by path) and rejections.
#[derive(Debug, Default)]
pub struct Resolved {
    /// Files to read, sorted by relative path, each once.
    pub files: Vec<DataFile>,
    /// One ledger row per refused pattern or file.
    pub rejected: Vec<LedgerRow>,
}

/// Resolves `patterns` inside `dir` for contribution `id`.
pub fn resolve(dir: &Path, id: &str, patterns: &[FilePattern]) -> Resolved {
    let mut out = Resolved::default();
    let reject = |reason: DropReason, file: &str, line: u64, detail: String| {
        LedgerRow::ingest_drop(format!("{id}/{file}"), id, reason).file(file).line(line).field("files").detail(detail)
    };
    let Ok(root) = dir.canonicalize() else {
        out.rejected.push(reject(
            DropReason::UnreadableFile,
            MANIFEST_FILE,
            1,
            "contribution directory is unreadable".into(),
        ));
        return out;
    };
    let mut matchers: Vec<(&FilePattern, GlobMatcher, bool)> = Vec::new();
    for p in patterns {
        if escapes(&p.pattern) {
            out.rejected.push(reject(
                DropReason::PathEscapesContribution,
                &p.pattern,
                p.line,
                format!(
                    "`{}` is absolute or contains `..`; files must stay inside the contribution directory",
                    p.pattern
                ),
            ));
            continue;
        }
        match Glob::new(&p.pattern) {
            Ok(glob) => matchers.push((p, glob.compile_matcher(), false)),
            Err(e) => out.rejected.push(reject(
                DropReason::InvalidManifest,
                &p.pattern,
                p.line,
                format!("`{}` is not a valid glob: {}", p.pattern, e.kind()),
            )),
        }
    }
    // Sorted by relative path, each file once even if several patterns match it.
    let mut found: BTreeMap<String, (PathBuf, u64)> = BTreeMap::new();
    let walk = WalkDir::new(&root).follow_links(false).sort_by_file_name().into_iter();
    for entry in walk.filter_map(Result::ok) {
        let is_link = entry.path_is_symlink();
        if entry.file_type().is_dir() || entry.depth() == 0 {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&root) else {
            continue;
        };
        let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if rel == MANIFEST_FILE {
            continue;
        }
        let mut line = None;
        for (p, m, matched) in &mut matchers {
            if m.is_match(&rel) {
                *matched = true;
                line.get_or_insert(p.line);
            }
        }
        let Some(line) = line else { continue };
        if is_link {
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&root) && target.is_file() => {}
                Ok(target) if target.starts_with(&root) => continue,
                _ => {
                    out.rejected.push(reject(
                        DropReason::PathEscapesContribution,
                        &rel,
                        line,
                        format!("`{rel}` is a symlink that resolves outside the contribution directory"),
                    ));
                    continue;
                }
            }
        }
        found.insert(rel, (entry.path().to_path_buf(), line));
    }
    for (p, _, matched) in &matchers {
        if !matched {
            out.rejected.push(reject(
                DropReason::NoMatchingFiles,
                &p.pattern,
                p.line,
                format!("`{}` matched no file", p.pattern),
            ));
        }
    }
    for (rel, (abs, line)) in found {
        match FileKind::from_name(&rel) {
            Some(kind) => {
                let size = std::fs::metadata(&abs).map(|m| m.len()).unwrap_or(0);
                out.files.push(DataFile { rel, abs, size, kind });
            }
            None => out.rejected.push(reject(
                DropReason::UnknownFileType,
                &rel,
                line,
                format!("`{rel}` has no known extension (.jsonl, .jsonl.gz, .jsonl.zst, .parquet, .txt)"),
            )),
        }
    }
    out
}

/// Whether a pattern is absolute or climbs out with `..`.
fn escapes(pattern: &str) -> bool {
    let path = Path::new(pattern);
    pattern.starts_with('/')
        || pattern.starts_with('\\')
        || path.is_absolute()
        || path.components().any(|c| matches!(c, Component::ParentDir | Component::Prefix(_) | Component::RootDir))
        || pattern.split(['/', '\\']).any(|part| part == "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(p: &str) -> FilePattern {
        FilePattern { pattern: p.to_string(), line: 3 }
    }

    #[test]
    fn escaping_patterns_are_refused() {
        for p in ["../x.jsonl", "/etc/passwd", "data/../../x", "a/..", "..\\x"] {
            assert!(escapes(p), "{p}");
        }
        for p in ["data/*.jsonl", "x..y.txt", "**/*.txt"] {
            assert!(!escapes(p), "{p}");
        }
    }

    #[test]
    fn resolves_sorted_once_and_rejects_the_rest() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir(dir.path().join("data"))?;
        for f in ["data/b.jsonl", "data/a.jsonl", "data/c.csv", MANIFEST_FILE] {
            std::fs::write(dir.path().join(f), "{}")?;
        }
        let r = resolve(dir.path(), "c", &[pat("data/*.jsonl"), pat("data/*"), pat("none/*"), pat("../up")]);
        let files: Vec<_> = r.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(files, ["data/a.jsonl", "data/b.jsonl"]);
        let reasons: Vec<_> = r.rejected.iter().map(|r| (r.reason, r.file.clone().unwrap_or_default())).collect();
        assert!(reasons.contains(&(Some(DropReason::PathEscapesContribution), "../up".into())));
        assert!(reasons.contains(&(Some(DropReason::NoMatchingFiles), "none/*".into())));
        assert!(reasons.contains(&(Some(DropReason::UnknownFileType), "data/c.csv".into())));
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn symlink_out_of_the_directory_is_refused() -> std::io::Result<()> {
        let outside = tempfile::tempdir()?;
        std::fs::write(outside.path().join("secret.jsonl"), "{}")?;
        let dir = tempfile::tempdir()?;
        std::os::unix::fs::symlink(outside.path().join("secret.jsonl"), dir.path().join("link.jsonl"))?;
        let r = resolve(dir.path(), "c", &[pat("*.jsonl")]);
        assert!(r.files.is_empty());
        assert_eq!(r.rejected[0].reason, Some(DropReason::PathEscapesContribution));
        Ok(())
    }
}
