//! The output directory as the run sees it: what in it a run owns, how a fresh run clears
//! what an earlier one wrote (and nothing else), and how a resumed run checks every piece of
//! earlier work before it builds on it.
//!
//! **Ownership.** A run owns the files the previous dataset's `manifest.json` lists, its work
//! directory `.work/` (when `.work/run.json` is a corpus run key), and, in a directory that was
//! already a corpus dataset, files named as corpus names its outputs (`public/data/train-
//! 00000-of-00002.parquet`, `ledger/ledger-00000-of-00001.parquet`, `lsh-index/band-003.bin`,
//! their `.tmp` forms, …; [`crate::shard::manifest::is_output_name`]; a `README.md` only when it
//! is a card corpus wrote). Nothing else is ever deleted. A file corpus did not write in a
//! tier's release directory (`public/`, `public-share-alike/`, `restricted/`) or `ledger/` stops
//! the run before anything is touched: a loader reading `public/` would take it for part of the
//! release.
//!
//! **Resume trusts nothing it did not check.** Every marker of finished work carries a seal
//! (size and XXH3-128) of each file it stands for; a resumed run re-hashes them and redoes any
//! step whose files are missing or changed. Work files are therefore not fsynced (a machine
//! that crashes leaves seals that fail, not silently bad work); the published files and the
//! manifest are.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{Error, IoResultExt, Location, Result};
use crate::shard::manifest::{DatasetManifest, MANIFEST_FILE, RELEASE_DIRS, Tool, WORK_DIR, is_output_name};

/// `.work/run.json`: what the work in progress was planned from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct RunKey {
    pub(super) tool: Tool,
    pub(super) config_hash: String,
    pub(super) inputs_fingerprint: String,
    pub(super) tasks: usize,
    pub(super) run_date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) against: Option<String>,
}

impl RunKey {
    /// The key of the run in progress in `out`, if there is one.
    pub(super) fn read(out: &Path) -> Option<Self> {
        let bytes = crate::files::read_regular(&out.join(WORK_DIR).join("run.json"), 1 << 20).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

/// Pretty JSON of a marker or key.
pub(super) fn json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(value).map_err(|e| Error::Internal(format!("serializing: {e}")))
}

/// `00042`: the name of task 42's outputs.
pub(super) fn task_name(index: usize) -> String {
    format!("{index:05}")
}

/// What a finished file was: its size and XXH3-128.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Seal {
    bytes: u64,
    xxh3_128: String,
}

impl Seal {
    /// Hashes `path`.
    pub(super) fn of(path: &Path) -> Result<Self> {
        let mut file = std::fs::File::open(path).at(path)?;
        let (hash, bytes) = crate::files::xxh3_128(&mut file, &|_| {}).at(path)?;
        Ok(Self { bytes, xxh3_128: format!("{hash:032x}") })
    }

    /// Whether `path` still is what was sealed (a cheap size check first).
    pub(super) fn holds(&self, path: &Path) -> bool {
        std::fs::metadata(path).is_ok_and(|m| m.len() == self.bytes) && Seal::of(path).is_ok_and(|s| &s == self)
    }
}

/// Seals of every file under `dir`, by `/`-separated relative path, sorted.
pub(super) fn seal_dir(dir: &Path) -> Result<Vec<(String, Seal)>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).map_err(|e| Error::Internal(e.to_string()))?;
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            out.push((rel, Seal::of(entry.path())?));
        }
    }
    Ok(out)
}

/// Whether every sealed file under `dir` is intact.
pub(super) fn dir_holds(dir: &Path, seals: &[(String, Seal)]) -> bool {
    seals.iter().all(|(rel, seal)| seal.holds(&dir.join(rel)))
}

/// Writes a work file atomically (temp + rename), without fsync: see the module docs.
pub(super) fn write_work(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = WorkFile::create(path)?;
    file.write(bytes)?;
    file.finish()
}

/// A work file written as it goes (to `<path>.tmp`, renamed by [`WorkFile::finish`]): for
/// outputs too large to gather in memory first.
pub(super) struct WorkFile {
    out: std::io::BufWriter<std::fs::File>,
    tmp: PathBuf,
    path: PathBuf,
}

impl WorkFile {
    pub(super) fn create(path: &Path) -> Result<Self> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).at(parent)?;
        }
        let tmp = crate::shard::tmp_path(path);
        let file = std::fs::File::create(&tmp).at(&tmp)?;
        Ok(Self { out: std::io::BufWriter::with_capacity(1 << 20, file), tmp, path: path.to_path_buf() })
    }

    pub(super) fn write(&mut self, bytes: &[u8]) -> Result<()> {
        std::io::Write::write_all(&mut self.out, bytes).at(&self.tmp)
    }

    pub(super) fn finish(self) -> Result<()> {
        let Self { out, tmp, path } = self;
        out.into_inner().map_err(std::io::IntoInnerError::into_error).at(&tmp)?;
        std::fs::rename(&tmp, &path).at(&path)
    }
}

