//! `contribution.toml`: what a contributor declares about their data.
//!
//! The contract is `schemas/contribution.schema.json`; this parser enforces the same rules and
//! reports each problem with the manifest's line and key.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};

use crate::batch::Tier;
use crate::error::{Location, line_of};
use crate::i18n::{Lang, Msg};

/// The manifest's file name inside a contribution directory.
pub const MANIFEST_FILE: &str = "contribution.toml";

/// Whether a contribution may be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Public data under a public licence.
    Public,
    /// Given under a contribution agreement; restricted to training.
    Private,
}

impl Visibility {
    /// The output tier documents of this visibility start in.
    pub fn tier(self) -> Tier {
        match self {
            Visibility::Public => Tier::Public,
            Visibility::Private => Tier::Restricted,
        }
    }
}

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        let date = Date { year: y.parse().ok()?, month: m.parse().ok()?, day: d.parse().ok()? };
        ((1..=12).contains(&date.month) && (1..=31).contains(&date.day) && y.len() == 4).then_some(date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The agreement a private contribution was given under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agreement {
    /// The agreement's id, e.g. `SAITD-2026-0042`.
    pub id: String,
    /// When it was signed.
    pub signed: Date,
    /// When it ends, if it does.
    pub expires: Option<Date>,
}

/// One `files` entry and the manifest line it is on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilePattern {
    /// The glob, relative to the contribution directory.
    pub pattern: String,
    /// Its line in `contribution.toml`.
    pub line: u64,
}

/// A parsed and checked `contribution.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Manifest {
    /// Unique contribution id, `[a-z0-9-]`.
    pub id: String,
    /// Human title.
    pub title: String,
    /// Who contributed it.
    pub contributor: String,
    /// Licence expression over registry ids.
    pub licence: String,
    /// Public or private.
    pub visibility: Visibility,
    /// The attribution text the licence requires.
    pub attribution: String,
    /// BCP-47 language tag.
    pub language: String,
    /// Data file globs.
    pub files: Vec<FilePattern>,
    /// The JSONL key / Parquet column holding the text.
    pub text_field: String,
    /// The JSONL key / Parquet column holding the record id, if any.
    pub id_field: Option<String>,
    /// Required for private contributions.
    pub agreement: Option<Agreement>,
}

/// One problem found in a manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestProblem {
    /// Where: `contribution.toml`, line, key.
    pub location: Location,
    /// Stable English code, e.g. `manifest_unknown_key`.
    pub code: &'static str,
    /// The message, in any language (with its `.hint`).
    pub msg: Msg,
    /// The message in English (ledger details, logs).
    pub message: String,
}

impl ManifestProblem {
    /// A problem from a message of the catalogues.
    pub fn new(location: Location, code: &'static str, msg: Msg) -> Self {
        let message = msg.text(Lang::En);
        Self { location, code, msg, message }
    }
}

impl fmt::Display for ManifestProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// The keys of a manifest, with the type each must have, whether it is required, and an
/// example line for the hint of a missing one.
const KEYS: [(&str, Kind, bool, &str); 11] = [
    ("id", Kind::Text, true, "id = \"moj-laws-2024\""),
    ("title", Kind::Text, true, "title = \"全國法規資料庫 2024\""),
    ("contributor", Kind::Text, true, "contributor = \"法務部\""),
    ("licence", Kind::Text, true, "licence = \"OGDL-Taiwan-1.0\""),
    ("visibility", Kind::Text, true, "visibility = \"public\""),
    ("attribution", Kind::Text, true, "attribution = \"法務部 全國法規資料庫\""),
    ("language", Kind::Text, true, "language = \"zh-Hant\""),
    ("files", Kind::TextList, true, "files = [\"data/*.jsonl\"]"),
    ("text_field", Kind::Text, false, "text_field = \"text\""),
    ("id_field", Kind::Text, false, "id_field = \"id\""),
    ("agreement", Kind::Table, false, "[agreement]"),
];

/// The keys of `[agreement]`.
const AGREEMENT_KEYS: [(&str, Kind, bool, &str); 3] = [
    ("id", Kind::Text, true, "id = \"SAITD-2026-0042\""),
    ("signed", Kind::Date, true, "signed = 2026-03-01"),
    ("expires", Kind::Date, false, "expires = 2028-12-31"),
];

