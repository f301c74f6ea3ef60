//! Renders every problem of a policy file at once.

use miette::{LabeledSpan, NamedSource, Severity};

use super::diagnostic::{Renderer, Report};
use super::failure::{FailureCode, Problem};
use crate::check::suppress::SuppressionError;
use crate::location::LineIndex;
use crate::policy::{PolicyError, PolicyErrors};

pub fn policy_errors(errors: &PolicyErrors, style: &super::Style) -> String {
    let renderer = Renderer::new(style);
    let sorted = sorted(errors);
    let policy_text = super::lined_text::LinedText::new(errors.source.text.as_str().into());
    let mut out = String::new();
    for error in &sorted {
        let mut report = Report::new(
            Severity::Error,
            format!("boundaries::policy::{}", error.code.as_str()),
            error.message.clone(),
        );
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

/// The problems of a policy, in the order [`policy_errors`] shows them,
/// each located in the policy file, for the machine formats.
pub fn policy_problems(errors: &PolicyErrors) -> Vec<Problem> {
    let index = LineIndex::new(&errors.source.text);
    sorted(errors)
        .into_iter()
        .map(|error| Problem {
            detail: Some(error.code.as_str()),
            help: error.help.clone(),
            location: error
                .span
                .as_ref()
                .map(|span| index.location(errors.source.display.as_str(), span.clone())),
            ..Problem::new(FailureCode::Policy, error.message)
        })
        .collect()
}

/// Errors by place, then message, each once.
fn sorted(errors: &PolicyErrors) -> Vec<PolicyError> {
    let mut sorted = errors.errors.clone();
    sorted.sort_by(|a, b| {
        let key = |e: &PolicyError| (e.span.as_ref().map(|s| (s.start, s.end)), e.message.clone());
        key(a).cmp(&key(b))
    });
    sorted.dedup();
    sorted
}

/// Suppression comments that cannot be honoured, located at the comment,
/// for the machine formats.
pub fn suppression_problems(errors: &[SuppressionError]) -> Vec<Problem> {
    errors
        .iter()
        .map(|error| Problem {
            help: error.help.clone(),
            location: Some(error.location.clone()),
            ..Problem::new(FailureCode::Suppression, error.message.clone())
        })
        .collect()
}

/// Renders suppression comments that cannot be honoured.
pub fn suppression_errors(
    errors: &[SuppressionError],
    sources: &super::Sources,
    style: &super::Style,
) -> String {
    let renderer = Renderer::new(style);
    let mut out = String::new();
    for error in errors {
        let mut report = Report::new(
            Severity::Error,
            "boundaries::suppression",
            error.message.clone(),
        );
        report.help = error.help.clone();
        let text = sources.lined(&error.location.file);
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
