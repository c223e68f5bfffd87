//! Reading contributions: manifests, file discovery, and streaming readers for JSONL (plain,
//! gzip, zstd), Parquet and plain-text files.
//!
//! Readers push [`Chunk`]s into a sink (ripgrep's push-model `Sink`, which keeps three very
//! different formats simple): each chunk is a bounded [`DocBatch`] plus the ledger rows of the
//! records that could not become documents. Memory is bounded by `[ingest]` limits, never by
//! file size; a record over `max_record_megabytes` is skipped without being buffered.

pub mod csv;
pub mod fingerprint;
pub mod json;
pub mod jsonl;
pub mod manifest;
pub mod parquet;
pub mod parquet_views;
pub mod paths;
pub mod text;

use std::cell::Cell;
use std::num::NonZeroUsize;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::batch::{DocBatch, DocBatchBuilder, DocumentRef};
use crate::error::{Error, Location, Result};
use crate::ledger::LedgerRow;
use crate::stage::DropReason;
use manifest::{MANIFEST_FILE, Manifest};

/// `[ingest]`: how records are read and batched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestConfig {
    /// Most documents per batch handed to the stages.
    #[serde(default = "default_batch_rows")]
    pub batch_rows: NonZeroUsize,
    /// Most text per batch, in MiB (a batch closes at whichever limit comes first).
    #[serde(default = "default_batch_megabytes")]
    pub batch_megabytes: NonZeroUsize,
    /// Longest accepted record (a JSONL line, a text file, a Parquet value), in MiB. Longer
    /// records are dropped as `record_too_large` without being held in memory.
    #[serde(default = "default_max_record_megabytes")]
    pub max_record_megabytes: NonZeroUsize,
    /// Target size of one task, in MiB: Parquet row groups and small text files are grouped
    /// into tasks of about this much input. JSONL files are one task each.
    #[serde(default = "default_task_megabytes")]
    pub task_megabytes: NonZeroUsize,
}

fn default_batch_rows() -> NonZeroUsize {
    NonZeroUsize::new(4096).unwrap_or(NonZeroUsize::MIN)
}
// 8, not 16: each stage copies a batch's text, two tasks run at once, and 8 MiB was as fast
// on the bench corpus with 90 MB less peak RSS (BENCHMARKS.md, issue #17).
fn default_batch_megabytes() -> NonZeroUsize {
    NonZeroUsize::new(8).unwrap_or(NonZeroUsize::MIN)
}
fn default_max_record_megabytes() -> NonZeroUsize {
    NonZeroUsize::new(64).unwrap_or(NonZeroUsize::MIN)
}
fn default_task_megabytes() -> NonZeroUsize {
    NonZeroUsize::new(64).unwrap_or(NonZeroUsize::MIN)
}

impl Default for IngestConfig {
    fn default() -> Self {
        Self {
            batch_rows: default_batch_rows(),
            batch_megabytes: default_batch_megabytes(),
            max_record_megabytes: default_max_record_megabytes(),
            task_megabytes: default_task_megabytes(),
        }
    }
}

const MIB: usize = 1024 * 1024;

impl IngestConfig {
    /// Most text bytes per batch.
    pub fn batch_bytes(&self) -> usize {
        self.batch_megabytes.get().saturating_mul(MIB)
    }
    /// Longest record in bytes.
    pub fn max_record_bytes(&self) -> usize {
        self.max_record_megabytes.get().saturating_mul(MIB)
    }
    /// Target task size in bytes.
    pub fn task_bytes(&self) -> u64 {
        self.task_megabytes.get().saturating_mul(MIB) as u64
    }
}

/// How a data file is read, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// `.jsonl` / `.ndjson`.
    Jsonl,
    /// `.jsonl.gz`.
    JsonlGzip,
    /// `.jsonl.zst` / `.jsonl.zstd`.
    JsonlZstd,
    /// `.parquet`.
    Parquet,
    /// `.txt`: one document per file.
    Text,
    /// `.csv`: a header row, then one record per row.
    Csv,
    /// `.tsv`: as `.csv`, tab-separated.
    Tsv,
    /// `.json`: an array of records, or one record.
    Json,
}