#[derive(Serialize, Deserialize)]
struct Marker<T> {
    value: T,
    seals: Vec<Seal>,
}

/// What a finished step recorded in `marker` (when every file `outputs` names for it is still
/// what was sealed), or else `step()`'s result, recorded there with the seals of its outputs:
/// how every resumable step after the tasks skips work a killed run already did, and redoes
/// work that was damaged since.
pub(super) fn marked<T: Serialize + DeserializeOwned>(
    marker: &Path,
    outputs: impl Fn(&T) -> Vec<PathBuf>,
    step: impl FnOnce() -> Result<T>,
) -> Result<T> {
    if let Some(done) = std::fs::read(marker).ok().and_then(|b| serde_json::from_slice::<Marker<T>>(&b).ok()) {
        let files = outputs(&done.value);
        if files.len() == done.seals.len() && files.iter().zip(&done.seals).all(|(f, s)| s.holds(f)) {
            return Ok(done.value);
        }
        tracing::warn!(marker = %marker.display(), "Finished work was damaged or is missing; doing it again.");
    }
    let value = step()?;
    let seals = outputs(&value).iter().map(|f| Seal::of(f)).collect::<Result<Vec<_>>>()?;
    let marker_json = Marker { value, seals };
    write_work(marker, &json(&marker_json)?)?;
    Ok(marker_json.value)
}

/// The value a finished step recorded in `marker` (its seals were checked when it was made or
/// skipped; a step reading another's result trusts it).
pub(super) fn marker_value<T: DeserializeOwned>(marker: &Path) -> Result<T> {
    let bytes = std::fs::read(marker).at(marker)?;
    serde_json::from_slice::<Marker<T>>(&bytes)
        .map(|m| m.value)
        .map_err(|e| Error::Internal(format!("{}: unreadable marker: {e}", marker.display())))
}

/// `rel`'s files under `out/dir` (recursively), `/`-separated relative to `out`.
fn files_under(out: &Path, dir: &str) -> Vec<String> {
    let root = out.join(dir);
    if !root.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            e.path()
                .strip_prefix(out)
                .ok()
                .map(|r| r.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
        })
        .collect()
}

/// Directories a run writes into (besides `.work/`).
const OUTPUT_DIRS: [&str; 6] = ["ledger", "attribution", "lsh-index", "lsh-index.tmp", ".cache", "report"];

/// Files directly in `out` a run writes.
const OUTPUT_FILES: [&str; 6] = [
    MANIFEST_FILE,
    "manifest.json.tmp",
    "clusters.parquet",
    "clusters.parquet.tmp",
    crate::shard::card::CARD,
    "README.md.tmp",
];

/// The directories a run writes into: the tiers' releases, then the rest.
fn output_dirs() -> impl Iterator<Item = &'static str> {
    RELEASE_DIRS.into_iter().chain(OUTPUT_DIRS)
}

/// Whether corpus wrote `rel` in `out`, judged by its name (and, for a `README.md`, by the
/// card's marker in it: a steward's own README is never taken for one).
fn ours_by_name(out: &Path, rel: &str) -> bool {
    is_output_name(rel) && (!rel.ends_with(crate::shard::card::CARD) || crate::shard::card::is_card(&out.join(rel)))
}

/// Every file in the output directories of `out` (and its own top-level files).
fn output_files(out: &Path) -> Vec<String> {
    let mut files: Vec<String> = output_dirs().flat_map(|d| files_under(out, d)).collect();
    files.extend(OUTPUT_FILES.iter().filter(|f| out.join(f).is_file()).map(|f| f.to_string()));
    files
}

/// Whether `path` holds a run key of some corpus version (its fields may differ from today's).
fn looks_like_key(path: &Path) -> bool {
    let Ok(bytes) = crate::files::read_regular(path, 1 << 20) else { return false };
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .is_ok_and(|v| v.get("tool").is_some() && v.get("config_hash").is_some())
}

