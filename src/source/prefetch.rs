//! Parsing ahead of the module tree: a work queue that keeps every parsing
//! thread busy until the last file is read.
//!
//! The tree is built in a fixed order (breadth first, each file's
//! declarations in order), which module ids and every output depend on.
//! Parsing need not wait for that order: the moment a file is parsed, the
//! files its `mod x;` declarations name are found (exactly as the tree will
//! look for them) and queued, biggest first, so a big file deep in the tree
//! starts as early as it can and no thread waits for a level to finish.
//! The tree then takes each file's result as it reaches the file; a file it
//! needs that was not parsed ahead (read a second time, or reached through
//! a declaration parsed ahead differently) is queued first and waited for.
//!
//! Parsing ahead never reads more than the tree would: only regular files
//! inside the workspace root and outside its target directory, each at most
//! once, so a module cycle ends at the first file seen again.

use std::collections::{BinaryHeap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use super::cache::FactsCache;
use super::code::ModDecl;
use super::extract::ExtractOptions;
use super::parse::{adopt, parse_file, read_ahead, ParsedFile, ReadAhead};
use super::tree::{child_dir, module_file_candidates, Found, Locator};

/// A file as the tree asks for it: its canonical path and how it is shown.
/// The shown path is part of the parse (its warnings and suppressions are
/// located with it), so a file shown two ways is two results.
pub type Key = (PathBuf, Arc<str>);

/// How files are read: for the run, or ahead of it.
pub enum Reading<'a> {
    /// The run's own, through its cache if it keeps one; a file read ahead
    /// of it with the same settings (`head_start.rs`) is taken from there.
    Run {
        cache: Option<&'a FactsCache>,
        ahead: Mutex<HashMap<Key, ReadAhead>>,
    },
    /// Ahead of the run, while `cargo metadata` runs (`head_start.rs`):
    /// its settings and cache are not known yet. The threads stop when no
    /// file is left to read.
    Ahead,
}

/// A file's parse, as the reading asked.
enum Parsed {
    File(ParsedFile),
    Ahead(Option<ReadAhead>),
}

impl Parsed {
    fn children(&self) -> &[ModDecl] {
        match self {
            Parsed::File(parsed) => &parsed.code.children,
            Parsed::Ahead(Some(read)) => read.children(),
            Parsed::Ahead(None) => &[],
        }
    }
}

/// A file to parse.
#[derive(PartialEq, Eq)]
struct Job {
    /// Asked for by the tree, which waits for it: before anything else.
    demanded: bool,
    /// The file's size in bytes: the biggest is parsed first, so the last
    /// file to finish is a small one.
    size: u64,
    key: Key,
    /// Whether the file's `mod x;` children live beside it.
    owns_dir: bool,
}

impl Ord for Job {
    fn cmp(&self, other: &Job) -> std::cmp::Ordering {
        (self.demanded, self.size, &other.key).cmp(&(other.demanded, other.size, &self.key))
    }
}

impl PartialOrd for Job {
    fn partial_cmp(&self, other: &Job) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Default)]
struct State {
    queue: BinaryHeap<Job>,
    /// Files queued or being parsed. A file may be in the queue twice (once
    /// ahead, once asked for by the tree): a job whose file is no longer
    /// pending, or already being parsed, is dropped.
    pending: HashSet<Key>,
    running: HashSet<Key>,
    /// Files parsed, not yet taken by the tree.
    done: HashMap<Key, Parsed>,
    /// Files ever queued ahead: each is parsed ahead once.
    seen: HashSet<PathBuf>,
    /// The file the tree waits for, if it waits.
    awaited: Option<Key>,
    /// The tree is built: the threads stop.
    closed: bool,
    /// Parsing threads waiting for a job.
    idle: usize,
    /// A parsing thread panicked: the file it parsed will never come, so
    /// the tree must not wait for it.
    failed: bool,
}

