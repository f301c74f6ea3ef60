//! The baseline: known violations, counted per (rule, from, to), that do not
//! fail `check`. It may only shrink: a count that grows fails with the
//! excess, an entry that no longer occurs (or occurs less) is a
//! `stale-baseline` error until the file is rewritten.
//!
//! A run judges only the entries it can see: those whose `from` lies in a
//! checked crate (`-p`, `--exclude`), and not in a module whose code failed
//! to parse (those are unknown, not gone). The others are kept as written.
//!
//! Entries carry no line numbers, so unrelated edits never change the file.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::expiry::{Date, ExpiryRules, Standing, Terms};
use super::{CompiledPolicy, Violation};
use crate::graph::Graph;
use crate::location::{LineIndex, Location};
use crate::source::ModuleId;
use crate::warning::{Warning, WarningCode};

/// What the baseline counts a violation under.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub rule: String,
    /// The module the references come from (for a cycle: its first member).
    pub from: String,
    /// The module or crate they reach (for a cycle: the rest of it).
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: Key,
    pub count: usize,
    /// Where the entry is written, for stale-baseline errors.
    pub location: Option<Location>,
    /// The entry's own bytes in the file it was read from, so an entry a
    /// run does not judge is written back exactly as it was.
    pub text: Option<Range<usize>>,
    /// Its `until` and `owner`, kept when `baseline` rewrites the file.
    pub terms: Terms,
}

/// The grouping key of a violation.
pub fn key(violation: &Violation, policy: &CompiledPolicy, graph: &Graph) -> Key {
    let rule = policy.rules[violation.rule].table.name.clone();
    if let Some((from, to)) = violation.key.as_deref() {
        return Key {
            rule,
            from: from.clone(),
            to: to.clone(),
        };
    }
    let model = &graph.model;
    let reference = &model.references[violation.reference()];
    Key {
        rule,
        from: model.modules[reference.from].path.clone(),
        to: model.target_name(reference).to_string(),
    }
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
            terms: Terms::default(),
            key,
            count,
            location: None,
            text: None,
        })
        .collect()
}

/// What a run can say about a baseline entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judgement {
    /// Its `from` was checked: the entry is compared and rewritten.
    Checked,
    /// Its `from` lies in a crate this run does not check.
    NotChecked,
    /// Its `from` module has code that failed to parse: what it references
    /// is unknown, so the entry is neither stale nor removed.
    Unknown,
}

/// Which entries a run can judge, from what it checked.
pub struct Scope<'a> {
    graph: &'a Graph,
    every_crate_checked: bool,
    selected_crates: BTreeSet<&'a str>,
    /// Modules with a file that failed to parse.
    unparsed: BTreeSet<ModuleId>,
    /// Crates with such a module.
    unparsed_crates: BTreeSet<&'a str>,
    /// A parse error without a file: nothing can be judged for sure.
    unlocated_parse_error: bool,
    /// Rules whose entries stand for a cycle through many modules.
    cycle_rules: BTreeSet<&'a str>,
}

