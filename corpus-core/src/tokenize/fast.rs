//! The BPE model and the byte-level pre-tokenizer of the two tokenizer shapes that matter here,
//! redone on ids and bytes: what the `tokenizers` crate does with a `String` per symbol lookup,
//! a `Token` (with its own `String`) per output id and an onig regex per split, this does with
//! integer tables, in one pass, with nothing allocated per word.
//!
//! * [`Bpe`]: a BPE model's merges as a hash map from a pair of ids to (rank, merged id), and its
//!   merge loop: repeatedly merge the adjacent pair of lowest rank, the leftmost of equal ones,
//!   which is what `tokenizers`' `Word::merge_all` does with its heap (an entry is stale unless
//!   the pair at its position is still the one it was pushed for). Short words use a linear scan
//!   (no heap), long ones a heap over a linked list; both pick the same merge at every step.
//! * [`ByteLevel`]: the Qwen2/Qwen3 shape (added tokens on the raw text, NFC, a split by the
//!   `(?i:'s|…)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}|…` regex, byte-level BPE): the regex is matched by
//!   hand over character classes read from the very onig regex engine `tokenizers` uses (so
//!   `\p{L}`, `\p{N}` and `\s` mean exactly what they mean there), and each piece's bytes go to
//!   [`Bpe`] without the byte-to-character mapping. A character of 2 or 3 bytes goes in as its
//!   one token when merging it first provably gives the same ids ([`Premerged`]): a Chinese
//!   character is then one symbol, not three, and most of the merging is gone.
//! * [`CharBpe`]: the SentencePiece shape's model (Llama 2, Mistral, Breeze-7B: a symbol per
//!   character, byte fallback), on the same [`Bpe`].
//!
//! The merge tables are read from the `tokenizer.json` bytes ([`Prepared`]) on a thread of their
//! own while the crate loads the same file, and used only when the loaded tokenizer has exactly
//! the shape (see the `detect` functions) and the same vocabulary. The ids are those of
//! `encode_fast`: the tests compare them on random and adversarial text, the split with onig's for
//! every code point, and every character merged first with its bytes merged; the bench script
//! compares them with HF's Python `encode_batch` per document.

use std::borrow::Cow;
use std::collections::BinaryHeap;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::Deserialize;
use tokenizers::Tokenizer;

/// No merge for this pair.
const NONE: u64 = u64::MAX;

/// Words of up to this many symbols are merged by linear scans; longer ones with a heap.
const LINEAR_MAX: usize = 48;

/// A token's text as read from the `tokenizer.json` bytes: borrowed unless it has escapes.
#[derive(PartialEq, Eq, Hash)]
struct Key<'a>(Cow<'a, str>);

impl std::borrow::Borrow<str> for Key<'_> {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeyVisitor(std::marker::PhantomData))
    }
}

struct KeyVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> serde::de::Visitor<'de> for KeyVisitor<'a> {
    type Value = Key<'a>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

/// The `merges` of a BPE model: `[["a", "b"], …]`, or the legacy `["a b", …]` (all one or all the
/// other, as the crate's untagged enum takes them).
struct Merges<'a>(Vec<(Key<'a>, Key<'a>)>);

impl<'de: 'a, 'a> Deserialize<'de> for Merges<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        enum Item<'a> {
            Pair(Key<'a>, Key<'a>),
            Line(Key<'a>),
        }
        struct ItemVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for ItemVisitor<'a> {
            type Value = Item<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a merge")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Item::Line(Key(Cow::Borrowed(v))))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Item::Line(Key(Cow::Owned(v.to_string()))))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                use serde::de::Error as _;
                let (Some(a), Some(b)) = (seq.next_element()?, seq.next_element()?) else {
                    return Err(A::Error::custom("a merge of fewer than two tokens"));
                };
                if seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    return Err(A::Error::custom("a merge of more than two tokens"));
                }
                Ok(Item::Pair(a, b))
            }
        }
        impl<'de: 'a, 'a> Deserialize<'de> for Item<'a> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(ItemVisitor(std::marker::PhantomData))
            }
        }
        let items: Vec<Item<'a>> = Vec::deserialize(d)?;
        let legacy = matches!(items.first(), Some(Item::Line(_)));
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match (item, legacy) {
                (Item::Pair(a, b), false) => out.push((a, b)),
                // As `convert_merges_to_hashmap`: `#version` lines skipped, exactly one space.
                (Item::Line(Key(line)), true) => {
                    if line.starts_with("#version") {
                        continue;
                    }
                    let mut parts = line.split(' ');
                    let (Some(a), Some(b), None) = (parts.next(), parts.next(), parts.next()) else {
                        return Err(D::Error::custom("a merge line without exactly one space"));
                    };
                    let key = |s: &str| match &line {
                        Cow::Borrowed(l) => {
                            let start = s.as_ptr() as usize - l.as_ptr() as usize;
                            Key(Cow::Borrowed(&l[start..start + s.len()]))
                        }
                        Cow::Owned(_) => Key(Cow::Owned(s.to_string())),
                    };
                    out.push((key(a), key(b)));
                }
                _ => return Err(D::Error::custom("merges of both forms")),
            }
        }
        Ok(Self(out))
    }
}

/// A BPE model's vocabulary and merges read straight from the `tokenizer.json` bytes (the crate
/// keeps its merge map private), so that this runs beside the crate's own loading; checked
/// against the loaded model's vocabulary before use.
pub(super) struct Prepared<'a> {
    vocab: FxHashMap<Key<'a>, u32>,
    bpe: Option<Bpe>,
    /// When every byte of the byte-level alphabet is a token: their ids and the characters that
    /// go in whole (built here, beside the crate's loading, rather than after it).
    byte_level: Option<([u32; 256], CharTable)>,
}

