//! Reading Parquet files with more than 32,767 row groups.
//!
//! The format gives a row group an optional `i16` ordinal, and parquet-rs 59 refuses a footer
//! listing more row groups than an `i16` can number ("Row group ordinal 32768 exceeds i16 max
//! value"), although pyarrow writes and reads such files. The fix (apache/arrow-rs#10149)
//! landed in parquet 60, but arrow and parquet stay on the major DataFusion 55 uses (59). So
//! such a file is read through *views*: the same bytes, with the footer rewritten to list one
//! slice of at most 32,767 row groups each. Column chunks are found by their absolute offsets,
//! which a view leaves where they are; only the footer's list of row groups (and its row count)
//! changes. Writing this by hand is ~150 lines of the Thrift compact protocol (skipping values,
//! never interpreting them), far less than forking parquet-rs; delete it with the move to 60.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use parquet::errors::{ParquetError, Result as PqResult};
use parquet::file::reader::{ChunkReader, Length};

/// Most row groups parquet-rs 59 reads in one footer.
pub const MAX_ROW_GROUPS: usize = i16::MAX as usize;

/// Whether a parquet error is parquet-rs 59 refusing a footer with too many row groups.
pub fn too_many_row_groups(e: &ParquetError) -> bool {
    e.to_string().contains("exceeds i16 max value")
}

/// A Parquet file seen with a rewritten footer: the original bytes up to the footer, then the
/// view's footer.
#[derive(Debug, Clone)]
pub struct View {
    file: Arc<File>,
    /// Where the original footer starts (its bytes are never read through the view).
    data_end: u64,
    /// The view's footer: Thrift `FileMetaData`, its length (LE u32) and `PAR1`.
    footer: Bytes,
    /// Index of the view's first row group in the file.
    pub first_row_group: usize,
    /// Row groups in the view.
    pub row_groups: usize,
}

impl Length for View {
    fn len(&self) -> u64 {
        self.data_end + self.footer.len() as u64
    }
}

/// A reader of a view from an offset.
#[derive(Debug)]
pub struct ViewRead {
    view: View,
    pos: u64,
}

impl Read for ViewRead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let end = self.view.len();
        if self.pos >= end || buf.is_empty() {
            return Ok(0);
        }
        let n = if self.pos < self.view.data_end {
            let want = buf.len().min((self.view.data_end - self.pos) as usize);
            read_at(&self.view.file, &mut buf[..want], self.pos)?
        } else {
            let at = (self.pos - self.view.data_end) as usize;
            let want = buf.len().min(self.view.footer.len() - at);
            buf[..want].copy_from_slice(&self.view.footer[at..at + want]);
            want
        };
        self.pos += n as u64;
        Ok(n)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, at)
}

#[cfg(not(unix))]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, at)
}

impl ChunkReader for View {
    // Buffered, as parquet's own `File` reader is: page headers are read a byte at a time.
    type T = std::io::BufReader<ViewRead>;

    fn get_read(&self, start: u64) -> PqResult<Self::T> {
        Ok(std::io::BufReader::with_capacity(1 << 16, ViewRead { view: self.clone(), pos: start }))
    }

    fn get_bytes(&self, start: u64, length: usize) -> PqResult<Bytes> {
        let mut out = vec![0u8; length];
        let mut reader = ViewRead { view: self.clone(), pos: start };
        reader.read_exact(&mut out).map_err(|e| ParquetError::External(Box::new(e)))?;
        Ok(Bytes::from(out))
    }
}

/// Cuts a file's footer into views of at most `per_view` row groups.
pub fn views(path: &Path, per_view: usize) -> std::io::Result<Vec<View>> {
    let footer = Footer::read(path)?;
    (0..footer.views(per_view)).map(|k| footer.view(k, per_view)).collect()
}

/// View `k` of [`views`]`(path, per_view)`, without building the others.
pub fn view_at(path: &Path, per_view: usize, k: usize) -> std::io::Result<View> {
    let footer = Footer::read(path)?;
    if k >= footer.views(per_view) {
        return Err(bad("fewer row groups than when the file was planned"));
    }
    footer.view(k, per_view)
}

