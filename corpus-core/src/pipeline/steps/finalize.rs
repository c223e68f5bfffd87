//! The `finalize` step: every step's results summed into `manifest.json` (the ledger must
//! balance and match the shards), `attribution/` written, files an interrupted earlier run cut
//! differently removed, and `.work/` removed last.

use std::collections::BTreeMap;

use super::dedup::Drops;
use super::ledger::LedgerFile;
use super::{Ctx, Step};
use crate::error::{Error, IoResultExt, Result};
use crate::ledger::LedgerSummary;
use crate::pipeline::plan::Plan;
use crate::pipeline::work::{TaskResult, Totals};
use crate::pipeline::workdir;
use crate::shard::manifest::{
    ContributionSummary, DatasetManifest, FORMAT, MANIFEST_FILE, Packing, ShardEntry, SplitSummary, TextTotals,
    TierSummary, Tool,
};
use crate::shard::{FileInfo, write_atomic};

/// One example per `stage/reason`, at most this many.
const EXAMPLES: usize = 8;

/// Runs the finalize step: the manifest, and the first dropped record of each `stage/reason`
/// (up to eight), described for people.
pub(super) fn run(ctx: &Ctx<'_>) -> Result<(DatasetManifest, Vec<String>)> {
    let plan = ctx.plan;
    let out = &plan.output;
    let mut results = ctx.results()?.to_vec();
    let drops: Drops = ctx.value(Step::Drops, 0)?;
    // What reaches the shards, per task: the tokenize step counted it after the drops.
    let mut kept: Vec<Totals> = vec![Totals::default(); results.len()];
    for run in super::cut::runs(ctx)? {
        kept[run.task].merge(&run.totals);
    }
    for (r, totals) in results.iter_mut().zip(kept) {
        r.totals = totals;
    }
    let ledgers: Vec<LedgerFile> =
        (0..ctx.tasks(Step::Ledger)?.unwrap_or(0)).map(|g| ctx.value(Step::Ledger, g)).collect::<Result<_>>()?;
    for c in ledgers.iter().flat_map(|l| &l.changed) {
        results[c.task].summary = c.summary.clone();
        results[c.task].examples = c.examples.clone();
    }
    let shards: Vec<ShardEntry> =
        (0..ctx.tasks(Step::Shard)?.unwrap_or(0)).map(|i| ctx.value(Step::Shard, i)).collect::<Result<_>>()?;
    let ledger: Vec<FileInfo> = ledgers.into_iter().map(|l| l.file).collect();
    let mut manifest = build_manifest(plan, &ctx.plan_file.inputs_fingerprint, &results, shards, ledger)?;
    manifest.dedup = drops.dedup;
    manifest.attribution = write_attribution(plan, &manifest)?;
    manifest.cards = crate::shard::card::write(out, &manifest, &card_contributions(plan, &manifest))?;
    // What an interrupted earlier run cut differently goes before the manifest names the rest.
    workdir::sweep(out, &manifest)?;
    write_atomic(&out.join(MANIFEST_FILE), &manifest.to_bytes()?)?;
    // The run key first: a clean-up killed half-way then leaves a finished dataset with
    // leftovers (which `--resume` removes), never work in progress with parts missing.
    let key = ctx.work.run_key();
    std::fs::remove_file(&key).at(&key)?;
    std::fs::remove_dir_all(ctx.work.root()).at(ctx.work.root())?;
    let mut examples: Vec<(String, String)> = Vec::new();
    for (key, example) in results.iter().flat_map(|r| r.examples.iter()) {
        if examples.len() < EXAMPLES && !examples.iter().any(|(k, _)| k == key) {
            examples.push((key.clone(), example.clone()));
        }
    }
    Ok((manifest, examples.into_iter().map(|(_, e)| e).collect()))
}

