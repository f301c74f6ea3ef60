//! A layered (Sugiyama-style) layout for the SVG diagrams, left to right:
//! a module sits left of what it depends on.
//!
//! 1. Cycles are broken by reversing the back edges of a depth-first search.
//! 2. Longest-path layering gives each node a column.
//! 3. Each crate gets a horizontal band of its own, so the crate clusters
//!    (rounded rectangles) can never overlap; external crates share the last
//!    band.
//! 4. Every edge spanning k > 1 columns becomes a chain through k - 1
//!    virtual nodes in the columns between (in its source's band), so that
//!    long edges are routed around boxes, not through them.
//! 5. Barycentric sweeps order the nodes, real and virtual, of each band and
//!    column; then each moves, keeping the order and the gaps (a thin slot
//!    for a virtual node), as near its neighbours as it can, and the chains
//!    are straightened.
//! 6. Boxes are sized from their text with a fixed-width font estimate;
//!    violation labels sit in the gap after their edge's source column, which
//!    is widened to fit them, and are stacked so that no two overlap.
//! 7. An edge is one smooth path: level across each column, an S-curve
//!    across each gap. Gaps hold no boxes, so no edge crosses a box.

use std::collections::{BTreeMap, BTreeSet};

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
/// Ports keep this far from a box's corners, and at most this far apart.
const PORT_MARGIN: f64 = 6.0;
const PORT_STEP: f64 = 5.0;
/// Top to bottom: ports along a box's width, and the gap between rows.
const PORT_STEP_DOWN: f64 = 10.0;
const ROW_GAP_DOWN: f64 = 56.0;
const SWEEPS: usize = 24;
/// Rounds of swapping neighbours in a column after the sweeps.
const TRANSPOSE_PASSES: usize = 4;
const PLACE_PASSES: usize = 8;
const STRAIGHTEN_PASSES: usize = 2;
/// Half the height of a virtual node's slot, and the gaps around it.
const VIRTUAL_HALF: f64 = 2.0;
const VIRTUAL_GAP: f64 = 4.0;
const VIRTUAL_MARGIN: f64 = 8.0;

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
    /// The edge's ends, indices into the view's nodes.
    pub from: usize,
    pub to: usize,
    /// One smooth path from `from` to `to`, as cubic Béziers (start, two
    /// control points, end), each starting where the one before ends. A
    /// straight piece has its control points on the line.
    pub segments: Vec<[(f64, f64); 4]>,
    /// The box of the rule-name label, for edges with violations.
    pub label: Option<Rect>,
}

