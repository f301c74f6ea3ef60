//! The policy file: found, parsed with spans, and read into rules, settings
//! and components. Reading reports every problem at once; rule kinds check
//! their own fields later (see `check::registry`), and `validate` checks the
//! patterns against the workspace.

mod discover;
mod error;
pub mod file;
mod index;
mod names;
mod pattern;
#[cfg(test)]
mod proptests;
mod reader;
mod validate;
pub mod value;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

pub use discover::{find, FindError, PolicyPlace, POLICY_FILE};
pub use error::{PolicyError, PolicyErrorCode, PolicyErrors, Suggestion};
pub use index::{Decision, NodeId, PathIndex, PathKind, Trail};
pub use names::CrateNames;
pub use pattern::{segments, split, Pattern, PatternError, Segment};
pub use reader::{
    empty_list, read_pattern_list, type_error as value_type_error, RULE_COMMON_FIELDS, SETTINGS,
    TOP_LEVEL,
};
pub use validate::{validate, Members, Universe};
use value::Value;

/// Where the policy came from, for spans and messages.
#[derive(Debug, Clone)]
pub struct PolicySource {
    pub path: PathBuf,
    /// The path as shown to users, relative to the workspace root.
    pub display: String,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warn,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warn => "warn",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub include_tests: bool,
    /// The baseline file, relative to the policy file's folder.
    pub baseline: String,
    /// Whether an inline suppression must give a reason.
    pub require_suppression_reason: bool,
    /// Whether every exemption (suppression, baseline entry) must say
    /// `until`.
    pub require_expiry: bool,
    /// How many days before its date an exemption is a warning.
    pub expiry_warning_days: i64,
    /// Why rules were removed: accepts `check --base` findings about rules
    /// that are gone.
    pub loosened: Option<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            include_tests: false,
            baseline: "boundaries-baseline.toml".to_string(),
            require_suppression_reason: false,
            require_expiry: false,
            expiry_warning_days: 30,
            loosened: None,
        }
    }
}

/// A list of patterns as written (`"a"` or `["a", "!b", "component"]`).
/// A component is kept whole, so its own `!` entries stay inside it:
/// `!internals` removes exactly what `internals` covers.
#[derive(Debug, Clone, Default)]
pub struct PatternList {
    pub include: Vec<Pattern>,
    pub exclude: Vec<Pattern>,
    pub include_components: Vec<PatternList>,
    pub exclude_components: Vec<PatternList>,
    pub span: Range<usize>,
}

impl PatternList {
    /// A component's definition as a list of its own.
    pub fn from_component(entries: &[(bool, Pattern)], span: Range<usize>) -> PatternList {
        let (exclude, include): (Vec<_>, Vec<_>) =
            entries.iter().cloned().partition(|(negated, _)| *negated);
        PatternList {
            include: include.into_iter().map(|(_, p)| p).collect(),
            exclude: exclude.into_iter().map(|(_, p)| p).collect(),
            span,
            ..PatternList::default()
        }
    }

    /// Whether the list has no entry at all.
    pub fn is_empty(&self) -> bool {
        self.include.is_empty()
            && self.exclude.is_empty()
            && self.include_components.is_empty()
            && self.exclude_components.is_empty()
    }

    /// Whether the list covers `path`: a positive entry covers it and no
    /// negative one does. A list of only negations covers everything else;
    /// an empty list covers nothing.
    pub fn covers(&self, path: &[&str]) -> bool {
        let included = if self.include.is_empty() && self.include_components.is_empty() {
            !self.exclude.is_empty() || !self.exclude_components.is_empty()
        } else {
            self.include.iter().any(|p| p.covers(path))
                || self.include_components.iter().any(|c| c.covers(path))
        };
        included && !self.excludes(path)
    }

    /// Whether a negative entry covers `path`.
    fn excludes(&self, path: &[&str]) -> bool {
        self.exclude.iter().any(|p| p.covers(path))
            || self.exclude_components.iter().any(|c| c.covers(path))
    }

    /// Whether `path` itself is a match of the list (a member).
    pub fn matches(&self, path: &[&str]) -> bool {
        (self.include.iter().any(|p| p.matches(path))
            || self.include_components.iter().any(|c| c.matches(path)))
            && !self.excludes(path)
    }

    /// The shortest ancestor-or-self of `path` that is a match: the member
    /// `path` belongs to.
    pub fn member_len(&self, path: &[&str]) -> Option<usize> {
        if self.excludes(path) {
            return None;
        }
        let own = self.include.iter().filter_map(|p| p.member_len(path));
        let components = self
            .include_components
            .iter()
            .filter_map(|c| c.member_len(path));
        own.chain(components).min()
    }

    /// The patterns written in this list (components are checked where
    /// they are defined).
    pub fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        self.include.iter().chain(&self.exclude)
    }
}

/// A `[[rule]]` table with its common fields read; the kind-specific fields
/// are read by the kind.
#[derive(Debug, Clone)]
pub struct RuleTable {
    pub kind: String,
    pub kind_span: Range<usize>,
    pub name: String,
    pub name_span: Option<Range<usize>>,
    pub reason: Option<String>,
    /// What to do instead, shown as the diagnostic's help after the reason.
    pub help: Option<String>,
    /// A URL documenting the rule (human output, SARIF `helpUri`).
    pub docs: Option<String>,
    /// Why the rule was loosened: a `check --base` finding against this
    /// rule is accepted when it is given.
    pub loosened: Option<String>,
    pub severity: Severity,
    /// The span shown as "rule defined here": the `[[rule]]` table.
    pub span: Range<usize>,
    pub fields: BTreeMap<String, (Range<usize>, Value)>,
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub source: PolicySource,
    pub settings: Settings,
    pub components: BTreeMap<String, Vec<(bool, Pattern)>>,
    pub rules: Vec<RuleTable>,
    /// How users may spell crates, used for every pattern of the policy.
    pub names: CrateNames,
}

/// Reads the policy, collecting every problem of the file itself. Crate
/// names are read as users write them (`names`).
pub fn parse(
    source: PolicySource,
    place: PolicyPlace,
    names: &CrateNames,
) -> (Policy, Vec<PolicyError>) {
    reader::read(source, place, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> Pattern {
        Pattern::parse(text, 0..0).unwrap()
    }

    #[test]
    fn a_negated_component_removes_exactly_what_it_covers() {
        // internals = ["shop::*", "!shop::c"]
        let internals = PatternList::from_component(
            &[(false, pattern("shop::*")), (true, pattern("shop::c"))],
            0..0,
        );
        let list = PatternList {
            exclude_components: vec![internals.clone()],
            ..PatternList::default()
        };
        assert!(!list.covers(&["shop", "a"]));
        assert!(list.covers(&["shop", "c"]));
        assert!(list.covers(&["other"]));

        // ["internals", "shop::c"]: the component's own `!` stays inside it.
        let list = PatternList {
            include: vec![pattern("shop::c")],
            include_components: vec![internals],
            ..PatternList::default()
        };
        assert!(list.covers(&["shop", "c", "x"]));
        assert!(list.covers(&["shop", "a"]));
        assert_eq!(list.member_len(&["shop", "a", "x"]), Some(2));
    }
}
