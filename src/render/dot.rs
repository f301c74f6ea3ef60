//! Graphviz DOT: one `cluster_` subgraph per crate, edge labels with the
//! reference count, violations red and labelled with the rule names.

use std::fmt::Write;

use super::{edge_label, pen_width, EDGE_COLOR, VIOLATION_COLOR};
use crate::graph::view::{NodeKind, View, ViewNode};

pub fn render(view: &View) -> String {
    let mut out = String::new();
    if let Some(note) = super::reduction_note(view) {
        let _ = writeln!(out, "// {note}");
    }
    out.push_str("digraph boundaries {\n");
    out.push_str(
        "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, nodesep=0.25, ranksep=0.9];\n",
    );
    out.push_str("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef2f7\", color=\"#4b5563\", fontname=\"Helvetica\", fontsize=11];\n");
    let _ = writeln!(
        out,
        "  edge [color=\"{EDGE_COLOR}\", fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];"
    );
    let clusters = view.clusters();
    for (crate_name, members) in &clusters {
        let _ = writeln!(
            out,
            "  subgraph {} {{",
            quote(&format!("cluster_{crate_name}"))
        );
        let _ = writeln!(
            out,
            "    label={}; style=\"rounded\"; color=\"#9ca3af\"; fontcolor=\"#374151\";",
            quote(crate_name)
        );
        for &index in members {
            let _ = writeln!(out, "    {}", node(&view.nodes[index], true));
        }
        out.push_str("  }\n");
    }
    for (index, n) in view.nodes.iter().enumerate() {
        let in_cluster = clusters.values().any(|members| members.contains(&index));
        if !in_cluster {
            let _ = writeln!(out, "  {}", node(n, false));
        }
    }
    for edge in &view.edges {
        let (from, to) = (
            quote(&view.nodes[edge.from].id),
            quote(&view.nodes[edge.to].id),
        );
        let width = pen_width(edge);
        if edge.violations.is_empty() {
            let _ = writeln!(
                out,
                "  {from} -> {to} [label=\"{}\", penwidth={width}];",
                edge.count
            );
        } else {
            let label = quote(&edge_label(edge));
            let _ = writeln!(
                out,
                "  {from} -> {to} [label={label}, color=\"{VIOLATION_COLOR}\", fontcolor=\"{VIOLATION_COLOR}\", penwidth={width}];"
            );
        }
    }
    out.push_str("}\n");
    out
}

fn node(node: &ViewNode, in_cluster: bool) -> String {
    let label = if in_cluster {
        node.short_label()
    } else {
        &node.id
    };
    let style = match node.kind {
        NodeKind::External => {
            ", style=\"rounded,dashed\", fillcolor=\"#ffffff\", fontcolor=\"#4b5563\""
        }
        NodeKind::Crate | NodeKind::Module => "",
    };
    format!("{} [label={}{style}];", quote(&node.id), quote(label))
}

/// A DOT double-quoted string.
pub fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_escape_backslashes_and_quotes() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("shop::billing"), "\"shop::billing\"");
    }
}
