//! What `check --watch` watches: the folders the checked code lives in
//! (never the target directory), and the policy, baseline and manifest
//! files wherever they are.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The folders and files whose changes call for a new check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub root: PathBuf,
    /// Never watched, and no event under it counts (the tool's own cache
    /// lives there).
    pub target_dir: PathBuf,
    /// Folders watched with everything below them: where sources live.
    pub recursive: BTreeSet<PathBuf>,
    /// Folders watched for their own entries only: where a policy,
    /// baseline or manifest lives, and a source folder that holds the
    /// target directory (its other subfolders are watched recursively).
    pub flat: BTreeSet<PathBuf>,
    /// Files whose change counts wherever they are: module files, the
    /// policy, the baseline.
    pub files: BTreeSet<PathBuf>,
    /// Manifests: a change reads the workspace again.
    pub manifests: BTreeSet<PathBuf>,
}

/// Collects what one run read, then turns it into a [`Plan`].
#[derive(Debug, Default)]
pub struct PlanBuilder {
    root: PathBuf,
    target_dir: PathBuf,
    source_folders: BTreeSet<PathBuf>,
    files: BTreeSet<PathBuf>,
    config_files: BTreeSet<PathBuf>,
    manifests: BTreeSet<PathBuf>,
}

impl PlanBuilder {
    pub fn new(root: &Path, target_dir: &Path) -> PlanBuilder {
        PlanBuilder {
            root: root.to_path_buf(),
            // Compared with event paths, which start with the canonical
            // folders we watch.
            target_dir: std::fs::canonicalize(target_dir).unwrap_or_else(|_| target_dir.into()),
            ..PlanBuilder::default()
        }
    }

    /// A folder whose files (and subfolders) are sources.
    pub fn source_folder(&mut self, folder: &Path) -> &mut Self {
        self.source_folders.insert(folder.to_path_buf());
        self
    }

    /// A source file: itself, and the folder it lives in.
    pub fn source_file(&mut self, file: &Path) -> &mut Self {
        if let Some(folder) = file.parent() {
            self.source_folders.insert(folder.to_path_buf());
        }
        self.files.insert(file.to_path_buf());
        self
    }

    /// A policy or baseline file, which may not exist yet (`--policy` may
    /// name one outside the root).
    pub fn config_file(&mut self, file: &Path) -> &mut Self {
        self.config_files.insert(file.to_path_buf());
        self
    }

    pub fn manifest(&mut self, file: &Path) -> &mut Self {
        self.manifests.insert(file.to_path_buf());
        self
    }

    /// Everything the last plan knew that this run did not say again
    /// (a run that failed part way knows less than the one before it).
    pub fn keep(&mut self, previous: &Plan) -> &mut Self {
        self.source_folders
            .extend(previous.recursive.iter().cloned());
        // Already filtered when that plan was built.
        self.config_files.extend(previous.files.iter().cloned());
        self.manifests.extend(previous.manifests.iter().cloned());
        self
    }

    /// The plan: nothing outside the root or inside the target directory,
    /// no folder watched twice. Reads the folders that hold the target
    /// directory, to watch their other subfolders.
    pub fn build(&self) -> Plan {
        let inside = |path: &PathBuf| path.starts_with(&self.root) && !self.excluded(path);
        let wanted: BTreeSet<&PathBuf> = self
            .source_folders
            .iter()
            .filter(|folder| inside(folder))
            .collect();
        let mut plan = Plan {
            root: self.root.clone(),
            target_dir: self.target_dir.clone(),
            files: (self.files.iter().filter(|f| inside(f)))
                .chain(self.config_files.iter().filter(|f| !self.excluded(f)))
                .cloned()
                .collect(),
            manifests: self
                .manifests
                .iter()
                .filter(|f| inside(f))
                .cloned()
                .collect(),
            ..Plan::default()
        };
        // Sorted, so a folder comes before the folders below it.
        for folder in wanted {
            if !plan.covers(folder) {
                self.add_folder(folder, &mut plan);
            }
        }
        for file in plan.files.iter().chain(&plan.manifests) {
            if let Some(folder) = file.parent() {
                if !plan.covers(folder) {
                    plan.flat.insert(folder.to_path_buf());
                }
            }
        }
        plan.flat.retain(|folder| !plan.recursive.contains(folder));
        plan
    }

