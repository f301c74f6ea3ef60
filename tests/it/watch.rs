//! `check --watch`: the real binary watching a temporary copy of a
//! workspace while the test edits it. Every wait has a deadline, so a
//! watch that misses a change fails the test instead of hanging it.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{copy_tree, fixture, run_limited, Limits};

/// Long enough for a loaded 2-core machine; a watch that works answers in
/// well under a second.
const DEADLINE: Duration = Duration::from_secs(30);

/// A `check --watch` running in the background, its output collected as
/// it comes.
struct Watching {
    child: Child,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Watching {
    fn start(dir: &Path, args: &[&str]) -> Watching {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-boundaries"))
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env_remove("CLICOLOR_FORCE")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let mut readers = Vec::new();
        let mut collect = |mut pipe: Box<dyn Read + Send>| {
            let text = Arc::new(Mutex::new(String::new()));
            let sink = Arc::clone(&text);
            readers.push(std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let mut buffer = [0; 4096];
                while let Ok(n @ 1..) = pipe.read(&mut buffer) {
                    bytes.extend_from_slice(&buffer[..n]);
                    *sink.lock().unwrap() = String::from_utf8_lossy(&bytes).into_owned();
                }
            }));
            text
        };
        let stdout = collect(Box::new(child.stdout.take().unwrap()));
        let stderr = collect(Box::new(child.stderr.take().unwrap()));
        Watching {
            child,
            stdout,
            stderr,
            readers,
        }
    }

    fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until `done` holds for what was printed so far (stdout,
    /// stderr); panics at the deadline, or if the watch ended.
    fn wait_until(&mut self, what: &str, done: impl Fn(&str, &str) -> bool) {
        let start = Instant::now();
        loop {
            if done(&self.stdout(), &self.stderr()) {
                return;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "the watch ended ({status}) while waiting for {what}\nstdout:\n{}\nstderr:\n{}",
                    self.stdout(),
                    self.stderr()
                );
            }
            assert!(
                start.elapsed() < DEADLINE,
                "no {what} within {DEADLINE:?}\nstdout:\n{}\nstderr:\n{}",
                self.stdout(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits for the `n`th JSON document (1-based) and returns it.
    fn document(&mut self, n: usize) -> Value {
        self.wait_until(&format!("JSON document {n}"), |out, _| {
            documents(out).len() >= n
        });
        documents(&self.stdout()).swap_remove(n - 1)
    }

    /// Sends SIGINT, as Ctrl-C does, and returns the exit code once the
    /// watch ended and all it printed was read.
    fn interrupt(&mut self) -> Option<i32> {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                for reader in self.readers.drain(..) {
                    reader.join().unwrap();
                }
                return status.code();
            }
            assert!(
                start.elapsed() < DEADLINE,
                "the watch did not end on SIGINT\nstderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        // A failed test must not leave a watcher running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Saves as editors do: a new file renamed over the old one, one event
/// (a plain write is a truncation and a write, which a loaded machine may
/// space out enough to be two changes).
fn save(path: &Path, text: impl AsRef<[u8]>) {
    let mut saving = path.as_os_str().to_owned();
    saving.push(".saving");
    std::fs::write(&saving, text).unwrap();
    std::fs::rename(&saving, path).unwrap();
}

/// How many checks ended: each is followed by this line on stderr.
fn checks_done(stderr: &str) -> usize {
    stderr.matches("watching for changes").count()
}

/// The complete JSON documents printed so far, in order.
fn documents(text: &str) -> Vec<Value> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .map_while(Result::ok)
        .collect()
}

fn rules(report: &Value) -> Vec<String> {
    report["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| {
            format!(
                "{} {}",
                v["rule"].as_str().unwrap(),
                v["file"].as_str().unwrap()
            )
        })
        .collect()
}

/// A copy of a fixture in a temporary folder, for the test to edit.
fn copy_of(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_tree(&fixture(name), dir.path());
    dir
}

/// A call from the shipping domain into the catalog domain, which the
/// fixture's `independent` rule forbids.
const LEAK: &str =
    "\npub fn leak() -> Money {\n    crate::catalog::pricing::discounted(todo!(), 0)\n}\n";
const RATES: &str = "crates/shop/src/shipping/rates.rs";

#[test]
fn each_change_is_checked_again_and_ctrl_c_exits_0() {
    let dir = copy_of("kind-independent-pass");
    let rates = dir.path().join(RATES);
    let clean = std::fs::read_to_string(&rates).unwrap();
    let mut watch = Watching::start(dir.path(), &["check", "--watch", "--format", "json"]);

    let first = watch.document(1);
    assert_eq!(rules(&first), Vec::<String>::new());

    save(&rates, format!("{clean}{LEAK}"));
    let broken = watch.document(2);
    assert_eq!(rules(&broken), [format!("domains-are-independent {RATES}")]);
    assert_eq!(broken["violations"][0]["to"], "shop::catalog::pricing");

    save(&rates, &clean);
    let fixed = watch.document(3);
    assert_eq!(rules(&fixed), Vec::<String>::new());

    // Our own reading of the files, and the cache written under the
    // target directory, are no changes: no check follows by itself.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(documents(&watch.stdout()).len(), 3, "{}", watch.stdout());

    // JSON documents follow each other as they are: no separator, no
    // screen clearing in between.
    let stdout = watch.stdout();
    assert!(
        stdout.starts_with('{') && !stdout.contains("---"),
        "{stdout}"
    );
    assert_eq!(watch.interrupt(), Some(0));
}

#[test]
fn a_burst_of_changes_is_one_check() {
    let dir = copy_of("kind-independent-pass");
    let mut watch = Watching::start(dir.path(), &["check", "--watch", "--format", "json"]);
    watch.document(1);
    // As a `git checkout` does: every source file rewritten at once, the
    // shipping domain now calling into the catalog.
    let files: Vec<_> = walkdir::WalkDir::new(dir.path())
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.into_path())
        .collect();
    for file in &files {
        let mut text = std::fs::read_to_string(file).unwrap();
        text.push_str("\n// rewritten\n");
        if file.ends_with(RATES) {
            text.push_str(LEAK);
        }
        std::fs::write(file, text).unwrap();
    }
    watch.wait_until("the check of the whole burst", |out, _| {
        documents(out)
            .last()
            .is_some_and(|r| rules(r) == [format!("domains-are-independent {RATES}")])
    });
    std::thread::sleep(Duration::from_millis(300));
    // One check (a machine that stalls for 50 ms in the middle of the burst
    // may make it two), never one per file.
    let checks = documents(&watch.stdout()).len() - 1;
    assert!(
        (1..=2).contains(&checks),
        "{checks} checks for {} files",
        files.len()
    );
    assert_eq!(watch.interrupt(), Some(0));
}

#[test]
fn a_broken_policy_is_reported_and_the_watch_goes_on() {
    let dir = copy_of("kind-independent-pass");
    let policy = dir.path().join("boundaries.toml");
    let good = std::fs::read_to_string(&policy).unwrap();
    let mut watch = Watching::start(dir.path(), &["check", "--watch"]);
    watch.wait_until("the first summary", |out, _| {
        out.to_lowercase().contains("no violations")
    });

    // Saved half-written: the check cannot run, the watch says why.
    save(&policy, "version = 1\n[[rule]\n");
    watch.wait_until("the policy error", |_, err| {
        err.contains("boundaries::policy::toml-syntax")
    });

    // The same policy, finished with a rule the code breaks.
    let stricter = format!(
        "{good}\n[[rule]]\nkind = \"forbid\"\nname = \"no-kernel\"\nfrom = \"shop::shipping\"\nto = \"shop_kernel\"\n"
    );
    save(&policy, stricter);
    watch.wait_until("the violation of the new rule", |out, _| {
        out.contains("boundaries::forbid") && out.contains("no-kernel")
    });
    let stdout = watch.stdout();
    // Not a terminal: a separator line before each check but the first.
    let separators: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("--- checked again after a change to"))
        .collect();
    assert_eq!(
        separators,
        [
            "--- checked again after a change to boundaries.toml ---",
            "--- checked again after a change to boundaries.toml ---",
        ],
        "{stdout}"
    );
    assert!(!stdout.contains('\x1b'), "no screen clearing on a pipe");

    save(&policy, &good);
    watch.wait_until("the clean result again", |out, _| {
        out.rsplit("--- checked again")
            .next()
            .unwrap()
            .to_lowercase()
            .contains("no violations")
    });
    assert_eq!(watch.interrupt(), Some(0));
}

#[test]
fn a_manifest_change_reads_the_workspace_again() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        save(&path, text);
    };
    write(
        "Cargo.toml",
        "[workspace]\nresolver = \"2\"\nmembers = [\"app\", \"storage\"]\n",
    );
    let app_manifest = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";
    write("app/Cargo.toml", app_manifest);
    write("app/src/lib.rs", "pub fn run() {}\n");
    write(
        "storage/Cargo.toml",
        "[package]\nname = \"storage\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write("storage/src/lib.rs", "pub fn save() {}\n");
    write(
        "boundaries.toml",
        "version = 1\n\n[[rule]]\nkind = \"forbid\"\nname = \"app-not-storage\"\nfrom = \"app\"\nto = \"storage\"\n",
    );
    let mut watch = Watching::start(root, &["check", "--watch", "--format", "json"]);
    assert_eq!(rules(&watch.document(1)), Vec::<String>::new());

    // Only the manifest changes: the dependency is a reference of its own.
    write(
        "app/Cargo.toml",
        &format!("{app_manifest}\n[dependencies]\nstorage = {{ path = \"../storage\" }}\n"),
    );
    let report = watch.document(2);
    assert_eq!(rules(&report), ["app-not-storage app/Cargo.toml"]);
    assert_eq!(report["violations"][0]["via"], "manifest");

    // A module declared in the same save as its file, in a new folder, is
    // read too.
    write("app/src/lib.rs", "pub mod store;\npub fn run() {}\n");
    write("app/src/store/mod.rs", "pub fn go() { storage::save() }\n");
    watch.wait_until("the new module's reference", |out, _| {
        documents(out)
            .last()
            .is_some_and(|r| rules(r).contains(&"app-not-storage app/src/store/mod.rs".to_string()))
    });
    let documents_so_far = documents(&watch.stdout()).len();

    // A manifest saved half-written: cargo metadata fails, the watch says
    // so on stderr (JSON has no shape for it) and goes on.
    let checks_so_far = checks_done(&watch.stderr());
    write("app/Cargo.toml", "[package\n");
    watch.wait_until("the failed check", |_, err| {
        checks_done(err) > checks_so_far
    });
    assert_eq!(documents(&watch.stdout()).len(), documents_so_far);
    write(
        "app/Cargo.toml",
        &format!("{app_manifest}\n[dependencies]\nstorage = {{ path = \"../storage\" }}\n"),
    );
    let report = watch.document(documents_so_far + 1);
    assert_eq!(
        rules(&report),
        [
            "app-not-storage app/Cargo.toml",
            "app-not-storage app/src/store/mod.rs"
        ]
    );

    // Ctrl-C ends the watch with 0, whatever the last check found.
    assert_eq!(watch.interrupt(), Some(0));
}

