//! `init --preset`: a preset of `rules/` instantiated for a workspace with
//! `toml_edit`, its comments kept. The preset is written for a crate called
//! `shop`; it becomes the workspace's crate (in the comments too, so they
//! describe the policy as written), its technology components are
//! filled with the crates the workspace declares, and then what validation
//! says the workspace lacks is taken out, by error code:
//! - a list entry that names nothing here is left out, with a comment above
//!   its key saying so;
//! - a component or a rule that would be left degenerate (an empty list, a
//!   list of only `!` exceptions, fewer than two layers or members, an
//!   interface guarding nothing) is commented out as a whole at the end of
//!   the file, with the reason.

use std::ops::Range;

use toml_edit::{Array, ArrayOfTables, Decor, DocumentMut, Item, RawString, Table, Value};

use super::Fit;
use crate::app::Failure;
use crate::policy::{PolicyError, PolicyErrorCode};

/// The crate name the presets are written for.
pub const PRESET_CRATE: &str = "shop";

/// Rule fields that hold absolute patterns; `expose` (and the layers of a
/// rule with `containers`) are relative to their module.
const ABSOLUTE_FIELDS: [&str; 6] = ["from", "to", "modules", "module", "containers", "layers"];

/// Rule fields that must keep a positive entry, or the rule means nothing
/// (or, with only `!` exceptions left, everything).
const REQUIRED_LISTS: [&str; 5] = ["from", "to", "modules", "module", "containers"];

/// A preset instantiated for `target`, with what names nothing here left
/// out or commented out.
pub fn instantiate(name: &str, preset: &str, target: &str, fit: &Fit) -> Result<String, Failure> {
    let mut doc: DocumentMut = preset
        .parse()
        .map_err(|e| Failure::error(format!("the preset `{name}` is not valid TOML: {e}")))?;
    rename_crate(&mut doc, target);
    let mut edits = Edits::default();
    fill_components(&mut doc, fit, &mut edits);
    edits.remember(&doc);
    for _ in 0..16 {
        edits.apply(&mut doc);
        if sweep(&mut doc, &mut edits) {
            continue;
        }
        if !has_rules(&doc) {
            break;
        }
        let text = doc.to_string();
        let errors = fit.problems(&text);
        if errors.is_empty() {
            let thin = fit.thin_rules(&text);
            if thin.is_empty() {
                break;
            }
            for (index, why) in thin {
                edits.rules.push((index, why));
            }
            continue;
        }
        plan(&text, &errors, &mut edits)?;
    }
    if !has_rules(&doc) {
        add_starter_rules(&mut doc, fit);
    }
    doc.set_trailing(format!(
        "{}{}",
        doc.trailing().as_str().unwrap_or_default(),
        edits.trailer()
    ));
    Ok(format!(
        "# From the `{name}` preset, instantiated for `{target}` by `cargo boundaries init`.\n{doc}"
    ))
}

fn has_rules(doc: &DocumentMut) -> bool {
    doc.get("rule")
        .and_then(Item::as_array_of_tables)
        .is_some_and(|rules| !rules.is_empty())
}

/// What is to be taken out next, and what was taken out so far.
#[derive(Default)]
struct Edits {
    /// List entries to leave out: the list and the entry's index in it.
    entries: Vec<(ListPath, usize, String)>,
    /// Rules to comment out, by index, with why.
    rules: Vec<(usize, String)>,
    /// Components to comment out, with why.
    components: Vec<(String, String)>,
    /// Rule fields to drop (an `expose` that names nothing).
    fields: Vec<(usize, String, String)>,
    /// The commented-out blocks, in the order they were taken out.
    commented: Vec<String>,
    /// Each remaining rule as the preset wrote it (for this workspace's
    /// crate), to comment out whole.
    originals: Vec<Table>,
    /// Each remaining component's value as the preset wrote it.
    original_components: Vec<(String, String)>,
}

/// A list in the policy: a component's, or a rule field's (through nested
/// arrays: `layers` entries may be lists of peers).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ListPath {
    Component(String),
    Rule {
        rule: usize,
        field: String,
        nested: Vec<usize>,
    },
}

