//! Benchmark: `cargo-boundaries check --format json` against the parse
//! floor, on generated modular monoliths of growing size and on real
//! workspaces given by path. Run with `cargo bench --bench check`.
//!
//! - `BENCH_SCALES=1,2,4,8` picks the generated sizes (each scale unit is 10
//!   crates of 8 domains × 6 files); `BENCH_SCALES=` runs none.
//! - `BENCH_WORKSPACES=/path/a,/path/b` adds real workspaces (each needs a
//!   policy: run `cargo boundaries init` there first).
//! - `BENCH_RUNS=5` sets how many times each side runs (default 3).
//!
//! The floor is this same program started with `--floor FILES`: it only
//! reads and parses, with syn on two threads, exactly the files the tool
//! reads (the `files` of `graph --format json`), and nothing else. Tool and
//! floor runs alternate, so both see the same machine; each side's best wall
//! time, then the CPU time and peak memory of one more run (`/usr/bin/time`)
//! are printed side by side, with the machine and its load average.
//!
//! The tool's cold runs use `--no-cache`. Then, with the cache under
//! `target/boundaries/` filled by one run, `warm ms` is a re-run with
//! nothing changed and `edit ms` a re-run after editing one file (a comment
//! appended to a file in the middle of the list, new each run, the file
//! restored at the end); each is the best of the runs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The tool's allocator, so the floor parses under the same conditions.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DOMAINS: usize = 8;
const CRATES_PER_SCALE: usize = 10;
const LAYERS: [&str; 5] = ["api", "service", "domain", "storage", "events"];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--floor") {
        return floor(Path::new(&args[at + 1]));
    }
    let scales: Vec<usize> = std::env::var("BENCH_SCALES")
        .unwrap_or_else(|_| "1,2,4".to_string())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-workspaces");
    let mut workspaces: Vec<(String, PathBuf)> = scales
        .into_iter()
        .map(|scale| {
            let root = base.join(format!("scale-{scale}"));
            generate(&root, scale * CRATES_PER_SCALE);
            (format!("generated x{scale}"), root)
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
    println!("{}", machine());
    println!(
        "{:<16} {:>7} {:>8} {:>11} {:>9} {:>9} {:>6} {:>9} {:>9} {:>8} {:>8} {:>6} {:>8} {:>8}",
        "workspace",
        "files",
        "MB",
        "references",
        "tool ms",
        "floor ms",
        "ratio",
        "tool cpu",
        "floor cpu",
        "tool MB",
        "floor MB",
        "RSS/src",
        "warm ms",
        "edit ms"
    );
    for (name, root) in workspaces {
        bench_workspace(&name, &root, runs);
    }
    println!("load average at the end: {}", load_average());
}

/// What the numbers were measured on: cores, CPU model, and the load
/// (other jobs on a shared machine make every figure slower).
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    format!(
        "{cores} cores ({cpu}), load average at the start: {}",
        load_average()
    )
}

/// The 1, 5 and 15 minute load averages, where the system says them.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_string())
}

/// Times the tool and the floor on one workspace, alternating, and prints
/// one row.
fn bench_workspace(name: &str, root: &Path, runs: usize) {
    let binary = env!("CARGO_BIN_EXE_cargo-boundaries");
    let manifest = root.join("Cargo.toml");
    let files = files_read(binary, &manifest);
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();
    let list = std::env::temp_dir().join(format!("boundaries-floor-{}.txt", std::process::id()));
    let listed: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    std::fs::write(&list, listed.join("\n")).expect("write the file list");

    let mut tool = Command::new(binary);
    tool.args(["check", "--format", "json", "--no-cache", "--manifest-path"])
        .arg(&manifest);
    let mut floor = Command::new(std::env::current_exe().expect("this program"));
    floor.arg("--floor").arg(&list);

    let (mut tool_best, mut floor_best) = (Duration::MAX, Duration::MAX);
    let mut references = 0;
    for _ in 0..runs {
        let (elapsed, stdout) = timed(&mut tool);
        tool_best = tool_best.min(elapsed);
        let report: serde_json::Value = serde_json::from_slice(&stdout).expect("json");
        references = report["stats"]["references"].as_u64().unwrap_or(0);
        floor_best = floor_best.min(timed(&mut floor).0);
    }
    let (tool_kb, tool_cpu) = peak_memory(&mut tool).unzip();
    let (floor_kb, floor_cpu) = peak_memory(&mut floor).unzip();
    let _ = std::fs::remove_file(&list);
    let (warm, edit) = warm_and_edit(binary, &manifest, &files, runs);
    let megabytes = bytes as f64 / 1_048_576.0;
    let mb =
        |kb: Option<u64>| kb.map_or("-".to_string(), |kb| format!("{:.0}", kb as f64 / 1024.0));
    let ms = |cpu: Option<Duration>| cpu.map_or("-".to_string(), |d| d.as_millis().to_string());
    println!(
        "{:<16} {:>7} {:>8.1} {:>11} {:>9} {:>9} {:>6.2} {:>9} {:>9} {:>8} {:>8} {:>6} {:>8} {:>8}",
        name,
        files.len(),
        megabytes,
        references,
        tool_best.as_millis(),
        floor_best.as_millis(),
        tool_best.as_secs_f64() / floor_best.as_secs_f64(),
        ms(tool_cpu),
        ms(floor_cpu),
        mb(tool_kb),
        mb(floor_kb),
        tool_kb.map_or("-".to_string(), |kb| format!(
            "{:.1}",
            kb as f64 / 1024.0 / megabytes
        )),
        warm.as_millis(),
        edit.as_millis(),
    );
}

