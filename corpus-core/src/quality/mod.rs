//! The quality stage: named rules over signals measured on characters, lines and paragraphs —
//! never on space-separated "words", which Chinese does not have — plus word signals from
//! jieba on a sample ([`words`]).
//!
//! Every rule is a key of `[quality]` with its threshold; a rule drops with its own ledger reason
//! and a detail naming the signal, its value and the limit. The `quality` column keeps the
//! signals of kept documents (JSON), for the dedup stage's choice of which duplicate to keep and
//! for model teams who want to filter harder.

pub mod words;

use std::sync::Arc;

use aho_corasick::AhoCorasick;
use arrow_array::{ArrayRef, StringArray};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::batch::DocBatch;
use crate::error::{Error, Result};
use crate::normalize::script::is_han;
use crate::stage::{DropReason, Processed, Stage, Verdict};

/// The column of each kept document's signals (JSON).
pub const QUALITY: &str = "quality";

/// Boilerplate phrases of Taiwanese (and international) web pages: navigation, account walls,
/// legal footers and cookie banners. Matched case-insensitively, in lines of at most
/// [`BOILERPLATE_LINE_CHARS`] characters (a long paragraph that mentions 隱私權政策 is content).
pub const BOILERPLATE: [&str; 57] = [
    "版權所有",
    "著作權所有",
    "隱私權政策",
    "隱私權保護政策",
    "隱私權聲明",
    "隱私權及安全政策",
    "請詳細閱讀",
    "請您詳細閱讀",
    "跳到主要內容",
    "友善列印",
    "回頁首",
    "立即註冊",
    "請先登入",
    "記住我",
    "驗證碼",
    "登入即表示",
    "會員限定",
    "請輸入密碼",
    "請輸入帳號",
    "重新發送",
    "本網站",
    "隱私政策",
    "服務條款",
    "使用條款",
    "免責聲明",
    "網站導覽",
    "網站地圖",
    "回首頁",
    "回到頂端",
    "回上一頁",
    "上一頁",
    "下一頁",
    "登入/註冊",
    "登入 / 註冊",
    "會員登入",
    "會員註冊",
    "加入會員",
    "忘記密碼",
    "購物車",
    "訂閱電子報",
    "分享到",
    "分享至",
    "相關文章",
    "熱門文章",
    "延伸閱讀",
    "瀏覽人次",
    "本網站使用",
    "cookie",
    "all rights reserved",
    "copyright ©",
    "powered by",
    "privacy policy",
    "terms of service",
    "javascript",
    "請啟用",
    "最佳瀏覽",
    "建議使用",
];

/// Lines longer than this are never boilerplate.
pub const BOILERPLATE_LINE_CHARS: usize = 120;

/// Character n-gram statistics read at most this many content characters of a document:
/// repetition shows early, and the cost per document stays bounded.
pub const NGRAM_SAMPLE_CHARS: usize = 5_000;

