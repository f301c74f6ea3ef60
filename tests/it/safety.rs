//! What the tool reads, and what it never does: run the workspace's code,
//! read files outside it, stop at a file that does not parse. And which code
//! `include-tests` adds.

use std::path::Path;

use serde_json::Value;

use crate::support::{
    check_json, check_json_with, fixture, manifest, run, run_in, violations, warnings,
};

const BUILD_RS_MARKER: &str = "/tmp/cargo-boundaries-build-rs-ran";
const PROC_MACRO_MARKER: &str = "/tmp/cargo-boundaries-proc-macro-ran";

fn remove(path: &str) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => panic!("cannot remove {path}: {e}"),
    }
}

#[test]
fn never_runs_build_scripts_or_proc_macros() {
    remove(BUILD_RS_MARKER);
    remove(PROC_MACRO_MARKER);
    let root = fixture("build-script");
    let had_lockfile = root.join("Cargo.lock").exists();

    let report = check_json("build-script");
    assert_eq!(
        violations(&report),
        ["logic-without-macros app::logic -> app_macros::answer (src/logic.rs:3 macro)"]
    );
    // `graph` and `explain` read the same workspace: nothing runs either.
    let manifest = manifest("build-script");
    let graph = run(&["graph", "--format", "json", "--manifest-path", &manifest]);
    assert_eq!(
        graph.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        graph.stdout, graph.stderr
    );

    assert!(!Path::new(BUILD_RS_MARKER).exists(), "the build script ran");
    assert!(!Path::new(PROC_MACRO_MARKER).exists(), "the proc macro ran");
    // The target folder holds at most the tool's own cache.
    let built: Vec<_> = std::fs::read_dir(root.join("target"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name())
        .filter(|name| name != "boundaries")
        .collect();
    assert!(built.is_empty(), "something built the workspace: {built:?}");
    assert!(
        had_lockfile || !root.join("Cargo.lock").exists(),
        "the tool wrote a Cargo.lock into the workspace"
    );
}

#[test]
fn never_runs_rustc_even_with_a_hostile_cargo_config() {
    // Run from inside the fixture so cargo picks up its `.cargo/config.toml`,
    // whose `rustc` and `rustc-wrapper` leave a marker when run.
    const RUSTC_MARKER: &str = "/tmp/cargo-boundaries-rustc-ran";
    remove(RUSTC_MARKER);
    let root = fixture("build-script");
    let run = run_in(&root, &["check", "--format", "json"]);
    assert_eq!(
        run.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert!(
        !Path::new(RUSTC_MARKER).exists(),
        "rustc or its wrapper ran"
    );
}

#[test]
fn a_file_that_does_not_parse_is_a_warning_and_the_rest_is_checked() {
    let report = check_json("parse-error");
    assert_eq!(
        violations(&report),
        ["billing-uses-accounts-api shop::billing -> shop::accounts::storage::load (src/billing.rs:2 path)"]
    );
    assert_eq!(warnings(&report), ["parse-error src/reports.rs:8"]);
    let message = report["warnings"][0]["message"].as_str().unwrap();
    assert!(message.contains("expected"), "{message}");

    // Warnings never change the exit code: the violation makes it 1.
    let run = run(&["check", "--manifest-path", &manifest("parse-error")]);
    assert_eq!(
        run.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("src/reports.rs"), "{all}");
}

#[test]
fn never_reads_a_module_file_outside_the_workspace() {
    // The file exists, and reading it would be a violation.
    let outside = fixture("outside-target.rs");
    assert!(outside.exists());
    assert!(!outside.starts_with(fixture("path-outside")));

    let report = check_json("path-outside");
    assert_eq!(
        violations(&report),
        ["secrets-stay-secret app::api -> app::secrets::TOKEN (src/api.rs:2 path)"]
    );
    assert_eq!(warnings(&report), ["outside-workspace src/lib.rs:6"]);
    let all = serde_json::to_string(&report).unwrap();
    assert!(!all.contains("leak"), "{all}");
}

#[test]
fn include_tests_checks_test_modules_test_targets_and_dev_dependencies() {
    let report = check_json("include-tests");
    let mut got = violations(&report);
    got.sort();
    assert_eq!(
        got,
        [
            // `#[cfg(test)] mod tests` in src/pricing.rs
            "pricing-is-pure app::pricing::tests -> app::db::connect (src/pricing.rs:18 path)",
            // the dev-dependency, from the crate root
            "testkit-stays-out app -> app_testkit (Cargo.toml:13 manifest)",
            // the integration test target tests/it.rs
            "tests-use-pricing it -> app::db::connect (tests/it.rs:12 path)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

/// Without `include-tests`, a `#[cfg(test)] mod tests { .. }` is stepped
/// over unparsed: a syntax error inside it does not cost the file its
/// references. With it, the module is parsed and the error reported.
#[test]
fn a_test_module_that_does_not_parse_is_only_read_with_include_tests() {
    for cache in [&["--no-cache"][..], &[][..]] {
        let report = check_json_with("test-module-unparsed", cache);
        assert_eq!(
            violations(&report),
            ["billing-uses-accounts-api shop::billing -> shop::accounts::storage::load (src/billing.rs:5 path)"]
        );
        assert_eq!(warnings(&report), Vec::<String>::new());
    }
    let policy = fixture("test-module-unparsed").join("boundaries-with-tests.toml");
    let policy = policy.display().to_string();
    let report = check_json_with("test-module-unparsed", &["--no-cache", "--policy", &policy]);
    assert_eq!(violations(&report), Vec::<String>::new());
    assert_eq!(warnings(&report), ["parse-error src/billing.rs:12"]);
}

#[test]
fn without_include_tests_test_code_is_not_checked() {
    let policy = fixture("include-tests").join("boundaries-without-tests.toml");
    let policy = policy.display().to_string();
    let report: Value = check_json_with("include-tests", &["--policy", &policy]);
    assert_eq!(violations(&report), Vec::<String>::new());
    assert_eq!(warnings(&report), Vec::<String>::new());

    let run = run(&[
        "check",
        "--manifest-path",
        &manifest("include-tests"),
        "--policy",
        &policy,
    ]);
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
}