impl<'a> Prepared<'a> {
    /// Reads `json`'s `model.vocab` and `model.merges` and builds the merge map the way the crate's
    /// `BpeBuilder` does (rank = position; a pair listed twice keeps its last rank); for a
    /// byte-level vocabulary, also the [`CharTable`] and the character classes (once per
    /// process). `None` when the file does not parse this way.
    pub(super) fn read(json: &'a [u8]) -> Option<Self> {
        #[derive(Deserialize)]
        struct File<'a> {
            #[serde(borrow)]
            model: Model<'a>,
        }
        #[derive(Deserialize)]
        struct Model<'a> {
            #[serde(borrow)]
            vocab: FxHashMap<Key<'a>, u32>,
            #[serde(borrow)]
            merges: Merges<'a>,
        }
        let File { model: Model { vocab, merges } } = serde_json::from_slice(json).ok()?;
        let mut map = FxHashMap::with_capacity_and_hasher(merges.0.len(), Default::default());
        let mut joined = String::new();
        for (rank, (a, b)) in merges.0.iter().enumerate() {
            let (Some(&l), Some(&r)) = (vocab.get(&*a.0), vocab.get(&*b.0)) else { return None };
            joined.clear();
            joined.push_str(&a.0);
            joined.push_str(&b.0);
            let &merged = vocab.get(joined.as_str())?;
            map.insert(key(l, r), ((rank as u64) << 32) | u64::from(merged));
        }
        let bpe = Bpe { merges: map };
        let byte_level = (|| {
            let mut byte_ids = [0u32; 256];
            for (id, c) in byte_ids.iter_mut().zip(byte_chars()) {
                *id = *vocab.get(c.encode_utf8(&mut [0; 4]) as &str)?;
            }
            let _ = Classes::get();
            Some((byte_ids, CharTable::build(&bpe, &vocab, &byte_ids)))
        })();
        Some(Self { vocab, bpe: Some(bpe), byte_level })
    }

    /// The BPE model of `tok` when it is one this can stand in for (no dropout, no affixes) and
    /// its vocabulary is the one read here, entry for entry.
    fn check<'t>(&self, tok: &'t Tokenizer) -> Option<&'t tokenizers::models::bpe::BPE> {
        use tokenizers::Model as _;
        let tokenizers::ModelWrapper::BPE(bpe) = tok.get_model() else { return None };
        let unset = |a: &Option<String>| a.as_deref().is_none_or(str::is_empty);
        if bpe.dropout.is_some_and(|d| d > 0.0)
            || !unset(&bpe.continuing_subword_prefix)
            || !unset(&bpe.end_of_word_suffix)
            || bpe.get_vocab_size() != self.vocab.len()
            || self.vocab.iter().any(|(k, &id)| bpe.token_to_id(&k.0) != Some(id))
        {
            return None;
        }
        Some(bpe)
    }

    fn id(&self, token: &str) -> Option<u32> {
        self.vocab.get(token).copied()
    }
}

/// A BPE model's merges, on ids.
pub(super) struct Bpe {
    /// `(left << 32) | right` → `(rank << 32) | merged id`.
    merges: FxHashMap<u64, u64>,
}

/// Buffers reused across the words of a document.
#[derive(Default)]
pub(super) struct Scratch {
    syms: Vec<u32>,
    pairs: Vec<u64>,
    next: Vec<u32>,
    prev: Vec<u32>,
    heap: BinaryHeap<std::cmp::Reverse<u64>>,
}

impl Bpe {
    #[inline]
    fn pair(&self, l: u32, r: u32) -> u64 {
        self.merges.get(&key(l, r)).copied().unwrap_or(NONE)
    }

    /// Merges `sc.syms` in place, as `Word::merge_all` does.
    pub(super) fn merge(&self, sc: &mut Scratch) {
        if sc.syms.len() < 2 {
            return;
        }
        if sc.syms.len() <= LINEAR_MAX {
            self.merge_linear(sc);
        } else {
            self.merge_heap(sc);
        }
    }

    /// The lowest `(rank, position)` by scanning: `pairs[i]` is the merge of `syms[i]` and
    /// `syms[i + 1]`, rank in the high half, so the least value is the lowest rank, and equal
    /// ranks are the same pair (the first one found is the leftmost).
    fn merge_linear(&self, sc: &mut Scratch) {
        let syms = &mut sc.syms;
        let pairs = &mut sc.pairs;
        pairs.clear();
        pairs.extend(syms.windows(2).map(|w| self.pair(w[0], w[1])));
        loop {
            let mut best = NONE;
            let mut at = 0;
            for (i, &p) in pairs.iter().enumerate() {
                if p < best {
                    best = p;
                    at = i;
                }
            }
            if best == NONE {
                break;
            }
            syms[at] = best as u32;
            syms.remove(at + 1);
            pairs.remove(at);
            if at > 0 {
                pairs[at - 1] = self.pair(syms[at - 1], syms[at]);
            }
            if at + 1 < syms.len() {
                pairs[at] = self.pair(syms[at], syms[at + 1]);
            }
        }
    }

