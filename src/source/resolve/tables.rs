//! The resolver's view of the workspace, interned once: each module's own
//! names (child modules, items, imports, extern crates) by symbol, with the
//! namespaces they occupy, and each crate's extern prelude.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use super::symbols::{Keywords, Sym, Symbols};
use crate::source::code::{ItemDecl, ModuleCode, Namespace, Namespaces, RawPath};
use crate::source::ModuleId;
use crate::workspace::{Edition, BUILTIN_CRATES};

/// One module as the resolver needs it.
pub struct ModuleInput<'a> {
    pub crate_index: usize,
    pub parent: Option<ModuleId>,
    pub children: &'a BTreeMap<String, ModuleId>,
    /// Children declared `pub` (or `pub(..)`).
    pub public_children: &'a BTreeSet<String>,
    pub code: &'a ModuleCode,
}

/// One crate as the resolver needs it, by index into the workspace's crates.
pub struct CrateInput<'a> {
    pub name: &'a str,
    pub edition: Edition,
    /// Extern prelude: the name code uses → the crate's address.
    pub externs: &'a BTreeMap<String, String>,
    /// The crate's root module, if the tree has it.
    pub root: Option<ModuleId>,
}

/// Where a resolved path starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Base {
    Module(ModuleId),
    /// An external crate, by its address (package name).
    Crate(Sym),
}

/// What a name means: a base and the segments written after it. A module is
/// `(Module(m), [])`; an item `f` of `m` is `(Module(m), [f])`. Kept to 24
/// bytes: there is one per name in the tables.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Res {
    /// A module id, or a crate's symbol with [`CRATE_BIT`] set.
    base: u32,
    rest: Rest,
}

const CRATE_BIT: u32 = 1 << 31;

/// The segments after a base, kept inline when there are at most one (as
/// for nearly every binding).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Rest {
    Empty,
    One(Sym),
    /// Boxed twice to keep the pointer thin (the enum 16 bytes).
    Many(Box<Box<[Sym]>>),
}

impl Res {
    pub fn new(base: Base, rest: Vec<Sym>) -> Res {
        let rest = match rest.as_slice() {
            [] => Rest::Empty,
            [one] => Rest::One(*one),
            _ => Rest::Many(Box::new(rest.into_boxed_slice())),
        };
        Res {
            base: pack_base(base),
            rest,
        }
    }

    pub fn at(base: Base) -> Res {
        Res {
            base: pack_base(base),
            rest: Rest::Empty,
        }
    }

    pub fn item(module: ModuleId, name: Sym) -> Res {
        Res {
            base: pack_base(Base::Module(module)),
            rest: Rest::One(name),
        }
    }

    pub fn base(&self) -> Base {
        if self.base & CRATE_BIT == 0 {
            Base::Module(ModuleId::from_u32(self.base))
        } else {
            Base::Crate(Sym::from_index(self.base & !CRATE_BIT))
        }
    }

    pub fn rest(&self) -> &[Sym] {
        match &self.rest {
            Rest::Empty => &[],
            Rest::One(one) => std::slice::from_ref(one),
            Rest::Many(many) => many,
        }
    }
}

fn pack_base(base: Base) -> u32 {
    let packed = match base {
        Base::Module(m) => Some(m.as_u32()).filter(|m| m & CRATE_BIT == 0),
        Base::Crate(sym) => Some(sym.index() | CRATE_BIT).filter(|_| sym.index() & CRATE_BIT == 0),
    };
    packed.expect("fewer than 2^31 modules and names")
}

/// An interned [`Res`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResId(u32);

impl ResId {
    pub fn index(self) -> u32 {
        self.0
    }

    pub fn from_index(index: u32) -> ResId {
        ResId(index)
    }
}

pub type ImportId = usize;
pub type GlobId = usize;

/// A path whose segments are interned (`None` for a name nothing declares).
#[derive(Debug, Clone)]
pub struct PathSyms {
    pub leading_colon: bool,
    pub segments: Box<[Option<Sym>]>,
}

/// `use path as name;`
#[derive(Debug)]
pub struct ImportDecl {
    pub module: ModuleId,
    pub name: Sym,
    pub path: PathSyms,
    pub is_pub: bool,
    /// The namespaces the import binds, as far as can be told before
    /// resolution (see [`Tables::occupancy`]).
    pub occupies: Namespaces,
}

