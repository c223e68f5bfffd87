//! The pipeline as steps: `corpus plan` writes plan.json, `corpus stage` runs one step's share
//! of tasks as a child process per rank (all ranks of a step at once), `corpus status` counts
//! what is done. The bytes equal `corpus run`'s whatever the world size, and a rank killed
//! mid-write and launched again changes nothing.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

use crate::determinism;
use crate::util::*;

/// The determinism corpus, with tasks of 1 MB and a 4 MB plain JSONL file, which is read as
/// whole-line byte ranges by several tasks.
fn corpus_dir() -> Dir {
    let dir = determinism::corpus_dir();
    dir.write("contributions/laws/data/big.jsonl", jsonl("big", 30_000));
    dir.pipeline("[shard]\ntarget_megabytes = 1\n[ingest]\nbatch_rows = 500\ntask_megabytes = 1\n");
    dir
}

/// `corpus plan` into `out`: the plan.json path it prints.
fn plan(dir: &Dir, out: &Path) -> PathBuf {
    let config = dir.join("pipeline.toml");
    let o = run(&["plan", config.to_str().expect("utf8"), "--output", out.to_str().expect("utf8"), "-q"]);
    assert_exit(&o, 0);
    PathBuf::from(stdout(&o).trim())
}

/// The steps plan.json lists.
fn steps(plan: &Path) -> Vec<String> {
    let file: serde_json::Value = serde_json::from_slice(&std::fs::read(plan).expect("plan")).expect("json");
    file["steps"].as_array().expect("steps").iter().map(|s| s.as_str().expect("name").to_string()).collect()
}

