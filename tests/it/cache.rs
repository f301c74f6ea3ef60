//! The cache under `target/boundaries/`: a run with it prints exactly what
//! a run without it prints, cold, warm and after edits; an entry that is
//! truncated, corrupt, of another version, written concurrently, planted
//! by a repository or reached through a symlink is a miss, never a crash
//! or a wrong result; it stays bounded; `--no-cache` leaves it alone.
//!
//! Every run here gets its own user cache folder (`XDG_CACHE_HOME`), so its
//! key is its own.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{copy_tree, project_root};

/// What one run printed, with the elapsed time masked.
#[derive(Debug, PartialEq, Eq)]
struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A run of the binary in `dir` with the user cache folder `home`.
fn run(dir: &Path, home: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-boundaries"))
        .args(args)
        .current_dir(dir)
        .env("XDG_CACHE_HOME", home)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("the binary runs");
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: masked(&String::from_utf8_lossy(&output.stdout)),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The JSON report's `elapsed_ms`, the one thing that differs run to run.
fn masked(text: &str) -> String {
    let marker = "\"elapsed_ms\":";
    let Some(at) = text.find(marker) else {
        return text.to_string();
    };
    let rest = &text[at + marker.len()..];
    let digits = rest
        .find(|c: char| !c.is_ascii_digit() && c != ' ')
        .unwrap_or(rest.len());
    format!("{}{marker}0{}", &text[..at], &rest[digits..])
}

const JSON: [&str; 3] = ["check", "--format", "json"];

/// `check --format json` on the workspace in `dir`, with `extra` args.
fn check(dir: &Path, home: &Path, extra: &[&str]) -> Output {
    let mut args = JSON.to_vec();
    args.extend_from_slice(extra);
    run(dir, home, &args)
}

/// How many files a `-v` run read from the cache, and parsed.
fn cache_use(stderr: &str) -> (usize, usize) {
    let line = stderr
        .lines()
        .find(|l| l.contains(" from the cache, "))
        .and_then(|l| l.split(';').next())
        .unwrap_or_else(|| panic!("no cache line in:\n{stderr}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    // "  1.2 ms  read N files: H from the cache, M parsed"
    let n = numbers.len();
    (numbers[n - 2], numbers[n - 1])
}

/// How many files a `-v` run took as the last run saw them, unread.
fn not_read_again(stderr: &str) -> usize {
    let line = stderr
        .lines()
        .find_map(|l| {
            l.split_once("; ")
                .filter(|_| l.contains(" from the cache, "))
        })
        .unwrap_or_else(|| panic!("no cache line in:\n{stderr}"));
    let count = line.1.split(' ').next().unwrap_or_default();
    count
        .parse()
        .unwrap_or_else(|_| panic!("no count in {line:?}"))
}

/// Whether a `-v` run says `cargo metadata`'s answer came from the cache.
fn metadata_from_cache(stderr: &str) -> bool {
    stderr
        .lines()
        .any(|l| l.contains("ms  cargo metadata: ") && l.ends_with("(from the cache)"))
}

/// A `-v` check: its output without the `-v` lines, and the cache's use.
fn verbose_check(dir: &Path, home: &Path) -> (Output, (usize, usize)) {
    let verbose = check(dir, home, &["-v"]);
    let used = cache_use(&verbose.stderr);
    (verbose, used)
}

/// The `-v` line of resolution of a run in `dir`.
fn resolved_line(dir: &Path, home: &Path) -> String {
    let verbose = check(dir, home, &["-v"]);
    verbose
        .stderr
        .lines()
        .find(|l| l.contains("ms  resolved "))
        .unwrap_or_else(|| panic!("{}", verbose.stderr))
        .to_string()
}

/// A copy of every fixture (so fixtures that reach beside themselves
/// still do), and a user cache folder.
struct Copy {
    _dir: tempfile::TempDir,
    fixtures: PathBuf,
    home: PathBuf,
}

impl Copy {
    fn new() -> Copy {
        let dir = tempfile::tempdir().unwrap();
        let fixtures = dir.path().join("fixtures");
        std::fs::create_dir_all(&fixtures).unwrap();
        copy_tree(&project_root().join("fixtures"), &fixtures);
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        Copy {
            fixtures,
            home,
            _dir: dir,
        }
    }

    fn fixture(&self, name: &str) -> PathBuf {
        self.fixtures.join(name)
    }

    /// The facts shelf of a fixture's store.
    fn facts(&self, name: &str) -> PathBuf {
        self.fixture(name).join("target/boundaries/facts")
    }
}

fn entries(folder: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|listing| listing.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.retain(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'));
    entries.sort();
    entries
}

/// Every folder of the fixtures with a `Cargo.toml` (workspaces and their
/// members), relative to the fixtures.
fn manifests(fixtures: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(fixtures)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "Cargo.toml")
        .filter(|e| !e.path().components().any(|c| c.as_os_str() == "target"))
        .map(|e| e.path().parent().unwrap().to_path_buf())
        .collect();
    found.sort();
    found
}

/// Every fixture, cold and warm, prints exactly what `--no-cache` prints,
/// and the warm run parses nothing.
#[test]
fn every_fixture_prints_the_same_with_and_without_the_cache() {
    let copy = Copy::new();
    let folders = manifests(&copy.fixtures);
    assert!(folders.len() > 60, "{folders:?}");
    let failures = on_three_threads(&folders, |dir| {
        let uncached = check(dir, &copy.home, &["--no-cache"]);
        let cold = check(dir, &copy.home, &[]);
        let warm = check(dir, &copy.home, &[]);
        let human_uncached = run(dir, &copy.home, &["check", "--no-cache"]);
        let human_warm = run(dir, &copy.home, &["check"]);
        let same_human =
            human_uncached.stderr == human_warm.stderr && human_uncached.code == human_warm.code;
        if cold != uncached || warm != uncached || !same_human {
            return vec![format!(
                "{}:\nno cache: {uncached:?}\ncold: {cold:?}\nwarm: {warm:?}",
                dir.display()
            )];
        }
        Vec::new()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The warm runs read every file from the cache.
    let (_, (hits, parsed)) = verbose_check(&copy.fixture("demo"), &copy.home);
    assert!(hits >= 20 && parsed == 0, "{hits} hits, {parsed} parsed");
}

/// Runs `each` over `items` on three threads; what each says went wrong.
fn on_three_threads<T: Sync>(items: &[T], each: impl Fn(&T) -> Vec<String> + Sync) -> Vec<String> {
    let failures = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let found = each(item);
                failures.lock().unwrap().extend(found);
            });
        }
    });
    failures.into_inner().unwrap()
}