impl FileKind {
    /// The reader for a data file of a contribution: [`FileKind::from_name`]'s, and CSV, TSV
    /// and JSON arrays (contributions come from spreadsheets and scripts; the single-file
    /// commands read JSONL, Parquet and text only).
    pub fn for_contribution(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(FileKind::Csv)
        } else if lower.ends_with(".tsv") {
            Some(FileKind::Tsv)
        } else if lower.ends_with(".json") {
            Some(FileKind::Json)
        } else {
            Self::from_name(name)
        }
    }

    /// The reader for a file name, or `None` for an unknown extension.
    pub fn from_name(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        let ends = |suffixes: &[&str]| suffixes.iter().any(|s| lower.ends_with(s));
        if ends(&[".jsonl", ".ndjson"]) {
            Some(FileKind::Jsonl)
        } else if ends(&[".jsonl.gz", ".ndjson.gz"]) {
            Some(FileKind::JsonlGzip)
        } else if ends(&[".jsonl.zst", ".jsonl.zstd", ".ndjson.zst", ".ndjson.zstd"]) {
            Some(FileKind::JsonlZstd)
        } else if ends(&[".parquet"]) {
            Some(FileKind::Parquet)
        } else if ends(&[".txt"]) {
            Some(FileKind::Text)
        } else {
            None
        }
    }
}

/// A data file of a contribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFile {
    /// Path relative to the contribution directory, `/`-separated.
    pub rel: String,
    /// Absolute path.
    pub abs: PathBuf,
    /// Size in bytes when discovered.
    pub size: u64,
    /// Which reader.
    pub kind: FileKind,
}

/// A contribution whose manifest parsed.
#[derive(Debug, Clone)]
pub struct Contribution {
    /// Its directory.
    pub dir: PathBuf,
    /// The checked manifest.
    pub manifest: Manifest,
    /// sha256 of `contribution.toml`, for the config hash.
    pub manifest_sha256: String,
    /// Replaces personal data in record ids (and, through [`guard_resolved`], file names);
    /// `None` when the PII stage is off.
    pub guard: Option<Arc<crate::pii::ids::IdGuard>>,
    /// Loose files given on a command line ([`crate::pipeline::plan_files`]), not a
    /// contribution: no licence was decided, so a record keeps the tier its own row declares
    /// and is otherwise restricted.
    pub loose: bool,
}

impl Contribution {
    /// The contribution id.
    pub fn id(&self) -> &str {
        &self.manifest.id
    }
}

/// A contribution directory after opening it.
#[derive(Debug)]
pub enum Opened {
    /// The manifest is valid; these are its files and refused patterns.
    Valid(Contribution, paths::Resolved),
    /// The manifest is missing or invalid: one ledger row, nothing read.
    Rejected(LedgerRow),
}

/// The largest `contribution.toml` read (a manifest is a few hundred bytes).
pub const MANIFEST_MAX_BYTES: u64 = 1 << 20;

/// Replaces personal data in the file names of `resolved` (and in the ledger rows and details
/// that quote them) with `guard`'s pseudonyms, so that no file name holding an ID number
/// reaches a shard, the ledger or a log.
pub fn guard_resolved(resolved: &mut paths::Resolved, id: &str, guard: &crate::pii::ids::IdGuard) {
    for f in &mut resolved.files {
        if let std::borrow::Cow::Owned(rel) = guard.path(id, &f.rel) {
            f.rel = rel;
        }
    }
    for row in &mut resolved.rejected {
        let Some(file) = row.file.clone() else { continue };
        if let std::borrow::Cow::Owned(safe) = guard.path(id, &file) {
            row.doc_id = row.doc_id.replace(&file, &safe);
            row.detail = row.detail.take().map(|d| d.replace(&file, &safe));
            row.file = Some(safe);
        }
    }
    for b in &mut resolved.boundaries {
        if let std::borrow::Cow::Owned(rel) = guard.path(id, &b.rel) {
            b.rel = rel;
        }
    }
}

