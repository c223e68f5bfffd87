//! Issue #15: the failures a hostile tester found, one regression test each, on the real binary.
//! Each test is named after the promise it guards (README.md, "Promises").

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use arrow_array::{ArrayRef, RecordBatch};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::util::*;

/// A private contribution (training-only agreement) at `rel`.
fn private(dir: &Dir, rel: &str, id: &str, files: &str) {
    dir.write(
        &format!("{rel}/contribution.toml"),
        format!(
            "id = \"{id}\"\ntitle = \"機密\"\ncontributor = \"tests\"\nlicence = \"LicenseRef-TW-SAITD-1.0\"\n\
             visibility = \"private\"\nattribution = \"tests\"\nlanguage = \"zh-Hant\"\nfiles = [{files}]\n\
             [agreement]\nid = \"SAITD-TEST\"\nsigned = 2026-01-01\n"
        ),
    );
}

/// A public CC-BY-4.0 contribution at `rel`.
fn public(dir: &Dir, rel: &str, id: &str, files: &str, extra: &str) {
    dir.write(
        &format!("{rel}/contribution.toml"),
        format!(
            "id = \"{id}\"\ntitle = \"公開\"\ncontributor = \"tests\"\nlicence = \"CC-BY-4.0\"\nvisibility = \"public\"\n\
             attribution = \"tests\"\nlanguage = \"zh-Hant\"\nfiles = [{files}]\n{extra}"
        ),
    );
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf8")
}

/// Every `(doc_id, text)` of every shard under the release directory `out/<dir>`.
fn docs_under(out: &Path, dir: &str) -> Vec<(String, String)> {
    let root = out.join(dir);
    if !root.exists() {
        return Vec::new();
    }
    tree(&root).keys().filter(|k| k.ends_with(".parquet")).flat_map(|k| shard_docs(&root.join(k))).collect()
}

/// The public tiers' documents: `public/` and every `public-share-alike/*/`.
fn public_docs(out: &Path) -> Vec<(String, String)> {
    [docs_under(out, "public"), docs_under(out, "public-share-alike")].concat()
}

/// Waits for `child` at most `secs` seconds; a hang fails the test (and kills the child).
fn finishes(mut child: Child, secs: u64) -> std::process::Output {
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            panic!("the command hung for {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn spawn(args: &[&str]) -> Child {
    corpus().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn")
}

#[test]
fn issue_15_a_private_contribution_nested_in_a_public_one_never_reaches_public_shards() {
    let dir = Dir::new();
    public(&dir, "contributions/pub", "pub", "\"**/*.jsonl\"", "id_field = \"id\"\n");
    dir.write("contributions/pub/a.jsonl", jsonl("pub", 5));
    private(&dir, "contributions/pub/inner", "inner", "\"*.jsonl\"");
    dir.write("contributions/pub/inner/memos.jsonl", jsonl("memo", 5));
    let config =
        dir.write("pipeline.toml", "inputs = [\"contributions/pub\", \"contributions/pub/inner\"]\noutput = \"out\"\n");
    assert_exit(&run(&["run", path(&config), "-q"]), 0);
    let out = dir.join("out");
    let public = public_docs(&out);
    assert_eq!(public.len(), 5, "{public:?}");
    assert!(public.iter().all(|(id, text)| id.starts_with("pub/") && !text.contains("memo")), "{public:?}");
    // The memos are read once, under their own terms.
    let restricted = docs_under(&out, "restricted");
    assert_eq!(restricted.len(), 5);
    assert!(restricted.iter().all(|(id, _)| id.starts_with("inner/")));
    let rows = ledger(&out);
    let nested = dropped(&rows, "nested_contribution");
    assert_eq!(nested.len(), 1, "the parent's ledger says where its globs stopped");
    assert_eq!(nested[0].file.as_deref(), Some("inner/"));
    assert!(dropped(&rows, "exact_duplicate").is_empty(), "no private copy dropped as a duplicate of a public one");
}

#[test]
fn issue_15_a_dataset_inside_a_contribution_is_never_read_back_and_an_output_inside_one_is_refused() {
    let dir = Dir::new();
    public(&dir, "contributions/pub", "pub", "\"**/*.jsonl\", \"**/*.parquet\"", "");
    dir.write("contributions/pub/a.jsonl", jsonl("pub", 4));
    private(&dir, "contributions/memos", "memos", "\"*.jsonl\"");
    dir.write("contributions/memos/m.jsonl", jsonl("memo", 4));
    let config = dir.pipeline("");
    // Release 1 written inside the public contribution: refused before any work.
    let o = run(&["run", path(&config), "--output", path(&dir.join("contributions/pub/release-1"))]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("outputs and inputs must not overlap"), "{}", stderr(&o));
    assert!(stderr(&o).contains("contributions/pub") && stderr(&o).contains("release-1"), "{}", stderr(&o));
    assert!(!dir.join("contributions/pub/release-1/shards").exists());
    // Release 1 written elsewhere, then copied into the public contribution by hand.
    assert_exit(&run(&["run", path(&config), "--output", path(&dir.join("release-1")), "-q"]), 0);
    let copy = std::process::Command::new("cp")
        .args(["-r", path(&dir.join("release-1")), path(&dir.join("contributions/pub/release-1"))])
        .status()
        .expect("cp");
    assert!(copy.success());
    assert_exit(&run(&["run", path(&config), "--output", path(&dir.join("release-2")), "-q"]), 0);
    let out = dir.join("release-2");
    let public = public_docs(&out);
    assert_eq!(public.len(), 4, "release 1's shards are not read again: {public:?}");
    assert!(public.iter().all(|(_, t)| !t.contains("memo")));
    let rows = ledger(&out);
    let skipped = dropped(&rows, "dataset_directory");
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].file.as_deref(), Some("release-1/"));
}

