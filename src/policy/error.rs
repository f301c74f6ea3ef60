//! Every problem a policy can have, typed: code that reacts to an error
//! (`init` repairing what a preset names that the workspace lacks, the
//! reports) matches its [`PolicyErrorCode`], never its wording.

use std::ops::Range;

use super::PolicySource;

/// The identity of a policy problem: a stable kebab-case code, shown as
/// `boundaries::policy::<code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PolicyErrorCode {
    /// The file is not valid TOML.
    TomlSyntax,
    /// A top-level key the policy does not know.
    UnknownKey,
    /// A `[settings]` key the policy does not know.
    UnknownSetting,
    /// A value of the wrong type.
    WrongType,
    /// `version` is not `1`.
    UnsupportedVersion,
    /// The policy does not say `version = 1`.
    MissingVersion,
    /// The policy has no `[[rule]]`: it would check nothing.
    NoRules,
    /// `[workspace.metadata] boundaries = ...` that is not a table.
    WrongShape,
    /// A rule without `kind`.
    MissingKind,
    UnknownKind,
    /// A field the rule's kind does not have.
    UnknownField,
    /// A field the rule's kind needs.
    MissingField,
    UnknownSeverity,
    /// A rule named like a warning code.
    ReservedRuleName,
    RuleNameNotKebabCase,
    DuplicateRuleName,
    /// A pattern that cannot be parsed.
    BadPattern,
    /// A required pattern list with no entry, or a component with none.
    EmptyList,
    /// A component named like a crate.
    ComponentIsCrate,
    /// A component listing another component (not supported).
    ComponentInComponent,
    /// A bare name that is neither a component nor a crate.
    UnknownName,
    /// A pattern that matches nothing in the workspace.
    MatchesNothing,
    /// A `layers` entry listed twice.
    LayerListedTwice,
    TooFewLayers,
    /// A layer pattern that names nothing inside any container.
    LayerMatchesNothing,
    OverlappingContainers,
    /// An `independent` rule with fewer than two members.
    TooFewMembers,
    /// An `interface` rule whose `module` matches no module.
    NothingToGuard,
    /// An `expose` entry that no guarded module has.
    MissingExposedSubmodule,
}

impl PolicyErrorCode {
    pub const ALL: [PolicyErrorCode; 29] = [
        PolicyErrorCode::TomlSyntax,
        PolicyErrorCode::UnknownKey,
        PolicyErrorCode::UnknownSetting,
        PolicyErrorCode::WrongType,
        PolicyErrorCode::UnsupportedVersion,
        PolicyErrorCode::MissingVersion,
        PolicyErrorCode::NoRules,
        PolicyErrorCode::WrongShape,
        PolicyErrorCode::MissingKind,
        PolicyErrorCode::UnknownKind,
        PolicyErrorCode::UnknownField,
        PolicyErrorCode::MissingField,
        PolicyErrorCode::UnknownSeverity,
        PolicyErrorCode::ReservedRuleName,
        PolicyErrorCode::RuleNameNotKebabCase,
        PolicyErrorCode::DuplicateRuleName,
        PolicyErrorCode::BadPattern,
        PolicyErrorCode::EmptyList,
        PolicyErrorCode::ComponentIsCrate,
        PolicyErrorCode::ComponentInComponent,
        PolicyErrorCode::UnknownName,
        PolicyErrorCode::MatchesNothing,
        PolicyErrorCode::LayerListedTwice,
        PolicyErrorCode::TooFewLayers,
        PolicyErrorCode::LayerMatchesNothing,
        PolicyErrorCode::OverlappingContainers,
        PolicyErrorCode::TooFewMembers,
        PolicyErrorCode::NothingToGuard,
        PolicyErrorCode::MissingExposedSubmodule,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PolicyErrorCode::TomlSyntax => "toml-syntax",
            PolicyErrorCode::UnknownKey => "unknown-key",
            PolicyErrorCode::UnknownSetting => "unknown-setting",
            PolicyErrorCode::WrongType => "wrong-type",
            PolicyErrorCode::UnsupportedVersion => "unsupported-version",
            PolicyErrorCode::MissingVersion => "missing-version",
            PolicyErrorCode::NoRules => "no-rules",
            PolicyErrorCode::WrongShape => "wrong-shape",
            PolicyErrorCode::MissingKind => "missing-kind",
            PolicyErrorCode::UnknownKind => "unknown-kind",
            PolicyErrorCode::UnknownField => "unknown-field",
            PolicyErrorCode::MissingField => "missing-field",
            PolicyErrorCode::UnknownSeverity => "unknown-severity",
            PolicyErrorCode::ReservedRuleName => "reserved-rule-name",
            PolicyErrorCode::RuleNameNotKebabCase => "rule-name-not-kebab-case",
            PolicyErrorCode::DuplicateRuleName => "duplicate-rule-name",
            PolicyErrorCode::BadPattern => "bad-pattern",
            PolicyErrorCode::EmptyList => "empty-list",
            PolicyErrorCode::ComponentIsCrate => "component-is-crate",
            PolicyErrorCode::ComponentInComponent => "component-in-component",
            PolicyErrorCode::UnknownName => "unknown-name",
            PolicyErrorCode::MatchesNothing => "matches-nothing",
            PolicyErrorCode::LayerListedTwice => "layer-listed-twice",
            PolicyErrorCode::TooFewLayers => "too-few-layers",
            PolicyErrorCode::LayerMatchesNothing => "layer-matches-nothing",
            PolicyErrorCode::OverlappingContainers => "overlapping-containers",
            PolicyErrorCode::TooFewMembers => "too-few-members",
            PolicyErrorCode::NothingToGuard => "nothing-to-guard",
            PolicyErrorCode::MissingExposedSubmodule => "missing-exposed-submodule",
        }
    }

    /// Problems of the workspace rather than of the policy's text: a name
    /// the workspace lacks. A policy written for another workspace (a
    /// preset) may leave out what has one of these codes and still mean
    /// what it says about the rest.
    pub fn is_absent_name(self) -> bool {
        matches!(
            self,
            PolicyErrorCode::UnknownName
                | PolicyErrorCode::MatchesNothing
                | PolicyErrorCode::LayerMatchesNothing
                | PolicyErrorCode::MissingExposedSubmodule
        )
    }
}

/// One problem in the policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub code: PolicyErrorCode,
    pub span: Option<Range<usize>>,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    /// The name the help suggests instead of the one written, for an
    /// editor's quick fix.
    pub suggestion: Option<Box<Suggestion>>,
}

/// A "did you mean": what was written and the known name close to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub written: String,
    pub meant: String,
}

impl PolicyError {
    pub fn new(
        code: PolicyErrorCode,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> PolicyError {
        PolicyError {
            code,
            span: Some(span),
            message: message.into(),
            label: label.into(),
            help: None,
            suggestion: None,
        }
    }

    pub fn with_help(mut self, help: Option<String>) -> PolicyError {
        self.help = help;
        self
    }

    /// "did you mean `x`?" when a candidate is close to `input`.
    pub fn suggest<'a>(
        mut self,
        input: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> PolicyError {
        let meant = crate::suggest::closest(input, candidates);
        let help = meant.as_ref().map(|s| format!("did you mean `{s}`?"));
        self.suggestion = meant.map(|meant| {
            Box::new(Suggestion {
                written: input.to_string(),
                meant,
            })
        });
        self.with_help(help)
    }
}

/// Every problem found in a policy file, to be reported together.
#[derive(Debug)]
pub struct PolicyErrors {
    pub source: PolicySource,
    pub errors: Vec<PolicyError>,
}
