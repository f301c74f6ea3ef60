//! `cargo boundaries explain FROM TO`: every reference by which FROM depends
//! on TO, or the shortest chain of modules when the dependency is only
//! indirect, with the rules each edge breaks in the same run as `check` and
//! the rules that explicitly allow it.
//!
//! FROM and TO are taken as users write them: a package spelling
//! (`hir-def`, `tree-sitter-x`) means its crate, as in a policy.
//!
//! Exit codes: 0 the dependency exists, 1 it does not, 2 a pattern names
//! nothing in the workspace (with a suggestion). Without a policy, the
//! references are explained and no rule is named.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde::Serialize;

use super::{analyze_with, print, Analysis, Failure, PolicyUse, EXIT_OK, EXIT_VIOLATIONS};
use crate::check::Context;
use crate::cli::{ExplainArgs, ExplainFormat};
use crate::graph::paths;
use crate::policy::{CrateNames, Pattern, Severity};
use crate::report::Level;
use crate::source::{ModuleId, Target};

pub fn explain(args: &ExplainArgs) -> Result<i32, Failure> {
    let analysis = analyze_with(&args.common, PolicyUse::IfPresent)?;
    let context = Context::new(&analysis.graph);
    let names = known_names(&analysis);
    let spellings = CrateNames::of(&analysis.workspace);
    let model = &analysis.graph.model;
    let from = pattern(&args.from, "FROM", &names, &spellings)?;
    if !model
        .modules
        .iter()
        .any(|m| from.covers(&segments(&m.path)))
    {
        return Err(Failure::error(format!(
            "FROM `{}` is not a module of the workspace: explain starts from the workspace's own code",
            args.from
        )));
    }
    let to = pattern(&args.to, "TO", &names, &spellings)?;
    let covers_from = |id: ModuleId| from.covers(&segments(&model.modules[id].path));
    let into_to = |index: usize| to.covers(&segments(&model.references[index].path));

    // References leaving FROM's subtree into TO's; references already inside
    // TO are TO's own business.
    let direct: Vec<usize> = sorted(
        &analysis,
        (0..model.references.len())
            .filter(|&r| {
                let from_module = model.references[r].from;
                covers_from(from_module)
                    && into_to(r)
                    && !to.covers(&segments(&model.modules[from_module].path))
            })
            .collect(),
    );
    let explanation = if !direct.is_empty() {
        Explanation {
            version: 1,
            from: args.from.clone(),
            to: args.to.clone(),
            dependency: Dependency::Direct,
            edges: edges(&analysis, &context, &direct),
            chain: Vec::new(),
        }
    } else {
        let chain = paths::shortest_chain(&analysis.graph, &covers_from, &|r| {
            into_to(r) && !to.covers(&segments(&model.modules[model.references[r].from].path))
        });
        Explanation {
            version: 1,
            from: args.from.clone(),
            to: args.to.clone(),
            dependency: if chain.is_some() {
                Dependency::Indirect
            } else {
                Dependency::None
            },
            edges: Vec::new(),
            chain: chain
                .unwrap_or_default()
                .into_iter()
                .map(|r| {
                    let mut edge = edges(&analysis, &context, &[r]).remove(0);
                    let on_edge = analysis.graph.edge_references(r);
                    edge.rules = rules(&analysis, on_edge);
                    edge.allowed_by = allowed_by(&analysis, &context, on_edge);
                    edge
                })
                .collect(),
        }
    };
    let text = match args.format {
        ExplainFormat::Human => human(&explanation),
        ExplainFormat::Json => {
            let mut text =
                serde_json::to_string_pretty(&explanation).expect("the explanation serializes");
            text.push('\n');
            text
        }
    };
    print(&text);
    Ok(if explanation.dependency == Dependency::None {
        EXIT_VIOLATIONS
    } else {
        EXIT_OK
    })
}

/// How FROM depends on TO.
#[derive(Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Dependency {
    Direct,
    Indirect,
    None,
}

#[derive(Serialize)]
struct Explanation {
    version: u32,
    from: String,
    to: String,
    /// `direct`, `indirect` or `none`.
    dependency: Dependency,
    /// Direct dependency: one entry per (module, target) pair.
    edges: Vec<Edge>,
    /// Indirect dependency: one hop per entry, each with one reference.
    chain: Vec<Edge>,
}

