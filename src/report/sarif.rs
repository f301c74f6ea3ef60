//! `--format sarif`: a SARIF 2.1.0 log for GitHub code scanning (upload it
//! with `github/codeql-action/upload-sarif`) and other SARIF viewers.
//!
//! - The driver lists one rule per policy rule, in policy order, with the
//!   rule's name as `id`, its reason as description and help, and its
//!   severity as `defaultConfiguration.level`; then one rule per warning code
//!   that occurs in the run (tool warnings are results too, level `warning`, or `error` for a stale
//!   baseline, which fails the run).
//! - Each result points at the offending path with a path relative to the
//!   workspace root under `uriBaseId` `%SRCROOT%`, and columns counted in
//!   Unicode code points (`columnKind`). A cycle's other edges are
//!   `relatedLocations`. A warning that is about no file in particular points
//!   at the policy file, because code scanning rejects results without a
//!   location.
//! - `partialFingerprints` holds `boundaries/v1`, a hash of rule, module,
//!   path and occurrence without line numbers (see [`super::common`]), so an
//!   alert survives unrelated edits. The upload action adds its own
//!   `primaryLocationLineHash` next to it.
//! - Baselined violations are left out. SARIF could keep them with an
//!   accepted `suppressions` entry, but GitHub code scanning ignores
//!   `suppressions` (it is not in its supported subset) and would open an
//!   alert for each; left out, an alert whose violation gets baselined is
//!   closed as fixed, and one reopens when the baseline stops covering it.
//!   When the run read a baseline file, each violation's result says
//!   `baselineState: "new"` (the baseline does not cover it) and each
//!   stale entry's `stale-baseline` result `"absent"` (baselined violations
//!   that are gone); `unchanged` would be the baselined ones, left out as
//!   said. Other tool warnings carry none.
//! - The run has one `invocation`: `executionSuccessful` says whether the
//!   tool did its job (violations or not). A run that could not check
//!   (exit 2) is still a valid log: no results, `executionSuccessful:
//!   false`, and one `toolExecutionNotifications` entry per problem, located
//!   in the policy file or at the suppression comment when it has a place,
//!   its `descriptor` one of the driver's `notifications` (`policy`,
//!   `suppression`, `no-policy`, `workspace`, `error`).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::common::{active_entries, warning_entries, Level};
use super::failure::{FailedRun, FailureCode};
use super::CheckRun;
use crate::location::Location;
use crate::warning::WarningCode;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The package has no repository yet; its crates.io page is its home.
const INFORMATION_URI: &str = "https://crates.io/crates/cargo-boundaries";
const SRCROOT: &str = "%SRCROOT%";
const FINGERPRINT_KEY: &str = "boundaries/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<ResultLocation>,
    descriptor: DescriptorReference,
}