fn bad(m: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, format!("Parquet footer: {m}"))
}

/// A file's original footer, parsed into its layout.
struct Footer {
    file: Arc<File>,
    data_end: u64,
    meta: Vec<u8>,
    layout: Layout,
}

impl Footer {
    fn read(path: &Path) -> std::io::Result<Self> {
        let file = crate::files::open_regular(path)?;
        let size = file.metadata()?.len();
        if size < 12 {
            return Err(bad("file too short"));
        }
        let mut tail = [0u8; 8];
        read_exact_at(&file, &mut tail, size - 8)?;
        if &tail[4..] != b"PAR1" {
            return Err(bad("no PAR1 magic at the end"));
        }
        let len = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
        let data_end =
            size.checked_sub(8 + len).filter(|&d| d >= 4).ok_or_else(|| bad("footer longer than the file"))?;
        let mut meta = vec![0u8; len as usize];
        read_exact_at(&file, &mut meta, data_end)?;
        let layout = Layout::parse(&meta).map_err(|m| bad(&m))?;
        Ok(Self { file: Arc::new(file), data_end, meta, layout })
    }

    fn views(&self, per_view: usize) -> usize {
        self.layout.row_groups.len().max(1).div_ceil(per_view.max(1))
    }

    fn view(&self, k: usize, per_view: usize) -> std::io::Result<View> {
        let per_view = per_view.max(1);
        let first = k * per_view;
        let last = (first + per_view).min(self.layout.row_groups.len());
        let first = first.min(last);
        let mut footer = self.layout.footer(first..last, &self.meta).map_err(|m| bad(&m))?;
        let n = u32::try_from(footer.len()).map_err(|_| bad("footer too long"))?;
        footer.extend_from_slice(&n.to_le_bytes());
        footer.extend_from_slice(b"PAR1");
        Ok(View {
            file: Arc::clone(&self.file),
            data_end: self.data_end,
            footer: Bytes::from(footer),
            first_row_group: first,
            row_groups: last - first,
        })
    }
}

fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    let mut done = 0;
    while done < buf.len() {
        let n = read_at(file, &mut buf[done..], at + done as u64)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        done += n;
    }
    Ok(())
}

/// Where the parts of a `FileMetaData` are in its Thrift compact bytes.
#[derive(Debug)]
struct Layout {
    /// `num_rows` (field 3): where its value starts and ends.
    num_rows: Option<(usize, usize)>,
    /// `row_groups` (field 4): where its list header starts and its elements end.
    list: Option<(usize, usize)>,
    /// Each row group's bytes and row count.
    row_groups: Vec<(usize, usize, i64)>,
}

impl Layout {
    fn parse(meta: &[u8]) -> Result<Self, String> {
        let mut r = Compact { b: meta, at: 0 };
        let mut layout = Layout { num_rows: None, list: None, row_groups: Vec::new() };
        let mut id = 0i16;
        loop {
            let (field, kind) = r.field_header(&mut id)?;
            let Some(kind) = kind else { break };
            match (field, kind) {
                (3, 6) => {
                    let start = r.at;
                    r.varint()?;
                    layout.num_rows = Some((start, r.at));
                }
                (4, 9) => {
                    let start = r.at;
                    let (size, elem) = r.list_header()?;
                    if elem != 12 {
                        return Err("row groups are not structs".into());
                    }
                    for _ in 0..size {
                        let from = r.at;
                        let rows = r.row_group_rows()?;
                        layout.row_groups.push((from, r.at, rows));
                    }
                    layout.list = Some((start, r.at));
                }
                _ => r.skip(kind, 0)?,
            }
        }
        if layout.list.is_none() {
            return Err("no list of row groups".into());
        }
        Ok(layout)
    }

