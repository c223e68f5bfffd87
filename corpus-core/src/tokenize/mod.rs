//! Tokenization with the `tokenizers` crate from any `tokenizer.json`: [`TextTokenizer`] loads
//! one (plain or `.zst`), fingerprints it, resolves BOS/EOS, and encodes documents in parallel
//! over the caller's rayon pool. [`train`] trains a byte-level BPE on a corpus;
//! [`chars_per_token`] measures a tokenizer on one.
//!
//! Documents are encoded one by one with `encode_fast` (no offsets) and without the
//! tokenizer's own post-processor; BOS and EOS are then added from config, so a tokenizer whose
//! template adds `<s>` (Breeze-7B) and one that adds nothing (Qwen3) are treated alike and the
//! ids are those of HF `encode(text, add_special_tokens=False)` between them. Two shapes of
//! tokenizer, SentencePiece-style BPE (Breeze-7B, Llama 2, Mistral) and Qwen's byte-level BPE,
//! are encoded by [`fast`]'s own BPE on ids instead of the crate's steps, with the same ids.

use std::num::NonZeroUsize;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokenizers::Tokenizer;

use crate::error::{Error, IoResultExt, Location, Result};
use crate::ingest::hex;

mod fast;

/// `[tokenize]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenizeConfig {
    /// The `tokenizer.json` (or `tokenizer.json.zst`), relative to the config file. Without
    /// it, shards hold text only.
    #[serde(default, skip_serializing)]
    pub tokenizer: Option<String>,
    /// The tokenizer's name in the manifest (default: its directory's name, or the file stem).
    #[serde(default)]
    pub name: Option<String>,
    /// Token put before every document: `auto` (what the tokenizer's own template adds first,
    /// e.g. `<s>` for Breeze-7B, none for Qwen3), `none`, or a token of the vocabulary.
    #[serde(default)]
    pub bos: Special,
    /// Token put after every document: `auto` (the end-of-text token the tokenizer declares:
    /// `</s>`, `<|endoftext|>`, …), `none`, or a token of the vocabulary.
    #[serde(default)]
    pub eos: Special,
    /// Pack documents into sequences of this many tokens (documents concatenated, each
    /// followed by its EOS, split at `seq_len`). Without it, one row per document.
    #[serde(default)]
    pub seq_len: Option<NonZeroUsize>,
    /// With `seq_len`: what becomes of each shard's last tokens, too few to fill a sequence:
    /// `drop` (the default: every row holds exactly `seq_len` tokens; what was dropped is
    /// counted in the manifest), `pad` (to `seq_len`, with an `attention_mask` column) or
    /// `keep` (a shorter last row).
    #[serde(default)]
    pub tail: crate::shard::order::Tail,
}

/// A BOS/EOS choice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Special {
    /// From the tokenizer.
    #[default]
    Auto,
    /// No token.
    None,
    /// This token.
    Token(String),
}

impl Special {
    /// Parses `auto`, `none` or a token.
    pub fn parse(s: &str) -> Self {
        match s {
            "auto" => Self::Auto,
            "none" => Self::None,
            t => Self::Token(t.to_string()),
        }
    }
}

impl Serialize for Special {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Self::Auto => s.serialize_str("auto"),
            Self::None => s.serialize_str("none"),
            Self::Token(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for Special {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(Self::parse(&String::deserialize(d)?))
    }
}

/// End-of-text tokens, in order of preference, that `eos = "auto"` looks for among a
/// tokenizer's special tokens (a `tokenizer.json` does not say which one ends a document;
/// `tokenizer_config.json` does, and it is not always shipped).
const EOS_CANDIDATES: [&str; 6] = ["</s>", "<|endoftext|>", "<|end_of_text|>", "<eos>", "<|eot_id|>", "<EOD>"];

/// How token ids are stored: the narrowest unsigned type that holds every id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdType {
    /// Every id < 65,536.
    Uint16,
    /// Otherwise.
    Uint32,
}

impl IdType {
    /// Bytes per id.
    pub fn width(self) -> usize {
        match self {
            Self::Uint16 => 2,
            Self::Uint32 => 4,
        }
    }

    /// Appends `ids` to `out`, little-endian, `width` bytes each (ids fit: the type was chosen
    /// from the vocabulary).
    pub fn put_le(self, ids: &[u32], out: &mut Vec<u8>) {
        match self {
            Self::Uint16 => ids.iter().for_each(|&id| out.extend_from_slice(&(id as u16).to_le_bytes())),
            Self::Uint32 => ids.iter().for_each(|&id| out.extend_from_slice(&id.to_le_bytes())),
        }
    }

    /// The ids [`Self::put_le`] wrote.
    pub fn get_le(self, bytes: &[u8]) -> Vec<u32> {
        let mut ids = Vec::with_capacity(bytes.len() / self.width());
        self.extend_le(bytes, &mut ids);
        ids
    }

    /// [`Self::get_le`], appended to `out`.
    pub fn extend_le(self, bytes: &[u8], out: &mut Vec<u32>) {
        match self {
            Self::Uint16 => out.extend(bytes.chunks_exact(2).map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))),
            Self::Uint32 => out.extend(bytes.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))),
        }
    }
}

