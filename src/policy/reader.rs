//! Phase one of reading a policy: TOML with spans → [`Policy`], every
//! problem of the file itself collected (syntax, unknown keys with "did you
//! mean", wrong types, bad pattern syntax, duplicate names).

use std::collections::BTreeMap;

use toml::de::DeTable;

use super::pattern::Pattern;
use super::value::{table_from_de, Table, Value, ValueKind};
use super::PatternList;
use super::{Policy, PolicyError, PolicySource, RuleTable, Settings, Severity};

const TOP_LEVEL: [&str; 4] = ["version", "settings", "components", "rule"];
const SETTINGS: [&str; 3] = ["include-tests", "baseline", "require-suppression-reason"];
/// Fields every rule has, whatever its kind.
pub const RULE_COMMON_FIELDS: [&str; 4] = ["kind", "name", "reason", "severity"];

pub fn has_metadata_policy(manifest: &str) -> bool {
    DeTable::parse(manifest)
        .ok()
        .map(|t| table_from_de(t.get_ref()))
        .and_then(|t| metadata_table(&t).cloned())
        .is_some()
}

fn metadata_table(root: &Table) -> Option<&Value> {
    let workspace = root.get("workspace")?;
    let ValueKind::Table(workspace) = &workspace.kind else {
        return None;
    };
    let ValueKind::Table(metadata) = &workspace.get("metadata")?.kind else {
        return None;
    };
    metadata.get("boundaries")
}

pub fn read(source: PolicySource, in_manifest: bool) -> (Policy, Vec<PolicyError>) {
    let mut errors = Vec::new();
    let text = source.text.clone();
    let (document, syntax) = DeTable::parse_recoverable(&source.text);
    for error in syntax {
        errors.push(PolicyError {
            span: error.span(),
            message: format!("invalid TOML: {}", error.message().trim_end()),
            label: "here".to_string(),
            help: None,
        });
    }
    let document = table_from_de(document.get_ref());
    let empty = Table::default();
    let table = if in_manifest {
        match metadata_table(&document).map(|v| &v.kind) {
            Some(ValueKind::Table(t)) => t,
            _ => &empty,
        }
    } else {
        &document
    };

    let mut policy = Policy {
        source,
        settings: Settings::default(),
        components: BTreeMap::new(),
        rules: Vec::new(),
    };
    for (key, value) in &table.entries {
        match key.name.as_str() {
            "version" => match value.kind {
                ValueKind::Integer(1) => {}
                _ => errors.push(PolicyError::new(
                    value.span.clone(),
                    "unsupported policy version",
                    "expected `1`",
                )),
            },
            "settings" => read_settings(value, &mut policy.settings, &mut errors),
            "components" => read_components(value, &mut policy.components, &mut errors),
            "rule" => read_rules(value, &mut policy.rules, &mut errors, &text),
            other => errors.push(
                PolicyError::new(
                    key.span.clone(),
                    format!("unknown key `{other}`"),
                    "unknown key",
                )
                .suggest(other, TOP_LEVEL),
            ),
        }
    }
    (policy, errors)
}

fn expect_table<'a>(
    value: &'a Value,
    what: &str,
    errors: &mut Vec<PolicyError>,
) -> Option<&'a Table> {
    match &value.kind {
        ValueKind::Table(t) => Some(t),
        _ => {
            errors.push(type_error(value, what, "a table"));
            None
        }
    }
}

pub fn type_error(value: &Value, what: &str, expected: &str) -> PolicyError {
    PolicyError::new(
        value.span.clone(),
        format!("`{what}` must be {expected}, found {}", value.type_name()),
        format!("expected {expected}"),
    )
}

fn read_settings(value: &Value, settings: &mut Settings, errors: &mut Vec<PolicyError>) {
    let Some(table) = expect_table(value, "settings", errors) else {
        return;
    };
    for (key, value) in &table.entries {
        match (key.name.as_str(), &value.kind) {
            ("include-tests", ValueKind::Bool(b)) => settings.include_tests = *b,
            ("require-suppression-reason", ValueKind::Bool(b)) => {
                settings.require_suppression_reason = *b
            }
            ("baseline", ValueKind::String(s)) => settings.baseline = s.clone(),
            ("include-tests" | "require-suppression-reason", _) => {
                errors.push(type_error(value, &key.name, "a boolean"))
            }
            ("baseline", _) => errors.push(type_error(value, &key.name, "a string")),
            (other, _) => errors.push(
                PolicyError::new(
                    key.span.clone(),
                    format!("unknown setting `{other}`"),
                    "unknown setting",
                )
                .suggest(other, SETTINGS),
            ),
        }
    }
}

fn read_components(
    value: &Value,
    components: &mut BTreeMap<String, Vec<(bool, Pattern)>>,
    errors: &mut Vec<PolicyError>,
) {
    let Some(table) = expect_table(value, "components", errors) else {
        return;
    };
    for (key, value) in &table.entries {
        let strings = match string_list(value, &key.name) {
            Ok(strings) => strings,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let mut patterns = Vec::new();
        for (text, span) in strings {
            let (negated, text) = match text.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, text.as_str()),
            };
            match Pattern::parse(text, span.clone()) {
                Ok(p) => patterns.push((negated, p)),
                Err(e) => errors.push(PolicyError::new(
                    span,
                    format!("bad pattern `{text}`: {e}"),
                    "bad pattern",
                )),
            }
        }
        components.insert(key.name.clone(), patterns);
    }
}