/// The best warm re-run with nothing changed, and the best re-run after
/// one file was edited, with the cache.
fn warm_and_edit(
    binary: &str,
    manifest: &Path,
    files: &[PathBuf],
    runs: usize,
) -> (Duration, Duration) {
    let mut cached = Command::new(binary);
    cached
        .args(["check", "--format", "json", "--manifest-path"])
        .arg(manifest);
    // Fills the cache (and keeps `cargo metadata`'s answer).
    timed(&mut cached);
    let warm = (0..runs)
        .map(|_| timed(&mut cached).0)
        .min()
        .unwrap_or_default();
    let Some(edited) = files.get(files.len() / 2) else {
        return (warm, Duration::ZERO);
    };
    let original = std::fs::read(edited).expect("the edited file");
    let edit = (0..runs)
        .map(|run| {
            let mut text = original.clone();
            let stamp = format!("\n// bench edit {} {run}\n", std::process::id());
            text.extend_from_slice(stamp.as_bytes());
            std::fs::write(edited, text).expect("edit a file");
            timed(&mut cached).0
        })
        .min()
        .unwrap_or_default();
    std::fs::write(edited, original).expect("restore the edited file");
    (warm, edit)
}

/// Runs a command to completion; its wall time and standard output.
fn timed(command: &mut Command) -> (Duration, Vec<u8>) {
    let started = Instant::now();
    let output = command.output().expect("the command runs");
    let elapsed = started.elapsed();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{:?}: {}",
        command,
        String::from_utf8_lossy(&output.stderr)
    );
    (elapsed, output.stdout)
}

/// The files the tool reads in a workspace: every node's `files` in the
/// JSON graph (its `file` where `files` is absent), absolute.
fn files_read(binary: &str, manifest: &Path) -> Vec<PathBuf> {
    let output = Command::new(binary)
        .args(["graph", "--format", "json", "--manifest-path"])
        .arg(manifest)
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let graph: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let root = manifest
        .parent()
        .expect("a folder")
        .canonicalize()
        .expect("the workspace exists");
    let mut files = std::collections::BTreeSet::new();
    for node in graph["nodes"].as_array().into_iter().flatten() {
        match node["files"].as_array() {
            Some(list) => files.extend(list.iter().filter_map(|f| f.as_str())),
            None => files.extend(node["file"].as_str()),
        }
    }
    files.into_iter().map(|f| root.join(f)).collect()
}

/// The floor: read and parse every listed file with syn on two threads,
/// nothing more.
fn floor(list: &Path) {
    use rayon::prelude::*;
    let text = std::fs::read_to_string(list).expect("the file list");
    let files: Vec<&str> = text.lines().collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .stack_size(64 << 20)
        .build()
        .expect("a thread pool");
    let parsed: usize = pool.install(|| {
        files
            .par_iter()
            .map(|file| {
                let source = std::fs::read_to_string(file).unwrap_or_default();
                syn::parse_file(&source).map_or(0, |f| f.items.len())
            })
            .sum()
    });
    println!("{parsed}");
}

/// Peak resident memory of one run, in KiB, and the CPU time it took on
/// all threads (user and system): on a shared machine, less noisy than
/// its wall time.
fn peak_memory(command: &mut Command) -> Option<(u64, Duration)> {
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%M %U %S"])
        .arg(command.get_program())
        .args(command.get_args())
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut fields = stderr.lines().last()?.split_whitespace();
    let kb = fields.next()?.parse().ok()?;
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((kb, Duration::from_secs_f64(user + system)))
}

