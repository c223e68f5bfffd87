//! JSONL reader (plain, gzip, zstd): one record per line, streamed with a bounded line buffer.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;

use rayon::prelude::*;
use serde_json::value::RawValue;

use super::{Contribution, DataFile, Emitter, FileKind, IngestConfig};
use crate::batch::DocumentRef;
use crate::error::Result;
use crate::stage::DropReason;

/// A record that became a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The id field's value, if the contribution has one.
    pub id: Option<String>,
    /// The text, non-empty.
    pub text: String,
    /// The `source` field, when a string.
    pub source: Option<String>,
    /// The `url` field, when a string.
    pub url: Option<String>,
    /// Every other field, as a JSON object with sorted keys; `None` when there is none.
    pub meta: Option<String>,
    /// The `tier` field, when a string (a corpus shard exported as JSONL): it can only lower
    /// the record's tier. It stays in `meta` too.
    pub tier: Option<String>,
}

/// Why a line is not a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The ledger reason.
    pub reason: DropReason,
    /// The field concerned.
    pub field: Option<String>,
    /// What is wrong, never quoting the line.
    pub detail: String,
}

impl Refusal {
    fn new(reason: DropReason, field: Option<&str>, detail: impl Into<String>) -> Self {
        Self { reason, field: field.map(str::to_string), detail: detail.into() }
    }
}

/// Parses one JSONL line into a record. Never panics; errors never quote the input.
pub fn parse_record(line: &[u8], text_field: &str, id_field: Option<&str>) -> Result<Record, Refusal> {
    let line = std::str::from_utf8(line).map_err(|e| {
        Refusal::new(DropReason::InvalidUtf8, None, format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()))
    })?;
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    match line.trim_start().as_bytes().first() {
        Some(b'{') => {}
        Some(_) if serde_json::from_str::<serde::de::IgnoredAny>(line).is_ok() => {
            return Err(Refusal::new(DropReason::NotAnObject, None, "the line is JSON but not an object"));
        }
        Some(_) => {
            return Err(Refusal::new(
                DropReason::MalformedJson,
                None,
                "the line is not JSON (an object starts with `{`)",
            ));
        }
        None => return Err(Refusal::new(DropReason::MalformedJson, None, "empty line")),
    }
    let fields: BTreeMap<String, &RawValue> = serde_json::from_str(line).map_err(|e| {
        let message = match e.classify() {
            serde_json::error::Category::Data => "not an object of named fields".to_string(),
            _ => {
                // serde_json syntax messages name the problem and position, never the content.
                let full = e.to_string();
                let what = full.split(" at line ").next().unwrap_or("invalid JSON").to_string();
                format!("{what} at column {}", e.column())
            }
        };
        Refusal::new(DropReason::MalformedJson, None, message)
    })?;
    let text = match fields.get(text_field) {
        None => {
            let has = super::has_fields(fields.keys().map(String::as_str));
            return Err(Refusal::new(
                DropReason::MissingField,
                Some(text_field),
                format!("no `{text_field}` field{has}"),
            ));
        }
        Some(raw) => match serde_json::from_str::<String>(raw.get()) {
            Ok(s) => s,
            Err(e) => {
                let message = match json_type(raw) {
                    // A string that does not decode: an escape that is no character.
                    "a string" => {
                        let what = e.to_string();
                        let what = what.split(" at line ").next().unwrap_or("an invalid escape");
                        format!("`{text_field}` holds an escape that is not a character ({what}, e.g. \\ud800 alone)")
                    }
                    found => format!("`{text_field}` is {found}, expected a string"),
                };
                return Err(Refusal::new(DropReason::WrongType, Some(text_field), message));
            }
        },
    };
    let id = match id_field {
        None => None,
        Some(f) => Some(match fields.get(f) {
            None => {
                let has = super::has_fields(fields.keys().map(String::as_str));
                return Err(Refusal::new(DropReason::MissingField, Some(f), format!("no `{f}` field{has}")));
            }
            Some(raw) => record_id(raw).ok_or_else(|| {
                Refusal::new(
                    DropReason::WrongType,
                    Some(f),
                    format!("`{f}` is {}, expected a non-empty string or an integer", json_type(raw)),
                )
            })?,
        }),
    };
    if text.trim().is_empty() {
        return Err(Refusal::new(DropReason::EmptyText, Some(text_field), format!("`{text_field}` is empty")));
    }
    let string_field = |name: &str| fields.get(name).and_then(|raw| serde_json::from_str::<String>(raw.get()).ok());
    let source = string_field("source");
    let url = string_field("url");
    let mut meta = String::new();
    for (key, raw) in &fields {
        let mapped = key == text_field
            || Some(key.as_str()) == id_field
            || (key == "source" && source.is_some())
            || (key == "url" && url.is_some());
        if mapped {
            continue;
        }
        meta.push(if meta.is_empty() { '{' } else { ',' });
        meta.push_str(&serde_json::to_string(key).unwrap_or_default());
        meta.push(':');
        meta.push_str(raw.get());
    }
    let meta = (!meta.is_empty()).then(|| meta + "}");
    let tier = string_field(crate::batch::TIER);
    Ok(Record { id, text, source, url, meta, tier })
}

