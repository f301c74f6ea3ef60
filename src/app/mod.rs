//! Runs a command: the one place that does I/O around the pure pipeline and
//! maps outcomes to exit codes. One file per command.

mod baseline;
mod check_command;
mod explain;
mod files;
mod graph_command;
mod init;
mod rules;

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io::Write;
use std::time::Instant;

use crate::check::{self, CompiledPolicy, Violation};
use crate::cli::{self, Command, CommonArgs};
use crate::graph::Graph;
use crate::policy::{self, PolicyErrors, PolicySource, Universe};
use crate::report;
use crate::source::{self, ExtractOptions};
use crate::warning::Warning;
use crate::workspace::{self, Workspace};

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
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            eprint!("{}", failure.0);
            EXIT_FAILURE
        }
    }
}

/// A run that could not do its job; the text says why.
pub struct Failure(pub String);

impl Failure {
    pub fn error(message: impl std::fmt::Display) -> Failure {
        Failure(format!("error: {message}\n"))
    }
}

/// The workspace read, the policy compiled and checked.
pub struct Analysis {
    pub workspace: Workspace,
    pub graph: Graph,
    pub policy: CompiledPolicy,
    pub policy_source: PolicySource,
    pub violations: Vec<Violation>,
    pub warnings: Vec<Warning>,
    pub settings: policy::Settings,
    pub started: Instant,
}

fn load_workspace(common: &CommonArgs) -> Result<Workspace, Failure> {
    workspace::load(&workspace::LoadOptions {
        manifest_path: common.manifest_path.clone(),
        packages: common.packages.clone(),
        exclude: common.exclude.clone(),
    })
    .map_err(Failure::error)
}

/// The workspace and its source model, without a policy (for `init`).
pub fn load_model(
    common: &CommonArgs,
    include_tests: bool,
) -> Result<(Workspace, source::SourceModel), Failure> {
    let workspace = load_workspace(common)?;
    let model = source::load(&workspace, ExtractOptions { include_tests });
    Ok((workspace, model))
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

pub fn analyze(common: &CommonArgs) -> Result<Analysis, Failure> {
    let started = Instant::now();
    let mut phases = Phases {
        verbose: common.verbose,
        last: started,
    };
    let workspace = load_workspace(common)?;
    phases.done(format_args!(
        "cargo metadata: {} crates at {}",
        workspace.crates.len(),
        workspace.root.display()
    ));
    let (source, in_manifest) =
        policy::find(&workspace.root, common.policy.as_deref()).map_err(|e| {
            let hint = match e {
                policy::FindError::NotFound { .. } => {
                    "\nhelp: run `cargo boundaries init` to write a starter policy\n"
                }
                _ => "",
            };
            Failure(format!("error: {e}{hint}"))
        })?;
    let (policy, mut errors) = policy::parse(source, in_manifest);
    let (compiled, compile_errors) = check::compile(&policy);
    errors.extend(compile_errors);

    let model = source::load(
        &workspace,
        ExtractOptions {
            include_tests: policy.settings.include_tests,
        },
    );
    phases.done(format_args!(
        "parsed {} files into {} modules; {} references resolved, {} paths skipped as unresolvable",
        model.files,
        model.modules.len(),
        model.references.len(),
        model.unresolved
    ));
    let universe = universe(&workspace, &model);
    errors.extend(policy::validate(&policy, compiled.patterns(), &universe));
    errors.extend(compiled.validate(&universe));
    phases.done(format_args!("validated {} rules", compiled.rules.len()));
    if !errors.is_empty() {
        let rendered = report::policy_errors(
            &PolicyErrors {
                source: policy.source.clone(),
                errors,
            },
            common.color.enabled_stderr(),
        );
        return Err(Failure(rendered));
    }
    let mut warnings = model.warnings.clone();
    let graph = Graph::new(model);
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
    let suppressed = check::suppress::apply(
        check::run(&compiled, &graph),
        &suppressions,
        &compiled,
        &graph.model.references,
        policy.settings.require_suppression_reason,
    );
    if !suppressed.errors.is_empty() {
        let sources = read_sources(
            &workspace.root,
            suppressed.errors.iter().map(|e| &*e.location.file),
        );
        return Err(Failure(report::suppression_errors(
            &suppressed.errors,
            &sources,
            common.color.enabled_stderr(),
        )));
    }
    let violations = suppressed.violations;
    phases.done(format_args!("checked: {} violations", violations.len()));
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
    })
}

pub fn universe(workspace: &Workspace, model: &source::SourceModel) -> Universe {
    Universe {
        modules: model.modules.iter().map(|m| m.path.clone()).collect(),
        items: model
            .modules
            .iter()
            .flat_map(|m| {
                m.items
                    .iter()
                    .map(move |item| format!("{}::{item}", m.path))
            })
            .collect(),
        workspace_crates: workspace.crates.iter().map(|c| c.name.clone()).collect(),
        external_crates: workspace
            .known_crates
            .iter()
            .filter(|c| workspace.crate_by_name(c).is_none())
            .cloned()
            .collect(),
    }
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
