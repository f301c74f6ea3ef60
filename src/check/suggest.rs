//! What to use instead: when a violation reaches an item that another
//! module re-exports (`pub use domain::Account;` in `shop::accounts`), the
//! path through that module, if the policy allows it.
//!
//! A suggestion is only made when it is sure to be right:
//! - the re-export names the item under its own name (a renamed or glob
//!   re-export is not followed);
//! - the re-exporting module can be named from the violating module: it is
//!   an ancestor of the module holding the item, or every module on its
//!   path that the two do not share is declared `pub` (or `pub(..)`);
//! - the path through it breaks no rule: every candidate is checked by
//!   running every rule on a graph with the candidates added, and one
//!   that any rule reports is dropped (one that would close a cycle
//!   included, however many violations would take it).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{CompiledPolicy, Context, Violation};
use crate::graph::Graph;
use crate::source::{ModuleId, Reference, SourceModel, Target, Via};

/// A path to use instead of the one a violation's reference names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The replacement for the reference's resolved path
    /// (`shop::accounts::Account::new`).
    pub path: String,
    /// The item as the suggestion names it (`shop::accounts::Account`).
    pub item: String,
    /// The item as the violation named it (`shop::accounts::domain::Account`).
    pub instead_of: String,
    /// The module whose re-export the suggestion goes through.
    pub reexported_by: String,
}

impl Suggestion {
    /// The help line: "use `a::B` (re-exported by `a`) instead of `a::b::B`".
    pub fn help(&self) -> String {
        format!(
            "use `{}` (re-exported by `{}`) instead of `{}`",
            self.item, self.reexported_by, self.instead_of
        )
    }

    /// The text that replaces `written`, the reference's own text: only
    /// when it is the whole path written absolutely (`shop::a::b::C`,
    /// `::shop::a::b::C` or, in its own crate `crate_name`,
    /// `crate::a::b::C`), so the replacement is sure to name the same thing
    /// the same way.
    pub fn replacement(&self, written: &str, crate_name: &str) -> Option<String> {
        let written: String = written.chars().filter(|c| !c.is_whitespace()).collect();
        let old = self.instead_of.as_str();
        let new = self.path.as_str();
        let rest = written.strip_prefix("::").unwrap_or(&written);
        let full_old = format!("{old}{}", self.path.get(self.item.len()..)?);
        if rest == full_old {
            return Some(format!("{}{new}", &written[..written.len() - rest.len()]));
        }
        let in_crate = |path: &str| {
            path.strip_prefix(crate_name)
                .filter(|tail| tail.starts_with("::"))
                .map(|tail| format!("crate{tail}"))
        };
        (Some(written.as_str()) == in_crate(&full_old).as_deref())
            .then(|| in_crate(new))
            .flatten()
    }
}

/// One candidate: violation `violation` could name the item through
/// module `through`. Candidates alike are one question: its path is
/// written once before the probe, the rest of a suggestion's text once
/// for a question some violation keeps (a workspace may have tens of
/// thousands of candidates).
#[derive(Clone, Copy)]
struct Candidate {
    violation: usize,
    through: ModuleId,
}

/// The item a reference names in the module it targets, and what the path
/// goes on to name inside it: (`shop::accounts::domain::Account`, `new`),
/// or `None` when the path names the module itself or no module of the
/// workspace.
fn named_item<'r>(model: &SourceModel, reference: &'r Reference) -> Option<(&'r str, &'r str)> {
    let Target::Module(target) = reference.target else {
        return None;
    };
    let depth = separators(&model.modules[target].path).count() + 1;
    // The item's segment ends where its `::` (or the path) ends.
    let item_end = separators(&reference.path)
        .chain(std::iter::once(reference.path.len()))
        .nth(depth)?;
    let rest = reference.path[item_end..].trim_start_matches("::");
    Some((&reference.path[..item_end], rest))
}

/// Where each `::` of `path` starts, left to right, as
/// `match_indices("::")` finds them: a byte loop, for it runs several
/// times for each of tens of thousands of violations.
fn separators(path: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = path.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at + 1 < bytes.len() {
            let here = at;
            if bytes[here] == b':' && bytes[here + 1] == b':' {
                at = here + 2;
                return Some(here);
            }
            at += 1;
        }
        None
    })
}

/// The path a candidate suggests for `reference`: through `through`.
fn suggested_path(model: &SourceModel, reference: &Reference, through: ModuleId) -> String {
    let (item, rest) = named_item(model, reference).expect("a candidate names an item");
    let name = item.rsplit("::").next().unwrap_or(item);
    let reexported_by = &model.modules[through].path;
    if rest.is_empty() {
        format!("{reexported_by}::{name}")
    } else {
        format!("{reexported_by}::{name}::{rest}")
    }
}

/// The suggestion of `path` (from [`suggested_path`]) for `reference`.
fn suggestion(
    model: &SourceModel,
    reference: &Reference,
    through: ModuleId,
    path: &str,
) -> Suggestion {
    let (item, _) = named_item(model, reference).expect("a candidate names an item");
    let name = item.rsplit("::").next().unwrap_or(item);
    let reexported_by = &model.modules[through].path;
    Suggestion {
        path: path.to_string(),
        item: format!("{reexported_by}::{name}"),
        instead_of: item.to_string(),
        reexported_by: reexported_by.clone(),
    }
}

