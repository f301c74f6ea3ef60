//! A layered (Sugiyama-style) layout for the SVG diagrams, left to right:
//! a module sits left of what it depends on.
//!
//! 1. Cycles are broken by reversing the back edges of a depth-first search.
//! 2. Longest-path layering gives each node a column.
//! 3. Each crate gets a horizontal band of its own, so the crate clusters
//!    (rounded rectangles) can never overlap; external crates share the last
//!    band.
//! 4. Barycentric sweeps order the nodes of each band and column, then each
//!    node moves to the row nearest its neighbours that is still free.
//! 5. Boxes are sized from their text with a fixed-width font estimate;
//!    violation labels sit in the gap after their edge's source column, which
//!    is widened to fit them, and are stacked so that no two overlap.

use std::collections::BTreeMap;

use crate::graph::view::{NodeKind, View};

/// Width of one character of the monospace font, as a share of its size.
pub const CHAR_WIDTH: f64 = 0.6;
pub const NODE_FONT: f64 = 12.0;
pub const TITLE_FONT: f64 = 12.0;
pub const LABEL_FONT: f64 = 11.0;

const NODE_HEIGHT: f64 = 28.0;
const NODE_PADDING: f64 = 12.0;
const ROW_GAP: f64 = 14.0;
const BAND_TOP: f64 = 30.0;
const BAND_BOTTOM: f64 = 12.0;
const BAND_GAP: f64 = 20.0;
const CLUSTER_PADDING: f64 = 14.0;
const MIN_LAYER_GAP: f64 = 80.0;
const LABEL_HEIGHT: f64 = 16.0;
const MARGIN: f64 = 20.0;
const SWEEPS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }
}

/// The width of `text` in the monospace font at `size`.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * CHAR_WIDTH
}

#[derive(Debug, Clone)]
pub struct NodeBox {
    pub rect: Rect,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct ClusterBox {
    pub rect: Rect,
    pub title: String,
    /// Where the title's text starts (its baseline).
    pub title_x: f64,
    pub title_y: f64,
}

#[derive(Debug, Clone)]
pub struct EdgePath {
    /// Index into the view's edges.
    pub edge: usize,
    /// A cubic Bézier: start, two control points, end.
    pub curve: [(f64, f64); 4],
    /// The box of the rule-name label, for edges with violations.
    pub label: Option<Rect>,
}

#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// One per view node, in the same order.
    pub nodes: Vec<NodeBox>,
    pub clusters: Vec<ClusterBox>,
    pub edges: Vec<EdgePath>,
}

impl Layout {
    /// The boxes of every piece of text drawn: node labels, cluster titles,
    /// edge labels. A legible diagram has no two overlapping.
    pub fn text_boxes(&self) -> Vec<Rect> {
        let titles = self.clusters.iter().map(title_rect);
        let nodes = self.nodes.iter().map(|n| n.rect);
        let labels = self.edges.iter().filter_map(|e| e.label);
        nodes.chain(titles).chain(labels).collect()
    }
}

fn title_rect(cluster: &ClusterBox) -> Rect {
    Rect {
        x: cluster.title_x,
        y: cluster.title_y - TITLE_FONT,
        width: text_width(&cluster.title, TITLE_FONT),
        height: TITLE_FONT + 4.0,
    }
}

/// The text drawn in a node: its path below the crate inside a cluster, its
/// full name elsewhere.
pub fn node_label(view: &View, index: usize) -> String {
    let node = &view.nodes[index];
    if view.clustered && node.kind != NodeKind::External {
        node.short_label().to_string()
    } else {
        node.id.clone()
    }
}

/// The text of an edge's violation label.
pub fn edge_label(view: &View, edge: usize) -> Option<String> {
    let edge = &view.edges[edge];
    (!edge.violations.is_empty()).then(|| super::edge_label(edge))
}

