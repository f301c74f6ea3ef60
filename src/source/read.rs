//! Reading a source file of a workspace that may be hostile: only regular
//! files inside the workspace root, never more than a bounded number of
//! bytes, never blocking on a FIFO or a device.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest source file read, in bytes. Reading a file's code costs
/// about 60 bytes of memory per byte of source at its peak (its tokens
/// twice, one item's tree, its references), so this bounds one file to
/// about 1 GB; the largest Rust files in the crates we measured (unicode
/// tables) are 1.5 MB.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("it resolves to {}, outside the workspace root", .0.display())]
    Outside(PathBuf),
    #[error("it is not a regular file")]
    NotRegular,
    #[error("it is larger than the {limit}-byte limit for one source file")]
    TooLarge { limit: u64 },
    #[error("it is not UTF-8")]
    NotUtf8,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The canonical path of `path` if it lies inside `root` (itself
/// canonical). Symlinks are followed: what counts is where they lead.
pub fn contained(root: &Path, path: &Path) -> Result<PathBuf, Refused> {
    let canonical = path.canonicalize()?;
    if canonical.starts_with(root) {
        Ok(canonical)
    } else {
        Err(Refused::Outside(canonical))
    }
}

/// Reads a file already known to be inside the workspace. The path's kind
/// is checked before opening (opening a FIFO would block), and the opened
/// file's kind again (the path may have changed in between); the read is
/// bounded, so a file growing while read cannot exhaust memory.
pub fn read_source(path: &Path) -> Result<String, Refused> {
    read_bounded(path, MAX_FILE_BYTES)
}

/// The text of a workspace file a diagnostic quotes: read with the same
/// care as a source file (a regular file inside `root`, bounded), empty
/// when it is anything else, so output never shows what was not read as
/// workspace source. A file with a line longer than [`MAX_QUOTED_LINE`]
/// is not quoted either: miette cannot draw a column past 65,535 (it
/// panics), and such a line (minified or generated code) would flood the
/// terminal anyway.
pub fn quoted_text(root: &Path, relative: &str) -> String {
    contained(root, &root.join(relative))
        .and_then(|file| read_source(&file))
        .ok()
        .filter(|text| text.split('\n').all(|line| line.len() <= MAX_QUOTED_LINE))
        .unwrap_or_default()
}

/// The longest line a diagnostic quotes, in bytes.
pub const MAX_QUOTED_LINE: usize = 10_000;

fn read_bounded(path: &Path, limit: u64) -> Result<String, Refused> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(Refused::NotRegular);
    }
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(Refused::NotRegular);
    }
    if metadata.len() > limit {
        return Err(Refused::TooLarge { limit });
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(Refused::TooLarge { limit });
    }
    String::from_utf8(bytes).map_err(|_| Refused::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_within_the_limit() {
        let dir = std::env::temp_dir().join(format!("boundaries-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("a.rs");
        std::fs::write(&file, "fn a() {}").unwrap();
        assert_eq!(read_bounded(&file, 9).unwrap(), "fn a() {}");
        assert!(matches!(
            read_bounded(&file, 8),
            Err(Refused::TooLarge { limit: 8 })
        ));
        assert!(matches!(read_bounded(&dir, 100), Err(Refused::NotRegular)));
        let root = dir.canonicalize().unwrap();
        assert!(contained(&root, &file).is_ok());
        assert!(matches!(
            contained(&root.join("sub"), &file),
            Err(Refused::Outside(_))
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn never_opens_devices() {
        assert!(matches!(
            read_bounded(Path::new("/dev/zero"), 100),
            Err(Refused::NotRegular)
        ));
    }
}
