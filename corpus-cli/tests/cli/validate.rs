//! `corpus validate`: what a contributor sees, snapshot-tested, with its exit code.

use std::path::Path;
use std::process::Output;

use crate::util::*;

/// Runs `corpus validate` in `cwd` and returns `exit N` + stdout, with temp paths filtered.
fn validate_in(cwd: &Path, args: &[&str]) -> (Output, String) {
    let o = corpus().current_dir(cwd).arg("validate").args(args).output().expect("spawn");
    let text = format!("exit {}\n{}{}", o.status.code().unwrap_or(-1), stdout(&o), stderr(&o));
    (o, text)
}

fn repo() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_demo_contributions() {
    let (_, text) = validate_in(
        &repo(),
        &[
            "fixtures/demo/contributions/moj-laws",
            "fixtures/demo/contributions/agency-memos",
            "fixtures/demo/contributions/citizen-essays",
        ],
    );
    insta::assert_snapshot!(text);
}

#[test]
fn manifest_mistakes_are_named_with_line_key_and_hint() {
    let dir = Dir::new();
    dir.write(
        "typo/contribution.toml",
        "id = \"typo\"\ntitle = \"測試\"\ncontributor = \"某機關\"\nlicence = \"CC-BY-4.0\"\nvisibility = \"public\"\n\
         attribution = \"某機關\"\nlanguage = \"zh-Hant\"\nfile = [\"data/*.jsonl\"]\n",
    );
    dir.write("Bad_Id/contribution.toml", "id = \"Bad_Id\"\ntitle = \"\"\ncontributor = \"某機關\"\nlicence = \"CC-BY-4.0\"\nvisibility = \"public\"\nattribution = \"某機關\"\nlanguage = \"zh-Hant\"\nfiles = [\"*.jsonl\"]\n");
    dir.write(
        "private/contribution.toml",
        "id = \"private\"\ntitle = \"內部文件\"\ncontributor = \"某機關\"\nlicence = \"LicenseRef-TW-SAITD-1.0\"\nvisibility = \"private\"\n\
         attribution = \"某機關\"\nlanguage = \"zh-Hant\"\nfiles = [\"*.jsonl\"]\n",
    );
    std::fs::create_dir_all(dir.join("empty")).expect("mkdir");
    let (o, text) = validate_in(dir.join("").as_path(), &["typo", "Bad_Id", "private", "empty"]);
    assert_exit(&o, 1);
    insta::assert_snapshot!(text);
}

#[test]
fn licence_paths_records_and_script_problems() {
    let dir = Dir::new();
    let manifest = |id: &str, licence: &str, files: &str| {
        format!(
            "id = \"{id}\"\ntitle = \"測試\"\ncontributor = \"某機關\"\nlicence = \"{licence}\"\nvisibility = \"public\"\n\
             attribution = \"某機關\"\nlanguage = \"zh-Hant\"\nfiles = {files}\nid_field = \"id\"\n"
        )
    };
    dir.write("nc/contribution.toml", manifest("nc", "CC-BY-NC-4.0", "[\"*.jsonl\"]"));
    dir.write("nc/a.jsonl", "{\"id\":\"1\",\"text\":\"臺灣的法規。\"}\n");
    dir.write("gpl/contribution.toml", manifest("gpl", "GPL-3.0-only", "[\"*.jsonl\"]"));
    dir.write("gpl/a.jsonl", "{\"id\":\"1\",\"text\":\"臺灣的法規。\"}\n");
    dir.write(
        "paths/contribution.toml",
        manifest("paths", "CC-BY-4.0", "[\"../other/*.jsonl\", \"/etc/passwd\", \"missing/*.jsonl\", \"*.csv\"]"),
    );
    dir.write("paths/a.csv", "a,b\n");
    dir.write("records/contribution.toml", manifest("records", "CC-BY-4.0", "[\"*.jsonl\"]"));
    dir.write("records/a.jsonl", "{\"id\":\"1\",\"text\":\"這是第一條。\"}\n{\"id\":\"2\",\"text\":\"未結束\"\n{\"id\":\"3\"}\n{\"id\":\"4\",\"text\":\"又一條。\"}\n");
    dir.write("simplified/contribution.toml", manifest("simplified", "CC-BY-4.0", "[\"*.jsonl\"]"));
    dir.write("simplified/a.jsonl", "{\"id\":\"1\",\"text\":\"这是中国的规定，我们会发现问题。\"}\n");
    let (o, text) = validate_in(dir.join("").as_path(), &["nc", "gpl", "paths", "records", "simplified"]);
    assert_exit(&o, 1);
    insta::assert_snapshot!(text);
}

