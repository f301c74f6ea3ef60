//! A slow reference for the checks: each rule kind as it was first written,
//! matching pattern strings against every reference on its own. The rule
//! kinds decide per module, per edge and per distinct path instead; these
//! tests prove both find the same violations, with the same messages, in
//! the same order, on every fixture and on many policies generated from
//! each fixture's own paths.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::fields::Fields;
use super::{Context, Finding};
use crate::graph::cycles::elementary_cycles;
use crate::graph::Graph;
use crate::policy::value::ValueKind;
use crate::policy::{self, CrateNames, PatternList, Policy, PolicyPlace, PolicySource, RuleTable};
use crate::source::{self, ExtractOptions, ModuleId, Target};
use crate::workspace::{self, Workspace, STANDARD_LIBRARY};

/// Every reference's path split into segments, by index.
fn split_paths<'a>(context: &Context<'a>) -> Vec<Vec<&'a str>> {
    context
        .graph
        .model
        .references
        .iter()
        .map(|r| r.path.split("::").collect())
        .collect()
}

fn finding(index: usize, message: String) -> Finding {
    Finding {
        references: vec![index],
        message,
        key: None,
    }
}

/// The rule's findings, computed the slow way.
fn slow_check(
    table: &RuleTable,
    policy: &Policy,
    names: &CrateNames,
    context: &Context,
) -> Vec<Finding> {
    let mut fields = Fields::new(table, &policy.components, names);
    let paths = split_paths(context);
    let model = &context.graph.model;
    let module_path = |id: ModuleId| model.modules[id].path.as_str();
    let mut findings = Vec::new();
    match table.kind.as_str() {
        "forbid" => {
            let (from_list, to_list) = (fields.patterns("from"), fields.patterns("to"));
            for (index, reference) in context.references() {
                let from = context.from_segments(reference);
                let path = &paths[index];
                let within =
                    |scope: &[&str]| from.len() >= scope.len() && from[..scope.len()] == *scope;
                if from_list.covers(from)
                    && to_list.covers(path)
                    && to_list
                        .member_len(path)
                        .is_none_or(|len| !within(&path[..len]))
                {
                    findings.push(finding(
                        index,
                        format!(
                            "`{}` must not depend on `{}`",
                            module_path(reference.from),
                            context.target_name(reference)
                        ),
                    ));
                }
            }
        }
        "allow" => {
            let (from_list, to_list) = (fields.patterns("from"), fields.patterns_or_empty("to"));
            for (index, reference) in context.references() {
                let from = context.from_segments(reference);
                let Some(member_len) = from_list.member_len(from) else {
                    continue;
                };
                let path = &paths[index];
                let own = path.len() >= member_len && path[..member_len] == from[..member_len];
                if !(own || STANDARD_LIBRARY.contains(&path[0]) || to_list.covers(path)) {
                    findings.push(finding(
                        index,
                        format!(
                            "`{}` may only depend on what the rule allows, not on `{}`",
                            module_path(reference.from),
                            context.target_name(reference)
                        ),
                    ));
                }
            }
        }
        "layers" => {
            let layers: Vec<PatternList> = match fields.value("layers").map(|v| &v.kind) {
                Some(ValueKind::Array(entries)) => entries
                    .iter()
                    .map(|entry| fields.pattern_list(entry, "layers"))
                    .collect(),
                _ => Vec::new(),
            };
            let containers = fields.optional_patterns("containers");
            let strict = fields.bool("strict", false);
            let layer = |path: &[&str]| layers.iter().position(|l| l.covers(path));
            for (index, reference) in context.references() {
                let from = context.from_segments(reference);
                let to = &paths[index];
                let prefix = match &containers {
                    Some(containers) => {
                        let Some(len) = containers.member_len(from) else {
                            continue;
                        };
                        if to.len() < len || to[..len] != from[..len] {
                            continue;
                        }
                        len
                    }
                    None => 0,
                };
                let (Some(from_layer), Some(to_layer)) =
                    (layer(&from[prefix..]), layer(&to[prefix..]))
                else {
                    continue;
                };
                let from_name = module_path(reference.from);
                let to_name = context.target_name(reference);
                if to_layer < from_layer {
                    findings.push(finding(
                        index,
                        format!(
                            "`{from_name}` (layer {}) must not depend on `{to_name}` (higher layer {})",
                            from_layer + 1,
                            to_layer + 1
                        ),
                    ));
                } else if strict && to_layer > from_layer + 1 {
                    findings.push(finding(
                        index,
                        format!(
                            "`{from_name}` (layer {}) may only depend on layer {}, not on `{to_name}` (layer {})",
                            from_layer + 1,
                            from_layer + 2,
                            to_layer + 1
                        ),
                    ));
                }
            }
        }
        "independent" => {
            let modules = fields.patterns("modules");
            for (index, reference) in context.references() {
                let from = context.from_segments(reference);
                let Some(from_member) = modules.member_len(from) else {
                    continue;
                };
                let target: Vec<&str> = match &reference.target {
                    Target::Module(id) => context.module_segments[*id].clone(),
                    Target::External(name) => vec![&**name],
                };
                let Some(to_member) = modules.member_len(&target) else {
                    continue;
                };
                if from[..from_member] != target[..to_member] {
                    findings.push(finding(
                        index,
                        format!(
                            "`{}` and `{}` must stay independent, but `{}` depends on `{}`",
                            from[..from_member].join("::"),
                            target[..to_member].join("::"),
                            module_path(reference.from),
                            context.target_name(reference)
                        ),
                    ));
                }
            }
        }
        "interface" => {
            let module = fields.patterns("module");
            let expose = fields.optional_patterns("expose").unwrap_or_default();
            for (index, reference) in context.references() {
                let Target::Module(target) = reference.target else {
                    continue;
                };
                let target = &context.module_segments[target];
                let from = context.from_segments(reference);
                for len in 1..=target.len() {
                    let guarded = &target[..len];
                    if !module.matches(guarded) || (from.len() >= len && &from[..len] == guarded) {
                        continue;
                    }
                    if len < target.len() && !expose.covers(&target[len..]) {
                        findings.push(finding(
                            index,
                            format!(
                                "`{}` reaches into `{}`, which `{}` does not expose",
                                module_path(reference.from),
                                context.target_name(reference),
                                guarded.join("::")
                            ),
                        ));
                        break;
                    }
                }
            }
        }
        "acyclic" => {
            let modules = fields.patterns("modules");
            let mut names: BTreeMap<String, usize> = BTreeMap::new();
            let mut first: BTreeMap<(String, String), usize> = BTreeMap::new();
            for (index, reference) in context.references() {
                let from = context.from_segments(reference);
                let Target::Module(target) = reference.target else {
                    continue;
                };
                let target = &context.module_segments[target];
                let (Some(a), Some(b)) = (modules.member_len(from), modules.member_len(target))
                else {
                    continue;
                };
                let (a, b) = (from[..a].join("::"), target[..b].join("::"));
                if a != b {
                    names.insert(a.clone(), 0);
                    names.insert(b.clone(), 0);
                    first.entry((a, b)).or_insert(index);
                }
            }
            for (id, value) in names.values_mut().enumerate() {
                *value = id;
            }
            let by_id: Vec<&String> = names.keys().collect();
            let mut edges: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
            for (a, b) in first.keys() {
                edges.entry(names[a]).or_default().insert(names[b]);
            }
            for cycle in elementary_cycles(&edges).cycles {
                let references = cycle
                    .iter()
                    .zip(cycle.iter().cycle().skip(1))
                    .map(|(&a, &b)| first[&(by_id[a].clone(), by_id[b].clone())])
                    .collect();
                let mut chain: Vec<&str> = cycle.iter().map(|&m| by_id[m].as_str()).collect();
                chain.push(by_id[cycle[0]]);
                findings.push(Finding {
                    references,
                    message: format!("dependency cycle: {}", chain.join(" → ")),
                    key: Some((
                        chain[0].to_string(),
                        format!("cycle through {}", chain[1..].join(" → ")),
                    )),
                });
            }
        }
        other => panic!("no reference check for `{other}`"),
    }
    findings
}

