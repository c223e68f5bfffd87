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
    let plan = pipeline::plan(config, args.output.as_deref(), args.existing.resume)?;
    let stages = pipeline::build_stages(&plan)?;
    let options = args.existing.options(args.strict, args.against);
    execute(
        &plan,
        &stages,
        options,
        global,
        Invocation { command: "run", threads: args.threads, started, json: args.json },
    )
}

/// How a command that runs a plan was invoked.
pub struct Invocation<'a> {
    /// `run`, `dedup`, `tokenize`.
    pub command: &'a str,
    /// Worker threads (default: one per core).
    pub threads: Option<std::num::NonZeroUsize>,
    /// When the command started.
    pub started: Instant,
    /// `--json`.
    pub json: bool,
}

/// Runs a plan with `stages` and prints the summary (`corpus run`, `corpus dedup`).
pub fn execute(
    plan: &Plan,
    stages: &[Box<dyn Stage>],
    options: RunOptions,
    global: &GlobalArgs,
    how: Invocation<'_>,
) -> anyhow::Result<ExitStatus> {
    let Invocation { command, threads, started, json } = how;
    tracing::info!(tasks = plan.tasks.len(), input_bytes = plan.input_bytes, output = %plan.output.display(), "Planned.");
    let pool = super::pool(threads)?;
    crate::interrupt::resume_on_ctrl_c(plan.output.clone());
    let bars = Bars::new(global);
    let summary = pool.install(|| pipeline::run(plan, stages, options, &bars))?;
    if json {
        let text_bytes: u64 = summary.manifest.tiers.values().map(|t| t.text_bytes).sum();
        let value = serde_json::json!({
            "command": command,
            "output": summary.output,
            "already_complete": summary.already_complete,
            "resumed_tasks": summary.resumed_tasks,
            "tasks": plan.tasks.len(),
            "seconds": started.elapsed().as_secs_f64(),
            "input_bytes": plan.input_bytes,
            "text_bytes": text_bytes,
            "steps": summary.steps,
            "examples": summary.examples,
            "manifest": summary.manifest,
        });
        outln!("{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(ExitStatus::Success);
    }
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
    if summary.output.join(corpus_core::report::HTML_FILE).is_file() {
        outln!("    {:<48} the report: charts for people; report.json beside it", corpus_core::report::HTML_FILE)?;
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
