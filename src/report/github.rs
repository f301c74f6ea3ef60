//! `--format github`: GitHub Actions workflow commands, one per problem, which
//! the runner turns into annotations on the pull request's diff:
//!
//! ```text
//! ::error file=src/a.rs,line=3,col=5,endLine=3,endColumn=20,title=rule-name::message (reason)
//! ```
//!
//! Violations of `severity = "error"` rules are `::error`, the others and the
//! tool's warnings `::warning`, except a stale baseline, which fails the run
//! and so is an `::error`. Baselined violations are left out. A run that
//! could not check (exit 2) prints one `::error` per problem, titled with
//! its code (`policy`, `suppression`, ...) and located when it has a place,
//! so the job's annotations say why nothing was checked. Values are
//! escaped as the runner expects (see [`escape_data`] and
//! [`escape_property`]).

use super::common::{active_entries, warning_entries, Level};
use super::failure::FailedRun;
use super::CheckRun;
use crate::location::Location;

pub fn github(run: &CheckRun) -> String {
    let mut out = String::new();
    for entry in active_entries(run) {
        out.push_str(&workflow_command(
            entry.level().as_str(),
            Some(entry.location),
            &entry.rule.name,
            &entry.message_with_reason(),
        ));
    }
    for entry in warning_entries(run) {
        out.push_str(&workflow_command(
            entry.level().as_str(),
            entry.location(),
            entry.code().as_str(),
            &entry.warning.message,
        ));
    }
    out
}

/// One `::error` per problem of a run that could not check.
pub fn github_failure(run: &FailedRun) -> String {
    run.problems
        .iter()
        .map(|problem| {
            workflow_command(
                Level::Error.as_str(),
                problem.location.as_ref(),
                &problem.id(),
                &problem.message_with_help(),
            )
        })
        .collect()
}

fn workflow_command(
    command: &str,
    location: Option<&Location>,
    title: &str,
    message: &str,
) -> String {
    let mut properties = Vec::new();
    if let Some(l) = location {
        properties.push(format!("file={}", escape_property(&l.file)));
        properties.push(format!("line={}", l.line));
        properties.push(format!("col={}", l.column));
        properties.push(format!("endLine={}", l.end_line));
        properties.push(format!("endColumn={}", l.end_column));
    }
    properties.push(format!("title={}", escape_property(title)));
    format!(
        "::{command} {}::{}\n",
        properties.join(","),
        escape_data(message)
    )
}

/// Escapes a command's message: `%`, `\r` and `\n`.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as [`escape_data`], and `:` and `,` which
/// delimit properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_newlines_only() {
        assert_eq!(escape_data("100%\r\nof a::b, c"), "100%25%0D%0Aof a::b, c");
    }

    #[test]
    fn properties_also_escape_colons_and_commas() {
        assert_eq!(escape_property("a::b, 5%\n"), "a%3A%3Ab%2C 5%25%0A");
    }

    #[test]
    fn percent_is_escaped_first() {
        // An escaped `:` must not have its `%` escaped again.
        assert_eq!(escape_property("%3A:"), "%253A%3A");
    }

    #[test]
    fn a_command_without_location_has_only_a_title() {
        assert_eq!(
            workflow_command("warning", None, "stale-baseline", "re-run `baseline`"),
            "::warning title=stale-baseline::re-run `baseline`\n"
        );
    }

    #[test]
    fn a_command_with_location() {
        let location = Location::from_bytes("src/a,b.rs", "let x = y;\n", 8..9);
        assert_eq!(
            workflow_command("error", Some(&location), "r:1", "m, 1%"),
            "::error file=src/a%2Cb.rs,line=1,col=9,endLine=1,endColumn=10,title=r%3A1::m, 1%25\n"
        );
    }
}