/// A fixture read as the tool reads it, every member selected.
struct Loaded {
    workspace: Workspace,
    graph: Graph,
    policy: Option<Policy>,
}

fn load(root: &Path) -> Loaded {
    let mut workspace = workspace::load(&workspace::LoadOptions {
        manifest_path: Some(root.join("Cargo.toml")),
        packages: Vec::new(),
        exclude: Vec::new(),
        workspace: true,
        current_dir: None,
        cargo: None,
        use_cache: false,
    })
    .unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    let policy = policy::find(&workspace.root, None)
        .ok()
        .map(|(source, place)| policy::parse(source, place, &CrateNames::of(&workspace)).0);
    let include_tests = policy.as_ref().is_some_and(|p| p.settings.include_tests);
    if !include_tests {
        workspace.drop_test_targets();
    }
    let model = source::load(&workspace, ExtractOptions { include_tests }, None);
    Loaded {
        workspace,
        graph: Graph::new(model),
        policy,
    }
}

/// Compares every compiled rule's findings with the slow reference's.
fn compare(policy: &Policy, names: &CrateNames, graph: &Graph, what: &str) -> usize {
    let (compiled, _) = super::compile(policy);
    let context = Context::new(graph);
    let mut findings = 0;
    for rule in &compiled.rules {
        let fast = rule.rule.check(&context);
        let slow = slow_check(&rule.table, policy, names, &context);
        let shown = |f: &[Finding]| -> Vec<String> {
            f.iter()
                .map(|f| format!("{:?} {} {:?}", f.references, f.message, f.key))
                .collect()
        };
        assert_eq!(
            shown(&fast),
            shown(&slow),
            "{what}: rule `{}` ({})",
            rule.table.name,
            rule.table.kind
        );
        findings += fast.len();
    }
    findings
}

