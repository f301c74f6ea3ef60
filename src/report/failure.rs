//! A run that could not do its job (exit 2), problem by problem, so the
//! machine formats still speak their format: CI shows what went wrong
//! instead of an empty report, and an editor underlines the policy entry or
//! the suppression comment at fault.

use crate::location::Location;
use crate::workspace::Workspace;

use super::Sources;

/// What kind of problem stopped the run: stable kebab-case codes, shown as
/// `boundaries::<code>` as the human output names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FailureCode {
    /// `cargo metadata` failed, or `-p` names no member.
    Workspace,
    /// No policy file or table was found.
    NoPolicy,
    /// The policy cannot be read or has problems.
    Policy,
    /// A suppression comment cannot be honoured.
    Suppression,
    /// Anything else that stops the run (bad option values, a file that
    /// cannot be written, a baseline that cannot be read).
    Error,
}

impl FailureCode {
    pub const ALL: [FailureCode; 5] = [
        FailureCode::Workspace,
        FailureCode::NoPolicy,
        FailureCode::Policy,
        FailureCode::Suppression,
        FailureCode::Error,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FailureCode::Workspace => "workspace",
            FailureCode::NoPolicy => "no-policy",
            FailureCode::Policy => "policy",
            FailureCode::Suppression => "suppression",
            FailureCode::Error => "error",
        }
    }

    /// What the code means, for formats that describe their rules.
    pub fn description(self) -> &'static str {
        match self {
            FailureCode::Workspace => "the workspace could not be read",
            FailureCode::NoPolicy => "no policy was found; run `cargo boundaries init`",
            FailureCode::Policy => "the policy has problems; nothing was checked",
            FailureCode::Suppression => {
                "a suppression comment cannot be honoured; nothing was checked"
            }
            FailureCode::Error => "the run could not do its job",
        }
    }
}

/// One problem that stopped the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: FailureCode,
    /// The problem's own code within its kind, when it has one: a policy
    /// problem's `unknown-kind`.
    pub detail: Option<&'static str>,
    pub message: String,
    pub help: Option<String>,
    /// Where the problem is (the policy entry, the suppression comment), with
    /// a path relative to the workspace root; none when it is about no
    /// file in particular.
    pub location: Option<Location>,
    /// The crate whose code the problem is in, if any.
    pub crate_name: Option<String>,
}

impl Problem {
    pub fn new(code: FailureCode, message: impl Into<String>) -> Problem {
        Problem {
            code,
            detail: None,
            message: message.into(),
            help: None,
            location: None,
            crate_name: None,
        }
    }

    /// What the machine formats name the problem by: its kind's code, then
    /// its own (`policy::unknown-kind`).
    pub fn id(&self) -> String {
        match self.detail {
            Some(detail) => format!("{}::{detail}", self.code.as_str()),
            None => self.code.as_str().to_string(),
        }
    }

    /// The message with its help, for formats with one text field.
    pub fn message_with_help(&self) -> String {
        match &self.help {
            Some(help) => format!("{}\nhelp: {help}", self.message),
            None => self.message.clone(),
        }
    }
}

/// Everything a format needs to describe a failed run.
pub struct FailedRun<'a> {
    pub problems: &'a [Problem],
    /// The workspace, when it was read before the run failed.
    pub workspace: Option<&'a Workspace>,
    /// The text of the files the problems are located in.
    pub sources: &'a Sources,
    /// The policy file as shown to users, when one was found: formats that
    /// need a file for every entry point there.
    pub policy_file: Option<&'a str>,
}

impl FailedRun<'_> {
    /// The file a problem without a location is reported against, for
    /// formats that need one: the policy, else the root manifest.
    pub fn fallback_file(&self) -> &str {
        self.policy_file.unwrap_or("Cargo.toml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let codes: std::collections::BTreeSet<_> =
            FailureCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(codes.len(), FailureCode::ALL.len());
        for code in codes {
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{code}"
            );
        }
    }
}
