//! `manifest.json`: the dataset card a model team reads first, and [`verify`], which checks a
//! dataset on disk against it.

use std::collections::BTreeMap;
use std::path::Path;

use parquet::file::reader::{FileReader, SerializedFileReader};
use serde::{Deserialize, Serialize};

use super::{FileInfo, sha256_file};
use crate::error::{Error, IoResultExt, Result};
use crate::ledger::LedgerSummary;

/// The normalize stage's totals over the output documents (empty when it did not run).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextTotals {
    /// Documents per `lang`.
    pub lang: BTreeMap<String, u64>,
    /// Documents per `script` (as found, before conversion).
    pub script: BTreeMap<String, u64>,
    /// The `normalize` column's counts, summed (`converted` is the documents converted to
    /// Traditional).
    pub changes: BTreeMap<String, u64>,
}

impl TextTotals {
    /// Adds the kept documents of `batch`.
    pub fn add_batch(&mut self, batch: &crate::batch::DocBatch) {
        use arrow_array::cast::AsArray;
        let rb = batch.record_batch();
        for (column, into) in [(crate::normalize::LANG, &mut self.lang), (crate::normalize::SCRIPT, &mut self.script)] {
            if let Some(values) = rb.column_by_name(column) {
                values.as_string::<i32>().iter().flatten().for_each(|v| *into.entry(v.to_string()).or_default() += 1);
            }
        }
        if let Some(changes) = rb.column_by_name(crate::normalize::NORMALIZE) {
            for json in changes.as_string::<i32>().iter().flatten() {
                let counts: BTreeMap<String, u64> = serde_json::from_str(json).unwrap_or_default();
                counts.into_iter().for_each(|(k, v)| *self.changes.entry(k).or_default() += v);
            }
        }
    }

    /// Adds `other`.
    pub fn merge(&mut self, other: &TextTotals) {
        for (into, from) in
            [(&mut self.lang, &other.lang), (&mut self.script, &other.script), (&mut self.changes, &other.changes)]
        {
            from.iter().for_each(|(k, v)| *into.entry(k.clone()).or_default() += v);
        }
    }
}

/// The manifest's file name in a dataset directory.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The manifest format this version writes and reads. `/2`: each tier is a release directory
/// (`<tier>[/<licence>]/data/<split>-NNNNN-of-MMMMM.parquet` beside its `README.md` dataset
/// card); `/1` put every tier's shards under `shards/`.
pub const FORMAT: &str = "sovereign-corpus/2";

/// The work directory of a run in progress, inside its output directory.
pub const WORK_DIR: &str = ".work";

/// Whether `dir` is a dataset this tool wrote or is writing: its `manifest.json` names a
/// `sovereign-corpus/` format, or it holds a run in progress (`.work/run.json`). Such a
/// directory is never read as input: its shards went through the pipeline once already, under
/// tiers that a re-read would forget.
pub fn is_dataset_dir(dir: &Path) -> bool {
    if crate::files::is_regular(&dir.join(WORK_DIR).join("run.json")) {
        return true;
    }
    let Ok(file) = crate::files::open_regular(&dir.join(MANIFEST_FILE)) else { return false };
    let mut head = Vec::with_capacity(512);
    use std::io::Read;
    if file.take(512).read_to_end(&mut head).is_err() {
        return false;
    }
    head.windows(18).any(|w| w == b"\"sovereign-corpus/")
}

/// The tool that wrote a dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// `sovereign-corpus`.
    pub name: String,
    /// The crate version.
    pub version: String,
}

impl Tool {
    /// This build.
    pub fn current() -> Self {
        Self { name: "sovereign-corpus".to_string(), version: env!("CARGO_PKG_VERSION").to_string() }
    }
}

/// Per-contribution counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributionSummary {
    /// Contribution id.
    pub id: String,
    /// Title from its manifest (empty if the manifest was invalid).
    pub title: String,
    /// Contributor.
    pub contributor: String,
    /// Licence expression.
    pub licence: String,
    /// `public` or `private` (empty if the manifest was invalid).
    pub visibility: String,
    /// The tier its licence decision gives (`excluded` if none).
    pub tier: String,
    /// The rule of the terms that decided.
    pub rule: String,
    /// Ledger rows (input records) of this contribution.
    pub inputs: u64,
    /// Of which kept.
    pub kept: u64,
    /// Characters of the kept documents' text.
    pub characters: u64,
}

