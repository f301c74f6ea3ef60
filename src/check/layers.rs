//! # What it does
//! Orders modules in layers, top first, and reports every reference from a
//! layer to a higher one. With `strict = true`, a layer may use only the
//! layer directly below it.
//!
//! # Why
//! Layering keeps dependencies flowing one way: transport calls the
//! application, the application calls the domain, the domain calls nothing
//! above it. A reference that climbs back up ties the lower layer to details
//! it should not know, and is how a "domain" ends up importing HTTP types.
//!
//! # Example policy
//! ```toml
//! [[rule]]
//! kind = "layers"
//! name = "domain-layers"
//! containers = "shop::*"
//! layers = ["api", ["service", "jobs"], "domain", "storage"]
//! reason = "each domain calls downward only"
//! ```
//!
//! # Fields
//! - `layers`: the layers, top first. An entry is a pattern or a list of
//!   peer patterns; peers may use each other (add an `independent` rule to
//!   forbid that). Modules in no layer are not constrained.
//! - `containers` (optional): patterns whose matches each hold one copy of
//!   the layers; layer entries are then relative to each container
//!   (`containers = "shop::*"` with `"storage"` means `shop::billing::storage`
//!   within `shop::billing`). References between different containers are
//!   left to other rules.
//! - `strict` (optional, default `false`): also report references that skip
//!   a layer on the way down.

use std::collections::BTreeMap;

use super::registry::Kind;
use super::{in_reference_order, Context, Finding, Rule};
use crate::policy::value::ValueKind;
use crate::policy::{PathKind, Pattern, PatternList, PolicyError, PolicyErrorCode, Universe};
use crate::source::Reference;

pub const KIND: Kind = Kind {
    name: "layers",
    fields: &["layers", "containers", "strict"],
    source: include_str!("layers.rs"),
    build: |fields| {
        let mut layers = Vec::new();
        match fields.value("layers") {
            None => fields.missing("layers"),
            Some(value) => match &value.kind {
                ValueKind::Array(entries) => {
                    for entry in entries {
                        let layer = fields.pattern_list(entry, "layers");
                        if layer.is_empty() && matches!(entry.kind, ValueKind::Array(_)) {
                            fields
                                .errors
                                .push(crate::policy::empty_list(entry.span.clone(), "a layer"));
                        }
                        layers.push(layer);
                    }
                }
                _ => fields.errors.push(crate::policy::value_type_error(
                    value,
                    "layers",
                    "an array of layers",
                )),
            },
        }
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (index, layer) in layers.iter().enumerate() {
            for pattern in &layer.include {
                if let Some(first) = seen.insert(pattern.text.clone(), index) {
                    fields.errors.push(PolicyError::new(
                        PolicyErrorCode::LayerListedTwice,
                        pattern.span.clone(),
                        format!(
                            "`{}` is listed in layer {} and again in layer {}",
                            pattern.text,
                            first + 1,
                            index + 1
                        ),
                        "listed twice",
                    ));
                }
            }
        }
        if layers.len() < 2 && fields.value("layers").is_some() {
            fields.errors.push(PolicyError::new(
                PolicyErrorCode::TooFewLayers,
                fields.table.kind_span.clone(),
                format!(
                    "`layers` rule `{}` needs at least two layers",
                    fields.table.name
                ),
                "fewer than two layers",
            ));
        }
        Box::new(Layers {
            containers: fields.optional_patterns("containers"),
            strict: fields.bool("strict", false),
            layers,
        })
    },
};

struct Layers {
    layers: Vec<PatternList>,
    containers: Option<PatternList>,
    strict: bool,
}

impl Layers {
    /// The layer a path (relative to its container) is in.
    fn layer(&self, path: &[&str]) -> Option<usize> {
        self.layers.iter().position(|layer| layer.covers(path))
    }

    /// For a reference between two layers (of the same container): `Ok`
    /// when it goes down as the rule permits, `Err` with the message when it
    /// climbs up or, with `strict`, skips a layer. `None` otherwise.
    fn verdict(&self, context: &Context, index: usize) -> Option<Result<(), String>> {
        let reference = &context.graph.model.references[index];
        let from = context.from_segments(reference);
        let to = context.path(index);
        // With containers, both ends must be in the same container; layer
        // patterns then apply below it.
        let prefix = match &self.containers {
            Some(containers) => containers.member_len(from)?,
            None => 0,
        };
        if !same_container(from, to, prefix) {
            return None;
        }
        let from_layer = self.layer(&from[prefix..])?;
        let to_layer = self.layer(&to[prefix..])?;
        Some(self.judge(context, reference, from_layer, to_layer))
    }

