//! Person names in Traditional Chinese: a scored candidate per surname, not a rule per
//! context (issue #16; the rules it replaced found a third of the names of an independent set).
//!
//! Candidates are a surname (single or compound, MOI ranking in `data/names/surnames.txt`)
//! followed by one or two Han given-name characters. Each candidate gets a score, a sum of
//! log-odds-like terms:
//!
//! * the surname's prior (its tier: the 40 most common, the next 80, the rest, and surnames
//!   that are also common words such as 文 管 安, which need a cue);
//! * given-character log-odds from jieba's own dictionary: how often the character is a first /
//!   second given character of an `nr` entry that starts with a surname, against its frequency
//!   in all dictionary words (`benches/pii/names_tables.py` → `data/names/given.tsv`);
//! * word-boundary penalties: the surname glued to the previous character as a dictionary word
//!   (地方, 允許), surname + first given character a word (方式, 許可), last given character +
//!   next character a word (明定), from jieba's two-character words (`data/names/bigrams.tsv`);
//! * cues on both sides: before (姓名, 聯絡人, 承辦人, 由, 轉告, 經, 請 …, with or without a
//!   colon) and after (先生, 女士, 君, 表示, 負責, （職稱）…);
//! * jieba's part of speech, on the *character image* (each Traditional character replaced by
//!   its first OpenCC Simplified candidate, one for one, as [`Segmenter`] does): a `nr` token at
//!   the surname, or the HMM joining the candidate into one unknown word, adds a bonus. jieba
//!   runs only for candidates whose score without it is within reach of the threshold.
//!
//! Accepted candidates are chosen greedily by score, without overlaps. Two operating points:
//! [`Params::RECALL`] also accepts a name without any cue; [`Params::PRECISION`] needs one.
//! Measured in BENCHMARKS.md ("PII quality: the independent set").
//!
//! The tables are data, not code: no crate ships a Taiwanese surname ranking or per-character
//! given-name statistics, and jieba-rs keeps its dictionary private (the script reads it from
//! the crate's source, MIT licensed).

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

use super::Policy;
use crate::normalize::script::is_han;
use crate::quality::words::Segmenter;

/// Taiwan's surnames in the MOI ranking, in tiers (see the file's header).
const SURNAMES: &str = include_str!("../../data/names/surnames.txt");
/// Per character of jieba's dictionary (Simplified image): log-odds of being the first, second
/// or only given character of an `nr` entry (`benches/pii/names_tables.py`).
const GIVEN: &str = include_str!("../../data/names/given.tsv");
/// jieba's two-character words that are not names, with ln(frequency) (same script).
const BIGRAMS: &str = include_str!("../../data/names/bigrams.tsv");

/// Characters never part of a given name in running text (function words, legal-prose verbs and
/// nouns). 君 and 語 are *not* here: 莊子恩君 / 林語堂 (君 is handled as a title after the name).
const GIVEN_STOP: &str = "之的或及與於為依受任非執行法選違反登錄檢查規定條項款應得不其他者所以並由已未曾經請述\
意見報情列度序式可稱易利用員人機關事務等職議會科專族治術作部操問詢處理對縣市區鄉鎮院校公司在是和\
有無把被將從向至以而但若如則即此該各每某另亦均皆須需擬核准管制辦施審查計畫設置分別後內外\
時日年第號款目類種件個次份條例規則辦法細則條處罰鍰額費用元億十九八七六五四三二一零〇兩";

/// Cue words before a name, strong (form labels, addressing verbs) and weak (conjunctions and
/// verbs that take a person or an organisation).
const CUE_BEFORE_STRONG: &[&str] = &[
    "姓名",
    "聯絡人",
    "連絡人",
    "承辦人",
    "承辦人員",
    "申請人",
    "負責人",
    "代理人",
    "當事人",
    "收件人",
    "寄件人",
    "被保險人",
    "要保人",
    "受益人",
    "立書人",
    "立約人",
    "受託人",
    "委託人",
    "法定代理人",
    "被告",
    "原告",
    "證人",
    "告訴人",
    "被害人",
    "上訴人",
    "聲請人",
    "債務人",
    "債權人",
    "保證人",
    "監護人",
    "持有人",
    "所有人",
    "買受人",
    "出賣人",
    "出租人",
    "承租人",
    "具結人",
    "填表人",
    "經辦人",
    "簽收人",
    "見證人",
    "發言人",
    "召集人",
    "主席",
    "董事長",
    "總經理",
    "經理",
    "校長",
    "處長",
    "局長",
    "院長",
    "部長",
    "主任",
    "記者",
    "委員",
    "議員",
    "教授",
    "轉告",
    "通知",
    "委託",
    "交由",
    "指派",
    "會同",
    "陪同",
    "偕同",
    "請洽",
    "洽",
    "轉交",
    "寄給",
    "致",
    "敬致",
    "由",
    "經",
    "請",
    "與",
    "和",
    "及",
    "、",
    "連絡",
    "聯絡",
];
/// Of CUE_BEFORE_STRONG, those that are weak (common in prose before any noun).
const CUE_BEFORE_WEAK: &[&str] =
    &["由", "經", "請", "與", "和", "及", "、", "通知", "委託", "致", "洽", "連絡", "聯絡", "主任", "委員", "經理"];
