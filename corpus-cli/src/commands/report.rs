//! `corpus report <dataset>`: the steward's report, written again.

use crate::ExitStatus;
use crate::cli::{GlobalArgs, ReportArgs};

pub fn report(args: ReportArgs, global: &GlobalArgs) -> anyhow::Result<ExitStatus> {
    let r = corpus_core::report::write(&args.dataset)?;
    if !global.quiet {
        outln!(
            "corpus report: {} documents in, {} kept, {} contributions, {} shards",
            r.inputs,
            r.kept,
            r.contributions.len(),
            r.shards.len()
        )?;
        outln!("  {}", args.dataset.join(corpus_core::report::HTML_FILE).display())?;
        outln!("  {}", args.dataset.join(corpus_core::report::JSON_FILE).display())?;
    }
    Ok(ExitStatus::Success)
}