/// Opens a contribution directory: reads and checks its manifest, resolves its files.
pub fn open(dir: &Path) -> Opened {
    let fallback_id = dir.file_name().map_or_else(|| "unnamed".to_string(), |n| n.to_string_lossy().into_owned());
    let manifest_path = dir.join(MANIFEST_FILE);
    let src = match crate::files::read_regular(&manifest_path, MANIFEST_MAX_BYTES) {
        Ok(bytes) => bytes,
        Err(e) => {
            let row = LedgerRow::ingest_drop(
                format!("{fallback_id}/{MANIFEST_FILE}"),
                &fallback_id,
                DropReason::InvalidManifest,
            )
            .file(MANIFEST_FILE)
            .detail(format!("cannot read {MANIFEST_FILE}: {}", crate::files::describe_error(&e)));
            return Opened::Rejected(row);
        }
    };
    let sha = hex(&Sha256::digest(&src));
    let parsed = match String::from_utf8(src) {
        Ok(text) => manifest::parse(Path::new(MANIFEST_FILE), &text),
        Err(_) => Err(vec![manifest::ManifestProblem::new(
            Location::file(MANIFEST_FILE),
            "manifest_not_utf8",
            crate::i18n::Msg::new("manifest-not-utf8"),
        )]),
    };
    match parsed {
        Ok(manifest) => {
            let resolved = paths::resolve(dir, &manifest.id, &manifest.files);
            Opened::Valid(
                Contribution { dir: dir.to_path_buf(), manifest, manifest_sha256: sha, guard: None, loose: false },
                resolved,
            )
        }
        Err(problems) => {
            let first = &problems[0];
            let more = if problems.len() > 1 { format!(" (and {} more)", problems.len() - 1) } else { String::new() };
            let mut row = LedgerRow::ingest_drop(
                format!("{fallback_id}/{MANIFEST_FILE}"),
                &fallback_id,
                DropReason::InvalidManifest,
            )
            .file(MANIFEST_FILE)
            .detail(format!("{}{more}", first.message));
            row.line = first.location.line;
            row.field = first.location.field.clone();
            Opened::Rejected(row)
        }
    }
}

/// One unit of reading work.
#[derive(Debug, Clone)]
pub enum Work {
    /// Only ledger rows: problems found while planning (bad manifest, refused files).
    Rejected(Vec<LedgerRow>),
    /// Whole JSONL and text files, read one after the other: one large compressed JSONL file
    /// (a compressed stream cannot be split), or small files grouped up to `task_megabytes` (a
    /// task per one-record file would cost its own files and syncs thousands of times over).
    Files(Vec<DataFile>),
    /// Whole lines of a large plain JSONL file: bytes `start..end`, both at line starts, the
    /// first of them line `first_line` (1-based), found by counting newlines when planning.
    Lines {
        /// The file.
        file: DataFile,
        /// First byte.
        start: u64,
        /// One past the last byte.
        end: u64,
        /// The line number of the line at `start`.
        first_line: u64,
    },
    /// A range of a Parquet file's row groups (`None`: the whole file; its footer is unreadable).
    Parquet {
        /// The file.
        file: DataFile,
        /// For a file of more than 32,767 row groups: which view of its footer
        /// ([`parquet_views`]) the range is in; `row_groups` count from the view's first.
        view: Option<usize>,
        /// Row groups to read.
        row_groups: Option<Range<usize>>,
        /// Index of the first row of the range in the file.
        first_row: u64,
        /// Rows in the range, when the footer could be read.
        rows: Option<u64>,
    },
}

