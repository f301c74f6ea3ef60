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

/// Source files read once each for snippets.
#[derive(Default)]
pub struct Sources {
    files: BTreeMap<String, String>,
}

impl Sources {
    /// The text of a workspace file; empty if it cannot be read any more.
    pub fn get(&mut self, root: &Path, file: &str) -> String {
        self.files
            .entry(file.to_string())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
                text.strip_prefix('\u{feff}')
                    .map(str::to_string)
                    .unwrap_or(text)
            })
            .clone()
    }
}
