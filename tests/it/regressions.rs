//! Cases a code review found, each pinned by a fixture.

use crate::support::{check_json, check_json_with, fixture, manifest, run, violations, warnings};

/// A package with `lib.rs` and `main.rs`: the binary is `shop_bin`, and the
/// package's dependency is one reference of the library, not one per target.
/// Two imports of one name in different namespaces are not guessed at.
#[test]
fn a_library_and_a_binary_of_one_package() {
    let report = check_json("lib-and-bin");
    assert_eq!(
        violations(&report),
        [
            "no-serde shop -> serde (Cargo.toml:13 manifest)",
            "billing-not-storage shop::billing -> shop::accounts::storage::m (src/billing.rs:4 use)",
            "main-not-storage shop_bin -> shop::accounts::storage::save (src/main.rs:2 macro)",
        ]
    );
    assert_eq!(warnings(&report), Vec::<String>::new());
}

/// A stale baseline entry fails the run, and the summary counts it apart
/// from the violations (a warn-severity one here).
#[test]
fn a_stale_entry_beside_a_warning_violation() {
    let report = check_json("stale-baseline");
    assert_eq!(
        violations(&report),
        ["billing-not-storage shop::billing -> shop::accounts::storage::load (src/lib.rs:11 path)"]
    );
    assert_eq!(
        warnings(&report),
        ["stale-baseline boundaries-baseline.toml:7"]
    );
    assert_eq!(report["warnings"][0]["severity"], "error");

    let human = run(&[
        "check",
        "--color",
        "never",
        "--manifest-path",
        &manifest("stale-baseline"),
    ]);
    assert_eq!(human.code, 1, "{}", human.stderr);
    assert!(
        human
            .stdout
            .contains("1 violation (1 warning), 1 stale baseline entry; "),
        "{}",
        human.stdout
    );
}

/// Test, bench and example targets never take a name away from a library,
/// a dependency or a builtin crate (rust-analyzer's `tests/serde.rs` made
/// `serde` "unknown ... did you mean `serde`?"). Without `include-tests`
/// they are not crates; with it, a clashing one gets `_test`.
#[test]
fn test_targets_never_take_a_name() {
    let report = check_json("test-target-names");
    assert_eq!(
        violations(&report),
        ["serde-only-on-the-wire app -> serde (Cargo.toml:15 manifest)"]
    );
    assert_eq!(report["stats"]["crates"], 1, "only the library is a crate");

    let policy = fixture("test-target-names").join("boundaries-with-tests.toml");
    let report = check_json_with(
        "test-target-names",
        &["--policy", &policy.display().to_string()],
    );
    assert_eq!(
        violations(&report),
        [
            "examples-do-not-exit std_test -> std::process::exit (examples/std.rs:2 path)",
            "tests-without-serde serde_test -> serde::Deserialize (tests/serde.rs:1 use)",
        ]
    );
    assert_eq!(report["stats"]["crates"], 5);

    // A name that matches nothing still gets its suggestion.
    let graph = run(&[
        "graph",
        "--manifest-path",
        &manifest("test-target-names"),
        "--focus",
        "serd",
    ]);
    assert_eq!(graph.code, 2);
    assert!(
        graph.stderr.contains("did you mean `serde`?"),
        "{}",
        graph.stderr
    );
}

