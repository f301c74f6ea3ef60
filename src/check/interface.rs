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
use super::{in_reference_order, Context, Finding, Rule};
use crate::policy::{
    NodeId, PathKind, Pattern, PatternList, PolicyError, PolicyErrorCode, Universe,
};
use crate::source::{ModuleId, Target};

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
        let guards = (1..=target.len())
            .filter(|&len| self.module.matches(&target[..len]))
            .map(|len| (len, self.exposes(target, len)));
        judge(context.from_segments(reference), target, guards)
    }

    /// Whether a reference into `target` through its guarded ancestor of
    /// `len` segments may pass: it targets that module's own items or an
    /// exposed submodule.
    fn exposes(&self, target: &[&str], len: usize) -> bool {
        len == target.len() || self.expose.covers(&target[len..])
    }
}

/// The verdict for a reference from `from` into `target`, given the target's
/// guarded ancestors-or-self (by length, shortest first) and whether each
/// lets the reference pass: every guard the reference comes from outside of
/// is asked, in turn.
fn judge(
    from: &[&str],
    target: &[&str],
    guards: impl IntoIterator<Item = (usize, bool)>,
) -> Option<Result<(), String>> {
    let mut verdict = None;
    for (len, exposed) in guards {
        let guarded = &target[..len];
        if from.len() >= len && &from[..len] == guarded {
            continue;
        }
        if !exposed {
            return Some(Err(guarded.join("::")));
        }
        verdict = Some(Ok(()));
    }
    verdict
}

impl Rule for Interface {
    fn check(&self, context: &Context) -> Vec<Finding> {
        let guarded = context.decide(&self.module);
        let index = &context.modules;
        let mut findings = Vec::new();
        // The verdict depends on the two ends only: one per edge into each
        // module that is or lies below a guarded module.
        for target in ModuleId::all(context.module_segments.len()) {
            let mut guards = Vec::new();
            let mut node = context.module_node(target);
            while node != NodeId::ROOT {
                if guarded.decision.matches(node) {
                    guards.push(index.depth(node));
                }
                node = index.parent(node).unwrap_or(NodeId::ROOT);
            }
            if guards.is_empty() {
                continue;
            }
            let target_path = &context.module_segments[target];
            let guards: Vec<(usize, bool)> = guards
                .into_iter()
                .rev()
                .map(|len| (len, self.exposes(target_path, len)))
                .collect();
            for edge in context.edges_into(target) {
                let from = &context.module_segments[edge.from];
                let Some(Err(guarded)) = judge(from, target_path, guards.iter().copied()) else {
                    continue;
                };
                for &index in edge.references {
                    findings.push(Finding {
                        references: vec![index],
                        message: format!(
                            "`{}` reaches into `{}`, which `{guarded}` does not expose",
                            context.graph.model.modules[edge.from].path,
                            context.graph.model.modules[target].path,
                        ),
                        key: None,
                    });
                }
            }
        }
        in_reference_order(findings)
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
