//! The local scheduler: `corpus run` checks the inputs, writes the plan, and runs every step
//! of [`super::steps`] in order on this machine, with rayon inside each step; `corpus stage`
//! runs one step's share of tasks from `plan.json`, so that other schedulers can place them.
//!
//! Output bytes depend only on the plan: every file is named by a task index, shards are cut
//! from parts in task order, and nothing records thread timing or the world size. A run killed
//! at any point and resumed skips finished tasks and writes the same bytes.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use super::plan::Plan;
use super::planfile::PlanFile;
use super::reporter::{Phase, Reporter};
use super::steps::{Ctx, Step, StepRun, StepStatus};
use super::work::WorkDir;
use super::workdir::{self, RunKey, json, write_work};
use crate::error::{Error, IoResultExt, Location, Result};
use crate::ingest::manifest::Date;
use crate::shard::manifest::{DatasetManifest, MANIFEST_FILE, Tool, WORK_DIR};
use crate::stage::Stage;

/// How to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Continue an interrupted run in the same output directory, skipping finished work.
    pub resume: bool,
    /// Stop at the first record that cannot be kept because it is malformed (exit 1), instead of
    /// recording it in the ledger and going on.
    pub strict: bool,
    /// A previous release (dataset directory) whose documents this run must not repeat: its
    /// saved LSH index joins the dedup stage, and duplicates of its documents are dropped.
    pub against: Option<PathBuf>,
    /// Replace a finished dataset or an interrupted run in the output directory (without it, a
    /// fresh run refuses one). Files corpus did not write are never removed either way.
    pub force: bool,
}

/// What a finished run reports.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// The output directory.
    pub output: PathBuf,
    /// The manifest written.
    pub manifest: DatasetManifest,
    /// Ingest tasks skipped because an earlier run had finished them.
    pub resumed_tasks: usize,
    /// Whether the dataset was already complete (`--resume` on a finished run).
    pub already_complete: bool,
    /// The first dropped record of each `stage/reason` (up to eight), described for people.
    pub examples: Vec<String>,
    /// Each step's tasks and wall time, in order.
    pub steps: Vec<StepTime>,
}

/// A step's wall time in one run (`timings.json`; not in the manifest, whose bytes depend only
/// on the inputs and the config).
#[derive(Debug, Clone, Serialize)]
pub struct StepTime {
    /// The step.
    pub step: Step,
    /// Its tasks.
    pub tasks: usize,
    /// Of those, finished by an earlier run.
    pub skipped: usize,
    /// Wall seconds.
    pub seconds: f64,
}

/// `timings.json` beside the manifest: how long each step of the last run took.
pub const TIMINGS_FILE: &str = "timings.json";

/// The run date of an interrupted run (`.work/run.json`) or of a finished dataset in `out`.
pub(crate) fn previous_run_date(out: &Path) -> Option<Date> {
    let date = match RunKey::read(out) {
        Some(key) => key.run_date,
        None => DatasetManifest::read(out).ok()?.run_date,
    };
    Date::parse(&date)
}

/// What [`prepare`] found.
enum Prepared {
    /// The plan file written (or, on resume, found the same): steps can run.
    Ready(Box<PlanFile>),
    /// `--resume` on a finished dataset made from this config and these inputs.
    Complete(Box<DatasetManifest>),
}