#[test]
fn json_output_for_a_contributors_ci() {
    let (o, _) = validate_in(&repo(), &["--format", "json", "fixtures/demo/contributions/moj-laws"]);
    assert_exit(&o, 0);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(json["valid"], true);
    let c = &json["contributions"][0];
    assert_eq!((c["id"].as_str(), c["licence"]["tier"].as_str()), (Some("moj-laws"), Some("public")));
    assert_eq!(c["files"][0]["documents"], 120);
    let (o, _) = validate_in(&repo(), &["--format", "json", "fixtures/demo/contributions/citizen-essays"]);
    assert_exit(&o, 1);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let findings = json["contributions"][0]["findings"].as_array().cloned().unwrap_or_default();
    let finding = findings.iter().find(|f| f["severity"] == "error").cloned().unwrap_or_default();
    assert_eq!((finding["code"].as_str(), finding["line"].as_u64()), (Some("malformed_json"), Some(7)));
}

#[test]
fn pii_is_counted_never_shown() {
    let (o, text) = validate_in(&repo(), &["--format", "json", "fixtures/demo/contributions/agency-memos"]);
    assert_exit(&o, 0);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let pii = &json["contributions"][0]["pii"];
    assert_eq!(
        (pii["EMAIL"].as_u64(), pii["TW_LANDLINE"].as_u64(), pii["PERSON_NAME"].as_u64()),
        (Some(1), Some(1), Some(1))
    );
    for value in ["open-data@example.gov.tw", "2345-6789", "王小明"] {
        assert!(!text.contains(value), "{value} in validate's output");
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_exit(&run(&["validate"]), 2);
    assert_exit(&run(&["validate", "--format", "yaml", "x"]), 2);
}

// ---- Issue 19: the mistakes a new contributor makes, one test each, in both languages. ----

/// A public manifest with `licence` and `files`, plus `extra` lines.
fn manifest(id: &str, licence: &str, files: &str, extra: &str) -> String {
    format!(
        "id = \"{id}\"\ntitle = \"測試\"\ncontributor = \"某機關\"\nlicence = \"{licence}\"\nvisibility = \"public\"\n\
         attribution = \"某機關\"\nlanguage = \"zh-Hant\"\nfiles = {files}\n{extra}"
    )
}

/// A few sentences of real Traditional Chinese prose, enough for every quality rule.
const PROSE: &str = "中華民國憲法第一條規定，中華民國基於三民主義，為民有、民治、民享之民主共和國。\
    主權屬於國民全體，人民無分男女、宗教、種族、階級、黨派，在法律上一律平等。\
    人民有居住及遷徙之自由，有言論、講學、著作及出版之自由，有秘密通訊之自由。";

fn json_line(id: &str, text: &str) -> String {
    format!("{}\n", serde_json::json!({ "id": id, "text": text }))
}

fn both(cwd: &Path, args: &[&str]) -> (Output, String, String) {
    let mut en = vec!["--lang", "en"];
    en.extend_from_slice(args);
    let mut zh = vec!["--lang", "zh-TW"];
    zh.extend_from_slice(args);
    let (o, en_text) = validate_in(cwd, &en);
    let (_, zh_text) = validate_in(cwd, &zh);
    (o, en_text, zh_text)
}

#[test]
fn licences_as_people_write_them_are_accepted_with_a_note() {
    let dir = Dir::new();
    let names = ["CC BY 4.0", "CC-BY 4.0", "cc-by-4.0", "創用CC 姓名標示 4.0", "政府資料開放授權條款第1版"];
    let mut dirs = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let id = format!("c{i}");
        dir.write(&format!("{id}/contribution.toml"), manifest(&id, name, "[\"*.jsonl\"]", "id_field = \"id\"\n"));
        dir.write(&format!("{id}/a.jsonl"), json_line("1", PROSE));
        dirs.push(id);
    }
    let args: Vec<&str> = dirs.iter().map(String::as_str).collect();
    let (o, en, zh) = both(dir.join("").as_path(), &args);
    assert_exit(&o, 0);
    for (name, id) in names.iter().zip(["CC-BY-4.0", "CC-BY-4.0", "CC-BY-4.0", "CC-BY-4.0", "OGDL-Taiwan-1.0"]) {
        assert!(en.contains(&format!("the licence \"{name}\" is accepted as {id}")), "{name}\n{en}");
        assert!(zh.contains(&format!("授權「{name}」會視同 {id} 處理")), "{name}\n{zh}");
    }
    assert!(!en.contains("not an SPDX expression"), "{en}");
    insta::assert_snapshot!("licence_aliases_en", en);
    insta::assert_snapshot!("licence_aliases_zh", zh);
}

