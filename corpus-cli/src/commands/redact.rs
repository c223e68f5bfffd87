//! `corpus redact --input <file> --output <jsonl>`: the PII stage alone.

use corpus_core::pii::stream::redact_file;
use corpus_core::pii::{PiiConfig, Policy};

use crate::ExitStatus;
use crate::cli::{GlobalArgs, RedactArgs};

pub fn redact(args: RedactArgs, global: &GlobalArgs) -> anyhow::Result<ExitStatus> {
    let cfg = PiiConfig { person_names: !args.no_names, ..PiiConfig::default() };
    let max = args.max_record_megabytes.get().saturating_mul(1 << 20);
    let policy = if args.policy == "precision" { Policy::Precision } else { Policy::Recall };
    let report = redact_file(&args.input, &args.output, &args.text_field, &cfg, policy, max)?;
    for (at, why) in &report.refused {
        let at = if report.rows { format!(": row {at}") } else { format!(":{at}") };
        errln!("error: {}{at}: {why}; the record was not written", args.input.display());
    }
    if !global.quiet {
        let by_type: Vec<String> = report.spans.iter().map(|(k, v)| format!("{k} {v}")).collect();
        outln!(
            "corpus redact: {} records written to {}, {} with personal data redacted{}",
            report.records,
            args.output.display(),
            report.redacted,
            if by_type.is_empty() { String::new() } else { format!(" ({})", by_type.join(", ")) }
        )?;
    }
    Ok(if report.refused.is_empty() { ExitStatus::Success } else { ExitStatus::DataFailure })
}
