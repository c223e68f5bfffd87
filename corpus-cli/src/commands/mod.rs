//! One module per subcommand, each `fn(args, &GlobalArgs) -> anyhow::Result<ExitStatus>`.

pub mod dedup;
pub mod inspect;
pub mod redact;
pub mod run;
pub mod validate;

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
pub fn print_accounting(documents: &corpus_core::ledger::LedgerSummary) {
    println!("  documents   {} in = {} kept + {} dropped", documents.inputs, documents.kept, documents.dropped);
    let width = documents.dropped_by_reason.keys().map(String::len).max().unwrap_or(0);
    for (reason, n) in &documents.dropped_by_reason {
        println!("    {reason:<width$}  {n:>8}");
    }
}

/// Prints the values redacted per PII type, if any.
pub fn print_pii(manifest: &corpus_core::shard::manifest::DatasetManifest) {
    if !manifest.pii.is_empty() {
        let by_type: Vec<String> = manifest.pii.iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!("  redacted    {}", by_type.join(", "));
    }
}

/// Prints the output's languages and scripts, and what normalization changed, if it ran.
pub fn print_text(manifest: &corpus_core::shard::manifest::DatasetManifest) {
    let t = &manifest.text;
    let join = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
    };
    if !t.script.is_empty() {
        println!("  text        lang: {}; script: {}", join(&t.lang), join(&t.script));
    }
    if !t.changes.is_empty() {
        println!("  normalized  {}", join(&t.changes));
    }
}

/// Prints one line per tier.
pub fn print_tiers(manifest: &corpus_core::shard::manifest::DatasetManifest) {
    for (tier, t) in &manifest.tiers {
        let licences: Vec<String> = t.licences.iter().map(|(l, n)| format!("{l} {n}")).collect();
        println!(
            "  {tier:<11} {:>8} documents  {:>9} text  {} shard{}  [{}]",
            t.documents,
            human_bytes(t.text_bytes),
            t.shards,
            if t.shards == 1 { "" } else { "s" },
            licences.join(", ")
        );
    }
}

/// Prints what dedup did, if it ran.
pub fn print_dedup(manifest: &corpus_core::shard::manifest::DatasetManifest) {
    if let Some(d) = &manifest.dedup {
        let t = &d.totals;
        let against = if t.previous > 0 { format!(" against {} released before", t.previous) } else { String::new() };
        println!(
            "  dedup       {} signed{against}: {} clusters of {} documents ({})",
            t.signed,
            t.clusters,
            t.clustered,
            d.params.describe()
        );
    }
}
