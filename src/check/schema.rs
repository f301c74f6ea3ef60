//! The policy's JSON schema, generated from the rule registry (each kind,
//! its fields, which of them a rule must have, its documentation) and the
//! policy reader's keys, so taplo and Even Better TOML complete and check
//! `boundaries.toml` without the language server. The repository ships it
//! as `boundaries.schema.json`; a test fails when that file is stale.
//!
//! The schema checks the file's shape only; what a pattern matches is for
//! `cargo boundaries check` (or the language server) to say.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::fields::Fields;
use super::registry::{documentation, Kind, KINDS};
use crate::policy::value::{Value as PolicyValue, ValueKind};
use crate::policy::{
    CrateNames, PolicyErrorCode, RuleTable, Severity, RULE_COMMON_FIELDS, SETTINGS, TOP_LEVEL,
};

/// What a rule field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldType {
    /// A pattern or a list of them.
    Patterns,
    /// `layers`: a list whose entries are a pattern or a list of peers.
    Layers,
    Bool,
}

/// The type of each kind-specific field; a field missing here is an error
/// of the generator, so a new field cannot ship without its type.
fn field_type(field: &str) -> Option<FieldType> {
    match field {
        "from" | "to" | "modules" | "module" | "expose" | "containers" => Some(FieldType::Patterns),
        "layers" => Some(FieldType::Layers),
        "strict" => Some(FieldType::Bool),
        _ => None,
    }
}

/// Each `[settings]` key: its schema.
fn setting(key: &str) -> Option<Value> {
    match key {
        "include-tests" => Some(json!({
            "type": "boolean",
            "default": false,
            "description": "Check cfg(test) code, tests/, benches/, examples/ and dev-dependencies too."
        })),
        "baseline" => Some(json!({
            "type": "string",
            "default": "boundaries-baseline.toml",
            "description": "The baseline file, relative to the policy's folder."
        })),
        "require-expiry" => Some(json!({
            "type": "boolean",
            "default": false,
            "description": "Every exemption (suppression or baseline entry) must say `until`."
        })),
        "expiry-warning-days" => Some(json!({
            "type": "integer",
            "minimum": 0,
            "default": 30,
            "description": "An exemption this many days or fewer before its date is a warning."
        })),
        "loosened" => Some(json!({
            "type": "string",
            "description": "Why rules removed since `check --base REF` are accepted."
        })),
        "require-suppression-reason" => Some(json!({
            "type": "boolean",
            "default": false,
            "description": "An inline `// boundaries: allow(rule)` comment must give a reason."
        })),
        _ => None,
    }
}

/// The schema as the committed file holds it (pretty, one trailing
/// newline), or the registry entry the generator cannot describe.
pub fn json_text() -> Result<String, String> {
    let schema = schema()?;
    Ok(serde_json::to_string_pretty(&schema).expect("a JSON value serializes") + "\n")
}

