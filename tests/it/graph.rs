//! `cargo boundaries graph`: formats, collapsing, focus, legibility of the
//! SVG (label boxes, a PNG rendering), the README diagram, and a generated
//! 40-crate workspace.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::Value;

use crate::support::{graph_at, manifest, mermaid_checker, project_root, run};

fn graph(fixture: &str, extra: &[&str]) -> String {
    graph_at(&manifest(fixture), extra)
}

fn json(fixture: &str, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&graph(fixture, &args)).expect("graph JSON parses")
}

fn ids(graph: &Value) -> Vec<String> {
    graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect()
}

fn edge_list(graph: &Value) -> Vec<String> {
    graph["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} -> {} {} {}",
                e["from"].as_str().unwrap(),
                e["to"].as_str().unwrap(),
                e["count"],
                e["violations"]
            )
        })
        .collect()
}

#[test]
fn json_graph_has_exactly_the_documented_fields() {
    let graph = json("demo", &[]);
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&graph), ["version", "nodes", "edges"]);
    assert_eq!(graph["version"], 1);
    for node in graph["nodes"].as_array().unwrap() {
        assert_eq!(keys(node), ["id", "crate", "kind", "file", "files"]);
    }
    for edge in graph["edges"].as_array().unwrap() {
        assert_eq!(keys(edge), ["from", "to", "count", "violations"]);
    }
    let edges = edge_list(&graph);
    assert!(
        edges.contains(&r#"shop::catalog::domain -> sqlx 1 ["domain-logic-is-pure"]"#.to_string()),
        "{edges:#?}"
    );
    assert!(edges.contains(&"shop::accounts::storage -> shop::accounts::domain 8 []".to_string()));
}

#[test]
fn standard_library_is_hidden_and_external_crates_can_be() {
    let graph = json("demo", &[]);
    let nodes = ids(&graph);
    assert!(nodes.contains(&"sqlx".to_string()));
    assert!(!nodes
        .iter()
        .any(|n| n == "std" || n == "core" || n == "alloc"));
    let graph = json("demo", &["--exclude-external"]);
    assert!(graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["kind"] != "external"));
}

