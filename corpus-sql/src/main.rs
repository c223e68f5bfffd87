//! `corpus sql`: DataFusion SQL over a dataset.
//!
//! Its own binary, which `corpus sql …` runs (as git and cargo run their subcommands), so the
//! `corpus` build a newcomer waits for does not compile DataFusion.

mod dataset;
mod errors;
mod kernels;
mod output;
mod repl;

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use clap::Parser;
use datafusion::arrow::array::RecordBatch;
use datafusion::execution::context::SQLOptions;
use datafusion::prelude::{SessionConfig, SessionContext};
use futures::StreamExt as _;

use crate::output::{Format, Sink, TableLimits};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EXAMPLES: &str = "Tables:
  shards         one row per document (or packed sequence) of every release: its columns, and
                 tier, release, split, shard; pii and normalize as maps, quality as a struct,
                 pii_redactions their total
  pii            one row per (document, PII type) redacted, with count
  ledger         one row per input record: decision, stage, reason, detail, file, line
  attribution    one row per contribution in the output, with its attribution text
  clusters       one row per document in a duplicate cluster, with contribution_id
  contributions  one row per contribution: licence, tier, rule, inputs, kept, dropped, characters

Functions (the stage kernels; thresholds of --config, else the defaults):
  pii_types(text), redact(text), script(text), lang(text), quality(text [, contribution_id])

Examples:
  corpus sql out/demo \"SELECT tier, licence, count(*) AS docs, sum(n_tokens) AS tokens FROM shards GROUP BY 1, 2\"
      documents and tokens per tier and licence
  corpus sql out/demo \"SELECT contribution_id, reason, count(*) FROM ledger WHERE decision = 'dropped' GROUP BY 1, 2\"
      why documents were dropped, per contribution
  corpus sql out/demo \"SELECT quality(text) AS rule, count(*) FROM shards GROUP BY 1\" --config pipeline.toml
      which kept documents a changed quality config would drop
  corpus sql out/demo \"SELECT * FROM ledger\" --format parquet --output ledger.parquet
      save a result for another tool
  corpus sql out/demo
      an interactive prompt (history in ~/.local/state/corpus/sql_history); \\d lists the tables

Exit codes: 0 done, 1 a query failed, 2 bad usage or a dataset that cannot be read.";

/// Query a dataset with SQL (DataFusion): its shards, ledger, attribution, duplicate clusters
/// and contributions as tables, and the stage kernels as functions.
#[derive(Debug, Clone, Parser)]
#[command(name = "corpus sql", bin_name = "corpus sql", version, after_help = EXAMPLES)]
struct Args {
    /// The dataset directory (it holds manifest.json).
    dataset: PathBuf,
    /// The SQL to run: one statement or several separated by `;`. Without it, an interactive
    /// prompt opens (or, when standard input is not a terminal, statements are read from it).
    query: Option<String>,
    /// How results are written.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write the result to this file instead of standard output (needed for parquet). An
    /// existing file is not replaced unless --force.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Replace --output if it exists.
    #[arg(long)]
    force: bool,
    /// The pipeline.toml whose [normalize], [quality] and [pii] settings the kernel functions use
    /// (default: the built-in defaults).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Table format: rows shown at most (0: all).
    #[arg(long, default_value_t = 100)]
    max_rows: usize,
    /// Table format: a cell is cut to this many columns (0: never).
    #[arg(long, default_value_t = 60)]
    max_width: usize,
    /// Open the prompt even when standard input is not a terminal (for tests and `script`).
    #[arg(long, hide = true)]
    prompt: bool,
}

