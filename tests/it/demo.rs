//! The bundled example the README runs: a modular monolith with four planted
//! boundary breaks (see fixtures/demo/README.md).

use serde_json::Value;

use crate::support::{
    check_json, check_json_with, fixture, manifest, run, run_in, violations, warnings,
};

/// Every violation of the demo, in the `violations()` form.
const EXPECTED: [&str; 6] = [
    // billing reads the email column through accounts' storage
    "domains-talk-through-api shop::billing::api -> shop::accounts::storage::find_email \
     (crates/shop/src/billing/api.rs:46 path)",
    // the accounts domain maps its errors to HTTP status codes...
    "domains-talk-through-api shop::accounts::domain -> axum::http::StatusCode \
     (crates/shop/src/accounts/domain.rs:48 path)",
    "no-http-in-core shop::accounts::domain -> axum::http::StatusCode \
     (crates/shop/src/accounts/domain.rs:48 path)",
    // ...which is why the core crate now depends on axum
    "no-http-in-core shop -> axum (crates/shop/Cargo.toml:14 manifest)",
    // a domain entity doubles as a database row
    "domain-logic-is-pure shop::catalog::domain -> sqlx::FromRow \
     (crates/shop/src/catalog/domain.rs:11 path)",
    // the web layer reads the catalogue's table directly
    "web-goes-through-api shop_web::routes::catalog -> shop::catalog::storage::list_products \
     (crates/shop-web/src/routes/catalog.rs:13 path)",
];

fn sorted(mut lines: Vec<String>) -> Vec<String> {
    lines.sort();
    lines
}

fn expected() -> Vec<String> {
    sorted(EXPECTED.iter().map(|s| s.to_string()).collect())
}

fn without_elapsed(mut report: Value) -> Value {
    report["stats"]
        .as_object_mut()
        .expect("stats")
        .remove("elapsed_ms");
    report
}

#[test]
fn reports_exactly_the_planted_violations() {
    let report = check_json("demo");
    assert_eq!(sorted(violations(&report)), expected());
    assert_eq!(warnings(&report), Vec::<String>::new());
    assert_eq!(report["version"], 1);
}

#[test]
fn violations_carry_kind_target_severity_and_columns() {
    let report = check_json("demo");
    let mut got: Vec<String> = report["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| {
            format!(
                "{} {} {} to={} {}:{}:{} baselined={}",
                v["rule"].as_str().unwrap(),
                v["kind"].as_str().unwrap(),
                v["severity"].as_str().unwrap(),
                v["to"].as_str().unwrap(),
                v["file"].as_str().unwrap(),
                v["line"],
                v["column"],
                v["baselined"],
            )
        })
        .collect();
    got.sort();
    let mut expected = vec![
        "domains-talk-through-api allow error to=shop::accounts::storage \
         crates/shop/src/billing/api.rs:46:17 baselined=false",
        "domains-talk-through-api allow error to=axum \
         crates/shop/src/accounts/domain.rs:48:29 baselined=false",
        "no-http-in-core forbid error to=axum \
         crates/shop/src/accounts/domain.rs:48:29 baselined=false",
        "no-http-in-core forbid error to=axum crates/shop/Cargo.toml:14:1 baselined=false",
        "domain-logic-is-pure forbid error to=sqlx \
         crates/shop/src/catalog/domain.rs:11:10 baselined=false",
        "web-goes-through-api forbid error to=shop::catalog::storage \
         crates/shop-web/src/routes/catalog.rs:13:20 baselined=false",
    ];
    expected.sort();
    assert_eq!(got, expected);
    for v in report["violations"].as_array().unwrap() {
        assert!(!v["message"].as_str().unwrap().is_empty(), "{v}");
        assert!(!v["reason"].as_str().unwrap().is_empty(), "{v}");
    }
}

#[test]
fn stats_count_the_three_crates_and_their_modules() {
    let report = check_json("demo");
    let stats = &report["stats"];
    // shop: the root, shared, and 3 domains x (mod, api, domain, storage);
    // shop_db: the root; shop_web: main, state, routes and its 3 children.
    // The `#[cfg(test)] mod tests` are not read without include-tests.
    assert_eq!(stats["crates"], 3, "{stats}");
    assert_eq!(stats["modules"], 21, "{stats}");
    assert_eq!(stats["files"], 21, "{stats}");
    assert!(stats["references"].as_u64().unwrap() > 100, "{stats}");
}

