//! The detectors, one per kind of personal data (reference: shared/reference/
//! pii-and-licences.md, Part A). They run on a width-folded copy of the text (full-width ASCII
//! and U+3000 mapped 1:1 per code point, so character offsets stay valid), never rely on `\b`
//! (Han characters are word characters: `身分證字號A123456789` has no boundary before `A`) but
//! check the neighbouring characters in code, and combine check digits with keyword windows
//! and decoy filters.

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

use regex::Regex;

use super::checks;
use super::{PiiKind, PiiSpan};

/// Maps full-width ASCII (U+FF01–FF5E) to ASCII and U+3000 to a space, one code point for
/// one, so offsets in characters are the same in both strings. Borrowed when nothing changes.
pub fn fold_width(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| ('\u{FF01}'..='\u{FF5E}').contains(&c) || c == '\u{3000}') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                '\u{3000}' => ' ',
                c => c,
            })
            .collect(),
    )
}

const NUM: &str = "[0-9一二三四五六七八九十百〇零]+";
const COUNTIES: &str = "臺北市|台北市|新北市|桃園市|臺中市|台中市|臺南市|台南市|高雄市|基隆市|新竹市|嘉義市|新竹縣|苗栗縣|彰化縣|南投縣|雲林縣|嘉義縣|屏東縣|宜蘭縣|花蓮縣|臺東縣|台東縣|澎湖縣|金門縣|連江縣";
const SURNAMES_COMPOUND: &str = "歐陽|司馬|諸葛|張簡|范姜|上官|東方|司徒|皇甫";
const SURNAMES: &str = "陳林黃張李王吳劉蔡楊許鄭謝郭洪邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余盧梁趙顏柯翁魏孫戴范方宋鄧杜傅侯曹薛丁卓馬阮董唐溫藍蔣石古紀姚連馮歐程湯田康姜白汪鄒尤巫鐘黎涂龔嚴韓袁金童陸夏柳邵錢伍倪于譚駱熊任甘秦顧毛章史官萬俞雷粘饒";

/// Characters that end a name match when they come last: function words and the first
/// character of titles and cue words that often follow a name.
const NAME_STOP: &str = "於在的是與及和或、，,。電先小女同老醫律議記等君所之為有向至從被將把先生";

/// Characters that never appear in a given name in running text: function words and the
/// verbs and nouns of legal prose (measured on the laws corpus, where every hit was a word).
const GIVEN_STOP: &str = "之的或及與於為依受任非執行法評選聘違反登錄檢查規定條項款應得不其他者所以並由於已未曾經請述意見報情列度序式可稱易利用員人機關事務等職議會科專語族治術作部操問詢處理對縣市區鄉鎮院校公司";

/// Surname + first given character pairs that are common words, not names (陳述, 曾任, 方式 …).
const WORD_BIGRAMS: &[&str] = &[
    "陳述", "陳明", "陳列", "陳報", "陳情", "陳設", "陳舊", "陳請", "曾經", "曾任", "曾依", "曾受", "曾於", "曾執",
    "曾違", "曾登", "曾在", "曾為", "曾因", "曾有", "任何", "任職", "任一", "任之", "任評", "任法", "任非", "任期",
    "任用", "任命", "任務", "任意", "方式", "方法", "方面", "方向", "方案", "方可", "方得", "方為", "程序", "程度",
    "程式", "許可", "許多", "施術", "施行", "施用", "施工", "施政", "紀錄", "紀律", "紀念", "康檢", "康復", "官或",
    "官員", "官方", "高於", "高度", "高等", "石油", "金額", "金融", "金錢", "黃金", "林業", "林地", "連續", "連同",
    "連結", "萬元", "萬一", "章程", "章節", "顧問", "顧客", "陸續", "陸地", "簡易", "簡稱", "簡化", "何種", "何人",
    "何時", "嚴重", "嚴格", "周邊", "周知", "周年", "白色", "溫度", "洪水", "古蹟", "田地", "馬上", "江河", "葉片",
    "夏季", "雷射", "藍圖", "余額",
];

/// Whether a name match is a word of ordinary prose rather than a name.
fn wordlike(name: &str) -> bool {
    let mut chars = name.chars();
    let first_two: String = chars.by_ref().take(2).collect();
    WORD_BIGRAMS.contains(&first_two.as_str()) || name.chars().skip(1).any(|c| GIVEN_STOP.contains(c))
}

