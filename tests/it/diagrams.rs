//! Diagrams of whole workspaces (issue 13): `--reduce`, `--collapse`, and
//! the layout's quality measured on the SVG the binary writes (crossings,
//! labels on boxes or on each other, labels away from their edge) for
//! generated workspaces of 50 to 150 crates. The numbers may only get
//! better: `tests/it/diagrams_quality.txt` holds the last accepted ones
//! (`BOUNDARIES_BLESS=1` rewrites it when they improve).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{graph_at, manifest, project_root, run};

fn json_at(manifest: &str, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&graph_at(manifest, &all)).unwrap()
}

fn edge_names(graph: &Value) -> Vec<String> {
    edge_names_where(graph, |_| true)
}

/// The `from -> to` of the edges `keep` keeps.
fn edge_names_where(graph: &Value, keep: impl Fn(&Value) -> bool) -> Vec<String> {
    graph["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| keep(e))
        .map(|e| {
            format!(
                "{} -> {}",
                e["from"].as_str().unwrap(),
                e["to"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn crate_level_hides_shortcuts_by_default_but_never_a_violation() {
    let demo = manifest("demo");
    let reduced = json_at(&demo, &["--level", "crates"]);
    let full = json_at(&demo, &["--level", "crates", "--no-reduce"]);
    let (kept, all) = (edge_names(&reduced), edge_names(&full));
    // shop_web → shop → shop_db makes shop_web → shop_db a shortcut.
    assert!(all.contains(&"shop_web -> shop_db".to_string()), "{all:?}");
    assert!(
        !kept.contains(&"shop_web -> shop_db".to_string()),
        "{kept:?}"
    );
    let hidden = all.len() - kept.len();
    assert!(hidden > 0);
    assert_eq!(reduced["hidden_edges"], hidden, "{reduced}");
    assert!(full.get("hidden_edges").is_none(), "{full}");
    // shop → sqlx is implied by shop → shop_db → sqlx, but it breaks a
    // rule: it stays.
    let red = |g: &Value| edge_names_where(g, |e| !e["violations"].as_array().unwrap().is_empty());
    assert!(red(&full).contains(&"shop -> sqlx".to_string()), "{full}");
    assert_eq!(red(&reduced), red(&full));
    // Every hidden edge's target is still reached from its source.
    for edge in all.iter().filter(|e| !kept.contains(e)) {
        let (from, to) = edge.split_once(" -> ").unwrap();
        assert!(reaches(&kept, from, to), "{edge} lost");
    }
    // The legend says so, in each format.
    let note = format!("{hidden} edges implied by longer paths hidden (--reduce)");
    for format in ["dot", "mermaid", "svg"] {
        let text = graph_at(&demo, &["--format", format, "--level", "crates"]);
        assert!(text.contains(&note), "{format}: {text}");
        let text = graph_at(
            &demo,
            &["--format", format, "--level", "crates", "--no-reduce"],
        );
        assert!(!text.contains("hidden (--reduce)"), "{format}");
    }
    // Modules are drawn whole unless asked, and `--reduce` asks.
    let modules = json_at(&demo, &[]);
    assert!(modules.get("hidden_edges").is_none());
    let reduced_modules = json_at(&demo, &["--reduce"]);
    assert!(
        edge_names(&reduced_modules).len() <= edge_names(&modules).len(),
        "{reduced_modules}"
    );
}

fn reaches(edges: &[String], from: &str, to: &str) -> bool {
    let mut seen = vec![from.to_string()];
    let mut queue = vec![from.to_string()];
    while let Some(node) = queue.pop() {
        for edge in edges {
            let (a, b) = edge.split_once(" -> ").unwrap();
            if a == node && !seen.iter().any(|s| s == b) {
                if b == to {
                    return true;
                }
                seen.push(b.to_string());
                queue.push(b.to_string());
            }
        }
    }
    false
}

#[test]
fn collapse_draws_each_match_as_one_node_with_the_counts_summed() {
    let demo = manifest("demo");
    let full = json_at(&demo, &[]);
    let collapsed = json_at(&demo, &["--collapse", "shop::catalog::**"]);
    let ids = |g: &Value| -> Vec<String> {
        g["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_string())
            .collect()
    };
    let inside: Vec<String> = ids(&full)
        .into_iter()
        .filter(|id| id.starts_with("shop::catalog::"))
        .collect();
    assert!(inside.len() > 1, "{inside:?}");
    assert!(ids(&collapsed).contains(&"shop::catalog".to_string()));
    assert!(!ids(&collapsed)
        .iter()
        .any(|id| id.starts_with("shop::catalog::")));
    // What the catalog's modules used from outside it, summed on one node.
    let out_of = |g: &Value, prefix: &str| -> u64 {
        g["edges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| {
                let from = e["from"].as_str().unwrap();
                let to = e["to"].as_str().unwrap();
                (from == prefix || from.starts_with(&format!("{prefix}::")))
                    && !(to == prefix || to.starts_with(&format!("{prefix}::")))
            })
            .map(|e| e["count"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(
        out_of(&collapsed, "shop::catalog"),
        out_of(&full, "shop::catalog")
    );
    // Violations survive the collapse.
    assert!(collapsed["edges"].as_array().unwrap().iter().any(|e| {
        e["from"] == "shop::catalog" && !e["violations"].as_array().unwrap().is_empty()
    }));
    // `*` makes each child its own node.
    let children = json_at(&demo, &["--collapse", "shop::*"]);
    assert!(ids(&children).contains(&"shop::catalog".to_string()));
    assert!(ids(&children).contains(&"shop::billing".to_string()));
    // A pattern that names nothing is an error with a suggestion.
    let run = run(&[
        "graph",
        "--manifest-path",
        &demo,
        "--collapse",
        "shop::catalgo::**",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("collapse pattern"), "{}", run.stderr);
}

/// A workspace of `count` crates in tiers: each crate uses two to five
/// crates of lower tiers (a fixed pseudo-random choice), through code and
/// its manifest; a forbid rule makes some of those uses violations.
pub fn generate(root: &Path, count: usize, seed: u64) -> String {
    let _ = std::fs::remove_dir_all(root);
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move |bound: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % bound.max(1)
    };
    let tiers = 8;
    let name = |i: usize| {
        format!(
            "c{:03}_{}",
            i,
            ["core", "data", "io", "ui", "net", "app"][i % 6]
        )
    };
    let tier = |i: usize| i * tiers / count;
    let mut members = Vec::new();
    for i in 0..count {
        let lower: Vec<usize> = (0..i).filter(|&j| tier(j) < tier(i)).collect();
        let mut deps: Vec<usize> = Vec::new();
        if !lower.is_empty() {
            let wanted = 2 + next(4);
            for _ in 0..wanted {
                // Mostly the tier just below, sometimes far below.
                let near: Vec<usize> = lower
                    .iter()
                    .copied()
                    .filter(|&j| tier(j) + 1 == tier(i))
                    .collect();
                let pool = if next(3) > 0 && !near.is_empty() {
                    &near
                } else {
                    &lower
                };
                let pick = pool[next(pool.len())];
                if !deps.contains(&pick) {
                    deps.push(pick);
                }
            }
        }
        deps.sort_unstable();
        let dir = root.join("crates").join(name(i));
        std::fs::create_dir_all(dir.join("src")).unwrap();
        let mut manifest = format!(
            "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n",
            name(i)
        );
        let mut lib = String::from("pub mod api;\n");
        for &d in &deps {
            let _ = writeln!(manifest, "{} = {{ path = \"../{}\" }}", name(d), name(d));
            let _ = writeln!(
                lib,
                "pub fn use_{}() {{ {}::api::call(); }}",
                name(d),
                name(d)
            );
        }
        if i % 9 == 0 {
            manifest.push_str("serde = \"1\"\n");
            lib.push_str("#[derive(serde::Serialize)]\npub struct Shape;\n");
        }
        std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
        std::fs::write(dir.join("src/lib.rs"), lib).unwrap();
        std::fs::write(dir.join("src/api.rs"), "pub fn call() {}\n").unwrap();
        members.push(format!("\"crates/{}\"", name(i)));
    }
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    // `app` crates must not use `io` crates directly.
    let list = |suffix: &str| -> String {
        (0..count)
            .filter(|i| name(*i).ends_with(suffix))
            .map(|i| format!("\"{}\"", name(i)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    std::fs::write(
        root.join("boundaries.toml"),
        format!(
            "version = 1\n\n[[rule]]\nkind = \"forbid\"\nname = \"apps-not-io\"\nfrom = [{}]\nto = [{}]\n",
            list("_app"),
            list("_io")
        ),
    )
    .unwrap();
    root.join("Cargo.toml").display().to_string()
}

/// What the layout quality test measures in one SVG.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Quality {
    pub crossings: usize,
    /// Labels overlapping a node, a cluster title or another label.
    pub overlaps: usize,
    /// Labels with no point of their edge inside (or on) their box.
    pub detached: usize,
    pub labels: usize,
    pub width: f64,
    pub height: f64,
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_string())
}

fn rect_of(tag: &str) -> [f64; 4] {
    let n = |name: &str| attribute(tag, name).unwrap().parse::<f64>().unwrap();
    [n("x"), n("y"), n("width"), n("height")]
}

/// A path's `d` as a polyline: `M`, `L` and cubic `C` pieces, each curve
/// cut into 16 straight steps.
pub fn polyline(d: &str) -> Vec<(f64, f64)> {
    let mut points: Vec<(f64, f64)> = Vec::new();
    let mut tokens = d.split_whitespace().peekable();
    let pair = |t: &str| {
        let (x, y) = t.split_once(',').unwrap();
        (x.parse::<f64>().unwrap(), y.parse::<f64>().unwrap())
    };
    while let Some(token) = tokens.next() {
        let (command, first) = token.split_at(1);
        match command {
            "M" | "L" => points.push(pair(first)),
            "C" => {
                let a = *points.last().unwrap();
                let b = pair(first);
                let c = pair(tokens.next().unwrap());
                let e = pair(tokens.next().unwrap());
                for step in 1..=16 {
                    let t = step as f64 / 16.0;
                    let u = 1.0 - t;
                    let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
                    points.push((
                        w[0] * a.0 + w[1] * b.0 + w[2] * c.0 + w[3] * e.0,
                        w[0] * a.1 + w[1] * b.1 + w[2] * c.1 + w[3] * e.1,
                    ));
                }
            }
            other => panic!("unexpected path command {other} in {d}"),
        }
    }
    points
}

/// Whether segments ab and cd cross properly (not merely touch or run
/// along each other).
fn cross(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> bool {
    let orient = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| {
        let v = (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0);
        if v > 1e-6 {
            1
        } else if v < -1e-6 {
            -1
        } else {
            0
        }
    };
    let (o1, o2, o3, o4) = (
        orient(a, b, c),
        orient(a, b, d),
        orient(c, d, a),
        orient(c, d, b),
    );
    o1 * o2 < 0 && o3 * o4 < 0
}

/// The polyline's points, with more in between so none are over 2 px apart.
fn dense(line: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut points = vec![line[0]];
    for pair in line.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let steps = ((b.0 - a.0).hypot(b.1 - a.1) / 2.0).ceil().max(1.0) as usize;
        for i in 1..=steps {
            let t = i as f64 / steps as f64;
            points.push((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t));
        }
    }
    points
}

fn overlaps(a: [f64; 4], b: [f64; 4]) -> bool {
    a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]
}

pub fn measure(svg: &str) -> Quality {
    let head = &svg[..svg.find('>').unwrap()];
    let mut quality = Quality {
        width: attribute(head, "width").unwrap().parse().unwrap(),
        height: attribute(head, "height").unwrap().parse().unwrap(),
        ..Quality::default()
    };
    let mut edges: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    for (index, rest) in svg.split("<path class=\"edge\" d=\"").skip(1).enumerate() {
        let tag = &rest[..rest.find('>').unwrap()];
        let d = &rest[..rest.find('"').unwrap()];
        // SVGs from before labels named their edge are numbered in order.
        let key = attribute(tag, "data-edge").unwrap_or_else(|| format!("#{index}"));
        edges.insert(key, polyline(d));
    }
    let nodes: Vec<[f64; 4]> = svg
        .split("<g class=\"node\">")
        .skip(1)
        .map(|rest| {
            let start = rest.find("<rect ").unwrap();
            rect_of(&rest[start..start + rest[start..].find('>').unwrap()])
        })
        .collect();
    let titles: Vec<[f64; 4]> = svg
        .split("<g class=\"cluster\">")
        .skip(1)
        .map(|rest| {
            let start = rest.find("<text ").unwrap();
            let tag = &rest[start..start + rest[start..].find('>').unwrap()];
            let text = &rest[rest.find('>').unwrap()..];
            let text = &text[text.find("<text").unwrap()..];
            let text = &text[text.find('>').unwrap() + 1..text.find("</text>").unwrap()];
            let n = |name: &str| attribute(tag, name).unwrap().parse::<f64>().unwrap();
            let size = n("font-size");
            [
                n("x"),
                n("y") - size,
                text.chars().count() as f64 * size * 0.6,
                size + 4.0,
            ]
        })
        .collect();
    let labels: Vec<(String, [f64; 4])> = svg
        .split("<g class=\"violation\"")
        .skip(1)
        .map(|rest| {
            let edge = attribute(&rest[..rest.find('>').unwrap()], "data-edge").unwrap_or_default();
            let start = rest.find("<rect ").unwrap();
            (
                edge,
                rect_of(&rest[start..start + rest[start..].find('>').unwrap()]),
            )
        })
        .collect();
    quality.labels = labels.len();
    for (i, (edge, label)) in labels.iter().enumerate() {
        let hits = nodes
            .iter()
            .chain(&titles)
            .filter(|b| overlaps(*label, **b))
            .count()
            + labels[i + 1..]
                .iter()
                .filter(|(_, other)| overlaps(*label, *other))
                .count();
        quality.overlaps += hits;
        let [x, y, w, h] = *label;
        let on = |&(px, py): &(f64, f64)| {
            px >= x - 1.0 && px <= x + w + 1.0 && py >= y - 1.0 && py <= y + h + 1.0
        };
        let attached = edges
            .get(edge)
            .is_some_and(|line| dense(line).iter().any(on));
        if !edge.is_empty() && !attached {
            quality.detached += 1;
        }
    }
    let lines: Vec<&Vec<(f64, f64)>> = edges.values().collect();
    for (i, a) in lines.iter().enumerate() {
        for b in &lines[i + 1..] {
            for p in a.windows(2) {
                let (lo, hi) = (p[0].0.min(p[1].0), p[0].0.max(p[1].0));
                for q in b.windows(2) {
                    if q[0].0.max(q[1].0) < lo || q[0].0.min(q[1].0) > hi {
                        continue;
                    }
                    if cross(p[0], p[1], q[0], q[1]) {
                        quality.crossings += 1;
                    }
                }
            }
        }
    }
    quality
}

#[test]
fn the_crossing_count_sees_crossings_and_touches_are_not_crossings() {
    let svg = "<svg width=\"100\" height=\"100\">\n\
        <path class=\"edge\" d=\"M0,0 L100,100\" data-edge=\"0\"></path>\n\
        <path class=\"edge\" d=\"M0,90 C30,90 70,0 100,0\" data-edge=\"1\"></path>\n\
        <path class=\"edge\" d=\"M0,0 L100,0\" data-edge=\"2\"></path>\n\
        <g class=\"node\"><rect x=\"40\" y=\"40\" width=\"20\" height=\"20\"/></g>\n\
        <g class=\"violation\" data-edge=\"2\"><rect x=\"10\" y=\"-5\" width=\"20\" height=\"10\"/></g>\n\
        <g class=\"violation\" data-edge=\"0\"><rect x=\"45\" y=\"70\" width=\"20\" height=\"10\"/></g>\n\
        </svg>";
    let q = measure(svg);
    // 0 and 1 cross once; 2 only touches the others at their ends.
    assert_eq!(q.crossings, 1, "{q:?}");
    assert_eq!((q.labels, q.overlaps, q.detached), (2, 0, 1), "{q:?}");
    // Labels on a node count.
    let on_node = svg.replace("x=\"45\" y=\"70\"", "x=\"45\" y=\"45\"");
    assert_eq!(measure(&on_node).overlaps, 1);
}

fn scratch(name: &str) -> PathBuf {
    // Outside any target directory: the tool skips the target dir that
    // `cargo metadata` reports.
    std::env::temp_dir().join(format!("boundaries-{name}-{}", std::process::id()))
}

/// The layout's numbers on generated workspaces of 50, 100 and 150 crates
/// (crates drawn reduced, and whole) never get worse than the recorded
/// ones, and no label ever sits on a box or another label, or away from its
/// edge.
#[test]
fn layout_quality_on_generated_workspaces_does_not_regress() {
    let record = project_root().join("tests/it/diagrams_quality.txt");
    let recorded: BTreeMap<String, (usize, f64)> = std::fs::read_to_string(&record)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            (
                fields[0].to_string(),
                (fields[1].parse().unwrap(), fields[2].parse().unwrap()),
            )
        })
        .collect();
    let mut measured = BTreeMap::new();
    let mut report = String::new();
    for (count, seed) in [(50, 1), (100, 2), (150, 3)] {
        let root = scratch(&format!("quality-{count}"));
        let manifest = generate(&root, count, seed);
        for (name, extra) in [
            ("reduced", &["--level", "crates"][..]),
            ("whole", &["--level", "crates", "--no-reduce"][..]),
        ] {
            let mut args = vec!["--format", "svg"];
            args.extend_from_slice(extra);
            let svg = graph_at(&manifest, &args);
            let q = measure(&svg);
            let key = format!("crates{count}-{name}");
            let _ = writeln!(
                report,
                "{key}: {} crossings, {} labels, {} overlaps, {} detached, {}x{} px",
                q.crossings, q.labels, q.overlaps, q.detached, q.width, q.height
            );
            assert!(q.labels > 0, "{key}: the rule breaks somewhere");
            assert_eq!(q.overlaps, 0, "{key}: labels overlap\n{report}");
            assert_eq!(
                q.detached, 0,
                "{key}: labels away from their edge\n{report}"
            );
            measured.insert(key, (q.crossings, q.width * q.height));
        }
        let _ = std::fs::remove_dir_all(&root);
    }
    eprintln!("{report}");
    let mut worse = Vec::new();
    for (key, &(crossings, area)) in &measured {
        if let Some(&(was, was_area)) = recorded.get(key) {
            if crossings > was || area > was_area * 1.05 {
                worse.push(format!(
                    "{key}: {crossings} crossings (was {was}), {area} px² (was {was_area})"
                ));
            }
        }
    }
    let missing = measured.keys().any(|k| !recorded.contains_key(k));
    if std::env::var_os("BOUNDARIES_BLESS").is_some() {
        let mut text = String::from(
            "# crossings and area (px²) of generated workspaces' crate diagrams;\n\
             # tests/it/diagrams.rs fails when one gets worse. BOUNDARIES_BLESS=1 rewrites.\n",
        );
        for (key, (crossings, area)) in &measured {
            let _ = writeln!(text, "{key} {crossings} {area}");
        }
        std::fs::write(&record, text).unwrap();
    } else {
        assert!(
            worse.is_empty(),
            "the layout got worse:\n{}",
            worse.join("\n")
        );
        assert!(
            !missing,
            "no recorded numbers: run with BOUNDARIES_BLESS=1\n{report}"
        );
    }
}

/// Writes a generated workspace for a look by hand:
/// `BOUNDARIES_GENERATE=/tmp/dir cargo test --test it generate_for_a_look`.
#[test]
fn generate_for_a_look() {
    if let Some(dir) = std::env::var_os("BOUNDARIES_GENERATE") {
        generate(Path::new(&dir), 100, 2);
    }
}

/// Prints the quality numbers of SVG files written elsewhere (before and
/// after a change, on real workspaces):
/// `BOUNDARIES_MEASURE=a.svg:b.svg cargo test --test it measure_svg_files -- --nocapture`.
#[test]
fn measure_svg_files() {
    let Some(files) = std::env::var_os("BOUNDARIES_MEASURE") else {
        return;
    };
    for file in std::env::split_paths(&files) {
        let svg = std::fs::read_to_string(&file).unwrap();
        let q = measure(&svg);
        eprintln!(
            "{}: {} crossings, {} labels, {} overlaps, {} detached, {}x{} px, {} bytes",
            file.display(),
            q.crossings,
            q.labels,
            q.overlaps,
            q.detached,
            q.width,
            q.height,
            svg.len()
        );
    }
}

#[test]
fn flags_that_would_do_nothing_are_errors() {
    let demo = manifest("demo");
    for (args, says) in [
        (
            &["--collapse", "shop::*", "--level", "crates"][..],
            "--collapse",
        ),
        (
            &["--link-template", "https://x/{file}", "--format", "svg"][..],
            "--link-template",
        ),
    ] {
        let mut all = vec!["graph", "--manifest-path", &demo];
        all.extend_from_slice(args);
        let run = run(&all);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
    // `-o page.html` picks the page.
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    let run = run(&[
        "graph",
        "--manifest-path",
        &demo,
        "-o",
        page.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&page).unwrap();
    assert!(text.starts_with("<!DOCTYPE html>"));
    assert!(text.contains("shop::billing::api"));
}
