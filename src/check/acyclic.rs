//! # What it does
//! Reports every cycle among members: member A depends on member B when
//! anything under A references anything under B. Each elementary cycle is
//! reported once, with one located reference per edge.
//! A tangle of members is cut short: at most 200 cycles are listed, and
//! the report says when there are more.
//!
//! # Why
//! Modules in a cycle can only be understood, tested, and extracted
//! together: they are one module pretending to be several. Keeping the
//! member graph acyclic keeps a clear order in which parts can be built and
//! split off.
//!
//! # Example policy
//! ```toml
//! [[rule]]
//! kind = "acyclic"
//! name = "no-domain-cycles"
//! modules = "shop::*"
//! reason = "a cycle between domains makes them one domain"
//! ```
//!
//! # Fields
//! - `modules`: patterns whose matches are the members (each match of each
//!   pattern is one member, as for `independent`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::registry::Kind;
use super::{Context, Finding, Rule};
use crate::graph::cycles::elementary_cycles;
use crate::graph::Node;
use crate::policy::NodeId;
use crate::policy::{Pattern, PatternList};

pub const KIND: Kind = Kind {
    name: "acyclic",
    fields: &["modules"],
    source: include_str!("acyclic.rs"),
    build: |fields| {
        Box::new(Acyclic {
            modules: fields.patterns("modules"),
        })
    },
};

struct Acyclic {
    modules: PatternList,
}

impl Rule for Acyclic {
    fn compared_on_real_graph_only(&self) -> bool {
        true
    }

    fn check(&self, context: &Context) -> Vec<Finding> {
        // Member ids in name order, edges with their first reference (the
        // references are sorted by location).
        let members = context.decide(&self.modules);
        let mut first_by_node: BTreeMap<(NodeId, NodeId), usize> = BTreeMap::new();
        for module in context.selected_modules() {
            let Some(a) = members.member(module) else {
                continue;
            };
            for edge in context.edges_from(module) {
                let Node::Module(target) = edge.target else {
                    continue;
                };
                let Some(b) = members.member(*target) else {
                    continue;
                };
                if a != b {
                    let first = first_by_node.entry((a, b)).or_insert(edge.references[0]);
                    *first = (*first).min(edge.references[0]);
                }
            }
        }
        // The cycle search's ids: members in name order.
        let member_nodes: BTreeSet<NodeId> =
            first_by_node.keys().flat_map(|&(a, b)| [a, b]).collect();
        let mut names: Vec<(String, NodeId)> = member_nodes
            .into_iter()
            .map(|node| (context.modules.path(node), node))
            .collect();
        names.sort();
        let id: HashMap<NodeId, usize> = names
            .iter()
            .enumerate()
            .map(|(id, &(_, node))| (node, id))
            .collect();
        let by_id: Vec<&str> = names.iter().map(|(name, _)| name.as_str()).collect();
        let first_reference: HashMap<(usize, usize), usize> = first_by_node
            .iter()
            .map(|(&(a, b), &first)| ((id[&a], id[&b]), first))
            .collect();
        let mut edges: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for &(a, b) in first_reference.keys() {
            edges.entry(a).or_default().insert(b);
        }
        let found = elementary_cycles(&edges);
        let listed = found.cycles.len();
        let mut findings: Vec<Finding> = found
            .cycles
            .into_iter()
            .map(|cycle| {
                let hops: Vec<(usize, usize)> = cycle
                    .iter()
                    .zip(cycle.iter().cycle().skip(1))
                    .map(|(&a, &b)| (a, b))
                    .collect();
                let references = hops.iter().map(|hop| first_reference[hop]).collect();
                let mut chain: Vec<&str> = cycle.iter().map(|&m| by_id[m]).collect();
                chain.push(by_id[cycle[0]]);
                Finding {
                    references,
                    message: format!("dependency cycle: {}", chain.join(" → ")),
                    key: Some((
                        chain[0].to_string(),
                        format!("cycle through {}", chain[1..].join(" → ")),
                    )),
                }
            })
            .collect();
        if !found.complete {
            // Say so rather than pass silently over the cycles not listed.
            if let Some(first) = findings.first_mut() {
                first.message.push_str(&format!(
                    " (the member graph is a tangle: only the first {listed} cycles are listed)"
                ));
            }
        }
        findings
    }

    fn patterns(&self) -> Vec<&Pattern> {
        self.modules.patterns().collect()
    }
}
