//! `--format human`: rustc-style diagnostics through miette, then one
//! summary line.

use std::sync::Arc;

use miette::{LabeledSpan, NamedSource, Severity as MietteSeverity};

use super::diagnostic::{Renderer, Report};
use super::CheckRun;
use crate::policy::Severity;

pub fn human(run: &CheckRun, color: bool) -> String {
    let renderer = Renderer::new(color);
    let policy_text: Arc<str> = run.policy_source.text.as_str().into();
    let mut out = String::new();
    let model = &run.graph.model;
    for violation in run.violations.iter().filter(|v| !v.baselined) {
        let rule = &run.policy.rules[violation.rule].table;
        let mut main: Option<Report> = None;
        for (hop, &index) in violation.references.iter().enumerate() {
            let reference = &model.references[index];
            let location = &reference.location;
            let text = run.sources.get(&location.file);
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
                match violation.severity {
                    Severity::Error => MietteSeverity::Error,
                    Severity::Warn => MietteSeverity::Warning,
                },
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
        main.help = rule.reason.clone();
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
    out.push_str(&summary(run));
    out
}

fn warning_report(warning: &crate::warning::Warning, run: &CheckRun) -> Report {
    let severity = if warning.code.is_error() {
        MietteSeverity::Error
    } else {
        MietteSeverity::Warning
    };
    let mut report = Report::new(
        severity,
        format!("boundaries::{}", warning.code.as_str()),
        warning.message.clone(),
    );
    if let Some(location) = &warning.location {
        let text = run.sources.get(&location.file);
        report.source = Some(NamedSource::new(&location.file, text));
        report.labels = vec![LabeledSpan::new_primary_with_span(None, location.bytes())];
    }
    report
}

/// `2 violations (1 error, 1 warn), 1 warning; 3 crates, 41 modules, 1203 references in 12ms`
fn summary(run: &CheckRun) -> String {
    let model = &run.graph.model;
    let active: Vec<_> = run.violations.iter().filter(|v| !v.baselined).collect();
    let errors = active
        .iter()
        .filter(|v| v.severity == Severity::Error)
        .count();
    let baselined = run.violations.len() - active.len();
    let stale = run.warnings.iter().filter(|w| w.code.is_error()).count();
    let mut line = format!(
        "{} ({} {}, {} warn)",
        plural(active.len(), "violation"),
        errors,
        if errors == 1 { "error" } else { "errors" },
        active.len() - errors
    );
    if baselined > 0 {
        line.push_str(&format!(", {baselined} baselined"));
    }
    if stale > 0 {
        line.push_str(&format!(
            ", {}",
            plural(stale, "stale baseline entry").replace("entrys", "entries")
        ));
    }
    line.push_str(&format!(
        ", {}; {}, {}, {} in {}ms\n",
        plural(run.warnings.len() - stale, "warning"),
        plural(model.crates, "crate"),
        plural(model.modules.len(), "module"),
        plural(model.references.len(), "reference"),
        run.elapsed.as_millis()
    ));
    line
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