#[test]
fn depth_collapses_modules_into_their_ancestors_summing_references() {
    let full = json("demo", &[]);
    let shallow = json("demo", &["--depth", "1"]);
    for id in ids(&shallow) {
        assert!(id.split("::").count() <= 2, "{id} is deeper than depth 1");
    }
    let edges = edge_list(&shallow);
    assert!(
        edges
            .iter()
            .any(|e| e.starts_with("shop::billing -> shop::accounts ")
                && e.contains("domains-talk-through-api")),
        "{edges:#?}"
    );
    // Every reference is still counted, except those now inside one node.
    let total = |g: &Value| {
        g["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["count"].as_u64().unwrap())
            .sum::<u64>()
    };
    assert!(total(&shallow) <= total(&full));
    let crates = json("demo", &["--level", "crates"]);
    assert_eq!(
        ids(&crates),
        [
            "axum",
            "serde",
            "shop",
            "shop_db",
            "shop_web",
            "sqlx",
            "thiserror",
            "tokio"
        ]
    );
    assert!(crates["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["id"] == "shop" && n["kind"] == "crate"));
}

#[test]
fn focus_keeps_the_subgraph_and_its_direct_neighbours() {
    let graph = json("demo", &["--focus", "shop::catalog::domain"]);
    let nodes = ids(&graph);
    assert!(nodes.contains(&"shop::catalog::domain".to_string()));
    assert!(
        nodes.contains(&"shop::catalog::api".to_string()),
        "a dependent is a neighbour"
    );
    assert!(
        nodes.contains(&"sqlx".to_string()),
        "a dependency is a neighbour"
    );
    assert!(!nodes.contains(&"shop::accounts::domain".to_string()));
    for edge in graph["edges"].as_array().unwrap() {
        assert!(edge["from"] == "shop::catalog::domain" || edge["to"] == "shop::catalog::domain");
    }
}

#[test]
fn an_unknown_focus_is_an_error_with_a_suggestion() {
    let manifest = manifest("demo");
    let run = run(&[
        "graph",
        "--manifest-path",
        &manifest,
        "--focus",
        "shop::catalg",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `shop::catalog`"),
        "{}",
        run.stderr
    );
}

#[test]
fn dot_has_one_cluster_per_crate_and_red_violations() {
    let dot = graph("demo", &["--format", "dot"]);
    assert!(dot.starts_with("digraph boundaries {"));
    for name in ["shop", "shop_db", "shop_web"] {
        assert!(
            dot.contains(&format!("subgraph \"cluster_{name}\" {{")),
            "{name}"
        );
    }
    let line = dot
        .lines()
        .find(|l| l.contains("\"shop::catalog::domain\" -> \"sqlx\""))
        .unwrap();
    assert!(
        line.contains("color=\"#d32f2f\"") && line.contains("label=\"domain-logic-is-pure (1)\""),
        "{line}"
    );
    let crates = graph("demo", &["--format", "dot", "--level", "crates"]);
    assert!(!crates.contains("cluster_"));
}

#[test]
fn output_is_the_same_on_every_run() {
    for format in ["dot", "mermaid", "svg", "json"] {
        assert_eq!(
            graph("demo", &["--format", format]),
            graph("demo", &["--format", format]),
            "{format}"
        );
    }
}

#[test]
fn output_file_is_written() {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("graph-output.mmd");
    let _ = std::fs::remove_file(&out);
    let stdout = graph(
        "demo",
        &["--format", "mermaid", "-o", out.to_str().unwrap()],
    );
    assert!(stdout.is_empty());
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("flowchart LR\n"));
}

/// A text element of an SVG with its box, estimated as the layout does: a
/// monospace advance of 0.6 em.
#[derive(Debug)]
struct TextBox {
    text: String,
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_string())
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn text_boxes(svg: &str) -> Vec<TextBox> {
    let mut boxes = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text ") {
        let tag_end = rest[start..].find('>').unwrap() + start;
        let close = rest[tag_end..].find("</text>").unwrap() + tag_end;
        let tag = &rest[start..tag_end];
        let text = unescape(&rest[tag_end + 1..close]);
        let number = |name: &str| attribute(tag, name).unwrap().parse::<f64>().unwrap();
        let size = number("font-size");
        let width = text.chars().count() as f64 * size * 0.6;
        let x = match attribute(tag, "text-anchor").as_deref() {
            Some("middle") => number("x") - width / 2.0,
            _ => number("x"),
        };
        boxes.push(TextBox {
            text,
            x,
            y: number("y") - size * 0.8,
            width,
            height: size,
        });
        rest = &rest[close..];
    }
    boxes
}

fn assert_legible(svg: &str) -> usize {
    let boxes = text_boxes(svg);
    assert!(!boxes.is_empty());
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let overlap = a.x < b.x + b.width
                && b.x < a.x + a.width
                && a.y < b.y + b.height
                && b.y < a.y + a.height;
            assert!(!overlap, "labels overlap: {a:?} and {b:?}");
        }
    }
    let size = |name: &str| {
        attribute(&svg[..svg.find('>').unwrap()], name)
            .unwrap()
            .parse::<f64>()
            .unwrap()
    };
    for b in &boxes {
        assert!(
            b.x >= 0.0
                && b.y >= 0.0
                && b.x + b.width <= size("width")
                && b.y + b.height <= size("height"),
            "{b:?} is outside the picture"
        );
    }
    boxes.len()
}

