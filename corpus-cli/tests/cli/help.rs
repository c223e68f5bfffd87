//! `corpus --help` and every subcommand's help, with their examples, as a user sees them
//! (snapshots: a changed flag or example shows up in review).

use crate::util::*;

#[test]
fn every_help_page_with_its_examples() {
    let pages: [&[&str]; 14] = [
        &[],
        &["run"],
        &["plan"],
        &["stage"],
        &["status"],
        &["inspect"],
        &["report"],
        &["validate"],
        &["dedup"],
        &["tokenize"],
        &["tokenizer"],
        &["tokenizer", "train"],
        &["tokenizer", "compare"],
        &["redact"],
    ];
    for page in pages {
        let mut args = page.to_vec();
        args.push("--help");
        let o = corpus().args(&args).env_remove("COLUMNS").output().expect("spawn");
        assert_exit(&o, 0);
        let text = stdout(&o);
        assert!(text.contains("Examples:\n  corpus "), "`corpus {}` has no examples", page.join(" "));
        let name = if page.is_empty() { "corpus".to_string() } else { format!("corpus-{}", page.join("-")) };
        insta::assert_snapshot!(name, text);
    }
}
