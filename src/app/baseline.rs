//! `cargo boundaries baseline`: records today's violations so CI fails only
//! on new ones. The baseline may only shrink unless `--force` is given.

use std::path::PathBuf;

use super::files::write_atomically;
use super::{analyze, print, Analysis, Failure, EXIT_OK};
use crate::check::baseline::{self, Entry};
use crate::cli::BaselineArgs;

pub fn baseline(args: &BaselineArgs) -> Result<i32, Failure> {
    let analysis = analyze(&args.common)?;
    let path = baseline_path(&analysis);
    let entries = baseline::entries(&analysis.violations, &analysis.policy, &analysis.graph);
    if let (Some(old), false) = (read(&analysis)?, args.force) {
        let grown: Vec<String> = entries
            .iter()
            .filter(|new| {
                old.iter()
                    .find(|o| o.key == new.key)
                    .is_none_or(|o| o.count < new.count)
            })
            .map(|e| {
                format!(
                    "  {} from `{}` to `{}`: {}",
                    e.key.0, e.key.1, e.key.2, e.count
                )
            })
            .collect();
        if !grown.is_empty() {
            return Err(Failure::error(format!(
                "the baseline may only shrink, but these entries would be added or grow:\n{}\n\
                 fix them, or pass --force to accept them into the baseline",
                grown.join("\n")
            )));
        }
    }
    write_atomically(&path, &baseline::render(&entries), true)?;
    let total: usize = entries.iter().map(|e| e.count).sum();
    print(&format!(
        "wrote {}: {} {} covering {} {}\n",
        display(&analysis, &path),
        entries.len(),
        if entries.len() == 1 {
            "entry"
        } else {
            "entries"
        },
        total,
        if total == 1 {
            "violation"
        } else {
            "violations"
        }
    ));
    Ok(EXIT_OK)
}

/// The baseline file: `settings.baseline`, relative to the policy's folder.
pub fn baseline_path(analysis: &Analysis) -> PathBuf {
    let dir = analysis
        .policy_source
        .path
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    dir.join(&analysis.settings.baseline)
}

fn display(analysis: &Analysis, path: &std::path::Path) -> String {
    let root = &analysis.workspace.root;
    let canonical = path
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .map(|p| p.join(path.file_name().unwrap_or_default()));
    let shown = canonical.as_deref().unwrap_or(path);
    crate::location::display_path(shown.strip_prefix(root).unwrap_or(shown))
}

/// The baseline's entries, if the file exists.
pub fn read(analysis: &Analysis) -> Result<Option<Vec<Entry>>, Failure> {
    let path = baseline_path(analysis);
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Failure::error(format!("cannot read the baseline {}: {e}", path.display())))?;
    baseline::parse(&text, &display(analysis, &path))
        .map(Some)
        .map_err(Failure::error)
}