/// A special token as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialToken {
    /// Its text.
    pub token: String,
    /// Its id.
    pub id: u32,
}

/// What the manifest records of the tokenizer: enough to know the ids' meaning and to refuse a
/// different file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenizerInfo {
    /// Name (config `name`, else from the path).
    pub name: String,
    /// sha256 of the `tokenizer.json` bytes (decompressed, for a `.zst`).
    pub sha256: String,
    /// Vocabulary size with added tokens.
    pub vocab_size: u32,
    /// How `input_ids` are stored.
    pub id_type: IdType,
    /// The model type (`BPE`, `Unigram`, `WordPiece`, `WordLevel`).
    pub model: String,
    /// Put before every document.
    pub bos: Option<SpecialToken>,
    /// Put after every document.
    pub eos: Option<SpecialToken>,
}

/// A loaded tokenizer with its BOS/EOS resolved.
pub struct TextTokenizer {
    inner: Tokenizer,
    info: TokenizerInfo,
    /// The SentencePiece-style shortcut, when the tokenizer has that shape.
    metaspace: Option<Metaspace>,
    /// The byte-level (Qwen) shortcut, when the tokenizer has that shape.
    byte_level: Option<fast::ByteLevel>,
    /// The normalizer is NFC alone (Qwen3): [`QuickNfc`] stands in for it.
    nfc_only: bool,
}

impl std::fmt::Debug for TextTokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextTokenizer").field("info", &self.info).finish()
    }
}

/// Reads a `tokenizer.json`, decompressing a `.zst`.
/// A file that cannot be read or decompressed is a configuration error (exit 2): the tokenizer
/// is named by config or flag.
fn read_json(path: &Path) -> Result<Vec<u8>> {
    let bytes = crate::files::read_regular(path, 1 << 30)
        .map_err(|e| tok_error(path, format!("cannot read the tokenizer: {e}")))?;
    if path.extension().is_some_and(|e| e == "zst") {
        return zstd::decode_all(bytes.as_slice())
            .map_err(|e| tok_error(path, format!("cannot decompress the tokenizer: {e}")));
    }
    Ok(bytes)
}

/// The name a tokenizer gets from its path: `qwen3/tokenizer.json` → `qwen3`,
/// `breeze.json.zst` → `breeze`.
pub fn name_from_path(path: &Path) -> String {
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = file.trim_end_matches(".zst").trim_end_matches(".json");
    if stem == "tokenizer"
        && let Some(dir) = path.parent().and_then(Path::file_name)
    {
        return dir.to_string_lossy().into_owned();
    }
    stem.to_string()
}

fn tok_error(path: &Path, message: impl Into<String>) -> Error {
    Error::config(Location::file(path), message)
}

impl TextTokenizer {
    /// Loads `path` with `cfg`'s name and BOS/EOS choices.
    pub fn load(path: &Path, cfg: &TokenizeConfig) -> Result<Self> {
        let bytes = read_json(path)?;
        let sha256 = hex(&Sha256::digest(&bytes));
        Self::from_bytes(path, &bytes, sha256, cfg)
    }

    /// [`Self::load`] of bytes already read (and fingerprinted: `sha256`).
    fn from_bytes(path: &Path, bytes: &[u8], sha256: String, cfg: &TokenizeConfig) -> Result<Self> {
        // The merge tables of the shortcuts are read from the bytes beside the crate's loading.
        let (inner, prepared) = std::thread::scope(|s| {
            let reading = std::thread::Builder::new().spawn_scoped(s, || fast::Prepared::read(bytes));
            let inner = Tokenizer::from_bytes(bytes);
            let prepared = match reading {
                Ok(thread) => thread.join().ok().flatten(),
                Err(_) => fast::Prepared::read(bytes),
            };
            (inner, prepared)
        });
        let mut inner =
            inner.map_err(|e| tok_error(path, format!("not a tokenizer.json the `tokenizers` crate loads: {e}")))?;
        drop_empty_affixes(&mut inner);
        let mut prepared = prepared;
        let metaspace = Metaspace::detect(&inner, prepared.as_mut());
        let byte_level = match (&metaspace, prepared.as_mut()) {
            (None, Some(p)) => fast::ByteLevel::detect(&inner, p),
            _ => None,
        };
        let nfc_only = matches!(inner.get_normalizer(), Some(tokenizers::NormalizerWrapper::NFC(_)));
        let vocab_size = inner.get_vocab_size(true) as u32;
        let special = |choice: &Special, auto: Option<u32>, what: &str| -> Result<Option<SpecialToken>> {
            let id = match choice {
                Special::None => None,
                Special::Auto => auto,
                Special::Token(t) => Some(
                    inner
                        .token_to_id(t)
                        .ok_or_else(|| tok_error(path, format!("{what} token `{t}` is not in the vocabulary")))?,
                ),
            };
            Ok(id.map(|id| SpecialToken { token: inner.id_to_token(id).unwrap_or_default(), id }))
        };
        let (auto_bos, template_eos) = template_specials(&inner);
        let auto_eos = template_eos.or_else(|| {
            let added = inner.get_added_tokens_decoder();
            EOS_CANDIDATES
                .iter()
                .find_map(|c| inner.token_to_id(c).filter(|id| added.get(id).is_some_and(|t| t.special)))
        });
        let bos = special(&cfg.bos, auto_bos, "bos")?;
        let eos = special(&cfg.eos, auto_eos, "eos")?;
        let max_id = inner.get_vocab(true).values().copied().max().unwrap_or(0).max(vocab_size.saturating_sub(1));
        let info = TokenizerInfo {
            name: cfg.name.clone().unwrap_or_else(|| name_from_path(path)),
            sha256,
            vocab_size,
            id_type: if max_id < 1 << 16 { IdType::Uint16 } else { IdType::Uint32 },
            model: model_name(&inner),
            bos,
            eos,
        };
        Ok(Self { inner, info, metaspace, byte_level, nfc_only })
    }