#[test]
fn svg_labels_never_overlap_at_any_level() {
    for extra in [
        &[][..],
        &["--depth", "1"],
        &["--level", "crates"],
        &["--focus", "shop::billing"],
    ] {
        let mut args = vec!["--format", "svg"];
        args.extend_from_slice(extra);
        let svg = graph("demo", &args);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert_legible(&svg);
    }
    let svg = graph("demo", &["--format", "svg"]);
    let labels: Vec<String> = text_boxes(&svg).into_iter().map(|b| b.text).collect();
    assert!(
        labels.contains(&"domain-logic-is-pure (1)".to_string()),
        "{labels:?}"
    );
    assert!(labels.contains(&"catalog::domain".to_string()));
}

/// The boxes of an SVG's nodes, by id: `(id, x, y, width, height)`.
fn node_boxes(svg: &str) -> Vec<(String, [f64; 4])> {
    svg.split("<g class=\"node\"><title>")
        .skip(1)
        .map(|rest| {
            let title = &rest[..rest.find("</title>").unwrap()];
            let id = unescape(title.split(" (").next().unwrap());
            let tag = &rest[rest.find("<rect ").unwrap()..];
            let tag = &tag[..tag.find("/>").unwrap()];
            let number = |name: &str| attribute(tag, name).unwrap().parse::<f64>().unwrap();
            (
                id,
                [number("x"), number("y"), number("width"), number("height")],
            )
        })
        .collect()
}

/// Points about a pixel apart along SVG path data made of `M`, `L` and `C`
/// commands with absolute `x,y` pairs.
fn path_points(d: &str) -> Vec<(f64, f64)> {
    let mut points = Vec::new();
    let mut at = (0.0, 0.0);
    let mut command = ' ';
    let mut pending: Vec<(f64, f64)> = Vec::new();
    for token in d.split_whitespace() {
        let pair = match token.chars().next().unwrap() {
            c @ ('M' | 'L' | 'C') => {
                command = c;
                &token[1..]
            }
            _ => token,
        };
        let (x, y) = pair.split_once(',').expect("x,y");
        pending.push((x.parse().unwrap(), y.parse().unwrap()));
        let controls: Vec<(f64, f64)> = match (command, pending.len()) {
            ('M', 1) => {
                at = pending[0];
                points.push(at);
                pending.clear();
                continue;
            }
            ('L', 1) => vec![at, pending[0]],
            ('C', 3) => vec![at, pending[0], pending[1], pending[2]],
            ('C', _) => continue,
            _ => panic!("unexpected path data {d:?}"),
        };
        let end = *controls.last().unwrap();
        let reach = controls
            .windows(2)
            .map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1))
            .sum::<f64>();
        let steps = reach.ceil().max(1.0) as usize;
        for i in 1..=steps {
            let t = i as f64 / steps as f64;
            // De Casteljau, for a line or a cubic alike.
            let mut p = controls.clone();
            while p.len() > 1 {
                p = p
                    .windows(2)
                    .map(|w| {
                        (
                            w[0].0 + (w[1].0 - w[0].0) * t,
                            w[0].1 + (w[1].1 - w[0].1) * t,
                        )
                    })
                    .collect();
            }
            points.push(p[0]);
        }
        at = end;
        pending.clear();
    }
    points
}

/// Every edge whose path passes through the box of a node that is not one
/// of its ends (boxes shrunk by 1.5 px): such an edge reads as two.
fn edges_through_boxes(svg: &str) -> Vec<String> {
    let boxes = node_boxes(svg);
    let mut edges = 0;
    let mut through = Vec::new();
    for rest in svg.split("<path class=\"edge\" d=\"").skip(1) {
        let d = &rest[..rest.find('"').unwrap()];
        let title = &rest[rest.find("<title>").unwrap() + 7..rest.find("</title>").unwrap()];
        let title = unescape(title);
        let (ends, _) = title.split_once(": ").unwrap();
        let (from, to) = ends.split_once(" → ").unwrap();
        let points = path_points(d);
        assert!(points.len() > 1, "{title}: {d}");
        edges += 1;
        for (id, [x, y, w, h]) in &boxes {
            if id == from || id == to {
                continue;
            }
            let inside = |&(px, py): &(f64, f64)| {
                px > x + 1.5 && px < x + w - 1.5 && py > y + 1.5 && py < y + h - 1.5
            };
            if let Some(p) = points.iter().find(|p| inside(p)) {
                through.push(format!(
                    "{from} → {to} passes through {id} at ({:.0}, {:.0})",
                    p.0, p.1
                ));
            }
        }
    }
    assert!(edges > 0, "no edges in {svg}");
    through
}

