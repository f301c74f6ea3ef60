//! The one writer of files (`init`, `baseline`, `graph -o`). Every file is
//! written into a new temporary file in the target's folder, created
//! exclusively under an unpredictable name (never through an existing path
//! or a symlink a repository planted), then renamed into place, so a reader
//! never sees half a file and nothing outside the target is touched.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::Failure;

/// A file written under a temporary name beside its final place, not yet
/// renamed into it. Dropped without [`Staged::commit`], it is removed.
pub struct Staged {
    file: NamedTempFile,
    target: PathBuf,
}

impl Staged {
    /// Writes `text` beside `target`, under a fresh temporary name.
    pub fn new(target: &Path, text: &str) -> Result<Staged, Failure> {
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_string());
        let cannot = |err: std::io::Error| cannot_write(target, err);
        if !dir.is_dir() {
            return Err(Failure::error(format!(
                "cannot write {}: the folder {} does not exist",
                target.display(),
                dir.display()
            )));
        }
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // Created as any file the user makes: 0o666 less the umask. A
        // temporary file is 0o600 by default, wrong for a policy to commit
        // or a page to serve.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let mut file = builder.tempfile_in(dir).map_err(cannot)?;
        file.write_all(text.as_bytes()).map_err(cannot)?;
        file.as_file().sync_all().map_err(cannot)?;
        Ok(Staged {
            file,
            target: target.to_path_buf(),
        })
    }

    /// Where the text is until it is committed.
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// Renames the file into place. Without `overwrite`, an existing file
    /// (or symlink) at the target is an error and stays as it was.
    pub fn commit(self, overwrite: bool) -> Result<(), Failure> {
        let target = self.target;
        // A file written over keeps its permissions.
        if overwrite {
            if let Ok(old) = std::fs::symlink_metadata(&target) {
                if old.is_file() {
                    let _ = self.file.as_file().set_permissions(old.permissions());
                }
            }
        }
        let persisted = if overwrite {
            self.file.persist(&target)
        } else {
            self.file.persist_noclobber(&target)
        };
        match persisted {
            Ok(_) => Ok(()),
            Err(err) if err.error.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(already_exists(&target))
            }
            Err(err) => Err(cannot_write(&target, err.error)),
        }
    }
}

/// Writes `text` to `path` atomically; without `overwrite`, an existing
/// file is an error.
pub fn write_atomically(path: &Path, text: &str, overwrite: bool) -> Result<(), Failure> {
    if !overwrite && std::fs::symlink_metadata(path).is_ok() {
        return Err(already_exists(path));
    }
    Staged::new(path, text)?.commit(overwrite)
}

pub fn already_exists(path: &Path) -> Failure {
    Failure::error(format!(
        "{} already exists; pass --force to overwrite it",
        path.display()
    ))
}

/// Says why `path` could not be written. `tempfile` names its temporary
/// file in its errors; the user asked for `path`, so only the kind of
/// failure is shown.
fn cannot_write(path: &Path, err: std::io::Error) -> Failure {
    let cause = match err.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code),
        None => std::io::Error::from(err.kind()),
    };
    Failure::error(format!("cannot write {}: {cause}", path.display()))
}
