//! Go to definition: from a module pattern in the policy to the files of
//! the modules it matches.

use lsp_types::{Location, Position, Range, Url};

use super::policy_text;
use super::snapshot::Model;
use crate::policy::{segments, Pattern};

/// How many files one pattern may jump to.
const MAX: usize = 50;

pub fn of_pattern(text: &str, offset: usize, model: &Model) -> Vec<Location> {
    let Some(string) = policy_text::string_at(text, offset) else {
        return Vec::new();
    };
    if matches!(
        string.key.as_deref(),
        Some("kind" | "severity" | "name" | "reason" | "baseline")
    ) {
        return Vec::new();
    }
    let value = &text[string.inner];
    let written = value.strip_prefix('!').unwrap_or(value);
    let Ok(pattern) = Pattern::parse(&model.names.canonical(written), 0..0) else {
        return Vec::new();
    };
    let mut matched: Vec<&str> = model
        .modules
        .iter()
        .filter(|m| pattern.matches(&segments(&m.path).collect::<Vec<_>>()))
        .map(|m| m.file.as_str())
        .collect();
    if matched.is_empty() {
        // An item path (`shop::billing::Invoice`): the module holding it.
        let canonical = model.names.canonical(written);
        matched = model
            .modules
            .iter()
            .filter(|m| canonical.starts_with(&format!("{}::", m.path)))
            .max_by_key(|m| m.path.len())
            .map(|m| m.file.as_str())
            .into_iter()
            .collect();
    }
    matched.dedup();
    matched
        .into_iter()
        .filter(|file| !file.is_empty())
        .take(MAX)
        .filter_map(|file| {
            let uri = Url::from_file_path(model.root.join(file)).ok()?;
            let start = Position::new(0, 0);
            Some(Location::new(uri, Range::new(start, start)))
        })
        .collect()
}
