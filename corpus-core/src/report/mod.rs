//! The steward's report: `report/report.json` (every number) and `report/index.html` (the same
//! numbers as charts a steward can show their director), written by every `corpus run` and by
//! `corpus report <dataset>`. It is built from what the dataset already holds — the manifest,
//! the ledger, the shards' `contribution_id`, `tier`, `pii`, `text` length and `n_tokens`
//! columns, `clusters.parquet` and `timings.json` — and never carries document text or a PII
//! value: only counts, doc ids (pseudonymous where an id could hold personal data, see
//! `pii::ids`), file names and checksums.
//!
//! The page is self-contained (inline CSS, inline SVG, no script, no network). The charts are
//! hand-written SVG rather than a plotting crate's: they are horizontal bars and histograms of a
//! few dozen rows, which a plotting crate would draw no better, and the page must not grow with a
//! font or a JavaScript runtime.

mod html;

use std::collections::BTreeMap;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde::Serialize;

use crate::error::{Error, IoResultExt, ParquetResultExt, Result};
use crate::shard::manifest::DatasetManifest;
use crate::shard::write_atomic;

/// The report's directory in a dataset.
pub const REPORT_DIR: &str = "report";
/// The page.
pub const HTML_FILE: &str = "report/index.html";
/// The numbers.
pub const JSON_FILE: &str = "report/report.json";

/// Upper bounds of the length histograms' bins (characters, or tokens); the last bin is open.
pub const LENGTH_BINS: [u64; 12] = [50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 1_000_000];

/// Example doc ids kept per drop reason.
const EXAMPLES: usize = 3;

/// The order of the stages in the funnel (others follow, by name).
const STAGES: [&str; 7] = ["ingest", "normalize", "quality", "pii", "licence", "dedup", "tokenize"];

/// Everything the report shows.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `sovereign-corpus` and its version.
    pub tool: String,
    /// The run date the licences were judged on.
    pub run_date: String,
    /// The config hash.
    pub config_hash: String,
    /// The licence terms' version.
    pub terms_version: String,
    /// The tokenizer's name, when there is one.
    pub tokenizer: Option<String>,
    /// Input records, kept, dropped.
    pub inputs: u64,
    /// Kept documents.
    pub kept: u64,
    /// Dropped records.
    pub dropped: u64,
    /// Characters of the kept documents.
    pub characters: u64,
    /// Tokens in the shards.
    pub tokens: u64,
    /// PII redactions per type over the run.
    pub pii: BTreeMap<String, u64>,
    /// Documents through every stage.
    pub funnel: Vec<FunnelStep>,
    /// Each release: tier (and licence) composition.
    pub releases: Vec<ReleaseRow>,
    /// Per contribution.
    pub contributions: Vec<ContributionRow>,
    /// Duplicate clusters: how many of each size.
    pub cluster_sizes: BTreeMap<u64, u64>,
    /// Length histograms per release, in characters.
    pub characters_histogram: BTreeMap<String, Vec<u64>>,
    /// Token-count histograms per release (empty without a tokenizer).
    pub tokens_histogram: BTreeMap<String, Vec<u64>>,
    /// The bins of both histograms: bin `i` holds values up to `bins[i]`, the last bin the rest.
    pub bins: Vec<u64>,
    /// Kept documents per script, and per language.
    pub script: BTreeMap<String, u64>,
    /// Kept documents per language.
    pub lang: BTreeMap<String, u64>,
    /// Every drop reason: how many, and the first doc ids dropped for it.
    pub drops: Vec<DropRow>,
    /// Every shard.
    pub shards: Vec<ShardRow>,
    /// Wall seconds per step of the last run (from `timings.json`, when there is one).
    pub steps: Vec<StepRow>,
}

/// One stage of the funnel.
#[derive(Debug, Clone, Serialize)]
pub struct FunnelStep {
    /// The stage.
    pub stage: String,
    /// Documents that reached it.
    pub documents_in: u64,
    /// Documents it dropped, per reason.
    pub dropped: BTreeMap<String, u64>,
    /// Documents that went on.
    pub documents_out: u64,
}

/// One release.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseRow {
    /// `public`, `public-share-alike/<licence>`, `restricted`.
    pub release: String,
    /// Its tier.
    pub tier: String,
    /// Documents.
    pub documents: u64,
    /// Characters.
    pub characters: u64,
    /// Tokens.
    pub tokens: u64,
    /// Bytes of text.
    pub text_bytes: u64,
    /// Documents per licence.
    pub licences: BTreeMap<String, u64>,
}

