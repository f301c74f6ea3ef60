//! Parsing while `cargo metadata` runs. Cargo takes 10–20 ms on one core
//! before a run knows its crates; the other core can read the files the
//! run will most likely ask for first.
//!
//! What a file yields depends on the run's settings (`include-tests`, from
//! the policy) and places (the workspace root files are shown relative to,
//! the target directory that is never read), which cargo's answer gives.
//! So the head start guesses, and only what it read under guesses that
//! turn out right is used: the root is the folder of the manifest the run
//! starts from when that manifest has a `[workspace]` table (cargo's rule:
//! such a manifest is its workspace's root) and is not a link, tests are
//! left out (the default), and the crate roots are each member's
//! `src/lib.rs` and `src/main.rs`. It skips the root's `target`; where the
//! real target directory is does not change what a file yields (files
//! under it are never asked for). From them it follows
//! `mod x;` declarations as the run does (`prefetch.rs`), under the same
//! rules: only regular files inside the root and outside `target`.
//!
//! A file read ahead is taken by the run as if it had just read it, cache
//! included (its facts are kept in the cache as a miss's are). A run that
//! gets cargo's answer from the cache (`workspace/cached.rs`) starts none.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

use super::extract::ExtractOptions;
use super::parse::{parsing_pool, ReadAhead};
use super::prefetch::{Key, Prefetch, Reading};
use super::read::contained;
use super::tree::Locator;
use crate::workspace::Workspace;

/// Files read ahead of a run, for its tree to take.
#[derive(Default)]
pub struct ReadEarly(pub(super) HashMap<Key, ReadAhead>);

impl ReadEarly {
    /// How many files were read ahead.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The parsing started while cargo runs, if any.
#[derive(Default)]
pub struct HeadStart {
    running: Mutex<Option<Running>>,
}

struct Running {
    prefetch: Arc<Prefetch<'static>>,
    /// Threads still reading, and a signal when one stops.
    busy: Arc<(Mutex<usize>, Condvar)>,
}

/// The settings the head start reads under.
const GUESSED: ExtractOptions = ExtractOptions {
    include_tests: false,
};

impl HeadStart {
    /// Starts reading the likely crate roots of the workspace whose
    /// manifest is `manifest` (as named), if it is a workspace root's.
    pub fn start(&self, manifest: &Path) {
        let Some((locator, roots)) = guess(manifest) else {
            return;
        };
        let prefetch = Arc::new(Prefetch::new(locator, GUESSED, Reading::Ahead));
        for (file, shown) in roots {
            let size = super::prefetch::size_of(&file);
            prefetch.ahead(&file, shown.into(), true, size);
        }
        // Cargo keeps a core busy: one thread fewer than the pool has, so
        // cargo is not slowed by the reading meant to fill its wait.
        let threads = parsing_pool()
            .current_num_threads()
            .saturating_sub(1)
            .max(1);
        let busy = Arc::new((Mutex::new(threads), Condvar::new()));
        for _ in 0..threads {
            let (prefetch, busy) = (prefetch.clone(), busy.clone());
            parsing_pool().spawn(move || {
                // A panic stops this thread's reading: the run reads
                // again what it does not find (and meets the panic there).
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prefetch.work()));
                // Let go of the reading before saying so: `finish` takes
                // it back whole.
                drop(prefetch);
                let (count, stopped) = &*busy;
                *lock(count) -= 1;
                stopped.notify_all();
            });
        }
        *lock(&self.running) = Some(Running { prefetch, busy });
    }

    /// Stops reading ahead (each thread after the file it reads) and
    /// hands what was read to a run in `workspace` with `options`: nothing
    /// when a guess was wrong.
    pub fn finish(&self, workspace: &Workspace, options: ExtractOptions) -> ReadEarly {
        let Some(running) = lock(&self.running).take() else {
            return ReadEarly::default();
        };
        running.stop();
        let Ok(prefetch) = Arc::try_unwrap(running.prefetch) else {
            return ReadEarly::default();
        };
        // Where the target directory is does not change what a file
        // yields: files under the real one are never asked for.
        if prefetch.locator().root() != workspace.root
            || options.include_tests != GUESSED.include_tests
        {
            return ReadEarly::default();
        }
        ReadEarly(prefetch.into_read_ahead())
    }
}

impl Drop for HeadStart {
    /// A run that ends before it parses (a bad policy, cargo's error) still
    /// stops the threads: the parsing pool is theirs until then.
    fn drop(&mut self) {
        if let Some(running) = lock(&self.running).take() {
            running.stop();
        }
    }
}

