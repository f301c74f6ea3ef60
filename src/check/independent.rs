//! # What it does
//! Makes modules independent of each other: every reference between two
//! different members is reported, from their submodules too.
//!
//! # Why
//! Feature modules that do not know each other can be changed, owned and
//! eventually split out one at a time. Once billing imports shipping and
//! shipping imports billing, neither can move without the other.
//!
//! # Example policy
//! ```toml
//! [[rule]]
//! kind = "independent"
//! name = "domains-are-independent"
//! modules = ["shop::*", "!shop::shared"]
//! reason = "domains talk through events, not calls"
//! ```
//!
//! # Fields
//! - `modules`: patterns whose matches are the members. Each match of each
//!   pattern is one member: `"shop::*"` makes every child module of `shop`
//!   a member. Members are modules; items that a pattern also matches are
//!   not members. At least two members are needed.

use super::registry::Kind;
use super::{in_reference_order, members, Context, Finding, Rule};
use crate::graph::Node;
use crate::policy::{Pattern, PatternList, PolicyError, PolicyErrorCode, Universe};

pub const KIND: Kind = Kind {
    name: "independent",
    fields: &["modules"],
    source: include_str!("independent.rs"),
    build: |fields| {
        Box::new(Independent {
            modules: fields.patterns("modules"),
        })
    },
};

struct Independent {
    modules: PatternList,
}

impl Rule for Independent {
    fn check(&self, context: &Context) -> Vec<Finding> {
        let members = context.decide(&self.modules);
        let mut findings = Vec::new();
        // The verdict depends on the two ends only: one per edge.
        let member_edges = context.selected_modules().flat_map(|module| {
            let member = members.member(module);
            member
                .into_iter()
                .flat_map(move |member| context.edges_from(module).map(move |e| (member, e)))
        });
        for (from_member, edge) in member_edges {
            // Members are modules: the target's member is found on the
            // deepest module it reaches, never on an item.
            let (to_member, same) = match edge.target {
                Node::Module(target) => match members.member(*target) {
                    Some(member) => (context.modules.path(member), member == from_member),
                    None => continue,
                },
                Node::External(name) => {
                    if self.modules.member_len(&[name.as_str()]).is_none() {
                        continue;
                    }
                    let same = context.modules.depth(from_member) == 1
                        && context.modules.segment(from_member) == name;
                    (name.clone(), same)
                }
            };
            if same {
                continue;
            }
            let from_member = context.modules.path(from_member);
            for &index in edge.references {
                let reference = &context.graph.model.references[index];
                findings.push(Finding {
                    references: vec![index],
                    message: format!(
                        "`{from_member}` and `{to_member}` must stay independent, but `{}` depends on `{}`",
                        context.graph.model.modules[edge.from].path,
                        context.target_name(reference)
                    ),
                    key: None,
                });
            }
        }
        in_reference_order(findings)
    }

    fn patterns(&self) -> Vec<&Pattern> {
        self.modules.patterns().collect()
    }

    fn validate(&self, universe: &Universe) -> Vec<PolicyError> {
        let found = members(&self.modules, universe);
        if found.len() >= 2 {
            return Vec::new();
        }
        vec![PolicyError::new(
            PolicyErrorCode::TooFewMembers,
            self.modules.span.clone(),
            format!(
                "an `independent` rule needs at least two members, but its modules match {}",
                match found.as_slice() {
                    [] => "no module".to_string(),
                    [one] => format!("only `{one}`"),
                    _ => unreachable!(),
                }
            ),
            "fewer than two members",
        )
        .with_help(Some(
            "use `*` to make each child a member: `modules = \"shop::*\"`".to_string(),
        ))]
    }
}
