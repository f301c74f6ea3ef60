//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// What one run of the binary printed and returned.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    project_root().join("fixtures").join(name)
}

pub fn manifest(name: &str) -> String {
    fixture(name).join("Cargo.toml").display().to_string()
}

/// Runs `cargo-boundaries ARGS` with colour off and a fixed width.
/// `graph --manifest-path MANIFEST ARGS...`'s output; fails unless it
/// exits 0.
pub fn graph_at(manifest: &str, args: &[&str]) -> String {
    let mut all = vec!["graph", "--manifest-path", manifest];
    all.extend_from_slice(args);
    let run = run(&all);
    assert_eq!(run.code, 0, "{all:?}: {}", run.stderr);
    run.stdout
}

/// Mermaid's own parser (`tests/mermaid`), when its packages are installed;
/// `None`, saying so, when they are not, unless BOUNDARIES_REQUIRE_MERMAID
/// is set (CI sets it).
pub fn mermaid_checker() -> Option<PathBuf> {
    let checker = project_root().join("tests/mermaid");
    if !checker.join("node_modules/mermaid").exists() {
        assert!(
            std::env::var_os("BOUNDARIES_REQUIRE_MERMAID").is_none(),
            "run `npm ci --prefix tests/mermaid` first"
        );
        eprintln!("mermaid check skipped: run `npm ci --prefix tests/mermaid` to enable it");
        return None;
    }
    Some(checker)
}

pub fn run(args: &[&str]) -> Run {
    run_in(&project_root(), args)
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_in_with(dir, args, &[])
}

/// [`run_in`] with more environment variables.
pub fn run_in_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-boundaries"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE")
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs");
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    }
}

/// `check --format json` on a fixture; asserts the run did its job (exit 0
/// or 1) and returns the parsed report.
pub fn check_json(name: &str) -> Value {
    check_json_with(name, &[])
}

pub fn check_json_with(name: &str, extra: &[&str]) -> Value {
    let manifest = manifest(name);
    let mut args = vec!["check", "--format", "json", "--manifest-path", &manifest];
    args.extend_from_slice(extra);
    let run = run(&args);
    assert!(
        run.code == 0 || run.code == 1,
        "exit code {} for {name}\nstdout:\n{}\nstderr:\n{}",
        run.code,
        run.stdout,
        run.stderr
    );
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("bad JSON for {name}: {e}\n{}", run.stdout))
}

/// Each violation as `rule from -> path (file:line via)`, the compact form
/// tests assert on.
pub fn violations(report: &Value) -> Vec<String> {
    report["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| {
            format!(
                "{} {} -> {} ({}:{} {})",
                v["rule"].as_str().unwrap(),
                v["from"].as_str().unwrap(),
                v["path"].as_str().unwrap(),
                v["file"].as_str().unwrap(),
                v["line"],
                v["via"].as_str().unwrap()
            )
        })
        .collect()
}

/// Warning codes with their file and line.
pub fn warnings(report: &Value) -> Vec<String> {
    report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| {
            format!(
                "{} {}:{}",
                w["code"].as_str().unwrap(),
                w["file"].as_str().unwrap_or("-"),
                w["line"]
            )
        })
        .collect()
}

/// Copies a fixture folder recursively, leaving out what a build leaves
/// behind (`target/` folders and `Cargo.lock`), so a test can edit the copy.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == "Cargo.lock" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A run under limits: what it printed, how it ended, what it cost.
#[derive(Debug)]
pub struct LimitedRun {
    pub stdout: String,
    pub stderr: String,
    /// The exit code; `None` when a signal ended it.
    pub code: Option<i32>,
    pub elapsed: std::time::Duration,
    /// Processor time used (all threads), as last seen while it ran.
    pub cpu: std::time::Duration,
    /// Peak resident memory seen while it ran, in bytes.
    pub peak_rss: u64,
}

/// Limits for one hostile run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub seconds: u64,
    /// Resident memory above which the run is stopped and failed.
    pub rss_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            seconds: 20,
            rss_bytes: 512 << 20,
        }
    }
}

