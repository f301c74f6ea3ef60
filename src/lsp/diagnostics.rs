//! A run's findings as LSP diagnostics, per file, each with what the
//! editor may do about it (a [`Fix`]) and what hovering it shows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, Range, Url,
};

use super::position::{line_starts, LineMap};
use super::snapshot::{Checked, Snapshot};
use crate::check::baseline::{self, Judgement, Scope};
use crate::policy::{PolicyError, Severity};
use crate::source::Via;
use crate::warning::{Warning, WarningCode};

/// The diagnostics' `source`.
pub const SOURCE: &str = "boundaries";

/// A diagnostic and what goes with it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub diagnostic: Diagnostic,
    /// What code actions offer, the preferred first.
    pub fixes: Vec<Fix>,
    /// Markdown shown when hovering the diagnostic's range.
    pub hover: Option<String>,
}

/// What a code action does about a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    /// Insert `// boundaries: allow(rule) ...` above line `line`.
    Suppress {
        rule: String,
        line: u32,
        indent: String,
    },
    /// Rewrite the baseline file with its stale entries shrunk.
    ShrinkBaseline { text: String },
    /// Replace a misspelled name with the one the help suggests.
    Replace {
        range: Range,
        written: String,
        meant: String,
    },
}

/// Every file's diagnostics from a run, by absolute path. The policy's
/// own problems are not here: they come from its buffer.
pub fn of_run(snapshot: &Snapshot) -> BTreeMap<PathBuf, Vec<Entry>> {
    let mut out: BTreeMap<PathBuf, Vec<Entry>> = BTreeMap::new();
    let Some(model) = &snapshot.model else {
        return out;
    };
    let mut texts = Texts::new(&model.root);
    if let Some(checked) = &snapshot.checked {
        for entry in violations(checked, &mut texts) {
            out.entry(entry.0).or_default().push(entry.1);
        }
        let shrunk = shrunk_baseline(checked);
        for warning in &checked.warnings {
            if let Some((path, entry)) = warning_entry(warning, shrunk.as_deref(), &mut texts) {
                out.entry(path).or_default().push(entry);
            }
        }
    }
    for problem in &snapshot.problems {
        let Some(location) = &problem.location else {
            continue;
        };
        let path = model.root.join(&*location.file);
        let range = texts.range(&location.file, location);
        let mut message = problem.message.clone();
        if let Some(help) = &problem.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        let code = problem.detail.unwrap_or(problem.code.as_str());
        out.entry(path).or_default().push(Entry {
            diagnostic: diagnostic(range, DiagnosticSeverity::ERROR, code, message),
            fixes: Vec::new(),
            hover: None,
        });
    }
    out
}

/// The policy's problems as diagnostics in its text.
pub fn of_policy(text: &str, errors: &[PolicyError]) -> Vec<Entry> {
    let map = LineMap::new(text);
    errors
        .iter()
        .map(|error| {
            let span = error.span.clone().unwrap_or(0..0);
            let range = map.range(span.clone());
            let mut message = error.message.clone();
            if let Some(help) = &error.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            let code = format!("boundaries::policy::{}", error.code.as_str());
            let fix = error.suggestion.as_ref().and_then(|s| {
                // Only where the span holds exactly what was misspelled
                // (quoted or not): anything else would be a guess.
                let written = text.get(span.clone())?;
                let inner = written
                    .strip_prefix('"')
                    .and_then(|w| w.strip_suffix('"'))
                    .map_or(span.clone(), |_| span.start + 1..span.end - 1);
                (text.get(inner.clone())? == s.written).then(|| Fix::Replace {
                    range: map.range(inner),
                    written: s.written.clone(),
                    meant: s.meant.clone(),
                })
            });
            Entry {
                diagnostic: diagnostic(range, DiagnosticSeverity::ERROR, &code, message),
                fixes: fix.into_iter().collect(),
                hover: None,
            }
        })
        .collect()
}

