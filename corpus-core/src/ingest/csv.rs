//! CSV and TSV reader: a header row, then one record per row; the text and id columns are the
//! manifest's `text_field` and `id_field`, every other column goes to `meta`. Rows are numbered
//! by their line in the file (a quoted field may span lines; the row's first line is used).
//!
//! Parsing is the `csv` crate's (RFC 4180 quoting, `""` escapes, CRLF); a spreadsheet's
//! "Save as CSV UTF-8" writes a BOM, which is dropped.

use std::collections::BTreeMap;

use super::{Contribution, DataFile, Emitter, FileKind, IngestConfig};
use crate::batch::DocumentRef;
use crate::error::Result;
use crate::stage::DropReason;

pub(crate) fn read(c: &Contribution, file: &DataFile, cfg: &IngestConfig, out: &mut Emitter<'_>) -> Result<()> {
    let counter = out.counter();
    counter.set(counter.get() + file.size);
    let opened = match crate::files::open_regular(&file.abs) {
        Ok(f) => f,
        Err(e) => {
            let id = out.file_id();
            let detail = format!("cannot open: {}", crate::files::describe_error(&e));
            return out.refuse(id, DropReason::UnreadableFile, None, detail, None, None);
        }
    };
    let delimiter = if file.kind == FileKind::Tsv { b'\t' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(CrlfToLf::new(std::io::BufReader::with_capacity(256 << 10, opened)));
    let m = &c.manifest;
    let max = cfg.max_record_bytes();
    let mut record = csv::ByteRecord::new();
    // The header row.
    let header: Vec<String> = match reader.read_byte_record(&mut record) {
        Ok(true) => {
            let names: Option<Vec<String>> = record
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let f = if i == 0 { f.strip_prefix(b"\xef\xbb\xbf").unwrap_or(f) } else { f };
                    std::str::from_utf8(f).ok().map(|s| s.trim().to_string())
                })
                .collect();
            match names {
                Some(names) => names,
                None => {
                    let id = out.file_id();
                    let detail = "the header row is not UTF-8 (save the file as CSV UTF-8)".to_string();
                    return out.refuse(id, DropReason::InvalidUtf8, None, detail, Some(1), None);
                }
            }
        }
        Ok(false) => {
            let id = out.file_id();
            return out.refuse(id, DropReason::EmptyText, None, "the file is empty".to_string(), None, None);
        }
        Err(e) => {
            let id = out.file_id();
            return out.refuse(id, DropReason::MalformedCsv, None, describe(&e), Some(1), None);
        }
    };
    let column = |name: &str| header.iter().position(|h| h == name);
    let has = super::has_fields(header.iter().map(String::as_str));
    let Some(text_col) = column(&m.text_field) else {
        let id = out.file_id();
        let detail = format!("no `{}` column in the header row{has}", m.text_field);
        return out.refuse(id, DropReason::MissingField, Some(&m.text_field), detail, Some(1), None);
    };
    let id_col = match &m.id_field {
        None => None,
        Some(f) => match column(f) {
            Some(i) => Some(i),
            None => {
                let id = out.file_id();
                let detail = format!("no `{f}` column in the header row{has}");
                return out.refuse(id, DropReason::MissingField, Some(f), detail, Some(1), None);
            }
        },
    };
    loop {
        let before = reader.position().line().max(1);
        let read = reader.read_byte_record(&mut record);
        let line = record.position().map_or(before, csv::Position::line).max(1);
        match read {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                let line = before;
                let id = out.line_id(line);
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return out.refuse(id, DropReason::UnreadableFile, None, describe(&e), Some(line), None);
                }
                out.refuse(id, DropReason::MalformedCsv, None, describe(&e), Some(line), None)?;
                continue;
            }
        }
        // A blank line is not a record.
        if record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if record.as_slice().len() > max {
            let id = out.line_id(line);
            let detail = format!("row is over max_record_megabytes = {}", cfg.max_record_megabytes);
            out.refuse(id, DropReason::RecordTooLarge, None, detail, Some(line), None)?;
            continue;
        }
        let mut fields: Vec<&str> = Vec::with_capacity(record.len());
        let mut bad = None;
        for (i, f) in record.iter().enumerate() {
            match std::str::from_utf8(f) {
                Ok(s) => fields.push(s),
                Err(_) => {
                    bad = Some(i);
                    break;
                }
            }
        }
        if let Some(i) = bad {
            let id = out.line_id(line);
            let name = header.get(i).cloned().unwrap_or_else(|| format!("column {}", i + 1));
            let detail = format!("column `{name}` is not UTF-8 (save the file as CSV UTF-8)");
            out.refuse(id, DropReason::InvalidUtf8, None, detail, Some(line), None)?;
            continue;
        }
        let text = fields.get(text_col).copied().unwrap_or("");
        let doc_id = match id_col {
            None => out.line_id(line),
            Some(i) => match fields.get(i).map(|s| s.trim()).filter(|s| !s.is_empty()) {
                Some(v) => out.record_id(v),
                None => {
                    let id = out.line_id(line);
                    let f = m.id_field.as_deref().unwrap_or("id");
                    out.refuse(id, DropReason::MissingField, Some(f), format!("`{f}` is empty"), Some(line), None)?;
                    continue;
                }
            },
        };
        if text.trim().is_empty() {
            let detail = format!("`{}` is empty", m.text_field);
            out.refuse(doc_id, DropReason::EmptyText, Some(&m.text_field), detail, Some(line), None)?;
            continue;
        }
        // Every other non-empty column, as a JSON object with sorted keys.
        let meta: BTreeMap<&str, &str> = header
            .iter()
            .enumerate()
            .filter(|(i, h)| *i != text_col && Some(*i) != id_col && !h.is_empty())
            .filter_map(|(i, h)| Some((h.as_str(), *fields.get(i)?)))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let meta = (!meta.is_empty()).then(|| serde_json::to_string(&meta).unwrap_or_default());
        let string = |name: &str| meta_field(&header, &fields, name);
        out.push(DocumentRef {
            doc_id: &doc_id,
            text,
            source: string("source"),
            url: string("url"),
            meta: meta.as_deref(),
            line: Some(line),
            row: None,
            tier: None,
            licence: None,
        })?;
    }
}