/// Totals of one output tier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierSummary {
    /// Documents.
    pub documents: u64,
    /// Bytes of text.
    pub text_bytes: u64,
    /// Tokens (with a tokenizer).
    #[serde(default)]
    pub tokens: u64,
    /// Shards.
    pub shards: u64,
    /// Documents per licence.
    pub licences: BTreeMap<String, u64>,
}

/// One shard as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardEntry {
    /// Output tier.
    pub tier: String,
    /// For share-alike shards, the licence the shard is published under (its documents all
    /// carry it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// `train` or `validation`.
    pub split: String,
    /// Documents in it (rows, unless rows are packed sequences; a document split between
    /// two shards counts in the first).
    pub documents: u64,
    /// Path, size, checksum and counts.
    #[serde(flatten)]
    pub file: FileInfo,
    /// Packed with `tail = "drop"`: tokens of the shard's last, short sequence, dropped.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub tokens_dropped: u64,
    /// Documents that were wholly in that dropped sequence (counted in `documents`, in no row).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents_dropped: Vec<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl ShardEntry {
    /// Its release directory: `public`, `restricted`, `public-share-alike/<licence>`.
    pub fn release(&self) -> String {
        match &self.licence {
            Some(l) => format!("{}/{l}", self.tier),
            None => self.tier.clone(),
        }
    }
}

/// Totals of one split of one tier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitSummary {
    /// Shards.
    pub shards: u64,
    /// Rows (documents, or packed sequences).
    pub rows: u64,
    /// Documents.
    pub documents: u64,
    /// Tokens.
    pub tokens: u64,
    /// Bytes of text.
    pub text_bytes: u64,
}

/// Packing, when rows are fixed-length sequences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Packing {
    /// Tokens per sequence: every row holds exactly this many, unless `tail` is `keep` (then a
    /// shard's last row may hold fewer).
    pub seq_len: u64,
    /// What became of each shard's last tokens, too few to fill a sequence.
    #[serde(default)]
    pub tail: super::order::Tail,
    /// The id padding is made of (with `tail = "pad"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pad_id: Option<u32>,
    /// Tokens dropped, over every shard (with `tail = "drop"`).
    #[serde(default)]
    pub tokens_dropped: u64,
}

/// The dedup stage's record in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DedupSummary {
    /// What signatures and bands were made with.
    pub params: crate::dedup::Params,
    /// Documents signed, clusters, drops per reason, buckets and edges.
    pub totals: crate::dedup::cluster::DedupTotals,
    /// The previous release deduplicated against (`--against`), as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against: Option<String>,
    /// What identified that index when it was used: sha256 over its files' paths and sha256s
    /// (a resumed run is complete only against the same index).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against_fingerprint: Option<String>,
    /// `clusters.parquet`: every document in a cluster of two or more.
    pub clusters: FileInfo,
    /// `lsh-index/`: the index the next release can be deduplicated against.
    pub index: Vec<FileInfo>,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetManifest {
    /// [`FORMAT`].
    pub format: String,
    /// Who wrote it.
    pub tool: Tool,
    /// sha256 of the resolved configuration and contribution manifests.
    pub config_hash: String,
    /// sha256 of the input file list with sizes.
    pub inputs_fingerprint: String,
    /// The date the licence terms were applied on (`YYYY-MM-DD`).
    pub run_date: String,
    /// The version of `licenses/terms.toml` applied.
    pub terms_version: String,
    /// The PII policy in force per tier (`recall` or `precision`); empty when PII redaction
    /// was off.
    #[serde(default)]
    pub pii_policy: BTreeMap<String, String>,
    /// Values redacted per PII type in the output (counts only, never values).
    pub pii: BTreeMap<String, u64>,
    /// Output documents per language and script, and what normalization changed in them.
    #[serde(default)]
    pub text: TextTotals,
    /// Ledger totals: inputs = kept + dropped, drops per `stage/reason`.
    pub documents: LedgerSummary,
    /// Per tier.
    pub tiers: BTreeMap<String, TierSummary>,
    /// Per tier, per split (`train`, `validation`).
    #[serde(default)]
    pub splits: BTreeMap<String, BTreeMap<String, SplitSummary>>,
    /// The tokenizer, when documents were tokenized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokenizer: Option<crate::tokenize::TokenizerInfo>,
    /// Packing, when rows are packed sequences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packing: Option<Packing>,
    /// Per contribution, sorted by id.
    pub contributions: Vec<ContributionSummary>,
    /// Every shard, by tier then name.
    pub shards: Vec<ShardEntry>,
    /// Every ledger file.
    pub ledger: Vec<FileInfo>,
    /// `attribution/ATTRIBUTION.md` and `attribution/attribution.parquet`.
    pub attribution: Vec<FileInfo>,
    /// Dedup, when it ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dedup: Option<DedupSummary>,
    /// The dataset cards: `README.md` of each tier's release directory, and the run's own
    /// `README.md` (whose `configs` make a loader pointed at the run read the public tier alone).
    #[serde(default)]
    pub cards: Vec<FileInfo>,
}

