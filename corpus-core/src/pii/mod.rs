//! PII redaction for Taiwan: detectors for every Taiwanese identifier (with check digits),
//! phones, e-mail, IPs, cards, bank accounts, addresses, plates, birth dates and names, and the
//! stage that replaces each value with a typed placeholder.
//!
//! Spans are in Unicode code points of the input text and cover the value only, never the
//! keyword (`身分證字號：A123456789` → `身分證字號：|||ID_NUMBER|||`). Values never leave this
//! module except inside the redacted text's replacement: no log, error or report holds one.

pub mod checks;
pub mod detect;
pub mod ids;
pub mod names;
pub mod stream;

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{ArrayRef, StringArray};
use serde::{Deserialize, Serialize};

use crate::batch::{DocBatch, TEXT};
use crate::error::Result;
use crate::stage::{Processed, Stage, Verdict};
pub use detect::Detectors;

/// How hard the detectors look (`[pii] policy`). Over-redaction costs a public release little;
/// a leak costs everything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    /// A value that passes its check digit (national ID, ARC, UBN, card) is redacted on its
    /// shape and check alone unless a negative context (發票, ISBN, 版本 …) says otherwise;
    /// keyed types take their cue on either side; plates in every official form and names
    /// without a cue are found.
    #[default]
    Recall,
    /// Keyed types need their cue before the value; old-format ARCs and UBNs need a cue; names
    /// need a cue or a title. Allowed for the restricted tier only.
    Precision,
}

impl Policy {
    /// The name used in pipeline.toml, the manifest and the summary.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Recall => "recall",
            Policy::Precision => "precision",
        }
    }
}

/// `[pii] policy`: one policy for every tier (`policy = "recall"`) or one per tier
/// (`policy = { restricted = "precision" }`). Tiers that can be published are always `recall`:
/// `precision` there is refused when the configuration is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PolicyByTier {
    /// `restricted` documents (training only, never published).
    pub restricted: Policy,
}

impl PolicyByTier {
    /// The policy for documents of `tier`.
    pub fn for_tier(self, tier: crate::batch::Tier) -> Policy {
        if tier.is_public() { Policy::Recall } else { self.restricted }
    }

    /// Tier name → policy, for the manifest and the summary.
    pub fn by_tier(self) -> BTreeMap<String, String> {
        crate::batch::Tier::ALL
            .into_iter()
            .map(|t| (t.as_str().to_string(), self.for_tier(t).as_str().to_string()))
            .collect()
    }
}

impl<'de> Deserialize<'de> for PolicyByTier {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            One(Policy),
            PerTier(PerTier),
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct PerTier {
            #[serde(default)]
            public: Policy,
            #[serde(default, rename = "public-share-alike")]
            share_alike: Policy,
            #[serde(default)]
            restricted: Policy,
        }
        let refuse = |tier: &str| {
            serde::de::Error::custom(format!(
                "policy `precision` is not allowed for the {tier} tier: documents that can be published are redacted for recall (a leak costs more than a redacted number); use `policy = {{ restricted = \"precision\" }}`"
            ))
        };
        match Raw::deserialize(d).map_err(|_| {
            serde::de::Error::custom(
                "policy must be \"recall\", \"precision\" or a table such as { restricted = \"precision\" } (keys: public, public-share-alike, restricted)",
            )
        })? {
            Raw::One(Policy::Precision) => Err(refuse("public")),
            Raw::One(Policy::Recall) => Ok(Self::default()),
            Raw::PerTier(t) if t.public == Policy::Precision => Err(refuse("public")),
            Raw::PerTier(t) if t.share_alike == Policy::Precision => Err(refuse("public-share-alike")),
            Raw::PerTier(t) => Ok(Self { restricted: t.restricted }),
        }
    }
}

/// The kind of a span: the fine type recorded in `pii` metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PiiKind {
    /// 國民身分證統一編號.
    TwNationalId,
    /// 外來人口統一證號, format since 2021.
    TwArcNew,
    /// 外來人口統一證號, old format (until 2030).
    TwArcOld,
    /// 健保卡號.
    TwNhiCard,
    /// Passport number (keyword-led).
    Passport,
    /// 統一編號 (keyword-led).
    TwUbn,
    /// Mobile number.
    TwMobile,
    /// Landline number.
    TwLandline,
    /// E-mail address.
    Email,
    /// Global IPv4 address.
    Ipv4,
    /// Global IPv6 address.
    Ipv6,
    /// Payment card number.
    CreditCard,
    /// Bank account (keyword-led).
    BankAccount,
    /// Postal address down to the house number.
    TwAddress,
    /// Licence plate (keyword-led).
    LicensePlate,
    /// Date of birth (birth context only).
    DateOfBirth,
    /// Personal name (context rules).
    PersonName,
}

