//! `check --base REF`: a temporary git repository holds a small workspace
//! whose base commit passes; each case changes the policy, the baseline or
//! the code in one way and compares with the base commit.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::{run_in, Run};

const POLICY: &str = r#"version = 1

[components]
internals = ["shop::accounts::storage"]

[[rule]]
kind = "forbid"
name = "billing-not-storage"
from = "shop::billing"
to = ["internals"]

[[rule]]
kind = "interface"
name = "accounts-interface"
module = "shop::accounts"
expose = ["api"]

[[rule]]
kind = "layers"
name = "web-on-top"
layers = ["shop::web", "shop::billing", "shop::accounts"]
"#;

const FILES: [(&str, &str); 9] = [
    (
        "Cargo.toml",
        "[package]\nname = \"shop\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    ),
    ("boundaries.toml", POLICY),
    (
        "src/lib.rs",
        "pub mod accounts;\npub mod billing;\npub mod web;\n",
    ),
    ("src/accounts/mod.rs", "pub mod api;\npub mod storage;\n"),
    (
        "src/accounts/api.rs",
        "pub fn balance() -> u64 {\n    0\n}\n",
    ),
    (
        "src/accounts/storage.rs",
        "pub struct Db;\n\npub fn load() {}\n",
    ),
    (
        "src/billing/mod.rs",
        "pub mod invoice;\n\npub fn total() -> u64 {\n    crate::accounts::api::balance()\n}\n",
    ),
    ("src/billing/invoice.rs", "pub fn issue() {}\n"),
    (
        "src/web.rs",
        "pub fn page() -> u64 {\n    crate::billing::total()\n}\n",
    ),
];

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// The workspace at its base commit, tagged `base`.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in FILES {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "base"]);
    git(dir.path(), &["tag", "base"]);
    dir
}

fn write(dir: &Path, path: &str, text: &str) {
    std::fs::write(dir.join(path), text).unwrap();
}

fn edit_policy(dir: &Path, old: &str, new: &str) {
    let text = std::fs::read_to_string(dir.join("boundaries.toml")).unwrap();
    assert_eq!(text.matches(old).count(), 1, "`{old}` once in the policy");
    write(dir, "boundaries.toml", &text.replacen(old, new, 1));
}

