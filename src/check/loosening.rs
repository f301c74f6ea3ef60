//! The guard against loosening the policy (`check --base REF`): the policy
//! and baseline at REF compared with the current ones, semantically, over
//! the current graph.
//!
//! For each rule, the (module, target) pairs it reports before and after
//! are computed on the current graph with one more reference from every
//! checked module to every module and crate it could reach (so a widening
//! that today's code does not use yet is seen too; `acyclic` rules, whose
//! cycles such a graph would multiply, are compared on the real graph
//! only, as are all rules when that graph would be too large). A pair the
//! old rule reported and the new one does not is newly allowed. So are a
//! lowered severity, a rule that is gone (removed or renamed), a baseline
//! entry that is new, counts more or lasts longer, and an inline
//! suppression that is new or lasts longer.
//! Tightening is never a finding.
//!
//! A finding is accepted (reported, but not failing) when the rule it is
//! about carries `loosened = "why"`; a rule that is gone, when the policy's
//! `[settings]` say `loosened = "why"`.

use std::collections::{BTreeMap, BTreeSet};

use super::baseline::Entry;
use super::expiry::Lasts;
use super::suggest::graph_with;
use super::{CompiledPolicy, Context, Rule};
use crate::graph::{Graph, Node};
use crate::location::Location;
use crate::policy::{PolicySource, Severity};
use crate::source::{ModuleId, Reference, Target, Via};

/// Above this many extra references, rules are compared on the real graph
/// only.
const MAX_PROBES: usize = 250_000;
/// How many newly allowed pairs a finding names.
const NAMED_PAIRS: usize = 5;

/// Something the current policy, baseline or code allows that REF's did
/// not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loosening {
    /// The rule it is about (none for a rule that is gone).
    pub rule: Option<String>,
    /// The `loosened` reason that accepts it, if any.
    pub accepted: Option<String>,
    pub message: String,
    pub location: Location,
}

/// What the run is compared with.
pub struct Base<'a> {
    /// The revision as the user wrote it, for messages.
    pub name: &'a str,
    pub policy: &'a CompiledPolicy,
    pub policy_text: &'a str,
}

/// The current policy.
pub struct Current<'a> {
    pub policy: &'a CompiledPolicy,
    pub source: &'a PolicySource,
    /// `[settings] loosened`: accepts rules that are gone.
    pub loosened: Option<&'a str>,
}

/// Which graph the rules were compared on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// The real graph plus a probe reference from every checked module to
    /// every module and crate (`acyclic` rules on the real graph).
    WithProbes,
    /// The real graph only: the probes would have been too many, so a
    /// widening no reference uses yet is not seen.
    RealGraphOnly,
}

