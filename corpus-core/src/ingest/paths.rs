//! Resolving a manifest's `files` globs to data files, never leaving the contribution
//! directory: absolute patterns, `..` components and symlinks that point outside are refused.
//!
//! What a contribution's globs can reach ends at three kinds of boundary, whatever the globs
//! say (`**/*.jsonl` included):
//! * a subdirectory with a `contribution.toml` of its own is another contribution, with its
//!   own licence and visibility (a private contribution nested in a public one must never be
//!   read under the parent's terms);
//! * a subdirectory that is a dataset this tool wrote or is writing (an output placed inside
//!   the input): its shards already went through the pipeline, under tiers a re-read would
//!   forget;
//! * anything that is not a regular file (a FIFO, a socket, a device) is refused, never opened.
//!
//! File names that are not UTF-8 are read under a name with each undecodable byte written as
//! `%XX`; two files whose names would then coincide are both accounted for: the second is
//! refused with `duplicate_file_name`.

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
    /// One ledger row per refused pattern or file, and per boundary a pattern could reach.
    pub rejected: Vec<LedgerRow>,
    /// Subdirectories whose files are not this contribution's (see the module docs).
    pub boundaries: Vec<Boundary>,
}

/// A subdirectory the globs of a contribution stop at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Boundary {
    /// Its path relative to the contribution, `/`-separated.
    pub rel: String,
    /// Why its files are not read.
    pub kind: BoundaryKind,
}

/// Why a subdirectory is a boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundaryKind {
    /// It has a `contribution.toml` of its own.
    NestedContribution,
    /// It is a dataset written by this tool.
    Dataset,
}

/// The boundary a directory is, if any.
pub fn boundary_kind(dir: &Path) -> Option<BoundaryKind> {
    if dir.join(MANIFEST_FILE).exists() {
        Some(BoundaryKind::NestedContribution)
    } else if crate::shard::manifest::is_dataset_dir(dir) {
        Some(BoundaryKind::Dataset)
    } else {
        None
    }
}