impl DatasetManifest {
    /// Reads `<dataset>/manifest.json`.
    pub fn read(dataset: &Path) -> Result<Self> {
        let path = dataset.join(MANIFEST_FILE);
        let bytes = crate::files::read_regular(&path, 1 << 30).at(&path)?;
        let manifest: Self = serde_json::from_slice(&bytes)
            .map_err(|e| Error::Integrity { path: path.clone(), message: format!("not a dataset manifest: {e}") })?;
        if manifest.format != FORMAT {
            let rebuild = if manifest.format == "sovereign-corpus/1" {
                " (an earlier layout, with every tier under `shards/`: rebuild it with `corpus run --force`)"
            } else {
                ""
            };
            return Err(Error::Integrity {
                path,
                message: format!("format `{}`, this tool reads `{FORMAT}`{rebuild}", manifest.format),
            });
        }
        Ok(manifest)
    }

    /// Every file the manifest lists (shards, ledger, attribution, clusters, LSH index), by its
    /// path relative to the dataset.
    pub fn files(&self) -> impl Iterator<Item = String> + '_ {
        self.file_infos().map(|f| f.path.clone())
    }

    /// Every file the manifest lists, with its size and checksum.
    pub fn file_infos(&self) -> impl Iterator<Item = &FileInfo> + '_ {
        let dedup = self.dedup.iter().flat_map(|d| std::iter::once(&d.clusters).chain(&d.index));
        self.shards.iter().map(|s| &s.file).chain(&self.ledger).chain(&self.attribution).chain(dedup).chain(&self.cards)
    }

    /// The manifest as written: pretty JSON with a final newline.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut bytes = serde_json::to_vec_pretty(self).map_err(|e| Error::Internal(format!("manifest: {e}")))?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}

/// Whether `rel` (relative to a dataset, `/`-separated) is named as corpus names what it
/// writes there: `manifest.json`, `clusters.parquet`, `README.md`, `<tier>[/<licence>]/README.md`,
/// `<tier>[/<licence>]/data/<split>-NNNNN-of-NNNNN.parquet` (and format `/1`'s `shards/<tier>/…`),
/// `ledger/ledger-NNNNN-of-NNNNN.parquet`, the attribution files, the LSH index files, the input
/// digest cache, and the `.tmp` form of each. (A `README.md` is also checked for the card's
/// [`crate::shard::card::MARKER`] before a run deletes one it does not list.)
pub fn is_output_name(rel: &str) -> bool {
    // `[0-9]`, not `\d`: in `regex`, `\d` is any Unicode digit, and `train-٠٠٠٠٠-of-…` is
    // not a name corpus writes.
    static NAMES: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(concat!(
            r"^(?:manifest\.json|clusters\.parquet",
            r"|README\.md",
            r"|(?:public|restricted|public-share-alike/[A-Za-z0-9.+-]+)/(?:README\.md|data/(?:train|validation)-[0-9]{5}-of-[0-9]{5}\.parquet)",
            // The layout of format `/1`, so that a fresh run into such a dataset clears it.
            r"|shards/(?:public|restricted|public-share-alike/[A-Za-z0-9.+-]+)/(?:train|validation)-[0-9]{5}-of-[0-9]{5}\.parquet",
            r"|ledger/ledger-[0-9]{5}-of-[0-9]{5}\.parquet",
            r"|attribution/(?:ATTRIBUTION\.md|attribution\.parquet)",
            r"|lsh-index(?:\.tmp)?/(?:meta\.bin|mins\.bin|labels\.bin|index\.json|band-[0-9]{3}\.bin)",
            r"|\.cache/input-digests\.json|timings\.json|report/(?:index\.html|report\.json)",
            r")(?:\.tmp)?$"
        ))
        .ok()
    });
    NAMES.as_ref().is_some_and(|r| r.is_match(rel))
}