fn diagnostic(
    range: Range,
    severity: DiagnosticSeverity,
    code: &str,
    message: String,
) -> Diagnostic {
    Diagnostic {
        range,
        severity: Some(severity),
        code: Some(NumberOrString::String(code.to_string())),
        source: Some(SOURCE.to_string()),
        message,
        ..Diagnostic::default()
    }
}

fn violations<'a>(
    checked: &'a Checked,
    texts: &'a mut Texts,
) -> impl Iterator<Item = (PathBuf, Entry)> + 'a {
    let model = &checked.graph.model;
    let policy_file = &checked.policy_source;
    let policy_map = LineMap::new(&policy_file.text);
    let policy_uri = Url::from_file_path(&policy_file.path).ok();
    checked.violations.iter().map(move |violation| {
        let rule = &checked.policy.rules[violation.rule].table;
        let reference = &model.references[violation.reference()];
        let location = &reference.location;
        let range = texts.range(&location.file, location);
        let severity = match (violation.baselined, rule.severity) {
            (true, _) => DiagnosticSeverity::INFORMATION,
            (false, Severity::Error) => DiagnosticSeverity::ERROR,
            (false, Severity::Warn) => DiagnosticSeverity::WARNING,
        };
        let mut message = violation.message.clone();
        if violation.baselined {
            message.push_str(" (baselined)");
        }
        let mut diagnostic = diagnostic(range, severity, &rule.name, message);
        let mut related = Vec::new();
        if let Some(uri) = &policy_uri {
            related.push(DiagnosticRelatedInformation {
                location: Location::new(uri.clone(), policy_map.range(rule.span.clone())),
                message: format!("rule `{}` defined here", rule.name),
            });
        }
        // A cycle's other edges.
        let mut chain = Vec::new();
        for &index in &violation.references {
            let edge = &model.references[index];
            let from = &model.modules[edge.from].path;
            let to = model.target_name(edge);
            chain.push(format!(
                "`{from}` → `{to}` by `{}` ({}, {}:{})",
                edge.path,
                edge.via.as_str(),
                edge.location.file,
                edge.location.line
            ));
            if index != violation.reference() {
                if let Ok(uri) = Url::from_file_path(texts.root.join(&*edge.location.file)) {
                    related.push(DiagnosticRelatedInformation {
                        location: Location::new(
                            uri,
                            texts.range(&edge.location.file, &edge.location),
                        ),
                        message: format!("`{from}` uses `{to}` here"),
                    });
                }
            }
        }
        diagnostic.related_information = Some(related);
        let mut hover = format!(
            "**{}** (`{}` rule `{}`)\n\n{}\n",
            if violation.baselined {
                "baselined violation"
            } else {
                "violation"
            },
            rule.kind,
            rule.name,
            violation.message
        );
        if let Some(reason) = &rule.reason {
            hover.push_str(&format!("\nreason: {reason}\n"));
        }
        hover.push_str("\nchain:\n");
        for link in &chain {
            hover.push_str(&format!("- {link}\n"));
        }
        let line = texts.line_text(&location.file, location.line.saturating_sub(1) as usize);
        let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
        // The path to use instead, where the reference's text is the path
        // written out (the same rule `--message-format json` follows).
        let crate_name = &model.modules[reference.from].crate_name;
        let replace = violation.suggestion.as_ref().and_then(|suggestion| {
            let written = texts.text_of(&location.file, location.bytes())?;
            Some(Fix::Replace {
                range,
                meant: suggestion.replacement(&written, crate_name)?,
                written,
            })
        });
        // A comment silences a reference in Rust code; a manifest
        // dependency has no such comment.
        let suppress = (reference.via != Via::Manifest).then(|| Fix::Suppress {
            rule: rule.name.clone(),
            line: range.start.line,
            indent,
        });
        (
            texts.root.join(&*location.file),
            Entry {
                diagnostic,
                fixes: replace.into_iter().chain(suppress).collect(),
                hover: Some(hover),
            },
        )
    })
}

