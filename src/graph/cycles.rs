//! Elementary cycles of a small directed graph (the member graph of an
//! `acyclic` rule), each found once.

use std::collections::{BTreeMap, BTreeSet};

/// More cycles than this are not listed: the graph is a tangle and the
/// first ones say enough.
pub const MAX_CYCLES: usize = 200;

/// Every elementary cycle, as its nodes in order, starting from its smallest
/// node; sorted. Self-loops are not cycles here.
pub fn elementary_cycles(edges: &BTreeMap<usize, BTreeSet<usize>>) -> Vec<Vec<usize>> {
    let mut cycles = Vec::new();
    for &start in edges.keys() {
        let mut path = vec![start];
        let mut on_path = BTreeSet::from([start]);
        search(edges, start, start, &mut path, &mut on_path, &mut cycles);
        if cycles.len() >= MAX_CYCLES {
            break;
        }
    }
    cycles.sort();
    cycles.truncate(MAX_CYCLES);
    cycles
}

/// Depth-first search for paths back to `start` through nodes greater than
/// it, so each cycle is found only from its smallest node.
fn search(
    edges: &BTreeMap<usize, BTreeSet<usize>>,
    start: usize,
    node: usize,
    path: &mut Vec<usize>,
    on_path: &mut BTreeSet<usize>,
    cycles: &mut Vec<Vec<usize>>,
) {
    let Some(next) = edges.get(&node) else { return };
    for &to in next {
        if cycles.len() >= MAX_CYCLES {
            return;
        }
        if to == start && path.len() > 1 {
            cycles.push(path.clone());
        } else if to > start && !on_path.contains(&to) {
            path.push(to);
            on_path.insert(to);
            search(edges, start, to, path, on_path, cycles);
            on_path.remove(&to);
            path.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(pairs: &[(usize, usize)]) -> BTreeMap<usize, BTreeSet<usize>> {
        let mut edges: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for &(a, b) in pairs {
            edges.entry(a).or_default().insert(b);
        }
        edges
    }

    #[test]
    fn finds_each_cycle_once() {
        let cycles = elementary_cycles(&graph(&[(0, 1), (1, 0), (1, 2), (2, 0), (2, 2), (3, 0)]));
        assert_eq!(cycles, vec![vec![0, 1], vec![0, 1, 2]]);
    }

    #[test]
    fn a_dag_has_none() {
        assert!(elementary_cycles(&graph(&[(0, 1), (1, 2), (0, 2)])).is_empty());
    }
}
