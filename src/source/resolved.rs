//! The resolved shelf of the cache: a workspace's resolved references,
//! kept with a hash of everything resolution reads, so a run in which
//! nothing changed does not resolve again.
//!
//! Resolution is a function of the module tree (each module's name,
//! parent, children and files, and the text of every file: a file's code
//! is a function of its text and the settings) and of the crates (names,
//! editions, extern names, manifest dependencies). The key hashes all of
//! them; the record is only used when its key is this run's. There is one
//! record per workspace, settings and selection, replaced by each run that
//! resolves, so the shelf does not grow with edits.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::extract::ExtractOptions;
use super::tree::Tree;
use super::{Reference, Target, Via};
use crate::cache::{EntryName, Shelf, Store};
use crate::location::Location;
use crate::workspace::{CrateKind, Edition, Workspace};

/// What resolution yields that the tree does not hold.
pub struct Resolution {
    pub references: Vec<Reference>,
    pub unresolved: usize,
}

/// A record as kept; written from borrowed strings, read into owned ones.
#[derive(Serialize, Deserialize)]
struct Record<S> {
    key: [u8; 32],
    unresolved: usize,
    files: Vec<S>,
    references: Vec<KeptReference<S>>,
}

#[derive(Serialize, Deserialize)]
struct KeptReference<S> {
    from: usize,
    path: S,
    module: Option<usize>,
    external: Option<S>,
    via: Via,
    file: usize,
    /// line, column, end line, end column, first byte, end byte
    at: [usize; 6],
}

/// The hash of everything resolution reads; `None` when a file's text was
/// not hashed (then nothing is kept).
pub fn key(workspace: &Workspace, tree: &Tree, options: ExtractOptions) -> Option<[u8; 32]> {
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
        hasher.number(root);
    }
    hasher.number(tree.modules.len());
    for module in &tree.modules {
        hasher.number(module.segments.len());
        for segment in &module.segments {
            hasher.text(segment);
        }
        hasher.number(module.crate_index);
        hasher.number(module.parent.map_or(0, |p| p + 1));
        hasher.number(module.children.len());
        for (name, &child) in &module.children {
            hasher.text(name);
            hasher.number(child);
        }
        hasher.number(module.public_children.len());
        for name in &module.public_children {
            hasher.text(name);
        }
        hasher.text(&module.source.relative);
        hasher.0.update(module.source.content_hash.as_ref()?);
        hasher.number(module.parts.len());
        for (part, _) in &module.parts {
            hasher.text(&part.relative);
            hasher.0.update(part.content_hash.as_ref()?);
        }
        hasher.number(module.files.len());
        for file in &module.files {
            hasher.text(file);
        }
    }
    Some(*hasher.0.finalize().as_bytes())
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
            self.number(n);
        }
    }
}

/// The name of a workspace's record: one per root, settings and selection.
fn name(store: &Store, workspace: &Workspace, options: ExtractOptions) -> EntryName {
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

/// The references resolved by a run whose key was `key`, if one was kept.
pub fn get(
    store: &Store,
    workspace: &Workspace,
    options: ExtractOptions,
    key: &[u8; 32],
) -> Option<Resolution> {
    let payload = store.get(Shelf::Resolved, &name(store, workspace, options))?;
    // The key comes first: a record of another state is not decoded.
    let (kept_key, _) = postcard::take_from_bytes::<[u8; 32]>(&payload).ok()?;
    if kept_key != *key {
        return None;
    }
    let record: Record<String> = postcard::from_bytes(&payload).ok()?;
    let files: Vec<Arc<str>> = record.files.into_iter().map(Arc::from).collect();
    let references = record
        .references
        .into_iter()
        .map(|kept| {
            let target = match (kept.module, kept.external) {
                (Some(module), _) => Target::Module(module),
                (None, Some(name)) => Target::External(name),
                (None, None) => return None,
            };
            let [line, column, end_line, end_column, byte_start, byte_end] = kept.at;
            Some(Reference {
                from: kept.from,
                path: kept.path,
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
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Resolution {
        references,
        unresolved: record.unresolved,
    })
}

/// Keeps a run's resolved references under its key.
pub fn put(
    store: &Store,
    workspace: &Workspace,
    options: ExtractOptions,
    key: [u8; 32],
    references: &[Reference],
    unresolved: usize,
) {
    let mut files: Vec<&str> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = Default::default();
    let references = references
        .iter()
        .map(|r| {
            let file = *index.entry(&r.location.file).or_insert_with(|| {
                files.push(&r.location.file);
                files.len() - 1
            });
            let (module, external) = match &r.target {
                Target::Module(m) => (Some(*m), None),
                Target::External(name) => (None, Some(name.as_str())),
            };
            let l = &r.location;
            KeptReference {
                from: r.from,
                path: r.path.as_str(),
                module,
                external,
                via: r.via,
                file,
                at: [
                    l.line,
                    l.column,
                    l.end_line,
                    l.end_column,
                    l.byte_start,
                    l.byte_end,
                ],
            }
        })
        .collect();
    let record = Record {
        key,
        unresolved,
        files,
        references,
    };
    if let Ok(payload) = postcard::to_allocvec(&record) {
        store.put(Shelf::Resolved, &name(store, workspace, options), &payload);
    }
}
