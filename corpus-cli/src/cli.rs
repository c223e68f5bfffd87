//! Command-line definitions (clap derive): one `Args` struct per subcommand.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Turn Traditional-Chinese text contributions into a clean, licence-compliant, deduplicated,
/// training-ready Parquet corpus.
#[derive(Debug, Parser)]
#[command(name = "corpus", version, about, propagate_version = true, after_help = EXAMPLES)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Log what happens (-v: info, -vv: debug); RUST_LOG overrides. Hides progress bars.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Never draw progress bars (they are also hidden when stderr is not a terminal).
    #[arg(long, global = true)]
    pub no_progress: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the whole pipeline described by a pipeline.toml.
    #[command(after_help = RUN_EXAMPLES)]
    Run(RunArgs),
    /// Check the inputs and write the resolved plan (<output>/.work/plan.json) without running
    /// a step: then run each step with `corpus stage`, on this machine or a cluster.
    #[command(after_help = PLAN_EXAMPLES)]
    Plan(PlanArgs),
    /// Run one step's share of tasks from a plan.json (`--rank R --world-size N`): tasks whose
    /// index is R modulo N; a task already done does nothing.
    #[command(after_help = STAGE_EXAMPLES)]
    Stage(StageArgs),
    /// Show each step's done and total tasks of a run in progress.
    #[command(after_help = STATUS_EXAMPLES)]
    Status(StatusArgs),
    /// Summarize a dataset and verify every checksum (exit 1 on a mismatch).
    #[command(after_help = INSPECT_EXAMPLES)]
    Inspect(InspectArgs),
    /// Write a dataset's report again: report/index.html (charts, for people) and
    /// report/report.json (the same numbers). Every `corpus run` writes it too.
    #[command(after_help = REPORT_EXAMPLES)]
    Report(ReportArgs),
    /// Query a dataset with SQL (DataFusion): shards, ledger, attribution, clusters and
    /// contributions as tables, the stage kernels as functions. Runs the corpus-sql program
    /// (`corpus sql --help` shows its own options).
    #[command(disable_help_flag = true, after_help = SQL_EXAMPLES)]
    Sql(SqlArgs),
    /// Check contribution directories before submitting them (exit 1 if one is invalid), in
    /// Traditional Chinese or English: every problem in one pass, and what a run would drop.
    #[command(after_help = VALIDATE_EXAMPLES)]
    Validate(ValidateArgs),
    /// Write a commented contribution.toml for a folder of data files, filled in with what can
    /// be inferred (files, formats, text fields); the rest is marked TODO.
    #[command(after_help = INIT_EXAMPLES)]
    Init(InitArgs),
    /// Remove exact and near duplicates (MinHash LSH) from JSONL or Parquet files: writes the
    /// kept documents as Parquet shards, `clusters.parquet`, the ledger and an LSH index.
    #[command(after_help = DEDUP_EXAMPLES)]
    Dedup(DedupArgs),
    /// Tokenize JSONL or Parquet files with a tokenizer.json and write training shards: split
    /// into train/validation, shuffled, optionally packed into fixed-length sequences.
    #[command(after_help = TOKENIZE_EXAMPLES)]
    Tokenize(TokenizeArgs),
    /// Train a byte-level BPE tokenizer on a corpus, or compare tokenizers on one.
    #[command(subcommand, after_help = TOKENIZER_EXAMPLES)]
    Tokenizer(TokenizerCommand),
    /// Redact personal data in a JSONL or Parquet file: every field kept, `text` redacted, a
    /// `pii` list of {type, start, end} added (exit 1 if a record could not be read).
    #[command(after_help = REDACT_EXAMPLES)]
    Redact(RedactArgs),
}

