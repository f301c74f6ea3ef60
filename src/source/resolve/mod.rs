//! Name resolution: turns each raw path into an absolute one, following the
//! rules of SPEC section 5, and skips what it cannot resolve for sure.
//!
//! A path is attributed to the module it names: a re-export (`pub use`) in
//! `accounts` makes `accounts::Db` a reference to `accounts`, which is what an
//! interface module is for. Imports are followed only where they are in
//! scope: the module's own names, and an ancestor's through `use super::*`.
//!
//! Resolution works as rustc's does, in two steps. First the tables are
//! finished once for the whole workspace (`fixpoint`): each module's own
//! names, interned (`symbols`, `tables`), what its globs import (`exports`,
//! a fixed point over the glob graph, so globs that import each other cost
//! no more than others), and what each import binds (`imports`). Then every
//! reference is resolved by walking the module tree (`paths`) and looking
//! names up in those tables (`scope`), in parallel. Names live in three
//! namespaces (types and modules, values, macros), and a path's last
//! segment is looked up in the one its position asks for.

mod exports;
mod fixpoint;
mod imports;
mod paths;
mod scope;
mod symbols;
mod tables;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::code::{Position, RawRef};
use super::extract::ExtractOptions;
use super::kept_refs::Refs;
use super::resolved::{Batch, Reused};
use super::tree::{SourceFile, Tree, TreeModule};
use super::{Module, ModuleId, Reference, Resolving, SourceModel, Target, Via};
use crate::workspace::Workspace;
pub(super) use fixpoint::Names;
use paths::{Exclude, Resolver};
use tables::{Base, CrateInput, ModuleInput, Tables};

/// Resolves every reference of `tree`, and runs `beside` on its modules
/// while the name tables are built: that takes one core, the other is
/// free for work that needs the modules' names only.
pub fn resolve<R: Send>(
    workspace: &Workspace,
    mut tree: Tree,
    options: ExtractOptions,
    reused: Option<Reused>,
    built: Option<Names>,
    beside: impl FnOnce(Resolving) -> R + Send,
) -> (SourceModel, R) {
    let (mut references, mut unresolved, fresh) = match reused {
        Some(reused) => (reused.references, reused.unresolved, Some(reused.fresh)),
        None => (Vec::new(), 0, None),
    };
    let is_fresh = |module: ModuleId, file: &Arc<str>| {
        fresh.as_ref().is_some_and(|fresh| {
            fresh.contains(&Batch {
                module,
                file: file.clone(),
            })
        })
    };
    // Each module's raw references are consumed as they are resolved, so
    // they are not all held alongside the resolved ones. A module's
    // references come in batches, one per file it is made of; a batch read
    // back from the cache is not resolved again.
    let mut raw_references: Vec<RawBatch> = Vec::new();
    for (id, m) in ModuleId::all(tree.modules.len()).zip(&mut tree.modules) {
        let own = (m.source.clone(), m.code.take_refs());
        for (source, refs) in std::iter::once(own).chain(m.parts.drain(..)) {
            if !is_fresh(id, &source.relative) {
                raw_references.push(RawBatch {
                    module: id,
                    source,
                    refs,
                });
            }
        }
    }
    // By file, modules in order within one: resolved so, the references
    // come out in their final order file by file (see `resolve_batches`).
    raw_references.sort_by(|a, b| a.source.relative.cmp(&b.source.relative));
    let raw_count: usize = raw_references.iter().map(|batch| batch.refs.len()).sum();
    let reused_count = references.len();
    // With every batch read back there is nothing to look up: the tables,
    // most of resolution's time, are not built.
    let needed = fresh.is_none() || raw_count > 0;
    // Each module's path, written once: for the work beside, for the
    // resolved paths and for the model.
    let module_paths: Vec<String> = tree.modules.iter().map(|m| m.segments.join("::")).collect();
    // The modules' records need the tree only: made on the other core once
    // the work beside is done, while the tables are still being built.
    let (names, (beside, modules)) = rayon::join(
        || built.or_else(|| needed.then(|| build_names(workspace, &tree, options))),
        || {
            let beside = beside(Resolving {
                tree: &tree,
                paths: &module_paths,
            });
            let modules: Vec<Module> = (tree.modules.par_iter())
                .zip(&module_paths)
                .map(|(m, path)| module(workspace, m, path.clone()))
                .collect();
            (beside, modules)
        },
    );
    // The tables hold what resolution needs of the tree's modules, and
    // their records are made: their code goes, freed on the pool beside
    // the resolution rather than on this thread after it. On one thread
    // the pool would only get to it after the resolution: freed now.
    let code = std::mem::take(&mut tree.modules);
    if rayon::current_num_threads() > 1 {
        rayon::spawn(move || drop(code));
    } else {
        drop(code);
    }
    if let Some(names) = names {
        // The manifests' references depend only on what the record's key
        // hashes: a run that read the record back has them already.
        let mut manifests = match fresh {
            None => manifest_references(workspace, &tree, &names, options),
            Some(_) => Vec::new(),
        };
        manifests.sort_unstable_by(in_model_order);
        // One reservation, for every reference that may resolve: growing
        // the list (a copy beside it, then twice its room) would be the
        // run's peak. The few unresolvable ones leave it a little roomy.
        references.reserve_exact(raw_count + manifests.len());
        let count = resolve_batches(
            &names,
            &module_paths,
            raw_references,
            manifests,
            &mut references,
        );
        unresolved += raw_count - count;
    }
    // Resolved now and read back: each list is in order, the two are
    // interleaved. In place (a stable sort's buffer of half the references
    // would be the run's peak), on both cores. Every field is in the
    // order, so two references it does not tell apart are the same, and
    // the order never depends on which were read back.
    if reused_count > 0 && references.len() > reused_count {
        references.par_sort_unstable_by(in_model_order);
    }

    let crates = tree.crate_roots.len();
    let model = SourceModel {
        modules: Arc::new(modules),
        references: Arc::new(references),
        warnings: tree.warnings,
        suppressions: tree.suppressions,
        crates,
        files: tree.files,
        unresolved,
    };
    (model, beside)
}

