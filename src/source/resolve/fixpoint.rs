//! Finishes the tables: where each glob imports from, what each module
//! exports (to a fixed point), and what each import binds. After this,
//! resolving a reference only looks things up.

use super::exports::Exports;
use super::imports::{ImportRes, ImportState, Imports};
use super::paths::Resolver;
use super::scope::{GlobSource, GlobSources};
use super::tables::Tables;

/// A glob's path may go through a name that another glob brings
/// (`use super::*; use prelude::*;`), so glob paths are resolved in rounds,
/// each with the exports the previous ones found. Real code needs two or
/// three; a glob still unresolved after this many is skipped.
const MAX_GLOB_ROUNDS: usize = 32;

/// The finished name tables of a workspace.
pub struct Names {
    pub tables: Tables,
    pub globs: GlobSources,
    pub exports: Exports,
    pub imports: Vec<ImportRes>,
}

impl Names {
    pub fn build(tables: Tables) -> Names {
        let mut globs = GlobSources {
            by_module: vec![Vec::new(); tables.modules.len()],
        };
        let mut exports = Exports::new(&tables);
        let mut pending: Vec<usize> = (0..tables.globs.len()).collect();
        for _ in 0..MAX_GLOB_ROUNDS {
            let mut found = Vec::new();
            {
                let mut resolver = Resolver::new(&tables, &globs, &exports, fresh(&tables));
                pending.retain(|&glob| match resolver.glob_source(glob) {
                    Ok(source) => {
                        found.extend(source.map(|source| (glob, source)));
                        false
                    }
                    Err(()) => true,
                });
            }
            if found.is_empty() {
                break;
            }
            for (glob, source) in found {
                let decl = &tables.globs[glob];
                let entry = GlobSource {
                    module: source,
                    ancestor: tables.is_within(decl.module, source),
                };
                let sources = &mut globs.by_module[decl.module];
                if !sources.contains(&entry) {
                    sources.push(entry);
                }
                if decl.is_pub {
                    exports.add_glob(&tables, source, decl.module);
                }
            }
            if pending.is_empty() {
                break;
            }
        }
        let imports = Resolver::new(&tables, &globs, &exports, fresh(&tables)).finish_imports();
        Names {
            tables,
            globs,
            exports,
            imports,
        }
    }

    /// A resolver over the finished tables (one per thread).
    pub fn resolver(&self) -> Resolver<'_> {
        Resolver::new(
            &self.tables,
            &self.globs,
            &self.exports,
            Imports::Done(&self.imports),
        )
    }
}

fn fresh(tables: &Tables) -> Imports<'static> {
    Imports::Resolving(
        std::iter::repeat_with(|| ImportState::Todo)
            .take(tables.imports.len())
            .collect(),
    )
}