/// A small deterministic generator (xorshift), so a failure reproduces.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &'a [String]) -> &'a str {
        &items[self.below(items.len())]
    }
}

/// Patterns made from a workspace's own paths: modules, items and
/// external paths, cut short, with `*`, `**`, globs inside a segment and
/// `!`, so that generated rules match things.
fn pattern(random: &mut Random, paths: &[String]) -> String {
    let path = random.pick(paths);
    let mut segments: Vec<String> = path.split("::").map(String::from).collect();
    segments.truncate(1 + random.below(segments.len()));
    for segment in segments.iter_mut() {
        match random.below(9) {
            0 => *segment = "*".to_string(),
            1 => *segment = "**".to_string(),
            2 if segment.len() > 1 => {
                let cut = 1 + random.below(segment.len() - 1);
                if segment.is_char_boundary(cut) {
                    *segment = format!("{}*", &segment[..cut]);
                }
            }
            3 if segment.len() > 1 => {
                let cut = 1 + random.below(segment.len() - 1);
                if segment.is_char_boundary(cut) {
                    *segment = format!("*{}", &segment[cut..]);
                }
            }
            _ => {}
        }
    }
    let negated = if random.below(5) == 0 { "!" } else { "" };
    format!("{negated}{}", segments.join("::"))
}

fn list(random: &mut Random, paths: &[String], components: &[&str]) -> String {
    let count = 1 + random.below(3);
    let mut entries: Vec<String> = (0..count)
        .map(|_| format!("\"{}\"", pattern(random, paths)))
        .collect();
    if !components.is_empty() && random.below(3) == 0 {
        let negated = if random.below(3) == 0 { "!" } else { "" };
        let component = components[random.below(components.len())];
        entries.push(format!("\"{negated}{component}\""));
    }
    format!("[{}]", entries.join(", "))
}

