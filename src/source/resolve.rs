//! Name resolution: turns each raw path into an absolute one, following the
//! rules of SPEC section 5, and skips what it cannot resolve for sure.
//!
//! A path is attributed to the module it names: a re-export (`pub use`) in
//! `accounts` makes `accounts::Db` a reference to `accounts`, which is what an
//! interface module is for. Imports are followed only where they are in
//! scope: the module's own names, and an ancestor's through `use super::*`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use std::sync::Arc;

use rayon::prelude::*;

use super::code::{RawPath, RawRef};
use super::extract::ExtractOptions;
use super::tree::{SourceFile, Tree, TreeModule};
use super::{Module, ModuleId, Reference, SourceModel, Target, Via};
use crate::workspace::{Edition, Workspace, BUILTIN_CRATES};

/// Imports and globs can chain; a chain this deep is given up on (cycles
/// are caught earlier, by `Session::active`).
const MAX_DEPTH: usize = 24;

/// How a name is looked up in a module.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Mode {
    /// From code in scope of the module: every name, imports followed,
    /// then the extern prelude.
    Scope,
    /// Through a glob import from elsewhere: public names only, attributed
    /// to the module that exports them.
    Visible,
}

struct Resolver<'a> {
    modules: &'a [TreeModule],
    crate_roots: &'a BTreeMap<usize, ModuleId>,
    roots_by_name: BTreeMap<&'a str, ModuleId>,
    editions: Vec<Edition>,
    /// Extern prelude per crate index: name → crate address.
    externs: Vec<BTreeMap<String, String>>,
}

pub fn resolve(workspace: &Workspace, mut tree: Tree, options: ExtractOptions) -> SourceModel {
    // Each module's raw references are consumed as they are resolved, so
    // they are not all held alongside the resolved ones.
    // A module's references come in batches, one per file it is made of.
    let raw_references: Vec<Vec<(Arc<SourceFile>, Vec<RawRef>)>> = tree
        .modules
        .iter_mut()
        .map(|m| {
            let mut batches = vec![(m.source.clone(), std::mem::take(&mut m.code.refs))];
            batches.append(&mut m.parts);
            batches
        })
        .collect();
    let raw_count: usize = raw_references
        .iter()
        .flatten()
        .map(|(_, refs)| refs.len())
        .sum();
    let externs = workspace
        .crates
        .iter()
        .map(|c| {
            let mut externs = c.externs.clone();
            if options.include_tests {
                for (name, target) in &c.dev_externs {
                    externs
                        .entry(name.clone())
                        .or_insert_with(|| target.clone());
                }
            }
            externs
        })
        .collect();
    let resolver = Resolver {
        modules: &tree.modules,
        crate_roots: &tree.crate_roots,
        roots_by_name: tree
            .crate_roots
            .iter()
            .map(|(&c, &root)| (workspace.crates[c].name.as_str(), root))
            .collect(),
        editions: workspace.crates.iter().map(|c| c.edition).collect(),
        externs,
    };

    let mut references: Vec<Reference> = raw_references
        .into_par_iter()
        .enumerate()
        .map_init(
            || Session::new(&resolver),
            |session, (id, batches)| {
                let mut resolved = Vec::new();
                for (source, raw) in batches {
                    resolved.extend(raw.into_iter().filter_map(|raw| {
                        let segments = session.path(id, &raw.path, raw.via == Via::Use, 0)?;
                        let target = resolver.target(&segments)?;
                        Some(Reference {
                            from: id,
                            path: segments.join("::"),
                            target,
                            via: raw.via,
                            location: source.location(raw.bytes),
                        })
                    }));
                }
                resolved
            },
        )
        .flatten_iter()
        .collect();
    let unresolved = raw_count - references.len();

    for (&crate_index, &root) in &tree.crate_roots {
        for dep in &workspace.crates[crate_index].dependencies {
            if dep.dev && !options.include_tests {
                continue;
            }
            let Some(target) = resolver.target(std::slice::from_ref(&dep.target)) else {
                continue;
            };
            references.push(Reference {
                from: root,
                path: dep.target.clone(),
                target,
                via: Via::Manifest,
                location: dep.location.clone(),
            });
        }
    }
    references.sort_by(|a, b| (&a.location, &a.path, a.via).cmp(&(&b.location, &b.path, b.via)));

    let crates = tree.crate_roots.len();
    let modules = tree
        .modules
        .into_iter()
        .map(|m| {
            let krate = &workspace.crates[m.crate_index];
            Module {
                path: m.segments.join("::"),
                crate_name: krate.name.clone(),
                parent: m.parent,
                file: m.source.relative.to_string(),
                files: m.files.iter().map(|f| f.to_string()).collect(),
                items: m.code.items.keys().cloned().collect::<BTreeSet<_>>(),
                selected: krate.selected,
            }
        })
        .collect();
    SourceModel {
        modules,
        references,
        warnings: tree.warnings,
        suppressions: tree.suppressions,
        crates,
        files: tree.files,
        unresolved,
    }
}

