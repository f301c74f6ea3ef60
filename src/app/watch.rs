//! `cargo boundaries check --watch`: checks, then checks again after each
//! change to what a check reads (sources, policy, baseline, manifests),
//! until Ctrl-C, which exits 0.
//!
//! The workspace is read once and again only when a manifest changes; a
//! check that fails (a policy broken mid-edit) prints why and the watch
//! goes on. The checks run on a thread of their own while the main thread
//! listens for file events and Ctrl-C, so Ctrl-C never waits for a check.

mod changes;
mod folders;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use super::check_command::{self, Checked};
use super::{Failure, EXIT_OK};
use crate::cli::{CheckArgs, Format};
use crate::report::FailureCode;
use crate::workspace::Workspace;
use changes::{Changes, Wake};
use folders::{Plan, PlanBuilder};

/// Clears a terminal as `clear` does: home, screen, scrollback.
const CLEAR_SCREEN: &str = "\x1b[H\x1b[2J\x1b[3J";

/// What reaches the watching loop.
pub enum Signal {
    /// Ctrl-C (SIGINT).
    Interrupt,
    Fs(notify::Result<notify::Event>),
    /// A check ended.
    Checked(Box<Round>),
}

/// A check to run: on this workspace, or on one read again (`None`).
struct Job {
    workspace: Option<Workspace>,
    /// What was watched before, for a check that fails part way.
    plan: Plan,
}

/// One check done, as the loop needs it: the model and the graph stay and
/// are freed on the checking thread.
pub struct Round {
    /// The workspace it checked, as `cargo metadata` described it; `None`
    /// when reading it failed.
    workspace: Option<Workspace>,
    /// What to watch now.
    plan: Plan,
    /// The result for stdout, or why the check could not run, for stderr.
    shown: Result<String, String>,
}

pub fn watch(args: &CheckArgs) -> Result<i32, Failure> {
    refuse_one_shot_formats(args)?;
    let (sender, signals) = mpsc::channel();
    let on_interrupt = {
        let sender = sender.clone();
        move || {
            let _ = sender.send(Signal::Interrupt);
        }
    };
    ctrlc::set_handler(on_interrupt)
        .map_err(|e| Failure::error(format!("cannot catch Ctrl-C: {e}")))?;
    let watcher = RecommendedWatcher::new(
        {
            let sender = sender.clone();
            move |event| {
                let _ = sender.send(Signal::Fs(event));
            }
        },
        // A symlinked folder may lead out of the workspace.
        notify::Config::default().with_follow_symlinks(false),
    )
    .map_err(|e| Failure::error(format!("cannot watch files: {e}")))?;
    // Without a workspace there is nothing to watch: exit 2, as `check`.
    let first = super::load_workspace(&args.common)?;
    let mut plan = builder(args, &first).build();
    let mut workspace = Some(first);
    let mut watches = Watches::new(watcher, args.common.quiet);
    // Watched before the first check reads anything, so no edit made
    // while it runs is missed.
    watches.follow(&plan);
    let checker = start_checker(args, sender);
    let screen = Screen::new(args);
    let mut changes = Changes::default();
    for round in 0.. {
        // A manifest changed: `cargo metadata` again.
        if changes.reload {
            workspace = None;
        }
        let job = Job {
            workspace: workspace.take(),
            plan: plan.clone(),
        };
        if checker.send(job).is_err() {
            return Err(Failure::error("the checking thread stopped"));
        }
        // What changes while the check runs is the next check's business.
        let mut seen_meanwhile = Changes::default();
        let done = loop {
            match signals.recv() {
                Ok(Signal::Checked(done)) => break *done,
                Ok(Signal::Fs(event)) => {
                    seen_meanwhile.add(&plan, event);
                }
                // Ctrl-C: the check is left to die with the process.
                Ok(Signal::Interrupt) | Err(_) => return Ok(EXIT_OK),
            }
        };
        workspace = done.workspace;
        plan = done.plan;
        watches.forget(&changes.lost_folders);
        watches.forget(&seen_meanwhile.lost_folders);
        watches.follow(&plan);
        if screen
            .show(round, &changes, &done.shown, &plan.root)
            .is_err()
        {
            // Nobody reads what we print any more (`| head`).
            break;
        }
        changes = match changes::next(&signals, &plan, seen_meanwhile) {
            Wake::Interrupted => break,
            Wake::Changed(changes) => changes,
        };
    }
    Ok(EXIT_OK)
}