    /// What the manifest records.
    pub fn info(&self) -> &TokenizerInfo {
        &self.info
    }

    /// The ids of `text`, with BOS and EOS as configured.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>> {
        // About a token per 4 bytes (Chinese: 1.3–1.4 characters of 3 bytes; English: ~4
        // characters): a part's ids are all held until it is written, so no 2× reserve.
        let mut out = Vec::with_capacity(text.len() / 4 + 2);
        out.extend(self.info.bos.as_ref().map(|t| t.id));
        self.encode_into(text, &mut out)?;
        out.extend(self.info.eos.as_ref().map(|t| t.id));
        Ok(out)
    }

    /// Appends the ids of `text` alone (no BOS/EOS) to `out`.
    fn encode_into(&self, text: &str, out: &mut Vec<u32>) -> Result<()> {
        match (&self.metaspace, &self.byte_level) {
            (Some(m), _) => m.encode(self.inner.get_model(), text, out),
            (None, Some(b)) => b.encode(text, out),
            (None, None) => self.encode_steps(text, out),
        }
        .map_err(|e| Error::Internal(format!("tokenizer `{}`: {e}", self.info.name)))
    }

    /// `encode_fast(text, false)`'s steps (added tokens, normalizer, pre-tokenizer, model), with
    /// the ids taken from the splits: no `Encoding` is built, which costs a `String`, offsets
    /// and word and type ids per token that nothing here reads.
    fn encode_steps(&self, text: &str, out: &mut Vec<u32>) -> tokenizers::Result<()> {
        use tokenizers::{Model as _, OffsetReferential, OffsetType, PreTokenizer as _};
        let t = &self.inner;
        let added = t.get_added_vocabulary();
        let mut splits = if self.nfc_only {
            added.extract_and_normalize(Some(&QuickNfc), text)
        } else {
            added.extract_and_normalize(t.get_normalizer(), text)
        };
        if let Some(pre) = t.get_pre_tokenizer() {
            pre.pre_tokenize(&mut splits)?;
        }
        let model = t.get_model();
        for (word, _, tokens) in splits.get_splits(OffsetReferential::Normalized, OffsetType::None) {
            match tokens {
                Some(added) => out.extend(added.iter().map(|token| token.id)),
                None => out.extend(model.tokenize(word)?.into_iter().map(|token| token.id)),
            }
        }
        Ok(())
    }

    /// The ids `encode_fast(text, false)` gives, the crate's own way: what [`Self::encode`]
    /// between BOS and EOS must equal (the tests compare them).
    pub fn encode_reference(&self, text: &str) -> Result<Vec<u32>> {
        let encoding = self
            .inner
            .encode_fast(text, false)
            .map_err(|e| Error::Internal(format!("tokenizer `{}`: {e}", self.info.name)))?;
        Ok(encoding.get_ids().to_vec())
    }

    /// [`Self::encode`] of every text, in parallel over the caller's rayon pool (one document
    /// per work item: documents, not the insides of one, are the unit of parallelism).
    pub fn encode_all(&self, texts: &[&str]) -> Result<Vec<Vec<u32>>> {
        texts.par_iter().with_min_len(8).map(|t| self.encode(t)).collect()
    }

    /// The text of `ids` (special tokens skipped).
    pub fn decode(&self, ids: &[u32]) -> Result<String> {
        self.inner.decode(ids, true).map_err(|e| Error::Internal(format!("tokenizer `{}`: {e}", self.info.name)))
    }

    /// The underlying tokenizer.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.inner
    }
}

/// NFC that first asks whether the text already is (the quick check of UAX #15): the crate's
/// NFC rewrites every piece through a per-byte alignment even when nothing changes, and text
/// out of the normalize stage is NFC already. NFC of NFC text is itself, so ids do not change.
struct QuickNfc;

impl tokenizers::Normalizer for QuickNfc {
    fn normalize(&self, normalized: &mut tokenizers::NormalizedString) -> tokenizers::Result<()> {
        use unicode_normalization::{IsNormalized, is_nfc_quick};
        if is_nfc_quick(normalized.get().chars()) != IsNormalized::Yes {
            normalized.nfc();
        }
        Ok(())
    }
}