impl PiiKind {
    /// Every kind.
    pub const ALL: [PiiKind; 17] = [
        PiiKind::TwNationalId,
        PiiKind::TwArcNew,
        PiiKind::TwArcOld,
        PiiKind::TwNhiCard,
        PiiKind::Passport,
        PiiKind::TwUbn,
        PiiKind::TwMobile,
        PiiKind::TwLandline,
        PiiKind::Email,
        PiiKind::Ipv4,
        PiiKind::Ipv6,
        PiiKind::CreditCard,
        PiiKind::BankAccount,
        PiiKind::TwAddress,
        PiiKind::LicensePlate,
        PiiKind::DateOfBirth,
        PiiKind::PersonName,
    ];

    /// The fine type's name, e.g. `TW_NATIONAL_ID`.
    pub fn name(self) -> &'static str {
        match self {
            PiiKind::TwNationalId => "TW_NATIONAL_ID",
            PiiKind::TwArcNew => "TW_ARC_NEW",
            PiiKind::TwArcOld => "TW_ARC_OLD",
            PiiKind::TwNhiCard => "TW_NHI_CARD",
            PiiKind::Passport => "PASSPORT",
            PiiKind::TwUbn => "TW_UBN",
            PiiKind::TwMobile => "TW_MOBILE",
            PiiKind::TwLandline => "TW_LANDLINE",
            PiiKind::Email => "EMAIL",
            PiiKind::Ipv4 => "IPV4",
            PiiKind::Ipv6 => "IPV6",
            PiiKind::CreditCard => "CREDIT_CARD",
            PiiKind::BankAccount => "BANK_ACCOUNT",
            PiiKind::TwAddress => "TW_ADDRESS",
            PiiKind::LicensePlate => "LICENSE_PLATE",
            PiiKind::DateOfBirth => "DATE_OF_BIRTH",
            PiiKind::PersonName => "PERSON_NAME",
        }
    }

    /// The placeholder family: one fixed token per family (the Dolma/OLMo triple-pipe form:
    /// ASCII, no digits, `@` or dots, so redacting twice changes nothing).
    pub fn family(self) -> &'static str {
        match self {
            PiiKind::TwNationalId | PiiKind::TwArcNew | PiiKind::TwArcOld | PiiKind::TwNhiCard | PiiKind::Passport => {
                "ID_NUMBER"
            }
            PiiKind::TwUbn => "BUSINESS_ID",
            PiiKind::TwMobile | PiiKind::TwLandline => "PHONE_NUMBER",
            PiiKind::Email => "EMAIL_ADDRESS",
            PiiKind::Ipv4 | PiiKind::Ipv6 => "IP_ADDRESS",
            PiiKind::CreditCard => "CARD_NUMBER",
            PiiKind::BankAccount => "BANK_ACCOUNT",
            PiiKind::TwAddress => "ADDRESS",
            PiiKind::LicensePlate => "LICENSE_PLATE",
            PiiKind::DateOfBirth => "BIRTH_DATE",
            PiiKind::PersonName => "PERSON_NAME",
        }
    }
}

/// A detected value: `[start, end)` in Unicode code points of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PiiSpan {
    /// What it is.
    #[serde(rename = "type", serialize_with = "kind_name")]
    pub kind: PiiKind,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

fn kind_name<S: serde::Serializer>(kind: &PiiKind, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(kind.name())
}

/// `[pii]`: what to redact and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PiiConfig {
    /// Redact at all.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Redact personal names found by context rules (precision first; off to keep names).
    #[serde(default = "yes")]
    pub person_names: bool,
    /// Recall or precision, per tier (see [`PolicyByTier`]).
    #[serde(default)]
    pub policy: PolicyByTier,
    /// The placeholder; `{type}` becomes the family (`ID_NUMBER`, `PHONE_NUMBER`, …). It must
    /// hold `{type}` and no digit, `@` or `.`, so that redacting twice changes nothing.
    #[serde(default = "default_placeholder", deserialize_with = "placeholder")]
    pub placeholder: String,
    /// The secret key of the pseudonyms that replace personal data in record ids and file
    /// names (relative to pipeline.toml; see [`ids`] for the default). Left out of the config
    /// hash as a path; the key's fingerprint is hashed instead.
    #[serde(default, skip_serializing)]
    pub id_key_file: Option<String>,
}