fn spawn_rank(step: &str, plan: &Path, rank: usize, world: usize) -> Child {
    corpus()
        .args(["stage", step, plan.to_str().expect("utf8"), "-q", "-j", "2"])
        .args(["--rank", &rank.to_string(), "--world-size", &world.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn corpus stage")
}

/// Runs every step with `world` ranks at once per step.
fn run_steps(plan: &Path, world: usize) {
    for step in steps(plan) {
        run_step(&step, plan, world);
    }
}

/// Runs one step with `world` ranks at once.
fn run_step(step: &str, plan: &Path, world: usize) {
    let ranks: Vec<Child> = (0..world).map(|r| spawn_rank(step, plan, r, world)).collect();
    for (r, child) in ranks.into_iter().enumerate() {
        let o = child.wait_with_output().expect("wait");
        assert!(o.status.success(), "stage {step} rank {r}/{world}: {}", String::from_utf8_lossy(&o.stderr));
    }
}

fn run_whole(dir: &Dir, out: &Path) {
    let config = dir.join("pipeline.toml");
    assert_exit(&run(&["run", config.to_str().expect("utf8"), "--output", out.to_str().expect("utf8"), "-q"]), 0);
}

fn assert_same_tree(a: &Path, b: &Path, what: &str) {
    let (a, b) = (tree(a), tree(b));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{what}: other files");
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs: {what}");
    }
}

#[test]
fn steps_as_child_processes_give_the_bytes_of_corpus_run_at_every_world_size() {
    let dir = corpus_dir();
    let whole = dir.join("run");
    run_whole(&dir, &whole);
    assert!(tree(&whole).keys().any(|k| k.contains("train-00001-of-")), "several shards expected");
    for world in [1, 3, 4] {
        let out = dir.join(&format!("n{world}"));
        let plan = plan(&dir, &out);
        assert_eq!(
            steps(&plan),
            ["ingest", "dedup-buckets", "drops", "tokenize", "cut", "shard", "ledger", "finalize"],
            "the step list"
        );
        run_steps(&plan, world);
        assert!(!out.join(".work").exists(), "finalize removes the work directory");
        assert!(out.join("report/index.html").is_file(), "finalize writes the report");
        assert_same_tree(&whole, &out, &format!("corpus stage, world size {world}, against corpus run"));
    }
}

#[test]
fn a_step_refuses_to_start_before_the_steps_it_needs_and_status_counts_tasks() {
    let dir = corpus_dir();
    let out = dir.join("out");
    let plan = plan(&dir, &out);
    let o = run(&["stage", "tokenize", plan.to_str().expect("utf8")]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("needs step `drops` finished first"), "{}", stderr(&o));
    let o = run(&["stage", "tokenise", plan.to_str().expect("utf8")]);
    assert!(stderr(&o).contains("`tokenise` is not a step"), "{}", stderr(&o));
    let status = |expect: &str| {
        let o = run(&["status", out.to_str().expect("utf8")]);
        assert_exit(&o, 0);
        assert!(stdout(&o).contains(expect), "status lacks `{expect}`:\n{}", stdout(&o));
    };
    let file: serde_json::Value = serde_json::from_slice(&std::fs::read(&plan).expect("plan")).expect("json");
    let tasks = file["tasks"].as_array().expect("tasks");
    let n = tasks.len();
    let ranges = tasks.iter().filter(|t| t["what"].as_str().is_some_and(|w| w.contains("big.jsonl bytes"))).count();
    assert!(n >= 6 && ranges >= 3, "{n} tasks, {ranges} byte ranges of big.jsonl: {tasks:?}");
    let line = |step: &str, done: usize, tasks: &str| format!("  {step:<14} {done:>8} {tasks:>8}");
    status(&line("ingest", 0, &n.to_string()));
    assert_exit(&run(&["stage", "ingest", plan.to_str().expect("utf8"), "--rank", "1", "--world-size", "2", "-q"]), 0);
    status(&line("ingest", n / 2, &n.to_string()));
    status(&line("tokenize", 0, "?"));
    run_steps(&plan, 2);
    status("complete");
    // Every step of a finished dataset has nothing to do.
    assert_exit(&run(&["stage", "shard", plan.to_str().expect("utf8"), "-q"]), 0);
}

/// Kills `corpus stage <step>` after `delay`; whether it was still running then.
fn kill_after(step: &str, plan: &Path, delay: Duration) -> bool {
    let mut child = spawn_rank(step, plan, 0, 1);
    std::thread::sleep(delay);
    let running = child.try_wait().expect("try_wait").is_none();
    child.kill().ok(); // SIGKILL
    child.wait().ok();
    running
}

#[test]
fn a_rank_killed_mid_write_and_launched_again_gives_the_same_bytes_and_no_duplicate_ledger_rows() {
    let dir = corpus_dir();
    let whole = dir.join("run");
    run_whole(&dir, &whole);
    let mut killed = 0;
    for (k, (step, delay_ms)) in
        [("ingest", 150), ("ingest", 600), ("shard", 40), ("ledger", 20)].into_iter().enumerate()
    {
        let out = dir.join(&format!("killed-{k}"));
        let plan = plan(&dir, &out);
        for s in steps(&plan) {
            if s == step {
                killed += usize::from(kill_after(&s, &plan, Duration::from_millis(delay_ms)));
            }
            run_step(&s, &plan, 1);
        }
        let rows = ledger(&out);
        let mut ids: Vec<&str> = rows.iter().map(|r| r.doc_id.as_str()).collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "a doc id appears twice in the ledger after a kill in {step}");
        assert_same_tree(&whole, &out, &format!("killed in {step} after {delay_ms} ms and relaunched"));
    }
    assert!(killed >= 2, "only {killed} kills landed while a step was running");
}

#[test]
fn a_file_read_as_byte_ranges_gives_the_documents_and_ledger_rows_of_one_task() {
    let dir = corpus_dir();
    let ranged = dir.join("ranged");
    run_whole(&dir, &ranged);
    dir.pipeline("[shard]\ntarget_megabytes = 1\n[ingest]\nbatch_rows = 500\ntask_megabytes = 64\n");
    let whole = dir.join("whole");
    run_whole(&dir, &whole);
    let tasks = |out: &Path| manifest(out)["documents"]["inputs"].as_u64();
    assert_eq!(tasks(&ranged), tasks(&whole));
    let rows = |out: &Path| -> Vec<String> {
        ledger(out).iter().map(|r| format!("{} {:?} {:?} {:?}", r.doc_id, r.file, r.line, r.reason)).collect()
    };
    let (a, b) = (rows(&ranged), rows(&whole));
    assert!(a.iter().any(|r| r.contains("big.jsonl") && r.contains("Some(30000)")), "the last line of big.jsonl");
    assert_eq!(a.len(), b.len(), "ledger rows");
    if let Some(i) = (0..a.len()).find(|&i| a[i] != b[i]) {
        panic!("ledger row {i} differs: {} (byte ranges) vs {} (one task)", a[i], b[i]);
    }
    for (rel, _) in tree(&whole).iter().filter(|(k, _)| k.contains("/data/") && k.ends_with(".parquet")) {
        assert!(shard_docs(&ranged.join(rel)) == shard_docs(&whole.join(rel)), "{rel} holds other documents");
    }
}