/// A planned task: one contribution's work item.
#[derive(Debug, Clone)]
pub struct Task {
    /// The contribution id (the directory name when its manifest is invalid).
    pub contribution_id: String,
    /// The contribution, when its manifest is valid.
    pub contribution: Option<Arc<Contribution>>,
    /// What to read.
    pub work: Work,
    /// Input bytes this task reads, for progress and planning.
    pub input_bytes: u64,
}

impl Task {
    /// A short description for logs: `contribution/file`.
    pub fn describe(&self) -> String {
        let what = match &self.work {
            Work::Rejected(rows) => format!("{} rejected entries", rows.len()),
            Work::Files(files) if files.len() == 1 => files[0].rel.clone(),
            Work::Files(files) => {
                format!("{} files from {}", files.len(), files.first().map_or("", |f| f.rel.as_str()))
            }
            Work::Parquet { file, row_groups: Some(r), .. } => {
                format!("{} row groups {}..{}", file.rel, r.start, r.end)
            }
            Work::Parquet { file, .. } => file.rel.clone(),
            Work::Lines { file, start, end, .. } => format!("{} bytes {start}..{end}", file.rel),
        };
        format!("{}/{what}", self.contribution_id)
    }
}

/// Splits an opened contribution into tasks, in a deterministic order.
pub fn plan_tasks(opened: Opened, cfg: &IngestConfig) -> Vec<Task> {
    let (contribution, resolved) = match opened {
        Opened::Rejected(row) => {
            return vec![Task {
                contribution_id: row.contribution_id.clone(),
                contribution: None,
                work: Work::Rejected(vec![row]),
                input_bytes: 0,
            }];
        }
        Opened::Valid(c, r) => (Arc::new(c), r),
    };
    let id = contribution.id().to_string();
    let task = |work: Work, input_bytes: u64| Task {
        contribution_id: id.clone(),
        contribution: Some(Arc::clone(&contribution)),
        work,
        input_bytes,
    };
    let mut tasks = Vec::new();
    if !resolved.rejected.is_empty() {
        tasks.push(task(Work::Rejected(resolved.rejected), 0));
    }
    // Small files (JSONL or text, in path order) share a task up to `task_bytes` or 1024 files.
    let mut group: Vec<DataFile> = Vec::new();
    let mut group_bytes = 0u64;
    for file in resolved.files {
        match file.kind {
            FileKind::Parquet => {
                for r in parquet::plan_row_groups(&file, cfg.task_bytes()) {
                    let work = Work::Parquet {
                        file: file.clone(),
                        view: r.view,
                        row_groups: r.row_groups,
                        first_row: r.first_row,
                        rows: r.rows,
                    };
                    tasks.push(task(work, r.bytes));
                }
            }
            // A large plain JSONL file is cut into whole-line byte ranges of about `task_bytes`,
            // so that one large contribution is read by every thread.
            FileKind::Jsonl if file.size > cfg.task_bytes().saturating_mul(3) / 2 => {
                // The files before it first: tasks stay in path order.
                if !group.is_empty() {
                    tasks.push(task(Work::Files(std::mem::take(&mut group)), std::mem::take(&mut group_bytes)));
                }
                for (start, end, first_line) in line_ranges(&file, cfg.task_bytes()) {
                    let work = Work::Lines { file: file.clone(), start, end, first_line };
                    tasks.push(task(work, end - start));
                }
            }
            FileKind::Jsonl
            | FileKind::JsonlGzip
            | FileKind::JsonlZstd
            | FileKind::Text
            | FileKind::Csv
            | FileKind::Tsv
            | FileKind::Json => {
                group_bytes += file.size;
                group.push(file);
                if group_bytes >= cfg.task_bytes() || group.len() >= 1024 {
                    tasks.push(task(Work::Files(std::mem::take(&mut group)), std::mem::take(&mut group_bytes)));
                }
            }
        }
    }
    if !group.is_empty() {
        tasks.push(task(Work::Files(group), group_bytes));
    }
    tasks
}

