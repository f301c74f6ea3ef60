//! What `cargo metadata --no-deps` depends on, as probes of the file
//! system taken when it ran: if every probe reads the same later, cargo
//! would say the same, and its answer is reused.
//!
//! The probes: every `Cargo.toml` from the starting manifest's folder up
//! (cargo looks up for the workspace root), every member's manifest, what
//! cargo discovers targets from (`build.rs`, `src/lib.rs`, `src/main.rs`,
//! and the listings of `src/bin`, `examples`, `tests`, `benches`, with the
//! `main.rs` of each folder in them), the folders the root manifest's
//! member globs list, cargo's configuration files (`.cargo/config.toml`
//! from the current folder up, and in `CARGO_HOME`), `rust-toolchain`
//! files (they choose the cargo under rustup) and the cargo binary named
//! by `CARGO`. Files inside the workspace are compared by content; files
//! outside it only by their metadata (size, modification time, inode), so
//! nothing outside the root is read.

use std::path::{Path, PathBuf};

use cargo_metadata::Metadata;
use serde::{Deserialize, Serialize};

/// One probe and what it read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probe {
    pub path: PathBuf,
    pub reading: Reading,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reading {
    Absent,
    /// A file inside the root: its content's hash.
    Content([u8; 32]),
    /// A file outside the root: its size, modification time and inode.
    Stamp {
        len: u64,
        modified: u128,
        inode: u64,
    },
    /// A folder: the hash of its sorted entries, each with its kind and,
    /// for a folder in it, whether that holds a `main.rs`.
    Listing([u8; 32]),
    /// Something else (a folder where a file was probed, or the reverse).
    Other,
}

/// How a probe reads its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Listing,
}

/// Where cargo discovers targets, relative to a member's folder.
const TARGET_FILES: [&str; 3] = ["build.rs", "src/lib.rs", "src/main.rs"];
const TARGET_FOLDERS: [&str; 4] = ["src/bin", "examples", "tests", "benches"];

/// The probes of what produced `metadata`, run from `start` (the manifest
/// cargo started from) in `current_dir`. `None` when the workspace's shape
/// is beyond what the probes cover (a member glob that is not a last
/// `*`-style component): then the answer is not kept.
pub fn probes(
    metadata: &Metadata,
    root: &Path,
    start: &Path,
    current_dir: &Path,
    cargo: Option<&Path>,
) -> Option<Vec<Probe>> {
    let mut wanted: Vec<(PathBuf, Kind)> = Vec::new();
    for dir in start.parent()?.ancestors() {
        wanted.push((dir.join("Cargo.toml"), Kind::File));
    }
    for dir in current_dir.ancestors() {
        for name in [
            ".cargo/config.toml",
            ".cargo/config",
            "rust-toolchain",
            "rust-toolchain.toml",
        ] {
            wanted.push((dir.join(name), Kind::File));
        }
    }
    if let Some(home) = cargo_home() {
        wanted.push((home.join("config.toml"), Kind::File));
        wanted.push((home.join("config"), Kind::File));
    }
    if let Some(cargo) = cargo {
        wanted.push((cargo.to_path_buf(), Kind::File));
    }
    for package in metadata.workspace_packages() {
        let manifest = package.manifest_path.as_std_path();
        wanted.push((manifest.to_path_buf(), Kind::File));
        let dir = manifest.parent()?;
        wanted.extend(TARGET_FILES.iter().map(|f| (dir.join(f), Kind::File)));
        wanted.extend(TARGET_FOLDERS.iter().map(|f| (dir.join(f), Kind::Listing)));
    }
    for folder in glob_folders(&root.join("Cargo.toml"), root)? {
        wanted.push((folder, Kind::Listing));
    }
    wanted.sort_by(|a, b| a.0.cmp(&b.0));
    wanted.dedup_by(|a, b| a.0 == b.0);
    Some(
        wanted
            .into_iter()
            .map(|(path, kind)| Probe {
                reading: read(&path, kind, root),
                path,
            })
            .collect(),
    )
}

/// Whether every probe still reads what it read.
pub fn fresh(probes: &[Probe], root: &Path) -> bool {
    probes.iter().all(|probe| {
        let kind = match probe.reading {
            Reading::Listing(_) => Kind::Listing,
            _ => Kind::File,
        };
        read(&probe.path, kind, root) == probe.reading
    })
}

fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
}

fn read(path: &Path, kind: Kind, root: &Path) -> Reading {
    let Ok(meta) = std::fs::metadata(path) else {
        return Reading::Absent;
    };
    match kind {
        Kind::File if !meta.is_file() => Reading::Other,
        Kind::File if inside(path, root) => match std::fs::read(path) {
            Ok(bytes) => Reading::Content(*blake3::hash(&bytes).as_bytes()),
            Err(_) => Reading::Other,
        },
        Kind::File => Reading::Stamp {
            len: meta.len(),
            modified: meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos()),
            inode: inode(&meta),
        },
        Kind::Listing if !meta.is_dir() => Reading::Other,
        Kind::Listing => listing(path).map_or(Reading::Other, Reading::Listing),
    }
}

/// Whether `path` is inside `root`, symlinks followed.
fn inside(path: &Path, root: &Path) -> bool {
    path.starts_with(root) && path.canonicalize().is_ok_and(|p| p.starts_with(root))
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

/// The hash of a folder's sorted entries, each with its kind (followed
/// through symlinks, as cargo follows them) and, for a folder, whether it
/// holds a `main.rs` (`src/bin/x/main.rs` is a target).
fn listing(dir: &Path) -> Option<[u8; 32]> {
    let mut entries: Vec<(std::ffi::OsString, u8)> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|entry| {
            let path = entry.path();
            let kind = match std::fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => 2 + u8::from(path.join("main.rs").is_file()),
                Ok(meta) if meta.is_file() => 1,
                _ => 0,
            };
            (entry.file_name(), kind)
        })
        .collect();
    entries.sort();
    let mut hasher = blake3::Hasher::new();
    for (name, kind) in entries {
        let name = name.as_encoded_bytes();
        hasher.update(&(name.len() as u64).to_le_bytes());
        hasher.update(name);
        hasher.update(&[kind]);
    }
    Some(*hasher.finalize().as_bytes())
}

/// The folders the root manifest's `workspace.members` and `exclude` globs
/// list (`crates/*` → `crates`). `None` for a glob these probes cannot
/// follow: one in a folder component, or `**`.
fn glob_folders(manifest: &Path, root: &Path) -> Option<Vec<PathBuf>> {
    let Ok(text) = std::fs::read_to_string(manifest) else {
        return Some(Vec::new());
    };
    // Read where it lies, not turned into owned values: bevy's root
    // manifest is 4,000 lines.
    let document = toml::de::DeTable::parse(&text).ok()?;
    let workspace = (document.get_ref().get("workspace")).and_then(|w| w.get_ref().as_table());
    let Some(workspace) = workspace else {
        return Some(Vec::new());
    };
    let mut folders = Vec::new();
    for key in ["members", "exclude", "default-members"] {
        let patterns = workspace.get(key).and_then(|m| m.get_ref().as_array());
        for pattern in (patterns.into_iter().flatten()).filter_map(|p| p.get_ref().as_str()) {
            let is_glob = |s: &str| s.contains(['*', '?', '[']);
            if !is_glob(pattern) {
                continue;
            }
            let pattern = pattern.trim_end_matches('/');
            let (folder, last) = pattern.rsplit_once('/').unwrap_or(("", pattern));
            if is_glob(folder) || last.contains("**") {
                return None;
            }
            folders.push(root.join(folder));
        }
    }
    Some(folders)
}
