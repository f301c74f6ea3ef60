//! The facts shelf of the cache: one file's [`FileFacts`] (its code with
//! inline modules, declarations, imports, located references, and its
//! parse problem), found by a hash of the file's text and of the settings
//! that change extraction. The file's name is not part of the key, and
//! nothing kept depends on it: messages and locations are made from the
//! facts and the file at hand.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::extract::ExtractOptions;
use super::kept_refs::{self, StoredRefs};
use super::parse::FileFacts;
use crate::cache::{EntryName, Shelf, Store, Upkeep};

pub struct FactsCache {
    store: Arc<Store>,
    options: ExtractOptions,
    /// The entries this run used or wrote: pruning keeps them.
    used: Mutex<HashSet<EntryName>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    /// Module files whose resolved references were read back, and all.
    resolved: Mutex<(usize, usize)>,
    /// Entries being written beside the run.
    upkeep: Mutex<Upkeep>,
}

/// A file's facts as stored: its declarations, then its references
/// encoded apart, left encoded until resolution asks for them.
fn decode(payload: &[u8]) -> Option<FileFacts> {
    let (mut facts, rest) = postcard::take_from_bytes::<FileFacts>(payload).ok()?;
    let refs: StoredRefs<&[u8]> = postcard::from_bytes(rest).ok()?;
    kept_refs::restore(&mut facts.code, refs)?;
    Some(facts)
}

/// What a run did with the cache, for `-v`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheUse {
    pub hits: usize,
    pub misses: usize,
    /// Module files (the references one module writes in one file) whose
    /// resolved references were read back rather than resolved.
    pub resolved_kept: usize,
    /// Every module file of the run (0 when resolution did not use the
    /// cache).
    pub module_files: usize,
}

impl CacheUse {
    /// Whether nothing was resolved: every module file's references were
    /// read back.
    pub fn resolved_from_cache(&self) -> bool {
        self.module_files > 0 && self.resolved_kept == self.module_files
    }
}

impl FactsCache {
    pub fn new(store: Store, options: ExtractOptions) -> FactsCache {
        FactsCache {
            store: Arc::new(store),
            options,
            used: Mutex::new(HashSet::new()),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            resolved: Mutex::new((0, 0)),
            upkeep: Mutex::new(Upkeep::default()),
        }
    }

    /// The facts of `text`: read back if a run derived them before, else
    /// derived by `derive` and kept.
    /// `content` is the hash of the file's text.
    pub fn facts(&self, content: &[u8; 32], derive: impl FnOnce() -> FileFacts) -> FileFacts {
        let settings = [u8::from(self.options.include_tests)];
        let name = self.store.name(Shelf::Facts, &[&settings, content]);
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name);
        let cached = self
            .store
            .get(Shelf::Facts, &name)
            .and_then(|payload| decode(&payload));
        if let Some(facts) = cached {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return facts;
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let facts = derive();
        let stored = (&facts, kept_refs::store(&facts.code));
        if let Ok(payload) = postcard::to_allocvec(&stored) {
            self.store.put(Shelf::Facts, &name, &payload);
        }
        facts
    }

    /// The store, for the other shelves a run uses.
    pub(super) fn store(&self) -> &Store {
        &self.store
    }

    /// Says how many of the run's module files had their references read
    /// back.
    pub(super) fn resolved_kept(&self, kept: usize, of: usize) {
        *self.resolved.lock().unwrap_or_else(|e| e.into_inner()) = (kept, of);
    }

    /// Encodes and writes an entry beside the run: the run waits for it
    /// only at its end.
    pub(super) fn put_later(
        &self,
        shelf: Shelf,
        name: EntryName,
        payload: impl FnOnce() -> Vec<u8> + Send + 'static,
    ) {
        let store = self.store.clone();
        self.upkeep
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .spawn(move || store.put(shelf, &name, &payload()));
    }

    pub(super) fn options(&self) -> ExtractOptions {
        self.options
    }

    /// How the run used the cache so far.
    pub fn usage(&self) -> CacheUse {
        let (resolved_kept, module_files) =
            *self.resolved.lock().unwrap_or_else(|e| e.into_inner());
        CacheUse {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            resolved_kept,
            module_files,
        }
    }

    /// Ends the run's use of the cache: prunes if it wrote anything, and
    /// says how it went. The writes and the pruning go on beside the run
    /// until the returned [`Upkeep`] is dropped.
    pub fn finish(self) -> (CacheUse, Upkeep) {
        let usage = self.usage();
        let used = self.used.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut upkeep = self.upkeep.into_inner().unwrap_or_else(|e| e.into_inner());
        if usage.misses > 0 {
            let store = self.store;
            upkeep.spawn(move || {
                store.prune(Shelf::Facts, &used);
                // One record per workspace state there: only age and size.
                store.prune(Shelf::Resolved, &HashSet::new());
                store.prune(Shelf::Workspace, &HashSet::new());
            });
        }
        (usage, upkeep)
    }
}
