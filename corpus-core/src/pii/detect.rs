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
use super::{PiiKind, PiiSpan, Policy};
use crate::normalize::script::is_han;

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
/// The 22 counties and cities of today, and the former counties merged into cities in 2010 and
/// 2014 (台北縣, 桃園縣 …), which old records and forms still carry.
const COUNTIES: &str = "臺北縣|台北縣|桃園縣|臺中縣|台中縣|臺南縣|台南縣|高雄縣|臺北市|台北市|新北市|桃園市|臺中市|台中市|臺南市|台南市|高雄市|基隆市|新竹市|嘉義市|新竹縣|苗栗縣|彰化縣|南投縣|雲林縣|嘉義縣|屏東縣|宜蘭縣|花蓮縣|臺東縣|台東縣|澎湖縣|金門縣|連江縣";
/// Words before an identifier-shaped value that say it is something else (an invoice, a
/// product, a document number, a book, a version).
const DECOYS: [&str; 17] = [
    "料號", "型號", "序號", "訂單", "發票", "案號", "文號", "ISBN", "isbn", "書號", "品號", "貨號", "字軌", "中獎",
    "版本", "version", "Version",
];

/// Letter groups of standards and technical names shaped like a plate (`SHA-256`, `ISO-8859`,
/// `RFC-822`): a bare plate-shaped value with one of these is not a plate.
const NOT_PLATES: [&str; 58] = [
    "SHA", "AES", "RSA", "DES", "DSA", "ECC", "CRC", "UTF", "UCS", "ISO", "RFC", "CVE", "CWE", "PEP", "IEC", "GB",
    "CNS", "JIS", "KOI", "RTX", "GTX", "DDR", "USB", "MD", "EN", "DIN", "MIL", "BS", "TCP", "UDP", "ARM", "AMD", "CPU",
    "GPU", "API", "WPA", "PCI", "NT", "XP", "IP", "MP", "PS", "VGA", "FAT", "EXT", "CP", "TLS", "SSL", "ID", "JSR",
    "KB", "MS", "CJK", "PDF", "UTC", "GMT", "RGB", "DVD",
];

/// `[0-9]` and the characters of a longer number around one: a digit run next to `.`, `,` or
/// `-` and another digit (`0.389178240740741`, `978-957-08-1234-5`) is part of that number.
fn in_longer_number(t: &str, start: usize, end: usize) -> bool {
    let mut before = t[..start].chars().rev();
    let mut after = t[end..].chars();
    let joined = |sep: Option<char>, next: Option<char>| {
        sep.is_some_and(|c| matches!(c, '.' | ',' | '-')) && next.is_some_and(|c| c.is_ascii_digit())
    };
    joined(before.next(), before.next()) || joined(after.next(), after.next())
}

/// Whether any of `words` occurs in the `before` characters before byte `start` or the
/// `after` characters after byte `end`.
fn cued_near(t: &str, start: usize, end: usize, before: usize, after: usize, words: &[&str]) -> bool {
    let b = window(t, start, before);
    let a = window_after(t, end, after);
    words.iter().any(|w| b.contains(w) || a.contains(w))
}

/// The (at most) `chars` characters after byte `at`.
fn window_after(t: &str, at: usize, chars: usize) -> &str {
    let end = t[at..].char_indices().nth(chars).map_or(t.len(), |(i, _)| at + i);
    &t[at..end]
}

/// Libphonenumber's pattern of Taiwan's fixed-line national numbers (metadata of phonenumbers
/// 9.0.43, Apache-2.0): the numbering plan as the regulator's allocations stand, which our
/// area-code table (a rule of thumb: area code + 7 or 8 digits) does not follow everywhere.
/// Copied, not a dependency: the Rust port's crate carries every region's metadata for this one.
const TW_FIXED_LINE: &str = r"^(?:(?:2[2-8]\d|370|55[01]|7[1-9])\d{6}|4(?:(?:0(?:0[1-9]|[2-48]\d)|1[023]\d)\d{4,5}|(?:[239]\d\d|4(?:0[56]|12|49))\d{5})|6(?:[01]\d{7}|4(?:0[56]|12|24|4[09])\d{4,5})|8(?:(?:2(?:3\d|4[0-269]|[578]0|66)|36[24-9]|90\d\d)\d{4}|4(?:0[56]|12|24|4[09])\d{4,5})|(?:2(?:2(?:0\d\d|4(?:0[68]|[249]0|3[0-467]|5[0-25-9]|6[0235689]))|(?:3(?:[09]\d|1[0-4])|(?:4\d|5[0-49]|6[0-29]|7[0-5])\d)\d)|(?:(?:3[2-9]|5[2-8]|6[0-35-79]|8[7-9])\d\d|4(?:2(?:[089]\d|7[1-9])|(?:3[0-4]|[78]\d|9[01])\d))\d)\d{3})$";

/// Second characters of words that begin with 生 (生效, 生活, 生產 …): a date before one of
/// them is when something took effect, not a birthday.
const SHENG_WORDS: &str = "效活產存育病命態物計意成長前涯理殖還變日財機肖字火";