fn yes() -> bool {
    true
}

fn default_placeholder() -> String {
    "|||{type}|||".to_string()
}

fn placeholder<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    let p = String::deserialize(d)?;
    if !p.contains("{type}") || p.chars().any(|c| c.is_ascii_digit() || c == '@' || c == '.') {
        return Err(serde::de::Error::custom(format!(
            "placeholder `{p}` must contain `{{type}}` and no digit, `@` or `.` (so that redacting twice changes nothing)"
        )));
    }
    Ok(p)
}

impl Default for PiiConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            person_names: true,
            policy: PolicyByTier::default(),
            placeholder: default_placeholder(),
            id_key_file: None,
        }
    }
}

/// Replaces every span of `text` with its placeholder. Spans must be sorted and disjoint, as
/// [`Detectors::detect`] returns them.
pub fn redact(text: &str, spans: &[PiiSpan], placeholder: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut spans = spans.iter().peekable();
    let mut skip_until = None;
    for (i, c) in text.chars().enumerate() {
        if skip_until.is_some_and(|end| i < end) {
            continue;
        }
        skip_until = None;
        if let Some(span) = spans.next_if(|s| s.start == i) {
            out.push_str(&placeholder.replace("{type}", span.kind.family()));
            skip_until = Some(span.end);
            continue;
        }
        out.push(c);
    }
    out
}

/// Counts per fine type, for the `pii` column and the manifest.
pub fn counts(spans: &[PiiSpan]) -> BTreeMap<&'static str, u64> {
    let mut counts = BTreeMap::new();
    for s in spans {
        *counts.entry(s.kind.name()).or_default() += 1;
    }
    counts
}

/// The column the PII stage appends: counts per type as a JSON object, null when none.
pub const PII: &str = "pii";

/// The PII stage: redacts the text and records counts per type.
#[derive(Debug)]
pub struct PiiStage {
    /// The detectors of publishable tiers (always recall).
    recall: Arc<Detectors>,
    /// Those of the restricted tier (its own policy).
    restricted: Arc<Detectors>,
    placeholder: String,
}

impl PiiStage {
    /// Builds the detectors.
    pub fn new(cfg: &PiiConfig) -> Self {
        let recall = Arc::new(Detectors::with_policy(cfg.person_names, Policy::Recall));
        let restricted = match cfg.policy.restricted {
            Policy::Recall => recall.clone(),
            policy => Arc::new(Detectors::with_policy(cfg.person_names, policy)),
        };
        Self { recall, restricted, placeholder: cfg.placeholder.clone() }
    }
}

/// What redaction changed in one document: the new values of the fields that held personal
/// data (`None`: unchanged) and the counts per type over all of them.
#[derive(Debug, Default)]
struct Redacted {
    text: Option<String>,
    source: Option<String>,
    url: Option<String>,
    meta: Option<String>,
    counts: BTreeMap<&'static str, u64>,
}

/// Whether a field name (or a label of several: `個人 聯絡人`) names a person: one of its words
/// (split at spaces, `_`, `-`, `.` and camelCase) is a person word, or it holds a Chinese one.
fn is_person_field(key: &str) -> bool {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        let separator = matches!(c, ' ' | '_' | '-' | '.');
        if separator || (c.is_ascii_uppercase() && prev_lower) {
            words.push(std::mem::take(&mut word));
        }
        if !separator {
            word.push(c.to_ascii_lowercase());
        }
        prev_lower = c.is_ascii_lowercase();
    }
    words.push(word);
    // `name` alone, or after a word that makes it a person's (`user_name`, `firstName`), not
    // any name (`law_name`, `file_name`).
    let person = |w: &str| matches!(w, "author" | "authors" | "contact" | "person" | "fullname" | "username");
    let of_person = |w: &str| matches!(w, "user" | "full" | "first" | "last" | "given" | "family" | "real" | "display");
    let name_of_person = words.iter().enumerate().any(|(i, w)| {
        matches!(w.as_str(), "name" | "names")
            && (words.len() == 1 || i > 0 && (of_person(&words[i - 1]) || person(&words[i - 1])))
    });
    name_of_person || words.iter().any(|w| person(w)) || PERSON_FIELDS.iter().any(|f| key.contains(f))
}