/// One thread's resolution work: the resolver's tables plus a cache of the
/// names already resolved, so glob-heavy code (re-export hubs, preludes)
/// resolves each (module, name) once instead of re-walking every glob.
struct Session<'s, 'a> {
    r: &'s Resolver<'a>,
    names: HashMap<(ModuleId, String, Mode), Option<Vec<String>>>,
    /// Names being resolved right now: meeting one again is a cycle.
    active: HashSet<(ModuleId, String, Mode)>,
    /// How many times a cycle or the depth limit cut a search short.
    cuts: usize,
}

impl<'s, 'a> Session<'s, 'a> {
    fn new(r: &'s Resolver<'a>) -> Self {
        Session {
            r,
            names: HashMap::new(),
            active: HashSet::new(),
            cuts: 0,
        }
    }

    /// Resolves a single name in `module`, once per session.
    fn name(
        &mut self,
        module: ModuleId,
        name: &str,
        mode: Mode,
        depth: usize,
    ) -> Option<Vec<String>> {
        let key = (module, name.to_string(), mode);
        if let Some(known) = self.names.get(&key) {
            return known.clone();
        }
        if !self.active.insert(key.clone()) {
            self.cuts += 1;
            return None;
        }
        let cuts_before = self.cuts;
        let resolved = self.name_uncached(module, name, mode, depth);
        self.active.remove(&key);
        // A result computed while a cycle or the depth limit cut the search
        // short is provisional: it holds here, but is not remembered.
        if self.cuts == cuts_before {
            self.names.insert(key, resolved.clone());
        }
        resolved
    }

    /// Resolves a path written in `module`. `is_use` selects the 2015
    /// crate-relative reading of `use` paths.
    fn path(
        &mut self,
        module: ModuleId,
        path: &RawPath,
        is_use: bool,
        depth: usize,
    ) -> Option<Vec<String>> {
        if path.segments.is_empty() {
            return None;
        }
        if depth > MAX_DEPTH {
            self.cuts += 1;
            return None;
        }
        let crate_index = self.r.modules[module].crate_index;
        let edition = self.r.editions[crate_index];
        let segments = &path.segments;
        let first = segments[0].as_str();

        if path.leading_colon {
            return match edition {
                Edition::E2015 => self.walk(self.r.root_of(module), segments, true, depth),
                Edition::E2018OrLater => {
                    let mut resolved = self.r.extern_prelude(crate_index, first)?;
                    resolved.extend(segments[1..].iter().cloned());
                    Some(resolved)
                }
            };
        }
        match first {
            "crate" => self.walk(self.r.root_of(module), &segments[1..], false, depth),
            "self" => self.walk(module, &segments[1..], true, depth),
            "super" => {
                let mut current = module;
                let mut rest = &segments[..];
                while rest.first().is_some_and(|s| s == "super") {
                    current = self.r.modules[current].parent?;
                    rest = &rest[1..];
                }
                self.walk(current, rest, false, depth)
            }
            "Self" | "$crate" => None,
            _ if edition == Edition::E2015 && is_use => {
                self.walk(self.r.root_of(module), segments, true, depth)
            }
            _ => {
                let mut resolved = self.name(module, first, Mode::Scope, depth)?;
                resolved.extend(segments[1..].iter().cloned());
                Some(resolved)
            }
        }
    }

    /// Descends from `module` through child modules; the first segment that
    /// is not a child is looked up in scope if `in_scope` and no descent
    /// happened, and otherwise kept as written (an item or re-export of the
    /// module reached).
    fn walk(
        &mut self,
        module: ModuleId,
        segments: &[String],
        in_scope: bool,
        depth: usize,
    ) -> Option<Vec<String>> {
        let mut current = module;
        let mut i = 0;
        while i < segments.len() {
            if segments[i] == "super" {
                current = self.r.modules[current].parent?;
            } else if let Some(child) = self.r.child(current, &segments[i]) {
                current = child;
            } else {
                break;
            }
            i += 1;
        }
        if i == segments.len() {
            return Some(self.r.segments(current));
        }
        let name = segments[i].as_str();
        let mut resolved = if in_scope && current == module {
            self.name(current, name, Mode::Scope, depth)?
        } else if let Some(krate) = self.r.extern_crate_item(current, name) {
            // `crate::serde::X` through an `extern crate serde;` in the root.
            krate
        } else {
            let mut here = self.r.segments(current);
            here.push(name.to_string());
            here
        };
        resolved.extend(segments[i + 1..].iter().cloned());
        Some(resolved)
    }

