//! `--message-format json`: the lines `cargo check --message-format json`
//! prints, so that an editor running us in place of `cargo check` (such as
//! rust-analyzer with `rust-analyzer.check.overrideCommand`) shows violations
//! as squiggles.
//!
//! One `compiler-message` line per violation (baselined ones left out) and per
//! tool warning, each holding a rustc JSON diagnostic with code
//! `boundaries::<rule name>` (`boundaries::<warning code>` for a warning), the
//! rule's reason as a `help` child, and `rendered` text in rustc's style; then
//! a `build-finished` line whose `success` is false when an error-severity
//! violation remains.
//!
//! Paths in spans are relative to the workspace root, as cargo writes them;
//! rust-analyzer joins them to the workspace root it knows, so they match the
//! paths the editor has open even when the root is reached through a symlink.
//!
//! `package_id`, `manifest_path` and `target` are those cargo reports for
//! the crate the violation is in.

use serde::Serialize;

use super::common::{active_entries, warning_entries};
use super::CheckRun;
use crate::location::Location;
use crate::policy::Severity;
use crate::workspace::{Crate, CrateKind};

#[derive(Serialize)]
struct CompilerMessage {
    reason: &'static str,
    package_id: String,
    manifest_path: String,
    target: Target,
    message: Diagnostic,
}

#[derive(Serialize)]
struct BuildFinished {
    reason: &'static str,
    success: bool,
}

#[derive(Serialize)]
struct Target {
    kind: Vec<&'static str>,
    crate_types: Vec<&'static str>,
    name: String,
    src_path: String,
    edition: String,
    doc: bool,
    doctest: bool,
    test: bool,
}

/// A rustc JSON diagnostic, field for field.
#[derive(Serialize)]
struct Diagnostic {
    rendered: Option<String>,
    #[serde(rename = "$message_type")]
    message_type: &'static str,
    children: Vec<Diagnostic>,
    level: &'static str,
    message: String,
    spans: Vec<Span>,
    code: Option<Code>,
}

#[derive(Serialize)]
struct Code {
    code: String,
    explanation: Option<String>,
}

#[derive(Serialize)]
struct Span {
    byte_end: usize,
    byte_start: usize,
    column_end: usize,
    column_start: usize,
    expansion: Option<()>,
    file_name: String,
    is_primary: bool,
    label: Option<String>,
    line_end: usize,
    line_start: usize,
    suggested_replacement: Option<String>,
    suggestion_applicability: Option<String>,
    text: Vec<SpanLine>,
}

#[derive(Serialize)]
struct SpanLine {
    highlight_end: usize,
    highlight_start: usize,
    text: String,
}

pub fn cargo_messages(run: &CheckRun) -> String {
    let model = &run.graph.model;
    let mut lines = Vec::new();
    for entry in active_entries(run) {
        let rule = entry.rule;
        let level = match entry.severity() {
            Severity::Error => "error",
            Severity::Warn => "warning",
        };
        let text = run.sources.get(&entry.location.file);
        let label = format!("`{}` used here", entry.reference.path);
        let span = span(entry.location, &text, Some(label.clone()));
        let policy_line = Location::from_bytes(
            run.policy_source.display.clone(),
            &run.policy_source.text,
            rule.name_span.clone().unwrap_or_else(|| rule.span.clone()),
        )
        .line;
        let mut children = Vec::new();
        if let Some(reason) = &rule.reason {
            children.push(child("help", reason.clone()));
        }
        children.push(child(
            "note",
            format!(
                "rule `{}` ({}) is defined in {}:{policy_line}",
                rule.name, rule.kind, run.policy_source.display
            ),
        ));
        let code = format!("boundaries::{}", rule.name);
        let rendered = render(
            level,
            &code,
            entry.message(),
            Some((entry.location, &text, &label)),
            &children,
        );
        let krate = run
            .workspace
            .crate_by_name(&model.modules[entry.reference.from].crate_name);
        lines.push(compiler_message(
            run,
            krate,
            Diagnostic {
                rendered: Some(rendered),
                message_type: "diagnostic",
                children,
                level,
                message: entry.message().to_string(),
                spans: vec![span],
                code: Some(Code {
                    code,
                    explanation: None,
                }),
            },
        ));
    }
    for entry in warning_entries(run) {
        let code = format!("boundaries::{}", entry.code().as_str());
        let message = entry.warning.message.clone();
        let (spans, rendered, krate) = match entry.location() {
            Some(location) => {
                let text = run.sources.get(&location.file);
                let krate = model
                    .modules
                    .iter()
                    .find(|m| *m.file == *location.file)
                    .and_then(|m| run.workspace.crate_by_name(&m.crate_name));
                let rendered = render(
                    entry.level(),
                    &code,
                    &message,
                    Some((location, &text, "")),
                    &[],
                );
                (vec![span(location, &text, None)], rendered, krate)
            }
            None => (
                Vec::new(),
                render(entry.level(), &code, &message, None, &[]),
                None,
            ),
        };
        lines.push(compiler_message(
            run,
            krate,
            Diagnostic {
                rendered: Some(rendered),
                message_type: "diagnostic",
                children: Vec::new(),
                level: entry.level(),
                message,
                spans,
                code: Some(Code {
                    code,
                    explanation: None,
                }),
            },
        ));
    }
    let mut out = String::new();
    for line in lines {
        out.push_str(&serde_json::to_string(&line).expect("the message serializes"));
        out.push('\n');
    }
    let finished = BuildFinished {
        reason: "build-finished",
        success: run.error_count() == 0,
    };
    out.push_str(&serde_json::to_string(&finished).expect("the message serializes"));
    out.push('\n');
    out
}

