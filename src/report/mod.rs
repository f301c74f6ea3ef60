//! Output formats of `check`. They format what the check decided; they never
//! decide anything themselves, and read neither files nor the environment:
//! the verdict, the quoted sources and the width come in with the run.

mod cargo_json;
mod common;
mod diagnostic;
mod failure;
mod github;
mod gitlab;
mod human;
mod json;
mod json_text;
mod lined_text;
mod markdown;
mod policy_errors;
mod sarif;
mod short;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::check::verdict::Verdict;
use crate::check::{CompiledPolicy, Violation};
use crate::graph::Graph;
use crate::policy::PolicySource;
use crate::warning::Warning;

pub use cargo_json::{cargo_failure, cargo_messages};
pub use common::Level;
pub use failure::{FailedRun, FailureCode, Problem};
pub use github::{github, github_failure};
pub use gitlab::{gitlab, gitlab_failure};
pub use human::human;
pub use json::write_json;
use lined_text::LinedText;
pub use markdown::{markdown, markdown_failure};
pub use policy_errors::{policy_errors, policy_problems, suppression_errors, suppression_problems};
pub use sarif::{sarif, sarif_failure};
pub use short::short;

/// How the human output looks: coloured or not, and the width it wraps at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

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
    /// What the check decided: the counts, and whether the run fails.
    pub verdict: &'a Verdict,
    pub elapsed: Duration,
}

/// The text of the files the diagnostics quote, read by the caller: the
/// formats do no I/O.
#[derive(Default)]
pub struct Sources {
    files: BTreeMap<String, LinedText>,
}

impl Sources {
    pub fn new(files: BTreeMap<String, Arc<str>>) -> Sources {
        let files = (files.into_iter())
            .map(|(file, text)| (file, LinedText::new(text)))
            .collect();
        Sources { files }
    }

    /// The text of a workspace file; empty if it could not be read.
    pub fn get(&self, file: &str) -> Arc<str> {
        self.lined(file).text().clone()
    }

    /// [`Sources::get`], with its line starts, for miette to quote.
    pub fn lined(&self, file: &str) -> LinedText {
        self.files
            .get(file)
            .cloned()
            .unwrap_or_else(|| LinedText::new(Arc::from("")))
    }
}
