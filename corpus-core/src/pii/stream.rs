//! `corpus redact`: the PII stage alone over a JSONL (plain, `.gz`, `.zst`) or Parquet file,
//! streaming. Every field of every record is kept; `text` is redacted and a `pii` field is
//! added: `[{type, start, end}]` in code points of the *input* text. Output is JSONL, written to
//! a temp file and renamed, compressed when its name ends in `.gz` or `.zst`.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::{Map, Value};

use super::{Detectors, PiiConfig, counts, redact};
use crate::error::{Error, IoResultExt, Location, ParquetResultExt, Result};
use crate::ingest::FileKind;
use crate::ingest::jsonl::{Line, LineReader, decompressed};
use crate::shard::tmp_path;

/// What a redaction pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedactReport {
    /// Records written.
    pub records: u64,
    /// Of which at least one value was redacted.
    pub redacted: u64,
    /// Values redacted per type.
    pub spans: BTreeMap<&'static str, u64>,
    /// Records that could not be read and were NOT written (they may hold personal data that
    /// could not be redacted): line (or, with `rows`, 0-based Parquet row) and why.
    pub refused: Vec<(u64, String)>,
    /// The numbers in `refused` are Parquet rows, not lines.
    pub rows: bool,
}

/// Redacts one record: `text` (or `text_field`) replaced, `pii` added (the text's spans), and
/// every other field's strings redacted too. A record whose text
/// is missing, null or not a string cannot be redacted and is refused (`Err` says why): it is
/// never written, since the personal data could be anywhere in it.
fn redact_record(
    record: &mut Map<String, Value>,
    text_field: &str,
    detectors: &Detectors,
    cfg: &PiiConfig,
    report: &mut RedactReport,
) -> std::result::Result<(), String> {
    let text = match record.get(text_field) {
        Some(Value::String(text)) => text,
        None => return Err(format!("no `{text_field}` field")),
        Some(other) => {
            let found = match other {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                Value::Array(_) => "an array",
                Value::Object(_) => "an object",
                Value::String(_) => "a string",
            };
            return Err(format!("`{text_field}` is {found}, not a string"));
        }
    };
    let spans = detectors.detect(text);
    let redacted = (!spans.is_empty()).then(|| Value::String(redact(text, &spans, &cfg.placeholder)));
    counts(&spans).into_iter().for_each(|(k, v)| *report.spans.entry(k).or_default() += v);
    // Every other field too, as the pipeline's PII stage does with `source`, `url` and `meta`:
    // the record is one JSON object to `redact_json` (field names, values read under their
    // names, nested ones), its text set aside (a null); `pii` lists the text's spans.
    let original = record.get_mut(text_field).map(Value::take);
    let text = redacted.or(original).unwrap_or(Value::Null);
    let mut fields = Value::Object(std::mem::take(record));
    let mut others = BTreeMap::new();
    let changed = super::redact_json(detectors, &cfg.placeholder, None, &mut fields, &mut others);
    if let Value::Object(m) = fields {
        *record = m;
    }
    record.insert(text_field.to_string(), text);
    others.into_iter().for_each(|(k, v)| *report.spans.entry(k).or_default() += v);
    if changed || !spans.is_empty() {
        report.redacted += 1;
    }
    record.insert("pii".to_string(), serde_json::to_value(&spans).unwrap_or(Value::Array(Vec::new())));
    report.records += 1;
    Ok(())
}

