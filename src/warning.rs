//! Problems worth telling the user that never stop the run.

use serde::Serialize;

use crate::location::Location;

/// Stable kebab-case codes, part of the JSON contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningCode {
    ParseError,
    MissingModuleFile,
    OutsideWorkspace,
    UnusedSuppression,
    StaleBaseline,
    ModuleCycle,
    RepeatedModuleFile,
    /// A suppression or baseline entry within its warning window.
    ExpiringExemption,
    /// `check --base`: the policy, baseline or suppressions allow more than
    /// at the base revision (fails the run).
    PolicyLoosened,
    /// A loosening its rule's `loosened = "why"` accepts.
    AcceptedLoosening,
}

impl WarningCode {
    pub const ALL: [WarningCode; 10] = [
        WarningCode::ParseError,
        WarningCode::MissingModuleFile,
        WarningCode::OutsideWorkspace,
        WarningCode::UnusedSuppression,
        WarningCode::StaleBaseline,
        WarningCode::ModuleCycle,
        WarningCode::RepeatedModuleFile,
        WarningCode::ExpiringExemption,
        WarningCode::PolicyLoosened,
        WarningCode::AcceptedLoosening,
    ];

    /// A stale baseline fails the check: the baseline may only shrink; so
    /// does a loosening of the policy that no `loosened` accepts.
    pub fn is_error(self) -> bool {
        matches!(
            self,
            WarningCode::StaleBaseline | WarningCode::PolicyLoosened
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::ParseError => "parse-error",
            WarningCode::MissingModuleFile => "missing-module-file",
            WarningCode::OutsideWorkspace => "outside-workspace",
            WarningCode::UnusedSuppression => "unused-suppression",
            WarningCode::StaleBaseline => "stale-baseline",
            WarningCode::ModuleCycle => "module-cycle",
            WarningCode::RepeatedModuleFile => "repeated-module-file",
            WarningCode::ExpiringExemption => "expiring-exemption",
            WarningCode::PolicyLoosened => "policy-loosened",
            WarningCode::AcceptedLoosening => "accepted-loosening",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub location: Option<Location>,
    pub code: WarningCode,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let codes: std::collections::BTreeSet<_> =
            WarningCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(codes.len(), WarningCode::ALL.len());
        for code in codes {
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{code}"
            );
        }
    }
}