#[derive(Serialize)]
struct DescriptorReference {
    id: String,
    index: usize,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notifications: Vec<ReportingDescriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor<'a> {
    id: &'a str,
    short_description: Text,
    full_description: Text,
    help: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'a str>,
    default_configuration: Configuration,
    properties: DescriptorProperties<'a>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

impl Text {
    fn new(text: impl Into<String>) -> Text {
        Text { text: text.into() }
    }
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties<'a> {
    /// The rule kind (`forbid`, `allow`, …), or `warning` for tool warnings.
    kind: &'a str,
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<ResultLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<ResultLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    /// Against the baseline file, when the run read one: `new` for a
    /// violation it does not cover, `absent` for a stale entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties<'a>>,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    /// From CODEOWNERS: of the file, and of the module reached.
    owners: &'a crate::owners::ViolationOwners,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

pub fn sarif(run: &CheckRun) -> String {
    let entries = active_entries(run);
    let warnings = warning_entries(run);

    let mut rules: Vec<ReportingDescriptor> = run
        .policy
        .rules
        .iter()
        .map(|compiled| {
            let rule = &compiled.table;
            let summary = format!(
                "`{}` rule `{}` of {}",
                rule.kind, rule.name, run.policy_source.display
            );
            let (short, full) = match &rule.reason {
                Some(reason) => (reason.clone(), format!("{summary}: {reason}")),
                None => (summary.clone(), summary.clone()),
            };
            ReportingDescriptor {
                id: &rule.name,
                short_description: Text::new(short),
                help: Text::new(format!(
                    "{full}\n\n{}Reach the code through a module the policy allows, or change \
                     rule `{}` in {}. `cargo boundaries rules` documents the `{}` kind.",
                    rule.help
                        .as_ref()
                        .map_or(String::new(), |h| format!("{h}\n\n")),
                    rule.name,
                    run.policy_source.display,
                    rule.kind
                )),
                help_uri: rule.docs.as_deref(),
                full_description: Text::new(full),
                default_configuration: Configuration {
                    level: Level::of(rule.severity).as_str(),
                },
                properties: DescriptorProperties {
                    kind: &rule.kind,
                    tags: vec!["architecture", "maintainability"],
                },
            }
        })
        .collect();
    let warning_codes: Vec<WarningCode> = warnings
        .iter()
        .map(|w| w.code())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let first_warning_rule = rules.len();
    rules.extend(warning_codes.iter().map(|code| ReportingDescriptor {
        id: code.as_str(),
        short_description: Text::new(warning_description(*code)),
        full_description: Text::new(warning_description(*code)),
        help: Text::new(warning_description(*code)),
        help_uri: None,
        default_configuration: Configuration {
            level: Level::of_warning(*code).as_str(),
        },
        properties: DescriptorProperties {
            kind: "warning",
            tags: vec!["cargo-boundaries"],
        },
    }));

    let mut results: Vec<SarifResult> = entries
        .iter()
        .map(|entry| {
            let model = &run.graph.model;
            let related_locations = if entry.violation.references.len() > 1 {
                entry
                    .violation
                    .references
                    .iter()
                    .enumerate()
                    .map(|(hop, &index)| {
                        let reference = &model.references[index];
                        ResultLocation {
                            id: Some(hop),
                            physical_location: physical(
                                &reference.location.file,
                                Some(&reference.location),
                            ),
                            message: Some(Text::new(format!(
                                "edge {} of the cycle: `{}` → `{}`",
                                hop + 1,
                                model.modules[reference.from].path,
                                reference.path
                            ))),
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            SarifResult {
                rule_id: &entry.rule.name,
                rule_index: entry.rule_index,
                level: entry.level().as_str(),
                message: Text::new(match &entry.violation.suggestion {
                    Some(suggestion) => format!("{}; {}", entry.message(), suggestion.help()),
                    None => entry.message().to_string(),
                }),
                locations: vec![ResultLocation {
                    id: None,
                    physical_location: physical(&entry.location.file, Some(entry.location)),
                    message: None,
                }],
                related_locations,
                partial_fingerprints: BTreeMap::from([(
                    FINGERPRINT_KEY,
                    entry.fingerprint.clone(),
                )]),
                baseline_state: run.verdict.baseline.as_ref().map(|_| "new"),
                properties: (entry.violation.owners.as_ref())
                    .map(|owners| ResultProperties { owners }),
            }
        })
        .collect();
    results.extend(warnings.iter().map(|entry| {
        let index = warning_codes
            .iter()
            .position(|c| *c == entry.code())
            .expect("listed above");
        SarifResult {
            rule_id: entry.code().as_str(),
            rule_index: first_warning_rule + index,
            level: entry.level().as_str(),
            message: Text::new(entry.warning.message.clone()),
            locations: vec![ResultLocation {
                id: None,
                physical_location: match entry.location() {
                    Some(l) => physical(&l.file, Some(l)),
                    None => physical(&run.policy_source.display, None),
                },
                message: None,
            }],
            related_locations: Vec::new(),
            partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, entry.fingerprint.clone())]),
            baseline_state: (entry.code() == WarningCode::StaleBaseline).then_some("absent"),
            properties: None,
        }
    }));

    write(Run {
        tool: tool(rules, Vec::new()),
        invocations: vec![Invocation {
            execution_successful: true,
            tool_execution_notifications: Vec::new(),
        }],
        results,
        column_kind: "unicodeCodePoints",
    })
}

/// The log of a run that could not check: no results, an unsuccessful
/// invocation, and its problems as notifications.
pub fn sarif_failure(run: &FailedRun) -> String {
    // One descriptor per problem id (`policy::unknown-kind`), described by
    // its kind.
    let ids: Vec<(String, FailureCode)> = run
        .problems
        .iter()
        .map(|p| (p.id(), p.code))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let descriptors = ids
        .iter()
        .map(|(id, code)| ReportingDescriptor {
            id,
            short_description: Text::new(code.description()),
            full_description: Text::new(code.description()),
            help: Text::new(code.description()),
            help_uri: None,
            default_configuration: Configuration {
                level: Level::Error.as_str(),
            },
            properties: DescriptorProperties {
                kind: "failure",
                tags: vec!["cargo-boundaries"],
            },
        })
        .collect();
    let notifications = run
        .problems
        .iter()
        .map(|problem| Notification {
            level: Level::Error.as_str(),
            message: Text::new(problem.message_with_help()),
            locations: problem
                .location
                .iter()
                .map(|l| ResultLocation {
                    id: None,
                    physical_location: physical(&l.file, Some(l)),
                    message: None,
                })
                .collect(),
            descriptor: DescriptorReference {
                index: ids
                    .iter()
                    .position(|(id, _)| *id == problem.id())
                    .expect("listed above"),
                id: problem.id(),
            },
        })
        .collect();
    write(Run {
        tool: tool(Vec::new(), descriptors),
        invocations: vec![Invocation {
            execution_successful: false,
            tool_execution_notifications: notifications,
        }],
        results: Vec::new(),
        column_kind: "unicodeCodePoints",
    })
}

fn tool<'a>(
    rules: Vec<ReportingDescriptor<'a>>,
    notifications: Vec<ReportingDescriptor<'a>>,
) -> Tool<'a> {
    Tool {
        driver: Driver {
            name: "cargo-boundaries",
            version: env!("CARGO_PKG_VERSION"),
            semantic_version: env!("CARGO_PKG_VERSION"),
            information_uri: INFORMATION_URI,
            rules,
            notifications,
        },
    }
}

fn write(run: Run) -> String {
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![run],
    };
    let mut out = serde_json::to_string_pretty(&log).expect("the log serializes");
    out.push('\n');
    out
}

