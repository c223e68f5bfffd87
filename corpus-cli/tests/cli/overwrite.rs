//! A run never replaces a finished dataset or throws away an interrupted run by surprise: it
//! refuses (exit 2, naming the directory) unless `--force` or `--resume`; it never removes
//! files it did not write; and Ctrl-C prints what was finished and the command that resumes.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::determinism::corpus_dir;
use crate::util::*;

fn small_dir() -> Dir {
    let dir = Dir::new();
    dir.contribution("laws", &["*.jsonl"], "id_field = \"id\"\n");
    dir.write("contributions/laws/a.jsonl", jsonl("a", 40));
    dir.pipeline("");
    dir
}

fn run_into(dir: &Dir, out: &Path, extra: &[&str]) -> std::process::Output {
    let config = dir.join("pipeline.toml");
    let mut args = vec!["run", config.to_str().expect("utf8"), "--output", out.to_str().expect("utf8"), "-q"];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn a_second_run_refuses_to_replace_a_finished_dataset() {
    let dir = small_dir();
    let out = dir.join("out");
    assert_exit(&run_into(&dir, &out, &[]), 0);
    let before = tree(&out);

    let again = run_into(&dir, &out, &[]);
    assert_exit(&again, 2);
    let err = stderr(&again);
    assert!(err.contains(out.to_str().expect("utf8")), "names the directory: {err}");
    assert!(err.contains("holds a finished dataset ("), "{err}");
    assert!(err.contains("--resume") && err.contains("--force"), "offers both ways on: {err}");
    assert!(!err.contains("pipeline.toml section"), "no unrelated hint: {err}");
    assert_eq!(tree(&out), before, "a refused run touches nothing");

    let resumed = run_into(&dir, &out, &["--resume"]);
    assert_exit(&resumed, 0);
    assert_eq!(tree(&out), before);

    assert_exit(&run_into(&dir, &out, &["--force"]), 0);
    let after = tree(&out);
    assert_eq!(after.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>());
    for (name, bytes) in &before {
        assert!(&after[name] == bytes, "{name}: a forced rebuild of the same inputs gives the same bytes");
    }

    let both = run_into(&dir, &out, &["--force", "--resume"]);
    assert_exit(&both, 2);
    assert!(stderr(&both).contains("cannot be used with"), "{}", stderr(&both));
}

#[test]
fn a_fresh_run_does_not_throw_away_an_interrupted_one() {
    let dir = small_dir();
    let out = dir.join("out");
    let config = dir.join("pipeline.toml");
    // `corpus plan` leaves what an interrupted run leaves: its key and plan, no manifest.
    assert_exit(&run(&["plan", config.to_str().expect("utf8"), "--output", out.to_str().expect("utf8"), "-q"]), 0);
    let refused = run_into(&dir, &out, &[]);
    assert_exit(&refused, 2);
    assert!(stderr(&refused).contains("holds an interrupted run"), "{}", stderr(&refused));
    assert!(out.join(".work/plan.json").is_file(), "the interrupted run's work is kept");
    let replanned = run(&["plan", config.to_str().expect("utf8"), "--output", out.to_str().expect("utf8"), "-q"]);
    assert_exit(&replanned, 2);
    assert_exit(&run_into(&dir, &out, &["--resume"]), 0);
    assert!(out.join("manifest.json").is_file());
}

#[test]
fn force_keeps_files_corpus_did_not_write() {
    let dir = small_dir();
    let out = dir.join("out");
    assert_exit(&run_into(&dir, &out, &[]), 0);
    std::fs::write(out.join("NOTES.md"), "the steward's own notes").expect("write");
    std::fs::create_dir_all(out.join("extra")).expect("mkdir");
    std::fs::write(out.join("extra/keep.parquet"), b"not ours").expect("write");
    assert_exit(&run_into(&dir, &out, &["--force"]), 0);
    assert_eq!(std::fs::read(out.join("NOTES.md")).expect("kept"), b"the steward's own notes");
    assert_eq!(std::fs::read(out.join("extra/keep.parquet")).expect("kept"), b"not ours");
    // One in a release directory would be taken for part of the release: refused, and left where it is.
    let own = out.join("public/data/my-own.parquet");
    std::fs::write(&own, b"mine").expect("write");
    let refused = run_into(&dir, &out, &["--force"]);
    assert_exit(&refused, 2);
    assert!(stderr(&refused).contains("corpus did not write"), "{}", stderr(&refused));
    assert_eq!(std::fs::read(&own).expect("kept"), b"mine");
}

/// SIGINT to `corpus run` once its first task is finished: exit 130 and one line naming what
/// was finished and the command to resume; that command, run as printed, gives the bytes of an
/// uninterrupted run.
#[test]
fn ctrl_c_prints_what_was_finished_and_the_command_that_resumes() {
    let dir = corpus_dir();
    let reference = dir.join("reference");
    assert_exit(&run_into(&dir, &reference, &["--threads", "2"]), 0);
    let want = tree(&reference);

    let out = dir.join("interrupted");
    let config = dir.join("pipeline.toml");
    let child = corpus()
        .args(["run", config.to_str().expect("utf8"), "--output", out.to_str().expect("utf8"), "--threads", "1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // Wait for a finished ingest task (a `NNNNN/` beside the `.tmp` ones), then interrupt.
    let tasks = out.join(".work/tasks");
    let deadline = Instant::now() + Duration::from_secs(60);
    let finished_task = || {
        std::fs::read_dir(&tasks).into_iter().flatten().flatten().any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.len() == 5 && name.bytes().all(|b| b.is_ascii_digit())
        })
    };
    while !finished_task() {
        assert!(Instant::now() < deadline, "no ingest task finished within a minute");
        std::thread::sleep(Duration::from_millis(5));
    }
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill");
    assert!(killed.success());
    let interrupted = child.wait_with_output().expect("wait");
    assert!(!out.join("manifest.json").exists(), "the run finished before the signal; the corpus is too small");
    assert_exit(&interrupted, 130);
    let err = stderr(&interrupted);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("interrupted: ")).collect();
    assert_eq!(lines.len(), 1, "one line: {err}");
    let line = lines[0];
    assert!(line.contains("ingest") && line.contains(" tasks done"), "{line}");
    let (_, command) = line.split_once("; resume with: ").expect("a resume command");
    assert!(command.ends_with(" --resume"), "{command}");
    assert!(command.contains(out.to_str().expect("utf8")), "{command}");

    // The command as printed, through a shell, as a steward would paste it.
    let resumed = std::process::Command::new("sh")
        .args(["-c", command])
        .env("CORPUS_ID_KEY_FILE", concat!(env!("CARGO_TARGET_TMPDIR"), "/id-key"))
        .output()
        .expect("sh");
    assert_exit(&resumed, 0);
    assert!(stdout(&resumed).contains("tasks resumed"), "{}", stdout(&resumed));
    let got = tree(&out);
    assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>());
    for (name, bytes) in &want {
        assert!(&got[name] == bytes, "{name} differs after Ctrl-C and the printed resume command");
    }
}
