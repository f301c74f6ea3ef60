//! SVG drawn in-process from [`layout`](super::layout), so diagrams need no
//! Graphviz install. Plain SVG 1.1 (rects, paths, text, markers) that
//! browsers, GitHub and rasterisers such as resvg all draw the same.

use std::fmt::Write;

use super::layout::{self, edge_label, Layout, LABEL_FONT, NODE_FONT, TITLE_FONT};
use super::{pen_width, EDGE_COLOR, VIOLATION_COLOR};
use crate::graph::view::{NodeKind, View};

const FONT: &str = "DejaVu Sans Mono, Menlo, Consolas, monospace";

pub fn render(view: &View) -> String {
    render_layout(view, &layout::layout(view))
}

pub fn render_layout(view: &View, layout: &Layout) -> String {
    let mut out = String::new();
    // The legend, if any, gets a line of its own below the drawing.
    let note = super::reduction_note(view);
    let (width, height) = match &note {
        Some(text) => (
            layout
                .width
                .max((layout::text_width(text, LABEL_FONT) + 40.0).ceil()),
            layout.height + LEGEND_HEIGHT,
        ),
        None => (layout.width, layout.height),
    };
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT}\">",
        w = width,
        h = height
    );
    out.push_str("<defs>\n");
    for (id, color) in [("arrow", EDGE_COLOR), ("arrow-violation", VIOLATION_COLOR)] {
        let _ = writeln!(
            out,
            "<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{color}\"/></marker>"
        );
    }
    out.push_str("</defs>\n");
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
    );

    for cluster in &layout.clusters {
        let r = cluster.rect;
        let _ = writeln!(
            out,
            "<g class=\"cluster\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"10\" fill=\"#f8fafc\" stroke=\"#9ca3af\"/><text x=\"{}\" y=\"{}\" font-size=\"{TITLE_FONT}\" font-weight=\"bold\" fill=\"#374151\">{}</text></g>",
            n(r.x),
            n(r.y),
            n(r.width),
            n(r.height),
            n(cluster.title_x),
            n(cluster.title_y),
            escape(&cluster.title)
        );
    }
    // Ordinary edges first so red ones are drawn on top of them.
    let mut edges: Vec<&layout::EdgePath> = layout.edges.iter().collect();
    edges.sort_by_key(|e| (!view.edges[e.edge].violations.is_empty(), e.edge));
    for path in &edges {
        let edge = &view.edges[path.edge];
        let (color, marker) = if edge.violations.is_empty() {
            (EDGE_COLOR, "arrow")
        } else {
            (VIOLATION_COLOR, "arrow-violation")
        };
        let _ = writeln!(
            out,
            "<path class=\"edge\" d=\"{}\" data-edge=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{}\" marker-end=\"url(#{marker})\"><title>{} → {}: {} reference{}</title></path>",
            path_data(&path.segments),
            path.edge,
            pen_width(edge),
            escape(&view.nodes[edge.from].id),
            escape(&view.nodes[edge.to].id),
            edge.count,
            if edge.count == 1 { "" } else { "s" }
        );
    }
    for (index, node) in layout.nodes.iter().enumerate() {
        let r = node.rect;
        let external = view.nodes[index].kind == NodeKind::External;
        let (fill, dash) = if external {
            ("#ffffff", " stroke-dasharray=\"4 3\"")
        } else {
            ("#e8eef6", "")
        };
        let file = view.nodes[index]
            .file
            .as_deref()
            .map(|f| format!(" ({f})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<g class=\"node\"><title>{}{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{fill}\" stroke=\"#4b5563\"{dash}/><text x=\"{}\" y=\"{}\" font-size=\"{NODE_FONT}\" text-anchor=\"middle\" fill=\"#111827\">{}</text></g>",
            escape(&view.nodes[index].id),
            escape(&file),
            n(r.x),
            n(r.y),
            n(r.width),
            n(r.height),
            n(r.x + r.width / 2.0),
            n(r.y + r.height / 2.0 + NODE_FONT * 0.35),
            escape(&node.label)
        );
    }
    for path in &layout.edges {
        let (Some(r), Some(text)) = (path.label, edge_label(view, path.edge)) else {
            continue;
        };
        let _ = writeln!(
            out,
            "<g class=\"violation\" data-edge=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.92\" stroke=\"{VIOLATION_COLOR}\" stroke-width=\"0.6\"/><text x=\"{}\" y=\"{}\" font-size=\"{LABEL_FONT}\" text-anchor=\"middle\" fill=\"{VIOLATION_COLOR}\">{}</text></g>",
            path.edge,
            n(r.x),
            n(r.y),
            n(r.width),
            n(r.height),
            n(r.x + r.width / 2.0),
            n(r.y + r.height / 2.0 + LABEL_FONT * 0.35),
            escape(&text)
        );
    }
    if let Some(text) = note {
        let _ = writeln!(
            out,
            "<text class=\"legend\" x=\"20\" y=\"{}\" font-size=\"{LABEL_FONT}\" fill=\"#4b5563\">{}</text>",
            n(layout.height + LEGEND_HEIGHT - 12.0),
            escape(&text)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// The line under the drawing that holds the legend.
const LEGEND_HEIGHT: f64 = 24.0;

/// SVG path data for a chain of cubic Béziers: `L` for the level straight
/// pieces, `C` for the rest, and no repeated point.
fn path_data(segments: &[[(f64, f64); 4]]) -> String {
    let mut d = String::new();
    let mut at: Option<(String, String)> = None;
    for &[a, b, c, e] in segments {
        let start = (n(a.0), n(a.1));
        if at.as_ref() != Some(&start) {
            let _ = write!(
                d,
                "{}M{},{}",
                if d.is_empty() { "" } else { " " },
                start.0,
                start.1
            );
        }
        let end = (n(e.0), n(e.1));
        let level = [b, c, e].iter().all(|p| n(p.1) == start.1);
        if level {
            let _ = write!(d, " L{},{}", end.0, end.1);
        } else {
            let _ = write!(
                d,
                " C{},{} {},{} {},{}",
                n(b.0),
                n(b.1),
                n(c.0),
                n(c.1),
                end.0,
                end.1
            );
        }
        at = Some(end);
    }
    d
}

/// A coordinate with at most one decimal, so output is stable and small.
fn n(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

/// Text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a<b>&\"c\""), "a&lt;b&gt;&amp;&quot;c&quot;");
    }

    #[test]
    fn paths_join_their_segments_and_draw_level_pieces_as_lines() {
        let segments = [
            [(0.0, 5.0), (1.0, 5.0), (2.0, 5.0), (3.0, 5.0)],
            [(3.0, 5.0), (4.0, 5.0), (5.0, 9.0), (6.0, 9.0)],
        ];
        assert_eq!(path_data(&segments), "M0,5 L3,5 C4,5 5,9 6,9");
    }

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(n(12.0), "12");
        assert_eq!(n(12.345), "12.3");
        assert_eq!(n(-0.04), "0");
    }
}
