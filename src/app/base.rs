//! `check --base REF`: reads the policy, the baseline and the files with
//! suppressions as they were at REF, with `git rev-parse` and `git show`
//! only (nothing is checked out), and turns what `check::loosening` finds
//! into `policy-loosened` problems (or `accepted-loosening` warnings when a
//! `loosened` reason accepts them).
//!
//! Git is run with every user-given argument after `--end-of-options`, the
//! revision resolved to a commit id first, no pager and no fsmonitor, and
//! its output read only up to a bound.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{Analysis, Failure};
use crate::check::baseline::{self, Entry};
use crate::check::expiry::Lasts;
use crate::check::loosening::{self, Base, Coverage, Current, Loosening};
use crate::check::suppress::{rule_names, terms};
use crate::location::Location;
use crate::policy::{self, CrateNames, PolicySource};
use crate::source::Suppression;
use crate::warning::{Warning, WarningCode};

/// The most git may print for one file: as much as a policy may hold.
const MAX_OUTPUT: u64 = 16 * 1024 * 1024;

/// The loosenings since `reference`, as warnings of the run.
pub fn loosenings(
    analysis: &Analysis,
    reference: &str,
    policy_arg: Option<&Path>,
    current_baseline: Option<&[Entry]>,
) -> Result<Vec<Warning>, Failure> {
    let root = &analysis.workspace.root;
    let git = Git::open(root)?;
    let commit = git.commit(reference)?;
    let mut found: Vec<Loosening> = Vec::new();

    let (_, place) = policy::find(root, policy_arg).map_err(|e| Failure::error(e.to_string()))?;
    let policy_path = git.relative(&analysis.policy_source.path)?;
    if let Some(text) = git.file_at(&commit, &policy_path)? {
        let source = PolicySource {
            path: analysis.policy_source.path.clone(),
            display: format!("{} at {reference}", analysis.policy_source.display),
            text,
        };
        // The old policy is read as the current workspace names crates; a
        // rule of it that no longer compiles is left out (so it counts as
        // gone, unless the current policy has it).
        let (old, _) = policy::parse(source, place, &CrateNames::of(&analysis.workspace));
        let (compiled, _) = crate::check::compile(&old);
        let (rules, coverage) = loosening::compare_policies(
            &analysis.graph,
            &Base {
                name: reference,
                policy: &compiled,
                policy_text: &old.source.text,
            },
            &Current {
                policy: &analysis.policy,
                source: &analysis.policy_source,
                loosened: analysis.settings.loosened.as_deref(),
            },
        );
        found.extend(rules);
        if analysis.verbose {
            super::say(format_args!(
                "--base {reference}: {}",
                match coverage {
                    Coverage::WithProbes => "rules compared over the graph plus one probe reference from every checked module to every module and crate",
                    Coverage::RealGraphOnly => "rules compared on the real graph only (the probes would be too many): a widening no reference uses yet is not seen",
                }
            ));
        }
    }

    if let Some(current) = current_baseline {
        let path = super::baseline::baseline_path(analysis)?;
        let old = match git.file_at(&commit, &git.relative(&path)?)? {
            // A base baseline that does not parse counts as empty.
            Some(text) => baseline::parse(&text, "").unwrap_or_default(),
            None => Vec::new(),
        };
        found.extend(loosening::baseline_loosenings(
            reference,
            &old,
            current,
            &analysis.policy,
        ));
    }

    let suppressions = super::exemptions::selected_suppressions(analysis);
    let mut by_file: BTreeMap<&str, Vec<&crate::source::Suppression>> = BTreeMap::new();
    for suppression in &suppressions {
        by_file
            .entry(&suppression.location.file)
            .or_default()
            .push(suppression);
    }
    for (file, in_file) in by_file {
        let old = git
            .file_at(&commit, &git.relative(&root.join(file))?)?
            .unwrap_or_default();
        found.extend(suppressions_since(
            reference,
            &crate::source::scan_suppressions(file, &old),
            &in_file,
            &analysis.policy,
        ));
    }

    Ok(found
        .into_iter()
        .map(|loosening| match loosening.accepted {
            None => Warning {
                location: Some(loosening.location),
                code: WarningCode::PolicyLoosened,
                message: format!(
                    "{}; if that is meant, say why with `loosened = \"...\"` on the rule",
                    loosening.message
                ),
            },
            Some(why) => Warning {
                location: Some(loosening.location),
                code: WarningCode::AcceptedLoosening,
                message: format!("{} (accepted: loosened = {why:?})", loosening.message),
            },
        })
        .collect())
}

/// The suppressions of one file that exempt more than at REF, rule by
/// rule: one that has no counterpart at REF is new, one that lasts longer
/// than its counterpart loosens. Counterparts are paired longest with
/// longest, so moving, rewording or reordering comments is no finding.
fn suppressions_since(
    reference: &str,
    at_base: &[Suppression],
    now: &[&Suppression],
    policy: &crate::check::CompiledPolicy,
) -> Vec<Loosening> {
    let before = by_rule(at_base.iter());
    let mut found = Vec::new();
    for (rule, list) in by_rule(now.iter().copied()) {
        let was = before.get(rule).map_or(&[][..], Vec::as_slice);
        for (i, &(lasts, location)) in list.iter().enumerate() {
            match was.get(i) {
                None => found.push(loosening::new_suppression(
                    reference, rule, location, policy,
                )),
                Some(&(before, _)) if lasts > before => found.push(loosening::longer_suppression(
                    reference,
                    rule,
                    (before, lasts),
                    location,
                    policy,
                )),
                Some(_) => {}
            }
        }
    }
    found
}

