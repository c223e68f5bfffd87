//! The bars of the normalize and quality stages, on real data: the laws corpus is kept, the
//! labelled junk set is dropped, conversion agrees with OpenCC, segmentation with jieba-hant.

use corpus_benches::quality::{conversion_report, evaluate, read_docs, segmentation_report};
use corpus_core::normalize::NormalizeConfig;
use corpus_core::quality::QualityConfig;

#[test]
fn laws_are_kept_and_junk_is_dropped() {
    let laws = corpus_benches::laws_path();
    if !laws.exists() {
        eprintln!("skipped: {} is not here (CI has ../shared beside the repository)", laws.display());
        return;
    }
    let mut docs = read_docs(&laws, "law").expect("laws");
    let junk = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/quality/junk.jsonl");
    docs.extend(read_docs(&junk, "junk").expect("junk"));
    let (tally, _) = evaluate(&docs, &NormalizeConfig::default(), &QualityConfig::default());
    let (laws, laws_dropped) = tally.per_label["law"];
    assert_eq!(laws, 11_547);
    let kept = 1.0 - laws_dropped as f64 / laws as f64;
    assert!(kept >= 0.99, "laws kept {kept:.4}: {:?}", tally.reasons.get("law"));
    for (label, (n, dropped)) in tally.per_label.iter().filter(|(l, _)| *l != "law") {
        assert_eq!(*n, 40, "{label}");
        assert!(*dropped as f64 / *n as f64 >= 0.9, "{label}: {dropped} of {n} dropped");
    }
    let (n, dropped) =
        tally.per_label.iter().filter(|(l, _)| *l != "law").fold((0, 0), |a, (_, v)| (a.0 + v.0, a.1 + v.1));
    assert!(dropped as f64 / n as f64 >= 0.95, "junk dropped {dropped} of {n}");
}

#[test]
fn conversion_agrees_with_opencc() {
    let rows = conversion_report().expect("fixtures/script/opencc-ref.jsonl");
    let (_, s2tw, s2tw_chars) = &rows[0];
    assert!(*s2tw >= 0.985 && *s2tw_chars >= 0.999, "{rows:?}");
    let (_, s2twp, _) = &rows[1];
    assert!(*s2twp >= 0.98, "{rows:?}");
}

#[test]
fn segmentation_of_traditional_text_beats_the_raw_dictionary() {
    let rows = segmentation_report().expect("fixtures/segmentation/seg-ref.jsonl");
    let (ours, raw) = (rows[0].3, rows[1].3);
    assert!(ours >= 0.9 && ours > raw + 0.1, "{rows:?}");
}
