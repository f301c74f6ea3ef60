//! Command-line definitions only.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::ColorChoice;

#[derive(Debug, Parser)]
#[command(
    name = "cargo-boundaries",
    bin_name = "cargo boundaries",
    version,
    about = "Check a Cargo workspace's module boundaries against a policy, and draw its dependency graph",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options of the default command, `check`.
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the workspace against the policy (the default command)
    Check(CheckArgs),
    /// Print the documentation of the rule kinds
    Rules(RulesArgs),
}

/// Options every command that reads the workspace takes, named as cargo
/// names them.
#[derive(Debug, Args, Clone, Default)]
pub struct CommonArgs {
    /// Path to the workspace's Cargo.toml
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
    /// Check only these packages (repeatable)
    #[arg(short = 'p', long = "package", value_name = "SPEC")]
    pub packages: Vec<String>,
    /// Check every workspace member (the default)
    #[arg(long)]
    pub workspace: bool,
    /// Do not check these packages (repeatable)
    #[arg(long, value_name = "SPEC")]
    pub exclude: Vec<String>,
    /// The policy file [default: boundaries.toml at the workspace root, or
    /// [workspace.metadata.boundaries] in its Cargo.toml]
    #[arg(long, value_name = "PATH")]
    pub policy: Option<PathBuf>,
    /// When to colour the output
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorChoice,
    /// Print violations only, no warnings
    #[arg(short, long)]
    pub quiet: bool,
    /// Print what was found (crates, files, unresolved counts) on stderr
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Args, Clone, Default)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// rustc-style diagnostics
    #[default]
    Human,
    /// The stable JSON report
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// One rule kind; all of them when omitted
    pub kind: Option<String>,
}

/// Parses arguments, accepting cargo's `cargo-boundaries boundaries ...`
/// invocation as well as a direct `cargo-boundaries ...`.
pub fn parse(mut args: Vec<std::ffi::OsString>) -> Result<Cli, clap::Error> {
    if args.get(1).is_some_and(|a| a == "boundaries") {
        args.remove(1);
    }
    Cli::try_parse_from(args)
}
