//! The resolved shelf of the cache: a workspace's resolved references,
//! kept file by file under a hash of what every file's resolution reads
//! besides the file itself, so a run re-resolves only the files that
//! changed, and none when nothing did.
//!
//! A reference written in a module resolves through the name tables, which
//! are a function of the crates (names, editions, extern names, manifest
//! dependencies), of the module tree (each module's name, parent, children
//! and files) and of each module's declarations (items, imports, globs,
//! `extern crate`s): the record's key hashes exactly these, its
//! *interface*. Under a matching key, a batch (the references one module
//! writes in one file) whose file has the same text resolves as it did, so
//! it is read back; only the other batches are resolved, and when there
//! are none the tables are not even built. An edit inside a function body
//! changes one batch; an edit of an item or an import changes the key, and
//! everything resolves again. There is one record per workspace, settings
//! and selection, replaced by each run that resolves anything, so the shelf
//! does not grow with edits.

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::code::{ExternCrate, Glob, Import, ItemDecl};
use super::extract::ExtractOptions;
use super::tree::Tree;
use super::{ModuleId, Reference, Target, Via};
use crate::cache::{EntryName, Shelf, Store};
use crate::location::Location;
use crate::workspace::{CrateKind, Edition, Workspace};

/// The references one module writes in one file: what is kept and reused
/// as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Batch {
    pub module: ModuleId,
    pub file: Arc<str>,
}

/// A batch of this run's tree, with what makes it fresh or stale.
pub struct TreeBatch {
    pub batch: Batch,
    /// The hash of the file's text.
    pub content: [u8; 32],
    /// How many raw references the module writes in the file.
    pub written: usize,
}

/// Every batch of a tree, when every file's text was hashed.
pub fn batches(tree: &Tree) -> Option<Vec<TreeBatch>> {
    let mut batches = Vec::new();
    for (module, m) in ModuleId::all(tree.modules.len()).zip(&tree.modules) {
        batches.push(TreeBatch {
            batch: Batch {
                module,
                file: m.source.relative.clone(),
            },
            content: m.source.content_hash?,
            written: m.code.refs_len(),
        });
        for (part, refs) in &m.parts {
            batches.push(TreeBatch {
                batch: Batch {
                    module,
                    file: part.relative.clone(),
                },
                content: part.content_hash?,
                written: refs.len(),
            });
        }
    }
    Some(batches)
}

/// What a kept record gives a run whose interface is the record's: the
/// references of the batches whose file did not change, and of the
/// manifests, in the model's order.
pub struct Reused {
    pub references: Vec<Reference>,
    /// Paths skipped as unresolvable in those batches.
    pub unresolved: usize,
    /// The batches read back: resolution skips their raw references.
    pub fresh: FxHashSet<Batch>,
}

/// A record as kept, borrowing its strings both ways. The references
/// follow it, `references` of them encoded one after the other in the
/// model's order: read back one at a time, they are never all held as
/// kept beside the model's.
#[derive(Serialize, Deserialize)]
struct Record<'a> {
    key: [u8; 32],
    #[serde(borrow)]
    files: Vec<&'a str>,
    /// The distinct resolved paths and external crate names.
    #[serde(borrow)]
    names: Vec<&'a str>,
    batches: Vec<KeptBatch>,
    references: usize,
}

#[derive(Serialize, Deserialize)]
struct KeptBatch {
    module: ModuleId,
    file: usize,
    content: [u8; 32],
    unresolved: usize,
}

#[derive(Serialize, Deserialize)]
struct KeptReference {
    from: ModuleId,
    /// Indexes into the record's names.
    path: usize,
    module: Option<ModuleId>,
    external: Option<usize>,
    via: Via,
    file: usize,
    /// line, column, end line, end column, first byte, end byte
    at: [u32; 6],
}

/// The declarations of a module that name resolution reads.
#[derive(Serialize)]
struct Declarations<'a> {
    items: &'a BTreeMap<String, ItemDecl>,
    imports: &'a [Import],
    globs: &'a [Glob],
    extern_crates: &'a [ExternCrate],
}