/// Chinese field names under which a value may be a person's name (contained in the key).
const PERSON_FIELDS: [&str; 12] =
    ["姓名", "名字", "作者", "聯絡人", "連絡人", "承辦人", "負責人", "申請人", "代理人", "當事人", "收件人", "寄件人"];

/// Spans of `value` as it would be read under the label `key` (`生日：1995/03/28`): a detector
/// that needs its keyword before the value finds it when the keyword is the field's name. The
/// spans found in `value` alone are kept too; overlaps are merged.
fn labelled_spans(detectors: &Detectors, key: Option<&str>, value: &str) -> Vec<PiiSpan> {
    let mut spans = detectors.detect(value);
    if let Some(key) = key.filter(|k| !k.is_empty()) {
        let offset = key.chars().count() + 1;
        // A field name reads as a label with a colon; for names that is a cue only when the
        // field names a person (`{"title": "陸軍軍官學校…"}` holds no name).
        let person_field = is_person_field(key);
        for span in detectors.detect(&format!("{key}：{value}")) {
            if span.kind == PiiKind::PersonName && !person_field {
                continue;
            }
            if span.end > offset {
                spans.push(PiiSpan { kind: span.kind, start: span.start.max(offset) - offset, end: span.end - offset });
            }
        }
        spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        let mut merged: Vec<PiiSpan> = Vec::with_capacity(spans.len());
        for span in spans {
            match merged.last_mut() {
                Some(last) if span.start < last.end => last.end = last.end.max(span.end),
                _ => merged.push(span),
            }
        }
        spans = merged;
    }
    spans
}

/// `value` redacted (read under the label `key`, when it has one), when it held personal data;
/// counts added to `counts`.
fn redact_value(
    detectors: &Detectors,
    placeholder: &str,
    key: Option<&str>,
    value: &str,
    counts: &mut BTreeMap<&'static str, u64>,
) -> Option<String> {
    let spans = labelled_spans(detectors, key, value);
    if spans.is_empty() {
        return None;
    }
    spans.iter().for_each(|span| *counts.entry(span.kind.name()).or_default() += 1);
    Some(redact(value, &spans, placeholder))
}

/// Redacts every string of a JSON value in place: object keys, values (each read under its key
/// as a label, so `{"生日": "1995/03/28"}` is found), array items, and numbers read as digits.
/// Returns whether anything changed; counts added to `counts`.
pub fn redact_json(
    detectors: &Detectors,
    placeholder: &str,
    key: Option<&str>,
    value: &mut serde_json::Value,
    counts: &mut BTreeMap<&'static str, u64>,
) -> bool {
    use serde_json::Value;
    match value {
        Value::String(s) => match redact_value(detectors, placeholder, key, s, counts) {
            Some(r) => {
                *s = r;
                true
            }
            None => false,
        },
        Value::Number(n) => match redact_value(detectors, placeholder, key, &n.to_string(), counts) {
            Some(r) => {
                *value = Value::String(r);
                true
            }
            None => false,
        },
        Value::Array(items) => {
            items.iter_mut().fold(false, |changed, v| redact_json(detectors, placeholder, key, v, counts) | changed)
        }
        Value::Object(map) => {
            let mut changed = false;
            // Every value is read under the keys that enclose it (`{"生日": {"西元": …}}` as
            // `生日 西元：…`), and a name/value pair (`{"name": "生日", "value": "1995/03/28"}`)
            // labels its other values by the name (`value 生日：…`).
            let pair = ["name", "key", "label", "field", "名稱", "欄位", "項目"]
                .into_iter()
                .find_map(|n| map.get(n).and_then(Value::as_str).map(|v| (n, v.to_string())));
            let entries = std::mem::take(map);
            for (k, mut v) in entries {
                // The nearest label last, next to the value (cues allow a short gap only).
                let mut label: Vec<&str> = key.into_iter().collect();
                label.push(&k);
                if let Some((_, name)) = pair.as_ref().filter(|(n, _)| *n != k) {
                    label.push(name);
                }
                let label = label.join(" ");
                changed |= redact_json(detectors, placeholder, Some(&label), &mut v, counts);
                let k = match redact_value(detectors, placeholder, None, &k, counts) {
                    Some(safe) => {
                        changed = true;
                        safe
                    }
                    None => k,
                };
                map.insert(k, v);
            }
            changed
        }
        Value::Null | Value::Bool(_) => false,
    }
}

