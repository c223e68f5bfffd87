//! The tables of a dataset, registered from the files its manifest lists (never from a glob, so
//! a stray file in a release directory is not read as data).
//!
//! | table | one row per | from |
//! |---|---|---|
//! | `shards` | document (or packed sequence) | every shard, with `release`, `split` and `shard` added (and `tier` where the shards have none); `pii` and `normalize` as `Map<Utf8, UInt64>`, `quality` as a struct of its signals, `pii_redactions` their total |
//! | `pii` | (document, PII type) redacted | a view over `shards` |
//! | `ledger` | input record | `ledger/*.parquet` |
//! | `attribution` | contribution in the output | `attribution/attribution.parquet` |
//! | `clusters` | document in a duplicate cluster | `clusters.parquet`, with `contribution_id` added |
//! | `contributions` | contribution | the manifest's `contributions`, with `dropped` added |

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use corpus_core::shard::manifest::DatasetManifest;
use datafusion::arrow::array::{ArrayRef, RecordBatch, StringArray, UInt64Array};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::datasource::MemTable;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl};
use datafusion::logical_expr::{ScalarUDF, col, lit};
use datafusion::prelude::{DataFrame, ParquetReadOptions, SessionContext};

/// The tables `corpus sql` registers, for `\tables` and the help.
pub const TABLES: [(&str, &str); 7] = [
    ("shards", "one row per document (or packed sequence) in every release, with tier, release, split and shard"),
    (
        "pii",
        "one row per (document, PII type) redacted: doc_id, contribution_id, tier, release, split, shard, pii_type, count",
    ),
    ("ledger", "one row per input record: decision, stage, reason, detail, file, line"),
    ("attribution", "one row per contribution in the output, with its attribution text"),
    ("clusters", "one row per document in a duplicate cluster, with contribution_id"),
    ("contributions", "one row per contribution: licence, tier, rule, inputs, kept, dropped, characters"),
    ("(functions)", "pii_types(text), redact(text), script(text), lang(text), quality(text [, contribution_id])"),
];