/// The shape of SentencePiece-converted BPE tokenizers (Llama 2, Mistral, Breeze-7B): added
/// tokens matched on the raw text, a normalizer that only prepends `▁` to each piece and turns
/// spaces into `▁`, no pre-tokenizer. The crate's `NormalizedString` tracks an alignment per byte
/// through both rewrites, for offsets no one asks for here; this does the same rewrite on a plain
/// `String` and hands the piece to the same model. Chosen only when the `tokenizer.json` has
/// exactly that shape; the ids are those of `encode_fast` (tested on random text and on the laws
/// corpus).
struct Metaspace {
    prepend: String,
    space: String,
    /// The added tokens, leftmost-longest, as the crate matches them.
    added: fast::Added,
    /// The model on ids, when it is a BPE it can stand in for (else the crate's model).
    model: Option<fast::CharBpe>,
}

impl Metaspace {
    /// The shortcut, if `tok` has that shape (read from the loaded tokenizer: the normalizer
    /// serialized alone, not the whole file parsed again).
    fn detect(tok: &Tokenizer, prepared: Option<&mut fast::Prepared<'_>>) -> Option<Self> {
        use serde_json::Value;
        if tok.get_pre_tokenizer().is_some() || tok.get_encode_special_tokens() {
            return None;
        }
        let normalizer = serde_json::to_value(tok.get_normalizer()?).ok()?;
        if normalizer.get("type")? != "Sequence" {
            return None;
        }
        let [prepend, replace] = normalizer.get("normalizers")?.as_array()?.as_slice() else {
            return None;
        };
        let only =
            |v: &Value, keys: &[&str]| v.as_object().is_some_and(|o| o.keys().all(|k| keys.contains(&k.as_str())));
        let space_pattern = serde_json::json!({ "String": " " });
        if prepend.get("type")? != "Prepend"
            || !only(prepend, &["type", "prepend"])
            || replace.get("type")? != "Replace"
            || !only(replace, &["type", "pattern", "content"])
            || replace.get("pattern")? != &space_pattern
        {
            return None;
        }
        let added = fast::Added::detect(tok)?;
        let space = replace.get("content")?.as_str()?.to_string();
        // Words can be cut before a one-character space (when the vocabulary allows it).
        let mut chars = space.chars();
        let cut = chars.next().filter(|_| chars.next().is_none());
        Some(Self {
            // `Prepend` runs first, so `Replace` rewrites the prefix too.
            prepend: prepend.get("prepend")?.as_str()?.replace(' ', &space),
            space,
            added,
            model: prepared.and_then(|p| fast::CharBpe::detect(tok, p, cut)),
        })
    }

    fn encode(&self, model: &tokenizers::ModelWrapper, text: &str, out: &mut Vec<u32>) -> tokenizers::Result<()> {
        let mut piece = String::new();
        let mut scratch = fast::Scratch::default();
        self.added.split(text, out, |text, out| self.piece(model, text, &mut piece, &mut scratch, out))
    }

    /// One stretch between added tokens: normalized (`Prepend`, then `Replace`) and tokenized.
    fn piece(
        &self,
        model: &tokenizers::ModelWrapper,
        text: &str,
        buf: &mut String,
        scratch: &mut fast::Scratch,
        out: &mut Vec<u32>,
    ) -> tokenizers::Result<()> {
        use tokenizers::Model as _;
        if let Some(m) = &self.model {
            // The same characters, without writing them out: `space` is one character here.
            let mut space = self.space.chars();
            if let (Some(space), None) = (space.next(), space.next()) {
                let chars = text.chars().map(|c| if c == ' ' { space } else { c });
                m.tokenize(self.prepend.chars().chain(chars), out, scratch);
                return Ok(());
            }
        }
        buf.clear();
        buf.push_str(&self.prepend);
        for (i, word) in text.split(' ').enumerate() {
            if i > 0 {
                buf.push_str(&self.space);
            }
            buf.push_str(word);
        }
        match &self.model {
            Some(m) => m.tokenize(buf.chars(), out, scratch),
            None => out.extend(model.tokenize(buf)?.into_iter().map(|t| t.id)),
        }
        Ok(())
    }
}

/// A BPE's empty `continuing_subword_prefix` / `end_of_word_suffix` (`""`, as Qwen3 and other
/// byte-level tokenizers converted from tiktoken declare them) as none: the model formats
/// `"{prefix}{piece}"` for every character of every word when one is set, even to `""`, which
/// was 8% of encoding time; concatenating an empty string changes no piece, so no id changes.
fn drop_empty_affixes(tok: &mut Tokenizer) {
    let tokenizers::ModelWrapper::BPE(bpe) = tok.get_model() else { return };
    let empty = |a: &Option<String>| a.as_deref() == Some("");
    if !empty(&bpe.continuing_subword_prefix) && !empty(&bpe.end_of_word_suffix) {
        return;
    }
    let mut bpe = bpe.clone();
    if empty(&bpe.continuing_subword_prefix) {
        bpe.continuing_subword_prefix = None;
    }
    if empty(&bpe.end_of_word_suffix) {
        bpe.end_of_word_suffix = None;
    }
    tok.with_model(tokenizers::ModelWrapper::BPE(bpe));
}

