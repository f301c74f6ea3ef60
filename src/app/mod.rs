//! Runs a command: the one place that does I/O around the pure pipeline and
//! maps outcomes to exit codes.

use std::ffi::OsString;
use std::io::Write;
use std::time::Instant;

use crate::check::{self, CompiledPolicy, Violation};
use crate::cli::{self, CheckArgs, Command, CommonArgs, Format};
use crate::graph::Graph;
use crate::policy::{self, PolicyErrors, PolicySource, Universe};
use crate::report::{self, CheckRun};
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
            return if err.use_stderr() { EXIT_FAILURE } else { EXIT_OK };
        }
    };
    let result = match cli.command {
        None => check_command(&cli.check),
        Some(Command::Check(args)) => check_command(&args),
        Some(Command::Rules(args)) => rules_command(args.kind.as_deref()),
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
    fn error(message: impl std::fmt::Display) -> Failure {
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
    pub started: Instant,
}

pub fn analyze(common: &CommonArgs) -> Result<Analysis, Failure> {
    let started = Instant::now();
    let workspace = workspace::load(&workspace::LoadOptions {
        manifest_path: common.manifest_path.clone(),
        packages: common.packages.clone(),
        exclude: common.exclude.clone(),
    })
    .map_err(Failure::error)?;
    let (source, in_manifest) = policy::find(&workspace.root, common.policy.as_deref()).map_err(|e| {
        let hint = match e {
            policy::FindError::NotFound { .. } => "\nhelp: run `cargo boundaries init` to write a starter policy\n",
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
    let universe = universe(&workspace, &model);
    errors.extend(policy::validate(&policy, compiled.patterns(), &universe));
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
    let violations = check::run(&compiled, &graph);
    warnings.sort();
    Ok(Analysis {
        workspace,
        graph,
        policy: compiled,
        policy_source: policy.source,
        violations,
        warnings,
        started,
    })
}

fn universe(workspace: &Workspace, model: &source::SourceModel) -> Universe {
    Universe {
        modules: model.modules.iter().map(|m| m.path.clone()).collect(),
        items: model
            .modules
            .iter()
            .flat_map(|m| m.items.iter().map(move |item| format!("{}::{item}", m.path)))
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

fn check_command(args: &CheckArgs) -> Result<i32, Failure> {
    let analysis = analyze(&args.common)?;
    let run = CheckRun {
        root: &analysis.workspace.root,
        graph: &analysis.graph,
        policy: &analysis.policy,
        policy_source: &analysis.policy_source,
        violations: &analysis.violations,
        warnings: &analysis.warnings,
        elapsed: analysis.started.elapsed(),
    };
    let output = match args.format {
        Format::Human => report::human(&run, args.common.color, args.common.quiet),
        Format::Json => report::json(&run),
    };
    print(&output);
    Ok(if run.error_count() > 0 { EXIT_VIOLATIONS } else { EXIT_OK })
}

fn rules_command(kind: Option<&str>) -> Result<i32, Failure> {
    let kinds: Vec<_> = match kind {
        None => check::registry::KINDS.iter().collect(),
        Some(name) => match check::registry::kind(name) {
            Some(kind) => vec![kind],
            None => {
                let names = check::registry::KINDS.iter().map(|k| k.name);
                let hint = crate::suggest::closest(name, names)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(Failure::error(format!("unknown rule kind `{name}`{hint}")));
            }
        },
    };
    let text: Vec<String> = kinds
        .iter()
        .map(|k| format!("# `{}`\n\n{}\n", k.name, shift_headings(&check::registry::documentation(k))))
        .collect();
    print(&text.join("\n"));
    Ok(EXIT_OK)
}

/// Puts a kind's sections one level below its title.
fn shift_headings(doc: &str) -> String {
    doc.lines()
        .map(|line| if line.starts_with('#') && !line.starts_with("#[") { format!("#{line}") } else { line.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes to stdout, ignoring a closed pipe (`| head`).
fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}
