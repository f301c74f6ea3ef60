//! The verdict of a check run: whether it fails, and the counts behind it.
//! Computed here, once, from what the check found; the formats print it and
//! the binary turns it into an exit code.

use super::baseline::Shrunk;
use super::Violation;
use crate::policy::Severity;
use crate::warning::{Warning, WarningCode};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verdict {
    /// Error-severity violations the baseline does not cover.
    pub errors: usize,
    /// Warn-severity violations the baseline does not cover.
    pub warnings: usize,
    /// Violations the baseline covers: real, but tolerated.
    pub baselined: usize,
    /// Stale baseline entries: the baseline may only shrink, so they fail
    /// the run.
    pub stale_entries: usize,
    /// `check --base`: loosenings of the policy no `loosened` accepts; they
    /// fail the run.
    pub loosenings: usize,
    /// The tool's other warnings, by code (parse errors, unused
    /// suppressions, ...): they never fail the run.
    pub tool_warnings: Vec<(WarningCode, usize)>,
    /// What changed against the baseline, when the run compared with one.
    pub baseline: Option<BaselineDelta>,
    /// Exemptions (suppressions, baseline entries) that expire soon, by
    /// rule name.
    pub expiring_by_rule: std::collections::BTreeMap<String, usize>,
}

/// What changed against the baseline: violations it does not cover, and
/// baselined violations that are gone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BaselineDelta {
    /// Violations the baseline does not cover (errors and warnings).
    pub new: usize,
    /// Baselined violations that no longer occur.
    pub fixed: usize,
    /// Fixed violations by rule name.
    pub fixed_by_rule: std::collections::BTreeMap<String, usize>,
}

impl Verdict {
    pub fn new(violations: &[Violation], warnings: &[Warning]) -> Verdict {
        let mut verdict = Verdict::default();
        for violation in violations {
            match (violation.baselined, violation.severity) {
                (true, _) => verdict.baselined += 1,
                (false, Severity::Error) => verdict.errors += 1,
                (false, Severity::Warn) => verdict.warnings += 1,
            }
        }
        let mut by_code = std::collections::BTreeMap::new();
        for warning in warnings {
            if warning.code == WarningCode::PolicyLoosened {
                verdict.loosenings += 1;
            } else if warning.code.is_error() {
                verdict.stale_entries += 1;
            } else {
                *by_code.entry(warning.code).or_insert(0) += 1;
            }
        }
        verdict.tool_warnings = by_code.into_iter().collect();
        verdict
    }

    /// Records the comparison with the baseline: its shrunk entries.
    pub fn compared_with_baseline(&mut self, shrunk: &[Shrunk]) {
        let mut delta = BaselineDelta {
            new: self.active(),
            ..BaselineDelta::default()
        };
        for entry in shrunk {
            delta.fixed += entry.was - entry.now;
            *delta
                .fixed_by_rule
                .entry(entry.key.rule.clone())
                .or_default() += entry.was - entry.now;
        }
        self.baseline = Some(delta);
    }

    /// Whether the run fails (exit code 1): an error-severity violation
    /// beyond the baseline, or a stale baseline entry.
    pub fn fails(&self) -> bool {
        self.errors > 0 || self.stale_entries > 0 || self.loosenings > 0
    }

    /// Violations that count: the ones the baseline does not cover.
    pub fn active(&self) -> usize {
        self.errors + self.warnings
    }

    pub fn tool_warning_count(&self) -> usize {
        self.tool_warnings.iter().map(|(_, count)| count).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::Location;

    fn violation(severity: Severity, baselined: bool) -> Violation {
        Violation {
            rule: 0,
            references: vec![0],
            message: String::new(),
            severity,
            baselined,
            key: None,
            suggestion: None,
            owners: None,
        }
    }

    fn warning(code: WarningCode) -> Warning {
        Warning {
            location: Some(Location::from_bytes("a.rs", "x", 0..1)),
            code,
            message: String::new(),
        }
    }

    #[test]
    fn warn_severity_and_baselined_violations_never_fail() {
        let verdict = Verdict::new(
            &[
                violation(Severity::Warn, false),
                violation(Severity::Error, true),
            ],
            &[warning(WarningCode::ParseError)],
        );
        assert!(!verdict.fails());
        assert_eq!((verdict.warnings, verdict.baselined), (1, 1));
        assert_eq!(verdict.tool_warnings, [(WarningCode::ParseError, 1)]);
    }

    #[test]
    fn an_error_or_a_stale_entry_fails() {
        assert!(Verdict::new(&[violation(Severity::Error, false)], &[]).fails());
        let stale = Verdict::new(&[], &[warning(WarningCode::StaleBaseline)]);
        assert!(stale.fails());
        assert_eq!(stale.tool_warning_count(), 0);
    }
}