impl<'a> Scope<'a> {
    pub fn new(graph: &'a Graph, policy: &'a CompiledPolicy) -> Scope<'a> {
        let modules = &graph.model.modules;
        let parse_errors: Vec<&Warning> = graph
            .model
            .warnings
            .iter()
            .filter(|w| w.code == WarningCode::ParseError)
            .collect();
        let failed_files: BTreeSet<&str> = parse_errors
            .iter()
            .filter_map(|w| w.location.as_ref())
            .map(|l| &*l.file)
            .collect();
        let unparsed: BTreeSet<ModuleId> = ModuleId::enumerate(modules)
            .filter(|(_, m)| failed_files.contains(m.file.as_str()))
            .map(|(id, _)| id)
            .collect();
        Scope {
            graph,
            every_crate_checked: modules.iter().all(|m| m.selected),
            selected_crates: modules
                .iter()
                .filter(|m| m.selected)
                .map(|m| m.crate_name.as_str())
                .collect(),
            unparsed_crates: unparsed
                .iter()
                .map(|&id| modules[id].crate_name.as_str())
                .collect(),
            unparsed,
            unlocated_parse_error: parse_errors.iter().any(|w| w.location.is_none()),
            cycle_rules: policy
                .rules
                .iter()
                .filter(|r| r.table.kind == super::acyclic::KIND.name)
                .map(|r| r.table.name.as_str())
                .collect(),
        }
    }

    pub fn judge(&self, key: &Key) -> Judgement {
        let krate = key.from.split("::").next().unwrap_or_default();
        if !self.every_crate_checked && !self.selected_crates.contains(krate) {
            return Judgement::NotChecked;
        }
        if self.unlocated_parse_error {
            return Judgement::Unknown;
        }
        // A cycle's references come from anywhere in its members, all in
        // one crate.
        if self.cycle_rules.contains(key.rule.as_str()) {
            return if self.unparsed_crates.contains(krate) {
                Judgement::Unknown
            } else {
                Judgement::Checked
            };
        }
        // The module itself, or, when it is gone, its nearest ancestor: a
        // file that failed to parse declares no submodules either. The same
        // holds for the module the entry reaches: gone with its parent's
        // file, it is unknown, not fixed.
        let from_unknown = self
            .nearest_module(&key.from)
            .is_some_and(|(id, _)| self.unparsed.contains(&id));
        if from_unknown || self.gone_with_unparsed(&key.to) {
            Judgement::Unknown
        } else {
            Judgement::Checked
        }
    }

    /// The module named `path`, or its nearest ancestor that exists, and
    /// whether it is the module itself.
    fn nearest_module(&self, path: &str) -> Option<(ModuleId, bool)> {
        let mut current = path;
        loop {
            if let Some(id) = self.graph.model.module(current) {
                return Some((id, current.len() == path.len()));
            }
            current = &current[..current.rfind("::")?];
        }
    }

    /// Whether the module `path` does not exist because the file that
    /// would declare it failed to parse.
    fn gone_with_unparsed(&self, path: &str) -> bool {
        matches!(self.nearest_module(path), Some((id, false)) if self.unparsed.contains(&id))
    }
}

/// A baseline entry this run judges that covers fewer violations than it
/// counts: `was - now` of its violations were fixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shrunk {
    pub key: Key,
    pub was: usize,
    pub now: usize,
}

/// What comparing a run with its baseline found: the `stale-baseline`
/// problems, and the entries that shrank behind them.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    pub warnings: Vec<Warning>,
    pub shrunk: Vec<Shrunk>,
}