fn record_id(raw: &RawValue) -> Option<String> {
    if let Ok(s) = serde_json::from_str::<String>(raw.get()) {
        return (!s.trim().is_empty()).then_some(s);
    }
    if let Ok(n) = serde_json::from_str::<i64>(raw.get()) {
        return Some(n.to_string());
    }
    serde_json::from_str::<u64>(raw.get()).ok().map(|n| n.to_string())
}

fn json_type(raw: &RawValue) -> &'static str {
    match raw.get().trim_start().as_bytes().first() {
        Some(b'"') => "a string",
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// One line from [`LineReader`].
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// A complete line (without its `\n` / `\r\n`).
    Complete(&'a [u8]),
    /// A line longer than the limit; its bytes were skipped, not kept.
    TooLong(u64),
}

/// Reads lines with a bounded buffer: a line over `max` bytes is consumed and counted but never
/// held in memory. std's `read_until` would grow its buffer to the line's length. A line ends
/// at `\n`, `\r\n` or a lone `\r` (old Mac files; JSON strings cannot hold a raw CR, so no
/// record is cut by it).
#[derive(Debug)]
pub struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    max: usize,
    /// The last line ended with `\r`: a `\n` right after it belongs to that line ending.
    skip_lf: bool,
}

impl<R: BufRead> LineReader<R> {
    /// Wraps `inner`; lines over `max` bytes are reported as [`Line::TooLong`].
    pub fn new(inner: R, max: usize) -> Self {
        Self { inner, buf: Vec::new(), max, skip_lf: false }
    }

    /// The next line, `Ok(None)` at the end. An I/O error (a truncated stream) is returned as is;
    /// the partial line read before it is discarded.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        self.buf.clear();
        let mut len: u64 = 0;
        let mut too_long = false;
        loop {
            let available = match self.inner.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                if len == 0 {
                    return Ok(None);
                }
                break;
            }
            if std::mem::take(&mut self.skip_lf) && available[0] == b'\n' {
                self.inner.consume(1);
                continue;
            }
            let (piece, consumed, done) = match memchr::memchr2(b'\n', b'\r', available) {
                Some(i) => {
                    self.skip_lf = available[i] == b'\r';
                    (&available[..i], i + 1, true)
                }
                None => (available, available.len(), false),
            };
            len += piece.len() as u64 + u64::from(done);
            if !too_long {
                if self.buf.len() + piece.len() > self.max {
                    too_long = true;
                    self.buf = Vec::new();
                } else {
                    self.buf.extend_from_slice(piece);
                }
            }
            self.inner.consume(consumed);
            if done {
                break;
            }
        }
        if too_long {
            return Ok(Some(Line::TooLong(len)));
        }
        Ok(Some(Line::Complete(&self.buf)))
    }
}