/// The thread that runs the checks (one for all, with the main thread's
/// stack size, so the memory of one check is reused by the next); each
/// result comes back as a [`Signal::Checked`].
fn start_checker(args: &CheckArgs, sender: mpsc::Sender<Signal>) -> mpsc::Sender<Job> {
    let args = args.clone();
    let (jobs, next_job) = mpsc::channel::<Job>();
    let work = move || {
        for job in next_job {
            let plan = job.plan.clone();
            // A bug that panics in one check (the hook has printed it)
            // must not leave the watch waiting for ever.
            let checked =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&args, job)));
            let (round, leftovers) = match checked {
                Ok((round, leftovers)) => (round, Some(leftovers)),
                Err(_) => (
                    Round {
                        workspace: None,
                        plan,
                        shown: Err("error: the check stopped on an internal error".to_string()),
                    },
                    None,
                ),
            };
            if sender.send(Signal::Checked(Box::new(round))).is_err() {
                break;
            }
            // Freeing a model takes a while: after the result is out.
            drop(leftovers);
        }
    };
    std::thread::Builder::new()
        .name("check".to_string())
        .stack_size(8 << 20)
        .spawn(work)
        .expect("a thread for the checks");
    jobs
}

/// Runs one check, reading the workspace first when the job has none;
/// returns the round and what is left of the check, to be freed.
fn check(args: &CheckArgs, job: Job) -> (Round, Result<Checked, Failure>) {
    let loaded = match job.workspace {
        Some(workspace) => Ok(workspace),
        None => super::load_workspace(&args.common),
    };
    // The result is shown once the screen is cleared, not as it is made.
    let mut shown = Vec::new();
    let (workspace, mut outcome) = match loaded {
        Ok(workspace) => (
            Some(workspace.clone()),
            check_command::run(args, Some(workspace), &mut shown),
        ),
        Err(failure) => (None, Err(failure)),
    };
    let plan = plan_after(args, &outcome, workspace.as_ref(), &job.plan);
    let shown = match &mut outcome {
        Ok(_) => Ok(String::from_utf8_lossy(&shown).into_owned()),
        Err(failure) => Err(std::mem::take(&mut failure.human)),
    };
    let round = Round {
        workspace,
        plan,
        shown,
    };
    (round, outcome)
}

/// SARIF, GitLab's report, GitHub's annotations and cargo's messages are
/// read once, at the end of one run: a stream of them means nothing to
/// their readers.
fn refuse_one_shot_formats(args: &CheckArgs) -> Result<(), Failure> {
    let refused = match (args.message_format, args.format) {
        (Some(_), _) => "--message-format json",
        (None, Format::Sarif) => "--format sarif",
        (None, Format::Github) => "--format github",
        (None, Format::Gitlab) => "--format gitlab",
        (None, Format::Markdown) => "--format markdown",
        (None, Format::Human | Format::Short | Format::Json) => return Ok(()),
    };
    Err(Failure::new(
        FailureCode::Error,
        format!("`--watch` cannot be used with `{refused}`, which is read once per run"),
        Some(
            "with `--watch`, use `--format human`, `short` or `json` (one JSON document per check)"
                .to_string(),
        ),
    ))
}

/// What to watch after a check: everything a successful check read; a
/// failed one adds what it knows to what was watched before.
fn plan_after(
    args: &CheckArgs,
    outcome: &Result<Checked, Failure>,
    workspace: Option<&Workspace>,
    previous: &Plan,
) -> Plan {
    match outcome {
        Ok(checked) => plan_of_analysis(args, &checked.analysis),
        Err(failure) => match failure.workspace.as_deref().or(workspace) {
            Some(workspace) => builder(args, workspace).keep(previous).build(),
            None => previous.clone(),
        },
    }
}

/// What the workspace alone says to watch.
fn builder(args: &CheckArgs, workspace: &Workspace) -> PlanBuilder {
    let mut builder = PlanBuilder::new(&workspace.root, &workspace.target_dir);
    builder
        .manifest(&workspace.root_manifest)
        .config_file(&workspace.root.join("boundaries.toml"))
        .config_file(&workspace.root.join("boundaries-baseline.toml"));
    if let Some(policy) = &args.common.policy {
        builder.config_file(&absolute(policy));
    }
    for krate in &workspace.crates {
        builder.manifest(&krate.manifest_path);
        if let Some(folder) = krate.root_file.parent() {
            builder.source_folder(folder);
        }
    }
    builder
}

