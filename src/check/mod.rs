//! Checking: pure functions from the module graph and the policy's rules to
//! violations. No I/O here.
//!
//! Each rule kind lives in its own file with its doc comment, its fields and
//! its check; [`registry`] lists them once.

mod acyclic;
mod allow;
pub mod baseline;
pub mod exemptions;
pub mod expiry;
mod fields;
mod forbid;
mod independent;
mod interface;
mod layers;
pub mod loosening;
#[cfg(test)]
mod reference;
pub mod registry;
pub mod schema;
pub mod suggest;
pub mod suppress;
pub mod verdict;

use petgraph::visit::EdgeRef;
use rustc_hash::FxHashMap;

use crate::graph::{Graph, Node};
use crate::policy::{
    segments, Decision, NodeId, PathIndex, Pattern, PatternList, PolicyError, Severity, Trail,
    Universe,
};
use crate::source::{ModuleId, Reference};

pub use registry::{compile, CompiledPolicy};

/// What a rule kind's check sees: the graph, with module paths indexed by
/// segments (so a pattern list is decided once per module, not per
/// reference) and resolved paths interned (so a path-level question is
/// answered once per distinct path).
pub struct Context<'a> {
    pub graph: &'a Graph,
    /// Each module's path split into segments, by module id.
    pub module_segments: Vec<Vec<&'a str>>,
    /// The module paths as a trie of segments.
    pub modules: PathIndex,
    /// Each module's node in `modules`, by module id.
    module_nodes: Vec<NodeId>,
    /// Each reference's resolved path, as an index into `paths`.
    path_ids: Vec<PathId>,
    /// The distinct resolved paths, split into segments.
    paths: Vec<Vec<&'a str>>,
}

/// A distinct resolved path of a [`Context`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PathId(u32);

/// One (from module, target) pair of a selected module, with its
/// references in index order.
pub struct Edge<'a> {
    pub from: ModuleId,
    pub target: &'a Node,
    pub references: &'a [usize],
}

/// The references' resolved paths interned: each reference's distinct
/// path, and each distinct path split into segments.
pub struct PathIds<'a> {
    path_ids: Vec<PathId>,
    paths: Vec<Vec<&'a str>>,
}

impl<'a> PathIds<'a> {
    pub fn of(references: &'a [Reference]) -> PathIds<'a> {
        let mut interned: FxHashMap<&str, PathId> = FxHashMap::default();
        interned.reserve(references.len() / 4);
        // References that resolved the same way share their path's
        // allocation: one is found by its address, not by hashing its text
        // (half a million of them at scale).
        let mut shared: FxHashMap<*const u8, PathId> = FxHashMap::default();
        let mut paths = Vec::new();
        let path_ids = references
            .iter()
            .map(|r| {
                *shared.entry(r.path.as_ptr()).or_insert_with(|| {
                    *interned.entry(&*r.path).or_insert_with(|| {
                        paths.push(segments(&r.path).collect());
                        PathId(paths.len() as u32 - 1)
                    })
                })
            })
            .collect();
        PathIds { path_ids, paths }
    }
}

impl<'a> Context<'a> {
    pub fn new(graph: &'a Graph) -> Context<'a> {
        Context::with_paths(graph, PathIds::of(&graph.model.references))
    }

    /// The context of `graph`, whose references' paths `paths` interned
    /// (worked out while the graph was built).
    pub fn with_paths(graph: &'a Graph, paths: PathIds<'a>) -> Context<'a> {
        let model = &graph.model;
        let module_segments: Vec<Vec<&str>> = model
            .modules
            .iter()
            .map(|m| segments(&m.path).collect())
            .collect();
        let mut modules = PathIndex::default();
        let mut trail = Trail::default();
        let module_nodes = module_segments
            .iter()
            .map(|segments| modules.insert_next(&mut trail, segments.iter().copied(), None))
            .collect();
        Context {
            graph,
            module_segments,
            modules,
            module_nodes,
            path_ids: paths.path_ids,
            paths: paths.paths,
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

    /// The modules of the crates selected for checking.
    pub fn selected_modules(&self) -> impl Iterator<Item = ModuleId> + '_ {
        ModuleId::all(self.module_segments.len()).filter(|&m| self.graph.model.modules[m].selected)
    }

    /// The (from module, target) pairs of a selected module (none for a
    /// module that is not selected).
    pub fn edges_from(&self, module: ModuleId) -> impl Iterator<Item = Edge<'_>> {
        let graph = &self.graph.graph;
        let selected = self.graph.model.modules[module].selected;
        let node = self.graph.module_index(module);
        graph
            .edges_directed(node, petgraph::Direction::Outgoing)
            .filter(move |_| selected)
            .map(move |edge| Edge {
                from: module,
                target: &graph[edge.target()],
                references: self.graph.on_edge(edge.weight()),
            })
    }