#[test]
fn issue_15_redact_never_writes_a_record_it_cannot_redact() {
    let dir = Dir::new();
    let secret = "身分證A123456789";
    let lines = [
        format!("{{\"id\":1,\"text\":\"{secret}\"}}"),
        format!("{{\"id\":2,\"body\":\"{secret}\"}}"),
        format!("{{\"id\":3,\"text\":[\"{secret}\"]}}"),
        format!("{{\"id\":4,\"text\":{{\"a\":\"{secret}\"}}}}"),
        format!("{{\"id\":5,\"text\":null,\"note\":\"{secret}\"}}"),
        // Written, with every field redacted, not only the text.
        "{\"id\":6,\"text\":\"公告\",\"note\":\"手機0912345678\",\"meta\":{\"聯絡\":\"lin.mei@example.org.tw\"}}"
            .to_string(),
    ];
    dir.write("in.jsonl", lines.join("\n"));
    let o = run(&["redact", "-i", path(&dir.join("in.jsonl")), "-o", path(&dir.join("out.jsonl"))]);
    assert_exit(&o, 1);
    let written = std::fs::read_to_string(dir.join("out.jsonl")).expect("out");
    assert_eq!(written.lines().count(), 2, "{written}");
    for value in ["A123456789", "0912345678", "lin.mei@example.org.tw"] {
        assert!(!written.contains(value), "{written}");
    }
    for (line, what) in [(2, "no `text` field"), (3, "is an array"), (4, "is an object"), (5, "is null")] {
        assert!(stderr(&o).contains(&format!("in.jsonl:{line}: ")) && stderr(&o).contains(what), "{}", stderr(&o));
    }
    assert!(!stderr(&o).contains("A123456789"));
    // Parquet whose text column is binary, a list or a struct: refused whole, nothing written.
    let binary: ArrayRef = std::sync::Arc::new(arrow_array::BinaryArray::from_iter_values([secret.as_bytes()]));
    let list: ArrayRef =
        std::sync::Arc::new(arrow_array::ListArray::from_iter_primitive::<arrow_array::types::Int32Type, _, _>([
            Some(vec![Some(1)]),
        ]));
    let strings: ArrayRef = std::sync::Arc::new(arrow_array::StringArray::from(vec![secret]));
    let field = std::sync::Arc::new(arrow_schema::Field::new("a", arrow_schema::DataType::Utf8, false));
    let strukt: ArrayRef = std::sync::Arc::new(arrow_array::StructArray::from(vec![(field, strings)]));
    for (name, column) in [("binary", binary), ("list", list), ("struct", strukt)] {
        let batch = RecordBatch::try_from_iter([("text", column)]).expect("batch");
        let input = dir.join(&format!("{name}.parquet"));
        let mut w = ArrowWriter::try_new(File::create(&input).expect("create"), batch.schema(), None).expect("w");
        w.write(&batch).expect("write");
        w.close().expect("close");
        let output = dir.join(&format!("{name}.out.jsonl"));
        let o = run(&["redact", "-i", path(&input), "-o", path(&output)]);
        assert_exit(&o, 1);
        assert!(
            stderr(&o).contains("not a string type") && stderr(&o).contains("nothing was written"),
            "{}",
            stderr(&o)
        );
        assert!(!output.exists(), "{name}: an output was written");
    }
}

