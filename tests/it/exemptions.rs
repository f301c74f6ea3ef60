//! Exemptions that expire (`fixtures/exemptions`): a suppression until
//! 2027-03-31 owned by @payments, a baseline entry until 2027-06-30 owned
//! by @billing; today's date set with BOUNDARIES_TODAY.

use std::path::Path;

use serde_json::Value;

use crate::support::{copy_tree, fixture, manifest, run_in_with, Run};

fn run_on(today: &str, dir: &Path, args: &[&str]) -> Run {
    run_in_with(dir, args, &[("BOUNDARIES_TODAY", today)])
}

fn check(today: &str) -> (i32, Value) {
    let manifest = manifest("exemptions");
    let run = run_on(
        today,
        &fixture("exemptions"),
        &["check", "--format", "json", "--manifest-path", &manifest],
    );
    let report = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}\n{}\n{}", run.stdout, run.stderr));
    (run.code, report)
}

fn messages(report: &Value, field: &str) -> Vec<String> {
    report[field]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["baselined"] != Value::Bool(true))
        .map(|v| v["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn before_its_window_an_exemption_exempts_silently() {
    let (code, report) = check("2027-01-01");
    assert_eq!(code, 0);
    assert!(messages(&report, "violations").is_empty());
    assert!(messages(&report, "warnings").is_empty(), "{report:#}");
}

#[test]
fn within_thirty_days_it_is_a_warning_naming_date_and_owner() {
    let (code, report) = check("2027-03-15");
    assert_eq!(code, 0);
    assert!(messages(&report, "violations").is_empty());
    let warnings = report["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0]["code"], "expiring-exemption");
    assert_eq!(warnings[0]["file"], "src/billing/mod.rs");
    assert_eq!(
        warnings[0]["message"],
        "the exemption `allow(billing-not-storage)` expires on 2027-03-31 (in 16 days), \
         owned by @payments; fix what it silences or move its date"
    );
    // The baseline entry's window opens 30 days before its date.
    let (_, report) = check("2027-06-10");
    let warnings = report["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w["code"] == "expiring-exemption"
            && w["file"] == "boundaries-baseline.toml"
            && w["message"].as_str().unwrap().contains("owned by @billing")),
        "{warnings:#?}"
    );
}

#[test]
fn past_its_date_an_exemption_stops_exempting() {
    let (code, report) = check("2027-04-01");
    assert_eq!(code, 1);
    assert_eq!(
        messages(&report, "violations"),
        ["`shop::billing` must not depend on `shop::accounts::storage` (its exemption \
          `allow(billing-not-storage)` at src/billing/mod.rs:4 expired on 2027-03-31, owned by @payments)"]
    );
    let (code, report) = check("2027-07-01");
    assert_eq!(code, 1);
    let violations = messages(&report, "violations");
    assert_eq!(violations.len(), 2, "{violations:#?}");
    assert!(
        violations[0].ends_with("(its baseline entry expired on 2027-06-30, owned by @billing)")
    );
}

#[test]
fn a_bad_today_is_exit_2() {
    let manifest = manifest("exemptions");
    let run = run_on(
        "tomorrow",
        &fixture("exemptions"),
        &["check", "--manifest-path", &manifest],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("BOUNDARIES_TODAY"), "{}", run.stderr);
}

#[test]
fn exemptions_lists_them_soonest_first() {
    let manifest = manifest("exemptions");
    let dir = fixture("exemptions");
    let human = run_on(
        "2027-03-15",
        &dir,
        &["exemptions", "--manifest-path", &manifest],
    );
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert_eq!(
        human.stdout,
        "until       left  status    owner      rule                 where                       what\n\
         2027-03-31  16d   expiring  @payments  billing-not-storage  src/billing/mod.rs:4        moving to the api\n\
         2027-06-30  107d  open      @billing   billing-not-storage  boundaries-baseline.toml:7  \
         shop::billing::invoice → shop::accounts::storage (1)\n\
         2 exemptions on 2027-03-15: 0 expired, 1 expiring within 30 days, 0 without a date\n"
    );
    let json = run_on(
        "2027-04-01",
        &dir,
        &[
            "exemptions",
            "--format",
            "json",
            "--manifest-path",
            &manifest,
        ],
    );
    let list: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(list["today"], "2027-04-01");
    let first = &list["exemptions"][0];
    assert_eq!(first["kind"], "suppression");
    assert_eq!(first["status"], "expired");
    assert_eq!(first["days_left"], -1);
    assert_eq!(first["owner"], "@payments");
    let second = &list["exemptions"][1];
    assert_eq!(second["kind"], "baseline");
    assert_eq!(second["until"], "2027-06-30");
    assert_eq!(second["count"], 1);
}

#[test]
fn require_expiry_makes_an_undated_exemption_an_error() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("exemptions"), dir.path());
    let policy = dir.path().join("boundaries.toml");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(
        &policy,
        text.replace(
            "version = 1\n",
            "version = 1\n\n[settings]\nrequire-expiry = true\n",
        ),
    )
    .unwrap();
    // Both exemptions have dates: the run goes on.
    assert_eq!(run_on("2027-01-01", dir.path(), &["check"]).code, 0);
    // An undated suppression is an error at the comment.
    let source = dir.path().join("src/billing/mod.rs");
    let code = std::fs::read_to_string(&source).unwrap();
    std::fs::write(
        &source,
        code.replace(", until = 2027-03-31, owner = \"@payments\"", ""),
    )
    .unwrap();
    let run = run_on("2027-01-01", dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("this suppression has no expiry date"),
        "{}",
        run.stderr
    );
    std::fs::write(&source, code).unwrap();
    // An undated baseline entry too, at its line.
    let baseline = dir.path().join("boundaries-baseline.toml");
    let entries = std::fs::read_to_string(&baseline).unwrap();
    std::fs::write(&baseline, entries.replace("until = 2027-06-30\n", "")).unwrap();
    let run = run_on("2027-01-01", dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("error[baseline-entry-without-expiry]")
            && run.stderr.contains("--> boundaries-baseline.toml:7"),
        "{}",
        run.stderr
    );
}

