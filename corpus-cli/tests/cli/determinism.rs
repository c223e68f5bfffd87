//! Same input and config give the same bytes, whatever the thread count, and a run killed with
//! SIGKILL at any point and resumed gives the same bytes as an uninterrupted one.

use std::path::Path;
use std::time::Duration;

use crate::util::*;

/// A corpus of many small tasks, so that a run lasts long enough to be killed mid-way.
pub(crate) fn corpus_dir() -> Dir {
    let dir = Dir::new();
    dir.contribution("laws", &["data/*"], "id_field = \"id\"\n");
    for i in 0..24 {
        let lines = jsonl(&format!("f{i}"), 1500);
        match i % 3 {
            0 => dir.write(&format!("contributions/laws/data/{i:02}.jsonl"), lines),
            1 => dir.write(&format!("contributions/laws/data/{i:02}.jsonl.gz"), gzip(lines.as_bytes())),
            _ => dir.write(&format!("contributions/laws/data/{i:02}.jsonl.zst"), zstd(lines.as_bytes())),
        };
    }
    dir.write("contributions/laws/data/bad.jsonl", "{oops}\n");
    // Duplicates across tasks, exact and near, so the dedup phases have clusters to decide.
    let copies: String = jsonl("f0", 300)
        .lines()
        .chain(jsonl("f4", 300).lines())
        .enumerate()
        .filter(|(i, _)| i % 3 == 0)
        .map(|(i, line)| {
            let line = line.replacen("\"id\":\"", &format!("\"id\":\"dup{i}-"), 1);
            if i % 2 == 0 { format!("{line}\n") } else { format!("{}，附註。\"}}\n", line.trim_end_matches("\"}")) }
        })
        .collect();
    dir.write("contributions/laws/data/zz-dups.jsonl", copies);
    dir.write("contributions/notes/contribution.toml", "id = \"notes\"\ntitle = \"t\"\ncontributor = \"c\"\nlicence = \"LicenseRef-TW-SAITD-1.0\"\nvisibility = \"private\"\nattribution = \"a\"\nlanguage = \"zh-Hant\"\nfiles = [\"*.txt\"]\n[agreement]\nid = \"A\"\nsigned = 2026-01-01\n");
    for i in 0..50 {
        dir.write(&format!("contributions/notes/{i:03}.txt"), format!("第 {i} 號便簽。"));
    }
    // Small shards, so the shard phase has several files to be killed in.
    dir.pipeline("[shard]\ntarget_megabytes = 1\n[ingest]\nbatch_rows = 500\n");
    dir
}

fn run_to(dir: &Dir, out: &Path, extra: &[&str]) {
    let config = dir.join("pipeline.toml");
    let mut args = vec!["run", config.to_str().expect("utf8"), "--output", out.to_str().expect("utf8"), "-q"];
    args.extend_from_slice(extra);
    assert_exit(&run(&args), 0);
}

#[test]
fn output_bytes_do_not_depend_on_the_thread_count() {
    let dir = corpus_dir();
    run_to(&dir, &dir.join("t1"), &["--threads", "1"]);
    run_to(&dir, &dir.join("t4"), &["--threads", "4"]);
    let (a, b) = (tree(&dir.join("t1")), tree(&dir.join("t4")));
    assert!(a.keys().any(|k| k.contains("train-00001-of-")), "expected several shards: {:?}", a.keys());
    let manifest: serde_json::Value = serde_json::from_slice(&a["manifest.json"]).expect("manifest");
    let dropped = &manifest["dedup"]["totals"]["dropped"];
    assert_eq!(dropped["exact_duplicate"], 100, "{dropped}");
    assert_eq!(dropped["near_duplicate"], 100, "{dropped}");
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs between --threads 1 and --threads 4");
    }
}