/// What went wrong, with the exit code it gives.
#[derive(Debug)]
enum Failure {
    /// The query failed (exit 1); already printed.
    Query,
    /// Usage or dataset (exit 2).
    Setup(anyhow::Error),
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the query runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Query) => ExitCode::from(1),
        Err(Failure::Setup(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The session: a dataset's tables and the kernels, read-only.
pub(crate) struct Session {
    ctx: SessionContext,
    options: SQLOptions,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Session")
    }
}

async fn open(args: &Args) -> Result<Session> {
    let config = match &args.config {
        Some(path) => {
            Some(corpus_core::pipeline::config::LoadedConfig::load(path).map_err(|e| anyhow::anyhow!("{e}"))?.config)
        }
        None => None,
    };
    let kernels = Arc::new(kernels::Kernels::new(config.as_ref())?);
    let mut session = SessionConfig::new().with_information_schema(true);
    // Spans on every identifier, so a planning error can point at the column or table it names.
    session.options_mut().sql_parser.collect_spans = true;
    let ctx = SessionContext::new_with_config(session);
    let udfs = kernels.udfs();
    for udf in &udfs {
        ctx.register_udf(udf.clone());
    }
    if !args.dataset.join(corpus_core::shard::manifest::MANIFEST_FILE).is_file() {
        anyhow::bail!(
            "{}: not a dataset (no manifest.json); give the output directory of a `corpus run`",
            args.dataset.display()
        );
    }
    dataset::register(&ctx, &args.dataset, &udfs).await?;
    // Reading only: COPY … TO and INSERT could write or replace files the dataset did not.
    // CREATE VIEW and CREATE TABLE AS stay allowed: they live in memory.
    let options = SQLOptions::new().with_allow_dml(false);
    Ok(Session { ctx, options })
}

async fn run(args: Args) -> std::result::Result<(), Failure> {
    if args.format == Format::Parquet && args.output.is_none() {
        return Err(Failure::Setup(anyhow::anyhow!(
            "--format parquet writes a file: add --output FILE (e.g. --output result.parquet)"
        )));
    }
    if let Some(out) = &args.output
        && out.exists()
        && !args.force
    {
        return Err(Failure::Setup(anyhow::anyhow!(
            "{}: already exists; choose another --output or add --force to replace it",
            out.display()
        )));
    }
    let session = open(&args).await.map_err(Failure::Setup)?;
    let query = match &args.query {
        Some(query) => query.clone(),
        None if args.prompt || std::io::stdin().is_terminal() => {
            return repl::interactive(&session, &args).await.map_err(Failure::Setup);
        }
        None => {
            let mut query = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut query).map_err(|e| Failure::Setup(e.into()))?;
            query
        }
    };
    let mut out = writer(&args).map_err(Failure::Setup)?;
    let ok = execute(&session, &query, &args, &mut *out).await;
    out.flush().map_err(|e| Failure::Setup(e.into()))?;
    if ok { Ok(()) } else { Err(Failure::Query) }
}

fn writer(args: &Args) -> Result<Box<dyn std::io::Write>> {
    Ok(match (&args.output, args.format) {
        // Parquet opens its own file.
        (Some(_), Format::Parquet) | (None, _) => Box::new(std::io::BufWriter::new(std::io::stdout())),
        (Some(path), _) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("{}: cannot create it", path.display()))?,
        )),
    })
}

/// Runs every statement of `sql`, printing results to `out` and errors to stderr. Returns
/// whether all succeeded (it stops at the first failure).
pub(crate) async fn execute(session: &Session, sql: &str, args: &Args, out: &mut dyn std::io::Write) -> bool {
    let statements = match datafusion::sql::parser::DFParser::parse_sql(sql) {
        Ok(s) => s,
        Err(e) => {
            eprint!("{}", errors::render(&e, sql));
            return false;
        }
    };
    for statement in statements {
        if let Err(e) = statement_result(session, statement, args, out).await {
            match e.downcast::<datafusion::error::DataFusionError>() {
                Ok(e) => eprint!("{}", errors::render(&e, sql)),
                Err(e) => eprintln!("error: {e:#}"),
            }
            return false;
        }
    }
    true
}

async fn statement_result(
    session: &Session,
    statement: datafusion::sql::parser::Statement,
    args: &Args,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let state = session.ctx.state();
    let plan = state.statement_to_plan(statement).await?;
    session.options.verify_plan(&plan).map_err(|e| {
        datafusion::error::DataFusionError::Plan(format!(
            "{}; corpus sql only reads a dataset: to save a result use --format csv|json|parquet --output FILE",
            e.strip_backtrace()
        ))
    })?;
    let df = session.ctx.execute_logical_plan(plan).await?;
    let schema: datafusion::arrow::datatypes::SchemaRef = Arc::new(df.schema().as_arrow().clone());
    let mut stream = df.execute_stream().await?;
    if schema.fields().is_empty() {
        // CREATE VIEW and the like return nothing to show.
        while let Some(batch) = stream.next().await {
            batch?;
        }
        return Ok(());
    }
    if args.format == Format::Table {
        let mut batches: Vec<RecordBatch> = Vec::new();
        while let Some(batch) = stream.next().await {
            batches.push(batch?);
        }
        output::table(&schema, &batches, TableLimits { max_width: args.max_width, max_rows: args.max_rows }, out)?;
        return Ok(());
    }
    let file = match (&args.output, args.format) {
        (Some(path), Format::Parquet) => {
            Some(std::fs::File::create(path).with_context(|| format!("{}: cannot create it", path.display()))?)
        }
        _ => None,
    };
    let mut sink = Sink::new(args.format, &schema, out, file)?;
    while let Some(batch) = stream.next().await {
        sink.write(&batch?)?;
    }
    sink.finish()
}
