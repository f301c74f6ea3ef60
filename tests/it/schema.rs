//! `boundaries.schema.json`: generated from the rule registry, never stale,
//! and every fixture policy and preset checked against it by a real JSON
//! schema validator (the broken fixtures must be refused, for the reason
//! they are broken).

use std::path::Path;

use serde_json::{json, Value};

use crate::support::project_root;

fn schema() -> Value {
    let text = std::fs::read_to_string(project_root().join("boundaries.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::new(&schema()).expect("the schema is a valid draft-07 schema")
}

/// A policy file as JSON, as taplo hands it to the schema.
fn policy_json(text: &str) -> Value {
    let value: toml::Value = toml::from_str(text).unwrap();
    serde_json::to_value(value).unwrap()
}

fn errors(validator: &jsonschema::Validator, policy: &Value) -> Vec<String> {
    validator
        .iter_errors(policy)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

#[test]
fn the_committed_schema_is_what_the_registry_generates() {
    let path = project_root().join("boundaries.schema.json");
    let expected = cargo_boundaries::check::schema::json_text().unwrap();
    if std::env::var_os("BOUNDARIES_BLESS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "boundaries.schema.json is stale: run `BOUNDARIES_BLESS=1 cargo test --test it schema` to regenerate it"
    );
}

/// Fixtures whose policy is broken on purpose in its shape, which the
/// schema must refuse (other broken fixtures name what the workspace
/// lacks: the schema cannot know that).
const MISSHAPEN: [&str; 3] = ["bad-policy", "bad-policy-kinds", "bad-policy-syntax"];

#[test]
fn every_preset_and_fixture_policy_validates() {
    let validator = validator();
    let mut checked = 0;
    let presets = std::fs::read_dir(project_root().join("rules")).unwrap();
    let fixtures = std::fs::read_dir(project_root().join("fixtures")).unwrap();
    let mut files: Vec<_> = presets
        .map(|e| e.unwrap().path())
        .chain(fixtures.map(|e| e.unwrap().path().join("boundaries.toml")))
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .collect();
    files.sort();
    for file in files {
        let fixture = file.parent().and_then(Path::file_name).unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        if MISSHAPEN.iter().any(|m| fixture == *m) {
            let refused = toml::from_str::<toml::Value>(&text).map_or(true, |v| {
                !errors(&validator, &serde_json::to_value(v).unwrap()).is_empty()
            });
            assert!(
                refused,
                "{} is broken but passes the schema",
                file.display()
            );
            continue;
        }
        let found = errors(&validator, &policy_json(&text));
        assert!(found.is_empty(), "{}: {found:#?}", file.display());
        checked += 1;
    }
    assert!(checked > 40, "only {checked} policies checked");

    // The policy kept in a manifest's metadata table is the same schema.
    let manifest =
        std::fs::read_to_string(project_root().join("fixtures/policy-in-manifest/Cargo.toml"))
            .unwrap();
    let manifest = policy_json(&manifest);
    let table = manifest["workspace"]["metadata"]["boundaries"].clone();
    let table = if table.is_null() {
        manifest["package"]["metadata"]["boundaries"].clone()
    } else {
        table
    };
    assert!(table.is_object());
    assert_eq!(errors(&validator, &table), Vec::<String>::new());
    // And the project's own policy.
    let own = std::fs::read_to_string(project_root().join("boundaries.toml")).unwrap();
    assert_eq!(errors(&validator, &policy_json(&own)), Vec::<String>::new());
}

#[test]
fn the_schema_refuses_what_the_cli_refuses_in_shape() {
    let validator = validator();
    let refused = |policy: Value| !errors(&validator, &policy).is_empty();
    let rule = |fields: Value| json!({"version": 1, "rule": [fields]});
    // The misshapen fixture is refused.
    let kinds =
        std::fs::read_to_string(project_root().join("fixtures/bad-policy-kinds/boundaries.toml"))
            .unwrap();
    assert!(refused(policy_json(&kinds)));
    assert!(!refused(rule(
        json!({"kind": "forbid", "from": "a", "to": ["b", "!c"]})
    )));
    assert!(refused(rule(
        json!({"kind": "forbd", "from": "a", "to": "b"})
    )));
    assert!(refused(rule(json!({"kind": "forbid", "from": "a"}))));
    // A field of another kind.
    assert!(refused(rule(
        json!({"kind": "forbid", "from": "a", "to": "b", "strict": true})
    )));
    assert!(refused(rule(
        json!({"kind": "layers", "layers": ["a", ["b", "c"]], "strict": "yes"})
    )));
    assert!(refused(rule(
        json!({"kind": "forbid", "from": "a", "to": "b", "severity": "fatal"})
    )));
    assert!(refused(
        json!({"version": 2, "rule": [{"kind": "acyclic", "modules": "a"}]})
    ));
    assert!(refused(json!({"version": 1, "rule": []})));
    assert!(refused(
        json!({"version": 1, "rules": [{"kind": "acyclic", "modules": "a"}]})
    ));
    assert!(refused(
        json!({"version": 1, "settings": {"include_tests": true},
                            "rule": [{"kind": "acyclic", "modules": "a"}]})
    ));
}