/// `[quality]`: the rules and their thresholds. A `max_*` of 1 (or a `min_*` of 0) turns its
/// rule off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QualityConfig {
    /// Run the stage at all.
    pub enabled: bool,
    /// `too_short`: fewer non-space characters than this.
    pub min_chars: u64,
    /// `too_long`: more non-space characters than this.
    pub max_chars: u64,
    /// `low_cjk_share`: CJK characters below this share of the letter units (a CJK character,
    /// a run of other letters or digits, or a symbol is one unit each).
    #[serde(deserialize_with = "crate::config_value::share")]
    pub min_cjk_share: f64,
    /// `duplicate_lines`: lines repeating an earlier line, as a share of the lines…
    #[serde(deserialize_with = "crate::config_value::share")]
    pub max_duplicate_lines: f64,
    /// …or of the characters.
    #[serde(deserialize_with = "crate::config_value::share")]
    pub max_duplicate_line_chars: f64,
    /// `duplicate_paragraphs`: paragraphs (blank-line separated) repeating an earlier one, as a
    /// share of the paragraphs…
    #[serde(deserialize_with = "crate::config_value::share")]
    pub max_duplicate_paragraphs: f64,
    /// …or of the characters.
    #[serde(deserialize_with = "crate::config_value::share")]
    pub max_duplicate_paragraph_chars: f64,
    /// `repeated_ngrams`: share of the content characters (Han, letters; digits left out)
    /// covered by the most frequent character 2-gram (Gopher's top n-gram rule, on characters).
    #[serde(deserialize_with = "crate::config_value::share")]
    pub max_top_2gram: f64,
    /// The same for 3-grams.
    #[serde(deserialize_with = "crate::config_value::share")]
    pub max_top_3gram: f64,
    /// The same for 4-grams.
    #[serde(deserialize_with = "crate::config_value::share")]
    pub max_top_4gram: f64,
    /// The n-gram rules apply to documents with at least this many content characters (in
    /// shorter ones one repeat is already a large share).
    pub ngram_min_chars: u64,
    /// `too_many_symbols`: symbols (arrows, boxes, shapes, dingbats, emoji, `#*|=~<>`…) above
    /// this share of the characters.
    #[serde(deserialize_with = "crate::config_value::share")]
    pub max_symbols: f64,
    /// `too_many_symbols` too: letters, digits and Han characters below this share of the
    /// characters (boxes drawn with ─│╔═╗ and empty frames, whose characters are not symbols so
    /// that the tables of government documents are not).
    #[serde(deserialize_with = "crate::config_value::share")]
    pub min_content: f64,
    /// `punctuation_ratio`: punctuation above this share of the characters…
    #[serde(deserialize_with = "crate::config_value::share")]
    pub max_punctuation: f64,
    /// …or below this share (keyword lists and menus have none), for documents of at least
    /// `ngram_min_chars` characters.
    #[serde(deserialize_with = "crate::config_value::share")]
    pub min_punctuation: f64,
    /// `unterminated_lines`: characters in lines that end a sentence (with 。！？；：…」 or their
    /// ASCII twins) below this share of the characters. The lines of a hard-wrapped sentence
    /// count with the line that ends it; a paragraph break ends the run unterminated.
    #[serde(deserialize_with = "crate::config_value::share")]
    pub min_terminated_chars: f64,
    /// `boilerplate`: characters in short lines holding a boilerplate phrase above this share.
    #[serde(deserialize_with = "crate::config_value::share")]
    pub max_boilerplate_chars: f64,
    /// Extra boilerplate phrases, added to the built-in list.
    pub boilerplate_phrases: Vec<String>,
    /// `mojibake`: replacement characters and mojibake sequences above this share of the
    /// characters.
    #[serde(deserialize_with = "crate::config_value::share")]
    pub max_mojibake: f64,
    /// Compute the jieba word signals (`word_stats`).
    pub words: bool,
    /// Characters of each document (from its start) that jieba segments.
    pub word_sample_chars: usize,
    /// `word_stats`: one-character words above this share of the Han words…
    #[serde(deserialize_with = "crate::config_value::share")]
    pub max_single_char_words: f64,
    /// …or fewer function words (的, 之, 及, 於…) than this in the sample…
    pub min_function_words: u32,
    /// …judged only when the sample has at least this many Han words.
    pub word_min_words: u32,
    /// `[[quality.overrides]]`: other thresholds for some contributions. Each table names
    /// `contributions` (ids, `*` globs allowed) and any keys above; the first table that
    /// matches a document's contribution applies, over the values above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<toml::Table>,
}

impl QualityConfig {
    /// The contribution patterns and the whole config of each override, in order; an error
    /// names the override (1-based) and the key.
    pub fn resolved_overrides(&self) -> std::result::Result<Vec<(Vec<String>, QualityConfig)>, String> {
        let base = toml::Table::try_from(QualityConfig { overrides: Vec::new(), ..self.clone() })
            .map_err(|e| format!("[quality]: {e}"))?;
        self.overrides
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let at = format!("[[quality.overrides]] number {}", i + 1);
                let ids = match o.get("contributions") {
                    Some(toml::Value::Array(a)) if !a.is_empty() => a
                        .iter()
                        .map(|v| {
                            v.as_str()
                                .map(str::to_string)
                                .ok_or_else(|| format!("{at}: `contributions` must list contribution ids as strings"))
                        })
                        .collect::<std::result::Result<Vec<_>, _>>()?,
                    _ => {
                        return Err(format!(
                            "{at}: `contributions = [\"<id>\", …]` is required (ids or globs such as \"debian-*\")"
                        ));
                    }
                };
                let mut merged = base.clone();
                for id in &ids {
                    globset::Glob::new(id).map_err(|e| format!("{at}: contribution `{id}`: {e}"))?;
                }
                for (k, v) in o.iter().filter(|(k, _)| k.as_str() != "contributions") {
                    if matches!(k.as_str(), "enabled" | "overrides") {
                        return Err(format!("{at}: `{k}` applies to the whole stage and cannot be overridden"));
                    }
                    // Phrases add to the base list (as the base list adds to the built-in one).
                    let v = match (k.as_str(), merged.get(k), v) {
                        ("boilerplate_phrases", Some(toml::Value::Array(base)), toml::Value::Array(more)) => {
                            toml::Value::Array(base.iter().chain(more).cloned().collect())
                        }
                        _ => v.clone(),
                    };
                    merged.insert(k.clone(), v);
                }
                let cfg: QualityConfig =
                    merged.try_into().map_err(|e: toml::de::Error| format!("{at}: {}", e.message()))?;
                Ok((ids, cfg))
            })
            .collect()
    }
}

