//! The CI and editor formats of `check`: `short`, `github`, `gitlab`,
//! `sarif` and `--message-format json`.
//!
//! `fixtures/formats` has an error rule whose reason holds `:`, `,` and `%`
//! (broken twice, one of them after a non-ASCII character), a
//! `severity = "warn"` rule broken once, and a file that does not parse.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{copy_tree, manifest, project_root, run};

fn check(manifest: &str, format: &[&str]) -> crate::support::Run {
    let mut args = vec!["check", "--manifest-path", manifest];
    args.extend_from_slice(format);
    let run = run(&args);
    assert!(
        run.code == 0 || run.code == 1,
        "exit code {}\n{}\n{}",
        run.code,
        run.stdout,
        run.stderr
    );
    run
}

fn check_fixture(name: &str, format: &[&str]) -> crate::support::Run {
    check(&manifest(name), format)
}

fn parse(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("bad JSON: {e}\n{stdout}"))
}

#[test]
fn short_prints_one_line_per_problem() {
    let run = check_fixture("formats", &["--format", "short"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "src/domain.rs:2:5: error[domain-not-web]: `app::domain` must not depend on `app::web`\n\
         src/domain.rs:6:13: error[domain-not-web]: `app::domain` must not depend on `app::web`\n\
         src/web.rs:2:5: warning[web-not-db]: `app::web` must not depend on `app::db`\n\
         src/broken.rs:1:16: warning[parse-error]: cannot parse src/broken.rs: cannot parse string into \
         token stream; its references are not checked\n"
    );
}

#[test]
fn short_on_layout_files() {
    let run = check_fixture("layout-files", &["--format", "short"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "src/billing/invoice.rs:6:5: error[billing-not-accounts-storage]: \
         `shop::billing::invoice` must not depend on `shop::accounts::storage`\n\
         src/billing/mod.rs:7:5: error[billing-not-accounts-storage]: \
         `shop::billing` must not depend on `shop::accounts::storage`\n"
    );
}

#[test]
fn github_prints_escaped_workflow_commands() {
    let run = check_fixture("formats", &["--format", "github"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "::error file=src/domain.rs,line=2,col=5,endLine=2,endColumn=23,title=domain-not-web::\
         `app::domain` must not depend on `app::web` (domain: pure, 100%25 testable, no web)\n\
         ::error file=src/domain.rs,line=6,col=13,endLine=6,endColumn=31,title=domain-not-web::\
         `app::domain` must not depend on `app::web` (domain: pure, 100%25 testable, no web)\n\
         ::warning file=src/web.rs,line=2,col=5,endLine=2,endColumn=21,title=web-not-db::\
         `app::web` must not depend on `app::db` (web reads data through app::domain)\n\
         ::warning file=src/broken.rs,line=1,col=16,endLine=1,endColumn=16,title=parse-error::\
         cannot parse src/broken.rs: cannot parse string into token stream; its references are not checked\n"
    );
}

#[test]
fn gitlab_is_a_code_quality_report() {
    let report = parse(&check_fixture("formats", &["--format", "gitlab"]).stdout);
    let issues = report.as_array().expect("an array");
    let summary: Vec<String> = issues
        .iter()
        .map(|i| {
            format!(
                "{} {} {}:{}",
                i["check_name"].as_str().unwrap(),
                i["severity"].as_str().unwrap(),
                i["location"]["path"].as_str().unwrap(),
                i["location"]["lines"]["begin"]
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "domain-not-web major src/domain.rs:2",
            "domain-not-web major src/domain.rs:6",
            "web-not-db minor src/web.rs:2",
            "parse-error info src/broken.rs:1",
        ]
    );
    assert_eq!(
        issues[0]["description"],
        "`app::domain` must not depend on `app::web` (domain: pure, 100% testable, no web)"
    );
    let fingerprints = gitlab_fingerprints(&report);
    let unique: std::collections::BTreeSet<_> = fingerprints.iter().collect();
    assert_eq!(
        unique.len(),
        fingerprints.len(),
        "fingerprints are unique: {fingerprints:?}"
    );
    for fingerprint in &fingerprints {
        assert!(
            fingerprint.len() == 16 && fingerprint.chars().all(|c| c.is_ascii_hexdigit()),
            "{fingerprint}"
        );
    }
    for issue in issues {
        let keys: Vec<&str> = issue
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "description",
                "check_name",
                "fingerprint",
                "severity",
                "location"
            ]
        );
    }
}

fn gitlab_fingerprints(report: &Value) -> Vec<String> {
    report
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn fingerprints_are_stable_across_runs_and_unrelated_edits() {
    let first = check_fixture("formats", &["--format", "gitlab"]).stdout;
    let second = check_fixture("formats", &["--format", "gitlab"]).stdout;
    assert_eq!(first, second);

    let copy = TempDir::new("fingerprints");
    copy_tree(&project_root().join("fixtures/formats"), copy.path());
    for file in ["src/domain.rs", "src/web.rs", "src/broken.rs"] {
        let path = copy.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("\n\n// an unrelated comment\n\n{text}")).unwrap();
    }
    let manifest = copy.path().join("Cargo.toml").display().to_string();
    let moved = parse(&check(&manifest, &["--format", "gitlab"]).stdout);
    let original = parse(&first);
    assert_eq!(gitlab_fingerprints(&moved), gitlab_fingerprints(&original));
    assert_eq!(
        moved[0]["location"]["lines"]["begin"], 6,
        "the lines did move"
    );

    // SARIF carries the same fingerprints.
    let sarif = parse(&check(&manifest, &["--format", "sarif"]).stdout);
    let sarif_fingerprints: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["boundaries/v1"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(sarif_fingerprints, gitlab_fingerprints(&original));
}

fn sarif_validator() -> jsonschema::Validator {
    let path = project_root().join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::draft4::new(&schema).expect("the SARIF schema compiles")
}

fn assert_valid_sarif(log: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "invalid SARIF:\n{}\n{log:#}",
        errors.join("\n")
    );
}

#[test]
fn sarif_is_valid_against_the_schema() {
    for fixture in ["formats", "layout-files"] {
        let log = parse(&check_fixture(fixture, &["--format", "sarif"]).stdout);
        assert_valid_sarif(&log);
    }
}

#[test]
fn the_schema_check_catches_a_broken_log() {
    let mut log = parse(&check_fixture("formats", &["--format", "sarif"]).stdout);
    log["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!sarif_validator().is_valid(&log));
}

#[test]
fn sarif_describes_rules_and_results() {
    let log = parse(&check_fixture("formats", &["--format", "sarif"]).stdout);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "cargo-boundaries");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["domain-not-web", "web-not-db", "parse-error"]);
    assert_eq!(
        rules[0]["shortDescription"]["text"],
        "domain: pure, 100% testable, no web"
    );
    assert_eq!(rules[0]["defaultConfiguration"]["level"], "error");
    assert_eq!(rules[0]["properties"]["kind"], "forbid");
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "warning");
    assert_eq!(rules[2]["defaultConfiguration"]["level"], "warning");

    let results = run["results"].as_array().unwrap();
    let summary: Vec<String> = results
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            let region = &location["region"];
            format!(
                "{}#{} {} {}:{}:{}-{}:{} {}",
                r["ruleId"].as_str().unwrap(),
                r["ruleIndex"],
                r["level"].as_str().unwrap(),
                location["artifactLocation"]["uri"].as_str().unwrap(),
                region["startLine"],
                region["startColumn"],
                region["endLine"],
                region["endColumn"],
                location["artifactLocation"]["uriBaseId"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "domain-not-web#0 error src/domain.rs:2:5-2:23 %SRCROOT%",
            "domain-not-web#0 error src/domain.rs:6:13-6:31 %SRCROOT%",
            "web-not-db#1 warning src/web.rs:2:5-2:21 %SRCROOT%",
            "parse-error#2 warning src/broken.rs:1:16-1:16 %SRCROOT%",
        ]
    );
    assert_eq!(
        results[0]["message"]["text"],
        "`app::domain` must not depend on `app::web`"
    );
    assert_eq!(run["columnKind"], "unicodeCodePoints");
}

