//! Text normalization that respects Chinese typography, in one pass over the characters.
//!
//! Blanket NFKC would turn `，` into `,` and `（）` into `()`: Chinese training text would lose
//! its punctuation. Here NFC is the only Unicode normalization; width is folded by an explicit
//! rule (full-width letters, digits and symbols to ASCII) that keeps the CJK punctuation in
//! [`KEPT_FULLWIDTH`] full-width.

use serde::{Deserialize, Serialize};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Full-width forms (U+FF01–U+FF5E) that stay full-width: they are the CJK punctuation of
/// Traditional-Chinese typography, which has no ASCII equivalent in running text. Every other
/// character of that block folds to its ASCII twin. 。、「」『』…— live outside the block and
/// are never touched.
pub const KEPT_FULLWIDTH: [char; 7] = ['，', '！', '？', '：', '；', '（', '）'];

/// The normalization rules, each on or off (the keys of `[normalize]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TextRules {
    /// Unicode NFC (canonical composition; keeps every CJK punctuation mark).
    pub nfc: bool,
    /// Full-width ASCII letters, digits and symbols → ASCII (Ａ１％ → A1%), except the CJK
    /// punctuation in [`KEPT_FULLWIDTH`]; half-width CJK punctuation (｡｢｣､) → full-width.
    pub fold_width: bool,
    /// U+3000 IDEOGRAPHIC SPACE → a space (then subject to `collapse_whitespace`).
    pub ideographic_space: bool,
    /// C0/C1 control characters and DEL removed (tab and line breaks are whitespace, not
    /// controls).
    pub remove_control: bool,
    /// Zero-width and invisible format characters removed (ZWSP, ZWNJ, word joiner, BOM, soft
    /// hyphen, bidi marks and embeddings); a ZWJ between two emoji is kept, since it joins an
    /// emoji sequence (👨‍👩‍👧).
    pub remove_zero_width: bool,
    /// Runs of spaces and tabs → one space, none at the start or end of a line; CRLF and CR →
    /// LF; three or more line breaks → two (a paragraph break survives, a gap does not).
    pub collapse_whitespace: bool,
}

impl Default for TextRules {
    fn default() -> Self {
        Self {
            nfc: true,
            fold_width: true,
            ideographic_space: true,
            remove_control: true,
            remove_zero_width: true,
            collapse_whitespace: true,
        }
    }
}

/// What normalization did to one text, and what it found but cannot repair.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    /// NFC changed the text.
    #[serde(skip_serializing_if = "is_zero")]
    pub nfc: u64,
    /// Characters folded by width (full-width → ASCII, half-width CJK punctuation → full-width).
    #[serde(skip_serializing_if = "is_zero")]
    pub width_folded: u64,
    /// Control characters removed.
    #[serde(skip_serializing_if = "is_zero")]
    pub control_removed: u64,
    /// Zero-width and invisible characters removed.
    #[serde(skip_serializing_if = "is_zero")]
    pub zero_width_removed: u64,
    /// U+FFFD REPLACEMENT CHARACTERs: bytes lost before the text reached us.
    #[serde(skip_serializing_if = "is_zero")]
    pub replacement: u64,
    /// Mojibake sequences: UTF-8 bytes read as Latin-1/cp1252 (`å¤§` for 大).
    #[serde(skip_serializing_if = "is_zero")]
    pub mojibake: u64,
    /// The text was converted from Simplified (or mixed) to Traditional.
    #[serde(skip_serializing_if = "is_zero")]
    pub converted: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Changes {
    /// Nothing changed and nothing found.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Adds `other` into `self`.
    pub fn add(&mut self, other: &Changes) {
        self.nfc += other.nfc;
        self.width_folded += other.width_folded;
        self.control_removed += other.control_removed;
        self.zero_width_removed += other.zero_width_removed;
        self.replacement += other.replacement;
        self.mojibake += other.mojibake;
        self.converted += other.converted;
    }
}

/// Normalizes `text` by `rules` into `out` (cleared first) and says what changed.
pub fn normalize_into(text: &str, rules: &TextRules, out: &mut String) -> Changes {
    out.clear();
    out.reserve(text.len());
    let mut changes = Changes::default();
    let maybe_not_nfc = normalize_chars(text, rules, out, &mut changes);
    // NFC last: removing a zero-width character between a letter and its combining mark must
    // not leave an uncomposed pair behind (normalizing twice would then change the text). A
    // text of plain characters, ASCII and full-width forms only is NFC already.
    if rules.nfc && maybe_not_nfc && is_nfc_quick(out.chars()) != IsNormalized::Yes {
        let composed: String = out.nfc().collect();
        if composed != *out {
            changes.nfc = 1;
            *out = composed;
        }
    }
    changes
}