fn assert_edges_avoid_boxes(svg: &str, what: &str) {
    let through = edges_through_boxes(svg);
    assert!(
        through.is_empty(),
        "{what}: edges pass through boxes:\n{}",
        through.join("\n")
    );
}

#[test]
fn edges_go_around_the_boxes_they_do_not_join() {
    for extra in [
        &[][..],
        &["--depth", "1"],
        &["--level", "crates"],
        &["--focus", "shop::billing"],
        &["--exclude-external"],
    ] {
        let mut args = vec!["--format", "svg"];
        args.extend_from_slice(extra);
        assert_edges_avoid_boxes(&graph("demo", &args), &format!("demo {extra:?}"));
    }
}

#[test]
fn the_box_check_sees_an_edge_drawn_through_a_box() {
    let svg = "<g class=\"node\"><title>b</title><rect x=\"40\" y=\"0\" width=\"20\" height=\"20\"/></g>\n\
               <path class=\"edge\" d=\"M0,10 C20,10 80,10 100,10\"><title>a → c: 1 reference</title></path>";
    assert_eq!(
        edges_through_boxes(svg),
        ["a → c passes through b at (42, 10)"]
    );
    let around = svg.replace(
        "M0,10 C20,10 80,10 100,10",
        "M0,10 L30,10 C40,10 40,30 50,30 L100,10",
    );
    assert_eq!(edges_through_boxes(&around), Vec::<String>::new());
}

/// Rasterises an SVG with resvg and the machine's fonts, as a reader's
/// viewer would, and writes the PNG (and the SVG) beside the test's
/// temporary files.
fn render_png(svg: &str, name: &str) -> (PathBuf, resvg::tiny_skia::Pixmap) {
    let mut options = resvg::usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    let tree = resvg::usvg::Tree::from_str(svg, &options).expect("the SVG parses");
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    pixmap.save_png(&path).unwrap();
    std::fs::write(path.with_extension("svg"), svg).unwrap();
    (path, pixmap)
}

#[test]
fn svg_rasterises_with_red_violations_and_visible_text() {
    let svg = graph("demo", &["--format", "svg"]);
    let (path, pixmap) = render_png(&svg, "demo.png");
    let pixels = pixmap.pixels();
    let red = pixels
        .iter()
        .filter(|p| p.red() > 180 && p.green() < 80 && p.blue() < 80)
        .count();
    let dark = pixels
        .iter()
        .filter(|p| p.red() < 60 && p.green() < 60 && p.blue() < 60)
        .count();
    assert!(
        red > 200,
        "too few red pixels ({red}) in {}",
        path.display()
    );
    let has_fonts = resvg::usvg::fontdb::Database::new().is_empty() || {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_system_fonts();
        !db.is_empty()
    };
    if has_fonts {
        assert!(
            dark > 500,
            "no text drawn ({dark} dark pixels) in {}",
            path.display()
        );
    }
    render_png(
        &graph("demo", &["--format", "svg", "--level", "crates"]),
        "demo-crates.png",
    );
    render_png(
        &graph("demo", &["--format", "svg", "--depth", "1"]),
        "demo-depth-1.png",
    );
}

/// Whether to rewrite generated files instead of failing when stale.
fn bless() -> bool {
    std::env::var_os("BOUNDARIES_BLESS").is_some()
}

fn check_generated(path: &Path, expected: &str) {
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    if actual == expected {
        return;
    }
    if bless() {
        std::fs::write(path, expected).unwrap();
    } else {
        panic!(
            "{} is stale: run `BOUNDARIES_BLESS=1 cargo test --test it graph` to regenerate it",
            path.display()
        );
    }
}