/// Every detector, compiled once.
#[derive(Debug)]
pub struct Detectors {
    policy: Policy,
    ids: Regex,
    ubn: Regex,
    ubn_bare: Regex,
    fixed_line: Regex,
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
    plate_bare: Regex,
    nhi_bare: Regex,
    passport_bare: Regex,
    bank_bare: Regex,
    birth: Regex,
    birth_after: Regex,
    birth_year: Regex,
    address: Regex,
    address_cued: Regex,
    address_district: Regex,
    address_postcode: Regex,
    names: Option<&'static super::names::NameFinder>,
}

fn re(pattern: &str) -> Regex {
    // The patterns are constants of this file: a failure is a bug caught by every test.
    Regex::new(pattern).unwrap_or_else(|e| panic!("PII pattern does not compile: {e}"))
}

impl Detectors {
    /// Compiles the detectors of the recall policy; `names` turns the person-name rules on.
    pub fn new(names: bool) -> Self {
        Self::with_policy(names, Policy::Recall)
    }

    /// Compiles the detectors of `policy`; `names` turns the person-name rules on.
    pub fn with_policy(names: bool, policy: Policy) -> Self {
        // ROC years 1–149 (in digits, or in numerals with 百: 一百零五年), Gregorian 1900–2099;
        // dotted and compact ROC forms with a 3-digit year (112.03.23, 1120323).
        let date = "(?:民國)?(?:[0-9]{1,3}|[〇零一二三四五六七八九十百]{1,6})年(?:[0-9]{1,2}|[〇零一二三四五六七八九十]{1,3})月(?:[0-9]{1,2}|[〇零一二三四五六七八九十]{1,3})日\
                    |(?:19|20)[0-9]{2}年[0-9]{1,2}月[0-9]{1,2}日\
                    |(?:19|20)[0-9]{2}[/.-][0-9]{1,2}[/.-][0-9]{1,2}\
                    |(?:1[0-4][0-9]|0?[0-9]{2})[/.][0-9]{1,2}[/.][0-9]{1,2}\
                    |(?:19|20)[0-9]{6}\
                    |(?:1[0-4][0-9]|0?[0-9]{2})[0-9]{4}";
        // From the street (a 路, 街, 大道 or a 巷 of its own) down to the house number and floor.
        let street_tail = format!(
            "(?:路|街|大道|巷)(?:{NUM}段)?(?:{NUM}巷)?(?:{NUM}弄)?{NUM}(?:[之-]{NUM})?號(?:之{NUM})?(?:{NUM}樓(?:之{NUM})?)?(?:[0-9]+室)?"
        );
        let street = format!("\\p{{Han}}{{1,8}}?{street_tail}");
        // A postal code (3, 5 or 6 digits) may lead instead of a county: 950 梅山市華興路3段9號.
        let postcode = "[1-9][0-9]{2}(?:[0-9]{2,3})? ?";
        Self {
            policy,
            ids: re("[A-Za-z][0-9]{9}|[A-Za-z][A-Da-d][0-9]{8}"),
            ubn: re("(?:營利事業統一編號|扣繳單位統一編號|統一編號|統編)[^0-9\\n]{0,6}?([0-9]{8})"),
            ubn_bare: re("[0-9]{8}"),
            fixed_line: re(TW_FIXED_LINE),
            // Also `09-12345678` and `(09) 12345678`, as forms and Faker write them.
            mobile: re(
                "(?:\\(\\+?886\\)[- ]?|\\+?886[- ]?|0)9[0-8][0-9](?:[- ]?[0-9]{3}){2}|\\(09\\) ?[0-9]{8}|09-[0-9]{8}",
            ),
            landline: re("(?:\\+?886[- ]?\\(?0?|\\(0|0)[1-8][0-9]{0,3}(?:\\) ?|[- ])?[0-9]{2,4}[- ]?[0-9]{3,4}"),
            extension: re("^ ?(?:#|分機|轉|ext\\.? ?)[0-9]{1,5}"),
            email: re(
                "(?:[\\p{Latin}0-9._%+-]+|\\p{Han}{1,8})@(?:[\\p{Latin}\\p{Han}0-9-]+\\.)+(?:[A-Za-z]{2,}|台灣|臺灣|中國|中国|公司|網絡|网络|香港|商城|在线)",
            ),
            ipv4: re("[0-9]{1,3}(?:\\.[0-9]{1,3}){3}"),
            // The whole run of hex digits and colons (with a v4 tail): trimmed and parsed in code.
            ipv6: re("[0-9A-Fa-f]*:[0-9A-Fa-f]*:[0-9A-Fa-f:]*(?:\\.[0-9]{1,3}){0,3}"),
            card: re("[0-9](?:[ -]?[0-9]){11,18}"),
            // 健保卡 and what follows it (卡號, （卡號）, 號碼 …) up to the number.
            nhi: re("(?:健保卡|健保IC卡|全民健康保險卡)[^0-9\\n]{0,8}?([0-9]{4}[- ]?[0-9]{4}[- ]?[0-9]{4})"),
            passport: re(
                "(?:護照號碼|護照號|護照|[Pp]assport(?: ?[Nn]o\\.?| ?[Nn]umber)?)[^0-9A-Za-z\\n]{0,6}?([A-Za-z]{0,2}[0-9]{6,9})",
            ),
            bank: re(
                "(?:帳號|帳戶|戶頭|匯款|轉帳|匯入|局號)[^0-9\\n]{0,12}?(?:\\(?[0-9]{3}\\)[- ]?)?([0-9](?:[- ]?[0-9]){9,15})",
            ),
            plate: re(
                "(?:車牌號碼|車牌|車號|牌照號碼|牌照|號牌|自用小客車|小客車|小貨車|貨車|汽車|機車|車輛)[^0-9A-Za-z\\n]{0,6}?([A-Za-z]{2,3}-?[0-9]{3,4}|[0-9]{4}-[A-Za-z]{2}|[0-9]{3}-[A-Za-z]{3})",
            ),
            // Every official form, without a cue (recall): AB-1234, ABC-1234, ABC-123 (motorcycles,
            // commercial), 1234-AB, 123-ABC; capitals only.
            plate_bare: re("[A-Z]{2,3}-[0-9]{3,4}|[0-9]{3,4}-[A-Z]{2,3}"),
            // Keyed values whose cue comes after them (recall): 0000 1234 5678（健保卡號）.
            nhi_bare: re("[0-9]{4}[- ]?[0-9]{4}[- ]?[0-9]{4}"),
            passport_bare: re("[A-Za-z]{0,2}[0-9]{6,9}"),
            bank_bare: re("[0-9](?:[- ]?[0-9]){9,15}"),
            birth: re(&format!(
                "(?:出生年月日|出生日期|出生於|出生|生日|生於|DOB|[Bb]irthday|[Dd]ate of [Bb]irth)[^0-9〇零一二三四五六七八九十民\\n，。；、,;]{{0,6}}?({date})"
            )),
            // The birth word may follow the date: 民國55年5月6日出生, 1995/03/28生，
            birth_after: re(&format!("({date}) ?$")),
            birth_year: re("(?:民國)?[0-9]{2,3}年次"),
            // Found by its county (a literal the regex engine searches with SIMD); a postal
            // code before it is taken in code.
            address: re(&format!(
                "(?:{COUNTIES})(?:\\p{{Han}}{{1,3}}?[區鄉鎮市])?(?:\\p{{Han}}{{1,4}}?[村里](?:{NUM}鄰)?)?{street}"
            )),
            address_cued: re(&format!(
                "(?:地址|住址|住所|戶籍地|通訊處|居住於|住在|現住)[：: ]{{0,2}}((?:{postcode})?\\p{{Han}}{{1,14}}?{street_tail})"
            )),
            // Without a county: a district, then a street address down to the house number.
            address_district: re(&format!("\\p{{Han}}{{1,3}}?[區鄉鎮]{street}")),
            address_postcode: re(&format!("{postcode}\\p{{Han}}{{1,14}}?{street_tail}")),
            names: names.then(super::names::NameFinder::get),
        }
    }