/// The finished name tables of the whole workspace.
pub(super) fn build_names(workspace: &Workspace, tree: &Tree, options: ExtractOptions) -> Names {
    let externs: Vec<BTreeMap<String, String>> = workspace
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
    let crates: Vec<CrateInput> = workspace
        .crates
        .iter()
        .enumerate()
        .map(|(i, c)| CrateInput {
            name: &c.name,
            edition: c.edition,
            externs: &externs[i],
            root: tree.crate_roots.get(&i).copied(),
        })
        .collect();
    let inputs: Vec<ModuleInput> = tree
        .modules
        .iter()
        .map(|m| ModuleInput {
            crate_index: m.crate_index,
            parent: m.parent,
            children: &m.children,
            public_children: &m.public_children,
            code: &m.code,
        })
        .collect();
    // Built on a pool thread, whose heap holds the pages parsing freed,
    // rather than on this thread's fresh ones.
    let (names, ()) = rayon::join(|| Names::build(Tables::build(&inputs, &crates)), || ());
    names
}

/// Raw references resolved in one round: the round's resolved lists are
/// held beside the model's until they are appended to it.
const REFERENCES_PER_ROUND: usize = 16_384;

/// The order of the model's references: by location, then by every other
/// field.
fn in_model_order(a: &Reference, b: &Reference) -> std::cmp::Ordering {
    (&a.location, &a.path, a.via, a.from, &a.target).cmp(&(
        &b.location,
        &b.path,
        b.via,
        b.from,
        &b.target,
    ))
}

/// One module's raw references written in one file.
struct RawBatch {
    module: ModuleId,
    source: Arc<SourceFile>,
    refs: Refs,
}