/// Whole-line byte ranges of about `bytes` each of a plain file, with the line number each
/// starts at: one pass counting newlines (memchr), cut at the first line start at or after
/// each multiple of `bytes`. A file that cannot be read is one range (its task records why).
fn line_ranges(file: &DataFile, bytes: u64) -> Vec<(u64, u64, u64)> {
    use std::io::Read as _;
    let whole = vec![(0, file.size, 1)];
    let Ok(mut f) = crate::files::open_regular(&file.abs) else { return whole };
    let mut ranges = Vec::new();
    let (mut start, mut start_line) = (0u64, 1u64);
    // The file offset of `buf[0]`, and the newlines before it.
    let (mut pos, mut lines) = (0u64, 0u64);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return whole,
        };
        let chunk = &buf[..n];
        // Newlines of `chunk[..from]` are counted.
        let mut from = 0usize;
        loop {
            // The range ends after the first newline at or past its last planned byte.
            let search = (start + bytes).saturating_sub(1).saturating_sub(pos);
            if search >= n as u64 {
                break;
            }
            let search = (search as usize).max(from);
            let Some(nl) = memchr::memchr(b'\n', &chunk[search..]) else { break };
            let end = search + nl + 1;
            lines += memchr::memchr_iter(b'\n', &chunk[from..end]).count() as u64;
            from = end;
            let end_pos = pos + end as u64;
            if end_pos >= file.size {
                break;
            }
            ranges.push((start, end_pos, start_line));
            (start, start_line) = (end_pos, lines + 1);
        }
        lines += memchr::memchr_iter(b'\n', &chunk[from..]).count() as u64;
        pos += n as u64;
    }
    if pos != file.size {
        // The file changed since it was listed: one task, which reads what is there.
        return whole;
    }
    ranges.push((start, pos, start_line));
    ranges
}

/// What a reader hands over: a bounded batch of documents, the records it had to refuse, and
/// how many input bytes it consumed since the previous chunk (for progress).
#[derive(Debug)]
pub struct Chunk {
    /// Documents read.
    pub batch: DocBatch,
    /// Records that could not become documents.
    pub quarantined: Vec<LedgerRow>,
    /// Input bytes consumed since the previous chunk.
    pub input_bytes: u64,
}

/// Reads one task, pushing chunks into `sink`. Returns an error only if the sink does; a bad
/// file is a ledger row, not an error.
pub fn read_task(task: &Task, cfg: &IngestConfig, sink: &mut dyn FnMut(Chunk) -> Result<()>) -> Result<()> {
    let Some(contribution) = task.contribution.as_deref() else {
        if let Work::Rejected(rows) = &task.work {
            return sink(Chunk { batch: DocBatch::empty(), quarantined: rows.clone(), input_bytes: 0 });
        }
        return Ok(());
    };
    match &task.work {
        Work::Rejected(rows) => sink(Chunk { batch: DocBatch::empty(), quarantined: rows.clone(), input_bytes: 0 }),
        Work::Files(files) => {
            for file in files {
                let mut out = Emitter::new(contribution, &file.rel, cfg, sink);
                match file.kind {
                    FileKind::Text => text::read(contribution, file, cfg, &mut out)?,
                    FileKind::Csv | FileKind::Tsv => csv::read(contribution, file, cfg, &mut out)?,
                    FileKind::Json => json::read(contribution, file, cfg, &mut out)?,
                    _ => jsonl::read(contribution, file, cfg, &mut out)?,
                }
                out.finish()?;
            }
            Ok(())
        }
        Work::Lines { file, start, end, first_line } => {
            let mut out = Emitter::new(contribution, &file.rel, cfg, sink);
            jsonl::read_lines(contribution, file, (*start, *end, *first_line), cfg, &mut out)?;
            out.finish()
        }
        Work::Parquet { file, view, row_groups, first_row, rows } => {
            let mut out = Emitter::new(contribution, &file.rel, cfg, sink);
            let range =
                parquet::Range { view: *view, row_groups: row_groups.clone(), first_row: *first_row, rows: *rows };
            parquet::read(contribution, file, &range, cfg, &mut out)?;
            out.finish()
        }
    }
}