/// A small deterministic generator of edits.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Edits of the kinds that change what a file yields: references, items,
/// imports, module declarations, suppressions, syntax errors, moves.
const INSERTS: [&str; 10] = [
    "pub fn edited() { crate::billing::api::charge(); }\n",
    "use crate::accounts::storage::Db;\n",
    "pub mod api;\n",
    "mod nowhere;\n",
    "pub struct Edited;\n",
    "fn broken( {\n",
    "// boundaries: allow(billing-not-accounts-storage) edited\n",
    "pub use super::*;\n",
    "#[cfg(test)] mod tests { use crate::catalog::storage::Db; }\n",
    "\n\n",
];

/// Random edits to files of a copy of a fixture: after each, a cached run
/// prints what an uncached run prints.
#[test]
fn after_random_edits_the_cache_changes_nothing() {
    let copy = Copy::new();
    let dir = copy.fixture("demo");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.into_path())
        .collect();
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    // Warm the cache first.
    check(&dir, &copy.home, &[]);
    for round in 0..12 {
        for _ in 0..1 + random.below(3) {
            let file = &files[random.below(files.len())];
            let text = std::fs::read_to_string(file).unwrap();
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let at = random.below(lines.len() + 1);
            let mut edited: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            match random.below(3) {
                0 if !edited.is_empty() && at < edited.len() => {
                    edited.remove(at);
                }
                1 if at < edited.len() => {
                    let line = edited[at].clone();
                    edited.insert(at, line);
                }
                _ => edited.insert(at, INSERTS[random.below(INSERTS.len())].to_string()),
            }
            std::fs::write(file, edited.concat()).unwrap();
        }
        let uncached = check(&dir, &copy.home, &["--no-cache"]);
        let cached = check(&dir, &copy.home, &[]);
        assert_eq!(cached, uncached, "round {round}");
        let again = check(&dir, &copy.home, &[]);
        assert_eq!(again, uncached, "round {round}, warm");
    }
}