/// Every detector, compiled once.
#[derive(Debug)]
pub struct Detectors {
    ids: Regex,
    ubn: Regex,
    mobile: Regex,
    landline: Regex,
    extension: Regex,
    email: Regex,
    ipv4: Regex,
    ipv6: Regex,
    card: Regex,
    nhi: Regex,
    passport: Regex,
    bank: Regex,
    plate: Regex,
    birth: Regex,
    birth_after: Regex,
    birth_year: Regex,
    address: Regex,
    address_cued: Regex,
    address_district: Regex,
    name_cued: Option<Regex>,
    name_titled: Option<Regex>,
}

fn re(pattern: &str) -> Regex {
    // The patterns are constants of this file: a failure is a bug caught by every test.
    Regex::new(pattern).unwrap_or_else(|e| panic!("PII pattern does not compile: {e}"))
}

impl Detectors {
    /// Compiles the detectors; `names` turns the person-name rules on.
    pub fn new(names: bool) -> Self {
        let date = "(?:民國)?(?:[0-9]{2,3}|[〇零一二三四五六七八九十]{2,5})年(?:[0-9]{1,2}|[〇零一二三四五六七八九十]{1,3})月(?:[0-9]{1,2}|[〇零一二三四五六七八九十]{1,3})日\
                    |(?:19|20)[0-9]{2}年[0-9]{1,2}月[0-9]{1,2}日\
                    |(?:19|20)[0-9]{2}[/.-][0-9]{1,2}[/.-][0-9]{1,2}\
                    |0?[0-9]{2}[/.][0-9]{1,2}[/.][0-9]{1,2}\
                    |(?:19|20)[0-9]{6}\
                    |0?[0-9]{6}";
        let street = format!(
            "\\p{{Han}}{{1,8}}?(?:路|街|大道)(?:{NUM}段)?(?:{NUM}巷)?(?:{NUM}弄)?{NUM}(?:[之-]{NUM})?號(?:{NUM}樓(?:之{NUM})?)?(?:[0-9]+室)?"
        );
        let surname = format!("(?:{SURNAMES_COMPOUND}|[{SURNAMES}])");
        Self {
            ids: re("[A-Za-z][0-9]{9}|[A-Za-z][A-Da-d][0-9]{8}"),
            ubn: re("(?:營利事業統一編號|扣繳單位統一編號|統一編號|統編)[^0-9\\n]{0,6}?([0-9]{8})"),
            // Also `09-12345678` and `(09) 12345678`, as forms and Faker write them.
            mobile: re("(?:\\(\\+?886\\)[- ]?|\\+?886[- ]?|0)9[0-8][0-9](?:[- ]?[0-9]{3}){2}|\\(09\\) ?[0-9]{8}|09-[0-9]{8}"),
            landline: re("(?:\\+?886[- ]?\\(?0?|\\(0|0)[1-8][0-9]{0,3}(?:\\) ?|[- ])?[0-9]{2,4}[- ]?[0-9]{3,4}"),
            extension: re("^ ?(?:#|分機|轉|ext\\.? ?)[0-9]{1,5}"),
            email: re("[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\\.)+[A-Za-z]{2,}"),
            ipv4: re("[0-9]{1,3}(?:\\.[0-9]{1,3}){3}"),
            // The whole run of hex digits and colons (with a v4 tail): trimmed and parsed in code.
            ipv6: re("[0-9A-Fa-f]*:[0-9A-Fa-f]*:[0-9A-Fa-f:]*(?:\\.[0-9]{1,3}){0,3}"),
            card: re("[0-9](?:[ -]?[0-9]){11,18}"),
            nhi: re("(?:健保卡號碼|健保卡卡號|健保IC卡號|健保卡號)[^0-9\\n]{0,6}?([0-9]{4}[- ]?[0-9]{4}[- ]?[0-9]{4})"),
            passport: re("(?:護照號碼|護照號|護照|[Pp]assport(?: ?[Nn]o\\.?| ?[Nn]umber)?)[^0-9A-Za-z\\n]{0,6}?([A-Za-z]{0,2}[0-9]{6,9})"),
            bank: re("(?:帳號|帳戶|戶頭|匯款|轉帳|匯入|局號)[^0-9\\n]{0,12}?(?:\\(?[0-9]{3}\\)[- ]?)?([0-9](?:[- ]?[0-9]){9,15})"),
            plate: re("(?:車牌號碼|車牌|車號|牌照號碼|牌照|號牌)[^0-9A-Za-z\\n]{0,6}?([A-Za-z]{2,3}-?[0-9]{3,4}|[0-9]{4}-[A-Za-z]{2}|[0-9]{3}-[A-Za-z]{3})"),
            birth: re(&format!(
                "(?:出生年月日|出生日期|出生於|出生|生日|生於|DOB|[Bb]irthday|[Dd]ate of [Bb]irth)[^0-9〇零一二三四五六七八九十民\\n，。；、,;]{{0,6}}?({date})"
            )),
            // The birth word may follow the date: 民國55年5月6日出生, 1995/03/28生，
            birth_after: re(&format!("({date}) ?$")),
            birth_year: re("(?:民國)?[0-9]{2,3}年次"),
            // Found by its county (a literal the regex engine searches with SIMD); a postal
            // code before it is taken in code.
            address: re(&format!("(?:{COUNTIES})(?:\\p{{Han}}{{1,3}}?[區鄉鎮市])?(?:\\p{{Han}}{{1,4}}?[村里](?:{NUM}鄰)?)?{street}")),
            address_cued: re(&format!("(?:地址|住址|住所|戶籍地|通訊處|居住於|住在)[：: ]{{0,2}}({street})")),
            // Without a county: a district, then a street address down to the house number.
            address_district: re(&format!("\\p{{Han}}{{1,3}}?[區鄉鎮]{street}")),
            // Cues need a colon (or a space after 姓名): without one they begin prose
            // (當事人陳述意見, 檢舉人姓名嚴守秘密). Professions (律師, 醫師 …) are titles only after a full
            // three-character name; 先生/小姐/女士 are always forms of address.
            name_cued: names.then(|| {
                re(&format!(
                    "(?:姓名[：: ]{{1,2}}|(?:聯絡人|申請人|負責人|收件人|承辦人|當事人|被保險人|立書人)[：:] ?)({surname}\\p{{Han}}{{1,2}})"
                ))
            }),
            name_titled: names.then(|| {
                re(&format!("({surname}\\p{{Han}}{{1,2}})(?:先生|小姐|女士)|({surname}\\p{{Han}}{{2}})(?:同學|老師|醫師|律師|議員)"))
            }),
        }
    }

