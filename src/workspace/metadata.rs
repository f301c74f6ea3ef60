//! Reads `cargo metadata --no-deps` into a [`Workspace`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use cargo_metadata::{DependencyKind, Metadata, MetadataCommand, Package, TargetKind};
use rayon::prelude::*;

use super::cached::{self, Request};
use super::manifest::dependency_keys;
use super::{rust_name, Crate, CrateKind, Edition, ManifestDependency, Workspace, BUILTIN_CRATES};
use crate::location::{display_path, LineIndex};
use crate::warning::{Warning, WarningCode};

#[derive(Debug, Default, Clone)]
pub struct LoadOptions {
    pub manifest_path: Option<PathBuf>,
    /// `-p`: package names to check; empty means the default selection.
    pub packages: Vec<String>,
    /// `--exclude`: package names not to check.
    pub exclude: Vec<String>,
    /// `--workspace`: every member, even when run from a member's directory.
    pub workspace: bool,
    /// The directory the command runs in. Without `--manifest-path`, the
    /// nearest `Cargo.toml` at or above it says which member to check, as
    /// cargo does.
    pub current_dir: Option<PathBuf>,
    /// The cargo to run for `cargo metadata`: the one that ran us, from its
    /// `CARGO` variable, so that a `rust-toolchain.toml` in the checked
    /// workspace cannot choose which binary runs. `None`: `cargo` from the
    /// `PATH`, which under rustup honours the workspace's toolchain file.
    pub cargo: Option<PathBuf>,
    /// Reuse `cargo metadata`'s answer while nothing it depends on changed
    /// (see `cached.rs`).
    pub use_cache: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("`cargo metadata` failed: {message}")]
    CargoFailed { message: String },
    #[error("could not run `cargo metadata`: {0}")]
    Metadata(cargo_metadata::Error),
    #[error("package `{spec}` is not a member of this workspace{}", crate::suggest::parenthesised(.suggestion))]
    UnknownPackage {
        spec: String,
        suggestion: Option<String>,
    },
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl From<cargo_metadata::Error> for WorkspaceError {
    /// Cargo's own message, without the `error:` it starts with, so it is
    /// not printed after ours a second time.
    fn from(error: cargo_metadata::Error) -> WorkspaceError {
        match error {
            cargo_metadata::Error::CargoMetadata { stderr } => {
                let lines: Vec<&str> = stderr
                    .lines()
                    .map(|line| line.strip_prefix("error: ").unwrap_or(line))
                    .filter(|line| !line.trim().is_empty())
                    .collect();
                WorkspaceError::CargoFailed {
                    message: if lines.is_empty() {
                        "it exited with an error and printed nothing".to_string()
                    } else {
                        lines.join("\n")
                    },
                }
            }
            other => WorkspaceError::Metadata(other),
        }
    }
}

pub fn load(options: &LoadOptions) -> Result<Workspace, WorkspaceError> {
    load_beside(options, &|_| {})
}