#[test]
fn an_unknown_licence_gets_did_you_mean_and_only_admissible_licences() {
    let dir = Dir::new();
    dir.write("a/contribution.toml", manifest("a", "CC-BY-4", "[\"*.jsonl\"]", ""));
    dir.write("a/a.jsonl", json_line("1", PROSE));
    dir.write("b/contribution.toml", manifest("b", "CC BY-NC 4.0", "[\"*.jsonl\"]", ""));
    dir.write("b/a.jsonl", json_line("1", PROSE));
    let (o, en, zh) = both(dir.join("").as_path(), &["a", "b"]);
    assert_exit(&o, 1);
    assert!(en.contains("did you mean CC-BY-4.0"), "{en}");
    assert!(zh.contains("是否應為 CC-BY-4.0"), "{zh}");
    // The hint lists what a public contribution can use: not the non-commercial licences.
    let hint = en.lines().find(|l| l.contains("licences this contribution can use")).unwrap_or_default();
    assert!(hint.contains("CC-BY-4.0") && hint.contains("OGDL-Taiwan-1.0"), "{hint}");
    assert!(!hint.contains("CC-BY-NC-4.0") && !hint.contains("LicenseRef-TW-SAITD-1.0"), "{hint}");
    // An alias of a licence the terms refuse: accepted as its id, then refused by its rule.
    assert!(en.contains("accepted as CC-BY-NC-4.0"), "{en}");
    assert!(en.contains("rule `non_commercial`"), "{en}");
    insta::assert_snapshot!("unknown_licence_en", en);
    insta::assert_snapshot!("unknown_licence_zh", zh);
}

#[test]
fn every_manifest_mistake_in_one_pass() {
    let dir = Dir::new();
    // A misspelt key, a missing key, a quoted date, an empty title, full-width quotes.
    dir.write(
        "m/contribution.toml",
        "id = \"m\"\ntitle = \"\"\ncontributor = “某機關”\nlicnse = \"CC-BY-4.0\"\nvisibility = \"private\"\n\
         attribution = \"某機關\"\nfiles = [\"*.jsonl\"]\n[agreement]\nid = \"A-1\"\nsigned = \"2026-03-01\"\n",
    );
    let (o, en, zh) = both(dir.join("").as_path(), &["m"]);
    assert_exit(&o, 1);
    for code in [
        "manifest_fullwidth_punctuation",
        "manifest_unknown_key",
        "manifest_quoted_date",
        "manifest_missing_key",
        "manifest_empty",
    ] {
        assert!(en.contains(code), "{code}\n{en}");
    }
    assert!(en.contains("did you mean `licence`?"), "{en}");
    assert!(zh.contains("全形") || zh.contains("“"), "{zh}");
    insta::assert_snapshot!("manifest_one_pass_en", en);
    insta::assert_snapshot!("manifest_one_pass_zh", zh);
}

