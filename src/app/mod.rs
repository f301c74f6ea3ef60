//! Runs a command: the one place that does I/O around the pure pipeline and
//! maps outcomes to exit codes. One file per command.

mod base;
mod baseline;
mod check_command;
mod codeowners;
mod editor;
mod exemptions;
mod explain;
mod files;
mod graph_command;
mod init;
mod rules;
mod style;
mod watch;

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io::Write;
use std::time::Instant;

use crate::check::{self, CompiledPolicy, Violation};
use crate::cli::{self, Command, CommonArgs};
use crate::graph::Graph;
use crate::policy::{self, PolicyErrors, PolicyPlace, PolicySource, Universe};
use crate::report::{self, FailureCode, Problem};
use crate::source::{self, ExtractOptions};
use crate::warning::Warning;
use crate::workspace::{self, CrateKind, Workspace};

pub use style::Stream;

/// Exit codes, a contract with CI scripts.
pub const EXIT_OK: i32 = 0;
pub const EXIT_VIOLATIONS: i32 = 1;
pub const EXIT_FAILURE: i32 = 2;

/// Runs the command line `args` (with the program name first) and returns
/// the exit code.
pub fn run(args: Vec<OsString>) -> i32 {
    let cli = match cli::parse(args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                EXIT_FAILURE
            } else {
                EXIT_OK
            };
        }
    };
    let result = match cli.command {
        None => check_command::check(&cli.check),
        Some(Command::Check(args)) => check_command::check(&args),
        Some(Command::Graph(args)) => graph_command::graph(&args),
        Some(Command::Explain(args)) => explain::explain(&args),
        Some(Command::Init(args)) => init::init(&args),
        Some(Command::Baseline(args)) => baseline::baseline(&args),
        Some(Command::Rules(args)) => rules::rules(args.kind.as_deref()),
        Some(Command::Lsp(_)) => Ok(editor::lsp()),
        Some(Command::Exemptions(args)) => exemptions::exemptions(&args),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            let mut text = failure.human;
            if !text.ends_with('\n') {
                text.push('\n');
            }
            eprint!("{text}");
            EXIT_FAILURE
        }
    }
}

/// A run that could not do its job (exit 2): what stderr shows, and the same
/// problems one by one for the machine formats, which must still speak.
pub struct Failure {
    /// Rendered diagnostics, or `error: ...` lines.
    pub human: String,
    pub problems: Vec<Problem>,
    /// The workspace, when it was read before the run failed.
    pub workspace: Option<Box<Workspace>>,
    /// The text of the files the problems are located in.
    pub sources: report::Sources,
    /// The policy file as shown to users, when one was found.
    pub policy_file: Option<String>,
}

impl Failure {
    /// A problem about no file in particular.
    pub fn error(message: impl std::fmt::Display) -> Failure {
        Failure::new(FailureCode::Error, message, None)
    }

    pub fn new(
        code: FailureCode,
        message: impl std::fmt::Display,
        help: Option<String>,
    ) -> Failure {
        let message = message.to_string();
        let mut human = format!("error: {message}\n");
        if let Some(help) = &help {
            human.push_str(&format!("help: {help}\n"));
        }
        Failure {
            human,
            problems: vec![Problem {
                help,
                ..Problem::new(code, message)
            }],
            workspace: None,
            sources: report::Sources::default(),
            policy_file: None,
        }
    }

    /// Keeps the workspace the failed run had read, for formats that name
    /// its crates.
    fn within(mut self, workspace: Workspace) -> Failure {
        self.workspace = Some(Box::new(workspace));
        self
    }

    /// The problems as the machine formats take them.
    pub fn failed_run(&self) -> report::FailedRun<'_> {
        report::FailedRun {
            problems: &self.problems,
            workspace: self.workspace.as_deref(),
            sources: &self.sources,
            policy_file: self.policy_file.as_deref(),
        }
    }
}

/// The style of output written to `stream` under the command's `--color`.
pub fn output_style(common: &CommonArgs, stream: Stream) -> Result<report::Style, Failure> {
    Ok(style::style(style::color_choice(common.color)?, stream))
}

