//! The user's cache key: 32 random bytes created once in the user's cache
//! folder (`$XDG_CACHE_HOME/cargo-boundaries/key`, else
//! `~/.cache/cargo-boundaries/key`), never inside a workspace. Entries are
//! named and sealed with it, so an entry committed to a repository (whose
//! author does not have the key) is never looked up, and never opens.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::Unavailable;

const KEY_BYTES: usize = 32;

#[derive(Clone)]
pub struct Key {
    naming: [u8; 32],
    sealing: [u8; 32],
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

impl Key {
    pub fn from_bytes(secret: [u8; KEY_BYTES]) -> Key {
        Key {
            naming: blake3::derive_key("cargo-boundaries cache entry names", &secret),
            sealing: blake3::derive_key("cargo-boundaries cache entry seals", &secret),
        }
    }

    pub fn naming(&self) -> &[u8; 32] {
        &self.naming
    }

    pub fn sealing(&self) -> &[u8; 32] {
        &self.sealing
    }

    /// The user's key, created if there is none yet. A cache folder inside
    /// `workspace_root` is refused: the workspace could have planted it.
    pub fn load_or_create(workspace_root: &Path) -> Result<Key, Unavailable> {
        let folder = key_folder().ok_or(Unavailable::NoKeyFolder)?;
        std::fs::create_dir_all(&folder).map_err(|source| Unavailable::Create {
            path: folder.clone(),
            source,
        })?;
        let folder = folder.canonicalize().map_err(Unavailable::Key)?;
        if folder.starts_with(workspace_root) {
            return Err(Unavailable::NoKeyFolder);
        }
        let path = folder.join("key");
        match read_key(&path) {
            Ok(secret) => return Ok(Key::from_bytes(secret)),
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                return Err(Unavailable::Key(err))
            }
            Err(_) => {}
        }
        create_key(&folder, &path).map_err(Unavailable::Key)?;
        // Another run may have created its key first: the one in place wins.
        read_key(&path)
            .map(Key::from_bytes)
            .map_err(Unavailable::Key)
    }
}

/// `$XDG_CACHE_HOME/cargo-boundaries`, else `$HOME/.cache/cargo-boundaries`
/// (`%LOCALAPPDATA%` on Windows).
fn key_folder() -> Option<PathBuf> {
    let absolute = |var: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let home = absolute("XDG_CACHE_HOME")
        .or_else(|| absolute("HOME").map(|h| h.join(".cache")))
        .or_else(|| absolute("LOCALAPPDATA"))?;
    Some(home.join("cargo-boundaries"))
}

fn read_key(path: &Path) -> std::io::Result<[u8; KEY_BYTES]> {
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() || metadata.len() != KEY_BYTES as u64 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{} is not a {KEY_BYTES}-byte file", path.display()),
        ));
    }
    let mut secret = [0; KEY_BYTES];
    file.take(KEY_BYTES as u64).read_exact(&mut secret)?;
    Ok(secret)
}

/// Writes a new random key into place, unless one is already there.
fn create_key(folder: &Path, path: &Path) -> std::io::Result<()> {
    let mut secret = [0; KEY_BYTES];
    getrandom::fill(&mut secret).map_err(|e| std::io::Error::other(e.to_string()))?;
    // Created readable by the user only.
    let mut file = tempfile::Builder::new()
        .prefix(".key.")
        .tempfile_in(folder)?;
    file.write_all(&secret)?;
    file.as_file().sync_all()?;
    match file.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(err) if err.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(err) => Err(err.error),
    }
}
