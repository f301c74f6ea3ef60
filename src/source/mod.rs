//! From a workspace's crates to its module tree and resolved references.
//!
//! Knows nothing of policies. Never fails as a whole: a file that does not
//! parse, or a module whose file is missing or outside the workspace, is a
//! warning and the rest goes on.

mod attributed;
mod cache;
mod cfg;
mod code;
mod depth;
mod docs;
mod extract;
mod head_start;
mod inert;
mod kept_refs;
mod lexer;
mod parse;
mod prefetch;
mod read;
mod resolve;
mod resolved;
mod seen;
mod suppressions;
mod tokens;
mod tree;
mod visitor;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::cache::Shelf;
use crate::location::Location;
use crate::warning::Warning;
use crate::workspace::Workspace;

pub use cache::{CacheUse, FactsCache};
pub use extract::ExtractOptions;
pub use head_start::{HeadStart, ReadEarly};
pub use read::{contained, quoted_text, read_source};
pub use suppressions::{scan as scan_suppressions, Suppression};

/// How a reference was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    Use,
    Path,
    Macro,
    Manifest,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Use => "use",
            Via::Path => "path",
            Via::Macro => "macro",
            Via::Manifest => "manifest",
        }
    }
}

/// A module of the workspace: its index in [`SourceModel::modules`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ModuleId(u32);

impl ModuleId {
    /// The module at `index`. A workspace has fewer than 2^32 - 1 modules:
    /// each is at least a file or a `mod` item of one.
    pub fn new(index: usize) -> ModuleId {
        let index = u32::try_from(index).ok().filter(|&i| i != u32::MAX);
        ModuleId(index.expect("fewer than 2^32 - 1 modules"))
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The id as the number packed in tables and cache entries.
    pub(crate) fn as_u32(self) -> u32 {
        self.0
    }

    /// The id [`ModuleId::as_u32`] packed.
    pub(crate) fn from_u32(number: u32) -> ModuleId {
        ModuleId(number)
    }

    /// The ids of a list of `count` modules, in order.
    pub fn all(count: usize) -> impl DoubleEndedIterator<Item = ModuleId> {
        (0..count).map(ModuleId::new)
    }

    /// Each entry of a list kept one per module, with its module's id.
    pub fn enumerate<T>(list: &[T]) -> impl Iterator<Item = (ModuleId, &T)> {
        ModuleId::all(list.len()).zip(list)
    }

    /// Stands in for a module not numbered yet; never a module's id (a
    /// list has fewer than `u32::MAX` entries).
    pub(crate) const UNNUMBERED: ModuleId = ModuleId(u32::MAX);
}

/// Lists kept one entry per module (the modules themselves, and tables
/// beside them) are indexed by the module's id.
impl<T> std::ops::Index<ModuleId> for [T] {
    type Output = T;

    fn index(&self, id: ModuleId) -> &T {
        &self[id.index()]
    }
}

impl<T> std::ops::IndexMut<ModuleId> for [T] {
    fn index_mut(&mut self, id: ModuleId) -> &mut T {
        &mut self[id.index()]
    }
}

impl<T> std::ops::Index<ModuleId> for Vec<T> {
    type Output = T;

    fn index(&self, id: ModuleId) -> &T {
        &self[id.index()]
    }
}

impl<T> std::ops::IndexMut<ModuleId> for Vec<T> {
    fn index_mut(&mut self, id: ModuleId) -> &mut T {
        &mut self[id.index()]
    }
}

#[derive(Debug)]
pub struct Module {
    /// `shop::billing::invoice`.
    pub path: String,
    pub crate_name: String,
    pub parent: Option<ModuleId>,
    /// The file holding the module's code, relative to the workspace root:
    /// the first one found (the first `#[cfg_attr(.., path)]` alternative
    /// that exists, else the default file), as before modules had several.
    pub file: String,
    /// Every file the module is made of (several for a module declared
    /// once per platform, or with `#[cfg_attr(.., path)]` alternatives),
    /// sorted; empty for a crate root that was not read.
    pub files: Vec<String>,
    /// Names of the items declared in the module (not its child modules).
    pub items: BTreeSet<String>,
    /// Names a `pub use` (or `pub(..) use`) of the module binds: its
    /// re-exports (glob re-exports are not listed).
    pub reexports: BTreeSet<String>,
    /// Child modules declared `pub` (or `pub(..)`).
    pub public_children: BTreeSet<String>,
    /// Whether the module's crate was selected for checking.
    pub selected: bool,
}

/// What a reference points at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// The deepest workspace module the path goes into.
    Module(ModuleId),
    /// An external crate, by package name (shared by the references to
    /// it).
    External(std::sync::Arc<str>),
}

#[derive(Debug, Clone)]
pub struct Reference {
    pub from: ModuleId,
    /// The resolved absolute path, `shop::accounts::storage::save`; shared
    /// by the references that resolve to the same path.
    pub path: std::sync::Arc<str>,
    pub target: Target,
    pub via: Via,
    pub location: Location,
}

/// The modules of a workspace being resolved, for work beside it.
pub struct Resolving<'a> {
    tree: &'a tree::Tree,
    /// Each module's path, by module id.
    paths: &'a [String],
}