#[derive(Serialize)]
struct Edge {
    from: String,
    to: String,
    references: Vec<Located>,
    /// The rules broken by this edge's references; empty when none is.
    rules: Vec<RuleHit>,
    /// The rules that cover this edge and explicitly permit its references
    /// (an `allow` list, an `interface`'s exposed module, a layer below).
    allowed_by: Vec<String>,
}

#[derive(Serialize)]
struct Located {
    path: String,
    via: &'static str,
    file: String,
    line: u32,
    column: u32,
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct RuleHit {
    rule: String,
    kind: String,
    /// The policy's word (`error`, `warn`), as in the JSON report.
    severity: Severity,
    reason: Option<String>,
    /// How many of the edge's references break it.
    count: usize,
}

fn segments(path: &str) -> Vec<&str> {
    path.split("::").collect()
}

fn sorted(analysis: &Analysis, mut references: Vec<usize>) -> Vec<usize> {
    let all = &analysis.graph.model.references;
    references
        .sort_by(|&a, &b| (&all[a].location, &all[a].path).cmp(&(&all[b].location, &all[b].path)));
    references
}

/// Groups references by (from module, target), in order of the first one.
fn edges(analysis: &Analysis, context: &Context, references: &[usize]) -> Vec<Edge> {
    let model = &analysis.graph.model;
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for &r in references {
        let reference = &model.references[r];
        let key = (
            model.modules[reference.from].path.clone(),
            analysis.graph.model.target_name(reference).to_string(),
        );
        groups.entry(key).or_default().push(r);
    }
    groups
        .into_iter()
        .map(|((from, to), references)| Edge {
            from,
            to,
            rules: rules(analysis, &references),
            allowed_by: allowed_by(analysis, context, &references),
            references: references
                .iter()
                .map(|&r| {
                    let reference = &model.references[r];
                    Located {
                        path: reference.path.to_string(),
                        via: reference.via.as_str(),
                        file: reference.location.file.to_string(),
                        line: reference.location.line,
                        column: reference.location.column,
                    }
                })
                .collect(),
        })
        .collect()
}

/// The rules that explicitly permit every one of `references`.
fn allowed_by(analysis: &Analysis, context: &Context, references: &[usize]) -> Vec<String> {
    analysis
        .policy
        .rules
        .iter()
        .filter(|rule| references.iter().all(|&r| rule.rule.allows(context, r)))
        .map(|rule| rule.table.name.clone())
        .collect()
}

/// The rules the check run found broken at any of `references`.
fn rules(analysis: &Analysis, references: &[usize]) -> Vec<RuleHit> {
    let wanted: BTreeSet<usize> = references.iter().copied().collect();
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for violation in &analysis.violations {
        let hits = violation
            .references
            .iter()
            .filter(|r| wanted.contains(r))
            .count();
        if hits > 0 {
            *counts.entry(violation.rule).or_default() += hits;
        }
    }
    let mut hits: Vec<RuleHit> = counts
        .into_iter()
        .map(|(rule, count)| {
            let table = &analysis.policy.rules[rule].table;
            RuleHit {
                rule: table.name.clone(),
                kind: table.kind.clone(),
                severity: table.severity,
                reason: table.reason.clone(),
                count,
            }
        })
        .collect();
    hits.sort();
    hits
}

fn human(explanation: &Explanation) -> String {
    let mut out = String::new();
    let (from, to) = (&explanation.from, &explanation.to);
    match explanation.dependency {
        Dependency::Direct => {
            let count: usize = explanation.edges.iter().map(|e| e.references.len()).sum();
            let _ = writeln!(
                out,
                "`{from}` depends on `{to}` directly: {count} reference{}\n",
                if count == 1 { "" } else { "s" }
            );
            for edge in &explanation.edges {
                write_edge(&mut out, edge, "");
            }
        }
        Dependency::Indirect => {
            let hops = explanation.chain.len();
            let _ = writeln!(
                out,
                "`{from}` depends on `{to}` only indirectly; the shortest chain has {hops} hops:\n"
            );
            for (number, edge) in explanation.chain.iter().enumerate() {
                write_edge(&mut out, edge, &format!("{}. ", number + 1));
            }
        }
        Dependency::None => {
            let _ = writeln!(
                out,
                "`{from}` does not depend on `{to}`, directly or through other modules"
            );
        }
    }
    out
}

fn write_edge(out: &mut String, edge: &Edge, prefix: &str) {
    let _ = writeln!(out, "{prefix}{} -> {}", edge.from, edge.to);
    for r in &edge.references {
        let _ = writeln!(
            out,
            "    {}:{}:{}  {}  {}",
            r.file, r.line, r.column, r.via, r.path
        );
    }
    for rule in &edge.allowed_by {
        let _ = writeln!(out, "    allowed by `{rule}`");
    }
    if edge.rules.is_empty() {
        out.push_str("    no rule forbids this edge\n");
    }
    for hit in &edge.rules {
        let reason = hit
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    forbidden by `{}` ({} {}, {} reference{}){reason}",
            hit.rule,
            Level::of(hit.severity).as_str(),
            hit.kind,
            hit.count,
            if hit.count == 1 { "" } else { "s" }
        );
    }
    out.push('\n');
}