/// Each kind of damage to each entry: the run parses the file again and
/// prints the same.
#[test]
fn damaged_entries_are_misses() {
    let copy = Copy::new();
    let dir = copy.fixture("demo");
    let expected = check(&dir, &copy.home, &["--no-cache"]);
    let (_, (_, files)) = verbose_check(&dir, &copy.home);
    let originals: Vec<(PathBuf, Vec<u8>)> = entries(&copy.facts("demo"))
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    type Damage = fn(&[u8]) -> Vec<u8>;
    let damages: [(&str, Damage); 7] = [
        ("truncated", |b| b[..b.len() / 2].to_vec()),
        ("header only", |b| b[..52.min(b.len())].to_vec()),
        ("empty", |_| Vec::new()),
        ("a payload bit flipped", |b| {
            let mut b = b.to_vec();
            let last = b.len() - 1;
            b[last] ^= 0x40;
            b
        }),
        ("another format version", |b| {
            let mut b = b.to_vec();
            b[8] = b[8].wrapping_add(1);
            b
        }),
        // What a reader would see of a writer that wrote in place and was
        // interrupted: the new entry's start over the old one's end.
        ("written concurrently", |b| {
            let mut b = b.to_vec();
            let half = b.len() / 2;
            b[half..].iter_mut().for_each(|x| *x = 0);
            b
        }),
        ("garbage", |b| {
            (0..b.len()).map(|i| (i * 31 % 251) as u8).collect()
        }),
    ];
    for (what, damage) in damages {
        for (path, bytes) in &originals {
            std::fs::write(path, damage(bytes)).unwrap();
        }
        let (verbose, (hits, parsed)) = verbose_check(&dir, &copy.home);
        assert_eq!((hits, parsed), (0, files), "{what}: {}", verbose.stderr);
        assert_eq!(check(&dir, &copy.home, &[]), expected, "{what}");
        // The misses wrote whole entries back: all hits now.
        assert_eq!(verbose_check(&dir, &copy.home).1, (files, 0), "{what}");
    }
    // One entry's content under another's name: sealed for its own name.
    let (first, second) = (&originals[0], &originals[1]);
    std::fs::write(&first.0, &second.1).unwrap();
    let (_, (hits, parsed)) = verbose_check(&dir, &copy.home);
    assert!(
        parsed >= 1 && hits + parsed == files,
        "{hits} hits, {parsed} parsed"
    );
    assert_eq!(check(&dir, &copy.home, &[]), expected);
}

