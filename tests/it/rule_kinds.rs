//! Each rule kind on realistic pass and fail fixtures: the fail fixture's
//! violations are listed completely (a false positive fails the test), the
//! pass fixture has none. Bad rules of every kind are reported at once.

use serde_json::Value;

use crate::support::{check_json, manifest, run, violations, warnings};

fn sorted(mut lines: Vec<String>) -> Vec<String> {
    lines.sort();
    lines
}

fn strings(lines: &[&str]) -> Vec<String> {
    sorted(lines.iter().map(|s| s.to_string()).collect())
}

fn assert_clean(name: &str) {
    let report = check_json(name);
    assert_eq!(violations(&report), Vec::<String>::new(), "{name}");
    assert_eq!(warnings(&report), Vec::<String>::new(), "{name}");
}

fn assert_violations(name: &str, expected: &[&str]) -> Value {
    let report = check_json(name);
    assert_eq!(sorted(violations(&report)), strings(expected), "{name}");
    assert_eq!(warnings(&report), Vec::<String>::new(), "{name}");
    report
}

fn exit_code(name: &str) -> i32 {
    let manifest = manifest(name);
    run(&["check", "--format", "json", "--manifest-path", &manifest]).code
}

// ---------------------------------------------------------------- layers

#[test]
fn layers_pass_peers_unlayered_modules_and_other_containers() {
    // jobs and service are peers; `model` is in no layer; billing's service
    // reading accounts' storage crosses containers (not this rule's business);
    // http skipping down to platform is fine in the non-strict rule.
    assert_clean("kind-layers-pass");
    assert_eq!(exit_code("kind-layers-pass"), 0);
}

#[test]
fn layers_fail_upward_and_strict_skips() {
    assert_violations(
        "kind-layers-fail",
        &[
            // app-layers (no containers): the domains climb to http...
            "app-layers shop::accounts::service -> shop::http::Status (src/accounts/service.rs:5 path)",
            "app-layers shop::accounts::service -> shop::http::Status::BadRequest (src/accounts/service.rs:7 path)",
            // ...and the platform climbs to a domain
            "app-layers shop::platform::db -> shop::billing::model::Invoice (src/platform/db.rs:3 use)",
            // domain-layers (containers, strict): upward inside one container
            "domain-layers shop::accounts::storage -> shop::accounts::service::normalize \
             (src/accounts/storage.rs:6 path)",
            "domain-layers shop::billing::jobs -> shop::billing::api::invoice_total (src/billing/jobs.rs:12 macro)",
            // strict: api may only use service/jobs, not skip to storage
            "domain-layers shop::billing::api -> shop::billing::storage::invoice_count \
             (src/billing/api.rs:17 path)",
        ],
    );
    assert_eq!(exit_code("kind-layers-fail"), 1);
}

#[test]
fn layers_messages_name_the_layers() {
    let report = check_json("kind-layers-fail");
    let mut messages: Vec<String> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            format!(
                "{} {}",
                v["kind"].as_str().unwrap(),
                v["message"].as_str().unwrap()
            )
        })
        .collect();
    messages.sort();
    messages.dedup();
    assert_eq!(
        messages,
        strings(&[
            "layers `shop::accounts::service` (layer 2) must not depend on `shop::http` (higher layer 1)",
            "layers `shop::accounts::storage` (layer 3) must not depend on `shop::accounts::service` (higher layer 2)",
            "layers `shop::billing::api` (layer 1) may only depend on layer 2, not on `shop::billing::storage` (layer 3)",
            "layers `shop::billing::jobs` (layer 2) must not depend on `shop::billing::api` (higher layer 1)",
            "layers `shop::platform::db` (layer 3) must not depend on `shop::billing::model` (higher layer 2)",
        ])
    );
}

// ----------------------------------------------------------- independent

#[test]
fn independent_pass_kernel_crate_binary_and_root_items() {
    // shop_kernel and the shop_app binary are not members; `shop::Error` is
    // an item of the crate root, not a member.
    assert_clean("kind-independent-pass");
}

