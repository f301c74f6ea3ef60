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
}

impl WarningCode {
    pub const ALL: [WarningCode; 8] = [
        WarningCode::ParseError,
        WarningCode::MissingModuleFile,
        WarningCode::OutsideWorkspace,
        WarningCode::UnusedSuppression,
        WarningCode::StaleBaseline,
        WarningCode::ModuleCycle,
        WarningCode::RepeatedModuleFile,
        WarningCode::ExpiringExemption,
    ];

    /// A stale baseline fails the check: the baseline may only shrink.
    pub fn is_error(self) -> bool {
        self == WarningCode::StaleBaseline
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