impl Edits {
    fn remember(&mut self, doc: &DocumentMut) {
        self.originals = doc
            .get("rule")
            .and_then(Item::as_array_of_tables)
            .map(|rules| rules.iter().cloned().collect())
            .unwrap_or_default();
        self.original_components = doc
            .get("components")
            .and_then(Item::as_table)
            .map(|components| {
                components
                    .iter()
                    .filter_map(|(name, item)| {
                        Some((name.to_string(), item.as_value()?.to_string()))
                    })
                    .collect()
            })
            .unwrap_or_default();
    }

    fn apply(&mut self, doc: &mut DocumentMut) {
        // Entries last in their list first, so indices stay true; the notes
        // are then written in the list's order.
        let mut entries = std::mem::take(&mut self.entries);
        entries.sort_by(|a, b| (&b.0, b.1).cmp(&(&a.0, a.1)));
        entries.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        let mut notes = Vec::new();
        for (path, index, why) in entries {
            if let Some(note) = leave_out_entry(doc, &path, index, &why) {
                notes.push((path, note));
            }
        }
        for (path, note) in notes.into_iter().rev() {
            if let Some((table, key, _)) = list_mut(doc, &path) {
                note_above(table, &key, &note);
            }
        }
        for (rule, field, why) in std::mem::take(&mut self.fields) {
            if let Some(table) = rule_table(doc, rule) {
                let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
                let at = keys.iter().position(|k| *k == field);
                if table.remove(&field).is_some() {
                    // Noted where the field was: above the key after it.
                    let next = at.and_then(|at| keys.get(at + 1)).or(keys.first());
                    if let Some(next) = next {
                        note_above(table, next, &format!("Left out `{field}`: {why}"));
                    }
                }
            }
        }
        let mut components = Vec::new();
        for (name, why) in std::mem::take(&mut self.components) {
            if !components.iter().any(|(n, _)| *n == name) {
                components.push((name, why));
            }
        }
        for (name, why) in components {
            self.comment_out_component(doc, &name, &why);
        }
        let mut rules = std::mem::take(&mut self.rules);
        rules.sort_by_key(|r| std::cmp::Reverse(r.0));
        rules.dedup_by(|a, b| a.0 == b.0);
        let mut blocks = Vec::new();
        for (index, why) in rules {
            let Some(rules) = doc.get_mut("rule").and_then(Item::as_array_of_tables_mut) else {
                continue;
            };
            if index >= rules.len() {
                continue;
            }
            let table = rules.remove(index);
            let original = if index < self.originals.len() {
                self.originals.remove(index)
            } else {
                table
            };
            blocks.push(commented_rule(&original, &why));
        }
        blocks.reverse();
        self.commented.extend(blocks);
    }

    fn comment_out_component(&mut self, doc: &mut DocumentMut, name: &str, why: &str) {
        let Some(components) = doc.get_mut("components").and_then(Item::as_table_mut) else {
            return;
        };
        let Some((key, item)) = components.remove_entry(name) else {
            return;
        };
        let comments = key
            .leaf_decor()
            .prefix()
            .and_then(|p| p.as_str())
            .unwrap_or_default()
            .trim_start_matches('\n')
            .to_string();
        let value = self
            .original_components
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .or_else(|| item.as_value().map(|v| v.to_string()))
            .unwrap_or_default();
        self.commented.push(format!(
            "# Left out: the component `{name}`: {why}.\n{comments}{}",
            comment_lines(&format!("{name} = {}\n", value.trim()))
        ));
        if components.is_empty() {
            doc.remove("components");
        }
        remove_uses(doc, name, why, &mut self.rules);
    }

    /// The commented-out blocks, for the end of the file.
    fn trailer(&self) -> String {
        if self.commented.is_empty() {
            return String::new();
        }
        let mut out = String::from(
            "\n# ---------------------------------------------------------------------------\n\
             # Left out by `cargo boundaries init`: what the preset names that this\n\
             # workspace lacks. Uncomment and adapt it when the workspace has it.\n",
        );
        for block in &self.commented {
            out.push_str("#\n");
            out.push_str(block);
        }
        out
    }
}