/// [`load`], calling `while_cargo_runs` with the manifest the run starts
/// from (as named, links not followed) right before `cargo metadata` runs:
/// work that can go on beside cargo (`source::HeadStart`). Not called when
/// cargo's answer is read back from the cache.
pub fn load_beside(
    options: &LoadOptions,
    while_cargo_runs: &dyn Fn(&Path),
) -> Result<Workspace, WorkspaceError> {
    let mut command = MetadataCommand::new();
    command.no_deps();
    if let Some(path) = &options.manifest_path {
        command.manifest_path(path);
    }
    if let Some(cargo) = &options.cargo {
        command.cargo_path(cargo);
    }
    if let Some(dir) = &options.current_dir {
        command.current_dir(dir);
    }
    let current_dir = match &options.current_dir {
        Some(dir) => dir.clone(),
        None => std::env::current_dir().map_err(cargo_metadata::Error::Io)?,
    };
    // The manifest as named (not through its links): what cargo takes the
    // workspace root from.
    let named = match &options.manifest_path {
        Some(path) => Some(current_dir.join(path)),
        None => current_dir
            .ancestors()
            .map(|d| d.join("Cargo.toml"))
            .find(|m| m.is_file()),
    };
    let start = match &options.manifest_path {
        Some(path) => path.canonicalize().ok(),
        None => named.as_ref().and_then(|m| m.canonicalize().ok()),
    };
    let request = Request {
        start,
        current_dir: current_dir.canonicalize().unwrap_or(current_dir),
        cargo: options.cargo.as_deref(),
    };
    let before_cargo = || {
        if let Some(named) = &named {
            while_cargo_runs(named);
        }
    };
    let (metadata, metadata_cached) =
        cached::metadata(&command, &request, options.use_cache, &before_cargo)?;
    let root = canonical(metadata.workspace_root.as_std_path())?;
    let members = metadata.workspace_packages();

    let member_names: Vec<&str> = members.iter().map(|p| p.name.as_str()).collect();
    for spec in options.packages.iter().chain(&options.exclude) {
        if !member_names.contains(&spec.as_str()) {
            return Err(WorkspaceError::UnknownPackage {
                spec: spec.clone(),
                suggestion: crate::suggest::closest(spec, member_names.iter().copied()),
            });
        }
    }
    let current_member = current_member(&metadata, &root, options);
    let selected = |package: &Package| {
        let chosen = if !options.packages.is_empty() {
            options.packages.iter().any(|p| p == package.name.as_str())
        } else {
            current_member
                .as_ref()
                .is_none_or(|member| member == package.name.as_str())
        };
        chosen && !options.exclude.iter().any(|p| p == package.name.as_str())
    };

    // Which crate address each member's library is reachable under.
    let lib_names: BTreeMap<&str, String> = members
        .iter()
        .filter_map(|p| lib_target(p).map(|t| (p.name.as_str(), rust_name(&t.name))))
        .collect();

    let mut known_crates: BTreeSet<String> = BUILTIN_CRATES.iter().map(|s| s.to_string()).collect();
    let mut warnings = Vec::new();
    // Each manifest is read and parsed (for its keys' spans), and each
    // target's root file found, on both cores: a workspace of a hundred
    // members and hundreds of examples spent most of a warm run's
    // `cargo metadata` phase here. Then taken in member order, so the
    // warnings and the first error are those of a run one by one.
    let read: Vec<_> = members
        .par_iter()
        .map(|package| {
            let mut warnings = Vec::new();
            let dependencies = package_dependencies(package, &root, &lib_names, &mut warnings);
            let root_files: Vec<Option<Result<PathBuf, WorkspaceError>>> = package
                .targets
                .iter()
                .map(|t| crate_kind(&t.kind).map(|_| canonical(t.src_path.as_std_path())))
                .collect();
            (dependencies, warnings, root_files)
        })
        .collect();
    let mut packages = Vec::with_capacity(read.len());
    let mut root_files = Vec::with_capacity(read.len());
    for (dependencies, package_warnings, roots) in read {
        warnings.extend(package_warnings);
        let dependencies = dependencies?;
        known_crates.extend(dependencies.externs.values().cloned());
        known_crates.extend(dependencies.dev_externs.values().cloned());
        packages.push(dependencies);
        root_files.push(roots);
    }
    let names = target_names(&members, &lib_names, &known_crates);

    let mut crates = Vec::new();
    for (package_index, ((package, dependencies), mut roots)) in
        members.iter().zip(packages).zip(root_files).enumerate()
    {
        let own_lib = lib_names.get(package.name.as_str()).cloned();
        // The package's dependencies are declared once: they are references
        // of its library, or of its first binary.
        let owner = |kind| {
            package
                .targets
                .iter()
                .position(|t| crate_kind(&t.kind) == Some(kind))
        };
        let manifest_owner = owner(CrateKind::Lib).or_else(|| owner(CrateKind::Bin));
        for (target_index, target) in package.targets.iter().enumerate() {
            let Some(kind) = crate_kind(&target.kind) else {
                continue;
            };
            let name = names[&(package_index, target_index)].clone();
            let mut target_externs = dependencies.externs.clone();
            if kind != CrateKind::Lib {
                if let Some(lib) = &own_lib {
                    target_externs.insert(lib.clone(), lib.clone());
                }
            }
            let root_file = match roots[target_index].take() {
                Some(found) => found?,
                None => canonical(target.src_path.as_std_path())?,
            };
            known_crates.insert(name.clone());
            crates.push(Crate {
                name,
                package: package.name.to_string(),
                package_id: package.id.clone(),
                manifest_path: package.manifest_path.clone().into_std_path_buf(),
                target: target.clone(),
                kind,
                root_file,
                edition: match target.edition {
                    cargo_metadata::Edition::E2015 => Edition::E2015,
                    _ => Edition::E2018OrLater,
                },
                selected: selected(package),
                externs: target_externs,
                dev_externs: dependencies.dev_externs.clone(),
                dependencies: if manifest_owner == Some(target_index) {
                    dependencies.located.clone()
                } else {
                    Vec::new()
                },
            });
        }
    }
    crates.sort_by(|a, b| a.name.cmp(&b.name));

    Ok(Workspace {
        target_dir: metadata.target_directory.clone().into_std_path_buf(),
        root_manifest: root.join("Cargo.toml"),
        root,
        packages: members.len(),
        crates,
        known_crates,
        current_member,
        warnings,
        metadata_cached,
    })
}

