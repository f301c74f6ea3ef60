//! The facts shelf of the cache: one file's [`FileFacts`] (its code with
//! inline modules, declarations, imports, located references, and its
//! parse problem), found by a hash of the file's text and of the settings
//! that change extraction. The file's name is not part of the key, and
//! nothing kept depends on it: messages and locations are made from the
//! facts and the file at hand.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use super::extract::ExtractOptions;
use super::parse::FileFacts;
use crate::cache::{EntryName, Shelf, Store};

pub struct FactsCache {
    store: Store,
    options: ExtractOptions,
    /// The entries this run used or wrote: pruning keeps them.
    used: Mutex<HashSet<EntryName>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    /// Whether the run's resolved references were read back.
    resolved: AtomicBool,
}

/// What a run did with the cache, for `-v`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheUse {
    pub hits: usize,
    pub misses: usize,
    /// Whether resolution was read back rather than done.
    pub resolved: bool,
}

impl FactsCache {
    pub fn new(store: Store, options: ExtractOptions) -> FactsCache {
        FactsCache {
            store,
            options,
            used: Mutex::new(HashSet::new()),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            resolved: AtomicBool::new(false),
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
            .and_then(|payload| postcard::from_bytes::<FileFacts>(&payload).ok());
        if let Some(facts) = cached {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return facts;
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let facts = derive();
        if let Ok(payload) = postcard::to_allocvec(&facts) {
            self.store.put(Shelf::Facts, &name, &payload);
        }
        facts
    }

    /// The store, for the other shelves a run uses.
    pub(super) fn store(&self) -> &Store {
        &self.store
    }

    pub(super) fn resolved_from_cache(&self) {
        self.resolved.store(true, Ordering::Relaxed);
    }

    pub(super) fn options(&self) -> ExtractOptions {
        self.options
    }

    /// How the run used the cache so far.
    pub fn usage(&self) -> CacheUse {
        CacheUse {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            resolved: self.resolved.load(Ordering::Relaxed),
        }
    }

    /// Ends the run's use of the cache: prunes if it wrote anything, and
    /// says how it went.
    pub fn finish(self) -> CacheUse {
        let usage = self.usage();
        let used = self.used.into_inner().unwrap_or_else(|e| e.into_inner());
        if usage.misses > 0 {
            self.store.prune(Shelf::Facts, &used);
            // One record per workspace state there: only age and size.
            self.store.prune(Shelf::Resolved, &HashSet::new());
            self.store.prune(Shelf::Workspace, &HashSet::new());
        }
        usage
    }
}