/// Whether a task is one compressed file: a stream that cannot be cut into tasks, so that its
/// one task is the only one running unless its reading overlaps its staging
/// ([`read_task_ahead`]).
pub fn is_one_stream(task: &Task) -> bool {
    matches!(&task.work, Work::Files(files)
        if files.len() == 1 && matches!(files[0].kind, FileKind::JsonlGzip | FileKind::JsonlZstd))
}

/// [`read_task`] on a thread of its own, one chunk ahead of `sink`: the decoder (and the
/// batched parse it feeds the worker pool) runs while `sink` stages and writes the chunk
/// before. `sink` sees the same chunks in the same order as from [`read_task`], so what it
/// writes is byte for byte the same. An error of `sink` stops the reader at its next chunk.
pub fn read_task_ahead(task: &Task, cfg: &IngestConfig, sink: &mut dyn FnMut(Chunk) -> Result<()>) -> Result<()> {
    // A rendezvous: the reader builds the next chunk while the sink stages this one.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(0);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            // A send fails only once the sink has stopped, and its error is the one to report.
            read_task(task, cfg, &mut |chunk| tx.send(chunk).map_err(|_| Error::Internal("sink stopped".into())))
        });
        let staged = rx.iter().try_for_each(&mut *sink);
        drop(rx);
        let read = reader.join().unwrap_or_else(|_| Err(Error::Internal("the reading thread panicked".into())));
        staged.and(read)
    })
}

/// Collects documents and refusals of one file into bounded chunks.
pub(crate) struct Emitter<'a> {
    builder: DocBatchBuilder,
    quarantined: Vec<LedgerRow>,
    batch_rows: usize,
    batch_bytes: usize,
    /// Raw input bytes consumed so far (shared with a counting reader).
    consumed: Rc<Cell<u64>>,
    reported: u64,
    sink: &'a mut dyn FnMut(Chunk) -> Result<()>,
    contribution_id: &'a str,
    file: &'a str,
    guard: Option<&'a crate::pii::ids::IdGuard>,
    /// The contribution's own tier, and whether its files are loose (see [`Contribution::loose`]).
    tier: crate::batch::Tier,
    loose: bool,
}

impl<'a> Emitter<'a> {
    fn new(
        c: &'a Contribution,
        file: &'a str,
        cfg: &IngestConfig,
        sink: &'a mut dyn FnMut(Chunk) -> Result<()>,
    ) -> Self {
        let m = &c.manifest;
        Self {
            builder: DocBatchBuilder::new(&m.id, &m.licence, m.visibility.tier(), file),
            quarantined: Vec::new(),
            batch_rows: cfg.batch_rows.get(),
            batch_bytes: cfg.batch_bytes(),
            consumed: Rc::new(Cell::new(0)),
            reported: 0,
            sink,
            contribution_id: c.id(),
            file,
            guard: c.guard.as_deref(),
            tier: m.visibility.tier(),
            loose: c.loose,
        }
    }

    /// The shared counter a reader advances as it consumes input.
    pub(crate) fn counter(&self) -> Rc<Cell<u64>> {
        Rc::clone(&self.consumed)
    }

    /// Adds one document.
    pub(crate) fn push(&mut self, doc: DocumentRef<'_>) -> Result<()> {
        self.builder.push(doc);
        if self.builder.len() >= self.batch_rows || self.builder.text_bytes() >= self.batch_bytes {
            self.flush()?;
        }
        Ok(())
    }

