//! The licence stage inside `corpus run`: tiers, exclusions with their rule, withdrawals,
//! expiry, share-alike shards kept apart, and the attribution files.

use crate::util::*;

fn contribution(dir: &Dir, id: &str, licence: &str, visibility: &str, extra: &str) {
    dir.write(
        &format!("contributions/{id}/contribution.toml"),
        format!(
            "id = \"{id}\"\ntitle = \"{id} 標題\"\ncontributor = \"{id} 機關\"\nlicence = \"{licence}\"\nvisibility = \"{visibility}\"\n\
             attribution = \"{id} 機關 2026 資料集 v1\"\nlanguage = \"zh-Hant\"\nfiles = [\"*.jsonl\"]\nid_field = \"id\"\n{extra}"
        ),
    );
    dir.write(&format!("contributions/{id}/a.jsonl"), jsonl(id, 3));
}

fn corpus_with_licences() -> Dir {
    let dir = Dir::new();
    contribution(&dir, "gov", "OGDL-Taiwan-1.0", "public", "");
    contribution(&dir, "wiki", "CC-BY-SA-4.0", "public", "");
    contribution(&dir, "nc", "CC-BY-NC-4.0", "public", "");
    contribution(&dir, "nd", "CC-BY-ND-4.0", "public", "");
    contribution(&dir, "dual", "CC-BY-NC-4.0 OR MIT", "public", "");
    let agreement = |expires: &str| format!("[agreement]\nid = \"A-1\"\nsigned = 2026-01-01\nexpires = {expires}\n");
    contribution(&dir, "memos", "LicenseRef-TW-SAITD-1.0", "private", &agreement("2029-02-28"));
    contribution(&dir, "old", "LicenseRef-TW-SAITD-1.0", "private", &agreement("2026-06-30"));
    contribution(&dir, "leaver", "CC-BY-4.0", "public", "");
    dir.write(
        "withdrawals.toml",
        "[[withdrawal]]\ncontribution = \"leaver\"\ndate = 2026-09-01\nreason = \"the contributor asked\"\n\n\
         [[withdrawal]]\ndoc_id = \"gov/gov-1\"\ndate = 2026-10-01\nreason = \"superseded\"\n\n\
         [[withdrawal]]\ndoc_id = \"gov/gov-2\"\ndate = 2027-01-01\nreason = \"not yet\"\n",
    );
    dir.write(
        "pipeline.toml",
        "inputs = [\"contributions/*\"]\noutput = \"out\"\nwithdrawals = \"withdrawals.toml\"\n[licence]\nrun_date = 2026-11-24\n",
    );
    dir
}

#[test]
fn tiers_exclusions_and_withdrawals_reach_the_ledger_and_shards() {
    let dir = corpus_with_licences();
    let o = run(&["run", dir.join("pipeline.toml").to_str().expect("utf8")]);
    assert_exit(&o, 0);
    let out = dir.join("out");
    let rows = ledger(&out);
    let fate = |doc: &str| {
        let r = rows.iter().find(|r| r.doc_id == doc).unwrap_or_else(|| panic!("{doc} not in the ledger"));
        (r.decision.clone(), r.reason.clone().unwrap_or_default(), r.detail.clone().unwrap_or_default())
    };
    assert_eq!(fate("gov/gov-0").0, "kept");
    assert_eq!(fate("gov/gov-1"), ("dropped".into(), "withdrawn".into(), "withdrawn on 2026-10-01: superseded".into()));
    assert_eq!(fate("gov/gov-2").0, "kept", "a withdrawal dated after the run date does not apply yet");
    assert_eq!(fate("leaver/leaver-0").1, "withdrawn");
    let nc = fate("nc/nc-0");
    assert_eq!(
        (nc.1.as_str(), nc.2.starts_with("rule `non_commercial` (CC-BY-NC-4.0)")),
        ("licence_excluded", true),
        "{nc:?}"
    );
    assert!(fate("old/old-0").2.starts_with("rule `agreement_expired`"), "{:?}", fate("old/old-0"));
    let tier = |doc: &str| rows.iter().find(|r| r.doc_id == doc).and_then(|r| r.tier.clone()).unwrap_or_default();
    assert_eq!(tier("gov/gov-0"), "public");
    assert_eq!(tier("dual/dual-0"), "public", "OR takes the most permissive branch (MIT)");
    assert_eq!(tier("wiki/wiki-0"), "public-share-alike");
    assert_eq!(tier("nd/nd-0"), "restricted");
    assert_eq!(tier("memos/memos-0"), "restricted");

    // Share-alike documents have shards of their own; private ones never reach a public shard.
    let shard = |dir: &str| shard_docs(&out.join(format!("{dir}/data/train-00000-of-00001.parquet")));
    let ids = |docs: Vec<(String, String)>| {
        docs.into_iter()
            .map(|d| d.0.split('/').next().unwrap_or("").to_string())
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(ids(shard("public")), ["dual", "gov"].map(String::from).into());
    assert_eq!(ids(shard("public-share-alike/CC-BY-SA-4.0")), ["wiki"].map(String::from).into());
    assert_eq!(ids(shard("restricted")), ["memos", "nd"].map(String::from).into());

    let m = manifest(&out);
    assert_eq!(m["run_date"], "2026-11-24");
    assert_eq!(m["tiers"]["public-share-alike"]["licences"]["CC-BY-SA-4.0"], 3);
    let contributions = m["contributions"].as_array().expect("contributions");
    let nc = contributions.iter().find(|c| c["id"] == "nc").expect("nc");
    assert_eq!((nc["tier"].as_str(), nc["rule"].as_str()), (Some("excluded"), Some("non_commercial")));

    // Attribution: the licence's own wording, OGDL's exhibit included; checked by inspect.
    let md = std::fs::read_to_string(out.join("attribution/ATTRIBUTION.md")).expect("ATTRIBUTION.md");
    assert!(
        md.contains(
            "gov 機關 2026 資料集 v1  \n此開放資料依政府資料開放授權條款 (Open Government Data License) 進行公眾釋出"
        ),
        "{md}"
    );
    assert!(
        md.contains("The Open Data is made available to the public under the Open Government Data License"),
        "{md}"
    );
    assert!(!md.contains("(`nc`)") && !md.contains("(`leaver`)"), "contributions without documents are not attributed");
    assert_exit(&run(&["inspect", out.to_str().expect("utf8"), "-q"]), 0);
}

#[test]
fn a_registry_or_terms_change_changes_the_config_hash() {
    let dir = corpus_with_licences();
    let config = dir.join("pipeline.toml");
    assert_exit(&run(&["run", config.to_str().expect("utf8"), "-q"]), 0);
    let before = manifest(&dir.join("out"))["config_hash"].clone();
    dir.write("withdrawals.toml", "");
    assert_exit(&run(&["run", config.to_str().expect("utf8"), "-q", "--force"]), 0);
    assert_ne!(manifest(&dir.join("out"))["config_hash"], before, "the withdrawal list is part of the config");
}

#[test]
fn a_bad_withdrawal_list_is_a_config_error_with_its_line() {
    let dir = corpus_with_licences();
    dir.write("withdrawals.toml", "[[withdrawal]]\ncontribution = \"gov\"\ndate = 2026-10-01\nreson = \"typo\"\n");
    let o = run(&["run", dir.join("pipeline.toml").to_str().expect("utf8")]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("withdrawals.toml:4") && stderr(&o).contains("reson"), "{}", stderr(&o));
}
