//! Module tree discovery: from each crate's root file, follow `mod`
//! declarations to files (mod.rs and non-mod-rs layouts, `#[path]`, every
//! `#[cfg_attr(.., path)]` alternative, inline modules with file children),
//! parsing each level's files in parallel on the parsing pool.
//!
//! Every file read is a regular file inside the workspace root, crate roots
//! included, and never one of the files the module chain above it is made
//! of (a module cycle through `#[path]` or a symlink).

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::cache::FactsCache;
use super::code::{ModDecl, ModuleCode};
use super::depth::PARSE_STACK_BYTES;
use super::extract::ExtractOptions;
use super::parse::{parsing_pool, ParsedFile, ReadAhead};
use super::prefetch::{CloseOnDrop, Key, Prefetch, Reading};
use super::read::{contained, Refused};
use super::ModuleId;
use crate::location::display_path;
use crate::warning::{Warning, WarningCode};
use crate::workspace::{CrateKind, Workspace};

pub use super::parse::SourceFile;

#[derive(Debug)]
pub struct TreeModule {
    pub segments: Vec<String>,
    pub crate_index: usize,
    pub parent: Option<ModuleId>,
    pub children: BTreeMap<String, ModuleId>,
    /// Children declared `pub` (or `pub(..)`), visible to glob imports.
    pub public_children: BTreeSet<String>,
    pub source: Arc<SourceFile>,
    pub code: ModuleCode,
    /// Further files of this module: a module declared twice under opposite
    /// cfgs with different files (`#[cfg(unix)] #[path = "unix.rs"] mod imp;`
    /// and the windows one), or with `#[cfg_attr(.., path)]` alternatives,
    /// is one module made of all of them. Each part keeps its references
    /// with its own file.
    pub parts: Vec<(Arc<SourceFile>, super::kept_refs::Refs)>,
    /// Every file the module is made of, sorted, relative to the workspace
    /// root; empty for a crate root that was not read.
    pub files: Vec<Arc<str>>,
}

#[derive(Debug)]
pub struct Tree {
    pub modules: Vec<TreeModule>,
    /// Root module of each crate, by index into `Workspace::crates`.
    pub crate_roots: BTreeMap<usize, ModuleId>,
    pub warnings: Vec<Warning>,
    pub suppressions: Vec<super::Suppression>,
    pub files: usize,
    /// The files each file module was found in, by (parent, name), to tell a
    /// second declaration of the same file from one of another file.
    located: BTreeMap<(ModuleId, String), Vec<FileId>>,
    /// Every canonical file queued, numbered.
    file_ids: HashMap<PathBuf, FileId>,
    /// How many modules of a crate each file already is.
    modules_per_file: HashMap<(usize, FileId), usize>,
}

/// How many modules of one crate one file may be. A file included by two
/// modules is legal Rust, but files that each include the next twice make
/// 2^n modules out of n small files.
const MAX_MODULES_PER_FILE: usize = 16;

/// A canonical file path, numbered: module chains compare these.
type FileId = usize;

/// The files of a module and of its ancestors, from the crate root down: a
/// file already in it would be a module cycle.
type Chain = Arc<Vec<FileId>>;

/// Stands in a parent's children for a file module not parsed yet.
const PENDING: ModuleId = ModuleId::UNNUMBERED;

/// A file waiting to be parsed, and where its module goes in the tree.
struct Pending {
    /// The canonical file; `None` for a crate root that is not read.
    file: Option<PathBuf>,
    relative: Arc<str>,
    segments: Vec<String>,
    crate_index: usize,
    parent: Option<ModuleId>,
    /// The file is another part of a module already in the tree.
    part: bool,
    /// Whether the file's `mod x;` children live beside it (`lib.rs`,
    /// `mod.rs`, `#[path]` files) or in a folder named after it
    /// (`a.rs` → `a/x.rs`).
    owns_dir: bool,
    /// The module chain down to this file, the file included.
    chain: Chain,
}

/// Where `mod x;` looks for `x.rs`, for a file whose own children live
/// beside it (`owns_dir`) or in a folder named after it.
pub fn child_dir(file: &Path, owns_dir: bool) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
    if owns_dir {
        dir
    } else {
        dir.join(file.file_stem().unwrap_or_default())
    }
}

