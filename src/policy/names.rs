//! Crates as users write them. A policy names a crate the way Rust code
//! does (`cargo_util`), but users also write the package (`cargo-util`),
//! which means the same crate: `-` cannot occur in a Rust path, so the
//! package spelling is never ambiguous. The names a dependency is renamed
//! to in a `Cargo.toml` are not the crate's name in a policy, but a user
//! who writes one is told which crate it stands for.

use std::collections::BTreeMap;

use crate::workspace::{rust_name, CrateKind, Workspace};

#[derive(Debug, Clone, Default)]
pub struct CrateNames {
    /// Package spellings that are not simply the crate name with `_` for
    /// `-`: a member package whose library (or only binary) has a name of
    /// its own → that crate.
    packages: BTreeMap<String, String>,
    /// Every package spelling of the workspace's members and dependencies
    /// → its crate, for suggestions.
    spellings: BTreeMap<String, String>,
    /// The names code uses for renamed dependencies → the crate
    /// (`lsp_types` → `gen_lsp_types`).
    renames: BTreeMap<String, String>,
}

impl CrateNames {
    pub fn of(workspace: &Workspace) -> CrateNames {
        let mut names = CrateNames::default();
        let is_crate = |name: &str| workspace.known_crates.contains(name);
        let mut packages: BTreeMap<&str, Vec<&crate::workspace::Crate>> = BTreeMap::new();
        for krate in &workspace.crates {
            packages.entry(&krate.package).or_default().push(krate);
        }
        for (package, crates) in packages {
            let lib = crates.iter().find(|c| c.kind == CrateKind::Lib);
            let bins: Vec<_> = crates.iter().filter(|c| c.kind == CrateKind::Bin).collect();
            let Some(target) = lib.or(match bins.as_slice() {
                [only] => Some(*only),
                _ => None,
            }) else {
                continue;
            };
            names
                .spellings
                .insert(package.to_string(), target.name.clone());
            // A package spelled without `-` could be another crate's name:
            // then the crate name wins.
            if rust_name(package) != target.name && (package.contains('-') || !is_crate(package)) {
                names
                    .packages
                    .insert(package.to_string(), target.name.clone());
            }
        }
        for krate in &workspace.crates {
            for (alias, target) in krate.externs.iter().chain(&krate.dev_externs) {
                if alias != target && !is_crate(alias) {
                    names.renames.insert(alias.clone(), target.clone());
                }
            }
        }
        for known in &workspace.known_crates {
            if known.contains('_') {
                names
                    .spellings
                    .entry(known.replace('_', "-"))
                    .or_insert_with(|| known.clone());
            }
        }
        names
    }

    /// The crate name a first segment means: a package spelling becomes
    /// its crate's name; anything else is kept.
    pub fn crate_name(&self, segment: &str) -> String {
        match self.packages.get(segment) {
            Some(name) => name.clone(),
            None if segment.contains('-') => rust_name(segment),
            None => segment.to_string(),
        }
    }

    /// A name or pattern as the user wrote it (`cargo-util::ops`,
    /// `!grep-cli`) in its canonical form (`cargo_util::ops`,
    /// `!grep_cli`): its first segment spelled as the crate's name.
    pub fn canonical(&self, text: &str) -> String {
        let (bang, body) = match text.strip_prefix('!') {
            Some(rest) => ("!", rest),
            None => ("", text),
        };
        let (first, rest) = match body.find("::") {
            Some(at) => body.split_at(at),
            None => (body, ""),
        };
        format!("{bang}{}{rest}", self.crate_name(first))
    }

    /// The crate a renamed dependency's code name stands for.
    pub fn renamed(&self, name: &str) -> Option<&str> {
        self.renames.get(name).map(String::as_str)
    }

    /// Every other spelling a user may write, each with the crate it means:
    /// package spellings and rename names, for "did you mean".
    pub fn spellings(&self) -> impl Iterator<Item = (&str, &str)> {
        self.spellings
            .iter()
            .chain(&self.renames)
            .map(|(spelling, name)| (spelling.as_str(), name.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> CrateNames {
        CrateNames {
            packages: [("tree-sitter-x".to_string(), "ts_x".to_string())].into(),
            spellings: BTreeMap::new(),
            renames: [("lsp_types".to_string(), "gen_lsp_types".to_string())].into(),
        }
    }

    #[test]
    fn package_spellings_become_crate_names() {
        let names = names();
        assert_eq!(names.canonical("cargo-util"), "cargo_util");
        assert_eq!(
            names.canonical("grep-cli::args::Foo"),
            "grep_cli::args::Foo"
        );
        assert_eq!(names.canonical("!tree-sitter-x::**"), "!ts_x::**");
        assert_eq!(names.canonical("shop::a-b"), "shop::a-b");
        assert_eq!(names.canonical("bevy-*"), "bevy_*");
        assert_eq!(names.canonical("lsp_types"), "lsp_types");
        assert_eq!(names.renamed("lsp_types"), Some("gen_lsp_types"));
    }
}