// Examples at the end of each `--help` (snapshot-tested; every line that starts with `  corpus `
// is parsed by the unit test below, so an example cannot name a flag that is gone).
const EXAMPLES: &str = "Examples:
  corpus validate contributions/moj-laws
      check a contribution before submitting it (exit 1 if it is invalid)
  corpus run pipeline.toml
      the whole pipeline, into the config's output directory
  corpus run pipeline.toml --resume
      continue after Ctrl-C or a crash: finished tasks are not redone, same bytes
  corpus inspect out/demo
      summarize a dataset and verify every checksum
  corpus dedup --input a.jsonl b.jsonl --output deduped --id-field id
      near-duplicate removal alone
  corpus tokenize --input docs.jsonl --tokenizer tokenizer.json --output tok --seq-len 2048
      tokenize and pack into training sequences alone

Exit codes: 0 done, 1 bad data or a dataset that fails its checks, 2 bad usage or configuration,
130 interrupted (the line printed says how to resume).";

const RUN_EXAMPLES: &str = "Examples:
  corpus run fixtures/demo/pipeline.toml
  corpus run pipeline.toml --output /data/release-2026-12 --threads 16
  corpus run pipeline.toml --resume
      continue an interrupted run, or check that a finished one is complete
  corpus run pipeline.toml --force
      rebuild a finished dataset (files corpus did not write stay)
  corpus run pipeline.toml --against /data/release-2026-06
      drop what the previous release already holds";

const PLAN_EXAMPLES: &str = "Examples:
  corpus plan pipeline.toml --output /shared/release
  corpus stage ingest /shared/release/.work/plan.json --rank 0 --world-size 4
  corpus status /shared/release";

const STAGE_EXAMPLES: &str = "Examples:
  corpus stage ingest out/.work/plan.json
      every ingest task, on this machine
  corpus stage ingest out/.work/plan.json --rank 2 --world-size 8
      tasks 2, 10, 18, ... of the ingest step
  corpus stage finalize out
      the last step: manifest, attribution; removes .work/";

const STATUS_EXAMPLES: &str = "Examples:
  corpus status out
  corpus status out --format json";

const REPORT_EXAMPLES: &str = "Examples:
  corpus report out/demo
      then open out/demo/report/index.html in a browser (it needs no network)";

const SQL_EXAMPLES: &str = "Examples:
  corpus sql out/demo \"SELECT tier, count(*) AS docs, sum(n_tokens) AS tokens FROM shards GROUP BY tier\"
      one query, printed as an aligned table
  corpus sql out/demo
      an interactive prompt with history
  corpus sql --help
      corpus-sql's own help: its tables, functions, --format csv|json|jsonl|parquet

corpus-sql is built beside corpus by `cargo build --release --workspace` (or installed with
`cargo install --path corpus-sql`); DataFusion is kept out of the corpus build itself.";

const INSPECT_EXAMPLES: &str = "Examples:
  corpus inspect out/demo
  corpus inspect out/demo --no-verify
      skip the checksums (fast on a large dataset)";

