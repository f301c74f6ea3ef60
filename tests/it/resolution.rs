//! SPEC 5, resolution: relative paths, imports, globs, the extern prelude,
//! std, edition 2015, re-exports, namespaces, and what must be skipped.

use crate::support::{check_json, manifest, run, violations, warnings};

#[test]
fn crate_self_super_chains_and_leading_colons() {
    let report = check_json("resolve-relative");
    assert_eq!(
        violations(&report),
        vec![
            "invoice-not-ledger-storage shop::billing::invoice -> shop::billing::storage::write (src/billing/invoice.rs:2 path)",
            "billing-not-accounts-storage shop::billing::invoice -> shop::accounts::storage::write (src/billing/invoice.rs:3 path)",
            "billing-not-accounts-storage shop::billing::invoice::lines -> shop::accounts::storage (src/billing/invoice.rs:8 use)",
            "invoice-not-ledger-storage shop::billing::invoice::lines -> shop::billing::storage (src/billing/invoice.rs:9 use)",
            "billing-not-accounts-storage shop::billing::invoice::lines -> shop::accounts::storage::write (src/billing/invoice.rs:12 path)",
            "invoice-not-ledger-storage shop::billing::invoice::lines -> shop::billing::storage::write (src/billing/invoice.rs:13 path)",
            "invoice-not-ledger-storage shop::billing::invoice::lines -> shop::billing::storage::write (src/billing/invoice.rs:14 path)",
            "billing-not-accounts-storage shop::billing::invoice::lines -> shop::accounts::storage::read (src/billing/invoice.rs:15 path)",
            "billing-never-exits shop::billing::invoice -> std::process::id (src/billing/invoice.rs:25 path)",
            "billing-not-accounts-storage shop::billing -> shop::accounts::storage::write (src/billing/mod.rs:6 path)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn paths_continue_through_imported_names_and_renames() {
    let report = check_json("resolve-imports");
    assert_eq!(
        violations(&report),
        vec![
            "billing-not-accounts-storage shop::billing -> shop::accounts::storage (src/billing.rs:2 use)",
            "billing-not-accounts-storage shop::billing -> shop::accounts::storage::Row (src/billing.rs:3 use)",
            "billing-not-accounts-storage shop::billing -> shop::accounts::storage::save (src/billing.rs:7 path)",
            "billing-not-accounts-storage shop::billing -> shop::accounts::storage::save (src/billing.rs:8 path)",
            "reconcile-uses-mirror shop::billing::reconcile -> shop::billing::reconcile::accounts::storage::save (src/billing.rs:21 path)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn glob_imports_local_shadowing_and_use_super_glob() {
    let report = check_json("resolve-globs");
    assert_eq!(
        violations(&report),
        vec![
            "billing-own-storage shop::billing -> shop::billing::storage::save (src/billing.rs:15 path)",
            "no-accounts-storage shop::shipping -> shop::accounts::storage (src/shipping.rs:2 use)",
            "no-accounts-storage shop::shipping -> shop::accounts::storage::save (src/shipping.rs:8 path)",
            "no-accounts-storage shop::shipping::label -> shop::accounts::storage::save (src/shipping/label.rs:4 path)",
            "label-not-accounts-api shop::shipping::label -> shop::accounts::api::notify (src/shipping/label.rs:5 macro)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn extern_prelude_renamed_dependencies_and_std() {
    let report = check_json("resolve-extern-prelude");
    assert_eq!(
        violations(&report),
        vec![
            "pure-domain shop::domain -> sqlx::Postgres (src/domain.rs:2 use)",
            "pure-domain shop::domain -> std::process (src/domain.rs:4 use)",
            "pure-domain shop::domain -> tokio_postgres::types (src/domain.rs:5 use)",
            "pure-domain shop::domain -> sqlx::Pool (src/domain.rs:17 path)",
            "pure-domain shop::domain -> tokio_postgres::Client (src/domain.rs:17 path)",
            "pure-domain shop::domain -> tokio_postgres::NoTls (src/domain.rs:18 path)",
            "pure-domain shop::domain -> std::process::exit (src/domain.rs:24 path)",
            "pure-domain shop::domain -> std::process::abort (src/domain.rs:29 path)",
            "report-local-db shop::domain::report -> shop::domain::report::db::query (src/domain.rs:51 path)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn edition_2015_paths_are_crate_relative() {
    let report = check_json("resolve-edition-2015");
    assert_eq!(
        violations(&report),
        vec![
            "billing-not-accounts-storage shop::billing -> shop::accounts::storage (src/billing.rs:2 use)",
            "billing-not-accounts-storage shop::billing -> shop::accounts::storage::save (src/billing.rs:6 path)",
            "billing-not-accounts-storage shop::billing -> shop::accounts::storage::save (src/billing.rs:7 path)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn re_exports_belong_to_the_re_exporting_module() {
    let report = check_json("resolve-reexports");
    assert_eq!(
        violations(&report),
        vec![
            "billing-not-accounts-storage shop::billing -> shop::accounts::storage::save (src/billing.rs:8 path)",
            "no-raw-db-handle shop::shipping -> shop::accounts::storage::Db (src/shipping.rs:4 path)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn generic_parameters_self_and_locals_are_skipped() {
    let report = check_json("resolve-unresolvable");
    assert_eq!(
        violations(&report),
        vec!["billing-not-accounts-storage shop::billing -> shop::accounts::storage::Store (src/billing.rs:1 use)"]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn a_block_local_item_shadows_a_glob_imported_name() {
    let report = check_json("resolve-block-local");
    assert_eq!(
        violations(&report),
        vec!["billing-not-accounts-storage shop::billing -> shop::accounts::storage::save (src/billing.rs:17 path)"]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn a_path_means_what_its_position_asks_for_a_module_or_its_namesake() {
    // `crate::future::block_on(x)` calls the function `rt::future`
    // re-exports; only the type path and the path through `select::` go
    // into the internal modules.
    let report = check_json("resolve-namespaces");
    assert_eq!(
        violations(&report),
        vec![
            "front-doors rt::sync -> rt::time::sleep::Sleep (src/sync.rs:8 path)",
            "front-doors rt::sync -> rt::macros::select::Branch (src/sync.rs:13 path)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());

    let manifest = manifest("resolve-namespaces");
    let run = run(&["graph", "--format", "json", "--manifest-path", &manifest]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let graph: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let from_sync: Vec<String> = graph["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["from"] == "rt::sync")
        .map(|e| format!("{} x{}", e["to"].as_str().unwrap(), e["count"]))
        .collect();
    assert_eq!(
        from_sync,
        [
            "rt::future x2",
            "rt::macros x1",
            "rt::macros::select x1",
            "rt::time x1",
            "rt::time::sleep x1",
        ]
    );
}
