//! Elementary cycles of a small directed graph (the member graph of an
//! `acyclic` rule), each found once.

use std::collections::{BTreeMap, BTreeSet};

/// More cycles than this are not listed: the graph is a tangle and the
/// first ones say enough.
pub const MAX_CYCLES: usize = 200;

/// The search gives up after this many steps, so a dense tangle of members
/// cannot make the run exponential; the cycles found so far are kept.
const MAX_STEPS: usize = 200_000;

/// Every elementary cycle, as its nodes in order, starting from its smallest
/// node; sorted. Self-loops are not cycles here. Only edges inside strongly
/// connected components can be on a cycle, so the search sees only those.
pub fn elementary_cycles(edges: &BTreeMap<usize, BTreeSet<usize>>) -> Cycles {
    let edges = within_components(edges);
    let mut cycles = Vec::new();
    let mut steps = 0;
    for &start in edges.keys() {
        let mut path = vec![start];
        let mut on_path = BTreeSet::from([start]);
        let mut search = Search {
            edges: &edges,
            start,
            steps: &mut steps,
            cycles: &mut cycles,
        };
        search.from(start, &mut path, &mut on_path);
        if cycles.len() >= MAX_CYCLES || steps >= MAX_STEPS {
            break;
        }
    }
    let complete = cycles.len() < MAX_CYCLES && steps < MAX_STEPS;
    cycles.sort();
    cycles.truncate(MAX_CYCLES);
    Cycles { cycles, complete }
}

/// The cycles found, and whether they are all there are (the search stops
/// at [`MAX_CYCLES`] cycles or after a fixed number of steps).
#[derive(Debug, PartialEq, Eq)]
pub struct Cycles {
    pub cycles: Vec<Vec<usize>>,
    pub complete: bool,
}

/// Keeps only the edges whose ends lie in the same strongly connected
/// component.
fn within_components(edges: &BTreeMap<usize, BTreeSet<usize>>) -> BTreeMap<usize, BTreeSet<usize>> {
    let mut graph = petgraph::graphmap::DiGraphMap::<usize, (), std::hash::RandomState>::default();
    for (&from, targets) in edges {
        for &to in targets {
            graph.add_edge(from, to, ());
        }
    }
    let mut component = BTreeMap::new();
    for (index, members) in petgraph::algo::tarjan_scc(&graph).into_iter().enumerate() {
        for node in members {
            component.insert(node, index);
        }
    }
    edges
        .iter()
        .map(|(&from, targets)| {
            let kept = targets
                .iter()
                .copied()
                .filter(|to| component.get(to) == component.get(&from))
                .collect();
            (from, kept)
        })
        .filter(|(_, kept): &(usize, BTreeSet<usize>)| !kept.is_empty())
        .collect()
}

struct Search<'a> {
    edges: &'a BTreeMap<usize, BTreeSet<usize>>,
    start: usize,
    steps: &'a mut usize,
    cycles: &'a mut Vec<Vec<usize>>,
}

impl Search<'_> {
    /// Depth-first search for paths back to `start` through nodes greater
    /// than it, so each cycle is found only from its smallest node.
    fn from(&mut self, node: usize, path: &mut Vec<usize>, on_path: &mut BTreeSet<usize>) {
        let Some(next) = self.edges.get(&node) else {
            return;
        };
        for &to in next {
            *self.steps += 1;
            if self.cycles.len() >= MAX_CYCLES || *self.steps >= MAX_STEPS {
                return;
            }
            if to == self.start && path.len() > 1 {
                self.cycles.push(path.clone());
            } else if to > self.start && !on_path.contains(&to) {
                path.push(to);
                on_path.insert(to);
                self.from(to, path, on_path);
                on_path.remove(&to);
                path.pop();
            }
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
        let found = elementary_cycles(&graph(&[(0, 1), (1, 0), (1, 2), (2, 0), (2, 2), (3, 0)]));
        assert_eq!(found.cycles, vec![vec![0, 1], vec![0, 1, 2]]);
        assert!(found.complete);
    }

    #[test]
    fn a_dense_acyclic_graph_is_quick() {
        // Every node points to every later one: exponentially many paths,
        // no cycle; the component filter makes it trivial.
        let pairs: Vec<(usize, usize)> = (0..60)
            .flat_map(|a| (a + 1..60).map(move |b| (a, b)))
            .collect();
        assert!(elementary_cycles(&graph(&pairs)).cycles.is_empty());
    }

    #[test]
    fn a_tangle_is_cut_short_and_says_so() {
        let pairs: Vec<(usize, usize)> = (0..12)
            .flat_map(|a| (0..12).filter(move |&b| b != a).map(move |b| (a, b)))
            .collect();
        let found = elementary_cycles(&graph(&pairs));
        assert_eq!(found.cycles.len(), MAX_CYCLES);
        assert!(!found.complete);
    }

    #[test]
    fn a_dag_has_none() {
        assert!(elementary_cycles(&graph(&[(0, 1), (1, 2), (0, 2)]))
            .cycles
            .is_empty());
    }
}