#[test]
fn baselined_violations_are_left_out() {
    let copy = TempDir::new("sarif-baseline");
    copy_tree(&project_root().join("fixtures/formats"), copy.path());
    let manifest = copy.path().join("Cargo.toml").display().to_string();
    let baseline = run(&["baseline", "--manifest-path", &manifest]);
    assert_eq!(baseline.code, 0, "{}", baseline.stderr);

    let sarif = check(&manifest, &["--format", "sarif"]);
    assert_eq!(sarif.code, 0);
    let log = parse(&sarif.stdout);
    assert_valid_sarif(&log);
    let results: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["parse-error"]);
    // The policy's rules are still described: code scanning tells "ran and
    // found nothing" from "no such rule" by them.
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let short = check(&manifest, &["--format", "short"]).stdout;
    assert!(
        short.starts_with("src/broken.rs:1:16: warning[parse-error]"),
        "{short}"
    );
    assert_eq!(short.lines().count(), 1);
    assert_eq!(
        check(&manifest, &["--format", "github"])
            .stdout
            .lines()
            .count(),
        1
    );
    assert_eq!(
        parse(&check(&manifest, &["--format", "gitlab"]).stdout)
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let messages = check(&manifest, &["--message-format", "json"]).stdout;
    assert_eq!(messages.lines().count(), 2, "{messages}");
    assert_eq!(
        messages.lines().last().unwrap(),
        r#"{"reason":"build-finished","success":true}"#
    );

    // A stale baseline fails the run, and every format says it as an error.
    let path = copy.path().join("boundaries-baseline.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("count = 2", "count = 3")).unwrap();
    let short = check(&manifest, &["--format", "short"]);
    assert_eq!(short.code, 1);
    assert!(
        short.stdout.contains(": error[stale-baseline]: "),
        "{}",
        short.stdout
    );
    assert!(check(&manifest, &["--format", "github"])
        .stdout
        .starts_with("::error file=boundaries-baseline.toml,"));
    let gitlab = parse(&check(&manifest, &["--format", "gitlab"]).stdout);
    assert_eq!(gitlab[0]["check_name"], "stale-baseline");
    assert_eq!(gitlab[0]["severity"], "major");
    let log = parse(&check(&manifest, &["--format", "sarif"]).stdout);
    assert_valid_sarif(&log);
    let stale = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "stale-baseline")
        .expect("a stale-baseline result");
    assert_eq!(stale["level"], "error");
    let messages = check(&manifest, &["--message-format", "json"]).stdout;
    assert_eq!(
        messages.lines().last().unwrap(),
        r#"{"reason":"build-finished","success":false}"#
    );
}