/// Checks the inputs, takes over the output directory (a fresh run clears what an earlier run
/// wrote there, and nothing else) and writes `.work/run.json` and `.work/plan.json`.
fn prepare(plan: &Plan, stages: &[Box<dyn Stage>], options: &RunOptions, reporter: &dyn Reporter) -> Result<Prepared> {
    let out = &plan.output;
    let work = WorkDir::of(out);
    if let Some(against) = &options.against {
        super::plan::check_overlap(&plan.config.path, out, [("previous release (--against)", against.as_path())])?;
    }
    // Inputs by content, so that --resume refuses work planned from inputs edited since.
    let input_total: u64 = plan.inputs.iter().map(|f| f.bytes).sum();
    reporter.started(Phase::Check, input_total, 0);
    let (inputs_fingerprint, digests) =
        crate::ingest::fingerprint::fingerprint(&plan.inputs, &crate::ingest::fingerprint::cache_path(out), &|n| {
            reporter.advance(Phase::Check, n)
        })?;
    reporter.finished(Phase::Check);
    let dedup = super::steps::DedupRun::new(plan, options.against.as_deref())?;
    let key = RunKey {
        tool: Tool::current(),
        config_hash: plan.config_hash.clone(),
        inputs_fingerprint: inputs_fingerprint.clone(),
        tasks: plan.tasks.len(),
        run_date: plan.licensing.run_date.to_string(),
        against: dedup.as_ref().and_then(super::steps::DedupRun::against),
    };
    let key_path = work.run_key();
    workdir::refuse_symlinked_dirs(out, &plan.config.path)?;
    let resume = if options.resume { check_resume(plan, &key, &key_path)? } else { Resume::Fresh };
    match resume {
        Resume::Continue => {}
        Resume::Complete(manifest) => {
            // Only leftovers of an interrupted clean-up may remain: `.work/` without its key.
            if work.root().exists() {
                std::fs::remove_dir_all(work.root()).at(work.root())?;
            }
            return Ok(Prepared::Complete(manifest));
        }
        Resume::Fresh => {
            if !options.force {
                workdir::refuse_replacing(out)?;
            }
            workdir::clear_for_fresh_run(out, &plan.config.path, &key)?
        }
    }
    // The directory is the run's now: the digests can be cached in it.
    digests.write();
    std::fs::create_dir_all(work.tasks()).at(&work.tasks())?;
    let steps: Vec<Step> = Step::ALL.into_iter().filter(|s| *s != Step::DedupBuckets || dedup.is_some()).collect();
    let file = PlanFile::new(plan, stages, inputs_fingerprint, options, steps)?;
    write_work(&work.plan_file(), &json(&file)?)?;
    Ok(Prepared::Ready(Box::new(file)))
}

/// Runs the plan with `stages` between ingest and dedup: every step in order, on this machine.
pub fn run(plan: &Plan, stages: &[Box<dyn Stage>], options: RunOptions, reporter: &dyn Reporter) -> Result<RunSummary> {
    let out = &plan.output;
    std::fs::create_dir_all(out).at(out)?;
    let _lock = lock_output(plan, false)?;
    reporter.plan(&Phase::RUN);
    let file = match prepare(plan, stages, &options, reporter)? {
        Prepared::Complete(manifest) => {
            // A run killed while writing report/ left the dataset complete but the report
            // half-written (a `.tmp` beside it): write it again, as the run would have.
            if report_interrupted(out) {
                write_report(out);
            }
            return Ok(RunSummary {
                output: out.clone(),
                manifest: *manifest,
                resumed_tasks: plan.tasks.len(),
                already_complete: true,
                examples: Vec::new(),
                steps: Vec::new(),
            });
        }
        Prepared::Ready(file) => file,
    };
    let ctx = Ctx::new(plan, &file, stages, reporter)?;
    let mut times = Vec::new();
    let mut resumed_tasks = 0;
    for step in ctx.steps().into_iter().filter(|s| *s != Step::Finalize) {
        let started = Instant::now();
        let r = ctx.run_share(step, 0, 1)?;
        tracing::debug!(step = %step, tasks = r.tasks, skipped = r.skipped, "Step done.");
        if step == Step::Ingest {
            resumed_tasks = r.skipped;
        }
        times.push(StepTime { step, tasks: r.tasks, skipped: r.skipped, seconds: started.elapsed().as_secs_f64() });
    }
    let started = Instant::now();
    let (manifest, examples) = ctx.finalize()?;
    times.push(StepTime { step: Step::Finalize, tasks: 1, skipped: 0, seconds: started.elapsed().as_secs_f64() });
    let timings = serde_json::to_vec_pretty(&serde_json::json!({ "steps": times }))
        .map_err(|e| Error::Internal(format!("serializing timings: {e}")))?;
    write_work(&out.join(TIMINGS_FILE), &timings)?;
    write_report(out);
    Ok(RunSummary { output: out.clone(), manifest, resumed_tasks, already_complete: false, examples, steps: times })
}

