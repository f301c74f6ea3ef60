//! The presets of `rules/`, each run on a fixture that satisfies it and one
//! that breaks it. Each preset fixture's `boundaries.toml` is a copy of its
//! preset, so `cargo boundaries` also works inside the fixture.

use serde_json::Value;

use crate::support::{check_json_with, fixture, project_root, violations, warnings};

const PRESETS: [&str; 3] = ["modular-monolith", "layered", "hexagonal"];

fn check_preset(preset: &str, which: &str) -> Value {
    let policy = format!("rules/{preset}.toml");
    check_json_with(&format!("preset-{preset}-{which}"), &["--policy", &policy])
}

fn sorted(mut lines: Vec<String>) -> Vec<String> {
    lines.sort();
    lines
}

fn assert_preset(preset: &str, which: &str, expected: &[&str]) {
    let report = check_preset(preset, which);
    let expected = sorted(expected.iter().map(|s| s.to_string()).collect());
    assert_eq!(
        sorted(violations(&report)),
        expected,
        "preset {preset} on its {which} fixture"
    );
    assert_eq!(
        warnings(&report),
        Vec::<String>::new(),
        "preset {preset} on its {which} fixture"
    );
}

#[test]
fn every_preset_passes_its_pass_fixture() {
    for preset in PRESETS {
        assert_preset(preset, "pass", &[]);
    }
}