impl Resolving<'_> {
    /// Each module's path and the names of the items it declares.
    pub fn module_names(&self) -> Vec<ModuleNames<'_>> {
        (self.tree.modules.iter().zip(self.paths))
            .map(|(m, path)| ModuleNames {
                path,
                items: m.code.items.keys().map(String::as_str).collect(),
            })
            .collect()
    }
}

/// A module's path and the names of the items it declares, as a policy's
/// patterns may name them.
pub struct ModuleNames<'a> {
    pub path: &'a str,
    pub items: Vec<&'a str>,
}

#[derive(Debug)]
pub struct SourceModel {
    /// Shared: a probe graph built to ask the rules about suggestions
    /// reads the same modules.
    pub modules: std::sync::Arc<Vec<Module>>,
    /// Shared: the cache's record of them is written beside the run.
    pub references: std::sync::Arc<Vec<Reference>>,
    pub warnings: Vec<Warning>,
    /// Inline `// boundaries: allow(..)` comments of every file read.
    pub suppressions: Vec<Suppression>,
    pub crates: usize,
    pub files: usize,
    /// Paths that could not be resolved for sure, and were skipped.
    pub unresolved: usize,
}

impl SourceModel {
    /// The module named `path`, if the workspace has one.
    pub fn module(&self, path: &str) -> Option<ModuleId> {
        self.modules
            .iter()
            .position(|m| m.path == path)
            .map(ModuleId::new)
    }

    /// The `to` of a reference: the deepest workspace module it reaches, or
    /// the external crate.
    pub fn target_name<'a>(&'a self, reference: &'a Reference) -> &'a str {
        match &reference.target {
            Target::Module(id) => &self.modules[*id].path,
            Target::External(name) => name,
        }
    }
}

/// Reads every selected crate's module tree and resolves its references.
/// With a cache, files whose text was read before are not parsed again.
pub fn load(
    workspace: &Workspace,
    options: ExtractOptions,
    cache: Option<&FactsCache>,
) -> SourceModel {
    resolve(
        workspace,
        discover(workspace, options, cache, ReadEarly::default()),
        options,
        cache,
    )
}

/// The module tree of every selected crate, each file's code read: the
/// first half of [`load`], timed on its own by `-v`.
pub struct Discovered(tree::Tree);

impl Discovered {
    /// How many files were read.
    pub fn files(&self) -> usize {
        self.0.files
    }
}

/// The first half of [`load`]; the files `early` holds were read ahead
/// of the run (`head_start.rs`) and are not read again.
pub fn discover(
    workspace: &Workspace,
    options: ExtractOptions,
    cache: Option<&FactsCache>,
    early: ReadEarly,
) -> Discovered {
    Discovered(tree::discover(workspace, options, cache, early.0))
}

/// The second half of [`load`]: every reference resolved. With a cache,
/// the references of files that did not change are read back, when
/// nothing they resolve through changed either.
pub fn resolve(
    workspace: &Workspace,
    discovered: Discovered,
    options: ExtractOptions,
    cache: Option<&FactsCache>,
) -> SourceModel {
    resolve_beside(workspace, discovered, options, cache, |_| ()).0
}

/// [`resolve`], with `beside` run on the modules while the name tables
/// are built (on one core: the other is free for work that needs the
/// modules' names only, such as checking a policy's patterns).
pub fn resolve_beside<R: Send>(
    workspace: &Workspace,
    discovered: Discovered,
    options: ExtractOptions,
    cache: Option<&FactsCache>,
    beside: impl FnOnce(Resolving) -> R + Send,
) -> (SourceModel, R) {
    let tree = discovered.0;
    let cache = cache.filter(|c| c.options().include_tests == options.include_tests);
    let Some((cache, batches)) = cache.and_then(|c| Some((c, resolved::batches(&tree)?))) else {
        return resolve_on_pool(workspace, tree, options, None, None, beside);
    };
    let key = resolved::key(workspace, &tree, options);
    // A file parsed by this run is in no record: its references will be
    // resolved, so the name tables are built while the record is read.
    let parsed = cache.usage().misses > 0;
    let (reused, names) = parse::parsing_pool().install(|| {
        rayon::join(
            || resolved::get(cache.store(), workspace, options, &key, &batches),
            || parsed.then(|| resolve::build_names(workspace, &tree, options)),
        )
    });
    let kept = reused.as_ref().map_or(0, |r| r.fresh.len());
    cache.resolved_kept(kept, batches.len());
    let (model, beside) = resolve_on_pool(workspace, tree, options, reused, names, beside);
    if kept < batches.len() {
        let name = resolved::name(cache.store(), workspace, options);
        let references = model.references.clone();
        cache.put_later(Shelf::Resolved, name, move || {
            resolved::record(key, &batches, &references)
        });
    }
    (model, beside)
}

/// Resolves on the parsing threads: their heaps hold the pages parsing
/// freed, which resolution's tables and references then reuse instead of
/// fresh ones.
fn resolve_on_pool<R: Send>(
    workspace: &Workspace,
    tree: tree::Tree,
    options: ExtractOptions,
    reused: Option<resolved::Reused>,
    names: Option<resolve::Names>,
    beside: impl FnOnce(Resolving) -> R + Send,
) -> (SourceModel, R) {
    parse::parsing_pool()
        .install(|| resolve::resolve(workspace, tree, options, reused, names, beside))
}
