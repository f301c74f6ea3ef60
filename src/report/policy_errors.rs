//! Renders every problem of a policy file at once.

use miette::{LabeledSpan, NamedSource, Severity};

use super::diagnostic::{Renderer, Report};
use crate::check::suppress::SuppressionError;
use crate::policy::PolicyErrors;

pub fn policy_errors(errors: &PolicyErrors, color: bool) -> String {
    let renderer = Renderer::new(color);
    let mut sorted = errors.errors.clone();
    sorted.sort_by(|a, b| {
        let key = |e: &crate::policy::PolicyError| {
            (e.span.as_ref().map(|s| (s.start, s.end)), e.message.clone())
        };
        key(a).cmp(&key(b))
    });
    sorted.dedup();
    let policy_text: std::sync::Arc<str> = errors.source.text.as_str().into();
    let mut out = String::new();
    for error in &sorted {
        let mut report = Report::new(Severity::Error, "boundaries::policy", error.message.clone());
        report.help = error.help.clone();
        report.source = Some(NamedSource::new(
            &errors.source.display,
            policy_text.clone(),
        ));
        if let Some(span) = &error.span {
            report.labels = vec![LabeledSpan::new_primary_with_span(
                Some(error.label.clone()),
                span.clone(),
            )];
        }
        out.push_str(&renderer.render(&report));
        out.push('\n');
    }
    out.push_str(&format!(
        "error: the policy {} has {} {}; nothing was checked\n",
        errors.source.display,
        sorted.len(),
        if sorted.len() == 1 {
            "problem"
        } else {
            "problems"
        }
    ));
    out
}

/// Renders suppression comments that cannot be honoured.
pub fn suppression_errors(
    errors: &[SuppressionError],
    sources: &super::Sources,
    color: bool,
) -> String {
    let renderer = Renderer::new(color);
    let mut out = String::new();
    for error in errors {
        let mut report = Report::new(
            Severity::Error,
            "boundaries::suppression",
            error.message.clone(),
        );
        report.help = error.help.clone();
        let text = sources.get(&error.location.file);
        report.source = Some(NamedSource::new(&error.location.file, text));
        report.labels = vec![LabeledSpan::new_primary_with_span(
            None,
            error.location.bytes(),
        )];
        out.push_str(&renderer.render(&report));
        out.push('\n');
    }
    out.push_str(&format!(
        "error: {} suppression {} to be fixed; nothing was checked\n",
        errors.len(),
        if errors.len() == 1 {
            "comment needs"
        } else {
            "comments need"
        }
    ));
    out
}
