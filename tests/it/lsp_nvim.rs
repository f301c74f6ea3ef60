//! End to end in a real editor: headless Neovim, its built-in LSP client on
//! `cargo-boundaries lsp`, a fixture file opened; the diagnostics it shows
//! must be the CLI's `--format json` violations for that file. Skipped only
//! when `nvim` is missing and BOUNDARIES_REQUIRE_NVIM is unset (CI sets it,
//! and `.ci/run` installs Neovim).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::lsp_client::fixture_copy;
use crate::support::{project_root, run};

fn nvim_installed() -> bool {
    Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A character column (1-based) of `line` as a byte column (0-based).
fn byte_column(line: &str, column: u64) -> u64 {
    line.chars()
        .take(column as usize - 1)
        .map(char::len_utf8)
        .sum::<usize>() as u64
}

#[test]
fn neovim_shows_what_the_cli_reports() {
    if !nvim_installed() {
        assert!(
            std::env::var_os("BOUNDARIES_REQUIRE_NVIM").is_none(),
            "BOUNDARIES_REQUIRE_NVIM is set but `nvim` cannot be run"
        );
        eprintln!("skipped: nvim is not installed");
        return;
    }
    let (dir, root) = fixture_copy("formats");
    let file = root.join("src/domain.rs");
    let out = dir.path().join("diagnostics.json");
    let home = dir.path().join("nvim-home");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-c"])
        .arg(format!(
            "luafile {}",
            project_root().join("tests/nvim/diagnostics.lua").display()
        ))
        .current_dir(&root)
        .env("BOUNDARIES_BIN", env!("CARGO_BIN_EXE_cargo-boundaries"))
        .env("BOUNDARIES_ROOT", &root)
        .env("BOUNDARIES_FILE", &file)
        .env("BOUNDARIES_OUT", &out)
        // Neovim's state, logs and config stay in the test's folder.
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("nvim starts");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            panic!("nvim did not finish within 180 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let written = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(status.success(), "nvim failed: {written}");
    let written: Value = serde_json::from_str(&written).unwrap();
    let shown: Vec<(String, u64, u64, u64, u64)> = written["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["source"], "boundaries");
            let n = |key: &str| d[key].as_u64().unwrap();
            (
                d["code"].as_str().unwrap().to_string(),
                n("lnum"),
                n("col"),
                n("end_lnum"),
                n("end_col"),
            )
        })
        .collect();

    let manifest = root.join("Cargo.toml");
    let cli = run(&[
        "check",
        "--format",
        "json",
        "--manifest-path",
        manifest.to_str().unwrap(),
    ]);
    let report: Value = serde_json::from_str(&cli.stdout).expect(&cli.stderr);
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut expected: Vec<(String, u64, u64, u64, u64)> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["file"] == "src/domain.rs")
        .map(|v| {
            let n = |key: &str| v[key].as_u64().unwrap();
            let (line, end_line) = (n("line"), n("end_line"));
            (
                v["rule"].as_str().unwrap().to_string(),
                line - 1,
                byte_column(lines[line as usize - 1], n("column")),
                end_line - 1,
                byte_column(lines[end_line as usize - 1], n("end_column")),
            )
        })
        .collect();
    expected.sort();
    let mut shown = shown;
    shown.sort();
    assert_eq!(expected.len(), 2);
    assert_eq!(shown, expected);
}