/// A tokenizer loading on a thread of its own from the moment a plan is made, so that the
/// `tokenizers` crate's parsing of a large `tokenizer.json` (Qwen3's 11 MB: 0.4 s, mostly its
/// model's untagged deserialization) overlaps reading the input. The file is read and
/// fingerprinted at once, so a missing file is a config error before any work; a file the crate
/// cannot load is reported by [`Self::check`], which the executor calls before each task, so a run
/// fails within one task's time, not after reading everything.
pub struct TokenizerHandle {
    path: std::path::PathBuf,
    sha256: String,
    choices: (Special, Special),
    pending: std::sync::Mutex<Option<std::thread::JoinHandle<Result<TextTokenizer>>>>,
    loaded: std::sync::OnceLock<Result<TextTokenizer>>,
}

impl std::fmt::Debug for TokenizerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenizerHandle").field("path", &self.path).field("sha256", &self.sha256).finish()
    }
}

impl TokenizerHandle {
    /// Reads `path` and starts loading it.
    pub fn spawn(path: &Path, cfg: &TokenizeConfig) -> Result<Self> {
        let bytes = read_json(path)?;
        let sha256 = hex(&Sha256::digest(&bytes));
        let (p, sha, c) = (path.to_path_buf(), sha256.clone(), cfg.clone());
        let thread = std::thread::Builder::new()
            .name("tokenizer-load".into())
            .spawn(move || TextTokenizer::from_bytes(&p, &bytes, sha, &c))
            .map_err(|e| Error::io(path, e))?;
        Ok(Self {
            path: path.to_path_buf(),
            sha256,
            choices: (cfg.bos.clone(), cfg.eos.clone()),
            pending: std::sync::Mutex::new(Some(thread)),
            loaded: std::sync::OnceLock::new(),
        })
    }

    /// sha256 of the `tokenizer.json` bytes.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The configured BOS and EOS choices (what, with the sha256, fixes the ids).
    pub fn choices(&self) -> &(Special, Special) {
        &self.choices
    }

    /// The tokenizer, waiting for it if it is still loading.
    pub fn get(&self) -> Result<&TextTokenizer> {
        self.join(true)?.ok_or_else(|| Error::Internal("tokenizer not loaded".into()))
    }

    /// Fails if loading has finished and failed; never waits.
    pub fn check(&self) -> Result<()> {
        self.join(false).map(drop)
    }

    fn join(&self, wait: bool) -> Result<Option<&TextTokenizer>> {
        if self.loaded.get().is_none() {
            let mut pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(thread) = pending.take_if(|t| wait || t.is_finished()) {
                let result =
                    thread.join().unwrap_or_else(|_| Err(tok_error(&self.path, "loading the tokenizer panicked")));
                let _ = self.loaded.set(result);
            }
        }
        match self.loaded.get() {
            None => Ok(None),
            Some(Ok(t)) => Ok(Some(t)),
            // Each caller gets the error: a config error as it was, anything else described.
            Some(Err(Error::Config { location, message })) => {
                Err(Error::Config { location: location.clone(), message: message.clone() })
            }
            Some(Err(e)) => Err(tok_error(&self.path, e.to_string())),
        }
    }
}

/// The special tokens the tokenizer's post-processor puts around a single sequence: (first
/// leading one, last trailing one).
fn template_specials(tok: &Tokenizer) -> (Option<u32>, Option<u32>) {
    let probe = "a";
    let (Ok(with), Ok(without)) = (tok.encode_fast(probe, true), tok.encode_fast(probe, false)) else {
        return (None, None);
    };
    let (with, without) = (with.get_ids(), without.get_ids());
    let Some(start) = with.windows(without.len().max(1)).position(|w| w == without) else {
        return (None, None);
    };
    let lead = with[..start].first().copied();
    let trail = with[start + without.len()..].last().copied();
    (lead, trail)
}

fn model_name(tok: &Tokenizer) -> String {
    use tokenizers::ModelWrapper;
    match tok.get_model() {
        ModelWrapper::BPE(_) => "BPE",
        ModelWrapper::Unigram(_) => "Unigram",
        ModelWrapper::WordPiece(_) => "WordPiece",
        ModelWrapper::WordLevel(_) => "WordLevel",
    }
    .to_string()
}

/// Characters per token of `tokenizer` over `texts` (no special tokens), and the totals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Efficiency {
    /// Documents.
    pub documents: u64,
    /// Unicode characters.
    pub characters: u64,
    /// Tokens.
    pub tokens: u64,
}

impl Efficiency {
    /// Characters per token.
    pub fn chars_per_token(&self) -> f64 {
        self.characters as f64 / self.tokens.max(1) as f64
    }
}

/// Encodes `texts` without BOS/EOS and counts characters and tokens.
pub fn chars_per_token(tokenizer: &TextTokenizer, texts: &[&str]) -> Result<Efficiency> {
    let counts: Vec<(u64, u64)> = texts
        .par_iter()
        .map(|t| {
            let mut ids = Vec::new();
            tokenizer.encode_into(t, &mut ids)?;
            let n = ids.len();
            Ok((t.chars().count() as u64, n as u64))
        })
        .collect::<Result<_>>()?;
    Ok(Efficiency {
        documents: texts.len() as u64,
        characters: counts.iter().map(|c| c.0).sum(),
        tokens: counts.iter().map(|c| c.1).sum(),
    })
}

