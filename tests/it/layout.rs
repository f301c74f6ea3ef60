//! SPEC 5, module tree: every layout rule finds the modules it must, and
//! files that are not part of the crate are never read.

use serde_json::{json, Value};

use crate::support::{check_json, manifest, run, violations, warnings};

fn sorted(mut list: Vec<String>) -> Vec<String> {
    list.sort();
    list
}

#[test]
fn mod_rs_and_non_mod_rs_files_are_found_and_undeclared_files_ignored() {
    let report = check_json("layout-files");
    assert_eq!(
        violations(&report),
        vec![
            "billing-not-accounts-storage shop::billing::invoice -> shop::accounts::storage::load (src/billing/invoice.rs:6 path)",
            "billing-not-accounts-storage shop::billing -> shop::accounts::storage::save (src/billing/mod.rs:7 path)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn path_attributes_on_file_and_inline_modules() {
    let report = check_json("layout-path-attr");
    assert_eq!(
        violations(&report),
        vec![
            "no-accounts-storage shop::gateway::stripe -> shop::accounts::storage::save (src/gateways/stripe.rs:3 path)",
            "no-accounts-storage shop::payments -> shop::accounts::storage::save (src/legacy/payments_v2.rs:2 path)",
            "no-accounts-storage shop::platform -> shop::accounts::storage::save (src/platform/unix.rs:2 path)",
            "no-accounts-storage shop::billing::tax -> shop::accounts::storage::save (src/tax_rules.rs:2 path)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn inline_modules_own_their_code_and_their_nested_file_modules() {
    let report = check_json("layout-inline-nested");
    assert_eq!(
        violations(&report),
        vec![
            "transport-not-storage shop::api::v1::routes -> shop::accounts::storage::load (src/api/v1/routes.rs:2 path)",
            "transport-not-storage shop::http::handlers::orders -> shop::accounts::storage::load (src/http/handlers/orders.rs:6 path)",
            "transport-not-storage shop::http::handlers -> shop::accounts::storage::ping (src/http/mod.rs:7 path)",
            "transport-not-storage shop::http -> shop::accounts::storage::load (src/http/mod.rs:12 path)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn feature_cfgs_are_all_read_and_test_only_code_is_not() {
    let report = check_json("layout-cfg");
    assert_eq!(
        violations(&report),
        vec![
            "no-raw-storage shop::lite -> shop::accounts::storage::total (src/lite.rs:2 path)",
            "no-raw-storage shop::pg -> shop::accounts::storage::total (src/pg.rs:2 path)",
            "no-raw-storage shop::reports -> shop::accounts::storage::total (src/reports.rs:5 path)",
            "no-raw-storage shop::reports -> shop::accounts::storage::total (src/reports.rs:11 path)",
            "no-raw-storage shop::seed -> shop::accounts::storage::total (src/seed.rs:4 path)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn mod_items_inside_item_macros_are_followed() {
    let report = check_json("layout-macro-mods");
    assert_eq!(
        violations(&report),
        vec![
            "platform-not-storage shop::other_impl -> shop::accounts::storage::flush (src/other_impl.rs:2 path)",
            "platform-not-storage shop::runtime -> shop::accounts::storage::flush (src/runtime.rs:3 path)",
            "platform-not-storage shop::signals -> shop::accounts::storage::flush (src/signals.rs:2 path)",
            "platform-not-storage shop::unix_impl -> shop::accounts::storage::flush (src/unix_impl.rs:2 path)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn a_module_declared_twice_under_opposite_cfgs_is_read_once() {
    let report = check_json("layout-cfg-twice");
    assert_eq!(
        violations(&report),
        vec![
            "watchers-not-storage shop::notify -> shop::accounts::storage::record (src/notify.rs:3 path)",
            "watchers-not-storage shop::watch -> shop::accounts::storage::record (src/watch.rs:3 path)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn a_source_folder_named_target_is_an_ordinary_module() {
    let report = check_json("layout-target-dir");
    assert_eq!(
        violations(&report),
        vec![
            "targeting-not-storage shop::target -> shop::accounts::storage::customers (src/target/mod.rs:6 path)",
            "targeting-not-storage shop::target::pricing -> shop::accounts::storage::customers (src/target/pricing.rs:2 path)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn a_missing_module_file_and_an_unparsable_file_are_warnings_only() {
    let report = check_json("layout-missing-file");
    assert_eq!(
        violations(&report),
        vec!["billing-not-storage shop::billing -> shop::accounts::storage::debit (src/billing.rs:2 path)"]
    );
    assert_eq!(
        sorted(warnings(&report)),
        vec![
            "missing-module-file src/lib.rs:7",
            "parse-error src/broken.rs:3"
        ]
    );
}

#[test]
fn a_path_attribute_leaving_the_workspace_is_warned_about_and_not_read() {
    let report = check_json("layout-outside/ws");
    assert_eq!(
        violations(&report),
        vec!["nothing-touches-storage shop::billing -> shop::accounts::storage::debit (src/billing.rs:2 path)"]
    );
    assert_eq!(warnings(&report), vec!["outside-workspace src/lib.rs:6"]);
}

#[test]
fn include_tests_reads_test_only_modules_items_and_test_fns() {
    let report = check_json("layout-cfg-include-tests");
    assert_eq!(
        violations(&report),
        vec![
            "no-raw-storage shop::loom_free -> shop::accounts::storage::total (src/lib.rs:23 macro)",
            "no-raw-storage shop::lite -> shop::accounts::storage::total (src/lite.rs:2 path)",
            "no-raw-storage shop::pg -> shop::accounts::storage::total (src/pg.rs:2 path)",
            "no-raw-storage shop::reports -> shop::accounts::storage::total (src/reports.rs:2 use)",
            "no-raw-storage shop::reports -> shop::accounts::storage::total (src/reports.rs:5 path)",
            "no-raw-storage shop::reports -> shop::accounts::storage::total (src/reports.rs:11 path)",
            "no-raw-storage shop::reports -> shop::accounts::storage::total (src/reports.rs:16 path)",
            "no-raw-storage shop::reports -> shop::accounts::storage::total (src/reports.rs:21 macro)",
            "no-raw-storage shop::seed -> shop::accounts::storage::total (src/seed.rs:4 path)",
            "no-raw-storage shop::tests -> shop::accounts::storage::total (src/tests.rs:3 macro)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn a_module_with_one_file_per_platform_is_made_of_all_of_them() {
    let report = check_json("layout-cfg-alternates");
    assert_eq!(
        violations(&report),
        vec![
            "platform-not-storage shop::imp::pipe -> shop::accounts::storage::save (src/sys/pipe.rs:2 path)",
            "platform-not-storage shop::imp -> shop::accounts::storage::save (src/sys/unix.rs:2 path)",
            "platform-not-storage shop::imp -> shop::accounts::storage::save (src/sys/windows.rs:5 path)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
    assert_eq!(report["stats"]["files"], 5);
    assert_eq!(report["stats"]["modules"], 5);
}

#[test]
fn every_cfg_attr_path_alternative_and_the_default_file_are_read() {
    let report = check_json("layout-cfg-attr-paths");
    assert_eq!(
        violations(&report),
        vec![
            "backends-not-storage shop::backend::fs -> shop::storage::save (src/backend/libc/fs.rs:2 path)",
            "backends-not-storage shop::backend::fs -> shop::storage::save (src/backend/linux_raw/fs.rs:3 path)",
            "backends-not-storage shop::io -> shop::storage::save (src/io_fast.rs:2 path)",
        ]
    );
    // The missing `io_windows.rs` is one of several alternatives: no warning.
    assert_eq!(warnings(&report), Vec::<String>::new());
    assert_eq!(report["stats"]["files"], 8);

    let manifest = manifest("layout-cfg-attr-paths");
    let graph = run(&["graph", "--format", "json", "--manifest-path", &manifest]);
    assert_eq!(graph.code, 0, "{}", graph.stderr);
    let graph: Value = serde_json::from_str(&graph.stdout).unwrap();
    let files = |id: &str| {
        let node = graph["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == id)
            .unwrap_or_else(|| panic!("no node {id}"));
        (node["file"].clone(), node["files"].clone())
    };
    assert_eq!(
        files("shop::backend"),
        (
            json!("src/backend/libc/mod.rs"),
            json!(["src/backend/libc/mod.rs", "src/backend/linux_raw/mod.rs"])
        )
    );
    assert_eq!(
        files("shop::backend::fs").1,
        json!(["src/backend/libc/fs.rs", "src/backend/linux_raw/fs.rs"])
    );
    assert_eq!(
        files("shop::io"),
        (
            json!("src/io_fast.rs"),
            json!(["src/io.rs", "src/io_fast.rs"])
        )
    );
    assert_eq!(files("shop").1, json!(["src/lib.rs"]));
}
