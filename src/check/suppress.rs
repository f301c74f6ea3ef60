//! Inline suppressions: `// boundaries: allow(rule) reason` on a
//! reference's line, or alone on the line above, silences that rule there.

use std::collections::{BTreeMap, BTreeSet};

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

pub fn apply(
    violations: Vec<Violation>,
    suppressions: &[Suppression],
    policy: &CompiledPolicy,
    references: &[Reference],
    require_reason: bool,
) -> Suppressed {
    let names: BTreeSet<&str> = policy.rules.iter().map(|r| r.table.name.as_str()).collect();
    let mut errors = Vec::new();
    // (file, line) → suppression index.
    let mut by_line: BTreeMap<(&str, usize), Vec<usize>> = BTreeMap::new();
    for (i, s) in suppressions.iter().enumerate() {
        by_line
            .entry((&s.location.file, s.location.line))
            .or_default()
            .push(i);
        for (name, location) in &s.rules {
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
    let mut kept = Vec::new();
    for violation in violations {
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
                .find(|&s| suppressions[s].rules.iter().any(|(name, _)| name == rule))
        });
        match silencer {
            Some(s) => {
                used.insert((s, rule));
            }
            None => kept.push(violation),
        }
    }

    let mut warnings = Vec::new();
    for (i, s) in suppressions.iter().enumerate() {
        for (name, location) in &s.rules {
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