impl Default for QualityConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            min_chars: 10,
            max_chars: 5_000_000,
            min_cjk_share: 0.22,
            max_duplicate_lines: 0.33,
            max_duplicate_line_chars: 0.22,
            max_duplicate_paragraphs: 0.3,
            max_duplicate_paragraph_chars: 0.2,
            max_top_2gram: 0.2,
            max_top_3gram: 0.18,
            max_top_4gram: 0.16,
            ngram_min_chars: 100,
            max_symbols: 0.17,
            min_content: 0.3,
            max_punctuation: 0.4,
            min_punctuation: 0.01,
            min_terminated_chars: 0.15,
            max_boilerplate_chars: 0.3,
            boilerplate_phrases: Vec::new(),
            max_mojibake: 0.01,
            words: false,
            word_sample_chars: 1000,
            max_single_char_words: 0.75,
            min_function_words: 1,
            word_min_words: 100,
            overrides: Vec::new(),
        }
    }
}

/// The measured signals of one document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Signals {
    /// Non-space characters.
    pub chars: u64,
    /// CJK share of the letter units.
    pub cjk_share: f64,
    /// Duplicate lines, share of lines.
    pub duplicate_lines: f64,
    /// Duplicate lines, share of characters.
    pub duplicate_line_chars: f64,
    /// Duplicate paragraphs, share of paragraphs.
    pub duplicate_paragraphs: f64,
    /// Duplicate paragraphs, share of characters.
    pub duplicate_paragraph_chars: f64,
    /// Top character 2-gram coverage.
    pub top_2gram: f64,
    /// Top character 3-gram coverage; absent when the 2-gram coverage proves it under its limit
    /// (a 3-gram occurs at most as often as its first 2-gram, so it covers at most 1.5× as much).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_3gram: Option<f64>,
    /// Top character 4-gram coverage; absent when the 2- and 3-gram coverages prove it under its
    /// limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_4gram: Option<f64>,
    /// Content characters the n-gram signals saw.
    pub ngram_chars: u64,
    /// Symbol share.
    pub symbols: f64,
    /// Letters, digits and Han characters, share of the characters.
    pub content: f64,
    /// Punctuation share.
    pub punctuation: f64,
    /// Share of characters in lines ending in sentence punctuation.
    pub terminated_chars: f64,
    /// Share of characters in boilerplate lines.
    pub boilerplate_chars: f64,
    /// Replacement characters and mojibake sequences, share of characters.
    pub mojibake: f64,
    /// Han words in the jieba sample (0 when word signals are off).
    pub han_words: u32,
    /// One-character share of them.
    pub single_char_words: f64,
    /// Function words in the sample.
    pub function_words: u32,
}

impl Signals {
    /// One number in [0, 1] for choosing among near-duplicates (dedup keeps the best-scored
    /// member of a cluster): the content share, less the share of boilerplate, repeated-line
    /// and mojibake characters. A copy with a site footer appended scores below the clean one.
    pub fn score(&self) -> f64 {
        let s = self.content
            * (1.0 - self.boilerplate_chars)
            * (1.0 - self.duplicate_line_chars)
            * (1.0 - self.mojibake.min(1.0));
        s.clamp(0.0, 1.0)
    }
}

/// The quality stage.
#[derive(Debug)]
pub struct QualityStage {
    cfg: QualityConfig,
    /// The stages of `[[quality.overrides]]`, with the contribution ids they apply to.
    overrides: Vec<(globset::GlobSet, QualityStage)>,
    boilerplate: AhoCorasick,
    /// The first two characters of every phrase (ASCII lower-cased), hashed into 4,096 bits: a
    /// line without one of these pairs holds no phrase, and most lines have none, so the
    /// automaton only runs on the few lines that might.
    openings: Box<[u64; 64]>,
}

fn pair_bit(a: char, b: char) -> usize {
    let (a, b) = (u32::from(a.to_ascii_lowercase()), u32::from(b.to_ascii_lowercase()));
    (a.wrapping_mul(0x9E37_79B1) ^ b.wrapping_mul(0x85EB_CA6B)).rotate_left(13) as usize & 4095
}

