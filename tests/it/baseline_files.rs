//! The files the tool reads and writes besides the code: where the baseline
//! may be, what it must be, and how every file is written. A repository is
//! hostile input here: it chooses `settings.baseline`, and it may commit
//! symlinks where the tool writes. Each test works in its own temporary
//! folder, with a marker file outside the workspace that must never be read
//! into the output or changed.

use std::path::{Path, PathBuf};

use crate::support::{copy_tree, fixture, run_in, Run};

const MANIFEST: &str =
    "[package]\nname = \"t\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n";
/// A rule the code below breaks once.
const RULE: &str =
    "[[rule]]\nkind = \"forbid\"\nname = \"no-exit\"\nfrom = \"t\"\nto = \"std::process::exit\"\n";
const CODE: &str = "pub fn stop() {\n    std::process::exit(1);\n}\n";
const MARKER: &str = "outside-marker: never to be printed or changed\n";

/// A temporary folder holding a workspace (`ws/`) and, beside it, a marker
/// file (`outside/marker.toml`) standing for anything outside the root.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    /// A one-crate workspace whose policy sets `baseline` (when given).
    fn new(baseline: Option<&str>) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = Sandbox { dir };
        let settings = baseline
            .map(|b| format!("[settings]\nbaseline = {b:?}\n\n"))
            .unwrap_or_default();
        sandbox.write("ws/Cargo.toml", MANIFEST);
        sandbox.write("ws/src/lib.rs", CODE);
        sandbox.write(
            "ws/boundaries.toml",
            &format!("version = 1\n{settings}{RULE}"),
        );
        sandbox.write("outside/marker.toml", MARKER);
        sandbox
    }

    fn root(&self) -> PathBuf {
        self.dir.path().canonicalize().unwrap().join("ws")
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap()
    }

    fn run(&self, args: &[&str]) -> Run {
        run_in(&self.root(), args)
    }

    fn expect(&self, args: &[&str], code: i32) -> Run {
        let run = self.run(args);
        assert_eq!(
            run.code,
            code,
            "`cargo boundaries {}`\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            run.stdout,
            run.stderr
        );
        assert!(
            !run.stdout.contains("outside-marker") && !run.stderr.contains("outside-marker"),
            "the marker was printed:\n{}{}",
            run.stdout,
            run.stderr
        );
        run
    }

    /// The marker is as it was, and nothing new appeared beside it.
    fn assert_outside_untouched(&self) {
        assert_eq!(self.read("outside/marker.toml"), MARKER);
        let entries: Vec<_> = std::fs::read_dir(self.path("outside"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(entries, ["marker.toml"], "something was written outside");
    }
}

#[test]
fn a_baseline_outside_the_workspace_is_neither_read_nor_written() {
    for setting in [
        "../outside/marker.toml",
        "../outside/new.toml",
        "/etc/passwd",
    ] {
        let sandbox = Sandbox::new(Some(setting));
        let check = sandbox.expect(&["check"], 2);
        assert!(
            check.stderr.contains("outside"),
            "{setting}: {}",
            check.stderr
        );
        assert!(!check.stderr.contains("root:"), "{}", check.stderr);
        let baseline = sandbox.expect(&["baseline", "--force"], 2);
        assert!(
            baseline.stderr.contains("baseline-outside-workspace"),
            "{}",
            baseline.stderr
        );
        sandbox.assert_outside_untouched();
    }
}

#[cfg(unix)]
#[test]
fn a_baseline_through_a_symlink_out_of_the_workspace_is_refused() {
    // The folder, or the file, is a symlink to the outside.
    for (link, target, setting) in [
        ("ws/linked", "../outside", "linked/marker.toml"),
        (
            "ws/boundaries-baseline.toml",
            "../outside/marker.toml",
            "boundaries-baseline.toml",
        ),
    ] {
        let sandbox = Sandbox::new(Some(setting));
        std::os::unix::fs::symlink(target, sandbox.path(link)).unwrap();
        let check = sandbox.expect(&["check"], 2);
        assert!(check.stderr.contains("outside"), "{}", check.stderr);
        sandbox.expect(&["baseline", "--force"], 2);
        sandbox.assert_outside_untouched();
    }
}

#[test]
fn a_baseline_is_never_the_manifest_or_the_policy() {
    for (setting, file) in [
        ("Cargo.toml", "ws/Cargo.toml"),
        ("./Cargo.toml", "ws/Cargo.toml"),
        ("boundaries.toml", "ws/boundaries.toml"),
    ] {
        let sandbox = Sandbox::new(Some(setting));
        let before = sandbox.read(file);
        let check = sandbox.expect(&["check"], 2);
        assert!(
            check.stderr.contains("manifest") || check.stderr.contains("the policy file itself"),
            "{setting}: {}",
            check.stderr
        );
        sandbox.expect(&["baseline"], 2);
        sandbox.expect(&["baseline", "--force"], 2);
        assert_eq!(sandbox.read(file), before, "{setting} was overwritten");
    }
}

#[test]
fn a_file_that_is_not_exactly_a_baseline_is_exit_2() {
    let entry = "[[violation]]\nrule = \"no-exit\"\nfrom = \"t\"\nto = \"std\"\n";
    for (text, expected) in [
        ("[package]\nname = \"x\"\n", "not-a-baseline"),
        ("", "baseline-version"),
        (
            "version = 1\n[[violation]]\nrule = \"no-exit\"\n",
            "bad-baseline-entry",
        ),
        (
            &format!("version = 1\n{entry}count = 0\n") as &str,
            "bad-baseline-entry",
        ),
        (
            &format!("version = 1\n{entry}count = 1\n{entry}count = 1\n"),
            "duplicate-baseline-entry",
        ),
        ("version = 1\n[[violation]\n", "baseline-toml"),
    ] {
        let sandbox = Sandbox::new(None);
        sandbox.write("ws/boundaries-baseline.toml", text);
        let check = sandbox.expect(&["check"], 2);
        assert!(
            check.stderr.contains(expected),
            "{text:?}: {}",
            check.stderr
        );
        sandbox.expect(&["baseline", "--force"], 2);
        assert_eq!(sandbox.read("ws/boundaries-baseline.toml"), text);
    }
}

#[cfg(unix)]
#[test]
fn a_baseline_that_is_a_directory_or_a_fifo_is_exit_2_not_no_baseline() {
    let sandbox = Sandbox::new(None);
    std::fs::create_dir(sandbox.path("ws/boundaries-baseline.toml")).unwrap();
    let check = sandbox.expect(&["check"], 2);
    assert!(check.stderr.contains("a directory"), "{}", check.stderr);
    sandbox.expect(&["baseline"], 2);

    let sandbox = Sandbox::new(None);
    let fifo = sandbox.path("ws/boundaries-baseline.toml");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let check = sandbox.expect(&["check"], 2);
        assert!(
            check.stderr.contains("not a regular file"),
            "{}",
            check.stderr
        );
    }
}