/// Wraps a diagnostic in the `compiler-message` line of the crate it is
/// about (the first crate when it is about none in particular).
fn compiler_message(run: &CheckRun, krate: Option<&Crate>, message: Diagnostic) -> CompilerMessage {
    let krate = krate.or_else(|| run.workspace.crates.first());
    let manifest = krate.map_or(&run.workspace.root_manifest, |k| &k.manifest_path);
    let (kind, crate_types) = match krate.map(|k| k.kind) {
        Some(CrateKind::Lib) | None => ("lib", "lib"),
        Some(CrateKind::Bin) => ("bin", "bin"),
        Some(CrateKind::TestLike) => ("test", "bin"),
    };
    CompilerMessage {
        reason: "compiler-message",
        package_id: krate.map_or_else(String::new, |k| k.package_id.clone()),
        manifest_path: manifest.display().to_string(),
        target: Target {
            kind: vec![kind],
            crate_types: vec![crate_types],
            name: krate.map_or_else(String::new, |k| k.target_name.clone()),
            src_path: krate.map_or_else(
                || manifest.display().to_string(),
                |k| k.root_file.display().to_string(),
            ),
            edition: krate.map_or_else(|| "2021".to_string(), |k| k.edition_name.clone()),
            doc: kind == "lib",
            doctest: kind == "lib",
            test: true,
        },
        message,
    }
}

fn child(level: &'static str, message: String) -> Diagnostic {
    Diagnostic {
        rendered: None,
        message_type: "diagnostic",
        children: Vec::new(),
        level,
        message,
        spans: Vec::new(),
        code: None,
    }
}

/// The primary span of a location, with the text of the lines it covers.
fn span(location: &Location, text: &str, label: Option<String>) -> Span {
    let source_lines: Vec<&str> = text.lines().collect();
    let text = (location.line..=location.end_line)
        .map(|line| {
            let source = source_lines.get(line - 1).copied().unwrap_or("");
            SpanLine {
                highlight_start: if line == location.line {
                    location.column
                } else {
                    1
                },
                highlight_end: if line == location.end_line {
                    location.end_column
                } else {
                    source.chars().count() + 1
                },
                text: source.to_string(),
            }
        })
        .collect();
    Span {
        byte_end: location.byte_end,
        byte_start: location.byte_start,
        column_end: location.end_column,
        column_start: location.column,
        expansion: None,
        file_name: location.file.to_string(),
        is_primary: true,
        label,
        line_end: location.end_line,
        line_start: location.line,
        suggested_replacement: None,
        suggestion_applicability: None,
        text,
    }
}

/// rustc's text rendering: header, location arrow, the first line of the
/// span underlined with its label, then the children as `= level: message`.
fn render(
    level: &str,
    code: &str,
    message: &str,
    snippet: Option<(&Location, &str, &str)>,
    children: &[Diagnostic],
) -> String {
    let mut out = format!("{level}[{code}]: {message}\n");
    let Some((location, text, label)) = snippet else {
        for child in children {
            out.push_str(&format!("  = {}: {}\n", child.level, child.message));
        }
        out.push('\n');
        return out;
    };
    let number = location.line.to_string();
    let gutter = " ".repeat(number.len());
    let source = text.lines().nth(location.line - 1).unwrap_or("");
    let width = source.chars().count();
    let start = location.column.min(width + 1);
    let end = if location.end_line == location.line {
        location.end_column.min(width + 1)
    } else {
        width + 1
    };
    let carets = "^".repeat(end.saturating_sub(start).max(1));
    out.push_str(&format!(
        "{gutter}--> {}:{}:{}\n",
        location.file, location.line, location.column
    ));
    out.push_str(&format!("{gutter} |\n"));
    out.push_str(&format!("{number} | {source}\n"));
    let label = if label.is_empty() {
        String::new()
    } else {
        format!(" {label}")
    };
    out.push_str(&format!(
        "{gutter} | {}{carets}{label}\n",
        " ".repeat(start - 1)
    ));
    if !children.is_empty() {
        out.push_str(&format!("{gutter} |\n"));
        for child in children {
            out.push_str(&format!("{gutter} = {}: {}\n", child.level, child.message));
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rustc() {
        let text = "fn f() {\n    crate::web::render()\n}\n";
        let location = Location::from_bytes("src/a.rs", text, 13..31);
        let children = [child("help", "go through the api".into())];
        let rendered = render(
            "error",
            "boundaries::r",
            "no",
            Some((&location, text, "used here")),
            &children,
        );
        assert_eq!(
            rendered,
            "error[boundaries::r]: no\n \
             --> src/a.rs:2:5\n  \
             |\n\
             2 |     crate::web::render()\n  \
             |     ^^^^^^^^^^^^^^^^^^ used here\n  \
             |\n  \
             = help: go through the api\n\n"
        );
    }

    #[test]
    fn multi_line_spans_carry_every_line() {
        let text = "a\nbcd\nef\n";
        let location = Location::from_bytes("x.rs", text, 3..8);
        let span = span(&location, text, None);
        let lines: Vec<_> = span
            .text
            .iter()
            .map(|l| (l.text.as_str(), l.highlight_start, l.highlight_end))
            .collect();
        assert_eq!(lines, [("bcd", 2, 4), ("ef", 1, 3)]);
    }
}
