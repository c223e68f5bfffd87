//! Where a document goes and in what order: the seeded train/validation split, the seeded
//! shuffle key, token-id columns, and packing into fixed-length sequences. Pure functions of
//! the document id, the seed and the ids, so output is independent of thread count and input
//! order.

use std::sync::Arc;

use arrow_array::{Array, ArrayRef, ListArray, StringArray, UInt16Array, UInt32Array};
use arrow_buffer::OffsetBuffer;
use arrow_schema::{DataType, Field};
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::error::{Error, Result};
use crate::tokenize::IdType;

/// The token ids column.
pub const INPUT_IDS: &str = "input_ids";
/// Tokens of the row (document, or packed sequence).
pub const N_TOKENS: &str = "n_tokens";
/// Packed rows: the documents with a piece in the sequence, in order.
pub const DOC_IDS: &str = "doc_ids";
/// Packed rows: where each piece starts in the sequence.
pub const DOC_STARTS: &str = "doc_starts";

/// Salt that makes the split hash independent of the shuffle hash of the same seed.
const SPLIT_SALT: u64 = 0x9e37_79b9_7f4a_7c15;

/// The two splits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    /// Training data.
    Train,
    /// Held out.
    Validation,
}

impl Split {
    /// Both, in output order.
    pub const ALL: [Split; 2] = [Split::Train, Split::Validation];

    /// `train` or `validation`.
    pub fn as_str(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Validation => "validation",
        }
    }
}

/// The split of `doc_id`: validation with probability `fraction`, decided by a seeded hash of
/// the id alone, so a document stays in its split across releases with the same seed.
pub fn split_of(seed: u64, doc_id: &str, fraction: f64) -> Split {
    let h = xxh3_64_with_seed(doc_id.as_bytes(), seed ^ SPLIT_SALT);
    // The top 53 bits as a uniform float in [0, 1).
    let u = (h >> 11) as f64 / (1u64 << 53) as f64;
    if u < fraction { Split::Validation } else { Split::Train }
}

/// The shuffle key of `doc_id`: documents are written in ascending key order (ties, which
/// only equal ids produce in practice, in input order).
pub fn order_key(seed: u64, doc_id: &str) -> u64 {
    xxh3_64_with_seed(doc_id.as_bytes(), seed)
}

/// A `list<uint16|uint32>` column of token ids, a row per item of `ids`.
pub fn ids_array<T: AsRef<[u32]>>(ids: &[T], id_type: IdType) -> Result<ArrayRef> {
    let offsets = OffsetBuffer::<i32>::from_lengths(ids.iter().map(|r| r.as_ref().len()));
    let total = ids.iter().map(|r| r.as_ref().len()).sum::<usize>();
    let flat = ids.iter().flat_map(|r| r.as_ref().iter()).copied();
    // Sized up front: a shard's chunk holds tens of MB of ids, and growing by doubling would
    // hold up to twice that.
    let (values, item): (ArrayRef, DataType) = match id_type {
        IdType::Uint32 => {
            let mut v = Vec::with_capacity(total);
            v.extend(flat);
            (Arc::new(UInt32Array::from(v)), DataType::UInt32)
        }
        IdType::Uint16 => {
            let mut v: Vec<u16> = Vec::with_capacity(total);
            for id in flat {
                v.push(u16::try_from(id).map_err(|_| Error::Internal(format!("token id {id} does not fit uint16")))?);
            }
            (Arc::new(UInt16Array::from(v)), DataType::UInt16)
        }
    };
    let field = Arc::new(Field::new_list_field(item, false));
    Ok(Arc::new(ListArray::try_new(field, offsets, values, None)?))
}

/// The ids of row `i` of an [`ids_array`] column, widened to u32.
pub fn row_ids(column: &ListArray, i: usize) -> Vec<u32> {
    let values = column.value(i);
    if let Some(v) = values.as_any().downcast_ref::<UInt16Array>() {
        v.values().iter().map(|&x| u32::from(x)).collect()
    } else if let Some(v) = values.as_any().downcast_ref::<UInt32Array>() {
        v.values().to_vec()
    } else {
        Vec::new()
    }
}

