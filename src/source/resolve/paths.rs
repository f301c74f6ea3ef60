//! Path resolution by lookups in the finished tables: `crate::`, `self::`,
//! `super::` and leading `::` walk the module tree; a plain first segment
//! is looked up in the module's scope (its own names, then its imports,
//! then its globs, then the extern prelude); the last segment is taken in
//! the namespace its position asks for.

use rustc_hash::FxHashMap;

use super::exports::{Entry, Exports};
use super::symbols::Sym;
use super::tables::{Base, GlobId, ImportId, PathSyms, Res, ResId, Tables};
use crate::source::code::{Namespace, Position};
use crate::source::ModuleId;
use crate::workspace::Edition;

/// Imports resolve through imports (`use crate::a; use a::b;`); a chain
/// deeper than this is given up on, which only hostile code reaches.
const MAX_IMPORT_DEPTH: usize = 256;

/// Where each module's globs import from, once resolved.
#[derive(Debug, Default)]
pub struct GlobSources {
    pub by_module: Vec<Vec<GlobSource>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GlobSource {
    pub module: ModuleId,
    /// `use super::*` and the like: the ancestor's private names and
    /// imports are in scope too.
    pub ancestor: bool,
}

/// What an import binds: its path resolved in the type namespace (where it
/// may name a module) and in the others.
#[derive(Debug, Clone, Default)]
pub struct ImportRes {
    pub ty: Option<Res>,
    pub other: Option<Res>,
}

impl ImportRes {
    fn get(&self, ns: Namespace) -> Option<&Res> {
        match ns {
            Namespace::Type => self.ty.as_ref(),
            _ => self.other.as_ref(),
        }
    }
}

#[derive(Debug)]
pub enum ImportState {
    Todo,
    Busy,
    Done(ImportRes),
}

/// Imports are resolved on demand while the tables are being finished,
/// then read from a finished list.
pub enum Imports<'t> {
    Resolving(Vec<ImportState>),
    Done(&'t [ImportRes]),
}

/// A meaning found by a lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Res(ResId),
    /// What an import binds, in the type namespace or in the others.
    Import(ImportId, bool),
}

