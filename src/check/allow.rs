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
use super::{Context, Finding, Rule};
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
        let path = &context.path_segments[index];
        let own_subtree = path.len() >= member_len && path[..member_len] == from[..member_len];
        Some(own_subtree || STANDARD_LIBRARY.contains(&path[0]) || self.to.covers(path))
    }
}

impl Rule for Allow {
    fn check(&self, context: &Context) -> Vec<Finding> {
        context
            .references()
            .filter(|(index, _)| self.permits(context, *index) == Some(false))
            .map(|(index, reference)| Finding {
                references: vec![index],
                message: format!(
                    "`{}` may only depend on what the rule allows, not on `{}`",
                    context.graph.model.modules[reference.from].path,
                    context.target_name(reference)
                ),
                key: None,
            })
            .collect()
    }

    fn allows(&self, context: &Context, index: usize) -> bool {
        self.permits(context, index) == Some(true)
    }

    fn patterns(&self) -> Vec<&Pattern> {
        self.from.patterns().chain(self.to.patterns()).collect()
    }
}