/// The README's diagram region, as `graph` draws the demo today.
fn readme_region() -> String {
    let mermaid = graph("demo", &["--format", "mermaid", "--depth", "1"]);
    format!(
        "<!-- graph:begin -->\n\
         ## Diagrams\n\n\
         `cargo boundaries graph` draws the module graph as DOT, Mermaid, SVG or\n\
         JSON: one cluster per crate, arrows as thick as their reference count,\n\
         violations in red with the rules they break. The bundled demo, drawn by\n\
         `cargo boundaries graph --manifest-path fixtures/demo/Cargo.toml --format mermaid --depth 1`:\n\n\
         ```mermaid\n{mermaid}```\n\n\
         Every module, as SVG laid out without Graphviz\n\
         (`--format svg -o docs/demo.svg`):\n\n\
         ![the demo's module graph](docs/demo.svg)\n\n\
         `cargo boundaries explain FROM TO` says why an arrow exists: every\n\
         reference with its file and line, or the shortest chain of modules. See\n\
         [docs/diagrams.md](docs/diagrams.md).\n\
         <!-- graph:end -->"
    )
}

#[test]
fn readme_diagram_and_demo_svg_are_fresh() {
    let readme_path = project_root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let start = readme
        .find("<!-- graph:begin -->")
        .expect("README has the graph region");
    let end = readme
        .find("<!-- graph:end -->")
        .expect("README has the graph region")
        + "<!-- graph:end -->".len();
    let expected = format!("{}{}{}", &readme[..start], readme_region(), &readme[end..]);
    check_generated(&readme_path, &expected);
    let svg = graph("demo", &["--format", "svg"]);
    check_generated(&project_root().join("docs/demo.svg"), &svg);
}

