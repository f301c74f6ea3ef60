//! The one list of rule kinds, and compiling a policy's rule tables into
//! rules.

use super::fields::{Components, Fields};
use super::Rule;
use crate::policy::{
    Pattern, Policy, PolicyError, PolicyErrorCode, RuleTable, Universe, RULE_COMMON_FIELDS,
};

/// A rule kind: its name, its fields, its documentation and how to build it.
pub struct Kind {
    pub name: &'static str,
    pub fields: &'static [&'static str],
    /// The kind's source file, whose `//!` comment is its documentation.
    pub source: &'static str,
    pub build: fn(&mut Fields) -> Box<dyn Rule>,
}

/// Every rule kind, in the order the docs list them.
pub const KINDS: &[Kind] = &[
    super::forbid::KIND,
    super::allow::KIND,
    super::layers::KIND,
    super::independent::KIND,
    super::interface::KIND,
    super::acyclic::KIND,
];

pub fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// "a" or "an" before a kind's name.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The documentation of a kind: its file's `//!` comment.
pub fn documentation(kind: &Kind) -> String {
    kind.source
        .lines()
        .take_while(|line| line.starts_with("//!") || line.trim().is_empty())
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// The rule kinds' documentation as one Markdown text: what
/// `cargo boundaries rules` prints and `docs/rules.md` holds.
pub fn markdown(kinds: &[&Kind]) -> String {
    let sections: Vec<String> = kinds
        .iter()
        .map(|k| format!("## `{}`\n\n{}\n", k.name, shift_headings(&documentation(k))))
        .collect();
    format!("# Rule kinds\n\n{}", sections.join("\n"))
}

/// Puts a kind's `#` sections two levels below the page title.
fn shift_headings(doc: &str) -> String {
    let mut in_code = false;
    doc.lines()
        .map(|line| {
            if line.starts_with("```") {
                in_code = !in_code;
            }
            if !in_code && line.starts_with('#') {
                format!("##{line}")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub struct CompiledRule {
    pub table: RuleTable,
    pub rule: Box<dyn Rule>,
}

pub struct CompiledPolicy {
    pub rules: Vec<CompiledRule>,
}

impl CompiledPolicy {
    pub fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        self.rules.iter().flat_map(|r| r.rule.patterns())
    }

    /// Each rule's own checks against the workspace.
    pub fn validate(&self, universe: &Universe) -> Vec<PolicyError> {
        self.rules
            .iter()
            .flat_map(|r| r.rule.validate(universe))
            .collect()
    }
}

/// Builds every rule, collecting the problems of all of them.
pub fn compile(policy: &Policy) -> (CompiledPolicy, Vec<PolicyError>) {
    let mut errors = Vec::new();
    let mut rules = Vec::new();
    for table in &policy.rules {
        let Some(kind) = kind(&table.kind) else {
            errors.push(
                PolicyError::new(
                    PolicyErrorCode::UnknownKind,
                    table.kind_span.clone(),
                    format!("unknown rule kind `{}`", table.kind),
                    "unknown kind",
                )
                .suggest(&table.kind, KINDS.iter().map(|k| k.name)),
            );
            continue;
        };
        for (name, (span, _)) in &table.fields {
            if !kind.fields.contains(&name.as_str()) {
                let known = kind.fields.iter().chain(&RULE_COMMON_FIELDS).copied();
                errors.push(
                    PolicyError::new(
                        PolicyErrorCode::UnknownField,
                        span.clone(),
                        format!(
                            "unknown field `{name}` for {} `{}` rule",
                            article(kind.name),
                            kind.name
                        ),
                        "unknown field",
                    )
                    .suggest(name, known),
                );
            }
        }
        let components: &Components = &policy.components;
        let mut fields = Fields::new(table, components, &policy.names);
        let rule = (kind.build)(&mut fields);
        if fields.errors.is_empty() {
            rules.push(CompiledRule {
                table: table.clone(),
                rule,
            });
        } else {
            errors.append(&mut fields.errors);
        }
    }
    (CompiledPolicy { rules }, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_file_is_registered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/check");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            if text.contains("\npub const KIND: Kind = Kind {") {
                let stem = path.file_stem().unwrap().to_str().unwrap();
                assert!(
                    kind(stem).is_some(),
                    "{stem}.rs defines a rule kind missing from KINDS"
                );
            }
        }
    }

    #[test]
    fn docs_rules_md_is_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
        let expected = markdown(&KINDS.iter().collect::<Vec<_>>());
        if std::env::var_os("BOUNDARIES_BLESS").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "docs/rules.md is stale: run `BOUNDARIES_BLESS=1 cargo test docs_rules_md` to regenerate it"
        );
    }

    #[test]
    fn every_kind_documents_each_section() {
        for kind in KINDS {
            let doc = documentation(kind);
            for section in ["# What it does", "# Why", "# Example policy", "# Fields"] {
                assert!(
                    doc.contains(section),
                    "`{}` lacks a `{section}` section",
                    kind.name
                );
            }
            for field in kind.fields {
                assert!(
                    doc.contains(&format!("`{field}`")),
                    "`{}` does not document `{field}`",
                    kind.name
                );
            }
        }
    }
}
