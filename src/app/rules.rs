//! `cargo boundaries rules [KIND]`: the rule kinds' documentation.

use super::{print, Failure, EXIT_OK};
use crate::check;

pub fn rules(kind: Option<&str>) -> Result<i32, Failure> {
    let kinds: Vec<_> = match kind {
        None => check::registry::KINDS.iter().collect(),
        Some(name) => match check::registry::kind(name) {
            Some(kind) => vec![kind],
            None => {
                let names = check::registry::KINDS.iter().map(|k| k.name);
                let hint = crate::suggest::closest(name, names)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(Failure::error(format!("unknown rule kind `{name}`{hint}")));
            }
        },
    };
    let text: Vec<String> = kinds
        .iter()
        .map(|k| format!("# `{}`\n\n{}\n", k.name, shift_headings(&check::registry::documentation(k))))
        .collect();
    print(&text.join("\n"));
    Ok(EXIT_OK)
}

/// Puts a kind's sections one level below its title.
fn shift_headings(doc: &str) -> String {
    doc.lines()
        .map(|line| if line.starts_with('#') && !line.starts_with("#[") { format!("#{line}") } else { line.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
}