/// Words after a name.
const CUE_AFTER_STRONG: &[&str] = &[
    "先生",
    "女士",
    "小姐",
    "君",
    "同學",
    "老師",
    "醫師",
    "律師",
    "議員",
    "教授",
    "博士",
    "委員",
    "科長",
    "處長",
    "主任",
    "局長",
    "所長",
    "院長",
    "校長",
    "經理",
    "董事長",
    "總經理",
    "記者",
    "法官",
    "檢察官",
    "書記官",
    "表示",
    "指出",
    "說明",
    "強調",
    "認為",
    "透露",
    "坦言",
    "說",
    "負責",
    "簽名",
    "簽章",
    "簽收",
    "親簽",
];
const CUE_AFTER_WEAK: &[&str] =
    &["等人", "等", "同意", "提出", "辦理", "出席", "回覆", "報告", "已於", "於", "、", "及", "和", "與"];
/// Separators allowed between a cue and a name.
const SEPARATORS: &[&str] = &["：", ":", " ", "　", "為", "是", "（", "(", "「", "『"];

/// Operating point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Accept candidates without any cue (jieba nr + name-likeness alone).
    pub nocue: bool,
    /// Threshold with a strong cue.
    pub t_strong: f32,
    /// Threshold with only weak cues.
    pub t_weak: f32,
    /// Threshold without a cue.
    pub t_none: f32,
    /// Bonus when jieba tags the surname-initial token nr*.
    pub nr_bonus: f32,
}

impl Params {
    /// Needs a cue on either side.
    pub const PRECISION: Params = Params { nocue: false, t_strong: 0.0, t_weak: 3.0, t_none: 99.0, nr_bonus: 1.5 };
    /// Also accepts un-cued candidates that jieba tags nr and that look like names.
    pub const RECALL: Params = Params { nocue: true, t_strong: 0.0, t_weak: 1.5, t_none: 3.0, nr_bonus: 1.5 };
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tier {
    A,
    B,
    C,
    W,
}

/// The tables and jieba, built once.
pub struct NameFinder {
    /// Traditional → Simplified, one character for one (the character image).
    to_simplified: FxHashMap<char, char>,
    single: FxHashMap<char, Tier>,
    compound: FxHashSet<(char, char)>,
    /// Bitmap over the BMP: may this character start a surname?
    first: Vec<u64>,
    given: FxHashMap<char, [f32; 3]>,
    bigram: FxHashMap<(char, char), f32>,
    stop: FxHashSet<char>,
    cues_before: FxHashMap<char, Vec<(Vec<char>, u8)>>,
    cues_after: FxHashMap<char, Vec<(Vec<char>, u8)>>,
    seps: Vec<Vec<char>>,
}

impl std::fmt::Debug for NameFinder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NameFinder")
            .field("surnames", &(self.single.len() + self.compound.len()))
            .finish_non_exhaustive()
    }
}

/// A scored candidate, in char indices of the document.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// First character (index into the characters).
    pub start: usize,
    /// One past the last.
    pub end: usize,
    /// The sum of its terms.
    pub score: f32,
}