#[test]
fn independent_fail_reports_references_from_submodules() {
    let report = assert_violations(
        "kind-independent-fail",
        &[
            "domains-are-independent shop::orders::checkout::totals -> shop::catalog::pricing::discounted \
             (crates/shop/src/orders/checkout/totals.rs:1 use)",
            "domains-are-independent shop::orders::checkout::totals -> shop::catalog::Product \
             (crates/shop/src/orders/checkout/totals.rs:12 path)",
            "domains-are-independent shop::shipping::label -> shop::orders::Order \
             (crates/shop/src/shipping/label.rs:14 path)",
            "domains-are-independent shop::catalog::products -> shop::shipping::rates::BASE_CENTS \
             (crates/shop/src/catalog/products.rs:19 macro)",
        ],
    );
    let first = &report["violations"].as_array().unwrap()[0];
    assert_eq!(first["kind"], "independent");
    assert_eq!(
        first["message"],
        "`shop::catalog` and `shop::shipping` must stay independent, but `shop::catalog::products` \
         depends on `shop::shipping::rates`"
    );
}

// ------------------------------------------------------------- interface

#[test]
fn interface_pass_root_reexports_exposed_submodules_and_own_internals() {
    // billing uses `crate::accounts::Account` (re-exported from storage in
    // accounts/mod.rs), `accounts::api` and `accounts::events`; accounts'
    // api reaches into its own storage; notifications uses
    // `crate::billing::Ledger` (re-exported) and `billing::api`.
    assert_clean("kind-interface-pass");
}

#[test]
fn interface_fail_guards_each_domain_separately() {
    let report = assert_violations(
        "kind-interface-fail",
        &[
            "domains-expose-api-and-events shop::billing::invoice -> shop::accounts::storage::AccountRow \
             (src/billing/invoice.rs:1 use)",
            "domains-expose-api-and-events shop::billing::api -> shop::accounts::storage::sql::SELECT_BY_ID \
             (src/billing/api.rs:27 path)",
            "domains-expose-api-and-events shop::notifications::mailer -> shop::billing::invoice::Invoice \
             (src/notifications/mailer.rs:3 use)",
            "domains-expose-api-and-events shop::notifications::mailer -> shop::billing::invoice::render \
             (src/notifications/mailer.rs:3 use)",
            "domains-expose-api-and-events shop::accounts::api -> shop::notifications::templates::WELCOME \
             (src/accounts/api.rs:25 macro)",
        ],
    );
    let mut messages: Vec<&str> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["message"].as_str().unwrap())
        .collect();
    messages.sort();
    assert_eq!(
        messages,
        [
            "`shop::accounts::api` reaches into `shop::notifications::templates`, which `shop::notifications` does not expose",
            "`shop::billing::api` reaches into `shop::accounts::storage::sql`, which `shop::accounts` does not expose",
            "`shop::billing::invoice` reaches into `shop::accounts::storage`, which `shop::accounts` does not expose",
            "`shop::notifications::mailer` reaches into `shop::billing::invoice`, which `shop::billing` does not expose",
            "`shop::notifications::mailer` reaches into `shop::billing::invoice`, which `shop::billing` does not expose",
        ]
    );
}

// --------------------------------------------------------------- acyclic

#[test]
fn acyclic_pass_a_dag_of_domains() {
    assert_clean("kind-acyclic-pass");
}

#[test]
fn acyclic_fail_reports_each_cycle_once_with_every_edge() {
    let report = assert_violations(
        "kind-acyclic-fail",
        &[
            // one entry per cycle, located at its first edge
            "no-domain-cycles shop::catalog -> shop::inventory::Stock (src/catalog.rs:3 use)",
            "no-domain-cycles shop::orders -> shop::payments::Payment (src/orders/mod.rs:12 path)",
        ],
    );
    let cycles: Vec<(String, Vec<String>)> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let edges = v["cycle"]
                .as_array()
                .expect("a cycle violation lists its edges")
                .iter()
                .map(|e| {
                    format!(
                        "{} -> {} [{}] {} {}:{}:{}",
                        e["from"].as_str().unwrap(),
                        e["to"].as_str().unwrap(),
                        e["path"].as_str().unwrap(),
                        e["via"].as_str().unwrap(),
                        e["file"].as_str().unwrap(),
                        e["line"],
                        e["column"]
                    )
                })
                .collect();
            (v["message"].as_str().unwrap().to_string(), edges)
        })
        .collect();
    assert_eq!(
        cycles,
        vec![
            (
                "dependency cycle: shop::catalog → shop::inventory → shop::shipping → shop::catalog".to_string(),
                vec![
                    "shop::catalog -> shop::inventory [shop::inventory::Stock] use src/catalog.rs:3:5".to_string(),
                    "shop::inventory::stock -> shop::shipping [shop::shipping::Shipment] use src/inventory/stock.rs:3:5"
                        .to_string(),
                    "shop::shipping::dispatch -> shop::catalog [shop::catalog::Product] path src/shipping/dispatch.rs:4:44"
                        .to_string(),
                ]
            ),
            (
                "dependency cycle: shop::orders → shop::payments → shop::orders".to_string(),
                vec![
                    "shop::orders -> shop::payments [shop::payments::Payment] path src/orders/mod.rs:12:25".to_string(),
                    "shop::payments -> shop::orders [shop::orders::Order] path src/payments.rs:18:23".to_string(),
                ]
            ),
        ]
    );
    assert_eq!(exit_code("kind-acyclic-fail"), 1);
}

