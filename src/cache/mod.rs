//! A store of what this tool derived before, under cargo's target directory
//! (`target/boundaries/`), so a re-run does not derive it again.
//!
//! The store knows nothing of what it keeps: callers give the parts a fact
//! depends on and get bytes back. Every entry is named and sealed with a
//! random key kept outside the workspace (`key.rs`), because the target
//! directory lies inside the workspace and a pull request can commit files
//! there: an entry this user's runs did not write is never trusted, it is a
//! miss. Nothing in the store is followed through a symlink, only regular
//! files of bounded size are read, and entries are written through
//! exclusively created temporary files renamed into place (`files.rs`), so
//! two runs at once never see half an entry. Entries no recent run used are
//! pruned, with a size cap (`prune.rs`).

mod entry;
mod files;
mod key;
mod prune;
mod upkeep;

use std::path::{Path, PathBuf};

pub use entry::EntryName;
use key::Key;
pub use upkeep::Upkeep;

/// What a store keeps, each in its own folder: one file's extracted facts,
/// the workspace's `cargo metadata`, or its resolved references.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shelf {
    Facts,
    Workspace,
    Resolved,
}

impl Shelf {
    fn folder(self) -> &'static str {
        match self {
            Shelf::Facts => "facts",
            Shelf::Workspace => "workspace",
            Shelf::Resolved => "resolved",
        }
    }
}

/// The folder under the target directory that the store owns.
pub const FOLDER: &str = "boundaries";

#[derive(Debug)]
pub struct Store {
    /// `target/boundaries`, a real folder (no symlink).
    dir: PathBuf,
    key: Key,
}

/// Why a workspace runs without a store (for `-v`).
#[derive(Debug, thiserror::Error)]
pub enum Unavailable {
    #[error("the target directory {} is outside the workspace root", .0.display())]
    TargetOutside(PathBuf),
    #[error("{} is a symlink or not a folder", .0.display())]
    NotAFolder(PathBuf),
    #[error("no user cache folder outside the workspace holds the cache key")]
    NoKeyFolder,
    #[error("the cache key cannot be read or created: {0}")]
    Key(std::io::Error),
    #[error("cannot create {}: {source}", .path.display())]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Store {
    /// The store of a workspace whose root (canonical) is `root` and whose
    /// target directory cargo reports as `target_dir`. The target directory
    /// must lie inside the root, or be the one the user's environment names
    /// (`CARGO_TARGET_DIR`): one a workspace's own `.cargo/config.toml`
    /// points elsewhere is never written to.
    pub fn open(root: &Path, target_dir: &Path) -> Result<Store, Unavailable> {
        let target = files::target_folder(root, target_dir)?;
        let key = Key::load_or_create(root)?;
        Store::open_with(target, key)
    }

    /// The store under a target directory known to be acceptable, with the
    /// user's key (for a workspace's metadata, found before cargo ran).
    pub fn open_in(root: &Path, target: PathBuf) -> Result<Store, Unavailable> {
        let key = Key::load_or_create(root)?;
        Store::open_with(target, key)
    }

    fn open_with(target: PathBuf, key: Key) -> Result<Store, Unavailable> {
        let dir = files::real_folder(&target.join(FOLDER), true)?;
        Ok(Store { dir, key })
    }

    /// The store's folder, if it already exists as a real folder under
    /// `target`, itself acceptable as in [`Store::open`] (nothing is
    /// created).
    pub fn existing(root: &Path, target: &Path) -> Option<Store> {
        files::existing_target(root, target)?;
        let dir = files::real_folder(&target.join(FOLDER), false).ok()?;
        let key = Key::load_or_create(root).ok()?;
        Some(Store { dir, key })
    }

    /// The name of the entry holding what was derived from `parts`: a
    /// keyed hash, so nobody without the key can tell which entry holds
    /// what, nor make one that will be looked up.
    pub fn name(&self, shelf: Shelf, parts: &[&[u8]]) -> EntryName {
        EntryName::derive(&self.key, shelf, parts)
    }

    /// The entry's payload, if an entry of that name exists, was written
    /// with this key by this version of the tool, and is whole.
    pub fn get(&self, shelf: Shelf, name: &EntryName) -> Option<Vec<u8>> {
        let path = self.dir.join(shelf.folder()).join(name.file_name());
        let mut entry = files::read_entry(&path, entry::MAX_ENTRY_BYTES)?;
        entry::open(&self.key, shelf, name, &entry.bytes)?;
        // The mtime says when an entry was last used, for pruning.
        files::refresh(&entry);
        // The payload, moved to the front of the bytes read (not copied).
        let mut payload = std::mem::take(&mut entry.bytes);
        payload.drain(..entry::HEADER_BYTES);
        Some(payload)
    }

    /// Stores `payload` under `name`. Best effort: a cache that cannot be
    /// written is a cache that misses.
    pub fn put(&self, shelf: Shelf, name: &EntryName, payload: &[u8]) {
        let Ok(folder) = files::real_folder(&self.dir.join(shelf.folder()), true) else {
            return;
        };
        if (entry::HEADER_BYTES + payload.len()) as u64 <= entry::MAX_ENTRY_BYTES {
            let header = entry::header(&self.key, shelf, name, payload);
            files::write_entry(&folder, &name.file_name(), &[&header, payload]);
        }
    }

    /// Removes the entries of `shelf` that no recent run used, keeping
    /// `used` (this run's), and keeps the shelf under its size cap.
    pub fn prune(&self, shelf: Shelf, used: &std::collections::HashSet<EntryName>) {
        prune::prune(&self.dir.join(shelf.folder()), used);
    }

    /// The store's folder, `target/boundaries`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

#[cfg(test)]
mod tests;
