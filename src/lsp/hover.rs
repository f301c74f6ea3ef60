//! Hover: on a pattern, what it matches; on a rule kind, its docs (the text
//! of `cargo boundaries rules KIND`); on a violation, the rule, the reason
//! and the chain of references.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::diagnostics::Entry;
use super::policy_text;
use super::snapshot::Model;
use crate::check::registry;
use crate::policy::{segments, Pattern, Policy};

/// How many matches a hover lists.
const SHOWN: usize = 10;

pub fn markdown(text: String) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: None,
    }
}

/// The hover of a diagnostic under the cursor in a Rust file.
pub fn on_diagnostic(entries: &[&Entry], at: Position) -> Option<String> {
    let texts: Vec<&str> = entries
        .iter()
        .filter(|e| e.diagnostic.range.start <= at && at <= e.diagnostic.range.end)
        .filter_map(|e| e.hover.as_deref())
        .collect();
    (!texts.is_empty()).then(|| texts.join("\n---\n"))
}

pub fn in_policy(
    text: &str,
    offset: usize,
    model: &Model,
    policy: Option<&Policy>,
) -> Option<String> {
    let string = policy_text::string_at(text, offset)?;
    let value = text.get(string.inner.clone())?;
    match string.key.as_deref() {
        Some("kind") => {
            let kind = registry::kind(value)?;
            Some(registry::markdown(&[kind]))
        }
        Some("severity" | "name" | "reason" | "baseline") => None,
        _ => Some(pattern(value, model, policy)),
    }
}

/// What a pattern (or a component) covers.
fn pattern(value: &str, model: &Model, policy: Option<&Policy>) -> String {
    let (negated, written) = match value.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    if let Some(entries) = policy.and_then(|p| p.components.get(written)) {
        let list: Vec<String> = entries
            .iter()
            .map(|(neg, p)| format!("`{}{}`", if *neg { "!" } else { "" }, p.text))
            .collect();
        return format!("component `{written}`: {}", list.join(", "));
    }
    let canonical = model.names.canonical(written);
    let Ok(pattern) = Pattern::parse(&canonical, 0..0) else {
        return format!("`{written}` is not a valid pattern");
    };
    let modules: Vec<&str> = model
        .modules
        .iter()
        .map(|m| m.path.as_str())
        .filter(|path| pattern.matches(&segments(path).collect::<Vec<_>>()))
        .collect();
    let crates: Vec<&str> = model
        .crates
        .iter()
        .map(String::as_str)
        .filter(|name| !modules.contains(name) && pattern.matches(&[name]))
        .collect();
    let matches: Vec<&str> = modules.iter().chain(&crates).copied().collect();
    let mut out = format!(
        "`{value}` {} {} {}",
        if negated { "removes" } else { "matches" },
        matches.len(),
        if matches.len() == 1 {
            "module or crate"
        } else {
            "modules and crates"
        },
    );
    if matches.is_empty() {
        let in_workspace = |name: &str| model.modules.iter().any(|m| m.path == name);
        match pattern.first_name() {
            Some(krate) if model.crates.iter().any(|k| k == krate) && !in_workspace(krate) => out
                .push_str(&format!(
                    "; it names paths inside the external crate `{krate}`"
                )),
            // An item-level pattern (`shop::accounts::storage::Db`).
            _ if model.universe.matches_something(&pattern) => {
                out.push_str("; it matches items of the workspace's modules")
            }
            _ => out.push_str(": it matches nothing, and `check` reports it"),
        }
        return out;
    }
    out.push_str(" (each with everything below it):\n");
    for name in matches.iter().take(SHOWN) {
        out.push_str(&format!("- `{name}`\n"));
    }
    if matches.len() > SHOWN {
        out.push_str(&format!("- … and {} more\n", matches.len() - SHOWN));
    }
    out
}
