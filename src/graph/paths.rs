//! Shortest chains of modules: why one part of the code reaches another
//! through modules in between.

use std::collections::{BTreeMap, VecDeque};

use super::Graph;
use crate::source::{ModuleId, Target};

/// The shortest chain of references from a module in `start` to a reference
/// that `goal` accepts: one reference per hop, the last one accepted by
/// `goal`. Breadth-first over the workspace modules (external crates lead
/// nowhere), visiting modules and references in a fixed order so the chain
/// is the same on every run.
pub fn shortest_chain(
    graph: &Graph,
    start: &dyn Fn(ModuleId) -> bool,
    goal: &dyn Fn(usize) -> bool,
) -> Option<Vec<usize>> {
    let model = &graph.model;
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); model.modules.len()];
    for (index, reference) in model.references.iter().enumerate() {
        outgoing[reference.from].push(index);
    }
    for references in &mut outgoing {
        references.sort_by(|&a, &b| {
            let (ra, rb) = (&model.references[a], &model.references[b]);
            (&ra.location, &ra.path).cmp(&(&rb.location, &rb.path))
        });
    }

    // The reference by which each module was first reached.
    let mut reached_by: BTreeMap<ModuleId, Option<usize>> = BTreeMap::new();
    let mut queue = VecDeque::new();
    for id in ModuleId::all(model.modules.len()) {
        if start(id) {
            reached_by.insert(id, None);
            queue.push_back(id);
        }
    }
    while let Some(module) = queue.pop_front() {
        if let Some(&last) = outgoing[module].iter().find(|&&r| goal(r)) {
            return Some(chain_to(graph, &reached_by, module, last));
        }
        for &index in &outgoing[module] {
            if let Target::Module(next) = model.references[index].target {
                if let std::collections::btree_map::Entry::Vacant(entry) = reached_by.entry(next) {
                    entry.insert(Some(index));
                    queue.push_back(next);
                }
            }
        }
    }
    None
}

fn chain_to(
    graph: &Graph,
    reached_by: &BTreeMap<ModuleId, Option<usize>>,
    mut module: ModuleId,
    last: usize,
) -> Vec<usize> {
    let mut chain = vec![last];
    while let Some(Some(reference)) = reached_by.get(&module) {
        chain.push(*reference);
        module = graph.model.references[*reference].from;
    }
    chain.reverse();
    chain
}