impl Running {
    /// Waits until every reading thread has stopped.
    fn wait(&self) {
        let (count, stopped) = &*self.busy;
        let mut count = lock(count);
        while *count > 0 {
            count = stopped.wait(count).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Stops the reading (each thread after the file it reads) and waits
    /// for the threads.
    fn stop(&self) {
        self.prefetch.close();
        self.wait();
    }
}

/// The workspace root's places and its members' likely crate roots, each
/// with how it is shown, when `manifest` is a workspace root's. A manifest
/// that is a link starts nothing: cargo's root is the link's folder, and
/// the file it names may be anywhere.
fn guess(manifest: &Path) -> Option<(Locator, Vec<(PathBuf, String)>)> {
    let root = manifest.parent()?.canonicalize().ok()?;
    let canonical = manifest.canonicalize().ok()?;
    if canonical != root.join("Cargo.toml") {
        return None;
    }
    let text = super::read::read_source(&canonical).ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    let workspace = table.get("workspace")?.as_table()?;
    let names = |key: &str| -> Vec<&str> {
        (workspace
            .get(key)
            .and_then(toml::Value::as_array)
            .into_iter())
        .flatten()
        .filter_map(toml::Value::as_str)
        .collect()
    };
    let excluded: Vec<PathBuf> = names("exclude").iter().map(|e| root.join(e)).collect();
    let mut members: Vec<PathBuf> = names("members")
        .iter()
        .flat_map(|pattern| member_dirs(&root, pattern))
        .filter(|dir| !excluded.iter().any(|e| dir.starts_with(e)))
        .collect();
    if table.contains_key("package") {
        members.push(root.clone());
    }
    let locator = Locator::new(root.clone(), root.join("target"));
    let mut roots = Vec::new();
    for member in members {
        for candidate in ["src/lib.rs", "src/main.rs"] {
            let Ok(file) = contained(&root, &member.join(candidate)) else {
                continue;
            };
            if file.is_file() && !file.starts_with(root.join("target")) {
                let shown = locator.shown(&file);
                roots.push((file, shown));
            }
        }
    }
    roots.sort();
    roots.dedup();
    Some((locator, roots))
}

/// The folders a `members` entry names: itself, or the entries of its
/// folder that a last component with `*` and `?` matches. Anything else
/// a glob may say is left to cargo (and the run).
fn member_dirs(root: &Path, pattern: &str) -> Vec<PathBuf> {
    let pattern = pattern.trim_end_matches('/');
    let (parent, last) = match pattern.rsplit_once('/') {
        Some((parent, last)) => (parent, last),
        None => ("", pattern),
    };
    if parent.contains(['*', '?', '[']) || last.contains('[') {
        return Vec::new();
    }
    if !last.contains(['*', '?']) {
        return vec![root.join(pattern)];
    }
    // Only a folder inside the root is listed.
    let Ok(folder) = contained(root, &root.join(parent)) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| e.file_name().to_str().is_some_and(|n| wildcard(last, n)))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

/// Whether `name` matches `pattern`, whose `*` stands for any run of
/// characters and `?` for one.
fn wildcard(pattern: &str, name: &str) -> bool {
    let (pattern, name): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), name.chars().collect());
    // The classic two-pointer match, backtracking to the last `*`.
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, n));
                p += 1;
            }
            Some(&c) if c == '?' || c == name[n] => {
                p += 1;
                n += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    p = sp + 1;
                    n = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::LoadOptions;

    impl HeadStart {
        /// Waits for the reading to end on its own: every file reachable
        /// from the roots read.
        fn idle(&self) {
            if let Some(running) = lock(&self.running).as_ref() {
                running.wait();
            }
        }
    }

    fn fixture(name: &str) -> (PathBuf, Workspace) {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name)
            .join("Cargo.toml")
            .canonicalize()
            .expect("the fixture");
        let mut workspace = crate::workspace::load(&LoadOptions {
            manifest_path: Some(manifest.clone()),
            cargo: std::env::var_os("CARGO").map(Into::into),
            ..LoadOptions::default()
        })
        .expect("the fixture's metadata");
        workspace.drop_test_targets();
        (manifest, workspace)
    }

    #[test]
    fn a_run_given_the_files_read_ahead_builds_the_same_model() {
        for name in [
            "demo",
            "layout-macro-mods",
            "layout-cfg-attr-paths",
            "parse-error",
        ] {
            let (manifest, workspace) = fixture(name);
            assert_read_ahead_changes_nothing(&manifest, &workspace);
        }
    }

    /// Reads ahead everything `manifest` leads to, then builds `workspace`'s
    /// model from it: the same model as without.
    fn assert_read_ahead_changes_nothing(manifest: &Path, workspace: &Workspace) {
        let head_start = HeadStart::default();
        head_start.start(manifest);
        head_start.idle();
        let early = head_start.finish(workspace, GUESSED);
        assert!(early.len() > 1, "{manifest:?}: {}", early.len());
        let discovered = super::super::discover(workspace, GUESSED, None, early);
        let with = super::super::resolve(workspace, discovered, GUESSED, None);
        let without = super::super::load(workspace, GUESSED, None);
        assert_eq!(format!("{with:?}"), format!("{without:?}"), "{manifest:?}");
    }

    #[test]
    fn a_target_directory_elsewhere_keeps_what_was_read() {
        let (manifest, mut workspace) = fixture("demo");
        workspace.target_dir = std::env::temp_dir().join("elsewhere");
        assert_read_ahead_changes_nothing(&manifest, &workspace);
    }

    #[test]
    fn what_was_read_under_other_settings_is_not_used() {
        let (manifest, workspace) = fixture("demo");
        let head_start = HeadStart::default();
        head_start.start(&manifest);
        head_start.idle();
        let tests = ExtractOptions {
            include_tests: true,
        };
        assert!(head_start.finish(&workspace, tests).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn the_roots_guessed_are_regular_files_inside_the_root() {
        let dir = tempfile::tempdir().expect("a folder");
        let root = dir.path().canonicalize().expect("canonical");
        let outside = tempfile::tempdir().expect("a folder");
        std::fs::write(outside.path().join("lib.rs"), "pub fn f() {}").expect("written");
        std::fs::create_dir_all(outside.path().join("x/src")).expect("made");
        std::fs::write(outside.path().join("x/src/lib.rs"), "").expect("written");
        let workspace = root.join("ws");
        for member in [
            "crates/a/src",
            "crates/b/src",
            "crates/skip/src",
            "target/c/src",
        ] {
            std::fs::create_dir_all(workspace.join(member)).expect("made");
        }
        std::fs::write(workspace.join("crates/a/src/lib.rs"), "").expect("written");
        std::fs::write(workspace.join("crates/skip/src/lib.rs"), "").expect("written");
        std::fs::write(workspace.join("target/c/src/main.rs"), "").expect("written");
        std::os::unix::fs::symlink(
            outside.path().join("lib.rs"),
            workspace.join("crates/b/src/lib.rs"),
        )
        .expect("linked");
        std::fs::write(
            workspace.join("Cargo.toml"),
            format!(
                "[workspace]\nmembers = [\"crates/*\", \"target/c\", \"{}/x\", \"../*\"]\nexclude = [\"crates/skip\"]\n",
                outside.path().display()
            ),
        )
        .expect("written");
        let (locator, roots) = guess(&workspace.join("Cargo.toml")).expect("a workspace root");
        assert_eq!(locator.root(), workspace);
        let shown: Vec<&str> = roots.iter().map(|(_, shown)| shown.as_str()).collect();
        assert_eq!(shown, ["crates/a/src/lib.rs"]);
        // A manifest that is a link starts nothing.
        let linked = root.join("linked");
        std::fs::create_dir_all(&linked).expect("made");
        std::os::unix::fs::symlink(workspace.join("Cargo.toml"), linked.join("Cargo.toml"))
            .expect("linked");
        assert!(guess(&linked.join("Cargo.toml")).is_none());
        // A package's manifest (no `[workspace]`) starts nothing.
        std::fs::write(
            workspace.join("crates/a/Cargo.toml"),
            "[package]\nname = \"a\"\n",
        )
        .expect("written");
        assert!(guess(&workspace.join("crates/a/Cargo.toml")).is_none());
    }

    #[test]
    fn wildcards_match_as_cargo_globs_do_in_one_component() {
        assert!(wildcard("*", "anything"));
        assert!(wildcard("nu-*", "nu-cli"));
        assert!(wildcard("nu_plugin_?", "nu_plugin_x"));
        assert!(!wildcard("nu-*", "nu_plugin"));
        assert!(wildcard("a*b*c", "aXbYc"));
        assert!(!wildcard("a*b*c", "aXbY"));
    }
}
