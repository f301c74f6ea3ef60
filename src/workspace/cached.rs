//! `cargo metadata --no-deps`, run once and then reused while nothing it
//! depends on changed (see `fingerprint.rs`): it costs 40 to 200 ms, more
//! than the rest of a warm run.
//!
//! The answer is kept in the workspace's store (`target/boundaries/`),
//! under a name made of the manifest cargo starts from, the current folder
//! and the environment cargo reads. The store is found before cargo runs:
//! in `CARGO_TARGET_DIR` if set, else in the `target` folder beside each
//! `Cargo.toml` from the starting manifest up.

use std::path::{Path, PathBuf};

use cargo_metadata::{Metadata, MetadataCommand};
use serde::{Deserialize, Serialize};

use super::fingerprint::{self, Probe};
use crate::cache::{Shelf, Store};

/// What is kept: cargo's answer and what it depended on.
#[derive(Serialize, Deserialize)]
struct Record {
    root: PathBuf,
    target_dir: PathBuf,
    json: String,
    probes: Vec<Probe>,
}

/// Where a run of `cargo metadata` starts.
pub struct Request<'a> {
    /// The manifest cargo starts from, canonical (`--manifest-path`, or
    /// the nearest `Cargo.toml` up from the current folder).
    pub start: Option<PathBuf>,
    pub current_dir: PathBuf,
    /// The cargo binary named by `CARGO` or the caller.
    pub cargo: Option<&'a Path>,
}

/// `cargo metadata`'s answer, and whether it came from the cache.
pub fn metadata(
    command: &MetadataCommand,
    request: &Request,
    use_cache: bool,
    before_cargo: &dyn Fn(),
) -> Result<(Metadata, bool), cargo_metadata::Error> {
    let start = request.start.as_deref().filter(|_| use_cache);
    if let Some(start) = start {
        if let Some(metadata) = lookup(start, request) {
            return Ok((metadata, true));
        }
    }
    let started = std::time::SystemTime::now();
    before_cargo();
    let json = run(command)?;
    let metadata = MetadataCommand::parse(&json)?;
    if let Some(start) = start {
        keep(&metadata, json, start, request, started);
    }
    Ok((metadata, false))
}

/// The parts an answer's name is made of.
fn name_parts(start: &Path, request: &Request) -> Vec<Vec<u8>> {
    let mut parts = vec![
        start.as_os_str().as_encoded_bytes().to_vec(),
        request.current_dir.as_os_str().as_encoded_bytes().to_vec(),
        request
            .cargo
            .map(|c| c.as_os_str().as_encoded_bytes().to_vec())
            .unwrap_or_default(),
    ];
    let mut environment: Vec<(std::ffi::OsString, std::ffi::OsString)> = std::env::vars_os()
        .filter(|(name, _)| {
            let name = name.to_string_lossy();
            name.starts_with("CARGO")
                || name.starts_with("RUSTUP")
                || name == "PATH"
                || name == "HOME"
        })
        .collect();
    environment.sort();
    for (name, value) in environment {
        parts.push(name.as_encoded_bytes().to_vec());
        parts.push(value.as_encoded_bytes().to_vec());
    }
    parts
}

fn name(store: &Store, start: &Path, request: &Request) -> crate::cache::EntryName {
    let parts = name_parts(start, request);
    let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    store.name(Shelf::Workspace, &parts)
}

/// The target folders a kept answer may be in, nearest first, each with
/// the folder it would be the target of.
fn candidates(start: &Path) -> Vec<(PathBuf, PathBuf)> {
    let named = ["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"]
        .iter()
        .find_map(std::env::var_os)
        .map(PathBuf::from);
    let folders = start
        .parent()
        .into_iter()
        .flat_map(Path::ancestors)
        .filter(|dir| dir.join("Cargo.toml").is_file());
    match named {
        Some(target) => folders
            .take(1)
            .map(|dir| (dir.to_path_buf(), target.clone()))
            .collect(),
        None => folders
            .map(|dir| (dir.to_path_buf(), dir.join("target")))
            .collect(),
    }
}

fn lookup(start: &Path, request: &Request) -> Option<Metadata> {
    for (root, target) in candidates(start) {
        let Some(store) = Store::existing(&root, &target) else {
            continue;
        };
        let Some(payload) = store.get(Shelf::Workspace, &name(&store, start, request)) else {
            continue;
        };
        let Ok(record) = postcard::from_bytes::<Record>(&payload) else {
            continue;
        };
        if same_folder(&record.target_dir, &target)
            && fingerprint::fresh(&record.probes, &record.root)
        {
            return MetadataCommand::parse(&record.json).ok();
        }
    }
    None
}

fn same_folder(a: &Path, b: &Path) -> bool {
    a == b
        || a.canonicalize()
            .ok()
            .is_some_and(|a| b.canonicalize().ok() == Some(a))
}

/// Keeps an answer cargo just gave, with its probes, unless something it
/// probes changed while cargo ran (then the probes might describe files
/// cargo did not see).
fn keep(
    metadata: &Metadata,
    json: String,
    start: &Path,
    request: &Request,
    started: std::time::SystemTime,
) {
    let Ok(root) = metadata.workspace_root.as_std_path().canonicalize() else {
        return;
    };
    let target = metadata.target_directory.as_std_path();
    let Ok(store) = Store::open(&root, target) else {
        return;
    };
    let Some(probes) =
        fingerprint::probes(metadata, &root, start, &request.current_dir, request.cargo)
    else {
        return;
    };
    let changed = probes.iter().any(|probe| {
        std::fs::metadata(&probe.path)
            .and_then(|m| m.modified())
            .is_ok_and(|modified| modified >= since(started, modified))
    });
    if changed {
        return;
    }
    let record = Record {
        root,
        target_dir: target.to_path_buf(),
        json,
        probes,
    };
    if let Ok(payload) = postcard::to_allocvec(&record) {
        store.put(Shelf::Workspace, &name(&store, start, request), &payload);
    }
}

/// From when a file's modification time counts as during cargo's run.
/// The kernel stamps files from a clock that may lag a tick (up to 10 ms)
/// behind ours; a stamp with no fraction of a second may come from a file
/// system that keeps whole seconds (or two, on FAT).
fn since(started: std::time::SystemTime, modified: std::time::SystemTime) -> std::time::SystemTime {
    let whole_seconds = modified
        .duration_since(std::time::UNIX_EPOCH)
        .is_ok_and(|d| d.subsec_nanos() == 0);
    let slack = match whole_seconds {
        true => std::time::Duration::from_secs(2),
        false => std::time::Duration::from_millis(20),
    };
    started - slack
}

/// Runs cargo and returns its JSON line, failing as
/// `MetadataCommand::exec` fails.
fn run(command: &MetadataCommand) -> Result<String, cargo_metadata::Error> {
    let output = command.cargo_command().output()?;
    if !output.status.success() {
        return Err(cargo_metadata::Error::CargoMetadata {
            stderr: String::from_utf8(output.stderr)?,
        });
    }
    std::str::from_utf8(&output.stdout)?
        .lines()
        .find(|line| line.starts_with('{'))
        .map(str::to_string)
        .ok_or(cargo_metadata::Error::NoJson)
}
