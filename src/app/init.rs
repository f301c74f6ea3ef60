//! `cargo boundaries init`: writes a starter policy for this workspace (or a
//! preset from `rules/` instantiated for it) that validates, and a baseline
//! beside it when today's code does not satisfy it yet.

mod preset;
mod starter;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::files::{already_exists, write_atomically, Staged};
use super::{analyze, load_model, print, Failure, EXIT_OK};
use crate::check::{self, baseline};
use crate::cli::{CommonArgs, InitArgs};
use crate::policy::{self, CrateNames, PolicyError, PolicyPlace, PolicySource, Universe};
use crate::source::SourceModel;
use crate::workspace::{CrateKind, Workspace};

/// The presets of `rules/`, built into the binary.
pub const PRESETS: [(&str, &str); 3] = [
    (
        "modular-monolith",
        include_str!("../../rules/modular-monolith.toml"),
    ),
    ("layered", include_str!("../../rules/layered.toml")),
    ("hexagonal", include_str!("../../rules/hexagonal.toml")),
];

const WEB_CRATES: [&str; 8] = [
    "axum",
    "actix_web",
    "warp",
    "rocket",
    "hyper",
    "tonic",
    "poem",
    "tide",
];
const SQL_CRATES: [&str; 8] = [
    "sqlx",
    "diesel",
    "sea_orm",
    "rusqlite",
    "postgres",
    "tokio_postgres",
    "mysql",
    "mongodb",
];
/// Top-level modules that are shared kernels, not domains.
const SHARED_NAMES: [&str; 10] = [
    "shared", "common", "util", "utils", "prelude", "error", "errors", "config", "types", "kernel",
];

pub fn init(args: &InitArgs) -> Result<i32, Failure> {
    let (workspace, model) = load_model(&args.common, false)?;
    let policy_path = args
        .common
        .policy
        .clone()
        .unwrap_or_else(|| workspace.root.join(policy::POLICY_FILE));
    // The starter policy names no baseline file, so it is the default one
    // beside the policy. Refuse before writing anything: init writes both
    // files or neither.
    let baseline_path = policy_path
        .parent()
        .map(|dir| dir.join(crate::policy::Settings::default().baseline))
        .unwrap_or_default();
    for existing in [&policy_path, &baseline_path] {
        if std::fs::symlink_metadata(existing).is_ok() && !args.force {
            return Err(already_exists(existing));
        }
    }
    if args.common.policy.is_none() {
        refuse_a_second_policy(&workspace.root)?;
    }
    let fit = Fit::new(&workspace, &model, &policy_path);
    let text = match &args.preset {
        Some(name) => preset(name, &fit)?,
        None => starter::starter(&workspace, &model).to_string(),
    };
    let errors = fit.problems(&text);
    if !errors.is_empty() {
        let list: Vec<String> = errors.iter().map(|e| format!("  {}", e.message)).collect();
        return Err(Failure::error(format!(
            "the generated policy does not fit this workspace:\n{}",
            list.join("\n")
        )));
    }
    // The policy is staged beside its final place under a name of its own
    // (runs at the same time never share one) and checked from there; only
    // when the baseline (if one is needed) is written does it take its
    // name, so a failure leaves no policy behind.
    let staged = Staged::new(&policy_path, &text)?;
    let baseline = record_baseline(args, staged.path()).map_err(|mut failure| {
        failure
            .human
            .push_str("error: the generated policy was not written\n");
        failure
    })?;
    if let Err(failure) = staged.commit(args.force) {
        // Another run wrote the policy meanwhile: ours never existed, and
        // neither does the baseline written for it.
        if let (Some((path, _)), false) = (&baseline, args.force) {
            let _ = std::fs::remove_file(path);
        }
        return Err(failure);
    }
    let shown =
        |p: &Path| crate::location::display_path(p.strip_prefix(&workspace.root).unwrap_or(p));
    let mut message = format!("wrote {}", shown(&policy_path));
    match baseline {
        Some((path, count)) if count > 0 => message.push_str(&format!(
            " and {} ({} existing {} recorded; `cargo boundaries check` now passes and fails only on new ones)",
            shown(&path),
            count,
            if count == 1 { "violation" } else { "violations" }
        )),
        Some((path, _)) => message.push_str(&format!(
            " and an empty {} (the workspace satisfies the policy today)",
            shown(&path)
        )),
        None => message.push_str(" (the workspace satisfies it today)"),
    }
    print(&format!("{message}\n"));
    Ok(EXIT_OK)
}

/// A policy kept in `Cargo.toml` metadata stays the workspace's policy:
/// a `boundaries.toml` beside it would make two, which is an error, and
/// init does not edit manifests.
fn refuse_a_second_policy(root: &Path) -> Result<(), Failure> {
    let found = match policy::find(root, None) {
        Ok((source, place)) if place != PolicyPlace::File => {
            format!("{} in {}", place.table(), source.display)
        }
        Err(policy::FindError::TwoPolicies { second, .. }) => second,
        _ => return Ok(()),
    };
    Err(Failure::error(format!(
        "this workspace keeps its policy in {found}; a boundaries.toml beside it would be a \
         second policy\nhelp: remove that table to start afresh, or write elsewhere with `--policy PATH`"
    )))
}