/// A package's dependencies as its code names them, and as located
/// references from its manifest.
struct PackageDependencies {
    externs: BTreeMap<String, String>,
    dev_externs: BTreeMap<String, String>,
    located: Vec<ManifestDependency>,
}

fn package_dependencies(
    package: &Package,
    root: &Path,
    lib_names: &BTreeMap<&str, String>,
    warnings: &mut Vec<Warning>,
) -> Result<PackageDependencies, WorkspaceError> {
    // The manifest is read only inside the root: a member outside it (joined
    // through `package.workspace`) keeps its dependencies, which cargo
    // reported, but they are not located in its manifest.
    let manifest_text = match contained_file(package.manifest_path.as_std_path(), root) {
        Some(path) => Some(read(&path)?),
        None => {
            warnings.push(Warning {
                location: None,
                code: WarningCode::OutsideWorkspace,
                message: format!(
                    "the manifest of member `{}` ({}) is outside the workspace root and is not \
                     read; its dependencies are known from `cargo metadata` but not located",
                    package.name, package.manifest_path
                ),
            });
            None
        }
    };
    let keys = manifest_text
        .as_deref()
        .map(dependency_keys)
        .unwrap_or_default();
    let manifest_rel = display_path(
        package
            .manifest_path
            .as_std_path()
            .strip_prefix(root)
            .unwrap_or(package.manifest_path.as_std_path()),
    );

    let mut dependencies = PackageDependencies {
        externs: BTreeMap::new(),
        dev_externs: BTreeMap::new(),
        located: Vec::new(),
    };
    let mut located = BTreeSet::new();
    // One line index per manifest, not one per dependency key.
    let lines = manifest_text.as_deref().map(LineIndex::new);
    let manifest_file: std::sync::Arc<str> = manifest_rel.as_str().into();
    for dep in &package.dependencies {
        let target = lib_names
            .get(dep.name.as_str())
            .cloned()
            .unwrap_or_else(|| rust_name(&dep.name));
        let key = dep.rename.clone().unwrap_or_else(|| dep.name.clone());
        let extern_name = match (&dep.rename, lib_names.get(dep.name.as_str())) {
            (Some(rename), _) => rust_name(rename),
            (None, Some(lib)) => lib.clone(),
            (None, None) => rust_name(&dep.name),
        };
        let (section, dev) = match dep.kind {
            DependencyKind::Normal => ("dependencies", false),
            DependencyKind::Development => ("dev-dependencies", true),
            _ => continue,
        };
        if dev {
            dependencies.dev_externs.insert(extern_name, target.clone());
        } else {
            dependencies.externs.insert(extern_name, target.clone());
        }
        // A dependency listed for several targets (`[target.'cfg(..)'.
        // dependencies]`) is one key in the manifest: one reference.
        let (Some(lines), Some(bytes)) = (&lines, keys.get(section).and_then(|k| k.get(&key)))
        else {
            continue;
        };
        if located.insert((section, key.clone())) {
            dependencies.located.push(ManifestDependency {
                target,
                dev,
                location: lines.location(manifest_file.clone(), bytes.clone()),
            });
        }
    }
    Ok(dependencies)
}