fn warning_entry(
    warning: &Warning,
    shrunk: Option<&str>,
    texts: &mut Texts,
) -> Option<(PathBuf, Entry)> {
    let location = warning.location.as_ref()?;
    let severity = if warning.code.is_error() {
        DiagnosticSeverity::ERROR
    } else {
        DiagnosticSeverity::WARNING
    };
    let range = texts.range(&location.file, location);
    let fixes = match (warning.code, shrunk) {
        (WarningCode::StaleBaseline, Some(text)) => vec![Fix::ShrinkBaseline {
            text: text.to_string(),
        }],
        _ => Vec::new(),
    };
    Some((
        texts.root.join(&*location.file),
        Entry {
            diagnostic: diagnostic(
                range,
                severity,
                warning.code.as_str(),
                warning.message.clone(),
            ),
            fixes,
            hover: None,
        },
    ))
}

/// The baseline with every entry this run judges cut to what remains
/// (what `cargo boundaries baseline` would write, never growing an entry),
/// when some entry is stale.
fn shrunk_baseline(checked: &Checked) -> Option<String> {
    // Reading the baseline again costs as much as the check's own reading:
    // only when something is stale.
    checked
        .warnings
        .iter()
        .any(|w| w.code == WarningCode::StaleBaseline)
        .then_some(())?;
    let file = checked.baseline.as_ref()?;
    let old = baseline::parse(&file.text, "baseline").ok()?;
    let now = baseline::entries(&checked.violations, &checked.policy, &checked.graph);
    let scope = Scope::new(&checked.graph, &checked.policy);
    let mut changed = false;
    let shrunk: Vec<_> = old
        .into_iter()
        .filter_map(|mut entry| {
            if scope.judge(&entry.key) != Judgement::Checked {
                return Some(entry);
            }
            let remaining = now
                .iter()
                .find(|e| e.key == entry.key)
                .map_or(0, |e| e.count);
            if remaining >= entry.count {
                return Some(entry);
            }
            changed = true;
            entry.count = remaining;
            entry.text = None;
            (remaining > 0).then_some(entry)
        })
        .collect();
    changed.then(|| baseline::render(&shrunk, Some(&file.text)))
}

/// The text of the files diagnostics point into, each read once through
/// the reader `check` quotes with.
struct Texts {
    root: PathBuf,
    /// Each file's text and line starts.
    texts: BTreeMap<String, (String, Vec<usize>)>,
}

impl Texts {
    fn new(root: &Path) -> Texts {
        Texts {
            root: root.to_path_buf(),
            texts: BTreeMap::new(),
        }
    }

    fn map(&mut self, file: &str) -> LineMap<'_> {
        let root = &self.root;
        let (text, starts) = self.texts.entry(file.to_string()).or_insert_with(|| {
            let text = crate::source::quoted_text(root, file);
            let text = match text.strip_prefix('\u{feff}') {
                Some(rest) => rest.to_string(),
                None => text,
            };
            let starts = line_starts(&text);
            (text, starts)
        });
        LineMap::with_starts(text, starts)
    }

    /// A location's range; from its lines and columns when the file could
    /// not be quoted.
    fn range(&mut self, file: &str, location: &crate::location::Location) -> Range {
        let map = self.map(file);
        if map.text().is_empty() {
            let at = |line: u32, column: u32| {
                Position::new(line.saturating_sub(1), column.saturating_sub(1))
            };
            return Range::new(
                at(location.line, location.column),
                at(location.end_line, location.end_column),
            );
        }
        map.range(location.bytes())
    }

    /// The text of a byte range of a file, when the file could be quoted.
    fn text_of(&mut self, file: &str, bytes: std::ops::Range<usize>) -> Option<String> {
        self.map(file).text().get(bytes).map(str::to_string)
    }

    fn line_text(&mut self, file: &str, line: usize) -> String {
        let map = self.map(file);
        map.text()[map.line(line)].to_string()
    }
}
