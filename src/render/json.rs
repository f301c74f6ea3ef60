//! The graph as JSON: `{"version":1,"nodes":[..],"edges":[..]}`, a stable
//! contract for other tools.

use serde::Serialize;

use crate::graph::view::View;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    nodes: Vec<Node<'a>>,
    edges: Vec<Edge<'a>>,
    /// How many edges `--reduce` hid; absent when none.
    #[serde(skip_serializing_if = "is_zero")]
    hidden_edges: usize,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

#[derive(Serialize)]
struct Node<'a> {
    id: &'a str,
    #[serde(rename = "crate")]
    crate_name: &'a str,
    kind: &'static str,
    file: Option<&'a str>,
    /// Every file the module is made of, sorted (`file` is the first).
    files: &'a [String],
}

#[derive(Serialize)]
struct Edge<'a> {
    from: &'a str,
    to: &'a str,
    count: usize,
    violations: &'a [String],
}

pub fn render(view: &View) -> String {
    let document = Document {
        version: 1,
        nodes: view
            .nodes
            .iter()
            .map(|n| Node {
                id: &n.id,
                crate_name: &n.crate_name,
                kind: n.kind.as_str(),
                file: n.file.as_deref(),
                files: &n.files,
            })
            .collect(),
        edges: view
            .edges
            .iter()
            .map(|e| Edge {
                from: &view.nodes[e.from].id,
                to: &view.nodes[e.to].id,
                count: e.count,
                violations: &e.violations,
            })
            .collect(),
        hidden_edges: view.hidden_edges,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("the graph serializes");
    text.push('\n');
    text
}