/// `--verbose` counts crates as the summary does, and says what else it
/// saw: packages, and the test targets left out.
#[test]
fn verbose_counts_what_the_summary_counts() {
    let run = run(&[
        "check",
        "-v",
        "--manifest-path",
        &manifest("test-target-names"),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "cargo metadata: 1 package, 1 crate (1 library, 0 binaries); \
             4 test, bench and example targets left out (include-tests is off)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("; 1 crate, "),
        "the summary counts the same crate: {}",
        run.stdout
    );
}

/// Errors end with a newline, and say `error:` once even when cargo's own
/// message starts with it.
#[test]
fn errors_say_error_once_and_end_their_line() {
    let missing = run(&["check", "--manifest-path", "/nonexistent/Cargo.toml"]);
    assert_eq!(missing.code, 2);
    assert_eq!(
        missing.stderr,
        "error: `cargo metadata` failed: manifest path `/nonexistent/Cargo.toml` does not exist\n"
    );
    let no_policy = run(&[
        "check",
        "--manifest-path",
        &manifest("lib-and-bin"),
        "--policy",
        &fixture("lib-and-bin")
            .join("nothing-here.toml")
            .display()
            .to_string(),
    ]);
    assert_eq!(no_policy.code, 2);
    assert!(no_policy.stderr.ends_with('\n'), "{:?}", no_policy.stderr);
    assert_eq!(
        no_policy.stderr.matches("error:").count(),
        1,
        "{}",
        no_policy.stderr
    );
}

/// An absolute path is printed with one leading slash, not `//etc/...`.
#[test]
fn absolute_paths_have_one_leading_slash() {
    let outside = tempfile::tempdir().unwrap();
    let policy = outside.path().join("policy.toml");
    std::fs::write(&policy, "version = 1\n\n[[rule]]\nkind = \"forbd\"\n").unwrap();
    let run = run(&[
        "check",
        "--manifest-path",
        &manifest("lib-and-bin"),
        "--policy",
        &policy.display().to_string(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains("//"), "{}", run.stderr);
}

/// `CARGO_TERM_COLOR` is honoured as cargo honours it, and `--color` wins.
#[test]
fn cargo_term_color_is_honoured_and_color_wins() {
    let check = |color_env: &str, extra: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-boundaries"));
        command
            .args(["check", "--manifest-path", &manifest("lib-and-bin")])
            .args(extra)
            .env("CARGO_TERM_COLOR", color_env)
            .env_remove("NO_COLOR")
            .env("COLUMNS", "100");
        let output = command.output().unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stdout, _) = check("always", &[]);
    assert_eq!(code, Some(1));
    assert!(stdout.contains("\u{1b}["), "coloured: {stdout}");
    let (code, stdout, _) = check("always", &["--color", "never"]);
    assert_eq!(code, Some(1));
    assert!(!stdout.contains("\u{1b}["), "--color wins: {stdout}");
    let (code, stdout, _) = check("never", &[]);
    assert_eq!(code, Some(1));
    assert!(!stdout.contains("\u{1b}["), "{stdout}");
    let (code, _, stderr) = check("sometimes", &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("CARGO_TERM_COLOR must be"), "{stderr}");
}

/// A member outside the workspace root (joined through
/// `package.workspace`) keeps its crate, but its manifest is not read: a
/// warning says so, and nothing of it is printed.
#[test]
fn a_member_manifest_outside_the_root_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    let outside = dir.path().join("outside");
    for (path, text) in [
        (
            root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"core\", \"../outside\"]\n".to_string(),
        ),
        (
            root.join("core/Cargo.toml"),
            "[package]\nname = \"core-lib\"\nversion = \"0.1.0\"\nedition = \"2021\"\n".into(),
        ),
        (root.join("core/src/lib.rs"), "pub fn f() {}\n".into()),
        (
            root.join("boundaries.toml"),
            "version = 1\n\n[[rule]]\nkind = \"forbid\"\nname = \"no-marker\"\n\
             from = \"core_lib\"\nto = [\"marker_dep\"]\n"
                .into(),
        ),
        (
            outside.join("Cargo.toml"),
            "[package]\nname = \"far\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
             workspace = \"../root\"\n# SECRET-MARKER-LINE\n\n[dependencies]\nmarker-dep = \"1\"\n"
                .into(),
        ),
        (outside.join("src/lib.rs"), "".into()),
    ] {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let manifest = root.join("Cargo.toml").display().to_string();
    let run = run(&["check", "--format", "json", "--manifest-path", &manifest]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "outside-workspace"
                && w["message"].as_str().unwrap().contains("member `far`")),
        "{report:#}"
    );
    assert!(!run.stdout.contains("SECRET-MARKER"), "{}", run.stdout);
    assert!(!run.stderr.contains("SECRET-MARKER"), "{}", run.stderr);
}

/// A `rust-toolchain.toml` naming a toolchain by path makes rustup's
/// `cargo` run that toolchain's binary. Run as `cargo boundaries`, the tool
/// uses the cargo that ran it (`CARGO`), and the hostile toolchain never
/// runs; run directly, `RUSTUP_TOOLCHAIN` pins the toolchain. Without
/// either, the attack works: that is what README's Security section warns
/// about, and what shows this test can fail.
#[cfg(unix)]
#[test]
fn a_hostile_toolchain_file_never_runs_when_run_by_cargo() {
    let Some(cargo) = std::env::var_os("CARGO") else {
        eprintln!("CARGO is not set: not run by cargo, nothing to test");
        return;
    };
    // The toolchain that cargo belongs to (`.../toolchains/<name>/bin/cargo`),
    // to pin with RUSTUP_TOOLCHAIN.
    let Some(toolchain) = std::path::Path::new(&cargo)
        .parent()
        .and_then(|bin| bin.parent())
        .and_then(|dir| dir.file_name())
        .map(|name| name.to_os_string())
    else {
        return;
    };
    if std::process::Command::new("rustup")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("no rustup: a toolchain file cannot choose a binary here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("hostile-toolchain-ran");
    let fake = dir.path().join("fake-toolchain/bin");
    std::fs::create_dir_all(&fake).unwrap();
    for tool in ["cargo", "rustc"] {
        let path = fake.join(tool);
        std::fs::write(
            &path,
            format!("#!/bin/sh\ntouch '{}'\nexit 1\n", marker.display()),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let workspace = dir.path().join("ws");
    std::fs::create_dir_all(workspace.join("src")).unwrap();
    std::fs::write(
        workspace.join("Cargo.toml"),
        "[package]\nname = \"t\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(workspace.join("src/lib.rs"), "pub fn f() {}\n").unwrap();
    std::fs::write(
        workspace.join("rust-toolchain.toml"),
        format!(
            "[toolchain]\npath = \"{}\"\n",
            dir.path().join("fake-toolchain").display()
        ),
    )
    .unwrap();
    let graph = |args: &[&str], envs: &[(&str, &std::ffi::OsStr)]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-boundaries"));
        command
            .args(args)
            .current_dir(&workspace)
            .env_remove("CARGO")
            .env_remove("RUSTUP_TOOLCHAIN")
            .env("NO_COLOR", "1");
        for (key, value) in envs {
            command.env(key, value);
        }
        command.output().unwrap().status.code()
    };

    // As `cargo boundaries` runs it: argv[1] is `boundaries`, CARGO is set.
    assert_eq!(
        graph(&["boundaries", "graph"], &[("CARGO", cargo.as_os_str())]),
        Some(0)
    );
    assert!(!marker.exists(), "the hostile toolchain ran");
    // Even when cargo lives at a path that is not UTF-8 (it was once read
    // with `env::var`, which then fell back to the `cargo` proxy).
    use std::os::unix::ffi::OsStrExt;
    let odd = dir.path().join(std::ffi::OsStr::from_bytes(b"cargo-\xff"));
    std::os::unix::fs::symlink(&cargo, &odd).unwrap();
    assert_eq!(
        graph(&["boundaries", "graph"], &[("CARGO", odd.as_os_str())]),
        Some(0)
    );
    assert!(!marker.exists(), "the hostile toolchain ran");
    // Run directly, pinned.
    assert_eq!(
        graph(&["graph"], &[("RUSTUP_TOOLCHAIN", toolchain.as_os_str())]),
        Some(0)
    );
    assert!(!marker.exists(), "the hostile toolchain ran");
    // Run directly, unpinned: rustup honours the file. Not something the
    // tool can prevent; the README says how to pin.
    assert_eq!(graph(&["graph"], &[]), Some(2));
    assert!(
        marker.exists(),
        "the attack this test guards against is real"
    );
}