const VALIDATE_EXAMPLES: &str = "Examples:
  corpus validate contributions/moj-laws
  corpus validate contributions/*
  corpus validate contributions/moj-laws --lang en
      messages in English (default: the locale's language; zh-TW for a Chinese locale)
  corpus validate contributions/moj-laws --strict
      exit 1 also when the pipeline would drop documents
  corpus validate contributions/moj-laws --format json";

const INIT_EXAMPLES: &str = "Examples:
  corpus init contributions/my-data
      writes contributions/my-data/contribution.toml; then fill in the TODOs and run
  corpus validate contributions/my-data";

const DEDUP_EXAMPLES: &str = "Examples:
  corpus dedup --input crawl.jsonl.zst --output deduped
  corpus dedup --input a.jsonl b.jsonl --output deduped --id-field id --threshold 0.8 --num-perm 128 --bands 16
  corpus dedup --input new.jsonl --output deduped --against /data/release-2026-06
      drop what a previous release already holds (its text is not read)";

const TOKENIZE_EXAMPLES: &str = "Examples:
  corpus tokenize --input docs.jsonl --tokenizer breeze/tokenizer.json --output tok
  corpus tokenize --input docs.jsonl --tokenizer qwen3/tokenizer.json --output tok --seq-len 2048 --tail pad
  corpus tokenize --input docs.parquet --tokenizer tokenizer.json --output tok --bos none --eos auto --no-shuffle";

const TOKENIZER_EXAMPLES: &str = "Examples:
  corpus tokenizer train --input laws.jsonl --vocab-size 32000 --output laws-bpe.json
  corpus tokenizer compare --input laws.jsonl --tokenizer breeze/tokenizer.json --tokenizer laws-bpe.json";

const TRAIN_EXAMPLES: &str = "Examples:
  corpus tokenizer train --input laws.jsonl --vocab-size 32000 --output laws-bpe.json
  corpus tokenizer train --input out/demo --vocab-size 64000 --output bpe.json --special-token '<|endoftext|>' --special-token '<pad>'";

const COMPARE_EXAMPLES: &str = "Examples:
  corpus tokenizer compare --input laws.jsonl --tokenizer breeze/tokenizer.json --tokenizer qwen3/tokenizer.json
  corpus tokenizer compare --input out/demo --tokenizer a.json --tokenizer b.json --format json";

const REDACT_EXAMPLES: &str = "Examples:
  corpus redact --input letters.jsonl --output letters.redacted.jsonl
  corpus redact --input memos.parquet --output memos.redacted.jsonl.zst --policy precision";

#[derive(Debug, Args)]
pub struct RedactArgs {
    /// JSONL (plain, .gz, .zst) or Parquet.
    #[arg(long, short)]
    pub input: PathBuf,
    /// JSONL output (.gz / .zst compress it).
    #[arg(long, short)]
    pub output: PathBuf,
    /// The field holding the text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// Keep personal names (found by default).
    #[arg(long)]
    pub no_names: bool,
    /// `recall` (what a public tier gets) or `precision` (what `[pii] policy` may give the
    /// restricted tier).
    #[arg(long, default_value = "recall", value_parser = ["recall", "precision"])]
    pub policy: String,
    /// Longest record, in MiB; longer ones are refused.
    #[arg(long, default_value = "64")]
    pub max_record_megabytes: NonZeroUsize,
}

/// Most worker threads a command takes: more only costs memory (each holds a batch).
pub const MAX_THREADS: usize = 1024;

/// `--threads N`: 1 to [`MAX_THREADS`].
fn threads(s: &str) -> Result<NonZeroUsize, String> {
    let n: NonZeroUsize = s.parse().map_err(|_| format!("`{s}` is not a number of threads (1 to {MAX_THREADS})"))?;
    if n.get() > MAX_THREADS {
        return Err(format!(
            "{n} threads is more than {MAX_THREADS}; this machine has {} cores",
            std::thread::available_parallelism().map_or(1, |c| c.get())
        ));
    }
    Ok(n)
}

/// `--tail`: see `[tokenize] tail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Tail {
    /// Dropped.
    Drop,
    /// Padded to seq_len.
    Pad,
    /// Kept as a shorter row.
    Keep,
}

impl Tail {
    /// The `[tokenize] tail` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Tail::Drop => "drop",
            Tail::Pad => "pad",
            Tail::Keep => "keep",
        }
    }
}

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// For people.
    Text,
    /// For a contributor's own CI.
    Json,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Contribution directories (each with a contribution.toml).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// The same as `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Language of the messages: zh-TW or en (default: from LC_ALL, LC_MESSAGES or LANG;
    /// zh-TW for a Chinese locale, English otherwise).
    #[arg(long, value_name = "LANG", value_parser = parse_lang)]
    pub lang: Option<corpus_core::i18n::Lang>,
    /// Fail (exit 1) on warnings too: documents the pipeline would drop, Simplified text.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The contribution folder (its data files are looked at; nothing else is changed).
    pub dir: PathBuf,
    /// Language of the template's comments (default: as `validate`).
    #[arg(long, value_name = "LANG", value_parser = parse_lang)]
    pub lang: Option<corpus_core::i18n::Lang>,
    /// Replace an existing contribution.toml.
    #[arg(long)]
    pub force: bool,
}

fn parse_lang(s: &str) -> Result<corpus_core::i18n::Lang, String> {
    corpus_core::i18n::Lang::parse(s).ok_or_else(|| format!("`{s}` is not a language of corpus: use zh-TW or en"))
}

/// What a run does with what is already in its output directory (`run`, `plan`, `dedup`,
/// `tokenize`): without either flag it refuses a finished dataset or an interrupted run (exit 2).
#[derive(Debug, Args)]
pub struct Existing {
    /// Continue the interrupted run in the output directory, skipping its finished tasks (the
    /// result is byte-identical to an uninterrupted run); on a finished dataset, check that it is
    /// complete and up to date.
    #[arg(long)]
    pub resume: bool,
    /// Replace the finished dataset or the interrupted run in the output directory (without it,
    /// a run refuses one, exit 2). Files corpus did not write are never removed.
    #[arg(long, conflicts_with = "resume")]
    pub force: bool,
}

impl Existing {
    /// The run's options: these, and `strict` and `against`.
    pub fn options(&self, strict: bool, against: Option<PathBuf>) -> corpus_core::pipeline::RunOptions {
        corpus_core::pipeline::RunOptions { resume: self.resume, force: self.force, strict, against }
    }
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The pipeline config.
    pub config: PathBuf,
    /// Write here instead of the config's `output` (relative to the working directory).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Worker threads (default: one per core). Output bytes do not depend on it.
    #[arg(long, short = 'j', value_parser = threads)]
    pub threads: Option<NonZeroUsize>,
    #[command(flatten)]
    pub existing: Existing,
    /// Stop at the first bad record (exit 1) instead of recording it in the ledger.
    #[arg(long)]
    pub strict: bool,
    /// A previous release (dataset directory): drop documents that duplicate what it released,
    /// using its saved LSH index (its text is not read).
    #[arg(long, value_name = "DATASET")]
    pub against: Option<PathBuf>,
    /// Print the summary as one JSON object on stdout (for scripts): the manifest, the step
    /// times and the drop examples.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The pipeline config.
    pub config: PathBuf,
    /// Write here instead of the config's `output` (relative to the working directory).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub existing: Existing,
    /// Stop at the first bad record (exit 1) instead of recording it in the ledger.
    #[arg(long)]
    pub strict: bool,
    /// A previous release (dataset directory) to deduplicate against (see `corpus run`).
    #[arg(long, value_name = "DATASET")]
    pub against: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct StageArgs {
    /// The step: ingest, dedup-buckets, drops, tokenize, cut, shard, ledger or finalize.
    pub step: String,
    /// The plan.json `corpus plan` wrote (or its output directory).
    pub plan: PathBuf,
    /// This process's rank, 0 to world size − 1.
    #[arg(long, default_value_t = 0)]
    pub rank: usize,
    /// How many processes share the step.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub world_size: u64,
    /// Worker threads (default: one per core). Output bytes do not depend on it.
    #[arg(long, short = 'j', value_parser = threads)]
    pub threads: Option<NonZeroUsize>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The output directory of the run (or its plan.json).
    pub dir: PathBuf,
    /// Text for people, or JSON.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct DedupArgs {
    /// JSONL (plain, .gz, .zst), Parquet or .txt files.
    #[arg(long, short, required = true, num_args = 1..)]
    pub input: Vec<PathBuf>,
    /// The output directory.
    #[arg(long, short)]
    pub output: PathBuf,
    /// Estimated Jaccard similarity at or above which documents are near-duplicates.
    #[arg(long, default_value_t = 0.8)]
    pub threshold: f64,
    /// Shingle length (characters, or words with --words).
    #[arg(long, default_value_t = 5)]
    pub ngram: usize,
    /// Shingle jieba words instead of characters.
    #[arg(long)]
    pub words: bool,
    /// Registers of the MinHash signature.
    #[arg(long, default_value_t = 256)]
    pub num_perm: usize,
    /// LSH bands (default: derived from --threshold); rows = num_perm / bands.
    #[arg(long)]
    pub bands: Option<usize>,
    /// Memory for the signature buffers, in MiB.
    #[arg(long, default_value_t = 1024)]
    pub memory_megabytes: usize,
    /// Near-duplicates only: no exact-hash pass.
    #[arg(long)]
    pub no_exact: bool,
    /// The field holding the text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// The field holding the record id (doc ids become `input/<id>`).
    #[arg(long)]
    pub id_field: Option<String>,
    /// A previous `corpus dedup` or `corpus run` output to deduplicate against.
    #[arg(long, value_name = "DATASET")]
    pub against: Option<PathBuf>,
    /// Worker threads (default: one per core). Output bytes do not depend on it.
    #[arg(long, short = 'j', value_parser = threads)]
    pub threads: Option<NonZeroUsize>,
    #[command(flatten)]
    pub existing: Existing,
    /// Print the summary as one JSON object on stdout (for scripts), as `corpus run --json`.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TokenizeArgs {
    /// JSONL (plain, .gz, .zst), Parquet or .txt files.
    #[arg(long, short, required = true, num_args = 1..)]
    pub input: Vec<PathBuf>,
    /// A `tokenizer.json` (or `.json.zst`).
    #[arg(long, short)]
    pub tokenizer: PathBuf,
    /// The output directory.
    #[arg(long, short)]
    pub output: PathBuf,
    /// Pack documents into sequences of this many tokens (EOS between documents).
    #[arg(long)]
    pub seq_len: Option<NonZeroUsize>,
    /// With --seq-len: each shard's last tokens, too few for a sequence, are dropped (every row
    /// exactly seq_len tokens; counted in the manifest), padded (with attention_mask) or kept.
    #[arg(long, value_enum, default_value_t = Tail::Drop, requires = "seq_len")]
    pub tail: Tail,
    /// Token before each document: auto (the tokenizer's own), none, or a token.
    #[arg(long, default_value = "auto")]
    pub bos: String,
    /// Token after each document: auto (the tokenizer's end-of-text token), none, or a token.
    #[arg(long, default_value = "auto")]
    pub eos: String,
    /// Share of documents held out as the validation split.
    #[arg(long, default_value_t = 0.01)]
    pub validation_fraction: f64,
    /// Seed of the split and the shuffle.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Keep input order instead of shuffling.
    #[arg(long)]
    pub no_shuffle: bool,
    /// Target shard size in tokens.
    #[arg(long, default_value_t = 100_000_000)]
    pub target_tokens: u64,
    /// The field holding the text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// The field holding the record id (doc ids become `input/<id>`).
    #[arg(long)]
    pub id_field: Option<String>,
    /// Worker threads (default: one per core). Output bytes do not depend on it.
    #[arg(long, short = 'j', value_parser = threads)]
    pub threads: Option<NonZeroUsize>,
    #[command(flatten)]
    pub existing: Existing,
    /// Print the summary as one JSON object on stdout (for scripts), as `corpus run --json`.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum TokenizerCommand {
    /// Train a byte-level BPE (NFC, GPT-2-style byte pre-tokenizer) and write its tokenizer.json.
    #[command(after_help = TRAIN_EXAMPLES)]
    Train(TokenizerTrainArgs),
    /// Characters per token of several tokenizers on the same texts.
    #[command(after_help = COMPARE_EXAMPLES)]
    Compare(TokenizerCompareArgs),
}

#[derive(Debug, Args)]
pub struct TokenizerTrainArgs {
    /// JSONL (plain, .gz, .zst), Parquet or .txt files, or dataset directories (their shards).
    #[arg(long, short, required = true, num_args = 1..)]
    pub input: Vec<PathBuf>,
    /// Vocabulary size, special tokens included.
    #[arg(long)]
    pub vocab_size: usize,
    /// Where to write the tokenizer.json.
    #[arg(long, short)]
    pub output: PathBuf,
    /// Pairs seen fewer times are not merged.
    #[arg(long, default_value_t = 2)]
    pub min_frequency: u64,
    /// Special tokens, given ids 0, 1, … (the first is the end-of-text token).
    #[arg(long = "special-token", default_values_t = vec!["<|endoftext|>".to_string()])]
    pub special_tokens: Vec<String>,
    /// Read at most this many MiB of text (the first ones, in input order). Training holds
    /// about 60 times its text in memory (byte-level "words" of Chinese text are whole clauses,
    /// so few repeat): 128 MiB needs about 8 GB.
    #[arg(long, default_value_t = 128)]
    pub max_megabytes: u64,
    /// The field or column holding the text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_parser = threads)]
    pub threads: Option<NonZeroUsize>,
}

#[derive(Debug, Args)]
pub struct TokenizerCompareArgs {
    /// JSONL (plain, .gz, .zst), Parquet or .txt files, or dataset directories.
    #[arg(long, short, required = true, num_args = 1..)]
    pub input: Vec<PathBuf>,
    /// tokenizer.json files (two or more; the first is the reference of the ratios).
    #[arg(long = "tokenizer", short, required = true, num_args = 1..)]
    pub tokenizers: Vec<PathBuf>,
    /// Read at most this many MiB of text.
    #[arg(long, default_value_t = 1024)]
    pub max_megabytes: u64,
    /// The field or column holding the text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_parser = threads)]
    pub threads: Option<NonZeroUsize>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The dataset directory (where manifest.json is).
    pub dataset: PathBuf,
}

#[derive(Debug, Args)]
pub struct SqlArgs {
    /// The dataset, the query and corpus-sql's options, passed to it as they are.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0.., value_name = "ARGS")]
    pub args: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The dataset directory (where manifest.json is).
    pub dataset: PathBuf,
    /// Skip the checksum verification.
    #[arg(long)]
    pub no_verify: bool,
    /// Print one JSON object on stdout (for scripts): the manifest, and what verification found.
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::Cli;

    /// Every example in every `--help` parses: the examples name only flags that exist.
    #[test]
    fn every_help_example_parses() {
        let mut seen = 0;
        let mut stack = vec![Cli::command()];
        while let Some(cmd) = stack.pop() {
            let help = cmd.get_after_help().map(|h| h.to_string()).unwrap_or_default();
            for line in help.lines().filter_map(|l| l.strip_prefix("  corpus ")) {
                // The examples quote only with '…' and only where a word holds spaces or <|…|>.
                let mut words = vec!["corpus".to_string()];
                let mut rest = line;
                while let Some(start) = rest.find(|c: char| c != ' ') {
                    rest = &rest[start..];
                    let (word, next) = match rest.strip_prefix('\'') {
                        Some(quoted) => quoted.split_once('\'').expect("closing quote"),
                        None => rest.split_once(' ').unwrap_or((rest, "")),
                    };
                    words.push(word.to_string());
                    rest = next;
                }
                if let Err(e) = Cli::try_parse_from(&words) {
                    panic!("`{line}` in `{} --help` does not parse: {e}", cmd.get_name());
                }
                seen += 1;
            }
            assert!(
                cmd.get_name() == "corpus" || !help.is_empty() || cmd.has_subcommands(),
                "`{}` has no examples",
                cmd.get_name()
            );
            stack.extend(cmd.get_subcommands().filter(|c| c.get_name() != "help").cloned());
        }
        assert!(seen >= 30, "only {seen} examples");
    }
}
