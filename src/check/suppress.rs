//! Inline suppressions: `// boundaries: allow(rule) reason` on a
//! reference's line, or alone on the line above, silences that rule there.
//!
//! Between the parentheses, `key = value` entries are the exemption's
//! terms, not rule names: `until = 2027-03-31` and `owner = "@payments"`
//! (see [`super::expiry`]). Past its date a suppression silences nothing
//! and the violation says so; within the warning window it is an
//! `expiring-exemption` warning.

use std::collections::{BTreeMap, BTreeSet};

use super::expiry::{Date, ExpiryRules, Standing, Terms};
use super::{CompiledPolicy, Violation};
use crate::location::Location;
use crate::source::{Reference, Suppression};
use crate::warning::{Warning, WarningCode};

/// A suppression comment that cannot be honoured: the run stops (exit 2).
#[derive(Debug, Clone)]
pub struct SuppressionError {
    pub location: Location,
    pub message: String,
    pub help: Option<String>,
}

pub struct Suppressed {
    pub violations: Vec<Violation>,
    /// `unused-suppression` warnings.
    pub warnings: Vec<Warning>,
    pub errors: Vec<SuppressionError>,
}

/// What the policy asks of suppressions, and today's date.
#[derive(Debug, Clone, Copy)]
pub struct SuppressionRules {
    pub require_reason: bool,
    pub expiry: ExpiryRules,
}

/// A suppression's rule names (the entries that are not `key = value`).
pub fn rule_names(suppression: &Suppression) -> impl Iterator<Item = &(String, Location)> {
    suppression
        .rules
        .iter()
        .filter(|(name, _)| !name.contains('='))
}

/// A suppression's terms (`until`, `owner`), with the problems of its
/// `key = value` entries.
pub fn terms(suppression: &Suppression) -> (Terms, Vec<SuppressionError>) {
    let mut terms = Terms::default();
    let mut errors = Vec::new();
    for (entry, location) in &suppression.rules {
        let Some((key, value)) = entry.split_once('=') else {
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "until" => match Date::parse(value.trim_matches('"')) {
                Some(date) => terms.until = Some(date),
                None => errors.push(SuppressionError {
                    location: location.clone(),
                    message: format!("`until = {value}` is not a date"),
                    help: Some("write the date as `until = YYYY-MM-DD`".to_string()),
                }),
            },
            "owner" if !value.trim_matches('"').is_empty() => {
                terms.owner = Some(value.trim_matches('"').to_string())
            }
            "owner" => errors.push(SuppressionError {
                location: location.clone(),
                message: "`owner` is empty".to_string(),
                help: Some("name who owns the exemption: `owner = \"@team\"`".to_string()),
            }),
            other => errors.push(SuppressionError {
                location: location.clone(),
                message: format!("unknown key `{other}` in a suppression"),
                help: Some(
                    crate::suggest::closest(other, ["until", "owner"])
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "a suppression takes `until` and `owner`".to_string()),
                ),
            }),
        }
    }
    (terms, errors)
}

