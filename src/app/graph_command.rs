//! `cargo boundaries graph`: the same run as `check`, drawn as a diagram.
//! Violations never change the exit code here: drawing them is the job.
//! Without a policy, the graph is drawn with no violations marked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{analyze_with, print, Analysis, Failure, PolicyUse, EXIT_OK};
use crate::cli::{GraphArgs, GraphFormat, GraphLevel};
use crate::graph::view::{self, Level, View, ViewOptions};
use crate::policy::Pattern;
use crate::render;

pub fn graph(args: &GraphArgs) -> Result<i32, Failure> {
    // Arguments first: a mistake there costs no run.
    let format = format(args.format, args.output.as_deref())?;
    // The page starts at crates and expands into modules itself.
    let html = format == GraphFormat::Html;
    if args.depth.is_some() && args.level == GraphLevel::Crates && !html {
        return Err(Failure::error(
            "`--depth` collapses modules, so it applies to `--level modules` only: \
             drop it, or draw modules",
        ));
    }
    if !args.collapse.is_empty() && args.level == GraphLevel::Crates && !html {
        return Err(Failure::error(
            "`--collapse` groups modules, so it applies to `--level modules` only: \
             drop it, or draw modules",
        ));
    }
    if args.link_template.is_some() && !html {
        return Err(Failure::error(
            "`--link-template` makes links in the HTML page: add `--format html`",
        ));
    }
    let analysis = analyze_with(&args.common, PolicyUse::IfPresent)?;
    let focus = match &args.focus {
        Some(text) => Some(focus_pattern(text, &analysis, "focus pattern")?),
        None => None,
    };
    let covers = focus
        .as_ref()
        .map(|pattern| move |path: &[&str]| pattern.covers(path));
    let collapse = args
        .collapse
        .iter()
        .map(|text| focus_pattern(text, &analysis, "collapse pattern"))
        .collect::<Result<Vec<Pattern>, Failure>>()?;
    let collapse_covers: Vec<_> = collapse
        .iter()
        .map(|pattern| move |path: &[&str]| pattern.covers(path))
        .collect();
    let collapse_covers: Vec<&view::Focus> =
        collapse_covers.iter().map(|f| f as &view::Focus).collect();
    let violations = rule_names_by_reference(&analysis);
    let level = match args.level {
        _ if html => Level::Modules,
        GraphLevel::Crates => Level::Crates,
        GraphLevel::Modules => Level::Modules,
    };
    let view = view::view(
        &analysis.graph,
        &ViewOptions {
            level,
            depth: args.depth,
            focus: covers.as_ref().map(|f| f as &dyn Fn(&[&str]) -> bool),
            exclude_external: args.exclude_external,
            collapse: &collapse_covers,
            // The page reduces what it shows, view by view.
            reduce: !html && reduce(args),
            violations: &violations,
        },
    );
    let text = if html {
        render::html::render(&render::html::Page {
            view: &view,
            references: &references(&analysis),
            violations: &violations,
            link_template: args.link_template.as_deref(),
            reduce: !args.no_reduce,
        })
    } else {
        draw(&view, format)
    };
    match &args.output {
        // `-o` asks for the file: it is replaced, atomically.
        Some(path) => super::files::write_atomically(path, &text, true)?,
        None => print(&text),
    }
    Ok(EXIT_OK)
}

/// `--format` when given; else the format `-o`'s extension names; else DOT.
/// An extension that names no format is an error rather than a guess: DOT
/// written into `graph.png` helps nobody.
fn format(explicit: Option<GraphFormat>, output: Option<&Path>) -> Result<GraphFormat, Failure> {
    if let Some(format) = explicit {
        return Ok(format);
    }
    let Some(extension) = output.and_then(Path::extension) else {
        return Ok(GraphFormat::Dot);
    };
    let extension = extension.to_string_lossy();
    GraphFormat::from_extension(&extension).ok_or_else(|| {
        Failure::new(
            crate::report::FailureCode::Error,
            format!("cannot tell the diagram format from the extension `.{extension}`"),
            Some(
                "name the file .dot, .gv, .mmd, .mermaid, .svg or .json, or pass --format"
                    .to_string(),
            ),
        )
    })
}

/// `--reduce` and `--no-reduce` as given (the last one wins); neither:
/// on for crates, where shortcuts past a longer path are most of the
/// edges, off for modules.
fn reduce(args: &GraphArgs) -> bool {
    if args.reduce {
        true
    } else if args.no_reduce {
        false
    } else {
        args.level == GraphLevel::Crates
    }
}

/// Where each reference sits, for the page's lists of references.
fn references(analysis: &Analysis) -> Vec<render::html::Reference<'_>> {
    analysis
        .graph
        .model
        .references
        .iter()
        .map(|r| render::html::Reference {
            file: &r.location.file,
            line: r.location.line,
            path: &r.path,
            via: r.via.as_str(),
        })
        .collect()
}

/// A view in one of the formats drawn from the view alone (not `html`,
/// which also needs the references).
pub fn draw(view: &View, format: GraphFormat) -> String {
    match format {
        GraphFormat::Dot => render::dot::render(view),
        GraphFormat::Mermaid => render::mermaid::render(view),
        GraphFormat::Svg => render::svg::render(view),
        GraphFormat::Json => render::json::render(view),
        GraphFormat::Html => unreachable!("the page is drawn from the analysis too"),
    }
}

/// The names of the rules each reference breaks, from the check run.
/// Baselined violations still count: they are real, only tolerated.
pub fn rule_names_by_reference(analysis: &Analysis) -> BTreeMap<usize, BTreeSet<String>> {
    let mut names: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for violation in &analysis.violations {
        let name = &analysis.policy.rules[violation.rule].table.name;
        for &reference in &violation.references {
            names.entry(reference).or_default().insert(name.clone());
        }
    }
    names
}

/// Parses a focus or collapse pattern and makes sure it names something in
/// the graph, so a typo is an error with a suggestion rather than a diagram
/// that silently ignores it.
fn focus_pattern(text: &str, analysis: &Analysis, what: &str) -> Result<Pattern, Failure> {
    let pattern = Pattern::parse(text, 0..0)
        .map_err(|e| Failure::error(format!("bad {what} `{text}`: {e}")))?;
    let names = super::explain::known_names(analysis);
    if names
        .iter()
        .any(|name| pattern.covers(&name.split("::").collect::<Vec<_>>()))
    {
        Ok(pattern)
    } else {
        Err(super::explain::unknown(text, what, &names))
    }
}
