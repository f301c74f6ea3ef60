//! What to do instead: a rule's `help` and `docs`, and the path through a
//! re-export that the policy allows (`fixtures/suggest-reexport`).

use serde_json::Value;

use crate::support::{check_json, manifest, run};

fn violation<'a>(report: &'a Value, from: &str, path: &str) -> &'a Value {
    report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["from"] == from && v["path"] == path)
        .unwrap_or_else(|| panic!("no violation {from} -> {path}"))
}

#[test]
fn a_reexport_the_policy_allows_is_suggested() {
    let report = check_json("suggest-reexport");
    let v = violation(
        &report,
        "shop::billing",
        "shop::accounts::domain::Account::new",
    );
    assert_eq!(v["suggestion"], "shop::accounts::Account::new");
    assert_eq!(v["help"], "import from `shop::accounts` itself");
    assert_eq!(v["docs"], "https://example.com/architecture#accounts");
}

#[test]
fn a_reexport_that_breaks_another_rule_is_never_suggested() {
    let report = check_json("suggest-reexport");
    // `shop::legacy` re-exports `Db`, but billing may not use legacy.
    let v = violation(&report, "shop::billing", "shop::accounts::storage::Db");
    assert!(v.get("suggestion").is_none(), "{v}");
    // The re-export itself is not told to go through itself.
    let v = violation(&report, "shop::legacy", "shop::accounts::storage::Db");
    assert!(v.get("suggestion").is_none(), "{v}");
}

#[test]
fn the_human_help_names_the_path_to_use() {
    let manifest = manifest("suggest-reexport");
    let out = run(&["check", "--manifest-path", &manifest]);
    assert_eq!(out.code, 1);
    let text = out.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains(
            "help: other domains use what accounts re-exports, never its insides \
             import from `shop::accounts` itself \
             use `shop::accounts::Account` (re-exported by `shop::accounts`) instead of \
             `shop::accounts::domain::Account` \
             see https://example.com/architecture#accounts"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn editors_get_the_replacement_as_a_rustc_suggestion() {
    let manifest = manifest("suggest-reexport");
    let out = run(&[
        "check",
        "--manifest-path",
        &manifest,
        "--message-format",
        "json",
    ]);
    let replacements: Vec<(String, String)> = out
        .stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|m| m["reason"] == "compiler-message")
        .flat_map(|m| {
            m["message"]["children"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .flat_map(|child| child["spans"].as_array().cloned().unwrap_or_default())
        .filter(|span| !span["suggested_replacement"].is_null())
        .map(|span| {
            (
                span["file_name"].as_str().unwrap().to_string(),
                span["suggested_replacement"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        replacements,
        [(
            "src/billing/mod.rs".to_string(),
            "crate::accounts::Account::new".to_string()
        )]
    );
}

#[test]
fn sarif_rules_carry_the_docs_url() {
    let manifest = manifest("suggest-reexport");
    let out = run(&["check", "--manifest-path", &manifest, "--format", "sarif"]);
    let log: Value = serde_json::from_str(&out.stdout).unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(
        rules[0]["helpUri"],
        "https://example.com/architecture#accounts"
    );
    assert!(rules[1].get("helpUri").is_none());
}

#[test]
fn docs_must_be_a_url() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_tree(&crate::support::fixture("suggest-reexport"), dir.path());
    let policy = dir.path().join("boundaries.toml");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, text.replace("https://example.com", "example.com")).unwrap();
    let manifest = dir.path().join("Cargo.toml");
    let out = run(&["check", "--manifest-path", manifest.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`docs` must be a URL"),
        "{}",
        out.stderr
    );
}

/// A `layers` violation whose target the layer below re-exports: the help
/// names the path through that layer.
#[test]
fn a_layers_violation_is_told_the_layer_below() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "Cargo.toml",
            "[package]\nname = \"shop\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
        ),
        (
            "boundaries.toml",
            "version = 1\n\n[[rule]]\nkind = \"layers\"\nname = \"strict-layers\"\n\
             layers = [\"shop::web\", \"shop::app\", \"shop::db\"]\nstrict = true\n",
        ),
        ("src/lib.rs", "pub mod app;\npub mod db;\npub mod web;\n"),
        ("src/db.rs", "pub struct Pool;\n"),
        ("src/app.rs", "pub use crate::db::Pool;\n"),
        ("src/web.rs", "pub fn page(_pool: &crate::db::Pool) {}\n"),
    ];
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = crate::support::run_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let v = violation(&report, "shop::web", "shop::db::Pool");
    assert_eq!(v["suggestion"], "shop::app::Pool");
}

#[test]
fn github_annotations_carry_the_suggestion() {
    let manifest = manifest("suggest-reexport");
    let out = run(&["check", "--manifest-path", &manifest, "--format", "github"]);
    let first = out.stdout.lines().next().unwrap();
    assert!(
        first.ends_with(
            "use `shop::accounts::Account` (re-exported by `shop::accounts`) instead of \
             `shop::accounts::domain::Account`"
        ),
        "{first}"
    );
}

/// `fixtures/suggest-cycle`: `shop::r` re-exports `X` and `Y` from
/// `shop::b`'s insides and uses `shop::c`, so a path through `r` from `c`
/// would close the cycle c -> r -> c.
#[test]
fn a_reexport_that_would_close_a_cycle_is_never_suggested() {
    let report = check_json("suggest-cycle");
    let violations = report["violations"].as_array().unwrap();
    let suggested = |from: &str| -> Vec<&Value> {
        violations
            .iter()
            .filter(|v| v["from"] == from)
            .map(|v| &v["suggestion"])
            .collect()
    };
    // Every one of `c`'s: the two alike (same module, same path), the
    // two whose path differs but whose edge joins the same cycle, and the
    // one of `c::sub`, a module of the same member, on another edge.
    assert_eq!(suggested("shop::c").len(), 4);
    assert!(suggested("shop::c").iter().all(|s| s.is_null()), "{report}");
    assert_eq!(suggested("shop::c::sub"), vec![&Value::Null]);
    // `d` closes no cycle: both of its alike violations are told.
    assert_eq!(suggested("shop::d"), vec!["shop::r::X", "shop::r::X"]);
}

/// Violations alike but for how they are written (a `use` and a path in
/// code, same module, same path): the rules are asked about their
/// candidates once per way of writing, and each violation is told.
#[test]
fn references_written_two_ways_are_each_told_the_path() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_tree(&crate::support::fixture("suggest-reexport"), dir.path());
    let billing = dir.path().join("src/billing/mod.rs");
    let text = std::fs::read_to_string(&billing).unwrap();
    let added = "use crate::accounts::domain::Account;\n\
                 pub fn owner(_account: &crate::accounts::domain::Account) {}\n";
    std::fs::write(&billing, format!("{added}{text}")).unwrap();
    let out = crate::support::run_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let told: Vec<(&Value, &Value)> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["from"] == "shop::billing" && v["path"] == "shop::accounts::domain::Account")
        .map(|v| (&v["via"], &v["suggestion"]))
        .collect();
    let suggestion = Value::from("shop::accounts::Account");
    assert_eq!(
        told,
        vec![
            (&Value::from("use"), &suggestion),
            (&Value::from("path"), &suggestion)
        ],
        "{report}"
    );
}
