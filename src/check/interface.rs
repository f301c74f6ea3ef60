//! # What it does
//! Guards a module behind its interface: a reference from outside a guarded
//! module into its subtree is reported unless it targets the module's own
//! items (re-exports in its root included) or an exposed submodule.
//!
//! # Why
//! A domain that publishes `accounts::api` and keeps `accounts::storage`
//! private can change its storage freely. Without the rule, every caller
//! that reached into `storage` becomes a reason not to change it.
//!
//! # Example policy
//! ```toml
//! [[rule]]
//! kind = "interface"
//! name = "domains-expose-api-only"
//! module = "shop::*"
//! expose = ["api", "events"]
//! reason = "other domains use a domain's api, never its internals"
//! ```
//!
//! # Fields
//! - `module`: patterns of the guarded modules. Each match is guarded
//!   separately: with `"shop::*"`, `shop::billing` may use
//!   `shop::accounts::api` but not `shop::accounts::storage`. References
//!   from inside a guarded module to its own subtree are its own business.
//! - `expose` (optional, default none): submodules other modules may use,
//!   relative to each guarded module (`"api"` means `shop::accounts::api`
//!   for `shop::accounts`), with everything below them.

use super::registry::Kind;
use super::{Context, Finding, Rule};
use crate::policy::{PathKind, Pattern, PatternList, PolicyError, PolicyErrorCode, Universe};
use crate::source::Target;

pub const KIND: Kind = Kind {
    name: "interface",
    fields: &["module", "expose"],
    source: include_str!("interface.rs"),
    build: |fields| {
        Box::new(Interface {
            module: fields.patterns("module"),
            expose: fields.optional_patterns("expose").unwrap_or_default(),
        })
    },
};

struct Interface {
    module: PatternList,
    expose: PatternList,
}

impl Interface {
    /// For a reference into a guarded module from outside it: `Ok` when it
    /// targets the module's own items or an exposed submodule, `Err` with
    /// the guarded module when it reaches into an internal one. `None` when
    /// no guarded module is involved.
    fn verdict(&self, context: &Context, index: usize) -> Option<Result<(), String>> {
        let reference = &context.graph.model.references[index];
        let Target::Module(target) = reference.target else {
            return None;
        };
        let target = &context.module_segments[target];
        let from = context.from_segments(reference);
        let mut verdict = None;
        // Every guarded ancestor of the target, each on its own.
        for len in 1..=target.len() {
            let guarded = &target[..len];
            if !self.module.matches(guarded) || (from.len() >= len && &from[..len] == guarded) {
                continue;
            }
            if len < target.len() && !self.expose.covers(&target[len..]) {
                return Some(Err(guarded.join("::")));
            }
            verdict = Some(Ok(()));
        }
        verdict
    }
}

impl Rule for Interface {
    fn check(&self, context: &Context) -> Vec<Finding> {
        context
            .references()
            .filter_map(|(index, reference)| {
                let guarded = self.verdict(context, index)?.err()?;
                Some(Finding {
                    references: vec![index],
                    message: format!(
                        "`{}` reaches into `{}`, which `{guarded}` does not expose",
                        context.graph.model.modules[reference.from].path,
                        context.target_name(reference),
                    ),
                    key: None,
                })
            })
            .collect()
    }

    fn allows(&self, context: &Context, index: usize) -> bool {
        self.verdict(context, index) == Some(Ok(()))
    }

    fn patterns(&self) -> Vec<&Pattern> {
        self.module.patterns().collect()
    }

    fn validate(&self, universe: &Universe) -> Vec<PolicyError> {
        let guarded = universe.members(&self.module);
        let mut errors = Vec::new();
        if guarded.names().is_empty() {
            errors.push(PolicyError::new(
                PolicyErrorCode::NothingToGuard,
                self.module.span.clone(),
                "`module` matches no module to guard",
                "matches no module",
            ));
        }
        for pattern in self.expose.patterns() {
            if !guarded.any_below(pattern, &[PathKind::Module]) {
                errors.push(PolicyError::new(
                    PolicyErrorCode::MissingExposedSubmodule,
                    pattern.span.clone(),
                    format!("no guarded module has a submodule `{}`", pattern.text),
                    "exposed submodule does not exist",
                ));
            }
        }
        errors
    }
}
