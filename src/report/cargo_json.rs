//! `--message-format json`: the lines `cargo check --message-format json`
//! prints, so that an editor running us in place of `cargo check` (such as
//! rust-analyzer with `rust-analyzer.check.overrideCommand`) shows violations
//! as squiggles.
//!
//! One `compiler-message` line per violation (baselined ones left out) and per
//! tool warning, each holding a rustc JSON diagnostic with code
//! `boundaries::<rule name>` (`boundaries::<warning code>` for a warning), the
//! rule's reason as a `help` child, and `rendered` text in rustc's style; then
//! a `build-finished` line whose `success` is false when the run fails.
//!
//! On a run that could not check (exit 2), one `compiler-message` error per
//! problem, located in the policy file or at the suppression comment when the
//! problem has a place, then `build-finished` with `success: false`.
//!
//! Paths in spans are relative to the workspace root, as cargo writes them;
//! rust-analyzer joins them to the workspace root it knows, so they match the
//! paths the editor has open even when the root is reached through a symlink.
//!
//! The messages are `cargo_metadata`'s own types; `package_id` and `target`
//! are those `cargo metadata` reported for the crate the message is about.
//! Two fields cargo prints that `cargo_metadata` does not model are added to
//! the serialized line: `manifest_path`, and `$message_type` on every
//! diagnostic.

use cargo_metadata::diagnostic::{
    Applicability, Diagnostic, DiagnosticBuilder, DiagnosticCodeBuilder, DiagnosticLevel,
    DiagnosticSpan, DiagnosticSpanBuilder, DiagnosticSpanLineBuilder,
};
use cargo_metadata::{
    BuildFinishedBuilder, CompilerMessageBuilder, Message, PackageId, Target, TargetBuilder,
    TargetKind,
};
use serde_json::Value;

use super::common::{active_entries, warning_entries, Level};
use super::failure::FailedRun;
use super::CheckRun;
use crate::location::Location;
use crate::workspace::{Crate, Workspace};

pub fn cargo_messages(run: &CheckRun) -> String {
    let model = &run.graph.model;
    let mut out = String::new();
    for entry in active_entries(run) {
        let rule = entry.rule;
        let level = entry.level();
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
            children.push(child(DiagnosticLevel::Help, reason.clone()));
        }
        if let Some(help) = &rule.help {
            children.push(child(DiagnosticLevel::Help, help.clone()));
        }
        if let Some(suggestion) = &entry.violation.suggestion {
            let crate_name = &model.modules[entry.reference.from].crate_name;
            let mut help = child(DiagnosticLevel::Help, suggestion.help());
            if let Some(replacement) = text
                .get(entry.location.bytes())
                .and_then(|written| suggestion.replacement(written, crate_name))
            {
                let mut at = self::span(entry.location, &text, None);
                at.suggested_replacement = Some(replacement);
                at.suggestion_applicability = Some(Applicability::MaybeIncorrect);
                help.spans.push(at);
            }
            children.push(help);
        }
        if let Some(docs) = &rule.docs {
            children.push(child(DiagnosticLevel::Note, format!("see {docs}")));
        }
        children.push(child(
            DiagnosticLevel::Note,
            format!(
                "rule `{}` ({}) is defined in {}:{policy_line}",
                rule.name, rule.kind, run.policy_source.display
            ),
        ));
        let code = format!("boundaries::{}", rule.name);
        let rendered = render(
            level.as_str(),
            &code,
            entry.message(),
            Some((entry.location, &text, &label)),
            &children,
        );
        let krate = run
            .workspace
            .crate_by_name(&model.modules[entry.reference.from].crate_name);
        out.push_str(&compiler_message(
            Some(run.workspace),
            krate,
            diagnostic(
                level,
                &code,
                entry.message(),
                vec![span],
                children,
                rendered,
            ),
        ));
    }
    for entry in warning_entries(run) {
        let code = format!("boundaries::{}", entry.code().as_str());
        let message = &entry.warning.message;
        let level = entry.level();
        let (spans, rendered, krate) = match entry.location() {
            Some(location) => {
                let text = run.sources.get(&location.file);
                let krate = model
                    .modules
                    .iter()
                    .find(|m| *m.file == *location.file)
                    .and_then(|m| run.workspace.crate_by_name(&m.crate_name));
                let rendered = render(
                    level.as_str(),
                    &code,
                    message,
                    Some((location, &text, "")),
                    &[],
                );
                (vec![span(location, &text, None)], rendered, krate)
            }
            None => (
                Vec::new(),
                render(level.as_str(), &code, message, None, &[]),
                None,
            ),
        };
        out.push_str(&compiler_message(
            Some(run.workspace),
            krate,
            diagnostic(level, &code, message, spans, Vec::new(), rendered),
        ));
    }
    out.push_str(&build_finished(!run.verdict.fails()));
    out
}

