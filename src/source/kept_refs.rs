//! Raw references as the cache keeps them: one file's, encoded apart from
//! its declarations and decoded only when resolution asks for them. A run
//! that reads a file's resolved references back never decodes (nor frees)
//! the tens of thousands of paths its files write.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::code::{ModuleCode, RawRef};

/// The references one module writes in one file, as a run holds them.
#[derive(Debug, Default)]
pub struct Refs {
    /// Extracted by this run.
    pub raw: Vec<RawRef>,
    /// Read from the cache, not decoded yet.
    pub kept: Vec<KeptRefs>,
}

impl Refs {
    /// How many references there are, without decoding any.
    pub fn len(&self) -> usize {
        self.raw.len() + self.kept.iter().map(KeptRefs::len).sum::<usize>()
    }

    /// Every reference, decoded.
    pub fn into_raw(self) -> Vec<RawRef> {
        let mut raw = self.raw;
        for kept in self.kept {
            raw.extend(kept.take());
        }
        raw
    }
}

/// One module's share of a file's encoded references.
#[derive(Debug)]
pub struct KeptRefs {
    file: Arc<EncodedRefs>,
    index: usize,
    len: usize,
}

impl KeptRefs {
    pub fn len(&self) -> usize {
        self.len
    }

    /// This module's references; the file's are decoded on the first ask.
    fn take(self) -> Vec<RawRef> {
        let mut decoded = self.file.decoded.lock().unwrap_or_else(|e| e.into_inner());
        if decoded.is_none() {
            // A record that does not decode was sealed by this tool, so it
            // cannot happen; no references is the safe answer anyway.
            *decoded = Some(postcard::from_bytes(&self.file.bytes).unwrap_or_default());
        }
        decoded
            .as_mut()
            .and_then(|lists| lists.get_mut(self.index))
            .map(std::mem::take)
            .unwrap_or_default()
    }
}

#[derive(Debug)]
struct EncodedRefs {
    bytes: Vec<u8>,
    decoded: Mutex<Option<Vec<Vec<RawRef>>>>,
}

/// A file's references as stored: each module's (the file's own, then its
/// inline modules' depth first, in declaration order), with their counts.
#[derive(Serialize, Deserialize)]
pub struct StoredRefs<B> {
    counts: Vec<usize>,
    /// `Vec<Vec<RawRef>>`, encoded.
    bytes: B,
}

/// Encoded bytes, written as one byte string rather than a sequence of
/// numbers (read back borrowed, as `&[u8]`).
pub struct ByteString(Vec<u8>);

impl Serialize for ByteString {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

/// Every module's references of `code`, in their stored form.
pub fn store(code: &ModuleCode) -> StoredRefs<ByteString> {
    let mut lists: Vec<&[RawRef]> = Vec::new();
    depth_first(code, &mut |code| lists.push(&code.refs));
    let counts = lists.iter().map(|list| list.len()).collect();
    StoredRefs {
        counts,
        bytes: ByteString(postcard::to_allocvec(&lists).unwrap_or_default()),
    }
}

/// Gives each module of `code` its share of the stored references, still
/// encoded. `None` when the counts do not fit the modules.
pub fn restore(code: &mut ModuleCode, stored: StoredRefs<&[u8]>) -> Option<()> {
    let StoredRefs { counts, bytes } = stored;
    share(code, counts, bytes.to_vec())
}

/// Replaces the references just extracted into `code` by `stored`, their
/// encoded form from [`store`]: until resolution decodes them, a module at
/// a time, they take a fraction of the room.
pub fn pack(code: &mut ModuleCode, stored: StoredRefs<ByteString>) {
    let StoredRefs { counts, bytes } = stored;
    // Even no list encodes to a byte: none means the encoding failed, and
    // the references stay as they are.
    if bytes.0.is_empty() {
        return;
    }
    if share(code, counts, bytes.0).is_some() {
        depth_first_mut(code, &mut |code| code.refs = Vec::new());
    }
}

/// Encodes the references just extracted into `code` in place, as
/// [`store`] then [`pack`] do for a cache entry: until resolution decodes
/// them, a module at a time, they take a fraction of the room.
pub fn encode(code: &mut ModuleCode) {
    let stored = store(code);
    pack(code, stored);
}

fn share(code: &mut ModuleCode, counts: Vec<usize>, bytes: Vec<u8>) -> Option<()> {
    let mut modules = 0;
    depth_first(code, &mut |_| modules += 1);
    if modules != counts.len() {
        return None;
    }
    let file = Arc::new(EncodedRefs {
        bytes,
        decoded: Mutex::new(None),
    });
    let mut index = 0;
    depth_first_mut(code, &mut |code| {
        let len = counts[index];
        if len > 0 {
            code.kept_refs.push(KeptRefs {
                file: file.clone(),
                index,
                len,
            });
        }
        index += 1;
    });
    Some(())
}

fn depth_first<'a>(code: &'a ModuleCode, visit: &mut impl FnMut(&'a ModuleCode)) {
    visit(code);
    for child in &code.children {
        if let Some(inline) = &child.inline {
            depth_first(inline, visit);
        }
    }
}

fn depth_first_mut(code: &mut ModuleCode, visit: &mut impl FnMut(&mut ModuleCode)) {
    visit(code);
    for child in &mut code.children {
        if let Some(inline) = &mut child.inline {
            depth_first_mut(inline, visit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::extract::ExtractOptions;

    /// Each module's references, in their `Debug` text (a module, then its
    /// inline modules depth first).
    fn decoded(code: &mut ModuleCode) -> Vec<String> {
        let mut lists = Vec::new();
        depth_first_mut(code, &mut |code| {
            lists.push(format!("{:?}", code.take_refs().into_raw()));
        });
        lists
    }

    #[test]
    fn packed_references_decode_to_the_extracted_ones() {
        let text = "use a::b;\nmod inner { fn f() { x::y(); } mod deeper { type T = z::W; } }\n\
                    fn g() -> c::D { e::f!(); todo!() }\n";
        let options = ExtractOptions {
            include_tests: false,
        };
        let mut extracted = super::super::parse::file_facts(text, options).code;
        let mut packed = super::super::parse::file_facts(text, options).code;
        let stored = store(&packed);
        pack(&mut packed, stored);
        assert!(packed.refs.is_empty(), "the raw references were replaced");
        let expected = decoded(&mut extracted);
        assert_eq!(expected.len(), 3);
        assert!(expected.iter().all(|refs| refs != "[]"));
        assert_eq!(decoded(&mut packed), expected);
    }
}
