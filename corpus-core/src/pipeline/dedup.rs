//! The dedup stage inside a run: signing in each task (phase 1, called from the task), then the
//! global phases — buckets per band, clusters, the index, and the filter of every task that lost
//! documents — each resumable from its files under `.work/dedup/`.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::{Array as _, BooleanArray};
use arrow_select::filter::filter_record_batch;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::executor::{Part, TaskResult, Totals};
use super::ids::IdDrop;
use super::plan::Plan;
use super::reporter::{Phase, Reporter};
use super::workdir::{json, marked, task_name, write_work};
use crate::batch::{DocBatch, Tier};
use crate::dedup::cluster::{self, BandStats, ClusterInput, DedupTotals, Dropped};
use crate::dedup::index::{self, Previous};
use crate::dedup::spill::{Doc, Label, SigStore, SigWriter, Signed};
use crate::dedup::{CLUSTERS_FILE, Params};
use crate::error::{Error, IoResultExt, ParquetResultExt, Result};
use crate::ledger::{Decision, LedgerSummary, ledger_schema, rows_from_batch, rows_to_batch};
use crate::shard::manifest::DedupSummary;
use crate::shard::{FileInfo, ParquetSink};

/// Dedup settings of one run.
#[derive(Debug)]
pub(super) struct DedupRun {
    params: Params,
    previous: Option<Previous>,
    /// Band-buffer bytes of one task (the memory budget over the threads that sign at once).
    task_budget: usize,
}

impl DedupRun {
    /// `None` when `[dedup]` is off.
    pub(super) fn new(plan: &Plan, against: Option<&Path>) -> Result<Option<Self>> {
        let cfg = &plan.config.config.dedup;
        if !cfg.enabled {
            if let Some(a) = against {
                return Err(Error::config(
                    crate::error::Location::file(&plan.config.path).with_field("enabled"),
                    format!("--against {} needs [dedup] enabled", a.display()),
                ));
            }
            return Ok(None);
        }
        let params = cfg.params().map_err(|(key, message)| {
            Error::config(crate::error::Location::file(&plan.config.path).with_field(key), message)
        })?;
        let previous = against.map(|a| Previous::open(a, &params)).transpose()?;
        let threads = rayon::current_num_threads().max(1);
        let task_budget = cfg.memory_megabytes.get().saturating_mul(1 << 20) / (2 * threads);
        Ok(Some(Self { params, previous, task_budget }))
    }

    /// What identifies the previous index, for the run key.
    pub(super) fn against(&self) -> Option<String> {
        self.previous.as_ref().map(Previous::fingerprint)
    }

    /// The signature writer of task `index`, in its (temporary) task directory.
    pub(super) fn writer(&self, task_dir: &Path, index: usize) -> Result<SigWriter> {
        SigWriter::create(&task_dir.join("dedup"), self.params, index as u32, self.task_budget)
    }
}

/// The dedup documents of a batch of kept (or, with `withdrawn`, withdrawn) documents.
pub(super) fn kept_docs(kept: &DocBatch, withdrawn: bool) -> Vec<Doc<'_>> {
    let quality = kept.record_batch().column_by_name(crate::quality::QUALITY).map(|c| c.as_string::<i32>());
    let (ids, texts, files, lines, rows, tiers) =
        (kept.doc_ids(), kept.texts(), kept.origin_files(), kept.origin_lines(), kept.origin_rows(), kept.tiers());
    (0..kept.num_rows())
        .map(|i| {
            let score = quality
                .filter(|q| q.is_valid(i))
                .and_then(|q| serde_json::from_str::<crate::quality::Signals>(q.value(i)).ok())
                .map_or(1.0, |s| s.score());
            Doc {
                text: texts.value(i),
                label: label(
                    ids.value(i),
                    files.value(i),
                    lines.is_valid(i).then(|| lines.value(i)),
                    rows.is_valid(i).then(|| rows.value(i)),
                ),
                score: (score * 1000.0).round() as u16,
                tier: tier_rank(tiers.value(i)),
                withdrawn,
            }
        })
        .collect()
}

fn label(id: &str, file: &str, line: Option<u64>, row: Option<u64>) -> Label {
    Label { id: id.to_string(), file: file.to_string(), line, row }
}

fn tier_rank(tier: &str) -> u8 {
    match Tier::parse(tier) {
        Some(Tier::Public) => 0,
        Some(Tier::PublicShareAlike) => 1,
        _ => 2,
    }
}

/// `.work/dedup/clustered.json`: phase 3 done.
#[derive(Debug, Serialize, Deserialize)]
struct Clustered {
    totals: DedupTotals,
    clusters: FileInfo,
    /// Tasks that lost documents.
    tasks: Vec<usize>,
}

