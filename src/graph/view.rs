//! A diagram's view of the module graph: modules collapsed to a depth or to
//! their crate, optionally focused on a subgraph, with reference counts and
//! violation rule names per edge. The rule names come in as data: the graph
//! knows nothing of policies.

mod reduce;

use std::collections::{BTreeMap, BTreeSet};

use super::Graph;
use crate::source::{ModuleId, Target};
/// The builtin crates are hidden unless the focus names one of them: nearly
/// every module uses `std`, and those edges would drown the rest.
use crate::workspace::BUILTIN_CRATES as STANDARD_CRATES;

/// Whether a path, split into segments, is in the focused subgraph.
pub type Focus<'a> = dyn Fn(&[&str]) -> bool + 'a;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Crates,
    Modules,
}

/// What to draw. `focus` says whether a path (split into segments) lies in
/// the focused subgraph; the caller builds it from a pattern.
pub struct ViewOptions<'a> {
    pub level: Level,
    /// Modules deeper than this many segments below their crate root are
    /// drawn as their ancestor.
    pub depth: Option<usize>,
    pub focus: Option<&'a Focus<'a>>,
    pub exclude_external: bool,
    /// Each match of each of these is drawn as one node: a module is drawn
    /// as its highest ancestor (or itself) that one of them covers.
    pub collapse: &'a [&'a Focus<'a>],
    /// Transitive reduction: an edge A→C is hidden when A→B→…→C is drawn
    /// too, unless it carries a violation.
    pub reduce: bool,
    /// The rule names of the violations at each reference index.
    pub violations: &'a BTreeMap<usize, BTreeSet<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    Crate,
    Module,
    External,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Crate => "crate",
            NodeKind::Module => "module",
            NodeKind::External => "external",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewNode {
    /// The module path or the crate name: `shop::billing`, `serde`.
    pub id: String,
    pub crate_name: String,
    pub kind: NodeKind,
    /// The file of the module's code; none for external crates.
    pub file: Option<String>,
    /// Every file the module is made of, sorted; empty for external crates.
    pub files: Vec<String>,
}