impl EdgePath {
    /// Edge `edge`'s path from the segments routed along its chain of
    /// layers; `backwards` when the chain runs from `to` to `from` (an edge
    /// against the layering), so the path is turned round to start at
    /// `from`.
    fn along(
        edge: usize,
        (from, to): (usize, usize),
        mut segments: Vec<[(f64, f64); 4]>,
        backwards: bool,
    ) -> EdgePath {
        if backwards {
            segments.reverse();
            for segment in &mut segments {
                segment.reverse();
            }
        }
        EdgePath {
            edge,
            from,
            to,
            segments,
            label: None,
        }
    }
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

impl EdgePath {
    /// Points along the path, at most about `step` apart.
    pub fn samples(&self, step: f64) -> Vec<(f64, f64)> {
        let mut points = Vec::new();
        for segment in &self.segments {
            let [a, b, c, d] = *segment;
            let reach = [(a, b), (b, c), (c, d)]
                .iter()
                .map(|(p, q)| (q.0 - p.0).hypot(q.1 - p.1))
                .sum::<f64>();
            let steps = ((reach / step).ceil() as usize).max(1);
            points.extend((0..=steps).map(|i| point(segment, i as f64 / steps as f64)));
        }
        points
    }
}

impl Layout {
    /// Every (edge, node) where the edge's path passes through the box of a
    /// node that is not one of its ends, the box shrunk by `tolerance` on
    /// each side. A legible diagram has none: an edge through a box reads
    /// as two edges.
    pub fn edges_through_boxes(&self, tolerance: f64) -> Vec<(usize, usize)> {
        let mut hits = Vec::new();
        for path in &self.edges {
            let points = path.samples(1.0);
            for (index, node) in self.nodes.iter().enumerate() {
                if index == path.from || index == path.to {
                    continue;
                }
                let r = node.rect;
                let inside = |&(x, y): &(f64, f64)| {
                    x > r.x + tolerance
                        && x < r.right() - tolerance
                        && y > r.y + tolerance
                        && y < r.bottom() - tolerance
                };
                if points.iter().any(inside) {
                    hits.push((path.edge, index));
                }
            }
        }
        hits
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
    let labels: Vec<String> = (0..count).map(|i| node_label(view, i)).collect();
    let widths: Vec<f64> = labels
        .iter()
        .map(|l| (text_width(l, NODE_FONT) + 2.0 * NODE_PADDING).max(48.0))
        .collect();
    let mut layers = layers(count, &edges);
    if !view.clustered {
        layers = sources_lowered(layers, &edges, &widths);
    }
    let layer_count = layers.iter().max().map_or(1, |l| l + 1);
    let bands = bands(view, &layers);
    let mut band_of = vec![0; count];
    for (b, band) in bands.iter().enumerate() {
        for &n in &band.members {
            band_of[n] = b;
        }
    }

    // Every edge spanning k > 1 columns becomes a chain through k - 1
    // virtual nodes, one in each column between its ends.
    let merge: Vec<bool> = view
        .edges
        .iter()
        .map(|e| view.clustered && e.violations.is_empty())
        .collect();
    let graph = Proper::new(&edges, &merge, &layers, &band_of);
    if !view.clustered {
        return top_down(view, &edges, &layers, layer_count, graph, labels, widths);
    }
    let members: Vec<Vec<usize>> = (0..bands.len())
        .map(|b| (0..graph.len()).filter(|&i| graph.band[i] == b).collect())
        .collect();
    let groups = order(&graph, &members, layer_count);
    let (offsets, band_height) = place(&graph, &groups);

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

    // Bands, top to bottom: `content` is where their first row may start.
    let mut band_top = Vec::with_capacity(bands.len());
    let mut content = Vec::with_capacity(bands.len());
    let mut y = MARGIN;
    for (band, &height) in bands.iter().zip(&band_height) {
        band_top.push(y);
        let top = if band.title.is_some() {
            BAND_TOP
        } else {
            BAND_BOTTOM
        };
        content.push(y + top);
        y += top + height + BAND_BOTTOM + BAND_GAP;
    }
    // The centre line of every node, real or virtual.
    let centre: Vec<f64> = (0..graph.len())
        .map(|i| content[graph.band[i]] + offsets[i])
        .collect();

    let nodes: Vec<NodeBox> = (0..count)
        .map(|n| {
            let l = layers[n];
            NodeBox {
                rect: Rect {
                    x: column_x[l] + (column_width[l] - widths[n]) / 2.0,
                    y: centre[n] - NODE_HEIGHT / 2.0,
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
            let bottom = content[b] + band_height[b] + BAND_BOTTOM;
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

    let ports = ports(&graph, &centre, |_| NODE_HEIGHT, PORT_STEP);
    let mut edge_paths: Vec<EdgePath> = edges
        .iter()
        .enumerate()
        .map(|(index, &(from, to))| {
            // Where the path enters and leaves each node of its chain, left
            // to right: a real end at its port on its box's side, a virtual
            // node across its whole column.
            let chain = &graph.chains[index];
            let stops: Vec<(f64, f64, f64)> = chain
                .iter()
                .enumerate()
                .map(|(k, &i)| {
                    if i < count {
                        let r = nodes[i].rect;
                        let toward = if k == 0 { chain[1] } else { chain[k - 1] };
                        (r.x, r.right(), ports[&(i, toward)])
                    } else {
                        let l = graph.layer[i];
                        (column_x[l], column_x[l] + column_width[l], centre[i])
                    }
                })
                .collect();
            let columns: Vec<usize> = graph.chains[index]
                .iter()
                .map(|&i| graph.layer[i])
                .collect();
            let segments = route(&stops, &columns, &column_x, &column_width);
            EdgePath::along(index, (from, to), segments, layers[from] > layers[to])
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
    for (x, y) in edge_paths.iter().flat_map(|p| p.segments.iter().flatten()) {
        width = width.max(*x);
        height = height.max(*y);
    }
    Layout {
        width: (width + MARGIN).ceil(),
        height: (height + MARGIN).ceil(),
        nodes,
        clusters,
        edges: edge_paths,
    }
}

/// Where each real item's edges meet its box, by (item, the neighbour in
/// the chain): spread along the side they leave by, in the order of the
/// neighbours' heights, so edges fan out instead of meeting at one point
/// and do not cross at the box. Edges that share a neighbour (a merged
/// trunk) share a port.
fn ports(
    graph: &Proper,
    centre: &[f64],
    span: impl Fn(usize) -> f64,
    most: f64,
) -> BTreeMap<(usize, usize), f64> {
    let mut sides: BTreeMap<(usize, bool), BTreeSet<usize>> = BTreeMap::new();
    for chain in &graph.chains {
        let (first, last) = (chain[0], chain[chain.len() - 1]);
        sides.entry((first, true)).or_default().insert(chain[1]);
        sides
            .entry((last, false))
            .or_default()
            .insert(chain[chain.len() - 2]);
    }
    let mut ports = BTreeMap::new();
    for ((item, _), neighbours) in sides {
        let mut neighbours: Vec<usize> = neighbours.into_iter().collect();
        neighbours.sort_by(|a, b| centre[*a].total_cmp(&centre[*b]).then(a.cmp(b)));
        let span = span(item) - 2.0 * PORT_MARGIN;
        let step = if neighbours.len() > 1 {
            (span / (neighbours.len() - 1) as f64).min(most)
        } else {
            0.0
        };
        let top = centre[item] - step * (neighbours.len() - 1) as f64 / 2.0;
        for (k, n) in neighbours.into_iter().enumerate() {
            ports.insert((item, n), (top + step * k as f64).round());
        }
    }
    ports
}

/// Rows for the top-down view: a crate nothing depends on (an example, a
/// tool) moves down to just above the first crate it uses, instead of
/// crowding the first row; a crate with no edge at all goes to the row
/// with the most room.
fn sources_lowered(mut layers: Vec<usize>, edges: &[(usize, usize)], widths: &[f64]) -> Vec<usize> {
    let count = layers.len();
    let mut used = vec![false; count];
    let mut uses: Vec<Vec<usize>> = vec![Vec::new(); count];
    for &(from, to) in edges {
        if from != to {
            used[to] = true;
            uses[from].push(to);
        }
    }
    for n in 0..count {
        if !used[n] {
            if let Some(first) = uses[n].iter().map(|&t| layers[t]).min() {
                layers[n] = first.saturating_sub(1).max(layers[n]);
            }
        }
    }
    let rows = layers.iter().max().map_or(1, |l| l + 1);
    let mut room = vec![0.0f64; rows];
    let lonely: Vec<usize> = (0..count)
        .filter(|&n| !used[n] && uses[n].is_empty())
        .collect();
    for n in 0..count {
        if !lonely.contains(&n) {
            room[layers[n]] += widths[n];
        }
    }
    for n in lonely {
        let row = (0..rows)
            .min_by(|&a, &b| room[a].total_cmp(&room[b]).then(a.cmp(&b)))
            .unwrap_or(0);
        layers[n] = row;
        room[row] += widths[n];
    }
    layers
}

/// The crate-level view, top to bottom: a crate above what it depends on.
/// Crate graphs are deep (bevy's longest chain has 24 crates) and their
/// labels wide, so rows of boxes side by side take far less room than
/// columns; the steps are those of the left-to-right layout, across rows.
fn top_down(
    view: &View,
    edges: &[(usize, usize)],
    layers: &[usize],
    layer_count: usize,
    mut graph: Proper,
    labels: Vec<String>,
    widths: Vec<f64>,
) -> Layout {
    let count = labels.len();
    for (n, width) in widths.iter().enumerate() {
        graph.half_extent[n] = width / 2.0;
    }
    let members = vec![(0..graph.len()).collect::<Vec<usize>>()];
    let groups = order(&graph, &members, layer_count);
    let (offsets, _) = place(&graph, &groups);
    let row_y: Vec<f64> = (0..layer_count)
        .map(|l| MARGIN + l as f64 * (NODE_HEIGHT + ROW_GAP_DOWN))
        .collect();
    let thickness = vec![NODE_HEIGHT; layer_count];
    let centre: Vec<f64> = offsets.iter().map(|o| MARGIN + o).collect();
    let nodes: Vec<NodeBox> = (0..count)
        .map(|n| NodeBox {
            rect: Rect {
                x: centre[n] - widths[n] / 2.0,
                y: row_y[layers[n]],
                width: widths[n],
                height: NODE_HEIGHT,
            },
            label: labels[n].clone(),
        })
        .collect();
    let ports = ports(&graph, &centre, |n| widths[n], PORT_STEP_DOWN);
    let mut paths: Vec<EdgePath> = edges
        .iter()
        .enumerate()
        .map(|(index, &(from, to))| {
            let chain = &graph.chains[index];
            // Stops along the rows: (top, bottom, x).
            let stops: Vec<(f64, f64, f64)> = chain
                .iter()
                .enumerate()
                .map(|(k, &i)| {
                    let l = graph.layer[i];
                    let x = if i < count {
                        let toward = if k == 0 { chain[1] } else { chain[k - 1] };
                        ports[&(i, toward)]
                    } else {
                        centre[i]
                    };
                    (row_y[l], row_y[l] + NODE_HEIGHT, x)
                })
                .collect();
            let rows: Vec<usize> = chain.iter().map(|&i| graph.layer[i]).collect();
            let segments: Vec<[(f64, f64); 4]> = route(&stops, &rows, &row_y, &thickness)
                .into_iter()
                .map(|s| s.map(|(a, b)| (b, a)))
                .collect();
            EdgePath::along(index, (from, to), segments, layers[from] > layers[to])
        })
        .collect();
    let mut wanted = Vec::new();
    for path in &paths {
        let Some(text) = edge_label(view, path.edge) else {
            continue;
        };
        let edge = &view.edges[path.edge];
        let g = label_gap(layers[edge.from], layers[edge.to]);
        let middle = row_y[g] + NODE_HEIGHT + ROW_GAP_DOWN / 2.0;
        let (x, _) = path
            .samples(2.0)
            .into_iter()
            .min_by(|a, b| (a.1 - middle).abs().total_cmp(&(b.1 - middle).abs()))
            .expect("a path has points");
        let width = text_width(&text, LABEL_FONT) + 8.0;
        let rect = Rect {
            x: x - width / 2.0,
            y: middle - LABEL_HEIGHT / 2.0,
            width,
            height: LABEL_HEIGHT,
        };
        wanted.push((rect.y, path.edge, rect));
    }
    settle_labels(wanted, &nodes, &[], &mut paths);
    // Labels may sit left of the first box: shift everything right.
    let left = nodes
        .iter()
        .map(|n| n.rect.x)
        .chain(paths.iter().filter_map(|p| p.label.map(|r| r.x)))
        .fold(MARGIN, f64::min);
    let shift = MARGIN - left;
    let mut layout = Layout {
        width: 0.0,
        height: 0.0,
        nodes,
        clusters: Vec::new(),
        edges: paths,
    };
    if shift > 0.0 {
        for node in &mut layout.nodes {
            node.rect.x += shift;
        }
        for path in &mut layout.edges {
            for segment in &mut path.segments {
                for point in segment.iter_mut() {
                    point.0 += shift;
                }
            }
            if let Some(rect) = &mut path.label {
                rect.x += shift;
            }
        }
    }
    let (mut width, mut height) = (0.0f64, 0.0f64);
    for rect in layout
        .nodes
        .iter()
        .map(|n| n.rect)
        .chain(layout.edges.iter().filter_map(|e| e.label))
    {
        width = width.max(rect.right());
        height = height.max(rect.bottom());
    }
    for (x, y) in layout
        .edges
        .iter()
        .flat_map(|p| p.segments.iter().flatten())
    {
        width = width.max(*x);
        height = height.max(*y);
    }
    layout.width = (width + MARGIN).ceil();
    layout.height = (height + MARGIN).ceil();
    layout
}

/// The layered graph with virtual nodes: items `0..count` are the view's
/// nodes, the rest are virtual, each in one column of one band.
struct Proper {
    layer: Vec<usize>,
    band: Vec<usize>,
    /// Per view edge, its items from the lower column to the higher one.
    chains: Vec<Vec<usize>>,
    /// Edges between neighbouring columns.
    edges: Vec<(usize, usize)>,
    real: usize,
    /// Half of each real item's extent across its column: the box's
    /// height left to right, its width top to bottom.
    half_extent: Vec<f64>,
}

impl Proper {
    /// Splits the edges; those marked in `merge` share their virtual nodes
    /// with the other merged edges into the same node from the same band
    /// (edge concentration: one trunk into a node instead of many parallel
    /// lines).
    fn new(
        edges: &[(usize, usize)],
        merge: &[bool],
        layers: &[usize],
        band_of: &[usize],
    ) -> Proper {
        let mut graph = Proper {
            layer: layers.to_vec(),
            band: band_of.to_vec(),
            chains: Vec::with_capacity(edges.len()),
            edges: Vec::new(),
            real: layers.len(),
            half_extent: vec![NODE_HEIGHT / 2.0; layers.len()],
        };
        let mut shared: BTreeMap<(usize, bool, usize, usize), usize> = BTreeMap::new();
        let mut pairs = BTreeSet::new();
        for (&(from, to), &merge) in edges.iter().zip(merge) {
            let forward = layers[from] <= layers[to];
            let (a, b) = if forward { (from, to) } else { (to, from) };
            // A long edge runs in its source's band, so it leaves its own
            // cluster last.
            let band = band_of[from];
            let mut chain = vec![a];
            for l in layers[a] + 1..layers[b] {
                let add = |graph: &mut Proper| {
                    graph.layer.push(l);
                    graph.band.push(band);
                    graph.layer.len() - 1
                };
                let item = if merge {
                    *shared
                        .entry((to, forward, band, l))
                        .or_insert_with(|| add(&mut graph))
                } else {
                    add(&mut graph)
                };
                chain.push(item);
            }
            chain.push(b);
            for pair in chain.windows(2) {
                pairs.insert((pair[0], pair[1]));
            }
            graph.chains.push(chain);
        }
        graph.edges = pairs.into_iter().collect();
        graph
    }

    fn len(&self) -> usize {
        self.layer.len()
    }

    fn is_virtual(&self, item: usize) -> bool {
        item >= self.real
    }
}

/// The path through a chain's stops, left to right: straight across each
/// column (from a real end's side to its column's edge), an S-curve with
/// level ends across each gap. Level joins keep the whole path smooth.
fn route(
    stops: &[(f64, f64, f64)],
    columns: &[usize],
    column_x: &[f64],
    column_width: &[f64],
) -> Vec<[(f64, f64); 4]> {
    let mut segments = Vec::new();
    let line = |a: (f64, f64), b: (f64, f64)| {
        [
            a,
            (a.0 + (b.0 - a.0) / 3.0, a.1 + (b.1 - a.1) / 3.0),
            (a.0 + 2.0 * (b.0 - a.0) / 3.0, a.1 + 2.0 * (b.1 - a.1) / 3.0),
            b,
        ]
    };
    let last = stops.len() - 1;
    for (k, pair) in stops.windows(2).enumerate() {
        let (_, right, y1) = pair[0];
        let (left, _, y2) = pair[1];
        // Out of the first stop's column, if it is a narrow real node.
        let exit = column_x[columns[k]] + column_width[columns[k]];
        let start = if k == 0 && exit > right {
            segments.push(line((right, y1), (exit, y1)));
            exit
        } else {
            right
        };
        let entry = column_x[columns[k + 1]];
        let end = if k + 1 == last {
            entry.min(left)
        } else {
            entry
        };
        let bend = (end - start) / 2.0;
        segments.push([(start, y1), (start + bend, y1), (end - bend, y2), (end, y2)]);
        if k + 1 == last {
            if left > end {
                segments.push(line((end, y2), (left, y2)));
            }
        } else {
            segments.push(line((end, y2), (pair[1].1, y2)));
        }
    }
    segments
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

/// Orders the items (real and virtual) of each (band, column) by
/// barycentric sweeps; returns `groups[band][column]`, top to bottom.
fn order(graph: &Proper, members: &[Vec<usize>], layer_count: usize) -> Vec<Vec<Vec<usize>>> {
    let count = graph.len();
    let layers = &graph.layer;
    let mut neighbours = vec![Vec::new(); count];
    for &(from, to) in &graph.edges {
        neighbours[from].push(to);
        neighbours[to].push(from);
    }
    let mut groups: Vec<Vec<Vec<usize>>> = members
        .iter()
        .map(|band| {
            let mut by_layer = vec![Vec::new(); layer_count];
            for &n in band {
                by_layer[layers[n]].push(n);
            }
            by_layer
        })
        .collect();
    let mut offsets = Vec::new();
    let mut total = 0;
    for band in &groups {
        offsets.push(total);
        total += band.iter().map(Vec::len).max().unwrap_or(0);
    }
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
    // Sweeps alternate direction, and pairs of them alternate between the
    // median and the barycenter of the neighbours' positions; the order
    // with the fewest crossings seen is kept.
    let mut best = (crossings(graph, &global), groups.clone());
    for sweep in 0..SWEEPS {
        let rightwards = sweep % 2 == 0;
        let median = (sweep / 2) % 2 == 0;
        let sequence: Vec<usize> = if rightwards {
            (1..layer_count).collect()
        } else {
            (0..layer_count.saturating_sub(1)).rev().collect()
        };
        for l in sequence {
            for band in groups.iter_mut() {
                let layer = &mut band[l];
                let keys: BTreeMap<usize, f64> = layer
                    .iter()
                    .map(|&n| {
                        let mut side: Vec<f64> = neighbours[n]
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
                        } else if median {
                            side.sort_by(f64::total_cmp);
                            let middle = side.len() / 2;
                            if side.len() % 2 == 1 {
                                side[middle]
                            } else {
                                (side[middle - 1] + side[middle]) / 2.0
                            }
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
        let count = crossings(graph, &global);
        if count < best.0 {
            best = (count, groups.clone());
        }
    }
    let mut groups = best.1;
    refresh(&groups, &mut global);
    // Then swap neighbours in a column while that alone removes crossings
    // (between the two items' edges, on either side).
    let pair_crossings = |u: usize, v: usize, global: &[f64]| -> usize {
        let mut count = 0;
        for &p in &neighbours[u] {
            for &q in &neighbours[v] {
                let same_side = (layers[p] < layers[u]) == (layers[q] < layers[v]);
                if same_side && global[p] > global[q] {
                    count += 1;
                }
            }
        }
        count
    };
    for _ in 0..TRANSPOSE_PASSES {
        let mut better = false;
        for column in groups.iter_mut().flatten() {
            {
                for i in 1..column.len() {
                    let (u, v) = (column[i - 1], column[i]);
                    if pair_crossings(v, u, &global) < pair_crossings(u, v, &global) {
                        column.swap(i - 1, i);
                        global.swap(u, v);
                        better = true;
                    }
                }
            }
        }
        if !better {
            break;
        }
    }
    groups
}

/// How many pairs of edges between neighbouring columns cross, with every
/// item at its `global` row: per pair of columns, the inversions of the
/// right ends once the edges are sorted by their left ends.
fn crossings(graph: &Proper, global: &[f64]) -> usize {
    let mut by_column: BTreeMap<usize, Vec<(i64, i64)>> = BTreeMap::new();
    for &(a, b) in &graph.edges {
        let (left, right) = if graph.layer[a] < graph.layer[b] {
            (a, b)
        } else {
            (b, a)
        };
        by_column
            .entry(graph.layer[left])
            .or_default()
            .push((global[left] as i64, global[right] as i64));
    }
    by_column
        .into_values()
        .map(|mut pairs| {
            pairs.sort_unstable();
            let mut rights: Vec<i64> = pairs.into_iter().map(|(_, r)| r).collect();
            inversions(&mut rights)
        })
        .sum()
}

/// The pairs i < j with `values[i] > values[j]` (sorting `values`).
fn inversions(values: &mut [i64]) -> usize {
    if values.len() < 2 {
        return 0;
    }
    let middle = values.len() / 2;
    let mut count = inversions(&mut values[..middle]) + inversions(&mut values[middle..]);
    let mut merged = Vec::with_capacity(values.len());
    let (mut i, mut j) = (0, middle);
    while i < middle && j < values.len() {
        if values[j] < values[i] {
            count += middle - i;
            merged.push(values[j]);
            j += 1;
        } else {
            merged.push(values[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&values[i..middle]);
    merged.extend_from_slice(&values[j..]);
    values.copy_from_slice(&merged);
    count
}

/// Half the room an item takes across its column: a box, or a thin slot
/// for a virtual node.
fn half(graph: &Proper, item: usize) -> f64 {
    if graph.is_virtual(item) {
        VIRTUAL_HALF
    } else {
        graph.half_extent[item]
    }
}

/// The least distance between the centres of two items one above the other.
fn separation(graph: &Proper, a: usize, b: usize) -> f64 {
    let gap = match (graph.is_virtual(a), graph.is_virtual(b)) {
        (false, false) => ROW_GAP,
        (true, true) => VIRTUAL_GAP,
        _ => VIRTUAL_MARGIN,
    };
    half(graph, a) + gap + half(graph, b)
}

/// Gives every item the offset of its centre below its band's first row,
/// keeping each column's order and spacing: a band is as tall as its most
/// crowded column, and each item moves, over a few passes, as near the mean
/// of its neighbours in the band as the others allow (straight chains and
/// short edges). Returns the offsets and each band's height.
fn place(graph: &Proper, groups: &[Vec<Vec<usize>>]) -> (Vec<f64>, Vec<f64>) {
    let mut neighbours = vec![Vec::new(); graph.len()];
    for &(from, to) in &graph.edges {
        if graph.band[from] == graph.band[to] {
            neighbours[from].push(to);
            neighbours[to].push(from);
        }
    }
    let mut y = vec![0.0f64; graph.len()];
    let mut heights = Vec::with_capacity(groups.len());
    for band in groups {
        let mut height = 0.0f64;
        for column in band {
            let mut at = 0.0;
            for (i, &item) in column.iter().enumerate() {
                at = if i == 0 {
                    half(graph, item)
                } else {
                    at + separation(graph, column[i - 1], item)
                };
                y[item] = at;
                height = height.max(at + half(graph, item));
            }
        }
        heights.push(height);
    }
    // Balance first: each item towards the mean of its neighbours. Then
    // straighten, left to right: each virtual node at the height of the
    // chain coming in from its left, so long edges run level and bend only
    // where a box or another edge is in the way.
    for pass in 0..PLACE_PASSES + STRAIGHTEN_PASSES {
        let straighten = pass >= PLACE_PASSES;
        for (b, band) in groups.iter().enumerate() {
            let columns: Vec<&Vec<usize>> = if straighten || pass % 2 == 0 {
                band.iter().collect()
            } else {
                band.iter().rev().collect()
            };
            for column in columns {
                if column.is_empty() {
                    continue;
                }
                let desired: Vec<(f64, f64)> = column
                    .iter()
                    .map(|&n| {
                        let mut near: Vec<usize> = neighbours[n].clone();
                        if straighten {
                            if !graph.is_virtual(n) {
                                return (y[n], 50.0);
                            }
                            let layer = graph.layer[n];
                            near.retain(|&m| graph.layer[m] < layer);
                            if near.iter().any(|&m| graph.is_virtual(m)) {
                                near.retain(|&m| graph.is_virtual(m));
                            }
                        }
                        if near.is_empty() {
                            (y[n], 1.0)
                        } else {
                            let mean = near.iter().map(|&m| y[m]).sum::<f64>() / near.len() as f64;
                            (mean, 1.0)
                        }
                    })
                    .collect();
                let gaps: Vec<f64> = column
                    .windows(2)
                    .map(|w| separation(graph, w[0], w[1]))
                    .collect();
                let low = half(graph, column[0]);
                let high = heights[b] - half(graph, column[column.len() - 1]);
                for (&n, placed) in column.iter().zip(spaced(&desired, &gaps, low, high)) {
                    y[n] = placed.round();
                }
            }
        }
    }
    (y, heights)
}

/// The positions nearest `desired` (least squares, each position counting
/// by its weight) that keep their order, at least `gaps` apart, the first
/// no higher than `low` and the last no lower than `high`:
/// pool-adjacent-violators on the positions less the gaps before them, then
/// clamped.
fn spaced(desired: &[(f64, f64)], gaps: &[f64], low: f64, high: f64) -> Vec<f64> {
    let mut before = vec![0.0; desired.len()];
    for i in 1..desired.len() {
        before[i] = before[i - 1] + gaps[i - 1];
    }
    // Blocks of (weighted sum, weight, count) whose means rise.
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for (&(d, w), b) in desired.iter().zip(&before) {
        blocks.push(((d - b) * w, w, 1));
        while blocks.len() > 1 {
            let (s2, w2, c2) = blocks[blocks.len() - 1];
            let (s1, w1, c1) = blocks[blocks.len() - 2];
            if s1 / w1 <= s2 / w2 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (s1 + s2, w1 + w2, c1 + c2);
        }
    }
    let ceiling = (high - before[before.len() - 1]).max(low);
    let mut out = Vec::with_capacity(desired.len());
    for (sum, weight, count) in blocks {
        let z = (sum / weight).clamp(low, ceiling);
        for _ in 0..count {
            let i = out.len();
            out.push(z + before[i]);
        }
    }
    out
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
        let (_, y) = path
            .samples(2.0)
            .into_iter()
            .min_by(|a, b| (a.0 - middle).abs().total_cmp(&(b.0 - middle).abs()))
            .expect("a path has points");
        let width = text_width(&text, LABEL_FONT) + 8.0;
        let rect = Rect {
            x: middle - width / 2.0,
            y: y - LABEL_HEIGHT / 2.0,
            width,
            height: LABEL_HEIGHT,
        };
        wanted.push((rect.y, path.edge, rect));
    }
    settle_labels(wanted, nodes, clusters, paths);
}

/// Puts each wanted label box on its edge where it overlaps nothing (see
/// [`attached`]), in order of height.
fn settle_labels(
    mut wanted: Vec<(f64, usize, Rect)>,
    nodes: &[NodeBox],
    clusters: &[ClusterBox],
    paths: &mut [EdgePath],
) {
    wanted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut obstacles: Vec<Rect> = nodes
        .iter()
        .map(|n| n.rect)
        .chain(clusters.iter().map(title_rect))
        .collect();
    for (_, edge, wanted) in wanted {
        let rect = attached(&paths[edge], wanted, &obstacles).unwrap_or_else(|| {
            // Nowhere on its path is free: below the obstacles, as near
            // as can be. Each step moves below the lowest obstacle hit, so
            // this ends.
            let mut rect = wanted;
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
            rect
        });
        obstacles.push(rect);
        paths[edge].label = Some(rect);
    }
}

/// The label box `wanted` moved along its edge's path to the nearest point
/// where it overlaps no obstacle, centred on the path so it reads as the
/// edge's; none when the whole path is crowded.
fn attached(path: &EdgePath, wanted: Rect, obstacles: &[Rect]) -> Option<Rect> {
    let points = path.samples(3.0);
    let centre = (
        wanted.x + wanted.width / 2.0,
        wanted.y + wanted.height / 2.0,
    );
    let start = points
        .iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| {
            let da = (a.0 - centre.0).hypot(a.1 - centre.1);
            let db = (b.0 - centre.0).hypot(b.1 - centre.1);
            da.total_cmp(&db)
        })
        .map_or(0, |(i, _)| i);
    // Outward from the wanted place, alternately towards each end.
    let mut order = vec![start];
    for step in 1..points.len() {
        if start >= step {
            order.push(start - step);
        }
        if start + step < points.len() {
            order.push(start + step);
        }
    }
    order.into_iter().find_map(|i| {
        let (x, y) = points[i];
        let rect = Rect {
            x: x - wanted.width / 2.0,
            y: y - wanted.height / 2.0,
            ..wanted
        };
        (!obstacles.iter().any(|o| o.overlaps(&rect))).then_some(rect)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::view::{ViewEdge, ViewNode};

    /// A view of `nodes` (`crate::path` ids; externals have no `::` and
    /// are external when clustered) with edges `(from, to, violation)`.
    fn view(nodes: &[&str], edges: &[(&str, &str, bool)], clustered: bool) -> View {
        let index = |id: &str| nodes.iter().position(|n| *n == id).unwrap();
        View {
            nodes: nodes
                .iter()
                .map(|id| {
                    let crate_name = id.split("::").next().unwrap().to_string();
                    let external = crate_name.starts_with("ext_");
                    ViewNode {
                        id: id.to_string(),
                        crate_name,
                        kind: if external {
                            NodeKind::External
                        } else if clustered {
                            NodeKind::Module
                        } else {
                            NodeKind::Crate
                        },
                        file: None,
                        files: Vec::new(),
                    }
                })
                .collect(),
            edges: edges
                .iter()
                .map(|&(from, to, red)| ViewEdge {
                    from: index(from),
                    to: index(to),
                    count: 3,
                    violations: if red { vec!["rule".into()] } else { vec![] },
                    violating: usize::from(red),
                    references: vec![],
                })
                .collect(),
            clustered,
            hidden_edges: 0,
        }
    }

    /// The demo at crate level: `shop_web → shop → shop_db → sqlx`, with
    /// long edges from both crates past the boxes in between.
    fn demo_crates() -> View {
        view(
            &[
                "ext_axum",
                "ext_serde",
                "shop",
                "shop_db",
                "shop_web",
                "ext_sqlx",
                "ext_thiserror",
                "ext_tokio",
            ],
            &[
                ("shop", "ext_axum", true),
                ("shop", "ext_serde", false),
                ("shop", "shop_db", false),
                ("shop", "ext_sqlx", true),
                ("shop", "ext_thiserror", false),
                ("shop_db", "ext_sqlx", false),
                ("shop_web", "ext_axum", false),
                ("shop_web", "ext_serde", false),
                ("shop_web", "shop", true),
                ("shop_web", "shop_db", false),
                ("shop_web", "ext_tokio", false),
            ],
            false,
        )
    }

    /// Modules in three crates, a cycle, and edges over several columns and
    /// across clusters.
    fn demo_modules() -> View {
        view(
            &[
                "ext_serde",
                "ext_sqlx",
                "shop::a",
                "shop::b",
                "shop::c",
                "shop::d",
                "db::pool",
                "db::query",
                "web::main",
                "web::routes",
            ],
            &[
                ("web::main", "web::routes", false),
                ("web::main", "ext_serde", false),
                ("web::routes", "shop::a", false),
                ("web::routes", "shop::d", true),
                ("web::routes", "db::query", false),
                ("shop::a", "shop::b", false),
                ("shop::b", "shop::c", false),
                ("shop::c", "shop::d", false),
                ("shop::d", "shop::b", false),
                ("shop::a", "shop::d", false),
                ("shop::a", "ext_sqlx", true),
                ("shop::a", "ext_serde", false),
                ("shop::b", "ext_serde", false),
                ("shop::c", "db::pool", false),
                ("db::query", "db::pool", false),
                ("db::pool", "ext_sqlx", false),
            ],
            true,
        )
    }

    #[test]
    fn long_edges_go_around_the_boxes_between_their_ends() {
        for view in [demo_crates(), demo_modules()] {
            let layout = layout(&view);
            assert_eq!(layout.edges_through_boxes(1.5), [], "{layout:#?}");
            for path in &layout.edges {
                let r = (layout.nodes[path.from].rect, layout.nodes[path.to].rect);
                let (start, end) = (path.segments[0][0], path.segments.last().unwrap()[3]);
                // Left or right side (modules, left to right), top or
                // bottom (crates, top to bottom).
                let touches = |rect: Rect, (x, y): (f64, f64)| {
                    let side = (x - rect.x).abs() < 0.01 || (x - rect.right()).abs() < 0.01;
                    let edge = (y - rect.y).abs() < 0.01 || (y - rect.bottom()).abs() < 0.01;
                    (side && y > rect.y && y < rect.bottom())
                        || (edge && x > rect.x && x < rect.right())
                };
                assert!(touches(r.0, start) && touches(r.1, end), "{path:?}");
                for pair in path.segments.windows(2) {
                    assert_eq!(pair[0][3], pair[1][0], "the path is one piece");
                }
            }
        }
    }

    #[test]
    fn crates_run_top_to_bottom_with_unused_crates_near_what_they_use() {
        let layout = layout(&demo_crates());
        let top = |i: usize| layout.nodes[i].rect.y;
        // shop_web uses shop, which uses shop_db, which uses sqlx.
        assert!(top(4) < top(2) && top(2) < top(3) && top(3) < top(5));
        assert_eq!(
            sources_lowered(vec![0, 0, 3, 1], &[(0, 2), (3, 2)], &[50.0; 4]),
            [2, 0, 3, 2]
        );
    }

    #[test]
    fn a_path_through_a_box_is_found() {
        let mut layout = layout(&demo_crates());
        let centre = |r: Rect| (r.x + r.width / 2.0, r.y + r.height / 2.0);
        let (a, via, b) = (
            centre(layout.nodes[4].rect),
            centre(layout.nodes[2].rect),
            centre(layout.nodes[0].rect),
        );
        let path = &mut layout.edges[6];
        assert_eq!((path.from, path.to), (4, 0));
        path.segments = vec![[a, a, via, via], [via, via, b, b]];
        assert_eq!(layout.edges_through_boxes(1.5), [(6, 2)]);
    }

    #[test]
    fn clusters_and_boxes_never_overlap() {
        let layout = layout(&demo_modules());
        for (i, a) in layout.clusters.iter().enumerate() {
            for b in &layout.clusters[i + 1..] {
                assert!(!a.rect.overlaps(&b.rect), "{a:?} {b:?}");
            }
        }
        let boxes = layout.text_boxes();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn spacing_keeps_order_and_gaps_nearest_the_wish() {
        let even = |wishes: &[f64]| wishes.iter().map(|&w| (w, 1.0)).collect::<Vec<_>>();
        assert_eq!(
            spaced(&even(&[10.0, 10.0]), &[8.0], 0.0, 100.0),
            [6.0, 14.0]
        );
        assert_eq!(spaced(&even(&[0.0, 50.0]), &[8.0], 5.0, 100.0), [5.0, 50.0]);
        assert_eq!(
            spaced(&even(&[90.0, 99.0]), &[8.0], 0.0, 95.0),
            [87.0, 95.0]
        );
        assert_eq!(
            spaced(&[(10.0, 3.0), (10.0, 1.0)], &[8.0], 0.0, 100.0),
            [8.0, 16.0]
        );
    }

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