impl NameFinder {
    /// The finder, built once per process (with jieba's dictionary, ~0.2 s).
    pub fn get() -> &'static NameFinder {
        static F: OnceLock<NameFinder> = OnceLock::new();
        F.get_or_init(NameFinder::new)
    }

    fn new() -> Self {
        let mut single = FxHashMap::default();
        let mut compound = FxHashSet::default();
        let mut first = vec![0u64; 1024];
        let mut mark = |c: char| {
            let u = c as u32;
            if u < 0x10000 {
                first[(u >> 6) as usize] |= 1 << (u & 63);
            }
        };
        for line in SURNAMES.lines().filter(|l| !l.starts_with('#')) {
            let mut it = line.split_whitespace();
            let Some(tier) = it.next() else { continue };
            for s in it {
                let cs: Vec<char> = s.chars().collect();
                if tier == "K" && cs.len() == 2 {
                    compound.insert((cs[0], cs[1]));
                    mark(cs[0]);
                } else if cs.len() == 1 {
                    let t = match tier {
                        "A" => Tier::A,
                        "B" => Tier::B,
                        "C" => Tier::C,
                        _ => Tier::W,
                    };
                    single.entry(cs[0]).or_insert(t);
                    mark(cs[0]);
                }
            }
        }
        let given = GIVEN
            .lines()
            .filter_map(|l| {
                let mut it = l.split('\t');
                let c = it.next()?.chars().next()?;
                let v: Vec<f32> = it.filter_map(|x| x.parse().ok()).collect();
                (v.len() == 3).then(|| (c, [v[0], v[1], v[2]]))
            })
            .collect();
        let bigram = BIGRAMS
            .lines()
            .filter_map(|l| {
                let (w, f) = l.split_once('\t')?;
                let mut cs = w.chars();
                Some(((cs.next()?, cs.next()?), f.parse().ok()?))
            })
            .collect();
        NameFinder {
            // jieba itself (its dictionary takes ~0.2 s and tens of MB) is loaded on the first
            // candidate that needs it.
            to_simplified: crate::quality::words::simplified_map(),
            single,
            compound,
            first,
            given,
            bigram,
            stop: GIVEN_STOP.chars().collect(),
            cues_before: index(
                CUE_BEFORE_STRONG
                    .iter()
                    .map(|c| (c.chars().collect(), if CUE_BEFORE_WEAK.contains(c) { 1 } else { 2 })),
                |v| v.last().copied().unwrap_or_default(),
            ),
            cues_after: index(
                CUE_AFTER_STRONG
                    .iter()
                    .map(|c| (c.chars().collect(), 2))
                    .chain(CUE_AFTER_WEAK.iter().map(|c| (c.chars().collect(), 1))),
                |v| v[0],
            ),
            seps: SEPARATORS.iter().map(|c| c.chars().collect()).collect(),
        }
    }

    #[inline]
    fn may_start(&self, c: char) -> bool {
        let u = c as u32;
        u < 0x10000 && self.first[(u >> 6) as usize] & (1 << (u & 63)) != 0
    }

    #[inline]
    fn img(&self, c: char) -> char {
        self.to_simplified.get(&c).copied().unwrap_or(c)
    }

    /// ln(freq) of a 2-character dictionary word, on the image; 0 when none.
    #[inline]
    fn word(&self, a: char, b: char) -> f32 {
        self.bigram.get(&(self.img(a), self.img(b))).copied().unwrap_or(0.0)
    }

    fn given_lo(&self, c: char, pos: usize) -> f32 {
        self.given.get(&self.img(c)).map_or(-2.0, |v| v[pos]).clamp(-4.0, 3.0)
    }

    /// Names in `text`, byte offsets, with the default (recall) operating point.
    pub fn find(&self, text: &str, p: &Params) -> Vec<(usize, usize)> {
        // Fast path: no surname character at all.
        if !text.chars().any(|c| self.may_start(c)) {
            return Vec::new();
        }
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let cands = self.candidates(&chars, p);
        let mut taken = vec![false; chars.len()];
        let mut out = Vec::new();
        for c in cands {
            if (c.start..c.end).any(|i| taken[i]) {
                continue;
            }
            taken[c.start..c.end].iter_mut().for_each(|t| *t = true);
            let b = chars[c.start].0;
            let e = chars.get(c.end).map_or(text.len(), |x| x.0);
            out.push((b, e));
        }
        out.sort_unstable();
        out
    }

    /// Accepted candidates, best first (char indices).
    pub fn candidates(&self, chars: &[(usize, char)], p: &Params) -> Vec<Candidate> {
        let n = chars.len();
        let ch = |i: usize| chars.get(i).map(|x| x.1);
        let mut out: Vec<Candidate> = Vec::new();
        for i in 0..n {
            let c0 = chars[i].1;
            if !self.may_start(c0) {
                continue;
            }
            // Surname options: compound (2 chars) or single.
            let mut options: [(usize, f32); 2] = [(0, 0.0); 2];
            let mut k = 0;
            if let Some(c1) = ch(i + 1)
                && self.compound.contains(&(c0, c1))
            {
                options[k] = (2, 1.5);
                k += 1;
            }
            if let Some(&t) = self.single.get(&c0) {
                let prior = match t {
                    Tier::A => 1.0,
                    Tier::B => 0.0,
                    Tier::C => -1.0,
                    Tier::W => -3.0,
                };
                options[k] = (1, prior);
                k += 1;
            }
            for &(ls, prior) in &options[..k] {
                for lg in [2usize, 1] {
                    let s = i + ls;
                    let e = s + lg;
                    if e > n {
                        continue;
                    }
                    if !chars[s..e].iter().all(|&(_, g)| is_han(g) && !self.stop.contains(&g)) {
                        continue;
                    }
                    if let Some(cand) = self.score(chars, i, ls, lg, prior, p) {
                        out.push(cand);
                    }
                }
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.start.cmp(&b.start)));
        out
    }

    fn score(
        &self,
        chars: &[(usize, char)],
        i: usize,
        ls: usize,
        lg: usize,
        prior: f32,
        p: &Params,
    ) -> Option<Candidate> {
        let n = chars.len();
        let s = i + ls;
        let e = s + lg;
        let ch = |k: usize| chars.get(k).map(|x| x.1);
        let mut score = prior;
        // Given-name characters.
        if lg == 2 {
            score += self.given_lo(chars[s].1, 0) + self.given_lo(chars[s + 1].1, 1);
        } else {
            score += self.given_lo(chars[s].1, 2) - 1.0;
        }
        // Boundaries.
        let prev = if i > 0 { ch(i - 1) } else { None };
        let next = ch(e);
        let surname_last = chars[s - 1].1;
        if let Some(pc) = prev {
            let w = self.word(pc, chars[i].1);
            if w > 0.0 {
                score -= 0.6 * (w - 2.0).max(0.5);
            }
        }
        let w = self.word(surname_last, chars[s].1);
        if w > 0.0 && ls == 1 {
            score -= 0.6 * (w - 2.0).max(0.5);
        }
        if let Some(nc) = next {
            let w = self.word(chars[e - 1].1, nc);
            if w > 0.0 {
                score -= 0.5 * (w - 2.0).max(0.5);
            }
        }
        // (Tried: a penalty when the two given characters are a word of their own, for 卿雲勳章:
        // it loses 正義, 建成, 美麗, 國華 …, which are given names as often as words; and no
        // name before a place suffix (甘寧青區): 0.3 points of recall for 0.3 % fewer false
        // positives on the laws.)
        // Nothing can lift it to the lowest threshold: stop before the cue search.
        let lowest = p.t_strong.min(p.t_weak).min(if p.nocue { p.t_none } else { f32::MAX });
        if score + 3.0 + p.nr_bonus < lowest {
            return None;
        }
        // Cues before: the cue ends at `i`, or at `i` less one separator.
        let ends_with = |end: usize, pat: &[char]| {
            end >= pat.len() && chars[end - pat.len()..end].iter().zip(pat).all(|(a, b)| a.1 == *b)
        };
        let starts_with = |from: usize, pat: &[char]| {
            from + pat.len() <= n && chars[from..from + pat.len()].iter().zip(pat).all(|(a, b)| a.1 == *b)
        };
        let mut cue_b = 0u8;
        let mut colon = false;
        for b in std::iter::once(i).chain(self.seps.iter().filter(|sep| ends_with(i, sep)).map(|sep| i - sep.len())) {
            colon |= b < i && matches!(chars[i - 1].1, '：' | ':');
            let Some(list) = b.checked_sub(1).and_then(|k| self.cues_before.get(&chars[k].1)) else { continue };
            for (cue, strength) in list {
                if *strength > cue_b && ends_with(b, cue) {
                    cue_b = *strength;
                }
            }
        }
        if colon && cue_b == 0 {
            cue_b = 1; // some label with a colon
        }
        // Cues after.
        let mut cue_a = 0u8;
        if let Some(nc) = next {
            if nc == '（' || nc == '(' {
                cue_a = 1;
                // （職稱）: a short bracket.
                if (e + 1..(e + 7).min(n)).any(|k| matches!(chars[k].1, '）' | ')')) {
                    cue_a = 2;
                }
            }
            for (cue, strength) in self.cues_after.get(&nc).map_or(&[][..], |v| &v[..]) {
                if *strength > cue_a && starts_with(e, cue) {
                    cue_a = *strength;
                }
            }
        }
        // A bracket closing the name (代理人（温美麗）).
        if prev.is_some_and(|c| c == '（' || c == '(') && matches!(next, Some('）') | Some(')')) {
            cue_a = cue_a.max(1);
        }
        let cue = cue_b.max(cue_a);
        let both = cue_b > 0 && cue_a > 0;
        // Single given character (2-char names) only with a strong cue after (陳菊女士) or a
        // strong cue on both sides.
        // (Tried: also after a strong cue before when the next character is not Han, or with weak
        // cues on both sides: +4 points on 2-character mainland-style names, +40 % FP on laws.)
        if lg == 1 && !(cue_a == 2 || (cue_b == 2 && cue_a > 0) || ls == 2) {
            return None;
        }
        if lg == 1 && ls == 1 {
            // Prefer the 3-character reading when its next char could be a given char.
            score -= 0.5;
        }
        score += match cue {
            2 => 2.0,
            1 => 1.0,
            _ => 0.0,
        } + if both { 1.0 } else { 0.0 };
        let threshold = match cue {
            2 => p.t_strong,
            1 => p.t_weak,
            _ if p.nocue => p.t_none,
            _ => return None,
        };
        if score < threshold && score + p.nr_bonus >= threshold && self.jieba_nr(chars, i, e) {
            score += p.nr_bonus;
        }
        (score >= threshold).then_some(Candidate { start: i, end: e, score })
    }

    /// Does jieba (on the character image) tag a nr* token starting at the surname and not
    /// running past the candidate by more than one character, from its dictionary (HMM off), or
    /// does its HMM cut join the candidate into one word it does not know? (The POS tagger's
    /// own HMM costs 0.1–0.6 ms a call and added 0.006 of recall.)
    fn jieba_nr(&self, chars: &[(usize, char)], i: usize, e: usize) -> bool {
        let from = i.saturating_sub(6);
        let to = (e + 6).min(chars.len());
        let window: String = chars[from..to].iter().map(|&(_, c)| self.img(c)).collect();
        let rel = i - from;
        let rel_e = e - from;
        let nr_at =
            |t: &jieba_rs::Tag| t.tag.starts_with("nr") && t.start == rel && t.end >= rel + 2 && t.end <= rel_e + 1;
        let jieba = Segmenter::get().jieba();
        if jieba.tag(&window, false).iter().any(nr_at) {
            return true;
        }
        jieba.cut(&window, true).iter().any(|t| t.start == rel && t.end == rel_e && !jieba.has_word(t.word))
    }
}

