//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// What one run of the binary printed and returned.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    project_root().join("fixtures").join(name)
}

pub fn manifest(name: &str) -> String {
    fixture(name).join("Cargo.toml").display().to_string()
}

/// Runs `cargo-boundaries ARGS` with colour off and a fixed width.
pub fn run(args: &[&str]) -> Run {
    run_in(&project_root(), args)
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-boundaries"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("the binary runs");
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    }
}

/// `check --format json` on a fixture; asserts the run did its job (exit 0
/// or 1) and returns the parsed report.
pub fn check_json(name: &str) -> Value {
    check_json_with(name, &[])
}

pub fn check_json_with(name: &str, extra: &[&str]) -> Value {
    let manifest = manifest(name);
    let mut args = vec!["check", "--format", "json", "--manifest-path", &manifest];
    args.extend_from_slice(extra);
    let run = run(&args);
    assert!(
        run.code == 0 || run.code == 1,
        "exit code {} for {name}\nstdout:\n{}\nstderr:\n{}",
        run.code,
        run.stdout,
        run.stderr
    );
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("bad JSON for {name}: {e}\n{}", run.stdout))
}

/// Each violation as `rule from -> path (file:line via)`, the compact form
/// tests assert on.
pub fn violations(report: &Value) -> Vec<String> {
    report["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| {
            format!(
                "{} {} -> {} ({}:{} {})",
                v["rule"].as_str().unwrap(),
                v["from"].as_str().unwrap(),
                v["path"].as_str().unwrap(),
                v["file"].as_str().unwrap(),
                v["line"],
                v["via"].as_str().unwrap()
            )
        })
        .collect()
}

/// Warning codes with their file and line.
pub fn warnings(report: &Value) -> Vec<String> {
    report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| {
            format!(
                "{} {}:{}",
                w["code"].as_str().unwrap(),
                w["file"].as_str().unwrap_or("-"),
                w["line"]
            )
        })
        .collect()
}

/// Copies a fixture folder recursively, leaving out what a build leaves
/// behind (`target/` folders and `Cargo.lock`), so a test can edit the copy.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == "Cargo.lock" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