/// `use path::*;`
#[derive(Debug)]
pub struct GlobDecl {
    pub module: ModuleId,
    pub path: PathSyms,
    pub is_pub: bool,
}

/// Everything a module itself binds under one name.
#[derive(Debug, Clone)]
pub struct Local {
    pub child: Option<ModuleId>,
    pub child_pub: bool,
    pub item: ItemDecl,
    /// `(m, [name])`: the item, and what a re-export of the name means
    /// outside `m`.
    pub own: ResId,
    /// Imports of the name: a range of [`Tables::imports`].
    pub imports: (u32, u32),
    /// Union of the imports' namespaces, and of the public imports'.
    pub import_ns: Namespaces,
    pub public_import_ns: Namespaces,
    /// `extern crate x as name;`
    pub extern_crate: Option<(ResId, bool)>,
}

impl Local {
    /// The namespaces in which the module binds the name itself, which
    /// shadows whatever a glob brings under that name.
    pub fn explicit(&self) -> Namespaces {
        let mut ns = self.item.namespaces.union(self.import_ns);
        if self.child.is_some() || self.extern_crate.is_some() {
            ns = ns.with(Namespace::Type);
        }
        ns
    }

    pub fn imports(&self) -> std::ops::Range<usize> {
        self.imports.0 as usize..self.imports.1 as usize
    }
}

#[derive(Debug)]
pub struct ModuleTable {
    pub crate_index: usize,
    pub parent: Option<ModuleId>,
    /// The names it binds: a range of [`Tables::locals`], sorted by name.
    names: (u32, u32),
    /// This module's globs: a range of [`Tables::globs`].
    pub globs: (u32, u32),
    /// `(Module(self), [])`.
    pub own: ResId,
}

#[derive(Debug)]
pub struct CrateTable {
    pub root: Option<ModuleId>,
    pub edition: Edition,
    pub prelude: FxHashMap<Sym, ResId>,
}

#[derive(Debug)]
pub struct Tables {
    pub symbols: Symbols,
    pub kw: Keywords,
    res: Vec<Res>,
    /// The ids of the bare bases (`Res::at`): a crate's or a module's
    /// meaning may be asked for by several crates' preludes, extern crates
    /// and the module itself. An item's meaning, `(Module(m), [name])`, is
    /// made once per binding of `name` in `m` and asked for by nobody
    /// else: it is added without a lookup (a million of them at scale).
    res_ids: FxHashMap<Res, ResId>,
    pub modules: Vec<ModuleTable>,
    /// Every module's bindings, a module's together and sorted by name: a
    /// module binds a few dozen names, found by a binary search. One list
    /// rather than a hash table each: tens of thousands of modules at
    /// scale, each table an allocation of its own.
    locals: Vec<(Sym, Local)>,
    /// While a module's bindings are added: where each name's is in
    /// `locals`.
    adding: FxHashMap<Sym, usize>,
    /// Sorted by module, then name.
    pub imports: Vec<ImportDecl>,
    /// Sorted by module.
    pub globs: Vec<GlobDecl>,
    pub crates: Vec<CrateTable>,
    roots_by_name: FxHashMap<Sym, ModuleId>,
}

