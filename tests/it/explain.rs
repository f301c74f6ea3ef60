//! `cargo boundaries explain FROM TO` on the demo: direct references with
//! their rules, the shortest chain when only indirect, exit codes.

use serde_json::Value;

use crate::support::{manifest, run, Run};

fn explain(from: &str, to: &str, extra: &[&str]) -> Run {
    let manifest = manifest("demo");
    let mut args = vec!["explain", "--manifest-path", &manifest, from, to];
    args.extend_from_slice(extra);
    run(&args)
}

fn explain_json(from: &str, to: &str) -> (Value, i32) {
    let out = explain(from, to, &["--format", "json"]);
    let value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON: {e}\n{}\n{}", out.stdout, out.stderr));
    (value, out.code)
}

#[test]
fn a_direct_dependency_lists_every_reference_and_the_rule_it_breaks() {
    let out = explain("shop_web", "shop::catalog::storage", &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "`shop_web` depends on `shop::catalog::storage` directly: 1 reference\n\n\
         shop_web::routes::catalog -> shop::catalog::storage\n    \
         crates/shop-web/src/routes/catalog.rs:13:20  path  shop::catalog::storage::list_products\n    \
         forbidden by `web-goes-through-api` (error forbid, 1 reference): handlers call `shop::<domain>::api`, which keeps the domain's invariants\n\n"
    );
}

#[test]
fn json_names_each_edge_its_references_and_rules() {
    let (value, code) = explain_json("shop::catalog::domain", "sqlx");
    assert_eq!(code, 0);
    assert_eq!(value["dependency"], "direct");
    let edge = &value["edges"][0];
    assert_eq!(
        (edge["from"].as_str(), edge["to"].as_str()),
        (Some("shop::catalog::domain"), Some("sqlx"))
    );
    let reference = &edge["references"][0];
    assert_eq!(reference["file"], "crates/shop/src/catalog/domain.rs");
    assert_eq!(reference["via"], "path");
    assert_eq!(edge["rules"][0]["rule"], "domain-logic-is-pure");
    assert_eq!(value["chain"].as_array().unwrap().len(), 0);
}

#[test]
fn subtrees_count_on_both_sides_and_edges_without_violations_say_so() {
    let (value, code) = explain_json("shop::billing", "shop::catalog");
    assert_eq!(code, 0);
    let edges = value["edges"].as_array().unwrap();
    assert!(edges
        .iter()
        .any(|e| e["from"] == "shop::billing::api" && e["to"] == "shop::catalog::api"));
    assert!(edges
        .iter()
        .all(|e| e["rules"].as_array().unwrap().is_empty()));
    let out = explain("shop::billing", "shop::catalog", &[]);
    assert!(out.stdout.contains("no rule forbids this edge"));
}