/// Each rule's suppressions, longest-lasting first.
fn by_rule<'a>(
    suppressions: impl Iterator<Item = &'a Suppression>,
) -> BTreeMap<&'a str, Vec<(Lasts, &'a Location)>> {
    let mut by_rule: BTreeMap<&str, Vec<(Lasts, &Location)>> = BTreeMap::new();
    for suppression in suppressions {
        let lasts = Lasts::of(terms(suppression).0.until);
        for (rule, _) in rule_names(suppression) {
            by_rule
                .entry(rule)
                .or_default()
                .push((lasts, &suppression.location));
        }
    }
    for list in by_rule.values_mut() {
        list.sort_by_key(|&(lasts, _)| std::cmp::Reverse(lasts));
    }
    by_rule
}

/// The git repository the workspace is in.
struct Git {
    /// Its top folder, canonical.
    top: PathBuf,
}

impl Git {
    fn open(root: &Path) -> Result<Git, Failure> {
        let out = run_git(root, &["rev-parse", "--show-toplevel"]).map_err(|e| match e {
            GitError::Missing => Failure::error(
                "`--base` needs git, which was not found: install it or leave out `--base`",
            ),
            GitError::Failed(why) => Failure::error(format!(
                "`--base` needs a git repository, and the workspace is not in one: {why}"
            )),
        })?;
        let top = PathBuf::from(String::from_utf8_lossy(&out).trim_end_matches(['\n', '\r']));
        let top = top
            .canonicalize()
            .map_err(|e| Failure::error(format!("cannot read the git repository's folder: {e}")))?;
        Ok(Git { top })
    }

    /// The commit `reference` names.
    fn commit(&self, reference: &str) -> Result<String, Failure> {
        let spec = format!("{reference}^{{commit}}");
        let out = run_git(
            &self.top,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &spec,
            ],
        )
        .map_err(|_| {
            Failure::error(format!(
                "`--base {reference}` is not a commit of this repository"
            ))
        })?;
        let id = String::from_utf8_lossy(&out).trim().to_string();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Failure::error(format!(
                "`--base {reference}` is not a commit of this repository"
            )));
        }
        Ok(id)
    }

    /// `path` relative to the repository's top, with `/`.
    fn relative(&self, path: &Path) -> Result<String, Failure> {
        let real = path
            .canonicalize()
            .or_else(|_| std::path::absolute(path))
            .unwrap_or_else(|_| path.to_path_buf());
        let inside = real.strip_prefix(&self.top).map_err(|_| {
            Failure::error(format!(
                "{} is outside the git repository, so `--base` cannot read it at another revision",
                path.display()
            ))
        })?;
        Ok(crate::location::display_path(inside))
    }

    /// The text of `path` at `commit`, or `None` when it did not exist.
    fn file_at(&self, commit: &str, path: &str) -> Result<Option<String>, Failure> {
        let object = format!("{commit}:{path}");
        let exists = run_git(
            &self.top,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &object,
            ],
        );
        if exists.is_err() {
            return Ok(None);
        }
        let out = run_git(&self.top, &["show", "--end-of-options", &object])
            .map_err(|e| Failure::error(format!("cannot read {path} at {commit}: {e}")))?;
        Ok(Some(String::from_utf8_lossy(&out).into_owned()))
    }
}

#[derive(Debug)]
enum GitError {
    Missing,
    Failed(String),
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GitError::Missing => write!(f, "git was not found"),
            GitError::Failed(why) => write!(f, "{why}"),
        }
    }
}

/// Runs `git ARGS` in `dir` (no pager, no fsmonitor, nothing read from the
/// terminal) and returns what it printed, at most [`MAX_OUTPUT`] bytes.
fn run_git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let mut child = Command::new("git")
        .args(["--no-pager", "-c", "core.fsmonitor=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => GitError::Missing,
            _ => GitError::Failed(e.to_string()),
        })?;
    // Stderr is drained on its own thread, so neither pipe can fill up
    // while the other is read.
    let stderr = child.stderr.take().expect("piped");
    let errors = std::thread::spawn(move || {
        let mut err = Vec::new();
        let _ = stderr.take(64 * 1024).read_to_end(&mut err);
        err
    });
    let mut out = Vec::new();
    let stdout = child.stdout.take().expect("piped");
    let read = stdout.take(MAX_OUTPUT + 1).read_to_end(&mut out);
    if read.is_err() || out.len() as u64 > MAX_OUTPUT {
        let _ = child.kill();
        let _ = child.wait();
        return Err(GitError::Failed(format!(
            "git printed more than {MAX_OUTPUT} bytes"
        )));
    }
    let status = child.wait().map_err(|e| GitError::Failed(e.to_string()))?;
    let err = errors.join().unwrap_or_default();
    if status.success() {
        Ok(out)
    } else {
        let why = String::from_utf8_lossy(&err);
        Err(GitError::Failed(
            why.lines()
                .next()
                .unwrap_or("git failed")
                .trim()
                .to_string(),
        ))
    }
}