/// A policy of every rule kind over the workspace's own paths.
fn generated_policy(random: &mut Random, paths: &[String]) -> String {
    let mut text = String::from("version = 1\n\n[components]\n");
    let components = ["generated_one", "generated_two"];
    for name in components {
        text.push_str(&format!("{name} = {}\n", list(random, paths, &[])));
    }
    let segments: Vec<String> = paths
        .iter()
        .flat_map(|p| p.split("::").skip(1).map(String::from))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let relative = |random: &mut Random| {
        if segments.is_empty() {
            "\"**\"".to_string()
        } else {
            format!("\"{}\"", pattern(random, &segments))
        }
    };
    for n in 0..3 {
        let from = list(random, paths, &components);
        let to = list(random, paths, &components);
        text.push_str(&format!(
            "\n[[rule]]\nkind = \"forbid\"\nname = \"forbid-{n}\"\nfrom = {from}\nto = {to}\n"
        ));
        let from = list(random, paths, &components);
        let to = list(random, paths, &components);
        text.push_str(&format!(
            "\n[[rule]]\nkind = \"allow\"\nname = \"allow-{n}\"\nfrom = {from}\nto = {to}\n"
        ));
        let layers: Vec<String> = (0..2 + random.below(3))
            .map(|_| list(random, paths, &components))
            .collect();
        text.push_str(&format!(
            "\n[[rule]]\nkind = \"layers\"\nname = \"layers-{n}\"\nlayers = [{}]\nstrict = {}\n",
            layers.join(", "),
            random.below(2) == 0
        ));
        let containers = list(random, paths, &components);
        let layers: Vec<String> = (0..2 + random.below(3)).map(|_| relative(random)).collect();
        text.push_str(&format!(
            "\n[[rule]]\nkind = \"layers\"\nname = \"contained-layers-{n}\"\ncontainers = {containers}\nlayers = [{}]\nstrict = {}\n",
            layers.join(", "),
            random.below(2) == 0
        ));
        let modules = list(random, paths, &components);
        text.push_str(&format!(
            "\n[[rule]]\nkind = \"independent\"\nname = \"independent-{n}\"\nmodules = {modules}\n"
        ));
        let module = list(random, paths, &components);
        let expose: Vec<String> = (0..random.below(3)).map(|_| relative(random)).collect();
        text.push_str(&format!(
            "\n[[rule]]\nkind = \"interface\"\nname = \"interface-{n}\"\nmodule = {module}\nexpose = [{}]\n",
            expose.join(", ")
        ));
        // Cycles need members that use each other: children of crates.
        let modules = match random.below(3) {
            0 => list(random, paths, &components),
            1 => "[\"*::*\"]".to_string(),
            _ => format!(
                "[\"*::*\", \"*::*::*\", \"!{}\"]",
                pattern(random, paths).trim_start_matches('!')
            ),
        };
        text.push_str(&format!(
            "\n[[rule]]\nkind = \"acyclic\"\nname = \"acyclic-{n}\"\nmodules = {modules}\n"
        ));
    }
    text
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    found.sort();
    found
}

#[test]
fn the_checks_find_what_a_per_reference_scan_finds() {
    let mut compared = 0;
    let mut findings = 0;
    for root in fixtures() {
        let loaded = load(&root);
        let names = CrateNames::of(&loaded.workspace);
        let what = root.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(policy) = &loaded.policy {
            findings += compare(policy, &names, &loaded.graph, &what);
            compared += 1;
        }
        // The fixture's own paths, for generated policies.
        let model = &loaded.graph.model;
        let paths: Vec<String> = model
            .modules
            .iter()
            .map(|m| m.path.clone())
            .chain(model.references.iter().map(|r| r.path.to_string()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut random = Random(0x9e37_79b9_7f4a_7c15 ^ what.len() as u64);
        for round in 0..8 {
            let text = generated_policy(&mut random, &paths);
            let source = PolicySource {
                path: root.join("boundaries.toml"),
                display: "boundaries.toml".to_string(),
                text: text.clone(),
            };
            let (policy, _) = policy::parse(source, PolicyPlace::File, &names);
            findings += compare(
                &policy,
                &names,
                &loaded.graph,
                &format!("{what}, generated policy {round}:\n{text}"),
            );
            compared += 1;
        }
    }
    assert!(compared > 400, "only {compared} policies compared");
    // Generated rules must find something, or the comparison proves little.
    assert!(findings > 1000, "only {findings} findings compared");
}
