//! `init` without a preset: a starter policy written with `toml_edit` from
//! the workspace's current structure. Each library whose top-level modules
//! look like domains gets them guarded behind their interface and kept out
//! of cycles (and their domain logic kept free of web and SQL crates); a
//! workspace with no such structure gets its main crate's dependencies as
//! an allow-list, so the policy always checks something.

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

use super::{domains, SHARED_NAMES, SQL_CRATES, WEB_CRATES};
use crate::source::SourceModel;
use crate::workspace::Workspace;

/// The starter policy for the workspace.
pub fn starter(workspace: &Workspace, model: &SourceModel) -> DocumentMut {
    let mut doc = DocumentMut::new();
    doc.insert("version", toml_edit::value(1));
    set_comment(
        &mut doc,
        "version",
        "# Boundary policy written by `cargo boundaries init` from the workspace's\n\
         # current structure. Adapt it: `cargo boundaries rules` documents every rule kind.\n",
    );
    let mut settings = Table::new();
    settings.insert("include-tests", toml_edit::value(false));
    settings.decor_mut().set_prefix("\n");
    doc.insert("settings", Item::Table(settings));
    note_key(
        doc["settings"].as_table_mut().expect("inserted above"),
        "include-tests",
        "# Test code (cfg(test), tests/, benches/, examples/) is not checked.\n",
    );

    let declared = |list: &[&str]| -> Vec<String> {
        list.iter()
            .filter(|c| workspace.known_crates.contains(**c))
            .map(|c| c.to_string())
            .collect()
    };
    let (web, sql) = (declared(&WEB_CRATES), declared(&SQL_CRATES));
    let mut components = Table::new();
    components.decor_mut().set_prefix("\n");
    for (name, crates, what) in [("web", &web, "Web"), ("sql", &sql, "SQL")] {
        if !crates.is_empty() {
            components.insert(name, Item::Value(strings(crates.iter())));
            note_key(
                &mut components,
                name,
                &format!("# {what} crates this workspace declares.\n"),
            );
        }
    }
    if !components.is_empty() {
        doc.insert("components", Item::Table(components));
    }

    let mut rules = domain_rules(workspace, model, !web.is_empty(), !sql.is_empty());
    if rules.is_empty() {
        rules.extend(dependency_rule(workspace, model));
    }
    if !rules.is_empty() {
        doc.insert("rule", Item::ArrayOfTables(rules));
    }
    doc
}

/// The rules of each library whose top-level modules are domains.
fn domain_rules(
    workspace: &Workspace,
    model: &SourceModel,
    has_web: bool,
    has_sql: bool,
) -> ArrayOfTables {
    let mut rules = ArrayOfTables::new();
    for (krate, top) in domains(workspace, model) {
        let domains: Vec<&String> = top
            .iter()
            .filter(|t| !SHARED_NAMES.contains(&t.as_str()))
            .collect();
        if domains.len() < 2 {
            continue;
        }
        let members: Vec<String> = std::iter::once(format!("{krate}::*"))
            .chain(
                top.iter()
                    .filter(|t| SHARED_NAMES.contains(&t.as_str()))
                    .map(|t| format!("!{krate}::{t}")),
            )
            .collect();
        let has = |child: &str| {
            domains
                .iter()
                .any(|d| model.module(&format!("{krate}::{d}::{child}")).is_some())
        };
        let prefix = krate.replace('_', "-");

        let mut interface = rule(
            "interface",
            &format!("{prefix}-domain-interfaces"),
            &format!(
                "# Each top-level module of `{krate}` is a domain: other code uses only its\n\
                 # root items{}, never its internals.\n",
                if has("api") {
                    " and its `api` module"
                } else {
                    ""
                }
            ),
        );
        interface.insert("module", Item::Value(strings(members.iter())));
        if has("api") {
            interface.insert("expose", Item::Value(strings(["api"].iter())));
        }
        interface.insert(
            "reason",
            toml_edit::value("domains talk to each other through their interface"),
        );
        rules.push(interface);

        let mut acyclic = rule(
            "acyclic",
            &format!("{prefix}-no-domain-cycles"),
            &format!("# Domains of `{krate}` must not depend on each other in a circle.\n"),
        );
        acyclic.insert("modules", Item::Value(strings(members.iter())));
        acyclic.insert(
            "reason",
            toml_edit::value("a cycle between domains makes them one domain"),
        );
        rules.push(acyclic);

        if has("domain") && (has_web || has_sql) {
            let mut pure = rule(
                "forbid",
                &format!("{prefix}-domain-logic-is-pure"),
                "# Domain logic stays free of transport and persistence.\n",
            );
            pure.insert("from", toml_edit::value(format!("{krate}::*::domain")));
            let to: Vec<&str> = [("web", has_web), ("sql", has_sql)]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(name, _)| name)
                .collect();
            pure.insert("to", Item::Value(strings(to.iter())));
            pure.insert(
                "reason",
                toml_edit::value("domain code uses no web or SQL crate"),
            );
            rules.push(pure);
        }
    }
    rules
}

/// The main crate may use only the crates it declares today: every new
/// dependency becomes a decision made in the policy.
pub fn dependency_rule(workspace: &Workspace, model: &SourceModel) -> Option<Table> {
    let (krate, _) = domains(workspace, model)
        .into_iter()
        .max_by_key(|(krate, top)| (top.len(), std::cmp::Reverse(krate.clone())))?;
    let declared: std::collections::BTreeSet<&String> = workspace
        .crate_by_name(&krate)?
        .externs
        .values()
        .filter(|name| **name != krate)
        .collect();
    let mut table = rule(
        "allow",
        &format!("{}-declared-dependencies", krate.replace('_', "-")),
        &format!(
            "# `{krate}` uses only the crates it declares today (besides itself and the\n\
             # standard library): a new dependency is a decision made here.\n"
        ),
    );
    table.insert("from", toml_edit::value(krate.clone()));
    table.insert("to", Item::Value(strings(declared.into_iter())));
    table.insert(
        "reason",
        toml_edit::value("each dependency is chosen; a new one is added to this list on purpose"),
    );
    Some(table)
}

/// A `[[rule]]` with its kind, name and the comment above it.
fn rule(kind: &str, name: &str, comment: &str) -> Table {
    let mut table = Table::new();
    table.decor_mut().set_prefix(format!("\n{comment}"));
    table.insert("kind", toml_edit::value(kind));
    table.insert("name", toml_edit::value(name));
    table
}

fn strings<S: AsRef<str>>(items: impl Iterator<Item = S>) -> Value {
    Value::Array(items.map(|s| s.as_ref().to_string()).collect::<Array>())
}

fn set_comment(doc: &mut DocumentMut, key: &str, comment: &str) {
    note_key(doc.as_table_mut(), key, comment);
}

fn note_key(table: &mut Table, key: &str, comment: &str) {
    if let Some(mut key) = table.key_mut(key) {
        key.leaf_decor_mut().set_prefix(comment);
    }
}
