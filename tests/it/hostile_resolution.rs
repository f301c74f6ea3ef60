//! SPEC 5, "no input makes the tool hang": name resolution on generated
//! workspaces built to defeat it (globs that re-export each other, a very
//! long glob chain, names that are imported in a circle). Each runs the real
//! binary under a time limit and checks that the right references are
//! still found.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Far above what these inputs take (well under a second in a release
/// build, a few seconds in a debug one on a busy machine), far below the
/// old resolver, which never ended.
const LIMIT: Duration = Duration::from_secs(60);

/// What a run under the limit printed and returned.
struct Run {
    stdout: String,
    code: i32,
}

/// Writes a one-crate workspace `t` whose `src/lib.rs` is `lib`, with a
/// policy forbidding `t::user` to reach `forbidden`.
fn workspace(dir: &Path, lib: &str, forbidden: &str) {
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"t\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .unwrap();
    fs::write(
        dir.join("boundaries.toml"),
        format!(
            "version = 1\n\n[[rule]]\nkind = \"forbid\"\nname = \"marker\"\nfrom = \"t::user\"\nto = \"{forbidden}\"\n"
        ),
    )
    .unwrap();
    fs::write(dir.join("src/lib.rs"), lib).unwrap();
}

/// Runs the binary in `dir`, killing it and failing when it outlives
/// [`LIMIT`]. Output goes to files, so a full pipe cannot stall the child.
fn run_limited(dir: &Path, args: &[&str]) -> Run {
    let stdout_path = dir.join("stdout.txt");
    let stderr_path = dir.join("stderr.txt");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-boundaries"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout_path).unwrap())
        .stderr(fs::File::create(&stderr_path).unwrap())
        .spawn()
        .expect("the binary runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {LIMIT:?}: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stderr = fs::read_to_string(&stderr_path).unwrap();
    let code = status.code().unwrap_or(-1);
    assert!(code == 0 || code == 1, "exit code {code}\n{stderr}");
    Run {
        stdout: fs::read_to_string(&stdout_path).unwrap(),
        code,
    }
}

/// The paths `t::user` reaches in the forbidden module, from `check`.
fn forbidden_paths(dir: &Path) -> (i32, Vec<String>) {
    let run = run_limited(dir, &["check", "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let paths = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| format!("{} {}", v["path"].as_str().unwrap(), v["via"]))
        .collect();
    (run.code, paths)
}

/// `n` modules, each `pub use` of every other one's names, each with a
/// child module of its own; `user` reaches the last one's through the first.
fn mutual_globs(n: usize) -> String {
    let mut lib = String::new();
    for i in 0..n {
        lib.push_str(&format!("pub mod m{i} {{\n"));
        for j in (0..n).filter(|&j| j != i) {
            lib.push_str(&format!("    pub use crate::m{j}::*;\n"));
        }
        lib.push_str(&format!("    pub mod inner{i} {{ pub fn f() {{}} }}\n}}\n"));
    }
    let last = n - 1;
    lib.push_str(&format!(
        "pub mod user {{\n    use crate::m0::*;\n    pub fn g() {{ inner{last}::f(); }}\n}}\n"
    ));
    lib
}

#[test]
fn ten_modules_whose_globs_re_export_each_other() {
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path(), &mutual_globs(10), "t::m9::inner9");
    assert_eq!(
        forbidden_paths(dir.path()),
        (1, vec!["t::m9::inner9::f \"path\"".to_string()])
    );
}

#[test]
fn twelve_modules_whose_globs_re_export_each_other() {
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path(), &mutual_globs(12), "t::m11::inner11");
    assert_eq!(
        forbidden_paths(dir.path()),
        (1, vec!["t::m11::inner11::f \"path\"".to_string()])
    );
}

#[test]
fn a_glob_chain_two_thousand_long() {
    // Each link re-exports the next and adds a name of its own, so the
    // first module sees all 2,000 names.
    let n = 2000;
    let mut lib = String::new();
    for i in 0..n - 1 {
        let next = i + 1;
        lib.push_str(&format!(
            "pub mod m{i} {{ pub use crate::m{next}::*; pub fn f{i}() {{}} }}\n"
        ));
    }
    let last = n - 1;
    lib.push_str(&format!(
        "pub mod m{last} {{ pub mod deep {{ pub fn f() {{}} }} }}\n"
    ));
    lib.push_str("pub mod user {\n    use crate::m0::*;\n    pub fn g() { deep::f(); }\n}\n");
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path(), &lib, "t::m1999::deep");
    assert_eq!(
        forbidden_paths(dir.path()),
        (1, vec!["t::m1999::deep::f \"path\"".to_string()])
    );
}

#[test]
fn names_imported_in_a_circle() {
    // `a::x` is `b::y` is `a::x`: rustc rejects it; the tool ends, keeps
    // the paths as written, and skips the imports that only lead to each
    // other inside one module.
    let lib = "\
pub mod a { pub use crate::b::y as x; }
pub mod b { pub use crate::a::x as y; }
pub mod user {
    use crate::a::x;
    use self::p as q;
    use self::q as p;
    pub fn g() { x::f(); p::h(); q::h(); }
}
";
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path(), lib, "t::a");
    assert_eq!(
        forbidden_paths(dir.path()),
        (
            1,
            vec![
                "t::a::x \"use\"".to_string(),
                "t::a::x::f \"path\"".to_string()
            ]
        )
    );
    let run = run_limited(dir.path(), &["graph", "--format", "json"]);
    let graph: Value = serde_json::from_str(&run.stdout).unwrap();
    let edges: Vec<String> = graph["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} -> {} x{}",
                e["from"].as_str().unwrap(),
                e["to"].as_str().unwrap(),
                e["count"]
            )
        })
        .collect();
    assert_eq!(
        edges,
        ["t::a -> t::b x1", "t::b -> t::a x1", "t::user -> t::a x2"]
    );
}

#[test]
fn an_import_chain_ten_thousand_long() {
    // `a0` is `a1` is ... is `a10000`, which is `crate::target`: deeper
    // than any stack should go, and still resolved to the end.
    let n = 10_000;
    let mut lib = format!(
        "pub mod target {{ pub fn f() {{}} }}\npub mod user {{\n    use crate::target as a{n};\n"
    );
    for i in 0..n {
        let next = i + 1;
        lib.push_str(&format!("    use self::a{next} as a{i};\n"));
    }
    lib.push_str("    pub fn g() { a0::f(); }\n}\n");
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path(), &lib, "t::target::f");
    assert_eq!(
        forbidden_paths(dir.path()),
        (1, vec!["t::target::f \"path\"".to_string()])
    );
}