/// Options of [`train`].
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Vocabulary size, special tokens included.
    pub vocab_size: usize,
    /// Pairs seen fewer times are not merged.
    pub min_frequency: u64,
    /// Special tokens added first (ids 0, 1, …).
    pub special_tokens: Vec<String>,
}

/// Trains a byte-level BPE (GPT-2/Qwen style: NFC, byte-level pre-tokenizer without a prefix
/// space, byte-level decoder, so every text round-trips) on `texts`, and returns the
/// `tokenizer.json` bytes (pretty JSON).
pub fn train(texts: impl Iterator<Item = String> + Send, options: &TrainOptions) -> Result<Vec<u8>> {
    use tokenizers::decoders::byte_level::ByteLevel as ByteLevelDecoder;
    use tokenizers::models::bpe::{BPE, BpeTrainerBuilder};
    use tokenizers::normalizers::unicode::NFC;
    use tokenizers::pre_tokenizers::byte_level::ByteLevel;
    use tokenizers::{AddedToken, TokenizerBuilder};

    let err = |e: tokenizers::Error| Error::Internal(format!("tokenizer training: {e}"));
    let specials: Vec<AddedToken> = options.special_tokens.iter().map(|t| AddedToken::from(t.clone(), true)).collect();
    let mut trainer = BpeTrainerBuilder::new()
        .vocab_size(options.vocab_size)
        .min_frequency(options.min_frequency)
        .show_progress(false)
        .special_tokens(specials)
        .initial_alphabet(ByteLevel::alphabet().into_iter().collect())
        .build();
    let mut tokenizer = TokenizerBuilder::new()
        .with_model(BPE::default())
        .with_normalizer(Some(NFC))
        .with_pre_tokenizer(Some(ByteLevel::default().add_prefix_space(false)))
        .with_post_processor(Some(ByteLevel::default().trim_offsets(false)))
        .with_decoder(Some(ByteLevelDecoder::default()))
        .build()
        .map_err(err)?;
    tokenizer.train(&mut trainer, texts).map_err(err)?;
    let tokenizer: Tokenizer = tokenizer.into();
    let json = tokenizer.to_string(true).map_err(err)?;
    Ok(json.into_bytes())
}

