//! Diagrams of a [`View`](crate::graph::view::View): one file per format.
//! Rendering only formats: which edges carry violations was decided by the
//! check run and comes in with the view.

pub mod dot;
pub mod html;
pub mod json;
pub mod layout;
pub mod mermaid;
pub mod svg;

use crate::graph::view::ViewEdge;

/// The colour of edges that carry violations.
pub const VIOLATION_COLOR: &str = "#d32f2f";
/// The colour of every other edge.
pub const EDGE_COLOR: &str = "#6b7280";

/// An edge's stroke width: grows with the log of its reference count so a
/// 200-reference edge stands out without hiding its neighbours.
pub fn pen_width(edge: &ViewEdge) -> f64 {
    let base = 1.0 + (edge.count as f64).log2() * 0.6;
    let width = if edge.violations.is_empty() {
        base
    } else {
        base + 0.8
    };
    (width.min(5.0) * 10.0).round() / 10.0
}

/// The label of an edge: its reference count, and for an edge with
/// violations the rules broken and by how many of the references.
pub fn edge_label(edge: &ViewEdge) -> String {
    if edge.violations.is_empty() {
        edge.count.to_string()
    } else if edge.violating == edge.count {
        format!("{} ({})", edge.violations.join(", "), edge.count)
    } else {
        format!(
            "{} ({} of {})",
            edge.violations.join(", "),
            edge.violating,
            edge.count
        )
    }
}

/// The legend line of a reduced view: how many edges the transitive
/// reduction hid, and how to see them; none when nothing was hidden.
pub fn reduction_note(view: &crate::graph::view::View) -> Option<String> {
    match view.hidden_edges {
        0 => None,
        hidden => Some(format!(
            "{hidden} edge{} implied by longer paths hidden (--reduce); --no-reduce draws every edge",
            if hidden == 1 { "" } else { "s" }
        )),
    }
}
