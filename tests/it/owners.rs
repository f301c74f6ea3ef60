//! Owners from CODEOWNERS (`fixtures/codeowners`), found as GitHub finds
//! the file: `.github/CODEOWNERS`, then `CODEOWNERS`, then
//! `docs/CODEOWNERS`.

use std::path::Path;

use serde_json::Value;

use crate::support::{copy_tree, fixture, project_root, run_in};

fn owners_of(dir: &Path) -> Value {
    let run = run_in(dir, &["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    report["violations"][0]["owners"].clone()
}

#[test]
fn a_violation_names_the_owners_of_both_ends() {
    let owners = owners_of(&fixture("codeowners"));
    assert_eq!(
        owners,
        serde_json::json!({"from": ["@org/payments"], "to": ["@org/dba", "@org/accounts"]})
    );
}

#[test]
fn githubs_precedence_between_the_three_places() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("codeowners"), dir.path());
    std::fs::create_dir_all(dir.path().join("docs")).unwrap();
    std::fs::write(dir.path().join("docs/CODEOWNERS"), "* @org/docs\n").unwrap();
    // .github/CODEOWNERS first.
    assert_eq!(owners_of(dir.path())["from"][0], "@org/payments");
    // Then the root's.
    std::fs::remove_file(dir.path().join(".github/CODEOWNERS")).unwrap();
    assert_eq!(owners_of(dir.path())["from"][0], "@org/wrong");
    // Then docs/.
    std::fs::remove_file(dir.path().join("CODEOWNERS")).unwrap();
    assert_eq!(owners_of(dir.path())["to"][0], "@org/docs");
    // None: no `owners` field at all.
    std::fs::remove_file(dir.path().join("docs/CODEOWNERS")).unwrap();
    assert!(owners_of(dir.path()).is_null());
}

#[test]
fn human_sarif_and_markdown_name_the_owners() {
    let dir = fixture("codeowners");
    let human = run_in(&dir, &["check"]);
    assert!(
        human.stdout.contains(
            "owners: @org/payments (this file), @org/dba @org/accounts (the code it reaches)"
        ),
        "{}",
        human.stdout
    );
    let sarif: Value =
        serde_json::from_str(&run_in(&dir, &["check", "--format", "sarif"]).stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["properties"]["owners"]["from"][0],
        "@org/payments"
    );
    let schema_path = project_root().join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    assert!(jsonschema::draft4::new(&schema).unwrap().is_valid(&sarif));
    let markdown = run_in(&dir, &["check", "--format", "markdown"]).stdout;
    assert!(
        markdown.contains("| @org/payments | 1 | 0 |") && markdown.contains("| @org/dba | 0 | 1 |"),
        "{markdown}"
    );
}

#[cfg(unix)]
#[test]
fn a_codeowners_outside_the_root_is_never_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("CODEOWNERS"), "* @outsider\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("codeowners"), dir.path());
    let link = dir.path().join(".github/CODEOWNERS");
    std::fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(outside.path().join("CODEOWNERS"), &link).unwrap();
    // GitHub would pick the symlink first; it is not followed outside, so
    // there are no owners rather than the outsider's.
    assert!(owners_of(dir.path()).is_null());
}
