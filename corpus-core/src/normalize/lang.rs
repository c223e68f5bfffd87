//! Language: Chinese, Japanese and Korean are told apart by Unicode script counts (cheap, and a
//! mixed Chinese/English document stays Chinese); the rest goes to whichlang, a small linear
//! model over 16 languages (reference/chinese-text.md §3: 99.2 % on the labelled set, 130 MB/s).

use serde::{Deserialize, Serialize};

use super::script::is_han;

/// Every label the `lang` column can hold: ISO 639-1, plus `und` for text with no letters.
pub const LABELS: [&str; 17] =
    ["zh", "ja", "ko", "en", "ar", "de", "es", "fr", "hi", "it", "nl", "pt", "ru", "sv", "tr", "vi", "und"];

/// `[normalize.language]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LanguageConfig {
    /// Languages kept (labels of [`LABELS`]; `"*"` keeps every language). Documents in any other
    /// language are dropped as `language_excluded`; the `lang` column records each document's
    /// language, so kept documents can be routed downstream by it.
    #[serde(deserialize_with = "labels")]
    pub keep: Vec<String>,
    /// A document is Chinese when Han characters are at least this share of its letter units (a
    /// Han, kana or Hangul character is one unit, a run of other letters is one): a word of
    /// English weighs about as much as a character of Chinese, so a half-English document is
    /// still about 0.5, while an English text that names a few Chinese terms is well below.
    #[serde(deserialize_with = "crate::config_value::share")]
    pub min_han_share: f64,
    /// Bytes of a non-CJK document given to the language model (the start of the text).
    pub sample_bytes: usize,
}

impl Default for LanguageConfig {
    fn default() -> Self {
        Self { keep: vec!["zh".to_string()], min_han_share: 0.25, sample_bytes: 4096 }
    }
}

fn labels<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    let keep = Vec::<String>::deserialize(d)?;
    if keep.is_empty() {
        return Err(serde::de::Error::custom(
            "`keep = []` would drop every document: list the languages to keep, e.g. [\"zh\"], or \"*\" for all",
        ));
    }
    if let Some(bad) = keep.iter().find(|l| *l != "*" && !LABELS.contains(&l.as_str())) {
        return Err(serde::de::Error::custom(format!(
            "unknown language `{bad}`: use \"*\" or one of {}",
            LABELS.join(", ")
        )));
    }
    Ok(keep)
}

impl LanguageConfig {
    /// Whether documents labelled `lang` are kept.
    pub fn keeps(&self, lang: &str) -> bool {
        self.keep.iter().any(|k| k == "*" || k == lang)
    }
}

/// Letter units of a text by script.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LetterCounts {
    /// Han characters.
    pub han: u32,
    /// Hiragana and katakana.
    pub kana: u32,
    /// Hangul syllables and jamo.
    pub hangul: u32,
    /// Runs of other letters (words of alphabetic scripts).
    pub words: u32,
}

/// What a character is, for counting letter units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Letter {
    /// A Han character.
    Han,
    /// Hiragana or katakana.
    Kana,
    /// Hangul.
    Hangul,
    /// A letter of another script (a run of them is a word).
    Word,
    /// Not a letter.
    Other,
}

/// Classifies `c`, most frequent cases first (the Unicode tables are slow).
#[inline]
pub fn letter(c: char) -> Letter {
    if is_han(c) {
        Letter::Han
    } else if c.is_ascii() {
        if c.is_ascii_alphabetic() { Letter::Word } else { Letter::Other }
    } else if matches!(c, '\u{3000}'..='\u{3040}' | '\u{FF00}'..='\u{FF65}' | '\u{2000}'..='\u{2BFF}') {
        Letter::Other // CJK and general punctuation, full-width forms, symbols
    } else if matches!(c, '\u{3041}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9D}') && c != '・' {
        Letter::Kana
    } else if matches!(c, '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}') {
        Letter::Hangul
    } else if c.is_alphabetic() {
        Letter::Word
    } else {
        Letter::Other
    }
}

impl LetterCounts {
    /// Counts one character; `in_word` carries the state of the current word across calls.
    pub fn add(&mut self, l: Letter, in_word: &mut bool) {
        match l {
            Letter::Han => self.han += 1,
            Letter::Kana => self.kana += 1,
            Letter::Hangul => self.hangul += 1,
            Letter::Word => self.words += u32::from(!*in_word),
            Letter::Other => {}
        }
        *in_word = l == Letter::Word;
    }
}

/// Counts the letter units of `text`.
pub fn letter_counts(text: &str) -> LetterCounts {
    let mut n = LetterCounts::default();
    let mut in_word = false;
    for c in text.chars() {
        n.add(letter(c), &mut in_word);
    }
    n
}

/// The language of `text` (one of [`LABELS`]).
pub fn detect(text: &str, n: &LetterCounts, cfg: &LanguageConfig) -> &'static str {
    let cjk = n.han + n.kana;
    if n.kana >= 2 && f64::from(n.kana) >= 0.1 * f64::from(cjk) {
        return "ja";
    }
    if n.hangul >= 2 && n.hangul >= n.han {
        return "ko";
    }
    let units = n.han + n.kana + n.hangul + n.words;
    if n.han >= 1 && f64::from(n.han) >= cfg.min_han_share * f64::from(units) {
        return "zh";
    }
    if n.words == 0 {
        return if n.han > 0 { "zh" } else { "und" };
    }
    let mut end = cfg.sample_bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    use whichlang::Lang;
    match whichlang::detect_language(&text[..end]) {
        Lang::Ara => "ar",
        Lang::Cmn => "zh",
        Lang::Deu => "de",
        Lang::Eng => "en",
        Lang::Fra => "fr",
        Lang::Hin => "hi",
        Lang::Ita => "it",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Nld => "nl",
        Lang::Por => "pt",
        Lang::Rus => "ru",
        Lang::Spa => "es",
        Lang::Swe => "sv",
        Lang::Tur => "tr",
        Lang::Vie => "vi",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(text: &str) -> &'static str {
        detect(text, &letter_counts(text), &LanguageConfig::default())
    }

    #[test]
    fn scripts_decide_cjk() {
        assert_eq!(lang("中華民國憲法第一條：中華民國基於三民主義，為民有民治民享之民主共和國。"), "zh");
        assert_eq!(lang("日本国憲法は、日本国民の総意に基づくものである。"), "ja");
        assert_eq!(lang("대한민국 헌법 제1조 대한민국은 민주공화국이다."), "ko");
        assert_eq!(lang("12345 —— ！！"), "und");
    }

    #[test]
    fn mixed_chinese_english_stays_chinese() {
        let mixed = "本法所稱主管機關為數位發展部。The competent authority under this Act is the Ministry \
                     of Digital Affairs. 本法自公布日施行。This Act shall take effect from the date of promulgation.";
        assert_eq!(lang(mixed), "zh");
        // An English text naming one Chinese term is English.
        assert_eq!(
            lang(
                "Article 9 of the Copyright Act (著作權法) lists the works that cannot be the subject of copyright, including the constitution, acts and regulations."
            ),
            "en"
        );
        assert_eq!(lang("Der Bundestag beschließt die Gesetze, und der Bundesrat wirkt dabei mit."), "de");
    }

    #[test]
    fn unknown_labels_are_refused() {
        let err = toml::from_str::<LanguageConfig>("keep = [\"zh-TW\"]").err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("unknown language `zh-TW`")));
        let all: LanguageConfig = toml::from_str("keep = [\"*\"]").unwrap_or_default();
        assert!(all.keeps("en"));
    }
}