/// One packed sequence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sequence {
    /// Its tokens: `seq_len` of them, the last `padding` of which are padding (with
    /// `tail = "pad"`), or fewer for the kept short tail of a shard (`tail = "keep"`).
    pub ids: Vec<u32>,
    /// The documents with a piece in it.
    pub doc_ids: Vec<String>,
    /// Where each piece starts.
    pub starts: Vec<u32>,
    /// Padding tokens at its end.
    pub padding: u32,
}

/// What becomes of a shard's last tokens, too few to fill a sequence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tail {
    /// Dropped (counted in the manifest): every row holds exactly `seq_len` tokens.
    #[default]
    Drop,
    /// Padded to `seq_len` (the pad id is the EOS token's, else 0), with `attention_mask`.
    Pad,
    /// Kept as a shorter last row.
    Keep,
}

/// What [`Packer::finish`] leaves.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Packed {
    /// The remaining sequences, the tail as the policy says.
    pub sequences: Vec<Sequence>,
    /// Tokens of the dropped tail.
    pub tokens_dropped: u64,
    /// Documents that were wholly in the dropped tail (they are in no row).
    pub documents_dropped: Vec<String>,
}

/// Concatenates documents (their ids already end with EOS when one is configured) and cuts
/// the stream into sequences of `seq_len` tokens. A document longer than what is left of a
/// sequence continues in the next one, so no token is dropped or repeated until the end, where
/// the last, short sequence goes as [`Tail`] says.
#[derive(Debug)]
pub struct Packer {
    seq_len: usize,
    current: Sequence,
    /// The current sequence's first piece continues a document of the previous one.
    continued: bool,
    full: Vec<Sequence>,
}

impl Packer {
    /// A packer of `seq_len`-token sequences.
    pub fn new(seq_len: usize) -> Self {
        Self { seq_len: seq_len.max(1), current: Sequence::default(), continued: false, full: Vec::new() }
    }

    /// Appends a document.
    pub fn push(&mut self, doc_id: &str, mut ids: &[u32]) {
        while !ids.is_empty() {
            let room = self.seq_len - self.current.ids.len();
            let take = room.min(ids.len());
            self.current.doc_ids.push(doc_id.to_string());
            self.current.starts.push(self.current.ids.len() as u32);
            self.current.ids.extend_from_slice(&ids[..take]);
            ids = &ids[take..];
            if self.current.ids.len() == self.seq_len {
                self.full.push(std::mem::take(&mut self.current));
                self.continued = !ids.is_empty();
            }
        }
    }

    /// Sequences completed and not yet taken.
    pub fn pending(&self) -> usize {
        self.full.len()
    }

    /// The sequences completed so far.
    pub fn take_full(&mut self) -> Vec<Sequence> {
        std::mem::take(&mut self.full)
    }

    /// Every remaining sequence, the short last one as `tail` says (`pad`: with `pad_id`).
    pub fn finish(mut self, tail: Tail, pad_id: u32) -> Packed {
        let mut packed = Packed::default();
        let mut last = std::mem::take(&mut self.current);
        if !last.ids.is_empty() {
            match tail {
                Tail::Keep => self.full.push(last),
                Tail::Pad => {
                    last.padding = (self.seq_len - last.ids.len()) as u32;
                    last.ids.resize(self.seq_len, pad_id);
                    self.full.push(last);
                }
                Tail::Drop => {
                    packed.tokens_dropped = last.ids.len() as u64;
                    let skip = usize::from(self.continued);
                    packed.documents_dropped = last.doc_ids.into_iter().skip(skip).collect();
                }
            }
        }
        packed.sequences = self.full;
        packed
    }
}

/// Attention masks of padded rows.
pub const ATTENTION_MASK: &str = "attention_mask";

