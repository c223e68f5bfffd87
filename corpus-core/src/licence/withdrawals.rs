//! The withdrawal list: contributions or documents withdrawn by their contributors, with the
//! date and reason. A withdrawal takes effect on its date; withdrawn documents are dropped with
//! reason `withdrawn`, whatever their licence.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Location, Result, line_of, toml_location};
use crate::ingest::manifest::Date;

/// One withdrawal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    /// From when it applies.
    pub date: Date,
    /// Why (written by the steward; recorded in the ledger).
    pub reason: String,
}

/// Every withdrawal, by contribution id and by doc id.
#[derive(Debug, Clone, Default)]
pub struct Withdrawals {
    contributions: HashMap<String, Withdrawal>,
    documents: HashMap<String, Withdrawal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    withdrawal: Vec<Spanned<Wire>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    #[serde(default)]
    contribution: Option<String>,
    #[serde(default)]
    doc_id: Option<String>,
    date: toml::value::Datetime,
    reason: String,
}

impl Withdrawals {
    /// Parses a withdrawal list:
    ///
    /// ```toml
    /// [[withdrawal]]
    /// contribution = "moj-laws"          # or doc_id = "moj-laws/A0000001"
    /// date = 2026-10-01
    /// reason = "the agency withdrew the dataset"
    /// ```
    pub fn parse(path: &Path, src: &str) -> Result<Self> {
        let file: File = toml::from_str(src).map_err(|e| {
            let (location, message) = toml_location(path, src, &e);
            Error::config(location, message)
        })?;
        let mut out = Withdrawals::default();
        for entry in file.withdrawal {
            let line = line_of(src, entry.span().start);
            let w = entry.into_inner();
            let error = |field: &str, message: &str| {
                Error::config(Location::file(path).with_line(line).with_field(field), message.to_string())
            };
            let date = match (w.date.date, w.date.time) {
                (Some(d), None) => Date { year: d.year, month: d.month, day: d.day },
                _ => return Err(error("date", "`date` must be a date like 2026-10-01")),
            };
            let withdrawal = Withdrawal { date, reason: w.reason };
            match (w.contribution, w.doc_id) {
                (Some(c), None) => out.contributions.insert(c, withdrawal),
                (None, Some(d)) => out.documents.insert(d, withdrawal),
                _ => return Err(error("contribution", "a withdrawal names exactly one of `contribution` or `doc_id`")),
            };
        }
        Ok(out)
    }

    /// The withdrawal that applies to a document on `run_date`, if any.
    pub fn lookup(&self, contribution: &str, doc_id: &str, run_date: Date) -> Option<&Withdrawal> {
        // Each list on its own: a document's future withdrawal must not hide its contribution's
        // withdrawal in force.
        let document = self.documents.get(doc_id).filter(|w| w.date <= run_date);
        document.or_else(|| self.contribution(contribution, run_date))
    }

    /// Whether a whole contribution is withdrawn on `run_date`.
    pub fn contribution(&self, contribution: &str, run_date: Date) -> Option<&Withdrawal> {
        self.contributions.get(contribution).filter(|w| w.date <= run_date)
    }

    /// The withdrawn doc ids in effect on `run_date`, sorted. The dedup stage uses this to
    /// drop the near-duplicates in a withdrawn document's cluster too.
    pub fn doc_ids(&self, run_date: Date) -> Vec<&str> {
        let mut ids: Vec<&str> =
            self.documents.iter().filter(|(_, w)| w.date <= run_date).map(|(id, _)| id.as_str()).collect();
        ids.sort_unstable();
        ids
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.contributions.is_empty() && self.documents.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: fn(u16, u8, u8) -> Date = |year, month, day| Date { year, month, day };

    #[test]
    fn withdrawals_apply_from_their_date() {
        let src = "[[withdrawal]]\ncontribution = \"a\"\ndate = 2026-10-01\nreason = \"r1\"\n\n\
                   [[withdrawal]]\ndoc_id = \"b/1\"\ndate = 2026-11-01\nreason = \"r2\"\n";
        let w = Withdrawals::parse(Path::new("w.toml"), src).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(w.lookup("a", "a/9", D(2026, 10, 1)).map(|w| w.reason.as_str()), Some("r1"));
        assert!(w.lookup("a", "a/9", D(2026, 9, 30)).is_none());
        assert!(w.lookup("b", "b/1", D(2026, 10, 31)).is_none());
        assert_eq!(w.doc_ids(D(2026, 11, 1)), ["b/1"]);
    }

    #[test]
    fn a_future_document_withdrawal_does_not_hide_its_contributions() {
        let src = "[[withdrawal]]\ncontribution = \"g\"\ndate = 2026-01-01\nreason = \"all\"\n\n\
                   [[withdrawal]]\ndoc_id = \"g/a\"\ndate = 2027-01-01\nreason = \"later\"\n";
        let w = Withdrawals::parse(Path::new("w.toml"), src).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(w.lookup("g", "g/a", D(2026, 11, 24)).map(|w| w.reason.as_str()), Some("all"));
    }

    #[test]
    fn a_withdrawal_names_one_target_and_errors_have_lines() {
        let both = "[[withdrawal]]\ncontribution = \"a\"\ndoc_id = \"a/1\"\ndate = 2026-10-01\nreason = \"r\"\n";
        match Withdrawals::parse(Path::new("w.toml"), both) {
            Err(Error::Config { location, .. }) => assert_eq!(location.line, Some(1)),
            other => panic!("{other:?}"),
        }
        let typo = "[[withdrawal]]\ncontribution = \"a\"\ndate = 2026-10-01\nreson = \"r\"\n";
        match Withdrawals::parse(Path::new("w.toml"), typo) {
            Err(Error::Config { location, .. }) => assert_eq!(location.line, Some(4)),
            other => panic!("{other:?}"),
        }
    }
}