/// `check --base base --format json`: the exit code and the loosening
/// problems as `(code, file:line, message)`.
fn against_base(dir: &Path) -> (i32, Vec<(String, String, String)>) {
    let run = run_in(dir, &["check", "--base", "base", "--format", "json"]);
    assert!(
        run.code == 0 || run.code == 1,
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let found = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "policy-loosened" || w["code"] == "accepted-loosening")
        .map(|w| {
            (
                w["code"].as_str().unwrap().to_string(),
                format!("{}:{}", w["file"].as_str().unwrap(), w["line"]),
                w["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (run.code, found)
}

/// One `policy-loosened` problem, at `place`, whose message has `text`.
fn assert_one_loosening(dir: &Path, place: &str, text: &str) {
    let (code, found) = against_base(dir);
    assert_eq!(code, 1, "{found:#?}");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "policy-loosened");
    assert_eq!(found[0].1, place, "{found:#?}");
    assert!(found[0].2.contains(text), "{}\nlacks: {text}", found[0].2);
}

#[test]
fn the_base_commit_itself_has_no_loosening() {
    let repo = repository();
    assert_eq!(against_base(repo.path()), (0, Vec::new()));
}

#[test]
fn a_rule_that_forbids_fewer_pairs() {
    let repo = repository();
    edit_policy(
        repo.path(),
        "from = \"shop::billing\"",
        "from = \"shop::billing::invoice\"",
    );
    assert_one_loosening(
        repo.path(),
        "boundaries.toml:9",
        "rule `billing-not-storage` allows more than at base: \
         `shop::billing` may now use `shop::accounts::storage` (no references yet)",
    );
}

#[test]
fn an_exclusion_that_widens_what_is_allowed() {
    let repo = repository();
    edit_policy(
        repo.path(),
        "from = \"shop::billing\"",
        "from = [\"shop::billing\", \"!shop::billing::invoice\"]",
    );
    assert_one_loosening(
        repo.path(),
        "boundaries.toml:9",
        "`shop::billing::invoice` may now use `shop::accounts::storage`",
    );
}

#[test]
fn a_component_member_that_widens_what_is_allowed() {
    let repo = repository();
    edit_policy(
        repo.path(),
        "internals = [\"shop::accounts::storage\"]",
        "internals = [\"shop::accounts::storage::Db\"]",
    );
    // The change is in `[components]`: the finding is located there.
    assert_one_loosening(
        repo.path(),
        "boundaries.toml:4",
        "`shop::billing` may now use `shop::accounts::storage`",
    );
}

#[test]
fn an_added_expose_counts_the_references_it_lets_through() {
    let repo = repository();
    write(
        repo.path(),
        "src/billing/invoice.rs",
        "pub fn issue() {\n    crate::accounts::storage::load();\n}\n",
    );
    // At base this reference is a violation; with `storage` exposed it is
    // not, but billing's own forbid rule still catches it.
    edit_policy(
        repo.path(),
        "expose = [\"api\"]",
        "expose = [\"api\", \"storage\"]",
    );
    let (code, found) = against_base(repo.path());
    assert_eq!(code, 1);
    let interface: Vec<_> = found
        .iter()
        .filter(|f| f.2.starts_with("rule `accounts-interface`"))
        .collect();
    assert_eq!(interface.len(), 1, "{found:#?}");
    assert_eq!(interface[0].1, "boundaries.toml:16");
    assert!(
        interface[0].2.contains(
            "`shop::billing::invoice` may now use `shop::accounts::storage`: 1 reference"
        ),
        "{}",
        interface[0].2
    );
}

#[test]
fn a_lowered_severity() {
    let repo = repository();
    edit_policy(
        repo.path(),
        "name = \"web-on-top\"\n",
        "name = \"web-on-top\"\nseverity = \"warn\"\n",
    );
    assert_one_loosening(
        repo.path(),
        "boundaries.toml:21",
        "rule `web-on-top`'s severity was lowered from error to warn since base",
    );
}

#[test]
fn a_removed_rule_and_a_renamed_one() {
    let repo = repository();
    edit_policy(
        repo.path(),
        "[[rule]]\nkind = \"layers\"\nname = \"web-on-top\"\nlayers = [\"shop::web\", \"shop::billing\", \"shop::accounts\"]\n",
        "",
    );
    let (code, found) = against_base(repo.path());
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0]
        .2
        .starts_with("rule `web-on-top` (layers) of base is gone"));

    let repo = repository();
    edit_policy(repo.path(), "name = \"web-on-top\"", "name = \"web-first\"");
    assert_one_loosening(
        repo.path(),
        "boundaries.toml:20",
        "rule `web-on-top` (layers) of base is gone",
    );
    // `[settings] loosened` accepts a rule that is gone.
    edit_policy(
        repo.path(),
        "version = 1\n",
        "version = 1\n\n[settings]\nloosened = \"renamed to web-first\"\n",
    );
    let (code, found) = against_base(repo.path());
    assert_eq!(code, 0);
    assert_eq!(found[0].0, "accepted-loosening");
}

#[test]
fn a_grown_baseline() {
    let repo = repository();
    write(
        repo.path(),
        "src/billing/invoice.rs",
        "pub fn issue() {\n    crate::accounts::storage::load();\n}\n",
    );
    let baseline = repo.path().join("boundaries-baseline.toml");
    let run = run_in(repo.path(), &["baseline", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(baseline.exists());
    let (code, found) = against_base(repo.path());
    assert_eq!(code, 1);
    let grown: Vec<_> = found
        .iter()
        .filter(|f| f.2.starts_with("the baseline now allows"))
        .collect();
    assert_eq!(grown.len(), 2, "{found:#?}");
    assert!(grown
        .iter()
        .all(|f| f.1.starts_with("boundaries-baseline.toml:")));
    assert!(grown[0]
        .2
        .contains("from `shop::billing::invoice` to `shop::accounts::storage` (0 at base)"));
}

#[test]
fn a_new_inline_suppression() {
    let repo = repository();
    write(
        repo.path(),
        "src/billing/invoice.rs",
        "pub fn issue() {\n    // boundaries: allow(billing-not-storage, accounts-interface) legacy\n    crate::accounts::storage::load();\n}\n",
    );
    let (code, found) = against_base(repo.path());
    assert_eq!(code, 1);
    let places: Vec<(&str, &str)> = found.iter().map(|f| (f.1.as_str(), f.2.as_str())).collect();
    assert_eq!(
        places,
        [
            ("src/billing/invoice.rs:2", "a new suppression `allow(accounts-interface)` since base; if that is meant, say why with `loosened = \"...\"` on the rule"),
            ("src/billing/invoice.rs:2", "a new suppression `allow(billing-not-storage)` since base; if that is meant, say why with `loosened = \"...\"` on the rule"),
        ]
    );
    // Committed, it is part of the base of the next change: no finding.
    git(repo.path(), &["commit", "-qam", "suppress"]);
    git(repo.path(), &["tag", "-f", "base"]);
    assert_eq!(against_base(repo.path()), (0, Vec::new()));
}

/// `src/billing/invoice.rs` with one suppression of both rules it breaks,
/// written with `terms` (e.g. `, until = 2027-01-01`) and `reason`.
fn suppressed_invoice(terms: &str, reason: &str, padding: &str) -> String {
    format!(
        "{padding}pub fn issue() {{\n    // boundaries: allow(billing-not-storage, accounts-interface{terms}) {reason}\n    crate::accounts::storage::load();\n}}\n"
    )
}

/// The base commit moved to a suppression lasting until 2027-01-01.
fn repository_with_a_dated_suppression() -> tempfile::TempDir {
    let repo = repository();
    write(
        repo.path(),
        "src/billing/invoice.rs",
        &suppressed_invoice(", until = 2027-01-01", "legacy", ""),
    );
    git(repo.path(), &["commit", "-qam", "suppress until 2027"]);
    git(repo.path(), &["tag", "-f", "base"]);
    repo
}

#[test]
fn a_suppression_that_lasts_longer() {
    let repo = repository_with_a_dated_suppression();
    for (terms, now) in [
        (", until = 2028-06-30", "now lasts until 2028-06-30"),
        ("", "now lasts without an expiry"),
    ] {
        write(
            repo.path(),
            "src/billing/invoice.rs",
            &suppressed_invoice(terms, "legacy", ""),
        );
        let (code, found) = against_base(repo.path());
        assert_eq!(code, 1, "{found:#?}");
        let messages: Vec<&str> = found.iter().map(|f| f.2.as_str()).collect();
        assert_eq!(messages.len(), 2, "{found:#?}");
        for (message, rule) in messages
            .iter()
            .zip(["accounts-interface", "billing-not-storage"])
        {
            assert!(
                message.starts_with(&format!(
                    "the suppression `allow({rule})` {now} (until 2027-01-01 at base)"
                )),
                "{message}"
            );
        }
        assert!(found.iter().all(|f| f.1 == "src/billing/invoice.rs:2"));
    }
}

#[test]
fn a_suppression_moved_reworded_or_shortened_is_no_finding() {
    let repo = repository_with_a_dated_suppression();
    write(
        repo.path(),
        "src/billing/invoice.rs",
        &suppressed_invoice(
            ", until = 2026-12-31, owner = \"@billing\"",
            "reworded: the storage split is ticket 42",
            "// moved down a line\n",
        ),
    );
    assert_eq!(against_base(repo.path()), (0, Vec::new()));
}

#[test]
fn a_baseline_entry_that_lasts_longer() {
    let repo = repository();
    write(
        repo.path(),
        "src/billing/invoice.rs",
        "pub fn issue() {\n    crate::accounts::storage::load();\n}\n",
    );
    let run = run_in(repo.path(), &["baseline", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = repo.path().join("boundaries-baseline.toml");
    let written = std::fs::read_to_string(&path).unwrap();
    let dated = written.replace("count = 1\n", "count = 1\nuntil = 2027-01-01\n");
    assert_ne!(dated, written);
    write(repo.path(), "boundaries-baseline.toml", &dated);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-qm", "baseline until 2027"]);
    git(repo.path(), &["tag", "-f", "base"]);
    assert_eq!(against_base(repo.path()), (0, Vec::new()));

    let later = dated.replacen("until = 2027-01-01", "until = 2029-01-01", 1);
    write(repo.path(), "boundaries-baseline.toml", &later);
    let (code, found) = against_base(repo.path());
    assert_eq!(code, 1, "{found:#?}");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].1.starts_with("boundaries-baseline.toml:"));
    assert!(
        found[0]
            .2
            .contains("now lasts until 2029-01-01 (until 2027-01-01 at base)"),
        "{}",
        found[0].2
    );

    // An earlier date is tightening.
    let earlier = dated.replace("until = 2027-01-01", "until = 2026-12-31");
    write(repo.path(), "boundaries-baseline.toml", &earlier);
    assert_eq!(against_base(repo.path()), (0, Vec::new()));
}

#[test]
fn tightening_is_never_a_finding() {
    let repo = repository();
    edit_policy(repo.path(), "expose = [\"api\"]\n", "");
    edit_policy(
        repo.path(),
        "name = \"web-on-top\"\n",
        "name = \"web-on-top\"\nstrict = true\n",
    );
    let text = std::fs::read_to_string(repo.path().join("boundaries.toml")).unwrap();
    write(
        repo.path(),
        "boundaries.toml",
        &format!("{text}\n[[rule]]\nkind = \"forbid\"\nname = \"web-not-accounts\"\nfrom = \"shop::web\"\nto = \"shop::accounts\"\n"),
    );
    let (_, found) = against_base(repo.path());
    assert_eq!(found, Vec::new());
}

#[test]
fn loosened_on_the_rule_accepts_the_change() {
    let repo = repository();
    edit_policy(
        repo.path(),
        "expose = [\"api\"]",
        "expose = [\"api\", \"storage\"]\nloosened = \"storage is the public cache now\"",
    );
    let (code, found) = against_base(repo.path());
    assert_eq!(code, 0);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "accepted-loosening");
    assert!(found[0]
        .2
        .ends_with("(accepted: loosened = \"storage is the public cache now\")"));
}

#[test]
fn a_bad_revision_is_exit_2() {
    let repo = repository();
    // An option-looking revision is never taken for an option of git's.
    for reference in ["no-such-branch", "--output=x", "base:boundaries.toml"] {
        let run = run_in(repo.path(), &["check", &format!("--base={reference}")]);
        assert_eq!(run.code, 2, "{reference}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "`--base {reference}` is not a commit of this repository"
            )),
            "{}",
            run.stderr
        );
        assert!(!repo.path().join("x").exists());
    }
}

