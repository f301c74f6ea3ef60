//! Writing the files the user asked for (`init`, `baseline`): atomically,
//! and never over an existing file unless allowed.

use std::io::Write;
use std::path::Path;

use super::Failure;

/// Writes `text` to `path` through a temporary file in the same folder and a
/// rename, so a reader never sees half a file.
pub fn write_atomically(path: &Path, text: &str, overwrite: bool) -> Result<(), Failure> {
    if path.exists() && !overwrite {
        return Err(Failure::error(format!(
            "{} already exists; pass --force to overwrite it",
            path.display()
        )));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&temp).and_then(|mut file| {
        file.write_all(text.as_bytes())?;
        file.sync_all()
    });
    if let Err(err) = written.and_then(|_| std::fs::rename(&temp, path)) {
        let _ = std::fs::remove_file(&temp);
        return Err(Failure::error(format!(
            "cannot write {}: {err}",
            path.display()
        )));
    }
    Ok(())
}