impl DedupRun {
    /// Phases 2–4. `results` are the tasks' phase-1 results; those of tasks that lost documents
    /// are replaced by their filtered results.
    pub(super) fn run(
        &self,
        plan: &Plan,
        tasks_dir: &Path,
        work: &Path,
        results: &mut [TaskResult],
        id_drops: &[Vec<IdDrop>],
        reporter: &dyn Reporter,
    ) -> Result<DedupSummary> {
        let dir = work.join("dedup");
        std::fs::create_dir_all(&dir).at(&dir)?;
        let out = &plan.output;
        let sources: Vec<PathBuf> = (0..results.len()).map(|i| tasks_dir.join(task_name(i)).join("dedup")).collect();
        let signed: Vec<Signed> = results.iter().map(|r| r.dedup.unwrap_or_default()).collect();
        let store = SigStore::new(sources.clone(), self.previous.as_ref().map(|p| p.dir.clone()), self.params.num_perm);
        let bands = self.params.written_bands();
        reporter.started(Phase::Dedup, (bands.len() + 2 + results.len()) as u64, 0);

        // Phase 2: buckets, one task per band.
        let stats: Vec<(usize, BandStats)> = bands
            .par_iter()
            .map(|&band| {
                let edges = dir.join(format!("edges-{band:03}.bin"));
                let marker = dir.join(format!("edges-{band:03}.json"));
                let s = marked(
                    &marker,
                    |_| vec![edges.clone()],
                    || {
                        let mut runs: Vec<PathBuf> = sources
                            .iter()
                            .zip(&signed)
                            .flat_map(|(d, s)| crate::dedup::spill::runs_of(d, band, s.runs))
                            .collect();
                        runs.extend(self.previous.as_ref().and_then(|p| p.run(band)));
                        cluster::buckets(&self.params, &store, band, &runs, &edges)
                    },
                )?;
                reporter.advance(Phase::Dedup, 1);
                Ok((band, s))
            })
            .collect::<Result<_>>()?;

        tracing::debug!(bands = stats.len(), "Dedup buckets done.");
        // Phase 3: clusters.
        let marker = dir.join("clustered.json");
        let drops_dir = dir.join("drops");
        let clustered_outputs = |c: &Clustered| -> Vec<PathBuf> {
            let mut files: Vec<PathBuf> =
                c.tasks.iter().map(|&i| drops_dir.join(format!("{}.json", task_name(i)))).collect();
            files.push(out.join(CLUSTERS_FILE));
            files
        };
        let clustered: Clustered = marked(&marker, clustered_outputs, || {
            let edges: Vec<PathBuf> = bands.iter().map(|b| dir.join(format!("edges-{b:03}.bin"))).collect();
            let withdrawn: HashSet<String> = if self.previous.is_some() {
                plan.licensing.withdrawals.doc_ids(plan.licensing.run_date).into_iter().map(str::to_string).collect()
            } else {
                HashSet::new()
            };
            let docs: Vec<u32> = signed.iter().map(|s| s.docs).collect();
            let excluded: Vec<Vec<(u32, Dropped)>> =
                id_drops.iter().map(|drops| drops.iter().map(|d| (d.ordinal, d.dropped.clone())).collect()).collect();
            let input = ClusterInput {
                excluded: &excluded,
                docs: &docs,
                previous: self.previous.as_ref().map_or(0, Previous::documents),
                edges: &edges,
                store: &store,
                withdrawn_ids: &withdrawn,
                clusters: (&out.join(CLUSTERS_FILE), CLUSTERS_FILE, plan.config.config.shard.zstd_level),
            };
            let (mut decisions, clusters) = cluster::cluster(&input)?;
            decisions.totals.signed = docs.iter().map(|&d| u64::from(d)).sum();
            decisions.totals.previous = u64::from(input.previous);
            for (band, s) in &stats {
                let t = if *band == self.params.exact_band() {
                    &mut decisions.totals.exact
                } else {
                    &mut decisions.totals.near
                };
                t.buckets += s.buckets;
                t.verified += s.verified;
                t.edges += s.edges;
            }
            std::fs::create_dir_all(&drops_dir).at(&drops_dir)?;
            let mut tasks = Vec::new();
            for (i, (drops, ordinals)) in decisions.drops.iter().zip(&decisions.dropped_ordinals).enumerate() {
                if !drops.is_empty() {
                    write_work(&drops_dir.join(format!("{}.json", task_name(i))), &json(&(drops, ordinals))?)?;
                    tasks.push(i);
                }
            }
            Ok(Clustered { totals: decisions.totals, clusters, tasks })
        })?;
        reporter.advance(Phase::Dedup, 1);
        tracing::debug!(clusters = clustered.totals.clusters, "Dedup clusters done.");
        let read_drops = |i: usize| -> Result<(Vec<Dropped>, Vec<u32>)> {
            let path = dir.join("drops").join(format!("{}.json", task_name(i)));
            let bytes = std::fs::read(&path).at(&path)?;
            serde_json::from_slice(&bytes).map_err(|e| Error::Internal(format!("{}: {e}", path.display())))
        };

        // The index of everything released so far.
        let index_marker = dir.join("index.json");
        let index_outputs = |files: &Vec<FileInfo>| files.iter().map(|f| out.join(&f.path)).collect();
        let index: Vec<FileInfo> = marked(&index_marker, index_outputs, || {
            let mut dropped: Vec<Vec<u32>> = vec![Vec::new(); results.len()];
            for &i in &clustered.tasks {
                dropped[i] = read_drops(i)?.1;
            }
            let srcs: Vec<index::Source<'_>> = sources
                .iter()
                .zip(&signed)
                .zip(&dropped)
                .map(|((dir, signed), dropped)| index::Source { dir, signed: *signed, dropped })
                .collect();
            index::write(out, &self.params, self.previous.as_ref(), &srcs)
        })?;
        reporter.advance(Phase::Dedup, 1);
        tracing::debug!("Dedup index written.");

        // Phase 4: every task's parts filtered (the ledgers of tasks that lost
        // documents rewritten).
        let filtered: Vec<(usize, TaskResult)> = (0..results.len())
            .into_par_iter()
            .filter(|&i| !results[i].parts.is_empty() || clustered.tasks.binary_search(&i).is_ok())
            .map(|i| {
                let task_dir = tasks_dir.join(task_name(i));
                let marker = task_dir.join("filtered.json");
                let filtered_outputs = |r: &TaskResult| -> Vec<PathBuf> {
                    r.parts.iter().map(|p| task_dir.join(&p.file.path)).chain([task_dir.join(&r.ledger.path)]).collect()
                };
                let result = marked(&marker, filtered_outputs, || {
                    let drops = if clustered.tasks.binary_search(&i).is_ok() { read_drops(i)?.0 } else { Vec::new() };
                    filter_task(plan, &task_dir, &results[i], &drops)
                })?;
                reporter.advance(Phase::Dedup, 1);
                Ok((i, result))
            })
            .collect::<Result<_>>()?;
        reporter.finished(Phase::Dedup);
        tracing::debug!(tasks = filtered.len(), "Dedup filter done.");
        for (i, r) in filtered {
            results[i] = r;
        }
        Ok(DedupSummary {
            params: self.params,
            totals: clustered.totals,
            against: self.previous.as_ref().map(|p| p.dir.display().to_string()),
            against_fingerprint: self.against(),
            clusters: clustered.clusters,
            index,
        })
    }
}

