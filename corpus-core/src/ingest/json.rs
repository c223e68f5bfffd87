//! `.json` reader: a JSON array of records (what spreadsheet exports and many scripts write),
//! or one object. Each element is read like a JSONL line ([`super::jsonl::parse_record`]) and
//! numbered by the line it starts on. The whole file is held while it is read, so it is
//! bounded: larger files should be JSONL.

use super::jsonl::{emit, parse_record};
use super::{Contribution, DataFile, Emitter, IngestConfig};
use crate::error::Result;
use crate::stage::DropReason;

/// The largest `.json` file read (it is parsed whole).
pub const MAX_JSON_BYTES: u64 = 1 << 30;

pub(crate) fn read(c: &Contribution, file: &DataFile, cfg: &IngestConfig, out: &mut Emitter<'_>) -> Result<()> {
    let counter = out.counter();
    counter.set(counter.get() + file.size);
    if file.size > MAX_JSON_BYTES {
        let id = out.file_id();
        let detail =
            format!("a .json file is read whole; this one is over {} MiB: write it as JSONL", MAX_JSON_BYTES >> 20);
        return out.refuse(id, DropReason::RecordTooLarge, None, detail, None, None);
    }
    let bytes = match crate::files::read_regular(&file.abs, MAX_JSON_BYTES) {
        Ok(b) => b,
        Err(e) => {
            let id = out.file_id();
            let detail = format!("cannot read: {}", crate::files::describe_error(&e));
            return out.refuse(id, DropReason::UnreadableFile, None, detail, None, None);
        }
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t),
        Err(e) => {
            let id = out.file_id();
            let detail = format!("invalid UTF-8 at byte {}", e.valid_up_to());
            return out.refuse(id, DropReason::InvalidUtf8, None, detail, None, None);
        }
    };
    let m = &c.manifest;
    let line_at = |s: &str| {
        let offset = (s.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        crate::error::line_of(text, offset)
    };
    let elements: Vec<&serde_json::value::RawValue> = match text.trim_start().as_bytes().first() {
        Some(b'[') => match serde_json::from_str(text) {
            Ok(e) => e,
            Err(e) => {
                let id = out.file_id();
                let detail = match e.classify() {
                    serde_json::error::Category::Data => "the array holds something other than JSON values".to_string(),
                    _ => {
                        let full = e.to_string();
                        let what = full.split(" at line ").next().unwrap_or("invalid JSON").to_string();
                        format!("{what} at line {} column {}", e.line(), e.column())
                    }
                };
                return out.refuse(id, DropReason::MalformedJson, None, detail, Some(e.line() as u64), None);
            }
        },
        Some(b'{') => match serde_json::from_str(text) {
            Ok(one) => vec![one],
            Err(e) => {
                let id = out.file_id();
                let detail = format!("not valid JSON at line {} column {}", e.line(), e.column());
                return out.refuse(id, DropReason::MalformedJson, None, detail, Some(e.line() as u64), None);
            }
        },
        _ => {
            let id = out.file_id();
            let detail = "a .json file must hold an array of objects `[{…}, {…}]` or one object".to_string();
            return out.refuse(id, DropReason::NotAnObject, None, detail, Some(1), None);
        }
    };
    let max = cfg.max_record_bytes();
    for raw in elements {
        let line = line_at(raw.get());
        if raw.get().len() > max {
            let id = out.line_id(line);
            let detail = format!("record is over max_record_megabytes = {}", cfg.max_record_megabytes);
            out.refuse(id, DropReason::RecordTooLarge, None, detail, Some(line), None)?;
            continue;
        }
        // Numbered by its line, then handled exactly as a JSONL line.
        emit(line, parse_record(raw.get().as_bytes(), &m.text_field, m.id_field.as_deref()), out)?;
    }
    Ok(())
}
