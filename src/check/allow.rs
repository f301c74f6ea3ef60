//! # What it does
//! Reports every reference from a module covered by `from` to anything not
//! covered by `to`, except references inside the referring member's own
//! subtree and references to `std`, `core` and `alloc`.
//!
//! # Why
//! An allow-list is the strongest boundary: the domain core may use only
//! what it was designed to use, and every new dependency is a decision made
//! in the policy, not by accident in a pull request.
//!
//! # Example policy
//! ```toml
//! [[rule]]
//! kind = "allow"
//! name = "domain-core-is-pure"
//! from = "shop::*::domain"
//! to = ["shop::shared", "serde", "thiserror"]
//! reason = "domain logic stays free of transport and persistence"
//! ```
//!
//! # Fields
//! - `from`: patterns of the modules the rule constrains. Each match is a
//!   member: `shop::*::domain` makes `shop::billing::domain` one member, and
//!   references within a member's own subtree are always allowed.
//! - `to`: patterns of the paths members may reference, besides their own
//!   subtree and the standard library. It may be empty (`to = []`): then
//!   members use nothing else at all.

use super::registry::Kind;
use super::{in_reference_order, Context, Finding, Rule};
use crate::policy::{Pattern, PatternList};
use crate::workspace::STANDARD_LIBRARY;

pub const KIND: Kind = Kind {
    name: "allow",
    fields: &["from", "to"],
    source: include_str!("allow.rs"),
    build: |fields| {
        Box::new(Allow {
            from: fields.patterns("from"),
            to: fields.patterns_or_empty("to"),
        })
    },
};

struct Allow {
    from: PatternList,
    to: PatternList,
}

impl Allow {
    /// `Some(true)` when the reference is permitted, `Some(false)` when it
    /// breaks the rule, `None` when its module is not constrained.
    fn permits(&self, context: &Context, index: usize) -> Option<bool> {
        let reference = &context.graph.model.references[index];
        let from = context.from_segments(reference);
        let member_len = self.from.member_len(from)?;
        let path = context.path(index);
        Some(own_subtree(from, member_len, path) || self.listed(path))
    }

    /// Whether the rule lets any member use `path`: the standard library,
    /// or what `to` covers.
    fn listed(&self, path: &[&str]) -> bool {
        STANDARD_LIBRARY.contains(&path[0]) || self.to.covers(path)
    }
}

/// Whether `path` lies in the subtree of `from`'s member, `member_len`
/// segments long.
fn own_subtree(from: &[&str], member_len: usize, path: &[&str]) -> bool {
    path.len() >= member_len && path[..member_len] == from[..member_len]
}

impl Rule for Allow {
    fn check(&self, context: &Context) -> Vec<Finding> {
        let members = context.decide(&self.from);
        let mut listed = context.path_memo::<bool>();
        let mut findings = Vec::new();
        for module in context.selected_modules() {
            let Some(member_len) = members.member_len(module) else {
                continue;
            };
            let from = &context.module_segments[module];
            for &index in context.edges_from(module).flat_map(|edge| edge.references) {
                let path = context.path(index);
                if listed.get(context.path_id(index), || self.listed(path))
                    || own_subtree(from, member_len, path)
                {
                    continue;
                }
                let reference = &context.graph.model.references[index];
                findings.push(Finding {
                    references: vec![index],
                    message: format!(
                        "`{}` may only depend on what the rule allows, not on `{}`",
                        context.graph.model.modules[module].path,
                        context.target_name(reference)
                    ),
                    key: None,
                });
            }
        }
        in_reference_order(findings)
    }

    fn allows(&self, context: &Context, index: usize) -> bool {
        self.permits(context, index) == Some(true)
    }

    fn patterns(&self) -> Vec<&Pattern> {
        self.from.patterns().chain(self.to.patterns()).collect()
    }
}
