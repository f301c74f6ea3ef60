//! Phase two of reading a policy: checks its patterns against the workspace,
//! so a typo never makes a rule pass silently.

use std::collections::BTreeSet;

use super::error::PolicyErrorCode as Code;
use super::pattern::{split, Pattern, Segment};
use super::{Policy, PolicyError};

/// Everything a pattern may name.
#[derive(Debug, Default)]
pub struct Universe {
    /// Every module path of the workspace.
    pub modules: BTreeSet<String>,
    /// Every item path (`shop::accounts::storage::Db`).
    pub items: Vec<String>,
    pub workspace_crates: BTreeSet<String>,
    /// Crates outside the workspace: declared dependencies and builtins.
    pub external_crates: BTreeSet<String>,
}

impl Universe {
    /// Whether `pattern` matches something that exists.
    fn matches_something(&self, pattern: &Pattern) -> bool {
        match pattern.first_name() {
            Some(name)
                if self.external_crates.contains(name) && !self.workspace_crates.contains(name) =>
            {
                true
            }
            Some(name) if !self.workspace_crates.contains(name) => false,
            _ => self
                .modules
                .iter()
                .chain(&self.items)
                .chain(&self.external_crates)
                .any(|path| pattern.matches(&split(path)) || matches_below(pattern, path)),
        }
    }

    fn candidates(&self) -> impl Iterator<Item = &str> {
        self.modules
            .iter()
            .chain(&self.items)
            .chain(&self.external_crates)
            .map(String::as_str)
    }
}

/// A pattern ending in `**` also matches the path it starts from; a pattern
/// naming an item below a module matches through the module's items.
fn matches_below(pattern: &Pattern, path: &str) -> bool {
    matches!(pattern.segments.last(), Some(Segment::Any)) && pattern.covers(&split(path))
}

/// Checks every pattern of the policy (and of its rules, as `patterns`
/// gives them) against the workspace.
pub fn validate<'a>(
    policy: &'a Policy,
    patterns: impl IntoIterator<Item = &'a Pattern>,
    universe: &Universe,
) -> Vec<PolicyError> {
    let mut errors = Vec::new();
    let crate_names: BTreeSet<&str> = universe
        .workspace_crates
        .iter()
        .chain(&universe.external_crates)
        .map(String::as_str)
        .collect();
    for name in policy.components.keys() {
        if crate_names.contains(name.as_str()) {
            let span = component_span(policy, name);
            errors.push(
                PolicyError::new(
                    Code::ComponentIsCrate,
                    span,
                    format!("component `{name}` has the name of a crate"),
                    "rename this component",
                )
                .with_help(Some(format!(
                    "`{name}` in a pattern would be ambiguous: the crate or the component"
                ))),
            );
        }
    }
    let component_patterns = policy.components.values().flatten().map(|(_, p)| p);
    let mut seen = BTreeSet::new();
    for pattern in component_patterns.chain(patterns) {
        if !seen.insert((pattern.span.start, pattern.text.clone())) {
            continue;
        }
        if universe.matches_something(pattern) {
            continue;
        }
        let error = match pattern.bare_name() {
            Some(name) => {
                let error = PolicyError::new(
                    Code::UnknownName,
                    pattern.span.clone(),
                    format!("unknown component or crate `{}`", pattern.text),
                    "matches nothing",
                );
                match policy.names.renamed(name) {
                    Some(package) => error.with_help(Some(format!(
                        "`{name}` is what a `Cargo.toml` renames `{package}` to; \
                         a policy names a dependency by its package: did you mean `{package}`?"
                    ))),
                    None => error.with_help(suggest_name(&pattern.text, policy, &crate_names)),
                }
            }
            None => {
                let error = PolicyError::new(
                    Code::MatchesNothing,
                    pattern.span.clone(),
                    format!(
                        "pattern `{}` matches nothing in the workspace",
                        pattern.text
                    ),
                    "matches nothing",
                );
                let renamed = pattern
                    .first_name()
                    .and_then(|first| Some((first, policy.names.renamed(first)?)));
                match renamed {
                    Some((first, package)) => error.with_help(Some(format!(
                        "`{first}` is what a `Cargo.toml` renames `{package}` to; \
                         a policy names a dependency by its package: write `{package}`"
                    ))),
                    None => error.suggest(&pattern.text, universe.candidates()),
                }
            }
        };
        errors.push(error);
    }
    errors
}

/// "did you mean" for a bare name, across component names, crate names,
/// package spellings and rename names; a spelling is shown with the crate it
/// stands for.
fn suggest_name(name: &str, policy: &Policy, crate_names: &BTreeSet<&str>) -> Option<String> {
    let spellings: Vec<(&str, &str)> = policy.names.spellings().collect();
    let candidates = policy
        .components
        .keys()
        .map(String::as_str)
        .chain(crate_names.iter().copied())
        .chain(spellings.iter().map(|(spelling, _)| *spelling));
    let closest = crate::suggest::closest(name, candidates)?;
    let means = spellings
        .iter()
        .find(|(spelling, crate_name)| *spelling == closest && crate_name != spelling)
        .map(|(_, crate_name)| *crate_name);
    Some(match means {
        Some(crate_name) if crate_name != name => {
            format!("did you mean `{closest}` (the crate `{crate_name}`)?")
        }
        _ => format!("did you mean `{closest}`?"),
    })
}

fn component_span(policy: &Policy, name: &str) -> std::ops::Range<usize> {
    policy.components[name]
        .first()
        .map(|(_, p)| p.span.clone())
        .unwrap_or(0..0)
}