    /// Every span of personal data in `text`, in character offsets, sorted, not overlapping.
    pub fn detect(&self, text: &str) -> Vec<PiiSpan> {
        let folded = fold_width(text);
        let t = folded.as_ref();
        let mut found: Vec<(usize, usize, PiiKind)> = Vec::new();
        self.ids(t, &mut found);
        self.keyed(&self.ubn, t, PiiKind::TwUbn, &mut found, |v| checks::ubn(v.as_bytes()));
        self.phones(t, &mut found);
        for m in self.email.find_iter(t) {
            let (mut start, end) = (m.start(), m.end());
            while t[start..].starts_with('.') {
                start += 1;
            }
            if t[start..end].find('@').is_some_and(|at| at > 0) {
                found.push((start, end, PiiKind::Email));
            }
        }
        self.ips(t, &mut found);
        for m in self.card.find_iter(t) {
            let digits: Vec<u8> = m.as_str().bytes().filter(u8::is_ascii_digit).collect();
            if isolated(t, m.start(), m.end(), |c| c.is_ascii_digit()) && checks::card(&digits) {
                found.push((m.start(), m.end(), PiiKind::CreditCard));
            }
        }
        self.keyed(&self.nhi, t, PiiKind::TwNhiCard, &mut found, |_| true);
        self.keyed(&self.passport, t, PiiKind::Passport, &mut found, |_| true);
        self.keyed(&self.bank, t, PiiKind::BankAccount, &mut found, |v| {
            (10..=16).contains(&v.bytes().filter(u8::is_ascii_digit).count())
        });
        self.keyed(&self.plate, t, PiiKind::LicensePlate, &mut found, plate_ok);
        for c in self.birth.captures_iter(t) {
            // 生於 inside 發生於 / 產生於 is not a birth.
            let whole = c.get(0).map_or(0, |m| m.start());
            let after_verb = t[..whole].chars().next_back().is_some_and(|p| "發產衍滋誕".contains(p));
            if let Some(v) = c.get(1).filter(|v| !after_verb && date_ok(v.as_str())) {
                found.push((v.start(), v.end(), PiiKind::DateOfBirth));
            }
        }
        // The birth word after the date (民國55年5月6日出生, 1995/03/28生，): from each 生, look
        // back for a date ending right there. The end of a range (…至六十九年十二月三十一日出生)
        // is a legal condition, not a birthday.
        for (at, _) in t.match_indices('生') {
            let word_end = at + '生'.len_utf8();
            let after_born = t[..at].ends_with('出');
            let is_birth = after_born || t[word_end..].starts_with([',', ';', '、', ' ']) || word_end == t.len();
            if !is_birth {
                continue;
            }
            let date_end = if after_born { at - '出'.len_utf8() } else { at };
            let from = t[..date_end].char_indices().rev().nth(24).map_or(0, |(i, _)| i);
            let window = t[from..date_end].trim_end_matches(' ');
            if let Some(v) = self.birth_after.captures(window).and_then(|c| c.get(1)) {
                let (start, end) = (from + v.start(), from + v.end());
                let ends_range = t[..start].chars().next_back().is_some_and(|p| "至到~～-".contains(p));
                if date_ok(v.as_str()) && !ends_range {
                    found.push((start, end, PiiKind::DateOfBirth));
                }
            }
        }
        for m in self.birth_year.find_iter(t) {
            found.push((m.start(), m.end(), PiiKind::DateOfBirth));
        }
        for m in self.address.find_iter(t) {
            // A postal code (3, 5 or 6 digits, maybe a space) just before the county is part of it.
            let before = t[..m.start()].trim_end_matches(' ');
            let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            let lone = !before[..before.len() - digits].ends_with(|c: char| c.is_ascii_digit());
            let start = if matches!(digits, 3 | 5 | 6) && lone { before.len() - digits } else { m.start() };
            found.push((start, m.end(), PiiKind::TwAddress));
        }
        self.keyed(&self.address_cued, t, PiiKind::TwAddress, &mut found, |_| true);
        let maybe_street = t.contains('號') && (t.contains('路') || t.contains('街') || t.contains("大道"));
        for m in self.address_district.find_iter(t).take_while(|_| maybe_street) {
            found.push((m.start(), m.end(), PiiKind::TwAddress));
        }
        for (re, cued) in [(&self.name_cued, true), (&self.name_titled, false)] {
            let Some(re) = re else { continue };
            for c in re.captures_iter(t) {
                if let Some(g) = c.get(1).or_else(|| c.get(2)) {
                    let mut end = g.end();
                    let name = &t[g.start()..end];
                    if name.chars().count() == 3 && name.chars().last().is_some_and(|l| NAME_STOP.contains(l)) {
                        // After a cue the name may run into the next word: trim it. Before a
                        // title the name touches the title, so a stop character means no name.
                        if !cued {
                            continue;
                        }
                        end -= name.chars().last().map_or(0, char::len_utf8);
                    }
                    let name = &t[g.start()..end];
                    if name.chars().count() >= 2 && !wordlike(name) {
                        found.push((g.start(), end, PiiKind::PersonName));
                    }
                }
            }
        }
        resolve(t, found)
    }