    /// Refuses one record: a ledger row with the file filled in.
    pub(crate) fn refuse(
        &mut self,
        doc_id: String,
        reason: DropReason,
        field: Option<&str>,
        detail: String,
        line: Option<u64>,
        row: Option<u64>,
    ) -> Result<()> {
        let mut r = LedgerRow::ingest_drop(doc_id, self.contribution_id, reason).file(self.file).detail(detail);
        r.field = field.map(str::to_string);
        r.line = line;
        r.row = row;
        self.quarantined.push(r);
        if self.quarantined.len() >= self.batch_rows {
            self.flush()?;
        }
        Ok(())
    }

    /// The tier of a record that declares one (`tier` column or field): for loose files that
    /// tier, for a contribution the more restrictive of it and the contribution's.
    pub(crate) fn declared_tier(&self, declared: Option<&str>) -> Option<crate::batch::Tier> {
        let declared = crate::batch::Tier::declared(declared?)?;
        Some(if self.loose { declared } else { declared.most_restrictive(self.tier) })
    }

    /// The default doc id of a record without an id: `<contribution>/<file>:<line>`.
    pub(crate) fn line_id(&self, line: u64) -> String {
        format!("{}/{}:{line}", self.contribution_id, self.file)
    }

    /// `<contribution>/<file>`, for a problem with the whole file.
    pub(crate) fn file_id(&self) -> String {
        format!("{}/{}", self.contribution_id, self.file)
    }

    /// `<contribution>/<id>`, the id pseudonymized if it holds personal data.
    pub(crate) fn record_id(&self, id: &str) -> String {
        match &self.guard {
            Some(g) => format!("{}/{}", self.contribution_id, g.record_id(self.contribution_id, id)),
            None => format!("{}/{id}", self.contribution_id),
        }
    }

    fn flush(&mut self) -> Result<()> {
        let batch = self.builder.finish()?;
        let quarantined = std::mem::take(&mut self.quarantined);
        let consumed = self.consumed.get();
        let input_bytes = consumed.saturating_sub(self.reported);
        self.reported = consumed;
        (self.sink)(Chunk { batch, quarantined, input_bytes })
    }

    fn finish(mut self) -> Result<()> {
        if !self.builder.is_empty() || !self.quarantined.is_empty() || self.consumed.get() > self.reported {
            self.flush()?;
        }
        Ok(())
    }
}

/// `; it has `a`, `b`, …`: the fields or columns a record does have, for the message about a
/// missing one (names only, never values; at most 12, each cut to 40 characters).
pub(crate) fn has_fields<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut names: Vec<String> = names
        .map(|n| {
            let cut: String = n.chars().take(40).collect();
            format!("`{cut}`")
        })
        .collect();
    if names.is_empty() {
        return "; it has no fields".to_string();
    }
    let more = names.len().saturating_sub(12);
    names.truncate(12);
    let more = if more > 0 { format!(" and {more} more") } else { String::new() };
    format!("; it has {}{more}", names.join(", "))
}

