//! `cargo boundaries init`: writes a starter policy for this workspace (or a
//! preset from `rules/` instantiated for it) that validates, and a baseline
//! beside it when today's code does not satisfy it yet.

use std::collections::BTreeSet;

use super::files::write_atomically;
use super::{analyze, load_model, print, Failure, EXIT_OK};
use crate::check::{self, baseline};
use crate::cli::{CommonArgs, InitArgs};
use crate::policy::{self, PolicySource};
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

/// The crate name the presets are written for.
const PRESET_CRATE: &str = "shop";

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
        .unwrap_or_else(|| workspace.root.join("boundaries.toml"));
    // The starter policy names no baseline file, so it is the default one
    // beside the policy. Refuse before writing anything: init writes both
    // files or neither.
    let baseline_path = policy_path
        .parent()
        .map(|dir| dir.join(crate::policy::Settings::default().baseline))
        .unwrap_or_default();
    for existing in [&policy_path, &baseline_path] {
        if existing.exists() && !args.force {
            return Err(Failure::error(format!(
                "{} already exists; pass --force to overwrite it",
                existing.display()
            )));
        }
    }
    let text = match &args.preset {
        Some(name) => preset(name, &workspace, &model, &policy_path)?,
        None => starter(&workspace, &model),
    };
    let errors = problems(&text, &policy_path, &workspace, &model);
    if !errors.is_empty() {
        let list: Vec<String> = errors.iter().map(|e| format!("  {}", e.message)).collect();
        return Err(Failure::error(format!(
            "the generated policy does not fit this workspace:\n{}",
            list.join("\n")
        )));
    }
    // The policy is staged beside its final place and checked from there;
    // only when the baseline (if one is needed) is written does it take its
    // name, so a failure leaves neither file behind.
    let staged = policy_path.with_file_name(".boundaries.toml.init");
    write_atomically(&staged, &text, true)?;
    let baseline = match record_baseline(args, &staged) {
        Ok(baseline) => baseline,
        Err(failure) => {
            let _ = std::fs::remove_file(&staged);
            return Err(failure);
        }
    };
    if let Err(err) = std::fs::rename(&staged, &policy_path) {
        let _ = std::fs::remove_file(&staged);
        if let Some((path, _)) = &baseline {
            let _ = std::fs::remove_file(path);
        }
        return Err(Failure::error(format!(
            "cannot write {}: {err}",
            policy_path.display()
        )));
    }
    let shown = |p: &std::path::Path| {
        crate::location::display_path(p.strip_prefix(&workspace.root).unwrap_or(p))
    };
    let mut message = format!("wrote {}", shown(&policy_path));
    match baseline {
        Some((path, count)) => message.push_str(&format!(
            " and {} ({} existing {} recorded; `cargo boundaries check` now passes and fails only on new ones)",
            shown(&path),
            count,
            if count == 1 { "violation" } else { "violations" }
        )),
        None => message.push_str(" (the workspace satisfies it today)"),
    }
    print(&format!("{message}\n"));
    Ok(EXIT_OK)
}

/// Checks the workspace against the staged policy and writes the baseline
/// of what it breaks today: its path and the number of violations, or
/// `None` when nothing is broken.
fn record_baseline(
    args: &InitArgs,
    staged: &std::path::Path,
) -> Result<Option<(std::path::PathBuf, usize)>, Failure> {
    let common = CommonArgs {
        policy: Some(staged.to_path_buf()),
        ..args.common.clone()
    };
    let analysis = analyze(&common)?;
    if analysis.violations.is_empty() {
        return Ok(None);
    }
    let path = super::baseline::baseline_path(&analysis);
    let entries = baseline::entries(&analysis.violations, &analysis.policy, &analysis.graph);
    write_atomically(&path, &baseline::render(&entries), args.force)?;
    Ok(Some((path, analysis.violations.len())))
}

/// Every problem the policy text would have on this workspace.
fn problems(
    text: &str,
    path: &std::path::Path,
    workspace: &Workspace,
    model: &SourceModel,
) -> Vec<policy::PolicyError> {
    let source = PolicySource {
        path: path.to_path_buf(),
        display: "boundaries.toml".to_string(),
        text: text.to_string(),
    };
    let (parsed, mut errors) = policy::parse(source, false);
    let (compiled, compile_errors) = check::compile(&parsed);
    errors.extend(compile_errors);
    let universe = super::universe(workspace, model);
    errors.extend(policy::validate(&parsed, compiled.patterns(), &universe));
    errors.extend(compiled.validate(&universe));
    errors
}

