//! `corpus run <pipeline.toml>`.

use std::time::Instant;

use corpus_core::pipeline::{self, LoadedConfig, Plan, RunOptions};
use corpus_core::stage::Stage;

use super::{human_bytes, print_accounting, print_dedup, print_pii, print_text, print_tiers};
use crate::ExitStatus;
use crate::cli::{GlobalArgs, RunArgs};
use crate::progress::Bars;

pub fn run(args: RunArgs, global: &GlobalArgs) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    let config = LoadedConfig::load(&args.config)?;
    let plan = pipeline::plan(config, args.output.as_deref(), args.resume)?;
    let stages = pipeline::build_stages(&plan)?;
    let options = RunOptions { resume: args.resume, strict: args.strict, against: args.against, force: args.force };
    execute(&plan, &stages, options, args.threads, global, started, "run")
}

/// Runs a plan with `stages` and prints the summary (`corpus run`, `corpus dedup`).
pub fn execute(
    plan: &Plan,
    stages: &[Box<dyn Stage>],
    options: RunOptions,
    threads: Option<std::num::NonZeroUsize>,
    global: &GlobalArgs,
    started: Instant,
    command: &str,
) -> anyhow::Result<ExitStatus> {
    tracing::info!(tasks = plan.tasks.len(), input_bytes = plan.input_bytes, output = %plan.output.display(), "Planned.");
    let pool = super::pool(threads)?;
    crate::interrupt::resume_on_ctrl_c(plan.output.clone());
    let bars = Bars::new(global);
    let summary = pool.install(|| pipeline::run(plan, stages, options, &bars))?;
    if global.quiet {
        return Ok(ExitStatus::Success);
    }
    let m = &summary.manifest;
    let secs = started.elapsed().as_secs_f64();
    if summary.already_complete {
        outln!("corpus {command}: {} is already complete (nothing to resume)", summary.output.display())?;
    } else {
        let resumed = if summary.resumed_tasks > 0 {
            format!(", {} tasks resumed", summary.resumed_tasks)
        } else {
            String::new()
        };
        // Input bytes are file sizes (compressed for .gz/.zst); text is what reached the shards.
        let text: u64 = m.tiers.values().map(|t| t.text_bytes).sum();
        let tasks = plan.tasks.len();
        outln!(
            "corpus {command}: {tasks} task{} in {secs:.1}s, {} of input files, {} of text written ({}/s){resumed}",
            if tasks == 1 { "" } else { "s" },
            human_bytes(plan.input_bytes),
            human_bytes(text),
            human_bytes((text as f64 / secs.max(1e-3)) as u64)
        )?;
    }
    print_accounting(&m.documents)?;
    for example in &summary.examples {
        outln!("      e.g. {example}")?;
    }
    print_text(m)?;
    print_pii(m)?;
    print_dedup(m)?;
    print_tiers(m)?;
    outln!("  output      {}", summary.output.display())?;
    outln!("    {:<48} counts, checksums, config hash {}", "manifest.json", &m.config_hash[..12])?;
    // Release by release: its card, then its shards.
    let card = corpus_core::shard::card::CARD;
    for c in m.cards.iter().filter(|c| c.path != card) {
        outln!("    {:<48} {:>12}  {:>9}", c.path, "dataset card", human_bytes(c.bytes))?;
        let dir = c.path.trim_end_matches(card);
        for s in m.shards.iter().filter(|s| s.file.path.starts_with(dir)) {
            outln!("    {:<48} {:>7} rows  {:>9}", s.file.path, s.file.rows, human_bytes(s.file.bytes))?;
        }
    }
    for l in &m.ledger {
        outln!("    {:<48} {:>7} rows  {:>9}", l.path, l.rows, human_bytes(l.bytes))?;
    }
    for a in &m.attribution {
        outln!("    {:<48} {:>7} contributions", a.path, a.rows)?;
    }
    if let Some(d) = &m.dedup {
        outln!("    {:<48} {:>7} rows  {:>9}", d.clusters.path, d.clusters.rows, human_bytes(d.clusters.bytes))?;
        let bytes: u64 = d.index.iter().map(|f| f.bytes).sum();
        outln!(
            "    {:<48} {:>7} docs  {:>9}",
            "lsh-index/",
            d.index.first().map_or(0, |f| f.rows),
            human_bytes(bytes)
        )?;
    }
    if let Some(c) = m.cards.iter().find(|c| c.path == card) {
        let reads = if m.tiers.contains_key("public") { "public/ alone" } else { "a tier it is told to" };
        outln!("    {:<48} the run's card: a loader pointed here reads {reads}", c.path)?;
    }
    if !summary.steps.is_empty() {
        let times: Vec<String> = summary.steps.iter().map(|s| format!("{} {:.1}s", s.step, s.seconds)).collect();
        outln!("  steps       {}", times.join(", "))?;
    }
    // Name the binary as it was invoked (`target/release/corpus` after `cargo run`).
    let program = std::env::args().next().filter(|p| p.contains('/')).unwrap_or_else(|| "corpus".to_string());
    outln!("  next        {program} inspect {}", summary.output.display())?;
    Ok(ExitStatus::Success)
}
