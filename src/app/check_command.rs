//! `cargo boundaries check`: check and print in the chosen format.

use std::io::Write as _;

use super::{
    analyze_loaded, output_style, print, say_baseline, Analysis, BaselineUse, Failure, PolicyUse,
    Stream, EXIT_OK, EXIT_VIOLATIONS,
};
use crate::check::expiry::Standing;
use crate::check::verdict::Verdict;
use crate::cli::{CheckArgs, Format, MessageFormat};
use crate::report::{self, CheckRun};
use crate::workspace::Workspace;

pub fn check(args: &CheckArgs) -> Result<i32, Failure> {
    let result = if args.watch {
        super::watch::watch(args)
    } else {
        let mut stdout = std::io::BufWriter::new(std::io::stdout());
        run(args, None, &mut stdout).map(|checked| {
            // A closed pipe (`| head`) is not an error.
            let _ = stdout.flush();
            checked.analysis.end();
            checked.exit
        })
    };
    result.inspect_err(|failure| speak_failure(args, failure))
}

/// One check done: what it found and its exit code.
pub struct Checked {
    pub analysis: Analysis,
    pub exit: i32,
}

/// Checks once, on `workspace` when it was read before (`--watch`), and
/// writes the result in the chosen format to `out` (stdout, or a buffer
/// for `--watch` to show once the screen is cleared). A closed `out` is
/// not an error: the check's outcome stands.
pub fn run(
    args: &CheckArgs,
    workspace: Option<Workspace>,
    out: &mut dyn std::io::Write,
) -> Result<Checked, Failure> {
    let stdout = output_style(&args.common, Stream::Stdout)?;
    let mut analysis = analyze_loaded(&args.common, PolicyUse::Required, workspace)?;
    let expiry = super::exemptions::expiry_rules(&analysis.settings)?;
    let mut shrunk = None;
    let mut baseline_entries = Vec::new();
    // What the policy would take instead of a violation's path does not
    // depend on the baseline: worked out while the baseline file is read
    // and parsed on a thread of its own.
    let mut violations = std::mem::take(&mut analysis.violations);
    let read = std::thread::scope(|scope| {
        let read = (!args.no_baseline).then(|| scope.spawn(|| super::baseline::read(&analysis)));
        crate::check::suggest::suggest(&analysis.policy, &analysis.graph, &mut violations);
        read.map(|read| {
            read.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    });
    analysis.violations = violations;
    if let Some(read) = read {
        let entries = read?;
        say_baseline(
            &analysis,
            entries
                .as_ref()
                .map_or(BaselineUse::NoFile, |e| BaselineUse::Read(e.len())),
        );
        if let Some(entries) = entries {
            let applied = crate::check::baseline::apply(
                &mut analysis.violations,
                &entries,
                &analysis.policy,
                &analysis.graph,
                &expiry,
            );
            analysis.warnings.extend(applied.warnings);
            shrunk = Some(applied.shrunk);
            analysis.warnings.sort();
            baseline_entries = entries;
        }
    } else {
        say_baseline(&analysis, BaselineUse::NotRead);
    }
    if let Some(reference) = &args.base {
        let found = super::base::loosenings(
            &analysis,
            reference,
            args.common.policy.as_deref(),
            (!args.no_baseline).then_some(baseline_entries.as_slice()),
        )?;
        analysis.warnings.extend(found);
        analysis.warnings.sort();
    }
    if let Some(codeowners) = super::codeowners::read(&analysis.workspace.root) {
        super::codeowners::name_owners(&codeowners, &analysis.graph, &mut analysis.violations);
    }
    if args.common.quiet {
        // Violations only: keep just the warnings that fail the run.
        analysis.warnings.retain(|w| w.code.is_error());
    }
    let mut verdict = Verdict::new(&analysis.violations, &analysis.warnings);
    if let Some(shrunk) = &shrunk {
        verdict.compared_with_baseline(shrunk);
    }
    let suppressions = super::exemptions::selected_suppressions(&analysis);
    for exemption in crate::check::exemptions::list(&suppressions, &baseline_entries, &expiry) {
        if let Standing::Expiring(_) = exemption.standing {
            *verdict.expiring_by_rule.entry(exemption.rule).or_default() += 1;
        }
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
    // Only the formats that draw snippets read the files again.
    let sources = if quotes_source(args) {
        super::read_sources(
            &analysis.workspace.root,
            quoted.collect::<std::collections::BTreeSet<_>>(),
        )
    } else {
        report::Sources::default()
    };
    let run = CheckRun {
        root: &analysis.workspace.root,
        workspace: &analysis.workspace,
        graph: &analysis.graph,
        policy: &analysis.policy,
        policy_source: &analysis.policy_source,
        violations: &analysis.violations,
        warnings: &analysis.warnings,
        sources: &sources,
        verdict: &verdict,
        elapsed: analysis.started.elapsed(),
    };
    let text = match (args.message_format, args.format) {
        (Some(MessageFormat::Json), _) => report::cargo_messages(&run),
        (None, Format::Human) => report::human(&run, &stdout),
        // The one format that can be tens of MB: written as it is made.
        (None, Format::Json) => {
            let _ = report::write_json(&run, out);
            String::new()
        }
        (None, Format::Short) => report::short(&run),
        (None, Format::Sarif) => report::sarif(&run),
        (None, Format::Github) => report::github(&run),
        (None, Format::Gitlab) => report::gitlab(&run),
        (None, Format::Markdown) => report::markdown(&run),
    };
    let _ = out.write_all(text.as_bytes());
    let exit = if verdict.fails() {
        EXIT_VIOLATIONS
    } else {
        EXIT_OK
    };
    Ok(Checked { analysis, exit })
}

/// Whether the output quotes source lines (rustc's snippets): human text
/// and cargo's JSON messages, whose `rendered` field is that text.
fn quotes_source(args: &CheckArgs) -> bool {
    matches!(
        (args.message_format, args.format),
        (Some(MessageFormat::Json), _) | (None, Format::Human)
    )
}

/// On exit 2, the formats CI and editors read still write their format,
/// with the problems, so they show what went wrong instead of nothing. The
/// human text goes to stderr as for every format.
fn speak_failure(args: &CheckArgs, failure: &Failure) {
    let run = failure.failed_run();
    let text = match (args.message_format, args.format) {
        (Some(MessageFormat::Json), _) => report::cargo_failure(&run),
        (None, Format::Sarif) => report::sarif_failure(&run),
        (None, Format::Github) => report::github_failure(&run),
        (None, Format::Gitlab) => report::gitlab_failure(&run),
        (None, Format::Markdown) => report::markdown_failure(&run),
        (None, Format::Human | Format::Json | Format::Short) => return,
    };
    print(&text);
}