/// Marks the violations the baseline covers, and reports the entries this
/// run judges that it no longer matches.
pub fn apply(
    violations: &mut [Violation],
    baseline: &[Entry],
    policy: &CompiledPolicy,
    graph: &Graph,
    expiry: &ExpiryRules,
) -> Applied {
    let scope = Scope::new(graph, policy);
    // An expired entry exempts nothing: its violations fail again.
    let expired: BTreeMap<&Key, &Entry> = baseline
        .iter()
        .filter(|e| e.terms.standing(expiry) == Standing::Expired)
        .map(|e| (&e.key, e))
        .collect();
    let mut allowed: BTreeMap<&Key, usize> = baseline
        .iter()
        .filter(|e| !expired.contains_key(&e.key))
        .map(|e| (&e.key, e.count))
        .collect();
    let mut found: BTreeMap<Key, usize> = BTreeMap::new();
    for violation in violations.iter_mut() {
        let key = key(violation, policy, graph);
        *found.entry(key.clone()).or_default() += 1;
        if let Some(entry) = expired.get(&key) {
            violation.message.push_str(&format!(
                " (its baseline entry expired on {}{})",
                entry.terms.until.expect("an expired entry has a date"),
                entry.terms.owned_by()
            ));
            continue;
        }
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
                    key.from, key.to
                ));
            }
        }
    }
    let shrunk: Vec<(&Entry, usize)> = baseline
        .iter()
        .filter(|entry| scope.judge(&entry.key) == Judgement::Checked)
        .filter_map(|entry| {
            let now = found.get(&entry.key).copied().unwrap_or(0);
            (now < entry.count).then_some((entry, now))
        })
        .collect();
    let expiring = baseline
        .iter()
        .filter(|entry| scope.judge(&entry.key) == Judgement::Checked)
        .filter_map(|entry| match entry.terms.standing(expiry) {
            Standing::Expiring(left) => Some(Warning {
                location: entry.location.clone(),
                code: WarningCode::ExpiringExemption,
                message: format!(
                    "the baseline entry for `{}` from `{}` to `{}` expires on {}{}{}; \
                     fix its violations or move its date",
                    entry.key.rule,
                    entry.key.from,
                    entry.key.to,
                    entry.terms.until.expect("an expiring entry has a date"),
                    super::suppress::days_left(left),
                    entry.terms.owned_by()
                ),
            }),
            _ => None,
        });
    let warnings = shrunk
        .iter()
        .map(|&(entry, now)| Warning {
            location: entry.location.clone(),
            code: WarningCode::StaleBaseline,
            message: format!(
                "the baseline allows {} `{}` violation{} from `{}` to `{}`, but {} remain{}; \
                     run `cargo boundaries baseline` to shrink it",
                entry.count,
                entry.key.rule,
                if entry.count == 1 { "" } else { "s" },
                entry.key.from,
                entry.key.to,
                now,
                if now == 1 { "s" } else { "" }
            ),
        })
        .chain(expiring)
        .collect();
    Applied {
        warnings,
        shrunk: shrunk
            .into_iter()
            .map(|(entry, now)| Shrunk {
                key: entry.key.clone(),
                was: entry.count,
                now,
            })
            .collect(),
    }
}

/// The entries a rewritten baseline holds: today's for what this run
/// judges, the old file's for the rest, sorted.
pub fn merge(old: &[Entry], new: Vec<Entry>, scope: &Scope) -> Vec<Entry> {
    let kept: Vec<Entry> = old
        .iter()
        .filter(|e| scope.judge(&e.key) != Judgement::Checked)
        .cloned()
        .collect();
    let kept_keys: BTreeSet<&Key> = kept.iter().map(|e| &e.key).collect();
    let terms: BTreeMap<&Key, &Terms> = old.iter().map(|e| (&e.key, &e.terms)).collect();
    let new: Vec<Entry> = new
        .into_iter()
        .filter(|e| !kept_keys.contains(&e.key))
        .map(|mut e| {
            // An entry's expiry and owner outlive its count's changes.
            if let Some(&terms) = terms.get(&e.key) {
                e.terms = terms.clone();
            }
            e
        })
        .collect();
    let mut merged: Vec<Entry> = kept.iter().cloned().chain(new).collect();
    merged.sort_by(|a, b| a.key.cmp(&b.key));
    merged
}

#[derive(serde::Serialize)]
struct FileEntry<'a> {
    rule: &'a str,
    from: &'a str,
    to: &'a str,
    count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
}

const HEADER: &str = "# Known boundary violations that do not fail `cargo boundaries check`.\n\
                      # Written by `cargo boundaries baseline`; it may only shrink.\n\n\
                      version = 1\n";

/// The baseline file's text. An entry read from `old_text` is written as
/// it was there, byte for byte; a new one in the usual form.
pub fn render(entries: &[Entry], old_text: Option<&str>) -> String {
    let mut out = String::from(HEADER);
    for entry in entries {
        out.push('\n');
        match (&entry.text, old_text) {
            (Some(range), Some(old)) if old.get(range.clone()).is_some() => {
                out.push_str(old[range.clone()].trim_end());
                out.push('\n');
            }
            _ => {
                let body = toml::to_string(&FileEntry {
                    rule: &entry.key.rule,
                    from: &entry.key.from,
                    to: &entry.key.to,
                    count: entry.count,
                    until: entry.terms.until.map(|d| d.to_string()),
                    owner: entry.terms.owner.as_deref(),
                })
                .expect("a baseline entry serializes");
                out.push_str("[[violation]]\n");
                out.push_str(&body);
            }
        }
    }
    out
}