#[test]
fn what_the_pipeline_would_drop_is_previewed_and_strict_fails_on_it() {
    let dir = Dir::new();
    dir.write("d/contribution.toml", manifest("d", "CC-BY-4.0", "[\"*.txt\"]", ""));
    dir.write("d/good.txt", PROSE);
    dir.write(
        "d/english.txt",
        "This manual page describes the command line options of the program in detail, and it is written in English.",
    );
    dir.write("d/short.txt", "臺灣法規。");
    dir.write(
        "d/menu.txt",
        "首頁\n關於我們\n最新消息\n聯絡我們\n網站導覽\n首頁\n關於我們\n最新消息\n聯絡我們\n網站導覽\n",
    );
    let (o, en, zh) = both(dir.join("").as_path(), &["d"]);
    assert_exit(&o, 0);
    assert!(en.contains("1 file of one document each would be dropped: not in Chinese (english.txt)"), "{en}");
    assert!(en.contains("would be dropped: too short (short.txt)"), "{en}");
    assert!(en.contains("menu.txt: 1 document, 1 would be dropped"), "{en}");
    assert!(en.contains("3 of 4 documents would be dropped by the normalize, language and quality checks"), "{en}");
    assert!(!en.contains("good.txt"), "a file without findings has no line: {en}");
    assert!(zh.contains("short.txt：1 份文件，預計剔除 1 份"), "{zh}");
    let (o, strict) = validate_in(dir.join("").as_path(), &["--lang", "en", "--strict", "d"]);
    assert_exit(&o, 1);
    assert!(strict.contains("error[too_short]"), "{strict}");
    // Never a document's text, only where it is.
    assert!(!en.contains("關於我們") && !en.contains("manual page"), "{en}");
    let (o, _) = validate_in(dir.join("").as_path(), &["--format", "json", "d"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let files = json["contributions"][0]["files"].as_array().cloned().unwrap_or_default();
    let short = files.iter().find(|f| f["file"] == "short.txt").cloned().unwrap_or_default();
    assert_eq!(short["would_drop"]["too_short"], 1, "{short}");
    insta::assert_snapshot!("drops_en", en);
    insta::assert_snapshot!("drops_zh", zh);
}

#[test]
fn misleading_cases_get_their_own_messages() {
    let dir = Dir::new();
    // A Big5 manifest: its one Chinese value, 臺灣, in Big5.
    let mut big5 = b"id = \"big5\"\ntitle = \"".to_vec();
    big5.extend_from_slice(&[0xBB, 0x4F, 0xC6, 0x57]);
    big5.extend_from_slice(b"\"\ncontributor = \"x\"\nlicence = \"CC-BY-4.0\"\nvisibility = \"public\"\n");
    dir.write("big5/contribution.toml", big5);
    // A file instead of a folder, and a path that does not exist.
    dir.write("file.jsonl", json_line("1", PROSE));
    // Office documents, a JSON array saved as .jsonl, a missing text column in a CSV.
    dir.write(
        "office/contribution.toml",
        manifest("office", "CC-BY-4.0", "[\"*.docx\", \"*.xlsx\", \"*.pdf\", \"array.jsonl\", \"table.csv\"]", ""),
    );
    for f in ["report.docx", "sheet.xlsx", "scan.pdf"] {
        dir.write(&format!("office/{f}"), "x");
    }
    dir.write("office/array.jsonl", format!("[\n  {{\"text\": \"{PROSE}\"}}\n]\n"));
    dir.write("office/table.csv", format!("標題,內文\n憲法,{PROSE}\n"));
    // Mostly Simplified.
    dir.write("hans/contribution.toml", manifest("hans", "CC-BY-4.0", "[\"*.jsonl\"]", ""));
    dir.write(
        "hans/a.jsonl",
        json_line("1", "这是中国的规定，我们会发现问题。这些规定说明了国家机关的职责与义务，人民应当遵守。"),
    );
    let (o, en, zh) = both(dir.join("").as_path(), &["big5", "file.jsonl", "missing", "office", "hans"]);
    assert_exit(&o, 1);
    assert!(en.contains("saved as Big5"), "{en}");
    assert!(!en.contains("create contribution.toml"), "{en}");
    assert!(en.contains("file.jsonl is a file, not a folder"), "{en}");
    assert!(en.contains("missing does not exist"), "{en}");
    assert!(en.contains("report.docx is a word-processor document"), "{en}");
    assert!(en.contains("sheet.xlsx is a spreadsheet"), "{en}");
    assert!(en.contains("scan.pdf is a PDF"), "{en}");
    assert!(en.contains("array.jsonl is a JSON array, not JSON Lines"), "{en}");
    assert!(en.contains("it has `內文`, `標題`") || en.contains("it has `標題`, `內文`"), "{en}");
    assert!(en.contains("Simplified Chinese"), "{en}");
    assert!(!en.contains("mostly Simplified (80"), "{en}");
    assert!(zh.contains("Big5") && zh.contains("試算表") && zh.contains("JSON 陣列"), "{zh}");
    insta::assert_snapshot!("misleading_en", en);
    insta::assert_snapshot!("misleading_zh", zh);
}

#[test]
fn csv_tsv_and_json_arrays_are_read_as_records() {
    let dir = Dir::new();
    dir.write(
        "t/contribution.toml",
        manifest(
            "t",
            "CC-BY-4.0",
            "[\"*.csv\", \"*.tsv\", \"*.json\"]",
            "text_field = \"內文\"\nid_field = \"編號\"\n",
        ),
    );
    // Excel's "CSV UTF-8": a BOM, CRLF, a quoted field with a comma, a quote and a line break.
    dir.write(
        "t/a.csv",
        format!("\u{feff}編號,標題,內文\r\n1,憲法,\"{PROSE}\"\r\n2,\"含,逗號\",\"他說：\"\"{PROSE}\"\"\n第二行\"\r\n"),
    );
    dir.write("t/b.tsv", format!("編號\t內文\n3\t{PROSE}\n"));
    dir.write(
        "t/c.json",
        format!("[\n  {{\"編號\": 4, \"內文\": \"{PROSE}\"}},\n  {{\"編號\": 5, \"內文\": \"{PROSE}\"}}\n]\n"),
    );
    let (o, text) = validate_in(dir.join("").as_path(), &["--lang", "en", "-v", "t"]);
    assert_exit(&o, 0);
    for line in ["a.csv: 2 documents", "b.tsv: 1 document", "c.json: 2 documents"] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    // The same files through a run: every record becomes a document, none is dropped at ingest.
    let d = Dir::new();
    d.write(
        "contributions/t/contribution.toml",
        manifest(
            "t",
            "CC BY 4.0",
            "[\"*.csv\", \"*.tsv\", \"*.json\"]",
            "text_field = \"內文\"\nid_field = \"編號\"\n",
        ),
    );
    for f in ["a.csv", "b.tsv", "c.json"] {
        std::fs::copy(dir.join(&format!("t/{f}")), d.join(&format!("contributions/t/{f}"))).expect("copy");
    }
    let config = d.pipeline("");
    let o = run(&["run", config.to_str().unwrap_or_default(), "--no-progress"]);
    assert_exit(&o, 0);
    let rows = ledger(&d.join("out"));
    let ingest_drops = rows.iter().filter(|r| r.stage == "ingest" && r.reason.is_some()).count();
    assert_eq!(ingest_drops, 0, "{rows:?}");
    assert_eq!(rows.len(), 5, "{rows:?}");
}

#[test]
fn many_files_without_findings_are_one_line_and_two_ids_are_an_error() {
    let dir = Dir::new();
    dir.write("many/contribution.toml", manifest("same", "CC-BY-4.0", "[\"*.txt\"]", ""));
    for i in 0..150 {
        dir.write(&format!("many/{i:03}.txt"), PROSE);
    }
    dir.write("other/contribution.toml", manifest("same", "CC-BY-4.0", "[\"*.txt\"]", ""));
    dir.write("other/a.txt", PROSE);
    let (o, en, zh) = both(dir.join("").as_path(), &["many", "other"]);
    assert_exit(&o, 1);
    assert!(en.lines().count() < 15, "{en}");
    assert!(en.contains("150 more files without findings (150 documents"), "{en}");
    assert!(en.contains("another contribution, many, has the same id `same`"), "{en}");
    assert!(zh.contains("另一份貢獻資料 many 也使用 id `same`"), "{zh}");
    let (_, verbose) = validate_in(dir.join("").as_path(), &["--lang", "en", "-v", "many"]);
    assert!(verbose.lines().count() > 150, "--verbose lists every file");
}

#[test]
fn the_locale_chooses_the_language_and_the_flag_wins() {
    let (o, _) = validate_in(&repo(), &["fixtures/demo/contributions/moj-laws"]);
    assert!(stdout(&o).starts_with("valid "), "{}", stdout(&o));
    let o = corpus()
        .current_dir(repo())
        .env("LANG", "zh_TW.UTF-8")
        .args(["validate", "fixtures/demo/contributions/moj-laws"])
        .output()
        .expect("spawn");
    assert!(stdout(&o).starts_with("通過 "), "{}", stdout(&o));
    let o = corpus()
        .current_dir(repo())
        .env("LC_ALL", "zh_TW.UTF-8")
        .args(["validate", "--lang", "en", "fixtures/demo/contributions/moj-laws"])
        .output()
        .expect("spawn");
    assert!(stdout(&o).starts_with("valid "), "{}", stdout(&o));
    // JSON keeps the English codes beside the localized text.
    let (o, _) =
        validate_in(&repo(), &["--lang", "zh-TW", "--format", "json", "fixtures/demo/contributions/citizen-essays"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(json["lang"], "zh-TW");
    let f = json["contributions"][0]["findings"].as_array().cloned().unwrap_or_default();
    let malformed = f.iter().find(|f| f["code"] == "malformed_json").cloned().unwrap_or_default();
    assert_eq!(malformed["message"], "這一行不是完整的 JSON 物件", "{malformed}");
    assert_exit(&run(&["validate", "--lang", "fr", "x"]), 2);
}

#[test]
fn the_json_output_matches_its_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schemas/validate-report.schema.json")).expect("schema"),
    )
    .expect("schema json");
    let (o, _) = validate_in(&repo(), &["--format", "json", "fixtures/demo/contributions/citizen-essays", "nowhere"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    check_schema(&schema, &schema, &json, "$");
}

/// The part of JSON Schema the report's schema uses: type, required, properties,
/// additionalProperties, items, enum, $ref to #/$defs. A key the schema does not list fails.
fn check_schema(root: &serde_json::Value, schema: &serde_json::Value, v: &serde_json::Value, at: &str) {
    use serde_json::Value;
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/$defs/");
        return check_schema(root, &root["$defs"][name], v, at);
    }
    if let Some(any) = schema["anyOf"].as_array() {
        // The report's schema uses anyOf only as "this, or null".
        if !v.is_null() {
            check_schema(root, &any[0], v, at);
        }
        return;
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let kind = match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    assert!(
        types.is_empty() || types.contains(&kind) || (kind == "integer" && types.contains(&"number")),
        "{at}: {kind} where the schema says {types:?}"
    );
    if let Some(e) = schema["enum"].as_array() {
        assert!(e.contains(v), "{at}: {v} not in {e:?}");
    }
    if let Value::Object(o) = v {
        for r in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            assert!(o.contains_key(r), "{at}: `{r}` is required");
        }
        for (k, x) in o {
            match schema["properties"].get(k) {
                Some(s) => check_schema(root, s, x, &format!("{at}.{k}")),
                None => match &schema["additionalProperties"] {
                    Value::Bool(false) | Value::Null => panic!("{at}: `{k}` is not in the schema"),
                    Value::Bool(true) => {}
                    s => check_schema(root, s, x, &format!("{at}.{k}")),
                },
            }
        }
    }
    if let Value::Array(items) = v {
        for (i, x) in items.iter().enumerate() {
            check_schema(root, &schema["items"], x, &format!("{at}[{i}]"));
        }
    }
}

#[test]
fn init_writes_a_template_that_validate_then_guides() {
    let dir = Dir::new();
    dir.write("my-data/data/a.csv", format!("編號,內文\n1,{PROSE}\n"));
    dir.write("my-data/notes.docx", "x");
    for lang in ["en", "zh-TW"] {
        let o = corpus()
            .current_dir(dir.join(""))
            .args(["init", "--lang", lang, "--force", "my-data"])
            .output()
            .expect("spawn");
        assert_exit(&o, 0);
        let toml = std::fs::read_to_string(dir.join("my-data/contribution.toml")).expect("written");
        assert!(toml.contains("files = [\"data/*.csv\"]") && toml.contains("text_field = \"內文\""), "{toml}");
        assert!(toml.contains("id_field = \"編號\"") && toml.contains("notes.docx"), "{toml}");
        if lang == "zh-TW" {
            assert!(toml.contains("# contribution.toml：這份貢獻資料的說明檔"), "{toml}");
            insta::assert_snapshot!("init_template_zh", toml);
        } else {
            insta::assert_snapshot!("init_template_en", toml);
        }
        // validate then names exactly what is left to fill in.
        let (o, text) = validate_in(dir.join("").as_path(), &["--lang", lang, "my-data"]);
        assert_exit(&o, 1);
        assert_eq!(text.matches("[manifest_empty]").count(), 3, "{text}");
        assert!(text.contains("[licence_unknown]"), "{text}");
    }
    // An existing manifest is kept without --force.
    let o = corpus().current_dir(dir.join("")).args(["init", "my-data"]).output().expect("spawn");
    assert_exit(&o, 2);
}
