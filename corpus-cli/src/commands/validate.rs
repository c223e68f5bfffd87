//! `corpus validate <dir>...`: a contributor's check before submitting.

use corpus_core::ingest::IngestConfig;
use corpus_core::licence::{self, Licensing};
use corpus_core::validate::{self, Report, Severity};

use crate::ExitStatus;
use crate::cli::{GlobalArgs, OutputFormat, ValidateArgs};

pub fn validate(args: ValidateArgs, global: &GlobalArgs) -> anyhow::Result<ExitStatus> {
    let licensing = Licensing::load(None, None, licence::today())?;
    let cfg = IngestConfig::default();
    let reports: Vec<Report> = args.dirs.iter().map(|d| validate::validate(d, &licensing, &cfg)).collect();
    let valid = reports.iter().all(|r| r.valid);
    match if args.json { OutputFormat::Json } else { args.format } {
        OutputFormat::Json => {
            let json = serde_json::json!({ "valid": valid, "run_date": licensing.run_date.to_string(), "contributions": reports });
            outln!("{}", serde_json::to_string_pretty(&json)?)?;
        }
        OutputFormat::Text if !global.quiet => print_text(&reports)?,
        OutputFormat::Text => {}
    }
    Ok(if valid { ExitStatus::Success } else { ExitStatus::DataFailure })
}

fn print_text(reports: &[Report]) -> std::io::Result<()> {
    for r in reports {
        let id = r.id.as_deref().map(|id| format!(" (id `{id}`)")).unwrap_or_default();
        outln!("{} {}{id}", if r.valid { "valid  " } else { "INVALID" }, r.dir)?;
        if let Some(l) = &r.licence {
            outln!("  licence   {} → {} (rule `{}`)", l.expression, l.tier, l.rule)?;
        }
        for f in &r.files {
            let bad = if f.bad > 0 { format!(", {} bad", f.bad) } else { String::new() };
            let plural = if f.documents == 1 { "" } else { "s" };
            outln!("  file      {}: {} document{plural}{bad}", f.file, f.documents)?;
        }
        if !r.pii.is_empty() {
            let by_type: Vec<String> = r.pii.iter().map(|(k, v)| format!("{k} {v}")).collect();
            outln!("  pii       {} (counts only; the pipeline redacts them)", by_type.join(", "))?;
        }
        if let Some(share) = r.traditional_share {
            outln!(
                "  script    {:.0} % Traditional (among characters that differ between the scripts)",
                share * 100.0
            )?;
        }
        for f in &r.findings {
            let label = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let location = f.location();
            if location.is_empty() {
                outln!("  {label}[{}]: {}", f.code, f.message)?;
            } else {
                outln!("  {label}[{}]: {location}: {}", f.code, f.message)?;
            }
            if let Some(hint) = &f.hint {
                outln!("    hint: {hint}")?;
            }
        }
    }
    let ok = reports.iter().filter(|r| r.valid).count();
    outln!("{ok} of {} contribution{} valid", reports.len(), if reports.len() == 1 { "" } else { "s" })?;
    Ok(())
}
