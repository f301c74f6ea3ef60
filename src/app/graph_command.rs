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
    if args.depth.is_some() && args.level == GraphLevel::Crates {
        return Err(Failure::error(
            "`--depth` collapses modules, so it applies to `--level modules` only: \
             drop it, or draw modules",
        ));
    }
    let analysis = analyze_with(&args.common, PolicyUse::IfPresent)?;
    let focus = match &args.focus {
        Some(text) => Some(focus_pattern(text, &analysis)?),
        None => None,
    };
    let covers = focus
        .as_ref()
        .map(|pattern| move |path: &[&str]| pattern.covers(path));
    let violations = rule_names_by_reference(&analysis);
    let view = view::view(
        &analysis.graph,
        &ViewOptions {
            level: match args.level {
                GraphLevel::Crates => Level::Crates,
                GraphLevel::Modules => Level::Modules,
            },
            depth: args.depth,
            focus: covers.as_ref().map(|f| f as &dyn Fn(&[&str]) -> bool),
            exclude_external: args.exclude_external,
            violations: &violations,
        },
    );
    let text = draw(&view, format);
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

pub fn draw(view: &View, format: GraphFormat) -> String {
    match format {
        GraphFormat::Dot => render::dot::render(view),
        GraphFormat::Mermaid => render::mermaid::render(view),
        GraphFormat::Svg => render::svg::render(view),
        GraphFormat::Json => render::json::render(view),
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

/// Parses a focus pattern and makes sure it names something in the graph,
/// so a typo is an error with a suggestion rather than an empty diagram.
fn focus_pattern(text: &str, analysis: &Analysis) -> Result<Pattern, Failure> {
    let pattern = Pattern::parse(text, 0..0)
        .map_err(|e| Failure::error(format!("bad focus pattern `{text}`: {e}")))?;
    let names = super::explain::known_names(analysis);
    if names
        .iter()
        .any(|name| pattern.covers(&name.split("::").collect::<Vec<_>>()))
    {
        Ok(pattern)
    } else {
        Err(super::explain::unknown(text, "focus pattern", &names))
    }
}
