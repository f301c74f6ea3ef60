//! Reads `cargo metadata --no-deps` into a [`Workspace`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use cargo_metadata::{DependencyKind, MetadataCommand, Package, TargetKind};

use super::manifest::dependency_keys;
use super::{rust_name, Crate, CrateKind, Edition, ManifestDependency, Workspace, BUILTIN_CRATES};
use crate::location::{display_path, Location};

#[derive(Debug, Default, Clone)]
pub struct LoadOptions {
    pub manifest_path: Option<PathBuf>,
    /// `-p`: package names to check; empty means every member.
    pub packages: Vec<String>,
    /// `--exclude`: package names not to check.
    pub exclude: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("could not read the workspace with `cargo metadata`: {0}")]
    Metadata(#[from] cargo_metadata::Error),
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

pub fn load(options: &LoadOptions) -> Result<Workspace, WorkspaceError> {
    let mut command = MetadataCommand::new();
    command.no_deps();
    if let Some(path) = &options.manifest_path {
        command.manifest_path(path);
    }
    let metadata = command.exec()?;
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

    // Which crate address each member's library is reachable under.
    let lib_names: BTreeMap<&str, String> = members
        .iter()
        .filter_map(|p| lib_target(p).map(|t| (p.name.as_str(), rust_name(&t.name))))
        .collect();

    let mut known_crates: BTreeSet<String> = BUILTIN_CRATES.iter().map(|s| s.to_string()).collect();
    let mut crates = Vec::new();
    // Libraries keep their plain names: reserve them before any binary or
    // test target can take one.
    let mut taken: BTreeSet<String> = lib_names.values().cloned().collect();
    for package in &members {
        let selected = (options.packages.is_empty()
            || options.packages.iter().any(|p| p == package.name.as_str()))
            && !options.exclude.iter().any(|p| p == package.name.as_str());
        let manifest_text = read(package.manifest_path.as_std_path())?;
        let keys = dependency_keys(&manifest_text);
        let manifest_rel = display_path(
            package
                .manifest_path
                .as_std_path()
                .strip_prefix(&root)
                .unwrap_or(package.manifest_path.as_std_path()),
        );

        let mut externs = BTreeMap::new();
        let mut dev_externs = BTreeMap::new();
        let mut dependencies = Vec::new();
        let mut located = BTreeSet::new();
        for dep in &package.dependencies {
            let target = lib_names
                .get(dep.name.as_str())
                .cloned()
                .unwrap_or_else(|| rust_name(&dep.name));
            known_crates.insert(target.clone());
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
                dev_externs.insert(extern_name, target.clone());
            } else {
                externs.insert(extern_name, target.clone());
            }
            // A dependency listed for several targets (`[target.'cfg(..)'.
            // dependencies]`) is one key in the manifest: one reference.
            let bytes = keys.get(section).and_then(|k| k.get(&key));
            if let Some(bytes) = bytes.filter(|_| located.insert((section, key.clone()))) {
                dependencies.push(ManifestDependency {
                    target,
                    dev,
                    location: Location::from_bytes(
                        manifest_rel.clone(),
                        &manifest_text,
                        bytes.clone(),
                    ),
                });
            }
        }

        let own_lib = lib_names.get(package.name.as_str()).cloned();
        // The package's dependencies are declared once: they are references
        // of its library, or of its first binary.
        let manifest_owner = package
            .targets
            .iter()
            .position(|t| crate_kind(&t.kind) == Some(CrateKind::Lib))
            .or_else(|| {
                package
                    .targets
                    .iter()
                    .position(|t| crate_kind(&t.kind) == Some(CrateKind::Bin))
            });
        for (index, target) in package.targets.iter().enumerate() {
            let Some(kind) = crate_kind(&target.kind) else {
                continue;
            };
            let name = match kind {
                CrateKind::Lib => rust_name(&target.name),
                _ => unique_name(&rust_name(&target.name), kind, &mut taken),
            };
            let mut target_externs = externs.clone();
            if kind != CrateKind::Lib {
                if let Some(lib) = &own_lib {
                    target_externs.insert(lib.clone(), lib.clone());
                }
            }
            let root_file = canonical(target.src_path.as_std_path())?;
            known_crates.insert(name.clone());
            crates.push(Crate {
                name,
                package: package.name.to_string(),
                package_id: package.id.repr.clone(),
                manifest_path: package.manifest_path.clone().into_std_path_buf(),
                target_name: target.name.clone(),
                edition_name: target.edition.as_str().to_string(),
                kind,
                root_file,
                edition: match target.edition {
                    cargo_metadata::Edition::E2015 => Edition::E2015,
                    _ => Edition::E2018OrLater,
                },
                selected,
                externs: target_externs,
                dev_externs: dev_externs.clone(),
                dependencies: if Some(index) == manifest_owner {
                    dependencies.clone()
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
        crates,
        known_crates,
    })
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

/// A binary named like its package's library is addressed as `<name>_bin`
/// (and a test target that collides as `<name>_test`), so every crate has one
/// address.
fn unique_name(base: &str, kind: CrateKind, taken: &mut BTreeSet<String>) -> String {
    let suffix = match kind {
        CrateKind::Lib => "_lib",
        CrateKind::Bin => "_bin",
        CrateKind::TestLike => "_test",
    };
    let mut name = base.to_string();
    while taken.contains(&name) {
        name.push_str(suffix);
    }
    taken.insert(name.clone());
    name
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