/// Normalizes `text` by `rules`.
pub fn normalize(text: &str, rules: &TextRules) -> (String, Changes) {
    let mut out = String::new();
    let changes = normalize_into(text, rules, &mut out);
    (out, changes)
}

/// The per-character pass. Whitespace is held back (`pending_*`) until the next visible
/// character decides whether it becomes a space, a line break or nothing. Runs of
/// [plain](is_plain) characters — almost all of a Chinese text — are copied as byte slices.
fn normalize_chars(text: &str, rules: &TextRules, out: &mut String, changes: &mut Changes) -> bool {
    let mut chars = text.char_indices().peekable();
    let mut prev: Option<char> = None; // the previous input character, None after a plain run
    let mut last_out_emoji = false; // the last visible character written may precede a ZWJ
    let mut written = false;
    let mut pending_space = false;
    let mut pending_breaks = 0u32;
    let mut run: Option<usize> = None; // start of the current plain run
    let mut maybe_not_nfc = false;
    let flush = |out: &mut String, written: bool, space: &mut bool, breaks: &mut u32| {
        if written {
            if *breaks > 0 {
                out.push_str(if *breaks >= 2 { "\n\n" } else { "\n" });
            } else if *space {
                out.push(' ');
            }
        }
        *breaks = 0;
        *space = false;
    };
    while let Some((i, c)) = chars.next() {
        if is_plain(c) {
            if run.is_none() {
                flush(out, written, &mut pending_space, &mut pending_breaks);
                run = Some(i);
            }
            continue;
        }
        if let Some(start) = run.take() {
            out.push_str(&text[start..i]);
            (written, last_out_emoji, prev) = (true, false, None);
        }
        let before = prev;
        prev = Some(c);
        if c == '\u{FFFD}' {
            changes.replacement += 1;
        } else if before.is_some_and(is_mojibake_lead) && is_mojibake_continuation(c) {
            changes.mojibake += 1;
        }
        let mut c = c;
        if rules.fold_width
            && let Some(folded) = fold_width(c)
        {
            changes.width_folded += 1;
            c = folded;
        }
        if rules.ideographic_space && c == '\u{3000}' {
            c = ' ';
        }
        if rules.remove_control && is_control(c) {
            changes.control_removed += 1;
            continue;
        }
        if rules.remove_zero_width && is_invisible(c) {
            let joins_emoji = c == '\u{200D}' && last_out_emoji && chars.peek().is_some_and(|&(_, n)| is_emoji(n));
            if !joins_emoji {
                changes.zero_width_removed += 1;
                continue;
            }
        }
        if rules.collapse_whitespace {
            if is_line_break(c) {
                if !(c == '\n' && before == Some('\r')) {
                    pending_breaks += 1;
                }
                pending_space = false;
                continue;
            }
            if is_horizontal_space(c) {
                pending_space = true;
                continue;
            }
            flush(out, written, &mut pending_space, &mut pending_breaks);
        }
        maybe_not_nfc |= !nfc_safe(c);
        out.push(c);
        written = true;
        last_out_emoji = is_emoji_part(c);
    }
    if let Some(start) = run {
        out.push_str(&text[start..]);
    }
    maybe_not_nfc
}

/// Characters that NFC leaves alone whatever surrounds them (NFC_QC = Yes, combining class 0):
/// below the combining diacritics, general punctuation, arrows, box drawing and shapes (but
/// for the combining marks for symbols and the singletons Ω K Å 〈 〉), and the full-width
/// forms. Anything else sends the text through the full NFC check.
fn nfc_safe(c: char) -> bool {
    c < '\u{300}'
        || (matches!(c, '\u{2000}'..='\u{2BFF}' | '\u{FF01}'..='\u{FFEF}')
            && !matches!(c, '\u{20D0}'..='\u{20FF}' | '\u{2126}' | '\u{212A}' | '\u{212B}' | '\u{2329}' | '\u{232A}'))
}