/// Whether `report/` of a complete dataset is missing a file or holds a temporary one.
fn report_interrupted(out: &Path) -> bool {
    let missing = [crate::report::JSON_FILE, crate::report::HTML_FILE].iter().any(|f| !out.join(f).exists());
    let tmp = std::fs::read_dir(out.join("report"))
        .map(|d| d.filter_map(|e| e.ok()).any(|e| e.file_name().to_string_lossy().ends_with(".tmp")))
        .unwrap_or(false);
    missing || tmp
}

/// Writes `report/` of the finished dataset in `out`. The dataset stands without it (`corpus
/// report` writes it again), so a failure is logged, not the run's.
fn write_report(out: &Path) {
    if let Err(e) = crate::report::write(out) {
        tracing::error!("report/ was not written: {e}; `corpus report {}` writes it", out.display());
    }
}

/// `corpus plan`: checks the inputs and writes `<out>/.work/plan.json` (a fresh run's, or the
/// interrupted run's with `--resume`), without running a step. Returns its path, or `None` when
/// `--resume` finds the dataset complete.
pub fn write_plan(
    plan: &Plan,
    stages: &[Box<dyn Stage>],
    options: &RunOptions,
    reporter: &dyn Reporter,
) -> Result<Option<PathBuf>> {
    let out = &plan.output;
    std::fs::create_dir_all(out).at(out)?;
    let _lock = lock_output(plan, false)?;
    Ok(match prepare(plan, stages, options, reporter)? {
        Prepared::Ready(_) => Some(WorkDir::of(out).plan_file()),
        Prepared::Complete(_) => None,
    })
}

/// What `corpus stage` did.
#[derive(Debug, Clone)]
pub struct StageSummary {
    /// The step.
    pub step: Step,
    /// Its tasks, this rank's share, and the share's tasks already done.
    pub run: StepRun,
    /// The manifest, after `finalize`.
    pub manifest: Option<DatasetManifest>,
}

/// A plan file, its plan re-resolved and checked, and the stages it names.
#[derive(Debug)]
pub struct Opened {
    /// `plan.json`.
    pub file: PlanFile,
    /// The plan.
    pub plan: Plan,
    /// Its document stages.
    pub stages: Vec<Box<dyn Stage>>,
}

/// Reads `plan.json` (or the plan of the output directory `path`) and resolves its plan again.
pub fn open_plan(path: &Path) -> Result<Opened> {
    let path = plan_path(path);
    let file = PlanFile::read(&path)?;
    let plan = file.resolve(&path)?;
    let stages = if file.stages.is_empty() { Vec::new() } else { super::build_stages(&plan)? };
    let names: Vec<&str> = stages.iter().map(|s| s.name()).collect();
    if names != file.stages.iter().map(String::as_str).collect::<Vec<_>>() {
        return Err(Error::config(
            Location::file(&path).with_field("stages"),
            format!("the plan names stages {:?}; this config builds {names:?}: plan again", file.stages),
        ));
    }
    Ok(Opened { file, plan, stages })
}

/// `plan.json` itself, or the one in the work directory of the dataset directory `path`.
fn plan_path(path: &Path) -> PathBuf {
    if path.is_dir() {
        if path.file_name().is_some_and(|n| n == WORK_DIR) {
            return path.join(super::work::PLAN_FILE);
        }
        return WorkDir::of(path).plan_file();
    }
    path.to_path_buf()
}