#[test]
fn an_emptied_baseline_is_only_its_version() {
    let sandbox = Sandbox::new(None);
    sandbox.expect(&["baseline"], 0);
    assert!(sandbox
        .read("ws/boundaries-baseline.toml")
        .contains("[[violation]]"));
    sandbox.write("ws/src/lib.rs", "pub fn stop() {}\n");
    sandbox.expect(&["baseline"], 0);
    let text = sandbox.read("ws/boundaries-baseline.toml");
    assert!(!text.contains("violation ="), "{text}");
    assert!(!text.contains("[[violation]]"), "{text}");
    assert!(text.contains("version = 1"), "{text}");
    sandbox.expect(&["check"], 0);
}

/// Plants, for the next `count` process ids, a symlink at the name the
/// tool used to write `file` through (`.NAME.<pid>.tmp`), each pointing at
/// the outside marker.
#[cfg(unix)]
fn plant_pid_symlinks(dir: &Path, file: &str, marker: &Path, count: u32) {
    let next = std::process::Command::new("true").spawn().unwrap().id();
    for pid in next..next + count {
        let _ = std::os::unix::fs::symlink(marker, dir.join(format!(".{file}.{pid}.tmp")));
    }
}

#[cfg(unix)]
#[test]
fn writes_never_follow_a_symlink_planted_at_a_temporary_name() {
    let sandbox = Sandbox::new(None);
    let root = sandbox.root();
    let marker = sandbox.path("outside/marker.toml");
    plant_pid_symlinks(&root, "boundaries-baseline.toml", &marker, 400);
    plant_pid_symlinks(&root, "graph.dot", &marker, 400);
    // The staging name `init` used to use.
    std::os::unix::fs::symlink(&marker, root.join(".boundaries.toml.init")).unwrap();

    sandbox.expect(&["baseline"], 0);
    sandbox.expect(&["graph", "-o", "graph.dot"], 0);
    sandbox.expect(&["init", "--force"], 0);
    sandbox.assert_outside_untouched();
    for written in ["boundaries-baseline.toml", "graph.dot", "boundaries.toml"] {
        let meta = std::fs::symlink_metadata(root.join(written)).unwrap();
        assert!(
            meta.file_type().is_file(),
            "{written} is not a regular file"
        );
    }
    sandbox.expect(&["check"], 0);
}