/// Why a file is not a baseline; code that reacts to it matches the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BaselineErrorCode {
    /// Not valid TOML.
    BaselineToml,
    /// No `version = 1`, or another version.
    BaselineVersion,
    /// A key or value a baseline does not have.
    NotABaseline,
    /// A `[[violation]]` lacking a field, or with a bad one.
    BadBaselineEntry,
    /// Two entries for the same (rule, from, to).
    DuplicateBaselineEntry,
    /// An entry without `until` where the policy sets `require-expiry`.
    BaselineEntryWithoutExpiry,
}

impl BaselineErrorCode {
    pub const ALL: [BaselineErrorCode; 6] = [
        BaselineErrorCode::BaselineToml,
        BaselineErrorCode::BaselineVersion,
        BaselineErrorCode::NotABaseline,
        BaselineErrorCode::BadBaselineEntry,
        BaselineErrorCode::DuplicateBaselineEntry,
        BaselineErrorCode::BaselineEntryWithoutExpiry,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BaselineErrorCode::BaselineToml => "baseline-toml",
            BaselineErrorCode::BaselineVersion => "baseline-version",
            BaselineErrorCode::NotABaseline => "not-a-baseline",
            BaselineErrorCode::BadBaselineEntry => "bad-baseline-entry",
            BaselineErrorCode::DuplicateBaselineEntry => "duplicate-baseline-entry",
            BaselineErrorCode::BaselineEntryWithoutExpiry => "baseline-entry-without-expiry",
        }
    }
}

/// One problem of a baseline file, located in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineError {
    pub code: BaselineErrorCode,
    pub location: Option<Location>,
    pub message: String,
    pub help: Option<String>,
}

/// What to do about a problem of the baseline file.
fn help(code: BaselineErrorCode) -> &'static str {
    match code {
        BaselineErrorCode::BaselineToml
        | BaselineErrorCode::BaselineVersion
        | BaselineErrorCode::NotABaseline => {
            "a baseline is written by `cargo boundaries baseline`; if this file is something \
             else, point `settings.baseline` at a file of its own"
        }
        BaselineErrorCode::BadBaselineEntry => {
            "each `[[violation]]` has `rule`, `from` and `to` strings and a `count` of at least 1"
        }
        BaselineErrorCode::DuplicateBaselineEntry => {
            "merge the two entries into one whose `count` is their sum"
        }
        BaselineErrorCode::BaselineEntryWithoutExpiry => {
            "the policy sets `require-expiry`: give the entry `until = YYYY-MM-DD` (and an `owner`)"
        }
    }
}

/// The fields of a `[[violation]]`, each exactly once.
const ENTRY_FIELDS: [&str; 6] = ["rule", "from", "to", "count", "until", "owner"];

/// The entries without `until`, as errors, for a policy that sets
/// `require-expiry`.
pub fn without_expiry(entries: &[Entry]) -> Vec<BaselineError> {
    entries
        .iter()
        .filter(|e| e.terms.until.is_none())
        .map(|e| BaselineError {
            code: BaselineErrorCode::BaselineEntryWithoutExpiry,
            location: e.location.clone(),
            message: format!(
                "the baseline entry for `{}` from `{}` to `{}` has no expiry date",
                e.key.rule, e.key.from, e.key.to
            ),
            help: Some(help(BaselineErrorCode::BaselineEntryWithoutExpiry).to_string()),
        })
        .collect()
}