/// Entries committed to the repository (made with another key, so with
/// other names, or copied over this user's names) are never used.
#[test]
fn planted_entries_are_never_trusted() {
    let copy = Copy::new();
    let dir = copy.fixture("demo");
    let attacker = copy.home.parent().unwrap().join("attacker");
    std::fs::create_dir_all(&attacker).unwrap();
    let expected = check(&dir, &copy.home, &["--no-cache"]);
    // The attacker's store, from a workspace whose files say something
    // else: its entries would report other references.
    let lib = dir.join("crates/shop/src/billing/domain.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, "pub fn planted() {}\n").unwrap();
    check(&dir, &attacker, &[]);
    let planted = entries(&copy.facts("demo"));
    std::fs::write(&lib, &text).unwrap();
    // The user's first run finds only the attacker's entries: all misses.
    let (_, (hits, _)) = verbose_check(&dir, &copy.home);
    assert_eq!(hits, 0);
    assert_eq!(check(&dir, &copy.home, &[]), expected);
    // Even copied over the user's own names, they do not open.
    let own = entries(&copy.facts("demo"));
    let own: Vec<_> = own.into_iter().filter(|p| !planted.contains(p)).collect();
    for (target, source) in own.iter().zip(planted.iter().cycle()) {
        std::fs::copy(source, target).unwrap();
    }
    let (_, (hits, parsed)) = verbose_check(&dir, &copy.home);
    assert_eq!(hits, 0, "{parsed} parsed");
    assert_eq!(check(&dir, &copy.home, &[]), expected);
}

/// The workspace's `cargo metadata` answer kept in the store is planted
/// too when it was made with another key: the metadata is asked again.
#[test]
fn a_planted_metadata_answer_is_never_trusted() {
    let copy = Copy::new();
    let dir = copy.fixture("demo");
    let attacker = copy.home.parent().unwrap().join("attacker");
    std::fs::create_dir_all(&attacker).unwrap();
    check(&dir, &attacker, &[]);
    let verbose = check(&dir, &copy.home, &["-v"]);
    assert!(
        !verbose.stderr.contains("(from the cache)"),
        "{}",
        verbose.stderr
    );
    let verbose = check(&dir, &copy.home, &["-v"]);
    assert!(
        verbose.stderr.contains("(from the cache)"),
        "{}",
        verbose.stderr
    );
}

/// Symlinks inside `target/boundaries/` are never followed, a `target`
/// or `target/boundaries` leading outside the workspace means no cache,
/// and nothing outside is read or written.
#[cfg(unix)]
#[test]
fn symlinks_in_the_store_are_never_followed() {
    use std::os::unix::fs::symlink;
    let copy = Copy::new();
    let dir = copy.fixture("demo");
    let expected = check(&dir, &copy.home, &["--no-cache"]);
    let (_, (_, files)) = verbose_check(&dir, &copy.home);
    let facts = copy.facts("demo");
    let own = entries(&facts);
    // Each entry a symlink to another entry (which would open as itself if
    // followed... and be a wrong result if names were not sealed).
    let outside = copy.home.parent().unwrap().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let mut moved_bytes = Vec::new();
    for (i, entry) in own.iter().enumerate() {
        let moved = outside.join(format!("e{i}"));
        std::fs::rename(entry, &moved).unwrap();
        moved_bytes.push(std::fs::read(&moved).unwrap());
        symlink(&moved, entry).unwrap();
    }
    let (_, (hits, parsed)) = verbose_check(&dir, &copy.home);
    assert_eq!((hits, parsed), (0, files));
    // The misses replaced the symlinks with entries; nothing was written
    // through them.
    for (i, entry) in own.iter().enumerate() {
        assert!(!std::fs::symlink_metadata(entry)
            .unwrap()
            .file_type()
            .is_symlink());
        let moved = std::fs::read(outside.join(format!("e{i}"))).unwrap();
        assert_eq!(moved, moved_bytes[i]);
    }
    assert_eq!(check(&dir, &copy.home, &[]), expected);

    // `target/boundaries` a symlink to a folder outside: no cache there.
    let store = dir.join("target/boundaries");
    std::fs::remove_dir_all(&store).unwrap();
    let elsewhere = outside.join("store");
    std::fs::create_dir_all(&elsewhere).unwrap();
    symlink(&elsewhere, &store).unwrap();
    let verbose = check(&dir, &copy.home, &["-v"]);
    assert!(verbose.stderr.contains("no cache"), "{}", verbose.stderr);
    assert_eq!(check(&dir, &copy.home, &[]), expected);
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);

    // `target` itself a symlink outside the workspace: no cache.
    std::fs::remove_dir_all(dir.join("target")).unwrap();
    let target = outside.join("target");
    std::fs::create_dir_all(&target).unwrap();
    symlink(&target, dir.join("target")).unwrap();
    let verbose = check(&dir, &copy.home, &["-v"]);
    assert!(verbose.stderr.contains("no cache"), "{}", verbose.stderr);
    assert_eq!(check(&dir, &copy.home, &[]), expected);
    assert_eq!(std::fs::read_dir(&target).unwrap().count(), 0);
}