impl Tables {
    pub fn build(modules: &[ModuleInput], crates: &[CrateInput]) -> Tables {
        let mut symbols = Symbols::default();
        let kw = Keywords::new(&mut symbols);
        let mut tables = Tables {
            symbols,
            kw,
            res: Vec::new(),
            res_ids: FxHashMap::default(),
            modules: Vec::with_capacity(modules.len()),
            locals: Vec::with_capacity(names_bound(modules)),
            adding: FxHashMap::default(),
            imports: Vec::new(),
            globs: Vec::new(),
            crates: Vec::with_capacity(crates.len()),
            roots_by_name: FxHashMap::default(),
        };
        for krate in crates {
            if let Some(root) = krate.root {
                let name = tables.symbols.intern(krate.name);
                tables.roots_by_name.insert(name, root);
            }
        }
        for krate in crates {
            let mut prelude = FxHashMap::default();
            let builtins = BUILTIN_CRATES.iter().map(|b| (*b, *b));
            let externs = krate.externs.iter().map(|(n, a)| (n.as_str(), a.as_str()));
            // A crate the tree left out (a test target) has no code to resolve.
            let names = externs.chain(builtins).filter(|_| krate.root.is_some());
            for (name, address) in names {
                let name = tables.symbols.intern(name);
                if let std::collections::hash_map::Entry::Vacant(slot) = prelude.entry(name) {
                    let base = tables.crate_base(address);
                    slot.insert(tables.intern(Res::at(base)));
                }
            }
            tables.crates.push(CrateTable {
                root: krate.root,
                edition: krate.edition,
                prelude,
            });
        }
        // A meaning for each module and each of its names, at most.
        tables.res.reserve(modules.len() + names_bound(modules));
        tables.res_ids.reserve(modules.len());
        for (id, input) in ModuleId::all(modules.len()).zip(modules) {
            let own = tables.intern(Res::at(Base::Module(id)));
            tables.modules.push(ModuleTable {
                crate_index: input.crate_index,
                parent: input.parent,
                names: (0, 0),
                globs: (0, 0),
                own,
            });
        }
        for (id, input) in ModuleId::all(modules.len()).zip(modules) {
            let start = tables.locals.len();
            tables.add_module(id, input, modules.len());
            tables.adding.clear();
            tables.locals[start..].sort_unstable_by_key(|(name, _)| *name);
            tables.modules[id].names = (start as u32, tables.locals.len() as u32);
        }
        tables.adding = FxHashMap::default();
        tables.set_occupancy();
        tables
    }

    /// What `module` binds, by name.
    pub fn names_of(&self, module: ModuleId) -> &[(Sym, Local)] {
        let (start, end) = self.modules[module].names;
        &self.locals[start as usize..end as usize]
    }

    fn local_mut(&mut self, module: ModuleId, name: Sym) -> Option<&mut Local> {
        let (start, end) = self.modules[module].names;
        let names = &mut self.locals[start as usize..end as usize];
        let at = names.binary_search_by_key(&name, |(name, _)| *name).ok()?;
        Some(&mut names[at].1)
    }

    fn add_module(&mut self, id: ModuleId, input: &ModuleInput, module_count: usize) {
        for (name, &child) in input.children {
            if child.index() >= module_count {
                continue;
            }
            let is_pub = input.public_children.contains(name);
            let name = self.symbols.intern(name);
            let local = self.local(id, name);
            local.child = Some(child);
            local.child_pub = is_pub;
        }
        for (name, item) in &input.code.items {
            let name = self.symbols.intern(name);
            self.local(id, name).item.merge(*item);
        }
        let crate_index = input.crate_index;
        for krate in &input.code.extern_crates {
            let res = if krate.krate == "self" {
                self.crates[crate_index]
                    .root
                    .map(|root| self.modules[root].own)
            } else {
                let name = self.symbols.intern(&krate.krate);
                let found = self.crates[crate_index].prelude.get(&name).copied();
                Some(found.unwrap_or_else(|| {
                    let base = self.crate_base(&krate.krate);
                    self.intern(Res::at(base))
                }))
            };
            let name = self.symbols.intern(&krate.name);
            let local = self.local(id, name);
            if local.extern_crate.is_none() {
                local.extern_crate = res.map(|res| (res, krate.is_pub));
            }
        }
        let mut imports: Vec<ImportDecl> = input
            .code
            .imports
            .iter()
            .map(|import| {
                let name = self.symbols.intern(&import.name);
                ImportDecl {
                    module: id,
                    name,
                    path: self.path_syms(&import.path),
                    is_pub: import.is_pub,
                    occupies: Namespaces::ALL,
                }
            })
            .collect();
        imports.sort_by_key(|import| import.name);
        for import in imports {
            let index = self.imports.len() as u32;
            let local = self.local(id, import.name);
            if local.imports.0 == local.imports.1 {
                local.imports = (index, index);
            }
            local.imports.1 = index + 1;
            self.imports.push(import);
        }
        let first_glob = self.globs.len() as u32;
        for glob in &input.code.globs {
            let path = self.path_syms(&glob.path);
            self.globs.push(GlobDecl {
                module: id,
                path,
                is_pub: glob.is_pub,
            });
        }
        self.modules[id].globs = (first_glob, self.globs.len() as u32);
    }

