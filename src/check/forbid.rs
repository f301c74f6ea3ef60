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
use super::{in_reference_order, Context, Finding, Rule};
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
        let from = context.decide(&self.from);
        // Per distinct path: `None` when `to` does not cover it, else the
        // length of the `to` match it lies in (none for a `to` of only `!`
        // exceptions, which has no matches to stay in).
        let mut to = context.path_memo::<Option<Option<usize>>>();
        let mut findings = Vec::new();
        for module in context.selected_modules().filter(|&m| from.covers(m)) {
            let from = &context.module_segments[module];
            for &index in context.edges_from(module).flat_map(|edge| edge.references) {
                let path = context.path(index);
                let covered = to.get(context.path_id(index), || {
                    self.to.covers(path).then(|| self.to.member_len(path))
                });
                let Some(member_len) = covered else {
                    continue;
                };
                if member_len.is_none_or(|len| !within(from, &path[..len])) {
                    let reference = &context.graph.model.references[index];
                    findings.push(Finding {
                        references: vec![index],
                        message: format!(
                            "`{}` must not depend on `{}`",
                            context.graph.model.modules[module].path,
                            context.target_name(reference)
                        ),
                        key: None,
                    });
                }
            }
        }
        in_reference_order(findings)
    }

    fn patterns(&self) -> Vec<&Pattern> {
        self.from.patterns().chain(self.to.patterns()).collect()
    }
}

/// Whether module `from` lies inside (or is) `scope`.
fn within(from: &[&str], scope: &[&str]) -> bool {
    from.len() >= scope.len() && from[..scope.len()] == *scope
}