fn index(
    cues: impl Iterator<Item = (Vec<char>, u8)>,
    key: impl Fn(&Vec<char>) -> char,
) -> FxHashMap<char, Vec<(Vec<char>, u8)>> {
    let mut m: FxHashMap<char, Vec<(Vec<char>, u8)>> = FxHashMap::default();
    for (c, s) in cues {
        m.entry(key(&c)).or_default().push((c, s));
    }
    m
}

impl Params {
    /// The operating point of `policy`.
    pub fn of(policy: Policy) -> &'static Params {
        match policy {
            Policy::Recall => &Params::RECALL,
            Policy::Precision => &Params::PRECISION,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str, policy: Policy) -> Vec<&str> {
        NameFinder::get().find(text, Params::of(policy)).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn cues_on_either_side_and_none() {
        for text in
            ["本案由林志豪負責", "請轉告凃美玲，會議改期", "聯絡人孔德明", "孟子涵（科長）出席", "覃雅婷表示同意"]
        {
            assert_eq!(names(text, Policy::Recall).len(), 1, "{text}");
        }
        // 君 and 語 can be given names; 君 is also a title after one.
        assert_eq!(names("林語堂先生", Policy::Recall), ["林語堂"]);
        assert_eq!(names("致陳志明君", Policy::Recall), ["陳志明"]);
        assert_eq!(names("申請人：賀佳君", Policy::Precision), ["賀佳君"]);
    }

    #[test]
    fn prose_is_not_names() {
        for text in
            ["予當事人陳述意見之機會", "前項許可之方式及程序", "曾任法官或檢察官者", "高雄市政府", "連同其他文件"]
        {
            assert!(names(text, Policy::Recall).is_empty(), "{text}: {:?}", names(text, Policy::Recall));
        }
    }

    #[test]
    fn precision_needs_a_cue() {
        assert!(names("本條例施行細則黃家銘規定", Policy::Precision).is_empty());
    }
}