    /// Resolves a single name in `module`, without the cache.
    fn name_uncached(
        &mut self,
        module: ModuleId,
        name: &str,
        mode: Mode,
        depth: usize,
    ) -> Option<Vec<String>> {
        if depth > MAX_DEPTH {
            self.cuts += 1;
            return None;
        }
        let m = &self.r.modules[module];
        let visible = |is_pub: bool| mode == Mode::Scope || is_pub;
        let here = || {
            let mut path = self.r.segments(module);
            path.push(name.to_string());
            path
        };

        if let Some(child) = self.r.child(module, name) {
            if visible(m.public_children.contains(name)) {
                return Some(self.r.segments(child));
            }
        }
        if m.code
            .items
            .get(name)
            .is_some_and(|&is_pub| visible(is_pub))
        {
            return Some(here());
        }
        let mut imports = m
            .code
            .imports
            .iter()
            .filter(|i| i.name == name && visible(i.is_pub))
            .peekable();
        if imports.peek().is_some() {
            if mode == Mode::Visible {
                return Some(here());
            }
            // Two imports of one name (a function and a module, or under
            // opposite cfgs) can mean different things: resolve only when
            // they agree.
            let paths: Vec<&RawPath> = imports.map(|i| &i.path).collect();
            let mut resolved = BTreeSet::new();
            for path in paths {
                resolved.insert(self.path(module, path, true, depth + 1));
            }
            return match resolved.len() {
                1 => resolved.into_iter().next().flatten(),
                _ => None,
            };
        }
        if m.code
            .extern_crates
            .iter()
            .any(|e| e.name == name && visible(e.is_pub))
        {
            return self.r.extern_crate_item(module, name);
        }
        // Glob imports: resolve only when every workspace glob that has the
        // name agrees.
        let mut found = BTreeSet::new();
        for glob in m.code.globs.iter().filter(|g| visible(g.is_pub)) {
            let Some(source) = self.path(module, &glob.path, true, depth + 1) else {
                continue;
            };
            let Some(Target::Module(source_id)) = self.r.target(&source) else {
                continue;
            };
            if self.r.segments(source_id) != source || source_id == module {
                continue;
            }
            let inner_mode = if mode == Mode::Scope && self.r.is_ancestor(source_id, module) {
                Mode::Scope
            } else {
                Mode::Visible
            };
            let resolved = match inner_mode {
                // An ancestor's scope, minus its extern prelude, which this
                // module has anyway.
                Mode::Scope => self.name_without_prelude(source_id, name, depth + 1),
                Mode::Visible => self.name(source_id, name, Mode::Visible, depth + 1),
            };
            if let Some(resolved) = resolved {
                found.insert(resolved);
            }
        }
        match found.len() {
            0 => {}
            1 => return found.into_iter().next(),
            _ => return None,
        }
        match mode {
            Mode::Scope => self.r.extern_prelude(m.crate_index, name),
            Mode::Visible => None,
        }
    }

    fn name_without_prelude(
        &mut self,
        module: ModuleId,
        name: &str,
        depth: usize,
    ) -> Option<Vec<String>> {
        let resolved = self.name(module, name, Mode::Scope, depth)?;
        let from_prelude = self
            .r
            .extern_prelude(self.r.modules[module].crate_index, name);
        (Some(&resolved) != from_prelude.as_ref()).then_some(resolved)
    }
}

impl Resolver<'_> {
    fn root_of(&self, module: ModuleId) -> ModuleId {
        self.crate_roots[&self.modules[module].crate_index]
    }

    fn segments(&self, module: ModuleId) -> Vec<String> {
        self.modules[module].segments.clone()
    }

    fn child(&self, module: ModuleId, name: &str) -> Option<ModuleId> {
        self.modules[module]
            .children
            .get(name)
            .copied()
            .filter(|&id| id < self.modules.len())
    }

    /// `extern crate foo as name;` in `module`.
    fn extern_crate_item(&self, module: ModuleId, name: &str) -> Option<Vec<String>> {
        let m = &self.modules[module];
        let item = m.code.extern_crates.iter().find(|e| e.name == name)?;
        if item.krate == "self" {
            return Some(self.segments(self.root_of(module)));
        }
        self.extern_prelude(m.crate_index, &item.krate)
            .or_else(|| Some(vec![item.krate.clone()]))
    }

    fn extern_prelude(&self, crate_index: usize, name: &str) -> Option<Vec<String>> {
        if let Some(address) = self.externs[crate_index].get(name) {
            return Some(vec![address.clone()]);
        }
        BUILTIN_CRATES
            .contains(&name)
            .then(|| vec![name.to_string()])
    }

    fn is_ancestor(&self, ancestor: ModuleId, mut module: ModuleId) -> bool {
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

    /// The deepest workspace module `segments` goes into, or the external
    /// crate it names.
    fn target(&self, segments: &[String]) -> Option<Target> {
        let first = segments.first()?;
        let Some(&root) = self.roots_by_name.get(first.as_str()) else {
            return Some(Target::External(first.clone()));
        };
        let mut current = root;
        for segment in &segments[1..] {
            match self.child(current, segment) {
                Some(child) => current = child,
                None => break,
            }
        }
        Some(Target::Module(current))
    }
}