impl QualityStage {
    /// A stage for `cfg`.
    pub fn new(cfg: &QualityConfig) -> Result<Self> {
        let phrases: Vec<&str> =
            BOILERPLATE.iter().copied().chain(cfg.boilerplate_phrases.iter().map(String::as_str)).collect();
        let boilerplate = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&phrases)
            .map_err(|e| Error::config(Default::default(), format!("[quality] boilerplate_phrases: {e}")))?;
        if cfg.words {
            words::Segmenter::get();
        }
        let mut openings = Box::new([0u64; 64]);
        for p in &phrases {
            let mut cs = p.chars();
            if let (Some(a), Some(b)) = (cs.next(), cs.next()) {
                let bit = pair_bit(a, b);
                openings[bit >> 6] |= 1 << (bit & 63);
            } else {
                openings.fill(u64::MAX); // a one-character phrase: every line is a candidate
            }
        }
        let mut overrides = Vec::new();
        for (ids, o) in cfg.resolved_overrides().map_err(|e| Error::config(Default::default(), e))? {
            let mut set = globset::GlobSetBuilder::new();
            for id in &ids {
                let glob = globset::Glob::new(id).map_err(|e| {
                    Error::config(Default::default(), format!("[[quality.overrides]] contribution `{id}`: {e}"))
                })?;
                set.add(glob);
            }
            let set =
                set.build().map_err(|e| Error::config(Default::default(), format!("[[quality.overrides]]: {e}")))?;
            overrides.push((set, QualityStage::new(&o)?));
        }
        Ok(Self { cfg: cfg.clone(), overrides, boilerplate, openings })
    }

    /// The stage whose thresholds apply to documents of `contribution`.
    pub fn for_contribution(&self, contribution: &str) -> &QualityStage {
        self.overrides.iter().find(|(ids, _)| ids.is_match(contribution)).map_or(self, |(_, stage)| stage)
    }

    /// Measures `text`.
    pub fn signals(&self, text: &str) -> Signals {
        SCRATCH.with_borrow_mut(|scratch| self.signals_with(text, scratch))
    }

    fn signals_with(&self, text: &str, scratch: &mut Scratch) -> Signals {
        let mut m = Measure { content: std::mem::take(&mut scratch.content), ..Measure::default() };
        m.content.clear();
        let (seen_lines, seen_paragraphs) = (&mut scratch.lines, &mut scratch.paragraphs);
        seen_lines.clear();
        seen_paragraphs.clear();
        let mut paragraph = Paragraph::default();
        for line in text.split('\n') {
            let line = line.trim();
            if line.is_empty() {
                m.end_paragraph(&mut paragraph, seen_paragraphs);
                continue;
            }
            let (chars, may_hold_phrase) = m.line(line, &self.openings);
            m.lines += 1;
            let hash = xxhash_rust::xxh3::xxh3_64(line.as_bytes());
            // Government documents draw tables with box-drawing characters (the laws' 編制表 and
            // 收入標準): a table row repeats by nature (│  │日│日│) and ends in │, not in 。. It
            // never counts as a duplicate, and it counts as a finished unit.
            let table = line.starts_with(is_box_drawing) && line.ends_with(is_box_drawing);
            if !table && !seen_lines.insert(hash) {
                m.duplicate_lines += 1;
                m.duplicate_line_chars += chars;
            }
            // Hard-wrapped text (old laws wrap mid-sentence at a fixed width) ends its sentence
            // lines later: a run of lines counts once a line ends it with sentence punctuation,
            // and a run still open at a paragraph break never does.
            m.open_run += chars;
            if table || ends_sentence(line) {
                m.terminated_chars += m.open_run;
                m.open_run = 0;
            } else if chars < WRAP_MIN_CHARS {
                m.open_run = 0; // a short line (heading, menu item) is not a wrapped sentence
            }
            if may_hold_phrase && chars as usize <= BOILERPLATE_LINE_CHARS && self.boilerplate.is_match(line) {
                m.boilerplate_chars += chars;
            }
            paragraph.hash = xxhash_rust::xxh3::xxh3_64_with_seed(line.as_bytes(), paragraph.hash);
            paragraph.chars += chars;
        }
        m.end_paragraph(&mut paragraph, seen_paragraphs);
        let (replacement, mojibake) = crate::normalize::text::damage(text);
        let share = |n: u64, d: u64| if d == 0 { 0.0 } else { n as f64 / d as f64 };
        let limits = [self.cfg.max_top_2gram, self.cfg.max_top_3gram, self.cfg.max_top_4gram];
        let tops = top_ngrams(&m.content, &mut scratch.ngrams, limits);
        let mut s = Signals {
            chars: m.chars,
            cjk_share: share(m.cjk, m.units),
            duplicate_lines: share(m.duplicate_lines, m.lines),
            duplicate_line_chars: share(m.duplicate_line_chars, m.chars),
            duplicate_paragraphs: share(m.duplicate_paragraphs, m.paragraphs),
            duplicate_paragraph_chars: share(m.duplicate_paragraph_chars, m.chars),
            top_2gram: tops[0].unwrap_or(0.0),
            top_3gram: tops[1],
            top_4gram: tops[2],
            ngram_chars: m.content.len() as u64,
            symbols: share(m.symbols, m.chars),
            content: share(m.content_chars, m.chars),
            punctuation: share(m.punctuation, m.chars),
            terminated_chars: share(m.terminated_chars, m.chars),
            boilerplate_chars: share(m.boilerplate_chars, m.chars),
            mojibake: share(replacement + mojibake, m.chars),
            ..Signals::default()
        };
        if self.cfg.words {
            let end = text.char_indices().nth(self.cfg.word_sample_chars).map_or(text.len(), |(i, _)| i);
            let w = words::Segmenter::get().stats(&text[..end]);
            s.han_words = w.han_words;
            s.single_char_words = w.single_char_share();
            s.function_words = w.function_words;
        }
        scratch.content = m.content;
        s
    }

    /// The first rule `s` breaks, with its detail.
    pub fn judge(&self, s: &Signals) -> Option<(DropReason, String)> {
        let c = &self.cfg;
        let over = |name: &str, v: f64, limit: f64| (v > limit).then(|| format!("{name} {v:.3} above limit {limit}"));
        let under = |name: &str, v: f64, limit: f64| (v < limit).then(|| format!("{name} {v:.3} below limit {limit}"));
        let long_enough = s.chars >= c.ngram_min_chars;
        let checks: [(DropReason, Option<String>); 12] = [
            (
                DropReason::TooShort,
                (s.chars < c.min_chars).then(|| format!("chars {} below limit {}", s.chars, c.min_chars)),
            ),
            (
                DropReason::TooLong,
                (s.chars > c.max_chars).then(|| format!("chars {} above limit {}", s.chars, c.max_chars)),
            ),
            (DropReason::Mojibake, over("mojibake", s.mojibake, c.max_mojibake)),
            (
                DropReason::TooManySymbols,
                over("symbols", s.symbols, c.max_symbols).or_else(|| under("content", s.content, c.min_content)),
            ),
            (DropReason::LowCjkShare, under("cjk_share", s.cjk_share, c.min_cjk_share)),
            (
                DropReason::DuplicateLines,
                over("duplicate_lines", s.duplicate_lines, c.max_duplicate_lines)
                    .or_else(|| over("duplicate_line_chars", s.duplicate_line_chars, c.max_duplicate_line_chars)),
            ),
            (
                DropReason::DuplicateParagraphs,
                over("duplicate_paragraphs", s.duplicate_paragraphs, c.max_duplicate_paragraphs).or_else(|| {
                    over("duplicate_paragraph_chars", s.duplicate_paragraph_chars, c.max_duplicate_paragraph_chars)
                }),
            ),
            (
                DropReason::RepeatedNgrams,
                (s.ngram_chars >= c.ngram_min_chars)
                    .then(|| {
                        over("top_2gram", s.top_2gram, c.max_top_2gram)
                            .or_else(|| s.top_3gram.and_then(|v| over("top_3gram", v, c.max_top_3gram)))
                            .or_else(|| s.top_4gram.and_then(|v| over("top_4gram", v, c.max_top_4gram)))
                    })
                    .flatten(),
            ),
            (
                DropReason::PunctuationRatio,
                over("punctuation", s.punctuation, c.max_punctuation)
                    .or_else(|| long_enough.then(|| under("punctuation", s.punctuation, c.min_punctuation)).flatten()),
            ),
            (DropReason::Boilerplate, over("boilerplate_chars", s.boilerplate_chars, c.max_boilerplate_chars)),
            (DropReason::UnterminatedLines, under("terminated_chars", s.terminated_chars, c.min_terminated_chars)),
            (
                DropReason::WordStats,
                (c.words && s.han_words >= c.word_min_words)
                    .then(|| {
                        over("single_char_words", s.single_char_words, c.max_single_char_words).or_else(|| {
                            (s.function_words < c.min_function_words).then(|| {
                                format!("function_words {} below limit {}", s.function_words, c.min_function_words)
                            })
                        })
                    })
                    .flatten(),
            ),
        ];
        checks.into_iter().find_map(|(reason, detail)| detail.map(|d| (reason, d)))
    }
}