/// Characters no rule touches and NFC leaves alone whatever follows them (ASCII graphic, CJK
/// punctuation, kana without the combining voicing marks, CJK extension A, unified
/// ideographs): the fast path.
fn is_plain(c: char) -> bool {
    matches!(c, '!'..='~' | '\u{3001}'..='\u{3098}' | '\u{309B}'..='\u{9FFF}')
}

/// Replacement characters and mojibake sequences in `text` (what [`Changes`] counts as
/// `replacement` and `mojibake`), for judging a text that is already normalized.
pub fn damage(text: &str) -> (u64, u64) {
    // Both need a character of U+0080–U+00FF (UTF-8 lead byte C2 or C3) or U+FFFD: most texts
    // have neither, and a SIMD scan for the bytes says so at memory speed.
    if memchr::memchr2(0xC2, 0xC3, text.as_bytes()).is_none()
        && memchr::memmem::find(text.as_bytes(), "\u{FFFD}".as_bytes()).is_none()
    {
        return (0, 0);
    }
    let (mut replacement, mut mojibake) = (0, 0);
    let mut prev = None;
    for c in text.chars() {
        if c == '\u{FFFD}' {
            replacement += 1;
        } else if prev.is_some_and(is_mojibake_lead) && is_mojibake_continuation(c) {
            mojibake += 1;
        }
        prev = Some(c);
    }
    (replacement, mojibake)
}

/// The width fold of one character, or `None` when it stays as it is.
pub fn fold_width(c: char) -> Option<char> {
    match c {
        '\u{FF01}'..='\u{FF5E}' if !KEPT_FULLWIDTH.contains(&c) => char::from_u32(c as u32 - 0xFEE0),
        '｡' => Some('。'),
        '｢' => Some('「'),
        '｣' => Some('」'),
        '､' => Some('、'),
        _ => None,
    }
}

fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{84}' | '\u{86}'..='\u{9F}')
}