/// Lower-case hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_kinds_by_extension() {
        assert_eq!(FileKind::from_name("a/b.JSONL"), Some(FileKind::Jsonl));
        assert_eq!(FileKind::from_name("b.jsonl.gz"), Some(FileKind::JsonlGzip));
        assert_eq!(FileKind::from_name("b.jsonl.zst"), Some(FileKind::JsonlZstd));
        assert_eq!(FileKind::from_name("b.parquet"), Some(FileKind::Parquet));
        assert_eq!(FileKind::from_name("b.txt"), Some(FileKind::Text));
        assert_eq!(FileKind::from_name("b.csv"), None);
        assert_eq!(FileKind::from_name("b.json"), None);
    }

    /// The demo's compressed file, read a record per chunk.
    fn one_stream() -> (Task, IngestConfig) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/demo/contributions/citizen-essays");
        let cfg = IngestConfig { batch_rows: NonZeroUsize::MIN, ..IngestConfig::default() };
        // A small file is grouped with others into one task; a large one is a task alone.
        let mut task = plan_tasks(open(&dir), &cfg).into_iter().next().expect("a task");
        let Work::Files(files) = &task.work else { panic!("{task:?}") };
        let gz = files.iter().find(|f| f.kind == FileKind::JsonlGzip).expect("letters.jsonl.gz").clone();
        task.work = Work::Files(vec![gz]);
        assert!(is_one_stream(&task));
        (task, cfg)
    }

    type Read = fn(&Task, &IngestConfig, &mut dyn FnMut(Chunk) -> Result<()>) -> Result<()>;

    fn chunks(read: Read) -> Vec<String> {
        let (task, cfg) = one_stream();
        let mut seen = Vec::new();
        let mut sink = |c: Chunk| {
            let ids = c.batch.doc_ids();
            let docs = (0..c.batch.num_rows()).map(|i| ids.value(i).to_string());
            let refused = c.quarantined.iter().map(|r| format!("{} {:?}", r.doc_id, r.reason));
            seen.push(format!("{:?} {}", docs.chain(refused).collect::<Vec<_>>(), c.input_bytes));
            Ok(())
        };
        read(&task, &cfg, &mut sink).expect("read");
        seen
    }

    #[test]
    fn reading_ahead_hands_over_the_same_chunks_in_the_same_order() {
        let direct = chunks(read_task);
        assert!(direct.len() >= 12, "{direct:?}");
        assert_eq!(chunks(read_task_ahead), direct);
    }

    #[test]
    fn a_sink_error_stops_the_reader_and_is_the_error_returned() {
        let (task, cfg) = one_stream();
        let mut taken = 0;
        let mut sink = |_: Chunk| {
            taken += 1;
            if taken == 2 { Err(Error::config(Location::file("sink"), "stop here")) } else { Ok(()) }
        };
        let err = read_task_ahead(&task, &cfg, &mut sink).expect_err("the sink's error");
        assert!(err.to_string().contains("stop here"), "{err}");
        assert_eq!(taken, 2);
    }

    proptest::proptest! {
        /// Line ranges tile the file, start at line starts, and number their first line as
        /// counting from the top would, whatever the line lengths and the range size.
        #[test]
        fn line_ranges_tile_the_file_at_line_starts(
            lines in proptest::collection::vec(0usize..300, 0..200),
            bytes in 1u64..2000,
            newline_at_end in proptest::bool::ANY,
        ) {
            let mut text: Vec<u8> = Vec::new();
            for (i, len) in lines.iter().enumerate() {
                text.extend(std::iter::repeat_n(b'a' + (i % 26) as u8, *len));
                if i + 1 < lines.len() || newline_at_end {
                    text.push(b'\n');
                }
            }
            let dir = tempfile::tempdir().map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let abs = dir.path().join("a.jsonl");
            std::fs::write(&abs, &text).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let file = DataFile { rel: "a.jsonl".into(), abs, size: text.len() as u64, kind: FileKind::Jsonl };
            let ranges = line_ranges(&file, bytes);
            let mut at = 0u64;
            for &(start, end, first_line) in &ranges {
                proptest::prop_assert_eq!(start, at);
                proptest::prop_assert!(end > start || text.is_empty());
                proptest::prop_assert!(start == 0 || text[start as usize - 1] == b'\n');
                let before = text[..start as usize].iter().filter(|&&b| b == b'\n').count() as u64;
                proptest::prop_assert_eq!(first_line, before + 1);
                at = end;
            }
            proptest::prop_assert_eq!(at, text.len() as u64);
            // No range is much longer than asked, unless one line is.
            for &(start, end, _) in &ranges[..ranges.len().saturating_sub(1)] {
                let longest = text[start as usize..end as usize].split(|&b| b == b'\n').map(<[u8]>::len).max().unwrap_or(0);
                proptest::prop_assert!(end - start < bytes + longest as u64 + 2);
            }
        }
    }
}
