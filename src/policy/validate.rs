//! Phase two of reading a policy: checks its patterns against the workspace,
//! so a typo never makes a rule pass silently.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use super::error::PolicyErrorCode as Code;
use super::index::{NameId, NodeId, PathIndex, PathKind, Trail};
use super::pattern::{segments, Pattern};
use super::{PatternList, Policy, PolicyError, Suggestion};

/// Everything a pattern may name, indexed by segments so that each pattern
/// is matched once against all of it.
#[derive(Debug, Default)]
pub struct Universe {
    /// Every module path of the workspace, sorted.
    modules: Vec<String>,
    /// The index node of each of `modules`.
    module_nodes: Vec<NodeId>,
    /// Every item path (`shop::accounts::storage::Db`).
    items: ItemPaths,
    workspace_crates: BTreeSet<String>,
    /// Crates outside the workspace: declared dependencies and builtins.
    external_crates: BTreeSet<String>,
    index: PathIndex,
}

impl Universe {
    /// The universe of `modules` (their paths), the items each module of
    /// `items` declares (its path and their names) and the crates.
    pub fn new<'a>(
        modules: impl IntoIterator<Item = String>,
        items: impl IntoIterator<Item = (&'a str, impl IntoIterator<Item = &'a str>)>,
        workspace_crates: BTreeSet<String>,
        external_crates: BTreeSet<String>,
    ) -> Universe {
        let modules: Vec<String> = modules
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut index = PathIndex::default();
        // Sorted modules and items grouped by module share their prefixes.
        let mut trail = Trail::default();
        let module_nodes = modules
            .iter()
            .map(|path| index.insert_next(&mut trail, segments(path), Some(PathKind::Module)))
            .collect();
        // Each item name is numbered once (by the index too): a workspace
        // has hundreds of thousands of items and a few thousand names.
        let mut item_paths = ItemPaths::default();
        let mut name_ids: FxHashMap<&str, u32> = FxHashMap::default();
        let mut index_names: Vec<NameId> = Vec::new();
        for (module, names) in items {
            let mut names = names.into_iter().peekable();
            if names.peek().is_none() {
                continue;
            }
            let module_index = item_paths.modules.len() as u32;
            item_paths.modules.push(module.into());
            let parent = index.insert_next(&mut trail, segments(module), None);
            for name in names {
                let name_index = *name_ids.entry(name).or_insert_with(|| {
                    item_paths.names.push(name.into());
                    index_names.push(index.name_id(name));
                    item_paths.names.len() as u32 - 1
                });
                item_paths.items.push((module_index, name_index));
                let name = index_names[name_index as usize];
                index.insert_child(parent, name, Some(PathKind::Item));
            }
        }
        for name in &external_crates {
            index.insert_next(&mut trail, segments(name), Some(PathKind::ExternalCrate));
        }
        Universe {
            modules,
            module_nodes,
            items: item_paths,
            workspace_crates,
            external_crates,
            index,
        }
    }

    /// Whether `pattern` matches something that exists.
    pub fn matches_something(&self, pattern: &Pattern) -> bool {
        match pattern.first_name() {
            Some(name)
                if self.external_crates.contains(name) && !self.workspace_crates.contains(name) =>
            {
                true
            }
            Some(name) if !self.workspace_crates.contains(name) => false,
            _ => self.index.matches_any(
                pattern,
                &[PathKind::Module, PathKind::Item, PathKind::ExternalCrate],
            ),
        }
    }

    /// Every path a pattern may name, for a "did you mean": written out
    /// only when a pattern matches nothing.
    fn candidates(&self) -> Vec<String> {
        (self.modules.iter().cloned())
            .chain(self.items.paths())
            .chain(self.external_crates.iter().cloned())
            .collect()
    }

    /// The modules `list` matches exactly (not what lies below them): its
    /// members, in name order.
    pub fn members(&self, list: &PatternList) -> Members<'_> {
        let decision = self.index.decide(list);
        let (names, nodes) = self
            .modules
            .iter()
            .zip(&self.module_nodes)
            .filter(|(_, &node)| decision.matches(node))
            .map(|(name, &node)| (name.as_str(), node))
            .unzip();
        Members {
            universe: self,
            names,
            nodes,
        }
    }
}