/// Writes a workspace of `crates` crates, or reuses an existing one of the
/// same size.
fn generate(root: &Path, crates: usize) {
    let marker = root.join(".complete");
    if marker.exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(root);
    let members: Vec<String> = (0..crates).map(|c| format!("\"crates/app{c}\"")).collect();
    write(
        &root.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    );
    write(&root.join("boundaries.toml"), POLICY);
    for c in 0..crates {
        generate_crate(&root.join(format!("crates/app{c}")), c, crates);
    }
    write(&marker, "");
}

const POLICY: &str = r#"version = 1

[[rule]]
kind = "interface"
name = "domains-expose-api"
module = "*::*"
expose = ["api", "events"]

[[rule]]
kind = "layers"
name = "domain-layers"
containers = "*::*"
layers = ["api", "service", "domain", "storage"]

[[rule]]
kind = "forbid"
name = "domain-is-pure"
from = "*::*::domain"
to = ["sqlx", "axum"]

[[rule]]
kind = "acyclic"
name = "no-crate-cycles"
modules = "*::*"
"#;

fn generate_crate(dir: &Path, index: usize, crates: usize) {
    let dependency = (index + 1) % crates;
    let mut manifest = format!(
        "[package]\nname = \"app{index}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nserde = \"1\"\nsqlx = \"0.7\"\naxum = \"0.7\"\n"
    );
    if dependency != index {
        let _ = writeln!(
            manifest,
            "app{dependency} = {{ path = \"../app{dependency}\" }}"
        );
    }
    write(&dir.join("Cargo.toml"), &manifest);
    let mut lib = String::from("//! Generated crate.\n\n");
    for d in 0..DOMAINS {
        let _ = writeln!(lib, "pub mod domain{d};");
    }
    write(&dir.join("src/lib.rs"), &lib);
    for d in 0..DOMAINS {
        let domain = dir.join(format!("src/domain{d}"));
        let mut module = String::new();
        for layer in LAYERS {
            let _ = writeln!(module, "pub mod {layer};");
        }
        let _ = writeln!(module, "\npub use self::api::Handle;");
        write(&domain.join("mod.rs"), &module);
        for (l, layer) in LAYERS.iter().enumerate() {
            write(
                &domain.join(format!("{layer}.rs")),
                &source_file(index, dependency, d, l),
            );
        }
    }
}

/// About 3 KB of code with every kind of reference: uses, paths in types
/// and expressions, macro arguments, derives, and a few real violations.
fn source_file(krate: usize, dependency: usize, domain: usize, layer: usize) -> String {
    let other = (domain + 1) % DOMAINS;
    let below = LAYERS[(layer + 1).min(LAYERS.len() - 1)];
    let mut s = String::new();
    let _ = writeln!(
        s,
        "use std::collections::BTreeMap;\nuse serde::{{Deserialize, Serialize}};"
    );
    let _ = writeln!(s, "use crate::domain{other}::api as neighbour;");
    let _ = writeln!(s, "use super::{below};");
    if dependency != krate {
        let _ = writeln!(
            s,
            "use app{dependency}::domain{domain}::api::Handle as Remote;"
        );
    }
    let _ = writeln!(s, "\n#[derive(Debug, Clone, Serialize, Deserialize)]\npub struct Handle {{\n    pub id: u64,\n    pub names: BTreeMap<u64, String>,\n}}\n");
    for f in 0..12 {
        let _ = writeln!(
            s,
            "/// Function {f}: walks a few paths.\npub fn step{f}(input: &Handle) -> Option<crate::domain{domain}::api::Handle> {{\n    \
             let total: u64 = input.names.keys().copied().sum();\n    \
             let _ = neighbour::Handle {{ id: total, names: std::collections::BTreeMap::new() }};\n    \
             let _ = {below}::Handle {{ id: {f}, names: BTreeMap::new() }};\n    \
             println!(\"{{}} {{:?}}\", total, std::time::Duration::from_secs({f}));\n    \
             if total > {f} {{ return None; }}\n    Some(input.clone().into())\n}}\n"
        );
    }
    if layer == 2 && domain == 0 {
        // Real violations: domain code using sqlx, and reaching into a
        // neighbour's storage.
        let _ = writeln!(s, "pub fn leak() {{\n    let _ = sqlx::query(\"select 1\");\n    let _ = crate::domain{other}::storage::Handle {{ id: 1, names: BTreeMap::new() }};\n}}");
    }
    let _ = writeln!(s, "\nimpl From<Handle> for crate::domain{domain}::api::Handle {{\n    fn from(h: Handle) -> Self {{\n        Self {{ id: h.id, names: h.names }}\n    }}\n}}");
    s
}

fn write(path: &PathBuf, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}