/// Redacts `input` into `output`. Lines over `max_record_bytes` or not JSON objects are refused
/// (listed in the report, not written).
pub fn redact_file(
    input: &Path,
    output: &Path,
    text_field: &str,
    cfg: &PiiConfig,
    policy: super::Policy,
    max_record_bytes: usize,
) -> Result<RedactReport> {
    let name = input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let kind = FileKind::from_name(&name).filter(|k| *k != FileKind::Text).ok_or_else(|| {
        Error::config(Location::file(input), "--input must be .jsonl, .jsonl.gz, .jsonl.zst or .parquet")
    })?;
    let detectors = Detectors::with_policy(cfg.person_names, policy);
    let tmp = tmp_path(output);
    let file = File::create(&tmp).at(&tmp)?;
    let out_name = output.to_string_lossy().to_ascii_lowercase();
    let mut out = if out_name.ends_with(".gz") {
        Output::Gzip(flate2::write::GzEncoder::new(BufWriter::new(file), flate2::Compression::default()))
    } else if out_name.ends_with(".zst") {
        Output::Zstd(zstd::stream::write::Encoder::new(BufWriter::new(file), 3).at(output)?)
    } else {
        Output::Plain(BufWriter::new(file))
    };
    let mut report = RedactReport::default();
    let write = |record: &Map<String, Value>, out: &mut Output| -> Result<()> {
        let w = out.writer();
        serde_json::to_writer(&mut *w, record).map_err(|e| Error::Internal(format!("writing JSON: {e}")))?;
        w.write_all(b"\n").at(&tmp)
    };
    if kind == FileKind::Parquet {
        report.rows = true;
        let mut ctx = ParquetRedact { input, text_field, detectors: &detectors, cfg, row: 0 };
        let opened = crate::files::open_regular(input).at(input)?;
        let opened = crate::untrusted::catch(|| ParquetRecordBatchReaderBuilder::try_new(opened))
            .map_err(|e| Error::parquet(input, e.into()))?;
        let result = match opened {
            Ok(builder) => ctx.redact(builder, &mut out, &mut report, &write),
            // More than 32,767 row groups: read view by view.
            Err(e) if crate::ingest::parquet_views::too_many_row_groups(&e) => {
                let untrusted = |e: crate::untrusted::DecoderPanicked| Error::parquet(input, e.into());
                let views = crate::untrusted::catch(|| {
                    crate::ingest::parquet_views::views(input, crate::ingest::parquet_views::MAX_ROW_GROUPS)
                })
                .map_err(untrusted)?
                .at(input)?;
                views.into_iter().try_for_each(|view| {
                    let builder = crate::untrusted::catch(|| ParquetRecordBatchReaderBuilder::try_new(view))
                        .map_err(untrusted)?
                        .at(input)?;
                    ctx.redact(builder, &mut out, &mut report, &write)
                })
            }
            Err(e) => Err(Error::parquet(input, e)),
        };
        if let Err(e) = result {
            drop(out);
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    } else {
        let raw = crate::files::open_regular(input).at(input)?;
        let mut lines = LineReader::new(decompressed(raw, kind).at(input)?, max_record_bytes);
        let mut number = 0u64;
        loop {
            number += 1;
            let line = match lines.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(e) => {
                    report.refused.push((
                        number,
                        format!("the stream ends early or is damaged ({})", crate::files::describe_error(&e)),
                    ));
                    break;
                }
            };
            let bytes = match line {
                Line::TooLong(len) => {
                    report.refused.push((number, format!("line of {len} bytes, over the record limit")));
                    continue;
                }
                Line::Complete(b) if b.iter().all(u8::is_ascii_whitespace) => continue,
                Line::Complete(b) => b,
            };
            match serde_json::from_slice::<Map<String, Value>>(bytes) {
                Ok(mut record) => match redact_record(&mut record, text_field, &detectors, cfg, &mut report) {
                    Ok(()) => write(&record, &mut out)?,
                    Err(why) => report.refused.push((number, why)),
                },
                // The message names the position, never the content.
                Err(e) => {
                    let what = e.to_string();
                    let what = what.split(" at line ").next().unwrap_or("invalid JSON").to_string();
                    report.refused.push((number, format!("not a JSON object: {what} (column {})", e.column())));
                }
            }
        }
    }
    let file = out.finish().at(&tmp)?;
    file.sync_all().at(&tmp)?;
    drop(file);
    std::fs::rename(&tmp, output).at(output)?;
    Ok(report)
}