    /// The (from module, target) pairs of selected modules into module
    /// `target`.
    pub fn edges_into(&self, target: ModuleId) -> impl Iterator<Item = Edge<'_>> {
        let graph = &self.graph.graph;
        let node = self.graph.module_index(target);
        graph
            .edges_directed(node, petgraph::Direction::Incoming)
            .filter_map(move |edge| {
                let Node::Module(from) = graph[edge.source()] else {
                    return None;
                };
                self.graph.model.modules[from].selected.then(|| Edge {
                    from,
                    target: &graph[edge.target()],
                    references: self.graph.on_edge(edge.weight()),
                })
            })
    }

    pub fn from_segments(&self, reference: &'a Reference) -> &[&'a str] {
        &self.module_segments[reference.from]
    }

    /// A reference's resolved path, split into segments.
    pub fn path(&self, reference: usize) -> &[&'a str] {
        &self.paths[self.path_ids[reference].0 as usize]
    }

    /// Which distinct path a reference resolves to.
    pub fn path_id(&self, reference: usize) -> PathId {
        self.path_ids[reference]
    }

    /// The `to` of a reference: the deepest workspace module, or the crate.
    pub fn target_name(&self, reference: &'a Reference) -> &'a str {
        self.graph.model.target_name(reference)
    }

    /// What `list` decides for every module.
    pub fn decide(&self, list: &PatternList) -> ModuleDecision<'_> {
        ModuleDecision {
            context: self,
            decision: self.modules.decide(list),
        }
    }

    pub fn module_node(&self, module: ModuleId) -> NodeId {
        self.module_nodes[module]
    }

    /// An empty memo with a slot per distinct path.
    pub fn path_memo<T: Copy>(&self) -> PathMemo<T> {
        PathMemo {
            values: vec![None; self.paths.len()],
        }
    }
}

/// A pattern list decided for every module of a [`Context`].
pub struct ModuleDecision<'c> {
    context: &'c Context<'c>,
    pub decision: Decision,
}

impl ModuleDecision<'_> {
    /// Whether the list covers the module.
    pub fn covers(&self, module: ModuleId) -> bool {
        self.decision.covers(self.context.module_node(module))
    }

    /// The member the module lies in (a node of the context's `modules`).
    pub fn member(&self, module: ModuleId) -> Option<NodeId> {
        self.decision.member(self.context.module_node(module))
    }

    /// How many segments the module's member has.
    pub fn member_len(&self, module: ModuleId) -> Option<usize> {
        self.member(module).map(|m| self.context.modules.depth(m))
    }
}

/// Answers about resolved paths, each computed once per distinct path.
pub struct PathMemo<T> {
    values: Vec<Option<T>>,
}

impl<T: Copy> PathMemo<T> {
    pub fn get(&mut self, path: PathId, compute: impl FnOnce() -> T) -> T {
        *self.values[path.0 as usize].get_or_insert_with(compute)
    }
}

