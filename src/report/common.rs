//! What the CI and editor formats share: one flat view of each violation and
//! warning, with a stable fingerprint.
//!
//! Fingerprints identify a problem across runs and unrelated edits, so CI
//! services can tell new problems from known ones. They hash
//! `(rule, from module, resolved path, occurrence)` for a violation and
//! `(code, file, message, occurrence)` for a warning, where the occurrence
//! counts earlier entries with the same key in the (sorted) output. No line or
//! column goes in, so adding lines above a reference keeps its fingerprint.

use std::collections::BTreeMap;

use super::CheckRun;
use crate::check::Violation;
use crate::location::Location;
use crate::policy::{RuleTable, Severity};
use crate::source::Reference;
use crate::warning::{Warning, WarningCode};

/// One violation with everything the formats print.
pub struct Entry<'a> {
    pub rule_index: usize,
    pub rule: &'a RuleTable,
    pub violation: &'a Violation,
    /// The located reference (the first edge of a cycle).
    pub reference: &'a Reference,
    pub location: &'a Location,
    pub fingerprint: String,
}

impl Entry<'_> {
    pub fn level(&self) -> Level {
        Level::of(self.violation.severity)
    }

    pub fn message(&self) -> &str {
        &self.violation.message
    }

    /// The message followed by the rule's reason in parentheses, and the
    /// path to use instead when there is one, for formats with a single
    /// text field.
    pub fn message_with_reason(&self) -> String {
        let mut text = match &self.rule.reason {
            Some(reason) => format!("{} ({reason})", self.violation.message),
            None => self.violation.message.clone(),
        };
        if let Some(suggestion) = &self.violation.suggestion {
            text.push_str("; ");
            text.push_str(&suggestion.help());
        }
        text
    }
}

/// What a violation's help says, one line each: the rule's reason, its
/// `help`, the path to use instead, and its `docs` URL.
pub fn help_lines(rule: &RuleTable, violation: &Violation) -> Option<String> {
    let lines: Vec<String> = [
        rule.reason.clone(),
        rule.help.clone(),
        violation.suggestion.as_ref().map(|s| s.help()),
        violation.owners.as_deref().map(owners_line),
        rule.docs.as_ref().map(|url| format!("see {url}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// `owners: @a here, @b there`: who owns the file, and the code it reaches.
pub fn owners_line(owners: &crate::owners::ViolationOwners) -> String {
    let list = |owners: &[String]| {
        if owners.is_empty() {
            "nobody".to_string()
        } else {
            owners.join(" ")
        }
    };
    format!(
        "owners: {} (this file), {} (the code it reaches)",
        list(&owners.from),
        list(&owners.to)
    )
}

/// One tool warning with its fingerprint.
pub struct WarningEntry<'a> {
    pub warning: &'a Warning,
    pub fingerprint: String,
}

impl<'a> WarningEntry<'a> {
    pub fn code(&self) -> WarningCode {
        self.warning.code
    }

    pub fn location(&self) -> Option<&'a Location> {
        self.warning.location.as_ref()
    }

    /// `error` for the warnings that fail the run (a stale baseline), else
    /// `warning`.
    pub fn level(&self) -> Level {
        Level::of_warning(self.warning.code)
    }
}

/// How bad a problem is, in the words every format but `json` prints
/// (rustc's `error` and `warning`). The JSON report keeps the policy's own
/// words (`error`, `warn`), a promise of its schema, through
/// [`Severity`]'s serialization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    pub fn of(severity: Severity) -> Level {
        match severity {
            Severity::Error => Level::Error,
            Severity::Warn => Level::Warning,
        }
    }

    /// A stale baseline fails the run: an error; other tool warnings are
    /// warnings.
    pub fn of_warning(code: WarningCode) -> Level {
        if code.is_error() {
            Level::Error
        } else {
            Level::Warning
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }

    pub fn miette(self) -> miette::Severity {
        match self {
            Level::Error => miette::Severity::Error,
            Level::Warning => miette::Severity::Warning,
        }
    }
}

/// Every violation, baselined ones included, in the run's order.
pub fn entries<'a>(run: &CheckRun<'a>) -> Vec<Entry<'a>> {
    let model = &run.graph.model;
    let mut occurrences: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    run.violations
        .iter()
        .map(|violation| {
            let rule = &run.policy.rules[violation.rule].table;
            let reference = &model.references[violation.reference()];
            let from = model.modules[reference.from].path.as_str();
            let seen = occurrences
                .entry((&rule.name, from, &reference.path))
                .or_insert(0);
            let occurrence = *seen;
            *seen += 1;
            Entry {
                rule_index: violation.rule,
                rule,
                violation,
                reference,
                location: &reference.location,
                fingerprint: fingerprint(&[
                    "violation",
                    &rule.name,
                    from,
                    &reference.path,
                    &occurrence.to_string(),
                ]),
            }
        })
        .collect()
}

/// Violations that count: the baselined ones are left out.
pub fn active_entries<'a>(run: &CheckRun<'a>) -> Vec<Entry<'a>> {
    entries(run)
        .into_iter()
        .filter(|e| !e.violation.baselined)
        .collect()
}

/// Every warning, in the run's order.
pub fn warning_entries<'a>(run: &CheckRun<'a>) -> Vec<WarningEntry<'a>> {
    let mut occurrences: BTreeMap<(WarningCode, &str, &str), usize> = BTreeMap::new();
    run.warnings
        .iter()
        .map(|warning| {
            let file = warning.location.as_ref().map_or("", |l| &*l.file);
            let seen = occurrences
                .entry((warning.code, file, &warning.message))
                .or_insert(0);
            let occurrence = *seen;
            *seen += 1;
            WarningEntry {
                warning,
                fingerprint: fingerprint(&[
                    "warning",
                    warning.code.as_str(),
                    file,
                    &warning.message,
                    &occurrence.to_string(),
                ]),
            }
        })
        .collect()
}

/// A stable fingerprint of some text fields: FNV-1a 64 over the fields, each
/// followed by a `0xff` byte (which never occurs in UTF-8), as 16 hex digits.
/// Written out rather than taken from `std::hash`, whose algorithm may change
/// between Rust versions.
pub fn fingerprint(fields: &[&str]) -> String {
    let bytes = fields.iter().flat_map(|field| field.bytes().chain([0xff]));
    format!("{:016x}", fnv1a64(bytes))
}

fn fnv1a64(bytes: impl IntoIterator<Item = u8>) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.into_iter().fold(OFFSET_BASIS, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_published_test_vectors() {
        assert_eq!(fnv1a64(*b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(*b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(*b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn fields_are_separated() {
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
    }

    #[test]
    fn fingerprint_is_pinned() {
        // A change here reopens every known alert in CI: do it on purpose only.
        assert_eq!(
            fingerprint(&["violation", "r", "a", "b", "0"]),
            "0b18c78a99bf337c"
        );
    }
}