#[test]
fn baseline_keeps_until_and_owner_when_it_rewrites_an_entry() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("exemptions"), dir.path());
    let invoice = dir.path().join("src/billing/invoice.rs");
    std::fs::write(
        &invoice,
        "pub fn issue() {\n    crate::accounts::storage::save();\n    crate::accounts::storage::save();\n}\n",
    )
    .unwrap();
    let run = run_on("2027-01-01", dir.path(), &["baseline", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read_to_string(dir.path().join("boundaries-baseline.toml")).unwrap();
    assert!(
        written.contains("count = 2\nuntil = \"2027-06-30\"\nowner = \"@billing\"\n"),
        "{written}"
    );
    assert_eq!(run_on("2027-01-01", dir.path(), &["check"]).code, 0);
}

#[test]
fn a_bad_suppression_date_is_an_error_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("exemptions"), dir.path());
    let source = dir.path().join("src/billing/mod.rs");
    let code = std::fs::read_to_string(&source).unwrap();
    std::fs::write(&source, code.replace("2027-03-31", "2027-02-30")).unwrap();
    let run = run_on("2027-01-01", dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`until = 2027-02-30` is not a date"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_markdown_report_counts_what_expires_soon() {
    let manifest = manifest("exemptions");
    let run = run_on(
        "2027-03-15",
        &fixture("exemptions"),
        &[
            "check",
            "--format",
            "markdown",
            "--manifest-path",
            &manifest,
        ],
    );
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("| `billing-not-storage` (error forbid) | 0 | 1 | 0 | 1 |"),
        "{}",
        run.stdout
    );
}