impl Stage for QualityStage {
    fn name(&self) -> &'static str {
        "quality"
    }

    fn process(&self, batch: DocBatch) -> Result<Processed> {
        use rayon::prelude::*;
        let (texts, contributions) = (batch.texts(), batch.contribution_ids());
        let judged: Vec<(Signals, Option<(DropReason, String)>)> = (0..batch.num_rows())
            .into_par_iter()
            .map(|i| {
                let stage =
                    if self.overrides.is_empty() { self } else { self.for_contribution(contributions.value(i)) };
                let s = stage.signals(texts.value(i));
                let verdict = stage.judge(&s);
                (s, verdict)
            })
            .collect();
        let column: ArrayRef =
            Arc::new(judged.iter().map(|(s, v)| v.is_none().then(|| signals_json(s))).collect::<StringArray>());
        let verdicts = judged
            .into_iter()
            .map(|(_, v)| match v {
                None => Verdict::Keep,
                Some((reason, detail)) => Verdict::Drop { reason, detail: Some(detail) },
            })
            .collect();
        Ok(Processed { batch: batch.with_column(QUALITY, column)?, verdicts })
    }
}

/// The signals as compact JSON, shares rounded to 4 places (bytes must not depend on the last
/// bits of a float sum; these are computed the same way everywhere, but short is also smaller).
fn signals_json(s: &Signals) -> String {
    let r = |v: f64| (v * 10_000.0).round() / 10_000.0;
    let rounded = Signals {
        cjk_share: r(s.cjk_share),
        duplicate_lines: r(s.duplicate_lines),
        duplicate_line_chars: r(s.duplicate_line_chars),
        duplicate_paragraphs: r(s.duplicate_paragraphs),
        duplicate_paragraph_chars: r(s.duplicate_paragraph_chars),
        top_2gram: r(s.top_2gram),
        top_3gram: s.top_3gram.map(r),
        top_4gram: s.top_4gram.map(r),
        symbols: r(s.symbols),
        content: r(s.content),
        punctuation: r(s.punctuation),
        terminated_chars: r(s.terminated_chars),
        boilerplate_chars: r(s.boilerplate_chars),
        mojibake: r(s.mojibake),
        single_char_words: r(s.single_char_words),
        ..*s
    };
    serde_json::to_string(&rounded).unwrap_or_default()
}