/// `corpus stage <step> <plan.json> --rank R --world-size N`: runs the tasks `i` of `step` with
/// `i % N == R`. Other ranks may run the same step at once (the output directory is locked
/// shared; `corpus run` takes it exclusively).
pub fn run_stage(
    opened: &Opened,
    step: Step,
    rank: usize,
    world: usize,
    reporter: &dyn Reporter,
) -> Result<StageSummary> {
    let plan = &opened.plan;
    if rank >= world.max(1) {
        return Err(Error::config(
            Location::file(WorkDir::of(&plan.output).plan_file()).with_field("rank"),
            format!("rank {rank} is not below the world size {world}"),
        ));
    }
    if !opened.file.steps.contains(&step) {
        return Err(Error::config(
            Location::file(WorkDir::of(&plan.output).plan_file()).with_field("steps"),
            format!("this plan has no step `{step}` (its steps: {})", step_names(&opened.file.steps)),
        ));
    }
    let _lock = lock_output(plan, true)?;
    let ctx = Ctx::new(plan, &opened.file, &opened.stages, reporter)?;
    if step == Step::Finalize {
        let run = ctx.run_share(step, rank, world)?;
        let manifest = if rank == 0 { Some(DatasetManifest::read(&plan.output)?) } else { None };
        // The report, as a local run writes it (without step times: each task ran elsewhere).
        if rank == 0 && run.share > 0 {
            write_report(&plan.output);
        }
        return Ok(StageSummary { step, run, manifest });
    }
    let run = ctx.run_share(step, rank, world)?;
    Ok(StageSummary { step, run, manifest: None })
}

fn step_names(steps: &[Step]) -> String {
    steps.iter().map(|s| s.name()).collect::<Vec<_>>().join(", ")
}

/// What `corpus status` shows.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// The dataset directory.
    pub output: PathBuf,
    /// Whether the dataset is finished (`manifest.json` written, no work in progress).
    pub complete: bool,
    /// Each step, with done and total tasks (empty when complete).
    pub steps: Vec<StepStatus>,
}

/// `corpus status <dir>`: each step's done and total tasks.
pub fn status(path: &Path) -> Result<Status> {
    let plan_file = plan_path(path);
    let output = match plan_file.parent().and_then(Path::parent) {
        Some(o) => o.to_path_buf(),
        None => path.to_path_buf(),
    };
    if !plan_file.is_file() {
        if output.join(MANIFEST_FILE).is_file() {
            return Ok(Status { output, complete: true, steps: Vec::new() });
        }
        return Err(Error::config(
            Location::file(path),
            "no run in progress here (no .work/plan.json) and no finished dataset (no manifest.json)",
        ));
    }
    let opened = open_plan(&plan_file)?;
    let ctx = Ctx::new(&opened.plan, &opened.file, &opened.stages, &super::NoopReporter)?;
    Ok(Status { output: opened.plan.output.clone(), complete: false, steps: ctx.status()? })
}

/// What `--resume` finds in the output directory.
enum Resume {
    /// Work in progress planned from this config and these inputs.
    Continue,
    /// A finished dataset made from this config and these inputs, every file verified.
    Complete(Box<DatasetManifest>),
    /// Nothing to resume: start over.
    Fresh,
}

/// Holds an exclusive lock on the output directory for the length of a run, so that two runs
/// cannot interleave their files (flock(2) on the directory: released when the process dies).
fn lock_output(plan: &Plan, shared: bool) -> Result<File> {
    let out = &plan.output;
    let dir = File::open(out).at(out)?;
    let locked = if shared { dir.try_lock_shared() } else { dir.try_lock() };
    match locked {
        Ok(()) => Ok(dir),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::config(
            Location::file(&plan.config.path),
            format!("another `corpus run` is writing to {}; wait for it or choose another --output", out.display()),
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(out, e)),
    }
}

