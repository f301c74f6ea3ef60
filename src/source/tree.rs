//! Module tree discovery: from each crate's root file, follow `mod`
//! declarations to files (mod.rs and non-mod-rs layouts, `#[path]`, inline
//! modules with file children), parsing each level's files in parallel.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::code::{ModDecl, ModuleCode};
use super::extract::{module_code, ExtractOptions};
use super::ModuleId;
use crate::location::{display_path, LineIndex, Location};
use crate::warning::{Warning, WarningCode};
use crate::workspace::{CrateKind, Workspace};

/// A source file's text, shared by the modules it holds.
#[derive(Debug)]
pub struct SourceFile {
    /// Relative to the workspace root, `/`-separated.
    pub relative: Arc<str>,
    pub text: String,
}

impl SourceFile {
    pub fn location(&self, bytes: std::ops::Range<usize>) -> Location {
        LineIndex::new(&self.text).location(self.relative.clone(), bytes)
    }
}

#[derive(Debug)]
pub struct TreeModule {
    pub segments: Vec<String>,
    pub crate_index: usize,
    pub parent: Option<ModuleId>,
    pub children: BTreeMap<String, ModuleId>,
    /// Children declared `pub` (or `pub(..)`), visible to glob imports.
    pub public_children: BTreeSet<String>,
    pub source: Arc<SourceFile>,
    pub code: ModuleCode,
    /// Further files of this module: a module declared twice under opposite
    /// cfgs with different files (`#[cfg(unix)] #[path = "unix.rs"] mod imp;`
    /// and the windows one) is one module made of both. Each part keeps its
    /// references with its own file.
    pub parts: Vec<(Arc<SourceFile>, Vec<super::code::RawRef>)>,
}

#[derive(Debug)]
pub struct Tree {
    pub modules: Vec<TreeModule>,
    /// Root module of each crate, by index into `Workspace::crates`.
    pub crate_roots: BTreeMap<usize, ModuleId>,
    pub warnings: Vec<Warning>,
    pub suppressions: Vec<super::Suppression>,
    pub files: usize,
    /// The file each file module was found in, by (parent, name), to tell a
    /// second declaration of the same file from one of another file.
    located: BTreeMap<(ModuleId, String), Vec<PathBuf>>,
}

/// Stands in a parent's children for a file module not parsed yet.
const PENDING: ModuleId = ModuleId::MAX;

/// A file waiting to be parsed, and where its module goes in the tree.
struct Pending {
    file: PathBuf,
    segments: Vec<String>,
    crate_index: usize,
    parent: Option<ModuleId>,
    /// The file is another part of a module already in the tree.
    part: bool,
}

/// Whether a file's `mod x;` children live beside it (`lib.rs`, `mod.rs`,
/// `#[path]` files) or in a folder named after it (`a.rs` → `a/x.rs`).
fn child_dir(file: &Path, owns_dir: bool) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
    if owns_dir {
        dir
    } else {
        dir.join(file.file_stem().unwrap_or_default())
    }
}

pub fn discover(workspace: &Workspace, options: ExtractOptions) -> Tree {
    let mut tree = Tree {
        modules: Vec::new(),
        crate_roots: BTreeMap::new(),
        warnings: Vec::new(),
        suppressions: Vec::new(),
        files: 0,
        located: BTreeMap::new(),
    };
    let mut pending: Vec<(Pending, bool)> = workspace
        .crates
        .iter()
        .enumerate()
        .filter(|(_, c)| options.include_tests || c.kind != CrateKind::TestLike)
        .map(|(i, c)| {
            (
                Pending {
                    file: c.root_file.clone(),
                    segments: vec![c.name.clone()],
                    crate_index: i,
                    parent: None,
                    part: false,
                },
                true,
            )
        })
        .collect();

    while !pending.is_empty() {
        let parsed: Vec<(ParsedFile, bool)> = pending
            .par_iter()
            .map(|(p, owns_dir)| (parse_file(workspace, &p.file, options), *owns_dir))
            .collect();
        let mut next = Vec::new();
        for ((pending, _), (parsed, owns_dir)) in pending.into_iter().zip(parsed) {
            tree.files += 1;
            tree.warnings.extend(parsed.warning);
            tree.suppressions.extend(parsed.suppressions);
            let source = Arc::new(parsed.source);
            let id = tree.modules.len();
            if pending.parent.is_none() {
                tree.crate_roots.insert(pending.crate_index, id);
            }
            let dir = child_dir(&pending.file, owns_dir);
            let file_dir = pending.file.parent().unwrap_or(Path::new("")).to_path_buf();
            if let (true, Some(parent)) = (pending.part, pending.parent) {
                let name = pending.segments.last().cloned().unwrap_or_default();
                let Some(&module) = tree.modules[parent]
                    .children
                    .get(&name)
                    .filter(|&&id| id != PENDING)
                else {
                    continue;
                };
                let mut discovery = Discovery {
                    workspace,
                    tree: &mut tree,
                    next: &mut next,
                };
                discovery.add_part(module, &source, parsed.code, &dir, &file_dir);
                continue;
            }
            if let Some(parent) = pending.parent {
                let name = pending.segments.last().cloned().unwrap_or_default();
                tree.modules[parent].children.insert(name, id);
            }
            let mut discovery = Discovery {
                workspace,
                tree: &mut tree,
                next: &mut next,
            };
            discovery.add_module(
                pending.segments,
                pending.crate_index,
                pending.parent,
                &source,
                parsed.code,
                &dir,
                Some(&file_dir),
            );
        }
        pending = next;
    }
    tree
}