/// Line breaks: LF, CR, VT, FF, NEL, LINE and PARAGRAPH SEPARATOR.
fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{B}' | '\u{C}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Horizontal whitespace (U+3000 only when the ideographic-space rule is off, since then the
/// user asked to keep it, and collapse must not remove it behind their back).
fn is_horizontal_space(c: char) -> bool {
    c != '\u{3000}' && c.is_whitespace() && !is_line_break(c)
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// Pictographic characters that start or continue an emoji ZWJ sequence. A hand-kept range list:
/// the `Extended_Pictographic` property is not in std, and a ZWJ decision needs no more.
fn is_emoji(c: char) -> bool {
    matches!(c, '\u{2600}'..='\u{27BF}' | '\u{2B00}'..='\u{2BFF}' | '\u{1F000}'..='\u{1FAFF}')
}

/// Emoji, or a character that may sit between an emoji and its ZWJ (VS16, skin tones).
fn is_emoji_part(c: char) -> bool {
    is_emoji(c) || c == '\u{FE0F}' || ('\u{1F3FB}'..='\u{1F3FF}').contains(&c)
}

/// The first character of a UTF-8 multi-byte sequence read as Latin-1 (Â–ô: bytes C2–F4).
fn is_mojibake_lead(c: char) -> bool {
    ('\u{C2}'..='\u{F4}').contains(&c)
}

/// A UTF-8 continuation byte read as Latin-1 (U+0080–U+00BF) or as cp1252 (the letters and
/// signs cp1252 puts at 0x80–0x9F).
fn is_mojibake_continuation(c: char) -> bool {
    ('\u{80}'..='\u{BF}').contains(&c) || "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn norm(s: &str) -> String {
        normalize(s, &TextRules::default()).0
    }

    #[test]
    fn cjk_punctuation_stays_full_width() {
        let kept = "，。、！？：；「」『』（）…—《》〈〉【】〔〕";
        assert_eq!(norm(kept), kept);
        for c in KEPT_FULLWIDTH {
            assert_eq!(fold_width(c), None, "{c}");
        }
    }

    #[test]
    fn full_width_letters_digits_and_symbols_fold() {
        assert_eq!(norm("Ａｂｃ１２３％＋＝＠＃．～"), "Abc123%+=@#.~");
        assert_eq!(norm("第１條　本法依憲法制定。"), "第1條 本法依憲法制定。");
        assert_eq!(norm("｢你好｣､再見｡"), "「你好」、再見。");
        // Every character of the block either folds to ASCII or is on the kept list.
        for u in 0xFF01..=0xFF5E {
            let c = char::from_u32(u).unwrap_or_default();
            match fold_width(c) {
                Some(a) => assert!(a.is_ascii_graphic(), "{c}"),
                None => assert!(KEPT_FULLWIDTH.contains(&c), "{c}"),
            }
        }
    }

    #[test]
    fn real_law_text_keeps_its_shape() {
        // 著作權法 art. 9, as the laws corpus has it (U+3000 indentation, full-width digits).
        let law = "第 ９ 條\n　　下列各款不得為著作權之標的：\n　　一、憲法、法律、命令或公文。\r\n\r\n\r\n（刪除）";
        assert_eq!(norm(law), "第 9 條\n下列各款不得為著作權之標的：\n一、憲法、法律、命令或公文。\n\n（刪除）");
    }

    #[test]
    fn controls_and_zero_width_go_but_emoji_joiners_stay() {
        let (out, ch) = normalize("中\u{200B}文\u{0007}字\u{FEFF}\u{00AD}", &TextRules::default());
        assert_eq!(out, "中文字");
        assert_eq!((ch.control_removed, ch.zero_width_removed), (1, 3));
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(norm(family), family);
        let flag = "🏳\u{FE0F}\u{200D}🌈";
        assert_eq!(norm(flag), flag);
        assert_eq!(norm("甲\u{200D}乙"), "甲乙");
    }

    #[test]
    fn whitespace_collapses_and_paragraphs_survive() {
        assert_eq!(norm("  甲 \t  乙  \n\n\n\n丙\u{00A0}丁\n  \n戊  "), "甲 乙\n\n丙 丁\n\n戊");
        assert_eq!(norm("a\r\nb\rc\u{2029}d"), "a\nb\nc\nd");
    }

    #[test]
    fn nfc_only_composes() {
        let (out, ch) = normalize("e\u{0301}，Ａ", &TextRules { fold_width: false, ..TextRules::default() });
        assert_eq!(out, "é，Ａ");
        assert_eq!(ch.nfc, 1);
        // A CJK compatibility ideograph has a canonical decomposition: NFC maps it.
        assert_eq!(norm("\u{F92C}"), "\u{90CE}");
    }

    #[test]
    fn every_rule_can_be_turned_off() {
        let off = TextRules {
            nfc: false,
            fold_width: false,
            ideographic_space: false,
            remove_control: false,
            remove_zero_width: false,
            collapse_whitespace: false,
        };
        let s = "e\u{0301}Ａ\u{3000}\u{200B}\u{7}  \r\n\n\n";
        assert_eq!(normalize(s, &off).0, s);
        // With collapse on, an ideographic space the user kept is not whitespace to collapse.
        let keep_space = TextRules { ideographic_space: false, ..TextRules::default() };
        assert_eq!(normalize("甲\u{3000}乙", &keep_space).0, "甲\u{3000}乙");
    }

    #[test]
    fn mojibake_and_replacement_are_counted_not_repaired() {
        let broken: String = "大學".bytes().map(char::from).collect(); // UTF-8 read as Latin-1
        let (out, ch) = normalize(&format!("{broken}，\u{FFFD}\u{FFFD}"), &TextRules::default());
        assert_eq!(ch.mojibake, 2); // one per mangled character: å¤§, å\u{AD}¸
        assert_eq!(ch.replacement, 2);
        assert!(out.contains('\u{FFFD}'));
        assert_eq!(normalize("café, naïve, Ünïcödé", &TextRules::default()).1.mojibake, 0);
    }

    proptest! {
        /// Normalizing twice changes nothing, and no removed character survives.
        #[test]
        fn idempotent_and_clean(s in "[\\PC\\s\u{200B}\u{FEFF}\u{7}\u{3000}Ａ-ｚ，。]{0,80}") {
            let once = norm(&s);
            prop_assert_eq!(norm(&once), once.clone());
            let removed = |c: char| is_control(c) || matches!(c, '\u{200B}' | '\u{3000}');
            prop_assert!(!once.chars().any(removed), "{:?}", once);
            prop_assert!(!once.starts_with(char::is_whitespace) && !once.ends_with(char::is_whitespace));
            prop_assert!(!once.contains("\n\n\n") && !once.contains("  "));
        }
    }
}