/// The library crates to write rules for, with their top-level modules.
fn domains(workspace: &Workspace, model: &SourceModel) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    for krate in workspace.crates.iter().filter(|c| c.kind == CrateKind::Lib) {
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

fn starter(workspace: &Workspace, model: &SourceModel) -> String {
    let declared = |list: &[&str]| -> Vec<String> {
        list.iter()
            .filter(|c| workspace.known_crates.contains(**c))
            .map(|c| format!("\"{c}\""))
            .collect()
    };
    let (web, sql) = (declared(&WEB_CRATES), declared(&SQL_CRATES));
    let mut out = String::from(
        "# Boundary policy written by `cargo boundaries init` from the workspace's\n\
         # current structure. Adapt it: `cargo boundaries rules` documents every rule kind.\n\
         version = 1\n\n[settings]\n# Test code (cfg(test), tests/, benches/, examples/) is not checked.\ninclude-tests = false\n",
    );
    let infrastructure: Vec<String> = web.iter().chain(&sql).cloned().collect();
    if !infrastructure.is_empty() {
        out.push_str("\n[components]\n");
        if !web.is_empty() {
            out.push_str(&format!(
                "# Web crates this workspace declares.\nweb = [{}]\n",
                web.join(", ")
            ));
        }
        if !sql.is_empty() {
            out.push_str(&format!(
                "# SQL crates this workspace declares.\nsql = [{}]\n",
                sql.join(", ")
            ));
        }
    }
    for (krate, top) in domains(workspace, model) {
        let domains: Vec<&String> = top
            .iter()
            .filter(|t| !SHARED_NAMES.contains(&t.as_str()))
            .collect();
        if domains.len() < 2 {
            continue;
        }
        let mut members = vec![format!("\"{krate}::*\"")];
        members.extend(
            top.iter()
                .filter(|t| SHARED_NAMES.contains(&t.as_str()))
                .map(|t| format!("\"!{krate}::{t}\"")),
        );
        let has = |child: &str| {
            domains
                .iter()
                .any(|d| model.module(&format!("{krate}::{d}::{child}")).is_some())
        };
        out.push_str(&format!(
            "\n# Each top-level module of `{krate}` is a domain: other code uses only its\n\
             # root items{}, never its internals.\n[[rule]]\nkind = \"interface\"\nname = \"{}-domain-interfaces\"\n\
             module = [{}]\n{}reason = \"domains talk to each other through their interface\"\n",
            if has("api") { " and its `api` module" } else { "" },
            krate.replace('_', "-"),
            members.join(", "),
            if has("api") { "expose = [\"api\"]\n" } else { "" },
        ));
        out.push_str(&format!(
            "\n# Domains of `{krate}` must not depend on each other in a circle.\n[[rule]]\nkind = \"acyclic\"\n\
             name = \"{}-no-domain-cycles\"\nmodules = [{}]\nreason = \"a cycle between domains makes them one domain\"\n",
            krate.replace('_', "-"),
            members.join(", ")
        ));
        if has("domain") && !infrastructure.is_empty() {
            let to: Vec<&str> = [("web", !web.is_empty()), ("sql", !sql.is_empty())]
                .iter()
                .filter(|(_, present)| *present)
                .map(|(name, _)| *name)
                .collect();
            out.push_str(&format!(
                "\n# Domain logic stays free of transport and persistence.\n[[rule]]\nkind = \"forbid\"\n\
                 name = \"{}-domain-logic-is-pure\"\nfrom = \"{krate}::*::domain\"\nto = [{}]\n\
                 reason = \"domain code uses no web or SQL crate\"\n",
                krate.replace('_', "-"),
                to.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    out
}

/// A preset instantiated for the workspace's main library, with the
/// entries that name nothing here taken out.
fn preset(
    name: &str,
    workspace: &Workspace,
    model: &SourceModel,
    path: &std::path::Path,
) -> Result<String, Failure> {
    let Some((_, text)) = PRESETS.iter().find(|(n, _)| *n == name) else {
        let hint = crate::suggest::hint(name, PRESETS.iter().map(|(n, _)| *n));
        return Err(Failure::error(format!("unknown preset `{name}`{hint}; the presets are modular-monolith, layered and hexagonal")));
    };
    let target = domains(workspace, model)
        .into_iter()
        .max_by_key(|(krate, top)| (top.len(), std::cmp::Reverse(krate.clone())))
        .map(|(krate, _)| krate)
        .ok_or_else(|| Failure::error("the workspace has no library crate to apply a preset to"))?;
    let mut text = text
        .replace(&format!("\"{PRESET_CRATE}\""), &format!("\"{target}\""))
        .replace(&format!("\"{PRESET_CRATE}::"), &format!("\"{target}::"))
        .replace(&format!("\"!{PRESET_CRATE}::"), &format!("\"!{target}::"));
    text.insert_str(
        0,
        &format!(
            "# From the `{name}` preset, instantiated for `{target}` by `cargo boundaries init`.\n"
        ),
    );
    // Drop list entries that name nothing in this workspace (a crate it
    // does not use, a module it does not have), a few passes at most.
    for _ in 0..4 {
        let mut spans: Vec<std::ops::Range<usize>> = problems(&text, path, workspace, model)
            .into_iter()
            .filter(|e| {
                e.label == "matches nothing" || e.label == "exposed submodule does not exist"
            })
            .filter_map(|e| e.span)
            .collect();
        if spans.is_empty() {
            break;
        }
        spans.sort_by_key(|s| std::cmp::Reverse(s.start));
        spans.dedup();
        for span in spans {
            remove_list_entry(&mut text, span);
        }
    }
    Ok(text)
}

/// Removes the array element at `span` with its separating comma.
fn remove_list_entry(text: &mut String, span: std::ops::Range<usize>) {
    let after = &text[span.end..];
    let trailing = after.len() - after.trim_start_matches([' ', '\t']).len();
    if after[trailing..].starts_with(',') {
        let end = span.end + trailing + 1;
        let spaces = text[end..].len() - text[end..].trim_start_matches([' ', '\t']).len();
        text.replace_range(span.start..end + spaces, "");
        return;
    }
    let before = &text[..span.start];
    let trimmed = before.trim_end_matches([' ', '\t', '\n']);
    if let Some(stripped) = trimmed.strip_suffix(',') {
        text.replace_range(stripped.len()..span.end, "");
    } else {
        text.replace_range(span, "\"\"");
    }
}

#[cfg(test)]
mod tests {
    use super::remove_list_entry;

    #[test]
    fn removes_entries_with_their_commas() {
        let mut text = String::from("to = [\"a\", \"b\", \"c\"]");
        remove_list_entry(&mut text, 11..14);
        assert_eq!(text, "to = [\"a\", \"c\"]");
        remove_list_entry(&mut text, 11..14);
        assert_eq!(text, "to = [\"a\"]");
    }
}
