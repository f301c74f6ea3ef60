//! Output formats of `check`. They format what the check decided; they never
//! decide anything themselves.

mod cargo_json;
mod common;
mod diagnostic;
mod github;
mod gitlab;
mod human;
mod json;
mod policy_errors;
mod sarif;
mod short;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::check::{CompiledPolicy, Violation};
use crate::graph::Graph;
use crate::policy::PolicySource;
use crate::warning::Warning;

pub use cargo_json::cargo_messages;
pub use github::github;
pub use gitlab::gitlab;
pub use human::human;
pub use json::json;
pub use policy_errors::{policy_errors, suppression_errors};
pub use sarif::sarif;
pub use short::short;

/// Everything a format needs to describe one check run.
pub struct CheckRun<'a> {
    pub root: &'a Path,
    pub workspace: &'a crate::workspace::Workspace,
    pub graph: &'a Graph,
    pub policy: &'a CompiledPolicy,
    pub policy_source: &'a PolicySource,
    pub violations: &'a [Violation],
    pub warnings: &'a [Warning],
    /// The files the violations and warnings are in.
    pub sources: &'a Sources,
    pub elapsed: Duration,
}

impl CheckRun<'_> {
    /// Errors that fail the run: error-severity violations not in the
    /// baseline, and stale baseline entries.
    pub fn error_count(&self) -> usize {
        let violations = self
            .violations
            .iter()
            .filter(|v| v.severity == crate::policy::Severity::Error && !v.baselined)
            .count();
        violations + self.warnings.iter().filter(|w| w.code.is_error()).count()
    }
}

/// The text of the files the diagnostics quote, read by the caller: the
/// formats do no I/O.
#[derive(Default)]
pub struct Sources {
    files: BTreeMap<String, Arc<str>>,
}

impl Sources {
    pub fn new(files: BTreeMap<String, Arc<str>>) -> Sources {
        Sources { files }
    }

    /// The text of a workspace file; empty if it could not be read.
    pub fn get(&self, file: &str) -> Arc<str> {
        self.files
            .get(file)
            .cloned()
            .unwrap_or_else(|| Arc::from(""))
    }
}