/// The type a key's value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    TextList,
    Table,
    Date,
}

impl Kind {
    fn msg_id(self) -> &'static str {
        match self {
            Kind::Text => "type-text",
            Kind::TextList => "type-text-list",
            Kind::Table => "type-table",
            Kind::Date => "type-date",
        }
    }
}

fn kind_of(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "type-text",
        DeValue::Integer(_) | DeValue::Float(_) => "type-number",
        DeValue::Boolean(_) => "type-boolean",
        DeValue::Datetime(_) => "type-date",
        DeValue::Array(_) => "type-list",
        DeValue::Table(_) => "type-table",
    }
}

/// Full-width and typographic characters that word processors and Chinese input methods put
/// where TOML needs ASCII, with the ASCII they stand for.
const LOOKALIKES: [(char, &str); 10] = [
    ('“', "\""),
    ('”', "\""),
    ('‘', "'"),
    ('’', "'"),
    ('＂', "\""),
    ('＝', "="),
    ('［', "["),
    ('］', "]"),
    ('，', ","),
    ('　', " "),
];

/// Whether `id` is a valid contribution id: 1–64 of `[a-z0-9-]`, not starting with `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('-')
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A valid id made from `id` (lower case, `_`, spaces and dots to `-`, other characters
/// dropped), if one remains: the suggestion for a bad id.
pub fn suggest_id(id: &str) -> Option<String> {
    let mut out = String::new();
    for c in id.trim().chars() {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            '-' | '_' | ' ' | '.' if !out.is_empty() && !out.ends_with('-') => out.push('-'),
            _ => {}
        }
    }
    let out: String = out.trim_end_matches('-').chars().take(64).collect();
    (is_valid_id(&out) && out != id).then_some(out)
}

/// Parses and checks a manifest. `file` is only used in locations. Returns every problem found
/// in one pass: every syntax error the TOML parser can recover from, and every key that is
/// unknown, missing, of the wrong type or invalid.
pub fn parse(file: &Path, src: &str) -> Result<Manifest, Vec<ManifestProblem>> {
    let (parts, problems) = parse_lenient(file, src);
    match parts.complete() {
        Some(m) if problems.is_empty() => Ok(m),
        _ => Err(problems),
    }
}

/// Every problem, and whatever could be read despite them: `corpus validate` goes on to the
/// licence and the files of a manifest with a misspelt key.
pub fn parse_lenient(file: &Path, src: &str) -> (Parts, Vec<ManifestProblem>) {
    let mut c = Checker { file, src, problems: Vec::new() };
    let (table, errors) = DeTable::parse_recoverable(src);
    for e in &errors {
        c.syntax(e);
    }
    let table = table.into_inner();
    let parts = c.manifest(&table);
    c.problems.sort_by_key(|p| p.location.line.unwrap_or(u64::MAX));
    (parts, c.problems)
}

/// The keys of a manifest that could be read, each `None` when it is missing or invalid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parts {
    /// `id`, when valid.
    pub id: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `contributor`.
    pub contributor: Option<String>,
    /// `licence`.
    pub licence: Option<String>,
    /// `visibility`.
    pub visibility: Option<Visibility>,
    /// `attribution`.
    pub attribution: Option<String>,
    /// `language`.
    pub language: Option<String>,
    /// `files`.
    pub files: Option<Vec<FilePattern>>,
    /// `text_field` (default `text`).
    pub text_field: String,
    /// `id_field`.
    pub id_field: Option<String>,
    /// `[agreement]`, when complete.
    pub agreement: Option<Agreement>,
}

impl Parts {
    /// The manifest, when every required key could be read.
    pub fn complete(self) -> Option<Manifest> {
        Some(Manifest {
            id: self.id?,
            title: self.title?,
            contributor: self.contributor?,
            licence: self.licence?,
            visibility: self.visibility?,
            attribution: self.attribution?,
            language: self.language?,
            files: self.files?,
            text_field: self.text_field,
            id_field: self.id_field,
            agreement: self.agreement,
        })
    }