/// Writes a workspace of `domains` domain crates, each with a service and an
/// API crate over shared kernel crates, plus gateways and binaries: 3 ×
/// domains + 7 crates, every module using a few others, with one violation.
pub fn generate_workspace(root: &Path, domains: usize) -> usize {
    let _ = std::fs::remove_dir_all(root);
    let mut members = Vec::new();
    let mut write_crate = |name: &str, deps: &[String], files: &[(&str, String)]| {
        let dir = root.join("crates").join(name);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        let mut manifest = format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n");
        for dep in deps {
            if dep == "serde" {
                manifest.push_str("serde = \"1\"\n");
            } else {
                manifest.push_str(&format!("{dep} = {{ path = \"../{dep}\" }}\n"));
            }
        }
        std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
        for (file, text) in files {
            let path = dir.join("src").join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        members.push(format!("crates/{name}"));
    };
    let kernels = ["kernel_ids", "kernel_money", "kernel_time", "kernel_errors"];
    for kernel in kernels {
        write_crate(
            kernel,
            &["serde".into()],
            &[
                ("lib.rs", "pub mod types;\npub use types::Value;\n".into()),
                (
                    "types.rs",
                    "#[derive(serde::Serialize)]\npub struct Value;\n".into(),
                ),
            ],
        );
    }
    let names: Vec<String> = (0..domains).map(|i| format!("domain{i:02}")).collect();
    for (i, name) in names.iter().enumerate() {
        let mut deps: Vec<String> = vec![
            "serde".into(),
            kernels[i % 4].into(),
            kernels[(i + 1) % 4].into(),
        ];
        let lower = if i > 0 { Some(&names[i - 1]) } else { None };
        if let Some(lower) = lower {
            deps.push(lower.clone());
        }
        let upstream = lower
            .map(|l| format!("pub fn upstream() {{ {l}::api::call(); }}\n"))
            .unwrap_or_default();
        // The one violation: domain03 reaches into domain02's storage.
        let breach = if i == 3 {
            format!("pub fn breach() {{ {}::storage::load(); }}\n", names[2])
        } else {
            String::new()
        };
        write_crate(
            name,
            &deps,
            &[
                ("lib.rs", "pub mod api;\npub mod model;\npub mod storage;\npub mod events;\n".into()),
                ("api.rs", format!("use crate::model::Entity;\npub fn call() {{ let _ = Entity::default(); crate::storage::load(); crate::events::emit(); }}\n{upstream}{breach}")),
                ("model/mod.rs", "pub mod entity;\npub mod value;\npub use entity::Entity;\n".into()),
                ("model/entity.rs", format!("#[derive(Default, serde::Serialize)]\npub struct Entity {{ pub id: {}::Value, pub amount: super::value::Amount }}\n", kernels[i % 4])),
                ("model/value.rs", "#[derive(Default, serde::Serialize)]\npub struct Amount;\n".into()),
                ("storage.rs", format!("pub fn load() {{ let _ = crate::model::Entity::default(); let _ = {}::Value; }}\n", kernels[(i + 1) % 4])),
                ("events.rs", "pub fn emit() { let _ = crate::model::Entity::default(); }\n".into()),
            ],
        );
        write_crate(
            &format!("{name}_service"),
            &[name.clone(), kernels[3].into()],
            &[
                ("lib.rs", "pub mod handlers;\n".to_string()),
                (
                    "handlers.rs",
                    format!(
                        "pub fn handle() {{ {name}::api::call(); let _ = {}::Value; }}\n",
                        kernels[3]
                    ),
                ),
            ],
        );
        write_crate(
            &format!("{name}_client"),
            &[format!("{name}_service")],
            &[(
                "lib.rs",
                format!("pub fn client() {{ {name}_service::handlers::handle(); }}\n"),
            )],
        );
    }
    for g in 0..2 {
        let mine: Vec<String> = names
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == g)
            .map(|(_, n)| format!("{n}_client"))
            .collect();
        let body: String = mine
            .iter()
            .map(|c| format!("    {c}::client();\n"))
            .collect();
        write_crate(
            &format!("gateway{g}"),
            &mine,
            &[("lib.rs", format!("pub fn route() {{\n{body}}}\n"))],
        );
    }
    write_crate(
        "server",
        &["gateway0".into(), "gateway1".into()],
        &[(
            "main.rs",
            "fn main() { gateway0::route(); gateway1::route(); }\n".into(),
        )],
    );
    let list: String = members.iter().map(|m| format!("    \"{m}\",\n")).collect();
    std::fs::write(
        root.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [\n{list}]\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("boundaries.toml"),
        format!(
            "version = 1\n\n[[rule]]\nkind = \"forbid\"\nname = \"no-foreign-storage\"\nfrom = \"{}\"\nto = \"{}::storage\"\nreason = \"domains meet through their api\"\n",
            names[3], names[2]
        ),
    )
    .unwrap();
    members.len()
}