pub fn apply(
    violations: Vec<Violation>,
    suppressions: &[Suppression],
    policy: &CompiledPolicy,
    references: &[Reference],
    rules: &SuppressionRules,
) -> Suppressed {
    // Nothing to silence, check or warn of: the violations stand as they
    // are (tens of thousands of them on a big workspace, not moved).
    if suppressions.is_empty() {
        return Suppressed {
            violations,
            warnings: Vec::new(),
            errors: Vec::new(),
        };
    }
    let require_reason = rules.require_reason;
    let names: BTreeSet<&str> = policy.rules.iter().map(|r| r.table.name.as_str()).collect();
    let mut errors = Vec::new();
    let mut all_terms = Vec::with_capacity(suppressions.len());
    // (file, line) → suppression index.
    let mut by_line: BTreeMap<(&str, u32), Vec<usize>> = BTreeMap::new();
    for (i, s) in suppressions.iter().enumerate() {
        by_line
            .entry((&s.location.file, s.location.line))
            .or_default()
            .push(i);
        let (terms, mut problems) = terms(s);
        errors.append(&mut problems);
        if rules.expiry.require_expiry && terms.until.is_none() {
            errors.push(SuppressionError {
                location: s.location.clone(),
                message: "this suppression has no expiry date".to_string(),
                help: Some(
                    "the policy sets `require-expiry`: add `until = YYYY-MM-DD` inside `allow(..)`"
                        .to_string(),
                ),
            });
        }
        all_terms.push(terms);
        for (name, location) in rule_names(s) {
            if !names.contains(name.as_str()) {
                errors.push(SuppressionError {
                    location: location.clone(),
                    message: format!("unknown rule `{name}` in a suppression"),
                    help: Some(
                        crate::suggest::closest(name, names.iter().copied())
                            .map(|s| format!("did you mean `{s}`?"))
                            .unwrap_or_else(|| {
                                let known: Vec<String> =
                                    names.iter().map(|n| format!("`{n}`")).collect();
                                format!("the policy's rules are {}", known.join(", "))
                            }),
                    ),
                });
            }
        }
        if require_reason && s.reason.is_none() {
            errors.push(SuppressionError {
                location: s.location.clone(),
                message: "this suppression gives no reason".to_string(),
                help: Some(
                    "the policy sets `require-suppression-reason`: write why after `allow(..)`"
                        .to_string(),
                ),
            });
        }
    }

    let mut used: BTreeSet<(usize, &str)> = BTreeSet::new();
    let mut kept = Vec::with_capacity(violations.len());
    let mut warnings = Vec::new();
    for mut violation in violations {
        let rule = policy.rules[violation.rule].table.name.as_str();
        let silencer = violation.references.iter().find_map(|&r| {
            let location = &references[r].location;
            // The reference's own line, or a comment alone on the line
            // above (a comment after code there is about that code).
            let same_line = by_line
                .get(&(&*location.file, location.line))
                .into_iter()
                .flatten();
            let line_above = by_line
                .get(&(&*location.file, location.line.saturating_sub(1)))
                .into_iter()
                .flatten()
                .filter(|&&s| suppressions[s].own_line);
            same_line
                .chain(line_above)
                .copied()
                .find(|&s| rule_names(&suppressions[s]).any(|(name, _)| name == rule))
        });
        let Some(s) = silencer else {
            kept.push(violation);
            continue;
        };
        let first_use = used.insert((s, rule));
        let terms = &all_terms[s];
        let at = &suppressions[s].location;
        match terms.standing(&rules.expiry) {
            Standing::Open => {}
            Standing::Expiring(left) if first_use => warnings.push(Warning {
                location: Some(at.clone()),
                code: WarningCode::ExpiringExemption,
                message: format!(
                    "the exemption `allow({rule})` expires on {}{}{}; fix what it silences or move its date",
                    terms.until.expect("an expiring exemption has a date"),
                    days_left(left),
                    terms.owned_by()
                ),
            }),
            Standing::Expiring(_) => {}
            Standing::Expired => {
                violation.message.push_str(&format!(
                    " (its exemption `allow({rule})` at {}:{} expired on {}{})",
                    at.file,
                    at.line,
                    terms.until.expect("an expired exemption has a date"),
                    terms.owned_by()
                ));
                kept.push(violation);
            }
        }
    }

    for (i, s) in suppressions.iter().enumerate() {
        for (name, location) in rule_names(s) {
            if names.contains(name.as_str()) && !used.contains(&(i, name.as_str())) {
                warnings.push(Warning {
                    location: Some(location.clone()),
                    code: WarningCode::UnusedSuppression,
                    message: format!(
                        "`allow({name})` silences nothing on {}; remove it",
                        if s.own_line {
                            "this line or the next"
                        } else {
                            "this line"
                        }
                    ),
                });
            }
        }
    }
    Suppressed {
        violations: kept,
        warnings,
        errors,
    }
}

/// ` (in 3 days)`, ` (its last day)`.
pub fn days_left(left: i64) -> String {
    match left {
        0 => " (its last day)".to_string(),
        1 => " (in 1 day)".to_string(),
        n => format!(" (in {n} days)"),
    }
}