#[test]
fn issue_15_personal_data_in_fields_ids_and_file_names_reaches_no_output_or_log() {
    let dir = Dir::new();
    public(&dir, "contributions/c", "c", "\"*.jsonl\"", "id_field = \"id\"\n");
    // Texts that are not near-duplicates of each other (dedup would keep one).
    let text = |seed: &str| format!("第 1 條\n本法依憲法制定之，{}。", varied(seed, 40));
    let records = [
        serde_json::json!({"id": "law-1", "text": text("one"), "author_email": "wang.da@example.com.tw",
            "note": "承辦人身分證A123456789，手機0912345678", "source": "承辦人電話02-2345-6789",
            "url": "mailto:lin.mei@example.org.tw", "meta": {"生日": "1995/03/28"}}),
        // An id that is a national ID number.
        serde_json::json!({"id": "B120863158", "text": text("two"),
            "meta": {"欄位": [{"name": "出生日期", "value": "19880512"}], "個人": {"生日": {"西元": "1979/11/02"}}}}),
    ];
    let lines: Vec<String> = records.iter().map(|r| r.to_string()).collect();
    // A file named with an ID number, holding a good record and a malformed one.
    dir.write("contributions/c/records.jsonl", lines.join("\n") + "\n");
    dir.write(
        "contributions/c/C223456783.jsonl",
        format!("{}\n{{\"id\":\"x\",\"text\":\n", serde_json::json!({"id": "law-3", "text": text("three")})),
    );
    let config = dir.pipeline("");
    let o = corpus().args(["run", path(&config), "-vv"]).output().expect("run");
    assert_exit(&o, 0);
    let out = dir.join("out");
    let i = run(&["inspect", path(&out)]);
    assert_exit(&i, 0);
    let everything = format!("{}{}{}{}{}", everything_written(&out), stdout(&o), stderr(&o), stdout(&i), stderr(&i));
    for value in [
        "wang.da@example.com.tw",
        "A123456789",
        "0912345678",
        "2345-6789",
        "lin.mei@example.org.tw",
        "B120863158",
        "C223456783",
        "1995/03/28",
        "19880512",
        "1979/11/02",
    ] {
        assert!(!everything.contains(value), "{value} reached an output, a log or the summary");
    }
    // The values were replaced, the records kept; ids stay unique and stable.
    let docs = docs_under(&out, "public");
    assert_eq!(docs.len(), 3);
    let ids: Vec<&str> = docs.iter().map(|(id, _)| id.as_str()).collect();
    assert!(ids.iter().any(|id| id.starts_with("c/pii-")), "{ids:?}");
    assert!(everything.contains("mailto:|||EMAIL_ADDRESS|||"), "the URL keeps its shape");
    let m = manifest(&out);
    assert_eq!(m["pii"]["EMAIL"], 2);
    assert_eq!(m["pii"]["TW_NATIONAL_ID"], 1);
    assert_exit(&run(&["run", path(&config), "--output", path(&dir.join("again")), "-q"]), 0);
    let again: Vec<String> = docs_under(&dir.join("again"), "public").into_iter().map(|d| d.0).collect();
    let mut first: Vec<String> = docs.into_iter().map(|d| d.0).collect();
    let mut again = again;
    first.sort();
    again.sort();
    assert_eq!(first, again, "pseudonyms are stable across runs");
}

#[test]
fn issue_15_dedup_and_tokenize_keep_restricted_documents_restricted() {
    let dir = Dir::new();
    private(&dir, "contributions/memos", "memos", "\"*.jsonl\"");
    dir.write("contributions/memos/m.jsonl", jsonl("memo", 6));
    public(&dir, "contributions/pub", "pub", "\"*.jsonl\"", "");
    dir.write("contributions/pub/p.jsonl", jsonl("pub", 6));
    let config = dir.pipeline("[dedup]\nenabled = false\n");
    assert_exit(&run(&["run", path(&config), "-q"]), 0);
    let release = dir.join("out");
    let restricted: Vec<String> = tree(&release.join("restricted"))
        .keys()
        .filter(|k| k.ends_with(".parquet"))
        .map(|k| path(&release.join("restricted").join(k)).to_string())
        .collect();
    let tokenizer =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/tokenizers/breeze-7b-instruct-v1_0/tokenizer.json.zst");
    for (command, extra) in [("dedup", vec![]), ("tokenize", vec!["--tokenizer", path(&tokenizer)])] {
        let out = dir.join(command);
        let mut args = vec!["-q", command, "--input"];
        args.extend(restricted.iter().map(String::as_str));
        args.extend(["--output", path(&out)]);
        args.extend(extra);
        assert_exit(&run(&args), 0);
        assert!(!out.join("public").exists(), "{command} wrote restricted documents to public/");
        assert_eq!(docs_under(&out, "restricted").len(), 6, "{command}");
        assert_exit(&run(&["inspect", "-q", path(&out)]), 0);
    }
    // Loose JSONL has no licence decision: restricted too. A public shard stays public.
    let loose = dir.join("loose");
    let input = dir.write("loose.jsonl", jsonl("loose", 3));
    assert_exit(&run(&["-q", "dedup", "--input", path(&input), "--output", path(&loose)]), 0);
    assert_eq!((public_docs(&loose).len(), docs_under(&loose, "restricted").len()), (0, 3));
    let shard = release.join("public/data/train-00000-of-00001.parquet");
    let again = dir.join("public-again");
    assert_exit(&run(&["-q", "dedup", "--input", path(&shard), "--output", path(&again)]), 0);
    assert_eq!(public_docs(&again).len(), shard_docs(&shard).len());
}

#[test]
fn issue_15_an_output_that_is_or_holds_a_contribution_is_refused_and_nothing_is_deleted() {
    let dir = Dir::new();
    dir.contribution("c", &["shards/*.jsonl", "ledger/*.jsonl"], "");
    dir.write("contributions/c/shards/a.jsonl", jsonl("a", 3));
    dir.write("contributions/c/ledger/b.jsonl", jsonl("b", 3));
    let config = dir.pipeline("");
    let before = tree(&dir.join("contributions"));
    for output in [dir.join("contributions/c"), dir.join("contributions"), dir.join(".")] {
        let o = run(&["run", path(&config), "--output", path(&output)]);
        assert_exit(&o, 2);
        assert!(stderr(&o).contains("must not overlap"), "{}", stderr(&o));
        assert_eq!(tree(&dir.join("contributions")), before, "{}: an input was touched", output.display());
    }
    // A directory with files of its own in a release directory is not cleared either.
    let other = dir.join("elsewhere");
    dir.write("elsewhere/public/data/mine.parquet", b"not ours");
    let o = run(&["run", path(&config), "--output", path(&other)]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("corpus did not write") && stderr(&o).contains("public/data/mine.parquet"),
        "{}",
        stderr(&o)
    );
    assert!(other.join("public/data/mine.parquet").exists());
}