/// Counters of one pass over a document.
#[derive(Debug, Default)]
struct Measure {
    chars: u64,
    cjk: u64,
    units: u64,
    symbols: u64,
    content_chars: u64,
    punctuation: u64,
    lines: u64,
    duplicate_lines: u64,
    duplicate_line_chars: u64,
    paragraphs: u64,
    duplicate_paragraphs: u64,
    duplicate_paragraph_chars: u64,
    terminated_chars: u64,
    /// Characters of the lines since the last sentence end, in this paragraph.
    open_run: u64,
    boilerplate_chars: u64,
    /// Content characters (letters, digits, Han), for the n-grams.
    content: Vec<char>,
}

#[derive(Debug, Default)]
struct Paragraph {
    hash: u64,
    chars: u64,
}

impl Measure {
    /// Counts one (trimmed, non-empty) line; returns its non-space characters.
    /// Counts one (trimmed, non-empty) line; returns its non-space characters and whether it
    /// has a pair of characters that opens a boilerplate phrase.
    fn line(&mut self, line: &str, openings: &[u64; 64]) -> (u64, bool) {
        let mut chars = 0u64;
        let mut in_run = false;
        let mut prev = '\0';
        let mut may_hold_phrase = false;
        for c in line.chars() {
            let bit = pair_bit(prev, c);
            may_hold_phrase |= openings[bit >> 6] >> (bit & 63) & 1 == 1;
            prev = c;
            // Most frequent first: Han, ASCII, CJK punctuation; the Unicode tables last.
            let (cjk, alnum) = if is_han(c) {
                (true, false)
            } else if c.is_ascii() {
                (false, c.is_ascii_alphanumeric())
            } else if matches!(c, '\u{3041}'..='\u{30FF}' | '\u{AC00}'..='\u{D7AF}') {
                (true, false)
            } else if matches!(c, '\u{2000}'..='\u{303F}' | '\u{FE10}'..='\u{FE6B}' | '\u{FF00}'..='\u{FF65}') {
                (false, false)
            } else {
                (false, c.is_alphanumeric())
            };
            if !cjk && !alnum && c.is_whitespace() {
                in_run = false;
                continue;
            }
            chars += 1;
            if cjk {
                self.cjk += 1;
                self.units += 1;
            } else if alnum {
                self.units += u64::from(!in_run);
            } else if is_symbol(c) {
                self.symbols += 1;
                self.units += 1;
            } else if is_punctuation(c) {
                self.punctuation += 1;
            }
            in_run = alnum;
            self.content_chars += u64::from(cjk || alnum);
            // Digits are left out of the n-grams: 4111-1111-1111-1111 or a table of years is
            // numbers, not a repeated phrase.
            if (cjk || alnum) && !c.is_ascii_digit() && self.content.len() < NGRAM_SAMPLE_CHARS {
                self.content.push(c);
            }
        }
        self.chars += chars;
        (chars, may_hold_phrase)
    }

    fn end_paragraph(&mut self, p: &mut Paragraph, seen: &mut FxHashSet<u64>) {
        self.open_run = 0;
        if p.chars == 0 {
            return;
        }
        self.paragraphs += 1;
        if !seen.insert(p.hash) {
            self.duplicate_paragraphs += 1;
            self.duplicate_paragraph_chars += p.chars;
        }
        *p = Paragraph::default();
    }
}