    /// The binding record of `name` in `module`, the module being added,
    /// created on first use.
    fn local(&mut self, module: ModuleId, sym: Sym) -> &mut Local {
        // One hash of the name: this runs for every name of every module,
        // on one core.
        let Tables {
            locals,
            adding,
            res,
            ..
        } = self;
        let at = *adding.entry(sym).or_insert_with(|| {
            locals.push((
                sym,
                Local {
                    child: None,
                    child_pub: false,
                    item: ItemDecl::default(),
                    own: push_new(res, Res::item(module, sym)),
                    imports: (0, 0),
                    import_ns: Namespaces::NONE,
                    public_import_ns: Namespaces::NONE,
                    extern_crate: None,
                },
            ));
            locals.len() - 1
        });
        &mut locals[at].1
    }

    fn path_syms(&mut self, path: &RawPath) -> PathSyms {
        PathSyms {
            leading_colon: path.leading_colon,
            segments: path
                .segments
                .iter()
                .map(|s| Some(self.symbols.intern(s)))
                .collect(),
        }
    }

    /// A crate address as a base: a workspace crate's root module, or an
    /// external crate.
    fn crate_base(&mut self, address: &str) -> Base {
        let sym = self.symbols.intern(address);
        match self.roots_by_name.get(&sym) {
            Some(&root) => Base::Module(root),
            None => Base::Crate(sym),
        }
    }

    /// The id of a bare base's meaning (`Res::at`), the one kind looked up
    /// by value: an item's is made once, with its binding (`local`).
    fn intern(&mut self, res: Res) -> ResId {
        debug_assert!(res.rest().is_empty(), "only bare bases are interned");
        intern_into(&mut self.res, &mut self.res_ids, res)
    }

    pub fn res(&self, id: ResId) -> &Res {
        &self.res[id.0 as usize]
    }

    /// The root module of the workspace crate called `name`.
    pub fn crate_root(&self, name: &str) -> Option<ModuleId> {
        self.roots_by_name.get(&self.symbols.get(name)?).copied()
    }

    pub fn root_of(&self, module: ModuleId) -> Option<ModuleId> {
        self.crates[self.modules[module].crate_index].root
    }

    pub fn edition(&self, module: ModuleId) -> Edition {
        self.crates[self.modules[module].crate_index].edition
    }

    pub fn prelude(&self, module: ModuleId, name: Sym) -> Option<ResId> {
        self.crates[self.modules[module].crate_index]
            .prelude
            .get(&name)
            .copied()
    }

    pub fn local_of(&self, module: ModuleId, name: Sym) -> Option<&Local> {
        let names = self.names_of(module);
        let at = names.binary_search_by_key(&name, |(name, _)| *name).ok()?;
        Some(&names[at].1)
    }

    pub fn child(&self, module: ModuleId, name: Sym) -> Option<(ModuleId, bool)> {
        let local = self.local_of(module, name)?;
        local.child.map(|c| (c, local.child_pub))
    }

    pub fn globs_of(&self, module: ModuleId) -> std::ops::Range<usize> {
        let (start, end) = self.modules[module].globs;
        start as usize..end as usize
    }

    /// Whether `module` is `ancestor` or lies inside it.
    pub fn is_within(&self, mut module: ModuleId, ancestor: ModuleId) -> bool {
        loop {
            if module == ancestor {
                return true;
            }
            match self.modules[module].parent {
                Some(parent) => module = parent,
                None => return false,
            }
        }
    }