#[test]
fn formats_read_once_per_run_are_refused() {
    let dir = copy_of("kind-independent-pass");
    let limits = Limits {
        seconds: 30,
        ..Limits::default()
    };
    for format in ["sarif", "github", "gitlab"] {
        let run = run_limited(
            dir.path(),
            &["check", "--watch", "--format", format],
            limits,
        );
        assert_eq!(run.code, Some(2), "{format}: {}", run.stderr);
        assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
    }
    // SARIF still speaks its format on exit 2, as for every failed run.
    let run = run_limited(
        dir.path(),
        &["check", "--watch", "--format", "sarif"],
        limits,
    );
    let log: Value = serde_json::from_str(&run.stdout).expect("a SARIF log");
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    let run = run_limited(
        dir.path(),
        &["check", "--watch", "--message-format", "json"],
        limits,
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
}

#[test]
fn without_a_workspace_there_is_nothing_to_watch() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_limited(
        dir.path(),
        &["check", "--watch"],
        Limits {
            seconds: 30,
            ..Limits::default()
        },
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
}

#[test]
fn ctrl_c_does_not_wait_for_a_long_check() {
    // About 2.4 MB of source: seconds of work for a debug build.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"t\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(
        root.join("boundaries.toml"),
        "version = 1\n\n[[rule]]\nkind = \"forbid\"\nname = \"no-exit\"\nfrom = \"t\"\nto = \"std::process::exit\"\n",
    )
    .unwrap();
    let mut lib = String::new();
    let body: String = (0..1000)
        .map(|i| format!("pub fn f{i}(x: u64) -> u64 {{ crate::m0::f0(x) + x * {i} }}\n"))
        .collect();
    for m in 0..40 {
        lib.push_str(&format!("pub mod m{m};\n"));
        std::fs::write(root.join(format!("src/m{m}.rs")), &body).unwrap();
    }
    std::fs::write(root.join("src/lib.rs"), lib).unwrap();

    let mut watch = Watching::start(root, &["check", "--watch", "--format", "json", "-v"]);
    // `-v` says the workspace was read: Ctrl-C is handled, the check runs.
    watch.wait_until("the check to start", |_, err| {
        err.contains("cargo metadata:")
    });
    assert_eq!(watch.interrupt(), Some(0));
    // `-v` would have said the check ended (its last phase) had the watch
    // waited for it.
    let stderr = watch.stderr();
    assert!(
        !stderr.contains("checked:") && watch.stdout().is_empty(),
        "the check ended before the watch did:\n{stderr}"
    );
}