/// One contribution.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ContributionRow {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its licence expression.
    pub licence: String,
    /// Its tier.
    pub tier: String,
    /// Ledger rows.
    pub inputs: u64,
    /// Kept.
    pub kept: u64,
    /// Dropped, per `stage/reason`.
    pub dropped: BTreeMap<String, u64>,
    /// Dropped as duplicates (`dedup/*`).
    pub duplicates: u64,
    /// PII redactions in its kept documents, per type.
    pub pii: BTreeMap<String, u64>,
    /// Characters of its kept documents.
    pub characters: u64,
    /// Tokens of its kept documents.
    pub tokens: u64,
    /// The shards that hold its documents.
    pub shards: Vec<String>,
}

/// One drop reason.
#[derive(Debug, Clone, Serialize)]
pub struct DropRow {
    /// `stage/reason`.
    pub reason: String,
    /// Records dropped for it.
    pub count: u64,
    /// The first doc ids (in ledger order).
    pub examples: Vec<String>,
}

/// One shard.
#[derive(Debug, Clone, Serialize)]
pub struct ShardRow {
    /// Path in the dataset.
    pub path: String,
    /// Release.
    pub release: String,
    /// Split.
    pub split: String,
    /// Rows.
    pub rows: u64,
    /// Documents.
    pub documents: u64,
    /// Tokens.
    pub tokens: u64,
    /// File bytes.
    pub bytes: u64,
    /// sha256.
    pub sha256: String,
}

/// One step's time.
#[derive(Debug, Clone, Serialize)]
pub struct StepRow {
    /// The step.
    pub step: String,
    /// Its tasks.
    pub tasks: u64,
    /// Wall seconds.
    pub seconds: f64,
}

/// Builds the report of the dataset at `dataset` and writes both files; returns the report.
pub fn write(dataset: &Path) -> Result<Report> {
    let report = build(dataset)?;
    let json = serde_json::to_vec_pretty(&report).map_err(|e| Error::Internal(format!("report.json: {e}")))?;
    write_atomic(&dataset.join(JSON_FILE), &json)?;
    write_atomic(&dataset.join(HTML_FILE), html::render(&report).as_bytes())?;
    Ok(report)
}

/// Reads `columns` (those it has) of every batch of the Parquet file at `path`, or of its row
/// group `group`, calling `each`.
fn scan(
    path: &Path,
    group: Option<usize>,
    columns: &[&str],
    each: &mut dyn FnMut(&RecordBatch) -> Result<()>,
) -> Result<()> {
    let file = crate::files::open_regular(path).at(path)?;
    let mut builder = ParquetRecordBatchReaderBuilder::try_new(file).at(path)?;
    let schema = builder.schema().clone();
    let roots: Vec<usize> = columns.iter().filter_map(|c| schema.index_of(c).ok()).collect();
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
    if let Some(g) = group {
        builder = builder.with_row_groups(vec![g]);
    }
    for batch in builder.with_projection(mask).with_batch_size(8192).build().at(path)? {
        each(&batch.map_err(|e| Error::Integrity { path: path.to_path_buf(), message: e.to_string() })?)?;
    }
    Ok(())
}

/// What one row group of a shard adds to the report.
#[derive(Debug, Default)]
struct ShardPartial {
    characters: u64,
    characters_histogram: Vec<u64>,
    tokens_histogram: Vec<u64>,
    /// Per contribution: characters, tokens, PII per type.
    contributions: BTreeMap<String, (u64, u64, BTreeMap<String, u64>)>,
}

/// Reads row group `group` of the shard at `path`.
fn scan_shard(path: &Path, group: usize, packed: bool) -> Result<ShardPartial> {
    let mut p = ShardPartial {
        characters_histogram: vec![0; LENGTH_BINS.len() + 1],
        tokens_histogram: vec![0; LENGTH_BINS.len() + 1],
        ..ShardPartial::default()
    };
    scan(path, Some(group), &["contribution_id", "text", "pii", "n_tokens"], &mut |b| {
        let cs = strings(b, "contribution_id");
        let texts = strings(b, "text");
        let pii = strings(b, "pii");
        let tokens = b.column_by_name("n_tokens").and_then(|c| c.as_primitive_opt::<arrow_array::types::UInt32Type>());
        for i in 0..b.num_rows() {
            let chars = texts.map_or(0, |t| t.value(i).chars().count() as u64);
            p.characters += chars;
            let n = tokens.map_or(0, |t| u64::from(t.value(i)));
            if !packed {
                p.characters_histogram[bin(chars)] += 1;
                if tokens.is_some() {
                    p.tokens_histogram[bin(n)] += 1;
                }
            }
            let Some(c) = cs.map(|c| c.value(i)) else { continue };
            if !p.contributions.contains_key(c) {
                p.contributions.insert(c.to_string(), Default::default());
            }
            let Some(row) = p.contributions.get_mut(c) else { continue };
            row.0 += chars;
            row.1 += n;
            if let Some(json) = pii.filter(|p| !p.is_null(i)) {
                let counts: BTreeMap<String, u64> = serde_json::from_str(json.value(i)).unwrap_or_default();
                counts.into_iter().for_each(|(k, v)| *row.2.entry(k).or_default() += v);
            }
        }
        Ok(())
    })?;
    Ok(p)
}