    /// The same order with a min-heap of `(rank, position)` over a linked list of symbols; an
    /// entry whose position is gone or now holds another pair is skipped (a pair's rank is its
    /// own: the same rank at the same position is the same pair).
    fn merge_heap(&self, sc: &mut Scratch) {
        use std::cmp::Reverse;
        const END: u32 = u32::MAX;
        let n = sc.syms.len();
        let (syms, next, prev, heap) = (&mut sc.syms, &mut sc.next, &mut sc.prev, &mut sc.heap);
        next.clear();
        next.extend((1..=n as u32).map(|i| if i as usize == n { END } else { i }));
        prev.clear();
        prev.extend((0..n as u32).map(|i| i.wrapping_sub(1)));
        prev[0] = END;
        heap.clear();
        for i in 0..n - 1 {
            let p = self.pair(syms[i], syms[i + 1]);
            if p != NONE {
                heap.push(Reverse((p & !0xFFFF_FFFF) | i as u64));
            }
        }
        // A removed symbol: `syms[i] = GONE`.
        const GONE: u32 = u32::MAX;
        while let Some(Reverse(top)) = heap.pop() {
            let (rank, pos) = (top >> 32, (top & 0xFFFF_FFFF) as usize);
            if syms[pos] == GONE {
                continue;
            }
            let right = next[pos];
            if right == END {
                continue;
            }
            let p = self.pair(syms[pos], syms[right as usize]);
            if p == NONE || p >> 32 != rank {
                continue;
            }
            syms[pos] = p as u32;
            syms[right as usize] = GONE;
            let after = next[right as usize];
            next[pos] = after;
            if after != END {
                prev[after as usize] = pos as u32;
            }
            let before = prev[pos];
            if before != END {
                let q = self.pair(syms[before as usize], syms[pos]);
                if q != NONE {
                    heap.push(Reverse((q & !0xFFFF_FFFF) | u64::from(before)));
                }
            }
            if after != END {
                let q = self.pair(syms[pos], syms[after as usize]);
                if q != NONE {
                    heap.push(Reverse((q & !0xFFFF_FFFF) | pos as u64));
                }
            }
        }
        syms.retain(|&s| s != GONE);
    }
}

/// A character whose bytes can be merged into one token before its word is: the token, and the
/// neighbours it must not have for that (the text just before it must not end with any of
/// `after`, the text just after it must not begin with any of `before`).
///
/// Merging a word picks its lowest-ranked pair each time. While the character is not whole, one
/// of its inner pairs is there to pick, of rank at most `top` (the highest rank of its inner
/// merges, made as they are made on the character alone). A merge joining one of its partial
/// symbols, or its finished token, to a neighbour symbol is "early" if it ranks at most `top`.
/// With no early merge possible (the neighbour symbols are pieces of the text beside it, so it is
/// enough that the text beside it is none of their texts): (1) nothing joins a partial symbol to a
/// neighbour before the character is whole, so it becomes whole by its inner merges; (2) the
/// finished token being there from the start changes no pick: whatever is picked elsewhere before
/// the character is whole ranks below `top`, and the token's own merges rank above it. So the
/// word's other merges come in the same order, and the ids are the same. (Characters one after
/// another: the same argument, one at a time.)
pub(super) struct Premerged {
    token: u32,
    after: Vec<Box<[u8]>>,
    before: Vec<Box<[u8]>>,
}

/// The characters of 2 or 3 bytes that go into words as one token ([`Premerged`]).
pub(super) struct CharTable {
    /// For each code point below 0x10000: its token, with [`AFTER_SPACE`] set when not after a
    /// space, or [`CONTEXT`] and an index in `contexts`; `u32::MAX`: its bytes go in one by one.
    ids: Vec<u32>,
    contexts: Vec<Premerged>,
}

