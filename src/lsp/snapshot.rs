//! What the server needs from one run of the pipeline, and the seam through
//! which it asks for one: `app` implements [`Pipeline`] (it owns the
//! pipeline's I/O), so this module never reaches back up into `app`.

use std::path::{Path, PathBuf};

use crate::check::{CompiledPolicy, Violation};
use crate::graph::Graph;
use crate::policy::{CrateNames, PolicyPlace, PolicySource, Universe};
use crate::report::Problem;
use crate::warning::Warning;

/// Runs the pipeline for the server, on the worker thread.
pub trait Pipeline: Send + Sync {
    /// Checks the workspace of `manifest` as `cargo boundaries check
    /// --workspace` would, and says what it read even when the check could
    /// not finish.
    fn check(&self, manifest: &Path) -> Snapshot;
}

/// One run: what was read, what was found, and what stopped it.
#[derive(Default)]
pub struct Snapshot {
    /// The workspace's names, when cargo metadata could be read.
    pub model: Option<Model>,
    /// The check's result, when it ran to the end.
    pub checked: Option<Checked>,
    /// What stopped the run, except the policy's own problems: the server
    /// finds those itself, on the policy's buffer.
    pub problems: Vec<Problem>,
}

/// The names a policy may use, and where the policy is.
pub struct Model {
    /// The canonical workspace root; every file below is relative to it.
    pub root: PathBuf,
    pub names: CrateNames,
    pub universe: Universe,
    /// Every module with its file, sorted by path.
    pub modules: Vec<ModuleFile>,
    /// The workspace's crates and the external ones it knows, sorted.
    pub crates: Vec<String>,
    /// The policy file (or manifest holding the policy table), if found.
    pub policy: Option<(PathBuf, PolicyPlace)>,
}

/// A module path and the file holding its code.
#[derive(Debug, Clone)]
pub struct ModuleFile {
    pub path: String,
    /// Relative to the workspace root; empty for a crate root not read.
    pub file: String,
}

/// A check that ran to the end.
pub struct Checked {
    pub graph: Graph,
    pub policy: CompiledPolicy,
    pub policy_source: PolicySource,
    /// Baselined ones included, marked.
    pub violations: Vec<Violation>,
    pub warnings: Vec<Warning>,
    pub baseline: Option<BaselineFile>,
}

/// The baseline file as read, for the code action that shrinks it.
pub struct BaselineFile {
    pub path: PathBuf,
    pub text: String,
}