/// A path component as text: UTF-8 as it is; otherwise each byte that is not part of a valid
/// UTF-8 sequence as `%XX` (and `%` itself as `%25`, so that the escaped form cannot be read
/// back two ways). `to_string_lossy` would map different names to one.
fn component_text(name: &std::ffi::OsStr) -> String {
    if let Some(s) = name.to_str() {
        return s.to_string();
    }
    #[cfg(unix)]
    {
        use std::fmt::Write;
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            for c in chunk.valid().chars() {
                if c == '%' { out.push_str("%25") } else { out.push(c) }
            }
            for b in chunk.invalid() {
                let _ = write!(out, "%{b:02X}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned()
    }
}

/// `/`-joined text of a relative path's components.
pub fn rel_text(rel: &Path) -> String {
    rel.components().map(|c| component_text(c.as_os_str())).collect::<Vec<_>>().join("/")
}

/// Whether a glob could match a file under `dir` (a `/`-separated relative directory): its
/// text up to the first wildcard and `dir/` must agree (a `*` matches across `/` here).
fn may_reach(pattern: &str, dir: &str) -> bool {
    let literal = &pattern[..pattern.find(['*', '?', '[', '{']).unwrap_or(pattern.len())];
    let dir = format!("{dir}/");
    dir.starts_with(literal) || literal.starts_with(&dir)
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
    let mut boundaries = Vec::new();
    let walk = WalkDir::new(&root).follow_links(false).sort_by_file_name().into_iter().filter_entry(|e| {
        // A subdirectory that is another contribution or a dataset ends the walk there.
        if e.depth() == 0 || !e.file_type().is_dir() {
            return true;
        }
        match boundary_kind(e.path()) {
            Some(kind) => {
                if let Ok(rel) = e.path().strip_prefix(&root) {
                    boundaries.push(Boundary { rel: rel_text(rel), kind });
                }
                false
            }
            None => true,
        }
    });
    for entry in walk.filter_map(Result::ok) {
        let is_link = entry.path_is_symlink();
        if entry.file_type().is_dir() || entry.depth() == 0 {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&root) else {
            continue;
        };
        let rel = rel_text(rel);
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
                Ok(target) if target.starts_with(&root) && target.is_dir() => continue,
                // A link into a nested contribution or a dataset would read across the boundary.
                Ok(target) if target.starts_with(&root) => {
                    let crossed = target
                        .ancestors()
                        .skip(1)
                        .take_while(|a| *a != root.as_path())
                        .find_map(|a| boundary_kind(a).map(|k| (a.to_path_buf(), k)));
                    if let Some((dir, kind)) = crossed {
                        let inside = dir.strip_prefix(&root).map(rel_text).unwrap_or_default();
                        let (reason, what) = match kind {
                            BoundaryKind::NestedContribution => {
                                (DropReason::NestedContribution, "another contribution")
                            }
                            BoundaryKind::Dataset => (DropReason::DatasetDirectory, "a dataset written by corpus"),
                        };
                        out.rejected.push(reject(
                            reason,
                            &rel,
                            line,
                            format!("`{rel}` is a symlink into `{inside}/`, which is {what}; it is not read"),
                        ));
                        continue;
                    }
                }
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
        // Only regular files are read: a FIFO would block the run, a device would never end.
        match std::fs::metadata(entry.path()) {
            Ok(m) if m.is_file() => {}
            Ok(m) => {
                out.rejected.push(reject(
                    DropReason::NotARegularFile,
                    &rel,
                    line,
                    format!("`{rel}` is {}; only regular files are read", crate::files::kind_of(&m)),
                ));
                continue;
            }
            Err(e) => {
                out.rejected.push(reject(
                    DropReason::UnreadableFile,
                    &rel,
                    line,
                    format!("cannot stat: {}", crate::files::describe_error(&e)),
                ));
                continue;
            }
        }
        if let Some((first, _)) = found.get(&rel) {
            let first = first.clone();
            let detail = format!(
                "`{rel}` has a name that is not UTF-8 and reads the same as another file's ({}); rename one of them",
                if first == entry.path() { "the same file" } else { "a name with the same `%XX` form" }
            );
            out.rejected.push(reject(DropReason::DuplicateFileName, &rel, line, detail));
            continue;
        }
        found.insert(rel, (entry.path().to_path_buf(), line));
    }
    for b in boundaries {
        // Only where a pattern could have reached it: that is where files seem to be missing.
        if let Some((p, ..)) = matchers.iter().find(|(p, ..)| may_reach(&p.pattern, &b.rel)) {
            let (reason, detail) = match b.kind {
                BoundaryKind::NestedContribution => (
                    DropReason::NestedContribution,
                    format!(
                        "`{}/` has a contribution.toml of its own: its files belong to that contribution, under its own licence and visibility, never to this one",
                        b.rel
                    ),
                ),
                BoundaryKind::Dataset => (
                    DropReason::DatasetDirectory,
                    format!(
                        "`{}/` is a dataset written by corpus (an output directory): datasets are never read as input",
                        b.rel
                    ),
                ),
            };
            out.rejected.push(reject(reason, &format!("{}/", b.rel), p.line, detail));
        }
        out.boundaries.push(b);
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
        match FileKind::for_contribution(&rel) {
            Some(kind) => {
                let size = std::fs::metadata(&abs).map(|m| m.len()).unwrap_or(0);
                out.files.push(DataFile { rel, abs, size, kind });
            }
            None => out.rejected.push(reject(
                DropReason::UnknownFileType,
                &rel,
                line,
                format!(
                    "`{rel}` has no known extension (.jsonl, .jsonl.gz, .jsonl.zst, .parquet, .txt, .csv, .tsv, .json)"
                ),
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
    fn patterns_reach_directories_under_their_literal_prefix() {
        assert!(may_reach("**/*.jsonl", "inner"));
        assert!(may_reach("*/a.jsonl", "inner"));
        assert!(may_reach("data/**", "data/inner"));
        assert!(may_reach("data/*.jsonl", "data/inner"), "`*` matches across `/`");
        assert!(may_reach("inner/a.jsonl", "inner"));
        assert!(!may_reach("data/*.jsonl", "inner"));
        assert!(!may_reach("a.jsonl", "inner"));
    }

    #[test]
    fn resolves_sorted_once_and_rejects_the_rest() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir(dir.path().join("data"))?;
        for f in ["data/b.jsonl", "data/a.jsonl", "data/c.docx", MANIFEST_FILE] {
            std::fs::write(dir.path().join(f), "{}")?;
        }
        let r = resolve(dir.path(), "c", &[pat("data/*.jsonl"), pat("data/*"), pat("none/*"), pat("../up")]);
        let files: Vec<_> = r.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(files, ["data/a.jsonl", "data/b.jsonl"]);
        let reasons: Vec<_> = r.rejected.iter().map(|r| (r.reason, r.file.clone().unwrap_or_default())).collect();
        assert!(reasons.contains(&(Some(DropReason::PathEscapesContribution), "../up".into())));
        assert!(reasons.contains(&(Some(DropReason::NoMatchingFiles), "none/*".into())));
        assert!(reasons.contains(&(Some(DropReason::UnknownFileType), "data/c.docx".into())));
        Ok(())
    }

    #[test]
    fn nested_contributions_and_datasets_end_the_globs() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        for f in ["a.jsonl", "inner/contribution.toml", "inner/memo.jsonl", "out/shards/restricted/x.jsonl"] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap_or(dir.path()))?;
            std::fs::write(p, "{}")?;
        }
        std::fs::write(dir.path().join("out/manifest.json"), "{\n  \"format\": \"sovereign-corpus/1\",\n}")?;
        let r = resolve(dir.path(), "c", &[pat("**/*.jsonl")]);
        let files: Vec<_> = r.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(files, ["a.jsonl"]);
        let kinds: Vec<_> = r.boundaries.iter().map(|b| (b.rel.as_str(), b.kind)).collect();
        assert_eq!(kinds, [("inner", BoundaryKind::NestedContribution), ("out", BoundaryKind::Dataset)]);
        let reasons: Vec<_> = r.rejected.iter().filter_map(|r| r.reason).collect();
        assert_eq!(reasons, [DropReason::NestedContribution, DropReason::DatasetDirectory]);
        // A pattern that cannot reach them records nothing.
        let r = resolve(dir.path(), "c", &[pat("a.jsonl")]);
        assert!(r.rejected.is_empty(), "{:?}", r.rejected);
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_into_a_nested_contribution_is_refused() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir(dir.path().join("inner"))?;
        std::fs::write(dir.path().join("inner/contribution.toml"), "id = \"inner\"")?;
        std::fs::write(dir.path().join("inner/secret.jsonl"), "{}")?;
        std::os::unix::fs::symlink(dir.path().join("inner/secret.jsonl"), dir.path().join("link.jsonl"))?;
        let r = resolve(dir.path(), "c", &[pat("*.jsonl")]);
        assert!(r.files.is_empty(), "{:?}", r.files);
        assert_eq!(r.rejected[0].reason, Some(DropReason::NestedContribution));
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

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused_not_opened() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.jsonl"))?;
        let fifo = dir.path().join("pipe.jsonl");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status()?.success());
        let r = resolve(dir.path(), "c", &[pat("*.jsonl")]);
        assert!(r.files.is_empty(), "{:?}", r.files);
        let reasons: Vec<_> = r.rejected.iter().map(|r| r.reason).collect();
        // /dev/zero is outside the directory; the FIFO is inside but not a regular file.
        assert!(reasons.contains(&Some(DropReason::NotARegularFile)), "{reasons:?}");
        assert!(reasons.contains(&Some(DropReason::PathEscapesContribution)), "{reasons:?}");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_read_under_distinct_escaped_names() -> std::io::Result<()> {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir()?;
        for name in [&b"caf\xe9.jsonl"[..], b"caf\xe8.jsonl", b"caf%E9.jsonl", b"100%.jsonl"] {
            std::fs::write(dir.path().join(std::ffi::OsStr::from_bytes(name)), "{}")?;
        }
        let r = resolve(dir.path(), "c", &[pat("*.jsonl")]);
        let files: Vec<_> = r.files.iter().map(|f| f.rel.as_str()).collect();
        // `caf%E9.jsonl` is valid UTF-8 and keeps its name; the byte 0xE9 takes the same form,
        // so that file is refused (with a row), never lost.
        assert_eq!(files, ["100%.jsonl", "caf%E8.jsonl", "caf%E9.jsonl"]);
        assert_eq!(r.rejected.len(), 1);
        assert_eq!(r.rejected[0].reason, Some(DropReason::DuplicateFileName));
        Ok(())
    }
}