    /// Every span of personal data in `text`, in character offsets, sorted, not overlapping.
    pub fn detect(&self, text: &str) -> Vec<PiiSpan> {
        let folded = fold_width(text);
        let t = folded.as_ref();
        let mut found: Vec<(usize, usize, PiiKind)> = Vec::new();
        self.ids(t, &mut found);
        self.keyed(&self.ubn, t, PiiKind::TwUbn, &mut found, |v| checks::ubn(v.as_bytes()));
        let recall = self.policy == Policy::Recall;
        if recall {
            self.bare_ubns(t, &mut found);
        }
        self.phones(t, &mut found);
        self.emails(t, &mut found);
        self.ips(t, &mut found);
        for m in self.card.find_iter(t) {
            let digits: Vec<u8> = m.as_str().bytes().filter(u8::is_ascii_digit).collect();
            if isolated(t, m.start(), m.end(), |c| c.is_ascii_digit())
                && !in_longer_number(t, m.start(), m.end())
                && checks::card(&digits)
            {
                found.push((m.start(), m.end(), PiiKind::CreditCard));
            }
        }
        let bank_ok = |v: &str| (10..=16).contains(&v.bytes().filter(u8::is_ascii_digit).count());
        self.keyed(&self.nhi, t, PiiKind::TwNhiCard, &mut found, |_| true);
        self.keyed(&self.passport, t, PiiKind::Passport, &mut found, |_| true);
        self.keyed(&self.bank, t, PiiKind::BankAccount, &mut found, bank_ok);
        self.keyed(&self.plate, t, PiiKind::LicensePlate, &mut found, |v| recall || plate_ok(v));
        if recall {
            // The cue after the value: 0000 1234 5678（健保卡號）, 312345678 為其護照號碼.
            self.cued_after(&self.nhi_bare, t, &["健保"], PiiKind::TwNhiCard, &mut found, |_| true);
            self.cued_after(&self.passport_bare, t, &["護照", "assport"], PiiKind::Passport, &mut found, |v| {
                v.bytes().any(|b| b.is_ascii_digit())
            });
            self.cued_after(&self.bank_bare, t, &["帳號", "帳戶", "戶頭"], PiiKind::BankAccount, &mut found, bank_ok);
            self.bare_plates(t, &mut found);
        }
        for c in self.birth.captures_iter(t) {
            // 生於 inside 發生於 / 產生於 is not a birth (出生 after 發 is: 發出生 is no word).
            let whole = c.get(0).map_or(0, |m| m.start());
            let verb_cue = c.get(0).is_some_and(|m| m.as_str().starts_with('生'));
            let after_verb = verb_cue && t[..whole].chars().next_back().is_some_and(|p| "發產衍滋誕原".contains(p));
            let Some(v) = c.get(1) else { continue };
            let runs_on = t[v.end()..].starts_with(|c: char| c.is_ascii_digit());
            if !after_verb && !runs_on && date_ok(v.as_str()) {
                found.push((v.start(), v.end(), PiiKind::DateOfBirth));
            }
        }
        // The birth word after the date (民國55年5月6日出生, 1995/03/28生，): from each 生, look
        // back for a date ending right there. The end of a range (…至六十九年十二月三十一日出生)
        // is a legal condition, not a birthday.
        for (at, _) in t.match_indices('生') {
            let word_end = at + '生'.len_utf8();
            let after_born = t[..at].ends_with('出');
            // In recall, a date glued to 生 is a birth unless 生 begins a word (生效, 生活 …).
            let glued = recall && !t[word_end..].starts_with(|c: char| SHENG_WORDS.contains(c));
            let is_birth =
                after_born || glued || t[word_end..].starts_with([',', ';', '、', ' ']) || word_end == t.len();
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
        if t.contains('號') {
            for m in self.address_postcode.find_iter(t) {
                // The code must stand alone and not be a count (100年, 3號 …) or part of a number.
                let after_code = m.as_str().trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
                let counted = after_code.starts_with(|c: char| "年月日條項款號元人個次件名歲期屆週".contains(c));
                let glued = t[..m.start()].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric() || c == '.');
                if !counted && !glued {
                    found.push((m.start(), m.end(), PiiKind::TwAddress));
                }
            }
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
        let maybe_street =
            t.contains('號') && (t.contains('路') || t.contains('街') || t.contains("大道") || t.contains('巷'));
        for m in self.address_district.find_iter(t).take_while(|_| maybe_street) {
            found.push((m.start(), m.end(), PiiKind::TwAddress));
        }
        if let Some(finder) = self.names {
            let params = super::names::Params::of(self.policy);
            found.extend(finder.find(t, params).into_iter().map(|(s, e)| (s, e, PiiKind::PersonName)));
        }
        resolve(t, found)
    }

    /// National IDs and resident certificates.
    fn ids(&self, t: &str, found: &mut Vec<(usize, usize, PiiKind)>) {
        if !t.bytes().any(|b| b.is_ascii_alphabetic()) {
            return; // Most Chinese text has no ASCII letter (full-width ones are folded).
        }
        // In recall an ID glued to letters (`CodeA123456789x`, `IDA123456789`) still counts: its
        // check digit is the evidence; in precision it must stand apart from letters too.
        let recall = self.policy == Policy::Recall;
        for m in self.ids.find_iter(t) {
            let part_of = |c: char| c.is_ascii_digit() || (!recall && c.is_ascii_alphabetic());
            if !isolated(t, m.start(), m.end(), part_of) {
                continue;
            }
            let upper = m.as_str().to_ascii_uppercase();
            let s = upper.as_bytes();
            let cued = |words: &[&str]| cued_near(t, m.start(), m.end(), 20, 10, words);
            let kind = match s[1] {
                b'1' | b'2' if checks::national_id_or_new_arc(s) => PiiKind::TwNationalId,
                b'8' | b'9' if checks::national_id_or_new_arc(s) => PiiKind::TwArcNew,
                b'A'..=b'D' if checks::old_arc(s) => PiiKind::TwArcOld,
                _ => continue,
            };
            let id_words = ["身分證", "身份證", "統一編號", "統一證號", "居留證", "證號", "證件", "ID", "字號"];
            let arc_words = ["居留證", "居留", "統一證號", "證號", "證件", "外僑", "ARC", "TARC", "Resident"];
            let keep = match kind {
                // Old-format certificates share their shape with e-invoice numbers: in precision
                // a cue (before or after) is required; in recall a decoy word must not be near.
                PiiKind::TwArcOld if self.policy == Policy::Precision => cued(&arc_words) && !cued(&DECOYS),
                PiiKind::TwArcOld => cued(&arc_words) || !cued(&DECOYS),
                _ => cued(&id_words) || !cued(&DECOYS),
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
            if !isolated(t, m.start(), m.end(), plus_or_digit)
                || in_longer_number(t, m.start(), m.end())
                || !self.landline_ok(m.as_str())
            {
                continue;
            }
            // `(02-2345-6789)`: the bracket opens a note, not the area code; it stays in the text.
            let start =
                if m.as_str().starts_with('(') && !m.as_str().contains(')') { m.start() + 1 } else { m.start() };
            let end = self.extension.find(&t[m.end()..]).map_or(m.end(), |e| m.end() + e.end());
            found.push((start, end, PiiKind::TwLandline));
        }
    }

    /// A landline: trunk 0 (or +886) + an area code + a subscriber number of that area's
    /// length, or a national number in libphonenumber's fixed-line plan.
    fn landline_ok(&self, s: &str) -> bool {
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let national = match digits.strip_prefix("886") {
            Some(rest) if s.contains("886") && (s.starts_with('+') || s.starts_with("886")) => {
                rest.trim_start_matches('0')
            }
            _ => match digits.strip_prefix('0') {
                Some(rest) => rest,
                None => return false,
            },
        };
        area_lengths_ok(national) || self.fixed_line.is_match(national)
    }

    /// E-mail addresses, internationalised too: a local part in any Latin letters
    /// (`josé@…`), or in Han characters (`陳小明@…`, from after the cue word before it), and a
    /// domain with Han labels (`例子.台灣`).
    fn emails(&self, t: &str, found: &mut Vec<(usize, usize, PiiKind)>) {
        if memchr::memchr(b'@', t.as_bytes()).is_none() {
            return;
        }
        for m in self.email.find_iter(t) {
            let (mut start, end) = (m.start(), m.end());
            let local = &t[start..start + t[start..end].find('@').unwrap_or(0)];
            if local.chars().all(is_han) {
                // From after the last cue word in the Han run (寄至陳小明@…, 信箱陳小明@…); single
                // characters such as 為 are given names too (林為民@…).
                let cues =
                    ["寄至", "寄到", "寄給", "寄往", "信箱", "郵件", "郵箱", "地址", "帳號", "請寄", "來信", "聯絡"];
                if let Some(cut) = cues.iter().filter_map(|c| local.rfind(c).map(|i| i + c.len())).max() {
                    start += cut;
                }
            }
            while t[start..].starts_with('.') {
                start += 1;
            }
            // systemd units (`modprobe@module.service`, `user@1005.service`) are not addresses.
            let unit = [".service", ".socket", ".target", ".timer", ".mount", ".slice", ".scope", ".device", ".path"]
                .iter()
                .any(|u| ends_with_ignore_case(&t[start..end], u));
            if !unit && t[start..end].find('@').is_some_and(|at| at > 0) {
                found.push((start, end, PiiKind::Email));
            }
        }
    }

    /// Eight digits that pass the UBN check, without a cue (recall): not part of a longer
    /// number, not a date, not after a decoy word or a phone cue, not an amount.
    fn bare_ubns(&self, t: &str, found: &mut Vec<(usize, usize, PiiKind)>) {
        for m in self.ubn_bare.find_iter(t) {
            let (start, end) = (m.start(), m.end());
            let amount = t[end..].starts_with(['元', '萬', '億', '號', '%']) || t[..start].ends_with(['$', '第']);
            let date = (m.as_str().starts_with("19") || m.as_str().starts_with("20") && m.as_str() < "2040")
                && date_ok(m.as_str());
            // A number after another kind of number word (編號, 號碼 …) is that number: a UBN with
            // its own cue was found above.
            let not_ubn =
                ["電話", "傳真", "手機", "Tel", "TEL", "Fax", "分機", "帳號", "卡號", "編號", "號碼", "代號", "代碼"];
            // A number among numbers (a table, a dump, a list of sizes) is not a lone identifier.
            let among_numbers = window(t, start, 10).bytes().any(|b| b.is_ascii_digit())
                || window_after(t, end, 10).bytes().any(|b| b.is_ascii_digit());
            let one_digit = m.as_str().bytes().all(|b| b == m.as_str().as_bytes()[0]);
            if isolated(t, start, end, |c| c.is_ascii_alphanumeric() || c == '_')
                && !in_longer_number(t, start, end)
                && !amount
                && !date
                && !among_numbers
                && !one_digit
                && checks::ubn(m.as_str().as_bytes())
                && !cued_near(t, start, end, 12, 0, &DECOYS)
                && !cued_near(t, start, end, 12, 0, &not_ubn)
            {
                found.push((start, end, PiiKind::TwUbn));
            }
        }
    }

    /// Plate-shaped values without a cue (recall), in the official forms; a standard's name
    /// (`SHA-256`, `ISO-8859`) is not a plate, nor a piece of a longer code (`CVE-2023-1234`).
    fn bare_plates(&self, t: &str, found: &mut Vec<(usize, usize, PiiKind)>) {
        if memchr::memchr(b'-', t.as_bytes()).is_none() {
            return;
        }
        let part_of_code = |c: char| c.is_ascii_alphanumeric() || "-_./#+@\\".contains(c);
        for m in self.plate_bare.find_iter(t) {
            let v = m.as_str();
            let (a, b) = v.split_once('-').unwrap_or((v, ""));
            let (letters, digits) = if a.starts_with(|c: char| c.is_ascii_digit()) { (b, a) } else { (a, b) };
            let form = matches!(
                (a.starts_with(|c: char| c.is_ascii_digit()), letters.len(), digits.len()),
                (false, 2, 4) | (false, 3, 3 | 4) | (true, 2, 4) | (true, 3, 3)
            );
            // Among English words a letter-digit code is a model or a standard (Sony CDU-535,
            // 泰語 TIS-620, CP874): a plate in running text stands among Chinese.
            let latin_word =
                |w: &str| w.as_bytes().windows(2).any(|p| p[0].is_ascii_alphabetic() && p[1].is_ascii_alphabetic());
            let among_latin = latin_word(window(t, m.start(), 6)) || latin_word(window_after(t, m.end(), 6));
            if form
                && !among_latin
                && isolated(t, m.start(), m.end(), part_of_code)
                && !NOT_PLATES.contains(&letters)
                && !cued_near(t, m.start(), m.end(), 8, 0, &DECOYS)
            {
                found.push((m.start(), m.end(), PiiKind::LicensePlate));
            }
        }
    }

    /// Values of a keyed type whose cue follows them within a few characters (recall).
    fn cued_after(
        &self,
        re: &Regex,
        t: &str,
        cues: &[&str],
        kind: PiiKind,
        found: &mut Vec<(usize, usize, PiiKind)>,
        ok: impl Fn(&str) -> bool,
    ) {
        if !cues.iter().any(|c| t.contains(c)) {
            return;
        }
        for m in re.find_iter(t) {
            if isolated(t, m.start(), m.end(), |c| c.is_ascii_alphanumeric())
                && !in_longer_number(t, m.start(), m.end())
                && cued_near(t, m.start(), m.end(), 0, 8, cues)
                && ok(m.as_str())
            {
                found.push((m.start(), m.end(), kind));
            }
        }
    }

    /// Global IPv4 and IPv6 addresses (private, loopback and documentation ranges are kept).
    fn ips(&self, t: &str, found: &mut Vec<(usize, usize, PiiKind)>) {
        for m in self.ipv4.find_iter(t) {
            let after = &t[m.end()..];
            let versionish = after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit());
            let before = window(t, m.start(), 8).to_ascii_lowercase();
            let version_cue = ["版本", "version", "ver", "v"].iter().any(|w| before.trim_end().ends_with(w));
            // A section number (第 6.2.4.3 節) or a small dotted version (2.6.22.16, 3.9.9.12)
            // without an address word near it.
            let octets: Vec<u32> = m.as_str().split('.').filter_map(|o| o.parse().ok()).collect();
            let section = (before.trim_end().ends_with('第') && octets.iter().all(|&o| o < 100))
                || window_after(t, m.end(), 3).trim_start().starts_with(['節', '章']);
            let small = octets.first().is_some_and(|&o| o < 10) && octets.iter().all(|&o| o < 30);
            let address_cue =
                || cued_near(t, m.start(), m.end(), 12, 4, &["IP", "ip", "位址", "地址", "主機", "host", "來源"]);
            if isolated(t, m.start(), m.end(), |c| c.is_ascii_digit() || c == '.')
                && !versionish
                && !version_cue
                && !section
                && (!small || address_cue())
                && m.as_str().parse::<Ipv4Addr>().is_ok_and(global_v4)
            {
                found.push((m.start(), m.end(), PiiKind::Ipv4));
            }
        }
        if memchr::memchr(b':', t.as_bytes()).is_none() {
            return;
        }
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        for m in self.ipv6.find_iter(t) {
            // The candidate may have taken in what stands before the address (`IPv6:2001:…`,
            // `位址：2001:…`, `IPv62001:…`): trim from the left until it parses.
            // Cuts are made only after a colon (or after the 6 of `IPv6`), and the first form
            // that parses decides: a private address (fd50:8325::1) must not be trimmed into a
            // global one (d50:8325::1).
            let s = m.as_str();
            let ipv6_word = ends_with_ignore_case(&t[..m.start()], "ipv") && s.starts_with('6');
            let cut =
                |k: usize| (k == 0 && !ipv6_word) || (k > 0 && s.as_bytes()[k - 1] == b':') || (k == 1 && ipv6_word);
            let parsed = (0..=s.len().min(5)).filter(|&k| cut(k)).find_map(|k| {
                // An address may end in `::` (2001:b011::); a colon after it is punctuation.
                [&s[k..], s[k..].trim_end_matches(':')].into_iter().find_map(|rest| {
                    let ip = rest.parse::<Ipv6Addr>().ok().filter(|_| v6_shaped(rest))?;
                    Some((k, rest.len(), ip))
                })
            });
            if let Some((k, len, _)) = parsed.filter(|(_, _, ip)| global_v6(*ip)) {
                let start = m.start() + k;
                // A namespace (`Math::Complex`, `de::CN`, `::banana`) is a word on either side;
                // `IPv6` glued before an address is its label.
                let before_ok =
                    ends_with_ignore_case(&t[..start], "ipv6") || !t[..start].chars().next_back().is_some_and(word);
                // After an address of three groups or more a letter is the next word, glued
                // (`…:1dd5nfs`); after two (`de::C|N`) it is the rest of a name.
                let groups = t[start..start + len].split(':').filter(|g| !g.is_empty()).count();
                if before_ok && (groups >= 3 || !t[start + len..].starts_with(word)) {
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

fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len() && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// The (at most) `chars` characters before byte `at`.
fn window(t: &str, at: usize, chars: usize) -> &str {
    if chars == 0 {
        return "";
    }
    let start = t[..at].char_indices().rev().nth(chars - 1).map_or(0, |(i, _)| i);
    &t[start..at]
}

/// A national number (no trunk 0) as an area code + a subscriber number of that area's length.
fn area_lengths_ok(national: &str) -> bool {
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

/// Whether a string that parses as IPv6 is written as an address is: three groups or more, or
/// a /32 prefix (`2400:cb00::`); not a namespace path (`B::CC`, `a::b`), a netstat port column
/// (`::1:25`; only `::ffff:` mapped forms may begin with `::`), nor bytes in colons (a MAC,
/// a DUID: every group two digits).
fn v6_shaped(s: &str) -> bool {
    let groups: Vec<&str> = s.split(':').filter(|g| !g.is_empty()).collect();
    let prefix32 = groups.len() == 2 && groups[0].len() == 4 && matches!(groups[0].as_bytes()[0], b'2' | b'3');
    let bytes = groups.len() >= 6 && groups.iter().all(|g| g.len() == 2);
    let leading = s.starts_with("::") && !s.to_ascii_lowercase().starts_with("::ffff:");
    s.matches(':').count() >= 2 && (groups.len() >= 3 || prefix32) && !bytes && !leading
}

fn global_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
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
        || (s[0] & 0xff00) == 0xff00
        || (s[0] == 0x2001 && s[1] == 0x0db8))
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

/// Sorts, merges overlaps into their union (the kind of the longer span, then the earlier
/// kind: two detectors that each took part of a value must not leave the rest of it), and
/// converts byte offsets to character offsets.
fn resolve(t: &str, mut found: Vec<(usize, usize, PiiKind)>) -> Vec<PiiSpan> {
    found.sort_by(|a, b| a.0.cmp(&b.0).then((b.1 - b.0).cmp(&(a.1 - a.0))).then(a.2.cmp(&b.2)));
    let mut kept: Vec<(usize, usize, PiiKind)> = Vec::with_capacity(found.len());
    for f in found {
        match kept.last_mut() {
            Some(last) if f.0 < last.1 => {
                if f.1 - f.0 > last.1 - last.0 {
                    last.2 = f.2;
                }
                last.1 = last.1.max(f.1);
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

    fn precise(text: &str) -> Vec<(PiiKind, String)> {
        let d = Detectors::with_policy(false, Policy::Precision);
        d.detect(text)
            .into_iter()
            .map(|s| (s.kind, text.chars().skip(s.start).take(s.end - s.start).collect()))
            .collect()
    }

    fn one(text: &str, kind: PiiKind, value: &str) {
        assert_eq!(kinds(text), [(kind, value.to_string())], "{text}");
    }

    /// Issue #16, "context only on one side, and narrow cue lists".
    #[test]
    fn cues_after_and_near_synonyms() {
        // An old-format ARC: its cue after it, or 證號 before it; without any cue only in recall.
        let arc = "AC01234567";
        assert!(checks::old_arc(arc.as_bytes()), "fixture must pass its check digit");
        one(&format!("號碼 {arc} 為其居留證"), PiiKind::TwArcOld, arc);
        assert_eq!(precise(&format!("號碼 {arc} 為其居留證")), [(PiiKind::TwArcOld, arc.to_string())]);
        assert_eq!(precise(&format!("證號{arc}")), [(PiiKind::TwArcOld, arc.to_string())]);
        assert!(precise(&format!("編號{arc}")).is_empty(), "precision needs a cue");
        one(&format!("編號{arc}"), PiiKind::TwArcOld, arc);
        assert!(kinds(&format!("發票號碼{arc}")).is_empty(), "a decoy word wins in recall too");
        one("健保卡（卡號）0000 1234 5678", PiiKind::TwNhiCard, "0000 1234 5678");
        one("0000 1234 5678（健保卡號）", PiiKind::TwNhiCard, "0000 1234 5678");
        one("312345678 為其護照號碼", PiiKind::Passport, "312345678");
        one("自用小客車ABC-1235違規", PiiKind::LicensePlate, "ABC-1235");
        // A UBN without its cue (recall only), but not a date, an amount or a number in a table.
        one("由本公司04595252辦理", PiiKind::TwUbn, "04595252");
        assert!(precise("由本公司04595252辦理").is_empty());
        assert!(kinds("金額04595252元").is_empty());
        assert!(kinds("Mem: 04595252 59102").is_empty());
    }

    /// Issue #16, "formats not covered" and "partial spans".
    #[test]
    fn formats_and_whole_spans() {
        one("出生日期：民國一百零五年三月二日", PiiKind::DateOfBirth, "民國一百零五年三月二日");
        one("生日：112.03.23", PiiKind::DateOfBirth, "112.03.23");
        one("出生年月日1050302", PiiKind::DateOfBirth, "1050302");
        one("他1995/03/28生於台北", PiiKind::DateOfBirth, "1995/03/28");
        assert!(kinds("自中華民國九十八年一月一日生效").is_empty());
        one("位址 2001:b011:e99d::", PiiKind::Ipv6, "2001:b011:e99d::");
        one("IPv62400:cb00:2048:1::c629:d7a2", PiiKind::Ipv6, "2400:cb00:2048:1::c629:d7a2");
        for plate in ["1234-AB", "AB-1234", "ABC-123", "123-ABC", "ABC-1234"] {
            one(&format!("違規車輛為{plate}，"), PiiKind::LicensePlate, plate);
            one(&format!("於路口{plate}違停"), PiiKind::LicensePlate, plate);
        }
        for card in ["6011000990139424", "6445644564456445", "6759649826438453", "180000000000002", "213100000000001"] {
            assert!(checks::card(card.as_bytes()), "{card}");
            one(&format!("卡號{card}"), PiiKind::CreditCard, card);
        }
        one("手機(09) 12345678", PiiKind::TwMobile, "(09) 12345678");
        one("手機09-12345678", PiiKind::TwMobile, "09-12345678");
        one("電話（02-2345-6789）", PiiKind::TwLandline, "02-2345-6789");
        one("電話 02 4083374", PiiKind::TwLandline, "02 4083374");
        one("信箱：陳小明@example.com", PiiKind::Email, "陳小明@example.com");
        one("請寄至josé.garcía@correo.es", PiiKind::Email, "josé.garcía@correo.es");
        one("寄到用戶@例子.台灣即可", PiiKind::Email, "用戶@例子.台灣");
        // 為 is a given name here, not a cue; and no detector may leave a piece of a value.
        let d = Detectors::new(true);
        let text = "信箱林為民@example.com";
        assert_eq!(super::super::redact(text, &d.detect(text), "|||{type}|||"), "信箱|||EMAIL_ADDRESS|||");
        one("來源IPv6：2401:E180:7D45:1F4E::89B8。", PiiKind::Ipv6, "2401:E180:7D45:1F4E::89B8");
        assert!(kinds("擬辦型號VHW-1718之名稱").is_empty());
        assert!(kinds("掛號號碼37770645。").is_empty());
        one("住址：台北縣板橋市中山路一段100號之4", PiiKind::TwAddress, "台北縣板橋市中山路一段100號之4");
        one("寄到 950 梅山市華興路3段9號之0。", PiiKind::TwAddress, "950 梅山市華興路3段9號之0");
        one("地址：南投市大橋頭巷59號6樓", PiiKind::TwAddress, "南投市大橋頭巷59號6樓");
        assert!(kinds("自100年度起中山路1號").is_empty(), "a count, not a postal code");
    }

    /// Issue #16, "false positives on technical text".
    #[test]
    fn code_and_commands_are_left_alone() {
        for text in [
            "use Math::Complex;",
            "::http::cleanup $token",
            "locale de::CN",
            "::banana",
            "perlcc 和 B::CC 模組",
            "tcp6 0 0 ::1:25 :::* LISTEN",
            "duid \"f9:2a:c2:77:29:f9:5c:00\"",
            "x = 0.389178240740741;",
            "ISBN 978-957-08-1234-5",
            "見 第 6.2.4.3 節",
            "核心 2.6.22.16 版",
            "systemctl start modprobe@module.service",
            "加密演算法 SHA-256 與 ISO-8859 編碼",
            "Sony CDU-535 光碟機",
            "0005b000 rwx-p 00000000 00:00 0",
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }

    /// The last digit that makes `body` + digit valid, if one does.
    fn check_digit(body: &str, valid: impl Fn(&[u8]) -> bool) -> Option<String> {
        (0..10).map(|d| format!("{body}{d}")).find(|v| valid(v.as_bytes()))
    }

    /// A value of each kind, in one of its written forms, and the cue written before it.
    fn planted(kind: u8, digits: &str, form: u8) -> Option<(&'static str, String)> {
        let d = |i: usize, n: usize| &digits[i..i + n];
        Some(match kind {
            0 => (
                "身分證字號",
                check_digit(
                    &format!("{}{}{}", (b'A' + form % 26) as char, 1 + form % 2, d(0, 7)),
                    checks::national_id_or_new_arc,
                )?,
            ),
            1 => ("統一編號", check_digit(d(0, 7), checks::ubn)?),
            2 => {
                let card = check_digit(&format!("4{}", d(0, 14)), checks::luhn)?;
                let spaced = format!("{} {} {} {}", &card[..4], &card[4..8], &card[8..12], &card[12..]);
                ("卡號", if form.is_multiple_of(2) { card } else { spaced })
            }
            3 => (
                "手機",
                match form % 3 {
                    0 => format!("09{}{}", form % 9, d(0, 7)),
                    1 => format!("09{}{}-{}-{}", form % 9, d(0, 1), d(1, 3), d(4, 3)),
                    _ => format!("+886 9{}{} {} {}", form % 9, d(0, 1), d(1, 3), d(4, 3)),
                },
            ),
            4 => ("電話", format!("(02){}{}-{}", 2 + form % 7, d(0, 3), d(3, 4))),
            5 => ("IP", format!("{}.{}.{}.{}", 11 + form % 89, d(0, 2), d(2, 2), d(4, 2)).replace(".0", ".1")),
            6 => ("信箱", format!("u{}.x@mail{}.com.tw", d(0, 3), d(3, 2))),
            7 => (
                "出生日期",
                format!("民國{}年{}月{}日", 1 + form % 113, 1 + form % 12, 1 + d(0, 1).parse::<u8>().ok()?),
            ),
            _ => ("", format!("{}-{}", ["ABC", "KLM", "RTY"][form as usize % 3], d(0, 4).replace('4', "5"))),
        })
    }

    proptest::proptest! {
        /// Issue #16: a span covers the whole value and never a neighbouring character, in any
        /// Han context: the redacted text is exactly the context with one placeholder.
        #[test]
        fn spans_cover_the_whole_value_and_nothing_more(
            kind in 0u8..9,
            digits in "[0-9]{16}",
            form in 0u8..=255,
            before in "[\\p{Han}]{0,6}",
            after in "[\\p{Han}]{0,6}",
            sep in "(：| |)",
        ) {
            let Some((cue, value)) = planted(kind, &digits, form) else { return Ok(()) };
            let d = Detectors::new(false);
            let text = format!("{before}，{cue}{sep}{value}。{after}");
            let spans = d.detect(&text);
            let redacted = super::super::redact(&text, &spans, "|||{type}|||");
            let family = spans.first().map_or("none", |s| s.kind.family());
            proptest::prop_assert_eq!(spans.len(), 1, "{} in {}", value, text);
            proptest::prop_assert_eq!(redacted, format!("{before}，{cue}{sep}|||{family}|||。{after}"));
        }
    }

    #[test]
    fn numbers_and_dates() {
        assert_eq!(number("八十五"), Some(85));
        assert_eq!(number("十二"), Some(12));
        assert_eq!(number("一〇五"), Some(105));
        assert!(date_ok("0850302") && date_ok("850302") && !date_ok("851332"));
    }
}
