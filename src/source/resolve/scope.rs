//! Looking a name up in a module's scope: its own names, then its imports,
//! then its globs (what other modules export, or an ancestor's whole scope
//! for `use super::*`), then the extern prelude.

use rustc_hash::FxHashMap;

use super::exports::Entry;
use super::imports::{ImportState, Imports};
use super::paths::{Exclude, Found, Resolver};
use super::symbols::Sym;
use super::tables::{ImportId, PathSyms};
use crate::source::code::{Namespace, Position};
use crate::source::ModuleId;

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

/// The outcome of looking a name up in one namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    Absent,
    Found(Found),
    /// Ambiguous, or imports that disagree: the name is there but its
    /// meaning is unsure, so nothing further (the prelude) is tried.
    Blocked,
}

impl Resolver<'_> {
    /// Looks `name` up in `module`'s scope, in the namespaces `position`
    /// asks for, then in the extern prelude.
    pub(super) fn lookup(
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
    pub(super) fn scope(
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
}

fn is_excluded(path: &PathSyms, exclude: Exclude) -> bool {
    path.leading_colon == exclude.leading_colon && *path.segments == *exclude.segments
}