/// When no rule of the preset fits, the rules `init` derives from the
/// workspace's structure keep the policy checking something.
fn add_starter_rules(doc: &mut DocumentMut, fit: &Fit) {
    let starter = super::starter::starter(fit.workspace, fit.model);
    if let Some(found) = starter.get("components").and_then(Item::as_table) {
        let components = doc
            .entry("components")
            .or_insert_with(|| {
                let mut table = Table::new();
                table.decor_mut().set_prefix("\n");
                Item::Table(table)
            })
            .as_table_mut();
        if let Some(components) = components {
            for (name, item) in found.iter() {
                if !components.contains_key(name) {
                    components.insert(name, item.clone());
                }
            }
        }
    }
    let Some(mut rules) = starter
        .get("rule")
        .and_then(Item::as_array_of_tables)
        .cloned()
    else {
        return;
    };
    if let Some(first) = rules.get_mut(0) {
        let own = first
            .decor()
            .prefix()
            .and_then(|p| p.as_str())
            .unwrap_or_default()
            .to_string();
        first.decor_mut().set_prefix(format!(
            "\n# None of the preset's rules fits this workspace yet: they are at the end\n\
             # of this file, commented out, to adapt. Meanwhile these rules, derived\n\
             # from the workspace's current structure, keep it checked.\n{own}"
        ));
    }
    doc.insert("rule", Item::ArrayOfTables(rules));
}

/// Gives the preset's crate the workspace's name in every absolute pattern
/// and in every comment.
fn rename_crate(doc: &mut DocumentMut, target: &str) {
    if target == PRESET_CRATE {
        return;
    }
    rename_in_comments(doc, target);
    if let Some(components) = doc.get_mut("components").and_then(Item::as_table_mut) {
        for (_, item) in components.iter_mut() {
            if let Some(value) = item.as_value_mut() {
                rename_in(value, target);
            }
        }
    }
    let Some(rules) = doc.get_mut("rule").and_then(Item::as_array_of_tables_mut) else {
        return;
    };
    for table in rules.iter_mut() {
        let relative_layers = table.contains_key("containers");
        for field in ABSOLUTE_FIELDS {
            if field == "layers" && relative_layers {
                continue;
            }
            if let Some(value) = table.get_mut(field).and_then(Item::as_value_mut) {
                rename_in(value, target);
            }
        }
    }
}

/// The comments name the preset's crate as its patterns do (`shop::web`
/// HTTP handlers, the crate root `shop`): they are rewritten alike, so they
/// describe the policy as it is written.
fn rename_in_comments(doc: &mut DocumentMut, target: &str) {
    if let Some(renamed) = renamed_comment(doc.trailing(), target) {
        doc.set_trailing(renamed);
    }
    rename_in_table_comments(doc.as_table_mut(), target);
}

fn rename_in_table_comments(table: &mut Table, target: &str) {
    rename_in_decor(table.decor_mut(), target);
    for (mut key, item) in table.iter_mut() {
        rename_in_decor(key.leaf_decor_mut(), target);
        rename_in_decor(key.dotted_decor_mut(), target);
        match item {
            Item::Table(table) => rename_in_table_comments(table, target),
            Item::ArrayOfTables(tables) => tables
                .iter_mut()
                .for_each(|table| rename_in_table_comments(table, target)),
            Item::Value(value) => rename_in_value_comments(value, target),
            Item::None => {}
        }
    }
}

fn rename_in_value_comments(value: &mut Value, target: &str) {
    rename_in_decor(value.decor_mut(), target);
    match value {
        Value::Array(items) => {
            if let Some(renamed) = renamed_comment(items.trailing(), target) {
                items.set_trailing(renamed);
            }
            items
                .iter_mut()
                .for_each(|item| rename_in_value_comments(item, target));
        }
        Value::InlineTable(table) => {
            if let Some(renamed) = renamed_comment(table.trailing(), target) {
                table.set_trailing(renamed);
            }
            for (mut key, item) in table.iter_mut() {
                rename_in_decor(key.leaf_decor_mut(), target);
                rename_in_decor(key.dotted_decor_mut(), target);
                rename_in_value_comments(item, target);
            }
        }
        _ => {}
    }
}

fn rename_in_decor(decor: &mut Decor, target: &str) {
    if let Some(renamed) = decor.prefix().and_then(|p| renamed_comment(p, target)) {
        decor.set_prefix(renamed);
    }
    if let Some(renamed) = decor.suffix().and_then(|s| renamed_comment(s, target)) {
        decor.set_suffix(renamed);
    }
}