#[test]
fn a_forty_crate_workspace_stays_readable_collapsed() {
    // Outside any target directory: `cargo metadata` may report the caller's
    // CARGO_TARGET_DIR, whose files the tool skips.
    let root =
        std::env::temp_dir().join(format!("cargo-boundaries-generated-{}", std::process::id()));
    let crates = generate_workspace(&root, 12);
    assert!(crates >= 40, "{crates} crates");
    let manifest = root.join("Cargo.toml").display().to_string();
    let mut report = Vec::new();
    for (name, extra) in [
        ("crates", &["--level", "crates"][..]),
        ("depth-1", &["--depth", "1"]),
        ("modules", &[]),
    ] {
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(extra);
        let graph: Value = serde_json::from_str(&graph_at(&manifest, &args)).unwrap();
        let (nodes, edges) = (
            graph["nodes"].as_array().unwrap().len(),
            graph["edges"].as_array().unwrap().len(),
        );
        let mut args = vec!["--format", "svg"];
        args.extend_from_slice(extra);
        let started = Instant::now();
        let svg = graph_at(&manifest, &args);
        let elapsed = started.elapsed();
        let texts = assert_legible(&svg);
        assert_edges_avoid_boxes(&svg, name);
        let violations: BTreeSet<String> = graph["edges"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| {
                e["violations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
            })
            .collect();
        assert!(
            violations.contains("no-foreign-storage"),
            "{name}: the violation shows"
        );
        let (path, pixmap) = render_png(&svg, &format!("generated-{name}.png"));
        report.push(format!(
            "{name}: {nodes} nodes, {edges} edges, {texts} labels, svg {} bytes {}x{} px, {} ms (whole run) -> {}",
            svg.len(),
            pixmap.width(),
            pixmap.height(),
            elapsed.as_millis(),
            path.display()
        ));
        if name == "crates" {
            assert!(nodes <= crates + 2, "one node per crate");
        }
    }
    eprintln!("{}", report.join("\n"));
    let _ = std::fs::remove_dir_all(&root);
}

/// Every Mermaid diagram we write parses with Mermaid itself, at the version
/// GitHub renders (tests/mermaid/package.json pins it): keywords such as
/// `end` and `graph` as module and rule names, `::` in labels, red edges.
/// Needs `npm ci --prefix tests/mermaid`, which `.ci/run` does; without it
/// the test says so and passes, unless BOUNDARIES_REQUIRE_MERMAID is set (CI
/// sets it).
#[test]
fn mermaid_output_parses_with_mermaid() {
    let Some(checker) = mermaid_checker() else {
        return;
    };
    let out = project_root().join("target/tmp/mermaid");
    std::fs::create_dir_all(&out).unwrap();
    let cases: [(&str, &[&str]); 6] = [
        ("demo", &[]),
        ("demo", &["--depth", "1"]),
        ("demo", &["--level", "crates"]),
        ("demo", &["--focus", "shop::billing"]),
        ("mermaid-names", &[]),
        ("kind-acyclic-fail", &[]),
    ];
    let mut files = Vec::new();
    for (index, (fixture, extra)) in cases.iter().enumerate() {
        let mut args = vec!["--format", "mermaid"];
        args.extend_from_slice(extra);
        let path = out.join(format!("{index}-{fixture}.mmd"));
        std::fs::write(&path, graph(fixture, &args)).unwrap();
        files.push(path);
    }
    let output = std::process::Command::new("node")
        .arg(checker.join("parse.mjs"))
        .args(&files)
        .output()
        .expect("node runs");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "Mermaid rejected a diagram:\n{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        printed.lines().filter(|l| l.starts_with("ok ")).count(),
        files.len(),
        "{printed}"
    );
}

/// Modules `caf_`, `caf__2` and `café` once got clashing Mermaid ids
/// (`café` folded to `caf_`, numbered into `caf__2`): a wrong edge and a
/// self-loop. Ids are unique by construction, and each edge joins the nodes
/// the JSON graph says it joins.
#[test]
fn mermaid_ids_are_unique_where_names_fold_together() {
    let text = graph("mermaid-names", &["--format", "mermaid"]);
    let mut ids = std::collections::BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some((id, rest)) = line.split_once("[\"") {
            if !line.starts_with("subgraph") && !id.contains(' ') {
                let label = rest.trim_end_matches("\"]");
                assert!(
                    ids.insert(id.to_string(), label.to_string()).is_none(),
                    "{id} declared twice:\n{text}"
                );
            }
        }
    }
    let id_of = |label: &str| {
        ids.iter()
            .find(|(_, l)| *l == label)
            .map(|(id, _)| id.clone())
            .unwrap_or_else(|| panic!("no node `{label}`:\n{text}"))
    };
    let (caf, caf2, cafe) = (id_of("caf_"), id_of("caf__2"), id_of("café"));
    assert_eq!(BTreeSet::from([&caf, &caf2, &cafe]).len(), 3, "{text}");
    let edges: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| {
            let (from, rest) = l.trim().split_once(" -->|")?;
            let to = rest.rsplit_once("| ")?.1;
            Some((from.to_string(), to.to_string()))
        })
        .collect();
    assert!(
        edges.iter().all(|(from, to)| from != to),
        "a self-loop:\n{text}"
    );
    assert!(edges.contains(&(cafe.clone(), caf2.clone())), "{text}");
    assert!(edges.contains(&(caf2, caf)), "{text}");
    let json = json("mermaid-names", &[]);
    assert_eq!(
        edges.len(),
        json["edges"].as_array().unwrap().len(),
        "one Mermaid edge per graph edge"
    );
}