/// Everything a successful check read: every module's files, the policy
/// and the baseline it used.
fn plan_of_analysis(args: &CheckArgs, analysis: &super::Analysis) -> Plan {
    let root = &analysis.workspace.root;
    let mut builder = builder(args, &analysis.workspace);
    builder.config_file(&absolute(&analysis.policy_source.path));
    if let Ok(baseline) = super::baseline::baseline_path(analysis) {
        builder.config_file(&baseline);
    }
    for module in analysis.graph.model.modules.iter() {
        for file in &module.files {
            builder.source_file(&root.join(file));
        }
    }
    builder.build()
}

/// `path` as event paths spell it: canonical when it exists.
fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| std::path::absolute(path).unwrap_or_default())
}

/// The folders being watched, kept in step with the plan.
struct Watches {
    watcher: RecommendedWatcher,
    current: BTreeMap<PathBuf, RecursiveMode>,
    /// Folders that could not be watched for a reason other than being
    /// gone, said once each.
    reported: BTreeSet<PathBuf>,
    quiet: bool,
}

impl Watches {
    fn new(watcher: RecommendedWatcher, quiet: bool) -> Watches {
        Watches {
            watcher,
            current: BTreeMap::new(),
            reported: BTreeSet::new(),
            quiet,
        }
    }

    /// Folders whose watch went with them (removed, renamed): set again
    /// by the next [`Watches::follow`] if they are still wanted.
    fn forget(&mut self, folders: &BTreeSet<PathBuf>) {
        for folder in folders {
            if self.current.remove(folder).is_some() {
                let _ = self.watcher.unwatch(folder);
            }
        }
    }

    fn follow(&mut self, plan: &Plan) {
        let wanted: BTreeMap<PathBuf, RecursiveMode> = plan
            .recursive
            .iter()
            .map(|folder| (folder.clone(), RecursiveMode::Recursive))
            .chain(
                plan.flat
                    .iter()
                    .map(|folder| (folder.clone(), RecursiveMode::NonRecursive)),
            )
            .collect();
        let stale: Vec<PathBuf> = self
            .current
            .iter()
            .filter(|&(folder, mode)| wanted.get(folder) != Some(mode))
            .map(|(folder, _)| folder.clone())
            .collect();
        for folder in stale {
            self.current.remove(&folder);
            let _ = self.watcher.unwatch(&folder);
        }
        for (folder, mode) in wanted {
            if self.current.contains_key(&folder) {
                continue;
            }
            match self.watcher.watch(&folder, mode) {
                Ok(()) => {
                    self.current.insert(folder, mode);
                }
                // Gone: tried again after the next check.
                Err(e) if matches!(e.kind, notify::ErrorKind::PathNotFound) => {}
                Err(e) => {
                    if !self.quiet && self.reported.insert(folder.clone()) {
                        eprintln!("warning: cannot watch {}: {e}", folder.display());
                    }
                }
            }
        }
    }
}

/// How each check is shown.
struct Screen {
    /// stdout is a terminal: clear it before each check.
    terminal: bool,
    /// Not a terminal: a line between checks, for the formats people
    /// read (JSON documents follow each other as they are).
    separators: bool,
    quiet: bool,
}

impl Screen {
    fn new(args: &CheckArgs) -> Screen {
        Screen {
            terminal: std::io::stdout().is_terminal(),
            separators: matches!(args.format, Format::Human | Format::Short),
            quiet: args.common.quiet,
        }
    }

    /// Prints one check's result; fails when stdout is closed.
    fn show(
        &self,
        round: usize,
        changes: &Changes,
        shown: &Result<String, String>,
        root: &Path,
    ) -> std::io::Result<()> {
        let mut stdout = std::io::stdout().lock();
        if self.terminal {
            stdout.write_all(CLEAR_SCREEN.as_bytes())?;
        } else if self.separators && round > 0 {
            writeln!(
                stdout,
                "--- checked again after a change to {} ---",
                what_changed(changes, root)
            )?;
        }
        match shown {
            Ok(output) => stdout.write_all(output.as_bytes())?,
            Err(failure) => {
                stdout.flush()?;
                eprintln!("{}", failure.trim_end_matches('\n'));
            }
        }
        stdout.flush()?;
        if !self.quiet {
            eprintln!("watching for changes (Ctrl-C to stop)");
        }
        Ok(())
    }
}

/// `src/lib.rs`, or `src/lib.rs and 3 other paths`, relative to the root.
fn what_changed(changes: &Changes, root: &Path) -> String {
    let Some(first) = changes.paths.first() else {
        return "the workspace".to_string();
    };
    let shown = crate::location::display_path(first.strip_prefix(root).unwrap_or(first));
    match changes.paths.len() - 1 {
        0 => shown,
        1 => format!("{shown} and 1 other path"),
        more => format!("{shown} and {more} other paths"),
    }
}
