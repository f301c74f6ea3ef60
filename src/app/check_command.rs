//! `cargo boundaries check`: check and print in the chosen format.

use super::{analyze, print, Failure, EXIT_OK, EXIT_VIOLATIONS};
use crate::cli::{CheckArgs, Format, MessageFormat};
use crate::report::{self, CheckRun};

pub fn check(args: &CheckArgs) -> Result<i32, Failure> {
    let mut analysis = analyze(&args.common)?;
    if !args.no_baseline {
        if let Some(entries) = super::baseline::read(&analysis)? {
            let stale = crate::check::baseline::apply(
                &mut analysis.violations,
                &entries,
                &analysis.policy,
                &analysis.graph,
            );
            analysis.warnings.extend(stale);
            analysis.warnings.sort();
        }
    }
    if args.common.quiet {
        // Violations only: keep just the warnings that fail the run.
        analysis.warnings.retain(|w| w.code.is_error());
    }
    let references = &analysis.graph.model.references;
    let quoted = analysis
        .violations
        .iter()
        .flat_map(|v| v.references.iter().map(|&r| &*references[r].location.file))
        .chain(
            analysis
                .warnings
                .iter()
                .filter_map(|w| w.location.as_ref())
                .map(|l| &*l.file),
        );
    let sources = super::read_sources(
        &analysis.workspace.root,
        quoted.collect::<std::collections::BTreeSet<_>>(),
    );
    let run = CheckRun {
        root: &analysis.workspace.root,
        workspace: &analysis.workspace,
        graph: &analysis.graph,
        policy: &analysis.policy,
        policy_source: &analysis.policy_source,
        violations: &analysis.violations,
        warnings: &analysis.warnings,
        sources: &sources,
        elapsed: analysis.started.elapsed(),
    };
    let output = match (args.message_format, args.format) {
        (Some(MessageFormat::Json), _) => report::cargo_messages(&run),
        (None, Format::Human) => report::human(&run, args.common.color.enabled()),
        (None, Format::Json) => report::json(&run),
        (None, Format::Short) => report::short(&run),
        (None, Format::Sarif) => report::sarif(&run),
        (None, Format::Github) => report::github(&run),
        (None, Format::Gitlab) => report::gitlab(&run),
    };
    print(&output);
    Ok(if run.error_count() > 0 {
        EXIT_VIOLATIONS
    } else {
        EXIT_OK
    })
}
