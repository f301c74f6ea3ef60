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
use super::{members, Context, Finding, Rule};
use crate::policy::{Pattern, PatternList, PolicyError, PolicyErrorCode, Universe};
use crate::source::Target;

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
        context
            .references()
            .filter_map(|(index, reference)| {
                let from = context.from_segments(reference);
                let from_member = self.modules.member_len(from)?;
                // Members are modules: the target's member is found on the
                // deepest module it reaches, never on an item.
                let target: Vec<&str> = match &reference.target {
                    Target::Module(id) => context.module_segments[*id].clone(),
                    Target::External(name) => vec![name.as_str()],
                };
                let to_member = self.modules.member_len(&target)?;
                if from[..from_member] == target[..to_member] {
                    return None;
                }
                Some(Finding {
                    references: vec![index],
                    message: format!(
                        "`{}` and `{}` must stay independent, but `{}` depends on `{}`",
                        from[..from_member].join("::"),
                        target[..to_member].join("::"),
                        context.graph.model.modules[reference.from].path,
                        context.target_name(reference)
                    ),
                    key: None,
                })
            })
            .collect()
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