/// Counts the raw bytes read from a file, for progress.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// A buffered reader of a JSONL file's decompressed bytes (gzip members concatenated, zstd
/// frames, or plain), as `kind` says.
pub fn decompressed(raw: impl Read + 'static, kind: FileKind) -> io::Result<Box<dyn BufRead>> {
    const BUF: usize = 256 * 1024;
    Ok(match kind {
        FileKind::JsonlGzip => {
            Box::new(BufReader::with_capacity(BUF, flate2::read::MultiGzDecoder::new(BufReader::new(raw))))
        }
        FileKind::JsonlZstd => Box::new(BufReader::with_capacity(BUF, zstd::stream::read::Decoder::new(raw)?)),
        _ => Box::new(BufReader::with_capacity(BUF, raw)),
    })
}

pub(crate) fn read(c: &Contribution, file: &DataFile, cfg: &IngestConfig, out: &mut Emitter<'_>) -> Result<()> {
    let raw = match crate::files::open_regular(&file.abs) {
        Ok(f) => Counting { inner: f, count: out.counter() },
        Err(e) => {
            let id = out.file_id();
            let detail = format!("cannot open: {}", crate::files::describe_error(&e));
            return out.refuse(id, DropReason::UnreadableFile, None, detail, None, None);
        }
    };
    read_from(c, file, raw, 1, cfg, out)
}

/// Reads the whole lines in bytes `start..end` of a plain JSONL file, the first of them line
/// `first_line`.
pub(crate) fn read_lines(
    c: &Contribution,
    file: &DataFile,
    (start, end, first_line): (u64, u64, u64),
    cfg: &IngestConfig,
    out: &mut Emitter<'_>,
) -> Result<()> {
    use std::io::{Seek, SeekFrom};
    let opened = crate::files::open_regular(&file.abs).and_then(|mut f| f.seek(SeekFrom::Start(start)).map(|_| f));
    let raw = match opened {
        Ok(f) => Counting { inner: f.take(end - start), count: out.counter() },
        Err(e) => {
            // One row per range, named by the range's first line.
            let id = if start == 0 { out.file_id() } else { out.line_id(first_line) };
            let detail = format!("cannot open: {}", crate::files::describe_error(&e));
            let line = (start > 0).then_some(first_line);
            return out.refuse(id, DropReason::UnreadableFile, None, detail, line, None);
        }
    };
    read_from(c, file, raw, first_line, cfg, out)
}

fn read_from<R: Read + 'static>(
    c: &Contribution,
    file: &DataFile,
    raw: Counting<R>,
    first_line: u64,
    cfg: &IngestConfig,
    out: &mut Emitter<'_>,
) -> Result<()> {
    let reader = match decompressed(raw, file.kind) {
        Ok(r) => r,
        Err(e) => {
            let id = out.file_id();
            return out.refuse(
                id,
                DropReason::UnreadableFile,
                None,
                format!("cannot start zstd: {}", crate::files::describe_error(&e)),
                None,
                None,
            );
        }
    };
    let m = &c.manifest;
    let mut lines = LineReader::new(reader, cfg.max_record_bytes());
    // Lines are parsed a batch at a time on the worker pool, then handed over in line order:
    // JSON parsing is most of reading, and a large file would otherwise be parsed by one thread.
    let mut pending: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut pending_bytes = 0usize;
    let parse = |pending: &mut Vec<(u64, Vec<u8>)>, out: &mut Emitter<'_>| -> Result<()> {
        let parsed: Vec<Result<Record, Refusal>> =
            pending.par_iter().map(|(_, bytes)| parse_record(bytes, &m.text_field, m.id_field.as_deref())).collect();
        for ((number, _), record) in pending.drain(..).zip(parsed) {
            emit(number, record, out)?;
        }
        Ok(())
    };
    let mut number: u64 = first_line - 1;
    loop {
        number += 1;
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => return parse(&mut pending, out),
            Err(e) => {
                parse(&mut pending, out)?;
                // Everything before the damage was kept; the rest of the file is one ledger row.
                let id = out.line_id(number);
                let detail = format!(
                    "the stream ends early or is damaged at line {number} ({}); records after it are lost",
                    crate::files::describe_error(&e)
                );
                return out.refuse(id, DropReason::TruncatedFile, None, detail, Some(number), None);
            }
        };
        match line {
            Line::TooLong(len) => {
                parse(&mut pending, out)?;
                pending_bytes = 0;
                let id = out.line_id(number);
                let detail = format!("line is {len} bytes, over max_record_megabytes = {}", cfg.max_record_megabytes);
                out.refuse(id, DropReason::RecordTooLarge, None, detail, Some(number), None)?;
            }
            // A blank line is not a record.
            Line::Complete(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => {}
            Line::Complete(bytes) => {
                // Bounded by bytes and by lines: eight million one-byte lines would otherwise be
                // held (with a parse result each) before the first batch is parsed.
                pending_bytes += bytes.len() + LINE_OVERHEAD_BYTES;
                pending.push((number, bytes.to_vec()));
                if pending_bytes >= PARSE_BATCH_BYTES || pending.len() >= cfg.batch_rows.get() {
                    parse(&mut pending, out)?;
                    pending_bytes = 0;
                }
            }
        }
    }
}

