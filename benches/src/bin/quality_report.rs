//! `cargo run --release -p corpus-benches --bin quality_report [laws.jsonl.zst] [junk.jsonl]`:
//! how the default normalize + quality rules do on the laws corpus (kept share, drops per rule)
//! and on the labelled junk set (dropped share per category), plus the laws' signal percentiles
//! that the defaults were tuned against.

use std::path::PathBuf;

use corpus_benches::quality::{evaluate, read_docs};
use corpus_core::normalize::NormalizeConfig;
use corpus_core::quality::QualityConfig;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let laws = args.next().map(PathBuf::from).unwrap_or_else(corpus_benches::laws_path);
    let junk = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/quality/junk.jsonl")));
    let (normalize, quality) = (NormalizeConfig::default(), QualityConfig::default());
    let mut docs = read_docs(&laws, "law")?;
    let n_laws = docs.len();
    docs.extend(read_docs(&junk, "junk")?);
    let (tally, outcomes) = evaluate(&docs, &normalize, &quality);
    println!("{:<24} {:>6} {:>8} {:>8}", "label", "docs", "dropped", "share");
    for (label, (n, dropped)) in &tally.per_label {
        println!("{label:<24} {n:>6} {dropped:>8} {:>7.2}%", 100.0 * *dropped as f64 / *n as f64);
    }
    let junk: (u64, u64) =
        tally.per_label.iter().filter(|(l, _)| *l != "law").fold((0, 0), |a, (_, (n, d))| (a.0 + n, a.1 + d));
    let law = tally.per_label.get("law").copied().unwrap_or_default();
    println!(
        "\nlaws kept {:.2}% ({} of {}), junk dropped {:.2}% ({} of {})",
        100.0 * (law.0 - law.1) as f64 / law.0.max(1) as f64,
        law.0 - law.1,
        law.0,
        100.0 * junk.1 as f64 / junk.0.max(1) as f64,
        junk.1,
        junk.0
    );
    println!("\ndrops per reason:");
    for (label, reasons) in &tally.reasons {
        println!("  {label}: {reasons:?}");
    }
    println!("\nlaws dropped (id: stage reason detail):");
    for (d, o) in docs[..n_laws].iter().zip(&outcomes) {
        if let Some((stage, reason, detail)) = &o.dropped {
            println!("  {}: {stage} {reason} {detail}", d.id);
        }
    }
    println!("\njunk kept (id):");
    for (d, o) in docs[n_laws..].iter().zip(&outcomes[n_laws..]) {
        if o.dropped.is_none() {
            println!("  {} {:?}", d.id, o.signals);
        }
    }
    // Percentiles of each signal over the kept laws: what the thresholds were set against.
    let kept: Vec<_> = outcomes[..n_laws].iter().filter(|o| o.dropped.is_none()).map(|o| o.signals).collect();
    type Signal = (&'static str, fn(&corpus_core::quality::Signals) -> f64);
    let signals: [Signal; 15] = [
        ("chars", |s| s.chars as f64),
        ("cjk_share", |s| s.cjk_share),
        ("duplicate_lines", |s| s.duplicate_lines),
        ("duplicate_line_chars", |s| s.duplicate_line_chars),
        ("duplicate_paragraphs", |s| s.duplicate_paragraphs),
        ("duplicate_paragraph_chars", |s| s.duplicate_paragraph_chars),
        ("top_2gram", |s| s.top_2gram),
        ("top_3gram", |s| s.top_3gram.unwrap_or(0.0)),
        ("top_4gram", |s| s.top_4gram.unwrap_or(0.0)),
        ("symbols", |s| s.symbols),
        ("punctuation", |s| s.punctuation),
        ("terminated_chars", |s| s.terminated_chars),
        ("boilerplate_chars", |s| s.boilerplate_chars),
        ("single_char_words", |s| s.single_char_words),
        ("function_words", |s| f64::from(s.function_words)),
    ];
    println!("\nkept laws, signal percentiles (min p1 p50 p99 max):");
    for (name, f) in signals {
        let mut v: Vec<f64> = kept.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        let p = |q: f64| v.get(((v.len().saturating_sub(1)) as f64 * q) as usize).copied().unwrap_or(0.0);
        println!("  {name:<26} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.3}", p(0.0), p(0.01), p(0.5), p(0.99), p(1.0));
    }
    Ok(())
}
