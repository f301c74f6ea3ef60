//! Benchmark of the two phases a policy drives: validating it against the
//! workspace and checking the module graph. Run with
//! `cargo bench --bench phases`.
//!
//! Two tables:
//! 1. in process, each step alone, best of `BENCH_RUNS` (default 20): the
//!    universe index, validation, the graph, and `check::run`, so a few
//!    milliseconds stand out of a noisy machine;
//! 2. the `-v` phase times (`validated`, `checked`) of whole
//!    `check --format json` runs of this build's binary, best of
//!    `BENCH_CLI_RUNS` (default 3), beside those of `BENCH_BEFORE` (another
//!    build of the tool, for before/after numbers) when it is set; runs
//!    alternate between the binaries so both see the same machine.
//!
//! Workspaces: `BENCH_SCALES=4,16,64` picks generated ones under
//! `target/bench-workspaces/scale-N` (`cargo bench --bench check` writes
//! them), `BENCH_WORKSPACES=/path/a,/path/b` adds real ones (each needs a
//! policy). `BENCH_CLI_RUNS=0` skips the second table.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cargo_boundaries::check;
use cargo_boundaries::graph::Graph;
use cargo_boundaries::policy::{self, CrateNames, Universe};
use cargo_boundaries::source::{self, ExtractOptions, SourceModel};
use cargo_boundaries::workspace::{self, Workspace};

/// The tool's allocator, so the steps run as they do in the tool.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let runs = number("BENCH_RUNS", 20);
    let cli_runs = number("BENCH_CLI_RUNS", 3);
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-workspaces");
    let mut workspaces: Vec<(String, PathBuf)> = std::env::var("BENCH_SCALES")
        .unwrap_or_else(|_| "4,16".to_string())
        .split(',')
        .filter_map(|s| s.trim().parse::<usize>().ok())
        .map(|scale| (format!("generated x{scale}"), base.join(format!("scale-{scale}"))))
        .filter(|(name, root)| {
            let found = root.join(".complete").exists();
            if !found {
                eprintln!("{name}: not generated yet (run `cargo bench --bench check` with these BENCH_SCALES)");
            }
            found
        })
        .collect();
    if let Ok(paths) = std::env::var("BENCH_WORKSPACES") {
        for path in paths.split(',').filter(|p| !p.is_empty()) {
            let root = PathBuf::from(path);
            let name = root
                .file_name()
                .map_or(path.to_string(), |n| n.to_string_lossy().into_owned());
            workspaces.push((name, root));
        }
    }

    println!("in process, best of {runs} (ms)");
    println!(
        "{:<16} {:>8} {:>9} {:>6} {:>9} {:>9} {:>8} {:>8} {:>10}",
        "workspace",
        "modules",
        "refs",
        "rules",
        "universe",
        "validate",
        "graph",
        "check",
        "violations"
    );
    for (name, root) in &workspaces {
        in_process(name, root, runs);
    }
    if cli_runs == 0 {
        return;
    }
    let mut binaries = vec![(
        "this build".to_string(),
        PathBuf::from(env!("CARGO_BIN_EXE_cargo-boundaries")),
    )];
    if let Ok(before) = std::env::var("BENCH_BEFORE") {
        binaries.insert(0, ("before".to_string(), PathBuf::from(before)));
    }
    println!("\n`check -v --format json`, best of {cli_runs} (ms)");
    println!(
        "{:<16} {:<11} {:>10} {:>10}",
        "workspace", "binary", "validated", "checked"
    );
    for (name, root) in &workspaces {
        let mut best = vec![(f64::MAX, f64::MAX); binaries.len()];
        for _ in 0..cli_runs {
            for (b, (_, binary)) in binaries.iter().enumerate() {
                let (validated, checked) = phase_times(binary, &root.join("Cargo.toml"));
                best[b] = (best[b].0.min(validated), best[b].1.min(checked));
            }
        }
        for ((label, _), (validated, checked)) in binaries.iter().zip(best) {
            println!("{name:<16} {label:<11} {validated:>10.1} {checked:>10.1}");
        }
    }
}

fn number(variable: &str, default: usize) -> usize {
    std::env::var(variable)
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(default)
}

/// Best of `runs` for a step.
fn best<T>(runs: usize, mut step: impl FnMut() -> T) -> (Duration, T) {
    let mut fastest = Duration::MAX;
    let mut last = None;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let value = step();
        fastest = fastest.min(started.elapsed());
        last = Some(value);
    }
    (fastest, last.expect("one run"))
}

fn ms(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1000.0)
}

/// Reads the workspace and its policy as `check` does, then times each step
/// on its own.
fn in_process(name: &str, root: &Path, runs: usize) {
    let mut workspace = workspace::load(&workspace::LoadOptions {
        manifest_path: Some(root.join("Cargo.toml")),
        packages: Vec::new(),
        exclude: Vec::new(),
        workspace: false,
        current_dir: None,
        cargo: None,
        use_cache: false,
    })
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    let (source, place) =
        policy::find(&workspace.root, None).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (policy, errors) = policy::parse(source, place, &CrateNames::of(&workspace));
    assert!(errors.is_empty(), "{name}: the policy has problems");
    let (compiled, errors) = check::compile(&policy);
    assert!(errors.is_empty(), "{name}: the policy has problems");
    let include_tests = policy.settings.include_tests;
    if !include_tests {
        workspace.drop_test_targets();
    }
    let model = source::load(&workspace, ExtractOptions { include_tests }, None);

    let (universe_time, universe) = best(runs, || universe(&workspace, &model));
    let (validate_time, problems) = best(runs, || {
        let mut problems = policy::validate(&policy, compiled.patterns(), &universe);
        problems.extend(compiled.validate(&universe));
        problems
    });
    assert!(problems.is_empty(), "{name}: the policy has problems");
    let (modules, references) = (model.modules.len(), model.references.len());
    // The graph takes the model: built once.
    let started = Instant::now();
    let graph = Graph::new(model);
    let graph_time = started.elapsed();
    let (check_time, violations) = best(runs, || check::run(&compiled, &graph));
    println!(
        "{:<16} {:>8} {:>9} {:>6} {:>9} {:>9} {:>8} {:>8} {:>10}",
        name,
        modules,
        references,
        compiled.rules.len(),
        ms(universe_time),
        ms(validate_time),
        ms(graph_time),
        ms(check_time),
        violations.len()
    );
}

/// What the tool builds for validation: every module, item and crate name.
fn universe(workspace: &Workspace, model: &SourceModel) -> Universe {
    Universe::new(
        model.modules.iter().map(|m| m.path.clone()),
        (model.modules.iter()).map(|m| (m.path.as_str(), m.items.iter().map(String::as_str))),
        workspace.crates.iter().map(|c| c.name.clone()).collect(),
        workspace
            .known_crates
            .iter()
            .filter(|c| workspace.crate_by_name(c).is_none())
            .cloned()
            .collect(),
    )
}

/// The `validated` and `checked` phase times `-v` prints, in ms.
fn phase_times(binary: &Path, manifest: &Path) -> (f64, f64) {
    let output = Command::new(binary)
        .args(["check", "-v", "--format", "json", "--manifest-path"])
        .arg(manifest)
        .output()
        .expect("the binary runs");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}: {}",
        binary.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let phase = |what: &str| {
        stderr
            .lines()
            .find(|line| line.contains(what))
            .and_then(|line| line.split_whitespace().next()?.parse().ok())
            .unwrap_or(f64::NAN)
    };
    (phase("ms  validated"), phase("ms  checked"))
}