    /// A manifest to read the files with, when `files` could be read: missing keys become
    /// empty, a missing id `fallback_id`, a missing visibility `private` (the stricter).
    pub fn for_files(&self, fallback_id: &str) -> Option<Manifest> {
        Some(Manifest {
            id: self.id.clone().unwrap_or_else(|| fallback_id.to_string()),
            title: self.title.clone().unwrap_or_default(),
            contributor: self.contributor.clone().unwrap_or_default(),
            licence: self.licence.clone().unwrap_or_default(),
            visibility: self.visibility.unwrap_or(Visibility::Private),
            attribution: self.attribution.clone().unwrap_or_default(),
            language: self.language.clone().unwrap_or_default(),
            files: self.files.clone()?,
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            agreement: self.agreement.clone(),
        })
    }
}

struct Checker<'a> {
    file: &'a Path,
    src: &'a str,
    problems: Vec<ManifestProblem>,
}

impl Checker<'_> {
    fn at(&self, span: std::ops::Range<usize>, field: &str) -> Location {
        Location::file(self.file).with_line(line_of(self.src, span.start)).with_field(field)
    }

    fn push(&mut self, location: Location, code: &'static str, msg: Msg) {
        self.problems.push(ManifestProblem::new(location, code, msg));
    }

    fn syntax(&mut self, e: &toml::de::Error) {
        let start = e.span().map_or(0, |s| s.start.min(self.src.len()));
        let line_no = line_of(self.src, start);
        let line = self.src.lines().nth(line_no as usize - 1).unwrap_or("");
        let location = Location::file(self.file).with_line(line_no);
        if self.problems.iter().any(|p| p.location.line == Some(line_no)) {
            return; // one problem per line: the parser's later errors on it follow from the first
        }
        if let Some((c, ascii)) = LOOKALIKES.iter().find(|(c, _)| line.contains(*c)) {
            let msg = Msg::new("manifest-lookalike").arg("char", c.to_string()).arg("ascii", *ascii);
            return self.push(location, "manifest_fullwidth_punctuation", msg);
        }
        let detail = e.message().trim().lines().next().unwrap_or("").to_string();
        let id = if detail.contains("quoted") { "manifest-unquoted" } else { "manifest-syntax" };
        self.push(location, "manifest_syntax", Msg::new(id).arg("detail", detail));
    }

    /// Checks `table`'s keys against `keys`: unknown ones (with the nearest known key), missing
    /// required ones, values of the wrong type. `prefix` is `agreement.` inside `[agreement]`.
    fn keys(&mut self, table: &DeTable<'_>, keys: &[(&str, Kind, bool, &str)], prefix: &str, span: Option<u64>) {
        for (k, v) in table.iter() {
            let name = k.get_ref().as_ref();
            let location = self.at(k.span(), &format!("{prefix}{name}"));
            match keys.iter().find(|(key, ..)| *key == name) {
                None => {
                    let near = keys
                        .iter()
                        .map(|(key, ..)| (crate::validate::edit_distance(&name.to_ascii_lowercase(), key), *key))
                        .filter(|(d, _)| *d <= 2)
                        .min()
                        .map(|(_, k)| format!("{prefix}{k}"));
                    let known: Vec<String> = keys.iter().map(|(k, ..)| format!("`{k}`")).collect();
                    let msg = match near {
                        Some(near) => Msg::new("manifest-unknown-key-near").arg("near", near),
                        None => Msg::new("manifest-unknown-key").arg("known", known.join(", ")),
                    };
                    self.push(location, "manifest_unknown_key", msg.arg("key", format!("{prefix}{name}")));
                }
                Some((_, kind, ..)) => {
                    let ok = match (kind, v.get_ref()) {
                        (Kind::Text, DeValue::String(_)) | (Kind::Table, DeValue::Table(_)) => true,
                        (Kind::TextList, DeValue::Array(items)) => {
                            items.iter().all(|i| matches!(i.get_ref(), DeValue::String(_)))
                        }
                        (Kind::Date, DeValue::Datetime(_)) => true,
                        (Kind::Date, DeValue::String(s)) if Date::parse(s.trim()).is_some() => {
                            let msg = Msg::new("manifest-quoted-date")
                                .arg("key", format!("{prefix}{name}"))
                                .arg("value", s.trim().to_string());
                            self.push(self.at(v.span(), &format!("{prefix}{name}")), "manifest_quoted_date", msg);
                            continue;
                        }
                        _ => false,
                    };
                    if !ok {
                        let msg = Msg::new("manifest-wrong-type")
                            .arg("key", format!("{prefix}{name}"))
                            .arg("expected_id", kind.msg_id())
                            .arg("found_id", kind_of(v.get_ref()));
                        self.push(self.at(v.span(), &format!("{prefix}{name}")), "manifest_wrong_type", msg);
                    }
                }
            }
        }
        for (key, _, required, example) in keys {
            if *required && !table.contains_key(*key) {
                let mut location = Location::file(self.file).with_field(format!("{prefix}{key}"));
                location.line = span;
                let msg =
                    Msg::new("manifest-missing-key").arg("key", format!("{prefix}{key}")).arg("example", *example);
                self.push(location, "manifest_missing_key", msg);
            }
        }
    }

    /// A text value, if `key` holds one; empty text is a problem.
    fn text(&mut self, table: &DeTable<'_>, key: &str, prefix: &str) -> Option<String> {
        let v = table.get(key)?;
        let DeValue::String(s) = v.get_ref() else { return None };
        if s.trim().is_empty() {
            let field = format!("{prefix}{key}");
            self.push(
                self.at(v.span(), &field),
                "manifest_empty",
                Msg::new("manifest-empty").arg("key", field.clone()),
            );
        }
        Some(s.to_string())
    }

    fn date(&mut self, table: &DeTable<'_>, key: &str) -> Option<(Date, std::ops::Range<usize>)> {
        let v = table.get(key)?;
        let DeValue::Datetime(d) = v.get_ref() else { return None };
        match to_date(d) {
            Some(date) => Some((date, v.span())),
            None => {
                let field = format!("agreement.{key}");
                let msg = Msg::new("manifest-bad-date").arg("key", field.clone()).arg("value", d.to_string());
                self.push(self.at(v.span(), &field), "manifest_bad_date", msg);
                None
            }
        }
    }

    fn manifest(&mut self, table: &DeTable<'_>) -> Parts {
        self.keys(table, &KEYS, "", None);
        let id = self.text(table, "id", "");
        if let (Some(id), Some(v)) = (&id, table.get("id"))
            && !id.trim().is_empty()
            && !is_valid_id(id)
        {
            let msg = match suggest_id(id) {
                Some(s) => Msg::new("manifest-bad-id-suggest").arg("suggestion", s),
                None => Msg::new("manifest-bad-id"),
            };
            self.push(self.at(v.span(), "id"), "manifest_bad_id", msg.arg("id", id.clone()));
        }
        let title = self.text(table, "title", "");
        let contributor = self.text(table, "contributor", "");
        let licence = self.text(table, "licence", "");
        let attribution = self.text(table, "attribution", "");
        let language = self.text(table, "language", "");
        let text_field = self.text(table, "text_field", "");
        let id_field = self.text(table, "id_field", "");
        let visibility = match (self.text(table, "visibility", ""), table.get("visibility")) {
            (Some(v), _) if v == "public" => Some(Visibility::Public),
            (Some(v), _) if v == "private" => Some(Visibility::Private),
            (Some(v), Some(span)) => {
                let msg = Msg::new("manifest-bad-visibility").arg("value", v);
                self.push(self.at(span.span(), "visibility"), "manifest_bad_visibility", msg);
                None
            }
            _ => None,
        };
        let files: Option<Vec<FilePattern>> = match table.get("files").map(|v| (v.span(), v.get_ref())) {
            Some((span, DeValue::Array(items))) => {
                let files: Vec<FilePattern> = items
                    .iter()
                    .filter_map(|i| match i.get_ref() {
                        DeValue::String(s) => {
                            Some(FilePattern { pattern: s.to_string(), line: line_of(self.src, i.span().start) })
                        }
                        _ => None,
                    })
                    .collect();
                if items.is_empty() {
                    self.push(self.at(span, "files"), "manifest_no_files", Msg::new("manifest-no-files"));
                }
                Some(files)
            }
            _ => None,
        };
        let mut agreement = None;
        match table.get("agreement").map(|v| (v.span(), v.get_ref())) {
            Some((span, DeValue::Table(a))) => {
                let line = line_of(self.src, span.start);
                self.keys(a, &AGREEMENT_KEYS, "agreement.", Some(line));
                let aid = self.text(a, "id", "agreement.");
                let signed = self.date(a, "signed");
                let expires = self.date(a, "expires");
                if let (Some((s, _)), Some((e, espan))) = (&signed, &expires)
                    && e < s
                {
                    let msg = Msg::new("manifest-expires-before-signed")
                        .arg("expires", e.to_string())
                        .arg("signed", s.to_string());
                    self.push(self.at(espan.clone(), "agreement.expires"), "manifest_expires_before_signed", msg);
                }
                if let (Some(id), Some((signed, _))) = (aid, signed) {
                    agreement = Some(Agreement { id, signed, expires: expires.map(|(e, _)| e) });
                }
            }
            Some(_) => {}
            None if visibility == Some(Visibility::Private) => {
                let location = Location::file(self.file).with_field("agreement");
                self.push(location, "manifest_needs_agreement", Msg::new("manifest-needs-agreement"));
            }
            None => {}
        }
        let valid_id = id.filter(|i| is_valid_id(i));
        Parts {
            id: valid_id,
            title,
            contributor,
            licence,
            visibility,
            attribution,
            language,
            files,
            text_field: text_field.unwrap_or_else(|| "text".to_string()),
            id_field,
            agreement,
        }
    }
}