/// Resolves every raw reference of `raw_references` (batches sorted by
/// file) and appends them to `into`, the unresolvable skipped, with
/// `manifests` (sorted) each in its place; returns how many raw ones were
/// appended. The files are resolved in parallel a round at a time, each
/// round appended while the next is resolved, so the resolved references
/// are never all held twice. Each file's references are sorted as they are
/// resolved and the files come in order, so the list ends in the model's
/// order without sorting it whole.
fn resolve_batches(
    names: &Names,
    module_paths: &[String],
    raw_references: Vec<RawBatch>,
    manifests: Vec<Reference>,
    into: &mut Vec<Reference>,
) -> usize {
    let mut appended = Appended {
        into,
        manifests: manifests.into_iter().peekable(),
        count: 0,
    };
    let mut batches = raw_references.into_iter().peekable();
    let mut resolved: Vec<Vec<Reference>> = Vec::new();
    while batches.peek().is_some() {
        // Whole files only: a round's files sort before the next round's.
        let mut round: Vec<Vec<RawBatch>> = Vec::new();
        let mut size = 0;
        while size < REFERENCES_PER_ROUND {
            let Some(first) = batches.next() else {
                break;
            };
            let mut file = vec![first];
            while let Some(next) = batches.next_if(|b| b.source.relative == file[0].source.relative)
            {
                file.push(next);
            }
            size += file.iter().map(|b| b.refs.len()).sum::<usize>();
            round.push(file);
        }
        // The round before is appended while this one is resolved: the
        // copy into the model's list (whose pages are touched for the first
        // time) took a third of the phase on one core.
        let done = std::mem::take(&mut resolved);
        let (now, ()) = rayon::join(
            || resolve_round(names, module_paths, round),
            || appended.push(done),
        );
        resolved = now;
    }
    appended.push(resolved);
    let Appended {
        into,
        manifests,
        count,
    } = appended;
    into.extend(manifests);
    count
}

/// The model's list of references as rounds are appended to it, with the
/// manifests' references still to merge in.
struct Appended<'a> {
    into: &'a mut Vec<Reference>,
    manifests: std::iter::Peekable<std::vec::IntoIter<Reference>>,
    /// How many resolved raw references were appended.
    count: usize,
}

impl Appended<'_> {
    fn push(&mut self, files: Vec<Vec<Reference>>) {
        for file in files {
            let Some(first) = file.first() else {
                continue;
            };
            // A manifest is never a source file: those before this file
            // go first.
            while let Some(manifest) =
                (self.manifests).next_if(|m| m.location.file < first.location.file)
            {
                self.into.push(manifest);
            }
            self.count += file.len();
            self.into.extend(file);
        }
    }
}

/// Resolves one round of whole files on both cores: each file's references
/// in model order.
fn resolve_round(
    names: &Names,
    module_paths: &[String],
    round: Vec<Vec<RawBatch>>,
) -> Vec<Vec<Reference>> {
    round
        .into_par_iter()
        .map_init(
            || (names.resolver(), Scratch::default()),
            |(resolver, scratch), file| {
                let mut resolved = Vec::with_capacity(file.iter().map(|b| b.refs.len()).sum());
                for batch in file {
                    // What one module looks up is rarely what the next does.
                    resolver.forget();
                    let raw_refs = batch.refs.into_raw();
                    // A path written again the same way in the same
                    // module resolves the same: looked up once (code
                    // repeats its paths, generated code most of all).
                    let mut seen = FxHashMap::default();
                    seen.reserve(raw_refs.len());
                    resolved.extend(raw_refs.iter().filter_map(|raw| {
                        let how = (
                            raw.path.segments.joined(),
                            raw.path.leading_colon,
                            raw.via == Via::Use,
                            raw.position,
                        );
                        let (path, target) = seen
                            .entry(how)
                            .or_insert_with(|| {
                                resolve_ref(
                                    resolver,
                                    scratch,
                                    names,
                                    module_paths,
                                    batch.module,
                                    raw,
                                )
                            })
                            .clone()?;
                        Some(Reference {
                            from: batch.module,
                            path,
                            target,
                            via: raw.via,
                            location: raw.span.located(batch.source.relative.clone()),
                        })
                    }));
                }
                resolved.sort_unstable_by(in_model_order);
                resolved
            },
        )
        .collect()
}

