//! Code actions: on a violation, the path to use instead (where the check
//! suggests one) and a suppression comment above its line with the reason
//! selected for typing; on a stale baseline entry, the baseline shrunk; on
//! a "did you mean", the suggestion applied.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Command, Position, Range, ShowDocumentParams,
    TextEdit, Url, WorkspaceEdit,
};

use super::diagnostics::{Entry, Fix};

/// The command that selects a range in a document (the reason to type).
pub const SELECT_COMMAND: &str = "boundaries.selectRange";

/// What the inserted comment says until the user types the reason.
const REASON_PLACEHOLDER: &str = "why this reference is allowed";

pub fn for_range(
    uri: &Url,
    range: Range,
    entries: &[&Entry],
    baseline: Option<&Url>,
    can_select: bool,
) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    let mut shrunk = false;
    for entry in entries {
        let at = entry.diagnostic.range;
        if at.end < range.start || range.end < at.start {
            continue;
        }
        for fix in &entry.fixes {
            let action = match fix {
                Fix::Suppress { rule, line, indent } => {
                    suppress(uri, rule, *line, indent, can_select)
                }
                Fix::ShrinkBaseline { text } => {
                    // One edit shrinks every stale entry.
                    if shrunk {
                        continue;
                    }
                    shrunk = true;
                    let Some(baseline) = baseline else { continue };
                    CodeAction {
                        title: "shrink the baseline to what remains".to_string(),
                        edit: Some(replace_all(baseline, text)),
                        ..CodeAction::default()
                    }
                }
                Fix::Replace { range, meant, .. } => CodeAction {
                    title: format!("replace with `{meant}`"),
                    edit: Some(edits(uri, vec![TextEdit::new(*range, meant.clone())])),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                },
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![entry.diagnostic.clone()]),
                ..action
            }));
        }
    }
    actions
}

fn suppress(uri: &Url, rule: &str, line: u32, indent: &str, can_select: bool) -> CodeAction {
    let prefix = format!("{indent}// boundaries: allow({rule}) ");
    let text = format!("{prefix}{REASON_PLACEHOLDER}\n");
    let start = Position::new(line, 0);
    let units = |s: &str| s.encode_utf16().count() as u32;
    let reason = Range::new(
        Position::new(line, units(&prefix)),
        Position::new(line, units(&prefix) + units(REASON_PLACEHOLDER)),
    );
    let command = can_select.then(|| Command {
        title: "type the reason".to_string(),
        command: SELECT_COMMAND.to_string(),
        arguments: Some(vec![
            serde_json::to_value(uri).unwrap_or_default(),
            serde_json::to_value(reason).unwrap_or_default(),
        ]),
    });
    CodeAction {
        title: format!("allow `{rule}` here, with a reason"),
        edit: Some(edits(
            uri,
            vec![TextEdit::new(Range::new(start, start), text)],
        )),
        command,
        ..CodeAction::default()
    }
}

fn edits(uri: &Url, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// An edit that replaces a whole file (the end is past any last line).
fn replace_all(uri: &Url, text: &str) -> WorkspaceEdit {
    let everything = Range::new(Position::new(0, 0), Position::new(u32::MAX, 0));
    edits(uri, vec![TextEdit::new(everything, text.to_string())])
}

/// The `window/showDocument` parameters of a select command's arguments.
pub fn selection(arguments: &[serde_json::Value]) -> Option<ShowDocumentParams> {
    let [uri, range] = arguments else { return None };
    Some(ShowDocumentParams {
        uri: serde_json::from_value(uri.clone()).ok()?,
        external: None,
        take_focus: Some(true),
        selection: Some(serde_json::from_value(range.clone()).ok()?),
    })
}