/// Without dedup: the tasks that hold documents of a repeated id, filtered as dedup filters
/// (each resumable from its `filtered.json`).
pub(super) fn filter_id_drops(
    plan: &Plan,
    tasks_dir: &Path,
    results: &mut [TaskResult],
    id_drops: &[Vec<IdDrop>],
) -> Result<()> {
    let filtered: Vec<(usize, TaskResult)> = (0..results.len())
        .into_par_iter()
        .filter(|&i| !id_drops[i].is_empty())
        .map(|i| {
            let task_dir = tasks_dir.join(task_name(i));
            let drops: Vec<Dropped> = id_drops[i].iter().map(|d| d.dropped.clone()).collect();
            let outputs = |r: &TaskResult| -> Vec<PathBuf> {
                r.parts.iter().map(|p| task_dir.join(&p.file.path)).chain([task_dir.join(&r.ledger.path)]).collect()
            };
            let result =
                marked(&task_dir.join("filtered.json"), outputs, || filter_task(plan, &task_dir, &results[i], &drops))?;
            Ok((i, result))
        })
        .collect::<Result<_>>()?;
    for (i, r) in filtered {
        results[i] = r;
    }
    Ok(())
}

/// Rewrites a task's parts without its dropped documents, and its ledger with them dropped.
fn filter_task(plan: &Plan, task_dir: &Path, result: &TaskResult, drops: &[Dropped]) -> Result<TaskResult> {
    let key = |file: &str, line: Option<u64>, row: Option<u64>| (file.to_string(), line, row);
    let by_origin: HashMap<(String, Option<u64>, Option<u64>), &Dropped> =
        drops.iter().map(|d| (key(&d.label.file, d.label.line, d.label.row), d)).collect();
    let out = task_dir.join("filtered");
    if out.exists() {
        std::fs::remove_dir_all(&out).at(&out)?;
    }
    std::fs::create_dir_all(&out).at(&out)?;
    let shard = &plan.config.config.shard;
    let mut totals = Totals::default();
    let mut parts = Vec::new();
    for part in &result.parts {
        let path = task_dir.join(&part.file.path);
        let reader =
            ParquetRecordBatchReaderBuilder::try_new(File::open(&path).at(&path)?).and_then(|b| b.build()).at(&path)?;
        let name =
            Path::new(&part.file.path).file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let mut sink: Option<ParquetSink> = None;
        for batch in reader {
            let batch = DocBatch::try_new(batch?)?;
            let (files, lines, rows) = (batch.origin_files(), batch.origin_lines(), batch.origin_rows());
            let keep: BooleanArray = (0..batch.num_rows())
                .map(|i| {
                    let k = key(
                        files.value(i),
                        lines.is_valid(i).then(|| lines.value(i)),
                        rows.is_valid(i).then(|| rows.value(i)),
                    );
                    Some(!by_origin.contains_key(&k))
                })
                .collect();
            let kept = DocBatch::try_new(filter_record_batch(batch.record_batch(), &keep)?)?;
            if kept.num_rows() == 0 {
                continue;
            }
            totals.add(&kept);
            let sink = match &mut sink {
                Some(s) => s,
                // Read back once by the shard phase, which compresses.
                None => sink.insert(ParquetSink::create_uncompressed(
                    &out.join(&name),
                    &format!("filtered/{name}"),
                    kept.record_batch().schema(),
                    shard.row_group_bytes(),
                )?),
            };
            sink.write(kept.record_batch())?;
        }
        if let Some(sink) = sink {
            parts.push(Part { partition: part.partition.clone(), file: sink.finish()? });
        }
    }
    parts.sort_by(|a, b| a.partition.cmp(&b.partition).then_with(|| a.file.path.cmp(&b.file.path)));
    if drops.is_empty() {
        return Ok(TaskResult { parts, files: Vec::new(), ..result.clone() });
    }
    // The ledger: the task's rows, the dropped duplicates turned from kept to dropped.
    let ledger_path = task_dir.join(&result.ledger.path);
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(&ledger_path).at(&ledger_path)?)
        .and_then(|b| b.build())
        .at(&ledger_path)?;
    let mut ledger = ParquetSink::create_work(
        &out.join("ledger.parquet"),
        "filtered/ledger.parquet",
        ledger_schema(),
        shard.zstd_level,
        shard.row_group_bytes(),
    )?;
    let mut summary = LedgerSummary::default();
    let mut examples: Vec<(String, String)> = result.examples.clone();
    for batch in reader {
        let mut rows = rows_from_batch(&batch?)?;
        for row in rows.iter_mut().filter(|r| r.decision == Decision::Kept) {
            let Some(d) = by_origin.get(&key(row.file.as_deref().unwrap_or(""), row.line, row.row)) else { continue };
            row.decision = Decision::Dropped;
            row.stage = "dedup".to_string();
            row.reason = Some(d.reason);
            row.detail = Some(match d.reason {
                crate::stage::DropReason::WithdrawnDuplicate => format!("near-duplicate of withdrawn {}", d.of),
                crate::stage::DropReason::PreviouslyReleased => format!("duplicate of {} (previous release)", d.of),
                crate::stage::DropReason::DuplicateId => {
                    format!("the record at {} has the same id and comes first", d.of)
                }
                _ => format!("duplicate of {}", d.of),
            });
            row.stage = if d.reason == crate::stage::DropReason::DuplicateId {
                "ingest".to_string()
            } else {
                row.stage.clone()
            };
            // The kept document it repeats: for a repeated id, the same doc id.
            row.duplicate_of =
                Some(if d.reason == crate::stage::DropReason::DuplicateId { row.doc_id.clone() } else { d.of.clone() });
            row.tier = None;
            let k = format!("{}/{}", row.stage, d.reason.code());
            if !examples.iter().any(|(e, _)| *e == k) {
                examples.push((k, row.describe()));
            }
        }
        rows.iter().for_each(|r| summary.add(r));
        ledger.write(&rows_to_batch(&rows)?)?;
    }
    Ok(TaskResult {
        contribution_id: result.contribution_id.clone(),
        summary,
        parts,
        ledger: ledger.finish()?,
        examples,
        kept_chars: totals.kept_chars,
        pii: totals.pii,
        text: totals.text,
        dedup: result.dedup,
        ids: result.ids,
        files: Vec::new(),
    })
}