    /// The footer with only row groups `range` (and their row count).
    fn footer(&self, range: std::ops::Range<usize>, meta: &[u8]) -> Result<Vec<u8>, String> {
        let mut edits: Vec<(usize, usize, Vec<u8>)> = Vec::new();
        if let Some((a, b)) = self.num_rows {
            let rows = self.row_groups[range.clone()]
                .iter()
                .try_fold(0i64, |sum, g| sum.checked_add(g.2).filter(|_| g.2 >= 0))
                .ok_or("row counts out of range")?;
            edits.push((a, b, zigzag_varint(rows)));
        }
        if let Some((a, b)) = self.list {
            let mut list = list_header(range.len(), 12);
            for &(from, to, _) in &self.row_groups[range] {
                list.extend_from_slice(&meta[from..to]);
            }
            edits.push((a, b, list));
        }
        edits.sort_by_key(|e| e.0);
        let mut out = Vec::with_capacity(meta.len());
        let mut at = 0;
        for (a, b, bytes) in edits {
            out.extend_from_slice(&meta[at..a]);
            out.extend_from_slice(&bytes);
            at = b;
        }
        out.extend_from_slice(&meta[at..]);
        Ok(out)
    }
}

fn varint(mut v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

fn zigzag_varint(v: i64) -> Vec<u8> {
    varint(((v << 1) ^ (v >> 63)) as u64)
}

fn list_header(size: usize, elem: u8) -> Vec<u8> {
    if size < 15 {
        vec![(size as u8) << 4 | elem]
    } else {
        let mut out = vec![0xf0 | elem];
        out.extend(varint(size as u64));
        out
    }
}

/// A cursor over Thrift compact-protocol bytes that skips values without building them.
struct Compact<'a> {
    b: &'a [u8],
    at: usize,
}