#[cfg(unix)]
#[test]
fn issue_15_file_names_that_are_not_utf8_are_all_read() {
    use std::os::unix::ffi::OsStrExt;
    let dir = Dir::new();
    dir.contribution("c", &["*.jsonl"], "");
    for (name, prefix) in [(&b"caf\xe9.jsonl"[..], "a"), (b"caf\xe8.jsonl", "b")] {
        let p = dir.join("contributions/c").join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(p, jsonl(prefix, 10)).expect("write");
    }
    let config = dir.pipeline("");
    assert_exit(&run(&["run", path(&config), "-q"]), 0);
    let rows = ledger(&dir.join("out"));
    assert_eq!(rows.len(), 20, "a row for every record");
    let files: std::collections::BTreeSet<_> = rows.iter().filter_map(|r| r.file.clone()).collect();
    assert_eq!(files.into_iter().collect::<Vec<_>>(), ["caf%E8.jsonl", "caf%E9.jsonl"]);
}

#[test]
fn issue_15_resume_trusts_no_input_or_file_it_did_not_check() {
    let dir = Dir::new();
    dir.contribution("c", &["*.jsonl"], "");
    let data = dir.write("contributions/c/a.jsonl", jsonl("a", 8));
    let config = dir.pipeline("");
    let out = dir.join("out");
    assert_exit(&run(&["run", path(&config), "-q"]), 0);
    let resume = || run(&["run", path(&config), "--resume"]);
    // Same size, other text: the inputs changed.
    let edited = std::fs::read_to_string(&data).expect("read").replace("本法", "此法");
    std::fs::write(&data, &edited).expect("write");
    let o = resume();
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("other inputs") && stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_exit(&run(&["run", path(&config), "-q", "--force"]), 0);
    // A shard deleted, then one with a byte flipped: never "already complete".
    let shard = out.join("public/data/train-00000-of-00001.parquet");
    let bytes = std::fs::read(&shard).expect("shard");
    std::fs::remove_file(&shard).expect("rm");
    let o = resume();
    assert_exit(&o, 1);
    assert!(
        stderr(&o).contains("train-00000-of-00001.parquet: missing")
            && stderr(&o).contains("with --force instead of --resume"),
        "{}",
        stderr(&o)
    );
    let mut flipped = bytes.clone();
    flipped[100] ^= 1;
    std::fs::write(&shard, &flipped).expect("write");
    let o = resume();
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("sha256"), "{}", stderr(&o));
    std::fs::write(&shard, &bytes).expect("restore");
    assert!(stdout(&resume()).contains("already complete"));
    // What a kill during a fresh run's first clean-up left with the old code: the manifest,
    // some shards gone. The new clean-up removes the manifest first; even so, resume checks.
    std::fs::remove_file(out.join("ledger/ledger-00000-of-00001.parquet")).expect("rm");
    assert_exit(&resume(), 1);
    // An interrupted run whose finished work was damaged since redoes that work, to the same
    // bytes. The run is stopped after its tasks by a file where the public release's directory goes.
    assert_exit(&run(&["run", path(&config), "-q", "--force"]), 0);
    let want = tree(&out);
    assert_exit(&run(&["run", path(&config), "-q", "--output", path(&dir.join("stopped"))]), 0);
    std::fs::remove_dir_all(dir.join("stopped")).expect("rm");
    dir.write("stopped/public", "in the way");
    let stopped = run(&["run", path(&config), "--output", path(&dir.join("stopped"))]);
    assert_exit(&stopped, 1);
    let task = dir.join("stopped/.work/tasks/00000");
    let part = tree(&task)
        .into_keys()
        .find(|k| k.ends_with(".parquet") && !k.contains('/') && !k.starts_with("ledger"))
        .expect("a part of phase 1");
    let mut bytes = std::fs::read(task.join(&part)).expect("part");
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    std::fs::write(task.join(&part), bytes).expect("damage");
    std::fs::remove_file(dir.join("stopped/public")).expect("rm");
    let o = run(&["run", path(&config), "--output", path(&dir.join("stopped")), "--resume", "-v"]);
    assert_exit(&o, 0);
    assert!(stderr(&o).contains("running it again"), "{}", stderr(&o));
    let got = tree(&dir.join("stopped"));
    assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>());
    assert!(got.iter().all(|(k, v)| want[k] == *v), "the resumed dataset differs");
}

