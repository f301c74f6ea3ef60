//! `--format short`: one line per problem, `file:line:col: level[name]: message`,
//! the shape compilers and grep-style tools print, for terminals and editors
//! that jump to `file:line:col`.
//!
//! Violations come first, in the check's order (baselined ones are left out),
//! then the tool's warnings (`error[stale-baseline]` for a stale baseline,
//! which fails the run).

use super::common::{active_entries, warning_entries};
use super::CheckRun;
use crate::location::Location;

pub fn short(run: &CheckRun) -> String {
    let mut out = String::new();
    for entry in active_entries(run) {
        out.push_str(&line(
            Some(entry.location),
            entry.level().as_str(),
            &entry.rule.name,
            entry.message(),
        ));
    }
    for entry in warning_entries(run) {
        out.push_str(&line(
            entry.location(),
            entry.level().as_str(),
            entry.code().as_str(),
            &entry.warning.message,
        ));
    }
    out
}

fn line(location: Option<&Location>, level: &str, name: &str, message: &str) -> String {
    let message = message.replace(['\r', '\n'], " ");
    match location {
        Some(l) => format!(
            "{}:{}:{}: {level}[{name}]: {message}\n",
            l.file, l.line, l.column
        ),
        None => format!("{level}[{name}]: {message}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_without_location_has_no_prefix() {
        assert_eq!(
            line(None, "warning", "stale-baseline", "x"),
            "warning[stale-baseline]: x\n"
        );
    }

    #[test]
    fn a_message_stays_on_one_line() {
        let location = Location::from_bytes("a.rs", "abc", 1..2);
        assert_eq!(
            line(Some(&location), "error", "r", "a\nb"),
            "a.rs:1:2: error[r]: a b\n"
        );
    }
}