#[test]
fn modular_monolith_preset_catches_each_broken_promise() {
    assert_preset(
        "modular-monolith",
        "fail",
        &[
            // billing reaches into accounts' storage instead of the re-export
            "domains-talk-through-api shop::billing::api -> shop::accounts::storage::AccountStore \
             (crates/shop/src/billing/api.rs:5 use)",
            // HTTP in the accounts domain logic
            "domain-logic-is-pure shop::accounts::domain -> axum::http::StatusCode \
             (crates/shop/src/accounts/domain.rs:13 path)",
            "domain-logic-is-pure shop::accounts::domain -> axum::http::StatusCode::NOT_FOUND \
             (crates/shop/src/accounts/domain.rs:15 path)",
            "domain-logic-is-pure shop::accounts::domain -> axum::http::StatusCode::UNPROCESSABLE_ENTITY \
             (crates/shop/src/accounts/domain.rs:16 path)",
            "domain-logic-is-pure shop::accounts::domain -> axum::http::StatusCode::SERVICE_UNAVAILABLE \
             (crates/shop/src/accounts/domain.rs:17 path)",
            // a catalog entity doubles as a row
            "domain-logic-is-pure shop::catalog::domain -> sqlx::FromRow (crates/shop/src/catalog/domain.rs:5 path)",
            "persistence-only-in-storage shop::catalog::domain -> sqlx::FromRow \
             (crates/shop/src/catalog/domain.rs:5 path)",
            // billing's api handles SQL errors itself
            "persistence-only-in-storage shop::billing::api -> sqlx::Error (crates/shop/src/billing/api.rs:24 path)",
            "persistence-only-in-storage shop::billing::api -> sqlx::Error::RowNotFound \
             (crates/shop/src/billing/api.rs:26 path)",
            // accounts -> billing -> accounts, reported once at its first edge
            "no-domain-cycles shop::accounts::api -> shop::billing::InvoiceStore \
             (crates/shop/src/accounts/api.rs:13 path)",
        ],
    );
    // The manifest dependencies (`sqlx` and `axum` declared by the crate
    // root `shop`) are not covered by `shop::*`: no violation above is a
    // manifest one.
    let report = check_preset("modular-monolith", "fail");
    let cycle: Vec<String> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["kind"] == "acyclic")
        .flat_map(|v| v["cycle"].as_array().unwrap().iter())
        .map(|e| {
            format!(
                "{} -> {}",
                e["from"].as_str().unwrap(),
                e["to"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        cycle,
        [
            "shop::accounts::api -> shop::billing",
            "shop::billing::api -> shop::accounts"
        ]
    );
}

#[test]
fn layered_preset_catches_upward_calls_and_leaking_frameworks() {
    assert_preset(
        "layered",
        "fail",
        &[
            "layers-point-down shop::domain::order -> shop::application::place_order::PlaceOrder \
             (src/domain/order.rs:31 path)",
            "layers-point-down shop::infrastructure::orders_table -> shop::domain::order::Order \
             (src/infrastructure/orders_table.rs:2 use)",
            "layers-point-down shop::infrastructure::orders_table -> shop::domain::order::Order::from \
             (src/infrastructure/orders_table.rs:22 path)",
            "transport-only-in-web shop::application::place_order -> axum::http::StatusCode \
             (src/application/place_order.rs:20 path)",
            "transport-only-in-web shop::application::place_order -> axum::http::StatusCode::NOT_FOUND \
             (src/application/place_order.rs:22 path)",
            "transport-only-in-web shop::application::place_order -> axum::http::StatusCode::BAD_REQUEST \
             (src/application/place_order.rs:23 path)",
            "persistence-only-in-infrastructure shop::web::orders -> sqlx::query_scalar (src/web/orders.rs:34 path)",
        ],
    );
}

#[test]
fn hexagonal_preset_catches_outward_dependencies_and_coupled_adapters() {
    assert_preset(
        "hexagonal",
        "fail",
        &[
            "domain-is-pure shop::domain::order -> sqlx::FromRow (src/domain/order.rs:10 path)",
            "domain-is-pure shop::domain::order -> shop::application::ports::OrderRepository \
             (src/domain/order.rs:33 path)",
            "dependencies-point-inward shop::domain::order -> shop::application::ports::OrderRepository \
             (src/domain/order.rs:33 path)",
            "dependencies-point-inward shop::application::place_order -> shop::adapters::postgres::PgOrders \
             (src/application/place_order.rs:12 path)",
            "application-is-framework-free shop::application::place_order -> axum::http::StatusCode \
             (src/application/place_order.rs:15 path)",
            "application-is-framework-free shop::application::place_order -> \
             axum::http::StatusCode::UNPROCESSABLE_ENTITY (src/application/place_order.rs:17 path)",
            "application-is-framework-free shop::application::place_order -> \
             axum::http::StatusCode::SERVICE_UNAVAILABLE (src/application/place_order.rs:18 path)",
            "adapters-are-independent shop::adapters::http -> shop::adapters::postgres::PgOrders \
             (src/adapters/http.rs:44 path)",
        ],
    );
}

#[test]
fn preset_fixtures_carry_their_preset_as_boundaries_toml() {
    for preset in PRESETS {
        let rules =
            std::fs::read_to_string(project_root().join("rules").join(format!("{preset}.toml")))
                .unwrap();
        for which in ["pass", "fail"] {
            let copy = std::fs::read_to_string(
                fixture(&format!("preset-{preset}-{which}")).join("boundaries.toml"),
            )
            .unwrap();
            assert_eq!(
                copy, rules,
                "fixtures/preset-{preset}-{which}/boundaries.toml differs from rules/{preset}.toml"
            );
        }
    }
}

#[test]
fn presets_are_written_for_the_shop_crate_and_commented() {
    for preset in PRESETS {
        let text =
            std::fs::read_to_string(project_root().join("rules").join(format!("{preset}.toml")))
                .unwrap();
        let comments = text
            .lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count();
        assert!(
            comments >= 15,
            "rules/{preset}.toml has only {comments} comment lines"
        );
        assert!(
            text.contains("Edit:"),
            "rules/{preset}.toml does not say to edit its crate lists"
        );
        let policy: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("rules/{preset}.toml: {e}"));
        let components: Vec<String> = policy
            .get("components")
            .and_then(|c| c.as_table())
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        for rule in policy["rule"].as_array().unwrap() {
            assert!(
                rule.get("reason").is_some(),
                "rules/{preset}.toml: a rule without a reason: {rule}"
            );
            assert!(
                rule.get("name").is_some(),
                "rules/{preset}.toml: a rule without a name: {rule}"
            );
            for field in ["from", "to", "modules", "module", "layers", "containers"] {
                let Some(value) = rule.get(field) else {
                    continue;
                };
                let mut patterns = Vec::new();
                collect_strings(value, &mut patterns);
                for pattern in patterns {
                    let bare = pattern.trim_start_matches('!');
                    assert!(
                        bare == "shop" || bare.starts_with("shop::") || components.iter().any(|c| c == bare),
                        "rules/{preset}.toml: `{pattern}` in `{field}` starts with neither `shop` nor a component"
                    );
                }
            }
        }
    }
}

fn collect_strings(value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::String(s) => out.push(s.clone()),
        toml::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}