/// The crate address of every target, keyed by the indices of its package
/// in `members` and of the target in the package.
///
/// Libraries keep their names. A binary named like a library gets `_bin`.
/// Test, bench and example targets come last and never take a name away
/// from a library, a binary, a dependency or a builtin crate: on a clash they
/// get `_test` (a `tests/serde.rs` is `serde_test`, and `serde` stays the
/// dependency).
fn target_names(
    members: &[&Package],
    lib_names: &BTreeMap<&str, String>,
    known_crates: &BTreeSet<String>,
) -> BTreeMap<(usize, usize), String> {
    let mut taken: BTreeSet<String> = lib_names.values().cloned().collect();
    let mut names = BTreeMap::new();
    let targets = |wanted: CrateKind| {
        members.iter().enumerate().flat_map(move |(p, package)| {
            package
                .targets
                .iter()
                .enumerate()
                .filter(move |(_, t)| crate_kind(&t.kind) == Some(wanted))
                .map(move |(t, target)| ((p, t), rust_name(&target.name)))
        })
    };
    names.extend(targets(CrateKind::Lib));
    for (key, name) in targets(CrateKind::Bin) {
        names.insert(key, unique_name(&name, "_bin", &mut taken));
    }
    taken.extend(known_crates.iter().cloned());
    for (key, name) in targets(CrateKind::TestLike) {
        names.insert(key, unique_name(&name, "_test", &mut taken));
    }
    names
}

/// The member whose directory the run starts in, as cargo picks it: the
/// package of `--manifest-path`, or of the nearest `Cargo.toml` at or above
/// the current directory, unless that is the workspace root's (where every
/// member is checked), `--workspace` is given, or `-p`/`--exclude` choose.
fn current_member(metadata: &Metadata, root: &Path, options: &LoadOptions) -> Option<String> {
    if options.workspace || !options.packages.is_empty() || !options.exclude.is_empty() {
        return None;
    }
    let start = match &options.manifest_path {
        Some(path) => path.canonicalize().ok()?,
        None => nearest_manifest(options.current_dir.as_deref()?)?,
    };
    if start == root.join("Cargo.toml") {
        return None;
    }
    metadata
        .workspace_packages()
        .into_iter()
        .find(|p| {
            p.manifest_path
                .as_std_path()
                .canonicalize()
                .is_ok_and(|m| m == start)
        })
        .map(|p| p.name.to_string())
}

/// The first `Cargo.toml` at or above `dir`, canonicalized.
fn nearest_manifest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join("Cargo.toml"))
        .find(|m| m.is_file())
        .and_then(|m| m.canonicalize().ok())
}

fn lib_target(package: &Package) -> Option<&cargo_metadata::Target> {
    package
        .targets
        .iter()
        .find(|t| crate_kind(&t.kind) == Some(CrateKind::Lib))
}

fn crate_kind(kinds: &[TargetKind]) -> Option<CrateKind> {
    kinds.iter().find_map(|k| match k {
        TargetKind::Lib
        | TargetKind::RLib
        | TargetKind::DyLib
        | TargetKind::CDyLib
        | TargetKind::StaticLib
        | TargetKind::ProcMacro => Some(CrateKind::Lib),
        TargetKind::Bin => Some(CrateKind::Bin),
        TargetKind::Test | TargetKind::Bench | TargetKind::Example => Some(CrateKind::TestLike),
        _ => None,
    })
}

/// `base`, or `base` with `suffix` appended until no other crate has it.
fn unique_name(base: &str, suffix: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name = base.to_string();
    while taken.contains(&name) {
        name.push_str(suffix);
    }
    taken.insert(name.clone());
    name
}

/// `path` canonicalized, if it is a regular file inside `root`.
fn contained_file(path: &Path, root: &Path) -> Option<PathBuf> {
    let path = path.canonicalize().ok()?;
    (path.starts_with(root) && path.is_file()).then_some(path)
}

fn canonical(path: &Path) -> Result<PathBuf, WorkspaceError> {
    path.canonicalize().map_err(|source| WorkspaceError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn read(path: &Path) -> Result<String, WorkspaceError> {
    std::fs::read_to_string(path).map_err(|source| WorkspaceError::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clashing_name_gets_its_suffix_until_it_is_free() {
        let mut taken: BTreeSet<String> = ["serde", "serde_test"].map(String::from).into();
        assert_eq!(unique_name("serde", "_test", &mut taken), "serde_test_test");
        assert_eq!(unique_name("it", "_test", &mut taken), "it");
        assert!(taken.contains("it"));
    }

    #[test]
    fn cargo_errors_lose_their_own_error_prefix() {
        let error = WorkspaceError::from(cargo_metadata::Error::CargoMetadata {
            stderr: "error: manifest path `/x/Cargo.toml` does not exist\n\n".to_string(),
        });
        assert_eq!(
            error.to_string(),
            "`cargo metadata` failed: manifest path `/x/Cargo.toml` does not exist"
        );
    }
}
