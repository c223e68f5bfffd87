//! `corpus tokenize` (tokenize + shard alone) and `corpus tokenizer train|compare`.

use std::time::Instant;

use corpus_core::pipeline;
use corpus_core::tokenize::{self, TextTokenizer, TokenizeConfig, TrainOptions};

use super::{human_bytes, pool};
use crate::ExitStatus;
use crate::cli::{GlobalArgs, OutputFormat, TokenizeArgs, TokenizerCommand, TokenizerCompareArgs, TokenizerTrainArgs};

/// A TOML string literal (paths may hold quotes or backslashes).
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

pub fn tokenize(args: TokenizeArgs, global: &GlobalArgs) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    // Through the same `[tokenize]` and `[shard]` tables as a pipeline.toml: checked, hashed
    // and recorded the same way. No dedup: this command tokenizes what it is given.
    let tokenizer = std::path::absolute(&args.tokenizer).unwrap_or(args.tokenizer.clone());
    let mut config = format!(
        "[dedup]\nenabled = false\n[tokenize]\ntokenizer = {}\nbos = {}\neos = {}\n",
        toml_str(&tokenizer.to_string_lossy()),
        toml_str(&args.bos),
        toml_str(&args.eos)
    );
    if let Some(n) = args.seq_len {
        config.push_str(&format!("seq_len = {n}\ntail = \"{}\"\n", args.tail.as_str()));
    }
    config.push_str(&format!(
        "[shard]\nvalidation_fraction = {:?}\nseed = {}\nshuffle = {}\ntarget_tokens = {}\n",
        args.validation_fraction,
        args.seed,
        !args.no_shuffle,
        args.target_tokens.max(1)
    ));
    let plan = pipeline::plan_files(&args.input, &args.output, &config, &args.text_field, args.id_field.as_deref())?;
    let options = args.existing.options(false, None);
    let how = super::run::Invocation { command: "tokenize", threads: args.threads, started, json: args.json };
    super::run::execute(&plan, &[], options, global, how)
}

pub fn tokenizer(cmd: TokenizerCommand, global: &GlobalArgs) -> anyhow::Result<ExitStatus> {
    match cmd {
        TokenizerCommand::Train(args) => train(args, global),
        TokenizerCommand::Compare(args) => compare(args, global),
    }
}

fn train(args: TokenizerTrainArgs, global: &GlobalArgs) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    let texts = tokenize::read_texts(&args.input, &args.text_field, args.max_megabytes.saturating_mul(1 << 20))?;
    let bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
    let options = TrainOptions {
        vocab_size: args.vocab_size,
        min_frequency: args.min_frequency,
        special_tokens: args.special_tokens.clone(),
    };
    let documents = texts.len();
    let json = pool(args.threads)?.install(|| tokenize::train(texts.into_iter(), &options))?;
    corpus_core::shard::write_atomic(&args.output, &json)?;
    let trained = TextTokenizer::load(&args.output, &TokenizeConfig::default())?;
    if !global.quiet {
        let info = trained.info();
        outln!(
            "corpus tokenizer train: {documents} documents, {} of text in {:.1}s → {} (vocab {}, eos {}, sha256 {})",
            human_bytes(bytes),
            started.elapsed().as_secs_f64(),
            args.output.display(),
            info.vocab_size,
            info.eos.as_ref().map_or("none", |t| t.token.as_str()),
            &info.sha256[..12]
        )?;
    }
    Ok(ExitStatus::Success)
}

fn compare(args: TokenizerCompareArgs, global: &GlobalArgs) -> anyhow::Result<ExitStatus> {
    let texts = tokenize::read_texts(&args.input, &args.text_field, args.max_megabytes.saturating_mul(1 << 20))?;
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let pool = pool(args.threads)?;
    let mut rows = Vec::new();
    for path in &args.tokenizers {
        let tok = TextTokenizer::load(path, &TokenizeConfig::default())?;
        let started = Instant::now();
        let eff = pool.install(|| tokenize::chars_per_token(&tok, &refs))?;
        let secs = started.elapsed().as_secs_f64();
        rows.push((tok.info().clone(), eff, secs));
    }
    let bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
    if args.format == OutputFormat::Json {
        let json: Vec<serde_json::Value> = rows
            .iter()
            .map(|(info, eff, secs)| {
                serde_json::json!({
                    "tokenizer": info.name, "sha256": info.sha256, "vocab_size": info.vocab_size,
                    "documents": eff.documents, "characters": eff.characters, "tokens": eff.tokens,
                    "chars_per_token": eff.chars_per_token(), "seconds": secs,
                })
            })
            .collect();
        outln!("{}", serde_json::to_string_pretty(&json)?)?;
        return Ok(ExitStatus::Success);
    }
    if global.quiet {
        return Ok(ExitStatus::Success);
    }
    let docs = rows.first().map_or(0, |r| r.1.documents);
    let chars = rows.first().map_or(0, |r| r.1.characters);
    outln!("corpus tokenizer compare: {docs} documents, {chars} characters, {} of text", human_bytes(bytes))?;
    outln!(
        "  {:<28} {:>8} {:>12} {:>12} {:>10} {:>8}",
        "tokenizer",
        "vocab",
        "tokens",
        "chars/token",
        "vs first",
        "MB/s"
    )?;
    let first = rows.first().map_or(1, |r| r.1.tokens.max(1));
    for (info, eff, secs) in &rows {
        outln!(
            "  {:<28} {:>8} {:>12} {:>12.3} {:>9.1}% {:>8.1}",
            info.name,
            info.vocab_size,
            eff.tokens,
            eff.chars_per_token(),
            100.0 * eff.tokens as f64 / first as f64,
            bytes as f64 / 1e6 / secs.max(1e-9)
        )?;
    }
    Ok(ExitStatus::Success)
}