#[test]
fn message_format_json_prints_cargo_lines() {
    let run = check_fixture("formats", &["--message-format", "json"]);
    assert_eq!(run.code, 1);
    let lines: Vec<Value> = run.stdout.lines().map(parse).collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(
        lines[4],
        serde_json::json!({"reason": "build-finished", "success": false})
    );
    let root = project_root()
        .join("fixtures/formats")
        .canonicalize()
        .unwrap();
    for line in &lines[..4] {
        assert_eq!(line["reason"], "compiler-message");
        assert_eq!(
            line["manifest_path"],
            root.join("Cargo.toml").display().to_string()
        );
        assert_eq!(line["target"]["name"], "app");
        assert_eq!(
            line["target"]["src_path"],
            root.join("src/lib.rs").display().to_string()
        );
    }
    let summary: Vec<String> = lines[..4]
        .iter()
        .map(|l| {
            let m = &l["message"];
            let s = &m["spans"][0];
            format!(
                "{} {} {}:{}:{}-{}:{} bytes {}..{}",
                m["level"].as_str().unwrap(),
                m["code"]["code"].as_str().unwrap(),
                s["file_name"].as_str().unwrap(),
                s["line_start"],
                s["column_start"],
                s["line_end"],
                s["column_end"],
                s["byte_start"],
                s["byte_end"],
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "error boundaries::domain-not-web src/domain.rs:2:5-2:23 bytes 28..46",
            "error boundaries::domain-not-web src/domain.rs:6:13-6:31 bytes 110..128",
            "warning boundaries::web-not-db src/web.rs:2:5-2:21 bytes 29..45",
            "warning boundaries::parse-error src/broken.rs:1:16-1:16 bytes 15..15",
        ]
    );
    // The byte range is the path in the file's text.
    let domain = std::fs::read_to_string(root.join("src/domain.rs")).unwrap();
    assert_eq!(&domain[110..128], "crate::web::render");

    let message = &lines[1]["message"];
    assert_eq!(message["spans"][0]["is_primary"], true);
    assert_eq!(
        message["spans"][0]["text"],
        serde_json::json!([{"highlight_end": 31, "highlight_start": 13, "text": "    /* é */ crate::web::render()"}])
    );
    assert_eq!(message["children"][0]["level"], "help");
    assert_eq!(
        message["children"][0]["message"],
        "domain: pure, 100% testable, no web"
    );
    assert_eq!(
        message["rendered"],
        "error[boundaries::domain-not-web]: `app::domain` must not depend on `app::web`\n \
         --> src/domain.rs:6:13\n  \
         |\n\
         6 |     /* é */ crate::web::render()\n  \
         |             ^^^^^^^^^^^^^^^^^^ `app::web::render` used here\n  \
         |\n  \
         = help: domain: pure, 100% testable, no web\n  \
         = note: rule `domain-not-web` (forbid) is defined in boundaries.toml:5\n\n"
    );
}

/// Every key path of `theirs` is in `ours` with the same JSON type; a `null`
/// in `theirs` (an optional field cargo left empty) matches anything. Arrays
/// are compared through their first element.
fn assert_same_shape(theirs: &Value, ours: &Value, path: &str) {
    match (theirs, ours) {
        (Value::Null, _) => {}
        (Value::Object(theirs), Value::Object(ours)) => {
            for (key, value) in theirs {
                let path = format!("{path}.{key}");
                let ours = ours.get(key).unwrap_or_else(|| panic!("ours lacks {path}"));
                assert_same_shape(value, ours, &path);
            }
        }
        (Value::Array(theirs), Value::Array(ours)) => {
            if let (Some(theirs), Some(ours)) = (theirs.first(), ours.first()) {
                assert_same_shape(theirs, ours, &format!("{path}[0]"));
            }
        }
        (Value::Bool(_), Value::Bool(_))
        | (Value::Number(_), Value::Number(_))
        | (Value::String(_), Value::String(_)) => {}
        _ => panic!("{path}: cargo has {theirs}, we have {ours}"),
    }
}

#[test]
fn message_format_json_has_the_shape_cargo_emits() {
    let dir = TempDir::new("cargo-shape");
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"shape\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("src/lib.rs"),
        "pub fn f() {\n    let x = 1;\n}\n",
    )
    .unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--offline", "--quiet", "--message-format", "json"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", dir.path().join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let theirs: Value = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|l| l["reason"] == "compiler-message")
        .unwrap_or_else(|| {
            panic!(
                "cargo printed no compiler-message:\n{stdout}\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    assert!(!theirs["message"]["spans"].as_array().unwrap().is_empty());

    let run = check_fixture("formats", &["--message-format", "json"]);
    let ours: Value = parse(run.stdout.lines().next().unwrap());
    assert_same_shape(&theirs, &ours, "");
    assert_same_shape(
        &theirs["message"]["spans"][0],
        &ours["message"]["spans"][0],
        "message.spans[0]",
    );
    assert_same_shape(
        &theirs["message"]["children"][0],
        &ours["message"]["children"][0],
        "message.children[0]",
    );
    assert_eq!(ours["message"]["$message_type"], "diagnostic");

    let finished: Value = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|l| l["reason"] == "build-finished")
        .expect("cargo prints build-finished");
    let ours_finished = parse(run.stdout.lines().last().unwrap());
    assert_same_shape(&finished, &ours_finished, "");
}

/// A directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!(
            "cargo-boundaries-formats-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path.canonicalize().unwrap())
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `fixtures/bad-policy` has nine problems; `check` exits 2 and each
/// machine format still writes its shape, with every problem located in the
/// policy file. The human text is on stderr, as for a human run.
#[test]
fn machine_formats_speak_on_a_bad_policy() {
    let failed = |format: &[&str]| {
        let mut args = vec!["check", "--manifest-path"];
        let manifest = manifest("bad-policy");
        args.push(&manifest);
        args.extend_from_slice(format);
        let run = run(&args);
        assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
        assert!(
            run.stderr.contains("has 9 problems; nothing was checked"),
            "{}",
            run.stderr
        );
        run.stdout
    };

    let log = parse(&failed(&["--format", "sarif"]));
    assert_valid_sarif(&log);
    let sarif_run = &log["runs"][0];
    assert_eq!(sarif_run["results"], serde_json::json!([]));
    let invocation = &sarif_run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notifications = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notifications.len(), 9);
    let first = &notifications[0];
    assert_eq!(first["level"], "error");
    assert_eq!(first["descriptor"]["id"], "policy::unknown-kind");
    assert_eq!(
        first["message"]["text"],
        "unknown rule kind `forbd`\nhelp: did you mean `forbid`?"
    );
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "boundaries.toml");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(
        (
            &location["region"]["startLine"],
            &location["region"]["startColumn"]
        ),
        (&Value::from(9), &Value::from(8))
    );
    assert!(notifications
        .iter()
        .all(
            |n| n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                == "boundaries.toml"
        ));
    assert_eq!(
        sarif_run["tool"]["driver"]["notifications"][0]["id"],
        "policy::bad-pattern"
    );

    let github = failed(&["--format", "github"]);
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(lines.len(), 9, "{github}");
    assert_eq!(
        lines[0],
        "::error file=boundaries.toml,line=9,col=8,endLine=9,endColumn=15,title=policy%3A%3Aunknown-kind::\
         unknown rule kind `forbd`%0Ahelp: did you mean `forbid`?"
    );
    assert!(lines
        .iter()
        .all(|l| l.starts_with("::error file=boundaries.toml,line=")));

    let gitlab = parse(&failed(&["--format", "gitlab"]));
    let issues = gitlab.as_array().unwrap();
    assert_eq!(issues.len(), 9);
    assert_eq!(issues[0]["check_name"], "policy::unknown-kind");
    assert_eq!(issues[0]["severity"], "blocker");
    assert_eq!(issues[0]["location"]["path"], "boundaries.toml");
    assert_eq!(issues[0]["location"]["lines"]["begin"], 9);
    let fingerprints: std::collections::BTreeSet<_> =
        gitlab_fingerprints(&gitlab).into_iter().collect();
    assert_eq!(fingerprints.len(), 9);

    let messages = failed(&["--message-format", "json"]);
    let lines: Vec<Value> = messages.lines().map(parse).collect();
    assert_eq!(lines.len(), 10, "{messages}");
    assert_eq!(
        lines[9],
        serde_json::json!({"reason": "build-finished", "success": false})
    );
    let message = &lines[0]["message"];
    assert_eq!(lines[0]["reason"], "compiler-message");
    assert_eq!(message["level"], "error");
    assert_eq!(message["code"]["code"], "boundaries::policy::unknown-kind");
    let span = &message["spans"][0];
    assert_eq!(span["file_name"], "boundaries.toml");
    assert_eq!(
        (&span["line_start"], &span["column_start"]),
        (&Value::from(9), &Value::from(8))
    );
    assert_eq!(span["text"][0]["text"], "kind = \"forbd\"");
    assert_eq!(message["children"][0]["level"], "help");
    assert_eq!(message["$message_type"], "diagnostic");

    // The other formats leave stdout empty; stderr says it all.
    for format in ["human", "json", "short"] {
        assert_eq!(failed(&["--format", format]), "", "{format}");
    }
}