impl Compact<'_> {
    fn byte(&mut self) -> Result<u8, String> {
        let v = *self.b.get(self.at).ok_or("footer ends early")?;
        self.at += 1;
        Ok(v)
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("varint too long".into())
    }

    fn zigzag(&mut self) -> Result<i64, String> {
        let v = self.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    /// A field header: its id (delta-coded from `last`) and type, or `None` at STOP.
    fn field_header(&mut self, last: &mut i16) -> Result<(i16, Option<u8>), String> {
        let b = self.byte()?;
        if b == 0 {
            return Ok((0, None));
        }
        let delta = b >> 4;
        let id = if delta == 0 { self.zigzag()? as i16 } else { last.wrapping_add(i16::from(delta)) };
        *last = id;
        Ok((id, Some(b & 0x0f)))
    }

    /// Bytes not yet read: every element of a collection takes at least one.
    fn remaining(&self) -> usize {
        self.b.len().saturating_sub(self.at)
    }

    fn list_header(&mut self) -> Result<(usize, u8), String> {
        let b = self.byte()?;
        let size = match b >> 4 {
            15 => usize::try_from(self.varint()?).map_err(|_| "list too long")?,
            s => s as usize,
        };
        if size > self.remaining() {
            return Err("list longer than the footer".into());
        }
        Ok((size, b & 0x0f))
    }

    fn skip_bytes(&mut self, n: usize) -> Result<(), String> {
        if n > self.remaining() {
            return Err("footer ends early".into());
        }
        self.at += n;
        Ok(())
    }

    /// Skips an element of a list, set or map: a boolean there takes a byte (in a struct
    /// field, it is in the field header).
    fn skip_element(&mut self, kind: u8, depth: u32) -> Result<(), String> {
        if kind == 1 || kind == 2 { self.skip_bytes(1) } else { self.skip(kind, depth) }
    }

    /// Skips a value of compact type `kind` (as a list element when `in_list`).
    fn skip(&mut self, kind: u8, depth: u32) -> Result<(), String> {
        if depth > 64 {
            return Err("nested too deep".into());
        }
        match kind {
            1 | 2 => Ok(()),
            3 => self.skip_bytes(1),
            4..=6 => self.varint().map(|_| ()),
            7 => self.skip_bytes(8),
            8 => {
                let n = usize::try_from(self.varint()?).map_err(|_| "binary too long")?;
                self.skip_bytes(n)
            }
            9 | 10 => {
                let (size, elem) = self.list_header()?;
                for _ in 0..size {
                    self.skip_element(elem, depth + 1)?;
                }
                Ok(())
            }
            11 => {
                let size = usize::try_from(self.varint()?).map_err(|_| "map too long")?;
                if size == 0 {
                    return Ok(());
                }
                if size > self.remaining() / 2 {
                    return Err("map longer than the footer".into());
                }
                let kv = self.byte()?;
                for _ in 0..size {
                    self.skip_element(kv >> 4, depth + 1)?;
                    self.skip_element(kv & 0x0f, depth + 1)?;
                }
                Ok(())
            }
            12 => {
                let mut id = 0i16;
                while let (_, Some(k)) = self.field_header(&mut id)? {
                    self.skip(k, depth + 1)?;
                }
                Ok(())
            }
            other => Err(format!("unknown Thrift type {other}")),
        }
    }

    /// Skips a `RowGroup` struct, returning its `num_rows` (field 3).
    fn row_group_rows(&mut self) -> Result<i64, String> {
        let mut id = 0i16;
        let mut rows = 0;
        while let (field, Some(kind)) = self.field_header(&mut id)? {
            if (field, kind) == (3, 6) {
                rows = self.zigzag()?;
            } else {
                self.skip(kind, 1)?;
            }
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_in_maps_take_a_byte_and_sizes_are_bounded_by_the_bytes_left() {
        // map<binary, bool> of two entries: size 2, key type 8 / value type 1, then a, true, b, false.
        let map = [2u8, 0x81, 1, b'a', 1, 1, b'b', 2];
        let mut r = Compact { b: &map, at: 0 };
        assert_eq!(r.skip(11, 0), Ok(()));
        assert_eq!(r.at, map.len());
        // A list claiming 2^62 elements, a binary of 2^63 bytes: errors, not overflows.
        for bytes in [
            &[0xf8u8, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40][..],
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
        ] {
            let kind = if bytes[0] == 0xf8 { 9 } else { 8 };
            assert!(Compact { b: bytes, at: 0 }.skip(kind, 0).is_err());
        }
    }

    #[test]
    fn a_view_of_an_ordinary_file_reads_as_the_file() -> std::io::Result<()> {
        use arrow_array::{ArrayRef, Int64Array, RecordBatch};
        use parquet::arrow::ArrowWriter;
        use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("a.parquet");
        let ids: ArrayRef = Arc::new(Int64Array::from_iter_values(0..100));
        let batch = RecordBatch::try_from_iter([("id", ids)]).map_err(std::io::Error::other)?;
        let props = parquet::file::properties::WriterProperties::builder().set_max_row_group_row_count(Some(7)).build();
        let mut w =
            ArrowWriter::try_new(File::create(&path)?, batch.schema(), Some(props)).map_err(std::io::Error::other)?;
        w.write(&batch).map_err(std::io::Error::other)?;
        w.close().map_err(std::io::Error::other)?;
        let views = views(&path, 5)?;
        assert_eq!(views.iter().map(|v| v.row_groups).collect::<Vec<_>>(), [5, 5, 5]);
        let mut all = Vec::new();
        for v in views {
            let reader = ParquetRecordBatchReaderBuilder::try_new(v).map_err(std::io::Error::other)?;
            assert!(reader.metadata().file_metadata().num_rows() <= 35);
            for b in reader.build().map_err(std::io::Error::other)? {
                let b = b.map_err(std::io::Error::other)?;
                let col = b.column(0).as_any().downcast_ref::<Int64Array>().map(|a| a.values().to_vec());
                all.extend(col.unwrap_or_default());
            }
        }
        assert_eq!(all, (0..100).collect::<Vec<_>>());
        Ok(())
    }

    #[test]
    fn damaged_footers_are_errors_not_panics() {
        for bytes in [&b""[..], b"PAR1", b"PAR1\xff\xff\xff\xffPAR1", b"PAR1\x19\x1c\x00\x00\x04\x00\x00\x00PAR1"] {
            let dir = tempfile::tempdir().map_err(|e| e.to_string());
            let Ok(dir) = dir else { continue };
            let path = dir.path().join("x.parquet");
            if std::fs::write(&path, bytes).is_ok() {
                assert!(views(&path, 10).is_err());
            }
        }
    }
}
