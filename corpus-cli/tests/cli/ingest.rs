//! Bad input gets a ledger row naming file, line/row, field and reason; the run goes on;
//! `--strict` stops at the first with exit 1; nothing panics.

use crate::util::*;

/// Runs the pipeline in `dir` and returns the ledger; checks exit 0 and the accounting line.
/// The quality stage is off: these records are a few characters long on purpose, and what is
/// checked here is what ingest made of them.
fn run_ok(dir: &Dir) -> Vec<Row> {
    let config = dir.pipeline("[quality]\nenabled = false\n[dedup]\nenabled = false\n");
    let o = run(&["run", config.to_str().expect("utf8")]);
    assert_exit(&o, 0);
    let rows = ledger(&dir.join("out"));
    let kept = rows.iter().filter(|r| r.decision == "kept").count();
    let expected = format!("{} in = {kept} kept + {} dropped", rows.len(), rows.len() - kept);
    assert!(stdout(&o).contains(&expected), "{expected} not in\n{}", stdout(&o));
    rows
}

#[test]
fn malformed_lines_are_quarantined_with_line_and_field() {
    let dir = Dir::new();
    dir.contribution("c", &["data/*.jsonl"], "id_field = \"id\"\n");
    let mut lines = jsonl("ok", 3);
    lines.push_str("{\"id\":\"bad-json\",\"text\":\"未結束\"\n");
    lines.push_str("{\"id\":\"no-text\"}\n");
    lines.push_str("{\"id\":\"num\",\"text\":42}\n");
    lines.push_str("{\"id\":\"empty\",\"text\":\"   \"}\n");
    lines.push_str("[1,2]\n");
    lines.push('\n');
    lines.push_str("{\"text\":\"沒有編號\"}\n");
    let mut bytes = lines.into_bytes();
    bytes.extend_from_slice(b"{\"id\":\"utf8\",\"text\":\"\xff\xfe\"}\n");
    bytes.extend_from_slice(jsonl("tail", 1).as_bytes());
    dir.write("contributions/c/data/a.jsonl", bytes);
    let rows = run_ok(&dir);

    let expect = |reason: &str, line: u64, field: Option<&str>| {
        let r = dropped(&rows, reason);
        assert_eq!(r.len(), 1, "{reason}: {rows:#?}");
        assert_eq!(
            (r[0].file.as_deref(), r[0].line, r[0].field.as_deref()),
            (Some("data/a.jsonl"), Some(line), field),
            "{reason}"
        );
        assert_eq!(r[0].stage, "ingest");
        assert_eq!(r[0].doc_id, format!("c/data/a.jsonl:{line}"));
    };
    expect("malformed_json", 4, None);
    expect("wrong_type", 6, Some("text"));
    expect("empty_text", 7, Some("text"));
    expect("not_an_object", 8, None);
    // Line 9 is blank: not a record. Line 5 lacks the text, line 10 the id.
    let missing: Vec<_> = dropped(&rows, "missing_field").iter().map(|r| (r.line, r.field.clone())).collect();
    assert_eq!(missing, [(Some(5), Some("text".to_string())), (Some(10), Some("id".to_string()))]);
    expect("invalid_utf8", 11, None);
    let kept: Vec<_> = rows.iter().filter(|r| r.decision == "kept").map(|r| r.doc_id.as_str()).collect();
    assert_eq!(kept, ["c/ok-0", "c/ok-1", "c/ok-2", "c/tail-0"]);
}

