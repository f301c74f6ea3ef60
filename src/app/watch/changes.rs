//! Which file-system events call for a new check, and how a burst of them
//! (an editor's save, a `git checkout`) becomes one.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{EventKind, ModifyKind};

use super::folders::Plan;
use super::Signal;

/// A new check waits until no relevant event came for this long...
const QUIET: Duration = Duration::from_millis(50);
/// ...but never longer than this after the first one, so a folder that
/// never settles is still checked.
const LONGEST_WAIT: Duration = Duration::from_secs(2);

/// Why the wait ended.
pub enum Wake {
    Interrupted,
    Changed(Changes),
}

/// The changes one new check answers.
#[derive(Debug, Default)]
pub struct Changes {
    /// The paths that changed, sorted.
    pub paths: BTreeSet<PathBuf>,
    /// A manifest changed, or events were lost: read the workspace again.
    pub reload: bool,
    /// Watched folders that were removed or renamed: their watches are
    /// gone and must be set again.
    pub lost_folders: BTreeSet<PathBuf>,
}

/// How one path matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relevance {
    Ignored,
    Source,
    Manifest,
}

impl Changes {
    /// Whether anything that matters changed.
    pub fn any(&self) -> bool {
        self.reload || !self.paths.is_empty()
    }

    /// Takes in one event; whether it matters.
    pub fn add(&mut self, plan: &Plan, event: notify::Result<notify::Event>) -> bool {
        let event = match event {
            Ok(event) => event,
            // The watcher lost track (a queue overflow, a removed watch):
            // check everything again rather than miss a change.
            Err(_) => {
                self.reload = true;
                return true;
            }
        };
        if event.need_rescan() {
            self.reload = true;
            return true;
        }
        // Reading a file (our own check does) is no change.
        if matches!(event.kind, EventKind::Access(_)) {
            return false;
        }
        let gone = matches!(
            event.kind,
            EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        let mut relevant = false;
        for path in &event.paths {
            let relevance = relevance(plan, path);
            if relevance == Relevance::Ignored {
                continue;
            }
            relevant = true;
            if relevance == Relevance::Manifest {
                self.reload = true;
            }
            if gone {
                self.lost_folders.extend(
                    plan.recursive
                        .iter()
                        .chain(&plan.flat)
                        .filter(|folder| folder.starts_with(path))
                        .cloned(),
                );
            }
            self.paths.insert(path.clone());
        }
        relevant
    }
}

/// Whether a change to `path` can change the result.
fn relevance(plan: &Plan, path: &Path) -> Relevance {
    if path.starts_with(&plan.target_dir) || in_hidden_folder(plan, path) {
        return Relevance::Ignored;
    }
    if plan.manifests.contains(path) || path.file_name().is_some_and(|n| n == "Cargo.toml") {
        // A manifest we did not know of may be a new member's.
        return Relevance::Manifest;
    }
    if plan.files.contains(path) {
        return Relevance::Source;
    }
    // A watched folder itself, or one above it, appearing or going away.
    let holds_sources = plan.recursive.iter().any(|folder| folder.starts_with(path));
    if holds_sources {
        return Relevance::Source;
    }
    if plan.covers(path) {
        let rust = path.extension().is_some_and(|e| e == "rs");
        // A folder that appears, or a path gone without an extension
        // (it may have been a folder of sources).
        let folder = path.is_dir() || (!path.exists() && path.extension().is_none());
        if rust || folder {
            return Relevance::Source;
        }
    }
    Relevance::Ignored
}

/// `.git/...` and other hidden folders below the root: version control
/// and tools' state, never sources we read by folder.
fn in_hidden_folder(plan: &Plan, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(&plan.root) else {
        return false;
    };
    let mut components = relative.components().peekable();
    while let Some(component) = components.next() {
        let last = components.peek().is_none();
        if let Component::Normal(name) = component {
            if !last && name.to_string_lossy().starts_with('.') {
                return true;
            }
        }
    }
    false
}

/// Waits for the next relevant change (unless `changes`, seen while the
/// last check ran, already holds one) and the burst it starts, or for
/// Ctrl-C.
pub fn next(signals: &Receiver<Signal>, plan: &Plan, mut changes: Changes) -> Wake {
    while !changes.any() {
        match signals.recv() {
            Ok(Signal::Fs(event)) => {
                changes.add(plan, event);
            }
            // No check runs while we wait.
            Ok(Signal::Checked(_)) => {}
            // Nothing can send any more: nothing will ever change.
            Ok(Signal::Interrupt) | Err(_) => return Wake::Interrupted,
        }
    }
    let first = Instant::now();
    let mut quiet_until = first + QUIET;
    loop {
        let until = quiet_until.min(first + LONGEST_WAIT);
        let timeout = until.saturating_duration_since(Instant::now());
        match signals.recv_timeout(timeout) {
            Ok(Signal::Fs(event)) => {
                if changes.add(plan, event) {
                    quiet_until = Instant::now() + QUIET;
                }
            }
            Ok(Signal::Checked(_)) => {}
            Ok(Signal::Interrupt) | Err(RecvTimeoutError::Disconnected) => {
                return Wake::Interrupted
            }
            Err(RecvTimeoutError::Timeout) => return Wake::Changed(changes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, DataChange, RemoveKind};
    use std::sync::mpsc;

    fn plan() -> Plan {
        Plan {
            root: "/ws".into(),
            target_dir: "/ws/target".into(),
            recursive: ["/ws/a/src".into()].into(),
            flat: ["/ws".into(), "/ws/a".into()].into(),
            files: ["/ws/boundaries.toml".into(), "/ws/a/src/lib.rs".into()].into(),
            manifests: ["/ws/Cargo.toml".into(), "/ws/a/Cargo.toml".into()].into(),
        }
    }

    fn event(kind: EventKind, path: &str) -> Signal {
        Signal::Fs(Ok(notify::Event::new(kind).add_path(path.into())))
    }

    fn modify(path: &str) -> Signal {
        event(EventKind::Modify(ModifyKind::Data(DataChange::Any)), path)
    }

    #[test]
    fn what_counts() {
        let plan = plan();
        let cases = [
            ("/ws/a/src/lib.rs", Relevance::Source),
            ("/ws/a/src/new/deep.rs", Relevance::Source),
            ("/ws/boundaries.toml", Relevance::Source),
            ("/ws/a/Cargo.toml", Relevance::Manifest),
            ("/ws/b/Cargo.toml", Relevance::Manifest),
            ("/ws/a/src", Relevance::Source),
            ("/ws/a/src/gone", Relevance::Source),
            ("/ws/a/src/notes.md", Relevance::Ignored),
            ("/ws/a/src/.lib.rs.swp", Relevance::Ignored),
            ("/ws/README.md", Relevance::Ignored),
            ("/ws/build.rs", Relevance::Ignored),
            ("/ws/target/boundaries/cache", Relevance::Ignored),
            ("/ws/target/debug/Cargo.toml", Relevance::Ignored),
            ("/ws/.git/index", Relevance::Ignored),
            ("/ws/a/src/.hidden/x.rs", Relevance::Ignored),
        ];
        for (path, expected) in cases {
            assert_eq!(relevance(&plan, Path::new(path)), expected, "{path}");
        }
    }

    #[test]
    fn a_burst_is_one_change_and_reads_are_none() {
        let plan = plan();
        let (send, receive) = mpsc::channel();
        send.send(event(
            EventKind::Access(AccessKind::Read),
            "/ws/a/src/lib.rs",
        ))
        .unwrap();
        send.send(modify("/ws/a/src/lib.rs")).unwrap();
        send.send(event(EventKind::Create(CreateKind::File), "/ws/a/src/x.rs"))
            .unwrap();
        send.send(modify("/ws/a/Cargo.toml")).unwrap();
        let Wake::Changed(changes) = next(&receive, &plan, Changes::default()) else {
            panic!("a change was expected");
        };
        assert!(changes.reload);
        assert_eq!(
            changes.paths.iter().collect::<Vec<_>>(),
            ["/ws/a/Cargo.toml", "/ws/a/src/lib.rs", "/ws/a/src/x.rs"]
                .map(Path::new)
                .to_vec()
        );
        // Only reads since: the next wait ends on Ctrl-C alone.
        send.send(event(EventKind::Access(AccessKind::Any), "/ws/a/src/x.rs"))
            .unwrap();
        send.send(Signal::Interrupt).unwrap();
        assert!(matches!(
            next(&receive, &plan, Changes::default()),
            Wake::Interrupted
        ));
    }

    #[test]
    fn changes_spaced_closer_than_the_quiet_time_are_one() {
        let plan = plan();
        let (send, receive) = mpsc::channel();
        let sender = std::thread::spawn(move || {
            for i in 0..5 {
                send.send(modify(&format!("/ws/a/src/f{i}.rs"))).unwrap();
                std::thread::sleep(QUIET / 10);
            }
            send
        });
        let Wake::Changed(changes) = next(&receive, &plan, Changes::default()) else {
            panic!("a change was expected");
        };
        assert_eq!(changes.paths.len(), 5, "{changes:?}");
        drop(sender.join());
    }

    #[test]
    fn a_removed_source_folder_loses_its_watch() {
        let plan = plan();
        let (send, receive) = mpsc::channel();
        send.send(event(EventKind::Remove(RemoveKind::Folder), "/ws/a"))
            .unwrap();
        let Wake::Changed(changes) = next(&receive, &plan, Changes::default()) else {
            panic!("a change was expected");
        };
        assert_eq!(
            changes.lost_folders.iter().collect::<Vec<_>>(),
            ["/ws/a", "/ws/a/src"].map(Path::new).to_vec()
        );
        assert!(!changes.reload);
    }
}
