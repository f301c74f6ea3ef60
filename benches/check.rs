//! Benchmark: `cargo-boundaries check --format json` on generated modular
//! monoliths of growing size, to show the cost stays linear in the source
//! size. Run with `cargo bench --bench check`; `BENCH_SCALES=1,2,4,8` picks
//! the sizes (each scale unit is 10 crates of 8 domains × 6 files).
//!
//! Prints, per size: files, MB of source, references, best-of-3 wall time,
//! throughput, and peak memory (via `/usr/bin/time` when present).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const DOMAINS: usize = 8;
const CRATES_PER_SCALE: usize = 10;
const LAYERS: [&str; 5] = ["api", "service", "domain", "storage", "events"];

fn main() {
    let scales: Vec<usize> = std::env::var("BENCH_SCALES")
        .unwrap_or_else(|_| "1,2,4".to_string())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let binary = env!("CARGO_BIN_EXE_cargo-boundaries");
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-workspaces");
    println!(
        "{:>6} {:>7} {:>8} {:>11} {:>10} {:>10} {:>10}",
        "crates", "files", "MB", "references", "wall ms", "MB/s", "peak MB"
    );
    for scale in scales {
        let crates = scale * CRATES_PER_SCALE;
        let root = base.join(format!("scale-{scale}"));
        let (files, bytes) = generate(&root, crates);
        let manifest = root.join("Cargo.toml");
        let mut best = Duration::MAX;
        let mut references = 0;
        for _ in 0..3 {
            let started = Instant::now();
            let output = Command::new(binary)
                .args(["check", "--format", "json", "--manifest-path"])
                .arg(&manifest)
                .output()
                .expect("the binary runs");
            best = best.min(started.elapsed());
            assert!(
                matches!(output.status.code(), Some(0 | 1)),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
            references = report["stats"]["references"].as_u64().unwrap_or(0);
        }
        let megabytes = bytes as f64 / 1_048_576.0;
        println!(
            "{:>6} {:>7} {:>8.1} {:>11} {:>10} {:>10.1} {:>10}",
            crates,
            files,
            megabytes,
            references,
            best.as_millis(),
            megabytes / best.as_secs_f64(),
            peak_memory(binary, &manifest)
                .map_or("-".to_string(), |kb| format!("{:.0}", kb as f64 / 1024.0))
        );
    }
}

/// Peak resident memory of one run, in KiB.
fn peak_memory(binary: &str, manifest: &Path) -> Option<u64> {
    let output = Command::new("/usr/bin/time")
        .args([
            "-f",
            "%M",
            binary,
            "check",
            "--format",
            "json",
            "--manifest-path",
        ])
        .arg(manifest)
        .output()
        .ok()?;
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

/// Writes a workspace of `crates` crates; returns (files, bytes) of Rust
/// source. Reuses an existing one of the same size.
fn generate(root: &Path, crates: usize) -> (usize, u64) {
    let marker = root.join(".complete");
    if !marker.exists() {
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
    let mut files = 0;
    let mut bytes = 0;
    for entry in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_some_and(|e| e == "rs") {
            files += 1;
            bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
        }
    }
    (files, bytes)
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