/// The outcome of looking a name up in one namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookup {
    Absent,
    Found(Found),
    /// Ambiguous, or imports that disagree: the name is there but its
    /// meaning is unsure, so nothing further (the prelude) is tried.
    Blocked,
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
    t: &'t Tables,
    globs: &'t GlobSources,
    exports: &'t Exports,
    imports: Imports<'t>,
    /// Scope lookups (without the extern prelude) already done.
    memo: FxHashMap<(ModuleId, Sym, Namespace), Lookup>,
    depth: usize,
    /// How many times the import depth limit cut a resolution short:
    /// results computed meanwhile are not remembered.
    cuts: usize,
    /// The first import the depth limit kept from being entered.
    deferred: Option<ImportId>,
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

    /// Resolves every import (in a fixed order) and returns what each binds.
    /// A chain of imports deeper than the stack may take is resolved from
    /// the far end first: each time the depth limit cuts, the import it
    /// stopped at is resolved on its own, then the cut one again.
    pub fn finish_imports(mut self) -> Vec<ImportRes> {
        for id in 0..self.t.imports.len() {
            let mut pending = vec![id];
            while let Some(&next) = pending.last() {
                if self.is_done(next) {
                    pending.pop();
                    continue;
                }
                self.deferred = None;
                self.import(next);
                match self.deferred.take() {
                    Some(deeper) if !self.is_done(next) && !pending.contains(&deeper) => {
                        pending.push(deeper)
                    }
                    _ => {
                        pending.pop();
                    }
                }
            }
        }
        match self.imports {
            Imports::Resolving(states) => states
                .into_iter()
                .map(|state| match state {
                    ImportState::Done(res) => res,
                    _ => ImportRes::default(),
                })
                .collect(),
            Imports::Done(done) => done.to_vec(),
        }
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

    fn same(&self, a: Found, b: Found) -> bool {
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

    /// Looks `name` up in `module`'s scope, in the namespaces `position`
    /// asks for, then in the extern prelude.
    fn lookup(
        &mut self,
        module: ModuleId,
        name: Sym,
        position: Position,
        exclude: Option<Exclude>,
    ) -> Option<Found> {
        let namespaces: &[Namespace] = match position {
            Position::Type => &[Namespace::Type],
            Position::Value => &[Namespace::Value],
            Position::Macro => &[Namespace::Macro],
            Position::Import | Position::Unknown => &Namespace::ALL,
        };
        let mut found: Option<Found> = None;
        let mut blocked = false;
        let cuts = self.cuts;
        for &ns in namespaces {
            if self.cuts != cuts {
                return None;
            }
            match self.scope(module, name, ns, exclude) {
                Lookup::Absent => {}
                Lookup::Blocked => blocked = true,
                Lookup::Found(f) => match found {
                    None => found = Some(f),
                    // Where the position does not tell, two meanings are
                    // one too many.
                    Some(g) if !self.same(f, g) => return None,
                    Some(_) => {}
                },
            }
            if position == Position::Import && found.is_some() {
                break;
            }
        }
        if blocked && (found.is_none() || position == Position::Unknown) {
            return None;
        }
        found.or_else(|| self.t.prelude(module, name).map(Found::Res))
    }

    /// A name in one namespace of `module`'s scope, without the extern
    /// prelude. Globs from ancestors need the ancestor's scope: those are
    /// evaluated with an explicit stack (the module tree may be deep).
    fn scope(
        &mut self,
        module: ModuleId,
        name: Sym,
        ns: Namespace,
        exclude: Option<Exclude>,
    ) -> Lookup {
        let exclude = exclude.filter(|e| e.module == module);
        if exclude.is_none() {
            if let Some(&known) = self.memo.get(&(module, name, ns)) {
                return known;
            }
        }
        let cuts = self.cuts;
        if let Some(decided) = self.own_scope(module, name, ns, exclude) {
            if exclude.is_none() && self.cuts == cuts {
                self.memo.insert((module, name, ns), decided);
            }
            return decided;
        }
        let globs = self.globs;
        if !globs.by_module[module].iter().any(|g| g.ancestor) {
            let joined = self.join_globs(module, name, ns, &FxHashMap::default());
            if exclude.is_none() && self.cuts == cuts {
                self.memo.insert((module, name, ns), joined);
            }
            return joined;
        }
        let mut values: FxHashMap<ModuleId, Lookup> = FxHashMap::default();
        let mut stack = vec![module];
        while let Some(&top) = stack.last() {
            if values.contains_key(&top) {
                stack.pop();
                continue;
            }
            if top != module {
                if let Some(&known) = self.memo.get(&(top, name, ns)) {
                    values.insert(top, known);
                    stack.pop();
                    continue;
                }
                if let Some(decided) = self.own_scope(top, name, ns, None) {
                    values.insert(top, decided);
                    stack.pop();
                    continue;
                }
            }
            let missing: Vec<ModuleId> = globs.by_module[top]
                .iter()
                .filter(|g| g.ancestor && !values.contains_key(&g.module))
                .map(|g| g.module)
                .collect();
            if missing.is_empty() {
                let joined = self.join_globs(top, name, ns, &values);
                values.insert(top, joined);
                stack.pop();
            } else {
                stack.extend(missing);
            }
        }
        let result = values[&module];
        if self.cuts == cuts {
            for (m, value) in values {
                if m != module || exclude.is_none() {
                    self.memo.insert((m, name, ns), value);
                }
            }
        }
        result
    }

    /// What `module` binds itself under `name` in `ns` (followed through
    /// its imports), or `None` when its globs must be asked.
    fn own_scope(
        &mut self,
        module: ModuleId,
        name: Sym,
        ns: Namespace,
        exclude: Option<Exclude>,
    ) -> Option<Lookup> {
        let t = self.t;
        if let Some(local) = t.local_of(module, name) {
            if let (Namespace::Type, Some(child)) = (ns, local.child) {
                return Some(Lookup::Found(Found::Res(t.modules[child].own)));
            }
            if local.item.namespaces.contains(ns) {
                return Some(Lookup::Found(Found::Res(local.own)));
            }
            let imports = local.imports().filter(|&id| {
                t.imports[id].occupies.contains(ns)
                    && !exclude.is_some_and(|e| is_excluded(&t.imports[id].path, e))
            });
            if let Some(agreed) = self.agree(imports, ns) {
                return Some(agreed);
            }
            if let (Namespace::Type, Some((krate, _))) = (ns, local.extern_crate) {
                return Some(Lookup::Found(Found::Res(krate)));
            }
        }
        if self.globs.by_module[module].is_empty() {
            return Some(Lookup::Absent);
        }
        None
    }

    /// Imports of one name resolve only when they all agree (two imports of
    /// one name under opposite cfgs may mean different things).
    /// `None` when there are no such imports.
    fn agree(&mut self, imports: impl Iterator<Item = ImportId>, ns: Namespace) -> Option<Lookup> {
        let mut found: Option<Found> = None;
        for id in imports {
            if !self.import(id) {
                return Some(Lookup::Blocked);
            }
            let ty = ns == Namespace::Type;
            let this = Found::Import(id, ty);
            let present = match &self.imports {
                Imports::Done(done) => done[id].get(ns).is_some(),
                Imports::Resolving(states) => {
                    matches!(&states[id], ImportState::Done(r) if r.get(ns).is_some())
                }
            };
            if !present {
                return Some(Lookup::Blocked);
            }
            match found {
                None => found = Some(this),
                Some(other) if !self.same(this, other) => return Some(Lookup::Blocked),
                Some(_) => {}
            }
        }
        found.map(Lookup::Found)
    }

    /// The meanings `module`'s globs bring for `name`: ancestors' from
    /// `values`, the others' from their exports.
    fn join_globs(
        &self,
        module: ModuleId,
        name: Sym,
        ns: Namespace,
        values: &FxHashMap<ModuleId, Lookup>,
    ) -> Lookup {
        let mut found: Option<Found> = None;
        for source in &self.globs.by_module[module] {
            let brought = if source.ancestor {
                values[&source.module]
            } else {
                match self.exports.get(source.module, name, ns) {
                    Entry::Absent => Lookup::Absent,
                    Entry::One(res) => Lookup::Found(Found::Res(res)),
                    Entry::Ambiguous => Lookup::Blocked,
                }
            };
            match brought {
                Lookup::Absent => {}
                Lookup::Blocked => return Lookup::Blocked,
                Lookup::Found(f) => match found {
                    None => found = Some(f),
                    Some(g) if !self.same(f, g) => return Lookup::Blocked,
                    Some(_) => {}
                },
            }
        }
        found.map_or(Lookup::Absent, Lookup::Found)
    }

    fn is_done(&self, id: ImportId) -> bool {
        match &self.imports {
            Imports::Done(_) => true,
            Imports::Resolving(states) => matches!(states[id], ImportState::Done(_)),
        }
    }

    /// Makes sure import `id` is resolved; false on a cycle, or when the
    /// depth limit cut its resolution short (it is then left to do).
    fn import(&mut self, id: ImportId) -> bool {
        let Imports::Resolving(states) = &mut self.imports else {
            return true;
        };
        match states[id] {
            ImportState::Done(_) => return true,
            ImportState::Busy => return false,
            ImportState::Todo if self.depth >= MAX_IMPORT_DEPTH => {
                self.cuts += 1;
                self.deferred.get_or_insert(id);
                return false;
            }
            ImportState::Todo => states[id] = ImportState::Busy,
        }
        let cuts = self.cuts;
        let resolved = {
            self.depth += 1;
            let t = self.t;
            let import = &t.imports[id];
            let exclude = Exclude {
                module: import.module,
                leading_colon: import.path.leading_colon,
                segments: &import.path.segments,
            };
            let resolve = |this: &mut Self, position| {
                if this.cuts != cuts {
                    // Once the depth limit has cut, the import is redone
                    // anyway: going on would walk the same chain again.
                    return None;
                }
                // An import's own path never resolves through itself.
                let resolved = this.path(
                    import.module,
                    import.path.leading_colon,
                    &import.path.segments,
                    true,
                    position,
                    Some(exclude),
                )?;
                this.to_res(resolved, &import.path.segments)
            };
            let ty = resolve(self, Position::Type);
            let other = resolve(self, Position::Value);
            self.depth -= 1;
            ImportRes { ty, other }
        };
        let cut = self.cuts != cuts;
        if let Imports::Resolving(states) = &mut self.imports {
            states[id] = if cut {
                ImportState::Todo
            } else {
                ImportState::Done(resolved)
            };
        }
        !cut
    }
}

fn is_excluded(path: &PathSyms, exclude: Exclude) -> bool {
    path.leading_colon == exclude.leading_colon && *path.segments == *exclude.segments
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