/// The rules' findings: policy changes that allow more.
pub fn compare_policies(
    graph: &Graph,
    base: &Base,
    current: &Current,
) -> (Vec<Loosening>, Coverage) {
    let changed = changed_lines(base.policy_text, &current.source.text);
    let locate = |span: Option<std::ops::Range<usize>>| -> Location {
        let text = &current.source.text;
        let inside = span.as_ref().and_then(|span| {
            changed
                .iter()
                .find(|line| line.start >= span.start && line.start < span.end)
        });
        let bytes = inside.or(changed.first()).cloned().or(span).unwrap_or(0..0);
        Location::from_bytes(current.source.display.clone(), text, bytes)
    };
    // A rule's lines: from its `[[rule]]` to the next one's (the table's
    // own span may cover its header only).
    let mut starts: Vec<usize> = current
        .policy
        .rules
        .iter()
        .map(|r| r.table.span.start)
        .collect();
    starts.sort_unstable();
    let extent = |start: usize| {
        let end = starts
            .iter()
            .find(|&&s| s > start)
            .copied()
            .unwrap_or(current.source.text.len());
        start..end
    };
    let probe = probe_graph(graph);
    let coverage = match probe {
        Some(_) => Coverage::WithProbes,
        None => Coverage::RealGraphOnly,
    };
    let real_counts = real_pair_counts(graph);
    let mut found = Vec::new();
    for old in &base.policy.rules {
        let name = &old.table.name;
        let Some(new) = current.policy.rules.iter().find(|r| &r.table.name == name) else {
            found.push(Loosening {
                rule: None,
                accepted: current.loosened.map(str::to_string),
                message: format!(
                    "rule `{name}` ({}) of {} is gone (removed or renamed): what it forbade is allowed",
                    old.table.kind, base.name
                ),
                location: locate(None),
            });
            continue;
        };
        let accepted = new.table.loosened.clone();
        let span = Some(extent(new.table.span.start));
        if old.table.severity == Severity::Error && new.table.severity == Severity::Warn {
            found.push(Loosening {
                rule: Some(name.clone()),
                accepted: accepted.clone(),
                message: format!(
                    "rule `{name}`'s severity was lowered from error to warn since {}: its violations no longer fail",
                    base.name
                ),
                location: locate(span.clone()),
            });
        }
        // Cycles are compared on the real graph: the probe graph would
        // make every member a cycle with every other.
        let graph_used = match &probe {
            Some(probe) if old.rule.decides_each_reference_alone() => probe,
            _ => graph,
        };
        let context = Context::new(graph_used);
        let before = flagged(old.rule.as_ref(), &context);
        let after = flagged(new.rule.as_ref(), &context);
        let mut allowed: Vec<(&str, &str, usize)> = before
            .difference(&after)
            .map(|(from, target)| {
                let count = real_counts
                    .get(&(*from, target.clone()))
                    .copied()
                    .unwrap_or(0);
                (
                    graph.model.modules[*from].path.as_str(),
                    graph.node_name(target),
                    count,
                )
            })
            .collect();
        if allowed.is_empty() {
            continue;
        }
        allowed.sort_by(|a, b| b.2.cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
        let named: Vec<String> = allowed
            .iter()
            .take(NAMED_PAIRS)
            .map(|(from, to, count)| match count {
                0 => format!("`{from}` may now use `{to}` (no references yet)"),
                1 => format!("`{from}` may now use `{to}`: 1 reference"),
                n => format!("`{from}` may now use `{to}`: {n} references"),
            })
            .collect();
        let more = match allowed.len().saturating_sub(NAMED_PAIRS) {
            0 => String::new(),
            n => format!(", and {n} more pair{}", if n == 1 { "" } else { "s" }),
        };
        found.push(Loosening {
            rule: Some(name.clone()),
            accepted,
            message: format!(
                "rule `{name}` allows more than at {}: {}{more}",
                base.name,
                named.join("; ")
            ),
            location: locate(span),
        });
    }
    (found, coverage)
}

/// Baseline entries that are new, count more, or last longer than at REF.
pub fn baseline_loosenings(
    base_name: &str,
    base: &[Entry],
    current: &[Entry],
    policy: &CompiledPolicy,
) -> Vec<Loosening> {
    let before: BTreeMap<_, &Entry> = base.iter().map(|e| (&e.key, e)).collect();
    let mut found = Vec::new();
    for entry in current {
        let key = &entry.key;
        let was = before.get(key);
        let mut report = |message: String| {
            found.push(Loosening {
                rule: Some(key.rule.clone()),
                accepted: loosened(policy, &key.rule),
                message,
                location: entry
                    .location
                    .clone()
                    .unwrap_or_else(|| Location::from_bytes("", "", 0..0)),
            })
        };
        let count_was = was.map_or(0, |e| e.count);
        if entry.count > count_was {
            report(format!(
                "the baseline now allows {} `{}` violation{} from `{}` to `{}` ({} at {})",
                entry.count,
                key.rule,
                if entry.count == 1 { "" } else { "s" },
                key.from,
                key.to,
                count_was,
                base_name
            ));
        }
        if let Some(was) = was {
            let (was, now) = (Lasts::of(was.terms.until), Lasts::of(entry.terms.until));
            if now > was {
                report(format!(
                    "the baseline entry for `{}` from `{}` to `{}` now lasts {now} ({was} at {base_name})",
                    key.rule, key.from, key.to
                ));
            }
        }
    }
    found
}

/// An inline suppression that is not at REF.
pub fn new_suppression(
    base_name: &str,
    rule: &str,
    location: &Location,
    policy: &CompiledPolicy,
) -> Loosening {
    suppression_loosening(
        rule,
        format!("a new suppression `allow({rule})` since {base_name}"),
        location,
        policy,
    )
}

/// An inline suppression that was at REF and now lasts longer: its `until`
/// moved later or was removed.
pub fn longer_suppression(
    base_name: &str,
    rule: &str,
    (was, now): (Lasts, Lasts),
    location: &Location,
    policy: &CompiledPolicy,
) -> Loosening {
    suppression_loosening(
        rule,
        format!("the suppression `allow({rule})` now lasts {now} ({was} at {base_name})"),
        location,
        policy,
    )
}

/// A loosening by an inline suppression of `rule`, at `location`.
fn suppression_loosening(
    rule: &str,
    message: String,
    location: &Location,
    policy: &CompiledPolicy,
) -> Loosening {
    Loosening {
        rule: Some(rule.to_string()),
        accepted: loosened(policy, rule),
        message,
        location: location.clone(),
    }
}

fn loosened(policy: &CompiledPolicy, rule: &str) -> Option<String> {
    policy
        .rules
        .iter()
        .find(|r| r.table.name == rule)
        .and_then(|r| r.table.loosened.clone())
}

/// The (from module, target) pairs a rule reports.
fn flagged(rule: &dyn Rule, context: &Context) -> BTreeSet<(ModuleId, Node)> {
    let model = &context.graph.model;
    rule.check(context)
        .into_iter()
        .flat_map(|finding| finding.references)
        .map(|index| {
            let reference = &model.references[index];
            let target = match &reference.target {
                Target::Module(module) => Node::Module(*module),
                Target::External(name) => Node::External(name.to_string()),
            };
            (reference.from, target)
        })
        .collect()
}

/// How many real references each (from, target) pair has.
fn real_pair_counts(graph: &Graph) -> BTreeMap<(ModuleId, Node), usize> {
    let mut counts = BTreeMap::new();
    for reference in graph.model.references.iter() {
        let target = match &reference.target {
            Target::Module(module) => Node::Module(*module),
            Target::External(name) => Node::External(name.to_string()),
        };
        *counts.entry((reference.from, target)).or_default() += 1;
    }
    counts
}

/// The current graph with one more reference from every checked module to
/// every module and external crate; `None` when that is too many.
fn probe_graph(graph: &Graph) -> Option<Graph> {
    let model = &graph.model;
    let externals: BTreeSet<&str> = model
        .references
        .iter()
        .filter_map(|r| match &r.target {
            Target::External(name) => Some(&**name),
            Target::Module(_) => None,
        })
        .collect();
    let selected: Vec<ModuleId> = ModuleId::all(model.modules.len())
        .filter(|&m| model.modules[m].selected)
        .collect();
    let targets = model.modules.len() + externals.len();
    if selected.len().saturating_mul(targets) > MAX_PROBES {
        return None;
    }
    let mut references = model.references.to_vec();
    for &from in &selected {
        let location = Location::from_bytes(model.modules[from].file.clone(), "", 0..0);
        let probe = |path: &str, target: Target| Reference {
            from,
            path: path.into(),
            target,
            via: Via::Path,
            location: location.clone(),
        };
        for (to, module) in ModuleId::enumerate(&model.modules) {
            references.push(probe(&module.path, Target::Module(to)));
        }
        for name in &externals {
            references.push(probe(name, Target::External((*name).into())));
        }
    }
    Some(graph_with(model, references))
}

/// The byte ranges of the lines of `new` that `old` does not have (as
/// many times): where the policy changed.
fn changed_lines(old: &str, new: &str) -> Vec<std::ops::Range<usize>> {
    let mut left: BTreeMap<&str, usize> = BTreeMap::new();
    for line in old.lines() {
        *left.entry(line.trim_end()).or_default() += 1;
    }
    let mut changed = Vec::new();
    let mut start = 0;
    for line in new.split_inclusive('\n') {
        let text = line.trim_end();
        match left.get_mut(text) {
            Some(count) if *count > 0 => *count -= 1,
            _ if text.trim().is_empty() => {}
            _ => changed.push(start..start + text.len()),
        }
        start += line.len();
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lines_are_those_old_lacks() {
        let old = "a = 1\nb = 2\n\nc = 3\n";
        let new = "a = 1\nb = 5\n\nc = 3\nd = 4\n";
        let lines: Vec<&str> = changed_lines(old, new)
            .into_iter()
            .map(|r| &new[r])
            .collect();
        assert_eq!(lines, ["b = 5", "d = 4"]);
    }
}