impl ViewNode {
    /// The label inside its crate's cluster: the path below the crate root,
    /// or the crate's name for the root itself.
    pub fn short_label(&self) -> &str {
        self.id
            .strip_prefix(&self.crate_name)
            .and_then(|rest| rest.strip_prefix("::"))
            .unwrap_or(&self.id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewEdge {
    /// Indices into [`View::nodes`].
    pub from: usize,
    pub to: usize,
    /// How many references the edge stands for.
    pub count: usize,
    /// The rules broken by those references, sorted.
    pub violations: Vec<String>,
    /// How many of the references break a rule.
    pub violating: usize,
    /// The references, indices into the source model.
    pub references: Vec<usize>,
}

/// Nodes sorted by id; edges sorted by (from, to). Deterministic.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub nodes: Vec<ViewNode>,
    pub edges: Vec<ViewEdge>,
    /// Whether nodes sit in crate clusters (module level).
    pub clustered: bool,
    /// How many edges the transitive reduction hid (their references are
    /// still there, through the paths that made them redundant).
    pub hidden_edges: usize,
}

impl View {
    /// The crates with at least one module node, in order, with their nodes.
    pub fn clusters(&self) -> BTreeMap<&str, Vec<usize>> {
        let mut clusters: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        if self.clustered {
            for (index, node) in self.nodes.iter().enumerate() {
                if node.kind != NodeKind::External {
                    clusters.entry(&node.crate_name).or_default().push(index);
                }
            }
        }
        clusters
    }
}

pub fn view(graph: &Graph, options: &ViewOptions) -> View {
    let model = &graph.model;
    let show_std = options
        .focus
        .is_some_and(|focus| STANDARD_CRATES.iter().any(|name| focus(&[name])));
    // One walk up the tree per module, not per reference.
    let drawn_as: Vec<ModuleId> = ModuleId::all(model.modules.len())
        .map(|id| representative(graph, id, options))
        .collect();
    let represent = |id: ModuleId| drawn_as[id];

    let mut nodes: BTreeMap<String, ViewNode> = BTreeMap::new();
    for (id, module) in ModuleId::enumerate(&model.modules) {
        if module.selected {
            let node = module_node(graph, represent(id), options.level);
            nodes.entry(node.id.clone()).or_insert(node);
        }
    }
    let mut edges: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (index, reference) in model.references.iter().enumerate() {
        if !model.modules[reference.from].selected {
            continue;
        }
        let target = match &reference.target {
            Target::Module(id) => module_node(graph, represent(*id), options.level),
            Target::External(name) => {
                if options.exclude_external || (!show_std && STANDARD_CRATES.contains(&&**name)) {
                    continue;
                }
                ViewNode {
                    id: name.to_string(),
                    crate_name: name.to_string(),
                    kind: NodeKind::External,
                    file: None,
                    files: Vec::new(),
                }
            }
        };
        let from = &model.modules[represent(reference.from)].path;
        let from = match options.level {
            Level::Crates => model.modules[reference.from].crate_name.clone(),
            Level::Modules => from.clone(),
        };
        // References inside one drawn node are not drawn.
        if from == target.id {
            continue;
        }
        edges
            .entry((from, target.id.clone()))
            .or_default()
            .push(index);
        nodes.entry(target.id.clone()).or_insert(target);
    }

    let mut view = assemble(nodes, edges, options);
    if let Some(focus) = options.focus {
        view = focused(view, graph, focus, options);
    }
    if options.reduce {
        view = reduce::reduced(view);
    }
    view
}

/// The module drawn for module `id`: itself, or its ancestor at the depth,
/// or higher still, the highest ancestor a collapse pattern covers.
fn representative(graph: &Graph, mut id: ModuleId, options: &ViewOptions) -> ModuleId {
    let modules = &graph.model.modules;
    let limit = match options.level {
        Level::Crates => 0,
        Level::Modules => options.depth.unwrap_or(usize::MAX),
    };
    while modules[id].path.split("::").count() > limit.saturating_add(1) {
        match modules[id].parent {
            Some(parent) => id = parent,
            None => break,
        }
    }
    if options.collapse.is_empty() {
        return id;
    }
    let mut drawn = id;
    let mut at = Some(id);
    while let Some(current) = at {
        let segments: Vec<&str> = modules[current].path.split("::").collect();
        if options.collapse.iter().any(|covers| covers(&segments)) {
            drawn = current;
        }
        at = modules[current].parent;
    }
    drawn
}

fn module_node(graph: &Graph, id: ModuleId, level: Level) -> ViewNode {
    let module = &graph.model.modules[id];
    match level {
        Level::Crates => ViewNode {
            id: module.crate_name.clone(),
            crate_name: module.crate_name.clone(),
            kind: NodeKind::Crate,
            file: Some(module.file.clone()),
            files: module.files.clone(),
        },
        Level::Modules => ViewNode {
            id: module.path.clone(),
            crate_name: module.crate_name.clone(),
            kind: NodeKind::Module,
            file: Some(module.file.clone()),
            files: module.files.clone(),
        },
    }
}

fn assemble(
    nodes: BTreeMap<String, ViewNode>,
    edges: BTreeMap<(String, String), Vec<usize>>,
    options: &ViewOptions,
) -> View {
    let index: BTreeMap<&str, usize> = nodes
        .keys()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let edges = edges
        .into_iter()
        .map(|((from, to), mut references)| {
            references.sort_unstable();
            let violations: BTreeSet<&String> = references
                .iter()
                .filter_map(|r| options.violations.get(r))
                .flatten()
                .collect();
            ViewEdge {
                from: index[from.as_str()],
                to: index[to.as_str()],
                count: references.len(),
                violations: violations.into_iter().cloned().collect(),
                violating: references
                    .iter()
                    .filter(|r| options.violations.contains_key(r))
                    .count(),
                references,
            }
        })
        .collect();
    View {
        nodes: nodes.into_values().collect(),
        edges,
        clustered: options.level == Level::Modules,
        hidden_edges: 0,
    }
}

/// Keeps the focused nodes, their direct neighbours, and the edges that touch
/// a focused node. A collapsed node is focused when any module it stands for
/// is.
fn focused(view: View, graph: &Graph, focus: &Focus<'_>, options: &ViewOptions) -> View {
    let mut inside: BTreeSet<usize> = BTreeSet::new();
    for (index, node) in view.nodes.iter().enumerate() {
        if focus(&node.id.split("::").collect::<Vec<_>>()) {
            inside.insert(index);
        }
    }
    let position: BTreeMap<&str, usize> = view
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    for (id, module) in ModuleId::enumerate(&graph.model.modules) {
        if focus(&module.path.split("::").collect::<Vec<_>>()) {
            let node = module_node(graph, representative(graph, id, options), options.level);
            if let Some(&index) = position.get(node.id.as_str()) {
                inside.insert(index);
            }
        }
    }
    let edges: Vec<&ViewEdge> = view
        .edges
        .iter()
        .filter(|e| inside.contains(&e.from) || inside.contains(&e.to))
        .collect();
    let kept: BTreeSet<usize> = inside
        .iter()
        .copied()
        .chain(edges.iter().flat_map(|e| [e.from, e.to]))
        .collect();
    let renumber: BTreeMap<usize, usize> = kept
        .iter()
        .enumerate()
        .map(|(new, &old)| (old, new))
        .collect();
    View {
        nodes: kept.iter().map(|&i| view.nodes[i].clone()).collect(),
        edges: edges
            .into_iter()
            .map(|e| ViewEdge {
                from: renumber[&e.from],
                to: renumber[&e.to],
                ..e.clone()
            })
            .collect(),
        clustered: view.clustered,
        hidden_edges: view.hidden_edges,
    }
}
