//! Keeps a shelf from growing without bound. An entry's modification time
//! is when a run last used it (hits refresh it). After a run wrote entries,
//! those that no run used for [`MAX_AGE`] are removed, then the least
//! recently used until the shelf is under [`MAX_BYTES`]; this run's own
//! entries are never removed. Temporary files a killed run left behind go
//! after an hour.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::entry::EntryName;
use super::files::TEMPORARY_PREFIX;

/// Entries of other branches or settings survive this long unused.
pub const MAX_AGE: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// The size cap of one shelf, unless this run's own entries need more.
pub const MAX_BYTES: u64 = 512 * 1024 * 1024;

const TEMPORARY_AGE: Duration = Duration::from_secs(60 * 60);

pub fn prune(folder: &Path, used: &HashSet<EntryName>) {
    prune_with(folder, used, MAX_AGE, MAX_BYTES);
}

/// A file of the shelf that may go.
struct Candidate {
    name: std::ffi::OsString,
    used: SystemTime,
    bytes: u64,
}

pub fn prune_with(folder: &Path, used: &HashSet<EntryName>, max_age: Duration, max_bytes: u64) {
    let Ok(listing) = std::fs::read_dir(folder) else {
        return;
    };
    let kept: HashSet<String> = used.iter().map(EntryName::file_name).collect();
    let now = SystemTime::now();
    let age = |time: SystemTime| now.duration_since(time).unwrap_or_default();
    let mut total = 0;
    let mut candidates = Vec::new();
    for item in listing.flatten() {
        let name = item.file_name();
        let text = name.to_string_lossy();
        // `DirEntry::metadata` does not follow symlinks.
        let Ok(meta) = item.metadata() else { continue };
        let time = meta.modified().unwrap_or(now);
        if text.starts_with(TEMPORARY_PREFIX) {
            if meta.is_file() && age(time) > TEMPORARY_AGE {
                let _ = std::fs::remove_file(folder.join(&name));
            }
            continue;
        }
        if !EntryName::is_entry_file_name(&text) || !meta.is_file() {
            // Not ours: left alone.
            continue;
        }
        total += meta.len();
        if !kept.contains(&*text) {
            candidates.push(Candidate {
                name,
                used: time,
                bytes: meta.len(),
            });
        }
    }
    // Least recently used first.
    candidates.sort_by_key(|c| c.used);
    for candidate in candidates {
        if age(candidate.used) <= max_age && total <= max_bytes {
            break;
        }
        if std::fs::remove_file(folder.join(&candidate.name)).is_ok() {
            total -= candidate.bytes;
        }
    }
}