/// Registers every table of the dataset at `dir` in `ctx`.
pub async fn register(ctx: &SessionContext, dir: &Path, udfs: &[ScalarUDF]) -> Result<()> {
    let manifest = DatasetManifest::read(dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let udf = |name: &str| udfs.iter().find(|u| u.name() == name).cloned().context(name.to_string());
    register_shards(
        ctx,
        dir,
        &manifest,
        &udf("corpus_json_counts")?,
        &udf("corpus_json_total")?,
        &udf("corpus_quality_signals")?,
    )
    .await?;
    let ledger: Vec<String> = manifest.ledger.iter().map(|f| f.path.clone()).collect();
    register_files(ctx, dir, "ledger", &ledger).await?;
    let attribution: Vec<String> =
        manifest.attribution.iter().filter(|f| f.path.ends_with(".parquet")).map(|f| f.path.clone()).collect();
    register_files(ctx, dir, "attribution", &attribution).await?;
    register_clusters(ctx, dir, &manifest).await?;
    register_contributions(ctx, &manifest)?;
    Ok(())
}

fn file_url(dir: &Path, rel: &str) -> Result<ListingTableUrl> {
    let path = dir.join(rel);
    let path = path
        .canonicalize()
        .with_context(|| format!("{}: listed in manifest.json but cannot be opened", path.display()))?;
    ListingTableUrl::parse(path.to_string_lossy()).with_context(|| format!("{}", path.display()))
}

/// A table over exactly these Parquet files of the dataset (an empty table when there are none).
async fn register_files(ctx: &SessionContext, dir: &Path, name: &str, files: &[String]) -> Result<()> {
    if files.is_empty() {
        ctx.register_table(name, Arc::new(MemTable::try_new(Arc::new(Schema::empty()), vec![vec![]])?))?;
        return Ok(());
    }
    let urls = files.iter().map(|f| file_url(dir, f)).collect::<Result<Vec<_>>>()?;
    let options = ListingOptions::new(Arc::new(ParquetFormat::default())).with_file_extension(".parquet");
    let config = ListingTableConfig::new_with_multi_paths(urls).with_listing_options(options);
    let config = config.infer_schema(&ctx.state()).await.with_context(|| format!("reading the schema of `{name}`"))?;
    ctx.register_table(name, Arc::new(ListingTable::try_new(config)?))?;
    Ok(())
}

/// `shards`: each shard read on its own and given its release, split and path, then all of them
/// as one UNION ALL (the manifest's order: by release, then name).
async fn register_shards(
    ctx: &SessionContext,
    dir: &Path,
    manifest: &DatasetManifest,
    json_counts: &ScalarUDF,
    json_total: &ScalarUDF,
    quality_signals: &ScalarUDF,
) -> Result<()> {
    let mut all: Option<DataFrame> = None;
    for shard in &manifest.shards {
        let url = file_url(dir, &shard.file.path)?;
        let df = ctx
            .read_parquet(url.as_str(), ParquetReadOptions::default())
            .await
            .with_context(|| format!("{}: cannot read the shard", shard.file.path))?;
        let names: Vec<String> = df.schema().fields().iter().map(|f| f.name().clone()).collect();
        let mut exprs = Vec::new();
        for name in &names {
            let c = col(format!("\"{name}\""));
            exprs.push(match name.as_str() {
                "pii" | "normalize" => json_counts.call(vec![c]).alias(name),
                "quality" => quality_signals.call(vec![c]).alias(name),
                _ => c,
            });
        }
        if !names.iter().any(|n| n == "tier") {
            exprs.push(lit(shard.tier.clone()).alias("tier"));
        }
        if names.iter().any(|n| n == "pii") {
            exprs.push(json_total.call(vec![col("pii")]).alias("pii_redactions"));
        }
        exprs.push(lit(shard.release()).alias("release"));
        exprs.push(lit(shard.split.clone()).alias("split"));
        exprs.push(lit(shard.file.path.clone()).alias("shard"));
        let df = df.select(exprs)?;
        all = Some(match all {
            None => df,
            Some(all) => all
                .union(df)
                .with_context(|| format!("{}: its columns differ from the other shards'", shard.file.path))?,
        });
    }
    match all {
        Some(df) => {
            let has_pii = df.schema().fields().iter().any(|f| f.name() == "pii");
            ctx.register_table("shards", df.into_view())?;
            let pii = if has_pii {
                "SELECT doc_id, contribution_id, tier, release, split, shard, \
                 unnest(map_keys(pii)) AS pii_type, unnest(map_values(pii)) AS count \
                 FROM shards WHERE pii IS NOT NULL"
            } else {
                // Packed sequences (and runs with [pii] off) have no per-document counts.
                "SELECT CAST(NULL AS VARCHAR) AS doc_id, CAST(NULL AS VARCHAR) AS contribution_id, \
                 CAST(NULL AS VARCHAR) AS tier, CAST(NULL AS VARCHAR) AS release, CAST(NULL AS VARCHAR) AS split, \
                 CAST(NULL AS VARCHAR) AS shard, CAST(NULL AS VARCHAR) AS pii_type, CAST(NULL AS BIGINT UNSIGNED) AS count \
                 WHERE false"
            };
            let view = ctx.sql(pii).await.context("the `pii` view")?;
            ctx.register_table("pii", view.into_view())?;
        }
        None => {
            let schema = Schema::new(vec![
                Field::new("doc_id", DataType::Utf8, false),
                Field::new("contribution_id", DataType::Utf8, false),
                Field::new("tier", DataType::Utf8, false),
                Field::new("release", DataType::Utf8, false),
                Field::new("split", DataType::Utf8, false),
                Field::new("shard", DataType::Utf8, false),
            ]);
            ctx.register_table("shards", Arc::new(MemTable::try_new(Arc::new(schema), vec![vec![]])?))?;
            let mut pii: Vec<Field> = ["doc_id", "contribution_id", "tier", "release", "split", "shard", "pii_type"]
                .map(|n| Field::new(n, DataType::Utf8, false))
                .to_vec();
            pii.push(Field::new("count", DataType::UInt64, false));
            ctx.register_table("pii", Arc::new(MemTable::try_new(Arc::new(Schema::new(pii)), vec![vec![]])?))?;
        }
    }
    Ok(())
}

/// `clusters`: `clusters.parquet` with the contribution of each member.
async fn register_clusters(ctx: &SessionContext, dir: &Path, manifest: &DatasetManifest) -> Result<()> {
    let Some(dedup) = &manifest.dedup else {
        let mut fields = corpus_core::dedup::cluster::clusters_schema().fields().to_vec();
        fields.push(Arc::new(Field::new("contribution_id", DataType::Utf8, false)));
        let schema = Schema::new(fields);
        ctx.register_table("clusters", Arc::new(MemTable::try_new(Arc::new(schema), vec![vec![]])?))?;
        return Ok(());
    };
    register_files(ctx, dir, "corpus_clusters_file", std::slice::from_ref(&dedup.clusters.path)).await?;
    let view = ctx
        .sql("SELECT *, split_part(doc_id, '/', 1) AS contribution_id FROM corpus_clusters_file")
        .await
        .context("the `clusters` view")?;
    ctx.register_table("clusters", view.into_view())?;
    Ok(())
}

/// `contributions`: the manifest's per-contribution summary.
fn register_contributions(ctx: &SessionContext, manifest: &DatasetManifest) -> Result<()> {
    let c = &manifest.contributions;
    let text = |f: fn(&corpus_core::shard::manifest::ContributionSummary) -> &str| -> ArrayRef {
        Arc::new(c.iter().map(|c| Some(f(c))).collect::<StringArray>())
    };
    let count = |f: fn(&corpus_core::shard::manifest::ContributionSummary) -> u64| -> ArrayRef {
        Arc::new(c.iter().map(f).collect::<UInt64Array>())
    };
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("contribution_id", text(|c| &c.id)),
        ("title", text(|c| &c.title)),
        ("contributor", text(|c| &c.contributor)),
        ("licence", text(|c| &c.licence)),
        ("visibility", text(|c| &c.visibility)),
        ("tier", text(|c| &c.tier)),
        ("rule", text(|c| &c.rule)),
        ("inputs", count(|c| c.inputs)),
        ("kept", count(|c| c.kept)),
        ("dropped", count(|c| c.inputs.saturating_sub(c.kept))),
        ("characters", count(|c| c.characters)),
    ];
    let schema = Schema::new(
        columns.iter().map(|(name, a)| Field::new(*name, a.data_type().clone(), false)).collect::<Vec<_>>(),
    );
    let batch = RecordBatch::try_new(Arc::new(schema), columns.into_iter().map(|(_, a)| a).collect())?;
    ctx.register_table("contributions", Arc::new(MemTable::try_new(batch.schema(), vec![vec![batch]])?))?;
    Ok(())
}
