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
    let finding = &json["contributions"][0]["findings"][0];
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