/// The whitespace and comments of `raw` with the preset's crate renamed, if
/// they name it.
fn renamed_comment(raw: &RawString, target: &str) -> Option<String> {
    let text = raw.as_str()?;
    let renamed = rename_word(text, PRESET_CRATE, target);
    (renamed != text).then_some(renamed)
}

/// `text` with every `word` that stands alone (not inside a longer name:
/// `workshop` stays) replaced by `with`. A column of text after the name
/// (`shop::web      HTTP handlers`) stays aligned.
fn rename_word(text: &str, word: &str, with: &str) -> String {
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().last().or_else(|| out.chars().last());
        let after = &rest[at + word.len()..];
        out.push_str(&rest[..at]);
        rest = after;
        if before.is_some_and(is_name) || after.chars().next().is_some_and(is_name) {
            out.push_str(word);
            continue;
        }
        out.push_str(with);
        // The rest of the path, then a gap of two spaces or more: a column.
        let path = after.find(char::is_whitespace).unwrap_or(after.len());
        let gap = after[path..].chars().take_while(|&c| c == ' ').count();
        let (written, wanted) = (with.chars().count(), word.chars().count());
        if gap >= 2 && !after[path + gap..].starts_with(['\n', '\r']) {
            out.push_str(&after[..path]);
            let kept = (gap + wanted).saturating_sub(written).max(2);
            out.push_str(&" ".repeat(kept));
            rest = &after[path + gap..];
        }
    }
    out.push_str(rest);
    out
}

fn rename_in(value: &mut Value, target: &str) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| rename_in(v, target)),
        Value::String(s) => {
            let text = s.value();
            let (bang, body) = match text.strip_prefix('!') {
                Some(rest) => ("!", rest),
                None => ("", text.as_str()),
            };
            let renamed = if body == PRESET_CRATE {
                Some(format!("{bang}{target}"))
            } else {
                body.strip_prefix(&format!("{PRESET_CRATE}::"))
                    .map(|rest| format!("{bang}{target}::{rest}"))
            };
            if let Some(renamed) = renamed {
                let decor = value.decor().clone();
                *value = Value::from(renamed);
                *value.decor_mut() = decor;
            }
        }
        _ => {}
    }
}

/// The technology components a preset defines, with the crates init knows
/// for each.
const TECHNOLOGIES: [(&str, &[&str]); 2] = [
    ("transport", &super::WEB_CRATES),
    ("persistence", &super::SQL_CRATES),
];

