//! The facts shelf of the cache: one file's [`FileFacts`] (its code with
//! inline modules, declarations, imports, located references, and its
//! parse problem), found by a hash of the file's text and of the settings
//! that change extraction. The file's name is not part of the key, and
//! nothing kept depends on it: messages and locations are made from the
//! facts and the file at hand.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use std::path::Path;

use super::extract::ExtractOptions;
use super::kept_refs::{self, StoredRefs};
use super::parse::FileFacts;
use super::seen::{SeenFiles, Stat};
use crate::cache::{EntryName, Shelf, Store, Upkeep};

pub struct FactsCache {
    store: Arc<Store>,
    options: ExtractOptions,
    /// The entries this run used or wrote: pruning keeps them.
    used: Mutex<HashSet<EntryName>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    /// Hits whose file was not read: it was as the last run saw it.
    unchanged: AtomicUsize,
    /// Module files whose resolved references were read back, and all.
    resolved: Mutex<(usize, usize)>,
    /// Entries being written beside the run.
    upkeep: Mutex<Upkeep>,
    /// What the last run saw of each file, and what this one sees.
    seen: SeenFiles,
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
    /// Hits whose file was not read again.
    pub unchanged: usize,
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
    /// The cache of the workspace at `root`.
    pub fn new(store: Store, options: ExtractOptions, root: &Path) -> FactsCache {
        FactsCache {
            seen: SeenFiles::load(&store, root),
            store: Arc::new(store),
            options,
            used: Mutex::new(HashSet::new()),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            resolved: Mutex::new((0, 0)),
            upkeep: Mutex::new(Upkeep::default()),
        }
    }

    /// The content hash and the facts of the file `relative` at `file`
    /// when it is as the last run saw it and its facts are kept: then the
    /// file is not read.
    pub fn unchanged(&self, relative: &Arc<str>, file: &Path) -> Option<([u8; 32], FileFacts)> {
        let stat = Stat::of(file)?;
        let content = self.seen.content(relative, stat)?;
        let facts = self.kept(&content)?;
        self.seen.note_unchanged(relative, stat, content);
        self.hits.fetch_add(1, Ordering::Relaxed);
        self.unchanged.fetch_add(1, Ordering::Relaxed);
        Some((content, facts))
    }

    /// What this run sees of the files it reads.
    pub(super) fn seen(&self) -> &SeenFiles {
        &self.seen
    }

    /// The facts kept for a text whose hash is `content`.
    fn kept(&self, content: &[u8; 32]) -> Option<FileFacts> {
        let name = self.facts_name(content);
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name);
        self.store
            .get(Shelf::Facts, &name)
            .and_then(|payload| decode(&payload))
    }

    fn facts_name(&self, content: &[u8; 32]) -> EntryName {
        let settings = [u8::from(self.options.include_tests)];
        self.store.name(Shelf::Facts, &[&settings, content])
    }

    /// The facts of `text`: read back if a run derived them before, else
    /// derived by `derive` and kept.
    /// `content` is the hash of the file's text.
    pub fn facts(&self, content: &[u8; 32], derive: impl FnOnce() -> FileFacts) -> FileFacts {
        if let Some(facts) = self.kept(content) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return facts;
        }
        let name = self.facts_name(content);
        self.misses.fetch_add(1, Ordering::Relaxed);
        let mut facts = derive();
        let refs = kept_refs::store(&facts.code);
        if let Ok(payload) = postcard::to_allocvec(&(&facts, &refs)) {
            self.store.put(Shelf::Facts, &name, &payload);
        }
        // The references are kept in the form just written, as a hit's are.
        kept_refs::pack(&mut facts.code, refs);
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
            unchanged: self.unchanged.load(Ordering::Relaxed),
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
        if let Some((name, record)) = self.seen.record() {
            let store = self.store.clone();
            upkeep.spawn(move || store.put(Shelf::Workspace, &name, &record));
        }
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
