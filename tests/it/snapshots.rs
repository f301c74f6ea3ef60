//! Snapshots of the human output, colour off, 100 columns, the elapsed time
//! normalised: what a user sees, byte for byte.

use crate::support::{manifest, run};

/// Replaces the run's elapsed time, the only part that varies.
fn normalise(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        match line.rfind(" in ").filter(|_| line.ends_with("ms")) {
            Some(at) => {
                out.push_str(&line[..at]);
                out.push_str(" in [ELAPSED]");
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[test]
fn demo_human_output() {
    let run = run(&[
        "check",
        "--color",
        "never",
        "--manifest-path",
        &manifest("demo"),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!(normalise(&run.stdout));
}

#[test]
fn cycle_human_output() {
    let run = run(&[
        "check",
        "--color",
        "never",
        "--manifest-path",
        &manifest("kind-acyclic-fail"),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!(normalise(&run.stdout));
}

#[test]
fn bad_policy_human_output() {
    let run = run(&[
        "check",
        "--color",
        "never",
        "--manifest-path",
        &manifest("bad-policy"),
    ]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn warnings_and_baseline_summary() {
    let run = run(&[
        "check",
        "--color",
        "never",
        "--manifest-path",
        &manifest("parse-error"),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!(normalise(&run.stdout));
}
