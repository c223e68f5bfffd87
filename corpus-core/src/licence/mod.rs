//! Licence terms: which documents may enter the corpus, and in which tier.
//!
//! A document's fate is a pure function ([`decide`]) of its licence expression, its
//! contribution's visibility and agreement, the withdrawal list, the run date, the licence
//! registry (`licenses/<id>.toml`) and the unified terms (`licenses/terms.toml`). The stage
//! ([`LicenceStage`]) runs right after ingest: excluded documents become ledger rows naming the
//! rule that excluded them, kept ones get their tier.

pub mod aliases;
pub mod attribution;
pub mod registry;
pub mod terms;
pub mod withdrawals;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, StringArray};
use serde::{Deserialize, Serialize};
use spdx::expression::{ExprNode, Operator};

use crate::batch::{DocBatch, TIER, Tier};
use crate::error::{Error, Location, Result};
use crate::ingest::Contribution;
use crate::ingest::manifest::{Date, Visibility};
use crate::stage::{DropReason, Processed, Stage, Verdict};
pub use registry::{Licence, Registry, Tri};
pub use terms::Terms;
pub use withdrawals::Withdrawals;

/// `[licence]`: where the registry is and which date the terms are applied on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenceConfig {
    /// A registry directory (`<id>.toml` files and `terms.toml`), relative to pipeline.toml.
    /// Default: the registry built into `corpus` (this repository's `licenses/`).
    #[serde(default)]
    pub registry: Option<String>,
    /// The date agreements' expiry and withdrawals are judged on. Default: today (UTC); a
    /// resumed run keeps the date of the run it resumes.
    #[serde(default)]
    pub run_date: Option<toml::value::Datetime>,
}

/// Everything the licence decision needs, resolved once per run.
#[derive(Debug, Clone)]
pub struct Licensing {
    /// The licence registry.
    pub registry: Registry,
    /// The unified terms.
    pub terms: Terms,
    /// The withdrawal list (empty without `withdrawals`).
    pub withdrawals: Withdrawals,
    /// The date the terms are applied on.
    pub run_date: Date,
    /// sha256 of every registry file, the terms and the withdrawal list: they decide the
    /// output, so they are part of the config hash.
    pub fingerprint: String,
}

impl Licensing {
    /// Loads the registry and terms (from `registry_dir`, or the embedded ones) and the
    /// withdrawal list.
    pub fn load(registry_dir: Option<&Path>, withdrawals: Option<&Path>, run_date: Date) -> Result<Self> {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        let mut hash = |name: &str, src: &str| {
            hasher.update(format!("{name}\n{}\n", src.len()).as_bytes());
            hasher.update(src.as_bytes());
        };
        let (registry, terms) = match registry_dir {
            None => {
                registry::EMBEDDED.iter().for_each(|(n, s)| hash(n, s));
                (Registry::embedded()?, Terms::embedded()?)
            }
            Some(dir) => {
                let files = registry::read_dir_toml(dir)?;
                files.iter().for_each(|(n, s)| hash(n, s));
                let terms_path = dir.join("terms.toml");
                let terms_src =
                    files.iter().find(|(n, _)| n == "terms.toml").map(|(_, s)| s.as_str()).ok_or_else(|| {
                        Error::config(Location::file(&terms_path), "the licence registry has no terms.toml")
                    })?;
                let borrowed: Vec<(&str, &str)> = files.iter().map(|(n, s)| (n.as_str(), s.as_str())).collect();
                (Registry::parse(dir, &borrowed)?, Terms::parse(&terms_path, terms_src)?)
            }
        };
        let withdrawals = match withdrawals {
            None => Withdrawals::default(),
            Some(path) => {
                let src = crate::files::read_text(path, 256 << 20).map_err(|e| {
                    Error::config(Location::file(path), format!("cannot read the withdrawal list: {e}"))
                })?;
                hash("withdrawals", &src);
                Withdrawals::parse(path, &src)?
            }
        };
        let fingerprint = crate::ingest::hex(&hasher.finalize());
        Ok(Self { registry, terms, withdrawals, run_date, fingerprint })
    }

    /// The decision for a whole contribution (no document-level withdrawal).
    pub fn decide_contribution(&self, c: &Contribution) -> Decision {
        let m = &c.manifest;
        let withdrawn = self.withdrawals.contribution(&m.id, self.run_date).is_some();
        let ctx = Context {
            visibility: m.visibility,
            expires: m.agreement.as_ref().and_then(|a| a.expires),
            withdrawn,
            run_date: self.run_date,
        };
        decide(&self.canonical(&m.licence), &ctx, &self.registry, &self.terms)
    }