/// The workspace read, the policy compiled and checked.
pub struct Analysis {
    pub workspace: Workspace,
    pub graph: Graph,
    pub policy: CompiledPolicy,
    /// The policy file; without one (`graph`, `explain`), an empty
    /// `boundaries.toml` at the root, with no rules.
    pub policy_source: PolicySource,
    pub violations: Vec<Violation>,
    pub warnings: Vec<Warning>,
    pub settings: policy::Settings,
    pub started: Instant,
    /// `-v`: say what was read, on stderr.
    pub verbose: bool,
    /// The cache's writes and pruning, going on beside the check and the
    /// report: waited for when the analysis is dropped.
    pub _cache_upkeep: crate::cache::Upkeep,
}

impl Analysis {
    /// Ends a one-shot run: waits for the cache's writes, and leaves the
    /// model's memory to the process's exit, which takes it back whole
    /// rather than piece by piece (tens of thousands of allocations).
    pub fn end(mut self) {
        drop(std::mem::take(&mut self._cache_upkeep));
        std::mem::forget(self);
    }
}

/// Whether a command needs a policy: `check` and `baseline` do; `graph` and
/// `explain` draw and explain without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyUse {
    Required,
    IfPresent,
}

fn load_workspace(common: &CommonArgs) -> Result<Workspace, Failure> {
    load_workspace_beside(common, &|_| {})
}

/// [`load_workspace`], with work to start beside `cargo metadata`.
fn load_workspace_beside(
    common: &CommonArgs,
    while_cargo_runs: &dyn Fn(&std::path::Path),
) -> Result<Workspace, Failure> {
    let options = workspace::LoadOptions {
        manifest_path: common.manifest_path.clone(),
        packages: common.packages.clone(),
        exclude: common.exclude.clone(),
        workspace: common.workspace,
        current_dir: std::env::current_dir().ok(),
        // Run by cargo (`cargo boundaries`), use the cargo that ran us:
        // cargo's rustup proxy would pick a toolchain from the checked
        // workspace's `rust-toolchain.toml`, which may name any binary.
        cargo: std::env::var_os("CARGO").map(Into::into),
        use_cache: !common.no_cache,
    };
    workspace::load_beside(&options, while_cargo_runs)
        .map_err(|e| Failure::new(FailureCode::Workspace, e, None))
}

/// The workspace and its source model, without a policy (for `init`).
pub fn load_model(
    common: &CommonArgs,
    include_tests: bool,
) -> Result<(Workspace, source::SourceModel), Failure> {
    let mut workspace = load_workspace(common)?;
    if !include_tests {
        workspace.drop_test_targets();
    }
    let options = ExtractOptions { include_tests };
    let cache = facts_cache(common, &workspace, options).ok();
    let model = source::load(&workspace, options, cache.as_ref());
    if let Some(cache) = cache {
        cache.finish();
    }
    Ok((workspace, model))
}

/// The cache of facts under the workspace's target directory, unless
/// `--no-cache` or it cannot be used safely.
fn facts_cache(
    common: &CommonArgs,
    workspace: &Workspace,
    options: ExtractOptions,
) -> Result<source::FactsCache, String> {
    if common.no_cache {
        return Err("--no-cache".to_string());
    }
    crate::cache::Store::open(&workspace.root, &workspace.target_dir)
        .map(|store| source::FactsCache::new(store, options, &workspace.root))
        .map_err(|why| why.to_string())
}

/// What `-v` says about the cache's use.
fn cache_said(cache_use: Result<source::CacheUse, &String>) -> String {
    match cache_use {
        Ok(used) => format!(
            "{} from the cache, {} parsed; {} not read again (as the last run saw them)",
            used.hits, used.misses, used.unchanged
        ),
        Err(why) => format!("all parsed, no cache ({why})"),
    }
}

/// What `-v` says about resolution's use of the cache.
fn resolution_said(cache_use: Option<source::CacheUse>) -> String {
    match cache_use {
        Some(used) if used.resolved_from_cache() => " (from the cache)".to_string(),
        Some(used) if used.resolved_kept > 0 => format!(
            " (the references of {} of {} module files from the cache)",
            used.resolved_kept, used.module_files
        ),
        _ => String::new(),
    }
}

/// Times the phases of a run for `--verbose`.
struct Phases {
    verbose: bool,
    last: Instant,
}