/// Text parsed per batch of lines (bounded: the lines are held until their batch is parsed).
const PARSE_BATCH_BYTES: usize = 8 << 20;
/// What a held line costs besides its bytes (its number, its buffer, its parse result).
const LINE_OVERHEAD_BYTES: usize = 64;

/// Hands one parsed line to the emitter: a document, or a ledger row saying why not.
pub(crate) fn emit(number: u64, record: Result<Record, Refusal>, out: &mut Emitter<'_>) -> Result<()> {
    match record {
        Ok(record) => {
            let doc_id = match &record.id {
                Some(id) => out.record_id(id),
                None => out.line_id(number),
            };
            out.push(DocumentRef {
                doc_id: &doc_id,
                text: &record.text,
                source: record.source.as_deref(),
                url: record.url.as_deref(),
                meta: record.meta.as_deref(),
                line: Some(number),
                row: None,
                tier: out.declared_tier(record.tier.as_deref()),
                licence: None,
            })
        }
        Err(refusal) => {
            let id = out.line_id(number);
            out.refuse(id, refusal.reason, refusal.field.as_deref(), refusal.detail, Some(number), None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(line: &str) -> Result<Record, Refusal> {
        parse_record(line.as_bytes(), "text", Some("id"))
    }

    #[test]
    fn maps_fields_and_keeps_the_rest_as_meta() {
        let r = parse(
            r#"{"id":"A1","text":"第 1 條\n本法。","source":"law","url":"https://x","lang":"zh-Hant","meta":{"a":1}}"#,
        );
        let r = r.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(r.id.as_deref(), Some("A1"));
        assert_eq!(r.text, "第 1 條\n本法。");
        assert_eq!(r.source.as_deref(), Some("law"));
        assert_eq!(r.meta.as_deref(), Some(r#"{"lang":"zh-Hant","meta":{"a":1}}"#));
        let n = parse(r#"{"id":42,"text":"x"}"#).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((n.id.as_deref(), n.meta), (Some("42"), None));
    }

    #[test]
    fn refusals_name_reason_and_field() {
        let reason = |l: &str| parse(l).err().map(|r| (r.reason, r.field));
        assert_eq!(reason(r#"{"id":"1","text":"x""#), Some((DropReason::MalformedJson, None)));
        assert_eq!(reason(r#"["x"]"#), Some((DropReason::NotAnObject, None)));
        assert_eq!(reason("not json"), Some((DropReason::MalformedJson, None)));
        assert_eq!(reason(r#"{"id":"1"}"#), Some((DropReason::MissingField, Some("text".into()))));
        assert_eq!(reason(r#"{"id":"1","text":7}"#), Some((DropReason::WrongType, Some("text".into()))));
        assert_eq!(reason(r#"{"id":"1","text":"  \n"}"#), Some((DropReason::EmptyText, Some("text".into()))));
        assert_eq!(reason(r#"{"text":"x"}"#), Some((DropReason::MissingField, Some("id".into()))));
        assert_eq!(reason(r#"{"id":[1],"text":"x"}"#), Some((DropReason::WrongType, Some("id".into()))));
        assert_eq!(reason(r#"{"id":"1","text":"\ud800"}"#).map(|r| r.0), Some(DropReason::WrongType));
        let bad = parse_record(b"{\"text\":\"\xff\"}", "text", None).err().map(|r| r.reason);
        assert_eq!(bad, Some(DropReason::InvalidUtf8));
    }

    #[test]
    fn refusal_details_never_quote_the_line() {
        for line in [r#"{"text":"秘密A123456789""#, r#""秘密A123456789""#, r#"{"text":"秘密A123456789","text2":}"#]
        {
            let detail = parse(line).err().map(|r| r.detail).unwrap_or_default();
            assert!(!detail.contains("A123456789"), "{detail}");
        }
    }

    #[test]
    fn line_reader_ends_lines_at_lf_crlf_and_a_lone_cr() -> io::Result<()> {
        // A CR-only (old Mac) file is three lines, not one; CRLF across a buffer edge is one end.
        for cap in [1, 2, 3, 64] {
            let input = b"{\"a\":1}\r{\"a\":2}\r\n{\"a\":3}\r".to_vec();
            let mut r = LineReader::new(io::BufReader::with_capacity(cap, io::Cursor::new(input)), 100);
            let mut lines = Vec::new();
            while let Some(line) = r.next_line()? {
                lines.push(match line {
                    Line::Complete(b) => String::from_utf8_lossy(b).into_owned(),
                    Line::TooLong(n) => format!("<{n}>"),
                });
            }
            assert_eq!(lines, ["{\"a\":1}", "{\"a\":2}", "{\"a\":3}"], "buffer of {cap}");
        }
        Ok(())
    }

    #[test]
    fn line_reader_bounds_lines_and_strips_crlf() -> io::Result<()> {
        let input = format!("a\r\n{}\nb\nlast", "x".repeat(100));
        let mut r = LineReader::new(io::Cursor::new(input.into_bytes()), 10);
        assert_eq!(r.next_line()?, Some(Line::Complete(b"a")));
        assert_eq!(r.next_line()?, Some(Line::TooLong(101)));
        assert_eq!(r.next_line()?, Some(Line::Complete(b"b")));
        assert_eq!(r.next_line()?, Some(Line::Complete(b"last")));
        assert_eq!(r.next_line()?, None);
        Ok(())
    }

    proptest! {
        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_record(&bytes, "text", Some("id"));
        }

        #[test]
        fn any_string_text_roundtrips(text in "\\PC{1,50}", id in "[a-z0-9]{1,8}") {
            let line = serde_json::json!({"id": id, "text": text}).to_string();
            match parse(&line) {
                Ok(r) => { prop_assert_eq!(r.text, text); prop_assert_eq!(r.id, Some(id)); }
                Err(e) => prop_assert_eq!(e.reason, DropReason::EmptyText),
            }
        }

        #[test]
        fn line_reader_splits_like_lines(parts in proptest::collection::vec("[a-z]{0,20}", 0..20), max in 1usize..30) {
            let input = parts.join("\n");
            let mut r = LineReader::new(io::BufReader::with_capacity(7, io::Cursor::new(input.clone().into_bytes())), max);
            let mut got = Vec::new();
            while let Some(line) = r.next_line().map_err(|e| TestCaseError::fail(e.to_string()))? {
                got.push(match line { Line::Complete(b) => String::from_utf8_lossy(b).into_owned(), Line::TooLong(n) => format!("<{n}>") });
            }
            let want: Vec<String> = input.lines().enumerate().map(|(i, l)| {
                let last = i + 1 == input.lines().count() && !input.ends_with('\n');
                if l.len() > max { format!("<{}>", l.len() + usize::from(!last)) } else { l.to_string() }
            }).collect();
            prop_assert_eq!(got, want);
        }
    }
}
