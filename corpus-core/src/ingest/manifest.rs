//! `contribution.toml`: what a contributor declares about their data.
//!
//! The contract is `schemas/contribution.schema.json`; this parser enforces the same rules and
//! reports each problem with the manifest's line and key.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::batch::Tier;
use crate::error::{Location, line_of, toml_location};

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestProblem {
    /// Where: `contribution.toml`, line, key.
    pub location: Location,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ManifestProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    id: Spanned<String>,
    title: Spanned<String>,
    contributor: Spanned<String>,
    licence: Spanned<String>,
    visibility: Visibility,
    attribution: Spanned<String>,
    language: Spanned<String>,
    files: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    text_field: Option<Spanned<String>>,
    #[serde(default)]
    id_field: Option<Spanned<String>>,
    #[serde(default)]
    agreement: Option<Spanned<AgreementWire>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgreementWire {
    id: Spanned<String>,
    signed: Spanned<toml::value::Datetime>,
    #[serde(default)]
    expires: Option<Spanned<toml::value::Datetime>>,
}

/// Whether `id` is a valid contribution id: 1–64 of `[a-z0-9-]`, not starting with `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('-')
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Parses and checks a manifest. `file` is only used in locations. Returns every problem found.
pub fn parse(file: &Path, src: &str) -> Result<Manifest, Vec<ManifestProblem>> {
    let wire: Wire = toml::from_str(src).map_err(|e| {
        let (location, message) = toml_location(file, src, &e);
        vec![ManifestProblem { location, message }]
    })?;
    let mut problems = Vec::new();
    let mut problem = |span: std::ops::Range<usize>, field: &str, message: String| {
        problems.push(ManifestProblem {
            location: Location::file(file).with_line(line_of(src, span.start)).with_field(field),
            message,
        });
    };
    let mut text = |value: Spanned<String>, field: &str| -> String {
        if value.get_ref().trim().is_empty() {
            problem(value.span(), field, format!("`{field}` must not be empty"));
        }
        value.into_inner()
    };
    let title = text(wire.title, "title");
    let contributor = text(wire.contributor, "contributor");
    let licence = text(wire.licence, "licence");
    let attribution = text(wire.attribution, "attribution");
    let language = text(wire.language, "language");
    let text_field = wire.text_field.map_or_else(|| "text".to_string(), |f| text(f, "text_field"));
    let id_field = wire.id_field.map(|f| text(f, "id_field"));
    if !is_valid_id(wire.id.get_ref()) {
        problem(
            wire.id.span(),
            "id",
            "`id` must be 1 to 64 characters of a-z, 0-9 and `-`, not starting with `-`".to_string(),
        );
    }
    let files_span = wire.files.span();
    let files: Vec<FilePattern> = wire
        .files
        .into_inner()
        .into_iter()
        .map(|p| FilePattern { line: line_of(src, p.span().start), pattern: p.into_inner() })
        .collect();
    if files.is_empty() {
        problem(files_span, "files", "`files` must list at least one glob".to_string());
    }
    let agreement = match wire.agreement {
        None => None,
        Some(a) => {
            let span = a.span();
            let a = a.into_inner();
            let mut date = |d: Spanned<toml::value::Datetime>, field: &str| match to_date(d.get_ref()) {
                Some(date) => Some(date),
                None => {
                    problem(d.span(), field, format!("`agreement.{field}` must be a date like 2026-03-01"));
                    None
                }
            };
            let signed = date(a.signed, "signed");
            let expires = a.expires.map(|e| date(e, "expires"));
            if a.id.get_ref().trim().is_empty() {
                problem(a.id.span(), "agreement.id", "`agreement.id` must not be empty".to_string());
            }
            match (signed, expires) {
                (Some(signed), Some(Some(expires))) if expires < signed => {
                    problem(
                        span,
                        "agreement.expires",
                        format!("agreement expires ({expires}) before it was signed ({signed})"),
                    );
                    None
                }
                (Some(signed), None) => Some(Agreement { id: a.id.into_inner(), signed, expires: None }),
                (Some(signed), Some(Some(expires))) => {
                    Some(Agreement { id: a.id.into_inner(), signed, expires: Some(expires) })
                }
                _ => None,
            }
        }
    };
    if wire.visibility == Visibility::Private && agreement.is_none() && problems.is_empty() {
        problems.push(ManifestProblem {
            location: Location::file(file).with_field("agreement"),
            message: "a private contribution needs an [agreement] table (id, signed, optional expires)".to_string(),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Manifest {
        id: wire.id.into_inner(),
        title,
        contributor,
        licence,
        visibility: wire.visibility,
        attribution,
        language,
        files,
        text_field,
        id_field,
        agreement,
    })
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
        assert_eq!(fields, vec!["contributor".to_string(), "id".to_string()]);
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
            let missing = problems(&without).iter().any(|p| p.message.contains(&format!("missing field `{key}`")));
            assert_eq!(missing, required(&schema).contains(key), "is `{key}` required?");
        }
        for key in ["id", "signed", "expires"] {
            let (head, table) = full.split_once("[agreement]\n").unwrap_or_default();
            let rest: String =
                table.lines().filter(|l| !l.starts_with(&format!("{key} = "))).map(|l| format!("{l}\n")).collect();
            let without = format!("{head}[agreement]\n{rest}");
            let missing = problems(&without).iter().any(|p| p.message.contains(&format!("missing field `{key}`")));
            assert_eq!(
                missing,
                required(&schema["properties"]["agreement"]).contains(&key.to_string()),
                "is `agreement.{key}` required?"
            );
        }
    }
}
