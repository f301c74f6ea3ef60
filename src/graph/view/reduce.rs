//! Transitive reduction of a view: an edge A→C is hidden when the view
//! still leads from A to C through other nodes. Cycles make "the" reduction
//! ambiguous (two edges could each be the other's detour), so it is taken
//! on the condensation: edges inside a strongly connected component stay,
//! and an edge between components goes only when the components' DAG has a
//! longer path between them. What reaches what is never changed, and an
//! edge that carries a violation always stays.

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use super::View;

pub fn reduced(mut view: View) -> View {
    let redundant = redundant_edges(
        view.nodes.len(),
        &view
            .edges
            .iter()
            .map(|e| (e.from, e.to))
            .collect::<Vec<_>>(),
    );
    let before = view.edges.len();
    let mut index = 0;
    view.edges.retain(|edge| {
        let keep = !redundant[index] || !edge.violations.is_empty();
        index += 1;
        keep
    });
    view.hidden_edges += before - view.edges.len();
    view
}

/// For each edge, whether another path joins its ends (see the module doc).
pub fn redundant_edges(nodes: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut graph: DiGraph<(), ()> = DiGraph::with_capacity(nodes, edges.len());
    for _ in 0..nodes {
        graph.add_node(());
    }
    for &(from, to) in edges {
        graph.add_edge(NodeIndex::new(from), NodeIndex::new(to), ());
    }
    // Components come sinks first: every edge between two of them points
    // to one listed earlier.
    let components = tarjan_scc(&graph);
    let mut component = vec![0; nodes];
    for (c, members) in components.iter().enumerate() {
        for node in members {
            component[node.index()] = c;
        }
    }
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); components.len()];
    for &(from, to) in edges {
        let (a, b) = (component[from], component[to]);
        if a != b {
            successors[a].push(b);
        }
    }
    for list in &mut successors {
        list.sort_unstable();
        list.dedup();
    }
    // Everything each component reaches by one edge or more.
    let words = components.len().div_ceil(64);
    let mut reach = vec![vec![0u64; words]; components.len()];
    for c in 0..components.len() {
        let mut bits = vec![0u64; words];
        for &d in &successors[c] {
            bits[d / 64] |= 1 << (d % 64);
            for (word, more) in bits.iter_mut().zip(&reach[d]) {
                *word |= more;
            }
        }
        reach[c] = bits;
    }
    let reached = |from: usize, to: usize| reach[from][to / 64] & (1 << (to % 64)) != 0;
    edges
        .iter()
        .map(|&(from, to)| {
            let (a, b) = (component[from], component[to]);
            a != b && successors[a].iter().any(|&c| c != b && reached(c, b))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shortcut_past_a_longer_path_is_redundant() {
        // 0→1→2 and the shortcut 0→2.
        assert_eq!(
            redundant_edges(3, &[(0, 1), (1, 2), (0, 2)]),
            [false, false, true]
        );
    }

    #[test]
    fn a_diamond_keeps_all_four_sides() {
        assert_eq!(
            redundant_edges(4, &[(0, 1), (0, 2), (1, 3), (2, 3)]),
            [false; 4]
        );
    }

    #[test]
    fn edges_in_a_cycle_stay_and_reachability_is_kept() {
        // 0⇄1 both reach 2: dropping both 0→2 and 1→2 would cut 2 off, and
        // inside the cycle nothing is a detour of anything.
        let redundant = redundant_edges(3, &[(0, 1), (1, 0), (0, 2), (1, 2)]);
        assert_eq!(redundant, [false, false, false, false]);
        // Past a cycle: 3→0⇄1→2 makes 3→2 a shortcut.
        let redundant = redundant_edges(4, &[(0, 1), (1, 0), (1, 2), (3, 0), (3, 2)]);
        assert_eq!(redundant, [false, false, false, false, true]);
    }
}