#[cfg(unix)]
#[test]
fn issue_15_fifos_and_devices_are_refused_without_blocking() {
    let dir = Dir::new();
    dir.contribution("c", &["*.jsonl", "*.parquet"], "");
    dir.write("contributions/c/a.jsonl", jsonl("a", 3));
    let fifo = dir.join("contributions/c/pipe.jsonl");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    std::os::unix::fs::symlink("/dev/zero", dir.join("contributions/c/zero.parquet")).expect("symlink");
    let config = dir.pipeline("");
    let o = finishes(spawn(&["run", path(&config)]), 60);
    assert_exit(&o, 0);
    let rows = ledger(&dir.join("out"));
    assert_eq!(dropped(&rows, "not_a_regular_file").len(), 1, "{rows:#?}");
    assert_eq!(dropped(&rows, "path_escapes_contribution").len(), 1, "/dev/zero is outside the contribution");
    let o = finishes(spawn(&["validate", path(&dir.join("contributions/c"))]), 60);
    assert_exit(&o, 1);
    assert!(stdout(&o).contains("not_a_regular_file"), "{}", stdout(&o));
    // The tokenizer, a FIFO: a configuration error at once.
    let tok = dir.join("tokenizer.json");
    assert!(std::process::Command::new("mkfifo").arg(&tok).status().expect("mkfifo").success());
    let input = dir.write("in.jsonl", jsonl("t", 2));
    let o = finishes(
        spawn(&["tokenize", "--input", path(&input), "--tokenizer", path(&tok), "--output", path(&dir.join("tok"))]),
        60,
    );
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("FIFO"), "{}", stderr(&o));
}

#[test]
fn issue_15_inspect_never_reads_outside_the_dataset() {
    let dir = Dir::new();
    dir.contribution("c", &["*.jsonl"], "");
    dir.write("contributions/c/a.jsonl", jsonl("a", 3));
    assert_exit(&run(&["run", path(&dir.pipeline("")), "-q"]), 0);
    let out = dir.join("out");
    let secret = dir.write("secret.parquet", b"outside");
    let mut m = manifest(&out);
    m["ledger"][0]["path"] = serde_json::json!("../secret.parquet");
    std::fs::write(out.join("manifest.json"), serde_json::to_vec_pretty(&m).expect("json")).expect("write");
    let o = finishes(spawn(&["inspect", path(&out)]), 60);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("outside the dataset"), "{}", stderr(&o));
    assert!(secret.exists());
}

#[test]
fn issue_15_a_closed_pipe_ends_every_command_quietly() {
    let dir = Dir::new();
    dir.contribution("c", &["*.jsonl"], "");
    dir.write("contributions/c/a.jsonl", jsonl("a", 3));
    let config = dir.pipeline("");
    assert_exit(&run(&["run", path(&config), "-q"]), 0);
    let out = dir.join("out");
    let contribution = dir.join("contributions/c");
    let commands: Vec<Vec<&str>> = vec![
        vec!["inspect", path(&out)],
        vec!["validate", path(&contribution)],
        vec!["run", path(&config), "--resume"],
        vec!["--help"],
    ];
    for args in commands {
        // `corpus … | head -0`: the reading end is closed before the first line is written.
        let mut child = corpus().args(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
        drop(child.stdout.take());
        let o = finishes(child, 60);
        assert!(matches!(o.status.code(), Some(0) | None), "{args:?}: {:?}\n{}", o.status, stderr(&o));
        assert!(!stderr(&o).contains("panicked") && !stderr(&o).contains("internal error"), "{args:?}: {}", stderr(&o));
    }
    // A closed stderr: the error is lost, the exit code is not (1, not a panic's 101).
    let mut child =
        corpus().args(["inspect", "/nonexistent"]).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("spawn");
    drop(child.stderr.take());
    assert_eq!(finishes(child, 60).status.code(), Some(1));
}

#[test]
fn issue_15_a_damaged_previous_index_is_refused_by_against() {
    let dir = Dir::new();
    dir.contribution("c", &["*.jsonl"], "");
    dir.write("contributions/c/a.jsonl", jsonl("a", 6));
    let config = dir.pipeline("");
    let previous = dir.join("previous");
    assert_exit(&run(&["run", path(&config), "--output", path(&previous), "-q"]), 0);
    let against =
        |out: &str| run(&["run", path(&config), "--output", path(&dir.join(out)), "--against", path(&previous)]);
    assert_exit(&against("ok"), 0);
    for (name, damage) in [("band-000.bin", "flip"), ("labels.bin", "truncate"), ("meta.bin", "delete")] {
        let file = previous.join("lsh-index").join(name);
        let good = std::fs::read(&file).expect("read");
        match damage {
            "flip" => {
                let mut b = good.clone();
                b[0] ^= 0xff;
                std::fs::write(&file, b).expect("write");
            }
            "truncate" => std::fs::write(&file, &good[..good.len() / 2]).expect("write"),
            _ => std::fs::remove_file(&file).expect("rm"),
        }
        let o = against(name);
        assert_exit(&o, 1);
        assert!(stderr(&o).contains(name) && stderr(&o).contains("damaged"), "{name}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
        std::fs::write(&file, good).expect("restore");
    }
    // A file the manifest does not list (an added band run would be used unchecked).
    let extra = previous.join("lsh-index/band-999.bin");
    std::fs::copy(previous.join("lsh-index/band-000.bin"), &extra).expect("copy");
    let o = against("extra");
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("band-999.bin") && stderr(&o).contains("not listed"), "{}", stderr(&o));
    std::fs::remove_file(&extra).expect("rm");
    // A dataset made --against an index is complete only against the same index.
    let o = run(&["run", path(&config), "--output", path(&dir.join("ok")), "--resume"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("another configuration"), "{}", stderr(&o));
    // --against the output itself: its clean-up would delete the index it reads.
    let o = run(&["run", path(&config), "--output", path(&previous), "--against", path(&previous)]);
    assert_exit(&o, 2);
}

#[test]
fn issue_15_a_parquet_file_of_more_than_32767_row_groups_is_read_whole() {
    let dir = Dir::new();
    dir.contribution("c", &["*.parquet"], "");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/parquet/many-row-groups.parquet.zst");
    let mut bytes = Vec::new();
    zstd::stream::read::Decoder::new(File::open(fixture).expect("fixture"))
        .expect("zstd")
        .read_to_end(&mut bytes)
        .expect("read");
    let file = dir.write("contributions/c/many.parquet", &bytes);
    let config = dir.pipeline("[quality]\nenabled = false\n[dedup]\nenabled = false\n[ingest]\ntask_megabytes = 1\n");
    let o = run(&["run", path(&config)]);
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("32800 in = 32800 kept + 0 dropped"), "{}", stdout(&o));
    let rows = ledger(&dir.join("out"));
    let mut seen: Vec<u64> = rows.iter().filter_map(|r| r.row).collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..32_800).collect::<Vec<_>>(), "each row once, numbered across the footer's views");
    let docs = docs_under(&dir.join("out"), "public");
    assert!(docs.iter().any(|(id, t)| id == "c/many.parquet#32799" && t == "第32799號"));
    let o = run(&["redact", "-i", path(&file), "-o", path(&dir.join("r.jsonl"))]);
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("32800 records written"), "{}", stdout(&o));
}