/// Each crate root's references to the crates its manifest depends on.
fn manifest_references(
    workspace: &Workspace,
    tree: &Tree,
    names: &Names,
    options: ExtractOptions,
) -> Vec<Reference> {
    let mut references = Vec::new();
    for (&crate_index, &root) in &tree.crate_roots {
        for dep in &workspace.crates[crate_index].dependencies {
            if dep.dev && !options.include_tests {
                continue;
            }
            let target = match names.tables.crate_root(&dep.target) {
                Some(module) => Target::Module(module),
                None => Target::External(dep.target.as_str().into()),
            };
            references.push(Reference {
                from: root,
                path: dep.target.as_str().into(),
                target,
                via: Via::Manifest,
                location: dep.location.clone(),
            });
        }
    }
    references
}

/// The model's record of a module of the tree.
pub(super) fn module(workspace: &Workspace, m: &TreeModule, path: String) -> Module {
    let krate = &workspace.crates[m.crate_index];
    Module {
        path,
        crate_name: krate.name.clone(),
        parent: m.parent,
        file: m.source.relative.to_string(),
        files: m.files.iter().map(|f| f.to_string()).collect(),
        items: m.code.items.keys().cloned().collect::<BTreeSet<_>>(),
        reexports: (m.code.imports.iter())
            .filter(|import| import.is_pub)
            .map(|import| import.name.clone())
            .collect(),
        public_children: m.public_children.clone(),
        selected: krate.selected,
    }
}

/// What a resolving thread keeps from one reference to the next.
#[derive(Default)]
struct Scratch {
    /// The path being resolved, interned: one buffer, not one allocation
    /// per reference.
    segments: Vec<Option<symbols::Sym>>,
    /// The resolved paths and crate names made so far: the references
    /// that resolve alike share one string.
    paths: FxHashSet<Arc<str>>,
    crates: FxHashMap<symbols::Sym, Arc<str>>,
}

/// One raw reference written in `module`: its absolute path and target.
fn resolve_ref(
    resolver: &mut Resolver,
    scratch: &mut Scratch,
    names: &Names,
    module_paths: &[String],
    module: ModuleId,
    raw: &RawRef,
) -> Option<(Arc<str>, Target)> {
    let symbols = &names.tables.symbols;
    let segments = &mut scratch.segments;
    segments.clear();
    segments.extend(raw.path.segments.iter().map(|s| symbols.get(s)));
    let segments = &segments[..];
    let is_use = raw.via == Via::Use;
    // A `use` leaf is the path of an import of this module: that import
    // is not in scope for its own path.
    let exclude = (is_use && raw.position == Position::Import).then_some(Exclude {
        module,
        leading_colon: raw.path.leading_colon,
        segments,
    });
    let resolved = resolver.path(
        module,
        raw.path.leading_colon,
        segments,
        is_use,
        raw.position,
        exclude,
    )?;
    let (base, rest) = resolver.head_res(resolved.head);
    let (start, target) = match base {
        Base::Module(m) => (module_paths[m].as_str(), Target::Module(m)),
        Base::Crate(krate) => {
            let name = symbols.name(krate);
            let shared = scratch.crates.entry(krate).or_insert_with(|| name.into());
            (name, Target::External(shared.clone()))
        }
    };
    let written = raw.path.segments.iter().skip(resolved.tail);
    let segments = || rest.iter().map(|&s| symbols.name(s)).chain(written.clone());
    let len = start.len() + segments().map(|s| s.len() + 2).sum::<usize>();
    let mut path = String::with_capacity(len);
    path.push_str(start);
    for segment in segments() {
        path.push_str("::");
        path.push_str(segment);
    }
    let path = match scratch.paths.get(path.as_str()) {
        Some(shared) => shared.clone(),
        None => {
            let shared: Arc<str> = path.into();
            scratch.paths.insert(shared.clone());
            shared
        }
    };
    Some((path, target))
}
