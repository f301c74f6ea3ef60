//! The baseline: known violations, counted per (rule, from, to), that do not
//! fail `check`. It may only shrink: a count that grows fails with the
//! excess, an entry that no longer occurs (or occurs less) is a
//! `stale-baseline` error until the file is rewritten.
//!
//! Entries carry no line numbers, so unrelated edits never change the file.

use std::collections::BTreeMap;

use serde::Serialize;
use toml::de::{DeTable, DeValue};

use super::{CompiledPolicy, Violation};
use crate::graph::Graph;
use crate::location::{LineIndex, Location};
use crate::warning::{Warning, WarningCode};

/// (rule, from module, to module or crate).
pub type Key = (String, String, String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: Key,
    pub count: usize,
    /// Where the entry is written, for stale-baseline errors.
    pub location: Option<Location>,
}

/// The grouping key of a violation.
pub fn key(violation: &Violation, policy: &CompiledPolicy, graph: &Graph) -> Key {
    let rule = policy.rules[violation.rule].table.name.clone();
    if let Some((from, to)) = &violation.key {
        return (rule, from.clone(), to.clone());
    }
    let model = &graph.model;
    let reference = &model.references[violation.reference()];
    let to = model.target_name(reference).to_string();
    (rule, model.modules[reference.from].path.clone(), to)
}

/// Counts today's violations into baseline entries, sorted.
pub fn entries(violations: &[Violation], policy: &CompiledPolicy, graph: &Graph) -> Vec<Entry> {
    let mut counts: BTreeMap<Key, usize> = BTreeMap::new();
    for violation in violations {
        *counts.entry(key(violation, policy, graph)).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(key, count)| Entry {
            key,
            count,
            location: None,
        })
        .collect()
}

/// Marks the violations the baseline covers, and reports what it no longer
/// matches.
pub fn apply(
    violations: &mut [Violation],
    baseline: &[Entry],
    policy: &CompiledPolicy,
    graph: &Graph,
) -> Vec<Warning> {
    let mut allowed: BTreeMap<&Key, usize> = baseline.iter().map(|e| (&e.key, e.count)).collect();
    let mut found: BTreeMap<Key, usize> = BTreeMap::new();
    for violation in violations.iter_mut() {
        let key = key(violation, policy, graph);
        *found.entry(key.clone()).or_default() += 1;
        if let Some(left) = allowed.get_mut(&key) {
            if *left > 0 {
                *left -= 1;
                violation.baselined = true;
            } else {
                let count = baseline
                    .iter()
                    .find(|e| e.key == key)
                    .map_or(0, |e| e.count);
                violation.message.push_str(&format!(
                    " (the baseline allows {count} of these from `{}` to `{}`; this one is new)",
                    key.1, key.2
                ));
            }
        }
    }
    baseline
        .iter()
        .filter_map(|entry| {
            let now = found.get(&entry.key).copied().unwrap_or(0);
            (now < entry.count).then(|| Warning {
                location: entry.location.clone(),
                code: WarningCode::StaleBaseline,
                message: format!(
                    "the baseline allows {} `{}` violation{} from `{}` to `{}`, but {} remain{}; \
                     run `cargo boundaries baseline` to shrink it",
                    entry.count,
                    entry.key.0,
                    if entry.count == 1 { "" } else { "s" },
                    entry.key.1,
                    entry.key.2,
                    now,
                    if now == 1 { "s" } else { "" }
                ),
            })
        })
        .collect()
}

#[derive(Serialize)]
struct File<'a> {
    version: u32,
    violation: Vec<FileEntry<'a>>,
}

#[derive(Serialize)]
struct FileEntry<'a> {
    rule: &'a str,
    from: &'a str,
    to: &'a str,
    count: usize,
}

/// The baseline file's text.
pub fn render(entries: &[Entry]) -> String {
    let file = File {
        version: 1,
        violation: entries
            .iter()
            .map(|e| FileEntry {
                rule: &e.key.0,
                from: &e.key.1,
                to: &e.key.2,
                count: e.count,
            })
            .collect(),
    };
    let body = toml::to_string(&file).expect("the baseline serializes");
    format!(
        "# Known boundary violations that do not fail `cargo boundaries check`.\n\
         # Written by `cargo boundaries baseline`; it may only shrink.\n\n{body}"
    )
}

/// Reads a baseline file; `file` is its path as shown to users.
pub fn parse(text: &str, file: &str) -> Result<Vec<Entry>, String> {
    let document =
        DeTable::parse(text).map_err(|e| format!("{file} is not valid TOML: {}", e.message()))?;
    let index = LineIndex::new(text);
    let Some(list) = document.get_ref().get("violation") else {
        return Ok(Vec::new());
    };
    let DeValue::Array(items) = list.get_ref() else {
        return Err(format!("{file}: `violation` must be an array of tables"));
    };
    let mut entries = Vec::new();
    for item in items.iter() {
        let DeValue::Table(table) = item.get_ref() else {
            return Err(format!("{file}: each `[[violation]]` must be a table"));
        };
        let text_field = |name: &str| -> Result<String, String> {
            table
                .get(name)
                .and_then(|v| v.get_ref().as_str().map(str::to_string))
                .ok_or_else(|| format!("{file}: a `[[violation]]` lacks the string `{name}`"))
        };
        let count = table
            .get("count")
            .and_then(|v| v.get_ref().as_integer())
            .and_then(|i| usize::from_str_radix(i.as_str(), i.radix()).ok())
            .ok_or_else(|| format!("{file}: a `[[violation]]` lacks a whole-number `count`"))?;
        let span = table.get("rule").map_or(item.span(), |v| v.span());
        entries.push(Entry {
            key: (text_field("rule")?, text_field("from")?, text_field("to")?),
            count,
            location: Some(index.location(file.to_string(), span)),
        });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_and_parse_round_trip() {
        let entries = vec![Entry {
            key: (
                "no-storage".into(),
                "shop::billing".into(),
                "shop::accounts::storage".into(),
            ),
            count: 3,
            location: None,
        }];
        let text = render(&entries);
        let parsed = parse(&text, "b.toml").unwrap();
        assert_eq!(parsed.len(), 1);
        assert_eq!(parsed[0].key, entries[0].key);
        assert_eq!(parsed[0].count, 3);
        assert_eq!(parsed[0].location.as_ref().unwrap().line, 7);
    }
}
