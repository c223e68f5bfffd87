//! `manifest.json`: the dataset card a model team reads first, and [`verify`], which checks a
//! dataset on disk against it.

use std::collections::BTreeMap;
use std::fs::File;
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

/// The manifest format this version writes and reads.
pub const FORMAT: &str = "sovereign-corpus/1";

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
    /// Tokens per sequence (the last sequence of a shard may be shorter).
    pub seq_len: u64,
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
}

impl DatasetManifest {
    /// Reads `<dataset>/manifest.json`.
    pub fn read(dataset: &Path) -> Result<Self> {
        let path = dataset.join(MANIFEST_FILE);
        let bytes = std::fs::read(&path).at(&path)?;
        let manifest: Self = serde_json::from_slice(&bytes)
            .map_err(|e| Error::Integrity { path: path.clone(), message: format!("not a dataset manifest: {e}") })?;
        if manifest.format != FORMAT {
            return Err(Error::Integrity {
                path,
                message: format!("format `{}`, this tool reads `{FORMAT}`", manifest.format),
            });
        }
        Ok(manifest)
    }

    /// The manifest as written: pretty JSON with a final newline.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut bytes = serde_json::to_vec_pretty(self).map_err(|e| Error::Internal(format!("manifest: {e}")))?;
        bytes.push(b'\n');
        Ok(bytes)
    }
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
    let dedup = manifest.dedup.iter().flat_map(|d| std::iter::once(&d.clusters).chain(&d.index));
    let files: Vec<&FileInfo> = manifest
        .shards
        .iter()
        .map(|s| &s.file)
        .chain(&manifest.ledger)
        .chain(&manifest.attribution)
        .chain(dedup)
        .collect();
    files
        .par_iter()
        .filter_map(|info| {
            let path = dataset.join(&info.path);
            let problem = check(&path, info);
            progress(info.bytes);
            problem.map(|problem| Mismatch { path: info.path.clone(), problem })
        })
        .collect()
}

fn check(path: &Path, info: &FileInfo) -> Option<String> {
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
    let rows = File::open(path)
        .ok()
        .and_then(|f| SerializedFileReader::new(f).ok())
        .map(|r| r.metadata().file_metadata().num_rows());
    match rows {
        Some(rows) if rows as u64 == info.rows => None,
        Some(rows) => Some(format!("{rows} rows, manifest says {}", info.rows)),
        None => Some("not a readable Parquet file".to_string()),
    }
}
