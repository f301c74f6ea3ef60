//! `--format json`: the stable machine format of SPEC section 6.

use serde::Serialize;

use super::CheckRun;
use crate::policy::Severity;
use crate::source::Via;
use crate::warning::WarningCode;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    violations: NoViolations,
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

/// A violation as the report writes it ([`super::json_text`]); its
/// `Serialize` is what the hand-written text is tested against.
#[derive(Serialize)]
#[cfg_attr(test, derive(Clone))]
pub(super) struct JsonViolation<'a> {
    pub(super) rule: &'a str,
    pub(super) kind: &'a str,
    pub(super) severity: Severity,
    pub(super) from: &'a str,
    pub(super) to: &'a str,
    pub(super) path: &'a str,
    pub(super) via: Via,
    pub(super) file: &'a str,
    pub(super) line: u32,
    pub(super) column: u32,
    pub(super) end_line: u32,
    pub(super) end_column: u32,
    pub(super) message: &'a str,
    pub(super) reason: Option<&'a str>,
    pub(super) baselined: bool,
    /// The rule's `help` and `docs`, when it has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) docs: Option<&'a str>,
    /// A path to use instead of `path`, through a re-export the policy
    /// allows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) suggestion: Option<&'a str>,
    /// From CODEOWNERS, when the workspace has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) owners: Option<&'a crate::owners::ViolationOwners>,
    /// For a cycle: every edge's reference, in cycle order. Filled by the
    /// tests that compare the text with serde_json's; the report writes a
    /// cycle's edges apart (`json_text::violation_with`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) cycle: Vec<JsonEdge<'a>>,
}

#[derive(Serialize)]
#[cfg_attr(test, derive(Clone))]
pub(super) struct JsonEdge<'a> {
    pub(super) from: &'a str,
    pub(super) to: &'a str,
    pub(super) path: &'a str,
    pub(super) via: Via,
    pub(super) file: &'a str,
    pub(super) line: u32,
    pub(super) column: u32,
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

/// Where the violations go: the report is made by serde_json with this
/// empty list, and the violations written into it by hand
/// ([`super::json_text`]).
struct NoViolations;

impl Serialize for NoViolations {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        serializer.serialize_seq(Some(0))?.end()
    }
}

/// The references of `v`'s cycle: all of them when it has several.
fn cycle_of(v: &crate::check::Violation) -> &[usize] {
    if v.references.len() > 1 {
        &v.references
    } else {
        &[]
    }
}

/// The edge of a cycle that reference `index` makes.
fn json_edge<'a>(run: &'a CheckRun, index: usize) -> JsonEdge<'a> {
    let model = &run.graph.model;
    let r = &model.references[index];
    JsonEdge {
        from: &model.modules[r.from].path,
        to: model.target_name(r),
        path: &r.path,
        via: r.via,
        file: &r.location.file,
        line: r.location.line,
        column: r.location.column,
    }
}

/// `v` as the report writes it, but for its cycle's edges: those are
/// written apart, each made once (`json_text::EdgeTexts`).
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
        cycle: Vec::new(),
    }
}

/// Writes the report to `out`: made by serde_json around an empty list of
/// violations, which are written into it one at a time as they are turned
/// into their JSON form, so the text of a big report (tens of MB on a
/// workspace with many violations) is never held whole.
pub fn write_json(run: &CheckRun, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use std::io::Write as _;
    let document = serde_json::to_vec_pretty(&report(run))?;
    // A buffer of a concrete type: the many small writes go through it
    // without a dynamic call each.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    // Where the empty list is: the violations are written into it.
    let empty = b"\"violations\": []";
    let list = memchr::memmem::find(&document, empty)
        .map(|at| at + empty.len() - 2)
        .ok_or_else(|| std::io::Error::other("the report has no list of violations"))?;
    if run.violations.is_empty() {
        out.write_all(&document)?;
    } else {
        out.write_all(&document[..list])?;
        out.write_all(b"[")?;
        let mut edges = super::json_text::EdgeTexts::default();
        for (index, violation) in run.violations.iter().enumerate() {
            out.write_all(if index == 0 { b"\n    " } else { b",\n    " })?;
            let cycle = cycle_of(violation);
            let json = json_violation(run, violation);
            super::json_text::violation_with(&mut out, &json, cycle.len(), |out, at| {
                edges.write(out, cycle[at], || json_edge(run, cycle[at]))
            })?;
        }
        // After the `[` comes the empty list's `]`.
        out.write_all(b"\n  ")?;
        out.write_all(&document[list + 1..])?;
    }
    out.write_all(b"\n")?;
    out.flush()
}

/// The report around its violations (written into it by [`write_json`]).
fn report<'a>(run: &'a CheckRun) -> Report<'a> {
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
    Report {
        version: 1,
        violations: NoViolations,
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
    }
}