/// Writes one record to the output.
type WriteRecord<'a> = dyn Fn(&Map<String, Value>, &mut Output) -> Result<()> + 'a;

/// The Parquet side of [`redact_file`]: rows become JSON objects, redacted like JSONL records.
struct ParquetRedact<'a> {
    input: &'a Path,
    text_field: &'a str,
    detectors: &'a Detectors,
    cfg: &'a PiiConfig,
    /// Rows read so far (over every view of a file).
    row: u64,
}

impl ParquetRedact<'_> {
    fn redact<T: parquet::file::reader::ChunkReader + 'static>(
        &mut self,
        builder: ParquetRecordBatchReaderBuilder<T>,
        out: &mut Output,
        report: &mut RedactReport,
        write: &WriteRecord<'_>,
    ) -> Result<()> {
        let (input, text_field) = (self.input, self.text_field);
        // A text column that is not a string (binary, a list, a struct) would reach the output
        // as hex or in clear: the file is refused before anything is written.
        let schema = builder.schema();
        let column = schema.fields().iter().find(|f| f.name() == text_field);
        let string = |t: &arrow_schema::DataType| {
            matches!(
                t,
                arrow_schema::DataType::Utf8 | arrow_schema::DataType::LargeUtf8 | arrow_schema::DataType::Utf8View
            )
        };
        let problem = match column {
            None => {
                let names: Vec<String> = schema.fields().iter().map(|f| format!("`{}`", f.name())).collect();
                Some(format!("no `{text_field}` column (the columns are {})", names.join(", ")))
            }
            Some(f) if !string(f.data_type()) => {
                Some(format!("the `{text_field}` column is {}, not a string type", f.data_type()))
            }
            Some(_) => None,
        };
        if let Some(message) = problem {
            return Err(Error::Data {
                location: Location::file(input).with_field(text_field),
                reason: crate::stage::DropReason::WrongType,
                message: format!("{message}; nothing was written"),
            });
        }
        let mut reader = builder.build().at(input)?;
        loop {
            // A malformed page can make the decoder panic: an error here, never a crash.
            let next = crate::untrusted::catch(|| reader.next()).map_err(|e| Error::parquet(input, e.into()))?;
            let Some(batch) = next else { break };
            let batch = batch.map_err(|e| Error::parquet(input, e.into()))?;
            let mut buf = Vec::new();
            let mut json = arrow_json::LineDelimitedWriter::new(&mut buf);
            json.write(&batch)?;
            json.finish()?;
            for line in buf.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
                let row = self.row;
                self.row += 1;
                match serde_json::from_slice::<Map<String, Value>>(line) {
                    // A null value is left out of the row's JSON: a missing text is a null.
                    Ok(record) if !record.contains_key(text_field) => {
                        report.refused.push((row, format!("`{text_field}` is null")));
                    }
                    Ok(mut record) => match redact_record(&mut record, text_field, self.detectors, self.cfg, report) {
                        Ok(()) => write(&record, out)?,
                        Err(why) => report.refused.push((row, why)),
                    },
                    Err(_) => report.refused.push((row, "row not convertible to a JSON object".to_string())),
                }
            }
        }
        Ok(())
    }
}

/// The output stream, finished explicitly so that a compression error is not lost on drop.
enum Output {
    Plain(BufWriter<File>),
    Gzip(flate2::write::GzEncoder<BufWriter<File>>),
    Zstd(zstd::stream::write::Encoder<'static, BufWriter<File>>),
}

impl Output {
    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Output::Plain(w) => w,
            Output::Gzip(w) => w,
            Output::Zstd(w) => w,
        }
    }

    fn finish(self) -> std::io::Result<File> {
        let buffered = match self {
            Output::Plain(w) => w,
            Output::Gzip(w) => w.finish()?,
            Output::Zstd(w) => w.finish()?,
        };
        buffered.into_inner().map_err(|e| e.into_error())
    }
}