impl PiiStage {
    /// `value` redacted, when it held personal data; counts added to `counts`.
    fn redact_str(&self, d: &Detectors, value: &str, counts: &mut BTreeMap<&'static str, u64>) -> Option<String> {
        redact_value(d, &self.placeholder, None, value, counts)
    }

    /// The `meta` JSON redacted, when it held personal data: every string of it (see
    /// [`redact_json`]). Fails closed: when the raw JSON text shows personal data that the
    /// structured pass did not find (a value split across strings), the raw text is redacted.
    fn redact_meta(&self, d: &Detectors, meta: &str, counts: &mut BTreeMap<&'static str, u64>) -> Option<String> {
        let raw = d.detect(meta);
        let mut value: serde_json::Value = match serde_json::from_str(meta) {
            Ok(v) => v,
            // Not JSON (a Parquet `meta` column holds any string): a plain string.
            Err(_) => return self.redact_str(d, meta, counts),
        };
        let mut found = BTreeMap::new();
        let changed = redact_json(d, &self.placeholder, None, &mut value, &mut found);
        found.into_iter().for_each(|(k, v)| *counts.entry(k).or_default() += v);
        let written = if changed { value.to_string() } else { meta.to_string() };
        // Whatever the detectors still see in the JSON text as it would be written (a value
        // split across strings, a cue in one key and the value in another) is redacted there.
        let rest = if changed { d.detect(&written) } else { raw };
        if rest.is_empty() {
            return changed.then_some(written);
        }
        rest.iter().for_each(|span| *counts.entry(span.kind.name()).or_default() += 1);
        let redacted = redact(&written, &rest, &self.placeholder);
        // Still JSON if the spans stayed inside strings; otherwise no meta at all is safer.
        Some(if serde_json::from_str::<serde_json::Value>(&redacted).is_ok() { redacted } else { "{}".to_string() })
    }

    fn redact_document(&self, batch: &DocBatch, i: usize) -> Redacted {
        use arrow_array::Array;
        let mut r = Redacted::default();
        // A row whose tier cannot be read is treated as publishable: recall.
        let tiers = batch.tiers();
        let restricted =
            tiers.is_valid(i) && crate::batch::Tier::parse(tiers.value(i)) == Some(crate::batch::Tier::Restricted);
        let d: &Detectors = if restricted { &self.restricted } else { &self.recall };
        r.text = self.redact_str(d, batch.texts().value(i), &mut r.counts);
        let (sources, urls, metas) = (batch.sources(), batch.urls(), batch.metas());
        if sources.is_valid(i) {
            r.source = self.redact_str(d, sources.value(i), &mut r.counts);
        }
        if urls.is_valid(i) {
            r.url = self.redact_str(d, urls.value(i), &mut r.counts);
        }
        if metas.is_valid(i) {
            r.meta = self.redact_meta(d, metas.value(i), &mut r.counts);
        }
        r
    }
}