#[test]
fn acyclic_human_output_shows_every_edge() {
    let manifest = manifest("kind-acyclic-fail");
    let run = run(&["check", "--color", "never", "--manifest-path", &manifest]);
    assert_eq!(
        run.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let output = format!("{}{}", run.stdout, run.stderr);
    for needle in [
        "boundaries::acyclic",
        "dependency cycle: shop::catalog → shop::inventory → shop::shipping → shop::catalog",
        "edge 1 of the cycle: `shop::catalog` → `shop::inventory::Stock`",
        "edge 2 of the cycle: `shop::inventory::stock` → `shop::shipping::Shipment`",
        "edge 3 of the cycle: `shop::shipping::dispatch` → `shop::catalog::Product`",
        "src/catalog.rs:3:5",
        "src/inventory/stock.rs:3:5",
        "src/shipping/dispatch.rs:4:44",
        "dependency cycle: shop::orders → shop::payments → shop::orders",
        "edge 1 of the cycle: `shop::orders` → `shop::payments::Payment`",
        "edge 2 of the cycle: `shop::payments` → `shop::orders::Order`",
        "src/orders/mod.rs:12:25",
        "src/payments.rs:18:23",
        "2 violations",
    ] {
        assert!(output.contains(needle), "missing {needle:?} in:\n{output}");
    }
}

// ------------------------------------------------------------ validation

#[test]
fn bad_rules_of_every_kind_are_reported_at_once() {
    let manifest = manifest("bad-policy-kinds");
    let run = run(&["check", "--color", "never", "--manifest-path", &manifest]);
    assert_eq!(
        run.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let stderr = &run.stderr;
    let needles = [
        // a layer listed twice, pointing at the second listing
        "`shop::accounts` is listed in layer 2 and again in layer 3",
        "boundaries.toml:9:62",
        // containers that overlap
        "containers overlap: `shop::accounts::api`, matched by `shop::*::*`",
        "boundaries.toml:16:26",
        // an exposed submodule that no guarded module has
        "no guarded module has a submodule `events`",
        "boundaries.toml:24:18",
        // an `independent` rule with one member
        "an `independent` rule needs at least two members, but its modules match only `shop::accounts`",
        "boundaries.toml:30:11",
        // an unknown field for the kind, with a suggestion
        "unknown field `exposes`",
        "did you mean `expose`?",
        "boundaries.toml:37:1",
        // a single layer
        "`layers` rule `single-layer` needs at least two layers",
        "boundaries.toml:41:8",
    ];
    let missing: Vec<&str> = needles
        .iter()
        .copied()
        .filter(|n| !stderr.contains(n))
        .collect();
    assert!(missing.is_empty(), "missing {missing:?} in:\n{stderr}");
    assert!(stderr.contains("nothing was checked"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(run.stdout, "");
}

// ---------------------------------------------------------------- forbid

#[test]
fn forbid_never_reports_a_reference_that_stays_inside_one_match_of_to() {
    // `lsp_server`'s modules use each other and `tool::billing`'s
    // submodules use each other: neither is a dependency on the match they
    // are inside. Only the references from outside a match are reported.
    assert_violations(
        "kind-forbid-own-insides",
        &[
            "only-app-speaks-lsp tool -> lsp_server (crates/tool/Cargo.toml:8 manifest)",
            "only-app-speaks-lsp tool -> lsp_server::req::Request (crates/tool/src/lib.rs:4 path)",
            "only-app-speaks-lsp tool -> lsp_server::req::Request (crates/tool/src/lib.rs:5 path)",
            "billing-is-private tool::orders -> tool::billing::invoice::post (crates/tool/src/orders.rs:2 path)",
            "billing-is-private tool::orders -> tool::billing::invoice::Invoice (crates/tool/src/orders.rs:2 path)",
        ],
    );
}