#[test]
fn issue_15_inspect_finds_lost_emptied_relabelled_and_stray_shards() {
    let dir = Dir::new();
    dir.contribution("pub", &["*.jsonl"], "");
    dir.write("contributions/pub/a.jsonl", jsonl("a", 6));
    private(&dir, "contributions/memos", "memos", "\"*.jsonl\"");
    dir.write("contributions/memos/m.jsonl", jsonl("memo", 4));
    let config = dir.pipeline("[shard]\nvalidation_fraction = 0.0\n");
    let reference = dir.join("reference");
    assert_exit(&run(&["run", path(&config), "--output", path(&reference), "-q"]), 0);
    assert_exit(&run(&["inspect", "-q", path(&reference)]), 0);
    let damaged = |name: &str, damage: &dyn Fn(&Path, &mut serde_json::Value)| {
        let out = dir.join(name);
        assert_exit(
            &std::process::Command::new("cp").args(["-r", path(&reference), path(&out)]).output().expect("cp"),
            0,
        );
        let mut m = manifest(&out);
        damage(&out, &mut m);
        std::fs::write(out.join("manifest.json"), serde_json::to_vec_pretty(&m).expect("json")).expect("write");
        let o = run(&["inspect", path(&out)]);
        assert_exit(&o, 1);
        stderr(&o)
    };
    let restricted = "restricted/data/train-00000-of-00001.parquet";
    // A shard entry lost together with its file.
    let e = damaged("lost", &|out, m| {
        std::fs::remove_file(out.join(restricted)).expect("rm");
        m["shards"].as_array_mut().expect("shards").retain(|s| s["path"] != restricted);
    });
    assert!(e.contains("the shards hold 6 documents, manifest.json says 10 kept"), "{e}");
    // The ledger emptied, its entry updated to match.
    let e = damaged("emptied", &|out, m| {
        let ledger = out.join("ledger/ledger-00000-of-00001.parquet");
        let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(&ledger).expect("open")).expect("pq");
        let schema = reader.schema().clone();
        let mut w = ArrowWriter::try_new(File::create(&ledger).expect("create"), schema, None).expect("w");
        w.flush().expect("flush");
        w.close().expect("close");
        let bytes = std::fs::read(&ledger).expect("read");
        m["ledger"][0]["rows"] = 0.into();
        m["ledger"][0]["bytes"] = (bytes.len() as u64).into();
        m["ledger"][0]["sha256"] = sha256(&bytes).into();
    });
    assert!(e.contains("the ledger counts 0 inputs"), "{e}");
    // The restricted shard relabelled public, in the manifest and then on disk too.
    let e = damaged("relabelled", &|_, m| {
        for s in m["shards"].as_array_mut().expect("shards") {
            if s["tier"] == "restricted" {
                s["tier"] = "public".into();
            }
        }
    });
    assert!(e.contains("must be public/data/"), "{e}");
    let e = damaged("moved", &|out, m| {
        let to = "public/data/train-00000-of-00002.parquet";
        std::fs::rename(out.join(restricted), out.join(to)).expect("mv");
        for s in m["shards"].as_array_mut().expect("shards") {
            if s["tier"] == "restricted" {
                s["tier"] = "public".into();
                s["path"] = to.into();
            }
        }
    });
    assert!(e.contains("documents of private contributions in a public shard"), "{e}");
    assert!(e.contains("rows say another tier"), "{e}");
    // A stray copy of the restricted shard beside the public ones.
    let e = damaged("stray", &|out, _| {
        std::fs::copy(out.join(restricted), out.join("public/data/train-00001-of-00001.parquet")).expect("cp");
    });
    assert!(e.contains("public/data/train-00001-of-00001.parquet: not listed in manifest.json"), "{e}");
}

fn sha256(bytes: &[u8]) -> String {
    let o = std::process::Command::new("sha256sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().expect("stdin").write_all(bytes)?;
            c.wait_with_output()
        })
        .expect("sha256sum");
    String::from_utf8_lossy(&o.stdout).split_whitespace().next().unwrap_or_default().to_string()
}