/// The directories the tiers' releases are in (`shards/`: format `/1`'s, still checked for
/// strays: a loader pointed there would read them).
pub const RELEASE_DIRS: [&str; 4] = ["public", "public-share-alike", "restricted", "shards"];

/// Files in a dataset's output directories (the tiers' releases, `ledger/`, `attribution/`,
/// `lsh-index/`) that its manifest does not list: a stray copy of a shard is as visible to a
/// loader as a listed one.
pub fn strays(dataset: &Path, manifest: &DatasetManifest) -> Vec<String> {
    let listed: std::collections::HashSet<String> = manifest.files().collect();
    let mut out = Vec::new();
    for dir in RELEASE_DIRS.iter().chain(&["ledger", "attribution", crate::dedup::index::INDEX_DIR]) {
        let root = dataset.join(dir);
        if !root.exists() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name().into_iter().filter_map(|e| e.ok()) {
            if entry.file_type().is_dir() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(dataset) else { continue };
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            if !listed.contains(&rel) {
                out.push(rel);
            }
        }
    }
    out
}

/// A file that does not match the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Path relative to the dataset.
    pub path: String,
    /// What is wrong.
    pub problem: String,
}

/// Checks every shard and ledger file: present, same size, same sha256, same row count.
/// `progress` is called with the bytes of each file checked.
pub fn verify(dataset: &Path, manifest: &DatasetManifest, progress: &(dyn Fn(u64) + Sync)) -> Vec<Mismatch> {
    use rayon::prelude::*;
    let files: Vec<&FileInfo> = manifest.file_infos().collect();
    files
        .par_iter()
        .filter_map(|info| {
            let problem = check(dataset, info);
            progress(info.bytes);
            problem.map(|problem| Mismatch { path: info.path.clone(), problem })
        })
        .collect()
}

/// Whether a manifest path names a file inside the dataset: relative, `/`-separated, no `..`,
/// no empty or `.` component.
pub fn is_inside(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains('\\')
        && rel.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
}

fn check(dataset: &Path, info: &FileInfo) -> Option<String> {
    if !is_inside(&info.path) {
        return Some("the manifest names a path outside the dataset; it is not read".to_string());
    }
    let path = &dataset.join(&info.path);
    // Through symlinks too: a file the manifest lists must be in the dataset directory.
    match (path.canonicalize(), dataset.canonicalize()) {
        (Ok(real), Ok(root)) if !real.starts_with(&root) => {
            return Some("a symlink to a file outside the dataset; it is not read".to_string());
        }
        _ => {}
    }
    let (sha, bytes) = match sha256_file(path) {
        Ok(x) => x,
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Some("missing".to_string());
        }
        Err(e) => return Some(format!("unreadable: {e}")),
    };
    if bytes != info.bytes {
        return Some(format!("size {bytes} bytes, manifest says {}", info.bytes));
    }
    if sha != info.sha256 {
        return Some(format!("sha256 {sha}, manifest says {}", info.sha256));
    }
    if path.extension().is_none_or(|e| e != "parquet") {
        return None;
    }
    let rows = crate::files::open_regular(path)
        .ok()
        .and_then(|f| SerializedFileReader::new(f).ok())
        .map(|r| r.metadata().file_metadata().num_rows());
    match rows {
        Some(rows) if rows as u64 == info.rows => None,
        Some(rows) => Some(format!("{rows} rows, manifest says {}", info.rows)),
        None => Some("not a readable Parquet file".to_string()),
    }
}