#[test]
fn an_indirect_dependency_shows_the_shortest_chain_with_one_reference_per_hop() {
    let (value, code) = explain_json("shop_web", "shop::accounts::storage");
    assert_eq!(code, 0);
    assert_eq!(value["dependency"], "indirect");
    let chain = value["chain"].as_array().unwrap();
    assert_eq!(chain.len(), 2, "{chain:#?}");
    assert!(chain[0]["from"].as_str().unwrap().starts_with("shop_web::"));
    assert_eq!(chain[0]["to"], chain[1]["from"]);
    assert_eq!(chain[1]["to"], "shop::accounts::storage");
    for hop in chain {
        assert_eq!(hop["references"].as_array().unwrap().len(), 1);
    }
    let out = explain("shop_web", "shop::accounts::storage", &[]);
    assert!(
        out.stdout
            .contains("only indirectly; the shortest chain has 2 hops"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("\n1. shop_web::"));
}

#[test]
fn no_dependency_is_exit_1() {
    let out = explain("shop_db", "shop", &[]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout,
        "`shop_db` does not depend on `shop`, directly or through other modules\n"
    );
    let (value, code) = explain_json("shop_db", "shop");
    assert_eq!((value["dependency"].as_str(), code), (Some("none"), 1));
}

#[test]
fn an_unknown_pattern_is_exit_2_with_a_suggestion() {
    let out = explain("shop::billng", "sqlx", &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("FROM `shop::billng` matches no module or crate of the workspace"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("did you mean `shop::billing`?"));
    let out = explain("shop", "shop::acounts::storage", &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("did you mean `shop::accounts::storage`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_path_inside_an_external_crate_is_a_valid_target() {
    let out = explain("shop", "sqlx::FromRow", &["--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// `explain` needs no policy: the references are there, no rule is named.
#[test]
fn explain_works_without_a_policy() {
    let dir = crate::graph::demo_without_policy();
    let manifest = dir.path().join("Cargo.toml").display().to_string();
    let out = run(&[
        "explain",
        "--manifest-path",
        &manifest,
        "shop_web",
        "shop::catalog::storage",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "`shop_web` depends on `shop::catalog::storage` directly: 1 reference\n\n\
         shop_web::routes::catalog -> shop::catalog::storage\n    \
         crates/shop-web/src/routes/catalog.rs:13:20  path  shop::catalog::storage::list_products\n    \
         no rule forbids this edge\n\n"
    );
}

/// `explain` on `fixtures/names-as-written`.
fn explain_names(from: &str, to: &str) -> Run {
    let manifest = manifest("names-as-written");
    run(&["explain", "--manifest-path", &manifest, from, to])
}

/// Names are taken as users write them: `tree-sitter-x` is the package
/// whose library is `ts_x`, `cargo-util` the crate `cargo_util`; both
/// spellings give the same answer, on either side.
#[test]
fn package_spellings_mean_their_crate() {
    let by_package = explain_names("app::core", "tree-sitter-x");
    assert_eq!(by_package.code, 0, "{}", by_package.stderr);
    assert!(
        by_package
            .stdout
            .starts_with("`app::core` depends on `tree-sitter-x` directly: 2 references\n"),
        "{}",
        by_package.stdout
    );
    let by_crate = explain_names("app::core", "ts_x");
    assert_eq!(
        by_package.stdout.replace("`tree-sitter-x`", "`ts_x`"),
        by_crate.stdout
    );
    assert!(by_crate.stdout.contains("app::core -> ts_x\n"));

    let deeper = explain_names("app", "tree-sitter-x::parse");
    assert_eq!(deeper.code, 0, "{}", deeper.stderr);
    assert!(
        deeper.stdout.contains("path  ts_x::parse"),
        "{}",
        deeper.stdout
    );

    // FROM too: `cargo-util` depends on nothing of the app.
    let from = explain_names("cargo-util", "app");
    assert_eq!(from.code, 1, "{}", from.stderr);
    let reverse = explain_names("app", "cargo-util");
    assert_eq!(reverse.code, 0, "{}", reverse.stderr);
    assert!(
        reverse.stdout.contains("app::core -> cargo_util\n"),
        "{}",
        reverse.stdout
    );
}

/// A name that matches nothing gets "did you mean" across crate names,
/// package spellings and the names dependencies are renamed to.
#[test]
fn unknown_names_are_answered_in_every_spelling() {
    for (to, expected) in [
        // A typo in a package spelling: the package, with its crate.
        (
            "tree-siter-x",
            "help: did you mean `tree-sitter-x` (the crate `ts_x`)?",
        ),
        (
            "cargo-utl",
            "help: did you mean `cargo-util` (the crate `cargo_util`)?",
        ),
        // The Rust spelling of a package whose library has another name.
        (
            "tree_sitter_x",
            "help: did you mean `tree-sitter-x` (the crate `ts_x`)?",
        ),
        // A typo in a crate name or a path: the workspace's name.
        ("ts_y", "help: did you mean `ts_x`?"),
        ("tree-sitter-x::pars", "help: did you mean `ts_x::parse`?"),
        // The name code uses for a renamed dependency: its crate.
        (
            "lsp_types",
            "help: `lsp_types` is what a `Cargo.toml` renames `gen_lsp_types` to; explain names \
             a dependency by its package: did you mean `gen_lsp_types`?",
        ),
        (
            "lsp_types::Position",
            "help: `lsp_types` is what a `Cargo.toml` renames `gen_lsp_types` to; explain names \
             a dependency by its package: did you mean `gen_lsp_types::Position`?",
        ),
    ] {
        let out = explain_names("app", to);
        assert_eq!(out.code, 2, "{to}: {}{}", out.stdout, out.stderr);
        assert_eq!(
            out.stderr,
            format!("error: TO `{to}` matches no module or crate of the workspace\n{expected}\n"),
            "{to}"
        );
    }
    // A dash inside a module path says how modules are spelled.
    let out = explain_names("app::billing-api", "app");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("`-` is spelled `_`"), "{}", out.stderr);
}