/// Refuses an output whose `.work` or output directories are symbolic links: written or
/// cleared through, they would touch whatever they point to. Checked by every run, resumed too.
pub(super) fn refuse_symlinked_dirs(out: &Path, config: &Path) -> Result<()> {
    for dir in output_dirs().chain([WORK_DIR]) {
        let path = out.join(dir);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::config(
                Location::file(config).with_field("output"),
                format!(
                    "{} is a symbolic link; corpus writes only into directories of its own: remove the link or choose another output directory",
                    path.display()
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses a fresh run into `out` when it holds a finished dataset or an interrupted run: a
/// second `corpus run` into the same directory must not replace a release, or throw away hours
/// of finished tasks, because a flag was forgotten.
pub(super) fn refuse_replacing(out: &Path) -> Result<()> {
    let refuse = |holds: String, choices: &str| {
        Err(Error::OutputInUse {
            path: out.to_path_buf(),
            message: format!("{holds}; {choices}, or choose another output directory"),
        })
    };
    if let Ok(m) = DatasetManifest::read(out) {
        let kept = m.documents.kept;
        return refuse(
            format!(
                "holds a finished dataset ({kept} document{}, run date {}), which this run would replace",
                if kept == 1 { "" } else { "s" },
                m.run_date
            ),
            "run with --resume to check that it is complete and up to date, with --force to rebuild it",
        );
    }
    if crate::shard::manifest::is_dataset_dir(out) && out.join(MANIFEST_FILE).exists() {
        return refuse(
            "holds a dataset of another corpus version or format, which this run would replace".to_string(),
            "run with --force to rebuild it",
        );
    }
    if RunKey::read(out).is_some() {
        return refuse(
            "holds an interrupted run, whose finished tasks this run would throw away".to_string(),
            "run with --resume to continue it (finished tasks are not redone; the result is the same bytes), with --force to start over",
        );
    }
    Ok(())
}

/// Before a fresh run into `out`: clears what earlier runs wrote there, and nothing else, then
/// leaves `key` as the run in progress. Refuses (before touching anything) an `out` whose
/// tier directories or `ledger/` hold files corpus did not write, or whose `.work/` is not corpus's.
pub(super) fn clear_for_fresh_run(out: &Path, config: &Path, key: &RunKey) -> Result<()> {
    let work = out.join(WORK_DIR);
    let refuse = |message: String| Err(Error::config(Location::file(config).with_field("output"), message));
    refuse_symlinked_dirs(out, config)?;
    let manifest = out.join(MANIFEST_FILE).exists().then(|| DatasetManifest::read(out).ok()).flatten();
    // A key of any corpus version, or one a kill left half-written as `run.json.tmp`.
    let previous_key = RunKey::read(out).is_some()
        || looks_like_key(&work.join("run.json"))
        || looks_like_key(&work.join("run.json.tmp"));
    // A `.work` without its key is ours when a corpus dataset holds it: a run killed while it
    // removed its work directory at the end.
    if work.exists() && !previous_key && manifest.is_none() && std::fs::read_dir(&work).at(&work)?.next().is_some() {
        return refuse(format!(
            "{} holds a `{WORK_DIR}` directory that corpus did not write; move it away or choose another output directory",
            out.display()
        ));
    }
    // A dataset of another format (`/1`'s `shards/`) is ours too: its files are named as ours.
    let ours = manifest.is_some() || previous_key || crate::shard::manifest::is_dataset_dir(out);
    let listed: std::collections::HashSet<String> = manifest.iter().flat_map(|m| m.files()).collect();
    let owned = |rel: &str| listed.contains(rel) || (ours && ours_by_name(out, rel));
    // What a run would write over, or publish beside its own: a file not ours that is named as
    // an output (a `manifest.json` of another tool), or is anywhere in the directories a loader
    // or `--against` reads whole. (The input digest cache is never trusted for content.)
    let whole = ["public/", "public-share-alike/", "restricted/", "shards/", "ledger/", "lsh-index/", "lsh-index.tmp/"];
    let foreign: Vec<String> = output_files(out)
        .into_iter()
        .filter(|f| !owned(f) && f != ".cache/input-digests.json")
        .filter(|f| is_output_name(f) || whole.iter().any(|d| f.starts_with(d)))
        .collect();
    if let Some(first) = foreign.first() {
        let n = foreign.len();
        let (s, them) = if n == 1 { ("", "it") } else { ("s", "them") };
        return refuse(format!(
            "{} holds {n} file{s} corpus did not write where it writes its outputs (e.g. {first}); move {them} out of the output directory: corpus never deletes or overwrites files it did not write, and a loader reading a shard directory would take {them} for part of the release",
            out.display(),
        ));
    }
    // The earlier run's work, then this run's key: from here on a kill leaves a run in
    // progress (which --resume finishes, and whose end removes stale shards), never a
    // "complete" dataset with files missing.
    // The new key replaces the old one atomically, and only then goes the rest of `.work`:
    // whenever a kill comes, `.work` holds a key and stays recognisably ours.
    std::fs::create_dir_all(&work).at(&work)?;
    write_work(&work.join("run.json"), &json(key)?)?;
    for entry in std::fs::read_dir(&work).at(&work)? {
        let entry = entry.at(&work)?;
        if entry.file_name() == "run.json" {
            continue;
        }
        let path = entry.path();
        if entry.file_type().at(&path)?.is_dir() {
            std::fs::remove_dir_all(&path).at(&path)?;
        } else {
            std::fs::remove_file(&path).at(&path)?;
        }
    }
    // The completeness flag goes first, then what it listed and the rest of ours.
    let manifest_path = out.join(MANIFEST_FILE);
    if ours && manifest_path.exists() {
        std::fs::remove_file(&manifest_path).at(&manifest_path)?;
    }
    for rel in output_files(out).into_iter().filter(|f| owned(f) && f != ".cache/input-digests.json") {
        let path = out.join(&rel);
        std::fs::remove_file(&path).at(&path)?;
    }
    remove_empty_dirs(out);
    Ok(())
}

/// At the end of a run, before its manifest: removes files named like corpus outputs that the
/// new manifest does not list (the shards of an earlier, interrupted run cut differently).
pub(super) fn sweep(out: &Path, manifest: &DatasetManifest) -> Result<()> {
    let listed: std::collections::HashSet<String> = manifest.files().collect();
    for rel in output_files(out) {
        if ours_by_name(out, &rel) && !listed.contains(&rel) && rel != MANIFEST_FILE && !rel.starts_with(".cache/") {
            let path = out.join(&rel);
            std::fs::remove_file(&path).at(&path)?;
        }
    }
    remove_empty_dirs(out);
    Ok(())
}

/// Removes the empty output directories (deepest first); a directory with anything in it stays.
fn remove_empty_dirs(out: &Path) {
    for dir in output_dirs() {
        let root = out.join(dir);
        if !root.is_dir() {
            continue;
        }
        let mut dirs: Vec<PathBuf> = walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_dir())
            .map(|e| e.into_path())
            .collect();
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for d in dirs {
            // Fails (and so keeps it) unless empty.
            let _ = std::fs::remove_dir(&d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> RunKey {
        RunKey {
            tool: Tool::current(),
            config_hash: "c".into(),
            inputs_fingerprint: "i".into(),
            tasks: 1,
            run_date: "2026-12-01".into(),
            against: None,
        }
    }

    #[test]
    fn markers_are_trusted_only_while_their_files_hold() -> Result<()> {
        let dir = tempfile::tempdir().at(Path::new("tmp"))?;
        let out = dir.path().join("part.bin");
        let marker = dir.path().join("part.json");
        let runs = std::cell::Cell::new(0);
        let step = || -> Result<u32> {
            runs.set(runs.get() + 1);
            std::fs::write(&out, b"abc").at(&out)?;
            Ok(7)
        };
        let outputs = |_: &u32| vec![out.clone()];
        assert_eq!(marked(&marker, outputs, step)?, 7);
        assert_eq!(marked(&marker, outputs, step)?, 7);
        assert_eq!(runs.get(), 1, "intact: skipped");
        std::fs::write(&out, b"abd").at(&out)?;
        assert_eq!(marked(&marker, outputs, step)?, 7);
        assert_eq!(runs.get(), 2, "same size, other bytes: redone");
        std::fs::remove_file(&out).at(&out)?;
        marked(&marker, outputs, step)?;
        assert_eq!(runs.get(), 3, "missing: redone");
        Ok(())
    }

    #[test]
    fn a_fresh_run_removes_only_its_own_files_and_refuses_foreign_shards() -> Result<()> {
        let dir = tempfile::tempdir().at(Path::new("tmp"))?;
        let out = dir.path();
        let write = |rel: &str| -> Result<()> {
            let p = out.join(rel);
            std::fs::create_dir_all(p.parent().unwrap_or(out)).at(&p)?;
            std::fs::write(&p, b"x").at(&p)
        };
        // Not a corpus dataset: a file named like a shard is not ours.
        write("public/data/train-00000-of-00001.parquet")?;
        let err = clear_for_fresh_run(out, Path::new("p.toml"), &key()).map_err(|e| e.to_string());
        assert!(err.as_ref().is_err_and(|e| e.contains("did not write")), "{err:?}");
        assert!(out.join("public/data/train-00000-of-00001.parquet").exists(), "nothing touched");
        assert!(!out.join(WORK_DIR).exists());
        // Once it is ours (a run in progress), shard names are ours; a note beside them is not.
        write(".work/run.json")?;
        write_work(&out.join(".work/run.json"), &json(&key())?)?;
        write("notes.txt")?;
        write("attribution/README.txt")?;
        // A README.md is ours only when it is a card corpus wrote: a steward's own would be
        // written over by the run's card, so it is refused, not deleted.
        write("README.md")?;
        let err = clear_for_fresh_run(out, Path::new("p.toml"), &key()).map_err(|e| e.to_string());
        assert!(err.as_ref().is_err_and(|e| e.contains("README.md")), "{err:?}");
        std::fs::rename(out.join("README.md"), out.join("README.txt")).at(out)?;
        let card = out.join("restricted/README.md");
        std::fs::create_dir_all(out.join("restricted")).at(out)?;
        std::fs::write(&card, format!("---\n---\n{}\n", crate::shard::card::MARKER)).at(&card)?;
        clear_for_fresh_run(out, Path::new("p.toml"), &key())?;
        assert!(!out.join("public").exists() && !out.join("restricted").exists());
        assert!(out.join("notes.txt").exists() && out.join("attribution/README.txt").exists());
        assert!(out.join("README.txt").exists());
        assert_eq!(RunKey::read(out), Some(key()));
        write("public/data/my-own.parquet")?;
        assert!(clear_for_fresh_run(out, Path::new("p.toml"), &key()).is_err());
        std::fs::remove_file(out.join("public/data/my-own.parquet")).at(out)?;
        write("lsh-index/extra.bin")?;
        assert!(clear_for_fresh_run(out, Path::new("p.toml"), &key()).is_err(), "a file --against would read");
        std::fs::remove_file(out.join("lsh-index/extra.bin")).at(out)?;
        clear_for_fresh_run(out, Path::new("p.toml"), &key())?;
        Ok(())
    }

    #[test]
    fn a_kill_at_any_point_of_the_clean_up_leaves_a_directory_corpus_still_owns() -> Result<()> {
        let dir = tempfile::tempdir().at(Path::new("tmp"))?;
        let out = dir.path();
        let write = |rel: &str, bytes: &[u8]| -> Result<()> {
            let p = out.join(rel);
            std::fs::create_dir_all(p.parent().unwrap_or(out)).at(&p)?;
            std::fs::write(&p, bytes).at(&p)
        };
        // Killed before the first key's rename: only `run.json.tmp`, beside a task's work.
        write(".work/run.json.tmp", &json(&key())?)?;
        write(".work/tasks/00000/part.bin", b"x")?;
        write("public/data/train-00000-of-00001.parquet", b"x")?;
        clear_for_fresh_run(out, Path::new("p.toml"), &key())?;
        assert!(!out.join("public").exists() && !out.join(".work/tasks").exists());
        assert_eq!(RunKey::read(out), Some(key()));
        // The key of another corpus version (other fields): still ours.
        write(".work/run.json", br#"{"tool": {"name": "sovereign-corpus", "version": "0.0.1"}, "config_hash": "x"}"#)?;
        write(".work/tasks/00001/part.bin", b"x")?;
        clear_for_fresh_run(out, Path::new("p.toml"), &key())?;
        assert_eq!(RunKey::read(out), Some(key()));
        assert!(!out.join(".work/tasks").exists());
        Ok(())
    }

    #[test]
    fn output_named_files_of_others_and_symlinked_directories_are_refused() -> Result<()> {
        let dir = tempfile::tempdir().at(Path::new("tmp"))?;
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).at(&out)?;
        // Another tool's manifest.json (not a corpus manifest): never overwritten.
        std::fs::write(out.join(MANIFEST_FILE), b"{\"name\": \"mine\"}").at(&out)?;
        let err = clear_for_fresh_run(&out, Path::new("p.toml"), &key()).map_err(|e| e.to_string());
        assert!(err.as_ref().is_err_and(|e| e.contains("manifest.json")), "{err:?}");
        assert!(out.join(MANIFEST_FILE).exists() && !out.join(WORK_DIR).exists());
        std::fs::remove_file(out.join(MANIFEST_FILE)).at(&out)?;
        // public/ a link to elsewhere: writing (or clearing) through it would touch that.
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).at(&elsewhere)?;
        std::os::unix::fs::symlink(&elsewhere, out.join("public")).at(&out)?;
        let err = clear_for_fresh_run(&out, Path::new("p.toml"), &key()).map_err(|e| e.to_string());
        assert!(err.as_ref().is_err_and(|e| e.contains("symbolic link")), "{err:?}");
        Ok(())
    }
}