#[test]
fn the_human_report_fails_with_exit_code_1() {
    let run = run(&["check", "--manifest-path", &manifest("demo")]);
    assert_eq!(
        run.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let all = format!("{}{}", run.stdout, run.stderr);
    for needle in [
        "domains-talk-through-api",
        "domain-logic-is-pure",
        "no-http-in-core",
        "web-goes-through-api",
        "crates/shop/src/billing/api.rs",
        "crates/shop-web/src/routes/catalog.rs",
        "crates/shop/Cargo.toml",
        "boundaries.toml",
        // the rule's reason is the help text
        "handlers call `shop::<domain>::api`, which keeps the domain's invariants",
    ] {
        assert!(all.contains(needle), "missing {needle:?} in:\n{all}");
    }
    assert!(!all.contains("panicked"), "{all}");
}

#[test]
fn the_short_format_has_one_line_per_violation() {
    let run = run(&[
        "check",
        "--format",
        "short",
        "--manifest-path",
        &manifest("demo"),
    ]);
    assert_eq!(
        run.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let mut got: Vec<String> = run
        .stdout
        .lines()
        .filter(|l| l.contains(": error["))
        .map(|line| {
            let (location, rest) = line.split_once(": error[").unwrap();
            let (rule, _) = rest.split_once(']').expect("`error[rule]`");
            format!("{location} {rule}")
        })
        .collect();
    got.sort();
    let mut expected = vec![
        "crates/shop/src/billing/api.rs:46:17 domains-talk-through-api",
        "crates/shop/src/accounts/domain.rs:48:29 domains-talk-through-api",
        "crates/shop/src/accounts/domain.rs:48:29 no-http-in-core",
        "crates/shop/Cargo.toml:14:1 no-http-in-core",
        "crates/shop/src/catalog/domain.rs:11:10 domain-logic-is-pure",
        "crates/shop-web/src/routes/catalog.rs:13:20 web-goes-through-api",
    ];
    expected.sort();
    assert_eq!(got, expected, "stdout:\n{}", run.stdout);
}

#[test]
fn check_is_the_default_command_and_cargo_style_invocation_works() {
    let manifest = manifest("demo");
    for args in [
        vec!["--format", "json", "--manifest-path", &manifest],
        vec![
            "boundaries",
            "--format",
            "json",
            "--manifest-path",
            &manifest,
        ],
        vec![
            "boundaries",
            "check",
            "--format",
            "json",
            "--manifest-path",
            &manifest,
        ],
    ] {
        let run = run(&args);
        assert_eq!(
            run.code, 1,
            "{args:?}\nstdout:\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        );
        let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
        assert_eq!(sorted(violations(&report)), expected(), "{args:?}");
    }
}

/// As cargo does: at the root of the (virtual) workspace every member is
/// checked; in a member's directory, or with its `--manifest-path`, that
/// member, unless `--workspace`. The policy is the root's either way.
#[test]
fn a_member_directory_checks_that_member_with_the_root_policy() {
    let json = |dir: &std::path::Path, args: &[&str]| {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let run = run_in(dir, &all);
        assert_eq!(
            run.code,
            1,
            "{} {args:?}\nstdout:\n{}\nstderr:\n{}",
            dir.display(),
            run.stdout,
            run.stderr
        );
        let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
        sorted(violations(&report))
    };
    let shop_only: Vec<String> = expected()
        .into_iter()
        .filter(|v| !v.contains("shop_web"))
        .collect();
    let billing = fixture("demo").join("crates/shop/src/billing");
    assert_eq!(json(&fixture("demo"), &[]), expected());
    assert_eq!(json(&billing, &[]), shop_only);
    assert_eq!(json(&billing, &["--workspace"]), expected());
    let web_manifest = fixture("demo").join("crates/shop-web/Cargo.toml");
    let web_only: Vec<String> = expected()
        .into_iter()
        .filter(|v| v.contains("shop_web"))
        .collect();
    assert_eq!(
        json(
            &fixture("demo"),
            &["--manifest-path", &web_manifest.display().to_string()]
        ),
        web_only
    );
    // `-p` still chooses, wherever the run starts.
    assert_eq!(json(&billing, &["-p", "shop-web"]), web_only);
}

#[test]
fn the_json_report_is_deterministic() {
    let first = check_json("demo");
    let second = check_json("demo");
    assert_eq!(without_elapsed(first), without_elapsed(second));
}

/// `-p` and `--exclude` choose whose code is checked; the rest of the
/// workspace stays in the graph, so references into it still resolve.
#[test]
fn package_selection_limits_what_is_checked() {
    let only_web = check_json_with("demo", &["-p", "shop-web"]);
    assert_eq!(
        violations(&only_web),
        ["web-goes-through-api shop_web::routes::catalog -> shop::catalog::storage::list_products (crates/shop-web/src/routes/catalog.rs:13 path)"]
    );
    let without_web = check_json_with("demo", &["--exclude", "shop-web", "--workspace"]);
    let all = check_json("demo");
    assert_eq!(violations(&without_web).len() + 1, violations(&all).len());
    assert!(violations(&without_web)
        .iter()
        .all(|v| !v.contains("shop_web")));

    let typo = run(&[
        "check",
        "-p",
        "shop-wbe",
        "--manifest-path",
        &manifest("demo"),
    ]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("did you mean `shop-web`?"),
        "{}",
        typo.stderr
    );
}