/// The columns of packed rows: `input_ids`, `n_tokens` (real tokens, padding left out),
/// `doc_ids`, `doc_starts`, and with `mask` an `attention_mask` (`list<uint8>`: 1 for a real
/// token, 0 for padding).
pub fn packed_columns(seqs: &[Sequence], id_type: IdType, mask: bool) -> Result<Vec<(&'static str, ArrayRef)>> {
    let ids: Vec<&[u32]> = seqs.iter().map(|s| s.ids.as_slice()).collect();
    let n_tokens: UInt32Array = seqs.iter().map(|s| Some(s.ids.len() as u32 - s.padding)).collect();
    let doc_ids = {
        let offsets = OffsetBuffer::<i32>::from_lengths(seqs.iter().map(|s| s.doc_ids.len()));
        let values: StringArray = seqs.iter().flat_map(|s| s.doc_ids.iter().map(|d| Some(d.as_str()))).collect();
        ListArray::try_new(Arc::new(Field::new_list_field(DataType::Utf8, false)), offsets, Arc::new(values), None)?
    };
    let starts = {
        let offsets = OffsetBuffer::<i32>::from_lengths(seqs.iter().map(|s| s.starts.len()));
        let values: UInt32Array = seqs.iter().flat_map(|s| s.starts.iter().map(|&x| Some(x))).collect();
        ListArray::try_new(Arc::new(Field::new_list_field(DataType::UInt32, false)), offsets, Arc::new(values), None)?
    };
    let mut columns = vec![
        (INPUT_IDS, ids_array(&ids, id_type)?),
        (N_TOKENS, Arc::new(n_tokens) as ArrayRef),
        (DOC_IDS, Arc::new(doc_ids) as ArrayRef),
        (DOC_STARTS, Arc::new(starts) as ArrayRef),
    ];
    if mask {
        let offsets = OffsetBuffer::<i32>::from_lengths(seqs.iter().map(|s| s.ids.len()));
        let values: arrow_array::UInt8Array = seqs
            .iter()
            .flat_map(|s| {
                let real = s.ids.len() - s.padding as usize;
                (0..s.ids.len()).map(move |i| u8::from(i < real))
            })
            .collect();
        let list = ListArray::try_new(
            Arc::new(Field::new_list_field(DataType::UInt8, false)),
            offsets,
            Arc::new(values),
            None,
        )?;
        columns.push((ATTENTION_MASK, Arc::new(list)));
    }
    Ok(columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use proptest::prelude::*;

    #[test]
    fn split_follows_the_fraction_and_the_seed() {
        let ids: Vec<String> = (0..20_000).map(|i| format!("c/{i}")).collect();
        let val = |seed, f| ids.iter().filter(|d| split_of(seed, d, f) == Split::Validation).count();
        let n = val(0, 0.1);
        assert!((1800..2200).contains(&n), "{n}");
        assert_eq!(val(0, 0.0), 0);
        assert_eq!(val(0, 1.0), ids.len());
        assert_ne!(
            ids.iter().map(|d| split_of(0, d, 0.5)).collect::<Vec<_>>(),
            ids.iter().map(|d| split_of(1, d, 0.5)).collect::<Vec<_>>()
        );
        assert_ne!(order_key(0, "c/1"), order_key(1, "c/1"));
    }

    #[test]
    fn ids_columns_use_the_declared_width() -> Result<()> {
        let a = ids_array(&[vec![1, 2], vec![], vec![65_535]], IdType::Uint16)?;
        assert_eq!(a.data_type(), &DataType::List(Arc::new(Field::new_list_field(DataType::UInt16, false))));
        let list = a.as_list::<i32>();
        assert_eq!((row_ids(list, 0), row_ids(list, 1), row_ids(list, 2)), (vec![1, 2], vec![], vec![65_535]));
        assert!(ids_array(&[vec![70_000]], IdType::Uint16).is_err());
        let b = ids_array(&[vec![70_000]], IdType::Uint32)?;
        assert_eq!(row_ids(b.as_list::<i32>(), 0), vec![70_000]);
        Ok(())
    }

    #[test]
    fn packing_records_boundaries() {
        let mut p = Packer::new(4);
        p.push("a", &[1, 2, 3]);
        p.push("b", &[4, 5, 6, 7, 8, 9]);
        p.push("c", &[10]);
        let seqs = p.finish(Tail::Keep, 0).sequences;
        assert_eq!(
            seqs.iter().map(|s| s.ids.clone()).collect::<Vec<_>>(),
            [vec![1, 2, 3, 4], vec![5, 6, 7, 8], vec![9, 10]]
        );
        assert_eq!(seqs[0].doc_ids, ["a", "b"]);
        assert_eq!(seqs[0].starts, [0, 3]);
        assert_eq!((seqs[1].doc_ids.clone(), seqs[1].starts.clone()), (vec!["b".to_string()], vec![0]));
        assert_eq!(seqs[2].starts, [0, 1]);
    }

    #[test]
    fn the_tail_is_dropped_padded_or_kept() {
        let pack = |tail: Tail| {
            let mut p = Packer::new(4);
            p.push("a", &[1, 2, 3]);
            p.push("b", &[4, 5, 6]);
            p.push("c", &[7]);
            let mut seqs = p.take_full();
            let packed = p.finish(tail, 9);
            seqs.extend(packed.sequences.iter().cloned());
            (seqs, packed.tokens_dropped, packed.documents_dropped)
        };
        // The tail is [5, 6, 7]: the rest of `b` (which started in the first row) and all of `c`.
        let (seqs, dropped, docs) = pack(Tail::Drop);
        assert_eq!((seqs.len(), dropped, docs), (1, 3, vec!["c".to_string()]));
        let (seqs, dropped, _) = pack(Tail::Pad);
        assert_eq!((seqs[1].ids.clone(), seqs[1].padding, dropped), (vec![5, 6, 7, 9], 1, 0));
        let (seqs, ..) = pack(Tail::Keep);
        assert_eq!(seqs[1].ids, [5, 6, 7]);
        let columns = packed_columns(&pack(Tail::Pad).0, IdType::Uint16, true).unwrap_or_default();
        let mask = columns.iter().find(|(n, _)| *n == ATTENTION_MASK).map(|(_, c)| c.as_list::<i32>().value(1));
        let mask = mask.map(|m| m.as_primitive::<arrow_array::types::UInt8Type>().values().to_vec());
        assert_eq!(mask, Some(vec![1, 1, 1, 0]));
        let n = columns
            .iter()
            .find(|(n, _)| *n == N_TOKENS)
            .map(|(_, c)| c.as_primitive::<arrow_array::types::UInt32Type>().value(1));
        assert_eq!(n, Some(3), "n_tokens counts real tokens only");
    }

    proptest! {
        #[test]
        fn packing_neither_drops_nor_repeats_a_token(
            docs in proptest::collection::vec(proptest::collection::vec(0u32..1000, 0..40), 0..30),
            seq_len in 1usize..50,
        ) {
            let mut p = Packer::new(seq_len);
            let mut seqs = Vec::new();
            for (i, d) in docs.iter().enumerate() {
                p.push(&format!("d{i}"), d);
                seqs.extend(p.take_full());
            }
            seqs.extend(p.finish(Tail::Keep, 0).sequences);
            let flat: Vec<u32> = seqs.iter().flat_map(|s| s.ids.clone()).collect();
            prop_assert_eq!(flat, docs.concat());
            for (k, s) in seqs.iter().enumerate() {
                prop_assert!(s.ids.len() <= seq_len && !s.ids.is_empty());
                if k + 1 < seqs.len() { prop_assert_eq!(s.ids.len(), seq_len); }
                prop_assert_eq!(s.doc_ids.len(), s.starts.len());
                prop_assert!(s.starts.windows(2).all(|w| w[0] < w[1]));
            }
            // Each document's pieces, put back together in order, are the document.
            for (i, d) in docs.iter().enumerate().filter(|(_, d)| !d.is_empty()) {
                let id = format!("d{i}");
                let mut back = Vec::new();
                for s in &seqs {
                    for (j, _) in s.doc_ids.iter().enumerate().filter(|(_, doc)| **doc == id) {
                        let end = s.starts.get(j + 1).map_or(s.ids.len(), |&e| e as usize);
                        back.extend_from_slice(&s.ids[s.starts[j] as usize..end]);
                    }
                }
                prop_assert_eq!(&back, d);
            }
        }
    }
}
