//! Plain-text reader: one document per `.txt` file, id `<contribution>/<file>`.

use std::io::Read;

use super::{Contribution, DataFile, Emitter, IngestConfig};
use crate::batch::DocumentRef;
use crate::error::Result;
use crate::stage::DropReason;

pub(crate) fn read(c: &Contribution, file: &DataFile, cfg: &IngestConfig, out: &mut Emitter<'_>) -> Result<()> {
    let doc_id = format!("{}/{}", c.id(), file.rel);
    let counter = out.counter();
    counter.set(counter.get() + file.size);
    let max = cfg.max_record_bytes();
    let mut bytes = Vec::new();
    let read = crate::files::open_regular(&file.abs).and_then(|f| f.take(max as u64 + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        let detail = format!("cannot read: {}", crate::files::describe_error(&e));
        return out.refuse(doc_id, DropReason::UnreadableFile, None, detail, None, None);
    }
    if bytes.len() > max {
        let detail = format!("file is over max_record_megabytes = {}", cfg.max_record_megabytes);
        return out.refuse(doc_id, DropReason::RecordTooLarge, None, detail, None, None);
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t),
        Err(e) => {
            let detail = format!("invalid UTF-8 at byte {}", e.valid_up_to());
            return out.refuse(doc_id, DropReason::InvalidUtf8, None, detail, None, None);
        }
    };
    if text.trim().is_empty() {
        return out.refuse(doc_id, DropReason::EmptyText, None, "the file is empty".to_string(), None, None);
    }
    out.push(DocumentRef::new(&doc_id, text))
}