pub fn discover(
    workspace: &Workspace,
    options: ExtractOptions,
    cache: Option<&FactsCache>,
    ahead: HashMap<Key, ReadAhead>,
) -> Tree {
    let reading = Reading::Run {
        cache,
        ahead: Mutex::new(ahead),
    };
    let prefetch = Prefetch::new(Locator::of(workspace), options, reading);
    std::thread::scope(|scope| {
        // The tree is built on a thread of its own, which mostly waits for
        // files, while the pool's threads parse: with the stack that deep
        // code needs (the walks here are work lists, but a deep inline
        // module's code is still dropped recursively).
        let builder = std::thread::Builder::new()
            .name("boundaries-tree".to_string())
            .stack_size(PARSE_STACK_BYTES)
            .spawn_scoped(scope, || {
                let _close = CloseOnDrop(&prefetch);
                build(workspace, &prefetch)
            })
            .expect("a thread to build the module tree on");
        parsing_pool().broadcast(|_| prefetch.work());
        match builder.join() {
            Ok(tree) => tree,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Builds the tree in its fixed order, breadth first, taking each file's
/// code from the parsing threads.
fn build(workspace: &Workspace, prefetch: &Prefetch) -> Tree {
    let locator = prefetch.locator();
    let mut tree = Tree {
        modules: Vec::new(),
        crate_roots: BTreeMap::new(),
        warnings: Vec::new(),
        suppressions: Vec::new(),
        files: 0,
        located: BTreeMap::new(),
        file_ids: HashMap::new(),
        modules_per_file: HashMap::new(),
    };
    let mut queue: VecDeque<Pending> = VecDeque::new();
    for (index, krate) in workspace.crates.iter().enumerate() {
        if !prefetch.options().include_tests && krate.kind == CrateKind::TestLike {
            continue;
        }
        let relative: Arc<str> = locator.shown(&krate.root_file).into();
        let file = match contained(&workspace.root, &krate.root_file) {
            Ok(canonical) => Some(canonical),
            Err(refused) => {
                tree.warnings
                    .push(root_refused(&krate.name, &relative, &refused));
                None
            }
        };
        if let Some(file) = &file {
            prefetch.ahead(file, relative.clone(), true, super::prefetch::size_of(file));
        }
        let chain = Arc::new(file.iter().map(|f| tree.file_id(f)).collect());
        queue.push_back(Pending {
            file,
            relative,
            segments: vec![krate.name.clone()],
            crate_index: index,
            parent: None,
            part: false,
            owns_dir: true,
            chain,
        });
    }

    // First in, first out: the order the levels were once parsed in.
    while let Some(pending) = queue.pop_front() {
        let parsed = match &pending.file {
            Some(file) => prefetch.take(file, pending.relative.clone(), pending.owns_dir),
            None => ParsedFile::unread(pending.relative.clone()),
        };
        tree.files += usize::from(pending.file.is_some());
        tree.warnings.extend(parsed.warning);
        tree.suppressions.extend(parsed.suppressions);
        let source = Arc::new(parsed.source);
        let read = pending.file.is_some();
        let file = pending.file.unwrap_or_default();
        let dir = child_dir(&file, pending.owns_dir);
        let file_dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
        let mut discovery = Discovery {
            locator,
            tree: &mut tree,
            next: &mut queue,
            chain: pending.chain,
            base: file_dir.clone(),
        };
        if let (true, Some(parent)) = (pending.part, pending.parent) {
            let name = pending.segments.last().cloned().unwrap_or_default();
            let Some(&module) = discovery.tree.modules[parent]
                .children
                .get(&name)
                .filter(|&&id| id != PENDING)
            else {
                continue;
            };
            discovery.add_part(module, &source, parsed.code, &dir, &file_dir);
            continue;
        }
        let id = ModuleId::new(discovery.tree.modules.len());
        match pending.parent {
            Some(parent) => {
                let name = pending.segments.last().cloned().unwrap_or_default();
                discovery.tree.modules[parent].children.insert(name, id);
            }
            None => {
                discovery.tree.crate_roots.insert(pending.crate_index, id);
            }
        }
        discovery.add_module(
            pending.segments,
            pending.crate_index,
            pending.parent,
            &source,
            parsed.code,
            &dir,
            Some(&file_dir),
        );
        if !read {
            discovery.tree.modules[id].files.clear();
        }
    }
    for module in &mut tree.modules {
        module.files.sort();
        module.files.dedup();
    }
    tree
}

fn root_refused(krate: &str, shown: &str, refused: &Refused) -> Warning {
    let code = match refused {
        Refused::Outside(_) => WarningCode::OutsideWorkspace,
        _ => WarningCode::ParseError,
    };
    Warning {
        location: None,
        code,
        message: format!("the root file of crate `{krate}` ({shown}) is not read: {refused}"),
    }
}

impl Tree {
    fn file_id(&mut self, file: &Path) -> FileId {
        let next = self.file_ids.len();
        *self.file_ids.entry(file.to_path_buf()).or_insert(next)
    }
}

/// Where module files are looked for: the workspace's root and target
/// directory, and how a file is shown.
#[derive(Debug, Clone)]
pub struct Locator {
    root: PathBuf,
    target_dir: PathBuf,
}

impl Locator {
    /// The workspace's.
    pub fn of(workspace: &Workspace) -> Locator {
        Locator::new(workspace.root.clone(), workspace.target_dir.clone())
    }

    /// The places of a workspace at `root` (canonical) whose target
    /// directory is `target_dir`.
    pub fn new(root: PathBuf, target_dir: PathBuf) -> Locator {
        Locator { root, target_dir }
    }

    /// The workspace root, canonical.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// How a file is shown: relative to the workspace root when inside it.
    pub fn shown(&self, file: &Path) -> String {
        display_path(file.strip_prefix(&self.root).unwrap_or(file))
    }

    /// The canonical path of a candidate module file, if it is a regular
    /// file inside the workspace and outside its target directory. `base`
    /// is the canonical folder of the file declaring the module.
    pub fn find(&self, base: &Path, candidate: &Path) -> Found {
        let Some((canonical, looked)) = canonical(base, candidate) else {
            return Found::Missing;
        };
        if !canonical.starts_with(&self.root) {
            return Found::Outside;
        }
        if canonical.starts_with(&self.target_dir) {
            return Found::Missing;
        }
        // Where a link led is looked at only once it is known to be inside.
        let meta = match looked {
            Some(meta) => meta,
            None => match std::fs::metadata(&canonical) {
                Ok(meta) => meta,
                Err(_) => return Found::Missing,
            },
        };
        if !meta.is_file() {
            return Found::Missing;
        }
        Found::File {
            size: meta.len(),
            path: canonical,
        }
    }
}

/// Where the files of a `mod x;` may be, all cfgs at once.
pub struct Candidates {
    /// Every `#[cfg_attr(.., path)]` alternative: each one that exists is a
    /// file of the module, whose children live beside it.
    pub alternatives: Vec<PathBuf>,
    /// The default file (`#[path]`, or `x.rs`, or `x/mod.rs`): the first
    /// that exists, with whether its children live beside it.
    pub defaults: Vec<(PathBuf, bool)>,
}

/// The candidate files of `decl`, declared in code whose `mod x;` looks in
/// `dir`; `file_dir`, set for a file's top-level code only, is what
/// `#[path]` is relative to there.
pub fn module_file_candidates(decl: &ModDecl, dir: &Path, file_dir: Option<&Path>) -> Candidates {
    let attr_base = file_dir.unwrap_or(dir);
    Candidates {
        alternatives: decl.cfg_paths.iter().map(|p| attr_base.join(p)).collect(),
        defaults: match &decl.path_attr {
            Some(path) => vec![(attr_base.join(path), true)],
            None => vec![
                (dir.join(format!("{}.rs", decl.name)), false),
                (dir.join(&decl.name).join("mod.rs"), true),
            ],
        },
    }
}

struct Discovery<'a> {
    locator: &'a Locator,
    tree: &'a mut Tree,
    next: &'a mut VecDeque<Pending>,
    /// The module chain down to the file being added.
    chain: Chain,
    /// The canonical folder of the file being added.
    base: PathBuf,
}

/// What looking for one candidate file found.
pub enum Found {
    /// A regular file: its canonical path, and its size when looked at
    /// (what parsing ahead orders its queue by).
    File {
        path: PathBuf,
        size: u64,
    },
    Missing,
    Outside,
}

impl Discovery<'_> {
    /// Adds a module and its inline children; queues its file children.
    /// `dir` is where `mod x;` looks for `x.rs`; `file_dir`, set for a file's
    /// top-level code only, is what `#[path]` is relative to there.
    #[allow(clippy::too_many_arguments)]
    fn add_module(
        &mut self,
        segments: Vec<String>,
        crate_index: usize,
        parent: Option<ModuleId>,
        source: &Arc<SourceFile>,
        code: ModuleCode,
        dir: &Path,
        file_dir: Option<&Path>,
    ) -> ModuleId {
        let (id, children) = self.push_module(segments, crate_index, parent, source, code);
        self.add_children(id, crate_index, source, children, dir, file_dir);
        id
    }

    /// Puts a module in the tree; returns it with the declarations of its
    /// children, still to be added.
    fn push_module(
        &mut self,
        segments: Vec<String>,
        crate_index: usize,
        parent: Option<ModuleId>,
        source: &Arc<SourceFile>,
        mut code: ModuleCode,
    ) -> (ModuleId, Vec<ModDecl>) {
        let id = ModuleId::new(self.tree.modules.len());
        let children = std::mem::take(&mut code.children);
        self.tree.modules.push(TreeModule {
            segments,
            crate_index,
            parent,
            children: BTreeMap::new(),
            public_children: BTreeSet::new(),
            source: source.clone(),
            code,
            parts: Vec::new(),
            files: vec![source.relative.clone()],
        });
        (id, children)
    }

    /// Adds the children declared in one file's code of `parent`, and
    /// theirs: inline modules nest as deep as the code does, so this is a
    /// work list, not a recursion. Children are added in declaration order,
    /// each inline module's own children before its next sibling.
    fn add_children(
        &mut self,
        parent: ModuleId,
        crate_index: usize,
        source: &Arc<SourceFile>,
        children: Vec<ModDecl>,
        dir: &Path,
        file_dir: Option<&Path>,
    ) {
        let mut work: Vec<(ModuleId, ModDecl, PathBuf, Option<PathBuf>)> = children
            .into_iter()
            .rev()
            .map(|decl| {
                (
                    parent,
                    decl,
                    dir.to_path_buf(),
                    file_dir.map(Path::to_path_buf),
                )
            })
            .collect();
        while let Some((parent, decl, dir, file_dir)) = work.pop() {
            if let Some((id, children, child_dir)) =
                self.add_child(parent, crate_index, source, decl, &dir, file_dir.as_deref())
            {
                work.extend(
                    children
                        .into_iter()
                        .rev()
                        .map(|decl| (id, decl, child_dir.clone(), None)),
                );
            }
        }
    }

    /// Adds another file's code to `module`: its declarations and imports
    /// join the module's, its references stay with their file, and its
    /// `mod x;` children are found relative to it.
    fn add_part(
        &mut self,
        module: ModuleId,
        source: &Arc<SourceFile>,
        mut code: ModuleCode,
        dir: &Path,
        file_dir: &Path,
    ) {
        let children = std::mem::take(&mut code.children);
        let refs = code.take_refs();
        let target = &mut self.tree.modules[module];
        target.code.merge(code);
        target.parts.push((source.clone(), refs));
        target.files.push(source.relative.clone());
        let crate_index = target.crate_index;
        self.add_children(module, crate_index, source, children, dir, Some(file_dir));
    }

    /// Adds one declared child of `parent`: an inline module is put in the
    /// tree and returned with its children's declarations and where they
    /// look for files; a file module's files are queued.
    fn add_child(
        &mut self,
        parent: ModuleId,
        crate_index: usize,
        source: &Arc<SourceFile>,
        decl: ModDecl,
        dir: &Path,
        file_dir: Option<&Path>,
    ) -> Option<(ModuleId, Vec<ModDecl>, PathBuf)> {
        let mut segments = self.tree.modules[parent].segments.clone();
        segments.push(decl.name.clone());
        if decl.is_pub {
            self.tree.modules[parent]
                .public_children
                .insert(decl.name.clone());
        }
        let existing = self.tree.modules[parent].children.get(&decl.name).copied();
        if let (Some(existing), Some(_)) = (existing, &decl.inline) {
            // Declared twice under opposite cfgs: one module.
            if existing != PENDING {
                if let Some(code) = decl.inline {
                    let module = &mut self.tree.modules[existing];
                    module.code.merge(code);
                    module.files.push(source.relative.clone());
                }
            }
            return None;
        }
        match decl.inline {
            Some(code) => {
                let child_dir = dir.join(decl.path_attr.as_deref().unwrap_or(&decl.name));
                let (id, children) =
                    self.push_module(segments, crate_index, Some(parent), source, code);
                self.tree.modules[parent].children.insert(decl.name, id);
                Some((id, children, child_dir))
            }
            None => {
                let files = self.module_files(&decl, source, dir, file_dir);
                let mut part = existing.is_some();
                for (file, owns_dir) in files {
                    let id = self.tree.file_id(&file);
                    if self.chain.contains(&id) {
                        self.warn_cycle(&decl, source, &file);
                        continue;
                    }
                    let seen = self
                        .tree
                        .located
                        .entry((parent, decl.name.clone()))
                        .or_default();
                    if seen.contains(&id) {
                        // The same file declared again: read once.
                        continue;
                    }
                    seen.push(id);
                    let uses = self
                        .tree
                        .modules_per_file
                        .entry((crate_index, id))
                        .or_default();
                    *uses += 1;
                    if *uses > MAX_MODULES_PER_FILE {
                        // Said once per file.
                        if *uses == MAX_MODULES_PER_FILE + 1 {
                            self.warn_repeated(&decl, source, &file);
                        }
                        continue;
                    }
                    if !part {
                        // The child's id is known once its file is parsed;
                        // record the name now so a second declaration (or
                        // the next alternative) is recognised.
                        self.tree.modules[parent]
                            .children
                            .insert(decl.name.clone(), PENDING);
                    }
                    let mut chain = Vec::with_capacity(self.chain.len() + 1);
                    chain.extend_from_slice(&self.chain);
                    chain.push(id);
                    self.next.push_back(Pending {
                        relative: self.locator.shown(&file).into(),
                        file: Some(file),
                        segments: segments.clone(),
                        crate_index,
                        parent: Some(parent),
                        part,
                        owns_dir,
                        chain: Arc::new(chain),
                    });
                    part = true;
                }
                None
            }
        }
    }

    /// The files of a `mod x;`, all cfgs at once: every
    /// `#[cfg_attr(.., path)]` alternative that exists, then the default
    /// file (`#[path]`, or `x.rs`, or `x/mod.rs`), each with whether its
    /// children live beside it. Warns when there is none, and for each
    /// candidate outside the workspace.
    fn module_files(
        &mut self,
        decl: &ModDecl,
        source: &SourceFile,
        dir: &Path,
        file_dir: Option<&Path>,
    ) -> Vec<(PathBuf, bool)> {
        let Candidates {
            alternatives,
            defaults,
        } = module_file_candidates(decl, dir, file_dir);
        let mut files: Vec<(PathBuf, bool)> = Vec::new();
        let mut outside = false;
        for candidate in &alternatives {
            match self.find(candidate) {
                Found::File { path, .. } => files.push((path, true)),
                Found::Outside => outside = true,
                Found::Missing => {}
            }
        }
        for (candidate, owns_dir) in &defaults {
            match self.find(candidate) {
                Found::File { path, .. } => {
                    files.push((path, *owns_dir));
                    break;
                }
                Found::Outside => {
                    outside = true;
                    break;
                }
                Found::Missing => {}
            }
        }
        if outside {
            self.tree.warnings.push(Warning {
                location: Some(decl.name_span.located(source.relative.clone())),
                code: WarningCode::OutsideWorkspace,
                message: format!(
                    "module `{}` points outside the workspace root; what lies there is not read",
                    decl.name
                ),
            });
        }
        if files.is_empty() && !outside {
            let looked: Vec<String> = alternatives
                .iter()
                .chain(defaults.iter().map(|(c, _)| c))
                .map(|c| self.locator.shown(c))
                .collect();
            self.tree.warnings.push(Warning {
                location: Some(decl.name_span.located(source.relative.clone())),
                code: WarningCode::MissingModuleFile,
                message: format!(
                    "file not found for module `{}`: looked for {}",
                    decl.name,
                    looked.join(" and ")
                ),
            });
        }
        files
    }

    fn find(&self, candidate: &Path) -> Found {
        self.locator.find(&self.base, candidate)
    }

    fn warn_repeated(&mut self, decl: &ModDecl, source: &SourceFile, file: &Path) {
        self.tree.warnings.push(Warning {
            location: Some(decl.name_span.located(source.relative.clone())),
            code: WarningCode::RepeatedModuleFile,
            message: format!(
                "module `{}` is {}, already the file of {MAX_MODULES_PER_FILE} modules of this \
                 crate; it is not read again",
                decl.name,
                self.locator.shown(file)
            ),
        });
    }

    fn warn_cycle(&mut self, decl: &ModDecl, source: &SourceFile, file: &Path) {
        self.tree.warnings.push(Warning {
            location: Some(decl.name_span.located(source.relative.clone())),
            code: WarningCode::ModuleCycle,
            message: format!(
                "module `{}` is {}, a file its own module chain is already made of; \
                 it is not read again",
                decl.name,
                self.locator.shown(file)
            ),
        });
    }
}

/// The canonical form of `path`, a candidate built from `base`, the
/// canonical folder of the file declaring it, with what it is when that
/// was seen on the way. The components after `base` are checked one by
/// one: while none is a symlink, `..` or `.`, the path is already
/// canonical, and a full `canonicalize` (which costs a lookup per
/// component, so a chain of modules nested n folders deep would cost n²
/// per file) is not needed; nor is another look at the last one, which is
/// no link. What a link leads to is not looked at here: it may lie outside.
fn canonical(base: &Path, path: &Path) -> Option<(PathBuf, Option<std::fs::Metadata>)> {
    let followed = || Some((path.canonicalize().ok()?, None));
    if let Ok(tail) = path.strip_prefix(base) {
        if tail.components().all(|c| matches!(c, Component::Normal(_))) {
            let mut current = base.to_path_buf();
            let mut last = None;
            for component in tail.components() {
                current.push(component);
                match std::fs::symlink_metadata(&current) {
                    Ok(meta) if meta.file_type().is_symlink() => return followed(),
                    Ok(meta) => last = Some(meta),
                    Err(_) => return None,
                }
            }
            return last.map(|meta| (current, Some(meta)));
        }
    }
    followed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_symlink_after_the_canonical_folder_is_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(base.join("real/x")).unwrap();
        std::fs::write(base.join("real/x/mod.rs"), "mod y;").unwrap();
        std::os::unix::fs::symlink(base.join("real"), base.join("link")).unwrap();
        std::os::unix::fs::symlink(base.join("real/x/mod.rs"), base.join("file.rs")).unwrap();
        let found = |from: &Path, path: &str| {
            canonical(from, &base.join(path))
                .map(|(path, meta)| (path, meta.map(|meta| (meta.is_file(), meta.len()))))
        };
        let file = base.join("real/x/mod.rs");
        // Plain components: the path as built, and what it is.
        assert_eq!(
            found(&base, "real/x/mod.rs"),
            Some((file.clone(), Some((true, 6))))
        );
        // A symlink among them, or `..`: resolved in full, and what it
        // leads to not looked at (it may lie outside the workspace).
        assert_eq!(found(&base, "link/x/mod.rs"), Some((file.clone(), None)));
        assert_eq!(found(&base, "file.rs"), Some((file.clone(), None)));
        assert_eq!(
            found(&base.join("real/x"), "real/x/../x/mod.rs"),
            Some((file, None))
        );
        // A folder is found, and is no file.
        assert!(found(&base, "real/x").is_some_and(|(_, meta)| meta.is_some_and(|m| !m.0)));
        assert_eq!(found(&base, "real/y.rs"), None);
    }
}
