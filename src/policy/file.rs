//! Reading the small files the user's configuration lives in (the policy,
//! the baseline) from a workspace that may be hostile: only regular files,
//! only inside the workspace root when asked, never more than a bound.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest policy or baseline read: real ones are a few kilobytes, so
/// anything near this is not one (and `/dev/zero` never ends).
pub const MAX_CONFIG_BYTES: u64 = 16 << 20;

/// What a path names, when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAFile {
    Directory,
    /// A FIFO, socket or device: reading it could block forever.
    Special,
}

impl std::fmt::Display for NotAFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NotAFile::Directory => "a directory",
            NotAFile::Special => "not a regular file (a FIFO, socket or device)",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{} does not exist", .path.display())]
    NotFound { path: PathBuf },
    #[error("{} is {kind}", .path.display())]
    NotAFile { path: PathBuf, kind: NotAFile },
    #[error("{} lies outside the workspace root (it resolves to {})", .path.display(), .target.display())]
    Outside { path: PathBuf, target: PathBuf },
    #[error("{} is larger than {} bytes", .path.display(), MAX_CONFIG_BYTES)]
    TooLarge { path: PathBuf },
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What `path` is, following symlinks: `Ok(None)` when nothing is there.
pub fn kind_of(path: &Path) -> Result<Option<Result<(), NotAFile>>, ReadError> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(Some(Ok(()))),
        Ok(meta) if meta.is_dir() => Ok(Some(Err(NotAFile::Directory))),
        Ok(_) => Ok(Some(Err(NotAFile::Special))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ReadError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Fails unless `path` (its symlinks followed) lies inside `root`, which
/// must be canonical.
pub fn ensure_inside(path: &Path, root: &Path) -> Result<(), ReadError> {
    let target = path.canonicalize().map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if target.starts_with(root) {
        Ok(())
    } else {
        Err(ReadError::Outside {
            path: path.to_path_buf(),
            target,
        })
    }
}

/// Reads a regular file as UTF-8, at most [`MAX_CONFIG_BYTES`]. Anything
/// else (a directory, a FIFO, a device) is refused before it is opened.
pub fn read_regular(path: &Path) -> Result<String, ReadError> {
    match kind_of(path)? {
        None => {
            return Err(ReadError::NotFound {
                path: path.to_path_buf(),
            })
        }
        Some(Err(kind)) => {
            return Err(ReadError::NotAFile {
                path: path.to_path_buf(),
                kind,
            })
        }
        Some(Ok(())) => {}
    }
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    // The path may have been swapped since it was looked at: ask the
    // opened file itself.
    if !file.metadata().map_err(io)?.is_file() {
        return Err(ReadError::NotAFile {
            path: path.to_path_buf(),
            kind: NotAFile::Special,
        });
    }
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    String::from_utf8(bytes)
        .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_regular(dir.path()),
            Err(ReadError::NotAFile {
                kind: NotAFile::Directory,
                ..
            })
        ));
        assert!(matches!(
            read_regular(&dir.path().join("none")),
            Err(ReadError::NotFound { .. })
        ));
        if Path::new("/dev/zero").exists() {
            assert!(matches!(
                read_regular(Path::new("/dev/zero")),
                Err(ReadError::NotAFile {
                    kind: NotAFile::Special,
                    ..
                })
            ));
        }
    }

    #[test]
    fn a_symlink_counts_where_it_points() {
        let outside = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        let root_path = root.path().canonicalize().unwrap();
        std::fs::write(outside.path().join("secret"), "x").unwrap();
        std::fs::write(root_path.join("inside"), "y").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.path().join("secret"), root_path.join("out"))
                .unwrap();
            std::os::unix::fs::symlink(root_path.join("inside"), root_path.join("in")).unwrap();
            assert!(matches!(
                ensure_inside(&root_path.join("out"), &root_path),
                Err(ReadError::Outside { .. })
            ));
            ensure_inside(&root_path.join("in"), &root_path).unwrap();
        }
    }
}
