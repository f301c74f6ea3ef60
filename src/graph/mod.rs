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
    /// Edge weights are indices into `model.references`.
    pub graph: DiGraph<Node, Vec<usize>>,
    nodes: BTreeMap<Node, NodeIndex>,
}

impl Graph {
    pub fn new(model: SourceModel) -> Graph {
        let mut graph = DiGraph::new();
        let mut nodes = BTreeMap::new();
        for id in 0..model.modules.len() {
            let node = Node::Module(id);
            nodes.insert(node.clone(), graph.add_node(node));
        }
        let mut edges: BTreeMap<(NodeIndex, NodeIndex), Vec<usize>> = BTreeMap::new();
        for (index, reference) in model.references.iter().enumerate() {
            let target = match &reference.target {
                Target::Module(id) => Node::Module(*id),
                Target::External(name) => Node::External(name.clone()),
            };
            let to = *nodes
                .entry(target.clone())
                .or_insert_with(|| graph.add_node(target));
            let from = nodes[&Node::Module(reference.from)];
            edges.entry((from, to)).or_default().push(index);
        }
        for ((from, to), references) in edges {
            graph.add_edge(from, to, references);
        }
        Graph {
            model,
            graph,
            nodes,
        }
    }

    pub fn node_name<'a>(&'a self, node: &'a Node) -> &'a str {
        match node {
            Node::Module(id) => &self.model.modules[*id].path,
            Node::External(name) => name,
        }
    }

    /// Module `id`'s node: modules are the first nodes, in id order.
    pub fn module_index(&self, id: ModuleId) -> NodeIndex {
        NodeIndex::new(id)
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
            Target::External(name) => Node::External(name.clone()),
        };
        let edge = self
            .index(&Node::Module(reference.from))
            .zip(self.index(&target))
            .and_then(|(from, to)| self.graph.find_edge(from, to));
        edge.map_or(&[], |edge| &self.graph[edge])
    }
}
