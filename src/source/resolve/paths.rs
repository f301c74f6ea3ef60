//! Path resolution by lookups in the finished tables: `crate::`, `self::`,
//! `super::` and leading `::` walk the module tree; a plain first segment
//! is looked up in the module's scope (`scope`); the last segment is taken
//! in the namespace its position asks for.

use rustc_hash::FxHashMap;

use super::exports::Exports;
use super::imports::{ImportState, Imports};
use super::scope::{GlobSources, Lookup};
use super::symbols::Sym;
use super::tables::{Base, GlobId, ImportId, Res, ResId, Tables};
use crate::source::code::{Namespace, Position};
use crate::source::ModuleId;
use crate::workspace::Edition;

/// A meaning found by a lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Res(ResId),
    /// What an import binds, in the type namespace or in the others.
    Import(ImportId, bool),
}

/// The start of a resolved path.
#[derive(Debug, Clone, Copy)]
pub enum Head {
    Module(ModuleId),
    Bound(Found),
}

/// A resolved path: `head`, then the written segments from `tail` on.
#[derive(Debug, Clone, Copy)]
pub struct Resolved {
    pub head: Head,
    pub tail: usize,
}

/// The path of a `use` being resolved: its own imports are not in scope
/// for it (`use serde;` reaches the crate, not itself).
#[derive(Debug, Clone, Copy)]
pub struct Exclude<'p> {
    pub module: ModuleId,
    pub leading_colon: bool,
    pub segments: &'p [Option<Sym>],
}

/// How a walk through the module tree began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    /// At `self::` or a 2015 crate-relative path: a name that is no child
    /// is looked up in the module's scope.
    InScope,
    /// At `crate::` or `super::`.
    Written,
    /// At a module a name was found to mean.
    Found,
}

enum Descend {
    Yes,
    No,
    /// The name is a child module and something else too, and the position
    /// does not say which.
    Unsure,
}

pub struct Resolver<'t> {
    pub(super) t: &'t Tables,
    pub(super) globs: &'t GlobSources,
    pub(super) exports: &'t Exports,
    pub(super) imports: Imports<'t>,
    /// Scope lookups (without the extern prelude) already done.
    pub(super) memo: FxHashMap<(ModuleId, Sym, Namespace), Lookup>,
    pub(super) depth: usize,
    /// How many times the import depth limit cut a resolution short:
    /// results computed meanwhile are not remembered.
    pub(super) cuts: usize,
    /// The first import the depth limit kept from being entered.
    pub(super) deferred: Option<ImportId>,
}