/// A string column of `batch` (utf8), if it has one by that name.
fn strings<'a>(batch: &'a RecordBatch, name: &str) -> Option<&'a arrow_array::StringArray> {
    batch.column_by_name(name).and_then(|c| c.as_string_opt::<i32>())
}

fn bin(value: u64) -> usize {
    LENGTH_BINS.iter().position(|&b| value <= b).unwrap_or(LENGTH_BINS.len())
}

/// Builds the report from the dataset's files.
pub fn build(dataset: &Path) -> Result<Report> {
    let m = DatasetManifest::read(dataset)?;
    let mut contributions: BTreeMap<String, ContributionRow> = m
        .contributions
        .iter()
        .map(|c| {
            let row = ContributionRow {
                id: c.id.clone(),
                title: c.title.clone(),
                licence: c.licence.clone(),
                tier: c.tier.clone(),
                inputs: c.inputs,
                kept: c.kept,
                ..ContributionRow::default()
            };
            (c.id.clone(), row)
        })
        .collect();
    // The ledger: drops per reason and contribution, and the first doc ids of each reason.
    let mut examples: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &m.ledger {
        scan(
            &dataset.join(&file.path),
            None,
            &["doc_id", "contribution_id", "decision", "stage", "reason"],
            &mut |b| {
                let (Some(ids), Some(cs), Some(decisions), Some(stages), Some(reasons)) = (
                    strings(b, "doc_id"),
                    strings(b, "contribution_id"),
                    strings(b, "decision"),
                    strings(b, "stage"),
                    strings(b, "reason"),
                ) else {
                    return Err(Error::Integrity {
                        path: dataset.join(&file.path),
                        message: "not a ledger file".into(),
                    });
                };
                for i in 0..b.num_rows() {
                    if decisions.value(i) != "dropped" {
                        continue;
                    }
                    let reason =
                        format!("{}/{}", stages.value(i), if reasons.is_null(i) { "" } else { reasons.value(i) });
                    let c = contributions.entry(cs.value(i).to_string()).or_default();
                    *c.dropped.entry(reason.clone()).or_default() += 1;
                    if stages.value(i) == "dedup" {
                        c.duplicates += 1;
                    }
                    let e = examples.entry(reason).or_default();
                    if e.len() < EXAMPLES {
                        e.push(ids.value(i).to_string());
                    }
                }
                Ok(())
            },
        )?;
    }
    // The shards: characters, tokens and PII per contribution; histograms per release. Every
    // (shard, row group) is read on its own, in parallel, and the partial sums are added in
    // shard order (sums: the same whatever the thread count).
    let mut releases: BTreeMap<String, ReleaseRow> = BTreeMap::new();
    let mut characters_histogram: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut tokens_histogram: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let packed = m.packing.is_some();
    let mut units: Vec<(usize, usize)> = Vec::new();
    for (k, s) in m.shards.iter().enumerate() {
        let path = dataset.join(&s.file.path);
        let file = crate::files::open_regular(&path).at(&path)?;
        let groups = ParquetRecordBatchReaderBuilder::try_new(file).at(&path)?.metadata().num_row_groups();
        units.extend((0..groups).map(|g| (k, g)));
    }
    let partials: Vec<(usize, ShardPartial)> = {
        use rayon::prelude::*;
        units
            .par_iter()
            .map(|&(k, g)| scan_shard(&dataset.join(&m.shards[k].file.path), g, packed).map(|p| (k, p)))
            .collect::<Result<_>>()?
    };
    for (k, s) in m.shards.iter().enumerate() {
        let release = s.release();
        let r = releases.entry(release.clone()).or_insert_with(|| ReleaseRow {
            release: release.clone(),
            tier: s.tier.clone(),
            documents: 0,
            characters: 0,
            tokens: 0,
            text_bytes: 0,
            licences: BTreeMap::new(),
        });
        r.documents += s.documents;
        r.tokens += s.file.tokens;
        r.text_bytes += s.file.text_bytes;
        for (l, n) in &s.file.licences {
            *r.licences.entry(l.clone()).or_default() += n;
        }
        let chars_hist = characters_histogram.entry(release.clone()).or_insert_with(|| vec![0; LENGTH_BINS.len() + 1]);
        let tokens_hist = tokens_histogram.entry(release.clone()).or_insert_with(|| vec![0; LENGTH_BINS.len() + 1]);
        for (_, p) in partials.iter().filter(|(j, _)| *j == k) {
            r.characters += p.characters;
            chars_hist.iter_mut().zip(&p.characters_histogram).for_each(|(a, b)| *a += b);
            tokens_hist.iter_mut().zip(&p.tokens_histogram).for_each(|(a, b)| *a += b);
            for (c, (chars, tokens, pii)) in &p.contributions {
                let row = contributions.entry(c.clone()).or_default();
                row.characters += chars;
                row.tokens += tokens;
                if row.shards.last() != Some(&s.file.path) {
                    row.shards.push(s.file.path.clone());
                }
                pii.iter().for_each(|(t, v)| *row.pii.entry(t.clone()).or_default() += v);
            }
        }
    }
    if m.tokenizer.is_none() || packed {
        tokens_histogram.clear();
    }
    if packed {
        characters_histogram.clear();
    }
    // Clusters: members per cluster, then clusters per size.
    let mut cluster_sizes: BTreeMap<u64, u64> = BTreeMap::new();
    if let Some(d) = &m.dedup {
        let mut members: BTreeMap<u64, u64> = BTreeMap::new();
        scan(&dataset.join(&d.clusters.path), None, &["cluster_id"], &mut |b| {
            if let Some(ids) =
                b.column_by_name("cluster_id").and_then(|c| c.as_primitive_opt::<arrow_array::types::UInt64Type>())
            {
                ids.values().iter().for_each(|id| *members.entry(*id).or_default() += 1);
            }
            Ok(())
        })?;
        members.into_values().for_each(|n| *cluster_sizes.entry(n).or_default() += 1);
    }
    // The funnel, in pipeline order.
    let mut by_stage: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
    for (reason, n) in &m.documents.dropped_by_reason {
        let stage = reason.split('/').next().unwrap_or(reason);
        by_stage.entry(stage).or_default().insert(reason.clone(), *n);
    }
    let mut order: Vec<&str> = STAGES.to_vec();
    order.extend(by_stage.keys().filter(|s| !STAGES.contains(s)));
    let mut left = m.documents.inputs;
    let funnel = order
        .into_iter()
        .map(|stage| {
            let dropped = by_stage.remove(stage).unwrap_or_default();
            let gone: u64 = dropped.values().sum();
            let step = FunnelStep {
                stage: stage.to_string(),
                documents_in: left,
                dropped,
                documents_out: left.saturating_sub(gone),
            };
            left = step.documents_out;
            step
        })
        .collect();
    let drops = {
        let mut rows: Vec<DropRow> = m
            .documents
            .dropped_by_reason
            .iter()
            .map(|(reason, n)| DropRow {
                reason: reason.clone(),
                count: *n,
                examples: examples.get(reason).cloned().unwrap_or_default(),
            })
            .collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
        rows
    };
    let steps = std::fs::read(dataset.join(crate::pipeline::TIMINGS_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v.get("steps").and_then(|s| s.as_array()).cloned())
        .unwrap_or_default()
        .iter()
        .map(|s| StepRow {
            step: s["step"].as_str().unwrap_or("").to_string(),
            tasks: s["tasks"].as_u64().unwrap_or(0),
            seconds: s["seconds"].as_f64().unwrap_or(0.0),
        })
        .collect();
    let mut releases: Vec<ReleaseRow> = releases.into_values().collect();
    releases.sort_by(|a, b| {
        (crate::batch::Tier::rank(&a.tier), &a.release).cmp(&(crate::batch::Tier::rank(&b.tier), &b.release))
    });
    Ok(Report {
        tool: format!("{} {}", m.tool.name, m.tool.version),
        run_date: m.run_date.clone(),
        config_hash: m.config_hash.clone(),
        terms_version: m.terms_version.clone(),
        tokenizer: m.tokenizer.as_ref().map(|t| t.name.clone()),
        inputs: m.documents.inputs,
        kept: m.documents.kept,
        dropped: m.documents.dropped,
        characters: releases.iter().map(|r| r.characters).sum(),
        tokens: releases.iter().map(|r| r.tokens).sum(),
        pii: m.pii.clone(),
        funnel,
        releases,
        contributions: contributions.into_values().collect(),
        cluster_sizes,
        characters_histogram,
        tokens_histogram,
        bins: LENGTH_BINS.to_vec(),
        script: m.text.script.clone(),
        lang: m.text.lang.clone(),
        drops,
        shards: m
            .shards
            .iter()
            .map(|s| ShardRow {
                path: s.file.path.clone(),
                release: s.release(),
                split: s.split.clone(),
                rows: s.file.rows,
                documents: s.documents,
                tokens: s.file.tokens,
                bytes: s.file.bytes,
                sha256: s.file.sha256.clone(),
            })
            .collect(),
        steps,
    })
}
