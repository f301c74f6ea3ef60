//! What each module exports to glob imports (`use m::*` from elsewhere),
//! computed to a fixed point over the graph of public glob re-exports, as
//! rustc does: a module's public names, plus what its public globs bring
//! that it does not bind itself. A name two globs bring with different
//! meanings is ambiguous. A worklist propagates each change of one
//! (module, name, namespace) once to each glob importer, so the work is
//! about linear in glob edges × names, whatever cycles the globs form.

use rustc_hash::FxHashMap;

use super::symbols::Sym;
use super::tables::{Local, ResId, Tables};
use crate::source::code::Namespace;
use crate::source::ModuleId;

/// What a module exports under one name in one namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Absent,
    One(ResId),
    /// Two globs bring different meanings: using the name is an error in
    /// rustc, and a skip here.
    Ambiguous,
}

impl Entry {
    fn join(self, other: Entry) -> Entry {
        match (self, other) {
            (Entry::Absent, x) | (x, Entry::Absent) => x,
            (Entry::One(a), Entry::One(b)) if a == b => Entry::One(a),
            _ => Entry::Ambiguous,
        }
    }
}

/// The module's own binding of a name in `ns`, if any, and whether it is
/// public. Child modules, items, imports and extern crates cannot share a
/// namespace in valid code; the order settles invalid or cfg'd code.
pub fn own_binding(tables: &Tables, local: &Local, ns: Namespace) -> Option<(ResId, bool)> {
    if ns == Namespace::Type {
        if let Some(child) = local.child {
            return Some((tables.modules[child].own, local.child_pub));
        }
    }
    if local.item.namespaces.contains(ns) {
        return Some((local.own, local.item.public.contains(ns)));
    }
    // A re-export is attributed to the module that re-exports it.
    if local.import_ns.contains(ns) {
        return Some((local.own, local.public_import_ns.contains(ns)));
    }
    match (ns, local.extern_crate) {
        (Namespace::Type, Some(binding)) => Some(binding),
        _ => None,
    }
}

/// An [`Entry`] packed in 4 bytes (globs that re-export each other along a
/// chain make these tables as large as the names visible along it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Packed(u32);

impl Packed {
    const ABSENT: Packed = Packed(0);
    const AMBIGUOUS: Packed = Packed(u32::MAX);

    fn pack(entry: Entry) -> Packed {
        match entry {
            Entry::Absent => Packed::ABSENT,
            Entry::One(res) => Packed(res.index() + 1),
            Entry::Ambiguous => Packed::AMBIGUOUS,
        }
    }

    fn unpack(self) -> Entry {
        match self {
            Packed::ABSENT => Entry::Absent,
            Packed::AMBIGUOUS => Entry::Ambiguous,
            Packed(n) => Entry::One(ResId::from_index(n - 1)),
        }
    }
}

pub struct Exports {
    names: Vec<FxHashMap<Sym, [Packed; 3]>>,
    /// Modules that re-export each module's names through a public glob.
    importers: Vec<Vec<ModuleId>>,
    queue: Vec<(ModuleId, Sym, Namespace)>,
}

impl Exports {
    /// Each module's own public names; globs are added by [`Exports::add_glob`].
    pub fn new(tables: &Tables) -> Exports {
        let names = ModuleId::all(tables.modules.len())
            .map(|module| {
                let mut names = FxHashMap::default();
                for &(name, ref local) in tables.names_of(module) {
                    let mut entries = [Packed::ABSENT; 3];
                    for ns in Namespace::ALL {
                        if let Some((res, true)) = own_binding(tables, local, ns) {
                            entries[ns.index()] = Packed::pack(Entry::One(res));
                        }
                    }
                    if entries != [Packed::ABSENT; 3] {
                        names.insert(name, entries);
                    }
                }
                names
            })
            .collect();
        Exports {
            names,
            importers: vec![Vec::new(); tables.modules.len()],
            queue: Vec::new(),
        }
    }

    pub fn get(&self, module: ModuleId, name: Sym, ns: Namespace) -> Entry {
        self.names[module]
            .get(&name)
            .map_or(Entry::Absent, |entries| entries[ns.index()].unpack())
    }

    /// `pub use source::*;` in `importer`: everything `source` exports, now
    /// and later, is exported by `importer` too where not shadowed.
    pub fn add_glob(&mut self, tables: &Tables, source: ModuleId, importer: ModuleId) {
        if source == importer || self.importers[source].contains(&importer) {
            return;
        }
        self.importers[source].push(importer);
        let offered: Vec<(Sym, [Packed; 3])> = self.names[source]
            .iter()
            .map(|(&name, &entries)| (name, entries))
            .collect();
        for (name, entries) in offered {
            for ns in Namespace::ALL {
                self.offer(tables, importer, name, ns, entries[ns.index()].unpack());
            }
        }
        self.propagate(tables);
    }

    fn offer(
        &mut self,
        tables: &Tables,
        importer: ModuleId,
        name: Sym,
        ns: Namespace,
        entry: Entry,
    ) {
        if entry == Entry::Absent {
            return;
        }
        if let Some(local) = tables.local_of(importer, name) {
            if local.explicit().contains(ns) {
                return;
            }
        }
        let slot = &mut self.names[importer]
            .entry(name)
            .or_insert([Packed::ABSENT; 3])[ns.index()];
        let joined = slot.unpack().join(entry);
        if joined != slot.unpack() {
            *slot = Packed::pack(joined);
            self.queue.push((importer, name, ns));
        }
    }

    fn propagate(&mut self, tables: &Tables) {
        while let Some((module, name, ns)) = self.queue.pop() {
            let entry = self.get(module, name, ns);
            for i in 0..self.importers[module].len() {
                let importer = self.importers[module][i];
                self.offer(tables, importer, name, ns, entry);
            }
        }
    }
}