/// The hash of the workspace's interface: everything a batch's resolution
/// reads besides the batch's own file.
pub fn key(workspace: &Workspace, tree: &Tree, options: ExtractOptions) -> [u8; 32] {
    let mut hasher = Hasher(blake3::Hasher::new());
    hasher.number(usize::from(options.include_tests));
    hasher.number(workspace.crates.len());
    for krate in &workspace.crates {
        hasher.text(&krate.name);
        hasher.number(match krate.kind {
            CrateKind::Lib => 0,
            CrateKind::Bin => 1,
            CrateKind::TestLike => 2,
        });
        hasher.number(match krate.edition {
            Edition::E2015 => 0,
            Edition::E2018OrLater => 1,
        });
        hasher.number(usize::from(krate.selected));
        hasher.map(&krate.externs);
        hasher.map(&krate.dev_externs);
        hasher.number(krate.dependencies.len());
        for dependency in &krate.dependencies {
            hasher.text(&dependency.target);
            hasher.number(usize::from(dependency.dev));
            hasher.location(&dependency.location);
        }
    }
    hasher.number(tree.crate_roots.len());
    for (&krate, &root) in &tree.crate_roots {
        hasher.number(krate);
        hasher.number(root.index());
    }
    hasher.number(tree.modules.len());
    let mut encoded = Vec::new();
    for module in &tree.modules {
        hasher.number(module.segments.len());
        for segment in &module.segments {
            hasher.text(segment);
        }
        hasher.number(module.crate_index);
        hasher.number(module.parent.map_or(0, |p| p.index() + 1));
        hasher.number(module.children.len());
        for (name, &child) in &module.children {
            hasher.text(name);
            hasher.number(child.index());
        }
        hasher.number(module.public_children.len());
        for name in &module.public_children {
            hasher.text(name);
        }
        hasher.text(&module.source.relative);
        hasher.number(module.parts.len());
        for (part, _) in &module.parts {
            hasher.text(&part.relative);
        }
        hasher.number(module.files.len());
        for file in &module.files {
            hasher.text(file);
        }
        let code = &module.code;
        let declarations = Declarations {
            items: &code.items,
            imports: &code.imports,
            globs: &code.globs,
            extern_crates: &code.extern_crates,
        };
        encoded.clear();
        encoded = postcard::to_extend(&declarations, encoded).unwrap_or_default();
        hasher.number(encoded.len());
        hasher.0.update(&encoded);
    }
    *hasher.0.finalize().as_bytes()
}

/// Feeds values to a hash, each length-prefixed so none runs into the next.
struct Hasher(blake3::Hasher);

impl Hasher {
    fn number(&mut self, n: usize) {
        self.0.update(&(n as u64).to_le_bytes());
    }

    fn text(&mut self, text: &str) {
        self.number(text.len());
        self.0.update(text.as_bytes());
    }

    fn map(&mut self, map: &BTreeMap<String, String>) {
        self.number(map.len());
        for (key, value) in map {
            self.text(key);
            self.text(value);
        }
    }

    fn location(&mut self, location: &Location) {
        self.text(&location.file);
        for n in [
            location.line,
            location.column,
            location.end_line,
            location.end_column,
            location.byte_start,
            location.byte_end,
        ] {
            self.number(n as usize);
        }
    }
}

/// The name of a workspace's record: one per root, settings and selection.
/// The name of the record of `workspace`'s selection under `options`.
pub fn name(store: &Store, workspace: &Workspace, options: ExtractOptions) -> EntryName {
    let root = workspace.root.as_os_str().as_encoded_bytes();
    let settings = [u8::from(options.include_tests)];
    let selected: Vec<u8> = workspace
        .crates
        .iter()
        .filter(|c| c.selected)
        .flat_map(|c| c.name.bytes().chain([0]))
        .collect();
    store.name(Shelf::Resolved, &[root, &settings, &selected])
}

