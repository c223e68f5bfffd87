//! PII redaction for Taiwan: detectors for every Taiwanese identifier (with check digits),
//! phones, e-mail, IPs, cards, bank accounts, addresses, plates, birth dates and names, and the
//! stage that replaces each value with a typed placeholder.
//!
//! Spans are in Unicode code points of the input text and cover the value only, never the
//! keyword (`身分證字號：A123456789` → `身分證字號：|||ID_NUMBER|||`). Values never leave this
//! module except inside the redacted text's replacement: no log, error or report holds one.

pub mod checks;
pub mod detect;
pub mod stream;

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::{ArrayRef, StringArray};
use serde::{Deserialize, Serialize};

use crate::batch::{DocBatch, TEXT};
use crate::error::Result;
use crate::stage::{Processed, Stage, Verdict};
pub use detect::Detectors;

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
    /// The placeholder; `{type}` becomes the family (`ID_NUMBER`, `PHONE_NUMBER`, …). It must
    /// hold `{type}` and no digit, `@` or `.`, so that redacting twice changes nothing.
    #[serde(default = "default_placeholder", deserialize_with = "placeholder")]
    pub placeholder: String,
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
        Self { enabled: true, person_names: true, placeholder: default_placeholder() }
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
    detectors: Arc<Detectors>,
    placeholder: String,
}

impl PiiStage {
    /// Builds the detectors.
    pub fn new(cfg: &PiiConfig) -> Self {
        Self { detectors: Arc::new(Detectors::new(cfg.person_names)), placeholder: cfg.placeholder.clone() }
    }
}

impl Stage for PiiStage {
    fn name(&self) -> &'static str {
        "pii"
    }

    fn process(&self, batch: DocBatch) -> Result<Processed> {
        use rayon::prelude::*;
        let texts = batch.texts();
        // Documents are independent: spread them over the caller's rayon pool (this stage owns
        // no threads); `collect` keeps their order, so output bytes do not change.
        // Only documents with personal data get a new text; most have none and are not copied.
        let found: Vec<Option<(String, String)>> = (0..batch.num_rows())
            .into_par_iter()
            .map(|i| {
                let text = texts.value(i);
                let spans = self.detectors.detect(text);
                (!spans.is_empty()).then(|| {
                    (
                        redact(text, &spans, &self.placeholder),
                        serde_json::to_string(&counts(&spans)).unwrap_or_default(),
                    )
                })
            })
            .collect();
        let pii: ArrayRef =
            Arc::new(found.iter().map(|f| f.as_ref().map(|(_, c)| c.as_str())).collect::<StringArray>());
        let mut batch = batch.with_column(PII, pii)?;
        if found.iter().any(Option::is_some) {
            let texts = batch.texts();
            let text: StringArray = found
                .iter()
                .enumerate()
                .map(|(i, f)| Some(f.as_ref().map_or(texts.value(i), |(t, _)| t.as_str())))
                .collect();
            batch = batch.with_column(TEXT, Arc::new(text))?;
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