/// Reads the texts of `inputs` for training or comparing tokenizers: JSONL (plain, .gz, .zst)
/// and Parquet files (field or column `text_field`), `.txt` files (one text each), and dataset
/// directories (their document shards' `text`). Stops after `max_bytes` of text; files are read
/// in the order given, so the sample is deterministic.
pub fn read_texts(inputs: &[std::path::PathBuf], text_field: &str, max_bytes: u64) -> Result<Vec<String>> {
    use crate::ingest::FileKind;
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let manifest = crate::shard::manifest::DatasetManifest::read(input)?;
            files.extend(manifest.shards.iter().map(|s| input.join(&s.file.path)));
        } else {
            files.push(input.clone());
        }
    }
    let mut texts = Vec::new();
    let mut bytes = 0u64;
    let mut keep = |t: String, texts: &mut Vec<String>| -> bool {
        bytes += t.len() as u64;
        texts.push(t);
        bytes < max_bytes
    };
    for file in &files {
        let name = file.to_string_lossy();
        let kind = FileKind::from_name(&name).ok_or_else(|| {
            Error::config(
                Location::file(file),
                "not a data file this tool reads (.jsonl, .jsonl.gz, .jsonl.zst, .parquet, .txt)",
            )
        })?;
        match kind {
            FileKind::Text => {
                let bytes = crate::files::read_regular(file, max_bytes.max(1 << 20)).at(file)?;
                let text =
                    String::from_utf8(bytes).map_err(|_| Error::config(Location::file(file), "not UTF-8 text"))?;
                if !keep(text, &mut texts) {
                    break;
                }
            }
            FileKind::Parquet => {
                use arrow_array::cast::AsArray;
                use arrow_schema::DataType;
                let opened = crate::files::open_regular(file).at(file)?;
                let builder = crate::untrusted::catch(|| {
                    parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(opened)
                })
                .map_err(|e| Error::io(file, std::io::Error::other(e.to_string())))?
                .map_err(|e| Error::io(file, std::io::Error::other(e)))?;
                let Ok(index) = builder.schema().index_of(text_field) else {
                    return Err(Error::config(Location::file(file).with_field(text_field), "no such column"));
                };
                let kind = builder.schema().field(index).data_type().clone();
                if !matches!(kind, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) {
                    return Err(Error::config(
                        Location::file(file).with_field(text_field),
                        format!("the column is {kind}, not a string type"),
                    ));
                }
                let mask = parquet::arrow::ProjectionMask::roots(builder.parquet_schema(), [index]);
                let reader =
                    builder.with_projection(mask).build().map_err(|e| Error::io(file, std::io::Error::other(e)))?;
                let mut reader = reader;
                while let Some(batch) = crate::untrusted::catch(|| reader.next())
                    .map_err(|e| Error::io(file, std::io::Error::other(e.to_string())))?
                {
                    let batch = batch?;
                    let column = arrow_cast::cast(batch.column(0), &DataType::Utf8)?;
                    for t in column.as_string::<i32>().iter().flatten() {
                        if !keep(t.to_string(), &mut texts) {
                            return Ok(texts);
                        }
                    }
                }
            }
            _ => {
                use crate::ingest::jsonl::{Line, LineReader};
                let raw = crate::files::open_regular(file).at(file)?;
                let reader = crate::ingest::jsonl::decompressed(raw, kind).at(file)?;
                let mut lines = LineReader::new(reader, crate::ingest::IngestConfig::default().max_record_bytes());
                while let Some(line) = lines.next_line().at(file)? {
                    // Records without text (too long, or not JSON) are skipped: `corpus
                    // validate` is where they are reported.
                    let Line::Complete(line) = line else { continue };
                    let Ok(record) = crate::ingest::jsonl::parse_record(line, text_field, None) else {
                        continue;
                    };
                    if !keep(record.text, &mut texts) {
                        return Ok(texts);
                    }
                }
            }
        }
    }
    Ok(texts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_path() {
        assert_eq!(name_from_path(Path::new("t/qwen3/tokenizer.json")), "qwen3");
        assert_eq!(name_from_path(Path::new("t/breeze-7b/tokenizer.json.zst")), "breeze-7b");
        assert_eq!(name_from_path(Path::new("mine.json")), "mine");
    }

    #[test]
    fn specials_parse_and_print() {
        assert_eq!(Special::parse("auto"), Special::Auto);
        assert_eq!(Special::parse("none"), Special::None);
        assert_eq!(Special::parse("</s>"), Special::Token("</s>".into()));
        let cfg: TokenizeConfig = toml::from_str("bos = \"none\"\neos = \"<|endoftext|>\"\n").unwrap_or_default();
        assert_eq!((cfg.bos, cfg.eos), (Special::None, Special::Token("<|endoftext|>".into())));
    }

    fn fixture(rel: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
    }

    /// Breeze-7B, from `fixtures/` (SentencePiece-style: the `Metaspace` shortcut), loaded once.
    fn breeze() -> &'static TextTokenizer {
        static T: std::sync::OnceLock<TextTokenizer> = std::sync::OnceLock::new();
        T.get_or_init(|| {
            let path = fixture("fixtures/tokenizers/breeze-7b-instruct-v1_0/tokenizer.json.zst");
            TextTokenizer::load(&path, &TokenizeConfig::default()).unwrap_or_else(|e| panic!("{e}"))
        })
    }

    /// Qwen3 (byte-level BPE: the general path), from `../shared` when it is beside the clone
    /// (CI has it; 11 MB is too much for `fixtures/`), loaded once.
    fn qwen3() -> Option<&'static TextTokenizer> {
        static T: std::sync::OnceLock<Option<TextTokenizer>> = std::sync::OnceLock::new();
        T.get_or_init(|| {
            let path = fixture("../shared/tokenizers/qwen3/tokenizer.json");
            path.exists()
                .then(|| TextTokenizer::load(&path, &TokenizeConfig::default()).unwrap_or_else(|e| panic!("{e}")))
        })
        .as_ref()
    }

    /// Text of the kinds that trip tokenizers up: Chinese, runs of spaces, newlines, added tokens
    /// in the middle of words, `▁` itself, emoji and characters outside the vocabulary.
    fn tricky_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "中華民國",
            "憲法",
            "第一條",
            "，",
            "。",
            "臺灣",
            " ",
            "  ",
            "\n",
            "\n\n",
            "\t",
            "a",
            "AI",
            "the ",
            "Hello",
            "<s>",
            "</s>",
            "<unk>",
            "<EOD>",
            "<PAD>",
            "<|endoftext|>",
            "<|im_start|>",
            "▁",
            "▁▁",
            "😀",
            "𠀋",
            "é",
            "ｅ",
            "123",
            "3.14",
            "'s",
            "'ll",
            "\u{3000}",
            "\r\n",
            // Not NFC: a decomposed é, the Ångström sign, a CJK compatibility ideograph.
            "e\u{301}",
            "\u{212B}",
            "\u{F900}",
            // The split pattern's corners: contractions in any case (and `ſ`, which folds to
            // `s`), other whitespace, runs of punctuation and of spaces before a word.
            "'S",
            "'LL",
            "'Re",
            "ſ",
            "\u{2019}s",
            "12345",
            "\u{a0}",
            "\u{2028}",
            "\u{85}",
            " \n ",
            "    ",
            "--install-recommends",
            "foo.bar/baz_qux",
            "(apt-get)",
            "「",
            "…",
        ]);
        // Up to 24 pieces, or up to 300 (words long enough for the heap merge).
        prop_oneof![prop::collection::vec(pieces.clone(), 0..24), prop::collection::vec(pieces, 0..300)]
            .prop_map(|v| v.concat())
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn the_shortcuts_give_encode_fast_ids(text in tricky_text()) {
            let b = breeze();
            let mut ids = Vec::new();
            b.encode_into(&text, &mut ids).unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(&ids, &b.encode_reference(&text).unwrap_or_else(|e| panic!("{e}")));
            let mut general = Vec::new();
            b.encode_steps(&text, &mut general).unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(&general, &ids);
            if let Some(q) = qwen3() {
                let mut ids = Vec::new();
                q.encode_into(&text, &mut ids).unwrap_or_else(|e| panic!("{e}"));
                prop_assert_eq!(ids, q.encode_reference(&text).unwrap_or_else(|e| panic!("{e}")));
            }
        }
    }

    #[test]
    fn breeze_takes_the_shortcut_and_round_trips() -> Result<()> {
        let b = breeze();
        let model = b.metaspace.as_ref().and_then(|m| m.model.as_ref());
        assert_eq!(model.map(fast::CharBpe::cut), Some(Some('\u{2581}')));
        assert_eq!(
            (b.info().bos.as_ref().map(|t| t.token.as_str()), b.info().eos.as_ref().map(|t| t.token.as_str())),
            (Some("<s>"), Some("</s>"))
        );
        assert_eq!(b.info().id_type, IdType::Uint16);
        let text = "第一條　中華民國基於三民主義，為民有民治民享之民主共和國。\nArticle 1  (two spaces) 😀";
        let ids = b.encode(text)?;
        assert_eq!((ids.first(), ids.last()), (Some(&1), Some(&2)));
        assert_eq!(b.decode(&ids)?, text);
        if let Some(q) = qwen3() {
            assert!(q.metaspace.is_none() && q.byte_level.is_some());
            assert_eq!(q.info().bos, None);
            assert_eq!(q.info().id_type, IdType::Uint32);
            assert_eq!(q.decode(&q.encode(text)?)?, text);
        }
        Ok(())
    }

    #[test]
    fn ids_round_trip_through_their_byte_form() {
        for (t, ids) in [(IdType::Uint16, vec![0, 1, 65_535]), (IdType::Uint32, vec![0, 70_000, u32::MAX])] {
            let mut bytes = Vec::new();
            t.put_le(&ids, &mut bytes);
            assert_eq!(bytes.len(), ids.len() * t.width());
            assert_eq!(t.get_le(&bytes), ids);
        }
    }

    #[test]
    fn a_trained_tokenizer_round_trips_and_compresses() -> Result<()> {
        let texts: Vec<String> = (0..200)
            .map(|i| format!("中華民國憲法第{i}條：人民有言論、講學、著作及出版之自由。臺灣 AI 語料 {i}。"))
            .collect();
        let opts = TrainOptions { vocab_size: 400, min_frequency: 2, special_tokens: vec!["<|endoftext|>".into()] };
        let json = train(texts.clone().into_iter(), &opts)?;
        let dir = tempfile::tempdir().at(Path::new("tmp"))?;
        let path = dir.path().join("tokenizer.json");
        std::fs::write(&path, &json).at(&path)?;
        let tok = TextTokenizer::load(&path, &TokenizeConfig::default())?;
        assert_eq!(tok.info().eos.as_ref().map(|t| t.id), Some(0));
        assert_eq!(tok.info().bos, None);
        assert_eq!(tok.info().id_type, IdType::Uint16);
        for t in &texts[..5] {
            let ids = tok.encode(t)?;
            assert_eq!(ids.last(), Some(&0));
            assert_eq!(tok.decode(&ids)?, *t);
        }
        let eff = chars_per_token(&tok, &texts.iter().map(String::as_str).collect::<Vec<_>>())?;
        assert!(eff.chars_per_token() > 1.5, "{eff:?}");
        Ok(())
    }
}