/// Fills each violation's `suggestion` where a sure one exists.
pub fn suggest(policy: &CompiledPolicy, graph: &Graph, violations: &mut [Violation]) {
    let model = &graph.model;
    let reexporters = reexporters(graph);
    if reexporters.is_empty() {
        return;
    }
    // Found on both cores: a workspace may have tens of thousands of
    // violations with a re-export to go through.
    let candidates: Vec<Candidate> = violations
        .par_iter()
        .enumerate()
        .flat_map_iter(|(index, violation)| candidates_of(model, &reexporters, index, violation))
        .collect();
    if candidates.is_empty() {
        return;
    }
    // Candidates alike (one module naming one path to one module, written
    // the same way, through one module) get the same path and the same
    // answer from every rule: each is asked once, and its path written
    // once. Generated and repetitive code has ten times fewer questions
    // than candidates.
    let mut asked: Vec<Candidate> = Vec::new();
    let mut question_of: FxHashMap<(ModuleId, ModuleId, Via, &str, Target), usize> =
        FxHashMap::default();
    let questions: Vec<usize> = (candidates.iter())
        .map(|&candidate| {
            let reference = &model.references[violations[candidate.violation].reference()];
            let key = (
                reference.from,
                candidate.through,
                reference.via,
                &*reference.path,
                reference.target.clone(),
            );
            *question_of.entry(key).or_insert_with(|| {
                asked.push(candidate);
                asked.len() - 1
            })
        })
        .collect();
    drop(question_of);
    let paths: Vec<Arc<str>> = (asked.par_iter())
        .map(|c| {
            let reference = &model.references[violations[c.violation].reference()];
            suggested_path(model, reference, c.through).into()
        })
        .collect();
    let broken = broken_candidates(policy, graph, violations, &asked, &paths);
    // Each violation's best question: the shortest path, then the first in
    // text order.
    let mut best: Vec<Option<usize>> = vec![None; violations.len()];
    for (candidate, question) in candidates.into_iter().zip(questions) {
        if broken.contains(&question) {
            continue;
        }
        let path = &paths[question];
        let slot = best[candidate.violation].get_or_insert(question);
        if (paths[*slot].len(), &*paths[*slot]) > (path.len(), &**path) {
            *slot = question;
        }
    }
    // One suggestion per question, shared by the violations that take it.
    let mut taken = vec![false; asked.len()];
    for &question in best.iter().flatten() {
        taken[question] = true;
    }
    let made: Vec<Option<Arc<Suggestion>>> = (asked.par_iter().zip(&paths).zip(taken))
        .map(|((candidate, path), taken)| {
            taken.then(|| {
                let reference = &model.references[violations[candidate.violation].reference()];
                Arc::new(suggestion(model, reference, candidate.through, path))
            })
        })
        .collect();
    (violations.par_iter_mut().zip(best))
        .filter_map(|(violation, best)| Some((violation, best?)))
        .for_each(|(violation, question)| violation.suggestion = made[question].clone());
}

/// The candidates of one violation: each module that re-exports the item
/// it reaches, under the item's own name, and that its module can name.
fn candidates_of(
    model: &SourceModel,
    reexporters: &BTreeMap<&str, Vec<ModuleId>>,
    index: usize,
    violation: &Violation,
) -> Vec<Candidate> {
    if violation.references.len() != 1 {
        return Vec::new();
    }
    let reference = &model.references[violation.reference()];
    if reference.via == Via::Manifest {
        return Vec::new();
    }
    let (&Target::Module(target), Some((item, _))) =
        (&reference.target, named_item(model, reference))
    else {
        return Vec::new();
    };
    (reexporters.get(item).into_iter().flatten())
        // A re-export is never told to go through itself.
        .filter(|&&through| {
            through != target
                && through != reference.from
                && nameable(model, reference.from, through, target)
        })
        .map(|&through| Candidate {
            violation: index,
            through,
        })
        .collect()
}

/// Each re-exported item's absolute path, with the modules that re-export
/// it under its own name: a module's `use` reference to the item whose last
/// segment is one of the names its `pub use` binds.
/// Only the references of modules that re-export are read, through the
/// graph's edges: those are a few of the hundreds of thousands at scale.
fn reexporters(graph: &Graph) -> BTreeMap<&str, Vec<ModuleId>> {
    let model = &graph.model;
    let mut found: BTreeMap<&str, BTreeSet<ModuleId>> = BTreeMap::new();
    let reexporting = (ModuleId::all(model.modules.len()))
        .filter(|&module| !model.modules[module].reexports.is_empty());
    for module in reexporting {
        let reexports = &model.modules[module].reexports;
        let edges = graph
            .graph
            .edges_directed(graph.module_index(module), petgraph::Direction::Outgoing);
        for &index in edges.flat_map(|edge| graph.on_edge(edge.weight())) {
            let reference = &model.references[index];
            if reference.via != Via::Use {
                continue;
            }
            let name = reference.path.rsplit("::").next().unwrap_or_default();
            if reexports.contains(name) {
                found.entry(&*reference.path).or_default().insert(module);
            }
        }
    }
    found
        .into_iter()
        .map(|(path, modules)| (path, modules.into_iter().collect()))
        .collect()
}