/// An entry that is a FIFO, a folder, or a huge sparse file is not read:
/// no hang, no memory blow-up, a miss.
#[cfg(unix)]
#[test]
fn entries_that_are_not_small_regular_files_are_not_read() {
    let copy = Copy::new();
    let dir = copy.fixture("demo");
    let expected = check(&dir, &copy.home, &["--no-cache"]);
    check(&dir, &copy.home, &[]);
    let own = entries(&copy.facts("demo"));
    for (i, entry) in own.iter().enumerate() {
        std::fs::remove_file(entry).unwrap();
        match i % 3 {
            0 => {
                let status = Command::new("mkfifo").arg(entry).status().unwrap();
                assert!(status.success());
            }
            1 => std::fs::create_dir(entry).unwrap(),
            _ => {
                let file = std::fs::File::create(entry).unwrap();
                file.set_len(1 << 40).unwrap();
            }
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-boundaries"))
        .args(["check", "--format", "json", "-v"])
        .current_dir(&dir)
        .env("XDG_CACHE_HOME", &copy.home)
        .env_remove("CARGO_TARGET_DIR")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("a run hung on entries that are not regular files");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(cache_use(&stderr).0, 0, "{stderr}");
    assert_eq!(
        masked(&String::from_utf8_lossy(&output.stdout)),
        expected.stdout
    );
}

/// A user cache folder inside the workspace could have been planted with
/// a key: it is refused, and the run has no cache.
#[test]
fn a_key_folder_inside_the_workspace_means_no_cache() {
    let copy = Copy::new();
    let dir = copy.fixture("demo");
    let inside = dir.join(".cache");
    let verbose = check(&dir, &inside, &["-v"]);
    assert!(verbose.stderr.contains("no cache"), "{}", verbose.stderr);
    assert!(!dir.join("target/boundaries/facts").exists());
}

/// `--no-cache` neither reads nor writes the cache.
#[test]
fn no_cache_reads_and_writes_nothing() {
    let copy = Copy::new();
    let dir = copy.fixture("demo");
    let verbose = check(&dir, &copy.home, &["--no-cache", "-v"]);
    assert!(
        verbose.stderr.contains("no cache (--no-cache)"),
        "{}",
        verbose.stderr
    );
    assert!(!dir.join("target").exists());
    check(&dir, &copy.home, &[]);
    // Damage every entry: --no-cache does not notice, a cached run does.
    for entry in entries(&copy.facts("demo")) {
        std::fs::write(entry, "x").unwrap();
    }
    let verbose = check(&dir, &copy.home, &["--no-cache", "-v"]);
    assert!(
        !verbose.stderr.contains("from the cache"),
        "{}",
        verbose.stderr
    );
    for entry in entries(&copy.facts("demo")) {
        assert_eq!(std::fs::read(entry).unwrap(), b"x");
    }
}

/// Several runs at once on a cold cache: each prints the right result, and
/// the cache they leave is whole.
#[test]
fn runs_at_once_never_corrupt_the_cache() {
    let copy = Copy::new();
    let dir = copy.fixture("demo");
    let expected = check(&dir, &copy.home, &["--no-cache"]);
    for round in 0..2 {
        let outputs: Vec<Output> = std::thread::scope(|scope| {
            let runs: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| check(&dir, &copy.home, &[])))
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        });
        for output in outputs {
            assert_eq!(output, expected, "round {round}");
        }
        let (verbose, (_, parsed)) = verbose_check(&dir, &copy.home);
        assert_eq!(parsed, 0, "{}", verbose.stderr);
        assert!(
            entries(&copy.facts("demo")).iter().all(|e| !e
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".tmp")),
            "no temporary file is left behind"
        );
        // Next round from cold again, with a new key.
        std::fs::remove_file(copy.home.join("cargo-boundaries/key")).unwrap();
    }
}