/// A string or an array of strings, each with its span.
fn string_list(
    value: &Value,
    what: &str,
) -> Result<Vec<(String, std::ops::Range<usize>)>, PolicyError> {
    match &value.kind {
        ValueKind::String(s) => Ok(vec![(s.clone(), value.span.clone())]),
        ValueKind::Array(items) => items
            .iter()
            .map(|item| match &item.kind {
                ValueKind::String(s) => Ok((s.clone(), item.span.clone())),
                _ => Err(type_error(item, what, "a string")),
            })
            .collect(),
        _ => Err(type_error(value, what, "a pattern or a list of patterns")),
    }
}

/// Reads a pattern list field, expanding component names. Bare names that
/// are neither components nor crates are caught by validation.
pub fn read_pattern_list(
    value: &Value,
    what: &str,
    components: &BTreeMap<String, Vec<(bool, Pattern)>>,
) -> Result<PatternList, Vec<PolicyError>> {
    let strings = string_list(value, what).map_err(|e| vec![e])?;
    let mut list = PatternList {
        span: value.span.clone(),
        ..PatternList::default()
    };
    let mut errors = Vec::new();
    for (text, span) in strings {
        let (negated, body) = match text.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        if let Some(entries) = components.get(body) {
            let component = PatternList::from_component(entries, span);
            if negated {
                list.exclude_components.push(component);
            } else {
                list.include_components.push(component);
            }
            continue;
        }
        match Pattern::parse(body, span.clone()) {
            Ok(pattern) if negated => list.exclude.push(pattern),
            Ok(pattern) => list.include.push(pattern),
            Err(e) => errors.push(PolicyError::new(
                span,
                format!("bad pattern `{body}`: {e}"),
                "bad pattern",
            )),
        }
    }
    if errors.is_empty() {
        Ok(list)
    } else {
        Err(errors)
    }
}

fn read_rules(
    value: &Value,
    rules: &mut Vec<RuleTable>,
    errors: &mut Vec<PolicyError>,
    text: &str,
) {
    let ValueKind::Array(items) = &value.kind else {
        errors.push(type_error(value, "rule", "an array of tables (`[[rule]]`)"));
        return;
    };
    let mut names: BTreeMap<String, std::ops::Range<usize>> = BTreeMap::new();
    for (index, item) in items.iter().enumerate() {
        let Some(table) = expect_table(item, "rule", errors) else {
            continue;
        };
        let Some(rule) = read_rule(index, item, table, errors) else {
            continue;
        };
        if let Some(first) = names.get(&rule.name) {
            let span = rule.name_span.clone().unwrap_or(rule.span.clone());
            errors.push(
                PolicyError::new(
                    span,
                    format!("duplicate rule name `{}`", rule.name),
                    "used again here",
                )
                .with_help(Some(format!(
                    "rule names must be unique; `{}` is first used on line {}",
                    rule.name,
                    crate::location::LineIndex::new(text)
                        .location(String::new(), first.clone())
                        .line
                ))),
            );
        } else {
            names.insert(
                rule.name.clone(),
                rule.name_span.clone().unwrap_or(rule.span.clone()),
            );
        }
        rules.push(rule);
    }
}

fn read_rule(
    index: usize,
    item: &Value,
    table: &Table,
    errors: &mut Vec<PolicyError>,
) -> Option<RuleTable> {
    let string =
        |key: &str, errors: &mut Vec<PolicyError>| -> Option<(String, std::ops::Range<usize>)> {
            let value = table.get(key)?;
            match &value.kind {
                ValueKind::String(s) => Some((s.clone(), value.span.clone())),
                _ => {
                    errors.push(type_error(value, key, "a string"));
                    None
                }
            }
        };
    let kind = string("kind", errors);
    if kind.is_none() && table.get("kind").is_none() {
        errors.push(
            PolicyError::new(item.span.clone(), "rule has no `kind`", "missing `kind`").with_help(
                Some("add `kind = \"forbid\"` (see `cargo boundaries rules`)".to_string()),
            ),
        );
    }
    let name = string("name", errors);
    if let Some((name, span)) = &name {
        if crate::warning::WarningCode::ALL
            .iter()
            .any(|code| code.as_str() == name)
        {
            errors.push(PolicyError::new(
                span.clone(),
                format!("rule name `{name}` is the code of a warning"),
                "reserved name",
            ));
        }
        if !is_kebab_case(name) {
            errors.push(PolicyError::new(
                span.clone(),
                format!("rule name `{name}` is not kebab-case"),
                "use lowercase words joined by `-`",
            ));
        }
    }
    let reason = string("reason", errors).map(|(r, _)| r);
    let severity = match table.get("severity") {
        None => Severity::Error,
        Some(value) => match &value.kind {
            ValueKind::String(s) if s == "error" => Severity::Error,
            ValueKind::String(s) if s == "warn" => Severity::Warn,
            ValueKind::String(s) => {
                errors.push(
                    PolicyError::new(
                        value.span.clone(),
                        format!("unknown severity `{s}`"),
                        "expected `error` or `warn`",
                    )
                    .suggest(s, ["error", "warn"]),
                );
                Severity::Error
            }
            _ => {
                errors.push(type_error(value, "severity", "`\"error\"` or `\"warn\"`"));
                Severity::Error
            }
        },
    };
    let fields = table
        .entries
        .iter()
        .filter(|(k, _)| !RULE_COMMON_FIELDS.contains(&k.name.as_str()))
        .map(|(k, v)| (k.name.clone(), (k.span.clone(), v.clone())))
        .collect();
    let (kind, kind_span) = kind?;
    Some(RuleTable {
        name: name
            .as_ref()
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| format!("{kind}-{}", index + 1)),
        name_span: name.map(|(_, s)| s),
        kind,
        kind_span,
        reason,
        severity,
        span: item.span.clone(),
        fields,
    })
}

fn is_kebab_case(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