/// A run that could not check: one error per problem, then a failed build.
pub fn cargo_failure(run: &FailedRun) -> String {
    let mut out = String::new();
    for problem in run.problems {
        let code = format!("boundaries::{}", problem.id());
        let children: Vec<Diagnostic> = problem
            .help
            .iter()
            .map(|help| child(DiagnosticLevel::Help, help.clone()))
            .collect();
        let (spans, rendered) = match &problem.location {
            Some(location) => {
                let text = run.sources.get(&location.file);
                (
                    vec![span(location, &text, None)],
                    render(
                        Level::Error.as_str(),
                        &code,
                        &problem.message,
                        Some((location, &text, "")),
                        &children,
                    ),
                )
            }
            None => (
                Vec::new(),
                render(
                    Level::Error.as_str(),
                    &code,
                    &problem.message,
                    None,
                    &children,
                ),
            ),
        };
        // A problem in a crate's code belongs to that crate; one in the
        // policy to the workspace as a whole (its first crate).
        let krate = run
            .workspace
            .zip(problem.crate_name.as_deref())
            .and_then(|(workspace, name)| workspace.crate_by_name(name));
        out.push_str(&compiler_message(
            run.workspace,
            krate,
            diagnostic(
                Level::Error,
                &code,
                &problem.message,
                spans,
                children,
                rendered,
            ),
        ));
    }
    out.push_str(&build_finished(false));
    out
}

fn build_finished(success: bool) -> String {
    let finished = BuildFinishedBuilder::default()
        .success(success)
        .build()
        .expect("every field is set");
    line(serde_json::to_value(Message::BuildFinished(finished)).expect("the message serializes"))
}

fn line(value: Value) -> String {
    let mut out = serde_json::to_string(&value).expect("the message serializes");
    out.push('\n');
    out
}

/// The `compiler-message` line of `message`, for the crate it is about (the
/// workspace's first crate when it is about none in particular).
fn compiler_message(
    workspace: Option<&Workspace>,
    krate: Option<&Crate>,
    message: Diagnostic,
) -> String {
    let krate = krate.or_else(|| workspace.and_then(|w| w.crates.first()));
    let manifest = match (krate, workspace) {
        (Some(k), _) => k.manifest_path.display().to_string(),
        (None, Some(w)) => w.root_manifest.display().to_string(),
        (None, None) => String::new(),
    };
    let (package_id, target) = match krate {
        Some(k) => (k.package_id.clone(), k.target.clone()),
        None => (
            PackageId {
                repr: String::new(),
            },
            no_target(&manifest),
        ),
    };
    let compiler_message = CompilerMessageBuilder::default()
        .package_id(package_id)
        .target(target)
        .message(message)
        .build()
        .expect("every field is set");
    let mut value = serde_json::to_value(Message::CompilerMessage(compiler_message))
        .expect("the message serializes");
    if let Value::Object(fields) = &mut value {
        fields.insert("manifest_path".into(), Value::from(manifest));
    }
    mark_diagnostics(&mut value["message"]);
    line(value)
}

/// The target of a message when the workspace could not be read.
fn no_target(manifest: &str) -> Target {
    TargetBuilder::default()
        .name("")
        .kind(vec![TargetKind::Lib])
        .src_path(manifest)
        .build()
        .expect("every required field is set")
}