/// One rule kind, compiled from its `[[rule]]` table.
pub trait Rule: Send + Sync {
    fn check(&self, context: &Context) -> Vec<Finding>;
    /// Which references from index `asked` on the rule objects to, without
    /// its messages: what the probes that ask about candidate references
    /// (placed after the references they are asked beside) need. By
    /// default those [`Rule::check`] reports.
    fn reported(&self, context: &Context, asked: usize) -> Vec<usize> {
        (self.check(context).into_iter())
            .flat_map(|finding| finding.references)
            .filter(|&reference| reference >= asked)
            .collect()
    }
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
    /// Whether the rule decides each reference by the two ends of its own
    /// edge and its own path alone, so it can be asked about some
    /// references on a graph of those only. `acyclic` reads every edge:
    /// it is asked on the real graph (`check --base`, where a graph with a
    /// reference between every two modules would make every pair of
    /// members a cycle) or on one with each real edge kept (suggestions).
    fn decides_each_reference_alone(&self) -> bool {
        true
    }
    /// Whether [`Rule::reported`] could object to any of `context`'s
    /// references on a graph that also holds others: what a rule that
    /// reads every edge answers before it is asked on such a graph (built
    /// for it alone). Yes unless the rule knows better.
    fn may_report_any(&self, _context: &Context) -> bool {
        true
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
    /// See [`Finding::key`]. The three optional parts are behind a pointer
    /// (the suggestion's shared): most violations have none, and a
    /// workspace may have tens of thousands.
    pub key: Option<Box<(String, String)>>,
    /// A path to use instead, through a re-export the policy allows.
    /// Shared by the violations that take the same one.
    pub suggestion: Option<std::sync::Arc<suggest::Suggestion>>,
    /// Who owns the code, when the workspace has a CODEOWNERS file.
    pub owners: Option<Box<crate::owners::ViolationOwners>>,
}

impl Violation {
    pub fn reference(&self) -> usize {
        self.references[0]
    }
}

/// Findings in the order of their first reference, as a per-reference
/// scan finds them (those of one reference in the order found).
fn in_reference_order(mut findings: Vec<Finding>) -> Vec<Finding> {
    // Small keys sorted, then the findings moved into place where they
    // are: tens of thousands of findings of a rule, each a few words long,
    // at scale. A key ends with the finding's place, so no two are equal
    // and the order is the stable one.
    let mut order: Vec<(usize, usize)> = (findings.iter().enumerate())
        .map(|(place, finding)| (finding.references[0], place))
        .collect();
    if order.is_sorted() {
        return findings;
    }
    order.sort_unstable();
    let mut from: Vec<usize> = order.into_iter().map(|(_, place)| place).collect();
    permute(&mut findings, &mut from);
    findings
}

/// Reorders `items` so that each place `i` holds the item that was at
/// `from[i]`, by following the permutation's cycles (`from` is used up).
fn permute<T>(items: &mut [T], from: &mut [usize]) {
    const DONE: usize = usize::MAX;
    for start in 0..items.len() {
        let mut at = start;
        while from[at] != DONE {
            let source = from[at];
            from[at] = DONE;
            if source == start {
                break;
            }
            items.swap(at, source);
            at = source;
        }
    }
}

/// Runs every rule; violations sorted by location, then rule.
pub fn run(policy: &CompiledPolicy, graph: &Graph) -> Vec<Violation> {
    run_with_paths(policy, graph, PathIds::of(&graph.model.references))
}

/// [`run`], with the graph's references' paths interned already.
pub fn run_with_paths<'a>(
    policy: &CompiledPolicy,
    graph: &'a Graph,
    paths: PathIds<'a>,
) -> Vec<Violation> {
    use rayon::prelude::*;
    let context = Context::with_paths(graph, paths);
    // The rules are independent: checked on both cores, their findings
    // taken in rule order (and sorted below), so the result is the same.
    let findings: Vec<Vec<Finding>> = policy
        .rules
        .par_iter()
        .map(|rule| rule.rule.check(&context))
        .collect();
    // Made in one allocation, each rule's findings freed once taken: a
    // list grown as it is filled would hold two copies at once.
    let mut violations = Vec::with_capacity(findings.iter().map(Vec::len).sum());
    for ((index, rule), findings) in policy.rules.iter().enumerate().zip(findings) {
        violations.extend(findings.into_iter().map(|finding| Violation {
            rule: index,
            references: finding.references,
            message: finding.message,
            severity: rule.table.severity,
            baselined: false,
            key: finding.key.map(Box::new),
            suggestion: None,
            owners: None,
        }));
    }
    let references = &graph.model.references;
    // Stable, on both cores: tens of thousands of violations on a big
    // workspace, each compared by its file name first.
    violations.par_sort_by(|a, b| {
        let (ra, rb) = (&references[a.reference()], &references[b.reference()]);
        (&ra.location, &policy.rules[a.rule].table.name, &ra.path).cmp(&(
            &rb.location,
            &policy.rules[b.rule].table.name,
            &rb.path,
        ))
    });
    violations
}

#[cfg(test)]
mod order_tests {
    use super::permute;

    #[test]
    fn permute_puts_each_item_where_it_is_asked_for() {
        // Cycles of one, two and three, and a list already in order.
        let mut items = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        let mut from = vec![0, 2, 1, 5, 3, 4];
        permute(&mut items, &mut from);
        assert_eq!(items, ['a', 'c', 'b', 'f', 'd', 'e']);
        let mut items = vec![1, 2, 3];
        permute(&mut items, &mut [0, 1, 2]);
        assert_eq!(items, [1, 2, 3]);
    }
}
