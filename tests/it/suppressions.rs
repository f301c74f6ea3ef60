//! Inline suppressions: `// boundaries: allow(rule) reason` on a reference's
//! line or the line above silences that rule there; an allow that silences
//! nothing is an `unused-suppression` warning; an unknown rule name, or a
//! missing reason when the policy requires one, stops the run (exit 2).

use crate::support::{check_json, manifest, run, violations, warnings};

#[test]
fn suppressions_silence_their_rule_on_their_line_and_the_next() {
    let report = check_json("suppressions");
    // Silenced: invoice.rs:5 (comment on the same line) and migrate.rs:11
    // (comment on the line above). Kept: invoice.rs:17, whose comment allows
    // another rule, and invoice.rs:23: the comment above it follows code on
    // its own line, so it is about that line only.
    assert_eq!(
        violations(&report),
        vec![
            "billing-not-accounts-storage shop::billing::invoice -> shop::accounts::storage::load \
             (src/billing/invoice.rs:17 path)",
            "billing-not-accounts-storage shop::billing::invoice -> shop::accounts::storage::load \
             (src/billing/invoice.rs:23 path)",
        ]
    );
    let mut got = warnings(&report);
    got.sort();
    assert_eq!(
        got,
        vec![
            // above a line with no violation at all
            "unused-suppression src/billing/invoice.rs:10",
            // allows a rule other than the one broken below it
            "unused-suppression src/billing/invoice.rs:16",
            // after code: covers only its own line, which breaks no rule
            "unused-suppression src/billing/invoice.rs:22",
            // one comment, two rules: `no-process-exit` is used, the other not
            "unused-suppression src/billing/migrate.rs:10",
        ]
    );
    let messages: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(
            &"`allow(no-process-exit)` silences nothing on this line or the next; remove it"
        ),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .filter(|m| m.contains("`allow(billing-not-accounts-storage)`"))
            .count()
            == 3,
        "{messages:?}"
    );
    assert!(
        messages.contains(
            &"`allow(billing-not-accounts-storage)` silences nothing on this line; remove it"
        ),
        "{messages:?}"
    );
}

#[test]
fn unused_suppressions_are_warnings_and_do_not_change_the_exit_code() {
    let manifest = manifest("suppressions");
    let run = run(&["check", "--format", "json", "--manifest-path", &manifest]);
    // exit 1 comes from the one violation left, not from the warnings
    assert_eq!(run.code, 1, "stderr:\n{}", run.stderr);
}

#[test]
fn an_unknown_rule_in_a_suppression_is_an_error_with_a_suggestion() {
    let manifest = manifest("suppressions-unknown");
    let run = run(&["check", "--color", "never", "--manifest-path", &manifest]);
    assert_eq!(
        run.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    for needle in [
        "unknown rule `billing-not-account-storage` in a suppression",
        "did you mean `billing-not-accounts-storage`?",
        "src/billing/invoice.rs:5:78",
        "unknown rule `no-such-rule` in a suppression",
        "src/billing/invoice.rs:16:26",
        "nothing was checked",
    ] {
        assert!(
            run.stderr.contains(needle),
            "missing {needle:?} in:\n{}",
            run.stderr
        );
    }
    // the JSON format does not turn the error into a report
    let json = run_json("suppressions-unknown");
    assert_eq!(json.code, 2);
    assert_eq!(json.stdout, "");
}

#[test]
fn a_required_reason_must_be_given() {
    let manifest = manifest("suppressions-reason");
    let run = run(&["check", "--color", "never", "--manifest-path", &manifest]);
    assert_eq!(
        run.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    for needle in [
        "this suppression gives no reason",
        "src/billing/invoice.rs:15:5",
        "require-suppression-reason",
    ] {
        assert!(
            run.stderr.contains(needle),
            "missing {needle:?} in:\n{}",
            run.stderr
        );
    }
    // The comments that do give a reason are not reported.
    assert!(!run.stderr.contains("invoice.rs:5:"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("1 suppression comment needs to be fixed"),
        "{}",
        run.stderr
    );
}

#[test]
fn suppressions_are_comments_not_string_contents() {
    // invoice.rs:2 holds `"// boundaries: allow(no-such-rule) ..."` in a
    // string: not a comment, so not an (unknown-rule) suppression. Line 5
    // has `"https://..."` before its real suppression comment, which must
    // still silence the violation on that line.
    let report = check_json("suppressions-in-strings");
    assert_eq!(violations(&report), Vec::<String>::new());
    assert_eq!(warnings(&report), Vec::<String>::new());
}

fn run_json(name: &str) -> crate::support::Run {
    let manifest = manifest(name);
    run(&["check", "--format", "json", "--manifest-path", &manifest])
}
