//! Today's date for exemptions (`BOUNDARIES_TODAY` or the clock, in UTC),
//! and `cargo boundaries exemptions`: every suppression and baseline entry
//! with its rule, place, owner and expiry, the soonest to expire first.

use std::collections::BTreeSet;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::{analyze, print, Analysis, Failure, EXIT_OK};
use crate::check::exemptions::{list, Exemption, Kind};
use crate::check::expiry::{Date, ExpiryRules, Standing};
use crate::cli::{ExemptionsArgs, ExemptionsFormat};
use crate::policy::Settings;
use crate::source::Suppression;

/// The variable that overrides today's date, for tests and reproducible
/// runs.
pub const TODAY_VARIABLE: &str = "BOUNDARIES_TODAY";

/// Today's date in UTC, or the one `BOUNDARIES_TODAY` says.
pub fn today() -> Result<Date, Failure> {
    match std::env::var(TODAY_VARIABLE) {
        Ok(text) => Date::parse(text.trim()).ok_or_else(|| {
            Failure::error(format!(
                "{TODAY_VARIABLE}={text:?} is not a date: write it as YYYY-MM-DD"
            ))
        }),
        Err(std::env::VarError::NotUnicode(_)) => Err(Failure::error(format!(
            "{TODAY_VARIABLE} is not a date: write it as YYYY-MM-DD"
        ))),
        Err(std::env::VarError::NotPresent) => {
            let seconds = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            Ok(Date::from_days((seconds / 86_400) as i64))
        }
    }
}

/// How this run judges exemptions.
pub fn expiry_rules(settings: &Settings) -> Result<ExpiryRules, Failure> {
    Ok(ExpiryRules {
        today: today()?,
        warning_days: settings.expiry_warning_days,
        require_expiry: settings.require_expiry,
    })
}

/// The suppressions of the crates a run checks (only theirs can be used).
pub fn selected_suppressions(analysis: &Analysis) -> Vec<Suppression> {
    let model = &analysis.graph.model;
    let selected: BTreeSet<&str> = model
        .modules
        .iter()
        .filter(|m| m.selected)
        .map(|m| m.file.as_str())
        .collect();
    model
        .suppressions
        .iter()
        .filter(|s| selected.contains(&*s.location.file))
        .cloned()
        .collect()
}

pub fn exemptions(args: &ExemptionsArgs) -> Result<i32, Failure> {
    let analysis = analyze(&args.common)?;
    let rules = expiry_rules(&analysis.settings)?;
    let entries = super::baseline::read_file(&analysis)?
        .map(|(entries, _)| entries)
        .unwrap_or_default();
    let listed = list(&selected_suppressions(&analysis), &entries, &rules);
    let text = match args.format {
        ExemptionsFormat::Human => human(&listed, &rules),
        ExemptionsFormat::Json => json(&listed, &rules),
    };
    print(&text);
    Ok(EXIT_OK)
}

fn standing_word(standing: Standing) -> &'static str {
    match standing {
        Standing::Open => "open",
        Standing::Expiring(_) => "expiring",
        Standing::Expired => "expired",
    }
}

/// One line per exemption under a header, columns aligned, then a count.
fn human(listed: &[Exemption], rules: &ExpiryRules) -> String {
    let header = ["until", "left", "status", "owner", "rule", "where", "what"];
    let rows: Vec<[String; 7]> = listed
        .iter()
        .map(|e| {
            let place = e
                .location
                .as_ref()
                .map_or(String::new(), |l| format!("{}:{}", l.file, l.line));
            let what = match (&e.entry, &e.reason) {
                (Some((from, to, count)), _) => format!("{from} → {to} ({count})"),
                (None, Some(reason)) => reason.clone(),
                (None, None) => String::new(),
            };
            [
                e.terms.until.map_or("-".to_string(), |d| d.to_string()),
                e.days_left.map_or("-".to_string(), |d| format!("{d}d")),
                standing_word(e.standing).to_string(),
                e.terms.owner.clone().unwrap_or_else(|| "-".to_string()),
                e.rule.clone(),
                place,
                what,
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if index + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<width$}  "));
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = line(&header.map(String::from));
    for row in &rows {
        out.push_str(&line(row));
    }
    let count = |wanted: fn(Standing) -> bool| listed.iter().filter(|e| wanted(e.standing)).count();
    out.push_str(&format!(
        "{} exemptions on {}: {} expired, {} expiring within {} days, {} without a date\n",
        listed.len(),
        rules.today,
        count(|s| s == Standing::Expired),
        count(|s| matches!(s, Standing::Expiring(_))),
        rules.warning_days,
        listed.iter().filter(|e| e.terms.until.is_none()).count(),
    ));
    out
}

#[derive(Serialize)]
struct JsonList<'a> {
    version: u32,
    today: String,
    exemptions: Vec<JsonExemption<'a>>,
}

#[derive(Serialize)]
struct JsonExemption<'a> {
    kind: Kind,
    rule: &'a str,
    file: Option<&'a str>,
    line: Option<u32>,
    column: Option<u32>,
    /// For a baseline entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<usize>,
    reason: Option<&'a str>,
    owner: Option<&'a str>,
    until: Option<String>,
    days_left: Option<i64>,
    status: &'static str,
}

fn json(listed: &[Exemption], rules: &ExpiryRules) -> String {
    let list = JsonList {
        version: 1,
        today: rules.today.to_string(),
        exemptions: listed
            .iter()
            .map(|e| JsonExemption {
                kind: e.kind,
                rule: &e.rule,
                file: e.location.as_ref().map(|l| &*l.file),
                line: e.location.as_ref().map(|l| l.line),
                column: e.location.as_ref().map(|l| l.column),
                from: e.entry.as_ref().map(|(from, _, _)| from.as_str()),
                to: e.entry.as_ref().map(|(_, to, _)| to.as_str()),
                count: e.entry.as_ref().map(|(_, _, count)| *count),
                reason: e.reason.as_deref(),
                owner: e.terms.owner.as_deref(),
                until: e.terms.until.map(|d| d.to_string()),
                days_left: e.days_left,
                status: standing_word(e.standing),
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&list).expect("the list serializes");
    out.push('\n');
    out
}