impl Stage for PiiStage {
    fn name(&self) -> &'static str {
        "pii"
    }

    /// Redacts every string that reaches a shard: the text, `source`, `url` and every value in
    /// `meta` (doc ids and file names were guarded at ingest, [`ids`]).
    fn process(&self, batch: DocBatch) -> Result<Processed> {
        use arrow_array::Array;
        use rayon::prelude::*;
        // Documents are independent: spread them over the caller's rayon pool (this stage owns
        // no threads); `collect` keeps their order, so output bytes do not change.
        // Only documents with personal data get new values; most have none and are not copied.
        let found: Vec<Redacted> =
            (0..batch.num_rows()).into_par_iter().map(|i| self.redact_document(&batch, i)).collect();
        let pii: ArrayRef = Arc::new(
            found
                .iter()
                .map(|f| (!f.counts.is_empty()).then(|| serde_json::to_string(&f.counts).unwrap_or_default()))
                .collect::<StringArray>(),
        );
        let mut batch = batch.with_column(PII, pii)?;
        type Pick = fn(&Redacted) -> Option<&String>;
        let fields: [(&str, Pick); 4] = [
            (TEXT, |r| r.text.as_ref()),
            (crate::batch::SOURCE, |r| r.source.as_ref()),
            (crate::batch::URL, |r| r.url.as_ref()),
            (crate::batch::META, |r| r.meta.as_ref()),
        ];
        for (name, pick) in fields {
            if !found.iter().any(|f| pick(f).is_some()) {
                continue;
            }
            let old = batch.record_batch().column_by_name(name).map(|c| c.as_string::<i32>().clone());
            let Some(old) = old else { continue };
            let column: StringArray = found
                .iter()
                .enumerate()
                .map(|(i, f)| pick(f).map(String::as_str).or_else(|| old.is_valid(i).then(|| old.value(i))))
                .collect();
            batch = batch.with_column(name, Arc::new(column))?;
        }
        Ok(Processed { verdicts: vec![Verdict::Keep; batch.num_rows()], batch })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn redaction_replaces_values_only() {
        let d = Detectors::new(true);
        let text = "身分證字號：A123456789，電話0912-345-678。";
        let spans = d.detect(text);
        assert_eq!(redact(text, &spans, "|||{type}|||"), "身分證字號：|||ID_NUMBER|||，電話|||PHONE_NUMBER|||。");
        let json = serde_json::to_string(&spans).unwrap_or_default();
        assert_eq!(json, r#"[{"type":"TW_NATIONAL_ID","start":6,"end":16},{"type":"TW_MOBILE","start":19,"end":31}]"#);
    }

    #[test]
    fn policy_is_recall_for_every_publishable_tier() {
        use crate::batch::Tier;
        let parse = |src: &str| toml::from_str::<PiiConfig>(src).map_err(|e| e.to_string());
        let default = parse("").unwrap_or_else(|e| panic!("{e}"));
        assert!(Tier::ALL.iter().all(|t| default.policy.for_tier(*t) == Policy::Recall));
        let restricted = parse("policy = { restricted = \"precision\" }").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(restricted.policy.for_tier(Tier::Restricted), Policy::Precision);
        assert_eq!(restricted.policy.for_tier(Tier::Public), Policy::Recall);
        assert_eq!(restricted.policy.by_tier()["restricted"], "precision");
        for refused in ["policy = \"precision\"", "policy = { public-share-alike = \"precision\" }"] {
            let e = parse(refused).err().unwrap_or_default();
            assert!(e.contains("not allowed") && e.contains("restricted = \"precision\""), "{refused}: {e}");
        }
        assert!(parse("policy = \"fast\"").err().unwrap_or_default().contains("policy must be"));
    }

    #[test]
    fn a_field_name_is_a_name_cue_only_for_person_fields() {
        let d = Detectors::new(true);
        assert!(labelled_spans(&d, Some("title"), "陸軍軍官學校組織規程").is_empty());
        assert_eq!(labelled_spans(&d, Some("author name"), "陸志明").len(), 1);
        assert_eq!(labelled_spans(&d, Some("contactPerson"), "陸志明").len(), 1);
        assert_eq!(labelled_spans(&d, Some("聯絡人姓名"), "陸志明").len(), 1);
        assert!(labelled_spans(&d, Some("law_name"), "陸軍軍官學校組織規程").is_empty());
        for (key, person) in [
            ("name", true),
            ("user_name", true),
            ("firstName", true),
            ("law_name", false),
            ("hostname", false),
            ("file_name", false),
        ] {
            assert_eq!(is_person_field(key), person, "{key}");
        }
    }

    proptest! {
        /// Offsets are valid and ordered, redaction never panics and is idempotent, on any input
        /// (arbitrary bytes turned lossy, so invalid sequences become U+FFFD).
        #[test]
        fn spans_are_valid_and_redaction_is_idempotent(bytes in proptest::collection::vec(any::<u8>(), 0..200), planted in "(A123456789|0912345678|a@b\\.tw|140\\.112\\.8\\.116)?") {
            let d = Detectors::new(true);
            // After punctuation: a value glued to ASCII letters or digits is part of a longer code.
            let text = format!("{}，{planted}。", String::from_utf8_lossy(&bytes));
            let spans = d.detect(&text);
            let n = text.chars().count();
            for w in spans.windows(2) {
                prop_assert!(w[0].end <= w[1].start);
            }
            for s in &spans {
                prop_assert!(s.start < s.end && s.end <= n);
            }
            let once = redact(&text, &spans, "|||{type}|||");
            let twice = redact(&once, &d.detect(&once), "|||{type}|||");
            prop_assert_eq!(&once, &twice);
            if !planted.is_empty() {
                prop_assert!(!once.contains(planted.as_str()), "{once}");
            }
        }

        /// Han text around a value never hides it (no `\b` reliance).
        #[test]
        fn values_glued_to_han_are_found(before in "[\\p{Han}]{0,5}", after in "[\\p{Han}]{0,5}") {
            let d = Detectors::new(false);
            let text = format!("{before}身分證A123456789{after}");
            prop_assert_eq!(d.detect(&text).len(), 1);
        }
    }
}
