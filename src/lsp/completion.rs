//! Completion in the policy: rule kinds after `kind = `, a rule's fields,
//! settings and top-level keys, and inside a pattern string the
//! workspace's crates, the next module segment after `::`, components and
//! known external crates.

use std::collections::BTreeSet;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent,
    MarkupKind, TextEdit,
};

use super::policy_text::{self, Table};
use super::position::LineMap;
use super::snapshot::Model;
use crate::check::registry::{self, KINDS};
use crate::policy::{RULE_COMMON_FIELDS, SETTINGS, TOP_LEVEL};

/// Keys whose strings are not patterns.
const NOT_PATTERNS: [&str; 5] = ["kind", "severity", "name", "reason", "baseline"];

pub fn complete(
    text: &str,
    offset: usize,
    map: &LineMap,
    model: &Model,
    components: &[String],
) -> Vec<CompletionItem> {
    if let Some(string) = policy_text::string_at(text, offset) {
        let typed = &text[string.inner.start..offset];
        return match string.key.as_deref() {
            Some("kind") => kinds(false),
            Some("severity") => plain(["error", "warn"], CompletionItemKind::ENUM_MEMBER),
            Some(key) if NOT_PATTERNS.contains(&key) => Vec::new(),
            _ => patterns(typed, offset, map, model, components),
        };
    }
    if let Some(key) = policy_text::after_equals(text, offset) {
        return match key.as_str() {
            "kind" => kinds(true),
            _ => Vec::new(),
        };
    }
    if !policy_text::typing_key(text, offset) {
        return Vec::new();
    }
    match policy_text::table_at(text, offset) {
        Table::Top => keys(TOP_LEVEL.iter().copied()),
        Table::Settings => keys(SETTINGS.iter().copied()),
        Table::Rule { kind } => {
            let own: Vec<&str> = match kind.as_deref().and_then(registry::kind) {
                Some(kind) => kind.fields.to_vec(),
                None => KINDS
                    .iter()
                    .flat_map(|k| k.fields.iter().copied())
                    .collect(),
            };
            keys(
                RULE_COMMON_FIELDS
                    .iter()
                    .copied()
                    .chain(own)
                    .collect::<BTreeSet<_>>(),
            )
        }
        Table::Components | Table::Other => Vec::new(),
    }
}

fn kinds(quoted: bool) -> Vec<CompletionItem> {
    KINDS
        .iter()
        .map(|kind| CompletionItem {
            label: kind.name.to_string(),
            kind: Some(CompletionItemKind::ENUM_MEMBER),
            insert_text: quoted.then(|| format!("\"{}\"", kind.name)),
            documentation: Some(Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: registry::documentation(kind),
            })),
            ..CompletionItem::default()
        })
        .collect()
}

fn keys<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<CompletionItem> {
    plain(names, CompletionItemKind::FIELD)
}

fn plain<'a>(
    names: impl IntoIterator<Item = &'a str>,
    kind: CompletionItemKind,
) -> Vec<CompletionItem> {
    names
        .into_iter()
        .map(|name| CompletionItem {
            label: name.to_string(),
            kind: Some(kind),
            ..CompletionItem::default()
        })
        .collect()
}

/// Names for the segment being typed in a pattern: after `a::b::`, the
/// children of `a::b`; at the start, crates and components.
fn patterns(
    typed: &str,
    offset: usize,
    map: &LineMap,
    model: &Model,
    components: &[String],
) -> Vec<CompletionItem> {
    let typed = typed.strip_prefix('!').unwrap_or(typed);
    let (parent, segment) = match typed.rfind("::") {
        Some(i) => (Some(&typed[..i]), &typed[i + 2..]),
        None => (None, typed),
    };
    let start = offset - segment.len();
    let range = map.range(start..offset);
    let item = |label: &str, kind: CompletionItemKind, detail: String| CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            range,
            label.to_string(),
        ))),
        ..CompletionItem::default()
    };
    match parent {
        Some(parent) => {
            let parent = model.names.canonical(parent);
            let prefix = format!("{parent}::");
            let children: BTreeSet<&str> = model
                .modules
                .iter()
                .filter_map(|m| m.path.strip_prefix(&prefix))
                .map(|rest| rest.split("::").next().unwrap_or(rest))
                .collect();
            children
                .into_iter()
                .map(|child| {
                    item(
                        child,
                        CompletionItemKind::MODULE,
                        format!("module {prefix}{child}"),
                    )
                })
                .collect()
        }
        None => {
            let workspace: BTreeSet<&str> = model
                .modules
                .iter()
                .map(|m| m.path.split("::").next().unwrap_or(&m.path))
                .collect();
            let crates = model.crates.iter().map(|name| {
                let what = if workspace.contains(name.as_str()) {
                    "workspace crate"
                } else {
                    "external crate"
                };
                item(name, CompletionItemKind::MODULE, what.to_string())
            });
            let components = components
                .iter()
                .map(|name| item(name, CompletionItemKind::CONSTANT, "component".to_string()));
            crates.chain(components).collect()
        }
    }
}