    /// `expression` with every licence written as people write it (`CC BY 4.0`,
    /// `創用CC 姓名標示 4.0 國際`) replaced by its registry id.
    pub fn canonical(&self, expression: &str) -> String {
        self.registry.aliases.canonical(expression)
    }

    /// The registry ids a contribution of `visibility` with no agreement end would be
    /// admitted under, in id order: the list a contributor chooses from.
    pub fn admissible(&self, visibility: Visibility) -> Vec<&str> {
        let ctx = Context { visibility, expires: None, withdrawn: false, run_date: self.run_date };
        self.registry
            .iter()
            .filter(|l| decide(&l.id, &ctx, &self.registry, &self.terms).tier.is_some())
            .map(|l| l.id.as_str())
            .collect()
    }
}

/// A document's circumstances, besides its licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    /// The contribution's visibility.
    pub visibility: Visibility,
    /// When the contribution's agreement ends, if it does.
    pub expires: Option<Date>,
    /// Whether the document or its contribution is withdrawn.
    pub withdrawn: bool,
    /// The date the terms are applied on.
    pub run_date: Date,
}

/// Where a document goes and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The tier; `None` means excluded.
    pub tier: Option<Tier>,
    /// The id of the rule that decided.
    pub rule: String,
    /// The rule's explanation.
    pub because: String,
    /// The registry licence that decided (for an expression, the branch chosen).
    pub licence: String,
}

impl Decision {
    fn excluded(rule: &str, because: impl Into<String>, licence: &str) -> Self {
        Self { tier: None, rule: rule.to_string(), because: because.into(), licence: licence.to_string() }
    }

    /// `public`, …, or `excluded`.
    pub fn tier_name(&self) -> &'static str {
        self.tier.map_or("excluded", Tier::as_str)
    }

    /// Higher is more permissive: public > public-share-alike > restricted > excluded.
    fn rank(&self) -> u8 {
        match self.tier {
            Some(Tier::Public) => 3,
            Some(Tier::PublicShareAlike) => 2,
            Some(Tier::Restricted) => 1,
            None => 0,
        }
    }
}

/// The SPDX parse mode: strict syntax, but deprecated ids (e.g. `GFDL-1.3`) are accepted since
/// contributors and the registry use them.
const PARSE_MODE: spdx::ParseMode = spdx::ParseMode {
    allow_slash_as_or_operator: false,
    allow_imprecise_license_names: false,
    allow_postfix_plus_on_gpl: false,
    allow_deprecated: true,
    allow_unknown: false,
};

/// Decides a licence expression's tier: each licence is run through the terms' rules (first
/// match wins); `OR` keeps the most permissive branch, `AND` the most restrictive; `WITH`
/// exceptions only add permissions and are ignored. Two guards hold whatever the terms say: a
/// withdrawn document is excluded, and a private contribution never reaches a public tier.
pub fn decide(expression: &str, ctx: &Context, registry: &Registry, terms: &Terms) -> Decision {
    let parsed = match spdx::Expression::parse_mode(expression, PARSE_MODE) {
        Ok(e) => e,
        Err(e) => {
            return Decision::excluded(
                "invalid_expression",
                format!("`{expression}` is not an SPDX expression: {}", e.reason),
                expression,
            );
        }
    };
    let mut stack: Vec<Decision> = Vec::new();
    for node in parsed.iter() {
        match node {
            ExprNode::Req(req) => {
                let id = match &req.req.license {
                    spdx::LicenseItem::Spdx { id, .. } => id.name.to_string(),
                    spdx::LicenseItem::Other(r) => format!("LicenseRef-{}", r.lic_ref),
                };
                stack.push(decide_one(&id, ctx, registry, terms));
            }
            ExprNode::Op(op) => {
                let (Some(b), Some(a)) = (stack.pop(), stack.pop()) else {
                    return Decision::excluded("invalid_expression", "unbalanced expression", expression);
                };
                let left_wins = match op {
                    Operator::Or => a.rank() >= b.rank(),
                    Operator::And => a.rank() <= b.rank(),
                };
                stack.push(if left_wins { a } else { b });
            }
        }
    }
    let mut decision = match (stack.pop(), stack.is_empty()) {
        (Some(d), true) => d,
        _ => Decision::excluded("invalid_expression", "unbalanced expression", expression),
    };
    if ctx.withdrawn && decision.tier.is_some() {
        decision = Decision::excluded("withdrawn", "withdrawn by the contributor", &decision.licence);
    }
    if ctx.visibility == Visibility::Private && decision.tier.is_some_and(Tier::is_public) {
        decision.tier = Some(Tier::Restricted);
        decision.rule = "private_contribution".to_string();
        decision.because = "private contributions are for training only and are never published".to_string();
    }
    decision
}

