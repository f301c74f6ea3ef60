//! Checking: pure functions from the module graph and the policy's rules to
//! violations. No I/O here.
//!
//! Each rule kind lives in its own file with its doc comment, its fields and
//! its check; [`registry`] lists them once.

mod acyclic;
mod allow;
pub mod baseline;
mod fields;
mod forbid;
mod independent;
mod interface;
mod layers;
pub mod registry;
pub mod suppress;
pub mod verdict;

use crate::graph::Graph;
use crate::policy::{Pattern, PatternList, PolicyError, Severity, Universe};
use crate::source::Reference;

pub use registry::{compile, CompiledPolicy};

/// What a rule kind's check sees.
pub struct Context<'a> {
    pub graph: &'a Graph,
    /// Each module's path split into segments, by module id.
    pub module_segments: Vec<Vec<&'a str>>,
    /// Each reference's resolved path split into segments.
    pub path_segments: Vec<Vec<&'a str>>,
}

impl<'a> Context<'a> {
    pub fn new(graph: &'a Graph) -> Context<'a> {
        let model = &graph.model;
        Context {
            graph,
            module_segments: model
                .modules
                .iter()
                .map(|m| m.path.split("::").collect())
                .collect(),
            path_segments: model
                .references
                .iter()
                .map(|r| r.path.split("::").collect())
                .collect(),
        }
    }

    /// References whose code belongs to a crate selected for checking, with
    /// their index.
    pub fn references(&self) -> impl Iterator<Item = (usize, &'a Reference)> {
        let model = &self.graph.model;
        model
            .references
            .iter()
            .enumerate()
            .filter(move |(_, r)| model.modules[r.from].selected)
    }

    pub fn from_segments(&self, reference: &'a Reference) -> &[&'a str] {
        &self.module_segments[reference.from]
    }

    /// The `to` of a reference: the deepest workspace module, or the crate.
    pub fn target_name(&self, reference: &'a Reference) -> &'a str {
        self.graph.model.target_name(reference)
    }
}

/// One rule kind, compiled from its `[[rule]]` table.
pub trait Rule: Send + Sync {
    fn check(&self, context: &Context) -> Vec<Finding>;
    /// The absolute patterns the rule uses; each must match something.
    fn patterns(&self) -> Vec<&Pattern>;
    /// Checks that need the workspace beyond "each pattern matches
    /// something" (members that exist, containers that do not overlap).
    fn validate(&self, _universe: &Universe) -> Vec<PolicyError> {
        Vec::new()
    }
    /// Whether the rule covers reference `index` and explicitly permits it
    /// (for `explain`: "allowed by"). Rules that only forbid answer no.
    fn allows(&self, _context: &Context, _index: usize) -> bool {
        false
    }
}

/// The module paths a pattern list matches exactly: its members.
pub fn members<'u>(list: &PatternList, universe: &'u Universe) -> Vec<&'u str> {
    universe.members(list).names().to_vec()
}

/// A rule broken at a reference (for a cycle: one reference per edge).
#[derive(Debug, Clone)]
pub struct Finding {
    pub references: Vec<usize>,
    pub message: String,
    /// What the baseline counts this violation under, when not the
    /// reference's (from module, target): a cycle is keyed by its members,
    /// so fixing one of its references keeps it the same entry.
    pub key: Option<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Violation {
    pub rule: usize,
    /// The located references: one, or one per edge of a cycle.
    pub references: Vec<usize>,
    pub message: String,
    pub severity: Severity,
    pub baselined: bool,
    /// See [`Finding::key`].
    pub key: Option<(String, String)>,
}

impl Violation {
    pub fn reference(&self) -> usize {
        self.references[0]
    }
}

/// Runs every rule; violations sorted by location, then rule.
pub fn run(policy: &CompiledPolicy, graph: &Graph) -> Vec<Violation> {
    let context = Context::new(graph);
    let mut violations: Vec<Violation> = policy
        .rules
        .iter()
        .enumerate()
        .flat_map(|(index, rule)| {
            rule.rule
                .check(&context)
                .into_iter()
                .map(move |finding| Violation {
                    rule: index,
                    references: finding.references,
                    message: finding.message,
                    severity: rule.table.severity,
                    baselined: false,
                    key: finding.key,
                })
        })
        .collect();
    let references = &graph.model.references;
    violations.sort_by(|a, b| {
        let (ra, rb) = (&references[a.reference()], &references[b.reference()]);
        (&ra.location, &policy.rules[a.rule].table.name, &ra.path).cmp(&(
            &rb.location,
            &policy.rules[b.rule].table.name,
            &rb.path,
        ))
    });
    violations
}
