use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use super::*;

fn store_at(dir: &Path, secret: u8) -> Store {
    Store::open_with(dir.to_path_buf(), Key::from_bytes([secret; 32])).unwrap()
}

#[test]
fn what_is_put_is_got_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_at(dir.path(), 1);
    let name = store.name(Shelf::Facts, &[b"text"]);
    assert_eq!(store.get(Shelf::Facts, &name), None);
    store.put(Shelf::Facts, &name, b"facts");
    assert_eq!(
        store.get(Shelf::Facts, &name).as_deref(),
        Some(&b"facts"[..])
    );
    // Shelves are apart; another key sees nothing.
    assert_eq!(store.get(Shelf::Workspace, &name), None);
    let other = store_at(dir.path(), 2);
    assert_eq!(other.get(Shelf::Facts, &name), None);
    let other_name = other.name(Shelf::Facts, &[b"text"]);
    assert_ne!(other_name, name);
    assert_eq!(other.get(Shelf::Facts, &other_name), None);
}

#[test]
fn an_entry_written_with_another_key_is_a_miss() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_at(dir.path(), 1);
    let attacker = store_at(dir.path(), 9);
    let name = store.name(Shelf::Facts, &[b"text"]);
    // The attacker knows the name (say it leaked) but not the key.
    attacker.put(Shelf::Facts, &name, b"lies");
    assert_eq!(store.get(Shelf::Facts, &name), None);
}

#[cfg(unix)]
#[test]
fn symlinks_are_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_at(dir.path(), 1);
    let name = store.name(Shelf::Facts, &[b"text"]);
    let elsewhere = store.name(Shelf::Facts, &[b"other"]);
    store.put(Shelf::Facts, &elsewhere, b"facts");
    let facts = dir.path().join(FOLDER).join("facts");
    std::os::unix::fs::symlink(
        facts.join(elsewhere.file_name()),
        facts.join(name.file_name()),
    )
    .unwrap();
    assert_eq!(store.get(Shelf::Facts, &name), None);
    // Writing replaces the symlink, never writes through it.
    let outside = dir.path().join("outside");
    std::fs::write(&outside, "keep").unwrap();
    std::fs::remove_file(facts.join(name.file_name())).unwrap();
    std::os::unix::fs::symlink(&outside, facts.join(name.file_name())).unwrap();
    store.put(Shelf::Facts, &name, b"new");
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep");
    assert_eq!(store.get(Shelf::Facts, &name).as_deref(), Some(&b"new"[..]));
    // A shelf that is a symlink is not used.
    let planted = tempfile::tempdir().unwrap();
    let store = store_at(planted.path(), 1);
    let shelf = planted.path().join(FOLDER).join("workspace");
    std::os::unix::fs::symlink(dir.path(), &shelf).unwrap();
    store.put(Shelf::Workspace, &name, b"x");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn pruning_removes_old_unused_entries_then_keeps_under_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_at(dir.path(), 1);
    let names: Vec<EntryName> = (0u8..6)
        .map(|i| store.name(Shelf::Facts, &[&[i]]))
        .collect();
    for name in &names {
        store.put(Shelf::Facts, name, &[0; 1000]);
    }
    let folder = dir.path().join(FOLDER).join("facts");
    let age = |name: &EntryName, days: u64| {
        let file = std::fs::File::options()
            .write(true)
            .open(folder.join(name.file_name()))
            .unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(days * 24 * 3600))
            .unwrap();
    };
    // 0 and 1 are old; 0 was used by this run. 2..6 are recent, 2 oldest.
    age(&names[0], 30);
    age(&names[1], 30);
    age(&names[2], 3);
    age(&names[3], 2);
    let used: HashSet<EntryName> = [names[0]].into();
    let present = || {
        names
            .iter()
            .map(|n| folder.join(n.file_name()).exists())
            .collect::<Vec<_>>()
    };
    prune::prune_with(&folder, &used, prune::MAX_AGE, u64::MAX);
    assert_eq!(present(), [true, false, true, true, true, true]);
    // Over the cap: least recently used first, never this run's.
    prune::prune_with(&folder, &used, prune::MAX_AGE, 3500);
    assert_eq!(present(), [true, false, false, false, true, true]);
}

#[test]
fn a_hit_refreshes_an_old_entry() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_at(dir.path(), 1);
    let name = store.name(Shelf::Facts, &[b"x"]);
    store.put(Shelf::Facts, &name, b"x");
    let path = dir.path().join(FOLDER).join("facts").join(name.file_name());
    let old = SystemTime::now() - Duration::from_secs(10 * 24 * 3600);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(old)
        .unwrap();
    assert!(store.get(Shelf::Facts, &name).is_some());
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    assert!(modified > old + Duration::from_secs(24 * 3600));
}
