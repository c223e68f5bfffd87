//! Dedup through the CLI: `corpus dedup` alone, a release deduplicated against the previous one
//! (`--against`), and a withdrawn document taking its near-duplicates with it in `corpus run`.

use crate::util::*;

/// A law-like document of `n` lines: distinct enough from every other seed.
fn doc(seed: &str, n: usize) -> String {
    (0..n).map(|i| format!("第 {i} 條 {}。", varied(&format!("{seed}/{i}"), 30))).collect::<Vec<_>>().join("\n")
}

fn line(id: &str, text: &str) -> String {
    format!("{}\n", serde_json::json!({"id": id, "text": text}))
}

fn dedup(args: &[&str]) -> std::process::Output {
    let mut all = vec!["dedup"];
    all.extend_from_slice(args);
    run(&all)
}

#[test]
fn dedup_drops_exact_and_near_copies_and_names_the_kept_document() {
    let dir = Dir::new();
    let base = doc("a", 12);
    let mut text = String::new();
    text += &line("a", &base);
    text += &line("a-copy", &base.replace('。', "．").replace(' ', "　")); // width and spaces only
    let cut = base.lines().take(11).collect::<Vec<_>>().join("\n"); // one line of twelve lost
    text += &line("a-cut", &cut);
    text += &line("b", &doc("b", 12));
    dir.write("in.jsonl", &text);
    let out = dir.join("out");
    let o = dedup(&[
        "--input",
        dir.join("in.jsonl").to_str().expect("utf8"),
        "-o",
        out.to_str().expect("utf8"),
        "--id-field",
        "id",
    ]);
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("4 in = 2 kept + 2 dropped"), "{}", stdout(&o));
    let rows = ledger(&out);
    let exact = dropped(&rows, "exact_duplicate");
    assert_eq!(exact.len(), 1, "{rows:#?}");
    assert_eq!((exact[0].doc_id.as_str(), exact[0].duplicate_of.as_deref()), ("input/a-copy", Some("input/a")));
    assert_eq!(exact[0].stage, "dedup");
    let near = dropped(&rows, "near_duplicate");
    assert_eq!((near[0].doc_id.as_str(), near[0].duplicate_of.as_deref()), ("input/a-cut", Some("input/a")));
    let m = manifest(&out);
    assert_eq!(m["dedup"]["totals"]["clusters"], 1);
    assert_eq!(m["dedup"]["clusters"]["rows"], 3);
    assert_exit(&run(&["inspect", out.to_str().expect("utf8"), "-q"]), 0);
}

#[test]
fn a_new_release_drops_what_the_previous_one_released() {
    let dir = Dir::new();
    let (a, b, c) = (doc("a", 10), doc("b", 10), doc("c", 10));
    dir.write("r1.jsonl", line("a", &a) + &line("b", &b));
    // Release 2: a again (edited a little), c new.
    dir.write("r2.jsonl", line("a2", &format!("{a}\n附註。")) + &line("c", &c));
    let (r1, r2) = (dir.join("r1"), dir.join("r2"));
    let input = |f: &str| dir.join(f).to_str().expect("utf8").to_string();
    assert_exit(&dedup(&["--input", &input("r1.jsonl"), "-o", r1.to_str().expect("utf8"), "--id-field", "id"]), 0);
    let o = dedup(&[
        "--input",
        &input("r2.jsonl"),
        "-o",
        r2.to_str().expect("utf8"),
        "--id-field",
        "id",
        "--against",
        r1.to_str().expect("utf8"),
    ]);
    assert_exit(&o, 0);
    let rows = ledger(&r2);
    let again = dropped(&rows, "previously_released");
    assert_eq!(again.len(), 1, "{rows:#?}");
    assert_eq!((again[0].doc_id.as_str(), again[0].duplicate_of.as_deref()), ("input/a2", Some("input/a")));
    let m = manifest(&r2);
    assert_eq!(m["dedup"]["totals"]["previous"], 2);
    // The new index holds everything released: a, b (release 1) and c.
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(r2.join("lsh-index/index.json")).expect("index")).expect("json");
    assert_eq!(index["documents"], 3);
    // Parameters must match the previous index.
    let o = dedup(&[
        "--input",
        &input("r2.jsonl"),
        "-o",
        dir.join("r3").to_str().expect("utf8"),
        "--num-perm",
        "64",
        "--against",
        r1.to_str().expect("utf8"),
    ]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("cannot be compared"), "{}", stderr(&o));
}

#[test]
fn a_withdrawn_document_takes_its_near_duplicates_with_it() {
    let dir = Dir::new();
    dir.contribution("gov", &["*.jsonl"], "id_field = \"id\"\n");
    dir.contribution("press", &["*.jsonl"], "id_field = \"id\"\n");
    let notice = doc("notice", 10);
    dir.write("contributions/gov/a.jsonl", line("n1", &notice) + &line("other", &doc("other", 10)));
    // The same press release republished by another agency, with a footer.
    dir.write("contributions/press/b.jsonl", line("n1-repost", &format!("{notice}\n轉載自政府公報。")));
    dir.write("withdrawals.toml", "[[withdrawal]]\ndoc_id = \"gov/n1\"\ndate = 2026-10-01\nreason = \"retracted\"\n");
    dir.write(
        "pipeline.toml",
        "inputs = [\"contributions/*\"]\noutput = \"out\"\nwithdrawals = \"withdrawals.toml\"\n[licence]\nrun_date = 2026-11-24\n[quality]\nenabled = false\n",
    );
    assert_exit(&run(&["run", dir.join("pipeline.toml").to_str().expect("utf8"), "-q"]), 0);
    let rows = ledger(&dir.join("out"));
    assert_eq!(dropped(&rows, "withdrawn").len(), 1);
    let taken = dropped(&rows, "withdrawn_duplicate");
    assert_eq!(taken.len(), 1, "{rows:#?}");
    assert_eq!((taken[0].doc_id.as_str(), taken[0].duplicate_of.as_deref()), ("press/n1-repost", Some("gov/n1")));
    assert!(rows.iter().any(|r| r.doc_id == "gov/other" && r.decision == "kept"));
}
