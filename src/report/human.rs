//! `--format human`: rustc-style diagnostics through miette, then, when
//! there are many violations, a breakdown by rule and by edge (the
//! diagnostics of a large run scroll away), then one summary line.

use std::collections::BTreeMap;
use std::fmt::Write;

use miette::{LabeledSpan, NamedSource, Severity as MietteSeverity};

use super::common::Level;
use super::diagnostic::{Renderer, Report};
use super::lined_text::LinedText;
use super::{CheckRun, Style};

/// From this many violations on, the output ends with a breakdown by rule
/// and by edge.
pub const BREAKDOWN_FROM: usize = 10;
/// How many edges the breakdown lists, most violations first.
const TOP_EDGES: usize = 10;

pub fn human(run: &CheckRun, style: &Style) -> String {
    let renderer = Renderer::new(style);
    let policy_text = LinedText::new(run.policy_source.text.as_str().into());
    let mut out = String::new();
    let model = &run.graph.model;
    for violation in run.violations.iter().filter(|v| !v.baselined) {
        let rule = &run.policy.rules[violation.rule].table;
        let mut main: Option<Report> = None;
        for (hop, &index) in violation.references.iter().enumerate() {
            let reference = &model.references[index];
            let location = &reference.location;
            let text = run.sources.lined(&location.file);
            let label = if reference.via == crate::source::Via::Manifest {
                format!("dependency on `{}` declared here", reference.path)
            } else if violation.references.len() > 1 {
                format!(
                    "edge {} of the cycle: `{}` → `{}`",
                    hop + 1,
                    model.modules[reference.from].path,
                    reference.path
                )
            } else {
                format!("`{}` used here", reference.path)
            };
            let mut report = Report::new(
                Level::of(violation.severity).miette(),
                format!("boundaries::{}", rule.kind),
                violation.message.clone(),
            );
            report.source = Some(NamedSource::new(&location.file, text));
            report.labels = vec![LabeledSpan::new_primary_with_span(
                Some(label),
                location.bytes(),
            )];
            match &mut main {
                None => main = Some(report),
                Some(main) => {
                    report.severity = MietteSeverity::Advice;
                    report.code.clear();
                    report.message = "the cycle continues here".to_string();
                    main.related.push(report);
                }
            }
        }
        let Some(mut main) = main else { continue };
        main.help = super::common::help_lines(rule, violation);
        let mut defined = Report::new(
            MietteSeverity::Advice,
            "",
            format!("rule `{}` is defined here", rule.name),
        );
        defined.source = Some(NamedSource::new(
            &run.policy_source.display,
            policy_text.clone(),
        ));
        let span = rule.name_span.clone().unwrap_or(rule.kind_span.clone());
        defined.labels = vec![LabeledSpan::new_with_span(
            Some(format!("{} rule", rule.kind)),
            span,
        )];
        main.related.push(defined);
        out.push_str(&renderer.render(&main));
        out.push('\n');
    }
    for warning in run.warnings {
        out.push_str(&renderer.render(&warning_report(warning, run)));
        out.push('\n');
    }
    if run.verdict.active() >= BREAKDOWN_FROM {
        out.push_str(&breakdown(run));
    }
    out.push_str(&summary(run));
    out
}

fn warning_report(warning: &crate::warning::Warning, run: &CheckRun) -> Report {
    let mut report = Report::new(
        Level::of_warning(warning.code).miette(),
        format!("boundaries::{}", warning.code.as_str()),
        warning.message.clone(),
    );
    if let Some(location) = &warning.location {
        let text = run.sources.lined(&location.file);
        report.source = Some(NamedSource::new(&location.file, text));
        report.labels = vec![LabeledSpan::new_primary_with_span(None, location.bytes())];
    }
    report
}

