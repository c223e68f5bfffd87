//! Query results: an aligned table for people, CSV, JSON and Parquet for programs.

use std::io::Write;

use anyhow::{Context as _, Result};
use datafusion::arrow::array::{Array, ArrayRef, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use std::sync::Arc;
use unicode_width::UnicodeWidthStr;

/// What `--format` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns (CJK characters count two), numbers right-aligned.
    Table,
    /// CSV with a header; nested values (lists, maps, structs) as their text form.
    Csv,
    /// One JSON array of objects.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// A zstd Parquet file (needs --output).
    Parquet,
}

/// The table layout: cells longer than `max_width` display columns are cut with `…`
/// (0: never); at most `max_rows` rows are shown (0: all).
#[derive(Debug, Clone, Copy)]
pub struct TableLimits {
    pub max_width: usize,
    pub max_rows: usize,
}

fn options() -> FormatOptions<'static> {
    FormatOptions::default().with_null("NULL")
}

fn is_number(t: &DataType) -> bool {
    t.is_numeric()
}

/// Cuts `s` to at most `width` display columns, with `…` when cut; newlines and tabs shown as
/// `↵` and `→` so a row stays on one line.
fn cell(s: &str, width: usize) -> String {
    let s: String = s
        .chars()
        .map(|c| match c {
            '\n' => '↵',
            '\t' => '→',
            '\r' => ' ',
            c => c,
        })
        .collect();
    if width == 0 || s.width() <= width {
        return s;
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Renders batches as an aligned table and a row count line.
pub fn table(schema: &SchemaRef, batches: &[RecordBatch], limits: TableLimits, out: &mut dyn Write) -> Result<()> {
    let total: usize = batches.iter().map(RecordBatch::num_rows).sum();
    let shown = if limits.max_rows == 0 { total } else { total.min(limits.max_rows) };
    let headers: Vec<String> = schema.fields().iter().map(|f| cell(f.name(), limits.max_width)).collect();
    let numeric: Vec<bool> = schema.fields().iter().map(|f| is_number(f.data_type())).collect();
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(shown);
    'batches: for batch in batches {
        let formatters = batch
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &options()))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        for r in 0..batch.num_rows() {
            if rows.len() == shown {
                break 'batches;
            }
            rows.push(formatters.iter().map(|f| cell(&f.value(r).to_string(), limits.max_width)).collect());
        }
    }
    let widths: Vec<usize> = (0..headers.len())
        .map(|c| rows.iter().map(|r| r[c].width()).chain([headers[c].width()]).max().unwrap_or(0))
        .collect();
    let pad = |s: &str, w: usize, right: bool| {
        let fill = " ".repeat(w.saturating_sub(s.width()));
        if right { format!("{fill}{s}") } else { format!("{s}{fill}") }
    };
    let line = |cells: &[String], right: &[bool]| {
        let line = cells.iter().enumerate().map(|(i, s)| pad(s, widths[i], right[i])).collect::<Vec<_>>().join(" │ ");
        line.trim_end().to_string()
    };
    if !headers.is_empty() {
        writeln!(out, "{}", line(&headers, &vec![false; headers.len()]))?;
        writeln!(out, "{}", widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>().join("─┼─"))?;
        for r in &rows {
            writeln!(out, "{}", line(r, &numeric))?;
        }
    }
    let noun = if total == 1 { "row" } else { "rows" };
    if shown < total {
        writeln!(out, "({total} {noun}, the first {shown} shown; --max-rows 0 shows all)")?;
    } else {
        writeln!(out, "({total} {noun})")?;
    }
    Ok(())
}

/// The batch with every nested column (list, map, struct) as its text form, for CSV.
fn flatten(batch: &RecordBatch) -> Result<RecordBatch> {
    let nested = |t: &DataType| t.is_nested();
    if !batch.schema().fields().iter().any(|f| nested(f.data_type())) {
        return Ok(batch.clone());
    }
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for (f, c) in batch.schema().fields().iter().zip(batch.columns()) {
        if nested(f.data_type()) {
            let fmt = ArrayFormatter::try_new(c.as_ref(), &options())?;
            let text: StringArray = (0..c.len()).map(|i| c.is_valid(i).then(|| fmt.value(i).to_string())).collect();
            fields.push(Field::new(f.name(), DataType::Utf8, true));
            columns.push(Arc::new(text));
        } else {
            fields.push(f.as_ref().clone());
            columns.push(c.clone());
        }
    }
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)?)
}

/// A writer of one result in a streaming format.
pub enum Sink<'a> {
    Csv(datafusion::arrow::csv::Writer<&'a mut dyn Write>),
    Json(datafusion::arrow::json::ArrayWriter<&'a mut dyn Write>),
    Jsonl(datafusion::arrow::json::LineDelimitedWriter<&'a mut dyn Write>),
    Parquet(datafusion::parquet::arrow::ArrowWriter<std::fs::File>),
}

impl std::fmt::Debug for Sink<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sink")
    }
}

impl<'a> Sink<'a> {
    /// A sink for `format` (not `table`), writing to `out` or, for Parquet, to `file`.
    pub fn new(
        format: Format,
        schema: &SchemaRef,
        out: &'a mut dyn Write,
        file: Option<std::fs::File>,
    ) -> Result<Self> {
        Ok(match format {
            Format::Csv => Sink::Csv(datafusion::arrow::csv::WriterBuilder::new().with_header(true).build(out)),
            // Every column in every object, NULL as null (arrow-json leaves them out by default).
            Format::Json => Sink::Json(
                datafusion::arrow::json::WriterBuilder::new()
                    .with_explicit_nulls(true)
                    .build::<_, datafusion::arrow::json::writer::JsonArray>(out),
            ),
            Format::Jsonl => Sink::Jsonl(
                datafusion::arrow::json::WriterBuilder::new()
                    .with_explicit_nulls(true)
                    .build::<_, datafusion::arrow::json::writer::LineDelimited>(out),
            ),
            Format::Parquet => {
                use datafusion::parquet::basic::{Compression, ZstdLevel};
                let props = datafusion::parquet::file::properties::WriterProperties::builder()
                    .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
                    .set_created_by(format!("sovereign-corpus {} (corpus sql)", env!("CARGO_PKG_VERSION")))
                    .build();
                let file = file.context("--format parquet needs --output FILE")?;
                Sink::Parquet(datafusion::parquet::arrow::ArrowWriter::try_new(file, schema.clone(), Some(props))?)
            }
            Format::Table => anyhow::bail!("a table is not streamed"),
        })
    }

    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        match self {
            Sink::Csv(w) => w.write(&flatten(batch)?)?,
            Sink::Json(w) => w.write(batch)?,
            Sink::Jsonl(w) => w.write(batch)?,
            Sink::Parquet(w) => w.write(batch)?,
        }
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Csv(_) => {}
            Sink::Json(mut w) => {
                w.finish()?;
                // An empty result is `[]`, not nothing, and the array ends with a newline.
                let out = w.into_inner();
                out.write_all(b"\n")?;
            }
            Sink::Jsonl(mut w) => w.finish()?,
            Sink::Parquet(w) => {
                w.close()?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_cut_by_display_width() {
        assert_eq!(cell("abc", 0), "abc");
        assert_eq!(cell("中華民國", 8), "中華民國");
        assert_eq!(cell("中華民國憲法", 8), "中華民…");
        assert_eq!(cell("a\nb", 10), "a↵b");
    }
}