impl Phases {
    fn done(&mut self, what: std::fmt::Arguments) {
        let now = Instant::now();
        if self.verbose {
            eprintln!(
                "{:>6.1} ms  {what}",
                (now - self.last).as_secs_f64() * 1000.0
            );
        }
        self.last = now;
    }
}

/// `analyze_with` for a command that needs a policy.
pub fn analyze(common: &CommonArgs) -> Result<Analysis, Failure> {
    analyze_with(common, PolicyUse::Required)
}

pub fn analyze_with(common: &CommonArgs, policy_use: PolicyUse) -> Result<Analysis, Failure> {
    analyze_loaded(common, policy_use, None)
}

/// `analyze_with` on a workspace already read (`check --watch` reads it
/// again only when a manifest changes), or on one it reads itself.
pub fn analyze_loaded(
    common: &CommonArgs,
    policy_use: PolicyUse,
    loaded: Option<Workspace>,
) -> Result<Analysis, Failure> {
    let started = Instant::now();
    let stderr = output_style(common, Stream::Stderr)?;
    let mut phases = Phases {
        verbose: common.verbose,
        last: started,
    };
    // Files are read while cargo runs, before the run knows its settings
    // and places for sure: what was read under right guesses is used.
    let head_start = source::HeadStart::default();
    let mut workspace = match loaded {
        Some(workspace) => workspace,
        None => load_workspace_beside(common, &|manifest| head_start.start(manifest))?,
    };
    let found = match policy::find(&workspace.root, common.policy.as_deref()) {
        Ok(found) => Some(found),
        Err(policy::FindError::NotFound { .. }) if policy_use == PolicyUse::IfPresent => None,
        Err(e) => {
            let (code, help) = match e {
                policy::FindError::NotFound { .. } => (
                    FailureCode::NoPolicy,
                    Some("run `cargo boundaries init` to write a starter policy".to_string()),
                ),
                _ => (FailureCode::Policy, None),
            };
            let mut failure = Failure::new(code, &e, help);
            if code == FailureCode::Policy {
                failure.problems[0].detail = Some(e.code());
            }
            return Err(failure.within(workspace));
        }
    };
    let policy_used = match &found {
        Some((source, place)) => policy_used(source, *place, common.policy.is_some()),
        None => "no policy found: no rules apply".to_string(),
    };
    let (policy, mut errors) = match found {
        Some((source, place)) => policy::parse(source, place, &policy::CrateNames::of(&workspace)),
        None => (empty_policy(&workspace), Vec::new()),
    };
    let (compiled, compile_errors) = check::compile(&policy);
    errors.extend(compile_errors);

    let include_tests = policy.settings.include_tests;
    let left_out = if include_tests {
        0
    } else {
        workspace.drop_test_targets()
    };
    phases.done(format_args!(
        "cargo metadata: {} at {}{}",
        crate_counts(&workspace, left_out),
        workspace.root.display(),
        if workspace.metadata_cached {
            " (from the cache)"
        } else {
            ""
        }
    ));
    if common.verbose {
        if let Some(member) = &workspace.current_member {
            say(format_args!(
                "checking member `{member}`, whose directory the run started in \
                 (--workspace checks every member)"
            ));
        }
        say(format_args!("{policy_used}"));
    }
    let options = ExtractOptions { include_tests };
    let cache = facts_cache(common, &workspace, options);
    let early = head_start.finish(&workspace, options);
    let read_early = early.len();
    let discovered = source::discover(&workspace, options, cache.as_ref().ok(), early);
    let files = discovered.files();
    phases.done(format_args!(
        "read {}: {}{}",
        plural(files, "file", "files"),
        cache_said(cache.as_ref().map(source::FactsCache::usage)),
        match read_early {
            0 => String::new(),
            n => format!("; {n} read while cargo metadata ran"),
        }
    ));
    // The policy's patterns need the modules only: checked against them
    // while the name tables are built.
    let (model, validation) = source::resolve_beside(
        &workspace,
        discovered,
        options,
        cache.as_ref().ok(),
        |modules| {
            let universe = universe_of(&workspace, &modules.module_names());
            let mut errors = policy::validate(&policy, compiled.patterns(), &universe);
            errors.extend(compiled.validate(&universe));
            errors
        },
    );
    let (cache_use, cache_upkeep) = match cache.map(source::FactsCache::finish) {
        Ok((used, upkeep)) => (Some(used), upkeep),
        Err(_) => (None, crate::cache::Upkeep::default()),
    };
    phases.done(format_args!(
        "resolved {}{}; {} resolved, {} skipped as unresolvable",
        plural(model.modules.len(), "module", "modules"),
        resolution_said(cache_use),
        plural(model.references.len(), "reference", "references"),
        plural(model.unresolved, "path", "paths"),
    ));
    errors.extend(validation);
    phases.done(format_args!(
        "validated {}",
        plural(compiled.rules.len(), "rule", "rules")
    ));
    if !errors.is_empty() {
        let errors = PolicyErrors {
            source: policy.source.clone(),
            errors,
        };
        let failure = Failure {
            human: report::policy_errors(&errors, &stderr),
            problems: report::policy_problems(&errors),
            workspace: None,
            sources: report::Sources::new(
                [(
                    errors.source.display.clone(),
                    std::sync::Arc::from(errors.source.text.as_str()),
                )]
                .into(),
            ),
            policy_file: Some(errors.source.display.clone()),
        };
        return Err(failure.within(workspace));
    }
    let mut warnings = workspace.warnings.clone();
    warnings.extend(model.warnings.iter().cloned());
    // The rules' interned paths need the references only: worked out
    // while the graph is built.
    let references = model.references.clone();
    let (graph, paths) = rayon::join(|| Graph::new(model), || check::PathIds::of(&references));
    // Only the selected crates' suppressions can be used, so only theirs
    // are checked.
    let selected_files: BTreeSet<&str> = graph
        .model
        .modules
        .iter()
        .filter(|m| m.selected)
        .map(|m| m.file.as_str())
        .collect();
    let suppressions: Vec<_> = graph
        .model
        .suppressions
        .iter()
        .filter(|s| selected_files.contains(&*s.location.file))
        .cloned()
        .collect();
    let expiry = match exemptions::expiry_rules(&policy.settings) {
        Ok(expiry) => expiry,
        Err(failure) => return Err(failure.within(workspace)),
    };
    let suppressed = check::suppress::apply(
        check::run_with_paths(&compiled, &graph, paths),
        &suppressions,
        &compiled,
        &graph.model.references,
        &check::suppress::SuppressionRules {
            require_reason: policy.settings.require_suppression_reason,
            expiry,
        },
    );
    if !suppressed.errors.is_empty() {
        let sources = read_sources(
            &workspace.root,
            suppressed.errors.iter().map(|e| &*e.location.file),
        );
        let problems = report::suppression_problems(&suppressed.errors)
            .into_iter()
            .map(|mut problem| {
                problem.crate_name = problem.location.as_ref().and_then(|l| {
                    graph
                        .model
                        .modules
                        .iter()
                        .find(|m| *m.file == *l.file)
                        .map(|m| m.crate_name.clone())
                });
                problem
            })
            .collect();
        let failure = Failure {
            human: report::suppression_errors(&suppressed.errors, &sources, &stderr),
            problems,
            workspace: None,
            sources,
            policy_file: Some(policy.source.display.clone()),
        };
        return Err(failure.within(workspace));
    }
    let violations = suppressed.violations;
    phases.done(format_args!(
        "checked: {}",
        plural(violations.len(), "violation", "violations")
    ));
    warnings.extend(suppressed.warnings);
    warnings.sort();
    Ok(Analysis {
        workspace,
        graph,
        policy: compiled,
        policy_source: policy.source,
        violations,
        warnings,
        settings: policy.settings,
        started,
        verbose: common.verbose,
        _cache_upkeep: cache_upkeep,
    })
}

