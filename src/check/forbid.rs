//! # What it does
//! Reports every reference from a module covered by `from` to a path covered
//! by `to`, except a reference that stays inside one match of `to`: a crate
//! or module using its own insides never depends on itself.
//!
//! # Why
//! The simplest boundary: one part of the code may not depend on another.
//! Billing may not read accounts' tables; domain code may not touch the web
//! framework or the SQL driver. A `forbid` rule says so and keeps it true.
//!
//! # Example policy
//! ```toml
//! [[rule]]
//! kind = "forbid"
//! name = "billing-not-accounts-storage"
//! from = "shop::billing"
//! to = ["shop::accounts::storage", "sqlx"]
//! reason = "billing reads accounts through shop::accounts::api"
//! ```
//!
//! # Fields
//! - `from`: patterns of the modules the rule constrains (their subtrees
//!   included).
//! - `to`: patterns of the paths they may not reference: modules, items
//!   (`std::process::exit`) or crates. With `from = ["!app"]` and
//!   `to = "lsp_server"`, `lsp_server`'s own modules may still use each
//!   other.

use super::registry::Kind;
use super::{Context, Finding, Rule};
use crate::policy::{Pattern, PatternList};

pub const KIND: Kind = Kind {
    name: "forbid",
    fields: &["from", "to"],
    source: include_str!("forbid.rs"),
    build: |fields| {
        Box::new(Forbid {
            from: fields.patterns("from"),
            to: fields.patterns("to"),
        })
    },
};

struct Forbid {
    from: PatternList,
    to: PatternList,
}

impl Rule for Forbid {
    fn check(&self, context: &Context) -> Vec<Finding> {
        context
            .references()
            .filter(|(index, reference)| {
                let from = context.from_segments(reference);
                let path = &context.path_segments[*index];
                // A `to` of only `!` exceptions has no matches to stay in.
                self.from.covers(from)
                    && self.to.covers(path)
                    && self
                        .to
                        .member_len(path)
                        .is_none_or(|len| !within(from, &path[..len]))
            })
            .map(|(index, reference)| Finding {
                references: vec![index],
                message: format!(
                    "`{}` must not depend on `{}`",
                    context.graph.model.modules[reference.from].path,
                    context.target_name(reference)
                ),
                key: None,
            })
            .collect()
    }

    fn patterns(&self) -> Vec<&Pattern> {
        self.from.patterns().chain(self.to.patterns()).collect()
    }
}

/// Whether module `from` lies inside (or is) `scope`.
fn within(from: &[&str], scope: &[&str]) -> bool {
    from.len() >= scope.len() && from[..scope.len()] == *scope
}
