//! One entry's name and bytes. An entry is
//!
//! ```text
//! magic (8 bytes) | format version (u32 LE) | payload length (u64 LE) | seal (32 bytes) | payload
//! ```
//!
//! where the seal is a keyed BLAKE3 hash of the shelf, the entry's name,
//! the length and the payload. An entry whose magic, version, length or
//! seal does not match is a miss: truncated, corrupt, written by another
//! version of the tool or planted by someone without the key.

use super::key::Key;
use super::Shelf;

const MAGIC: &[u8; 8] = b"cbcache\0";

/// Bumped whenever what an entry holds changes shape. The tool's version
/// and build are part of every name too, so a build never reads another's
/// entries.
pub const FORMAT_VERSION: u32 = 1;

pub const HEADER_BYTES: usize = 8 + 4 + 8 + 32;

/// The largest entry read: the largest source file read is 16 MB, and its
/// facts are a fraction of its size.
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;

/// 128 bits of a keyed hash, as 32 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntryName([u8; 16]);

impl EntryName {
    pub fn derive(key: &Key, shelf: Shelf, parts: &[&[u8]]) -> EntryName {
        let mut hasher = blake3::Hasher::new_keyed(key.naming());
        hasher.update(&FORMAT_VERSION.to_le_bytes());
        hash_part(&mut hasher, env!("CARGO_PKG_VERSION").as_bytes());
        hash_part(&mut hasher, build());
        hash_part(&mut hasher, shelf.folder().as_bytes());
        for part in parts {
            hash_part(&mut hasher, part);
        }
        let mut name = [0; 16];
        name.copy_from_slice(&hasher.finalize().as_bytes()[..16]);
        EntryName(name)
    }

    pub fn file_name(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Whether a file name is an entry's (and not a temporary file).
    pub fn is_entry_file_name(name: &str) -> bool {
        name.len() == 32
            && name
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }
}

/// Which build of the tool this is: the size and modification time of the
/// running executable. Two builds of one version (a development build, a
/// patched install) may extract differently, so each has entries of its
/// own. An executable that cannot be looked at gets a random build: its
/// entries are never read again (pruning removes them).
fn build() -> &'static [u8] {
    static BUILD: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BUILD.get_or_init(|| {
        let meta = std::env::current_exe().and_then(std::fs::metadata);
        let Ok(meta) = meta else {
            let mut random = vec![0; 16];
            let _ = getrandom::fill(&mut random);
            return random;
        };
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let mut id = meta.len().to_le_bytes().to_vec();
        id.extend_from_slice(&modified.to_le_bytes());
        id
    })
}

/// A part, prefixed by its length so `["ab", "c"]` and `["a", "bc"]` differ.
fn hash_part(hasher: &mut blake3::Hasher, part: &[u8]) {
    hasher.update(&(part.len() as u64).to_le_bytes());
    hasher.update(part);
}

fn seal_of(key: &Key, shelf: Shelf, name: &EntryName, payload: &[u8]) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new_keyed(key.sealing());
    hash_part(&mut hasher, shelf.folder().as_bytes());
    hasher.update(&name.0);
    hasher.update(&(payload.len() as u64).to_le_bytes());
    hasher.update(payload);
    hasher.finalize()
}

/// The header of an entry holding `payload`: the entry is the header,
/// then the payload (written apart, so a large payload is not copied).
pub fn header(key: &Key, shelf: Shelf, name: &EntryName, payload: &[u8]) -> [u8; HEADER_BYTES] {
    let mut header = [0; HEADER_BYTES];
    header[..8].copy_from_slice(MAGIC);
    header[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    header[12..20].copy_from_slice(&(payload.len() as u64).to_le_bytes());
    header[20..].copy_from_slice(seal_of(key, shelf, name, payload).as_bytes());
    header
}

/// The payload of an entry's bytes, if they are whole and sealed with this
/// key for this name.
pub fn open<'b>(key: &Key, shelf: Shelf, name: &EntryName, bytes: &'b [u8]) -> Option<&'b [u8]> {
    let header = bytes.get(..HEADER_BYTES)?;
    let payload = &bytes[HEADER_BYTES..];
    if &header[..8] != MAGIC || header[8..12] != FORMAT_VERSION.to_le_bytes() {
        return None;
    }
    let length = u64::from_le_bytes(header[12..20].try_into().ok()?);
    if length != payload.len() as u64 {
        return None;
    }
    let seal: [u8; 32] = header[20..52].try_into().ok()?;
    // `Hash`'s equality is constant-time.
    (seal_of(key, shelf, name, payload) == blake3::Hash::from(seal)).then_some(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_whole_entry_sealed_with_the_key_opens() {
        let key = Key::from_bytes([7; 32]);
        let other = Key::from_bytes([8; 32]);
        let name = EntryName::derive(&key, Shelf::Facts, &[b"a"]);
        let mut bytes = header(&key, Shelf::Facts, &name, b"payload").to_vec();
        bytes.extend_from_slice(b"payload");
        assert_eq!(
            open(&key, Shelf::Facts, &name, &bytes),
            Some(&b"payload"[..])
        );
        // Another key, shelf, name; truncated; a flipped bit; a version.
        assert_eq!(open(&other, Shelf::Facts, &name, &bytes), None);
        assert_eq!(open(&key, Shelf::Workspace, &name, &bytes), None);
        let elsewhere = EntryName::derive(&key, Shelf::Facts, &[b"b"]);
        assert_eq!(open(&key, Shelf::Facts, &elsewhere, &bytes), None);
        for cut in 0..bytes.len() {
            assert_eq!(open(&key, Shelf::Facts, &name, &bytes[..cut]), None);
        }
        for at in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 1;
            assert_eq!(open(&key, Shelf::Facts, &name, &flipped), None);
        }
        let mut future = bytes.clone();
        future[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        assert_eq!(open(&key, Shelf::Facts, &name, &future), None);
    }

    #[test]
    fn names_depend_on_every_part_and_its_bounds() {
        let key = Key::from_bytes([1; 32]);
        let a = EntryName::derive(&key, Shelf::Facts, &[b"ab", b"c"]);
        let b = EntryName::derive(&key, Shelf::Facts, &[b"a", b"bc"]);
        assert_ne!(a, b);
        assert!(EntryName::is_entry_file_name(&a.file_name()));
        assert!(!EntryName::is_entry_file_name(".tmpabc"));
    }
}
