//! `--format gitlab`: a GitLab Code Quality report, the JSON array GitLab
//! reads from a job's `artifacts:reports:codequality` and shows in merge
//! requests.
//!
//! Each violation is an issue with the rule's name as `check_name`, the
//! message and reason as `description`, severity `major` (rule severity
//! `error`) or `minor` (`warn`), and its first line. Tool warnings are `info`
//! issues named by their code (`major` for a stale baseline, which fails the
//! run). Baselined violations are left out.
//!
//! A run that could not check (exit 2) is a report too: one `blocker` issue
//! per problem, named by its code (`policy`, `suppression`, ...), at its
//! place in the policy file or at the suppression comment (a problem about
//! no file in particular is put on the policy file, or `Cargo.toml`).
//!
//! GitLab tells new issues from known ones by `fingerprint`, so fingerprints
//! hold no line numbers (see [`super::common`]): an edit elsewhere in the file
//! does not make a known violation look new.

use serde::Serialize;

use super::common::{active_entries, fingerprint, warning_entries, Level};
use super::failure::FailedRun;
use super::CheckRun;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation<'a>,
}

#[derive(Serialize)]
struct IssueLocation<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

pub fn gitlab(run: &CheckRun) -> String {
    let mut issues: Vec<Issue> = active_entries(run)
        .into_iter()
        .map(|entry| Issue {
            description: entry.message_with_reason(),
            check_name: &entry.rule.name,
            severity: match entry.level() {
                Level::Error => "major",
                Level::Warning => "minor",
            },
            location: IssueLocation {
                path: &entry.location.file,
                lines: Lines {
                    begin: entry.location.line,
                },
            },
            fingerprint: entry.fingerprint,
        })
        .collect();
    issues.extend(warning_entries(run).into_iter().map(|entry| Issue {
        description: entry.warning.message.clone(),
        check_name: entry.code().as_str(),
        severity: if entry.warning.code.is_error() {
            "major"
        } else {
            "info"
        },
        location: match entry.location() {
            Some(l) => IssueLocation {
                path: &l.file,
                lines: Lines { begin: l.line },
            },
            // GitLab needs a location: a warning about no file in particular
            // is about the policy.
            None => IssueLocation {
                path: &run.policy_source.display,
                lines: Lines { begin: 1 },
            },
        },
        fingerprint: entry.fingerprint,
    }));
    write(&issues)
}

/// One `blocker` issue per problem of a run that could not check.
pub fn gitlab_failure(run: &FailedRun) -> String {
    let ids: Vec<String> = run.problems.iter().map(|p| p.id()).collect();
    let issues: Vec<Issue> = run
        .problems
        .iter()
        .zip(&ids)
        .map(|(problem, id)| {
            let (path, line) = match &problem.location {
                Some(l) => (&*l.file, l.line),
                None => (run.fallback_file(), 1),
            };
            Issue {
                description: problem.message_with_help(),
                check_name: id,
                fingerprint: fingerprint(&[
                    "failure",
                    problem.code.as_str(),
                    path,
                    &problem.message,
                ]),
                severity: "blocker",
                location: IssueLocation {
                    path,
                    lines: Lines { begin: line },
                },
            }
        })
        .collect();
    write(&issues)
}

fn write(issues: &[Issue]) -> String {
    let mut out = serde_json::to_string_pretty(issues).expect("the report serializes");
    out.push('\n');
    out
}