/// A `-v` line that is not a timed phase, aligned under the phases' text.
fn say(what: std::fmt::Arguments) {
    eprintln!("           {what}");
}

/// What `-v` says about the policy: its file, or its table in the root
/// manifest.
fn policy_used(source: &PolicySource, place: PolicyPlace, explicit: bool) -> String {
    match place {
        PolicyPlace::File if explicit => format!("policy: {} (--policy)", source.display),
        PolicyPlace::File => format!("policy: {}", source.display),
        PolicyPlace::WorkspaceMetadata | PolicyPlace::PackageMetadata => {
            format!("policy: {} in {}", place.table(), source.display)
        }
    }
}

/// Which baseline a run compared with, for `-v`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaselineUse {
    /// The file was read: its number of entries.
    Read(usize),
    /// The file does not exist.
    NoFile,
    /// `--no-baseline`: the file was not read.
    NotRead,
}

/// `-v`: says which baseline file the run used, or why none.
pub fn say_baseline(analysis: &Analysis, used: BaselineUse) {
    if !analysis.verbose {
        return;
    }
    let shown = baseline::baseline_path(analysis).ok().map(|path| {
        let root = &analysis.workspace.root;
        crate::location::display_path(path.strip_prefix(root).unwrap_or(&path))
    });
    let shown = shown.as_deref().unwrap_or("the baseline");
    let text = match used {
        BaselineUse::Read(entries) => format!(
            "baseline: {shown} ({})",
            plural(entries, "entry", "entries")
        ),
        BaselineUse::NoFile => format!("no baseline file: {shown} does not exist"),
        BaselineUse::NotRead => "no baseline file: --no-baseline".to_string(),
    };
    say(format_args!("{text}"));
}

