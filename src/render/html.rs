//! `graph --format html`: one self-contained page (script, style and data
//! inline, no network) to explore the graph: crates first, expanded into
//! modules on a click, focus, search, back, violations listed by rule with
//! their references.
//!
//! The layout is computed in the page, by the steps of [`layout`]
//! (super::layout) written again in JavaScript (`html/explorer.js`):
//! every set of expanded crates and modules is a different graph, too many
//! to lay out ahead of time, and a page that lays out what it shows stays
//! small (the data is the module graph once, not one drawing per state).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::graph::view::{NodeKind, View};

const STYLE: &str = include_str!("html/explorer.css");
const SCRIPT: &str = include_str!("html/explorer.js");
/// Installed before the explorer so that even a syntax error in it is
/// recorded (the browser test reads `window.boundariesErrors`).
const ERRORS: &str = "window.boundariesErrors=[];addEventListener('error',function(e){boundariesErrors.push(String(e.message))});";

/// How many references an edge keeps for its hover card.
const FIRST_REFERENCES: usize = 3;
/// How many of an edge's violating references the page lists; the rest are
/// counted.
const VIOLATING_REFERENCES: usize = 50;

/// Where one reference sits (indexed like the source model's references).
pub struct Reference<'a> {
    pub file: &'a str,
    pub line: u32,
    pub path: &'a str,
    pub via: &'static str,
}

pub struct Page<'a> {
    /// The module-level view, every module its own node.
    pub view: &'a View,
    pub references: &'a [Reference<'a>],
    /// The rule names of the violations at each reference index.
    pub violations: &'a BTreeMap<usize, BTreeSet<String>>,
    /// `{file}` and `{line}` are replaced in it.
    pub link_template: Option<&'a str>,
    /// Whether the page starts with the transitive reduction on.
    pub reduce: bool,
}

#[derive(Serialize)]
struct Data<'a> {
    version: u32,
    reduce: bool,
    link: Option<&'a str>,
    files: Vec<&'a str>,
    rules: Vec<&'a str>,
    /// `[id, crate, external, file]`, file an index into `files` or -1.
    nodes: Vec<(&'a str, &'a str, bool, i64)>,
    edges: Vec<Edge<'a>>,
}

/// `[from, to, count, violating, rules, references]`.
#[derive(Serialize)]
struct Edge<'a>(usize, usize, usize, usize, Vec<usize>, Vec<Site<'a>>);

/// `[file, line, path, via, rules]`.
#[derive(Serialize)]
struct Site<'a>(usize, usize, &'a str, &'a str, Vec<usize>);

pub fn render(page: &Page) -> String {
    let data = data(page);
    let json = serde_json::to_string(&data).expect("the page's data serializes");
    let mut out = String::with_capacity(json.len() + STYLE.len() + SCRIPT.len() + 2048);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Nothing may be fetched: not a script, a style, a font or an image.
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>cargo boundaries: dependency explorer</title>\n<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n<script>");
    out.push_str(ERRORS);
    out.push_str("</script>\n</head>\n<body>\n");
    out.push_str(BODY);
    out.push_str("<script type=\"application/json\" id=\"graph-data\">");
    out.push_str(&script_safe(&json));
    out.push_str("</script>\n<script>\n");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

const BODY: &str = r#"<header>
<button id="back" type="button" title="Back (Backspace)" disabled>&#8592; Back</button>
<button id="overview" type="button" title="Every crate, nothing expanded">Overview</button>
<input id="search" type="search" placeholder="Find a crate or module" autocomplete="off" list="names">
<datalist id="names"></datalist>
<label><input id="reduce" type="checkbox"> hide implied edges</label>
<label><input id="externals" type="checkbox" checked> external crates</label>
<span id="status"></span>
</header>
<main>
<div id="canvas"><svg id="graph" xmlns="http://www.w3.org/2000/svg"></svg><div id="card" hidden></div></div>
<aside>
<section id="details"><h2>Details</h2><p class="hint">Click a node to focus it, its + to expand it; hover an edge; pick a violation below.</p></section>
<section><h2>Violations</h2><div id="violations"></div></section>
</aside>
</main>
"#;

/// JSON inside a `<script>` element: `</script` would end the element
/// early and `<!--` change how it is read. `<` only occurs inside JSON
/// strings, where `\u003c` means the same.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

fn data<'a>(page: &Page<'a>) -> Data<'a> {
    let view = page.view;
    let mut files: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rules: BTreeMap<&str, usize> = BTreeMap::new();
    for node in &view.nodes {
        if let Some(file) = &node.file {
            files.insert(file, 0);
        }
    }
    for edge in &view.edges {
        for r in sites(page, edge) {
            files.insert(page.references[r].file, 0);
            for rule in page.violations.get(&r).into_iter().flatten() {
                rules.insert(rule, 0);
            }
        }
    }
    for (i, value) in files.values_mut().enumerate() {
        *value = i;
    }
    for (i, value) in rules.values_mut().enumerate() {
        *value = i;
    }
    let nodes = view
        .nodes
        .iter()
        .map(|n| {
            (
                n.id.as_str(),
                n.crate_name.as_str(),
                n.kind == NodeKind::External,
                n.file.as_deref().map_or(-1, |f| files[f] as i64),
            )
        })
        .collect();
    let edges = view
        .edges
        .iter()
        .map(|edge| {
            let sites = sites(page, edge)
                .into_iter()
                .map(|r| {
                    let reference = &page.references[r];
                    let broken = page.violations.get(&r).into_iter().flatten();
                    Site(
                        files[reference.file],
                        reference.line as usize,
                        reference.path,
                        reference.via,
                        broken.map(|rule| rules[rule.as_str()]).collect(),
                    )
                })
                .collect();
            Edge(
                edge.from,
                edge.to,
                edge.count,
                edge.violating,
                edge.violations.iter().map(|r| rules[r.as_str()]).collect(),
                sites,
            )
        })
        .collect();
    Data {
        version: 1,
        reduce: page.reduce,
        link: page.link_template,
        files: files.into_keys().collect(),
        rules: rules.into_keys().collect(),
        nodes,
        edges,
    }
}

