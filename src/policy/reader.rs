//! Phase one of reading a policy: TOML with spans → [`Policy`], every
//! problem of the file itself collected (syntax, unknown keys with "did you
//! mean", wrong types, bad pattern syntax, duplicate names).

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::DeTable;

use super::discover::{metadata_table, PolicyPlace};
use super::error::PolicyErrorCode as Code;
use super::names::CrateNames;
use super::pattern::Pattern;
use super::value::{table_from_de, Table, Value, ValueKind};
use super::PatternList;
use super::{Policy, PolicyError, PolicySource, RuleTable, Settings, Severity};

/// The keys of the policy's top level.
pub const TOP_LEVEL: [&str; 4] = ["version", "settings", "components", "rule"];
/// The keys of `[settings]`.
pub const SETTINGS: [&str; 6] = [
    "include-tests",
    "baseline",
    "require-suppression-reason",
    "require-expiry",
    "expiry-warning-days",
    "loosened",
];
/// Fields every rule has, whatever its kind.
pub const RULE_COMMON_FIELDS: [&str; 7] = [
    "kind", "name", "reason", "severity", "help", "docs", "loosened",
];

pub fn read(
    source: PolicySource,
    place: PolicyPlace,
    names: &CrateNames,
) -> (Policy, Vec<PolicyError>) {
    let mut policy = Policy {
        source,
        settings: Settings::default(),
        components: BTreeMap::new(),
        rules: Vec::new(),
        names: names.clone(),
    };
    let (document, syntax) = DeTable::parse_recoverable(&policy.source.text);
    // What the parser recovers after a syntax error is a guess: the first
    // error is the one to fix, and problems derived from the guess would
    // only bury it.
    if let Some(error) = syntax.first() {
        let error = PolicyError {
            code: Code::TomlSyntax,
            span: error.span(),
            message: format!("invalid TOML: {}", error.message().trim_end()),
            label: "here".to_string(),
            help: None,
            suggestion: None,
        };
        return (policy, vec![error]);
    }
    let mut errors = Vec::new();
    let text = policy.source.text.clone();
    let document = table_from_de(document.get_ref());
    let table = match place {
        PolicyPlace::File => &document,
        metadata => match metadata_table(&document, metadata) {
            Some(Value {
                kind: ValueKind::Table(table),
                ..
            }) => table,
            Some(value) => {
                errors.push(
                    PolicyError::new(
                        Code::WrongShape,
                        value.span.clone(),
                        format!(
                            "{} must be a table holding the policy, found {}",
                            metadata.table(),
                            value.type_name()
                        ),
                        "expected a table",
                    )
                    .with_help(Some(format!(
                        "write the policy as `{}` with `version = 1` and its `[[...rule]]` tables",
                        metadata.table()
                    ))),
                );
                return (policy, errors);
            }
            None => return (policy, errors),
        },
    };
    // Where "the policy" is, for problems of the whole: the metadata table,
    // or the start of the file.
    let whole = match place {
        PolicyPlace::File => 0..0,
        metadata => metadata_table(&document, metadata).map_or(0..0, |v| v.span.clone()),
    };

    for (key, value) in &table.entries {
        match key.name.as_str() {
            "version" => match value.kind {
                ValueKind::Integer(1) => {}
                _ => errors.push(PolicyError::new(
                    Code::UnsupportedVersion,
                    value.span.clone(),
                    "unsupported policy version",
                    "expected `1`",
                )),
            },
            "settings" => read_settings(value, &mut policy.settings, &mut errors),
            "components" => read_components(value, &mut policy.components, names, &mut errors),
            "rule" => read_rules(value, &mut policy.rules, &mut errors, &text),
            other => errors.push(
                PolicyError::new(
                    Code::UnknownKey,
                    key.span.clone(),
                    format!("unknown key `{other}`"),
                    "unknown key",
                )
                .suggest(other, TOP_LEVEL),
            ),
        }
    }
    if table.get("version").is_none() {
        errors.push(
            PolicyError::new(
                Code::MissingVersion,
                whole.clone(),
                "the policy does not say `version = 1`",
                "no `version`",
            )
            .with_help(Some(
                "add `version = 1` before the first table: a policy must say which format it is"
                    .to_string(),
            )),
        );
    }
    let has_rules = match table.get("rule").map(|v| &v.kind) {
        Some(ValueKind::Array(items)) => !items.is_empty(),
        Some(_) => true,
        None => false,
    };
    if !has_rules {
        errors.push(
            PolicyError::new(
                Code::NoRules,
                whole,
                "the policy has no rules, so it would check nothing",
                "no `[[rule]]`",
            )
            .with_help(Some(
                "add a `[[rule]]` (`cargo boundaries rules` lists the kinds), or run `cargo boundaries init`"
                    .to_string(),
            )),
        );
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
        Code::WrongType,
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
            ("loosened", ValueKind::String(s)) => settings.loosened = Some(s.clone()),
            ("loosened", _) => errors.push(type_error(value, &key.name, "a string")),
            ("require-expiry", ValueKind::Bool(b)) => settings.require_expiry = *b,
            ("expiry-warning-days", ValueKind::Integer(days)) if *days >= 0 => {
                settings.expiry_warning_days = *days
            }
            ("expiry-warning-days", _) => {
                errors.push(type_error(value, &key.name, "a whole number of days"))
            }
            ("include-tests" | "require-suppression-reason" | "require-expiry", _) => {
                errors.push(type_error(value, &key.name, "a boolean"))
            }
            ("baseline", _) => errors.push(type_error(value, &key.name, "a string")),
            (other, _) => errors.push(
                PolicyError::new(
                    Code::UnknownSetting,
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
    names: &CrateNames,
    errors: &mut Vec<PolicyError>,
) {
    let Some(table) = expect_table(value, "components", errors) else {
        return;
    };
    let keys: Vec<&str> = table.entries.iter().map(|(k, _)| k.name.as_str()).collect();
    for (key, value) in &table.entries {
        let strings = match string_list(value, &key.name) {
            Ok(strings) => strings,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if strings.is_empty() {
            errors.push(empty_list(
                value.span.clone(),
                &format!("component `{}`", key.name),
            ));
        }
        let mut patterns = Vec::new();
        for (text, span) in strings {
            let (negated, body) = match text.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, text.as_str()),
            };
            if keys.contains(&body) {
                errors.push(
                    PolicyError::new(
                        Code::ComponentInComponent,
                        span,
                        format!("component `{}` lists component `{body}`", key.name),
                        "a component cannot name another component",
                    )
                    .with_help(Some(format!(
                        "components do not nest: list `{body}`'s patterns in `{}` instead",
                        key.name
                    ))),
                );
                continue;
            }
            match parse_pattern(body, span.clone(), names) {
                Ok(p) => patterns.push((negated, p)),
                Err(e) => errors.push(e),
            }
        }
        components.insert(key.name.clone(), patterns);
    }
}

/// Parses a pattern as the user wrote it: a package spelling is taken as
/// its crate's name.
fn parse_pattern(
    text: &str,
    span: Range<usize>,
    names: &CrateNames,
) -> Result<Pattern, PolicyError> {
    let canonical = names.canonical(text);
    Pattern::parse(&canonical, span.clone())
        .map(|mut pattern| {
            pattern.text = text.to_string();
            pattern
        })
        .map_err(|e| {
            PolicyError::new(
                Code::BadPattern,
                span,
                format!("bad pattern `{text}`: {e}"),
                "bad pattern",
            )
        })
}

/// A list that must name something but names nothing.
pub fn empty_list(span: Range<usize>, what: &str) -> PolicyError {
    PolicyError::new(
        Code::EmptyList,
        span,
        format!("{what} is an empty list, so it covers nothing"),
        "empty list",
    )
    .with_help(Some(
        "list at least one pattern, or remove what uses it".to_string(),
    ))
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
    names: &CrateNames,
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
        match parse_pattern(body, span, names) {
            Ok(pattern) if negated => list.exclude.push(pattern),
            Ok(pattern) => list.include.push(pattern),
            Err(e) => errors.push(e),
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
                    Code::DuplicateRuleName,
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
            PolicyError::new(
                Code::MissingKind,
                item.span.clone(),
                "rule has no `kind`",
                "missing `kind`",
            )
            .with_help(Some(
                "add `kind = \"forbid\"` (see `cargo boundaries rules`)".to_string(),
            )),
        );
    }
    let name = string("name", errors);
    if let Some((name, span)) = &name {
        if crate::warning::WarningCode::ALL
            .iter()
            .any(|code| code.as_str() == name)
        {
            errors.push(PolicyError::new(
                Code::ReservedRuleName,
                span.clone(),
                format!("rule name `{name}` is the code of a warning"),
                "reserved name",
            ));
        }
        if !is_kebab_case(name) {
            errors.push(PolicyError::new(
                Code::RuleNameNotKebabCase,
                span.clone(),
                format!("rule name `{name}` is not kebab-case"),
                "use lowercase words joined by `-`",
            ));
        }
    }
    let reason = string("reason", errors).map(|(r, _)| r);
    let help = string("help", errors).map(|(h, _)| h);
    let docs = string("docs", errors).and_then(|(url, span)| {
        if url.starts_with("https://") || url.starts_with("http://") {
            Some(url)
        } else {
            errors.push(PolicyError::new(
                Code::WrongType,
                span,
                "`docs` must be a URL starting with `https://` or `http://`",
                "expected a URL",
            ));
            None
        }
    });
    let loosened = string("loosened", errors).map(|(l, _)| l);
    let severity = match table.get("severity") {
        None => Severity::Error,
        Some(value) => match &value.kind {
            ValueKind::String(s) if s == "error" => Severity::Error,
            ValueKind::String(s) if s == "warn" => Severity::Warn,
            ValueKind::String(s) => {
                errors.push(
                    PolicyError::new(
                        Code::UnknownSeverity,
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
        help,
        docs,
        loosened,
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
