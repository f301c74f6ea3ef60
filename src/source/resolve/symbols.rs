//! Interned names: each distinct identifier gets a small id once, so the
//! resolver's tables hash and compare integers instead of strings.

use std::sync::Arc;

use rustc_hash::FxHashMap;

/// An interned identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sym(u32);

impl Sym {
    pub fn index(self) -> u32 {
        self.0
    }

    pub fn from_index(index: u32) -> Sym {
        Sym(index)
    }
}

#[derive(Debug, Default)]
pub struct Symbols {
    ids: FxHashMap<Arc<str>, Sym>,
    names: Vec<Arc<str>>,
}

impl Symbols {
    pub fn intern(&mut self, name: &str) -> Sym {
        if let Some(&sym) = self.ids.get(name) {
            return sym;
        }
        let sym = Sym(u32::try_from(self.names.len()).expect("fewer than 2^32 names"));
        let name: Arc<str> = name.into();
        self.names.push(name.clone());
        self.ids.insert(name, sym);
        sym
    }

    /// The id of a name already interned; `None` means no module declares,
    /// imports or is called by that name.
    pub fn get(&self, name: &str) -> Option<Sym> {
        self.ids.get(name).copied()
    }

    pub fn name(&self, sym: Sym) -> &str {
        &self.names[sym.0 as usize]
    }
}

/// The path keywords, interned once.
#[derive(Debug, Clone, Copy)]
pub struct Keywords {
    pub krate: Sym,
    pub self_: Sym,
    pub super_: Sym,
    pub self_type: Sym,
    pub dollar_crate: Sym,
}

impl Keywords {
    pub fn new(symbols: &mut Symbols) -> Keywords {
        Keywords {
            krate: symbols.intern("crate"),
            self_: symbols.intern("self"),
            super_: symbols.intern("super"),
            self_type: symbols.intern("Self"),
            dollar_crate: symbols.intern("$crate"),
        }
    }
}