impl<'t> Resolver<'t> {
    pub fn new(
        t: &'t Tables,
        globs: &'t GlobSources,
        exports: &'t Exports,
        imports: Imports<'t>,
    ) -> Resolver<'t> {
        Resolver {
            t,
            globs,
            exports,
            imports,
            memo: FxHashMap::default(),
            depth: 0,
            cuts: 0,
            deferred: None,
        }
    }

    /// Forgets the lookups done so far (keeping the memory for the next).
    pub fn forget(&mut self) {
        self.memo.clear();
    }

    pub fn res_of(&self, found: Found) -> &Res {
        match found {
            Found::Res(id) => self.t.res(id),
            Found::Import(id, ty) => {
                let ns = if ty {
                    Namespace::Type
                } else {
                    Namespace::Value
                };
                let res = match &self.imports {
                    Imports::Done(done) => done[id].get(ns),
                    Imports::Resolving(states) => match &states[id] {
                        ImportState::Done(res) => res.get(ns),
                        _ => None,
                    },
                };
                res.expect("a found import is resolved")
            }
        }
    }

    pub(super) fn same(&self, a: Found, b: Found) -> bool {
        a == b || self.res_of(a) == self.res_of(b)
    }

    /// The whole path a resolution stands for, as interned segments.
    pub fn to_res(&self, resolved: Resolved, segments: &[Option<Sym>]) -> Option<Res> {
        let tail: Option<Vec<Sym>> = segments[resolved.tail..].iter().copied().collect();
        let tail = tail?;
        Some(match resolved.head {
            Head::Module(m) => Res::new(Base::Module(m), tail),
            Head::Bound(found) => {
                let res = self.res_of(found);
                let mut rest = res.rest().to_vec();
                rest.extend(tail);
                Res::new(res.base(), rest)
            }
        })
    }

    /// The base and the segments a resolution starts with.
    pub fn head_res(&self, head: Head) -> (Base, &[Sym]) {
        match head {
            Head::Module(m) => (Base::Module(m), &[]),
            Head::Bound(found) => {
                let res = self.res_of(found);
                (res.base(), res.rest())
            }
        }
    }

    /// Resolves a path written in `module`. `is_use` selects the 2015
    /// crate-relative reading of `use` paths.
    pub fn path(
        &mut self,
        module: ModuleId,
        leading_colon: bool,
        segments: &[Option<Sym>],
        is_use: bool,
        position: Position,
        exclude: Option<Exclude>,
    ) -> Option<Resolved> {
        let t = self.t;
        let kw = t.kw;
        let first = *segments.first()?;
        let edition = t.edition(module);
        if leading_colon {
            return match edition {
                Edition::E2015 => {
                    let root = t.root_of(module)?;
                    self.walk(root, segments, 0, Start::InScope, position, module, exclude)
                }
                Edition::E2018OrLater => {
                    let krate = t.prelude(module, first?)?;
                    self.then(Found::Res(krate), segments, 1, position, module)
                }
            };
        }
        match first {
            Some(s) if s == kw.krate => {
                let root = t.root_of(module)?;
                self.walk(root, segments, 1, Start::Written, position, module, None)
            }
            Some(s) if s == kw.self_ => self.walk(
                module,
                segments,
                1,
                Start::InScope,
                position,
                module,
                exclude,
            ),
            Some(s) if s == kw.super_ => {
                let mut current = module;
                let mut i = 0;
                while segments.get(i) == Some(&Some(kw.super_)) {
                    current = t.modules[current].parent?;
                    i += 1;
                }
                self.walk(current, segments, i, Start::Written, position, module, None)
            }
            Some(s) if s == kw.self_type || s == kw.dollar_crate => None,
            _ if edition == Edition::E2015 && is_use => {
                let root = t.root_of(module)?;
                self.walk(root, segments, 0, Start::InScope, position, module, exclude)
            }
            _ => {
                let position = if segments.len() > 1 {
                    Position::Type
                } else {
                    position
                };
                let found = self.lookup(module, first?, position, exclude)?;
                self.then(found, segments, 1, position, module)
            }
        }
    }

    /// Descends from `start` through child modules (the last segment only
    /// where its position allows). The first segment that is not a child
    /// is looked up in scope if `Start::InScope` and nothing was descended,
    /// followed through the module's `extern crate` items if
    /// `Start::Written` (`crate::serde::X`), and otherwise kept as written:
    /// an item or re-export of the module reached, which is where the path
    /// is attributed (`grep::printer::X` through grep's `pub extern crate
    /// grep_printer as printer;` is grep's).
    #[allow(clippy::too_many_arguments)]
    fn walk(
        &mut self,
        start: ModuleId,
        segments: &[Option<Sym>],
        from: usize,
        how: Start,
        position: Position,
        origin: ModuleId,
        exclude: Option<Exclude>,
    ) -> Option<Resolved> {
        let t = self.t;
        let mut current = start;
        let mut i = from;
        while i < segments.len() {
            let Some(segment) = segments[i] else { break };
            if segment == t.kw.super_ {
                current = t.modules[current].parent?;
                i += 1;
                continue;
            }
            let Some((child, is_pub)) = t.child(current, segment) else {
                break;
            };
            if i + 1 == segments.len() {
                match self.descend_last(current, segment, is_pub, position, origin) {
                    Descend::Yes => {}
                    Descend::No => break,
                    Descend::Unsure => return None,
                }
            }
            current = child;
            i += 1;
        }
        if i == segments.len() {
            return Some(Resolved {
                head: Head::Module(current),
                tail: i,
            });
        }
        let name = segments[i];
        if how == Start::InScope && current == start && i == from {
            let position = if i + 1 < segments.len() {
                Position::Type
            } else {
                position
            };
            let found = self.lookup(current, name?, position, exclude)?;
            return self.then(found, segments, i + 1, position, origin);
        }
        let extern_crate = name
            .filter(|_| how != Start::Found)
            .and_then(|name| t.local_of(current, name))
            .and_then(|local| local.extern_crate);
        if let Some((krate, _)) = extern_crate {
            return self.then(Found::Res(krate), segments, i + 1, position, origin);
        }
        Some(Resolved {
            head: Head::Module(current),
            tail: i,
        })
    }

    /// Goes on after a name was found: through a module, further down the
    /// tree; through anything else, as written.
    fn then(
        &mut self,
        found: Found,
        segments: &[Option<Sym>],
        next: usize,
        position: Position,
        origin: ModuleId,
    ) -> Option<Resolved> {
        let res = self.res_of(found);
        if let (Base::Module(module), true) = (res.base(), res.rest().is_empty()) {
            return self.walk(module, segments, next, Start::Found, position, origin, None);
        }
        Some(Resolved {
            head: Head::Bound(found),
            tail: next,
        })
    }

    /// Whether a path whose last segment names a child module of `parent`
    /// means that module.
    fn descend_last(
        &mut self,
        parent: ModuleId,
        name: Sym,
        is_pub: bool,
        position: Position,
        origin: ModuleId,
    ) -> Descend {
        match position {
            Position::Type => Descend::Yes,
            Position::Value | Position::Macro => Descend::No,
            // A private module is not importable from outside its
            // parent's subtree: such a `use` imports the other namespaces.
            Position::Import if is_pub || self.t.is_within(origin, parent) => Descend::Yes,
            Position::Import => Descend::No,
            Position::Unknown => {
                let other = [Namespace::Value, Namespace::Macro]
                    .into_iter()
                    .any(|ns| self.scope(parent, name, ns, None) != Lookup::Absent);
                if other {
                    Descend::Unsure
                } else {
                    Descend::Yes
                }
            }
        }
    }
}

impl Resolver<'_> {
    /// The module a glob imports from, if its path names one (other than
    /// the glob's own module); `Err` while its path does not resolve yet.
    pub fn glob_source(&mut self, glob: GlobId) -> Result<Option<ModuleId>, ()> {
        let t = self.t;
        let decl = &t.globs[glob];
        let resolved = self
            .path(
                decl.module,
                decl.path.leading_colon,
                &decl.path.segments,
                true,
                Position::Type,
                None,
            )
            .ok_or(())?;
        Ok(match resolved.head {
            Head::Module(m) if resolved.tail == decl.path.segments.len() && m != decl.module => {
                Some(m)
            }
            _ => None,
        })
    }
}