    /// `Ok` when a reference from `from_layer` to `to_layer` goes down as
    /// the rule permits, else `Err` with the message.
    fn judge(
        &self,
        context: &Context,
        reference: &Reference,
        from_layer: usize,
        to_layer: usize,
    ) -> Result<(), String> {
        let from_name = &context.graph.model.modules[reference.from].path;
        let to_name = context.target_name(reference);
        if to_layer < from_layer {
            Err(format!(
                "`{from_name}` (layer {}) must not depend on `{to_name}` (higher layer {})",
                from_layer + 1,
                to_layer + 1
            ))
        } else if self.strict && to_layer > from_layer + 1 {
            Err(format!(
                "`{from_name}` (layer {}) may only depend on layer {}, not on `{to_name}` (layer {})",
                from_layer + 1,
                from_layer + 2,
                to_layer + 1
            ))
        } else {
            Ok(())
        }
    }
}

/// Whether `to` lies in the container of `from`, its first `prefix`
/// segments (always, without containers).
fn same_container(from: &[&str], to: &[&str], prefix: usize) -> bool {
    to.len() >= prefix && to[..prefix] == from[..prefix]
}

impl Rule for Layers {
    fn check(&self, context: &Context) -> Vec<Finding> {
        let containers = self.containers.as_ref().map(|c| context.decide(c));
        // Per distinct path: its layer below the container of that length
        // (a path is almost always seen below one container length only).
        let mut to_layers = context.path_memo::<(usize, Option<usize>)>();
        let mut findings = Vec::new();
        for module in context.selected_modules() {
            let prefix = match &containers {
                Some(containers) => match containers.member_len(module) {
                    Some(len) => len,
                    None => continue,
                },
                None => 0,
            };
            let from = &context.module_segments[module];
            let Some(from_layer) = self.layer(&from[prefix..]) else {
                continue;
            };
            for &index in context.edges_from(module).flat_map(|edge| edge.references) {
                let to = context.path(index);
                if !same_container(from, to, prefix) {
                    continue;
                }
                let compute = || (prefix, self.layer(&to[prefix..]));
                let (seen_prefix, mut to_layer) = to_layers.get(context.path_id(index), compute);
                if seen_prefix != prefix {
                    to_layer = compute().1;
                }
                let Some(to_layer) = to_layer else {
                    continue;
                };
                let reference = &context.graph.model.references[index];
                if let Err(message) = self.judge(context, reference, from_layer, to_layer) {
                    findings.push(Finding {
                        references: vec![index],
                        message,
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
        match &self.containers {
            Some(containers) => containers.patterns().collect(),
            None => self.layers.iter().flat_map(|l| l.patterns()).collect(),
        }
    }

    fn validate(&self, universe: &Universe) -> Vec<PolicyError> {
        let Some(list) = &self.containers else {
            return Vec::new();
        };
        let mut errors = Vec::new();
        let containers = universe.members(list);
        // One error per container pattern whose matches nest in others.
        for pattern in &list.include {
            if let Some((inner, outer)) = containers.nested(pattern) {
                errors.push(PolicyError::new(
                    PolicyErrorCode::OverlappingContainers,
                    pattern.span.clone(),
                    format!(
                        "containers overlap: `{inner}`, matched by `{}`, lies inside `{outer}`",
                        pattern.text
                    ),
                    "overlapping containers",
                ));
            }
        }
        // Relative layer patterns must name something in some container.
        for pattern in self.layers.iter().flat_map(|l| l.patterns()) {
            if !containers.any_below(pattern, &[PathKind::Module, PathKind::Item]) {
                errors.push(PolicyError::new(
                    PolicyErrorCode::LayerMatchesNothing,
                    pattern.span.clone(),
                    format!(
                        "layer `{}` matches nothing inside any container",
                        pattern.text
                    ),
                    "matches nothing",
                ));
            }
        }
        errors
    }
}
