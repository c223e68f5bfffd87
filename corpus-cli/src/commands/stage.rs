//! `corpus plan`, `corpus stage` and `corpus status`: the pipeline's steps run one at a time,
//! by any scheduler, from the plan.json `corpus plan` writes.

use std::time::Instant;

use anyhow::bail;
use corpus_core::pipeline::{self, LoadedConfig, Step};

use crate::ExitStatus;
use crate::cli::{GlobalArgs, OutputFormat, PlanArgs, StageArgs, StatusArgs};
use crate::progress::Bars;

/// The program as it was invoked, for commands to copy.
fn program() -> String {
    std::env::args().next().filter(|p| p.contains('/')).unwrap_or_else(|| "corpus".to_string())
}

pub fn plan(args: PlanArgs, global: &GlobalArgs) -> anyhow::Result<ExitStatus> {
    let config = LoadedConfig::load(&args.config)?;
    let plan = pipeline::plan(config, args.output.as_deref(), args.existing.resume)?;
    let stages = pipeline::build_stages(&plan)?;
    let options = args.existing.options(args.strict, args.against);
    let bars = Bars::new(global);
    let Some(path) = pipeline::write_plan(&plan, &stages, &options, &bars)? else {
        if !global.quiet {
            outln!("corpus plan: {} is already complete (nothing to plan)", plan.output.display())?;
        }
        return Ok(ExitStatus::Success);
    };
    if global.quiet {
        outln!("{}", path.display())?;
        return Ok(ExitStatus::Success);
    }
    let opened = pipeline::open_plan(&path)?;
    outln!("corpus plan: {} ({} input tasks)", path.display(), plan.tasks.len())?;
    outln!("  run each step in order; the ranks of one step may run at once, anywhere that sees this directory:")?;
    for step in &opened.file.steps {
        outln!("    {} stage {step} {} --rank R --world-size N", program(), path.display())?;
    }
    outln!("  next        {} status {}", program(), plan.output.display())?;
    Ok(ExitStatus::Success)
}

pub fn stage(args: StageArgs, global: &GlobalArgs) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    let Some(step) = Step::parse(&args.step) else {
        let names: Vec<&str> = Step::ALL.iter().map(|s| s.name()).collect();
        bail!("`{}` is not a step; the steps are {}", args.step, names.join(", "));
    };
    let world = usize::try_from(args.world_size).unwrap_or(usize::MAX);
    // After `finalize` the work directory (and the plan in it) is gone: every step is done.
    let plan_gone = !args.plan.exists() || (args.plan.is_dir() && !args.plan.join(".work").exists());
    if plan_gone
        && let Ok(status) = pipeline::status(&args.plan)
        && status.complete
    {
        if !global.quiet {
            outln!("corpus stage {step}: {} is complete (nothing to do)", status.output.display())?;
        }
        return Ok(ExitStatus::Success);
    }
    let opened = pipeline::open_plan(&args.plan)?;
    let pool = super::pool(args.threads)?;
    let bars = Bars::new(global);
    let summary = pool.install(|| pipeline::run_stage(&opened, step, args.rank, world, &bars))?;
    if global.quiet {
        return Ok(ExitStatus::Success);
    }
    let r = summary.run;
    outln!(
        "corpus stage {step}: rank {} of {world}: {} of {} tasks, {} already done, in {:.1}s",
        args.rank,
        r.share,
        r.tasks,
        r.skipped,
        started.elapsed().as_secs_f64()
    )?;
    if let Some(m) = &summary.manifest {
        super::print_accounting(&m.documents)?;
        outln!("  next        {} inspect {}", program(), opened.plan.output.display())?;
    }
    Ok(ExitStatus::Success)
}

pub fn status(args: StatusArgs, _global: &GlobalArgs) -> anyhow::Result<ExitStatus> {
    let status = pipeline::status(&args.dir)?;
    if args.format == OutputFormat::Json {
        outln!("{}", serde_json::to_string_pretty(&status)?)?;
        return Ok(ExitStatus::Success);
    }
    if status.complete {
        outln!("{}: complete (manifest.json written)", status.output.display())?;
        return Ok(ExitStatus::Success);
    }
    outln!("{}: run in progress", status.output.display())?;
    outln!("  {:<14} {:>8} {:>8}", "step", "done", "tasks")?;
    for s in &status.steps {
        let tasks = s.tasks.map_or_else(|| "?".to_string(), |n| n.to_string());
        outln!("  {:<14} {:>8} {:>8}", s.step.name(), s.done, tasks)?;
    }
    Ok(ExitStatus::Success)
}
