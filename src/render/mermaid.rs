//! Mermaid flowcharts that GitHub renders: generated ASCII identifiers (no
//! `::`, never a keyword such as `end`, unique by construction), every label
//! quoted with its special characters as Mermaid entity codes, violations
//! red through `linkStyle`.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::{edge_label, pen_width, VIOLATION_COLOR};
use crate::graph::view::{NodeKind, View};

pub fn render(view: &View) -> String {
    let ids = node_ids(view);
    let mut out = String::from("flowchart LR\n");
    if let Some(note) = super::reduction_note(view) {
        let _ = writeln!(out, "  %% {note}");
    }
    let clusters = view.clusters();
    let mut clustered = BTreeSet::new();
    for (number, (crate_name, members)) in clusters.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph {}[\"{}\"]",
            identifier(&format!("c{number}_"), crate_name),
            label(crate_name)
        );
        for &index in members {
            clustered.insert(index);
            let _ = writeln!(
                out,
                "    {}[\"{}\"]",
                ids[index],
                label(view.nodes[index].short_label())
            );
        }
        out.push_str("  end\n");
    }
    let mut external = Vec::new();
    for (index, node) in view.nodes.iter().enumerate() {
        if !clustered.contains(&index) {
            let _ = writeln!(out, "  {}[\"{}\"]", ids[index], label(&node.id));
        }
        if node.kind == NodeKind::External {
            external.push(ids[index].as_str());
        }
    }
    let mut styles = String::new();
    for (number, edge) in view.edges.iter().enumerate() {
        let text = edge_label(edge);
        let _ = writeln!(
            out,
            "  {} -->|\"{}\"| {}",
            ids[edge.from],
            label(&text),
            ids[edge.to]
        );
        let width = pen_width(edge);
        if edge.violations.is_empty() {
            if width > 1.0 {
                let _ = writeln!(styles, "  linkStyle {number} stroke-width:{width}px");
            }
        } else {
            let _ = writeln!(
                styles,
                "  linkStyle {number} stroke:{VIOLATION_COLOR},stroke-width:{width}px,color:{VIOLATION_COLOR}"
            );
        }
    }
    out.push_str(&styles);
    if !external.is_empty() {
        out.push_str(
            "  classDef external fill:#ffffff,stroke:#6b7280,stroke-dasharray:4 3,color:#4b5563\n",
        );
        let _ = writeln!(out, "  class {} external", external.join(","));
    }
    out
}

/// One identifier per node: `n`, the node's index, `_`, then the id with
/// every character outside `[A-Za-z0-9_]` turned into `_` for whoever reads
/// the source. The index alone makes it unique (the first `_` ends it), so
/// `caf_`, `caf__2` and `café` can never share one; the prefix keeps it from
/// being a keyword.
fn node_ids(view: &View) -> Vec<String> {
    view.nodes
        .iter()
        .enumerate()
        .map(|(index, node)| identifier(&format!("n{index}_"), &node.id))
        .collect()
}

pub fn identifier(prefix: &str, text: &str) -> String {
    let mut id = String::from(prefix);
    id.extend(
        text.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
    );
    id
}

/// Text for inside a double-quoted Mermaid label: quotes, `#`, `<`, `>` and
/// `&` as entity codes, so no label can end the string or open markup.
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::view::{ViewEdge, ViewNode};

    fn node(id: &str, crate_name: &str, kind: NodeKind) -> ViewNode {
        ViewNode {
            id: id.into(),
            crate_name: crate_name.into(),
            kind,
            file: None,
            files: Vec::new(),
        }
    }

    #[test]
    fn identifiers_have_no_colons_and_are_never_keywords() {
        assert_eq!(identifier("n_", "shop::billing"), "n_shop__billing");
        assert_eq!(identifier("n_", "end"), "n_end");
        assert_eq!(identifier("n_", "shop-db"), "n_shop_db");
        assert_eq!(identifier("n_", "shop::r#type"), "n_shop__r_type");
    }

    #[test]
    fn labels_escape_quotes_and_markup() {
        assert_eq!(label("say \"hi\""), "say #quot;hi#quot;");
        assert_eq!(label("shop::r#type"), "shop::r#35;type");
        assert_eq!(label("<b>&"), "#lt;b#gt;#amp;");
        assert_eq!(label("end"), "end");
    }

    #[test]
    fn keywords_and_paths_render_as_quoted_labels() {
        let view = View {
            nodes: vec![
                node("graph", "graph", NodeKind::Module),
                node("graph::end", "graph", NodeKind::Module),
                node("graph::subgraph", "graph", NodeKind::Module),
                node("serde", "serde", NodeKind::External),
            ],
            edges: vec![
                ViewEdge {
                    from: 1,
                    to: 2,
                    count: 3,
                    violations: vec!["no-\"quotes\"".into()],
                    violating: 3,
                    references: vec![],
                },
                ViewEdge {
                    from: 2,
                    to: 3,
                    count: 1,
                    violations: vec![],
                    violating: 0,
                    references: vec![],
                },
            ],
            clustered: true,
            hidden_edges: 0,
        };
        let text = render(&view);
        assert!(text.contains(
            "  subgraph c0_graph[\"graph\"]\n    n0_graph[\"graph\"]\n    n1_graph__end[\"end\"]\n"
        ));
        assert!(text
            .contains("  n1_graph__end -->|\"no-#quot;quotes#quot; (3)\"| n2_graph__subgraph\n"));
        assert!(text.contains("  linkStyle 0 stroke:#d32f2f"));
        assert!(text.contains("  class n3_serde external\n"));
        assert!(!text
            .lines()
            .any(|line| line.contains("::") && !line.contains('"')));
    }

    #[test]
    fn identifiers_are_unique_even_where_names_fold_together() {
        let names = ["a-b", "a_b", "caf_", "caf__2", "café", "caf_2", "n1_x"];
        let view = View {
            nodes: names
                .iter()
                .map(|n| node(n, n, NodeKind::External))
                .collect(),
            edges: vec![],
            clustered: false,
            hidden_edges: 0,
        };
        let ids = node_ids(&view);
        let unique: BTreeSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), names.len(), "{ids:?}");
        assert_eq!(ids[0], "n0_a_b");
    }
}