pub fn layout(view: &View) -> Layout {
    let count = view.nodes.len();
    if count == 0 {
        return Layout {
            width: 2.0 * MARGIN,
            height: 2.0 * MARGIN,
            ..Layout::default()
        };
    }
    let edges: Vec<(usize, usize)> = view.edges.iter().map(|e| (e.from, e.to)).collect();
    let layers = layers(count, &edges);
    let layer_count = layers.iter().max().map_or(1, |l| l + 1);
    let bands = bands(view, &layers);

    let mut rows = order(count, &edges, &layers, &bands, layer_count);
    let band_rows: Vec<usize> = bands
        .iter()
        .map(|band| {
            (0..layer_count)
                .map(|l| band.members.iter().filter(|&&n| layers[n] == l).count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    place_rows(&edges, &layers, &bands, &band_rows, layer_count, &mut rows);

    let labels: Vec<String> = (0..count).map(|i| node_label(view, i)).collect();
    let widths: Vec<f64> = labels
        .iter()
        .map(|l| (text_width(l, NODE_FONT) + 2.0 * NODE_PADDING).max(48.0))
        .collect();

    // Columns: as wide as their widest node; gaps as wide as their labels.
    let mut column_width = vec![0.0f64; layer_count];
    for node in 0..count {
        column_width[layers[node]] = column_width[layers[node]].max(widths[node]);
    }
    let mut gap = vec![MIN_LAYER_GAP; layer_count];
    for (index, &(from, to)) in edges.iter().enumerate() {
        if let Some(text) = edge_label(view, index) {
            let g = label_gap(layers[from], layers[to]);
            gap[g] = gap[g].max(text_width(&text, LABEL_FONT) + 8.0 + 2.0 * CLUSTER_PADDING + 16.0);
        }
    }
    let mut column_x = vec![MARGIN + CLUSTER_PADDING; layer_count];
    for l in 1..layer_count {
        column_x[l] = column_x[l - 1] + column_width[l - 1] + gap[l - 1];
    }

    // Bands, top to bottom.
    let mut band_top = Vec::with_capacity(bands.len());
    let mut y = MARGIN;
    for (band, &rows_in_band) in bands.iter().zip(&band_rows) {
        band_top.push(y);
        let top = if band.title.is_some() {
            BAND_TOP
        } else {
            BAND_BOTTOM
        };
        y += top + rows_in_band as f64 * (NODE_HEIGHT + ROW_GAP) - ROW_GAP + BAND_BOTTOM + BAND_GAP;
    }

    let mut band_of = vec![0; count];
    for (b, band) in bands.iter().enumerate() {
        for &n in &band.members {
            band_of[n] = b;
        }
    }
    let nodes: Vec<NodeBox> = (0..count)
        .map(|n| {
            let band = &bands[band_of[n]];
            let top = band_top[band_of[n]]
                + if band.title.is_some() {
                    BAND_TOP
                } else {
                    BAND_BOTTOM
                };
            let l = layers[n];
            NodeBox {
                rect: Rect {
                    x: column_x[l] + (column_width[l] - widths[n]) / 2.0,
                    y: top + rows[n] as f64 * (NODE_HEIGHT + ROW_GAP),
                    width: widths[n],
                    height: NODE_HEIGHT,
                },
                label: labels[n].clone(),
            }
        })
        .collect();

    let clusters: Vec<ClusterBox> = bands
        .iter()
        .enumerate()
        .filter_map(|(b, band)| {
            let title = band.title.clone()?;
            let left = band
                .members
                .iter()
                .map(|&n| column_x[layers[n]])
                .fold(f64::MAX, f64::min)
                - CLUSTER_PADDING;
            let right = band
                .members
                .iter()
                .map(|&n| column_x[layers[n]] + column_width[layers[n]])
                .fold(f64::MIN, f64::max)
                + CLUSTER_PADDING;
            let bottom = band
                .members
                .iter()
                .map(|&n| nodes[n].rect.bottom())
                .fold(f64::MIN, f64::max)
                + BAND_BOTTOM;
            let width = (right - left).max(text_width(&title, TITLE_FONT) + 20.0);
            Some(ClusterBox {
                rect: Rect {
                    x: left,
                    y: band_top[b],
                    width,
                    height: bottom - band_top[b],
                },
                title_x: left + 10.0,
                title_y: band_top[b] + 18.0,
                title,
            })
        })
        .collect();

    let mut edge_paths: Vec<EdgePath> = edges
        .iter()
        .enumerate()
        .map(|(index, &(from, to))| EdgePath {
            edge: index,
            curve: curve(
                &nodes[from].rect,
                &nodes[to].rect,
                layers[from] < layers[to],
            ),
            label: None,
        })
        .collect();
    place_labels(
        view,
        &layers,
        &column_x,
        &column_width,
        &gap,
        &nodes,
        &clusters,
        &mut edge_paths,
    );

    let boxes = nodes
        .iter()
        .map(|n| n.rect)
        .chain(clusters.iter().map(|c| c.rect))
        .chain(clusters.iter().map(title_rect))
        .chain(edge_paths.iter().filter_map(|e| e.label));
    let (mut width, mut height) = (0.0f64, 0.0f64);
    for rect in boxes {
        width = width.max(rect.right());
        height = height.max(rect.bottom());
    }
    Layout {
        width: (width + MARGIN).ceil(),
        height: (height + MARGIN).ceil(),
        nodes,
        clusters,
        edges: edge_paths,
    }
}

/// The gap (after column `g`) holding the label of an edge between columns.
fn label_gap(from: usize, to: usize) -> usize {
    if from < to {
        from
    } else {
        from.saturating_sub(1)
    }
}

/// Longest-path layering after reversing the back edges of a depth-first
/// search, so cycles between modules still get columns.
fn layers(count: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut outgoing = vec![Vec::new(); count];
    for &(from, to) in edges {
        outgoing[from].push(to);
    }
    // 0 unvisited, 1 on the stack, 2 done.
    let mut state = vec![0u8; count];
    let mut acyclic: Vec<(usize, usize)> = Vec::new();
    for root in 0..count {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&to) = outgoing[node].get(*next) {
                *next += 1;
                match state[to] {
                    0 => {
                        acyclic.push((node, to));
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => acyclic.push((to, node)),
                    _ => acyclic.push((node, to)),
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    let mut incoming = vec![0usize; count];
    let mut forward = vec![Vec::new(); count];
    for &(from, to) in &acyclic {
        if from != to {
            forward[from].push(to);
            incoming[to] += 1;
        }
    }
    let mut layer = vec![0usize; count];
    let mut ready: Vec<usize> = (0..count).filter(|&n| incoming[n] == 0).rev().collect();
    while let Some(node) = ready.pop() {
        for &to in &forward[node] {
            layer[to] = layer[to].max(layer[node] + 1);
            incoming[to] -= 1;
            if incoming[to] == 0 {
                ready.push(to);
            }
        }
    }
    layer
}

struct Band {
    /// The cluster's title; none for external crates or a crate-level view.
    title: Option<String>,
    members: Vec<usize>,
}

/// One band per crate cluster, ordered by the mean column of their nodes
/// (edges then run down and to the right), external crates last.
fn bands(view: &View, layers: &[usize]) -> Vec<Band> {
    let mut bands: Vec<Band> = view
        .clusters()
        .into_iter()
        .map(|(name, members)| Band {
            title: Some(name.to_string()),
            members,
        })
        .collect();
    let mean = |band: &Band| {
        band.members.iter().map(|&n| layers[n] as f64).sum::<f64>() / band.members.len() as f64
    };
    bands.sort_by(|a, b| {
        mean(a)
            .total_cmp(&mean(b))
            .then_with(|| a.title.cmp(&b.title))
    });
    let clustered: Vec<bool> = {
        let mut inside = vec![false; view.nodes.len()];
        for band in &bands {
            for &n in &band.members {
                inside[n] = true;
            }
        }
        inside
    };
    let rest: Vec<usize> = (0..view.nodes.len()).filter(|&n| !clustered[n]).collect();
    if !rest.is_empty() {
        bands.push(Band {
            title: None,
            members: rest,
        });
    }
    bands
}

/// Orders the nodes of each (band, column) by barycentric sweeps; returns
/// each node's row within its band.
fn order(
    count: usize,
    edges: &[(usize, usize)],
    layers: &[usize],
    bands: &[Band],
    layer_count: usize,
) -> Vec<usize> {
    let mut neighbours = vec![Vec::new(); count];
    for &(from, to) in edges {
        neighbours[from].push(to);
        neighbours[to].push(from);
    }
    // groups[band][layer] = nodes in order.
    let mut groups: Vec<Vec<Vec<usize>>> = bands
        .iter()
        .map(|band| {
            let mut by_layer = vec![Vec::new(); layer_count];
            for &n in &band.members {
                by_layer[layers[n]].push(n);
            }
            by_layer
        })
        .collect();
    let band_offset = |groups: &Vec<Vec<Vec<usize>>>| -> Vec<usize> {
        let mut offsets = Vec::new();
        let mut total = 0;
        for band in groups {
            offsets.push(total);
            total += band.iter().map(Vec::len).max().unwrap_or(0);
        }
        offsets
    };
    let offsets = band_offset(&groups);
    let mut global = vec![0.0f64; count];
    let refresh = |groups: &Vec<Vec<Vec<usize>>>, global: &mut Vec<f64>| {
        for (b, band) in groups.iter().enumerate() {
            for layer in band {
                for (slot, &n) in layer.iter().enumerate() {
                    global[n] = (offsets[b] + slot) as f64;
                }
            }
        }
    };
    refresh(&groups, &mut global);
    for sweep in 0..SWEEPS {
        let rightwards = sweep % 2 == 0;
        let sequence: Vec<usize> = if rightwards {
            (0..layer_count).collect()
        } else {
            (0..layer_count).rev().collect()
        };
        for l in sequence {
            for band in groups.iter_mut() {
                let layer = &mut band[l];
                let keys: BTreeMap<usize, f64> = layer
                    .iter()
                    .map(|&n| {
                        let side: Vec<f64> = neighbours[n]
                            .iter()
                            .filter(|&&m| {
                                if rightwards {
                                    layers[m] < l
                                } else {
                                    layers[m] > l
                                }
                            })
                            .map(|&m| global[m])
                            .collect();
                        let key = if side.is_empty() {
                            global[n]
                        } else {
                            side.iter().sum::<f64>() / side.len() as f64
                        };
                        (n, key)
                    })
                    .collect();
                layer.sort_by(|a, b| {
                    keys[a]
                        .total_cmp(&keys[b])
                        .then_with(|| global[*a].total_cmp(&global[*b]))
                });
            }
            refresh(&groups, &mut global);
        }
    }
    let mut rows = vec![0; count];
    for band in &groups {
        for layer in band {
            for (slot, &n) in layer.iter().enumerate() {
                rows[n] = slot;
            }
        }
    }
    rows
}

/// Moves each node, keeping the order, to the free row nearest the mean row
/// of its neighbours in the same band: straighter edges than packing every
/// column at the top.
fn place_rows(
    edges: &[(usize, usize)],
    layers: &[usize],
    bands: &[Band],
    band_rows: &[usize],
    layer_count: usize,
    rows: &mut [usize],
) {
    let mut band_of = vec![0; rows.len()];
    for (b, band) in bands.iter().enumerate() {
        for &n in &band.members {
            band_of[n] = b;
        }
    }
    let mut neighbours = vec![Vec::new(); rows.len()];
    for &(from, to) in edges {
        if band_of[from] == band_of[to] {
            neighbours[from].push(to);
            neighbours[to].push(from);
        }
    }
    for _ in 0..2 {
        for (b, band) in bands.iter().enumerate() {
            let height = band_rows[b];
            for l in 0..layer_count {
                let mut column: Vec<usize> = band
                    .members
                    .iter()
                    .copied()
                    .filter(|&n| layers[n] == l)
                    .collect();
                column.sort_by_key(|&n| rows[n]);
                let k = column.len();
                let desired: Vec<usize> = column
                    .iter()
                    .map(|&n| {
                        if neighbours[n].is_empty() {
                            rows[n]
                        } else {
                            let sum: usize = neighbours[n].iter().map(|&m| rows[m]).sum();
                            (sum as f64 / neighbours[n].len() as f64).round() as usize
                        }
                    })
                    .collect();
                let mut placed = vec![0usize; k];
                for i in 0..k {
                    let lowest = if i == 0 { 0 } else { placed[i - 1] + 1 };
                    placed[i] = desired[i].max(lowest);
                }
                for i in (0..k).rev() {
                    let highest = if i + 1 == k {
                        height - 1
                    } else {
                        placed[i + 1] - 1
                    };
                    placed[i] = placed[i].min(highest);
                }
                for (i, &n) in column.iter().enumerate() {
                    rows[n] = placed[i];
                }
            }
        }
    }
}

/// A curve from the side of `from` facing `to` into the facing side of `to`.
fn curve(from: &Rect, to: &Rect, forward: bool) -> [(f64, f64); 4] {
    let (y1, y2) = (from.y + from.height / 2.0, to.y + to.height / 2.0);
    let (x1, x2) = if forward {
        (from.right(), to.x)
    } else {
        (from.x, to.right())
    };
    let bend = ((x2 - x1).abs() / 2.0).max(40.0);
    let (c1, c2) = if forward {
        (x1 + bend, x2 - bend)
    } else {
        (x1 - bend, x2 + bend)
    };
    [(x1, y1), (c1, y1), (c2, y2), (x2, y2)]
}

/// The point of a cubic Bézier at `t`.
pub fn point(curve: &[(f64, f64); 4], t: f64) -> (f64, f64) {
    let u = 1.0 - t;
    let [a, b, c, d] = curve;
    let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
    (
        w[0] * a.0 + w[1] * b.0 + w[2] * c.0 + w[3] * d.0,
        w[0] * a.1 + w[1] * b.1 + w[2] * c.1 + w[3] * d.1,
    )
}

/// Places each violation label in its gap, where its curve crosses the
/// gap's middle, then pushes labels down until none overlaps another label,
/// a node or a cluster title.
#[allow(clippy::too_many_arguments)]
fn place_labels(
    view: &View,
    layers: &[usize],
    column_x: &[f64],
    column_width: &[f64],
    gap: &[f64],
    nodes: &[NodeBox],
    clusters: &[ClusterBox],
    paths: &mut [EdgePath],
) {
    let mut wanted: Vec<(f64, usize, Rect)> = Vec::new();
    for path in paths.iter() {
        let Some(text) = edge_label(view, path.edge) else {
            continue;
        };
        let edge = &view.edges[path.edge];
        let g = label_gap(layers[edge.from], layers[edge.to]);
        let middle = column_x[g] + column_width[g] + gap[g] / 2.0;
        let (_, y) = (0..=100)
            .map(|i| point(&path.curve, i as f64 / 100.0))
            .min_by(|a, b| (a.0 - middle).abs().total_cmp(&(b.0 - middle).abs()))
            .expect("a curve has points");
        let width = text_width(&text, LABEL_FONT) + 8.0;
        let rect = Rect {
            x: middle - width / 2.0,
            y: y - LABEL_HEIGHT / 2.0,
            width,
            height: LABEL_HEIGHT,
        };
        wanted.push((rect.y, path.edge, rect));
    }
    wanted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut obstacles: Vec<Rect> = nodes
        .iter()
        .map(|n| n.rect)
        .chain(clusters.iter().map(title_rect))
        .collect();
    for (_, edge, mut rect) in wanted {
        // Each step moves below the lowest obstacle hit, so this ends.
        while let Some(bottom) = obstacles
            .iter()
            .filter(|o| o.overlaps(&rect))
            .map(|o| o.bottom())
            .fold(None, |acc: Option<f64>, b| {
                Some(acc.map_or(b, |a| a.max(b)))
            })
        {
            rect.y = bottom + 2.0;
        }
        obstacles.push(rect);
        paths[edge].label = Some(rect);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_follow_dependencies_even_through_cycles() {
        assert_eq!(layers(3, &[(0, 1), (1, 2)]), [0, 1, 2]);
        let cyclic = layers(3, &[(0, 1), (1, 2), (2, 0)]);
        assert_eq!(cyclic.len(), 3);
        assert!(cyclic[0] < cyclic[1] && cyclic[1] < cyclic[2]);
    }

    #[test]
    fn points_on_a_curve_start_and_end_at_its_ends() {
        let c = [(0.0, 0.0), (1.0, 0.0), (2.0, 1.0), (3.0, 1.0)];
        assert_eq!(point(&c, 0.0), (0.0, 0.0));
        assert_eq!(point(&c, 1.0), (3.0, 1.0));
    }
}
