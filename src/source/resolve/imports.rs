//! What each import binds, resolved once: in a fixed order, through other
//! imports, with cycles skipped and chains deeper than the stack allows
//! resolved from their far end.

use super::paths::{Exclude, Resolver};
use super::tables::{ImportId, Res};
use crate::source::code::{Namespace, Position};

/// Imports resolve through imports (`use crate::a; use a::b;`), by
/// recursion at most this deep; a longer chain (only hostile code has one)
/// is resolved from its far end, see [`Resolver::finish_imports`].
const MAX_IMPORT_DEPTH: usize = 256;

/// What an import binds: its path resolved in the type namespace (where it
/// may name a module) and in the others.
#[derive(Debug, Clone, Default)]
pub struct ImportRes {
    pub ty: Option<Res>,
    pub other: Option<Res>,
}

impl ImportRes {
    pub(super) fn get(&self, ns: Namespace) -> Option<&Res> {
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

impl Resolver<'_> {
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

    fn is_done(&self, id: ImportId) -> bool {
        match &self.imports {
            Imports::Done(_) => true,
            Imports::Resolving(states) => matches!(states[id], ImportState::Done(_)),
        }
    }

    /// Makes sure import `id` is resolved; false on a cycle, or when the
    /// depth limit cut its resolution short (it is then left to do).
    pub(super) fn import(&mut self, id: ImportId) -> bool {
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