/// An unknown rule in `// boundaries: allow(typo)` stops the run; the
/// editor format points at the comment, so it shows up in the file.
#[test]
fn a_suppression_typo_is_located_at_the_comment() {
    let manifest = manifest("suppressions-unknown");
    let run = run(&[
        "check",
        "--manifest-path",
        &manifest,
        "--message-format",
        "json",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines: Vec<Value> = run.stdout.lines().map(parse).collect();
    let first = &lines[0];
    assert_eq!(first["target"]["name"], "shop");
    let message = &first["message"];
    assert_eq!(message["code"]["code"], "boundaries::suppression");
    let span = &message["spans"][0];
    assert_eq!(span["file_name"], "src/billing/invoice.rs");
    assert_eq!(
        (&span["line_start"], &span["column_start"]),
        (&Value::from(5), &Value::from(78))
    );
    let text = std::fs::read_to_string(fixture_path("suppressions-unknown/src/billing/invoice.rs"))
        .unwrap();
    let (start, end) = (
        span["byte_start"].as_u64().unwrap() as usize,
        span["byte_end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "billing-not-account-storage");
    assert_eq!(
        lines.last().unwrap(),
        &serde_json::json!({"reason": "build-finished", "success": false})
    );

    let log = parse(&run_format(&manifest, "sarif"));
    assert_valid_sarif(&log);
    let notification = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(notification["descriptor"]["id"], "suppression");
    assert_eq!(
        notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "src/billing/invoice.rs"
    );
}

/// Without a policy, the SARIF log says so in a notification without a
/// location, and GitLab's entry sits on `Cargo.toml`.
#[test]
fn no_policy_is_a_notification_too() {
    let manifest = manifest("no-policy");
    let log = parse(&run_format(&manifest, "sarif"));
    assert_valid_sarif(&log);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["descriptor"]["id"], "no-policy");
    assert!(notification.get("locations").is_none(), "{notification:#}");
    assert!(notification["message"]["text"]
        .as_str()
        .unwrap()
        .contains("cargo boundaries init"));
    let gitlab = parse(&run_format(&manifest, "gitlab"));
    assert_eq!(gitlab[0]["check_name"], "no-policy");
    assert_eq!(gitlab[0]["location"]["path"], "Cargo.toml");
}

/// A run that could check says so in its SARIF invocation, violations or
/// not.
#[test]
fn a_run_that_checked_is_a_successful_invocation() {
    let log = parse(&check_fixture("formats", &["--format", "sarif"]).stdout);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    assert!(invocation.get("toolExecutionNotifications").is_none());
}

/// `check --format F` on a run that exits 2: its stdout.
fn run_format(manifest: &str, format: &str) -> String {
    let run = run(&["check", "--manifest-path", manifest, "--format", format]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    run.stdout
}

fn fixture_path(relative: &str) -> PathBuf {
    project_root().join("fixtures").join(relative)
}

/// Writes a workspace whose `app::domain` has `modules` submodules, each
/// breaking an error rule twice and a warn rule once.
fn many_violations(root: &Path, modules: usize) {
    std::fs::create_dir_all(root.join("src/domain")).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(
        root.join("boundaries.toml"),
        "version = 1\n\n[[rule]]\nkind = \"forbid\"\nname = \"no-db\"\nfrom = \"app::domain\"\n\
         to = \"app::db\"\n\n[[rule]]\nkind = \"forbid\"\nname = \"no-web\"\n\
         from = \"app::domain\"\nto = \"app::web\"\nseverity = \"warn\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/lib.rs"),
        "pub mod db { pub fn load() {} }\npub mod web { pub fn render() {} }\npub mod domain;\n",
    )
    .unwrap();
    let mut domain = String::new();
    for m in 0..modules {
        domain.push_str(&format!("pub mod m{m};\n"));
        std::fs::write(
            root.join(format!("src/domain/m{m}.rs")),
            "pub fn f() {\n    crate::db::load();\n    crate::db::load();\n    crate::web::render();\n}\n",
        )
        .unwrap();
    }
    std::fs::write(root.join("src/domain/mod.rs"), domain).unwrap();
}

/// Many violations: the human output ends with a breakdown by rule and by
/// edge, so a long run can be read from its end; `short` stays one line
/// per violation.
#[test]
fn many_violations_end_with_a_breakdown() {
    let dir = tempfile::tempdir().unwrap();
    many_violations(dir.path(), 6);
    let manifest = dir.path().join("Cargo.toml").display().to_string();
    let human = run(&["check", "--manifest-path", &manifest]);
    assert_eq!(human.code, 1, "{}", human.stderr);
    let tail = &human.stdout[human
        .stdout
        .find("violations by rule:")
        .expect(&human.stdout)..];
    let tail = &tail[..tail.rfind(" in ").unwrap()];
    assert_eq!(
        tail,
        "violations by rule:\n     \
         12  no-db (error forbid)\n      \
         6  no-web (warning forbid)\n\
         violations by edge, the 10 with the most of 12:\n      \
         2  app::domain::m0 → app::db (no-db)\n      \
         2  app::domain::m1 → app::db (no-db)\n      \
         2  app::domain::m2 → app::db (no-db)\n      \
         2  app::domain::m3 → app::db (no-db)\n      \
         2  app::domain::m4 → app::db (no-db)\n      \
         2  app::domain::m5 → app::db (no-db)\n      \
         1  app::domain::m0 → app::web (no-web)\n      \
         1  app::domain::m1 → app::web (no-web)\n      \
         1  app::domain::m2 → app::web (no-web)\n      \
         1  app::domain::m3 → app::web (no-web)\n\n\
         18 violations (12 errors, 6 warnings); 1 crate, 10 modules, 18 references"
    );
    let short = run(&["check", "--manifest-path", &manifest, "--format", "short"]);
    assert_eq!(short.stdout.lines().count(), 18, "{}", short.stdout);

    // A few violations need no breakdown.
    let few = tempfile::tempdir().unwrap();
    many_violations(few.path(), 2);
    let manifest = few.path().join("Cargo.toml").display().to_string();
    let human = run(&["check", "--manifest-path", &manifest]);
    assert!(
        !human.stdout.contains("violations by rule"),
        "{}",
        human.stdout
    );
}

/// `check | head`: the reader goes away before the report is written. The
/// run still ends with its verdict's exit code, not a panic, in the JSON
/// format (written as it is serialized) as in the others.
#[test]
fn a_closed_stdout_keeps_the_exit_code() {
    for format in ["json", "human", "sarif"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-boundaries"))
            .args(["check", "--format", format, "--manifest-path"])
            .arg(manifest("formats"))
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary runs");
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("the run ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{format}: {stderr}");
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
    }
}

/// The JSON report is written a violation at a time, by hand, into the
/// document serde_json makes around them: it must read exactly as
/// serde_json pretty-prints it (its own text parsed and printed again),
/// with every key and violation in order, on fixtures with cycles,
/// warnings, a baseline and owners.
#[test]
fn the_json_report_is_serde_json_pretty_text() {
    for name in [
        "kind-acyclic-fail",
        "formats",
        "stale-baseline",
        "codeowners",
        "kind-acyclic-pass",
    ] {
        let run = check_fixture(name, &["--format", "json"]);
        let parsed: Value = serde_json::from_str(&run.stdout).expect("json");
        let again = serde_json::to_string_pretty(&parsed).unwrap() + "\n";
        assert_eq!(run.stdout, again, "{name}");
    }
}

/// Thousands of violations (many times the writer's buffer) come out
/// whole, in order, and as serde_json would print them.
#[test]
fn a_report_of_thousands_of_violations_keeps_its_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("src")).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\n\n[package]\nname = \"many\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(root.join("src/lib.rs"), "pub mod a;\npub mod b;\n").unwrap();
    std::fs::write(root.join("src/b.rs"), "pub fn f() {}\n").unwrap();
    let calls: String = (0..5_000)
        .map(|i| format!("pub fn f{i}() {{ crate::b::f() }}\n"))
        .collect();
    std::fs::write(root.join("src/a.rs"), calls).unwrap();
    std::fs::write(
        root.join("boundaries.toml"),
        "version = 1\n\n[[rule]]\nkind = \"forbid\"\nname = \"a-not-b\"\nfrom = \"many::a\"\nto = [\"many::b\"]\n",
    )
    .unwrap();
    let manifest = root.join("Cargo.toml").display().to_string();
    let run = check(&manifest, &["--format", "json", "--no-cache"]);
    let parsed: Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(
        run.stdout,
        serde_json::to_string_pretty(&parsed).unwrap() + "\n"
    );
    let lines: Vec<u64> = parsed["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, (1..=5_000).collect::<Vec<u64>>());
}