/// Whether code in `from` can name module `through`, which re-exports an
/// item of `target`.
fn nameable(model: &SourceModel, from: ModuleId, through: ModuleId, target: ModuleId) -> bool {
    let chain_of = |mut module: ModuleId| {
        let mut chain = vec![module];
        while let Some(parent) = model.modules[module].parent {
            chain.push(parent);
            module = parent;
        }
        chain.reverse();
        chain
    };
    let through_chain = chain_of(through);
    // The violating path already names every ancestor of the target.
    if chain_of(target).starts_with(&through_chain) {
        return true;
    }
    let from_chain = chain_of(from);
    let shared = from_chain
        .iter()
        .zip(&through_chain)
        .take_while(|(a, b)| a == b)
        .count();
    // A child of a shared ancestor is visible however it is declared; below
    // it (or anywhere in another crate) each module must be public.
    let start = if shared == 0 { 1 } else { shared + 1 };
    through_chain.iter().skip(start).all(|&module| {
        let Some(parent) = model.modules[module].parent else {
            return false;
        };
        let name = model.modules[module].path.rsplit("::").next();
        name.is_some_and(|name| model.modules[parent].public_children.contains(name))
    })
}

/// The candidates some rule reports (their positions in `candidates`),
/// each asked about with its path of `paths`.
///
/// Almost every rule kind decides a reference by its own edge's two ends
/// and its own path: those are asked on a graph of the modules and the
/// candidates alone, so they report nothing else. `acyclic` reads the edges
/// and each edge's first reference: it is asked on a graph that also has,
/// of the graph's own references, the first of each (from module, target)
/// edge (a candidate comes after every kept reference, as it would after
/// all of them). Copying the model's references, or holding every finding
/// the rules make on them, to ask about the candidates cost more than the
/// check itself.
fn broken_candidates(
    policy: &CompiledPolicy,
    graph: &Graph,
    violations: &[Violation],
    candidates: &[Candidate],
    paths: &[Arc<str>],
) -> BTreeSet<usize> {
    let model = &graph.model;
    let candidate_references = || {
        candidates.iter().zip(paths).map(|(candidate, path)| {
            let written = &model.references[violations[candidate.violation].reference()];
            Reference {
                from: written.from,
                path: path.clone(),
                target: Target::Module(candidate.through),
                via: written.via,
                location: written.location.clone(),
            }
        })
    };
    let (alone, mut whole): (Vec<_>, Vec<_>) = policy
        .rules
        .iter()
        .partition(|rule| rule.rule.decides_each_reference_alone());
    let mut broken = BTreeSet::new();
    {
        let probe = graph_with(model, candidate_references().collect());
        let context = Context::new(&probe);
        let reported: Vec<Vec<usize>> = (alone.par_iter())
            .map(|rule| rule.rule.reported(&context, 0))
            .collect();
        broken.extend(reported.into_iter().flatten());
        // The rules that read every edge are asked on a graph built for
        // them: only those that could object to some candidate.
        whole.retain(|rule| rule.rule.may_report_any(&context));
    }
    if !whole.is_empty() {
        let mut firsts: Vec<usize> = graph
            .graph
            .edge_weights()
            .filter_map(|edge| graph.on_edge(edge).first().copied())
            .collect();
        firsts.sort_unstable();
        let first = firsts.len();
        let mut references: Vec<Reference> = firsts
            .into_iter()
            .map(|index| model.references[index].clone())
            .collect();
        references.extend(candidate_references());
        let probe = graph_with(model, references);
        let context = Context::new(&probe);
        for rule in whole {
            broken.extend(
                (rule.rule.reported(&context, first).into_iter())
                    .map(|reference| reference - first),
            );
        }
    }
    broken
}

/// A graph of `model`'s modules with other references, built to ask the
/// rules about them.
pub(super) fn graph_with(model: &SourceModel, references: Vec<Reference>) -> Graph {
    Graph::new(SourceModel {
        modules: model.modules.clone(),
        references: std::sync::Arc::new(references),
        warnings: Vec::new(),
        suppressions: Vec::new(),
        crates: model.crates,
        files: model.files,
        unresolved: model.unresolved,
    })
}

#[cfg(test)]
mod tests {
    use super::separators;

    #[test]
    fn separators_are_found_where_match_indices_finds_them() {
        for path in [
            "",
            ":",
            "::",
            ":::",
            "a::b",
            "a::::b",
            "a:::b::c",
            "shop::a::B::new",
            "x:",
        ] {
            let expected: Vec<usize> = path.match_indices("::").map(|(at, _)| at).collect();
            assert_eq!(separators(path).collect::<Vec<_>>(), expected, "{path:?}");
        }
    }
}
