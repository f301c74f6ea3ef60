//! What one module's own code declares and mentions, before name resolution.
//! Extraction fills these from syn; the tree and the resolver read them.
//! They derive serde's traits because the cache keeps them per file.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::kept_refs::{KeptRefs, Refs};
use super::Via;
use crate::location::Span;

/// A path as written: `::a::b`, `crate::x`, `super::y::Z`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawPath {
    pub leading_colon: bool,
    pub segments: Segments,
}

/// The segments of a path as written, kept as one `a::b::c` string: one
/// allocation per path, not one per segment plus one for the list (raw
/// paths are most of what parsing keeps). A segment is an identifier, so
/// `::` never occurs inside one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Segments(Box<str>);

impl Segments {
    /// The segments in order.
    pub fn iter(&self) -> SegmentIter<'_> {
        SegmentIter(&self.0)
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn first(&self) -> Option<&str> {
        self.iter().next()
    }

    /// `a::b::c`.
    pub fn joined(&self) -> &str {
        &self.0
    }
}

/// The segments of a [`Segments`]: the runs between `:` bytes. A segment
/// is an identifier, so this finds the same ones as splitting on `::`,
/// with a loop over a few bytes where a `str` pattern starts a search per
/// segment (resolution walks every reference's segments).
#[derive(Clone)]
pub struct SegmentIter<'a>(&'a str);

impl<'a> Iterator for SegmentIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.0.as_bytes();
        let start = bytes.iter().position(|&b| b != b':')?;
        let len = (bytes[start..].iter())
            .position(|&b| b == b':')
            .unwrap_or(bytes.len() - start);
        // `:` is one byte: both cuts are character boundaries.
        let segment = &self.0[start..start + len];
        self.0 = &self.0[start + len..];
        Some(segment)
    }
}

impl<S: AsRef<str>> FromIterator<S> for Segments {
    fn from_iter<I: IntoIterator<Item = S>>(segments: I) -> Segments {
        let mut joined = String::new();
        for segment in segments {
            if !joined.is_empty() {
                joined.push_str("::");
            }
            joined.push_str(segment.as_ref());
        }
        Segments(joined.into_boxed_str())
    }
}

/// The namespaces rustc keeps apart: a module and a function may share a
/// name because one is a type and the other a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Namespace {
    /// Modules, types, traits (and extern crates).
    Type,
    /// Functions, constants, statics, unit and tuple struct constructors.
    Value,
    /// Macros, attributes and derives.
    Macro,
}

impl Namespace {
    pub const ALL: [Namespace; 3] = [Namespace::Type, Namespace::Value, Namespace::Macro];

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A set of namespaces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Namespaces(u8);

impl Namespaces {
    pub const NONE: Namespaces = Namespaces(0);
    pub const ALL: Namespaces = Namespaces(0b111);

    pub fn of(ns: Namespace) -> Namespaces {
        Namespaces(1 << ns.index())
    }

    pub fn with(self, ns: Namespace) -> Namespaces {
        Namespaces(self.0 | Namespaces::of(ns).0)
    }

    pub fn union(self, other: Namespaces) -> Namespaces {
        Namespaces(self.0 | other.0)
    }

    pub fn minus(self, other: Namespaces) -> Namespaces {
        Namespaces(self.0 & !other.0)
    }

    pub fn contains(self, ns: Namespace) -> bool {
        self.0 & Namespaces::of(ns).0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// What the last segment of a path asks for, by where the path is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Position {
    /// A type, bound, impl header, struct literal or struct pattern.
    Type,
    /// An expression, a tuple-struct or unit pattern: a call or a value.
    Value,
    /// A macro invocation, an attribute or a derive.
    Macro,
    /// A `use` leaf: it brings every namespace the name has.
    Import,
    /// A path-like token run in macro arguments: nobody knows.
    Unknown,
}

/// An item declared in a module (not a module): the namespaces it occupies
/// and those in which it is visible outside (`pub`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemDecl {
    pub namespaces: Namespaces,
    pub public: Namespaces,
}

impl ItemDecl {
    pub fn new(namespaces: Namespaces, is_pub: bool) -> ItemDecl {
        ItemDecl {
            namespaces,
            public: if is_pub { namespaces } else { Namespaces::NONE },
        }
    }