/// A relative path as a URI reference: `/` kept, every byte outside the
/// unreserved characters percent-encoded (`my file.rs` → `my%20file.rs`).
fn uri_reference(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// A file relative to the workspace root is a URI reference under
/// `%SRCROOT%`; an absolute one (a policy given outside the root) a `file:`
/// URI of its own.
fn physical(file: &str, location: Option<&Location>) -> PhysicalLocation {
    let artifact_location = match file.strip_prefix('/') {
        Some(absolute) => ArtifactLocation {
            uri: format!("file:///{}", uri_reference(absolute)),
            uri_base_id: None,
        },
        None => ArtifactLocation {
            uri: uri_reference(file),
            uri_base_id: Some(SRCROOT),
        },
    };
    PhysicalLocation {
        artifact_location,
        region: location.map(|l| Region {
            start_line: l.line,
            start_column: l.column,
            end_line: l.end_line,
            end_column: l.end_column,
        }),
    }
}

/// What each warning code means, for the SARIF rule that stands for it.
fn warning_description(code: WarningCode) -> &'static str {
    match code {
        WarningCode::ParseError => {
            "a source file could not be parsed; its references are not checked"
        }
        WarningCode::MissingModuleFile => {
            "a module's file does not exist; the module is not checked"
        }
        WarningCode::OutsideWorkspace => {
            "a module's file lies outside the workspace and is not read"
        }
        WarningCode::UnusedSuppression => {
            "an inline `boundaries: allow(...)` comment silences nothing"
        }
        WarningCode::StaleBaseline => {
            "the baseline lists violations that no longer occur; re-run `cargo boundaries baseline`"
        }
        WarningCode::RepeatedModuleFile => {
            "one file is already the file of many modules of the crate (files that include each other twice multiply); it is not read again"
        }
        WarningCode::PolicyLoosened => {
            "the policy, baseline or suppressions allow more than at the base revision; give the rule `loosened = \"why\"` to accept it"
        }
        WarningCode::AcceptedLoosening => {
            "the policy allows more than at the base revision, accepted by the rule's `loosened` reason"
        }
        WarningCode::ExpiringExemption => {
            "a suppression or baseline entry expires soon; past its date it no longer exempts"
        }
        WarningCode::ModuleCycle => {
            "a module's file is already a file of its own module chain (a cycle through `#[path]` or a symlink); it is not read again"
        }
    }
}

#[cfg(test)]
mod uri_tests {
    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            super::uri_reference("src/billing/mod.rs"),
            "src/billing/mod.rs"
        );
        assert_eq!(
            super::uri_reference("src/my file#1.rs"),
            "src/my%20file%231.rs"
        );
        assert_eq!(super::uri_reference("src/é.rs"), "src/%C3%A9.rs");
    }

    #[test]
    fn an_absolute_path_is_a_file_uri_without_a_base() {
        let outside = super::physical("/etc/my policy.toml", None).artifact_location;
        assert_eq!(outside.uri, "file:///etc/my%20policy.toml");
        assert_eq!(outside.uri_base_id, None);
        let inside = super::physical("boundaries.toml", None).artifact_location;
        assert_eq!(inside.uri_base_id, Some(super::SRCROOT));
    }
}