    /// National IDs and resident certificates.
    fn ids(&self, t: &str, found: &mut Vec<(usize, usize, PiiKind)>) {
        if !t.bytes().any(|b| b.is_ascii_alphabetic()) {
            return; // Most Chinese text has no ASCII letter (full-width ones are folded).
        }
        for m in self.ids.find_iter(t) {
            if !isolated(t, m.start(), m.end(), |c| c.is_ascii_alphanumeric()) {
                continue;
            }
            let upper = m.as_str().to_ascii_uppercase();
            let s = upper.as_bytes();
            let before = window(t, m.start(), 20);
            let cued = |words: &[&str]| words.iter().any(|w| before.contains(w));
            let kind = match s[1] {
                b'1' | b'2' if checks::national_id_or_new_arc(s) => PiiKind::TwNationalId,
                b'8' | b'9' if checks::national_id_or_new_arc(s) => PiiKind::TwArcNew,
                b'A'..=b'D' if checks::old_arc(s) => PiiKind::TwArcOld,
                _ => continue,
            };
            let id_words = ["身分證", "身份證", "統一編號", "統一證號", "居留證", "證號", "ID", "字號"];
            let decoys =
                ["料號", "型號", "序號", "訂單", "發票", "案號", "文號", "ISBN", "品號", "貨號", "字軌", "中獎"];
            let keep = match kind {
                // Old-format certificates share their shape with e-invoice numbers: a cue is required.
                PiiKind::TwArcOld => {
                    cued(&["居留證", "居留", "統一證號", "外僑", "ARC", "TARC", "Resident"]) && !cued(&decoys)
                }
                _ => cued(&id_words) || !cued(&decoys),
            };
            if keep {
                found.push((m.start(), m.end(), kind));
            }
        }
    }