    /// Watches `folder` recursively, unless the target directory or the
    /// root's hidden folders (`.git`) lie below it: then the folder itself
    /// flat, and each other subfolder the same way.
    fn add_folder(&self, folder: &Path, plan: &mut Plan) {
        let holds_excluded = self.target_dir.starts_with(folder) || folder == self.root;
        if !holds_excluded {
            plan.recursive.insert(folder.to_path_buf());
            return;
        }
        plan.flat.insert(folder.to_path_buf());
        let Ok(entries) = std::fs::read_dir(folder) else {
            return;
        };
        let mut subfolders: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| e.path())
            .filter(|path| !self.excluded(path))
            .collect();
        subfolders.sort();
        for subfolder in subfolders {
            self.add_folder(&subfolder, plan);
        }
    }

    fn excluded(&self, path: &Path) -> bool {
        path.starts_with(&self.target_dir)
    }
}

impl Plan {
    /// Whether `path` lies in a recursively watched folder.
    pub fn covers(&self, path: &Path) -> bool {
        self.recursive.iter().any(|folder| path.starts_with(folder))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folders(plan: &BTreeSet<PathBuf>, root: &Path) -> Vec<String> {
        plan.iter()
            .map(|p| {
                let relative = p.strip_prefix(root).unwrap().display().to_string();
                if relative.is_empty() {
                    ".".to_string()
                } else {
                    relative
                }
            })
            .collect()
    }

    #[test]
    fn nested_source_folders_are_watched_once() {
        let root = Path::new("/ws");
        let plan = PlanBuilder::new(root, Path::new("/ws/target"))
            .source_folder(Path::new("/ws/a/src"))
            .source_file(Path::new("/ws/a/src/x/y.rs"))
            .source_file(Path::new("/ws/b/src/lib.rs"))
            .manifest(Path::new("/ws/a/Cargo.toml"))
            .config_file(Path::new("/ws/boundaries.toml"))
            .build();
        assert_eq!(folders(&plan.recursive, root), ["a/src", "b/src"]);
        assert_eq!(folders(&plan.flat, root), [".", "a"]);
    }

    #[test]
    fn nothing_outside_the_root_or_inside_the_target_dir() {
        let root = Path::new("/ws");
        let plan = PlanBuilder::new(root, Path::new("/ws/target"))
            .source_file(Path::new("/elsewhere/src/lib.rs"))
            .source_file(Path::new("/ws/target/debug/build/out.rs"))
            .config_file(Path::new("/elsewhere/boundaries.toml"))
            .build();
        assert!(plan.recursive.is_empty());
        // `--policy` may name a file anywhere: it is read, so watched.
        assert_eq!(folders(&plan.flat, Path::new("/")), ["elsewhere"]);
        assert_eq!(plan.files.len(), 1);
    }

    #[test]
    fn a_source_folder_holding_the_target_dir_is_split() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for folder in ["target/debug", "sub/deep", ".git/objects", "other"] {
            std::fs::create_dir_all(root.join(folder)).unwrap();
        }
        std::fs::write(root.join("lib.rs"), "").unwrap();
        let plan = PlanBuilder::new(&root, &root.join("target"))
            .source_file(&root.join("lib.rs"))
            .build();
        assert_eq!(folders(&plan.recursive, &root), ["other", "sub"]);
        assert_eq!(folders(&plan.flat, &root), ["."]);
        assert!(!plan.covers(&root.join("target/debug/x.rs")));
        assert!(plan.covers(&root.join("sub/deep/x.rs")));
    }
}
