//! Command-line definitions only.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Draw the module dependency graph (DOT, Mermaid, SVG or JSON)
    Graph(GraphArgs),
    /// Show every reference by which FROM depends on TO, and the rules on it
    Explain(ExplainArgs),
    /// Write a starter boundaries.toml for this workspace
    Init(InitArgs),
    /// Write the baseline file of the violations that exist today
    Baseline(BaselineArgs),
    /// Print the documentation of the rule kinds
    Rules(RulesArgs),
    /// Serve the Language Server Protocol on stdin and stdout, for editors
    Lsp(LspArgs),
    /// List every suppression and baseline entry with its owner and expiry
    Exemptions(ExemptionsArgs),
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
    /// Check every workspace member, even when run in a member's directory
    /// (at the workspace root, every member is checked anyway)
    #[arg(long)]
    pub workspace: bool,
    /// Do not check these packages (repeatable)
    #[arg(long, value_name = "SPEC")]
    pub exclude: Vec<String>,
    /// The policy file [default: boundaries.toml at the workspace root, or
    /// [workspace.metadata.boundaries] in its Cargo.toml]
    #[arg(long, value_name = "PATH")]
    pub policy: Option<PathBuf>,
    /// When to colour the output [default: CARGO_TERM_COLOR, else auto]
    #[arg(long, value_enum, value_name = "WHEN")]
    pub color: Option<ColorChoice>,
    /// Print violations only, no warnings
    #[arg(short, long)]
    pub quiet: bool,
    /// Print what was found (crates, files, unresolved counts) on stderr
    #[arg(short, long)]
    pub verbose: bool,
    /// Neither read nor write the cache of facts under target/boundaries/
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Args, Clone, Default)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// `json`: one cargo-style `compiler-message` line per violation, for
    /// rust-analyzer's check command (overrides --format)
    #[arg(long, value_enum, value_name = "FMT")]
    pub message_format: Option<MessageFormat>,
    /// Ignore the baseline file: report every violation
    #[arg(long)]
    pub no_baseline: bool,
    /// Fail when the policy, the baseline or the suppressions allow more
    /// than at this git revision (read with `git show`, nothing checked out)
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// Check again on every change to the sources, the policy, the
    /// baseline or a manifest, until Ctrl-C (with the human, short and json
    /// formats; json writes one document per check)
    #[arg(long)]
    pub watch: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// rustc-style diagnostics
    #[default]
    Human,
    /// The stable JSON report
    Json,
    /// One line per violation: `file:line:col: error[rule]: message`
    Short,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// GitLab Code Quality report
    Gitlab,
    /// A Markdown report for `$GITHUB_STEP_SUMMARY` and merge-request
    /// comments: counts against the baseline, new violations, a diagram
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// cargo's `compiler-message` JSON lines
    Json,
}

#[derive(Debug, Args, Clone)]
pub struct GraphArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Diagram format [default: from the extension of `-o FILE`, else dot]
    #[arg(long, value_enum)]
    pub format: Option<GraphFormat>,
    /// Draw crates, or modules
    #[arg(long, value_enum, default_value = "modules")]
    pub level: GraphLevel,
    /// Collapse modules deeper than N segments below their crate into their
    /// ancestor, summing references (with `--level modules` only)
    #[arg(long, value_name = "N")]
    pub depth: Option<usize>,
    /// Only the modules this pattern covers and their direct neighbours
    #[arg(long, value_name = "PATTERN")]
    pub focus: Option<String>,
    /// Leave out crates outside the workspace
    #[arg(long)]
    pub exclude_external: bool,
    /// Draw each match of PATTERN as one node, summing its references, e.g.
    /// `--collapse 'bevy_render::**'` (repeatable; with `--level modules`)
    #[arg(long, value_name = "PATTERN")]
    pub collapse: Vec<String>,
    /// Hide an edge A→C when A→B→…→C is drawn (transitive reduction); an
    /// edge with a violation always stays [default: on with `--level crates`]
    #[arg(long, overrides_with = "no_reduce")]
    pub reduce: bool,
    /// Draw every edge, even those a longer path already implies
    #[arg(long, overrides_with = "reduce")]
    pub no_reduce: bool,
    /// With `--format html`: turn each reference's file:line into a link,
    /// e.g. `https://github.com/org/repo/blob/main/{file}#L{line}`
    #[arg(long, value_name = "TEMPLATE")]
    pub link_template: Option<String>,
    /// Write the diagram to FILE instead of stdout; without `--format`, the
    /// extension picks it (.dot/.gv, .mmd/.mermaid, .svg, .json, .html)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Svg,
    Json,
    /// One self-contained page to explore the graph in a browser
    Html,
}

impl GraphFormat {
    /// The format a file extension names (case-insensitive), if any.
    pub fn from_extension(extension: &str) -> Option<GraphFormat> {
        match extension.to_ascii_lowercase().as_str() {
            "dot" | "gv" => Some(GraphFormat::Dot),
            "mmd" | "mermaid" => Some(GraphFormat::Mermaid),
            "svg" => Some(GraphFormat::Svg),
            "json" => Some(GraphFormat::Json),
            "html" | "htm" => Some(GraphFormat::Html),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphLevel {
    Crates,
    Modules,
}

#[derive(Debug, Args, Clone)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The depending module (its subtree included), e.g. `shop::billing`
    pub from: String,
    /// The module or crate depended on (its subtree included)
    pub to: String,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: ExplainFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Human,
    Json,
}

#[derive(Debug, Args, Clone)]
pub struct InitArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Start from a preset of the `rules/` folder: modular-monolith,
    /// layered or hexagonal
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// Overwrite an existing policy (and baseline)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args, Clone)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Accept new or grown entries (without it, the baseline may only shrink)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ExemptionsArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: ExemptionsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ExemptionsFormat {
    /// A table, the soonest to expire first
    #[default]
    Human,
    /// `{"version": 1, "today": .., "exemptions": [..]}`
    Json,
}

#[derive(Debug, Args, Clone)]
pub struct RulesArgs {
    /// One rule kind; all of them when omitted
    pub kind: Option<String>,
}

/// `cargo boundaries lsp`: the workspace is the folder the editor opens.
#[derive(Debug, Args)]
pub struct LspArgs {}

/// Parses arguments, accepting cargo's `cargo-boundaries boundaries ...`
/// invocation as well as a direct `cargo-boundaries ...`.
pub fn parse(mut args: Vec<std::ffi::OsString>) -> Result<Cli, clap::Error> {
    if args.get(1).is_some_and(|a| a == "boundaries") {
        args.remove(1);
    }
    Cli::try_parse_from(args)
}

/// `--color` (and `CARGO_TERM_COLOR`): when to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}