/// Per-thread buffers reused from document to document (the stage runs on the caller's rayon
/// pool; allocating three hash tables per document cost a fifth of the stage).
#[derive(Debug, Default)]
struct Scratch {
    content: Vec<char>,
    lines: FxHashSet<u64>,
    paragraphs: FxHashSet<u64>,
    ngrams: FxHashMap<u64, u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Coverage of the most frequent 2-, 3- and 4-gram: occurrences × n / characters. 2- and
/// 3-grams are packed exactly into the key (21 bits a character); a 4-gram's key mixes two
/// packed halves, where two different 4-grams of one document share a key with odds of about
/// 1 in 10^11.
///
/// An n-gram occurs at most as often as its first (n−1)-gram, so its coverage is at most
/// n/(n−1) times the (n−1)-gram's: when that bound is under the n-gram's limit the count is
/// skipped (`None`). On the laws this skips nine in ten 3- and 4-gram counts, the bulk of
/// the stage's hashing.
fn top_ngrams(content: &[char], counts: &mut FxHashMap<u64, u32>, limits: [f64; 3]) -> [Option<f64>; 3] {
    let mut tops = [None; 3];
    counts.reserve(content.len());
    let mut bound = f64::INFINITY;
    for (slot, n) in (2..=4usize).enumerate() {
        if content.len() < n {
            break;
        }
        if bound <= limits[slot] {
            break;
        }
        counts.clear();
        let mut best = 0u32;
        for w in content.windows(n) {
            let key = match *w {
                [a, b] => u64::from(a) << 21 | u64::from(b),
                [a, b, c] => (u64::from(a) << 21 | u64::from(b)) << 21 | u64::from(c),
                [a, b, c, d] => {
                    (u64::from(a) << 21 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                        ^ (u64::from(c) << 21 | u64::from(d))
                }
                _ => 0,
            };
            let e = counts.entry(key).or_default();
            *e += 1;
            best = best.max(*e);
        }
        let coverage = (f64::from(best) * n as f64 / content.len() as f64).min(1.0);
        tops[slot] = Some(coverage);
        bound = coverage * (n + 1) as f64 / n as f64;
    }
    tops
}

fn is_box_drawing(c: char) -> bool {
    ('\u{2500}'..='\u{257F}').contains(&c)
}

/// Whether a line ends a sentence: sentence punctuation, possibly followed by closing quotes
/// or brackets (…之。」 ends one; 購物車(0) and （刪除） do not).
fn ends_sentence(line: &str) -> bool {
    let body = line.trim_end_matches(['」', '』', '）', ')', '"', '”', '’', '》', '〉']);
    body.ends_with(['。', '！', '？', '；', '：', '…', '.', '!', '?', ';', ':'])
}

/// A line shorter than this that does not end a sentence is a line of its own (a heading, a
/// menu item), not part of a sentence wrapped at a fixed width (the laws wrap at ~30).
const WRAP_MIN_CHARS: u64 = 16;

/// Symbols: ASCII signs that are not punctuation in prose, and the Unicode symbol blocks
/// (arrows, mathematical operators, technical, blocks, geometric shapes, misc symbols,
/// dingbats, emoji). Left out: box drawing (U+2500–U+257F), with which government documents
/// draw their tables (the laws' 編制表 are half ─│┼), and ○, which Taiwan text uses for zero
/// (二○二四) and to mask names (王○明).
#[inline]
pub fn is_symbol(c: char) -> bool {
    matches!(
        c,
        '#' | '$' | '&' | '*' | '+' | '<' | '=' | '>' | '@' | '\\' | '^' | '_' | '`' | '|' | '~' | '©' | '®' | '™'
    ) || (matches!(c, '\u{2190}'..='\u{2BFF}' | '\u{1F000}'..='\u{1FAFF}' | '\u{3012}' | '\u{3013}')
        && !matches!(c, '\u{2500}'..='\u{257F}' | '○' | '◯'))
}

/// Punctuation: ASCII punctuation that is not a symbol, general punctuation (—…‘’“”•), CJK
/// punctuation (、。「」『』《》【】〔〕…) and the full-width forms kept by normalization.
#[inline]
pub fn is_punctuation(c: char) -> bool {
    (c.is_ascii_punctuation() && !is_symbol(c))
        || matches!(c, '\u{2010}'..='\u{2027}' | '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301F}'
            | '\u{FE10}'..='\u{FE19}' | '\u{FE30}'..='\u{FE6B}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}'
            | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}' | '·')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_apply_to_their_contributions_only() {
        let cfg: QualityConfig = toml::from_str(
            "min_terminated_chars = 0.3\n[[overrides]]\ncontributions = [\"debian-*\", \"manpages\"]\nmin_terminated_chars = 0.15\nmax_symbols = 0.2\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let stage = QualityStage::new(&cfg).unwrap_or_else(|e| panic!("{e}"));
        for id in ["debian-reference", "manpages"] {
            let o = &stage.for_contribution(id).cfg;
            let unchanged = QualityConfig::default().max_duplicate_lines;
            assert_eq!((o.min_terminated_chars, o.max_symbols, o.max_duplicate_lines), (0.15, 0.2, unchanged), "{id}");
        }
        assert_eq!(stage.for_contribution("moj-laws").cfg.min_terminated_chars, 0.3);
        // A man page's option list ends no sentence: dropped by default, kept by the override.
        let page = "ls 列出目錄內容\n\n列出檔案的資訊，預設為目前的目錄。\n\n-a, --all\n不隱藏任何以 . 開始的項目\n-l\n使用較長格式列出資訊\n-h\n以容易理解的格式印出檔案大小\n";
        let dropped = stage.judge(&stage.signals(page));
        assert!(dropped.as_ref().is_some_and(|(r, _)| *r == DropReason::UnterminatedLines), "{dropped:?}");
        let o = stage.for_contribution("manpages");
        assert_eq!(o.judge(&o.signals(page)), None, "{:?}", o.signals(page));
    }

    #[test]
    fn a_bad_override_names_itself_and_the_key() {
        for (src, expect) in [
            ("[[overrides]]\nmax_symbols = 0.2\n", "`contributions = [\"<id>\", …]` is required"),
            ("[[overrides]]\ncontributions = [\"a\"]\nmax_symbol = 0.2\n", "number 1: unknown field `max_symbol`"),
            ("[[overrides]]\ncontributions = [\"a\"]\nmax_symbols = 2.0\n", "number 1"),
            ("[[overrides]]\ncontributions = [\"a\"]\nenabled = false\n", "cannot be overridden"),
        ] {
            let cfg: QualityConfig = toml::from_str(src).unwrap_or_else(|e| panic!("{e}"));
            let e = cfg.resolved_overrides().err().unwrap_or_default();
            assert!(e.contains(expect), "{src}: {e}");
        }
    }

    fn stage() -> QualityStage {
        QualityStage::new(&QualityConfig::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn reason(text: &str) -> Option<DropReason> {
        let s = stage();
        s.judge(&s.signals(text)).map(|(r, _)| r)
    }

    const LAW: &str = "第 1 條\n為保障著作人著作權益，調和社會公共利益，促進國家文化發展，特制定本法。本法未規定者，適用其他法律之規定。\n\n\
                       第 2 條\n本法主管機關為經濟部。著作權業務，經濟部得指定專責機關辦理。\n\n第 3 條\n（刪除）";

    #[test]
    fn law_text_passes() {
        let s = stage();
        let sig = s.signals(LAW);
        assert_eq!(s.judge(&sig), None, "{sig:?}");
        assert!(sig.cjk_share > 0.9 && sig.terminated_chars > 0.8, "{sig:?}");
    }

    #[test]
    fn each_rule_fires_on_its_junk() {
        assert_eq!(reason("短文。"), Some(DropReason::TooShort));
        let repeated = "歡迎光臨本店，全館商品八折優惠。\n".repeat(12);
        assert_eq!(reason(&repeated), Some(DropReason::DuplicateLines));
        let menu = "首頁\n關於我們\n最新消息\n產品介紹\n聯絡我們\n常見問題\n人才招募\n服務據點\n下載專區\n活動花絮\n";
        assert_eq!(reason(menu), Some(DropReason::UnterminatedLines));
        let seo = "台北住宿推薦 便宜飯店 台北住宿推薦 優惠 台北住宿推薦 訂房 ".repeat(8);
        assert_eq!(reason(&seo), Some(DropReason::RepeatedNgrams));
        let stars = "★★★ 限時特價 ★★★ →→→ 點我 ←←← ♥♥♥ 好康 ♥♥♥ ■■■ 搶購 ■■■ ".repeat(4);
        assert_eq!(reason(&stars), Some(DropReason::TooManySymbols));
        let footer = "本網站使用 cookie 以提供更好的瀏覽體驗。\n隱私權政策。\n版權所有 © 2024 某某股份有限公司。";
        assert_eq!(reason(footer), Some(DropReason::Boilerplate));
        let broken: String = "著作權法第九條規定下列各款不得為著作權之標的。".bytes().map(char::from).collect();
        assert_eq!(reason(&broken), Some(DropReason::Mojibake));
        let numbers = "2024 1532 8841 9932 1234 5678 9012 3456 7890 1357 2468 總計。".repeat(3);
        assert_eq!(reason(&numbers), Some(DropReason::LowCjkShare));
    }

    #[test]
    fn top_ngrams_cover_repetition() {
        let c: Vec<char> = "甲乙甲乙甲乙甲乙".chars().collect();
        let mut counts = FxHashMap::default();
        assert_eq!(top_ngrams(&c, &mut counts, [0.2; 3]), [Some(1.0), Some(1.0), Some(1.0)]);
        let c: Vec<char> = "甲乙丙丁戊己庚辛".chars().collect();
        assert_eq!(top_ngrams(&c, &mut counts, [0.5; 3]), [Some(2.0 / 8.0), None, None]);
        // The bound is safe: a limit the 2-gram coverage could still allow gets a real count.
        assert_eq!(top_ngrams(&c, &mut counts, [0.5, 0.3, 0.5]), [Some(2.0 / 8.0), Some(3.0 / 8.0), None]);
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(toml::from_str::<QualityConfig>("max_symbol = 0.2").is_err());
        let c: QualityConfig = toml::from_str("min_chars = 50\nwords = false").unwrap_or_default();
        assert_eq!((c.min_chars, c.words), (50, false));
    }
}