/// On `--resume`: what there is to resume; an error if it was planned from another config or
/// other inputs.
fn check_resume(plan: &Plan, key: &RunKey, key_path: &Path) -> Result<Resume> {
    let changed = |what: &str| {
        Error::config(
            Location::file(&plan.config.path),
            format!(
                "{what} in {} was made from another configuration or other inputs; run with --force instead of --resume to start over",
                plan.output.display()
            ),
        )
    };
    if key_path.exists() {
        let bytes = std::fs::read(key_path).at(key_path)?;
        let previous: Option<RunKey> = serde_json::from_slice(&bytes).ok();
        if previous.as_ref() != Some(key) {
            return Err(changed("the interrupted run"));
        }
        return Ok(Resume::Continue);
    }
    if plan.output.join(MANIFEST_FILE).exists() {
        let manifest = DatasetManifest::read(&plan.output)?;
        if manifest.config_hash != key.config_hash
            || manifest.inputs_fingerprint != key.inputs_fingerprint
            || manifest.tool != key.tool
            || manifest.dedup.as_ref().and_then(|d| d.against_fingerprint.as_ref()) != key.against.as_ref()
        {
            return Err(changed("the dataset"));
        }
        // "Complete" only if every file still is what the manifest says, and nothing else is
        // in its shard and ledger directories.
        let mut problems: Vec<String> = crate::shard::manifest::verify(&plan.output, &manifest, &|_| {})
            .into_iter()
            .map(|m| format!("{}: {}", m.path, m.problem))
            .collect();
        problems.extend(
            crate::shard::manifest::strays(&plan.output, &manifest)
                .into_iter()
                .map(|p| format!("{p}: not listed in manifest.json")),
        );
        if let Some(first) = problems.first() {
            return Err(Error::Integrity {
                path: plan.output.join(MANIFEST_FILE),
                message: format!(
                    "the dataset is damaged ({} problem{}, first {first}); it cannot be resumed: run with --force instead of --resume to rebuild it",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                ),
            });
        }
        return Ok(Resume::Complete(Box::new(manifest)));
    }
    Ok(Resume::Fresh)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::DocBatch;
    use crate::pipeline::{LoadedConfig, NoopReporter, plan};
    use crate::stage::{DropReason, Processed, Verdict};

    /// Drops documents whose text contains `丟`, keeps the rest.
    #[derive(Debug)]
    struct DropMarked;

    impl Stage for DropMarked {
        fn name(&self) -> &'static str {
            "quality"
        }
        fn process(&self, batch: DocBatch) -> Result<Processed> {
            let verdicts = batch
                .texts()
                .iter()
                .map(|t| match t {
                    Some(t) if t.contains('丟') => {
                        Verdict::Drop { reason: DropReason::EmptyText, detail: Some("marked".into()) }
                    }
                    _ => Verdict::Keep,
                })
                .collect();
            Ok(Processed { batch, verdicts })
        }
    }

    #[test]
    fn stage_verdicts_become_ledger_rows_and_filter_the_shards() -> Result<()> {
        let dir = tempfile::tempdir().at(Path::new("tmp"))?;
        let c = dir.path().join("contributions/c");
        std::fs::create_dir_all(&c).at(&c)?;
        let manifest = "id = \"c\"\ntitle = \"t\"\ncontributor = \"c\"\nlicence = \"CC0-1.0\"\nvisibility = \"public\"\n\
                        attribution = \"a\"\nlanguage = \"zh-Hant\"\nfiles = [\"*.jsonl\"]\n";
        std::fs::write(c.join("contribution.toml"), manifest).at(&c)?;
        let lines = "{\"text\":\"留\"}\n{\"text\":\"丟\"}\n{\"text\":\"留下\"}\n{oops\n";
        std::fs::write(c.join("a.jsonl"), lines).at(&c)?;
        let config_path = dir.path().join("pipeline.toml");
        std::fs::write(&config_path, "inputs = [\"contributions/*\"]\noutput = \"out\"\n").at(&config_path)?;
        let config = LoadedConfig::load(&config_path)?;
        let plan = plan(config, None, false)?;
        let stages: Vec<Box<dyn Stage>> = vec![Box::new(DropMarked)];
        let summary = run(&plan, &stages, RunOptions::default(), &NoopReporter)?;
        let docs = &summary.manifest.documents;
        assert_eq!((docs.inputs, docs.kept, docs.dropped), (4, 2, 2));
        assert_eq!(docs.dropped_by_reason.get("quality/empty_text"), Some(&1));
        assert_eq!(docs.dropped_by_reason.get("ingest/malformed_json"), Some(&1));
        assert_eq!(summary.examples.len(), 2);
        assert!(
            summary.examples.iter().any(|e| e.starts_with("c/a.jsonl:2: empty_text: marked")),
            "{:?}",
            summary.examples
        );
        assert_eq!(summary.manifest.shards[0].file.rows, 2);
        Ok(())
    }
}
