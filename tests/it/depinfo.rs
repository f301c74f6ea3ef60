//! The module tree against rustc's own: for real crates from crates.io, the
//! files of the graph JSON must include every file rustc's dep-info lists
//! (committed under tests/data/depinfo/, made by benches/depinfo.sh with
//! each crate's backends and cfgs). rustix picks its whole backend with
//! `#[cfg_attr(.., path = "..")]`, libc its platform modules with cfgs,
//! tokio a third of its modules inside macros.
//!
//! The crates are fetched with cargo into its registry cache and copied
//! under `target/depinfo-crates/` once. Without network the test fails
//! loudly; `BOUNDARIES_OFFLINE=1` skips it instead.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{project_root, run_limited, Limits};

/// A dep-info list: the files rustc read, one per line; those the tree
/// cannot find (modules that macros expand to) are written `- path: why`.
struct Expected {
    files: BTreeSet<String>,
    exceptions: BTreeSet<String>,
}

fn expected(name: &str, version: &str) -> Expected {
    let path = project_root()
        .join("tests/data/depinfo")
        .join(format!("{name}-{version}.txt"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut expected = Expected {
        files: BTreeSet::new(),
        exceptions: BTreeSet::new(),
    };
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match line.strip_prefix("- ") {
            Some(exception) => {
                let (file, _why) = exception.split_once(": ").expect("`- path: reason`");
                expected.files.insert(file.to_string());
                expected.exceptions.insert(file.to_string());
            }
            None => {
                expected.files.insert(line.to_string());
            }
        }
    }
    expected
}

/// A copy of the crate's source as a workspace of its own, or `None` when
/// offline and told to skip.
fn crate_source(name: &str, version: &str) -> Option<PathBuf> {
    let copy = project_root()
        .join("target/depinfo-crates")
        .join(format!("{name}-{version}"));
    if copy.join("boundaries.toml").exists() {
        return Some(copy);
    }
    let offline = std::env::var("BOUNDARIES_OFFLINE").is_ok_and(|v| v == "1");
    let fetch = copy.with_file_name(format!("{name}-{version}-fetch"));
    std::fs::create_dir_all(fetch.join("src")).unwrap();
    std::fs::write(fetch.join("src/lib.rs"), "").unwrap();
    std::fs::write(
        fetch.join("Cargo.toml"),
        format!(
            "[package]\nname = \"fetch\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\n{name} = \"={version}\"\n\n[workspace]\n"
        ),
    )
    .unwrap();
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo
        .args(["fetch", "--quiet", "--manifest-path"])
        .arg(fetch.join("Cargo.toml"));
    if offline {
        cargo.arg("--offline");
    }
    let fetched = cargo.status().expect("cargo runs");
    if !fetched.success() {
        if offline {
            eprintln!("skipped: {name} {version} is not in cargo's cache (BOUNDARIES_OFFLINE=1)");
            return None;
        }
        panic!(
            "cannot fetch {name} {version} from crates.io; without network, set \
             BOUNDARIES_OFFLINE=1 to skip this test"
        );
    }
    let registry = cargo_home().join("registry/src");
    let source = std::fs::read_dir(&registry)
        .unwrap()
        .map(|index| index.unwrap().path().join(format!("{name}-{version}")))
        .find(|dir| dir.join("Cargo.toml").exists())
        .unwrap_or_else(|| panic!("{name}-{version} is not under {}", registry.display()));
    copy_dir(&source, &copy);
    let manifest = copy.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    if !text.lines().any(|l| l.trim() == "[workspace]") {
        text.push_str("\n[workspace]\n");
        std::fs::write(&manifest, text).unwrap();
    }
    let krate = name.replace('-', "_");
    std::fs::write(
        copy.join("boundaries.toml"),
        format!(
            "version = 1\n\n[[rule]]\nkind = \"forbid\"\nfrom = \"{krate}\"\nto = \"std::process::exit\"\n"
        ),
    )
    .unwrap();
    Some(copy)
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"))
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file of the library's modules, from `graph --format json`.
fn tool_files(workspace: &Path, name: &str) -> BTreeSet<String> {
    let graph = run_limited(
        workspace,
        &["graph", "--format", "json"],
        Limits {
            seconds: 120,
            rss_bytes: 2 << 30,
        },
    );
    assert_eq!(graph.code, Some(0), "{}", graph.stderr);
    let graph: Value = serde_json::from_str(&graph.stdout).unwrap();
    let krate = name.replace('-', "_");
    graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["crate"] == krate.as_str())
        .flat_map(|n| n["files"].as_array().unwrap())
        .map(|f| f.as_str().unwrap().to_string())
        .collect()
}

fn assert_covers_depinfo(name: &str, version: &str) {
    let Some(workspace) = crate_source(name, version) else {
        return;
    };
    let expected = expected(name, version);
    let found = tool_files(&workspace, name);
    let missed: Vec<&String> = expected
        .files
        .iter()
        .filter(|f| !found.contains(*f) && !expected.exceptions.contains(*f))
        .collect();
    assert!(
        missed.is_empty(),
        "{name} {version}: {} of rustc's {} files are not in the module tree: {missed:#?}",
        missed.len(),
        expected.files.len()
    );
    // An exception that the tree does find is no longer one.
    let stale: Vec<&String> = expected.exceptions.intersection(&found).collect();
    assert!(stale.is_empty(), "exceptions now found: {stale:?}");
}

#[test]
fn rustix_module_files_cover_rustc_dep_info() {
    assert_covers_depinfo("rustix", "1.1.6");
}

#[test]
fn libc_module_files_cover_rustc_dep_info() {
    assert_covers_depinfo("libc", "0.2.191");
}

#[test]
fn tokio_module_files_cover_rustc_dep_info() {
    assert_covers_depinfo("tokio", "1.54.1");
}