/// Runs one registry licence through the rules.
fn decide_one(id: &str, ctx: &Context, registry: &Registry, terms: &Terms) -> Decision {
    let licence = registry.get(id);
    let value = |key: &str| -> &'static str {
        match key {
            "known" => {
                if licence.is_some() {
                    "yes"
                } else {
                    "no"
                }
            }
            "visibility" => match ctx.visibility {
                Visibility::Public => "public",
                Visibility::Private => "private",
            },
            "expired" => {
                if ctx.expires.is_some_and(|e| e < ctx.run_date) {
                    "yes"
                } else {
                    "no"
                }
            }
            "withdrawn" => {
                if ctx.withdrawn {
                    "yes"
                } else {
                    "no"
                }
            }
            field => licence.and_then(|l| l.field(field)).map_or("unknown", Tri::as_str),
        }
    };
    for rule in &terms.rules {
        if rule.when.iter().all(|(key, values)| values.iter().any(|v| v == value(key))) {
            let tier = match rule.tier.as_str() {
                "excluded" => None,
                other => Tier::parse(other),
            };
            return Decision { tier, rule: rule.id.clone(), because: rule.because.clone(), licence: id.to_string() };
        }
    }
    Decision::excluded("no_rule_matched", "no rule of the terms admits this licence", id)
}

/// The column the licence stage appends: the registry licence that decided the document's tier
/// (for an `OR` expression, the branch chosen). Share-alike shards are split by it.
pub const LICENCE_APPLIED: &str = "licence_applied";

/// The licence stage: drops withdrawn and excluded documents, sets the tier of the others and
/// records the licence applied.
#[derive(Debug)]
pub struct LicenceStage {
    licensing: Arc<Licensing>,
    /// The decision of each contribution, made once.
    decisions: HashMap<String, Decision>,
}

impl LicenceStage {
    /// Decides every contribution once.
    pub fn new(licensing: Arc<Licensing>, contributions: &[Arc<Contribution>]) -> Self {
        let decisions = contributions.iter().map(|c| (c.id().to_string(), licensing.decide_contribution(c))).collect();
        Self { licensing, decisions }
    }
}

impl Stage for LicenceStage {
    fn name(&self) -> &'static str {
        "licence"
    }

    fn process(&self, batch: DocBatch) -> Result<Processed> {
        let ids = batch.doc_ids();
        let contributions = batch.contribution_ids();
        let mut verdicts = Vec::with_capacity(batch.num_rows());
        let mut tiers = Vec::with_capacity(batch.num_rows());
        let mut applied = Vec::with_capacity(batch.num_rows());
        let run_date = self.licensing.run_date;
        for i in 0..batch.num_rows() {
            let contribution = contributions.value(i);
            let decision = self
                .decisions
                .get(contribution)
                .ok_or_else(|| Error::Internal(format!("no licence decision for contribution `{contribution}`")))?;
            let verdict = if let Some(w) = self.licensing.withdrawals.lookup(contribution, ids.value(i), run_date) {
                Verdict::Drop {
                    reason: DropReason::Withdrawn,
                    detail: Some(format!("withdrawn on {}: {}", w.date, w.reason)),
                }
            } else if decision.tier.is_none() {
                let detail = format!("rule `{}` ({}): {}", decision.rule, decision.licence, decision.because);
                Verdict::Drop { reason: DropReason::LicenceExcluded, detail: Some(detail) }
            } else {
                Verdict::Keep
            };
            // A record that declared a tier of its own (a shard read again) keeps the more
            // restrictive of the two: a licence decision never raises a document's tier.
            let tier = match (decision.tier, Tier::parse(batch.tiers().value(i))) {
                (Some(t), Some(own)) => t.most_restrictive(own).as_str(),
                _ => decision.tier_name(),
            };
            tiers.push(tier);
            applied.push(decision.licence.as_str());
            verdicts.push(verdict);
        }
        let tiers: ArrayRef = Arc::new(StringArray::from(tiers));
        let applied: ArrayRef = Arc::new(StringArray::from(applied));
        let batch = batch.with_column(TIER, tiers)?.with_column(LICENCE_APPLIED, applied)?;
        Ok(Processed { batch, verdicts })
    }
}

/// Today's date in UTC, from the system clock.
pub fn today() -> Date {
    let days =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() / 86_400).unwrap_or(0)
            as i64;
    civil_from_days(days)
}

/// Days since 1970-01-01 → proleptic Gregorian date (Howard Hinnant's `civil_from_days`;
/// written out because std has no calendar and this is its only use).
fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    Date { year, month, day }
}

#[cfg(test)]
mod tests;