/// Lists in each technology component the crates of that kind the
/// workspace declares; with none declared, the component is left out.
fn fill_components(doc: &mut DocumentMut, fit: &Fit, edits: &mut Edits) {
    let Some(components) = doc.get_mut("components").and_then(Item::as_table_mut) else {
        return;
    };
    for (component, known) in TECHNOLOGIES {
        let Some(value) = components.get_mut(component).and_then(Item::as_value_mut) else {
            continue;
        };
        let declared: Vec<&str> = known
            .iter()
            .copied()
            .filter(|c| fit.workspace.known_crates.contains(*c))
            .collect();
        if declared.is_empty() {
            edits.components.push((
                component.to_string(),
                format!(
                    "this workspace declares none of {}",
                    known
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            continue;
        }
        let decor = value.decor().clone();
        *value = Value::Array(declared.into_iter().collect::<Array>());
        *value.decor_mut() = decor;
    }
}

/// Turns each validation error into what to take out, by its code. An
/// error that is not about something the workspace lacks is a bug in the
/// preset or in init, never papered over.
fn plan(text: &str, errors: &[PolicyError], edits: &mut Edits) -> Result<(), Failure> {
    let spanned = toml_edit::Document::parse(text)
        .map_err(|e| Failure::error(format!("init wrote invalid TOML: {e}")))?;
    for error in errors {
        let place = error.span.as_ref().map(|span| locate(&spanned, span));
        let why = error.message.clone();
        use PolicyErrorCode as Code;
        match (error.code, place) {
            (code, Some(Place::Entry(path, index))) if code.is_absent_name() => {
                edits.entries.push((path, index, why))
            }
            (Code::EmptyList, Some(Place::Entry(path, index))) => {
                edits.entries.push((path, index, why))
            }
            (code, Some(Place::Field(rule, field)))
                if code.is_absent_name() && field == "expose" =>
            {
                edits.fields.push((rule, field, why))
            }
            (
                Code::UnknownName
                | Code::MatchesNothing
                | Code::LayerMatchesNothing
                | Code::MissingExposedSubmodule
                | Code::EmptyList
                | Code::TooFewLayers
                | Code::TooFewMembers
                | Code::NothingToGuard,
                Some(Place::Field(rule, _) | Place::Rule(rule)),
            ) => edits.rules.push((rule, why)),
            (
                Code::UnknownName | Code::MatchesNothing | Code::EmptyList,
                Some(Place::Component(name)),
            ) => edits.components.push((name, why)),
            _ => {
                return Err(Failure::error(format!(
                    "the preset does not fit this workspace: {}",
                    error.message
                )))
            }
        }
    }
    Ok(())
}

/// Where in the policy an error's span lies.
enum Place {
    /// An entry of a list.
    Entry(ListPath, usize),
    /// A component's value that is not a list.
    Component(String),
    /// A rule field's value that is not a list entry.
    Field(usize, String),
    /// Elsewhere in a rule (its `kind`, its header).
    Rule(usize),
    Elsewhere,
}

fn contains(outer: Option<Range<usize>>, inner: &Range<usize>) -> bool {
    outer.is_some_and(|o| o.start <= inner.start && inner.end <= o.end && o != (0..0))
}

fn locate(doc: &toml_edit::Document<&str>, span: &Range<usize>) -> Place {
    if let Some(components) = doc.get("components").and_then(Item::as_table) {
        for (name, item) in components.iter() {
            let Some(value) = item.as_value() else {
                continue;
            };
            if let Value::Array(items) = value {
                if let Some(index) = items.iter().position(|v| contains(v.span(), span)) {
                    return Place::Entry(ListPath::Component(name.to_string()), index);
                }
            }
            if contains(value.span(), span) {
                return Place::Component(name.to_string());
            }
        }
    }
    let Some(rules) = doc.get("rule").and_then(Item::as_array_of_tables) else {
        return Place::Elsewhere;
    };
    for (rule, table) in rules.iter().enumerate() {
        for (field, item) in table.iter() {
            let Some(value) = item.as_value() else {
                continue;
            };
            if !contains(value.span(), span) {
                continue;
            }
            // The innermost list holding the span.
            let mut nested = Vec::new();
            let mut current = value;
            while let Value::Array(items) = current {
                let Some(index) = items.iter().position(|v| contains(v.span(), span)) else {
                    break;
                };
                let item = items.get(index).expect("found above");
                if !matches!(item, Value::Array(_)) {
                    return Place::Entry(
                        ListPath::Rule {
                            rule,
                            field: field.to_string(),
                            nested,
                        },
                        index,
                    );
                }
                nested.push(index);
                current = item;
            }
            // A nested list as a whole (an empty layer).
            if let Some(&last) = nested.last() {
                nested.pop();
                return Place::Entry(
                    ListPath::Rule {
                        rule,
                        field: field.to_string(),
                        nested,
                    },
                    last,
                );
            }
            return Place::Field(rule, field.to_string());
        }
        if contains(table.span(), span) {
            return Place::Rule(rule);
        }
    }
    // A span the walk above did not find (a rule's `kind` sits in its
    // table): the rule whose table starts last before it.
    rules
        .iter()
        .enumerate()
        .filter(|(_, t)| t.span().is_some_and(|s| s.start <= span.start))
        .last()
        .map_or(Place::Elsewhere, |(rule, _)| Place::Rule(rule))
}

fn rule_table(doc: &mut DocumentMut, index: usize) -> Option<&mut Table> {
    doc.get_mut("rule")
        .and_then(Item::as_array_of_tables_mut)
        .and_then(|rules| rules.get_mut(index))
}

fn list_mut<'d>(
    doc: &'d mut DocumentMut,
    path: &ListPath,
) -> Option<(&'d mut Table, String, Vec<usize>)> {
    match path {
        ListPath::Component(name) => {
            let table = doc.get_mut("components").and_then(Item::as_table_mut)?;
            Some((table, name.clone(), Vec::new()))
        }
        ListPath::Rule {
            rule,
            field,
            nested,
        } => Some((rule_table(doc, *rule)?, field.clone(), nested.clone())),
    }
}

/// Removes one entry; returns the note saying what was left out and why.
fn leave_out_entry(
    doc: &mut DocumentMut,
    path: &ListPath,
    index: usize,
    why: &str,
) -> Option<String> {
    let (table, key, nested) = list_mut(doc, path)?;
    let mut value = table.get_mut(&key).and_then(Item::as_value_mut)?;
    for &i in &nested {
        value = value.as_array_mut().and_then(|a| a.get_mut(i))?;
    }
    let items = value.as_array_mut()?;
    if index >= items.len() {
        return None;
    }
    let removed = items.remove(index);
    // The first entry carried the space after `[`: keep the list tidy.
    if index == 0 {
        if let Some(first) = items.get_mut(0) {
            first.decor_mut().set_prefix("");
        }
    }
    let shown = removed
        .as_str()
        .map_or_else(|| removed.to_string().trim().to_string(), str::to_string);
    Some(if shown.is_empty() {
        format!("Left out: {why}")
    } else {
        format!("Left out `{shown}`: {why}")
    })
}

/// A comment line above a key of a table.
fn note_above(table: &mut Table, key: &str, note: &str) {
    let Some(mut key) = table.key_mut(key) else {
        return;
    };
    let decor = key.leaf_decor_mut();
    let old = decor
        .prefix()
        .and_then(|p| p.as_str())
        .unwrap_or_default()
        .to_string();
    decor.set_prefix(format!("{old}{}", comment_lines(&format!("{note}\n"))));
}

/// Every line of `text` as a TOML comment (lines that are comments already
/// stay as they are).
fn comment_lines(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.trim_start().starts_with('#') {
                format!("{line}\n")
            } else if line.trim().is_empty() {
                "#\n".to_string()
            } else {
                format!("# {line}\n")
            }
        })
        .collect()
}