/// Adds `"$message_type": "diagnostic"`, which rustc writes on every
/// diagnostic and its children.
fn mark_diagnostics(diagnostic: &mut Value) {
    if let Value::Object(fields) = diagnostic {
        fields.insert("$message_type".into(), Value::from("diagnostic"));
        if let Some(Value::Array(children)) = fields.get_mut("children") {
            children.iter_mut().for_each(mark_diagnostics);
        }
    }
}

fn diagnostic_level(level: Level) -> DiagnosticLevel {
    match level {
        Level::Error => DiagnosticLevel::Error,
        Level::Warning => DiagnosticLevel::Warning,
    }
}

fn diagnostic(
    level: Level,
    code: &str,
    message: &str,
    spans: Vec<DiagnosticSpan>,
    children: Vec<Diagnostic>,
    rendered: String,
) -> Diagnostic {
    DiagnosticBuilder::default()
        .message(message)
        .code(
            DiagnosticCodeBuilder::default()
                .code(code)
                .explanation(None::<String>)
                .build()
                .expect("every field is set"),
        )
        .level(diagnostic_level(level))
        .spans(spans)
        .children(children)
        .rendered(rendered)
        .build()
        .expect("every field is set")
}

fn child(level: DiagnosticLevel, message: String) -> Diagnostic {
    DiagnosticBuilder::default()
        .message(message)
        .code(None)
        .level(level)
        .spans(Vec::new())
        .children(Vec::new())
        .rendered(None::<String>)
        .build()
        .expect("every field is set")
}

/// The primary span of a location, with the text of the lines it covers.
fn span(location: &Location, text: &str, label: Option<String>) -> DiagnosticSpan {
    let source_lines: Vec<&str> = text.lines().collect();
    let [first_line, first_column, last_line, last_column] = location.lines_and_columns();
    let text = (first_line..=last_line)
        .map(|line| {
            let source = source_lines.get(line - 1).copied().unwrap_or("");
            DiagnosticSpanLineBuilder::default()
                .highlight_start(if line == first_line { first_column } else { 1 })
                .highlight_end(if line == last_line {
                    last_column
                } else {
                    source.chars().count() + 1
                })
                .text(source)
                .build()
                .expect("every field is set")
        })
        .collect::<Vec<_>>();
    DiagnosticSpanBuilder::default()
        .file_name(location.file.to_string())
        .byte_start(location.byte_start)
        .byte_end(location.byte_end)
        .line_start(first_line)
        .line_end(last_line)
        .column_start(first_column)
        .column_end(last_column)
        .is_primary(true)
        .text(text)
        .label(label)
        .suggested_replacement(None::<String>)
        .suggestion_applicability(None)
        .expansion(None)
        .build()
        .expect("every field is set")
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
            out.push_str(&format!("  = {}: {}\n", level_name(child), child.message));
        }
        out.push('\n');
        return out;
    };
    let [line, column, end_line, end_column] = location.lines_and_columns();
    let number = line.to_string();
    let gutter = " ".repeat(number.len());
    let source = text.lines().nth(line - 1).unwrap_or("");
    let width = source.chars().count();
    let start = column.min(width + 1);
    let end = if end_line == line {
        end_column.min(width + 1)
    } else {
        width + 1
    };
    let carets = "^".repeat(end.saturating_sub(start).max(1));
    out.push_str(&format!(
        "{gutter}--> {}:{}:{}\n",
        location.file, line, column
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
            out.push_str(&format!(
                "{gutter} = {}: {}\n",
                level_name(child),
                child.message
            ));
        }
    }
    out.push('\n');
    out
}

/// A child's level as rustc prints it (`help`, `note`).
fn level_name(diagnostic: &Diagnostic) -> &'static str {
    match diagnostic.level {
        DiagnosticLevel::Error => "error",
        DiagnosticLevel::Warning => "warning",
        DiagnosticLevel::Help => "help",
        _ => "note",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rustc() {
        let text = "fn f() {\n    crate::web::render()\n}\n";
        let location = Location::from_bytes("src/a.rs", text, 13..31);
        let children = [child(DiagnosticLevel::Help, "go through the api".into())];
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
