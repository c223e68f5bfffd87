//! Script: how Traditional or Simplified a document is, and conversion to Taiwan-standard
//! Traditional.
//!
//! Detection counts *Simplified-only* and *Traditional-only* characters from the OpenCC
//! character tables (a character is Simplified-only when OpenCC maps it to Traditional and does
//! not list itself among the candidates: 发 → 發 髮 is, 干 → 幹 乾 干 is not). It is a share,
//! never "any hit": Taiwan writes 秘, 雇, 群 and 峰, which OpenCC's tables map, so one hit proves
//! nothing. Conversion is opencc-fmmseg's (OpenCC dictionaries, longest-match segmentation).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// OpenCC STCharacters.txt and TSCharacters.txt, as opencc-fmmseg 0.13.0 ships them (see
/// `data/opencc/README.md` for why a copy).
const ST_CHARACTERS: &str = include_str!("../../data/opencc/STCharacters.txt");
pub(crate) const TS_CHARACTERS: &str = include_str!("../../data/opencc/TSCharacters.txt");

/// A document's script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Script {
    /// Traditional (or script-neutral: Han text with nothing Simplified about it).
    #[serde(rename = "hant")]
    Hant,
    /// Simplified.
    #[serde(rename = "hans")]
    Hans,
    /// Both, in proportions between the two thresholds.
    #[serde(rename = "mixed")]
    Mixed,
    /// Too few Han characters to say.
    #[serde(rename = "non-cjk")]
    NonCjk,
}

impl Script {
    /// The label stored in the `script` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Hant => "hant",
            Script::Hans => "hans",
            Script::Mixed => "mixed",
            Script::NonCjk => "non-cjk",
        }
    }
}

/// Simplified → Traditional conversion, with OpenCC's config names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Conversion {
    /// Characters and phrases to Traditional, then Taiwan character variants (OpenCC s2tw).
    S2tw,
    /// s2tw plus Taiwan vocabulary (软件 → 軟體; also 文件 → 檔案, 程序 → 程式 in formal text,
    /// which is why it is opt-in).
    S2twp,
}

/// What to do with a document of a given script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScriptAction {
    /// Keep the text as it is.
    Keep,
    /// Convert it with `conversion`.
    Convert,
    /// Drop the document (`script_excluded`).
    Drop,
}

/// `[normalize.script]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScriptConfig {
    /// For Simplified documents.
    pub hans: ScriptAction,
    /// For mixed documents.
    pub mixed: ScriptAction,
    /// The conversion used by `convert`.
    pub conversion: Conversion,
    /// Convert punctuation too (“” → 「」, Taiwan's quotation marks).
    pub convert_punctuation: bool,
    /// Simplified share (of the distinguishing characters) at or above which a document is
    /// `hans`.
    #[serde(deserialize_with = "crate::config_value::share")]
    pub hans_share: f64,
    /// Simplified share at or below which it is `hant`; between the two it is `mixed`.
    #[serde(deserialize_with = "crate::config_value::share")]
    pub hant_share: f64,
    /// Fewer Simplified-only characters than this never make a document `hans` or `mixed`
    /// (a short Taiwan text with 秘 and nothing else distinguishing is Traditional).
    pub min_simplified: u32,
    /// Fewer Han characters than this make a document `non-cjk`.
    pub min_han: u32,
}

impl Default for ScriptConfig {
    fn default() -> Self {
        Self {
            hans: ScriptAction::Convert,
            mixed: ScriptAction::Convert,
            conversion: Conversion::S2tw,
            convert_punctuation: true,
            hans_share: 0.8,
            hant_share: 0.2,
            min_simplified: 3,
            min_han: 5,
        }
    }
}

/// Han, Simplified-only and Traditional-only character counts of a text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScriptCounts {
    /// Han characters (CJK unified ideographs, extensions, compatibility ideographs).
    pub han: u32,
    /// Simplified-only characters.
    pub simplified: u32,
    /// Traditional-only characters.
    pub traditional: u32,
}

impl ScriptCounts {
    /// Simplified share of the distinguishing characters (0 when there are none).
    pub fn simplified_share(&self) -> f64 {
        let d = self.simplified + self.traditional;
        if d == 0 { 0.0 } else { f64::from(self.simplified) / f64::from(d) }
    }

    /// The script under `cfg`'s thresholds.
    pub fn script(&self, cfg: &ScriptConfig) -> Script {
        if self.han < cfg.min_han {
            return Script::NonCjk;
        }
        let share = self.simplified_share();
        if self.simplified < cfg.min_simplified || share <= cfg.hant_share {
            Script::Hant
        } else if share >= cfg.hans_share {
            Script::Hans
        } else {
            Script::Mixed
        }
    }
}

/// Han ideographs: CJK Unified Ideographs and extensions A–I, compatibility ideographs.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{323AF}')
}

/// A set of characters: a bitset over the BMP, a sorted list above it.
#[derive(Debug)]
struct CharSet {
    bmp: Vec<u64>,
    astral: Vec<char>,
}

impl CharSet {
    fn new(chars: impl IntoIterator<Item = char>) -> Self {
        let mut set = Self { bmp: vec![0; 1024], astral: Vec::new() };
        for c in chars {
            let u = c as usize;
            if u < 0x10000 {
                set.bmp[u >> 6] |= 1 << (u & 63);
            } else {
                set.astral.push(c);
            }
        }
        set.astral.sort_unstable();
        set.astral.dedup();
        set
    }