#[test]
fn issue_15_many_small_files_share_tasks() {
    let dir = Dir::new();
    dir.contribution("c", &["*.jsonl"], "");
    for i in 0..300 {
        dir.write(&format!("contributions/c/{i:04}.jsonl"), jsonl(&format!("f{i}"), 1));
    }
    let o = run(&["run", path(&dir.pipeline(""))]);
    assert_exit(&o, 0);
    assert!(stdout(&o).starts_with("corpus run: 1 task in"), "{}", stdout(&o));
    assert_eq!(ledger(&dir.join("out")).len(), 300);
}

#[test]
fn issue_15_absurd_settings_are_refused() {
    let dir = Dir::new();
    dir.contribution("c", &["*.jsonl"], "");
    dir.write("contributions/c/a.jsonl", jsonl("a", 2));
    let o = run(&["run", path(&dir.pipeline("")), "--threads", "100000"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("more than 1024"), "{}", stderr(&o));
    for (table, key) in [
        ("quality", "max_duplicate_lines = nan"),
        ("normalize.language", "min_han_share = inf"),
        ("normalize.language", "keep = []"),
    ] {
        let config = dir.pipeline(&format!("[{table}]\n{key}\n"));
        let o = run(&["run", path(&config)]);
        assert_exit(&o, 2);
        assert!(stderr(&o).contains("pipeline.toml:4"), "{key}: {}", stderr(&o));
    }
}

#[test]
fn issue_15_cr_only_files_and_small_integer_ids_are_read() {
    let dir = Dir::new();
    dir.contribution("c", &["*.jsonl"], "");
    dir.write("contributions/c/mac.jsonl", jsonl("mac", 3).replace('\n', "\r"));
    let rows = {
        assert_exit(&run(&["run", path(&dir.pipeline("")), "-q"]), 0);
        ledger(&dir.join("out"))
    };
    let lines: Vec<_> = rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [Some(1), Some(2), Some(3)], "a lone CR ends a line");
    let dir = Dir::new();
    dir.contribution("c", &["*.parquet"], "id_field = \"id\"\ntext_field = \"body\"\n");
    let text = "第 1 條\n本法依憲法制定之，以維護國家安全與人民權益。";
    for (name, ids) in [
        ("i8", std::sync::Arc::new(arrow_array::Int8Array::from(vec![1i8, 2])) as ArrayRef),
        ("u16", std::sync::Arc::new(arrow_array::UInt16Array::from(vec![3u16, 4]))),
    ] {
        let body: ArrayRef = std::sync::Arc::new(arrow_array::StringArray::from(vec![
            format!("{text}{name}甲"),
            format!("{text}{name}乙"),
        ]));
        let batch = RecordBatch::try_from_iter([("id", ids), ("body", body)]).expect("batch");
        let file = dir.join(&format!("contributions/c/{name}.parquet"));
        let mut w = ArrowWriter::try_new(File::create(&file).expect("create"), batch.schema(), None).expect("w");
        w.write(&batch).expect("write");
        w.close().expect("close");
    }
    assert_exit(&run(&["run", path(&dir.pipeline("")), "-q"]), 0);
    let mut ids: Vec<String> = ledger(&dir.join("out")).into_iter().map(|r| r.doc_id).collect();
    ids.sort();
    assert_eq!(ids, ["c/1", "c/2", "c/3", "c/4"], "int8 and uint16 ids are ids");
}

#[test]
fn issue_15_command_line_ids_do_not_depend_on_where_the_files_are() {
    let dir = Dir::new();
    let a = dir.write("here/data.jsonl", jsonl("x", 2).replace("\"id\":\"x-0\",", "").replace("\"id\":\"x-1\",", ""));
    let b = dir.write("there/deeper/data.jsonl", std::fs::read(&a).expect("read"));
    let ids = |input: &PathBuf, out: &str| -> Vec<String> {
        assert_exit(&run(&["-q", "dedup", "--input", path(input), "--output", path(&dir.join(out)), "--force"]), 0);
        ledger(&dir.join(out)).into_iter().map(|r| r.doc_id).collect()
    };
    assert_eq!(ids(&a, "a"), ["input/data.jsonl:1", "input/data.jsonl:2"]);
    assert_eq!(ids(&a, "a"), ids(&b, "b"));
    let o = run(&["dedup", "--input", path(&a), path(&b), "--output", path(&dir.join("both"))]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("same file name"), "{}", stderr(&o));
}