    /// Sets each import's namespaces. Rust forbids an import and an item
    /// of one module to share a name in one namespace, so an import binds
    /// only the namespaces its module does not define the name in; and
    /// where the imported path names a module through `crate`, `self` or
    /// `super`, the module's own declarations tell which namespaces the
    /// name has there. Elsewhere it is taken to bind every namespace.
    fn set_occupancy(&mut self) {
        for i in 0..self.imports.len() {
            let import = &self.imports[i];
            let mut ns = self.occupancy(import);
            if let Some(local) = self.local_of(import.module, import.name) {
                let mut defined = local.item.namespaces;
                if local.child.is_some() {
                    defined = defined.with(Namespace::Type);
                }
                ns = ns.minus(defined);
            }
            let is_pub = import.is_pub;
            let (module, name) = (import.module, import.name);
            self.imports[i].occupies = ns;
            let local = self.local_mut(module, name).expect("imports have a local");
            local.import_ns = local.import_ns.union(ns);
            if is_pub {
                local.public_import_ns = local.public_import_ns.union(ns);
            }
        }
    }

    /// The namespaces an import's path has, by walking its child modules
    /// only (before any name is resolved).
    fn occupancy(&self, import: &ImportDecl) -> Namespaces {
        let segments = &import.path.segments;
        let Some(Some(first)) = segments.first() else {
            return Namespaces::ALL;
        };
        // `use quote::quote;`: were the import a type, it would shadow the
        // crate its own path starts from, which rustc rejects as ambiguous
        // in the module's other imports (`use quote::ToTokens;`).
        let unknown = if *first == import.name && segments.len() > 1 {
            Namespaces::ALL.minus(Namespaces::of(Namespace::Type))
        } else {
            Namespaces::ALL
        };
        let module = import.module;
        let edition = self.edition(module);
        let root = self.root_of(module);
        let (mut current, mut i) = match (root, *first) {
            (Some(root), first) if first == self.kw.krate => (root, 1),
            (_, first) if first == self.kw.self_ => (module, 1),
            (_, first) if first == self.kw.super_ => (module, 0),
            (Some(root), _) if edition == Edition::E2015 => (root, 0),
            _ => return unknown,
        };
        let mut parent = None;
        while i < segments.len() {
            let Some(segment) = segments[i] else { break };
            if segment == self.kw.super_ {
                match self.modules[current].parent {
                    Some(p) => current = p,
                    None => return unknown,
                }
            } else if let Some((child, _)) = self.child(current, segment) {
                parent = Some((current, segment));
                current = child;
            } else {
                break;
            }
            i += 1;
        }
        let (module, name) = match (segments.len() - i, parent) {
            // The path names a module: a type, and whatever else its
            // parent binds under that name.
            (0, Some((parent, name))) => (parent, name),
            (0, None) => return Namespaces::of(Namespace::Type),
            (1, _) => match segments[i] {
                Some(name) => (current, name),
                None => return unknown,
            },
            _ => return unknown,
        };
        let has_globs = !self.globs_of(module).is_empty();
        let Some(local) = self.local_of(module, name) else {
            return unknown;
        };
        let mut ns = local.item.namespaces;
        if local.child.is_some() || local.extern_crate.is_some() {
            ns = ns.with(Namespace::Type);
        }
        if has_globs || local.imports.0 != local.imports.1 || ns.is_empty() {
            return unknown;
        }
        ns
    }
}

/// How many names `modules` bind at most: their children, items, imports
/// and extern crates (a name may be several of these).
fn names_bound(modules: &[ModuleInput]) -> usize {
    modules
        .iter()
        .map(|m| {
            let code = m.code;
            m.children.len() + code.items.len() + code.imports.len() + code.extern_crates.len()
        })
        .sum()
}

/// `res`'s id in the list of meanings, added at its end when new.
fn intern_into(list: &mut Vec<Res>, ids: &mut FxHashMap<Res, ResId>, res: Res) -> ResId {
    match ids.entry(res) {
        std::collections::hash_map::Entry::Occupied(found) => *found.get(),
        std::collections::hash_map::Entry::Vacant(slot) => {
            let id = push_new(list, slot.key().clone());
            *slot.insert(id)
        }
    }
}

/// The id of `res`, a meaning not in `list`, added at its end.
fn push_new(list: &mut Vec<Res>, res: Res) -> ResId {
    // Below `u32::MAX - 1`: export tables pack ids with two sentinels.
    let id = u32::try_from(list.len())
        .ok()
        .filter(|&n| n < u32::MAX - 1)
        .expect("fewer than 2^32 - 2 meanings");
    list.push(res);
    ResId(id)
}