/// What `-v` says the workspace holds, in the words the summary uses:
/// `12 packages, 20 crates (12 libraries, 8 binaries); 45 test, bench and
/// example targets left out (include-tests is off)`.
fn crate_counts(workspace: &Workspace, left_out: usize) -> String {
    let count = |kind| workspace.crates.iter().filter(|c| c.kind == kind).count();
    let mut kinds = vec![
        plural(count(CrateKind::Lib), "library", "libraries"),
        plural(count(CrateKind::Bin), "binary", "binaries"),
    ];
    let tests = count(CrateKind::TestLike);
    if tests > 0 {
        kinds.push(plural(
            tests,
            "test, bench or example target",
            "test, bench and example targets",
        ));
    }
    let mut text = format!(
        "{}, {} ({})",
        plural(workspace.packages, "package", "packages"),
        plural(workspace.crates.len(), "crate", "crates"),
        kinds.join(", ")
    );
    if left_out > 0 {
        text.push_str(&format!(
            "; {} left out (include-tests is off)",
            plural(
                left_out,
                "test, bench or example target",
                "test, bench and example targets"
            )
        ));
    }
    text
}

fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// A policy with no rules and default settings, standing for a missing
/// `boundaries.toml` at the root, for the commands that work without one.
fn empty_policy(workspace: &Workspace) -> policy::Policy {
    policy::Policy {
        source: PolicySource {
            path: workspace.root.join("boundaries.toml"),
            display: "boundaries.toml".to_string(),
            text: String::new(),
        },
        settings: policy::Settings::default(),
        components: Default::default(),
        rules: Vec::new(),
        names: policy::CrateNames::default(),
    }
}

pub fn universe(workspace: &Workspace, model: &source::SourceModel) -> Universe {
    let modules: Vec<source::ModuleNames> = (model.modules.iter())
        .map(|m| source::ModuleNames {
            path: &m.path,
            items: m.items.iter().map(String::as_str).collect(),
        })
        .collect();
    universe_of(workspace, &modules)
}

/// The names a policy's patterns may match: `modules`' paths and items, and
/// the workspace's crates.
fn universe_of(workspace: &Workspace, modules: &[source::ModuleNames]) -> Universe {
    Universe::new(
        modules.iter().map(|m| m.path.to_string()),
        (modules.iter()).map(|m| (m.path, m.items.iter().copied())),
        workspace.crates.iter().map(|c| c.name.clone()).collect(),
        workspace
            .known_crates
            .iter()
            .filter(|c| workspace.crate_by_name(c).is_none())
            .cloned()
            .collect(),
    )
}

/// Reads the files diagnostics will quote (the one place output reads
/// files): each once, byte-order mark dropped as the parser dropped it.
pub fn read_sources<'a>(
    root: &std::path::Path,
    files: impl IntoIterator<Item = &'a str>,
) -> report::Sources {
    let files = files
        .into_iter()
        .map(|file| {
            let text = source::quoted_text(root, file);
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            (file.to_string(), std::sync::Arc::from(text))
        })
        .collect();
    report::Sources::new(files)
}

/// Writes to stdout, ignoring a closed pipe (`| head`).
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}