/// How many violations each rule has, and the edges (module → target)
/// with the most, so a long run can be read from its end.
fn breakdown(run: &CheckRun) -> String {
    let model = &run.graph.model;
    let mut by_rule: BTreeMap<usize, usize> = BTreeMap::new();
    let mut by_edge: BTreeMap<(&str, &str), (usize, Vec<&str>)> = BTreeMap::new();
    for violation in run.violations.iter().filter(|v| !v.baselined) {
        *by_rule.entry(violation.rule).or_default() += 1;
        let reference = &model.references[violation.reference()];
        let edge = by_edge
            .entry((
                model.modules[reference.from].path.as_str(),
                model.target_name(reference),
            ))
            .or_default();
        edge.0 += 1;
        let rule = run.policy.rules[violation.rule].table.name.as_str();
        if !edge.1.contains(&rule) {
            edge.1.push(rule);
        }
    }
    let mut out = String::from("violations by rule:\n");
    let mut rules: Vec<_> = by_rule.into_iter().collect();
    rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (rule, count) in rules {
        let table = &run.policy.rules[rule].table;
        let _ = writeln!(
            out,
            "{count:>7}  {} ({} {})",
            table.name,
            Level::of(table.severity).as_str(),
            table.kind
        );
    }
    let mut edges: Vec<_> = by_edge.into_iter().collect();
    edges.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let shown = edges.len().min(TOP_EDGES);
    let _ = writeln!(
        out,
        "violations by edge{}:",
        if shown < edges.len() {
            format!(", the {shown} with the most of {}", edges.len())
        } else {
            String::new()
        }
    );
    for ((from, to), (count, mut rules)) in edges.into_iter().take(shown) {
        rules.sort_unstable();
        let _ = writeln!(out, "{count:>7}  {from} → {to} ({})", rules.join(", "));
    }
    out.push('\n');
    out
}

/// `3 violations (2 errors, 1 warning), 4 baselined, 1 stale baseline
/// entry, 1 tool warning (1 parse-error); against the baseline 3 new, 1
/// fixed; 3 crates, 41 modules, 1203 references in 12ms`: counts that are
/// zero are left out (but for the baseline's delta, said whenever a
/// baseline was read), and each kind of problem has its own word.
fn summary(run: &CheckRun) -> String {
    let model = &run.graph.model;
    let verdict = run.verdict;
    let mut parts = Vec::new();
    let mut violations = if verdict.active() == 0 {
        "no violations".to_string()
    } else {
        let mut severities = Vec::new();
        if verdict.errors > 0 {
            severities.push(plural(verdict.errors, "error", "errors"));
        }
        if verdict.warnings > 0 {
            severities.push(plural(verdict.warnings, "warning", "warnings"));
        }
        format!(
            "{} ({})",
            plural(verdict.active(), "violation", "violations"),
            severities.join(", ")
        )
    };
    if verdict.baselined > 0 {
        let _ = write!(violations, ", {} baselined", verdict.baselined);
    }
    parts.push(violations);
    if verdict.stale_entries > 0 {
        parts.push(plural(
            verdict.stale_entries,
            "stale baseline entry",
            "stale baseline entries",
        ));
    }
    if verdict.loosenings > 0 {
        parts.push(plural(
            verdict.loosenings,
            "loosening of the policy",
            "loosenings of the policy",
        ));
    }
    if verdict.tool_warning_count() > 0 {
        let codes: Vec<String> = verdict
            .tool_warnings
            .iter()
            .map(|(code, count)| format!("{count} {}", code.as_str()))
            .collect();
        parts.push(format!(
            "{} ({})",
            plural(
                verdict.tool_warning_count(),
                "tool warning",
                "tool warnings"
            ),
            codes.join(", ")
        ));
    }
    let delta = verdict.baseline.as_ref().map_or(String::new(), |delta| {
        format!(
            "; against the baseline {} new, {} fixed",
            delta.new, delta.fixed
        )
    });
    format!(
        "{}{delta}; {}, {}, {} in {}ms\n",
        parts.join(", "),
        plural(model.crates, "crate", "crates"),
        plural(model.modules.len(), "module", "modules"),
        plural(model.references.len(), "reference", "references"),
        run.elapsed.as_millis()
    )
}

fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}