impl CharTable {
    /// The table of a byte-level model (`byte_ids`: each byte's token). The merges of each
    /// character alone are traced; the merges that could be early are looked for only among
    /// the few partial symbols that take part in some merge of low enough rank.
    fn build(bpe: &Bpe, vocab: &FxHashMap<Key<'_>, u32>, byte_ids: &[u32; 256]) -> Self {
        let n = vocab.values().max().map_or(0, |&m| m as usize + 1);
        let (mut min_left, mut min_right) = (vec![u32::MAX; n], vec![u32::MAX; n]);
        for (&k, &v) in &bpe.merges {
            let (l, r, rank) = ((k >> 32) as usize, (k & 0xFFFF_FFFF) as usize, (v >> 32) as u32);
            min_left[l] = min_left[l].min(rank);
            min_right[r] = min_right[r].min(rank);
        }
        struct Trace {
            c: u32,
            token: u32,
            lefts: Vec<u32>,
            rights: Vec<u32>,
            top: u32,
        }
        let mut ids = vec![u32::MAX; 0x1_0000];
        let mut pending = Vec::new();
        let mut syms = Vec::new();
        for c in (0x80..0x1_0000u32).filter_map(char::from_u32) {
            syms.clear();
            syms.extend(c.encode_utf8(&mut [0; 4]).bytes().map(|b| byte_ids[b as usize]));
            let (mut lefts, mut rights, mut top) = (Vec::new(), Vec::new(), 0u32);
            let mut whole = true;
            while syms.len() > 1 {
                lefts.push(syms[0]);
                rights.push(syms[syms.len() - 1]);
                let (mut best, mut at) = (NONE, 0);
                for i in 0..syms.len() - 1 {
                    let p = bpe.pair(syms[i], syms[i + 1]);
                    if p < best {
                        best = p;
                        at = i;
                    }
                }
                if best == NONE {
                    whole = false;
                    break;
                }
                top = top.max((best >> 32) as u32);
                syms[at] = best as u32;
                syms.remove(at + 1);
            }
            let token = syms[0];
            if !whole || token >= CONTEXT {
                continue;
            }
            lefts.push(token);
            rights.push(token);
            if lefts.iter().all(|&u| min_right[u as usize] > top) && rights.iter().all(|&u| min_left[u as usize] > top)
            {
                ids[c as usize] = token;
            } else {
                pending.push(Trace { c: c as u32, token, lefts, rights, top });
            }
        }
        // The merges of the partial symbols that have some of low rank, by rank.
        type ByRank = FxHashMap<u32, Vec<(u32, u32)>>;
        let (mut as_right, mut as_left): (ByRank, ByRank) = Default::default();
        for t in &pending {
            for &u in t.lefts.iter().filter(|&&u| min_right[u as usize] <= t.top) {
                as_right.entry(u).or_default();
            }
            for &u in t.rights.iter().filter(|&&u| min_left[u as usize] <= t.top) {
                as_left.entry(u).or_default();
            }
        }
        for (&k, &v) in &bpe.merges {
            let (l, r, rank) = ((k >> 32) as u32, (k & 0xFFFF_FFFF) as u32, (v >> 32) as u32);
            if let Some(list) = as_right.get_mut(&r) {
                list.push((rank, l));
            }
            if let Some(list) = as_left.get_mut(&l) {
                list.push((rank, r));
            }
        }
        for list in as_right.values_mut().chain(as_left.values_mut()) {
            list.sort_unstable();
        }
        let mut texts: Vec<Option<&str>> = vec![None; n];
        for (token, &id) in vocab {
            texts[id as usize] = Some(&token.0);
        }
        let mut char_byte = [None; 0x200];
        for (b, c) in byte_chars().into_iter().enumerate() {
            char_byte[c as usize] = Some(b as u8);
        }
        // A token's bytes (`None`: characters outside the byte alphabet, never out of the model).
        let bytes_of = |id: u32| -> Option<Box<[u8]>> {
            texts.get(id as usize).copied().flatten()?.chars().map(|c| *char_byte.get(c as usize)?).collect()
        };
        // The texts of the neighbours an early merge would need, where text can have them: a
        // neighbour before ends where a character ends, one after begins where one begins.
        let ends_whole = |t: &[u8]| {
            let start = t.iter().position(|&b| b & 0xC0 != 0x80).unwrap_or(t.len());
            std::str::from_utf8(&t[start..]).is_ok()
        };
        let begins_whole = |t: &[u8]| t.first().is_some_and(|&b| b & 0xC0 != 0x80);
        let early = |parts: &[u32], lists: &FxHashMap<u32, Vec<(u32, u32)>>, top: u32, fits: &dyn Fn(&[u8]) -> bool| {
            let mut out: Vec<Box<[u8]>> = Vec::new();
            for list in parts.iter().filter_map(|u| lists.get(u)) {
                for &(_, other) in list.iter().take_while(|(rank, _)| *rank <= top) {
                    if let Some(text) = bytes_of(other)
                        && fits(&text)
                        && !out.contains(&text)
                    {
                        out.push(text);
                    }
                }
            }
            out
        };
        let mut contexts = Vec::new();
        for t in pending {
            let after = early(&t.lefts, &as_right, t.top, &ends_whole);
            let before = early(&t.rights, &as_left, t.top, &begins_whole);
            ids[t.c as usize] = match (after.as_slice(), before.is_empty()) {
                ([], true) => t.token,
                ([space], true) if **space == *b" " => t.token | AFTER_SPACE,
                _ => {
                    contexts.push(Premerged { token: t.token, after, before });
                    (contexts.len() - 1) as u32 | CONTEXT
                }
            };
        }
        Self { ids, contexts }
    }
}

/// In `char_ids`: the character goes in whole unless right after a space.
const AFTER_SPACE: u32 = 1 << 31;
/// In `char_ids`: the character goes in whole unless beside the neighbours in `contexts`, at
/// the index in the other bits.
const CONTEXT: u32 = 1 << 30;

#[inline]
fn key(l: u32, r: u32) -> u64 {
    (u64::from(l) << 32) | u64::from(r)
}

// ---------------------------------------------------------------------------------------------
// Character classes of the split regex, from onig.

const OTHER: u8 = 0;
const LETTER: u8 = 1;
const NUMBER: u8 = 2;
/// `\s` but not `\r` or `\n`.
const SPACE: u8 = 3;
/// `\r` or `\n`.
const NEWLINE: u8 = 4;

/// The class of every code point, in blocks of 256.
struct Classes {
    index: Vec<u16>,
    blocks: Vec<[u8; 256]>,
}

impl Classes {
    /// `\p{L}`, `\p{N}` and `\s` as the onig engine of `tokenizers` matches them, found by running
    /// each over a string of every code point of planes 0–3 and 14 (50 ms, once per process).
    /// Planes 4–13 have nothing assigned and 15–16 are private use: all `OTHER` (a test checks
    /// every code point against onig).
    fn get() -> Option<&'static Self> {
        static CLASSES: OnceLock<Option<Classes>> = OnceLock::new();
        CLASSES.get_or_init(Self::build).as_ref()
    }

    fn build() -> Option<Self> {
        use tokenizers::utils::SysRegex;
        let all: String = (0..0x4_0000u32).chain(0xE_0000..0xF_0000).filter_map(char::from_u32).collect();
        let mut class = vec![OTHER; 0x11_0000];
        for (pattern, k) in [(r"\p{L}+", LETTER), (r"\p{N}+", NUMBER), (r"\s+", SPACE)] {
            let re = SysRegex::new(pattern).ok()?;
            for (start, end) in re.find_iter(&all) {
                for c in all[start..end].chars() {
                    let slot = &mut class[c as usize];
                    if *slot != OTHER {
                        return None; // overlapping classes: not the regex this was written for
                    }
                    *slot = k;
                }
            }
        }
        for c in ['\r', '\n'] {
            if class[c as usize] != SPACE {
                return None;
            }
            class[c as usize] = NEWLINE;
        }
        let mut index = Vec::with_capacity(0x11_0000 / 256);
        let mut blocks: Vec<[u8; 256]> = Vec::new();
        let mut seen: FxHashMap<[u8; 256], u16> = FxHashMap::default();
        for chunk in class.chunks_exact(256) {
            let block: [u8; 256] = chunk.try_into().ok()?;
            let id = *seen.entry(block).or_insert_with(|| {
                blocks.push(block);
                (blocks.len() - 1) as u16
            });
            index.push(id);
        }
        Some(Self { index, blocks })
    }

    #[inline]
    fn of(&self, c: u32) -> u8 {
        self.blocks[self.index[(c >> 8) as usize] as usize][(c & 0xFF) as usize]
    }
}

