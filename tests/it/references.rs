//! SPEC 5, what counts as a reference: use trees, paths in every position,
//! derives and attributes, macro paths and macro arguments, `extern crate`
//! and manifest dependencies. Strings, comments and test code never count.

use crate::support::{check_json, violations, warnings};

#[test]
fn every_use_leaf_is_a_reference() {
    let report = check_json("ref-use-forms");
    assert_eq!(
        violations(&report),
        vec![
            "no-accounts-storage shop::billing -> shop::accounts::storage (src/billing.rs:1 use)",
            "no-accounts-storage shop::billing -> shop::accounts::storage::save (src/billing.rs:1 use)",
            "no-accounts-storage shop::billing -> shop::accounts::storage::load (src/billing.rs:2 use)",
            "no-accounts-storage shop::billing -> shop::accounts::storage::Db (src/billing.rs:5 use)",
            "no-accounts-storage shop::billing -> shop::accounts::storage::load (src/billing.rs:11 path)",
            "no-accounts-storage shop::shipping -> shop::accounts::storage (src/shipping.rs:1 use)",
            "no-accounts-storage shop::shipping -> shop::accounts::storage::Db (src/shipping.rs:3 use)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn paths_in_types_expressions_patterns_bounds_and_impl_headers() {
    let report = check_json("ref-paths-in-code");
    let at = |line: u32, item: &str| {
        format!("billing-not-storage shop::billing -> shop::accounts::storage{item} (src/billing.rs:{line} path)")
    };
    let mut expected = vec![
        "billing-not-storage shop::billing -> shop::accounts::storage (src/billing.rs:1 use)"
            .to_string(),
    ];
    expected.extend([
        at(4, "::Record"),
        at(5, "::Status"),
        at(8, "::LIMIT"),
        at(9, "::Status"),
        at(9, "::Status::Closed"),
        at(11, "::Record"),
        at(15, "::Handle"),
        at(16, "::open"),
        at(19, "::Status"),
        at(21, "::Status::Active"),
        at(22, "::Status::Closed"),
        at(26, "::Handle"),
        at(27, "::Handle"),
        at(31, "::Record"),
        at(32, "::Record"),
        at(33, "::Record"),
        at(37, "::Store"),
        at(43, "::Store"),
        at(48, "::Store"),
        at(54, "::Record"),
        at(55, "::Record"),
        at(67, "::Record"),
        at(68, "::Record"),
    ]);
    assert_eq!(violations(&report), expected);
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn derive_and_attribute_paths_are_references_but_their_strings_are_not() {
    let report = check_json("ref-attrs-derives");
    assert_eq!(
        violations(&report),
        vec![
            "pure-domain shop::domain -> serde::Serialize (src/domain.rs:4 path)",
            "pure-domain shop::domain -> tracing::instrument (src/domain.rs:17 path)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn macro_paths_and_paths_in_macro_arguments() {
    let report = check_json("ref-macros");
    assert_eq!(
        violations(&report),
        vec![
            "billing-no-sql shop::billing -> shop::accounts::storage::balance (src/billing.rs:8 macro)",
            "billing-no-sql shop::billing -> shop::accounts::storage::LIMIT (src/billing.rs:16 macro)",
            "billing-no-sql shop::billing -> shop::accounts::storage::balance (src/billing.rs:21 macro)",
            "billing-no-sql shop::billing -> sqlx::PgPool (src/billing.rs:25 path)",
            "billing-no-sql shop::billing -> sqlx::query (src/billing.rs:26 macro)",
            "billing-no-sql shop::billing::dunning -> shop::accounts::storage (src/billing.rs:34 use)",
            "billing-no-sql shop::billing::dunning -> shop::accounts::storage::balance (src/billing.rs:37 macro)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

#[test]
fn manifest_dependencies_renames_and_extern_crate() {
    let report = check_json("ref-manifest");
    assert_eq!(
        violations(&report),
        vec![
            "shop-no-sql shop -> sqlx (shop/Cargo.toml:8 manifest)",
            "shop-no-json shop -> serde_json (shop/Cargo.toml:9 manifest)",
            "shop-no-json shop -> serde_json (shop/src/lib.rs:3 use)",
            "shop-no-json shop -> serde_json::to_string (shop/src/lib.rs:8 path)",
            "shop-no-sql shop::orders -> sqlx::PgPool (shop/src/orders.rs:2 path)",
            "shop-no-sql shop::orders -> sqlx::Error (shop/src/orders.rs:2 path)",
            "shop-no-sql shop::orders -> sqlx::query (shop/src/orders.rs:3 path)",
            "shop-no-json shop::orders -> serde_json::json (shop/src/orders.rs:11 macro)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}