#[test]
fn issue_15_repeated_ids_are_dropped_with_a_reason_the_first_kept() {
    for dedup in ["true", "false"] {
        let dir = Dir::new();
        dir.contribution("c", &["*.jsonl"], "id_field = \"id\"\n");
        // 40 records under 8 ids, in two files that share ids 3 and 4; texts all different.
        let lines = |file: usize| -> String {
            (0..20)
                .map(|i| {
                    let text = format!("第 {i} 條\\n本法依憲法制定之，{}。", varied(&format!("{file}-{i}"), 30));
                    format!("{{\"id\":\"id-{}\",\"text\":\"{text}\"}}\n", i % 5 + 3 * file)
                })
                .collect()
        };
        dir.write("contributions/c/a.jsonl", lines(0));
        dir.write("contributions/c/b.jsonl", lines(1));
        let config = dir.pipeline(&format!("[dedup]\nenabled = {dedup}\n"));
        let o = run(&["run", path(&config)]);
        assert_exit(&o, 0);
        let rows = ledger(&dir.join("out"));
        let kept: Vec<&Row> = rows.iter().filter(|r| r.decision == "kept").collect();
        let distinct: std::collections::BTreeSet<&str> = kept.iter().map(|r| r.doc_id.as_str()).collect();
        assert_eq!((kept.len(), distinct.len()), (8, 8), "dedup {dedup}: one document per id");
        // The first of each id in file order is the one kept: a.jsonl lines 1–5, b.jsonl 3–5.
        let mut places: Vec<(String, u64)> =
            kept.iter().map(|r| (r.file.clone().unwrap_or_default(), r.line.unwrap_or(0))).collect();
        places.sort();
        let want: Vec<(String, u64)> = [("a.jsonl", 1..=5), ("b.jsonl", 3..=5)]
            .into_iter()
            .flat_map(|(f, l)| l.map(move |l| (f.to_string(), l)))
            .collect();
        assert_eq!(places, want, "dedup {dedup}");
        let repeats = dropped(&rows, "duplicate_id");
        assert_eq!(repeats.len(), 32, "dedup {dedup}");
        let across =
            repeats.iter().find(|r| r.file.as_deref() == Some("b.jsonl") && r.line == Some(1)).expect("a repeat");
        assert_eq!((across.doc_id.as_str(), across.stage.as_str()), ("c/id-3", "ingest"));
        assert_eq!(across.detail.as_deref(), Some("the record at c/a.jsonl:4 has the same id and comes first"));
        assert!(stdout(&o).contains("ingest/duplicate_id"), "{}", stdout(&o));
        let shard_ids: Vec<String> = docs_under(&dir.join("out"), "public").into_iter().map(|d| d.0).collect();
        assert_eq!(shard_ids.len(), 8);
        assert_exit(&run(&["inspect", "-q", path(&dir.join("out"))]), 0);
    }
}

/// Found by `fuzz/` (target `parquet`): parquet-rs 59 panics on a page whose bit width is
/// impossible and on a footer whose embedded Arrow schema is not a flatbuffer. A run records
/// them as corrupt files; redact refuses them; neither crashes or says "internal error".
#[test]
fn issue_15_parquet_that_makes_the_decoder_panic_is_a_corrupt_file_not_a_crash() {
    let dir = Dir::new();
    dir.contribution("c", &["*.parquet"], "");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/parquet");
    for name in ["panics-bit-width.parquet", "panics-arrow-schema.parquet"] {
        std::fs::copy(fixtures.join(name), dir.join(&format!("contributions/c/{name}"))).expect("copy");
        let o = run(&["redact", "-i", path(&fixtures.join(name)), "-o", path(&dir.join("r.jsonl"))]);
        assert_exit(&o, 1);
        assert!(stderr(&o).contains("malformed") && !stderr(&o).contains("internal error"), "{name}: {}", stderr(&o));
    }
    let o = run(&["run", path(&dir.pipeline(""))]);
    assert_exit(&o, 0);
    assert!(!stderr(&o).contains("internal error") && !stderr(&o).contains("panicked"), "{}", stderr(&o));
    let rows = ledger(&dir.join("out"));
    let files: std::collections::BTreeSet<_> =
        dropped(&rows, "corrupt_parquet").iter().filter_map(|r| r.file.clone()).collect();
    assert_eq!(files.len(), 2, "{rows:#?}");
}

#[test]
fn issue_15_a_record_id_equal_to_a_text_files_name_is_a_repeated_id() {
    let dir = Dir::new();
    dir.contribution("c", &["*.txt", "*.jsonl"], "id_field = \"id\"\n");
    dir.write("contributions/c/a.txt", format!("第 1 條\n本法依憲法制定之，{}。", varied("txt", 40)));
    let text = format!("第 2 條\\n本法依憲法制定之，{}。", varied("jsonl", 40));
    dir.write("contributions/c/b.jsonl", format!("{{\"id\":\"a.txt\",\"text\":\"{text}\"}}\n"));
    let o = run(&["run", path(&dir.pipeline("")), "-q"]);
    assert_exit(&o, 0);
    let rows = ledger(&dir.join("out"));
    let kept: Vec<&Row> = rows.iter().filter(|r| r.decision == "kept").collect();
    assert_eq!(kept.len(), 1, "one document per id: {rows:?}");
    let repeat = dropped(&rows, "duplicate_id");
    assert_eq!(repeat.len(), 1);
    assert_eq!(repeat[0].detail.as_deref(), Some("the record at c/a.txt has the same id and comes first"));
}

#[test]
fn issue_15_the_key_of_pseudonyms_is_never_inside_the_output() {
    let dir = Dir::new();
    dir.contribution("c", &["*.jsonl"], "");
    dir.write("contributions/c/a.jsonl", jsonl("a", 3));
    let config = dir.pipeline("[pii]\nid_key_file = \"out/id-key\"\n");
    let o = run(&["run", path(&config)]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("key of pseudonymous ids") && stderr(&o).contains("inside the output"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.join("out/id-key").exists(), "no key was made there");
}