    /// Mobile and landline numbers, with extensions.
    fn phones(&self, t: &str, found: &mut Vec<(usize, usize, PiiKind)>) {
        let plus_or_digit = |c: char| c.is_ascii_digit() || c == '+';
        for m in self.mobile.find_iter(t) {
            if isolated(t, m.start(), m.end(), plus_or_digit) {
                found.push((m.start(), m.end(), PiiKind::TwMobile));
            }
        }
        for m in self.landline.find_iter(t) {
            if !isolated(t, m.start(), m.end(), plus_or_digit) || !landline_ok(m.as_str()) {
                continue;
            }
            let end = self.extension.find(&t[m.end()..]).map_or(m.end(), |e| m.end() + e.end());
            found.push((m.start(), end, PiiKind::TwLandline));
        }
    }

    /// Global IPv4 and IPv6 addresses (private, loopback and documentation ranges are kept).
    fn ips(&self, t: &str, found: &mut Vec<(usize, usize, PiiKind)>) {
        for m in self.ipv4.find_iter(t) {
            let after = &t[m.end()..];
            let versionish = after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit());
            let before = window(t, m.start(), 8).to_ascii_lowercase();
            let version_cue = ["版本", "version", "ver", "v"].iter().any(|w| before.trim_end().ends_with(w));
            if isolated(t, m.start(), m.end(), |c| c.is_ascii_digit() || c == '.')
                && !versionish
                && !version_cue
                && m.as_str().parse::<Ipv4Addr>().is_ok_and(global_v4)
            {
                found.push((m.start(), m.end(), PiiKind::Ipv4));
            }
        }
        if memchr::memchr(b':', t.as_bytes()).is_none() {
            return;
        }
        for m in self.ipv6.find_iter(t) {
            // The candidate may have taken in what stands before the address (`IPv6:2001:…`,
            // `位址：2001:…`): trim from the left until it parses.
            // Cuts are made only after a colon, and the first form that parses decides: a private
            // address (fd50:8325::1) must not be trimmed into a global one (d50:8325::1).
            let s = m.as_str();
            let parsed = (0..=s.len().min(5)).filter(|&k| k == 0 || s.as_bytes()[k - 1] == b':').find_map(|k| {
                let rest = s[k..].trim_end_matches(':');
                let ip = rest.parse::<Ipv6Addr>().ok().filter(|_| rest.matches(':').count() >= 2)?;
                Some((k, rest.len(), ip))
            });
            if let Some((k, len, _)) = parsed.filter(|(_, _, ip)| global_v6(*ip)) {
                let start = m.start() + k;
                if !t[start + len..].starts_with(|c: char| c.is_ascii_hexdigit()) {
                    found.push((start, start + len, PiiKind::Ipv6));
                }
            }
        }
    }

    /// A keyword-led detector: capture group 1 is the value; `ok` validates it. The value must
    /// not run on into more digits or letters.
    fn keyed(
        &self,
        re: &Regex,
        t: &str,
        kind: PiiKind,
        found: &mut Vec<(usize, usize, PiiKind)>,
        ok: impl Fn(&str) -> bool,
    ) {
        for c in re.captures_iter(t) {
            let Some(v) = c.get(1) else { continue };
            let runs_on = t[v.end()..].chars().next().is_some_and(|n| n.is_ascii_alphanumeric());
            if !runs_on && ok(v.as_str()) {
                found.push((v.start(), v.end(), kind));
            }
        }
    }
}

/// Whether the characters just before `start` and just after `end` are not `part_of`.
fn isolated(t: &str, start: usize, end: usize, part_of: impl Fn(char) -> bool) -> bool {
    !t[..start].chars().next_back().is_some_and(&part_of) && !t[end..].chars().next().is_some_and(&part_of)
}

