//! `cargo boundaries baseline`: records today's violations so CI fails only
//! on new ones. The baseline may only shrink unless `--force` is given.
//!
//! The file is found from the policy (`settings.baseline`, relative to the
//! policy's folder) in a workspace that may be hostile: it must lie inside
//! the workspace root (or, for a `--policy` outside the workspace, inside
//! that policy's folder), must be neither a manifest nor the policy, and
//! must be a regular file that is exactly a baseline.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::files::write_atomically;
use super::{analyze, print, Analysis, Failure, EXIT_OK};
use crate::check::baseline::{self, BaselineError, Entry, Judgement, Scope};
use crate::cli::BaselineArgs;
use crate::policy::file::{kind_of, read_regular, NotAFile, ReadError};
use crate::report::{FailureCode, Problem};

pub fn baseline(args: &BaselineArgs) -> Result<i32, Failure> {
    let analysis = analyze(&args.common)?;
    let path = baseline_path(&analysis)?;
    let old = read_file(&analysis)?;
    super::say_baseline(
        &analysis,
        old.as_ref().map_or(super::BaselineUse::NoFile, |(e, _)| {
            super::BaselineUse::Read(e.len())
        }),
    );
    let scope = Scope::new(&analysis.graph, &analysis.policy);
    let (old_entries, old_text) = match &old {
        Some((entries, text)) => (entries.as_slice(), Some(text.as_str())),
        None => (&[][..], None),
    };
    // Today's entries, except those the old file keeps (unknown ones).
    let new: Vec<Entry> =
        baseline::entries(&analysis.violations, &analysis.policy, &analysis.graph)
            .into_iter()
            .filter(|e| scope.judge(&e.key) == Judgement::Checked)
            .collect();
    if let (Some(_), false) = (&old, args.force) {
        let grown: Vec<String> = new
            .iter()
            .filter(|new| {
                old_entries
                    .iter()
                    .find(|o| o.key == new.key)
                    .is_none_or(|o| o.count < new.count)
            })
            .map(|e| {
                format!(
                    "  {} from `{}` to `{}`: {}",
                    e.key.rule, e.key.from, e.key.to, e.count
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
    let kept = old_entries
        .iter()
        .filter(|e| scope.judge(&e.key) != Judgement::Checked)
        .count();
    let entries = baseline::merge(old_entries, new, &scope);
    write_atomically(&path, &baseline::render(&entries, old_text), true)?;
    let total: usize = entries.iter().map(|e| e.count).sum();
    let mut message = format!(
        "wrote {}: {} {} covering {} {}",
        display(&analysis, &path),
        entries.len(),
        plural(entries.len(), "entry", "entries"),
        total,
        plural(total, "violation", "violations"),
    );
    if kept > 0 {
        message.push_str(&format!(
            " ({kept} {} of crates not checked, or of code that did not parse, kept as {})",
            plural(kept, "entry", "entries"),
            plural(kept, "it was", "they were"),
        ));
    }
    print(&format!("{message}\n"));
    Ok(EXIT_OK)
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Why a baseline path cannot be used; each has a stable code.
#[derive(Debug, thiserror::Error)]
pub enum BaselinePathError {
    #[error("the baseline {shown} lies outside {}: `settings.baseline` must name a file inside it", .allowed.display())]
    Outside { shown: String, allowed: PathBuf },
    #[error("the baseline {shown} is a package manifest: `settings.baseline` must name a file of its own")]
    Manifest { shown: String },
    #[error("the baseline {shown} is the policy file itself: `settings.baseline` must name a file of its own")]
    Policy { shown: String },
    #[error("`settings.baseline = {setting:?}` does not name a file")]
    NotAFileName { setting: String },
    #[error("the baseline {shown} is {kind}")]
    NotAFile { shown: String, kind: NotAFile },
    #[error("cannot read the baseline: {0}")]
    Read(ReadError),
}

impl BaselinePathError {
    pub fn code(&self) -> &'static str {
        match self {
            BaselinePathError::Outside { .. } => "baseline-outside-workspace",
            BaselinePathError::Manifest { .. } => "baseline-is-manifest",
            BaselinePathError::Policy { .. } => "baseline-is-policy",
            BaselinePathError::NotAFileName { .. } => "baseline-not-a-file-name",
            BaselinePathError::NotAFile { .. } => "baseline-not-a-file",
            BaselinePathError::Read(_) => "baseline-unreadable",
        }
    }

    #[cfg(test)]
    pub const CODES: [&'static str; 6] = [
        "baseline-outside-workspace",
        "baseline-is-manifest",
        "baseline-is-policy",
        "baseline-not-a-file-name",
        "baseline-not-a-file",
        "baseline-unreadable",
    ];
}

impl From<BaselinePathError> for Failure {
    fn from(error: BaselinePathError) -> Failure {
        let mut failure = Failure::new(FailureCode::Error, &error, None);
        failure.human = format!("error[{}]: {error}\n", error.code());
        failure
    }
}

/// The baseline file: `settings.baseline`, relative to the policy's folder,
/// checked to be a place the tool may read and write.
pub fn baseline_path(analysis: &Analysis) -> Result<PathBuf, BaselinePathError> {
    let root = &analysis.workspace.root;
    let setting = &analysis.settings.baseline;
    let policy = canonical_or_absolute(&analysis.policy_source.path);
    let policy_dir = policy.parent().map(Path::to_path_buf).unwrap_or_default();
    // A policy from inside the workspace may only name files inside it; a
    // policy the user keeps elsewhere (`--policy`) keeps its baseline beside
    // it.
    let allowed = if policy.starts_with(root) {
        root.clone()
    } else {
        policy_dir.clone()
    };
    let joined = policy_dir.join(setting);
    let (Some(name), Some(parent)) = (normal_file_name(&joined), joined.parent()) else {
        return Err(BaselinePathError::NotAFileName {
            setting: setting.clone(),
        });
    };
    // The folder as it really is (symlinks followed); a folder that does
    // not exist yet is judged by its written path.
    let folder = parent
        .canonicalize()
        .unwrap_or_else(|_| lexically_normal(parent));
    let path = folder.join(name);
    let shown = display(analysis, &path);
    let outside = || BaselinePathError::Outside {
        shown: shown.clone(),
        allowed: allowed.clone(),
    };
    if !folder.starts_with(&allowed) {
        return Err(outside());
    }
    // A symlink at the path must point inside too; a dangling one is
    // replaced, never followed, when the baseline is written.
    let real = path.canonicalize().unwrap_or_else(|_| path.clone());
    if !real.starts_with(&allowed) {
        return Err(outside());
    }
    if real == policy || real == root.join(crate::policy::POLICY_FILE) {
        return Err(BaselinePathError::Policy { shown });
    }
    let manifests = analysis
        .workspace
        .crates
        .iter()
        .map(|c| canonical_or_absolute(&c.manifest_path))
        .chain([analysis.workspace.root_manifest.clone()]);
    if real.file_name().is_some_and(|n| n == "Cargo.toml")
        || manifests.into_iter().any(|m| m == real)
    {
        return Err(BaselinePathError::Manifest { shown });
    }
    Ok(path)
}

/// The last component of `path` when it is a plain name (not `..`).
fn normal_file_name(path: &Path) -> Option<&std::ffi::OsStr> {
    match path.components().next_back()? {
        Component::Normal(name) => Some(name),
        _ => None,
    }
}

fn canonical_or_absolute(path: &Path) -> PathBuf {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// `a/./b/../c` as `a/c`, without touching the file system.
fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .components()
    {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn display(analysis: &Analysis, path: &Path) -> String {
    let root = &analysis.workspace.root;
    crate::location::display_path(path.strip_prefix(root).unwrap_or(path))
}

/// The baseline's entries, if the file exists, for `check`: with
/// `require-expiry`, an entry without `until` stops the run.
pub fn read(analysis: &Analysis) -> Result<Option<Vec<Entry>>, Failure> {
    let Some((entries, text)) = read_file(analysis)? else {
        return Ok(None);
    };
    if analysis.settings.require_expiry {
        let errors = baseline::without_expiry(&entries);
        if !errors.is_empty() {
            let shown = display(analysis, &baseline_path(analysis)?);
            return Err(baseline_problems(
                &shown,
                &text,
                &errors,
                &format!("{shown} has entries without an expiry date"),
            ));
        }
    }
    Ok(Some(entries))
}

/// The baseline's entries and text, if the file exists. A path that exists
/// but is not a regular file (a directory, a FIFO) is an error, not "no
/// baseline".
pub(super) fn read_file(analysis: &Analysis) -> Result<Option<(Vec<Entry>, String)>, Failure> {
    let path = baseline_path(analysis)?;
    let shown = display(analysis, &path);
    match kind_of(&path).map_err(BaselinePathError::Read)? {
        None => return Ok(None),
        Some(Err(kind)) => return Err(BaselinePathError::NotAFile { shown, kind }.into()),
        Some(Ok(())) => {}
    }
    let text = read_regular(&path).map_err(BaselinePathError::Read)?;
    let entries = baseline::parse(&text, &shown).map_err(|errors| {
        baseline_problems(
            &shown,
            &text,
            &errors,
            &format!("{shown} is not a baseline file"),
        )
    })?;
    Ok(Some((entries, text)))
}

/// Every problem of a baseline file (`what` says what is wrong with it as
/// a whole): as text, and one by one (located in the file) for the machine
/// formats.
fn baseline_problems(shown: &str, text: &str, errors: &[BaselineError], what: &str) -> Failure {
    let mut out = String::new();
    for error in errors {
        out.push_str(&format!(
            "error[{}]: {}\n",
            error.code.as_str(),
            error.message
        ));
        if let Some(location) = &error.location {
            out.push_str(&format!(
                "  --> {}:{}:{}\n",
                location.file, location.line, location.column
            ));
        }
        if let Some(help) = &error.help {
            out.push_str(&format!("  help: {help}\n"));
        }
    }
    out.push_str(&format!("error: {what}; nothing was checked\n"));
    let problems = errors
        .iter()
        .map(|error| Problem {
            help: error.help.clone(),
            location: error.location.clone(),
            ..Problem::new(
                FailureCode::Error,
                format!("{} [{}]", error.message, error.code.as_str()),
            )
        })
        .collect();
    let mut failure = Failure::error(what);
    failure.human = out;
    failure.problems = problems;
    failure.sources = crate::report::Sources::new([(shown.to_string(), Arc::from(text))].into());
    failure
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_are_unique_kebab_case() {
        let codes: Vec<&str> = crate::policy::PolicyErrorCode::ALL
            .iter()
            .map(|c| c.as_str())
            .chain(crate::policy::FindError::CODES)
            .chain(baseline::BaselineErrorCode::ALL.iter().map(|c| c.as_str()))
            .chain(BaselinePathError::CODES)
            .chain(crate::warning::WarningCode::ALL.iter().map(|c| c.as_str()))
            .collect();
        let unique: std::collections::BTreeSet<&str> = codes.iter().copied().collect();
        assert_eq!(unique.len(), codes.len(), "{codes:?}");
        for code in codes {
            assert!(
                !code.is_empty()
                    && !code.starts_with('-')
                    && !code.ends_with('-')
                    && code.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{code}"
            );
        }
    }
}