/// Reads a baseline file; `file` is its path as shown to users. A file that
/// is not exactly a baseline (`version = 1` and `[[violation]]` entries with
/// `rule`, `from`, `to` and a `count` of at least 1, no two alike) is
/// refused with every problem, so a manifest or a policy named as the
/// baseline is never taken for an empty one and overwritten.
pub fn parse(text: &str, file: &str) -> Result<Vec<Entry>, Vec<BaselineError>> {
    let index = LineIndex::new(text);
    let error = |code, span: Option<Range<usize>>, message: String| BaselineError {
        code,
        location: span.map(|s| index.location(file.to_string(), s)),
        message,
        help: Some(help(code).to_string()),
    };
    let document = DeTable::parse(text).map_err(|e| {
        vec![error(
            BaselineErrorCode::BaselineToml,
            e.span(),
            format!("{file} is not valid TOML: {}", e.message().trim_end()),
        )]
    })?;
    let mut errors = Vec::new();
    let root = document.get_ref();
    for (key, _) in root.iter() {
        if !["version", "violation"].contains(&key.get_ref().as_ref()) {
            errors.push(error(
                BaselineErrorCode::NotABaseline,
                Some(key.span()),
                format!(
                    "{file}: unknown key `{}`: a baseline holds only `version` and `[[violation]]` entries",
                    key.get_ref()
                ),
            ));
        }
    }
    match root.get("version").map(|v| (v.get_ref(), v.span())) {
        Some((DeValue::Integer(i), _)) if i.as_str() == "1" && i.radix() == 10 => {}
        Some((_, span)) => errors.push(error(
            BaselineErrorCode::BaselineVersion,
            Some(span),
            format!("{file}: unsupported baseline version: expected `version = 1`"),
        )),
        None => errors.push(error(
            BaselineErrorCode::BaselineVersion,
            Some(0..0),
            format!("{file} does not say `version = 1`, so it is not a baseline"),
        )),
    }
    let items: &[toml::Spanned<DeValue>] = match root.get("violation") {
        None => &[],
        Some(list) => match list.get_ref() {
            DeValue::Array(items) => items,
            _ => {
                errors.push(error(
                    BaselineErrorCode::NotABaseline,
                    Some(list.span()),
                    format!("{file}: `violation` must be an array of tables"),
                ));
                &[]
            }
        },
    };
    let mut entries: Vec<Entry> = Vec::new();
    let mut seen: BTreeSet<Key> = BTreeSet::new();
    // Where the previous entry's values end: its header search stops there.
    let mut floor = 0;
    for item in items {
        let DeValue::Table(table) = item.get_ref() else {
            errors.push(error(
                BaselineErrorCode::NotABaseline,
                Some(item.span()),
                format!("{file}: each `[[violation]]` must be a table"),
            ));
            continue;
        };
        let entry_floor = floor;
        floor = table.values().map(|v| v.span().end).fold(floor, usize::max);
        let before = errors.len();
        for (key, _) in table.iter() {
            if !ENTRY_FIELDS.contains(&key.get_ref().as_ref()) {
                errors.push(error(
                    BaselineErrorCode::BadBaselineEntry,
                    Some(key.span()),
                    format!(
                        "{file}: unknown field `{}` in a `[[violation]]`: an entry has `rule`, `from`, `to`, `count`, and may have `until` and `owner`",
                        key.get_ref()
                    ),
                ));
            }
        }
        let mut text_field = |name: &str| -> Option<String> {
            match table.get(name).map(|v| (v.get_ref(), v.span())) {
                Some((DeValue::String(s), _)) if !s.is_empty() => Some(s.to_string()),
                Some((_, span)) => {
                    errors.push(error(
                        BaselineErrorCode::BadBaselineEntry,
                        Some(span),
                        format!("{file}: `{name}` must be a non-empty string"),
                    ));
                    None
                }
                None => {
                    errors.push(error(
                        BaselineErrorCode::BadBaselineEntry,
                        Some(item.span()),
                        format!("{file}: a `[[violation]]` lacks `{name}`"),
                    ));
                    None
                }
            }
        };
        let (rule, from, to) = (text_field("rule"), text_field("from"), text_field("to"));
        let count = match table.get("count").map(|v| (v.get_ref(), v.span())) {
            Some((DeValue::Integer(i), span)) => {
                match usize::from_str_radix(i.as_str(), i.radix()) {
                    Ok(count) if count >= 1 => Some(count),
                    _ => {
                        errors.push(error(
                            BaselineErrorCode::BadBaselineEntry,
                            Some(span),
                            format!("{file}: `count` must be a whole number of at least 1"),
                        ));
                        None
                    }
                }
            }
            Some((_, span)) => {
                errors.push(error(
                    BaselineErrorCode::BadBaselineEntry,
                    Some(span),
                    format!("{file}: `count` must be a whole number of at least 1"),
                ));
                None
            }
            None => {
                errors.push(error(
                    BaselineErrorCode::BadBaselineEntry,
                    Some(item.span()),
                    format!("{file}: a `[[violation]]` lacks `count`"),
                ));
                None
            }
        };
        let mut terms = Terms::default();
        match table.get("until").map(|v| (v.get_ref(), v.span())) {
            None => {}
            Some((value, span)) => {
                let written = match value {
                    DeValue::String(s) => Some(s.to_string()),
                    DeValue::Datetime(d) => Some(d.to_string()),
                    _ => None,
                };
                match written.as_deref().and_then(Date::parse) {
                    Some(date) => terms.until = Some(date),
                    None => errors.push(error(
                        BaselineErrorCode::BadBaselineEntry,
                        Some(span),
                        format!("{file}: `until` must be a date, `until = 2027-03-31`"),
                    )),
                }
            }
        }
        match table.get("owner").map(|v| (v.get_ref(), v.span())) {
            None => {}
            Some((DeValue::String(s), _)) if !s.is_empty() => terms.owner = Some(s.to_string()),
            Some((_, span)) => errors.push(error(
                BaselineErrorCode::BadBaselineEntry,
                Some(span),
                format!("{file}: `owner` must be a non-empty string"),
            )),
        }
        let (Some(rule), Some(from), Some(to), Some(count), true) =
            (rule, from, to, count, errors.len() == before)
        else {
            continue;
        };
        let key = Key { rule, from, to };
        let span = table.get("rule").map_or(item.span(), |v| v.span());
        if !seen.insert(key.clone()) {
            errors.push(error(
                BaselineErrorCode::DuplicateBaselineEntry,
                Some(span),
                format!(
                    "{file}: a second entry for `{}` from `{}` to `{}`: each is counted once",
                    key.rule, key.from, key.to
                ),
            ));
            continue;
        }
        entries.push(Entry {
            key,
            count,
            location: Some(index.location(file.to_string(), span.clone())),
            text: entry_text(text, table, entry_floor),
            terms,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    close_ranges(text, &mut entries);
    Ok(entries)
}

/// Where an entry's `[[violation]]` header starts: the start of the last
/// line beginning with `[[` before its first field.
fn entry_text(text: &str, table: &toml::de::DeTable, floor: usize) -> Option<Range<usize>> {
    let first = table.values().map(|v| v.span().start).min()?;
    let floor = floor.min(first);
    let before = &text[floor..first];
    // The last line before the first value that starts with `[[`, searched
    // back only as far as the previous entry: each byte is looked at once,
    // however many entries the file holds.
    let line_starts = before
        .rmatch_indices('\n')
        .map(|(i, _)| i + 1)
        .chain((floor == 0).then_some(0));
    let header = line_starts
        .into_iter()
        .find(|&start| before[start..].trim_start().starts_with("[["))?;
    let line = before[header..].lines().next().unwrap_or_default();
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .starts_with("[[violation]]")
        .then_some(floor + header..first)
}

/// Each entry's text runs from its header to the next entry's header (or
/// the end of the file). When the headers are not in order (an inline
/// array), no entry keeps its text: they are all written anew.
fn close_ranges(text: &str, entries: &mut [Entry]) {
    let starts: Vec<Option<usize>> = entries
        .iter()
        .map(|e| e.text.as_ref().map(|r| r.start))
        .collect();
    let ordered = starts.iter().all(Option::is_some)
        && starts.windows(2).all(|w| w[0] < w[1])
        && entries
            .iter()
            .all(|e| e.text.as_ref().is_some_and(|r| r.start < r.end));
    for (i, entry) in entries.iter_mut().enumerate() {
        entry.text = if ordered {
            let start = starts[i].unwrap_or_default();
            let end = starts.get(i + 1).copied().flatten().unwrap_or(text.len());
            Some(start..end)
        } else {
            None
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(rule: &str, from: &str, to: &str, count: usize) -> Entry {
        Entry {
            key: Key {
                rule: rule.into(),
                from: from.into(),
                to: to.into(),
            },
            count,
            location: None,
            text: None,
            terms: Terms::default(),
        }
    }

    #[test]
    fn render_and_parse_round_trip() {
        let entries = vec![entry(
            "no-storage",
            "shop::billing",
            "shop::accounts::storage",
            3,
        )];
        let text = render(&entries, None);
        let parsed = parse(&text, "b.toml").unwrap();
        assert_eq!(parsed.len(), 1);
        assert_eq!(parsed[0].key, entries[0].key);
        assert_eq!(parsed[0].count, 3);
        assert_eq!(parsed[0].location.as_ref().unwrap().line, 7);
        // Written again, it is the same text.
        assert_eq!(render(&parsed, Some(&text)), text);
    }

    #[test]
    fn an_empty_baseline_is_only_its_version() {
        let text = render(&[], None);
        assert!(
            !text.contains("[[violation]]") && !text.contains("violation ="),
            "{text}"
        );
        assert_eq!(parse(&text, "b.toml").unwrap(), Vec::new());
        // What earlier versions wrote is still read.
        assert_eq!(
            parse("version = 1\nviolation = []\n", "b.toml").unwrap(),
            Vec::new()
        );
    }

    #[test]
    fn kept_entries_are_written_back_byte_for_byte() {
        let old = "version = 1\n\n[[violation]]\nrule   = \"a\" # hand-edited\nfrom = \"x\"\nto = \"y\"\ncount = 2\n\n\
                   [[ violation ]]\nrule = \"b\"\nfrom = \"x\"\nto = \"z\"\ncount = 1\n";
        let parsed = parse(old, "b.toml").unwrap();
        let rendered = render(&parsed, Some(old));
        assert!(
            rendered.contains("[[violation]]\nrule   = \"a\" # hand-edited\nfrom = \"x\"\nto = \"y\"\ncount = 2\n"),
            "{rendered}"
        );
        assert!(
            rendered.contains("[[ violation ]]\nrule = \"b\""),
            "{rendered}"
        );
        assert_eq!(parse(&rendered, "b.toml").unwrap().len(), 2);
    }

    fn codes(text: &str) -> Vec<BaselineErrorCode> {
        parse(text, "b.toml")
            .unwrap_err()
            .into_iter()
            .map(|e| e.code)
            .collect()
    }

    #[test]
    fn what_is_not_exactly_a_baseline_is_refused() {
        use BaselineErrorCode::*;
        // A manifest, a policy, an empty file.
        assert_eq!(
            codes("[package]\nname = \"x\"\n"),
            [NotABaseline, BaselineVersion]
        );
        assert_eq!(
            codes("version = 1\n[[rule]]\nkind = \"forbid\"\n"),
            [NotABaseline]
        );
        assert_eq!(codes(""), [BaselineVersion]);
        assert_eq!(codes("version = 2\n"), [BaselineVersion]);
        assert_eq!(codes("version = 1\nviolation = 3\n"), [NotABaseline]);
        assert_eq!(
            codes(
                "version = 1\n[[violation]]\nrule = \"a\"\nfrom = \"x\"\nto = \"y\"\ncount = 0\n"
            ),
            [BadBaselineEntry]
        );
        assert_eq!(
            codes("version = 1\n[[violation]]\nrule = \"a\"\nfrom = \"x\"\ncount = 1\n"),
            [BadBaselineEntry]
        );
        assert_eq!(
            codes("version = 1\n[[violation]]\nrule = \"a\"\nfrom = \"x\"\nto = \"y\"\ncount = 1\nline = 3\n"),
            [BadBaselineEntry]
        );
        let twice = "[[violation]]\nrule = \"a\"\nfrom = \"x\"\nto = \"y\"\ncount = 1\n";
        assert_eq!(
            codes(&format!("version = 1\n{twice}{twice}")),
            [DuplicateBaselineEntry]
        );
        assert_eq!(codes("version = 1\nversion = 1\n"), [BaselineToml]);
    }
}