#[test]
fn truncated_gzip_and_zstd_keep_what_came_before() {
    let dir = Dir::new();
    dir.contribution("c", &["data/*"], "id_field = \"id\"\n");
    // Large enough for many zstd blocks: a truncated block loses only what it holds.
    // Two sets of ids: one id in both files would be a repeated id (`duplicate_id`).
    let gz = gzip(jsonl("g", 20_000).as_bytes());
    let zs = zstd(jsonl("z", 20_000).as_bytes());
    dir.write("contributions/c/data/a.jsonl.gz", &gz[..gz.len() * 2 / 3]);
    dir.write("contributions/c/data/b.jsonl.zst", &zs[..zs.len() * 2 / 3]);
    let rows = run_ok(&dir);
    let truncated = dropped(&rows, "truncated_file");
    assert_eq!(truncated.len(), 2, "{truncated:#?}");
    for (t, file) in truncated.iter().zip(["data/a.jsonl.gz", "data/b.jsonl.zst"]) {
        assert_eq!(t.file.as_deref(), Some(file));
        let line = t.line.expect("line");
        assert!(line > 1000 && line < 20_000, "{file}: {line}");
        let kept = rows.iter().filter(|r| r.decision == "kept" && r.file.as_deref() == Some(file)).count() as u64;
        assert_eq!(kept, line - 1, "every record before the damage is kept");
    }
}

#[test]
fn corrupt_parquet_and_unknown_file_types_are_ledger_rows() {
    let dir = Dir::new();
    dir.contribution("c", &["data/*"], "text_field = \"body\"\nid_field = \"id\"\n");
    let good = parquet(&[(1, Some("第一條")), (2, None), (3, Some("")), (4, Some("第四條"))], 2);
    dir.write("contributions/c/data/good.parquet", &good);
    dir.write("contributions/c/data/bad.parquet", b"PAR1 this is not parquet PAR1");
    let mut cut = good.clone();
    let len = cut.len();
    cut[len / 2..len - 8].fill(0);
    dir.write("contributions/c/data/damaged.parquet", &cut);
    dir.write("contributions/c/data/notes.docx", "a,b\n");
    let rows = run_ok(&dir);
    let kept: Vec<_> = rows.iter().filter(|r| r.decision == "kept").map(|r| (r.doc_id.as_str(), r.row)).collect();
    assert!(kept.contains(&("c/1", Some(0))) && kept.contains(&("c/4", Some(3))), "{kept:?}");
    let null = rows.iter().find(|r| r.doc_id == "c/2").expect("row 2");
    assert_eq!(
        (null.reason.as_deref(), null.field.as_deref(), null.row),
        (Some("missing_field"), Some("body"), Some(1))
    );
    let empty = rows.iter().find(|r| r.doc_id == "c/3").expect("row 3");
    assert_eq!(empty.reason.as_deref(), Some("empty_text"));
    let corrupt = dropped(&rows, "corrupt_parquet");
    assert!(corrupt.iter().any(|r| r.file.as_deref() == Some("data/bad.parquet")), "{corrupt:#?}");
    assert!(corrupt.iter().any(|r| r.file.as_deref() == Some("data/damaged.parquet")), "{rows:#?}");
    let unknown = dropped(&rows, "unknown_file_type");
    assert_eq!(unknown.len(), 1);
    assert_eq!((unknown[0].file.as_deref(), unknown[0].field.as_deref()), (Some("data/notes.docx"), Some("files")));
}

#[test]
fn parquet_row_groups_become_separate_tasks_with_row_numbers() {
    let dir = Dir::new();
    dir.contribution("c", &["data/*.parquet"], "text_field = \"body\"\n");
    // Distinct texts of 300 kB each: 5 rows per row group is 1.5 MB, over task_megabytes = 1.
    let texts: Vec<String> = (0..40).map(|i| format!("{i}{}", "臺灣".repeat(50_000))).collect();
    let rows: Vec<(i64, Option<&str>)> = texts.iter().enumerate().map(|(i, t)| (i as i64, Some(t.as_str()))).collect();
    dir.write("contributions/c/data/big.parquet", parquet(&rows, 5));
    let config = dir.pipeline("[ingest]\ntask_megabytes = 1\n");
    let o = run(&["run", config.to_str().expect("utf8")]);
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("corpus run: 8 tasks"), "{}", stdout(&o));
    let rows = ledger(&dir.join("out"));
    let ids: Vec<_> = rows.iter().map(|r| r.doc_id.clone()).collect();
    let want: Vec<_> = (0..40).map(|i| format!("c/data/big.parquet#{i}")).collect();
    assert_eq!(ids, want);
}