/// Every name a FROM, TO or focus pattern may cover: workspace modules and
/// their items, and every crate the workspace knows or references.
pub fn known_names(analysis: &Analysis) -> Vec<String> {
    let model = &analysis.graph.model;
    let mut names: BTreeSet<String> = analysis.workspace.known_crates.iter().cloned().collect();
    for module in model.modules.iter() {
        names.insert(module.path.clone());
        names.extend(
            module
                .items
                .iter()
                .map(|item| format!("{}::{item}", module.path)),
        );
    }
    for reference in model.references.iter() {
        if let Target::External(name) = &reference.target {
            names.insert(name.to_string());
        }
    }
    names.into_iter().collect()
}

/// Parses `text` as the user wrote it (a package spelling means its crate);
/// it must cover a known name or lie inside an external crate
/// (`std::process::exit`).
fn pattern(
    text: &str,
    role: &str,
    names: &[String],
    spellings: &CrateNames,
) -> Result<Pattern, Failure> {
    let canonical = spellings.canonical(text);
    let pattern = Pattern::parse(&canonical, 0..0)
        .map_err(|e| Failure::error(format!("bad {role} pattern `{text}`: {e}")))?;
    let covers_known = names.iter().any(|name| pattern.covers(&segments(name)));
    let in_external_crate = pattern.first_name().is_some_and(|first| {
        names.iter().any(|n| n == first)
            && !names.iter().any(|n| n.starts_with(&format!("{first}::")))
    });
    if covers_known || in_external_crate {
        return Ok(pattern);
    }
    let message = format!("{role} `{text}` matches no module or crate of the workspace");
    let renamed = pattern
        .first_name()
        .and_then(|first| Some((first, spellings.renamed(first)?)));
    let help = match renamed {
        // A dependency's name in code, not its crate: say which crate.
        Some((first, package)) => Some(format!(
            "`{first}` is what a `Cargo.toml` renames `{package}` to; explain names a \
             dependency by its package: did you mean `{package}{}`?",
            &canonical[first.len()..]
        )),
        None => suggestion(text, &canonical, names, spellings),
    };
    Err(Failure::new(
        crate::report::FailureCode::Error,
        message,
        help,
    ))
}

/// "did you mean" for a name that matches nothing: the closest module, item
/// or crate name, else the closest other spelling of a crate (a package
/// name, a rename), shown with the crate it stands for.
fn suggestion(
    text: &str,
    canonical: &str,
    names: &[String],
    spellings: &CrateNames,
) -> Option<String> {
    let by_name = || {
        crate::suggest::closest(canonical, names.iter().map(String::as_str))
            .map(|close| format!("did you mean `{close}`?"))
    };
    let spellings: Vec<(&str, &str)> = spellings.spellings().collect();
    let by_spelling = || {
        let close = crate::suggest::closest(text, spellings.iter().map(|(spelling, _)| *spelling))?;
        let means = spellings
            .iter()
            .find(|(spelling, crate_name)| *spelling == close && crate_name != spelling)
            .map(|(_, crate_name)| *crate_name);
        Some(match means {
            Some(crate_name) => format!("did you mean `{close}` (the crate `{crate_name}`)?"),
            None => format!("did you mean `{close}`?"),
        })
    };
    // A bare package spelling is answered with its like; a crate name or a
    // path with the workspace's names.
    if text == canonical || text.contains("::") {
        by_name().or_else(by_spelling)
    } else {
        by_spelling().or_else(by_name)
    }
}

/// "`x` matches nothing", with the closest known name as a suggestion.
pub fn unknown(text: &str, role: &str, names: &[String]) -> Failure {
    Failure::new(
        crate::report::FailureCode::Error,
        format!("{role} `{text}` matches no module or crate of the workspace"),
        crate::suggest::closest(text, names.iter().map(String::as_str))
            .map(|close| format!("did you mean `{close}`?")),
    )
}
