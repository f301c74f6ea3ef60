//! Every format says what changed against the baseline: on a copy of
//! `fixtures/legacy` after `init`, one new violation and two fixed ones (one
//! entry shrinks, one is gone).

use std::path::Path;

use serde_json::Value;

use crate::support::{copy_tree, fixture, mermaid_checker, project_root, run_in, Run};

/// `fixtures/legacy` copied to a temporary folder, `init` run, then one
/// violation added and two fixed.
fn legacy_changed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("legacy"), dir.path());
    assert_eq!(run_in(dir.path(), &["init"]).code, 0);
    let edit = |file: &str, old: &str, new: &str| {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches(old).count(), 1, "`{old}` once in {file}");
        std::fs::write(&path, text.replacen(old, new, 1)).unwrap();
    };
    let api = dir.path().join("crates/shop/src/billing/api.rs");
    let text = std::fs::read_to_string(&api).unwrap();
    std::fs::write(
        &api,
        format!("{text}pub use crate::orders::storage::for_account as orders_of;\n"),
    )
    .unwrap();
    edit(
        "crates/shop/src/orders/api.rs",
        "crate::accounts::storage::address(pool, account.id)",
        "crate::accounts::api::shipping_address(pool, account.id)",
    );
    edit(
        "crates/shop-server/src/handlers.rs",
        "shop::catalog::storage::find(&pool, ProductId(id))",
        "shop::catalog::api::product(&pool, ProductId(id))",
    );
    dir
}

fn check(dir: &Path, format: &str) -> Run {
    let run = run_in(dir, &["check", "--format", format]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    run
}

#[test]
fn the_human_summary_counts_new_fixed_and_stale() {
    let dir = legacy_changed();
    let run = check(dir.path(), "human");
    let summary = run.stdout.lines().last().unwrap();
    assert!(
        summary.starts_with(
            "1 violation (1 error), 86 baselined, 2 stale baseline entries; \
             against the baseline 1 new, 2 fixed; 3 crates"
        ),
        "{summary}"
    );
    let no_baseline = run_in(dir.path(), &["check", "--no-baseline"]);
    assert!(
        !no_baseline.stdout.contains("against the baseline"),
        "{}",
        no_baseline.stdout
    );
}

#[test]
fn json_says_what_changed() {
    let dir = legacy_changed();
    let report: Value = serde_json::from_str(&check(dir.path(), "json").stdout).unwrap();
    assert_eq!(
        report["baseline"],
        serde_json::json!({"new": 1, "fixed": 2, "baselined": 86, "stale": 2})
    );
}

#[test]
fn sarif_results_carry_their_baseline_state_and_the_log_is_valid() {
    let dir = legacy_changed();
    let log: Value = serde_json::from_str(&check(dir.path(), "sarif").stdout).unwrap();
    let states: Vec<(String, String)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["baselineState"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("shop-domain-interfaces".to_string(), "new".to_string()),
            ("stale-baseline".to_string(), "absent".to_string()),
            ("stale-baseline".to_string(), "absent".to_string()),
        ]
    );
    let schema_path = project_root().join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema does check the field: a state it does not know fails.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["baselineState"] = Value::from("gone");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn the_markdown_report() {
    let dir = legacy_changed();
    let report = check(dir.path(), "markdown").stdout;
    insta::assert_snapshot!(report);
    let mermaid = mermaid_block(&report).expect("the report has a Mermaid diagram");
    assert_mermaid_parses("baseline-deltas", &mermaid);
}

/// The text of the report's ```mermaid block.
fn mermaid_block(report: &str) -> Option<String> {
    let start = report.find("```mermaid\n")? + "```mermaid\n".len();
    let end = start + report[start..].find("```")?;
    Some(report[start..end].to_string())
}

/// Parses a diagram with Mermaid itself (tests/mermaid, as the graph tests
/// do); skipped, saying so, when its packages are not installed, unless
/// BOUNDARIES_REQUIRE_MERMAID is set.
pub fn assert_mermaid_parses(name: &str, diagram: &str) {
    let Some(checker) = mermaid_checker() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{name}.mmd"));
    std::fs::write(&path, diagram).unwrap();
    let output = std::process::Command::new("node")
        .arg(checker.join("parse.mjs"))
        .arg(&path)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "Mermaid rejected the diagram:\n{}{}\n{diagram}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_mermaid_check_catches_a_broken_diagram() {
    if !project_root()
        .join("tests/mermaid/node_modules/mermaid")
        .exists()
    {
        return;
    }
    let result = std::panic::catch_unwind(|| {
        assert_mermaid_parses("broken", "flowchart LR\n  a[\"x\" --> |b\n")
    });
    assert!(result.is_err());
}