/// Item paths, each kept as its module's path and its name, both shared:
/// a big workspace has hundreds of thousands of items, and their paths
/// are written out only for a "did you mean".
#[derive(Debug, Default)]
struct ItemPaths {
    /// The paths of the modules with items.
    modules: Vec<Box<str>>,
    /// Every name an item has.
    names: Vec<Box<str>>,
    /// Each item: its module's and its name's index, in the order given.
    items: Vec<(u32, u32)>,
}

impl ItemPaths {
    /// Each item's path, in the order given.
    fn paths(&self) -> impl Iterator<Item = String> + '_ {
        (self.items.iter()).map(|&(module, name)| {
            format!(
                "{}::{}",
                self.modules[module as usize], self.names[name as usize]
            )
        })
    }
}

/// The members of a pattern list in a [`Universe`].
pub struct Members<'u> {
    universe: &'u Universe,
    names: Vec<&'u str>,
    nodes: Vec<NodeId>,
}

impl<'u> Members<'u> {
    /// The members' paths, in name order.
    pub fn names(&self) -> &[&'u str] {
        &self.names
    }

    /// The first member (in name order) that `pattern` matches and that
    /// lies inside another member, with the outermost such member.
    pub fn nested(&self, pattern: &Pattern) -> Option<(&'u str, &'u str)> {
        let index = &self.universe.index;
        let mut matched = vec![false; index.len()];
        for node in index.matches(pattern) {
            matched[node.index()] = true;
        }
        let position: std::collections::HashMap<NodeId, usize> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, &n)| (n, i))
            .collect();
        self.nodes.iter().enumerate().find_map(|(inner, &node)| {
            if !matched[node.index()] {
                return None;
            }
            // The outermost: walking up, the last member met.
            let mut outer = None;
            let mut at = index.parent(node);
            while let Some(ancestor) = at {
                outer = position.get(&ancestor).copied().or(outer);
                at = index.parent(ancestor);
            }
            Some((self.names[inner], self.names[outer?]))
        })
    }

    /// Whether, below some member, a path of one of `kinds` matches
    /// `pattern` relative to that member (`api` below `shop::billing` is
    /// `shop::billing::api`).
    pub fn any_below(&self, pattern: &Pattern, kinds: &[PathKind]) -> bool {
        self.universe
            .index
            .matches_below(&self.nodes, pattern, kinds)
    }
}

/// Checks every pattern of the policy (and of its rules, as `patterns`
/// gives them) against the workspace.
pub fn validate<'a>(
    policy: &'a Policy,
    patterns: impl IntoIterator<Item = &'a Pattern>,
    universe: &Universe,
) -> Vec<PolicyError> {
    let mut errors = Vec::new();
    let crate_names: BTreeSet<&str> = universe
        .workspace_crates
        .iter()
        .chain(&universe.external_crates)
        .map(String::as_str)
        .collect();
    for name in policy.components.keys() {
        if crate_names.contains(name.as_str()) {
            let span = component_span(policy, name);
            errors.push(
                PolicyError::new(
                    Code::ComponentIsCrate,
                    span,
                    format!("component `{name}` has the name of a crate"),
                    "rename this component",
                )
                .with_help(Some(format!(
                    "`{name}` in a pattern would be ambiguous: the crate or the component"
                ))),
            );
        }
    }
    let component_patterns = policy.components.values().flatten().map(|(_, p)| p);
    let mut seen = BTreeSet::new();
    // Written out once, on the first pattern that matches nothing: every
    // item's path, hundreds of thousands at scale.
    let mut candidates: Option<Vec<String>> = None;
    for pattern in component_patterns.chain(patterns) {
        if !seen.insert((pattern.span.start, pattern.text.clone())) {
            continue;
        }
        if universe.matches_something(pattern) {
            continue;
        }
        let error = match pattern.bare_name() {
            Some(name) => {
                let error = PolicyError::new(
                    Code::UnknownName,
                    pattern.span.clone(),
                    format!("unknown component or crate `{}`", pattern.text),
                    "matches nothing",
                );
                let (help, meant) = match policy.names.renamed(name) {
                    Some(package) => (
                        format!(
                            "`{name}` is what a `Cargo.toml` renames `{package}` to; \
                             a policy names a dependency by its package: did you mean `{package}`?"
                        ),
                        package.to_string(),
                    ),
                    None => match suggest_name(&pattern.text, policy, &crate_names) {
                        Some(suggested) => suggested,
                        None => {
                            errors.push(error);
                            continue;
                        }
                    },
                };
                let mut error = error.with_help(Some(help));
                error.suggestion = Some(Box::new(Suggestion {
                    written: pattern.text.clone(),
                    meant,
                }));
                error
            }
            None => {
                let error = PolicyError::new(
                    Code::MatchesNothing,
                    pattern.span.clone(),
                    format!(
                        "pattern `{}` matches nothing in the workspace",
                        pattern.text
                    ),
                    "matches nothing",
                );
                let renamed = pattern
                    .first_name()
                    .and_then(|first| Some((first, policy.names.renamed(first)?)));
                match renamed {
                    Some((first, package)) => error.with_help(Some(format!(
                        "`{first}` is what a `Cargo.toml` renames `{package}` to; \
                         a policy names a dependency by its package: write `{package}`"
                    ))),
                    None => {
                        let candidates = candidates.get_or_insert_with(|| universe.candidates());
                        error.suggest(&pattern.text, candidates.iter().map(String::as_str))
                    }
                }
            }
        };
        errors.push(error);
    }
    errors
}

