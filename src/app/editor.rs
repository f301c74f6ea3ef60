//! `cargo boundaries lsp`: the language server runs the pipeline through
//! this [`Pipeline`], so `app` stays the one place that does the I/O
//! around it and `lsp` never reaches back up.

use std::path::Path;
use std::sync::Arc;

use super::{load_model, universe, Failure};
use crate::cli::{CheckArgs, CommonArgs, Format};
use crate::lsp::{BaselineFile, Checked, Model, ModuleFile, Pipeline, Snapshot};
use crate::policy::{self, CrateNames, PolicyErrorCode};
use crate::report::{FailureCode, Problem};
use crate::source::SourceModel;
use crate::warning::WarningCode;
use crate::workspace::Workspace;

/// Serves until the client exits; the exit code the protocol asks for.
pub fn lsp() -> i32 {
    crate::lsp::serve(Arc::new(Editor))
}

struct Editor;

impl Pipeline for Editor {
    fn check(&self, manifest: &Path) -> Snapshot {
        let common = CommonArgs {
            manifest_path: Some(manifest.to_path_buf()),
            workspace: true,
            ..CommonArgs::default()
        };
        let args = CheckArgs {
            common: common.clone(),
            // The cheapest format to render: the server reads the run,
            // not its text.
            format: Format::Short,
            ..CheckArgs::default()
        };
        match super::check_command::run(&args, None, &mut std::io::sink()) {
            Ok(checked) => {
                let analysis = checked.analysis;
                let stale = analysis
                    .warnings
                    .iter()
                    .any(|w| w.code == WarningCode::StaleBaseline);
                // The baseline's text only for the action that shrinks it.
                let baseline = stale
                    .then(|| super::baseline::read_file(&analysis).ok().flatten())
                    .flatten()
                    .and_then(|(_, text)| {
                        let path = super::baseline::baseline_path(&analysis).ok()?;
                        Some(BaselineFile { path, text })
                    });
                let model = model_of(&analysis.workspace, &analysis.graph.model);
                Snapshot {
                    model: Some(model),
                    checked: Some(Checked {
                        graph: analysis.graph,
                        policy: analysis.policy,
                        policy_source: analysis.policy_source,
                        violations: analysis.violations,
                        warnings: analysis.warnings,
                        baseline,
                    }),
                    problems: Vec::new(),
                }
            }
            Err(failure) => failed(&common, failure),
        }
    }
}

/// A run that stopped: its problems, except the policy's own (the server
/// validates the policy itself), and the workspace's names when it was
/// read, so the policy can still be validated and completed.
fn failed(common: &CommonArgs, failure: Failure) -> Snapshot {
    let policy_problem = |p: &Problem| {
        p.code == FailureCode::Policy
            && PolicyErrorCode::ALL
                .iter()
                .any(|code| p.detail == Some(code.as_str()))
    };
    let problems = failure
        .problems
        .into_iter()
        .filter(|p| !policy_problem(p))
        .collect();
    let model = failure.workspace.and_then(|workspace| {
        let include_tests = policy::find(&workspace.root, None)
            .map(|(source, place)| {
                policy::parse(source, place, &CrateNames::of(&workspace))
                    .0
                    .settings
                    .include_tests
            })
            .unwrap_or(false);
        let (workspace, source) = load_model(common, include_tests).ok()?;
        Some(model_of(&workspace, &source))
    });
    Snapshot {
        model,
        checked: None,
        problems,
    }
}

fn model_of(workspace: &Workspace, source: &SourceModel) -> Model {
    let mut modules: Vec<ModuleFile> = source
        .modules
        .iter()
        .map(|m| ModuleFile {
            path: m.path.clone(),
            file: m.file.clone(),
        })
        .collect();
    modules.sort_by(|a, b| a.path.cmp(&b.path));
    let mut crates: Vec<String> = workspace
        .crates
        .iter()
        .map(|c| c.name.clone())
        .chain(workspace.known_crates.iter().cloned())
        .collect();
    crates.sort();
    crates.dedup();
    Model {
        root: workspace.root.clone(),
        names: CrateNames::of(workspace),
        universe: universe(workspace, source),
        modules,
        crates,
        policy: policy::find(&workspace.root, None)
            .ok()
            .map(|(source, place)| (source.path, place)),
    }
}