pub struct Prefetch<'a> {
    locator: Locator,
    options: ExtractOptions,
    reading: Reading<'a>,
    state: Mutex<State>,
    /// Wakes a parsing thread: a job was queued, or the queue closed.
    jobs: Condvar,
    /// Wakes the tree: the file it waits for is parsed. Only then: each
    /// needless wake-up would take a core from a parsing thread.
    ready: Condvar,
}

impl<'a> Prefetch<'a> {
    pub fn new(locator: Locator, options: ExtractOptions, reading: Reading<'a>) -> Prefetch<'a> {
        Prefetch {
            locator,
            options,
            reading,
            state: Mutex::new(State::default()),
            jobs: Condvar::new(),
            ready: Condvar::new(),
        }
    }

    pub fn options(&self) -> ExtractOptions {
        self.options
    }

    /// The places files are looked for in.
    pub fn locator(&self) -> &Locator {
        &self.locator
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a file to parse ahead, unless it was queued before. `size`
    /// orders the queue: the file's size when it was looked at.
    pub fn ahead(&self, file: &Path, relative: Arc<str>, owns_dir: bool, size: u64) {
        let mut state = self.lock();
        if state.seen.insert(file.to_path_buf()) {
            let key = (file.to_path_buf(), relative);
            state.pending.insert(key.clone());
            state.queue.push(Job {
                demanded: false,
                size,
                key,
                owns_dir,
            });
            self.wake_a_worker(&state);
        }
    }

    /// The parse of `file`, shown as `relative`: taken from what was parsed
    /// ahead, or queued first and waited for.
    pub fn take(&self, file: &Path, relative: Arc<str>, owns_dir: bool) -> ParsedFile {
        let key = (file.to_path_buf(), relative);
        let mut state = self.lock();
        let mut asked = false;
        loop {
            if let Some(Parsed::File(parsed)) = state.done.remove(&key) {
                state.awaited = None;
                return parsed;
            }
            if state.failed {
                drop(state);
                panic!("a thread parsing source files panicked");
            }
            if !asked && !state.running.contains(&key) {
                // Not parsed ahead, or waiting behind bigger files: first.
                state.seen.insert(key.0.clone());
                state.pending.insert(key.clone());
                state.queue.push(Job {
                    demanded: true,
                    size: 0,
                    key: key.clone(),
                    owns_dir,
                });
                asked = true;
                self.wake_a_worker(&state);
            }
            state.awaited = Some(key.clone());
            state = self.ready.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The files read ahead of the run, once its threads have stopped.
    pub fn into_read_ahead(self) -> HashMap<Key, ReadAhead> {
        let state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        (state.done.into_iter())
            .filter_map(|(key, parsed)| match parsed {
                Parsed::Ahead(Some(read)) => Some((key, read)),
                _ => None,
            })
            .collect()
    }

    /// Wakes a parsing thread for a job just queued, if one waits: a wake
    /// is a system call even when nobody waits, and one is queued per file.
    fn wake_a_worker(&self, state: &State) {
        if state.idle > 0 {
            self.jobs.notify_one();
        }
    }

    /// Stops the parsing threads, each after the file it is parsing.
    pub fn close(&self) {
        self.lock().closed = true;
        self.jobs.notify_all();
    }

    /// One parsing thread: parses the biggest queued file, queues the files
    /// it declares, until the queue is closed.
    pub fn work(&self) {
        let _failed = FailOnPanic(self);
        loop {
            let job = {
                let mut state = self.lock();
                loop {
                    // Once the tree is built, what is still queued is
                    // needed by nobody. Ahead of the run, nobody else
                    // queues files once none is queued or being read.
                    let drained = state.queue.is_empty() && state.running.is_empty();
                    if state.closed || (drained && matches!(self.reading, Reading::Ahead)) {
                        self.jobs.notify_all();
                        return;
                    }
                    if let Some(job) = state.queue.pop() {
                        if state.pending.contains(&job.key) && state.running.insert(job.key.clone())
                        {
                            break job;
                        }
                        continue;
                    }
                    state.idle += 1;
                    state = self.jobs.wait(state).unwrap_or_else(|e| e.into_inner());
                    state.idle -= 1;
                }
            };
            let (file, relative) = &job.key;
            let parsed = match &self.reading {
                Reading::Run { cache, ahead } => {
                    let read = lock(ahead).remove(&job.key);
                    Parsed::File(match read {
                        Some(read) => adopt(relative.clone(), read, *cache),
                        None => parse_file(relative.clone(), file, self.options, *cache),
                    })
                }
                Reading::Ahead => Parsed::Ahead(read_ahead(file, self.options)),
            };
            let dir = child_dir(file, job.owns_dir);
            let base = file.parent().unwrap_or(Path::new(""));
            let mut children = Vec::new();
            self.children(parsed.children(), base, &dir, Some(base), &mut children);
            for Child {
                file,
                owns_dir,
                size,
            } in children
            {
                let relative = self.locator.shown(&file).into();
                self.ahead(&file, relative, owns_dir, size);
            }
            let mut state = self.lock();
            state.pending.remove(&job.key);
            state.running.remove(&job.key);
            if state.awaited.as_ref() == Some(&job.key) {
                self.ready.notify_one();
            }
            state.done.insert(job.key, parsed);
        }
    }

    /// The files `mod x;` declarations name, as the tree will find them
    /// (inline modules' own declarations included), without warnings.
    fn children(
        &self,
        decls: &[ModDecl],
        base: &Path,
        dir: &Path,
        file_dir: Option<&Path>,
        found: &mut Vec<Child>,
    ) {
        // Inline modules nest as deep as the code: a work list.
        let mut work: Vec<(&[ModDecl], PathBuf, Option<&Path>)> =
            vec![(decls, dir.to_path_buf(), file_dir)];
        while let Some((decls, dir, file_dir)) = work.pop() {
            for decl in decls {
                match &decl.inline {
                    Some(code) => work.push((
                        &code.children,
                        dir.join(decl.path_attr.as_deref().unwrap_or(&decl.name)),
                        None,
                    )),
                    None => {
                        let candidates = module_file_candidates(decl, &dir, file_dir);
                        for candidate in &candidates.alternatives {
                            if let Found::File { path, size } = self.locator.find(base, candidate) {
                                found.push(Child {
                                    file: path,
                                    owns_dir: true,
                                    size,
                                });
                            }
                        }
                        for (candidate, owns_dir) in &candidates.defaults {
                            match self.locator.find(base, candidate) {
                                Found::File { path, size } => {
                                    found.push(Child {
                                        file: path,
                                        owns_dir: *owns_dir,
                                        size,
                                    });
                                    break;
                                }
                                Found::Outside => break,
                                Found::Missing => {}
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A file a `mod x;` declaration names, found.
struct Child {
    file: PathBuf,
    /// Whether its own `mod x;` children live beside it.
    owns_dir: bool,
    size: u64,
}

/// The size of `file` for the queue's order: the crate roots', which no
/// declaration found.
pub fn size_of(file: &Path) -> u64 {
    std::fs::metadata(file).map_or(0, |m| m.len())
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Tells the tree when a parsing thread panics, so it stops waiting.
struct FailOnPanic<'p, 'a>(&'p Prefetch<'a>);

impl Drop for FailOnPanic<'_, '_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.lock().failed = true;
            self.0.ready.notify_all();
        }
    }
}

/// Closes the queue when the tree is done, or when building it panicked,
/// so the parsing threads never wait forever.
pub struct CloseOnDrop<'p, 'a>(pub &'p Prefetch<'a>);

impl Drop for CloseOnDrop<'_, '_> {
    fn drop(&mut self) {
        self.0.close();
    }
}