/// Runs the binary with `args` in `dir` under a time limit and a memory
/// limit: an address-space cap (`ulimit -v`, generous, so only a runaway
/// hits it) and a resident-memory ceiling polled while it runs. Panics if
/// either limit is hit, saying which. `BOUNDARIES_HOSTILE_BIN` runs another
/// build instead (to see the attacks fail on an older one).
pub fn run_limited(dir: &Path, args: &[&str], limits: Limits) -> LimitedRun {
    use std::io::Read;
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    // 8 GiB of address space: the parsing threads reserve large stacks
    // they rarely touch, so the real ceiling is the polled RSS below.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 8388608 && exec \"$0\" \"$@\"")
        .arg(
            std::env::var_os("BOUNDARIES_HOSTILE_BIN")
                .unwrap_or_else(|| env!("CARGO_BIN_EXE_cargo-boundaries").into()),
        )
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
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status_file = format!("/proc/{}/status", child.id());
    let stat_file = format!("/proc/{}/stat", child.id());
    let mut peak_rss = 0;
    let mut cpu = Duration::ZERO;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        peak_rss = peak_rss.max(high_water_mark(&status_file));
        cpu = cpu.max(cpu_time(&stat_file));
        let over_time = start.elapsed() > Duration::from_secs(limits.seconds);
        let over_memory = peak_rss > limits.rss_bytes;
        if over_time || over_memory {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{:?} in {} went over its limit: {:.1} s (limit {} s), {} MB resident (limit {} MB)",
                args,
                dir.display(),
                start.elapsed().as_secs_f64(),
                limits.seconds,
                peak_rss >> 20,
                limits.rss_bytes >> 20
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    LimitedRun {
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        code: status.code(),
        elapsed: start.elapsed(),
        cpu,
        peak_rss,
    }
}

/// The processor time (user and system, all threads) a running process
/// has used so far, from `/proc/PID/stat` (zero once it is gone). Cost
/// tests bound this rather than the wall time, which grows with whatever
/// else the machine runs.
fn cpu_time(stat_file: &str) -> std::time::Duration {
    const TICKS_PER_SECOND: u64 = 100;
    let ticks = std::fs::read_to_string(stat_file).ok().and_then(|stat| {
        // The command name (field 2) may hold spaces: count after its `)`.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let user: u64 = fields.get(11)?.parse().ok()?;
        let system: u64 = fields.get(12)?.parse().ok()?;
        Some(user + system)
    });
    std::time::Duration::from_millis(ticks.unwrap_or(0) * 1000 / TICKS_PER_SECOND)
}

/// `VmHWM` of a running process, in bytes (0 once it is gone).
fn high_water_mark(status_file: &str) -> u64 {
    std::fs::read_to_string(status_file)
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// The content of the marker file every sandbox keeps outside its
/// workspace: valid Rust that breaks the sandbox's policy, so reading it
/// would both report it and print its line.
pub const OUTSIDE_MARKER: &str = "MARKER-outside-the-workspace-7d2e";

/// A generated workspace in a temporary folder (`ws/`, a package `t` with
/// a policy forbidding `std::process::exit`) beside a folder `outside/`
/// holding a marker file that must never be read, written or printed.
pub struct Sandbox {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
    pub outside: PathBuf,
    outside_state: Vec<(PathBuf, String, std::time::SystemTime)>,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path().join("ws");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(
            root.join("Cargo.toml"),
            "[package]\nname = \"t\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
        )
        .unwrap();
        std::fs::write(
            root.join("boundaries.toml"),
            "version = 1\n\n[[rule]]\nkind = \"forbid\"\nname = \"no-exit\"\nfrom = \"**\"\nto = \"std::process::exit\"\n",
        )
        .unwrap();
        std::fs::write(
            outside.join("secret.rs"),
            format!("pub fn leak() {{ std::process::exit(0); }} // {OUTSIDE_MARKER}\n"),
        )
        .unwrap();
        let mut sandbox = Sandbox {
            _dir: dir,
            root,
            outside,
            outside_state: Vec::new(),
        };
        sandbox.outside_state = sandbox.snapshot_outside();
        sandbox
    }

    /// Writes `text` to `relative` inside the workspace (folders created).
    pub fn write(&self, relative: &str, text: impl AsRef<[u8]>) -> &Self {
        let path = self.root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Makes `relative` (inside the workspace) a symlink to `target`.
    #[cfg(unix)]
    pub fn symlink(&self, relative: &str, target: impl AsRef<Path>) -> &Self {
        let path = self.root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, path).unwrap();
        self
    }

    pub fn secret(&self) -> PathBuf {
        self.outside.join("secret.rs")
    }

    /// Re-records the outside folder (after a test adds files to it).
    pub fn seal_outside(&mut self) {
        self.outside_state = self.snapshot_outside();
    }

    fn snapshot_outside(&self) -> Vec<(PathBuf, String, std::time::SystemTime)> {
        let mut state: Vec<_> = walkdir::WalkDir::new(&self.outside)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let meta = e.metadata().unwrap();
                let text = std::fs::read_to_string(e.path()).unwrap_or_default();
                (e.path().to_path_buf(), text, meta.modified().unwrap())
            })
            .collect();
        state.sort();
        state
    }

    /// `check --format json` under limits; asserts the run stayed inside
    /// the workspace (nothing outside written, the marker never printed)
    /// and returns the run and its parsed report.
    pub fn check(&self, limits: Limits) -> (LimitedRun, Value) {
        let run = self.run(&["check", "--format", "json"], limits);
        let report = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("bad JSON: {e}\n{}\n{}", run.stdout, run.stderr));
        (run, report)
    }

    /// Runs the binary in the workspace under limits, with the same
    /// assertions as [`Sandbox::check`].
    pub fn run(&self, args: &[&str], limits: Limits) -> LimitedRun {
        let run = run_limited(&self.root, args, limits);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(
            !all.contains(OUTSIDE_MARKER),
            "the marker outside the workspace was printed:\n{all}"
        );
        assert_eq!(
            self.snapshot_outside(),
            self.outside_state,
            "something outside the workspace was written"
        );
        run
    }
}

impl Default for Sandbox {
    fn default() -> Self {
        Sandbox::new()
    }
}
