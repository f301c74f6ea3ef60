//! The policy's diagnostics as it is typed: the unsaved text read and
//! validated by the very functions `check` uses (`policy::parse`,
//! `check::compile`, `policy::validate`, each rule's own validation), so
//! the codes, spans and suggestions are the CLI's.

use std::path::Path;

use super::snapshot::Model;
use crate::check;
use crate::policy::{self, Policy, PolicyError, PolicyPlace, PolicySource};

/// Reads and validates a policy text against the workspace of `model`.
pub fn validate(
    text: &str,
    path: &Path,
    place: PolicyPlace,
    model: &Model,
) -> (Policy, Vec<PolicyError>) {
    let display = crate::location::display_path(path.strip_prefix(&model.root).unwrap_or(path));
    let source = PolicySource {
        path: path.to_path_buf(),
        display,
        text: text.to_string(),
    };
    let (policy, mut errors) = policy::parse(source, place, &model.names);
    let (compiled, compile_errors) = check::compile(&policy);
    errors.extend(compile_errors);
    errors.extend(policy::validate(
        &policy,
        compiled.patterns(),
        &model.universe,
    ));
    errors.extend(compiled.validate(&model.universe));
    (policy, errors)
}