    pub fn merge(&mut self, other: ItemDecl) {
        self.namespaces = self.namespaces.union(other.namespaces);
        self.public = self.public.union(other.public);
    }
}

/// One module's code. An inline module's code is its own, not its parent's.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ModuleCode {
    /// Items declared here (not modules), by name.
    pub items: BTreeMap<String, ItemDecl>,
    pub children: Vec<ModDecl>,
    pub imports: Vec<Import>,
    pub globs: Vec<Glob>,
    pub extern_crates: Vec<ExternCrate>,
    /// The references extracted by this run. The cache keeps references
    /// apart from the rest (`kept_refs`), hence not serialized here.
    #[serde(skip)]
    pub refs: Vec<RawRef>,
    /// The references read from the cache, decoded when resolution needs
    /// them.
    #[serde(skip)]
    pub kept_refs: Vec<KeptRefs>,
    /// Bytes of the test-only items left out (`#[cfg(test)] mod tests`), so
    /// suppression comments inside them are not taken for unused ones.
    pub skipped: Vec<Range<usize>>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ModDecl {
    pub name: String,
    pub path_attr: Option<String>,
    /// Files named by `#[cfg_attr(.., path = "..")]`, in order.
    pub cfg_paths: Vec<String>,
    pub is_pub: bool,
    /// `Some` for `mod x { ... }`, `None` for `mod x;`.
    pub inline: Option<ModuleCode>,
    /// Where the declaration's name is, for warnings.
    pub name_span: Span,
}

/// `use a::b as c;` binds `c` to `a::b`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Import {
    pub name: String,
    pub path: RawPath,
    pub is_pub: bool,
}

/// `use a::b::*;`
#[derive(Debug, Serialize, Deserialize)]
pub struct Glob {
    pub path: RawPath,
    pub is_pub: bool,
}

/// `extern crate foo as bar;` binds `bar` to the crate `foo` (`self` for the
/// current crate).
#[derive(Debug, Serialize, Deserialize)]
pub struct ExternCrate {
    pub name: String,
    pub krate: String,
    pub is_pub: bool,
}

/// A located mention of a path.
#[derive(Debug, Serialize, Deserialize)]
pub struct RawRef {
    pub path: RawPath,
    pub via: Via,
    pub position: Position,
    pub span: Span,
}

impl ModuleCode {
    /// Declares an item named `name`.
    pub fn declare(&mut self, name: String, item: ItemDecl) {
        self.items.entry(name).or_default().merge(item);
    }

    /// Adds everything `other` declares and mentions to `self` (for items
    /// found inside macro invocations, and modules declared twice under
    /// opposite cfgs).
    pub fn merge(&mut self, other: ModuleCode) {
        for (name, item) in other.items {
            self.items.entry(name).or_default().merge(item);
        }
        self.children.extend(other.children);
        self.imports.extend(other.imports);
        self.globs.extend(other.globs);
        self.extern_crates.extend(other.extern_crates);
        self.refs.extend(other.refs);
        self.kept_refs.extend(other.kept_refs);
        self.skipped.extend(other.skipped);
    }

    /// Gives back the room the references grew into: a file's references
    /// are kept until resolution, alongside every other file's.
    pub fn fit(&mut self) {
        self.refs.shrink_to_fit();
        for child in &mut self.children {
            if let Some(code) = &mut child.inline {
                code.fit();
            }
        }
    }

    /// How many references this module has, extracted or kept.
    pub fn refs_len(&self) -> usize {
        self.refs.len() + self.kept_refs.iter().map(KeptRefs::len).sum::<usize>()
    }

    /// This module's references, extracted or kept, taken out.
    pub fn take_refs(&mut self) -> Refs {
        Refs {
            raw: std::mem::take(&mut self.refs),
            kept: std::mem::take(&mut self.kept_refs),
        }
    }

    /// The skipped ranges of this code and of its inline modules.
    pub fn all_skipped(&self) -> Vec<Range<usize>> {
        let mut ranges = self.skipped.clone();
        for child in &self.children {
            if let Some(code) = &child.inline {
                ranges.extend(code.all_skipped());
            }
        }
        ranges
    }

    /// Changes every skipped range of this code and of its inline modules.
    pub fn each_skipped_mut(&mut self, change: &mut impl FnMut(&mut Range<usize>)) {
        self.skipped.iter_mut().for_each(&mut *change);
        for child in &mut self.children {
            if let Some(code) = &mut child.inline {
                code.each_skipped_mut(change);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Segments;

    #[test]
    fn segments_read_back_as_written() {
        let path: Segments = ["crate", "billing", "r#type", "ünï"].into_iter().collect();
        assert_eq!(path.joined(), "crate::billing::r#type::ünï");
        assert_eq!(
            path.iter().collect::<Vec<_>>(),
            ["crate", "billing", "r#type", "ünï"]
        );
        assert_eq!((path.len(), path.first()), (4, Some("crate")));
        let empty: Segments = std::iter::empty::<&str>().collect();
        assert!(empty.is_empty());
        assert_eq!((empty.len(), empty.first()), (0, None));
    }
}