/// A rule as a commented-out block, its own comments kept.
fn commented_rule(table: &Table, why: &str) -> String {
    let name = table
        .get("name")
        .and_then(Item::as_str)
        .map(|n| format!(" `{n}`"))
        .unwrap_or_default();
    // The comments above its header, then the rule itself.
    let own_comments = table
        .decor()
        .prefix()
        .and_then(|p| p.as_str())
        .unwrap_or_default()
        .trim_start_matches('\n')
        .to_string();
    let mut table = table.clone();
    table.decor_mut().set_prefix("");
    let mut rules = ArrayOfTables::new();
    rules.push(table);
    let mut single = DocumentMut::new();
    single.insert("rule", Item::ArrayOfTables(rules));
    format!(
        "# Left out: the rule{name}: {why}.\n{}{}",
        comment_lines(&own_comments),
        comment_lines(single.to_string().trim())
    )
}

/// Removes every use of a left-out component from the rules; a rule left
/// with a field that names nothing is commented out by the sweep.
fn remove_uses(
    doc: &mut DocumentMut,
    component: &str,
    why: &str,
    rules_out: &mut Vec<(usize, String)>,
) {
    let Some(rules) = doc.get_mut("rule").and_then(Item::as_array_of_tables_mut) else {
        return;
    };
    let names = [component.to_string(), format!("!{component}")];
    for (index, table) in rules.iter_mut().enumerate() {
        let fields: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
        for field in fields {
            let Some(value) = table.get_mut(&field).and_then(Item::as_value_mut) else {
                continue;
            };
            if value.as_str().is_some_and(|s| names.iter().any(|n| n == s)) {
                rules_out.push((
                    index,
                    format!(
                        "its `{field}` is the component `{component}`, which is left out: {why}"
                    ),
                ));
                continue;
            }
            let mut removed = Vec::new();
            remove_strings(value, &names, &mut removed);
            if !removed.is_empty() {
                note_above(
                    table,
                    &field,
                    &format!("Left out `{component}`: the component is left out ({why})"),
                );
            }
        }
    }
}