/// The references the page keeps for an edge: its first few, and its
/// violating ones up to a cap, in location order.
fn sites(page: &Page, edge: &crate::graph::view::ViewEdge) -> Vec<usize> {
    let first = edge.references.iter().take(FIRST_REFERENCES);
    let violating = edge
        .references
        .iter()
        .filter(|r| page.violations.contains_key(r))
        .take(VIOLATING_REFERENCES);
    let mut kept: Vec<usize> = first.chain(violating).copied().collect();
    kept.sort_unstable();
    kept.dedup();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::view::{ViewEdge, ViewNode};

    fn page_with(link: &str) -> String {
        let node = |id: &str, kind| ViewNode {
            id: id.into(),
            crate_name: id.split("::").next().unwrap().into(),
            kind,
            file: (kind != NodeKind::External).then(|| "src/lib.rs".to_string()),
            files: vec![],
        };
        let view = View {
            nodes: vec![node("a", NodeKind::Module), node("b", NodeKind::External)],
            edges: vec![ViewEdge {
                from: 0,
                to: 1,
                count: 2,
                violations: vec!["rule".into()],
                violating: 1,
                references: vec![0, 1],
            }],
            clustered: true,
            hidden_edges: 0,
        };
        let references = [
            Reference {
                file: "src/lib.rs",
                line: 3,
                path: "b::x",
                via: "path",
            },
            Reference {
                file: "src/lib.rs",
                line: 9,
                path: "b::y",
                via: "use",
            },
        ];
        let violations = BTreeMap::from([(1, BTreeSet::from(["rule".to_string()]))]);
        render(&Page {
            view: &view,
            references: &references,
            violations: &violations,
            link_template: Some(link),
            reduce: true,
        })
    }

    #[test]
    fn data_cannot_end_its_script_element() {
        let page = page_with("https://x/</script><script>alert(1)</script>{file}");
        assert!(!page.contains("alert(1)</script>"), "{page}");
        assert!(page.contains("\\u003c/script>\\u003cscript>alert(1)\\u003c/script>{file}"));
        // One data element, one error catcher, one explorer.
        assert_eq!(page.matches("<script").count(), 3);
    }

    #[test]
    fn the_page_holds_the_edges_references_and_rules() {
        let page = page_with("https://x/{file}#L{line}");
        let start = page.find("id=\"graph-data\">").unwrap() + "id=\"graph-data\">".len();
        let end = start + page[start..].find("</script>").unwrap();
        let data: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
        assert_eq!(data["rules"], serde_json::json!(["rule"]));
        assert_eq!(data["files"], serde_json::json!(["src/lib.rs"]));
        assert_eq!(
            data["edges"],
            serde_json::json!([[
                0,
                1,
                2,
                1,
                [0],
                [[0, 3, "b::x", "path", []], [0, 9, "b::y", "use", [0]]]
            ]])
        );
        assert_eq!(data["link"], "https://x/{file}#L{line}");
        assert!(page.contains("default-src 'none'"), "no fetch allowed");
    }
}
