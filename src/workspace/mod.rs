//! The Cargo workspace as the rest of the pipeline sees it: crates (one per
//! lib or bin target, and test targets when asked), their root files, edition,
//! extern names and manifest dependencies.
//!
//! Only `cargo metadata --no-deps` is run: nothing is built, no build script
//! runs, and no dependency needs to be downloaded.

mod cached;
mod fingerprint;
mod manifest;
mod metadata;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::location::Location;
use crate::warning::Warning;

pub use metadata::{load, load_beside, LoadOptions, WorkspaceError};

/// Names that are crates in every workspace: the one list of them.
pub const BUILTIN_CRATES: [&str; 5] = ["std", "core", "alloc", "proc_macro", "test"];

/// The standard library proper (`std`, `core`, `alloc`): the builtins any
/// code may use without a dependency, and that the `allow` rule never counts.
pub const STANDARD_LIBRARY: &[&str] = BUILTIN_CRATES.split_at(3).0;

#[derive(Debug, Clone)]
pub struct Workspace {
    /// The workspace root, canonicalized. Nothing outside it is ever read.
    pub root: PathBuf,
    /// The target directory cargo reports; never walked.
    pub target_dir: PathBuf,
    /// The root `Cargo.toml`.
    pub root_manifest: PathBuf,
    /// How many member packages the workspace has.
    pub packages: usize,
    pub crates: Vec<Crate>,
    /// Every crate name a policy may mention: workspace crates, declared
    /// dependencies (under their package names) and the builtin crates.
    pub known_crates: BTreeSet<String>,
    /// The member checked because the run started in its directory (or
    /// with its `--manifest-path`), as cargo picks it.
    pub current_member: Option<String>,
    /// What could not be read (a member's manifest outside the root).
    pub warnings: Vec<Warning>,
    /// Whether `cargo metadata`'s answer came from the cache.
    pub metadata_cached: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CrateKind {
    Lib,
    Bin,
    /// Integration tests, benches and examples: only with `include-tests`.
    TestLike,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    E2015,
    E2018OrLater,
}

#[derive(Debug, Clone)]
pub struct Crate {
    /// The name used in patterns and paths (see [`crate_address`]).
    pub name: String,
    pub package: String,
    /// Cargo's id of the package (`path+file:///...#shop@0.1.0`).
    pub package_id: cargo_metadata::PackageId,
    pub manifest_path: PathBuf,
    /// The target as `cargo metadata` describes it (name as cargo spells
    /// it, kinds, edition), for the messages that name it as cargo would.
    pub target: cargo_metadata::Target,
    pub kind: CrateKind,
    pub root_file: PathBuf,
    pub edition: Edition,
    /// Whether `-p`/`--exclude` selected this crate for checking.
    pub selected: bool,
    /// Extern prelude: the name code uses → the crate's address.
    pub externs: BTreeMap<String, String>,
    /// Extern names only dev-dependencies bring (used with `include-tests`).
    pub dev_externs: BTreeMap<String, String>,
    /// Manifest dependencies, each a reference from the crate root.
    pub dependencies: Vec<ManifestDependency>,
}

#[derive(Debug, Clone)]
pub struct ManifestDependency {
    /// The crate address the dependency names (package name, `-` → `_`).
    pub target: String,
    pub dev: bool,
    pub location: Location,
}

/// Rust spelling of a package or target name.
pub fn rust_name(name: &str) -> String {
    name.replace('-', "_")
}

impl Workspace {
    pub fn crate_by_name(&self, name: &str) -> Option<&Crate> {
        self.crates.iter().find(|c| c.name == name)
    }

    /// Leaves out the test, bench and example targets (without
    /// `include-tests` they are not crates at all, so their names are not
    /// known either) and returns how many there were. Their names never
    /// clash with another crate's, so removing them removes no other name.
    pub fn drop_test_targets(&mut self) -> usize {
        let before = self.crates.len();
        let known = &mut self.known_crates;
        self.crates.retain(|c| {
            let keep = c.kind != CrateKind::TestLike;
            if !keep {
                known.remove(&c.name);
            }
            keep
        });
        before - self.crates.len()
    }
}
