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

/// The cycles among an `acyclic` rule's members, each as its hops'
/// first references and its members (indices into `names`), in cycle
/// order.
struct MemberCycles {
    names: Vec<String>,
    cycles: Vec<(Vec<usize>, Vec<usize>)>,
    /// The references from index `asked` on, by the member pair their
    /// edge joins (see [`Rule::reported`]).
    asked: BTreeMap<(usize, usize), Vec<usize>>,
    /// Whether every cycle is listed (see [`elementary_cycles`]).
    complete: bool,
}

impl Acyclic {
    /// The cycles; the references from index `asked` on are kept by the
    /// member pair they join.
    fn cycles(&self, context: &Context, asked: usize) -> MemberCycles {
        // Member ids in name order, edges with their first reference (the
        // references are sorted by location).
        let members = context.decide(&self.modules);
        let mut first_by_node: BTreeMap<(NodeId, NodeId), usize> = BTreeMap::new();
        let mut asked_by_node: BTreeMap<(NodeId, NodeId), Vec<usize>> = BTreeMap::new();
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
                    let from_asked = edge.references.partition_point(|&r| r < asked);
                    if from_asked < edge.references.len() {
                        (asked_by_node.entry((a, b)).or_default())
                            .extend(&edge.references[from_asked..]);
                    }
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
        let first_reference: HashMap<(usize, usize), usize> = first_by_node
            .iter()
            .map(|(&(a, b), &first)| ((id[&a], id[&b]), first))
            .collect();
        let mut edges: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for &(a, b) in first_reference.keys() {
            edges.entry(a).or_default().insert(b);
        }
        let found = elementary_cycles(&edges);
        let cycles = found
            .cycles
            .into_iter()
            .map(|cycle| {
                let references = (cycle.iter())
                    .zip(cycle.iter().cycle().skip(1))
                    .map(|(&a, &b)| first_reference[&(a, b)])
                    .collect();
                (references, cycle)
            })
            .collect();
        let asked = asked_by_node
            .into_iter()
            .map(|((a, b), references)| ((id[&a], id[&b]), references))
            .collect();
        MemberCycles {
            asked,
            names: names.into_iter().map(|(name, _)| name).collect(),
            cycles,
            complete: found.complete,
        }
    }
}

impl Rule for Acyclic {
    fn decides_each_reference_alone(&self) -> bool {
        false
    }

    /// Only a reference joining two members makes a hop of a cycle.
    fn may_report_any(&self, context: &Context) -> bool {
        let members = context.decide(&self.modules);
        context.selected_modules().any(|module| {
            let Some(a) = members.member(module) else {
                return false;
            };
            context.edges_from(module).any(|edge| match edge.target {
                Node::Module(target) => members.member(*target).is_some_and(|b| a != b),
                Node::External(_) => false,
            })
        })
    }

    fn check(&self, context: &Context) -> Vec<Finding> {
        let found = self.cycles(context, usize::MAX);
        let listed = found.cycles.len();
        let mut findings: Vec<Finding> = found
            .cycles
            .into_iter()
            .map(|(references, members)| {
                let mut chain: Vec<&str> = members.iter().map(|&m| &*found.names[m]).collect();
                chain.push(chain[0]);
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

    /// The references from index `asked` on that make a hop of a listed
    /// cycle, where no reference before `asked` does: every one of them,
    /// not only the first, since any would close the cycle. A reference
    /// joining members that earlier references join already closes
    /// nothing new. Without the messages: a tangle's 200 cycles of
    /// thousands of members each make tens of MB of text.
    fn reported(&self, context: &Context, asked: usize) -> Vec<usize> {
        let found = self.cycles(context, asked);
        let mut reported = BTreeSet::new();
        for (firsts, cycle) in &found.cycles {
            let hops = cycle.iter().zip(cycle.iter().cycle().skip(1));
            for (&first, (&a, &b)) in firsts.iter().zip(hops) {
                if first >= asked {
                    reported.extend(found.asked.get(&(a, b)).into_iter().flatten());
                }
            }
        }
        reported.into_iter().collect()
    }

    fn patterns(&self) -> Vec<&Pattern> {
        self.modules.patterns().collect()
    }
}
