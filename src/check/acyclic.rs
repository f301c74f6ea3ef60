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

use std::collections::{BTreeMap, BTreeSet};

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
    fn check(&self, context: &Context) -> Vec<Finding> {
        // Member ids in name order, edges with their first reference (the
        // references are sorted by location).
        let members = context.decide(&self.modules);
        let mut first_by_node: BTreeMap<(NodeId, NodeId), usize> = BTreeMap::new();
        for edge in context.edges() {
            let Node::Module(target) = edge.target else {
                continue;
            };
            let (Some(a), Some(b)) = (members.member(edge.from), members.member(*target)) else {
                continue;
            };
            if a != b {
                let first = first_by_node.entry((a, b)).or_insert(edge.references[0]);
                *first = (*first).min(edge.references[0]);
            }
        }
        let mut names: BTreeMap<String, usize> = BTreeMap::new();
        let mut first_reference: BTreeMap<(String, String), usize> = BTreeMap::new();
        for ((a, b), first) in first_by_node {
            let (a, b) = (context.modules.path(a), context.modules.path(b));
            names.insert(a.clone(), 0);
            names.insert(b.clone(), 0);
            first_reference.insert((a, b), first);
        }
        for (id, value) in names.values_mut().enumerate() {
            *value = id;
        }
        let by_id: Vec<&String> = names.keys().collect();
        let mut edges: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for (a, b) in first_reference.keys() {
            edges.entry(names[a]).or_default().insert(names[b]);
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
                let references = hops
                    .iter()
                    .map(|&(a, b)| first_reference[&(by_id[a].clone(), by_id[b].clone())])
                    .collect();
                let mut chain: Vec<&str> = cycle.iter().map(|&m| by_id[m].as_str()).collect();
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