/// What a record kept under `key` still says of this run's `batches`.
pub fn get(
    store: &Store,
    workspace: &Workspace,
    options: ExtractOptions,
    key: &[u8; 32],
    batches: &[TreeBatch],
) -> Option<Reused> {
    let payload = store.get(Shelf::Resolved, &name(store, workspace, options))?;
    // The key comes first: a record of another interface is not decoded.
    let (kept_key, _) = postcard::take_from_bytes::<[u8; 32]>(&payload).ok()?;
    if kept_key != *key {
        return None;
    }
    let (record, mut rest) = postcard::take_from_bytes::<Record>(&payload).ok()?;
    let files: Vec<Arc<str>> = record.files.into_iter().map(Arc::from).collect();
    let names: Vec<Arc<str>> = record.names.into_iter().map(Arc::from).collect();
    let now: FxHashMap<&Batch, &[u8; 32]> =
        batches.iter().map(|b| (&b.batch, &b.content)).collect();
    let mut fresh = FxHashSet::default();
    let mut unresolved = 0;
    for kept in &record.batches {
        let batch = Batch {
            module: kept.module,
            file: files.get(kept.file)?.clone(),
        };
        if now.get(&batch) == Some(&&kept.content) {
            unresolved += kept.unresolved;
            fresh.insert(batch);
        }
    }
    // A fresh batch's file is looked up by its index, not its name.
    let fresh_files: FxHashSet<(ModuleId, usize)> = record
        .batches
        .iter()
        .filter(|kept| {
            files.get(kept.file).is_some_and(|file| {
                fresh.contains(&Batch {
                    module: kept.module,
                    file: file.clone(),
                })
            })
        })
        .map(|kept| (kept.module, kept.file))
        .collect();
    // Each reference takes a byte at least: a count beyond that is not
    // believed.
    let mut references = Vec::with_capacity(record.references.min(rest.len()));
    for _ in 0..record.references {
        let (kept, after) = postcard::take_from_bytes::<KeptReference>(rest).ok()?;
        rest = after;
        if kept.via != Via::Manifest && !fresh_files.contains(&(kept.from, kept.file)) {
            continue;
        }
        let target = match (kept.module, kept.external) {
            (Some(module), _) => Target::Module(module),
            (None, Some(name)) => Target::External(names.get(name)?.clone()),
            (None, None) => return None,
        };
        let [line, column, end_line, end_column, byte_start, byte_end] = kept.at;
        references.push(Reference {
            from: kept.from,
            path: names.get(kept.path)?.clone(),
            target,
            via: kept.via,
            location: Location {
                file: files.get(kept.file)?.clone(),
                line,
                column,
                end_line,
                end_column,
                byte_start,
                byte_end,
            },
        });
    }
    Some(Reused {
        references,
        unresolved,
        fresh,
    })
}

/// The record of a run's resolved references under its interface's key.
pub fn record(key: [u8; 32], batches: &[TreeBatch], references: &[Reference]) -> Vec<u8> {
    let mut files = Table::default();
    let mut names = Table::default();
    let mut resolved: FxHashMap<(ModuleId, &str), usize> = FxHashMap::default();
    for r in references.iter().filter(|r| r.via != Via::Manifest) {
        *resolved.entry((r.from, &r.location.file)).or_default() += 1;
    }
    let batches = batches
        .iter()
        .map(|b| {
            let found = resolved.get(&(b.batch.module, &*b.batch.file));
            KeptBatch {
                module: b.batch.module,
                file: files.index(&b.batch.file),
                content: b.content,
                unresolved: b.written.saturating_sub(found.copied().unwrap_or(0)),
            }
        })
        .collect();
    // The names each reference uses are numbered first (the header lists
    // them), then each reference is encoded straight after it: no copy of
    // every reference is held beside the encoding.
    let numbers: Vec<Numbers> = references
        .iter()
        .map(|r| Numbers {
            external: match &r.target {
                Target::Module(_) => None,
                Target::External(name) => Some(names.index(name)),
            },
            path: names.index(&r.path),
            file: files.index(&r.location.file),
        })
        .collect();
    let record = Record {
        key,
        files: files.names,
        names: names.names,
        batches,
        references: references.len(),
    };
    // Encoding plain numbers and strings into a vector cannot fail; an
    // empty record would only be a miss.
    let encoded = postcard::to_allocvec(&record).and_then(|header| {
        (references.iter().zip(numbers)).try_fold(header, |payload, (r, numbers)| {
            let l = &r.location;
            let kept = KeptReference {
                from: r.from,
                path: numbers.path,
                module: match r.target {
                    Target::Module(m) => Some(m),
                    Target::External(_) => None,
                },
                external: numbers.external,
                via: r.via,
                file: numbers.file,
                at: [
                    l.line,
                    l.column,
                    l.end_line,
                    l.end_column,
                    l.byte_start,
                    l.byte_end,
                ],
            };
            postcard::to_extend(&kept, payload)
        })
    });
    encoded.unwrap_or_default()
}

/// A reference's numbers in the record's tables.
struct Numbers {
    path: usize,
    external: Option<usize>,
    file: usize,
}

/// Strings numbered in the order first seen.
#[derive(Default)]
struct Table<'a> {
    names: Vec<&'a str>,
    index: FxHashMap<&'a str, usize>,
}

impl<'a> Table<'a> {
    fn index(&mut self, file: &'a str) -> usize {
        *self.index.entry(file).or_insert_with(|| {
            self.names.push(file);
            self.names.len() - 1
        })
    }
}
