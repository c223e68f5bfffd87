//! `corpus inspect <dataset>`: the summary, and every checksum verified.

use corpus_core::shard::manifest::{self, DatasetManifest};

use super::{human_bytes, print_accounting, print_pii, print_text, print_tiers};
use crate::ExitStatus;
use crate::cli::{GlobalArgs, InspectArgs};

pub fn inspect(args: InspectArgs, global: &GlobalArgs) -> anyhow::Result<ExitStatus> {
    let m = DatasetManifest::read(&args.dataset)?;
    if args.json {
        return json(&args, &m);
    }
    if !global.quiet {
        outln!("dataset     {} ({} {}, {})", args.dataset.display(), m.tool.name, m.tool.version, m.format)?;
        outln!("  config    {}", m.config_hash)?;
        outln!("  inputs    {}", m.inputs_fingerprint)?;
        outln!("  licences  terms {} applied on {}", m.terms_version, m.run_date)?;
        print_accounting(&m.documents)?;
        print_text(&m)?;
        print_pii(&m)?;
        print_tiers(&m)?;
        outln!("  contributions")?;
        for c in &m.contributions {
            let decided =
                if c.rule.is_empty() || c.rule == c.tier { c.tier.clone() } else { format!("{} ({})", c.tier, c.rule) };
            outln!(
                "    {:<24} {:<10} {:<24} {:<40} {:>8} in {:>8} kept  {}",
                c.id,
                c.visibility,
                c.licence,
                decided,
                c.inputs,
                c.kept,
                c.title
            )?;
        }
    }
    if args.no_verify {
        return Ok(ExitStatus::Success);
    }
    let files = m.file_infos().count();
    let bytes: u64 = m.file_infos().map(|f| f.bytes).sum();
    let mut mismatches = manifest::verify(&args.dataset, &m, &|_| {});
    mismatches.extend(corpus_core::shard::audit::audit(&args.dataset, &m));
    if mismatches.is_empty() {
        if !global.quiet {
            outln!(
                "  verified  {files} files, {}: every sha256, size and row count matches; shards, ledger and manifest agree",
                human_bytes(bytes)
            )?;
        }
        return Ok(ExitStatus::Success);
    }
    for mm in &mismatches {
        errln!("error: {}: {}", mm.path, mm.problem);
    }
    errln!(
        "error: {} problem{} found in {}",
        mismatches.len(),
        if mismatches.len() == 1 { "" } else { "s" },
        args.dataset.display()
    );
    Ok(ExitStatus::DataFailure)
}

/// `--json`: the manifest and what verification found, one object on stdout.
fn json(args: &InspectArgs, m: &DatasetManifest) -> anyhow::Result<ExitStatus> {
    let problems = (!args.no_verify).then(|| {
        let mut found = manifest::verify(&args.dataset, m, &|_| {});
        found.extend(corpus_core::shard::audit::audit(&args.dataset, m));
        found
    });
    let value = serde_json::json!({
        "dataset": args.dataset,
        "verified": problems.as_ref().map(|p| p.is_empty()),
        "files": m.file_infos().count(),
        "bytes": m.file_infos().map(|f| f.bytes).sum::<u64>(),
        "problems": problems.iter().flatten().map(|p| serde_json::json!({ "path": p.path, "problem": p.problem })).collect::<Vec<_>>(),
        "manifest": m,
    });
    outln!("{}", serde_json::to_string_pretty(&value)?)?;
    Ok(if problems.is_some_and(|p| !p.is_empty()) { ExitStatus::DataFailure } else { ExitStatus::Success })
}