#[test]
fn text_files_are_one_document_each() {
    let dir = Dir::new();
    dir.contribution("c", &["essays/**/*.txt"], "");
    dir.write("contributions/c/essays/a.txt", "\u{feff}夜市的燈火。\n");
    dir.write("contributions/c/essays/sub/b.txt", "颱風天。");
    dir.write("contributions/c/essays/empty.txt", "\n\n");
    dir.write("contributions/c/essays/latin1.txt", b"caf\xe9");
    let rows = run_ok(&dir);
    let kept: Vec<_> = rows.iter().filter(|r| r.decision == "kept").map(|r| r.doc_id.as_str()).collect();
    assert_eq!(kept, ["c/essays/a.txt", "c/essays/sub/b.txt"]);
    assert_eq!(dropped(&rows, "empty_text")[0].doc_id, "c/essays/empty.txt");
    assert_eq!(dropped(&rows, "invalid_utf8")[0].doc_id, "c/essays/latin1.txt");
}

#[test]
fn a_200_megabyte_line_is_dropped_without_being_held_in_memory() {
    let dir = Dir::new();
    dir.contribution("c", &["data/*.jsonl"], "id_field = \"id\"\n");
    let path = dir.join("contributions/c/data/huge.jsonl");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        f.write_all(jsonl("before", 1).as_bytes()).expect("w");
        f.write_all(b"{\"id\":\"huge\",\"text\":\"").expect("w");
        let chunk = "臺".repeat(1 << 20);
        for _ in 0..(200 / 3 + 1) {
            f.write_all(chunk.as_bytes()).expect("w");
        }
        f.write_all(b"\"}\n").expect("w");
        f.write_all(jsonl("after", 1).as_bytes()).expect("w");
    }
    let config = dir.pipeline("");
    // mimalloc (the binary's allocator) returns freed pages after a delay, so a burst of
    // bounded buffers can sit in the resident set together; with no delay, the peak is what the
    // reader holds at once, which is what this test is about.
    let child = corpus()
        .env("MIMALLOC_PURGE_DELAY", "0")
        .args(["run", config.to_str().expect("utf8"), "-q"])
        .spawn()
        .expect("spawn");
    // This run's own peak resident set: buffering the line would need more than 200 MB.
    let (status, peak_kb) = wait_with_peak_rss_kb(child);
    assert_eq!(status, 0, "corpus run failed");
    let peak_mb = peak_kb / 1024;
    // The baseline includes jieba's dictionary (~40 MB), loaded by the name finder for the
    // record before; buffering the line would add its 200 MB.
    assert!(peak_mb < 200, "peak RSS {peak_mb} MB: the line was buffered");
    let rows = ledger(&dir.join("out"));
    let big = dropped(&rows, "record_too_large");
    assert_eq!(big.len(), 1);
    assert_eq!((big[0].line, big[0].file.as_deref()), (Some(2), Some("data/huge.jsonl")));
    let kept: Vec<_> = rows.iter().filter(|r| r.decision == "kept").map(|r| r.doc_id.as_str()).collect();
    assert_eq!(kept, ["c/before-0", "c/after-0"]);
}