fn build_manifest(
    plan: &Plan,
    inputs_fingerprint: &str,
    results: &[TaskResult],
    shards: Vec<ShardEntry>,
    ledger: Vec<FileInfo>,
) -> Result<DatasetManifest> {
    let mut documents = LedgerSummary::default();
    let mut per_contribution: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for r in results {
        documents.merge(&r.summary);
        let c = per_contribution.entry(&r.contribution_id).or_default();
        c.0 += r.summary.inputs;
        c.1 += r.summary.kept;
    }
    let mut tiers: BTreeMap<String, TierSummary> = BTreeMap::new();
    let mut splits: BTreeMap<String, BTreeMap<String, SplitSummary>> = BTreeMap::new();
    for s in &shards {
        let t = tiers.entry(s.tier.clone()).or_default();
        t.documents += s.documents;
        t.text_bytes += s.file.text_bytes;
        t.tokens += s.file.tokens;
        t.shards += 1;
        for (l, n) in &s.file.licences {
            *t.licences.entry(l.clone()).or_default() += n;
        }
        let sp = splits.entry(s.tier.clone()).or_default().entry(s.split.clone()).or_default();
        sp.shards += 1;
        sp.rows += s.file.rows;
        sp.documents += s.documents;
        sp.tokens += s.file.tokens;
        sp.text_bytes += s.file.text_bytes;
    }
    let written_docs: u64 = shards.iter().map(|s| s.documents).sum();
    let shard_tokens_dropped: u64 = shards.iter().map(|s| s.tokens_dropped).sum();
    documents.check(written_docs)?;
    let ledger_rows: u64 = ledger.iter().map(|l| l.rows).sum();
    if ledger_rows != documents.inputs {
        return Err(Error::Internal(format!("ledger files hold {ledger_rows} rows for {} inputs", documents.inputs)));
    }
    let mut chars: BTreeMap<&str, u64> = BTreeMap::new();
    for r in results {
        *chars.entry(&r.contribution_id).or_default() += r.totals.kept_chars;
    }
    let mut info: BTreeMap<&str, ContributionSummary> = BTreeMap::new();
    for t in &plan.tasks {
        let (inputs, kept) = per_contribution.get(t.contribution_id.as_str()).copied().unwrap_or_default();
        let characters = chars.get(t.contribution_id.as_str()).copied().unwrap_or_default();
        info.entry(&t.contribution_id).or_insert_with(|| match &t.contribution {
            Some(c) if plan.loose => ContributionSummary {
                id: c.manifest.id.clone(),
                title: c.manifest.title.clone(),
                contributor: String::new(),
                licence: c.manifest.licence.clone(),
                visibility: "public".to_string(),
                tier: "public".to_string(),
                rule: "none: loose files read by a single-stage command, no licence decision made".to_string(),
                inputs,
                kept,
                characters,
            },
            Some(c) => {
                let decision = plan.licensing.decide_contribution(c);
                ContributionSummary {
                    id: c.manifest.id.clone(),
                    title: c.manifest.title.clone(),
                    contributor: c.manifest.contributor.clone(),
                    licence: c.manifest.licence.clone(),
                    visibility: format!("{:?}", c.manifest.visibility).to_lowercase(),
                    tier: decision.tier_name().to_string(),
                    rule: decision.rule,
                    inputs,
                    kept,
                    characters,
                }
            }
            None => ContributionSummary {
                id: t.contribution_id.clone(),
                title: String::new(),
                contributor: String::new(),
                licence: String::new(),
                visibility: String::new(),
                tier: "excluded".to_string(),
                rule: String::new(),
                inputs,
                kept,
                characters,
            },
        });
    }
    Ok(DatasetManifest {
        format: FORMAT.to_string(),
        tool: Tool::current(),
        config_hash: plan.config_hash.clone(),
        inputs_fingerprint: inputs_fingerprint.to_string(),
        run_date: plan.licensing.run_date.to_string(),
        terms_version: plan.licensing.terms.version.clone(),
        dedup: None,
        pii_policy: if plan.config.config.pii.enabled {
            plan.config.config.pii.policy.by_tier()
        } else {
            BTreeMap::new()
        },
        pii: {
            let mut totals: BTreeMap<String, u64> = BTreeMap::new();
            for r in results {
                r.totals.pii.iter().for_each(|(k, v)| *totals.entry(k.clone()).or_default() += v);
            }
            totals
        },
        text: {
            let mut totals = TextTotals::default();
            results.iter().for_each(|r| totals.merge(&r.totals.text));
            totals
        },
        documents,
        tiers,
        splits,
        tokenizer: plan.tokenizer.as_ref().map(|t| t.get().map(|t| t.info().clone())).transpose()?,
        packing: plan
            .config
            .config
            .tokenize
            .seq_len
            .filter(|_| plan.tokenizer.is_some())
            .map(|n| -> Result<Packing> {
                let tail = plan.config.config.tokenize.tail;
                Ok(Packing {
                    seq_len: n.get() as u64,
                    tail,
                    pad_id: (tail == crate::shard::order::Tail::Pad).then(|| super::shard::pad_id(plan)).transpose()?,
                    tokens_dropped: shard_tokens_dropped,
                })
            })
            .transpose()?,
        contributions: info.into_values().collect(),
        shards,
        ledger,
        attribution: Vec::new(),
        cards: Vec::new(),
    })
}

