//! Exit code 2: the tool could not do its job. A bad policy reports every
//! problem at once; no policy points at `cargo boundaries init`.

use crate::support::{check_json, fixture, manifest, run, violations, Run};

fn check(name: &str, extra: &[&str]) -> Run {
    let manifest = manifest(name);
    let mut args = vec!["check", "--manifest-path", &manifest];
    args.extend_from_slice(extra);
    run(&args)
}

fn assert_contains_all(text: &str, needles: &[&str]) {
    let missing: Vec<&&str> = needles.iter().filter(|n| !text.contains(**n)).collect();
    assert!(missing.is_empty(), "missing {missing:?} in:\n{text}");
}

#[test]
fn a_bad_policy_reports_every_problem_at_once() {
    let run = check("bad-policy", &[]);
    assert_eq!(
        run.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert_contains_all(
        &run.stderr,
        &[
            // the diagnostics point into the policy file
            "boundaries.toml",
            // an unknown top-level key
            "rulez",
            "did you mean `rule`",
            // an unknown rule kind
            "forbd",
            "did you mean `forbid`",
            // an unknown field in a rule
            "form",
            "did you mean `from`",
            // a wrong type
            "severity",
            // bad pattern syntax
            "shop::::billing",
            // a pattern that matches nothing: a typo must not pass silently
            "shop::biling",
            "did you mean `shop::billing`",
            // an unknown component
            "persistence",
            // two rules with the same name
            "billing-uses-accounts-api",
        ],
    );
    assert!(
        run.stderr.to_lowercase().contains("duplicate"),
        "no duplicate-name error in:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn a_bad_policy_exits_2_in_every_format() {
    for format in ["json", "short", "human"] {
        let run = check("bad-policy", &["--format", format]);
        assert_eq!(
            run.code, 2,
            "--format {format}\nstdout:\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        );
        assert!(
            run.stderr.contains("shop::biling"),
            "--format {format}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn a_toml_syntax_error_exits_2_and_points_into_the_file() {
    let run = check("bad-policy-syntax", &[]);
    assert_eq!(
        run.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert_contains_all(
        &run.stderr,
        &["boundaries.toml", "to = [\"shop::accounts\""],
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn no_policy_exits_2_and_suggests_init() {
    let run = check("no-policy", &[]);
    assert_eq!(
        run.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert_contains_all(&run.stderr, &["cargo boundaries init"]);
    let run = check("no-policy", &["--format", "json"]);
    assert_eq!(
        run.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
}

#[test]
fn a_missing_policy_path_exits_2() {
    let missing = fixture("no-policy").join("there-is-no-such-policy.toml");
    let missing = missing.display().to_string();
    let run = check("no-policy", &["--policy", &missing]);
    assert_eq!(
        run.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr.contains("there-is-no-such-policy.toml"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_policy_given_with_policy_is_read() {
    // no-policy's workspace, checked with parse-error's policy
    let policy = fixture("parse-error").join("boundaries.toml");
    let policy = policy.display().to_string();
    let run = check("no-policy", &["--policy", &policy, "--format", "json"]);
    // parse-error's policy names `shop::accounts::storage`, which no-policy's
    // `shop` does not have: a pattern that matches nothing is an error.
    assert_eq!(
        run.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr.contains("shop::accounts::storage"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("cargo boundaries init"),
        "{}",
        run.stderr
    );
}

#[test]
fn no_workspace_exits_2() {
    let missing = fixture("there-is-no-such-fixture").join("Cargo.toml");
    let missing = missing.display().to_string();
    let run = run(&["check", "--manifest-path", &missing]);
    assert_eq!(
        run.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert!(!run.stderr.is_empty());
}

#[test]
fn bad_arguments_exit_2() {
    let demo = manifest("demo");
    for args in [
        vec!["check", "--no-such-flag"],
        vec![
            "check",
            "--format",
            "no-such-format",
            "--manifest-path",
            &demo,
        ],
    ] {
        let result = run(&args);
        assert_eq!(
            result.code, 2,
            "{args:?}\nstdout:\n{}\nstderr:\n{}",
            result.stdout, result.stderr
        );
    }
}

#[test]
fn the_policy_can_live_in_the_root_manifest() {
    let report = check_json("policy-in-manifest");
    assert_eq!(
        violations(&report),
        ["billing-not-accounts-storage shop::billing -> shop::accounts::storage::load (src/billing.rs:2 path)"]
    );
    // The rule's span points into Cargo.toml.
    let run = run(&[
        "check",
        "--color",
        "never",
        "--manifest-path",
        &manifest("policy-in-manifest"),
    ]);
    assert!(run.stdout.contains("╭─[Cargo.toml:15:8]"), "{}", run.stdout);
}

/// `check` on a fixture with the policy `text`, written outside it.
fn check_with_policy(name: &str, text: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, text).unwrap();
    let policy = policy.display().to_string();
    check(name, &["--policy", &policy])
}

fn forbid_to(to: &str) -> String {
    format!(
        "version = 1\n\n[[rule]]\nkind = \"forbid\"\nname = \"r\"\nfrom = \"app\"\nto = \"{to}\"\n"
    )
}

#[test]
fn names_are_taken_as_users_write_them() {
    // Package spellings, a package whose library has another name, and `*`
    // inside a segment (see the fixture's policy).
    assert_eq!(
        violations(&check_json("names-as-written")),
        [
            "apis-not-storage app::billing_api -> app::storage::load (crates/app/src/billing_api.rs:2 path)",
            "core-parses-nothing app::core -> ts_x::Tree (crates/app/src/core.rs:1 path)",
            "core-parses-nothing app::core -> ts_x::parse (crates/app/src/core.rs:2 path)",
            "bevy-crates-are-independent bevy_app -> bevy_ecs (crates/bevy_app/Cargo.toml:8 manifest)",
            "bevy-crates-are-independent bevy_app -> bevy_ecs::World (crates/bevy_app/src/lib.rs:2 path)",
        ]
    );
    // The package spelling and the crate name are the same crate.
    for spelling in [
        "cargo-util",
        "cargo_util",
        "tree-sitter-x",
        "ts_x",
        "gen-lsp-types",
    ] {
        let run = check_with_policy("names-as-written", &forbid_to(spelling));
        assert_eq!(run.code, 1, "{spelling}: {}{}", run.stdout, run.stderr);
    }
}

#[test]
fn did_you_mean_covers_package_spellings_and_renames() {
    for (written, expected) in [
        // What the manifest renames `gen-lsp-types` to, as code uses it.
        ("lsp_types", "did you mean `gen_lsp_types`?"),
        ("lsp-types", "did you mean `gen_lsp_types`?"),
        ("lsp_types::Position", "write `gen_lsp_types`"),
        // A typo in a package spelling.
        ("cargo-utl", "did you mean `cargo-util`"),
        // The Rust spelling of a package whose library has another name.
        (
            "tree_sitter_x",
            "did you mean `tree-sitter-x` (the crate `ts_x`)?",
        ),
    ] {
        let run = check_with_policy("names-as-written", &forbid_to(written));
        assert_eq!(run.code, 2, "{written}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{written}: {}", run.stderr);
    }
    // A dash inside a module path says how modules are spelled.
    let run = check_with_policy("names-as-written", &forbid_to("app::billing-api"));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("`-` is spelled `_`"), "{}", run.stderr);
}

#[test]
fn a_component_naming_another_component_says_components_do_not_nest() {
    let run = check_with_policy(
        "names-as-written",
        "version = 1\n\n[components]\nc0 = [\"app\"]\nc1 = [\"c0\"]\n\n\
         [[rule]]\nkind = \"forbid\"\nname = \"r\"\nfrom = \"c1\"\nto = \"ts_x\"\n",
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("component `c1` lists component `c0`")
            && run.stderr.contains("components do not nest"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("did you mean `c0`"), "{}", run.stderr);
}

// ------------------------------------------------------- policy discovery

const PACKAGE: &str = "[package]\nname = \"t\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";
const RULE: &str =
    "[[rule]]\nkind = \"forbid\"\nname = \"no-exit\"\nfrom = \"t\"\nto = \"std::process::exit\"\n";

/// A one-package workspace in a temporary folder: `Cargo.toml` is
/// `PACKAGE` + `manifest_extra` + `[workspace]`, and `files` beside it.
fn workspace(manifest_extra: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!("{PACKAGE}{manifest_extra}\n[workspace]\n"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/lib.rs"), "pub fn f() {}\n").unwrap();
    for (path, text) in files {
        std::fs::write(dir.path().join(path), text).unwrap();
    }
    dir
}

/// Runs the binary in `dir`, killed after `seconds`: a hang fails the test
/// instead of blocking it.
fn run_bounded(dir: &std::path::Path, args: &[&str], seconds: u64) -> Run {
    use std::io::Read;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-boundaries"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(seconds) {
            let _ = child.kill();
            panic!("`cargo boundaries {}` hung for {seconds}s", args.join(" "));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let (mut stdout, mut stderr) = (String::new(), String::new());
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    Run {
        stdout,
        stderr,
        code: status.code().unwrap_or(-1),
    }
}

#[test]
fn a_policy_file_and_a_metadata_table_at_once_is_exit_2_naming_both() {
    for table in [
        "workspace.metadata.boundaries",
        "package.metadata.boundaries",
    ] {
        let manifest = format!(
            "\n[{table}]\nversion = 1\n{}",
            RULE.replace("[[rule]]", &format!("[[{table}.rule]]"))
        );
        let dir = workspace(
            &manifest,
            &[("boundaries.toml", &format!("version = 1\n{RULE}"))],
        );
        let run = run_bounded(dir.path(), &["check"], 60);
        assert_eq!(run.code, 2, "{table}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stderr.contains("two policies")
                && run.stderr.contains("boundaries.toml")
                && run.stderr.contains(&format!("[{table}] in Cargo.toml")),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_single_package_keeps_its_policy_in_package_metadata() {
    let manifest = "\n[dependencies]\n\n[package.metadata.boundaries]\nversion = 1\n\n\
                    [[package.metadata.boundaries.rule]]\nkind = \"forbid\"\nname = \"no-exit\"\n\
                    from = \"t\"\nto = \"std::process::exit\"\n";
    let dir = workspace(manifest, &[]);
    std::fs::write(
        dir.path().join("src/lib.rs"),
        "pub fn f() {\n    std::process::exit(1);\n}\n",
    )
    .unwrap();
    let run = run_bounded(dir.path(), &["check", "--format", "short"], 60);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("src/lib.rs:2:5: error[no-exit]"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_policy_that_would_check_nothing_is_exit_2() {
    let cases: [(&str, &str, &str); 5] = [
        // no `version = 1`
        ("", RULE, "does not say `version = 1`"),
        // no rules
        ("", "version = 1\n", "has no rules"),
        ("", "", "has no rules"),
        ("", "version = 1\nrule = []\n", "has no rules"),
        // the wrong shape of metadata: not a table
        (
            "\n[workspace.metadata]\nboundaries = \"yes\"\n",
            "",
            "must be a table",
        ),
    ];
    for (manifest, policy, expected) in cases {
        let files: Vec<(&str, &str)> = if manifest.is_empty() {
            vec![("boundaries.toml", policy)]
        } else {
            Vec::new()
        };
        // `[workspace.metadata]` is written before `[workspace]`: move it.
        let dir = workspace("", &files);
        if !manifest.is_empty() {
            std::fs::write(
                dir.path().join("Cargo.toml"),
                format!("{PACKAGE}\n[workspace]\n{manifest}"),
            )
            .unwrap();
        }
        let run = run_bounded(dir.path(), &["check"], 60);
        assert_eq!(run.code, 2, "{policy:?}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(expected), "{policy:?}: {}", run.stderr);
    }
}

#[cfg(unix)]
#[test]
fn a_policy_symlinked_outside_the_workspace_is_never_read() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.toml");
    std::fs::write(&secret, "top-secret-marker = 1\nversion = 1\n").unwrap();
    let dir = workspace("", &[]);
    std::os::unix::fs::symlink(&secret, dir.path().join("boundaries.toml")).unwrap();
    let run = run_bounded(dir.path(), &["check"], 60);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("outside the workspace"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stdout.contains("top-secret-marker") && !run.stderr.contains("top-secret-marker"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    // A symlink to a file inside the root is followed.
    std::fs::remove_file(dir.path().join("boundaries.toml")).unwrap();
    std::fs::write(
        dir.path().join("policy.toml"),
        format!("version = 1\n{RULE}"),
    )
    .unwrap();
    std::os::unix::fs::symlink("policy.toml", dir.path().join("boundaries.toml")).unwrap();
    let run = run_bounded(dir.path(), &["check"], 60);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[cfg(unix)]
#[test]
fn a_policy_that_is_not_a_regular_file_is_exit_2_not_a_hang() {
    let dir = workspace("", &[]);
    let fifo = dir.path().join("fifo.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let mut paths = vec![dir.path().display().to_string()];
    if made.is_ok_and(|s| s.success()) {
        paths.push(fifo.display().to_string());
    }
    if std::path::Path::new("/dev/zero").exists() {
        paths.push("/dev/zero".to_string());
    }
    for path in &paths {
        let run = run_bounded(dir.path(), &["check", "--policy", path], 60);
        assert_eq!(run.code, 2, "{path}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stderr.contains("not a regular file") || run.stderr.contains("is a directory"),
            "{path}: {}",
            run.stderr
        );
    }
    // `boundaries.toml` as a directory, too.
    std::fs::create_dir(dir.path().join("boundaries.toml")).unwrap();
    let run = run_bounded(dir.path(), &["check"], 60);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
}

#[test]
fn a_toml_syntax_error_is_listed_first_and_alone() {
    let run = check("bad-policy-syntax", &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let first = run.stderr.find("×").unwrap();
    assert!(
        run.stderr[first..].starts_with("× invalid TOML"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("bad pattern"), "{}", run.stderr);
    assert!(run.stderr.contains("has 1 problem"), "{}", run.stderr);
}

/// The `-v` lines that are not timed phases: what the run read.
fn verbose_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("           ") && !l.trim().is_empty())
        .map(str::trim)
        .collect()
}

/// `-v` says which policy (a file, `--policy`, or a table of the root
/// manifest) and which baseline file the run used, or that there was none.
#[test]
fn verbose_says_which_policy_and_baseline_were_used() {
    let said = |name: &str, extra: &[&str]| {
        let mut args = vec!["-v"];
        args.extend_from_slice(extra);
        let run = check(name, &args);
        assert!(run.code < 2, "{name}: {}", run.stderr);
        verbose_lines(&run.stderr)
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        said("stale-baseline", &[]),
        [
            "policy: boundaries.toml",
            "baseline: boundaries-baseline.toml (1 entry)"
        ]
    );
    assert_eq!(
        said("stale-baseline", &["--no-baseline"]),
        ["policy: boundaries.toml", "no baseline file: --no-baseline"]
    );
    assert_eq!(
        said("policy-in-manifest", &[]),
        [
            "policy: [workspace.metadata.boundaries] in Cargo.toml",
            "no baseline file: boundaries-baseline.toml does not exist"
        ]
    );
    let policy = fixture("stale-baseline").join("boundaries.toml");
    let lines = said(
        "policy-in-manifest",
        &["--policy", &policy.display().to_string()],
    );
    assert_eq!(
        lines[0],
        format!("policy: {} (--policy)", policy.display()),
        "{lines:?}"
    );

    // A single package's own table; `baseline` says what it read too.
    let table = format!(
        "\n[package.metadata.boundaries]\nversion = 1\n{}",
        RULE.replace("[[rule]]", "[[package.metadata.boundaries.rule]]")
    );
    let dir = workspace(&table, &[]);
    let written = run_bounded(dir.path(), &["baseline", "-v"], 60);
    assert_eq!(written.code, 0, "{}", written.stderr);
    assert_eq!(
        verbose_lines(&written.stderr),
        [
            "policy: [package.metadata.boundaries] in Cargo.toml",
            "no baseline file: boundaries-baseline.toml does not exist"
        ]
    );
    let checked = run_bounded(dir.path(), &["check", "-v"], 60);
    assert_eq!(checked.code, 0, "{}", checked.stderr);
    assert_eq!(
        verbose_lines(&checked.stderr)[1],
        "baseline: boundaries-baseline.toml (0 entries)"
    );

    // `graph` needs no policy, and says it found none.
    let graph = run(&["graph", "-v", "--manifest-path", &manifest("no-policy")]);
    assert_eq!(graph.code, 0, "{}", graph.stderr);
    assert_eq!(
        verbose_lines(&graph.stderr),
        ["no policy found: no rules apply"]
    );
}

// ------------------------------------------------------- diagnostic codes

/// Each policy problem is named by its own typed code, in the human output
/// and in the machine formats CI and editors read on exit 2.
#[test]
fn policy_diagnostics_show_their_own_code() {
    let run = check("bad-policy", &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let codes: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("boundaries::"))
        .collect();
    assert_eq!(
        codes,
        [
            "boundaries::policy::unknown-kind",
            "boundaries::policy::missing-field",
            "boundaries::policy::unknown-field",
            "boundaries::policy::wrong-type",
            "boundaries::policy::bad-pattern",
            "boundaries::policy::matches-nothing",
            "boundaries::policy::unknown-name",
            "boundaries::policy::duplicate-rule-name",
            "boundaries::policy::unknown-key",
        ],
        "{}",
        run.stderr
    );

    let cargo = check("bad-policy", &["--message-format", "json"]);
    let codes: Vec<String> = cargo
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|m| m["reason"] == "compiler-message")
        .map(|m| m["message"]["code"]["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 9, "{}", cargo.stdout);
    assert!(
        codes.contains(&"boundaries::policy::duplicate-rule-name".to_string()),
        "{codes:?}"
    );
    assert!(
        cargo
            .stdout
            .contains("error[boundaries::policy::unknown-kind]: unknown rule kind `forbd`"),
        "the rendered text names the code too: {}",
        cargo.stdout
    );

    let gitlab = check("bad-policy", &["--format", "gitlab"]);
    let issues: serde_json::Value = serde_json::from_str(&gitlab.stdout).unwrap();
    assert!(
        issues
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["check_name"] == "policy::matches-nothing"),
        "{issues:#}"
    );
}

/// A policy that cannot be used at all carries its code as well.
#[test]
fn finding_two_policies_is_named_by_its_code() {
    let manifest = format!(
        "\n[workspace.metadata.boundaries]\nversion = 1\n{}",
        RULE.replace("[[rule]]", "[[workspace.metadata.boundaries.rule]]")
    );
    let dir = workspace(
        &manifest,
        &[("boundaries.toml", &format!("version = 1\n{RULE}"))],
    );
    let sarif = run_bounded(dir.path(), &["check", "--format", "sarif"], 60);
    assert_eq!(sarif.code, 2, "{}", sarif.stderr);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let notification = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(
        notification["descriptor"]["id"], "policy::two-policies",
        "{log:#}"
    );
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["notifications"][0]["id"],
        "policy::two-policies"
    );
    let github = run_bounded(dir.path(), &["check", "--format", "github"], 60);
    assert!(
        github
            .stdout
            .starts_with("::error title=policy%3A%3Atwo-policies::two policies found"),
        "{}",
        github.stdout
    );
}
