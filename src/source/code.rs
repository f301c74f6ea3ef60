//! What one module's own code declares and mentions, before name resolution.
//! Extraction fills these from syn; the tree and the resolver read them.

use std::collections::BTreeMap;
use std::ops::Range;

use super::Via;

/// A path as written: `::a::b`, `crate::x`, `super::y::Z`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPath {
    pub leading_colon: bool,
    pub segments: Vec<String>,
}

/// One module's code. An inline module's code is its own, not its parent's.
#[derive(Debug, Default)]
pub struct ModuleCode {
    /// Items declared here (not modules): name → visible outside (`pub`).
    pub items: BTreeMap<String, bool>,
    pub children: Vec<ModDecl>,
    pub imports: Vec<Import>,
    pub globs: Vec<Glob>,
    pub extern_crates: Vec<ExternCrate>,
    pub refs: Vec<RawRef>,
    /// Bytes of the test-only items left out (`#[cfg(test)] mod tests`), so
    /// suppression comments inside them are not taken for unused ones.
    pub skipped: Vec<Range<usize>>,
}

#[derive(Debug)]
pub struct ModDecl {
    pub name: String,
    pub path_attr: Option<String>,
    /// Files named by `#[cfg_attr(.., path = "..")]`, in order.
    pub cfg_paths: Vec<String>,
    pub is_pub: bool,
    /// `Some` for `mod x { ... }`, `None` for `mod x;`.
    pub inline: Option<ModuleCode>,
    /// Bytes of the declaration's name, for warnings.
    pub name_bytes: Range<usize>,
}

/// `use a::b as c;` binds `c` to `a::b`.
#[derive(Debug)]
pub struct Import {
    pub name: String,
    pub path: RawPath,
    pub is_pub: bool,
}

/// `use a::b::*;`
#[derive(Debug)]
pub struct Glob {
    pub path: RawPath,
    pub is_pub: bool,
}

/// `extern crate foo as bar;` binds `bar` to the crate `foo` (`self` for the
/// current crate).
#[derive(Debug)]
pub struct ExternCrate {
    pub name: String,
    pub krate: String,
    pub is_pub: bool,
}

/// A located mention of a path.
#[derive(Debug)]
pub struct RawRef {
    pub path: RawPath,
    pub via: Via,
    pub bytes: Range<usize>,
}

impl ModuleCode {
    /// Adds everything `other` declares and mentions to `self` (for items
    /// found inside macro invocations, and modules declared twice under
    /// opposite cfgs).
    pub fn merge(&mut self, other: ModuleCode) {
        for (name, is_pub) in other.items {
            *self.items.entry(name).or_insert(false) |= is_pub;
        }
        self.children.extend(other.children);
        self.imports.extend(other.imports);
        self.globs.extend(other.globs);
        self.extern_crates.extend(other.extern_crates);
        self.refs.extend(other.refs);
        self.skipped.extend(other.skipped);
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
}