/// "did you mean" for a bare name, across component names, crate names,
/// package spellings and rename names; a spelling is shown with the crate it
/// stands for.
/// "did you mean" for a bare name, and the name it suggests.
fn suggest_name(
    name: &str,
    policy: &Policy,
    crate_names: &BTreeSet<&str>,
) -> Option<(String, String)> {
    let spellings: Vec<(&str, &str)> = policy.names.spellings().collect();
    let candidates = policy
        .components
        .keys()
        .map(String::as_str)
        .chain(crate_names.iter().copied())
        .chain(spellings.iter().map(|(spelling, _)| *spelling));
    let closest = crate::suggest::closest(name, candidates)?;
    let means = spellings
        .iter()
        .find(|(spelling, crate_name)| *spelling == closest && crate_name != spelling)
        .map(|(_, crate_name)| *crate_name);
    let help = match means {
        Some(crate_name) if crate_name != name => {
            format!("did you mean `{closest}` (the crate `{crate_name}`)?")
        }
        _ => format!("did you mean `{closest}`?"),
    };
    Some((help, closest))
}

fn component_span(policy: &Policy, name: &str) -> std::ops::Range<usize> {
    policy.components[name]
        .first()
        .map(|(_, p)| p.span.clone())
        .unwrap_or(0..0)
}

#[cfg(test)]
mod tests {
    //! The index answers as scanning every path with every pattern did.

    use proptest::prelude::*;

    use super::*;
    use crate::policy::pattern::{split, Segment};

    /// No module declares an item.
    const NO_ITEMS: [(&str, [&str; 0]); 0] = [];

    fn name() -> impl Strategy<Value = String> {
        prop::sample::select(vec!["a", "b", "ab", "x"]).prop_map(String::from)
    }

    fn path() -> impl Strategy<Value = String> {
        prop::collection::vec(name(), 1..5).prop_map(|segments| segments.join("::"))
    }

    fn universe() -> impl Strategy<Value = Universe> {
        (
            prop::collection::vec(path(), 1..24),
            prop::collection::vec((path(), prop::collection::vec(name(), 0..3)), 0..4),
            prop::collection::btree_set(name(), 0..3),
            prop::collection::btree_set(name(), 0..3),
        )
            .prop_map(|(modules, items, workspace, external)| {
                let items = (items.iter())
                    .map(|(module, names)| (module.as_str(), names.iter().map(String::as_str)));
                Universe::new(modules, items, workspace, external)
            })
    }