/// The character at `s[i..]` (valid UTF-8) and its length.
#[inline]
fn decode(s: &[u8], i: usize) -> (u32, usize) {
    let b0 = s[i];
    if b0 < 0x80 {
        return (u32::from(b0), 1);
    }
    let cont = |k: usize| u32::from(s[i + k] & 0x3F);
    if b0 < 0xE0 {
        ((u32::from(b0 & 0x1F) << 6) | cont(1), 2)
    } else if b0 < 0xF0 {
        ((u32::from(b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2), 3)
    } else {
        ((u32::from(b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3), 4)
    }
}

// ---------------------------------------------------------------------------------------------
// The byte-level (Qwen) shape.

/// The split pattern of Qwen2 and Qwen3's `tokenizer.json`.
const QWEN_PATTERN: &str =
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

/// The byte-to-character map of GPT-2's byte-level pre-tokenizer, as `char` per byte.
fn byte_chars() -> [char; 256] {
    let mut out = ['\0'; 256];
    let mut n = 0u32;
    for b in 0..=255u8 {
        let printable = (b'!'..=b'~').contains(&b) || (0xA1..=0xAC).contains(&b) || b >= 0xAE;
        out[b as usize] = if printable {
            char::from(b)
        } else {
            n += 1;
            char::from_u32(255 + n).unwrap_or('\0')
        };
    }
    out
}

/// A byte-level BPE tokenizer of the Qwen shape, on bytes.
pub(super) struct ByteLevel {
    bpe: Bpe,
    classes: &'static Classes,
    /// The NFC normalizer is set (else no normalizer).
    nfc: bool,
    /// The model's id of each byte (its character's token).
    byte_ids: [u32; 256],
    /// The characters of 2 or 3 bytes that go in whole.
    chars: CharTable,
    added: Added,
}

/// The added tokens, matched on the raw text as the crate does (leftmost-longest).
pub(super) struct Added {
    matcher: aho_corasick::AhoCorasick,
    ids: Vec<u32>,
}

impl Added {
    /// The added tokens of `tok` if none is normalized, stripped or single-word (those the crate
    /// matches in other ways).
    pub(super) fn detect(tok: &Tokenizer) -> Option<Self> {
        if tok.get_encode_special_tokens() {
            return None;
        }
        let mut added: Vec<(u32, tokenizers::AddedToken)> = tok.get_added_tokens_decoder().into_iter().collect();
        added.sort_by_key(|(id, _)| *id);
        if added.iter().any(|(_, t)| t.normalized || t.lstrip || t.rstrip || t.single_word) {
            return None;
        }
        let matcher = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(added.iter().map(|(_, t)| t.content.as_str()))
            .ok()?;
        Some(Self { matcher, ids: added.into_iter().map(|(id, _)| id).collect() })
    }

    /// Calls `piece` on each stretch of `text` between added tokens and pushes the tokens' ids.
    pub(super) fn split<E>(
        &self,
        text: &str,
        out: &mut Vec<u32>,
        mut piece: impl FnMut(&str, &mut Vec<u32>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut last = 0;
        for m in self.matcher.find_iter(text) {
            if last < m.start() {
                piece(&text[last..m.start()], out)?;
            }
            out.push(self.ids[m.pattern().as_usize()]);
            last = m.end();
        }
        if last < text.len() {
            piece(&text[last..], out)?;
        }
        Ok(())
    }
}

impl ByteLevel {
    /// The shortcut, if `tok` has the Qwen shape exactly (`prepared` read from its file).
    pub(super) fn detect(tok: &Tokenizer, prepared: &mut Prepared<'_>) -> Option<Self> {
        use serde_json::json;
        let nfc = match tok.get_normalizer() {
            None => false,
            Some(tokenizers::NormalizerWrapper::NFC(_)) => true,
            Some(_) => return None,
        };
        let pre = serde_json::to_value(tok.get_pre_tokenizer()?).ok()?;
        let [split, byte_level] = pre.get("pretokenizers")?.as_array()?.as_slice() else { return None };
        if pre.get("type")? != "Sequence"
            || split
                != &json!({"type": "Split", "pattern": {"Regex": QWEN_PATTERN}, "behavior": "Isolated", "invert": false})
            || byte_level.get("type")? != "ByteLevel"
            || byte_level.get("add_prefix_space")? != false
            || byte_level.get("use_regex")? != false
        {
            return None;
        }
        let added = Added::detect(tok)?;
        // `ignore_merges` looks whole words up first; `unk` and byte fallback never come into play
        // with every byte a token.
        if prepared.check(tok)?.ignore_merges {
            return None;
        }
        // A byte without a token would be dropped by the crate (or become `unk`): not this.
        let (byte_ids, chars) = prepared.byte_level.take()?;
        Some(Self { bpe: prepared.bpe.take()?, classes: Classes::get()?, nfc, byte_ids, chars, added })
    }

    /// The ids of `text` (no BOS/EOS), appended to `out`.
    pub(super) fn encode(&self, text: &str, out: &mut Vec<u32>) -> tokenizers::Result<()> {
        let mut sc = Scratch::default();
        self.added.split(text, out, |piece, out| {
            use unicode_normalization::{IsNormalized, is_nfc_quick};
            if self.nfc && is_nfc_quick(piece.chars()) != IsNormalized::Yes {
                // The crate's own NFC (its Unicode tables), for the rare text that needs it.
                let mut n = tokenizers::NormalizedString::from(piece);
                n.nfc();
                self.split(n.get().as_bytes(), out, &mut sc);
            } else {
                self.split(piece.as_bytes(), out, &mut sc);
            }
            Ok(())
        })
    }

    /// Splits `s` as the regex does and tokenizes each piece.
    fn split(&self, s: &[u8], out: &mut Vec<u32>, sc: &mut Scratch) {
        let mut i = 0;
        while i < s.len() {
            let end = self.piece_end(s, i);
            self.word(&s[i..end], out, sc);
            i = end;
        }
    }

    /// The ids of one piece.
    #[inline]
    fn word(&self, w: &[u8], out: &mut Vec<u32>, sc: &mut Scratch) {
        if w.len() == 1 {
            out.push(self.byte_ids[w[0] as usize]);
            return;
        }
        sc.syms.clear();
        let mut j = 0;
        while j < w.len() {
            let b = w[j];
            if b < 0x80 {
                sc.syms.push(self.byte_ids[b as usize]);
                j += 1;
                continue;
            }
            let (c, l) = decode(w, j);
            match self.premerged(w, j, c, l) {
                Some(t) => sc.syms.push(t),
                None => sc.syms.extend(w[j..j + l].iter().map(|&b| self.byte_ids[b as usize])),
            }
            j += l;
        }
        self.bpe.merge(sc);
        out.extend_from_slice(&sc.syms);
    }

    /// The token of the character `c` at `w[j..j + l]` if it can go in whole there.
    #[inline]
    fn premerged(&self, w: &[u8], j: usize, c: u32, l: usize) -> Option<u32> {
        let &t = self.chars.ids.get(c as usize)?;
        if t == u32::MAX {
            return None;
        }
        if t & AFTER_SPACE != 0 {
            return (j == 0 || w[j - 1] != b' ').then_some(t & !AFTER_SPACE);
        }
        if t & CONTEXT != 0 {
            let p = self.chars.contexts.get((t & !CONTEXT) as usize)?;
            let (head, tail) = (&w[..j], &w[j + l..]);
            if p.after.iter().any(|a| head.ends_with(a)) || p.before.iter().any(|b| tail.starts_with(b)) {
                return None;
            }
            return Some(p.token);
        }
        Some(t)
    }

    /// [`Self::word`] without the characters merged first (for the tests).
    #[cfg(test)]
    fn word_by_bytes(&self, w: &[u8], sc: &mut Scratch) -> Vec<u32> {
        sc.syms.clear();
        sc.syms.extend(w.iter().map(|&b| self.byte_ids[b as usize]));
        self.bpe.merge(sc);
        sc.syms.clone()
    }

    /// The end of the regex's match at `i` (every character is matched by some alternative, so
    /// the match starts at `i`): the alternatives in order, each as onig's backtracking settles
    /// it.
    fn piece_end(&self, s: &[u8], i: usize) -> usize {
        let class = |c: u32| self.classes.of(c);
        let (c0, l0) = decode(s, i);
        let k0 = class(c0);
        let i1 = i + l0;
        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if c0 == u32::from(b'\'')
            && let Some(end) = contraction(s, i1)
        {
            return end;
        }
        match k0 {
            // [^\r\n\p{L}\p{N}]?\p{L}+ without its first part.
            LETTER => return self.run(s, i1, LETTER),
            // \p{N}
            NUMBER => return i1,
            _ => {}
        }
        // [^\r\n\p{L}\p{N}]\p{L}+: OTHER or SPACE, then letters.
        if k0 != NEWLINE && i1 < s.len() {
            let (c1, l1) = decode(s, i1);
            if class(c1) == LETTER {
                return self.run(s, i1 + l1, LETTER);
            }
        }
        //  ?[^\s\p{L}\p{N}]+[\r\n]*
        if k0 == OTHER {
            return newlines(s, self.run(s, i1, OTHER));
        }
        if c0 == u32::from(b' ') && i1 < s.len() {
            let (c1, l1) = decode(s, i1);
            if class(c1) == OTHER {
                return newlines(s, self.run(s, i1 + l1, OTHER));
            }
        }
        // A run of whitespace from `i`.
        let (mut j, mut last_start, mut after_newline, mut count) = (i, i, None, 0usize);
        while j < s.len() {
            let (c, l) = decode(s, j);
            match class(c) {
                SPACE => {}
                NEWLINE => after_newline = Some(j + l),
                _ => break,
            }
            last_start = j;
            j += l;
            count += 1;
        }
        // \s*[\r\n]+: up to the run's last newline (the greedy \s* gives back characters until
        // one is a newline; the newlines after it are none).
        if let Some(end) = after_newline {
            return end;
        }
        // \s+(?!\S): the whole run at the end of the text; else all but its last character, if
        // that leaves one. \s+: a single character.
        if j == s.len() || count == 1 { j } else { last_start }
    }

    /// The end of the run of characters of class `k` from `j`.
    #[inline]
    fn run(&self, s: &[u8], mut j: usize, k: u8) -> usize {
        while j < s.len() {
            let (c, l) = decode(s, j);
            if self.classes.of(c) != k {
                break;
            }
            j += l;
        }
        j
    }
}

/// After a `'` at `s[..i]`: the end of `s`, `t`, `re`, `ve`, `m`, `ll` or `d` at `i`, any case
/// (onig's case folding also takes `ſ`, U+017F, for `s`: a test checks every code point).
#[inline]
fn contraction(s: &[u8], i: usize) -> Option<usize> {
    let lower = |k: usize| s.get(i + k).map(|b| b.to_ascii_lowercase());
    match lower(0)? {
        b's' | b't' | b'm' | b'd' => Some(i + 1),
        b'r' | b'v' if lower(1) == Some(b'e') => Some(i + 2),
        b'l' if lower(1) == Some(b'l') => Some(i + 2),
        0xC5 if s.get(i + 1) == Some(&0xBF) => Some(i + 2),
        _ => None,
    }
}

/// The end of the run of `\r` and `\n` from `j`.
#[inline]
fn newlines(s: &[u8], mut j: usize) -> usize {
    while j < s.len() && matches!(s[j], b'\r' | b'\n') {
        j += 1;
    }
    j
}

// ---------------------------------------------------------------------------------------------
// The character-level (SentencePiece) model.

/// A BPE model over characters with byte fallback (Llama 2, Mistral, Breeze-7B): the crate's
/// `merge_word` (a symbol per character, from the vocabulary; a character outside it becomes
/// its bytes' `<0xXX>` tokens, else `unk`), then [`Bpe::merge`].
pub(super) struct CharBpe {
    bpe: Bpe,
    /// Ids of the code points below 0x10000 that are tokens (`u32::MAX`: not one).
    bmp: Vec<u32>,
    /// The others.
    astral: FxHashMap<u32, u32>,
    /// `<0x00>` … `<0xFF>`, when the model falls back to bytes (all 256 present).
    bytes: Option<[u32; 256]>,
    /// `unk` and whether consecutive ones fuse.
    unk: Option<(u32, bool)>,
    /// A character before which the word can be cut when it follows another character: no
    /// token has it right after another character (SentencePiece's `▁` only starts tokens), so
    /// no merge joins the two sides (a merge's result is a token), and the parts merge alone to
    /// the same ids. A whole text is one word here; its parts are short.
    cut: Option<char>,
}

impl CharBpe {
    /// The model of `tok` if it is a BPE this stands in for (`prepared` read from its file);
    /// words are cut before `cut` where the vocabulary allows it.
    pub(super) fn detect(tok: &Tokenizer, prepared: &mut Prepared<'_>, cut: Option<char>) -> Option<Self> {
        let model = prepared.check(tok)?;
        if model.ignore_merges {
            return None;
        }
        let bytes = if model.byte_fallback {
            let mut ids = [0u32; 256];
            for (b, id) in ids.iter_mut().enumerate() {
                // With a byte missing, the crate goes on to `unk` for that character: not handled.
                *id = prepared.id(&format!("<0x{b:02X}>"))?;
            }
            Some(ids)
        } else {
            None
        };
        let unk = match &model.unk_token {
            None => None,
            // The crate fails on an `unk` it cannot find; leave that to it.
            Some(t) => Some((prepared.id(t)?, model.fuse_unk)),
        };
        let mut bmp = vec![u32::MAX; 0x1_0000];
        let mut astral = FxHashMap::default();
        for (token, &id) in &prepared.vocab {
            let mut chars = token.0.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                match bmp.get_mut(c as usize) {
                    Some(slot) => *slot = id,
                    None => {
                        astral.insert(c as u32, id);
                    }
                }
            }
        }
        let cut = cut.filter(|&b| {
            prepared.vocab.keys().all(|t| {
                let mut prev = None;
                t.0.chars().all(|c| {
                    let ok = !(c == b && prev.is_some_and(|p| p != b));
                    prev = Some(c);
                    ok
                })
            })
        });
        Some(Self { bpe: prepared.bpe.take()?, bmp, astral, bytes, unk, cut })
    }

    /// Where words are cut (for the tests).
    #[cfg(test)]
    pub(super) fn cut(&self) -> Option<char> {
        self.cut
    }

    #[inline]
    fn id(&self, c: char) -> Option<u32> {
        match self.bmp.get(c as usize) {
            Some(&id) => (id != u32::MAX).then_some(id),
            None => self.astral.get(&(c as u32)).copied(),
        }
    }

    /// The ids of the word made of the characters `pieces`, appended to `out`.
    pub(super) fn tokenize(&self, pieces: impl Iterator<Item = char>, out: &mut Vec<u32>, sc: &mut Scratch) {
        sc.syms.clear();
        let mut pending_unk: Option<u32> = None;
        let mut prev = None;
        for c in pieces {
            if let Some(id) = self.id(c) {
                if let Some(u) = pending_unk.take() {
                    sc.syms.push(u);
                }
                if self.cut == Some(c) && prev.is_some_and(|p| p != c) {
                    self.bpe.merge(sc);
                    out.extend_from_slice(&sc.syms);
                    sc.syms.clear();
                }
                sc.syms.push(id);
            } else if let Some(bytes) = &self.bytes {
                // As the crate: the byte tokens go in at once, a pending `unk` stays pending (it
                // cannot be: with every byte token present no character reaches `unk`).
                sc.syms.extend(c.encode_utf8(&mut [0; 4]).bytes().map(|b| bytes[b as usize]));
            } else if let Some((unk, fuse)) = self.unk {
                match pending_unk {
                    Some(u) if fuse => pending_unk = Some(u),
                    Some(u) => {
                        sc.syms.push(u);
                        pending_unk = Some(unk);
                    }
                    None => pending_unk = Some(unk),
                }
            }
            prev = Some(c);
        }
        if let Some(u) = pending_unk {
            sc.syms.push(u);
        }
        self.bpe.merge(sc);
        out.extend_from_slice(&sc.syms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Qwen3's byte-level shortcut, when `../shared` is beside the clone.
    fn qwen3() -> Option<ByteLevel> {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/tokenizers/qwen3/tokenizer.json");
        let bytes = std::fs::read(&path).ok()?;
        let tok = Tokenizer::from_bytes(&bytes).unwrap_or_else(|e| panic!("{e}"));
        let mut prepared = Prepared::read(&bytes).unwrap_or_else(|| panic!("Qwen3's model reads"));
        Some(ByteLevel::detect(&tok, &mut prepared).unwrap_or_else(|| panic!("Qwen3 has the byte-level shape")))
    }

    /// The pieces onig's match of the Qwen pattern gives (with the gaps, which there are none).
    fn onig_pieces(re: &tokenizers::utils::SysRegex, s: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut prev = 0;
        for (start, end) in re.find_iter(s) {
            if prev != start {
                out.push((prev, start));
            }
            out.push((start, end));
            prev = end;
        }
        if prev != s.len() {
            out.push((prev, s.len()));
        }
        out
    }

    fn our_pieces(b: &ByteLevel, s: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < s.len() {
            let end = b.piece_end(s.as_bytes(), i);
            out.push((i, end));
            i = end;
        }
        out
    }

    /// Every code point, in contexts that exercise each alternative of the pattern, split as
    /// onig splits it.
    #[test]
    fn the_split_is_onigs_for_every_code_point() {
        let Some(b) = qwen3() else { return };
        let re = tokenizers::utils::SysRegex::new(QWEN_PATTERN).unwrap_or_else(|e| panic!("{e}"));
        let chars: Vec<char> = (0..0x11_0000u32).filter_map(char::from_u32).collect();
        for chunk in chars.chunks(512) {
            let mut s = String::new();
            for &c in chunk {
                for ctx in ["{c}{c}a", "'{c}x", " {c}1", "{c} \n", "a{c}{c} ", "\n{c}\t", "{c}'s"] {
                    s.push_str(&ctx.replace("{c}", c.encode_utf8(&mut [0; 4])));
                }
            }
            assert_eq!(our_pieces(&b, &s), onig_pieces(&re, &s), "in the chunk from U+{:04X}", chunk[0] as u32);
        }
    }

    /// Random strings over characters of every class (and the ones the pattern names).
    #[test]
    fn the_split_is_onigs_on_random_text() {
        let Some(b) = qwen3() else { return };
        let re = tokenizers::utils::SysRegex::new(QWEN_PATTERN).unwrap_or_else(|e| panic!("{e}"));
        let alphabet: Vec<char> = " \t\n\r\u{a0}\u{3000}\u{2028}\u{85}\u{b}\u{c}'sStTrReEvVmMlLdDſxX中文1２٣Ⅻ½.,!?()（），。-_/\\\"😀\u{301}é"
            .chars()
            .collect();
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 24) as usize;
            let s: String = (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            assert_eq!(our_pieces(&b, &s), onig_pieces(&re, &s), "{s:?}");
        }
    }

    /// Characters merged first give the ids of merging their bytes, for every code point of 2 or
    /// 3 bytes beside characters of the kinds around it in text.
    #[test]
    fn characters_merged_first_change_no_ids() {
        let Some(b) = qwen3() else { return };
        let premerged = b.chars.ids.iter().filter(|&&t| t != u32::MAX).count();
        assert!(premerged > 10_000, "{premerged} characters merged first; {} with contexts", b.chars.contexts.len());
        let mut sc = Scratch::default();
        let mut out = Vec::new();
        let base = ["", "a", " ", "的", "中", "，", "。", "國", "é", "ー", "の", "1", "\u{301}", "\n"];
        let texts = |ts: &[Box<[u8]>]| -> Vec<String> {
            ts.iter().filter_map(|t| std::str::from_utf8(t).ok()).map(str::to_string).collect()
        };
        for c in (0x80..0x1_0000u32).filter_map(char::from_u32) {
            // Its own neighbours to avoid too, when it has some.
            let (mut lefts, mut rights): (Vec<String>, Vec<String>) =
                (base.iter().map(|s| s.to_string()).collect(), base.iter().map(|s| s.to_string()).collect());
            if let Some(&t) = b.chars.ids.get(c as usize)
                && t != u32::MAX
                && t & CONTEXT != 0
                && t & AFTER_SPACE == 0
                && let Some(p) = b.chars.contexts.get((t & !CONTEXT) as usize)
            {
                lefts.extend(texts(&p.after));
                rights.extend(texts(&p.before));
            }
            for l in &lefts {
                for r in &rights {
                    for w in [format!("{l}{c}{r}"), format!("{l}{c}{c}{r}")] {
                        out.clear();
                        b.word(w.as_bytes(), &mut out, &mut sc);
                        assert_eq!(out, b.word_by_bytes(w.as_bytes(), &mut sc), "{w:?}");
                    }
                }
            }
        }
    }

    /// The linear and the heap merge agree (each is the crate's order; they are used for
    /// different lengths).
    #[test]
    fn linear_and_heap_merges_agree() {
        let Some(b) = qwen3() else { return };
        let text = "中華民國憲法第一條：中華民國基於三民主義，為民有民治民享之民主共和國。 the quick brown fox \
                    jumps over the lazy dog; apt-get install --no-install-recommends debian-reference 0123456789";
        let bytes = text.as_bytes();
        let mut sc = Scratch::default();
        for start in 0..bytes.len() {
            for len in [2, 3, 5, 8, 13, 21, 34, 48, 60, 90] {
                let Some(w) = bytes.get(start..start + len) else { continue };
                sc.syms.clear();
                sc.syms.extend(w.iter().map(|&x| b.byte_ids[x as usize]));
                let mut heap = Scratch { syms: sc.syms.clone(), ..Scratch::default() };
                b.bpe.merge_linear(&mut sc);
                b.bpe.merge_heap(&mut heap);
                assert_eq!(sc.syms, heap.syms, "{w:?}");
            }
        }
    }
}
