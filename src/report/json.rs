//! `--format json`: the stable machine format of SPEC section 6.

use serde::Serialize;

use super::CheckRun;
use crate::policy::Severity;
use crate::source::Via;
use crate::warning::WarningCode;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    violations: Violations<'a>,
    warnings: Vec<JsonWarning<'a>>,
    stats: Stats,
    /// What changed against the baseline, when the run read one.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<BaselineCounts>,
}

#[derive(Serialize)]
struct BaselineCounts {
    /// Violations the baseline does not cover.
    new: usize,
    /// Baselined violations that no longer occur.
    fixed: usize,
    /// Violations it covers.
    baselined: usize,
    /// Entries to shrink (`stale-baseline`).
    stale: usize,
}

#[derive(Serialize)]
struct JsonViolation<'a> {
    rule: &'a str,
    kind: &'a str,
    severity: Severity,
    from: &'a str,
    to: &'a str,
    path: &'a str,
    via: Via,
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
    reason: Option<&'a str>,
    baselined: bool,
    /// The rule's `help` and `docs`, when it has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    docs: Option<&'a str>,
    /// A path to use instead of `path`, through a re-export the policy
    /// allows.
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'a str>,
    /// From CODEOWNERS, when the workspace has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    owners: Option<&'a crate::owners::ViolationOwners>,
    /// For a cycle: every edge's reference, in cycle order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cycle: Vec<JsonEdge<'a>>,
}

#[derive(Serialize)]
struct JsonEdge<'a> {
    from: &'a str,
    to: &'a str,
    path: &'a str,
    via: Via,
    file: &'a str,
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct JsonWarning<'a> {
    code: WarningCode,
    /// `error` for a stale baseline, which fails the run; `warn` otherwise:
    /// the policy's words, as for violations.
    severity: Severity,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<u32>,
    column: Option<u32>,
}

#[derive(Serialize)]
struct Stats {
    crates: usize,
    modules: usize,
    files: usize,
    references: usize,
    elapsed_ms: u128,
}

/// The violations, each turned into its JSON form as it is written: a
/// report of tens of thousands of violations never holds them all.
struct Violations<'a>(&'a CheckRun<'a>);

impl Serialize for Violations<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let run = self.0;
        let mut seq = serializer.serialize_seq(Some(run.violations.len()))?;
        for violation in run.violations {
            seq.serialize_element(&json_violation(run, violation))?;
        }
        seq.end()
    }
}

fn json_violation<'a>(run: &'a CheckRun, v: &'a crate::check::Violation) -> JsonViolation<'a> {
    let model = &run.graph.model;
    let target_name = |index: usize| model.target_name(&model.references[index]);
    let rule = &run.policy.rules[v.rule].table;
    let reference = &model.references[v.reference()];
    let location = &reference.location;
    JsonViolation {
        rule: &rule.name,
        kind: &rule.kind,
        severity: v.severity,
        from: &model.modules[reference.from].path,
        to: target_name(v.reference()),
        path: &reference.path,
        via: reference.via,
        file: &location.file,
        line: location.line,
        column: location.column,
        end_line: location.end_line,
        end_column: location.end_column,
        message: &v.message,
        reason: rule.reason.as_deref(),
        baselined: v.baselined,
        help: rule.help.as_deref(),
        docs: rule.docs.as_deref(),
        suggestion: v.suggestion.as_ref().map(|s| s.path.as_str()),
        owners: v.owners.as_deref(),
        cycle: if v.references.len() > 1 {
            v.references
                .iter()
                .map(|&i| {
                    let r = &model.references[i];
                    JsonEdge {
                        from: &model.modules[r.from].path,
                        to: target_name(i),
                        path: &r.path,
                        via: r.via,
                        file: &r.location.file,
                        line: r.location.line,
                        column: r.location.column,
                    }
                })
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// Writes the report to `out` as it is serialized: the text of a big
/// report (tens of MB on a workspace with many violations) is never held
/// whole.
pub fn write_json(run: &CheckRun, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let model = &run.graph.model;
    let warnings = run
        .warnings
        .iter()
        .map(|w| JsonWarning {
            code: w.code,
            severity: if w.code.is_error() {
                Severity::Error
            } else {
                Severity::Warn
            },
            message: &w.message,
            file: w.location.as_ref().map(|l| &*l.file),
            line: w.location.as_ref().map(|l| l.line),
            column: w.location.as_ref().map(|l| l.column),
        })
        .collect();
    let report = Report {
        version: 1,
        violations: Violations(run),
        warnings,
        stats: Stats {
            crates: model.crates,
            modules: model.modules.len(),
            files: model.files,
            references: model.references.len(),
            elapsed_ms: run.elapsed.as_millis(),
        },
        baseline: run.verdict.baseline.as_ref().map(|delta| BaselineCounts {
            new: delta.new,
            fixed: delta.fixed,
            baselined: run.verdict.baselined,
            stale: run.verdict.stale_entries,
        }),
    };
    // A buffer of a concrete type: serde_json's many small writes go
    // through it without a dynamic call each.
    use std::io::Write as _;
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, &report)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}