    fn pattern() -> impl Strategy<Value = Pattern> {
        let segment = prop::sample::select(vec!["a", "b", "*", "**", "a*", "*b", "x"]);
        prop::collection::vec(segment, 1..4)
            .prop_map(|segments| Pattern::parse(&segments.join("::"), 0..0).unwrap())
    }

    fn list() -> impl Strategy<Value = PatternList> {
        (
            prop::collection::vec(pattern(), 1..3),
            prop::collection::vec(pattern(), 0..2),
        )
            .prop_map(|(include, exclude)| PatternList {
                include,
                exclude,
                ..PatternList::default()
            })
    }

    /// What validation did before the index: every path, every pattern.
    fn scanned_matches_something(universe: &Universe, pattern: &Pattern) -> bool {
        match pattern.first_name() {
            Some(name)
                if universe.external_crates.contains(name)
                    && !universe.workspace_crates.contains(name) =>
            {
                true
            }
            Some(name) if !universe.workspace_crates.contains(name) => false,
            _ => universe.candidates().iter().any(|path| {
                pattern.matches(&split(path))
                    || (matches!(pattern.segments.last(), Some(Segment::Any))
                        && pattern.covers(&split(path)))
            }),
        }
    }

    fn scanned_members<'u>(universe: &'u Universe, list: &PatternList) -> Vec<&'u str> {
        universe
            .modules
            .iter()
            .filter(|m| list.matches(&split(m)))
            .map(String::as_str)
            .collect()
    }

    fn scanned_nested<'u>(members: &[&'u str], pattern: &Pattern) -> Option<(&'u str, &'u str)> {
        members.iter().find_map(|inner| {
            let own = pattern.matches(&split(inner));
            let outer = members
                .iter()
                .find(|outer| inner.starts_with(&format!("{outer}::")));
            own.then_some(()).and(outer.map(|outer| (*inner, *outer)))
        })
    }

    fn scanned_below(
        universe: &Universe,
        members: &[&str],
        pattern: &Pattern,
        items: bool,
    ) -> bool {
        let paths: Vec<String> = if items {
            (universe.modules.iter().cloned())
                .chain(universe.items.paths())
                .collect()
        } else {
            universe.modules.clone()
        };
        members.iter().any(|member| {
            let prefix = split(member);
            paths.iter().any(|path| {
                let path = split(path);
                path.len() > prefix.len()
                    && path[..prefix.len()] == prefix[..]
                    && pattern.matches(&path[prefix.len()..])
            })
        })
    }

    #[test]
    fn nested_members_name_the_outermost() {
        let modules = ["a", "a::b", "a::b::a", "a::b::a::b", "x::a"].map(String::from);
        let universe = Universe::new(modules, NO_ITEMS, BTreeSet::new(), BTreeSet::new());
        let pattern = |text| Pattern::parse(text, 0..0).unwrap();
        let list = PatternList {
            include: vec![pattern("**::a"), pattern("**::b")],
            ..PatternList::default()
        };
        let members = universe.members(&list);
        assert_eq!(
            members.names(),
            ["a", "a::b", "a::b::a", "a::b::a::b", "x::a"]
        );
        assert_eq!(members.nested(&pattern("**::a")), Some(("a::b::a", "a")));
        assert_eq!(members.nested(&pattern("x::*")), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn the_index_answers_as_a_scan_did(
            universe in universe(),
            list in list(),
            pattern in pattern(),
        ) {
            prop_assert_eq!(
                universe.matches_something(&pattern),
                scanned_matches_something(&universe, &pattern)
            );
            let members = universe.members(&list);
            let scanned = scanned_members(&universe, &list);
            prop_assert_eq!(members.names(), &scanned[..]);
            for include in &list.include {
                prop_assert_eq!(members.nested(include), scanned_nested(&scanned, include));
            }
            prop_assert_eq!(
                members.any_below(&pattern, &[PathKind::Module]),
                scanned_below(&universe, &scanned, &pattern, false)
            );
            prop_assert_eq!(
                members.any_below(&pattern, &[PathKind::Module, PathKind::Item]),
                scanned_below(&universe, &scanned, &pattern, true)
            );
        }
    }
}
