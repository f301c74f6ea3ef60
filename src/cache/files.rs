//! The store's file operations, for a folder a hostile repository may have
//! filled: no symlink is followed inside `target/boundaries/`, only regular
//! files of bounded size are read, and entries are written through new
//! temporary files created exclusively, then renamed into place.

use std::fs::{File, Metadata};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::Unavailable;

/// The target directory the store may live in: inside the workspace root
/// (a `target` symlink leading outside is refused), or the one the user's
/// environment names. Created if it does not exist yet.
pub fn target_folder(root: &Path, target_dir: &Path) -> Result<PathBuf, Unavailable> {
    let allowed = |canonical: &Path| canonical.starts_with(root) || named_by_user(canonical);
    match target_dir.canonicalize() {
        Ok(canonical) if allowed(&canonical) => {}
        Ok(canonical) => return Err(Unavailable::TargetOutside(canonical)),
        Err(_) => {
            // Not there yet: its parent must be acceptable, and the folder
            // is created (never through a symlink: creating fails on one).
            let parent = target_dir.parent().and_then(|p| p.canonicalize().ok());
            match parent {
                Some(parent) if allowed(&parent) => {}
                _ => return Err(Unavailable::TargetOutside(target_dir.to_path_buf())),
            }
            if let Err(source) = std::fs::create_dir(target_dir) {
                if source.kind() != std::io::ErrorKind::AlreadyExists {
                    return Err(Unavailable::Create {
                        path: target_dir.to_path_buf(),
                        source,
                    });
                }
            }
            let canonical = target_dir
                .canonicalize()
                .map_err(|_| Unavailable::NotAFolder(target_dir.to_path_buf()))?;
            if !allowed(&canonical) {
                return Err(Unavailable::TargetOutside(canonical));
            }
        }
    }
    Ok(target_dir.to_path_buf())
}

/// `target` if it exists and is acceptable as in [`target_folder`].
pub fn existing_target(root: &Path, target: &Path) -> Option<PathBuf> {
    let canonical = target.canonicalize().ok()?;
    (canonical.starts_with(root) || named_by_user(&canonical)).then(|| target.to_path_buf())
}

/// Whether `canonical` is the target directory the user's environment
/// names (not a file of the workspace).
fn named_by_user(canonical: &Path) -> bool {
    ["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"]
        .iter()
        .filter_map(std::env::var_os)
        .filter_map(|dir| PathBuf::from(dir).canonicalize().ok())
        .any(|dir| dir == canonical)
}

/// `path` as a real folder (not a symlink), created if missing and
/// `create` is set.
pub fn real_folder(path: &Path, create: bool) -> Result<PathBuf, Unavailable> {
    if create {
        if let Err(source) = std::fs::create_dir(path) {
            if source.kind() != std::io::ErrorKind::AlreadyExists {
                return Err(Unavailable::Create {
                    path: path.to_path_buf(),
                    source,
                });
            }
        }
    }
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_dir() => Ok(path.to_path_buf()),
        _ => Err(Unavailable::NotAFolder(path.to_path_buf())),
    }
}

/// An entry read, with its open file (to refresh its time).
pub struct EntryFile {
    pub bytes: Vec<u8>,
    file: File,
    modified: Option<SystemTime>,
}

/// The bytes of an entry file: a regular file (a symlink is not followed,
/// and the file opened must be the one looked at), at most `limit` bytes.
pub fn read_entry(path: &Path, limit: u64) -> Option<EntryFile> {
    let seen = std::fs::symlink_metadata(path).ok()?;
    if !seen.file_type().is_file() || seen.len() > limit {
        return None;
    }
    let file = File::open(path).ok()?;
    let opened = file.metadata().ok()?;
    if !opened.is_file() || !same_file(&seen, &opened) {
        return None;
    }
    let mut bytes = Vec::with_capacity(opened.len() as usize);
    (&file).take(limit + 1).read_to_end(&mut bytes).ok()?;
    if bytes.len() as u64 > limit {
        return None;
    }
    Some(EntryFile {
        bytes,
        modified: opened.modified().ok(),
        file,
    })
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    a.len() == b.len() && a.modified().ok() == b.modified().ok()
}

/// How stale an entry's time may be before a hit refreshes it: pruning
/// goes by days, so an hour is exact enough and most hits write nothing.
const REFRESH_AFTER: Duration = Duration::from_secs(60 * 60);

/// Marks an entry as just used.
pub fn refresh(entry: &EntryFile) {
    let now = SystemTime::now();
    let stale = entry
        .modified
        .and_then(|m| now.duration_since(m).ok())
        .is_none_or(|age| age > REFRESH_AFTER);
    if stale {
        let _ = entry.file.set_modified(now);
    }
}

/// Writes an entry (its parts one after another) into `folder` under
/// `name`: a new temporary file, created exclusively under an
/// unpredictable name, renamed into place (the rename replaces a symlink
/// or an entry at `name`, never writes through it). Failures are ignored:
/// the entry is simply not there next time.
pub fn write_entry(folder: &Path, name: &str, parts: &[&[u8]]) {
    let Ok(mut file) = tempfile::Builder::new()
        .prefix(TEMPORARY_PREFIX)
        .tempfile_in(folder)
    else {
        return;
    };
    for part in parts {
        if file.write_all(part).is_err() {
            return;
        }
    }
    let _ = file.persist(folder.join(name));
}

/// How temporary files of the store start (pruning removes old ones a
/// killed run left behind).
pub const TEMPORARY_PREFIX: &str = ".tmp";