#[test]
fn a_killed_run_resumes_to_the_same_bytes() {
    let dir = corpus_dir();
    let reference = dir.join("reference");
    let started = std::time::Instant::now();
    run_to(&dir, &reference, &["--threads", "2"]);
    let full_ms = started.elapsed().as_millis() as u64;
    let want = tree(&reference);
    let config = dir.join("pipeline.toml");
    let mut killed_mid_run = 0;
    // Kill points spread over the whole length of a run on this machine, whatever its speed:
    // planning, tasks, shard assembly, manifest and clean-up all get hit.
    let delays = (0..12).map(|k| full_ms * k / 10);
    for (k, delay_ms) in delays.enumerate() {
        let out = dir.join(&format!("killed-{k}"));
        // Kill it, then kill the resume too, then let a second resume finish.
        for attempt in 0..2 {
            let mut args = vec![
                "run",
                config.to_str().expect("utf8"),
                "--output",
                out.to_str().expect("utf8"),
                "-q",
                "--threads",
                "2",
            ];
            if attempt > 0 {
                args.push("--resume");
            }
            let mut child = corpus().args(&args).spawn().expect("spawn");
            std::thread::sleep(Duration::from_millis(delay_ms / (attempt + 1)));
            let finished = child.try_wait().expect("try_wait").is_some();
            child.kill().ok(); // SIGKILL
            child.wait().expect("wait");
            if attempt == 0 && !finished && !out.join("manifest.json").exists() {
                killed_mid_run += 1;
            }
        }
        run_to(&dir, &out, &["--resume", "--threads", "2"]);
        let got = tree(&out);
        assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "delay {delay_ms} ms");
        for (name, bytes) in &want {
            assert!(&got[name] == bytes, "{name} differs after a kill at {delay_ms} ms and resume");
        }
        assert_exit(&run(&["inspect", out.to_str().expect("utf8"), "-q"]), 0);
    }
    assert!(killed_mid_run >= 3, "only {killed_mid_run} kills landed mid-run; the corpus is too small to test resume");
}

#[test]
fn resume_after_a_kill_during_the_final_clean_up_leaves_no_leftovers() {
    let dir = corpus_dir();
    let reference = dir.join("reference");
    run_to(&dir, &reference, &[]);
    let want = tree(&reference);
    // What a kill while `.work/` was being removed leaves behind: the manifest is written, the
    // run key is gone, some markers remain.
    let out = dir.join("out");
    run_to(&dir, &out, &[]);
    dir.write("out/.work/files/shard-public-train-00000-of-00002.parquet.json", "{}");
    dir.write("out/.work/tasks/00003/done.json", "{}");
    let o = run(&[
        "run",
        dir.join("pipeline.toml").to_str().expect("utf8"),
        "--output",
        out.to_str().expect("utf8"),
        "--resume",
    ]);
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("already complete"), "{}", stdout(&o));
    assert_eq!(tree(&out), want);
}

#[test]
fn resume_refuses_a_changed_config_and_reports_a_complete_dataset() {
    let dir = corpus_dir();
    let out = dir.join("out");
    run_to(&dir, &out, &[]);
    let config = dir.join("pipeline.toml");
    let o = run(&["run", config.to_str().expect("utf8"), "--output", out.to_str().expect("utf8"), "--resume"]);
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("already complete"), "{}", stdout(&o));
    dir.pipeline("[shard]\ntarget_megabytes = 2\n");
    let o = run(&["run", config.to_str().expect("utf8"), "--output", out.to_str().expect("utf8"), "--resume"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("another configuration"), "{}", stderr(&o));
}

#[test]
fn a_second_run_cannot_write_into_an_output_in_use() {
    let dir = Dir::new();
    dir.contribution("c", &["*.jsonl"], "");
    dir.write("contributions/c/a.jsonl", jsonl("a", 3));
    let config = dir.pipeline("");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    // Stand in for a running `corpus run`: it holds the same lock on the directory.
    let held = std::fs::File::open(&out).expect("open dir");
    held.lock().expect("lock");
    let o = run(&["run", config.to_str().expect("utf8")]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("another `corpus run` is writing to"), "{}", stderr(&o));
    held.unlock().expect("unlock");
    assert_exit(&run(&["run", config.to_str().expect("utf8"), "-q"]), 0);
}