#[test]
fn init_with_a_policy_path_names_only_the_files_it_writes() {
    let sandbox = Sandbox::new(None);
    std::fs::remove_file(sandbox.path("ws/boundaries.toml")).unwrap();
    std::fs::create_dir(sandbox.path("ws/dir")).unwrap();
    let init = sandbox.expect(&["init", "--policy", "dir/x.toml"], 0);
    assert!(!init.stdout.contains(".tmp"), "{}", init.stdout);
    assert!(sandbox.path("ws/dir/x.toml").is_file());
    let leftovers: Vec<_> = std::fs::read_dir(sandbox.path("ws/dir"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new());
    // A folder that does not exist: the error names the file asked for.
    let failed = sandbox.expect(&["init", "--policy", "nowhere/x.toml"], 2);
    assert!(
        failed.stderr.contains("nowhere/x.toml"),
        "{}",
        failed.stderr
    );
    assert!(!failed.stderr.contains(".tmp"), "{}", failed.stderr);
}

#[test]
fn concurrent_inits_always_leave_one_runs_complete_output() {
    let legacy = tempfile::tempdir().unwrap();
    copy_tree(&fixture("legacy"), legacy.path());
    let root = legacy.path().canonicalize().unwrap();
    for round in 0..3 {
        let runs: Vec<Run> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..6)
                .map(|_| scope.spawn(|| run_in(&root, &["init", "--force"])))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for run in &runs {
            assert_eq!(run.code, 0, "round {round}: {}", run.stderr);
        }
        let policy = std::fs::read_to_string(root.join("boundaries.toml")).unwrap();
        let baseline = std::fs::read_to_string(root.join("boundaries-baseline.toml"));
        assert!(
            baseline.is_ok(),
            "round {round}: the policy lost its baseline"
        );
        assert!(policy.contains("[[rule]]"));
        let check = run_in(&root, &["check", "-q"]);
        assert_eq!(
            check.code, 0,
            "round {round}: {}{}",
            check.stdout, check.stderr
        );
        let leftovers: Vec<String> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".tmp") || n.ends_with(".init"))
            .collect();
        assert_eq!(leftovers, Vec::<String>::new(), "round {round}");
    }
}

/// Runs the binary in `dir` under `umask 022`.
#[cfg(unix)]
fn run_with_umask_022(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg("umask 022 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_cargo-boundaries"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

#[cfg(unix)]
#[test]
fn written_files_are_made_as_the_user_makes_files_and_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let sandbox = Sandbox::new(None);
    let root = sandbox.root();
    std::fs::remove_file(root.join("boundaries.toml")).unwrap();
    // New files: 0o666 less the umask, not a temporary file's 0o600.
    let init = run_with_umask_022(&root, &["init"]);
    assert!(init.status.success(), "{init:?}");
    assert_eq!(mode(&root.join("boundaries.toml")), 0o644);
    let graph = run_with_umask_022(&root, &["graph", "--format", "dot", "-o", "arch.dot"]);
    assert!(graph.status.success(), "{graph:?}");
    assert_eq!(mode(&root.join("arch.dot")), 0o644);
    // A file written over keeps the mode it had.
    std::fs::set_permissions(
        root.join("arch.dot"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    let again = run_with_umask_022(&root, &["graph", "--format", "dot", "-o", "arch.dot"]);
    assert!(again.status.success(), "{again:?}");
    assert_eq!(mode(&root.join("arch.dot")), 0o640);
}
