//! The module graph: workspace modules and external crates as nodes, one
//! edge per (from module, target) pair carrying its references. Knows nothing
//! of policies.

pub mod cycles;
pub mod paths;
pub mod view;

use std::collections::BTreeMap;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::source::{ModuleId, SourceModel, Target};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Node {
    Module(ModuleId),
    External(String),
}

pub struct Graph {
    pub model: SourceModel,
    /// Each edge's references: see [`Graph::on_edge`].
    pub graph: DiGraph<Node, EdgeReferences>,
    nodes: BTreeMap<Node, NodeIndex>,
    /// Indices into `model.references`, grouped by edge: one list for
    /// the whole graph, not one allocation per edge.
    grouped: Vec<usize>,
}

/// Where an edge's references lie in the graph's grouped list.
#[derive(Debug, Clone, Copy)]
pub struct EdgeReferences {
    start: u32,
    end: u32,
}

impl Graph {
    pub fn new(model: SourceModel) -> Graph {
        let mut graph = DiGraph::new();
        for id in ModuleId::all(model.modules.len()) {
            graph.add_node(Node::Module(id));
        }
        // Each reference's target node; an external crate's node is added
        // when a reference first uses it. And how many references each
        // module has: the references (large records, hundreds of thousands
        // at scale) are read once, what the grouping needs kept compact.
        let mut externals: rustc_hash::FxHashMap<&str, NodeIndex> = Default::default();
        let mut starts = vec![0; model.modules.len() + 1];
        let mut froms: Vec<ModuleId> = Vec::with_capacity(model.references.len());
        let targets: Vec<NodeIndex> = model
            .references
            .iter()
            .map(|reference| {
                starts[reference.from.index() + 1] += 1;
                froms.push(reference.from);
                match &reference.target {
                    Target::Module(id) => NodeIndex::new(id.index()),
                    Target::External(name) => *externals
                        .entry(&**name)
                        .or_insert_with(|| graph.add_node(Node::External(name.to_string()))),
                }
            })
            .collect();
        // The modules in id order, then the external crates by name: the
        // map's order, so it is built in one pass (tens of thousands of
        // modules at scale).
        let mut external_nodes: Vec<(Node, NodeIndex)> = (externals.iter())
            .map(|(name, &index)| (Node::External(name.to_string()), index))
            .collect();
        external_nodes.sort_unstable();
        let module_nodes = (ModuleId::all(model.modules.len()))
            .map(|id| (Node::Module(id), NodeIndex::new(id.index())));
        let nodes: BTreeMap<Node, NodeIndex> = module_nodes.chain(external_nodes).collect();
        // References grouped by module (a counting sort keeps index order),
        // then by target within each module: one edge per run, edges in
        // (from, to) order.
        for module in 0..model.modules.len() {
            starts[module + 1] += starts[module];
        }
        let mut next = starts.clone();
        let mut grouped = vec![0; model.references.len()];
        for (index, from) in froms.into_iter().enumerate() {
            grouped[next[from]] = index;
            next[from] += 1;
        }
        let mut edges = Vec::new();
        for module in 0..model.modules.len() {
            let references = &mut grouped[starts[module]..starts[module + 1]];
            references.sort_by_key(|&index| targets[index]);
            let mut start = starts[module];
            for run in references.chunk_by(|&a, &b| targets[a] == targets[b]) {
                let end = start + run.len();
                // Indices fit: a model holds fewer than 2^32 references.
                let span = EdgeReferences {
                    start: start as u32,
                    end: end as u32,
                };
                edges.push((NodeIndex::new(module), targets[run[0]], span));
                start = end;
            }
        }
        // Added at once: the graph's list of edges never grows and copies.
        graph.reserve_exact_edges(edges.len());
        for (from, to, span) in edges {
            graph.add_edge(from, to, span);
        }
        Graph {
            model,
            graph,
            nodes,
            grouped,
        }
    }

    /// An edge's references (indices into `model.references`), in index
    /// order.
    pub fn on_edge(&self, edge: &EdgeReferences) -> &[usize] {
        &self.grouped[edge.start as usize..edge.end as usize]
    }

    pub fn node_name<'a>(&'a self, node: &'a Node) -> &'a str {
        match node {
            Node::Module(id) => &self.model.modules[*id].path,
            Node::External(name) => name,
        }
    }

    /// Module `id`'s node: modules are the first nodes, in id order.
    pub fn module_index(&self, id: ModuleId) -> NodeIndex {
        NodeIndex::new(id.index())
    }

    pub fn index(&self, node: &Node) -> Option<NodeIndex> {
        self.nodes.get(node).copied()
    }

    /// Every reference on the same edge as `reference`: from the same
    /// module to the same target, in location order.
    pub fn edge_references(&self, reference: usize) -> &[usize] {
        let reference = &self.model.references[reference];
        let target = match &reference.target {
            Target::Module(id) => Node::Module(*id),
            Target::External(name) => Node::External(name.to_string()),
        };
        let edge = self
            .index(&Node::Module(reference.from))
            .zip(self.index(&target))
            .and_then(|(from, to)| self.graph.find_edge(from, to));
        edge.map_or(&[], |edge| self.on_edge(&self.graph[edge]))
    }
}