#[test]
fn without_git_or_a_repository_it_is_exit_2() {
    let repo = repository();
    let empty = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-boundaries"))
        .args(["check", "--base", "base"])
        .current_dir(repo.path())
        .env("PATH", empty.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`--base` needs git, which was not found"),
        "{stderr}"
    );

    let plain = tempfile::tempdir().unwrap();
    for (path, text) in FILES {
        let path = plain.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let run: Run = run_in(plain.path(), &["check", "--base", "HEAD"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`--base` needs a git repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn verbose_says_which_graph_the_rules_were_compared_on() {
    let repo = repository();
    let run = run_in(repo.path(), &["check", "--base", "base", "-v"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "--base base: rules compared over the graph plus one probe reference from every checked module to every module and crate"
        ),
        "{}",
        run.stderr
    );
    // 600 more modules: 600 × 600 probes are too many.
    let modules: String = (0..600).map(|i| format!("pub mod m{i} {{}}\n")).collect();
    write(
        repo.path(),
        "src/lib.rs",
        &format!("pub mod accounts;\npub mod billing;\npub mod web;\n{modules}"),
    );
    let run = run_in(repo.path(), &["check", "--base", "base", "-v"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "--base base: rules compared on the real graph only (the probes would be too many)"
        ),
        "{}",
        run.stderr
    );
}