#[cfg(test)]
mod bench {
    use super::*;

    /// `TOK_BENCH_INPUT=FILE.jsonl TOK_BENCH_TOKENIZER=tokenizer.json cargo test --release -p
    /// corpus-core tokenize::bench -- --ignored --nocapture`: one thread's encoding speed, ours
    /// and the crate's `encode_fast`, on the texts of a JSONL file (`TOK_BENCH_HF=0` skips the
    /// crate's).
    #[test]
    #[ignore]
    #[allow(clippy::print_stderr)]
    fn encode_speed() -> Result<()> {
        let (Ok(input), Ok(tok)) = (std::env::var("TOK_BENCH_INPUT"), std::env::var("TOK_BENCH_TOKENIZER")) else {
            return Ok(());
        };
        let texts = read_texts(&[input.into()], "text", u64::MAX)?;
        let bytes: usize = texts.iter().map(String::len).sum();
        let tok = TextTokenizer::load(Path::new(&tok), &TokenizeConfig::default())?;
        let t = std::time::Instant::now();
        let mut n = 0;
        let mut ids = Vec::new();
        for text in &texts {
            ids.clear();
            tok.encode_into(text, &mut ids)?;
            n += ids.len();
        }
        let ours = t.elapsed().as_secs_f64();
        eprintln!("ours: {n} tokens, {:.2} s, {:.1} MB/s", ours, bytes as f64 / 1e6 / ours);
        if std::env::var("TOK_BENCH_HF").as_deref() != Ok("0") {
            let t = std::time::Instant::now();
            let mut m = 0;
            for text in &texts {
                m += tok.encode_reference(text)?.len();
            }
            let hf = t.elapsed().as_secs_f64();
            eprintln!(
                "encode_fast: {m} tokens, {:.2} s, {:.1} MB/s; ours {:.2}x",
                hf,
                bytes as f64 / 1e6 / hf,
                hf / ours
            );
        }
        Ok(())
    }
}