fn to_date(d: &toml::value::Datetime) -> Option<Date> {
    match (d.date, d.time, d.offset) {
        (Some(date), None, None) => Some(Date { year: date.year, month: date.month, day: date.day }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
id = "moj-laws-2024"
title = "全國法規資料庫 2024"
contributor = "法務部"
licence = "OGDL-Taiwan-1.0"
visibility = "public"
attribution = "法務部 全國法規資料庫"
language = "zh-Hant"
files = ["data/*.jsonl.zst"]
id_field = "id"
"#;

    fn problems(src: &str) -> Vec<ManifestProblem> {
        parse(Path::new("contribution.toml"), src).err().unwrap_or_default()
    }

    #[test]
    fn parses_a_good_manifest_with_defaults() {
        let m = parse(Path::new("contribution.toml"), GOOD).unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(m.id, "moj-laws-2024");
        assert_eq!(m.text_field, "text");
        assert_eq!(m.files, vec![FilePattern { pattern: "data/*.jsonl.zst".into(), line: 9 }]);
        assert_eq!(m.visibility.tier(), Tier::Public);
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let p = problems(&format!("{GOOD}licnse = \"x\"\n"));
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].location.line, Some(11));
        assert_eq!(p[0].location.field.as_deref(), Some("licnse"));
    }

    #[test]
    fn private_needs_an_agreement_and_dates_must_be_dates() {
        let private = GOOD.replace("\"public\"", "\"private\"");
        let p = problems(&private);
        assert_eq!(p[0].location.field.as_deref(), Some("agreement"));
        let with = format!("{private}[agreement]\nid = \"A-1\"\nsigned = 2026-03-01\nexpires = 2025-01-01\n");
        assert_eq!(problems(&with)[0].location.field.as_deref(), Some("agreement.expires"));
        let ok = format!("{private}[agreement]\nid = \"A-1\"\nsigned = 2026-03-01\n");
        let m = parse(Path::new("c.toml"), &ok).unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(m.agreement.map(|a| a.signed.to_string()), Some("2026-03-01".to_string()));
        let timed = format!("{private}[agreement]\nid = \"A-1\"\nsigned = 2026-03-01T10:00:00Z\n");
        assert_eq!(problems(&timed)[0].location.line, Some(13));
    }

    #[test]
    fn bad_id_and_empty_fields_are_all_reported() {
        let src = GOOD.replace("moj-laws-2024", "Bad_Id").replace("\"法務部\"", "\" \"");
        let p = problems(&src);
        let fields: Vec<_> = p.iter().filter_map(|p| p.location.field.clone()).collect();
        assert_eq!(fields, vec!["id".to_string(), "contributor".to_string()]);
    }

    #[test]
    fn every_problem_in_one_pass() {
        // Four mistakes of issue 19: a misspelt key, a missing one, a quoted date, an empty title.
        let src = GOOD.replace("licence = ", "licnse = ").replace("title = \"全國法規資料庫 2024\"", "title = \" \"");
        let src = format!("{src}[agreement]\nid = \"A-1\"\nsigned = \"2026-03-01\"\n");
        let p = problems(&src);
        let codes: Vec<&str> = p.iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            ["manifest_empty", "manifest_unknown_key", "manifest_quoted_date", "manifest_missing_key"],
            "{p:#?}"
        );
        assert!(p[1].message.contains("`licence`"), "{}", p[1].message);
        assert_eq!(p[1].location.line, Some(5));
    }

    #[test]
    fn full_width_quotes_and_bare_words_get_their_own_messages() {
        let p = problems(&GOOD.replace("\"法務部\"", "“法務部”"));
        assert_eq!(p[0].code, "manifest_fullwidth_punctuation");
        assert!(p[0].message.contains('“'), "{}", p[0].message);
        assert_eq!(p[0].location.line, Some(4));
        let p = problems(&GOOD.replace("\"法務部\"", "法務部"));
        assert_eq!(p[0].code, "manifest_syntax");
        assert_eq!(p[0].location.line, Some(4));
        // A syntax error does not hide the other problems.
        let p = problems(&format!("{}\nlicnse = \"x\"\n", GOOD.replace("\"法務部\"", "“法務部”")));
        assert!(p.iter().any(|p| p.code == "manifest_unknown_key"), "{p:#?}");
    }

    #[test]
    fn bad_ids_get_a_suggestion() {
        assert_eq!(suggest_id("MOJ_Laws 2024").as_deref(), Some("moj-laws-2024"));
        assert_eq!(suggest_id("法規"), None);
        let p = problems(&GOOD.replace("moj-laws-2024", "MOJ_Laws"));
        let hint = p[0].msg.hint(Lang::En).unwrap_or_default();
        assert!(hint.contains("id = \"moj-laws\""), "{hint}");
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("a-1"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id("A"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id(&"a".repeat(65)));
    }

    /// `schemas/contribution.schema.json` is the contract: it and this parser must know the
    /// same keys and require the same ones.
    #[test]
    fn the_json_schema_and_the_parser_agree() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/contribution.schema.json");
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_default()).unwrap_or_default();
        let keys = |v: &serde_json::Value| -> Vec<String> {
            let mut k: Vec<String> =
                v["properties"].as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
            k.sort();
            k
        };
        let required = |v: &serde_json::Value| -> Vec<String> {
            v["required"].as_array().into_iter().flatten().filter_map(|x| x.as_str().map(str::to_string)).collect()
        };
        let private = format!(
            "{}[agreement]\nid = \"A-1\"\nsigned = 2026-03-01\nexpires = 2027-01-01\n",
            GOOD.replace("\"public\"", "\"private\"")
        );
        let full = private.replace("id_field = \"id\"", "id_field = \"id\"\ntext_field = \"body\"");
        assert!(parse(Path::new("c.toml"), &full).is_ok(), "a manifest using every key parses");
        let top: Vec<String> = full
            .lines()
            .take_while(|l| !l.starts_with('['))
            .filter_map(|l| l.split_once(" = "))
            .map(|(k, _)| k.to_string())
            .collect();
        let mut parser_keys = top.clone();
        parser_keys.push("agreement".to_string());
        parser_keys.sort();
        assert_eq!(keys(&schema), parser_keys, "top-level keys");
        assert_eq!(keys(&schema["properties"]["agreement"]), ["expires", "id", "signed"]);
        for key in &top {
            let without: String =
                full.lines().filter(|l| !l.starts_with(&format!("{key} = "))).map(|l| format!("{l}\n")).collect();
            let missing = problems(&without)
                .iter()
                .any(|p| p.code == "manifest_missing_key" && p.location.field.as_deref() == Some(key.as_str()));
            assert_eq!(missing, required(&schema).contains(key), "is `{key}` required?");
        }
        for key in ["id", "signed", "expires"] {
            let (head, table) = full.split_once("[agreement]\n").unwrap_or_default();
            let rest: String =
                table.lines().filter(|l| !l.starts_with(&format!("{key} = "))).map(|l| format!("{l}\n")).collect();
            let without = format!("{head}[agreement]\n{rest}");
            let field = format!("agreement.{key}");
            let missing = problems(&without)
                .iter()
                .any(|p| p.code == "manifest_missing_key" && p.location.field.as_deref() == Some(field.as_str()));
            assert_eq!(
                missing,
                required(&schema["properties"]["agreement"]).contains(&key.to_string()),
                "is `agreement.{key}` required?"
            );
        }
    }
}