/// The demo without its policy, in a temporary directory.
pub fn demo_without_policy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_tree(&crate::support::fixture("demo"), dir.path());
    std::fs::remove_file(dir.path().join("boundaries.toml")).unwrap();
    dir
}

/// `graph` needs no policy: it draws the workspace with no violation
/// marked (SPEC 4: only `check` and `baseline` need one).
#[test]
fn graph_works_without_a_policy() {
    let dir = demo_without_policy();
    let manifest = dir.path().join("Cargo.toml").display().to_string();
    let check = run(&["check", "--manifest-path", &manifest]);
    assert_eq!(check.code, 2, "check still needs one");
    let graph: Value = serde_json::from_str(&graph_at(&manifest, &["--format", "json"])).unwrap();
    let with_policy = json("demo", &[]);
    assert_eq!(graph["nodes"], with_policy["nodes"]);
    let edges = graph["edges"].as_array().unwrap();
    assert_eq!(edges.len(), with_policy["edges"].as_array().unwrap().len());
    assert!(edges
        .iter()
        .all(|e| e["violations"].as_array().unwrap().is_empty()));
    assert!(!graph_at(&manifest, &["--format", "dot"]).contains("#d32f2f\""));
}

/// `-o FILE` takes the format from the extension when `--format` is not
/// given; an extension that names no format is an error rather than DOT in
/// a `.png`; no extension is DOT, the default.
#[test]
fn output_format_follows_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = manifest("demo");
    let write = |name: &str, extra: &[&str]| {
        let path = dir.path().join(name);
        let out = path.display().to_string();
        let mut args = vec!["graph", "--manifest-path", &manifest, "-o", &out];
        args.extend_from_slice(extra);
        let run = run(&args);
        (run, std::fs::read_to_string(&path).ok())
    };
    let (run, svg) = write("graph.svg", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(svg.unwrap().contains("<svg"), "SVG from .svg");
    let (_, mermaid) = write("graph.MMD", &[]);
    assert!(mermaid.unwrap().starts_with("flowchart LR\n"));
    let (_, json) = write("graph.json", &[]);
    assert!(serde_json::from_str::<Value>(&json.unwrap()).is_ok());
    let (_, dot) = write("graph", &[]);
    assert!(dot.unwrap().starts_with("digraph boundaries {"));
    let (_, dot) = write("graph.gv", &[]);
    assert!(dot.unwrap().starts_with("digraph boundaries {"));
    // --format wins over the extension.
    let (_, forced) = write("forced.svg", &["--format", "dot"]);
    assert!(forced.unwrap().starts_with("digraph boundaries {"));

    let (run, png) = write("graph.png", &[]);
    assert_eq!(run.code, 2);
    assert!(png.is_none(), "nothing is written");
    assert!(
        run.stderr
            .contains("cannot tell the diagram format from the extension `.png`"),
        "{}",
        run.stderr
    );
}

/// `--depth` collapses modules: with `--level crates` it would do nothing,
/// so it is an error rather than silently ignored.
#[test]
fn depth_with_crate_level_is_an_error() {
    let run = run(&[
        "graph",
        "--manifest-path",
        &manifest("demo"),
        "--level",
        "crates",
        "--depth",
        "1",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("applies to `--level modules` only"),
        "{}",
        run.stderr
    );
}