struct Discovery<'a> {
    workspace: &'a Workspace,
    tree: &'a mut Tree,
    next: &'a mut Vec<(Pending, bool)>,
}

impl Discovery<'_> {
    /// Adds a module and its inline children; queues its file children.
    /// `dir` is where `mod x;` looks for `x.rs`; `file_dir`, set for a file's
    /// top-level code only, is what `#[path]` is relative to there.
    #[allow(clippy::too_many_arguments)]
    fn add_module(
        &mut self,
        segments: Vec<String>,
        crate_index: usize,
        parent: Option<ModuleId>,
        source: &Arc<SourceFile>,
        mut code: ModuleCode,
        dir: &Path,
        file_dir: Option<&Path>,
    ) -> ModuleId {
        let id = self.tree.modules.len();
        let children = std::mem::take(&mut code.children);
        self.tree.modules.push(TreeModule {
            segments: segments.clone(),
            crate_index,
            parent,
            children: BTreeMap::new(),
            public_children: BTreeSet::new(),
            source: source.clone(),
            code,
            parts: Vec::new(),
        });
        for decl in children {
            self.add_child(id, &segments, crate_index, source, decl, dir, file_dir);
        }
        id
    }

    /// Adds another file's code to `module`: its declarations and imports
    /// join the module's, its references stay with their file, and its
    /// `mod x;` children are found relative to it.
    fn add_part(
        &mut self,
        module: ModuleId,
        source: &Arc<SourceFile>,
        mut code: ModuleCode,
        dir: &Path,
        file_dir: &Path,
    ) {
        let children = std::mem::take(&mut code.children);
        let refs = std::mem::take(&mut code.refs);
        let target = &mut self.tree.modules[module];
        target.code.merge(code);
        target.parts.push((source.clone(), refs));
        let (segments, crate_index) = (target.segments.clone(), target.crate_index);
        for decl in children {
            self.add_child(
                module,
                &segments,
                crate_index,
                source,
                decl,
                dir,
                Some(file_dir),
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn add_child(
        &mut self,
        parent: ModuleId,
        parent_segments: &[String],
        crate_index: usize,
        source: &Arc<SourceFile>,
        decl: ModDecl,
        dir: &Path,
        file_dir: Option<&Path>,
    ) {
        let mut segments = parent_segments.to_vec();
        segments.push(decl.name.clone());
        if decl.is_pub {
            self.tree.modules[parent]
                .public_children
                .insert(decl.name.clone());
        }
        let existing = self.tree.modules[parent].children.get(&decl.name).copied();
        if let (Some(existing), Some(_)) = (existing, &decl.inline) {
            // Declared twice under opposite cfgs: one module.
            if existing != PENDING {
                if let Some(code) = decl.inline {
                    self.tree.modules[existing].code.merge(code);
                }
            }
            return;
        }
        match decl.inline {
            Some(code) => {
                let child_dir = dir.join(decl.path_attr.as_deref().unwrap_or(&decl.name));
                let id = self.add_module(
                    segments,
                    crate_index,
                    Some(parent),
                    source,
                    code,
                    &child_dir,
                    None,
                );
                self.tree.modules[parent].children.insert(decl.name, id);
            }
            None => {
                // `#[path]` alone, or the `#[cfg_attr(.., path)]` files
                // (all cfgs at once: the first that exists) before the
                // default places.
                let attributed: Vec<PathBuf> = decl
                    .path_attr
                    .iter()
                    .chain(&decl.cfg_paths)
                    .map(|path| file_dir.unwrap_or(dir).join(path))
                    .collect();
                let mut candidates = attributed.clone();
                if decl.path_attr.is_none() {
                    candidates.push(dir.join(format!("{}.rs", decl.name)));
                    candidates.push(dir.join(&decl.name).join("mod.rs"));
                }
                let Some((file, index)) = self.locate(&candidates, source, &decl) else {
                    return;
                };
                let owns_dir =
                    index < attributed.len() || file.file_name().is_some_and(|n| n == "mod.rs");
                let seen = self
                    .tree
                    .located
                    .entry((parent, decl.name.clone()))
                    .or_default();
                if seen.contains(&file) {
                    // The same file declared again: read once.
                    return;
                }
                seen.push(file.clone());
                // A module already declared (here with another file, or
                // inline) gets this file as a further part.
                let part = existing.is_some();
                if !part {
                    // The child's id is known once its file is parsed;
                    // record the name now so a second declaration is
                    // recognised.
                    self.tree.modules[parent]
                        .children
                        .insert(decl.name, PENDING);
                }
                self.next.push((
                    Pending {
                        file,
                        segments,
                        crate_index,
                        parent: Some(parent),
                        part,
                    },
                    owns_dir,
                ));
            }
        }
    }

    /// The first candidate file that exists inside the workspace, or a
    /// warning saying why there is none.
    fn locate(
        &mut self,
        candidates: &[PathBuf],
        source: &SourceFile,
        decl: &ModDecl,
    ) -> Option<(PathBuf, usize)> {
        let location = source.location(decl.name_bytes.clone());
        for (index, candidate) in candidates.iter().enumerate() {
            let Ok(canonical) = candidate.canonicalize() else {
                continue;
            };
            if !canonical.starts_with(&self.workspace.root) {
                self.tree.warnings.push(Warning {
                    location: Some(location),
                    code: WarningCode::OutsideWorkspace,
                    message: format!(
                        "module `{}` points outside the workspace root ({}); it is not read",
                        decl.name,
                        candidate.display()
                    ),
                });
                return None;
            }
            if canonical.starts_with(&self.workspace.target_dir) || !canonical.is_file() {
                continue;
            }
            return Some((canonical, index));
        }
        let looked: Vec<String> = candidates
            .iter()
            .map(|c| display_path(self.workspace.relative(c).unwrap_or(c)))
            .collect();
        self.tree.warnings.push(Warning {
            location: Some(location),
            code: WarningCode::MissingModuleFile,
            message: format!(
                "file not found for module `{}`: looked for {}",
                decl.name,
                looked.join(" and ")
            ),
        });
        None
    }
}

struct ParsedFile {
    source: SourceFile,
    code: ModuleCode,
    warning: Option<Warning>,
    suppressions: Vec<super::Suppression>,
}

/// Reads and parses one file on the current thread, and copies out its code.
fn parse_file(workspace: &Workspace, file: &Path, options: ExtractOptions) -> ParsedFile {
    let relative: Arc<str> = display_path(workspace.relative(file).unwrap_or(file)).into();
    let text = match std::fs::read_to_string(file) {
        Ok(text) => normalise(text),
        Err(err) => {
            return ParsedFile {
                source: SourceFile {
                    relative: relative.clone(),
                    text: String::new(),
                },
                code: ModuleCode::default(),
                suppressions: Vec::new(),
                warning: Some(Warning {
                    location: None,
                    code: WarningCode::ParseError,
                    message: format!("cannot read {relative}: {err}"),
                }),
            };
        }
    };
    let (code, warning) = match syn::parse_str::<syn::File>(&text) {
        Ok(ast) => (module_code(&ast.items, options), None),
        Err(err) => {
            let bytes = err.span().byte_range();
            let location = LineIndex::new(&text).location(relative.clone(), bytes);
            (
                ModuleCode::default(),
                Some(Warning {
                    location: Some(location),
                    code: WarningCode::ParseError,
                    message: format!(
                        "cannot parse {relative}: {err}; its references are not checked"
                    ),
                }),
            )
        }
    };
    // Spans are plain numbers from here on; free this thread's source map.
    proc_macro2::extra::invalidate_current_thread_spans();
    // Suppressions inside test code that is not read would look unused.
    let skipped = code.all_skipped();
    let suppressions = super::suppressions::scan(&relative, &text)
        .into_iter()
        .filter(|s| !skipped.iter().any(|r| r.contains(&s.location.byte_start)))
        .collect();
    ParsedFile {
        suppressions,
        source: SourceFile { relative, text },
        code,
        warning,
    }
}

/// Drops a byte-order mark and blanks a shebang line, keeping every other
/// byte where it was so spans index the text directly.
fn normalise(mut text: String) -> String {
    if let Some(stripped) = text.strip_prefix('\u{feff}') {
        text = stripped.to_string();
    }
    if text.starts_with("#!") && !text[2..].trim_start().starts_with('[') {
        let end = text.find('\n').unwrap_or(text.len());
        text.replace_range(..end, &" ".repeat(end));
    }
    text
}