    fn contains(&self, c: char) -> bool {
        let u = c as usize;
        if u < 0x10000 { self.bmp[u >> 6] >> (u & 63) & 1 == 1 } else { self.astral.binary_search(&c).is_ok() }
    }
}

/// The distinguishing-character sets.
#[derive(Debug)]
pub struct ScriptTables {
    simplified_only: CharSet,
    traditional_only: CharSet,
}

impl ScriptTables {
    /// The tables, parsed once per process.
    pub fn get() -> &'static ScriptTables {
        static TABLES: OnceLock<ScriptTables> = OnceLock::new();
        TABLES.get_or_init(|| {
            let simplified = one_way(ST_CHARACTERS);
            let traditional = one_way(TS_CHARACTERS);
            // A character both tables call one-way is ambiguous: it counts for neither.
            let simplified_only: Vec<char> =
                simplified.iter().copied().filter(|c| traditional.binary_search(c).is_err()).collect();
            let traditional_only: Vec<char> =
                traditional.iter().copied().filter(|c| simplified.binary_search(c).is_err()).collect();
            ScriptTables {
                simplified_only: CharSet::new(simplified_only),
                traditional_only: CharSet::new(traditional_only),
            }
        })
    }

    /// Counts the script and the letter units of `text` in one pass.
    pub fn census(&self, text: &str) -> (ScriptCounts, super::lang::LetterCounts) {
        use super::lang::{Letter, LetterCounts, letter};
        let (mut n, mut letters, mut in_word) = (ScriptCounts::default(), LetterCounts::default(), false);
        for c in text.chars() {
            let l = letter(c);
            if l == Letter::Han {
                n.han += 1;
                n.simplified += u32::from(self.simplified_only.contains(c));
                n.traditional += u32::from(self.traditional_only.contains(c));
            }
            letters.add(l, &mut in_word);
        }
        (n, letters)
    }

    /// Counts the Han, Simplified-only and Traditional-only characters of `text`.
    pub fn count(&self, text: &str) -> ScriptCounts {
        self.census(text).0
    }
}

/// The keys of an OpenCC character table that do not list themselves among their candidates,
/// sorted.
fn one_way(table: &str) -> Vec<char> {
    let mut keys: Vec<char> = table
        .lines()
        .filter_map(|line| {
            let (key, candidates) = line.split_once('\t')?;
            let mut k = key.chars();
            let c = k.next().filter(|_| k.next().is_none())?;
            (!candidates.split(' ').any(|v| v == key)).then_some(c)
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The converter, built once per process (the dictionaries take a moment to load).
pub fn converter() -> &'static opencc_fmmseg::OpenCC {
    static CONVERTER: OnceLock<opencc_fmmseg::OpenCC> = OnceLock::new();
    CONVERTER.get_or_init(|| {
        let mut cc = opencc_fmmseg::OpenCC::new();
        // Documents are already spread over the caller's pool; the stage owns no threads.
        cc.set_parallel(false);
        cc
    })
}

/// Converts Simplified (or mixed) text to Taiwan-standard Traditional.
pub fn convert(text: &str, conversion: Conversion, punctuation: bool) -> String {
    match conversion {
        Conversion::S2tw => converter().s2tw(text, punctuation),
        Conversion::S2twp => converter().s2twp(text, punctuation),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_agree_with_the_converter() {
        let dict = opencc_fmmseg::DictionaryMaxlength::new().unwrap_or_else(|e| panic!("{e}"));
        for (table, dict) in [(ST_CHARACTERS, &dict.st_characters), (TS_CHARACTERS, &dict.ts_characters)] {
            let mut lines = 0;
            for line in table.lines().filter(|l| !l.starts_with('#')) {
                let Some((key, candidates)) = line.split_once('\t') else { continue };
                let first = candidates.split(' ').next().unwrap_or_default();
                let key: Vec<char> = key.chars().collect();
                assert_eq!(dict.get(&key), Some(first), "{line}");
                lines += 1;
            }
            assert_eq!(lines, dict.len(), "the crate's table has entries our copy lacks");
        }
    }

    #[test]
    fn distinguishing_sets() {
        let t = ScriptTables::get();
        let n = |s: &str| t.count(s);
        assert_eq!(n("发后干"), ScriptCounts { han: 3, simplified: 1, traditional: 0 }); // 后 and 干 are also Traditional
        assert_eq!(n("發後乾"), ScriptCounts { han: 3, simplified: 0, traditional: 2 }); // 乾 is also Simplified
        assert_eq!(n("abc，。"), ScriptCounts::default());
    }

    #[test]
    fn classification() {
        let t = ScriptTables::get();
        let cfg = ScriptConfig::default();
        let s = |text: &str| t.count(text).script(&cfg);
        assert_eq!(s("中華民國憲法，由國民大會制定，經總統公布後施行。"), Script::Hant);
        assert_eq!(s("中华人民共和国宪法，经全国人民代表大会通过后施行。"), Script::Hans);
        assert_eq!(s("這是繁體中文的說明。这是简体中文的说明。"), Script::Mixed);
        assert_eq!(s("Hello, 台北"), Script::NonCjk);
        // Taiwan's own 秘 and 雇 are in OpenCC's tables; alone they do not make a text Simplified.
        assert_eq!(s("秘書長應雇用人員辦理。"), Script::Hant);
    }

    #[test]
    fn conversion_to_taiwan_standard() {
        assert_eq!(convert("中华人民共和国宪法", Conversion::S2tw, false), "中華人民共和國憲法");
        assert_eq!(convert("“软件”", Conversion::S2tw, true), "「軟件」");
        assert_eq!(convert("“软件”", Conversion::S2twp, true), "「軟體」");
    }
}
