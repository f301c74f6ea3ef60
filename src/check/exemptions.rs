//! Every exemption of a run, for `cargo boundaries exemptions` and the
//! reports' "expiring soon" counts: each rule an inline suppression names,
//! and each baseline entry, with its terms and where it stands today.

use super::baseline::Entry;
use super::expiry::{ExpiryRules, Standing, Terms};
use super::suppress::{rule_names, terms};
use crate::location::Location;
use crate::source::Suppression;

/// Where an exemption is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An inline `// boundaries: allow(..)` comment.
    Suppression,
    /// A `[[violation]]` of the baseline file.
    Baseline,
}

#[derive(Debug, Clone)]
pub struct Exemption {
    pub kind: Kind,
    pub rule: String,
    /// The comment, or the entry in the baseline file.
    pub location: Option<Location>,
    /// For a baseline entry: the modules and how many violations it covers.
    pub entry: Option<(String, String, usize)>,
    pub reason: Option<String>,
    pub terms: Terms,
    pub standing: Standing,
    /// Days from today to its date (negative once past), when it has one.
    pub days_left: Option<i64>,
}

/// Every exemption, the soonest to expire first (those without a date
/// last), then by place and rule.
pub fn list(
    suppressions: &[Suppression],
    baseline: &[Entry],
    rules: &ExpiryRules,
) -> Vec<Exemption> {
    let mut all = Vec::new();
    for suppression in suppressions {
        let (terms, _) = terms(suppression);
        for (rule, _) in rule_names(suppression) {
            all.push(exemption(
                Kind::Suppression,
                rule.clone(),
                Some(suppression.location.clone()),
                None,
                suppression.reason.clone(),
                terms.clone(),
                rules,
            ));
        }
    }
    for entry in baseline {
        all.push(exemption(
            Kind::Baseline,
            entry.key.rule.clone(),
            entry.location.clone(),
            Some((entry.key.from.clone(), entry.key.to.clone(), entry.count)),
            None,
            entry.terms.clone(),
            rules,
        ));
    }
    all.sort_by(|a, b| {
        let order = |e: &Exemption| {
            (
                e.terms.until.is_none(),
                e.terms.until,
                e.location
                    .as_ref()
                    .map(|l| (l.file.clone(), l.line, l.column)),
                e.rule.clone(),
                e.kind,
            )
        };
        order(a).cmp(&order(b))
    });
    all
}

fn exemption(
    kind: Kind,
    rule: String,
    location: Option<Location>,
    entry: Option<(String, String, usize)>,
    reason: Option<String>,
    terms: Terms,
    rules: &ExpiryRules,
) -> Exemption {
    Exemption {
        kind,
        rule,
        location,
        entry,
        reason,
        standing: terms.standing(rules),
        days_left: terms.until.map(|until| rules.today.days_until(until)),
        terms,
    }
}