/// Reads `\r\n` as `\n`. The csv crate counts lines wrongly after a `\r\n` row end (the
/// next record's position is taken before its `\n`), and Excel writes `\r\n`: with this,
/// every row's line is the line it starts on. A `\r\n` inside a quoted field becomes `\n`
/// too, as normalize would make it.
struct CrlfToLf<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    eof: bool,
}

impl<R: std::io::Read> CrlfToLf<R> {
    fn new(inner: R) -> Self {
        Self { inner, buf: vec![0; 64 << 10].into_boxed_slice(), pos: 0, len: 0, eof: false }
    }
}

impl<R: std::io::Read> std::io::Read for CrlfToLf<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            // Two bytes at hand (or the end): a `\r` is only written once its next byte is known.
            if self.len - self.pos < 2 && !self.eof {
                self.buf.copy_within(self.pos..self.len, 0);
                self.len -= self.pos;
                self.pos = 0;
                match self.inner.read(&mut self.buf[self.len..])? {
                    0 => self.eof = true,
                    n => self.len += n,
                }
                continue;
            }
            if self.pos == self.len {
                return Ok(0);
            }
            let mut w = 0;
            while w < out.len() && self.pos < self.len {
                let b = self.buf[self.pos];
                if b == b'\r' {
                    if self.pos + 1 < self.len {
                        if self.buf[self.pos + 1] == b'\n' {
                            self.pos += 1; // drop the `\r` of `\r\n`
                            continue;
                        }
                    } else if !self.eof {
                        break; // its next byte is not read yet
                    }
                }
                out[w] = b;
                w += 1;
                self.pos += 1;
            }
            if w > 0 {
                return Ok(w);
            }
        }
    }
}

fn meta_field<'a>(header: &[String], fields: &[&'a str], name: &str) -> Option<&'a str> {
    let i = header.iter().position(|h| h == name)?;
    fields.get(i).copied().filter(|v| !v.is_empty())
}

/// A csv error without the field's content.
fn describe(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => format!("cannot read: {}", crate::files::describe_error(io)),
        csv::ErrorKind::Utf8 { .. } => "not UTF-8".to_string(),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("{len} columns where the header has {expected_len}")
        }
        _ => "not valid CSV".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Read as _;

    fn through(bytes: &[u8], chunk: usize) -> Vec<u8> {
        struct Chunks<'a>(&'a [u8], usize);
        impl std::io::Read for Chunks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        CrlfToLf::new(Chunks(bytes, chunk)).read_to_end(&mut out).map(|_| out).unwrap_or_default()
    }

    proptest! {
        /// Whatever the chunking, the output is the input with every `\r\n` made `\n`.
        #[test]
        fn crlf_becomes_lf_across_any_chunks(bytes in proptest::collection::vec(prop_oneof![Just(b'\r'), Just(b'\n'), Just(b'a')], 0..64), chunk in 1usize..8) {
            let want: Vec<u8> = String::from_utf8_lossy(&bytes).replace("\r\n", "\n").into_bytes();
            prop_assert_eq!(through(&bytes, chunk), want);
        }
    }

    #[test]
    fn rows_are_numbered_by_the_line_they_start_on() {
        let src = b"id,text\r\n1,\"a\r\nb\"\r\n2,x\r\n";
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(CrlfToLf::new(&src[..]));
        let mut record = csv::ByteRecord::new();
        let mut lines = Vec::new();
        while r.read_byte_record(&mut record).unwrap_or(false) {
            lines.push(record.position().map_or(0, csv::Position::line));
        }
        assert_eq!(lines, [1, 2, 4]);
    }
}