/// Waits for `child`, polling its `VmHWM` (the high-water mark of the memory it mapped after
/// exec). Not `ru_maxrss`: that carries over exec the resident set the child inherited at fork
/// from this test process, which other tests (holding whole output trees) make large.
fn wait_with_peak_rss_kb(mut child: std::process::Child) -> (i32, i64) {
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0i64;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(kb) = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))
        {
            peak = peak.max(kb.trim().trim_end_matches("kB").trim().parse().unwrap_or(0));
        }
        if let Some(exit) = child.try_wait().expect("try_wait") {
            return (exit.code().unwrap_or(-1), peak);
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[test]
fn paths_escaping_the_contribution_are_refused() {
    let dir = Dir::new();
    dir.write("secret/outside.jsonl", jsonl("secret", 2));
    dir.contribution(
        "c",
        &["data/*.jsonl", "../../secret/*.jsonl", "/etc/passwd", "nothing/*.jsonl"],
        "id_field = \"id\"\n",
    );
    dir.write("contributions/c/data/ok.jsonl", jsonl("ok", 1));
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("secret/outside.jsonl"), dir.join("contributions/c/data/link.jsonl"))
        .expect("symlink");
    let rows = run_ok(&dir);
    let escapes = dropped(&rows, "path_escapes_contribution");
    let files: Vec<_> = escapes.iter().map(|r| r.file.as_deref().unwrap_or("")).collect();
    assert!(files.contains(&"../../secret/*.jsonl") && files.contains(&"/etc/passwd"), "{files:?}");
    #[cfg(unix)]
    assert!(files.contains(&"data/link.jsonl"), "{files:?}");
    for r in &escapes {
        assert_eq!((r.field.as_deref(), r.line), (Some("files"), Some(8)));
    }
    assert_eq!(dropped(&rows, "no_matching_files")[0].file.as_deref(), Some("nothing/*.jsonl"));
    assert!(
        rows.iter().filter(|r| r.decision == "kept").all(|r| !r.doc_id.contains("secret")),
        "nothing outside was read"
    );
    assert_eq!(rows.iter().filter(|r| r.decision == "kept").count(), 1);
}

#[test]
fn an_invalid_manifest_is_a_ledger_row_and_the_others_still_run() {
    let dir = Dir::new();
    dir.contribution("good", &["*.jsonl"], "id_field = \"id\"\n");
    dir.write("contributions/good/a.jsonl", jsonl("g", 2));
    dir.contribution("bad", &["*.jsonl"], "licnse = \"typo\"\n");
    dir.write("contributions/bad/a.jsonl", jsonl("b", 2));
    dir.write("contributions/private/contribution.toml", "id = \"private\"\ntitle = \"t\"\ncontributor = \"c\"\nlicence = \"LicenseRef-TW-SAITD-1.0\"\nvisibility = \"private\"\nattribution = \"a\"\nlanguage = \"zh-Hant\"\nfiles = [\"*.jsonl\"]\n");
    dir.write("contributions/nomanifest/a.jsonl", jsonl("n", 1));
    let rows = run_ok(&dir);
    let invalid = dropped(&rows, "invalid_manifest");
    let by_contribution: Vec<_> = invalid.iter().map(|r| (r.doc_id.as_str(), r.line, r.field.as_deref())).collect();
    assert!(by_contribution.contains(&("bad/contribution.toml", Some(9), Some("licnse"))), "{by_contribution:?}");
    assert!(by_contribution.contains(&("private/contribution.toml", None, Some("agreement"))), "{by_contribution:?}");
    assert!(by_contribution.iter().any(|r| r.0 == "nomanifest/contribution.toml"), "{by_contribution:?}");
    assert_eq!(rows.iter().filter(|r| r.decision == "kept").count(), 2);
}

#[test]
fn strict_stops_at_the_first_bad_record_with_its_location() {
    let dir = Dir::new();
    dir.contribution("c", &["data/*.jsonl"], "id_field = \"id\"\n");
    let mut lines = jsonl("ok", 2);
    lines.push_str("{\"id\":\"x\",\"text\":\"身分證A123456789\",}\n");
    dir.write("contributions/c/data/a.jsonl", lines);
    let config = dir.pipeline("");
    let o = run(&["run", config.to_str().expect("utf8"), "--strict"]);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("data/a.jsonl:3") && err.contains("malformed_json"), "{err}");
    assert!(!err.contains("A123456789"), "document text leaked into an error: {err}");
    assert!(!dir.join("out/manifest.json").exists());
    // Without --strict the same input completes, and the value is nowhere in the outputs'
    // human-readable parts either. (The stopped run's work is there: --force starts over.)
    let o = run(&["run", config.to_str().expect("utf8"), "--force"]);
    assert_exit(&o, 0);
    assert!(!stdout(&o).contains("A123456789") && !stderr(&o).contains("A123456789"));
    let rows = ledger(&dir.join("out"));
    assert!(rows.iter().all(|r| !r.detail.clone().unwrap_or_default().contains("A123456789")));
}