/// Every contribution as the cards show it: its release, licence and attribution wording.
fn card_contributions(plan: &Plan, manifest: &DatasetManifest) -> Vec<crate::shard::card::CardContribution> {
    let registry = &plan.licensing.registry;
    plan.contributions
        .iter()
        .filter_map(|c| {
            let decision = plan.licensing.decide_contribution(c);
            let tier = decision.tier?;
            let summary = manifest.contributions.iter().find(|s| s.id == c.id());
            let entry = crate::licence::attribution::Entry {
                manifest: &c.manifest,
                decision: &decision,
                documents: summary.map_or(0, |s| s.kept),
                characters: summary.map_or(0, |s| s.characters),
            };
            let (attribution_zh, attribution_en) = crate::licence::attribution::wording(&entry, registry);
            let licence = registry.get(&decision.licence);
            Some(crate::shard::card::CardContribution {
                id: c.id().to_string(),
                title: c.manifest.title.clone(),
                contributor: c.manifest.contributor.clone(),
                licence_name: licence.map_or_else(|| decision.licence.clone(), |l| l.name.clone()),
                licence_url: licence.map_or_else(String::new, |l| l.url.clone()),
                release: match tier {
                    crate::batch::Tier::PublicShareAlike => format!("{}/{}", tier.as_str(), decision.licence),
                    _ => tier.as_str().to_string(),
                },
                licence: decision.licence.clone(),
                documents: entry.documents,
                characters: entry.characters,
                attribution_zh,
                attribution_en,
            })
        })
        .collect()
}

/// `attribution/`: one entry per contribution with documents in the output.
fn write_attribution(plan: &Plan, manifest: &DatasetManifest) -> Result<Vec<FileInfo>> {
    let decisions: Vec<_> = plan.contributions.iter().map(|c| plan.licensing.decide_contribution(c)).collect();
    let entries: Vec<crate::licence::attribution::Entry<'_>> = plan
        .contributions
        .iter()
        .zip(&decisions)
        .map(|(c, decision)| {
            let summary = manifest.contributions.iter().find(|s| s.id == c.id());
            crate::licence::attribution::Entry {
                manifest: &c.manifest,
                decision,
                documents: summary.map_or(0, |s| s.kept),
                characters: summary.map_or(0, |s| s.characters),
            }
        })
        .collect();
    crate::licence::attribution::write(
        &plan.output,
        &entries,
        &plan.licensing.registry,
        plan.config.config.shard.zstd_level,
    )
}