/// The (at most) `chars` characters before byte `at`.
fn window(t: &str, at: usize, chars: usize) -> &str {
    let start = t[..at].char_indices().rev().nth(chars.saturating_sub(1)).map_or(0, |(i, _)| i);
    &t[start..at]
}

/// A landline: trunk 0 (or +886) + an area code + a subscriber number of that area's length.
fn landline_ok(s: &str) -> bool {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.strip_prefix("886") {
        Some(rest) if s.contains("886") && (s.starts_with('+') || s.starts_with("886")) => rest.trim_start_matches('0'),
        _ => match digits.strip_prefix('0') {
            Some(rest) => rest,
            None => return false,
        },
    };
    // Area code (without the trunk 0) → subscriber lengths; longest codes first.
    const AREAS: [(&str, &[usize]); 13] = [
        ("836", &[5]),
        ("826", &[5]),
        ("89", &[6]),
        ("82", &[6]),
        ("37", &[6]),
        ("49", &[7]),
        ("2", &[8]),
        ("3", &[7]),
        ("4", &[7, 8]),
        ("5", &[7]),
        ("6", &[7]),
        ("7", &[7]),
        ("8", &[7]),
    ];
    AREAS.iter().find(|(area, _)| national.starts_with(area)).is_some_and(|(area, lengths)| {
        let subscriber = &national[area.len()..];
        lengths.contains(&subscriber.len())
            && (*area != "2" || subscriber.starts_with(['2', '3', '4', '5', '6', '7', '8']))
    })
}

fn global_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_unspecified()
        || o[0] == 0
        || o[0] >= 240
        || (o[0] == 100 && (64..128).contains(&o[1]))
        || (o[0] == 198 && (18..20).contains(&o[1]))
        || (o[0] == 192 && o[1] == 0 && o[2] == 0))
}

fn global_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if let Some(v4) = ip.to_ipv4_mapped() {
        return global_v4(v4);
    }
    !(ip.is_loopback()
        || ip.is_unspecified()
        || (s[0] & 0xfe00) == 0xfc00
        || (s[0] & 0xffc0) == 0xfe80
        || (s[0] == 0x2001 && s[1] == 0x0db8)
        || (s[0] & 0xff00) == 0xff00)
}

/// New-format plates (three letters, four digits) use no I, O or 4.
fn plate_ok(v: &str) -> bool {
    let (letters, digits): (Vec<char>, Vec<char>) =
        v.chars().filter(|c| *c != '-').partition(char::is_ascii_alphabetic);
    if letters.len() == 3 && digits.len() == 4 {
        return !letters.iter().any(|c| matches!(c.to_ascii_uppercase(), 'I' | 'O')) && !digits.contains(&'4');
    }
    true
}

/// Parses a number written in Arabic digits or Chinese numerals (below 1000).
fn number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| "〇一二三四五六七八九".find(c).map(|i| (i / 3) as u32).or((c == '零').then_some(0));
    let mut total = 0;
    let mut current = 0;
    for c in s.chars() {
        match c {
            '十' => {
                total += current.max(1) * 10;
                current = 0;
            }
            '百' => {
                total += current.max(1) * 100;
                current = 0;
            }
            c => current = current * 10 + digit(c)?,
        }
    }
    Some(total + current)
}

/// A date with a real month and day (year: ROC 1–150 or Gregorian 1900–2099).
fn date_ok(v: &str) -> bool {
    let v = v.trim_start_matches("民國");
    let parts: Vec<&str> = if v.chars().all(|c| c.is_ascii_digit()) {
        // 0850302 / 850302: ROC year, month, day.
        let (year, rest) = v.split_at(v.len() - 4);
        vec![year, &rest[..2], &rest[2..]]
    } else {
        v.split(|c: char| "年月日/.-".contains(c)).filter(|p| !p.is_empty()).collect()
    };
    let [y, m, d] = parts[..] else { return false };
    let (Some(y), Some(m), Some(d)) = (number(y), number(m), number(d)) else { return false };
    let year_ok = (1..=150).contains(&y) || (1900..=2099).contains(&y);
    let days = match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    year_ok && (1..=12).contains(&m) && (1..=days).contains(&d)
}