fn schema() -> Result<Value, String> {
    let mut settings = Map::new();
    for key in SETTINGS {
        settings.insert(
            key.to_string(),
            setting(key).ok_or_else(|| format!("setting `{key}` has no type in the schema"))?,
        );
    }
    let rules = KINDS.iter().map(rule_kind).collect::<Result<Vec<_>, _>>()?;
    let top = json!({
        "version": {
            "description": "The policy format's version: 1.",
            "const": 1
        },
        "settings": {
            "description": "How the workspace is read.",
            "type": "object",
            "properties": settings,
            "additionalProperties": false
        },
        "components": {
            "description": "Named pattern lists, usable wherever a pattern is.",
            "type": "object",
            "additionalProperties": {"$ref": "#/definitions/patterns"}
        },
        "rule": {
            "description": "The rules; a policy needs at least one.",
            "type": "array",
            "minItems": 1,
            "items": {"$ref": "#/definitions/rule"}
        }
    });
    // The top level's keys are the reader's, in its order.
    let top: Map<String, Value> = TOP_LEVEL
        .iter()
        .map(|key| {
            top.get(*key)
                .cloned()
                .map(|v| (key.to_string(), v))
                .ok_or_else(|| format!("top-level key `{key}` has no schema"))
        })
        .collect::<Result<_, _>>()?;
    Ok(json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "cargo-boundaries policy (boundaries.toml)",
        "description": "Module boundaries checked by `cargo boundaries`. Generated from the rule registry; see `cargo boundaries rules`.",
        "type": "object",
        "properties": top,
        "required": ["version", "rule"],
        "additionalProperties": false,
        "definitions": {
            "pattern": {
                "description": "A module, item or crate path: segments separated by `::`; `*` matches one segment (or any run of characters inside one), `**` any number; a leading `!` removes what it matches; a bare name may be a component.",
                "type": "string",
                "minLength": 1
            },
            "patterns": {
                "description": "A pattern, or a list of them.",
                "oneOf": [
                    {"$ref": "#/definitions/pattern"},
                    {"type": "array", "items": {"$ref": "#/definitions/pattern"}}
                ]
            },
            "layers": {
                "description": "The layers, top first; an entry is a pattern or a list of peer patterns.",
                "type": "array",
                "items": {
                    "oneOf": [
                        {"$ref": "#/definitions/pattern"},
                        {"type": "array", "items": {"$ref": "#/definitions/pattern"}}
                    ]
                }
            },
            "rule": {
                "type": "object",
                "properties": common_fields()?,
                "required": ["kind"],
                "allOf": rules
            }
        }
    }))
}

/// The fields every rule has, in the reader's order.
fn common_fields() -> Result<Value, String> {
    let kinds: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
    let descriptions: Vec<String> = KINDS
        .iter()
        .map(|k| format!("{}: {}", k.name, summary(k)))
        .collect();
    let fields = json!({
        "kind": {
            "description": format!("The rule's kind.\n{}", descriptions.join("\n")),
            "enum": kinds
        },
        "name": {
            "description": "The rule's name (kebab-case, unique); generated from the kind and position if absent.",
            "type": "string"
        },
        "reason": {
            "description": "Why the rule exists; shown as help with each violation.",
            "type": "string"
        },
        "help": {
            "description": "Shown as the diagnostic's help after the reason: what to do instead.",
            "type": "string"
        },
        "docs": {
            "description": "An http(s) URL documenting the rule, shown with its violations.",
            "type": "string",
            "pattern": "^https?://"
        },
        "loosened": {
            "description": "Why this rule was loosened: `check --base REF` accepts the change.",
            "type": "string"
        },
        "severity": {
            "description": "`error` fails the check; `warn` reports only.",
            "enum": [Severity::Error.as_str(), Severity::Warn.as_str()],
            "default": Severity::Error.as_str()
        }
    });
    RULE_COMMON_FIELDS
        .iter()
        .map(|field| {
            fields
                .get(*field)
                .cloned()
                .map(|schema| (field.to_string(), schema))
                .ok_or_else(|| format!("rule field `{field}` has no schema"))
        })
        .collect::<Result<Map<String, Value>, String>>()
        .map(Value::Object)
}

/// `if kind = K then` only K's fields, with those it needs.
fn rule_kind(kind: &Kind) -> Result<Value, String> {
    let docs = field_docs(kind);
    let mut properties = Map::new();
    for field in RULE_COMMON_FIELDS {
        properties.insert(field.to_string(), json!(true));
    }
    for field in kind.fields {
        let schema = match field_type(field) {
            Some(FieldType::Patterns) => json!({"$ref": "#/definitions/patterns"}),
            Some(FieldType::Layers) => json!({"$ref": "#/definitions/layers"}),
            Some(FieldType::Bool) => json!({"type": "boolean"}),
            None => {
                return Err(format!(
                    "field `{field}` of kind `{}` has no type in the schema",
                    kind.name
                ))
            }
        };
        // draft-07 ignores keywords beside `$ref`: the description goes in
        // an `allOf` around it.
        let described = match docs.get(*field) {
            Some(doc) => json!({"description": doc, "allOf": [schema]}),
            None => schema,
        };
        properties.insert(field.to_string(), described);
    }
    Ok(json!({
        "if": {"properties": {"kind": {"const": kind.name}}, "required": ["kind"]},
        "then": {
            "description": summary(kind),
            "properties": properties,
            "required": required_fields(kind)?,
            "additionalProperties": false
        }
    }))
}

