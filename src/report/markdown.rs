//! `--format markdown`: a report for `$GITHUB_STEP_SUMMARY` and for
//! merge-request comments. A heading with the outcome, a table by rule
//! (new, baselined, fixed, expiring soon), the new violations with
//! `file:line`, the stale baseline entries, and a Mermaid diagram of the
//! edges that carry new violations (GitHub and GitLab render it).
//!
//! Text from the code and the policy is escaped for Markdown tables and
//! HTML; every Mermaid label is quoted with its special characters as
//! Mermaid entity codes, and node identifiers are generated (`n0`, `n1`).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::common::{active_entries, warning_entries, Entry, Level};
use super::failure::FailedRun;
use super::CheckRun;
use crate::warning::WarningCode;

/// At most this many new violations are listed one by one: a comment has
/// a size limit, and the table counts them all.
const LISTED: usize = 200;

/// Counts of one rule's row.
#[derive(Default)]
struct Row {
    new: usize,
    baselined: usize,
    fixed: usize,
    expiring: usize,
}

pub fn markdown(run: &CheckRun) -> String {
    let verdict = run.verdict;
    let entries = active_entries(run);
    let mut out = String::new();
    let outcome = if verdict.fails() { "❌" } else { "✅" };
    let headline = match verdict.active() {
        0 => "no new violations".to_string(),
        n => plural(n, "new violation", "new violations"),
    };
    let _ = writeln!(out, "## {outcome} cargo-boundaries: {headline}\n");

    let mut rows: BTreeMap<usize, Row> = BTreeMap::new();
    for violation in run.violations {
        let row = rows.entry(violation.rule).or_default();
        if violation.baselined {
            row.baselined += 1;
        } else {
            row.new += 1;
        }
    }
    if let Some(delta) = &verdict.baseline {
        for (index, compiled) in run.policy.rules.iter().enumerate() {
            if let Some(&fixed) = delta.fixed_by_rule.get(&compiled.table.name) {
                rows.entry(index).or_default().fixed += fixed;
            }
        }
    }
    for (rule, count) in &verdict.expiring_by_rule {
        if let Some(index) = run.policy.rules.iter().position(|r| &r.table.name == rule) {
            rows.entry(index).or_default().expiring += count;
        }
    }
    out.push_str("| rule | new | baselined | fixed | expiring soon |\n");
    out.push_str("| --- | ---: | ---: | ---: | ---: |\n");
    for (index, compiled) in run.policy.rules.iter().enumerate() {
        let row = rows.remove(&index).unwrap_or_default();
        let _ = writeln!(
            out,
            "| `{}` ({} {}) | {} | {} | {} | {} |",
            cell(&compiled.table.name),
            Level::of(compiled.table.severity).as_str(),
            compiled.table.kind,
            row.new,
            row.baselined,
            row.fixed,
            row.expiring
        );
    }
    out.push('\n');

    if !entries.is_empty() {
        out.push_str("### New violations\n\n");
        for entry in entries.iter().take(LISTED) {
            out.push_str(&item(entry));
        }
        if entries.len() > LISTED {
            let _ = writeln!(
                out,
                "- … and {} more (`cargo boundaries check` lists them all)",
                entries.len() - LISTED
            );
        }
        out.push('\n');
    }

    if entries.iter().any(|e| e.violation.owners.is_some()) {
        out.push_str(&by_team(&entries));
    }

    let stale: Vec<_> = warning_entries(run)
        .into_iter()
        .filter(|w| w.code() == WarningCode::StaleBaseline)
        .collect();
    if !stale.is_empty() {
        out.push_str("### Stale baseline entries\n\n");
        for warning in &stale {
            let place = warning
                .location()
                .map(|l| format!("`{}:{}`: ", l.file, l.line))
                .unwrap_or_default();
            let _ = writeln!(out, "- {place}{}", text(&warning.warning.message));
        }
        out.push('\n');
    }

    let loosened: Vec<_> = warning_entries(run)
        .into_iter()
        .filter(|w| {
            matches!(
                w.code(),
                WarningCode::PolicyLoosened | WarningCode::AcceptedLoosening
            )
        })
        .collect();
    if !loosened.is_empty() {
        out.push_str("### Loosened since the base revision\n\n");
        for warning in &loosened {
            let marker = match warning.code() {
                WarningCode::PolicyLoosened => "**error**",
                _ => "accepted",
            };
            let place = warning
                .location()
                .map(|l| format!("`{}:{}`: ", l.file, l.line))
                .unwrap_or_default();
            let _ = writeln!(out, "- {marker} {place}{}", text(&warning.warning.message));
        }
        out.push('\n');
    }

    if !entries.is_empty() {
        out.push_str("### Where the new violations are\n\n");
        out.push_str("```mermaid\n");
        out.push_str(&diagram(run, &entries));
        out.push_str("```\n\n");
    }

    let mut summary = format!(
        "{} checked: {}, {}",
        plural(run.graph.model.crates, "crate", "crates"),
        plural(run.graph.model.modules.len(), "module", "modules"),
        plural(run.graph.model.references.len(), "reference", "references"),
    );
    if let Some(delta) = &verdict.baseline {
        let _ = write!(
            summary,
            "; against the baseline {} new, {} fixed, {} baselined",
            delta.new, delta.fixed, verdict.baselined
        );
    }
    if verdict.stale_entries > 0 {
        let _ = write!(
            summary,
            "; {} (run `cargo boundaries baseline`)",
            plural(
                verdict.stale_entries,
                "stale baseline entry",
                "stale baseline entries"
            )
        );
    }
    let _ = writeln!(out, "<sub>{}</sub>", text(&summary));
    out
}