/// Sorts, drops overlaps (the longer span wins, then the earlier kind), and converts byte
/// offsets to character offsets.
fn resolve(t: &str, mut found: Vec<(usize, usize, PiiKind)>) -> Vec<PiiSpan> {
    found.sort_by(|a, b| a.0.cmp(&b.0).then((b.1 - b.0).cmp(&(a.1 - a.0))).then(a.2.cmp(&b.2)));
    let mut kept: Vec<(usize, usize, PiiKind)> = Vec::with_capacity(found.len());
    for f in found {
        match kept.last_mut() {
            Some(last) if f.0 < last.1 => {
                if f.1 - f.0 > last.1 - last.0 {
                    *last = f;
                }
            }
            _ => kept.push(f),
        }
    }
    // One pass over the text turns the sorted byte offsets into character offsets.
    let mut spans = Vec::with_capacity(kept.len());
    let (mut byte, mut chars) = (0usize, 0usize);
    let mut advance = |to: usize| {
        chars += t[byte..to].chars().count();
        byte = to;
        chars
    };
    for (start, end, kind) in kept {
        let s = advance(start);
        let e = advance(end);
        spans.push(PiiSpan { kind, start: s, end: e });
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(PiiKind, String)> {
        let d = Detectors::new(true);
        d.detect(text)
            .into_iter()
            .map(|s| (s.kind, text.chars().skip(s.start).take(s.end - s.start).collect()))
            .collect()
    }

    #[test]
    fn ids_glued_to_han_and_full_width() {
        assert_eq!(kinds("身分證字號A123456789。"), [(PiiKind::TwNationalId, "A123456789".into())]);
        assert_eq!(kinds("身分證字號：Ａ１２３４５６７８９"), [(PiiKind::TwNationalId, "Ａ１２３４５６７８９".into())]);
        assert!(kinds("料號A123456788").is_empty(), "bad check digit");
        assert!(kinds("發票號碼AB12345678").is_empty());
    }

    #[test]
    fn phones_in_their_forms() {
        for p in ["0912-345-678", "0912345678", "+886 912 345 678", "(+886)912345678", "０９１２３４５６７８"]
        {
            assert_eq!(kinds(&format!("電話{p}。")), [(PiiKind::TwMobile, p.to_string())], "{p}");
        }
        for p in [
            "(02)2345-6789",
            "02-2345-6789",
            "0223456789",
            "+886-2-2345-6789",
            "03-345-6789",
            "037-234-567",
            "049-234-5678",
            "089-345-678",
        ] {
            assert_eq!(kinds(&format!("電話：{p}")), [(PiiKind::TwLandline, p.to_string())], "{p}");
        }
        assert_eq!(kinds("電話02-2345-6789分機123"), [(PiiKind::TwLandline, "02-2345-6789分機123".into())]);
        assert!(kinds("自2019-2023年").is_empty());
        assert!(kinds("112-03-15").is_empty());
    }

    #[test]
    fn email_ip_card() {
        assert_eq!(kinds("請寄信至chen.yijun@example.com"), [(PiiKind::Email, "chen.yijun@example.com".into())]);
        assert_eq!(kinds("Amy.Chen@Example.COM"), [(PiiKind::Email, "Amy.Chen@Example.COM".into())]);
        assert_eq!(kinds("來源IP 140.112.8.116 登入"), [(PiiKind::Ipv4, "140.112.8.116".into())]);
        assert!(kinds("內網 192.168.1.1").is_empty());
        assert!(kinds("版本 5.10.0.21").is_empty());
        assert_eq!(kinds("IPv6 2400:cb00:2048:1::c629:d7a2"), [(PiiKind::Ipv6, "2400:cb00:2048:1::c629:d7a2".into())]);
        assert_eq!(
            kinds("IPv6:2001:b011:e99d:8ad3:f8e3:96e5:9479:93cb"),
            [(PiiKind::Ipv6, "2001:b011:e99d:8ad3:f8e3:96e5:9479:93cb".into())]
        );
        assert_eq!(kinds("位址：2400:8902::223.185.199.126。"), [(PiiKind::Ipv6, "2400:8902::223.185.199.126".into())]);
        assert!(kinds("時間12:30:45").is_empty());
        assert!(kinds("內網fd50:8325::1與fe80::1b95").is_empty());
        assert!(kinds("文件2001:db8::9e27").is_empty());
        assert_eq!(kinds("卡號4111 1111 1111 1111"), [(PiiKind::CreditCard, "4111 1111 1111 1111".into())]);
        assert!(kinds("ISBN 9789571234567").is_empty());
    }

    #[test]
    fn keyed_types() {
        assert_eq!(kinds("統一編號：04595252"), [(PiiKind::TwUbn, "04595252".into())]);
        assert!(kinds("訂單編號04595252").is_empty());
        assert_eq!(kinds("健保卡號0000 1234 5678"), [(PiiKind::TwNhiCard, "0000 1234 5678".into())]);
        assert_eq!(kinds("護照號碼：312345678"), [(PiiKind::Passport, "312345678".into())]);
        assert_eq!(kinds("匯款帳號：(822)123-456-789012"), [(PiiKind::BankAccount, "123-456-789012".into())]);
        assert_eq!(kinds("車牌ABC-1235"), [(PiiKind::LicensePlate, "ABC-1235".into())]);
        assert!(kinds("顯示卡RTX-4090").is_empty());
        assert_eq!(kinds("出生日期：民國85年3月2日"), [(PiiKind::DateOfBirth, "民國85年3月2日".into())]);
        assert_eq!(kinds("生於八十五年三月二日"), [(PiiKind::DateOfBirth, "八十五年三月二日".into())]);
        assert_eq!(kinds("生日1996/03/02"), [(PiiKind::DateOfBirth, "1996/03/02".into())]);
        assert!(kinds("中華民國104年7月27日訂定").is_empty());
        assert!(kinds("生日13/45/99").is_empty());
        assert_eq!(kinds("他於民國55年5月6日出生"), [(PiiKind::DateOfBirth, "民國55年5月6日".into())]);
        assert_eq!(kinds("1995/03/28生，現居"), [(PiiKind::DateOfBirth, "1995/03/28".into())]);
        assert!(kinds("民國六十九年一月一日至六十九年十二月三十一日出生，其生母").is_empty());
        assert_eq!(kinds("車號NNT6712"), [(PiiKind::LicensePlate, "NNT6712".into())]);
    }

    #[test]
    fn addresses_and_names() {
        assert_eq!(
            kinds("住在臺北市大安區羅斯福路四段1號3樓"),
            [(PiiKind::TwAddress, "臺北市大安區羅斯福路四段1號3樓".into())]
        );
        assert_eq!(
            kinds("10617台北市大安區羅斯福路四段1號"),
            [(PiiKind::TwAddress, "10617台北市大安區羅斯福路四段1號".into())]
        );
        assert!(kinds("臺北市政府位於中山路").is_empty());
        assert_eq!(
            kinds("新興區和平東路五段244巷46號19樓"),
            [(PiiKind::TwAddress, "新興區和平東路五段244巷46號19樓".into())]
        );
        assert!(kinds("釋字第748號").is_empty());
        assert_eq!(kinds("聯絡人：陳小明，電話"), [(PiiKind::PersonName, "陳小明".into())]);
        assert_eq!(kinds("請王大華先生出席"), [(PiiKind::PersonName, "王大華".into())]);
        assert!(kinds("陳列館的林業").is_empty());
        assert!(kinds("予當事人陳述意見之機會").is_empty());
        assert!(kinds("被選任之律師有下列情形").is_empty());
        assert!(kinds("二、曾執行律師、法官").is_empty());
        assert!(kinds("指曾領有律師證書").is_empty());
        assert!(kinds("指經地方性之律師公會").is_empty());
        assert!(kinds("檢舉人姓名嚴守秘密").is_empty());
        assert!(kinds("外國地方議會議員").is_empty());
        assert_eq!(kinds("申請人：林美華"), [(PiiKind::PersonName, "林美華".into())]);
        assert_eq!(kinds("由張志明律師代理"), [(PiiKind::PersonName, "張志明".into())]);
        assert!(kinds("九十八年三月三十一日以前出生，並於九十八年四月三日以前辦妥").is_empty());
        assert!(kinds("其情形發生於本法中華民國九十二年一月二十二日修正施行前").is_empty());
    }

    #[test]
    fn numbers_and_dates() {
        assert_eq!(number("八十五"), Some(85));
        assert_eq!(number("十二"), Some(12));
        assert_eq!(number("一〇五"), Some(105));
        assert!(date_ok("0850302") && date_ok("850302") && !date_ok("851332"));
    }
}
