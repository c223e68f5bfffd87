//! The one decision of which tier's shards a document may reach. Every writer of shards goes
//! through [`Gate::tier`] twice: when a task sorts its kept documents into partitions (phase
//! 1, `corpus run`, `corpus dedup` and `corpus tokenize` alike), and again for every row as a
//! shard is written (phase 2, so a resumed run re-checks what earlier work left).
//!
//! A document's tier is the most restrictive of: the tier its row carries (set at ingest from
//! the contribution's visibility, lowered by a tier the record itself declares, then by the
//! licence stage), its contribution's licence decision, and `restricted` for any private
//! contribution. So a private or restricted document cannot reach a public shard by any path
//! the stages take, and a row that arrives with a tier its contribution does not allow stops
//! the run rather than being published.

use std::collections::BTreeMap;

use super::plan::Plan;
use crate::batch::Tier;
use crate::error::{Error, Result};
use crate::ingest::manifest::Visibility;

/// The tiers each contribution of a plan allows.
#[derive(Debug)]
pub(super) struct Gate {
    /// Loose files: no licence decision; a row keeps the tier it declares.
    loose: bool,
    /// Per contribution id: the most permissive tier it may reach (`None`: none).
    caps: BTreeMap<String, Option<Tier>>,
}

impl Gate {
    /// The caps of `plan`'s contributions.
    pub(super) fn new(plan: &Plan) -> Self {
        let caps = plan
            .contributions
            .iter()
            .map(|c| {
                let decided = plan.licensing.decide_contribution(c).tier;
                let cap = match c.manifest.visibility {
                    Visibility::Private => decided.map(|t| t.most_restrictive(Tier::Restricted)),
                    Visibility::Public => decided,
                };
                (c.id().to_string(), cap)
            })
            .collect();
        Self { loose: plan.loose, caps }
    }

    /// The tier whose shards a document of `contribution` whose row says `row_tier` goes to;
    /// an error (the run stops, nothing is written) for a contribution that may reach no tier
    /// or a tier value that is not one.
    pub(super) fn tier(&self, contribution: &str, row_tier: &str) -> Result<Tier> {
        let row = Tier::parse(row_tier).ok_or_else(|| {
            Error::Internal(format!("a document of `{contribution}` has tier `{row_tier}`; it is not written"))
        })?;
        if self.loose {
            return Ok(row);
        }
        match self.caps.get(contribution) {
            Some(Some(cap)) => Ok(row.most_restrictive(*cap)),
            _ => Err(Error::Internal(format!(
                "a document of `{contribution}` reached the shards, but its contribution may reach no tier; it is not written"
            ))),
        }
    }

    /// Checks that every row of a shard being written under `tier` belongs there.
    pub(super) fn check(&self, contributions: &[&str], tiers: &[&str], tier: Tier, shard: &str) -> Result<()> {
        for (c, t) in contributions.iter().zip(tiers) {
            let allowed = self.tier(c, t)?;
            if allowed != tier {
                return Err(Error::Internal(format!(
                    "{shard}: a document of `{c}` may reach the {allowed} tier only, not {tier}; the shard is not written"
                )));
            }
        }
        Ok(())
    }
}
