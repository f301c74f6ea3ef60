//! What a run saw of each source file: its identity on disk (device,
//! inode, size, modification and change times) and the hash of its text.
//! A later run that finds a file with the same identity takes its hash
//! from here instead of reading and hashing the file again, then its
//! facts from the cache by that hash, as git's index does for `git
//! status`.
//!
//! An edit changes the change time (`ctime`), which no program can set
//! back, even when the size and modification time are put back. A file
//! changed less than [`SETTLE`] before it was read could be changed again
//! within the same clock tick without its times moving: it is not
//! recorded, so the next run reads it again. Unix only: elsewhere every
//! file is read.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::cache::{EntryName, Shelf, Store};

/// How long a file must have been left alone before it was read for what
/// was seen of it to be kept.
const SETTLE: Duration = Duration::from_secs(2);

/// A file's identity on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    device: u64,
    inode: u64,
    len: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

impl Stat {
    /// The identity of the regular file at `path` (symlinks followed, as
    /// the reader follows them), if it has one here.
    #[cfg(unix)]
    pub fn of(path: &Path) -> Option<Stat> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        meta.is_file().then(|| Stat {
            device: meta.dev(),
            inode: meta.ino(),
            len: meta.len(),
            modified: (meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
        })
    }

    #[cfg(not(unix))]
    pub fn of(_: &Path) -> Option<Stat> {
        None
    }

    /// Whether the file was left alone for [`SETTLE`] before `read_at`.
    fn settled(&self, read_at: SystemTime) -> bool {
        let Ok(since_epoch) = read_at.duration_since(SystemTime::UNIX_EPOCH) else {
            return false;
        };
        let settled = since_epoch.saturating_sub(SETTLE);
        let latest = self.modified.max(self.changed);
        latest < (settled.as_secs() as i64, i64::from(settled.subsec_nanos()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Seen {
    stat: Stat,
    content: [u8; 32],
}

/// The record of the last run, and what this run sees.
pub struct SeenFiles {
    name: EntryName,
    before: FxHashMap<Box<str>, Seen>,
    now: Mutex<Vec<(Arc<str>, Seen)>>,
}

impl SeenFiles {
    /// The record kept for the workspace at `root`, if any.
    pub fn load(store: &Store, root: &Path) -> SeenFiles {
        let name = store.name(
            Shelf::Workspace,
            &[b"seen files", root.as_os_str().as_encoded_bytes()],
        );
        let before = store
            .get(Shelf::Workspace, &name)
            .and_then(|payload| postcard::from_bytes::<Vec<(Box<str>, Seen)>>(&payload).ok())
            .map(|seen| seen.into_iter().collect())
            .unwrap_or_default();
        SeenFiles {
            name,
            before,
            now: Mutex::new(Vec::new()),
        }
    }

    /// The content hash of `relative` when the last run saw the file as it
    /// is now.
    pub fn content(&self, relative: &str, stat: Stat) -> Option<[u8; 32]> {
        let seen = self.before.get(relative).filter(|seen| seen.stat == stat)?;
        Some(seen.content)
    }

    /// Notes that `relative` is still as the last run saw it.
    pub fn note_unchanged(&self, relative: &Arc<str>, stat: Stat, content: [u8; 32]) {
        self.saw(relative, Seen { stat, content });
    }

    /// Notes that `relative`, with `stat` before it was read at `read_at`,
    /// has the content hash `content`.
    pub fn note_read(
        &self,
        relative: &Arc<str>,
        stat: Stat,
        read_at: SystemTime,
        content: [u8; 32],
    ) {
        if stat.settled(read_at) {
            self.saw(relative, Seen { stat, content });
        }
    }

    fn saw(&self, relative: &Arc<str>, seen: Seen) {
        self.now
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((relative.clone(), seen));
    }

    /// The record of this run, to keep under [`SeenFiles::name`], unless
    /// it says what the last one did.
    pub fn record(self) -> Option<(EntryName, Vec<u8>)> {
        let mut now = self.now.into_inner().unwrap_or_else(|e| e.into_inner());
        now.sort_by(|a, b| a.0.cmp(&b.0));
        now.dedup_by(|a, b| a.0 == b.0);
        let same = now.len() == self.before.len()
            && (now.iter()).all(|(file, seen)| self.before.get(&**file) == Some(seen));
        if same {
            return None;
        }
        let kept: Vec<(&str, Seen)> = now.iter().map(|(file, seen)| (&**file, *seen)).collect();
        let payload = postcard::to_allocvec(&kept).ok()?;
        Some((self.name, payload))
    }
}