/// One new violation as a list item: where, which rule, what, and what to
/// do instead.
fn item(entry: &Entry) -> String {
    let marker = match entry.level() {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    let mut line = format!(
        "- **{marker}** `{}:{}` `{}`: {}",
        entry.location.file,
        entry.location.line,
        cell(&entry.rule.name),
        text(entry.message())
    );
    if let Some(suggestion) = &entry.violation.suggestion {
        let _ = write!(line, " — {}", text(&suggestion.help()));
    }
    if let Some(owners) = &entry.violation.owners {
        let _ = write!(line, " ({})", text(&super::common::owners_line(owners)));
    }
    line.push('\n');
    line
}

/// New violations by the team that owns the code they are written in (a
/// violation in a file of two owners counts for each).
fn by_team(entries: &[Entry]) -> String {
    let mut teams: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for entry in entries {
        let Some(owners) = &entry.violation.owners else {
            continue;
        };
        if owners.from.is_empty() {
            teams.entry("(no owner)").or_default().0 += 1;
        }
        for owner in &owners.from {
            teams.entry(owner).or_default().0 += 1;
        }
        for owner in &owners.to {
            teams.entry(owner).or_default().1 += 1;
        }
    }
    let mut out = String::from(
        "### New violations by owning team\n\n\
         | team | in its code | into its code |\n| --- | ---: | ---: |\n",
    );
    for (team, (from, to)) in teams {
        let _ = writeln!(out, "| {} | {from} | {to} |", text(team));
    }
    out.push('\n');
    out
}

/// The edges (from module → target) that carry new violations, labelled
/// with their rules and counts, drawn red.
fn diagram(run: &CheckRun, entries: &[Entry]) -> String {
    let model = &run.graph.model;
    let mut edges: BTreeMap<(&str, &str), BTreeMap<&str, usize>> = BTreeMap::new();
    for entry in entries {
        for &index in &entry.violation.references {
            let reference = &model.references[index];
            let from = model.modules[reference.from].path.as_str();
            *edges
                .entry((from, model.target_name(reference)))
                .or_default()
                .entry(entry.rule.name.as_str())
                .or_default() += 1;
        }
    }
    let mut nodes: BTreeMap<&str, usize> = BTreeMap::new();
    for (from, to) in edges.keys() {
        let next = nodes.len();
        nodes.entry(from).or_insert(next);
        let next = nodes.len();
        nodes.entry(to).or_insert(next);
    }
    let mut out = String::from("flowchart LR\n");
    let mut ordered: Vec<(&str, usize)> = nodes.iter().map(|(n, i)| (*n, *i)).collect();
    ordered.sort_by_key(|(_, i)| *i);
    for (name, id) in ordered {
        let _ = writeln!(out, "  n{id}[\"{}\"]", mermaid_label(name));
    }
    for ((from, to), rules) in &edges {
        let label: Vec<String> = rules
            .iter()
            .map(|(rule, count)| format!("{rule} ×{count}"))
            .collect();
        let _ = writeln!(
            out,
            "  n{} -->|\"{}\"| n{}",
            nodes[from],
            mermaid_label(&label.join(", ")),
            nodes[to]
        );
    }
    for number in 0..edges.len() {
        let _ = writeln!(out, "  linkStyle {number} stroke:#d73a49,color:#d73a49");
    }
    out
}

/// The report of a run that could not check.
pub fn markdown_failure(run: &FailedRun) -> String {
    let mut out = String::from("## ❌ cargo-boundaries could not check\n\n");
    for problem in run.problems {
        let place = problem
            .location
            .as_ref()
            .map(|l| format!("`{}:{}`: ", l.file, l.line))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- {place}{}",
            text(&problem.message_with_help().replace('\n', " "))
        );
    }
    out
}

/// Text for a Markdown table cell inside backticks: no `|` or backtick can
/// end it.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('`', "'")
}

/// Prose from the code or the policy: no HTML, no table breaks.
fn text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace('\n', " ")
}

/// Text for inside a double-quoted Mermaid label.
fn mermaid_label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}