/// Every fixture, after one file at a time has moved down a line (a comment
/// prepended: every location in it moves, no declaration changes), prints
/// what `--no-cache` prints: the file's references are resolved again and
/// the rest read back, whatever the file holds (inline modules, a module
/// made of several files, a file two modules include, glob cycles).
#[test]
fn every_fixture_after_a_file_moves_prints_the_same() {
    let copy = Copy::new();
    // A fixture's nested workspaces share its files: one thread edits them
    // all, one after the other.
    let mut groups: std::collections::BTreeMap<PathBuf, Vec<PathBuf>> = Default::default();
    for folder in manifests(&copy.fixtures) {
        let top = folder
            .strip_prefix(&copy.fixtures)
            .unwrap()
            .components()
            .next();
        let top = copy.fixtures.join(top.unwrap().as_os_str());
        groups.entry(top).or_default().push(folder);
    }
    let groups: Vec<Vec<PathBuf>> = groups.into_values().collect();
    let failures = on_three_threads(&groups, |group| {
        let mut failures = Vec::new();
        for dir in group {
            let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
                .filter(|e| !e.path().components().any(|c| c.as_os_str() == "target"))
                .map(|e| e.into_path())
                .collect();
            files.sort();
            check(dir, &copy.home, &[]);
            for file in files.iter().take(4) {
                let Ok(text) = std::fs::read_to_string(file) else {
                    continue;
                };
                std::fs::write(file, format!("// moved\n{text}")).unwrap();
                let cached = check(dir, &copy.home, &[]);
                let uncached = check(dir, &copy.home, &["--no-cache"]);
                if cached != uncached {
                    failures.push(format!(
                        "{} ({} moved):\nno cache: {uncached:?}\ncached: {cached:?}",
                        dir.display(),
                        file.display()
                    ));
                }
                std::fs::write(file, text).unwrap();
            }
        }
        failures
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Entries no run used for a week are removed once a run writes; others
/// (this run's, recent ones, files that are not entries) stay.
#[test]
fn old_unused_entries_are_pruned() {
    let copy = Copy::new();
    let dir = copy.fixture("demo");
    check(&dir, &copy.home, &[]);
    let facts = copy.facts("demo");
    let own = entries(&facts);
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(30 * 24 * 3600);
    let stale: Vec<PathBuf> = (0..50).map(|i| facts.join(format!("{i:032x}"))).collect();
    for path in &stale {
        std::fs::write(path, "old").unwrap();
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    let recent = facts.join(format!("{:032x}", 999));
    std::fs::write(&recent, "recent").unwrap();
    let foreign = facts.join("README");
    std::fs::write(&foreign, "not ours").unwrap();
    // Old as well: the run uses them, which marks them used now.
    for entry in &own {
        std::fs::File::options()
            .write(true)
            .open(entry)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    // A run that writes nothing prunes nothing.
    check(&dir, &copy.home, &[]);
    assert!(stale.iter().all(|p| p.exists()));
    // An edit makes the next run write an entry, and prune.
    let lib = dir.join("crates/shop/src/lib.rs");
    let mut text = std::fs::read_to_string(&lib).unwrap();
    text.push_str("\npub struct Pruning;\n");
    std::fs::write(&lib, text).unwrap();
    check(&dir, &copy.home, &[]);
    assert!(stale.iter().all(|p| !p.exists()));
    assert!(recent.exists() && foreign.exists());
    // The entry of lib.rs before the edit was used by the run before: it
    // stays (it is recent), and every other entry is there for this run.
    let (_, (_, parsed)) = verbose_check(&dir, &copy.home);
    assert_eq!(parsed, 0);
}

/// What `cargo metadata` would say differently is seen: a member added,
/// a binary added under `src/bin`, a manifest edited, a member glob's
/// folder gaining a member. Unchanged, the answer comes from the cache.
#[test]
fn the_metadata_answer_follows_what_cargo_reads() {
    let copy = Copy::new();
    let dir = copy.fixture("demo");
    let from_cache = |dir: &Path| {
        let verbose = check(dir, &copy.home, &["-v"]);
        assert!(verbose.code < 2, "{}", verbose.stderr);
        metadata_from_cache(&verbose.stderr)
    };
    // A file changed while cargo ran (or just before: file times may lag)
    // keeps the answer from being kept; one more run keeps it.
    let settle = |dir: &Path| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        check(dir, &copy.home, &[]);
    };
    let same = |dir: &Path| {
        assert_eq!(
            check(dir, &copy.home, &[]),
            check(dir, &copy.home, &["--no-cache"])
        );
    };
    assert!(!from_cache(&dir));
    settle(&dir);
    assert!(from_cache(&dir));

    // A binary under src/bin.
    std::fs::create_dir_all(dir.join("crates/shop-web/src/bin")).unwrap();
    std::fs::write(
        dir.join("crates/shop-web/src/bin/tool.rs"),
        "fn main() { shop::accounts::storage::save(); }\n",
    )
    .unwrap();
    assert!(!from_cache(&dir));
    same(&dir);
    settle(&dir);
    assert!(from_cache(&dir));
    let graph = run(&dir, &copy.home, &["graph", "--format", "json"]);
    assert!(graph.stdout.contains("\"tool\""), "{}", graph.stdout);

    // A folder binary: src/bin/x/main.rs.
    std::fs::create_dir_all(dir.join("crates/shop-web/src/bin/other")).unwrap();
    std::fs::write(
        dir.join("crates/shop-web/src/bin/other/main.rs"),
        "fn main() {}\n",
    )
    .unwrap();
    assert!(!from_cache(&dir));
    same(&dir);

    // A manifest edited: a new dependency.
    let manifest = dir.join("crates/shop-db/Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str("\n[dependencies.shop]\npath = \"../shop\"\n");
    std::fs::write(&manifest, text).unwrap();
    assert!(!from_cache(&dir));
    same(&dir);
    // Runs of this fixture take less than the slack file times are given:
    // the edit may still count as made while cargo ran.
    settle(&dir);

    // A new member listed in the root manifest.
    std::fs::create_dir_all(dir.join("crates/extra/src")).unwrap();
    std::fs::write(
        dir.join("crates/extra/Cargo.toml"),
        "[package]\nname = \"extra\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("crates/extra/src/lib.rs"), "pub fn extra() {}\n").unwrap();
    assert!(from_cache(&dir), "not a member yet");
    let root = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&root).unwrap();
    std::fs::write(
        &root,
        text.replace(
            "\"crates/shop-web\"]",
            "\"crates/shop-web\", \"crates/extra\"]",
        ),
    )
    .unwrap();
    assert!(!from_cache(&dir));
    same(&dir);
    let graph = run(&dir, &copy.home, &["graph", "--format", "json"]);
    assert!(graph.stdout.contains("\"extra\""), "{}", graph.stdout);

    // Members by glob: a new folder under it is a new member.
    std::fs::write(
        &root,
        std::fs::read_to_string(&root)
            .unwrap()
            .replace(
                "members = [\"crates/shop\", \"crates/shop-db\", \"crates/shop-web\", \"crates/extra\"]",
                "members = [\"crates/*\"]",
            ),
    )
    .unwrap();
    assert!(!from_cache(&dir));
    settle(&dir);
    assert!(from_cache(&dir));
    std::fs::create_dir_all(dir.join("crates/more/src")).unwrap();
    std::fs::write(dir.join("crates/more/src/lib.rs"), "pub fn more() {}\n").unwrap();
    std::fs::write(
        dir.join("crates/more/Cargo.toml"),
        "[package]\nname = \"more\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    assert!(!from_cache(&dir));
    same(&dir);
    let graph = run(&dir, &copy.home, &["graph", "--format", "json"]);
    assert!(graph.stdout.contains("\"more\""), "{}", graph.stdout);

    // A lib.rs appearing in a package that had only a binary.
    std::fs::write(dir.join("crates/shop-web/src/lib.rs"), "pub fn web() {}\n").unwrap();
    assert!(!from_cache(&dir));
    same(&dir);
}

/// `include-tests` changes what a file yields: its entries are its own.
#[test]
fn include_tests_has_entries_of_its_own() {
    let copy = Copy::new();
    let dir = copy.fixture("include-tests");
    let policy = dir.join("boundaries.toml");
    let text = std::fs::read_to_string(&policy).unwrap();
    let flip = |text: &str| {
        if text.contains("include-tests = true") {
            text.replace("include-tests = true", "include-tests = false")
        } else if text.contains("include-tests = false") {
            text.replace("include-tests = false", "include-tests = true")
        } else {
            text.replace(
                "version = 1",
                "version = 1\n\n[settings]\ninclude-tests = true",
            )
        }
    };
    for text in [text.clone(), flip(&text), text] {
        std::fs::write(&policy, &text).unwrap();
        let expected = check(&dir, &copy.home, &["--no-cache"]);
        assert_eq!(check(&dir, &copy.home, &[]), expected);
        assert_eq!(check(&dir, &copy.home, &[]), expected);
    }
}

/// `cargo clean` removes the cache with the rest of the target folder.
#[test]
fn cargo_clean_removes_the_cache() {
    let copy = Copy::new();
    let dir = copy.fixture("demo");
    check(&dir, &copy.home, &[]);
    assert!(dir.join("target/boundaries/facts").is_dir());
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["clean", "--offline", "--quiet"])
        .current_dir(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    assert!(!dir.join("target").exists());
    let (_, (hits, _)) = verbose_check(&dir, &copy.home);
    assert_eq!(hits, 0);
}

/// A run in which nothing changed reads the resolved references back; an
/// edit resolves again; a damaged record is a miss.
#[test]
fn resolution_is_read_back_only_when_nothing_changed() {
    let copy = Copy::new();
    let dir = copy.fixture("demo");
    let expected = check(&dir, &copy.home, &["--no-cache"]);
    let resolved_back = |dir: &Path| resolved_line(dir, &copy.home).contains("(from the cache)");
    assert!(!resolved_back(&dir));
    assert!(resolved_back(&dir));
    assert_eq!(check(&dir, &copy.home, &[]), expected);
    // A body edit: the references of that file change.
    let file = dir.join("crates/shop/src/billing/mod.rs");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        format!("{text}\npub fn edited() {{ crate::accounts::storage::save(); }}\n"),
    )
    .unwrap();
    assert!(!resolved_back(&dir));
    assert!(resolved_back(&dir));
    assert_eq!(
        check(&dir, &copy.home, &[]),
        check(&dir, &copy.home, &["--no-cache"])
    );
    // Back as it was: the record of that state was replaced, so resolved
    // again, and the output is the first one.
    std::fs::write(&file, &text).unwrap();
    assert!(!resolved_back(&dir));
    assert_eq!(check(&dir, &copy.home, &[]), expected);
    // A damaged record.
    let records = entries(&dir.join("target/boundaries/resolved"));
    assert_eq!(records.len(), 1);
    let mut bytes = std::fs::read(&records[0]).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(&records[0], bytes).unwrap();
    assert!(!resolved_back(&dir));
    assert_eq!(check(&dir, &copy.home, &[]), expected);
    // Another selection has its own record.
    let selected = check(&dir, &copy.home, &["-p", "shop"]);
    assert_eq!(
        selected,
        check(&dir, &copy.home, &["-p", "shop", "--no-cache"])
    );
    assert_eq!(check(&dir, &copy.home, &[]), expected);
}

/// Of a file edited inside a function body (its items, imports and
/// modules as they were), only that file's references are resolved again:
/// the rest are read back, and the output is a full run's, new violation
/// included. An edit of an item resolves everything.
#[test]
fn a_body_edit_resolves_only_its_own_file() {
    let copy = Copy::new();
    let dir = copy.fixture("demo");
    let kept_of = |dir: &Path| -> Option<(usize, usize)> {
        let line = resolved_line(dir, &copy.home);
        let counts = line.split("(the references of ").nth(1)?;
        let mut numbers = counts
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty());
        let kept = numbers.next()?.parse().ok()?;
        let of = numbers.next()?.parse().ok()?;
        Some((kept, of))
    };
    let before = check(&dir, &copy.home, &[]);
    let file = dir.join("crates/shop/src/billing/domain.rs");
    let text = std::fs::read_to_string(&file).unwrap();
    let body = "        self.unit_price.times(self.quantity)\n";
    assert!(text.contains(body));
    // Every location in the file moves down a line, and the body now
    // reaches into storage from domain code.
    let edited = format!(
        "// Edited.\n{}",
        text.replacen(
            body,
            &format!("        let _ = crate::billing::storage::LineRow::into_line;\n{body}"),
            1
        )
    );
    std::fs::write(&file, &edited).unwrap();
    let (kept, of) = kept_of(&dir).expect("a partial read-back");
    assert_eq!(kept + 1, of);
    let after = check(&dir, &copy.home, &[]);
    assert_eq!(after, check(&dir, &copy.home, &["--no-cache"]));
    assert_ne!(after, before);
    let report: serde_json::Value = serde_json::from_str(&after.stdout).unwrap();
    let found = report["violations"].as_array().unwrap().iter().any(|v| {
        v["rule"] == "domain-logic-is-pure"
            && v["file"] == "crates/shop/src/billing/domain.rs"
            && v["line"] == 22
    });
    assert!(found, "{}", after.stdout);
    // An item added: what other files resolve through may have changed.
    std::fs::write(&file, format!("{edited}\npub struct Added;\n")).unwrap();
    assert_eq!(kept_of(&dir), None);
    assert_eq!(
        check(&dir, &copy.home, &[]),
        check(&dir, &copy.home, &["--no-cache"])
    );
}

/// A file left alone is not read again: the next run takes its hash from
/// what the last run saw of it (its device, inode, size, modification and
/// change times). An edit that keeps the size and puts the modification
/// time back is still seen (its change time moved, and nothing sets that
/// back), and the output is the one without the cache. A file changed
/// just before a run is read again by the next one.
#[test]
fn unchanged_files_are_not_read_again_and_a_hidden_edit_is_seen() {
    let copy = Copy::new();
    let dir = copy.fixture("demo");
    let files = |stderr: &str| cache_use(stderr).0 + cache_use(stderr).1;
    // Just copied: read by both runs, as a file changed within the last
    // two seconds may change again within the same tick of its clock.
    let first = check(&dir, &copy.home, &["-v"]);
    assert_eq!(not_read_again(&first.stderr), 0, "{}", first.stderr);
    let second = check(&dir, &copy.home, &["-v"]);
    assert_eq!(not_read_again(&second.stderr), 0, "{}", second.stderr);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    check(&dir, &copy.home, &[]);
    let settled = check(&dir, &copy.home, &["-v"]);
    assert_eq!(
        not_read_again(&settled.stderr),
        files(&settled.stderr),
        "{}",
        settled.stderr
    );

    let api = dir.join("crates/shop/src/billing/api.rs");
    let before = std::fs::metadata(&api).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&api).unwrap();
    assert!(text.contains("storage::find_email("));
    std::fs::write(
        &api,
        text.replace("storage::find_email(", "storage::find_emaix("),
    )
    .unwrap();
    std::fs::File::options()
        .write(true)
        .open(&api)
        .unwrap()
        .set_modified(before)
        .unwrap();
    assert_eq!(std::fs::metadata(&api).unwrap().modified().unwrap(), before);
    let hidden = check(&dir, &copy.home, &["-v"]);
    assert_eq!(
        not_read_again(&hidden.stderr),
        files(&hidden.stderr) - 1,
        "{}",
        hidden.stderr
    );
    let cached = check(&dir, &copy.home, &[]);
    assert!(cached.stdout.contains("find_emaix"), "{}", cached.stdout);
    assert_eq!(cached, check(&dir, &copy.home, &["--no-cache"]));
}
