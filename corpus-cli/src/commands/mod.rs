//! One module per subcommand, each `fn(args, &GlobalArgs) -> anyhow::Result<ExitStatus>`.

pub mod dedup;
pub mod init;
pub mod inspect;
pub mod redact;
pub mod report;
pub mod run;
pub mod sql;
pub mod stage;
pub mod tokenize;
pub mod validate;

/// The worker pool of a command: `threads` threads, or one per core.
pub fn pool(threads: Option<std::num::NonZeroUsize>) -> anyhow::Result<rayon::ThreadPool> {
    use anyhow::Context as _;
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        pool = pool.num_threads(n.get());
    }
    pool.build().context("cannot start the worker threads")
}

/// `12.3 MB`, in decimal units as people read them.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 { format!("{bytes} B") } else { format!("{value:.1} {}", UNITS[unit]) }
}

/// Prints the document accounting: `inputs = kept + dropped`, then drops per reason.
pub fn print_accounting(documents: &corpus_core::ledger::LedgerSummary) -> std::io::Result<()> {
    outln!("  documents   {} in = {} kept + {} dropped", documents.inputs, documents.kept, documents.dropped)?;
    let width = documents.dropped_by_reason.keys().map(String::len).max().unwrap_or(0);
    for (reason, n) in &documents.dropped_by_reason {
        outln!("    {reason:<width$}  {n:>8}")?;
    }
    Ok(())
}

/// Prints the values redacted per PII type, if any.
pub fn print_pii(manifest: &corpus_core::shard::manifest::DatasetManifest) -> std::io::Result<()> {
    if !manifest.pii_policy.is_empty() {
        let by_tier: Vec<String> = manifest.pii_policy.iter().map(|(tier, p)| format!("{tier} {p}")).collect();
        outln!("  pii policy  {}", by_tier.join(", "))?;
    }
    if !manifest.pii.is_empty() {
        let by_type: Vec<String> = manifest.pii.iter().map(|(k, v)| format!("{k} {v}")).collect();
        outln!("  redacted    {}", by_type.join(", "))?;
    }
    Ok(())
}

/// Prints the output's languages and scripts, and what normalization changed, if it ran.
pub fn print_text(manifest: &corpus_core::shard::manifest::DatasetManifest) -> std::io::Result<()> {
    let t = &manifest.text;
    let join = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
    };
    if !t.script.is_empty() {
        outln!("  text        lang: {}; script: {}", join(&t.lang), join(&t.script))?;
    }
    if !t.changes.is_empty() {
        outln!("  normalized  {}", join(&t.changes))?;
    }
    Ok(())
}

/// Prints one line per tier, then its splits, and the tokenizer.
pub fn print_tiers(manifest: &corpus_core::shard::manifest::DatasetManifest) -> std::io::Result<()> {
    if let Some(t) = &manifest.tokenizer {
        fn special(s: &Option<corpus_core::tokenize::SpecialToken>) -> &str {
            s.as_ref().map_or("none", |s| s.token.as_str())
        }
        let packing =
            manifest.packing.as_ref().map_or(String::new(), |p| format!(", packed into {} tokens", p.seq_len));
        outln!(
            "  tokenizer   {} ({}, vocab {}, ids {}, bos {}, eos {}){packing}  sha256 {}",
            t.name,
            t.model,
            t.vocab_size,
            serde_json::to_value(t.id_type).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            special(&t.bos),
            special(&t.eos),
            &t.sha256[..12]
        )?;
    }
    for (tier, t) in &manifest.tiers {
        let licences: Vec<String> = t.licences.iter().map(|(l, n)| format!("{l} {n}")).collect();
        let tokens = if manifest.tokenizer.is_some() { format!("  {:>10} tokens", t.tokens) } else { String::new() };
        outln!(
            "  {tier:<11} {:>8} documents  {:>9} text{tokens}  {} shard{}  [{}]",
            t.documents,
            human_bytes(t.text_bytes),
            t.shards,
            if t.shards == 1 { "" } else { "s" },
            licences.join(", ")
        )?;
        for (split, s) in manifest.splits.get(tier).into_iter().flatten() {
            let tokens =
                if manifest.tokenizer.is_some() { format!("  {:>10} tokens", s.tokens) } else { String::new() };
            outln!(
                "    {split:<10}{:>7} documents  {:>9} text{tokens}  {} rows",
                s.documents,
                human_bytes(s.text_bytes),
                s.rows
            )?;
        }
    }
    Ok(())
}

/// Prints what dedup did, if it ran.
pub fn print_dedup(manifest: &corpus_core::shard::manifest::DatasetManifest) -> std::io::Result<()> {
    if let Some(d) = &manifest.dedup {
        let t = &d.totals;
        let against = if t.previous > 0 { format!(" against {} released before", t.previous) } else { String::new() };
        outln!(
            "  dedup       {} signed{against}: {} clusters of {} documents ({})",
            t.signed,
            t.clusters,
            t.clustered,
            d.params.describe()
        )?;
    }
    Ok(())
}
