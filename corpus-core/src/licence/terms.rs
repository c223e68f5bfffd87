//! `licenses/terms.toml`: the unified terms of the corpus. Output tiers, and the ordered rules
//! that map a licence and a document's circumstances to a tier; the first matching rule wins.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::registry::Licence;
use crate::error::{Error, Location, Result, toml_location};

/// A tier as `terms.toml` names it: an output tier, or `excluded`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierDef {
    /// `public`, `public-share-alike`, `restricted` or `excluded`.
    pub id: String,
    /// What the tier means, in English.
    pub en: String,
    /// 中文說明。
    pub zh: String,
}

/// One rule: if every `when` key has one of its listed values, the document goes to `tier`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable snake_case id, recorded in the ledger.
    pub id: String,
    /// A tier id.
    pub tier: String,
    /// The conditions, all of which must hold. Keys: a licence field (`training`,
    /// `share_alike`, … : `yes`/`no`/`unknown`), `known` (the licence is in the registry),
    /// `visibility` (`public`/`private`), `expired` (the agreement ended before the run date),
    /// `withdrawn` (`yes`/`no`).
    #[serde(default)]
    pub when: BTreeMap<String, Vec<String>>,
    /// Why, for people (English).
    pub because: String,
}

/// The whole `terms.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    /// A version label of the terms.
    pub version: String,
    /// The tiers.
    #[serde(rename = "tier")]
    pub tiers: Vec<TierDef>,
    /// The rules, in order.
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
}

/// The keys a rule may test besides the licence fields, with their values.
const CONTEXT_KEYS: [(&str, &[&str]); 4] = [
    ("known", &["yes", "no"]),
    ("visibility", &["public", "private"]),
    ("expired", &["yes", "no"]),
    ("withdrawn", &["yes", "no"]),
];

/// The tier ids, most permissive first.
pub const TIER_IDS: [&str; 4] = ["public", "public-share-alike", "restricted", "excluded"];

impl Terms {
    /// Parses and checks `terms.toml`: every rule names a known tier, tests known keys and only
    /// their values.
    pub fn parse(path: &Path, src: &str) -> Result<Self> {
        let terms: Terms = toml::from_str(src).map_err(|e| {
            let (location, message) = toml_location(path, src, &e);
            Error::config(location, message)
        })?;
        let bad = |field: String, message: String| Error::config(Location::file(path).with_field(field), message);
        let defined: Vec<&str> = terms.tiers.iter().map(|t| t.id.as_str()).collect();
        for id in TIER_IDS {
            if !defined.contains(&id) {
                return Err(bad("tier".into(), format!("terms must define the tier `{id}`")));
            }
        }
        for rule in &terms.rules {
            if !TIER_IDS.contains(&rule.tier.as_str()) {
                return Err(bad(format!("rule.{}.tier", rule.id), format!("unknown tier `{}`", rule.tier)));
            }
            for (key, values) in &rule.when {
                let allowed: &[&str] = match CONTEXT_KEYS.iter().find(|(k, _)| k == key) {
                    Some((_, values)) => values,
                    None if Licence::FIELDS.contains(&key.as_str()) => &["yes", "no", "unknown"],
                    None => return Err(bad(format!("rule.{}.when", rule.id), format!("unknown key `{key}`"))),
                };
                if let Some(v) = values.iter().find(|v| !allowed.contains(&v.as_str())) {
                    return Err(bad(
                        format!("rule.{}.when.{key}", rule.id),
                        format!("`{v}` is not a value of `{key}` (one of {})", allowed.join(", ")),
                    ));
                }
            }
        }
        Ok(terms)
    }

    /// The terms compiled into the binary.
    pub fn embedded() -> Result<Self> {
        let src = super::registry::EMBEDDED.iter().find(|(n, _)| *n == "terms.toml").map(|(_, s)| *s);
        let src = src.ok_or_else(|| Error::Internal("no terms.toml was embedded".into()))?;
        Self::parse(Path::new("licenses/terms.toml"), src)
    }

    /// A tier's description.
    pub fn tier(&self, id: &str) -> Option<&TierDef> {
        self.tiers.iter().find(|t| t.id == id)
    }
}