/// Checks the workspace against the staged policy and writes the baseline
/// of what it breaks today: its path and the number of violations. With
/// nothing broken, no baseline is written, except over an old one (with
/// `--force`), which would no longer match the new policy.
fn record_baseline(args: &InitArgs, staged: &Path) -> Result<Option<(PathBuf, usize)>, Failure> {
    // The staged policy's temporary name is nobody's business: `-v` would
    // show it.
    let common = CommonArgs {
        policy: Some(staged.to_path_buf()),
        verbose: false,
        ..args.common.clone()
    };
    let analysis = analyze(&common)?;
    let path = super::baseline::baseline_path(&analysis)?;
    if analysis.violations.is_empty() && std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let entries = baseline::entries(&analysis.violations, &analysis.policy, &analysis.graph);
    write_atomically(&path, &baseline::render(&entries, None), args.force)?;
    Ok(Some((path, analysis.violations.len())))
}

/// What a generated policy is checked against: this workspace.
pub struct Fit<'a> {
    workspace: &'a Workspace,
    model: &'a SourceModel,
    universe: Universe,
    names: CrateNames,
    path: &'a Path,
}

impl<'a> Fit<'a> {
    fn new(workspace: &'a Workspace, model: &'a SourceModel, path: &'a Path) -> Fit<'a> {
        Fit {
            workspace,
            model,
            universe: super::universe(workspace, model),
            names: CrateNames::of(workspace),
            path,
        }
    }

    fn parse(&self, text: &str) -> (policy::Policy, Vec<PolicyError>) {
        let source = PolicySource {
            path: self.path.to_path_buf(),
            display: policy::POLICY_FILE.to_string(),
            text: text.to_string(),
        };
        policy::parse(source, PolicyPlace::File, &self.names)
    }

    /// Every problem the policy text would have on this workspace.
    fn problems(&self, text: &str) -> Vec<PolicyError> {
        let (parsed, mut errors) = self.parse(text);
        let (compiled, compile_errors) = check::compile(&parsed);
        errors.extend(compile_errors);
        errors.extend(policy::validate(
            &parsed,
            compiled.patterns(),
            &self.universe,
        ));
        errors.extend(compiled.validate(&self.universe));
        errors
    }

    /// `acyclic` rules with fewer than two members here: valid, but they
    /// can never report anything. By index, with why.
    fn thin_rules(&self, text: &str) -> Vec<(usize, String)> {
        let (parsed, _) = self.parse(text);
        parsed
            .rules
            .iter()
            .enumerate()
            .filter(|(_, rule)| rule.kind == "acyclic")
            .filter_map(|(index, rule)| {
                let (_, value) = rule.fields.get("modules")?;
                let list =
                    policy::read_pattern_list(value, "modules", &parsed.components, &parsed.names)
                        .ok()?;
                let members = check::members(&list, &self.universe);
                (members.len() < 2).then(|| {
                    (
                        index,
                        format!(
                            "its `modules` match {} in this workspace, and a cycle needs two",
                            match members.as_slice() {
                                [] => "no module".to_string(),
                                [one] => format!("only `{one}`"),
                                _ => unreachable!(),
                            }
                        ),
                    )
                })
            })
            .collect()
    }
}

/// The library crates to write rules for (the binaries when there is no
/// library), with their top-level modules.
fn domains(workspace: &Workspace, model: &SourceModel) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    let has_lib = workspace.crates.iter().any(|c| c.kind == CrateKind::Lib);
    let kind = if has_lib {
        CrateKind::Lib
    } else {
        CrateKind::Bin
    };
    for krate in workspace.crates.iter().filter(|c| c.kind == kind) {
        let Some(root) = model.module(&krate.name) else {
            continue;
        };
        let top: Vec<String> = model
            .modules
            .iter()
            .filter(|m| m.parent == Some(root))
            .map(|m| m.path.rsplit("::").next().unwrap_or_default().to_string())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        found.push((krate.name.clone(), top));
    }
    found
}

/// A preset instantiated for the crate it fits best.
fn preset(name: &str, fit: &Fit) -> Result<String, Failure> {
    let Some((_, text)) = PRESETS.iter().find(|(n, _)| *n == name) else {
        let hint = crate::suggest::hint(name, PRESETS.iter().map(|(n, _)| *n));
        return Err(Failure::error(format!("unknown preset `{name}`{hint}; the presets are modular-monolith, layered and hexagonal")));
    };
    let named = preset_modules(text);
    let target = domains(fit.workspace, fit.model)
        .into_iter()
        .max_by_key(|(krate, top)| {
            let fits = top.iter().filter(|m| named.contains(m.as_str())).count();
            (fits, top.len(), std::cmp::Reverse(krate.clone()))
        })
        .map(|(krate, _)| krate)
        .ok_or_else(|| Failure::error("the workspace has no crate to apply a preset to"))?;
    preset::instantiate(name, text, &target, fit)
}

/// The top-level modules a preset names (`web` for `shop::web`).
fn preset_modules(text: &str) -> BTreeSet<String> {
    let prefix = format!("\"{}::", preset::PRESET_CRATE);
    text.match_indices(&prefix)
        .filter_map(|(at, _)| {
            let rest = &text[at + prefix.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}