fn remove_strings(value: &mut Value, names: &[String], removed: &mut Vec<String>) {
    let Some(items) = value.as_array_mut() else {
        return;
    };
    let before = items.len();
    items.retain(|v| !v.as_str().is_some_and(|s| names.iter().any(|n| n == s)));
    if items.len() != before {
        removed.push(names[0].clone());
        if let Some(first) = items.get_mut(0) {
            first.decor_mut().set_prefix("");
        }
    }
    for item in items.iter_mut() {
        remove_strings(item, names, removed);
    }
}

/// Finds what the last removals left degenerate and plans it out: a
/// component or a required list with no positive entry, an empty layer, a
/// `layers` rule with fewer than two layers, an empty `expose`. Returns
/// whether it planned anything.
fn sweep(doc: &mut DocumentMut, edits: &mut Edits) -> bool {
    if let Some(components) = doc.get("components").and_then(Item::as_table) {
        for (name, item) in components.iter() {
            if item.as_value().is_some_and(|v| positives(v) == 0) {
                edits.components.push((
                    name.to_string(),
                    "none of its entries exists in this workspace".to_string(),
                ));
            }
        }
    }
    if let Some(rules) = doc.get("rule").and_then(Item::as_array_of_tables) {
        for (index, table) in rules.iter().enumerate() {
            for field in REQUIRED_LISTS {
                if table
                    .get(field)
                    .and_then(Item::as_value)
                    .is_some_and(|v| positives(v) == 0)
                {
                    edits.rules.push((
                        index,
                        format!("its `{field}` names nothing in this workspace"),
                    ));
                }
            }
            if let Some(Value::Array(layers)) = table.get("layers").and_then(Item::as_value) {
                for (layer, entry) in layers.iter().enumerate() {
                    if matches!(entry, Value::Array(_)) && positives(entry) == 0 {
                        edits.entries.push((
                            ListPath::Rule {
                                rule: index,
                                field: "layers".to_string(),
                                nested: Vec::new(),
                            },
                            layer,
                            "none of its peers exists in this workspace".to_string(),
                        ));
                    }
                }
                if layers.len() < 2 {
                    edits.rules.push((
                        index,
                        "fewer than two of its layers exist in this workspace".to_string(),
                    ));
                }
            }
            if let Some(Value::Array(expose)) = table.get("expose").and_then(Item::as_value) {
                if expose.is_empty() {
                    edits.fields.push((
                        index,
                        "expose".to_string(),
                        "none of its submodules exists in this workspace".to_string(),
                    ));
                }
            }
        }
    }
    !edits.entries.is_empty()
        || !edits.rules.is_empty()
        || !edits.components.is_empty()
        || !edits.fields.is_empty()
}

/// How many entries of a pattern list are not `!` exceptions.
fn positives(value: &Value) -> usize {
    match value {
        Value::String(s) => usize::from(!s.value().starts_with('!')),
        Value::Array(items) => items.iter().map(positives).sum(),
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::rename_word;

    #[test]
    fn only_the_crate_name_standing_alone_is_renamed() {
        for (text, with, expected) in [
            ("# shop::web HTTP", "app", "# app::web HTTP"),
            (
                "# the crate root `shop`, `shop::*`",
                "app",
                "# the crate root `app`, `app::*`",
            ),
            ("# \"!shop::shared\"\n", "app", "# \"!app::shared\"\n"),
            (
                "# workshop shops shop_x my_shop",
                "app",
                "# workshop shops shop_x my_shop",
            ),
            ("shop", "app", "app"),
            ("", "app", ""),
        ] {
            assert_eq!(rename_word(text, "shop", with), expected, "{text:?}");
        }
    }

    #[test]
    fn a_column_after_the_name_stays_aligned() {
        for (text, with, expected) in [
            (
                "#   shop::web      HTTP\n",
                "app",
                "#   app::web       HTTP\n",
            ),
            (
                "#   shop::web      HTTP\n",
                "orders",
                "#   orders::web    HTTP\n",
            ),
            // Two spaces at least, however long the name.
            ("#   shop::web  HTTP", "orders", "#   orders::web  HTTP"),
            // Spaces at the end of a line are no column.
            ("# shop  \n", "orders", "# orders  \n"),
        ] {
            assert_eq!(rename_word(text, "shop", with), expected, "{text:?}");
        }
    }
}