/// The fields a rule of `kind` cannot do without: those whose absence the
/// kind itself reports (`missing-field`) when every other field is there.
fn required_fields(kind: &Kind) -> Result<Vec<&'static str>, String> {
    let names = CrateNames::default();
    let components = BTreeMap::new();
    let mut required = vec!["kind"];
    for &left_out in kind.fields {
        let mut fields = BTreeMap::new();
        for &field in kind.fields.iter().filter(|&&f| f != left_out) {
            let value = match field_type(field) {
                Some(FieldType::Patterns) => string("a"),
                Some(FieldType::Layers) => array(vec![string("a"), string("b")]),
                Some(FieldType::Bool) => value(ValueKind::Bool(false)),
                None => return Err(format!("field `{field}` has no type in the schema")),
            };
            fields.insert(field.to_string(), (0..0, value));
        }
        let table = RuleTable {
            kind: kind.name.to_string(),
            kind_span: 0..0,
            name: "schema".to_string(),
            name_span: None,
            reason: None,
            severity: Severity::Error,
            span: 0..0,
            fields,
            help: None,
            docs: None,
            loosened: None,
        };
        let mut reader = Fields::new(&table, &components, &names);
        let _ = (kind.build)(&mut reader);
        if reader
            .errors
            .iter()
            .any(|e| e.code == PolicyErrorCode::MissingField)
        {
            required.push(left_out);
        }
    }
    Ok(required)
}

fn value(kind: ValueKind) -> PolicyValue {
    PolicyValue { span: 0..0, kind }
}

fn string(text: &str) -> PolicyValue {
    value(ValueKind::String(text.to_string()))
}

fn array(items: Vec<PolicyValue>) -> PolicyValue {
    value(ValueKind::Array(items))
}

/// The first paragraph of a kind's "What it does".
fn summary(kind: &Kind) -> String {
    let doc = documentation(kind);
    doc.split("# What it does")
        .nth(1)
        .unwrap_or(&doc)
        .trim_start()
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Each field's bullet in the kind's `# Fields` section, as one line.
fn field_docs(kind: &Kind) -> BTreeMap<String, String> {
    let doc = documentation(kind);
    let Some(section) = doc.split("# Fields").nth(1) else {
        return BTreeMap::new();
    };
    let section = section.split("\n#").next().unwrap_or(section);
    let mut docs = BTreeMap::new();
    for bullet in section.split("\n- ").skip(1) {
        let Some(rest) = bullet.strip_prefix('`') else {
            continue;
        };
        let Some((name, _)) = rest.split_once('`') else {
            continue;
        };
        let text = bullet.split_whitespace().collect::<Vec<_>>().join(" ");
        docs.insert(name.to_string(), text);
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_fields_come_from_the_kinds_own_reading() {
        let required = |name| required_fields(super::super::registry::kind(name).unwrap());
        assert_eq!(required("forbid"), Ok(vec!["kind", "from", "to"]));
        assert_eq!(required("allow"), Ok(vec!["kind", "from", "to"]));
        assert_eq!(required("interface"), Ok(vec!["kind", "module"]));
        assert_eq!(required("layers"), Ok(vec!["kind", "layers"]));
    }

    #[test]
    fn every_field_is_documented_in_the_schema() {
        for kind in KINDS {
            let docs = field_docs(kind);
            for field in kind.fields {
                assert!(docs.contains_key(*field), "{}: {field}", kind.name);
            }
            assert!(!summary(kind).is_empty(), "{}", kind.name);
        }
    }
}
